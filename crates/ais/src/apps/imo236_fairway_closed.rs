//! DAC 1 FI 13 (message 8): fairway closed, IMO SN/Circ.236 Annex 2 application 3.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 120 | reason for closing | 20 six-bit characters |
//! | 120 | 120 | location of closing, from | 20 six-bit characters |
//! | 240 | 120 | location of closing, to | 20 six-bit characters |
//! | 360 | 10 | radius extension of closed area | in the unit below |
//! | 370 |  2 | unit of extension | 0 m, 1 km, 2 NM, 3 cable |
//! | 372 |  5 | closing from: UTC day | 1-31; n/a 0 |
//! | 377 |  4 | closing from: UTC month | 1-12; n/a 0 |
//! | 381 |  5 | closing from: UTC hour | 0-23; n/a 24 |
//! | 386 |  6 | closing from: UTC minute | 0-59; n/a 60 |
//! | 392 |  5 | closing until: UTC day | 1-31; n/a 0 |
//! | 397 |  4 | closing until: UTC month | 1-12; n/a 0 |
//! | 401 |  5 | closing until: UTC hour | 0-23; n/a 24 |
//! | 406 |  6 | closing until: UTC minute | 0-59; n/a 60 |
//! | 412 |  4 | spare | |
//!
//! 416 data bits (472-bit message); the day comes before the month here, unlike most other
//! applications. Like gpsd, a shorter payload is decoded with the missing bits read as zero.

use super::{MonthDayTime, opt_u8, put_text};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// Fairway closed (DAC 1 FI 13, IMO SN/Circ.236).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairwayClosed {
    /// Reason for closing.
    pub reason: AisText<20>,
    /// Location where the closing starts.
    pub location_from: AisText<20>,
    /// Location where the closing ends.
    pub location_to: AisText<20>,
    /// Radius extension of the closed area, in `extension_unit`.
    pub extension: u16,
    /// Unit of `extension`: 0 m, 1 km, 2 NM, 3 cable.
    pub extension_unit: u8,
    /// Closed from (UTC).
    pub closed_from: MonthDayTime,
    /// Closed until (UTC).
    pub closed_to: MonthDayTime,
}

fn day_month_time(p: &Payload, a: usize) -> MonthDayTime {
    MonthDayTime {
        day: opt_u8(p, a, 5, 0),
        month: opt_u8(p, a + 5, 4, 0),
        hour: opt_u8(p, a + 9, 5, 24),
        minute: opt_u8(p, a + 14, 6, 60),
    }
}

impl FairwayClosed {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        Some(Self {
            reason: p.text(s, 20),
            location_from: p.text(s + 120, 20),
            location_to: p.text(s + 240, 20),
            extension: p.u(s + 360, 10) as u16,
            extension_unit: p.u(s + 370, 2) as u8,
            closed_from: day_month_time(p, s + 372),
            closed_to: day_month_time(p, s + 392),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.str("reason", self.reason.as_str());
        w.str("closefrom", self.location_from.as_str());
        w.str("closeto", self.location_to.as_str());
        w.u64("radius", self.extension.into());
        w.u64("extunit", self.extension_unit.into());
        w.str("from", self.closed_from.gpsd_padded().as_str());
        w.str("to", self.closed_to.gpsd_padded().as_str());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo236_fairway_closed");
        put_text(w, "reason", self.reason.as_str());
        put_text(w, "location_from", self.location_from.as_str());
        put_text(w, "location_to", self.location_to.as_str());
        let factor_m = match self.extension_unit {
            0 => 1.0,
            1 => 1000.0,
            2 => 1852.0,
            _ => 185.2,
        };
        w.f64_fixed("extension_m", f64::from(self.extension) * factor_m, 1);
        self.closed_from.put_ndjson(w, "closed_from");
        self.closed_to.put_ndjson(w, "closed_to");
    }
}
