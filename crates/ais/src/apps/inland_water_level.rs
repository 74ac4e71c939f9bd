//! DAC 200 FI 24 (message 8): water levels, Inland AIS standard.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 12 | UN country code | 2 six-bit characters |
//! | 12 | 25 × 4 | gauges | gauge ID 11 bits (n/a 0), water level 14 bits two's complement in cm (n/a 0) |
//!
//! 112 data bits; as gpsd does, only a message of exactly 168 bits is decoded.

use super::put_text;
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

const DATA_BITS: usize = 112;
const GAUGES: usize = 4;

/// One gauge reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauge {
    /// Gauge ID (0: not available, kept as sent).
    pub id: u16,
    /// Water level, centimetres (0: not available, kept as sent).
    pub level_cm: i16,
}

/// Water levels (DAC 200 FI 24).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlandWaterLevel {
    /// UN country code.
    pub country: AisText<2>,
    /// The four gauge slots, in wire order.
    pub gauges: [Gauge; GAUGES],
}

impl InlandWaterLevel {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        let mut gauges = [Gauge { id: 0, level_cm: 0 }; GAUGES];
        for (k, g) in gauges.iter_mut().enumerate() {
            let a = s + 12 + 25 * k;
            *g = Gauge { id: p.u(a, 11) as u16, level_cm: p.i(a + 11, 14) as i16 };
        }
        Some(Self { country: p.text(s, 2), gauges })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.str("country", self.country.as_str());
        w.begin_array("gauges");
        for g in &self.gauges {
            w.begin_array_object();
            w.u64("id", g.id.into());
            w.i64("level", g.level_cm.into());
            w.end_object();
        }
        w.end_array();
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_water_level");
        put_text(w, "country", self.country.as_str());
        w.begin_array("gauges");
        for g in self.gauges.iter().filter(|g| g.id != 0) {
            w.begin_array_object();
            w.u64("id", g.id.into());
            w.f64_fixed("level_m", f64::from(g.level_cm) / 100.0, 2);
            w.end_object();
        }
        w.end_array();
    }
}
