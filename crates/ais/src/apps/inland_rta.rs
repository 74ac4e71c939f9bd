//! DAC 200 FI 22 (message 6): RTA (requested time of arrival) at lock/bridge/terminal, Inland
//! AIS standard.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 12 | UN country code | 2 six-bit characters |
//! |  12 | 18 | UN/LOCODE | 3 six-bit characters |
//! |  30 | 30 | fairway section number | 5 six-bit characters |
//! |  60 | 30 | terminal code | 5 six-bit characters |
//! |  90 | 30 | fairway hectometre | 5 six-bit characters |
//! | 120 | 20 | RTA | month 4, day 5, hour 5, minute 6; n/a 0, 0, 24, 60 |
//! | 140 |  2 | lock/bridge/terminal status | 0 operational, 1 limited operation, 2 out of order; n/a 3 |
//! | 142 |  2 | spare | |
//!
//! 144 data bits; as gpsd does, only a message of exactly 232 bits is decoded.

use super::{MonthDayTime, opt_u8, or_na, put_text};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

const DATA_BITS: usize = 144;

/// RTA at lock/bridge/terminal (DAC 200 FI 22).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlandRta {
    /// UN country code.
    pub country: AisText<2>,
    /// UN/LOCODE (location part).
    pub locode: AisText<3>,
    /// Fairway section number.
    pub section: AisText<5>,
    /// Terminal code.
    pub terminal: AisText<5>,
    /// Fairway hectometre.
    pub hectometre: AisText<5>,
    /// Requested time of arrival (UTC).
    pub rta: MonthDayTime,
    /// Status: 0 operational, 1 limited operation, 2 out of order.
    pub status: Option<u8>,
}

impl InlandRta {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        Some(Self {
            country: p.text(s, 2),
            locode: p.text(s + 12, 3),
            section: p.text(s + 30, 5),
            terminal: p.text(s + 60, 5),
            hectometre: p.text(s + 90, 5),
            rta: MonthDayTime::decode(p, s + 120),
            status: opt_u8(p, s + 140, 2, 3),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        let status = or_na(self.status, 3);
        w.str("country", self.country.as_str());
        w.str("locode", self.locode.as_str());
        w.str("section", self.section.as_str());
        w.str("terminal", self.terminal.as_str());
        w.str("hectometre", self.hectometre.as_str());
        w.str("eta", self.rta.gpsd_plain().as_str());
        w.u64("status", status.into());
        w.str("status_text", status_text(status));
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_rta");
        put_text(w, "country", self.country.as_str());
        put_text(w, "locode", self.locode.as_str());
        put_text(w, "section", self.section.as_str());
        put_text(w, "terminal", self.terminal.as_str());
        put_text(w, "hectometre", self.hectometre.as_str());
        self.rta.put_ndjson(w, "rta");
        if let Some(st) = self.status {
            w.str("status", status_text(st));
        }
    }
}

/// Status legend, worded as gpsd prints it.
fn status_text(code: u8) -> &'static str {
    match code {
        0 => "Operational",
        1 => "Limited operation",
        2 => "Out of order",
        _ => "N/A",
    }
}
