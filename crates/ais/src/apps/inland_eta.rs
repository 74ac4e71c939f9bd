//! DAC 200 FI 21 (message 6): ETA at lock/bridge/terminal, Inland AIS standard.
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
//! | 120 | 20 | ETA | month 4, day 5, hour 5, minute 6; n/a 0, 0, 24, 60 |
//! | 140 |  3 | number of assisting tugboats | 0-6; n/a 7 |
//! | 143 | 12 | air draught | 0.01 m; n/a 0 |
//! | 155 |  5 | spare | |
//!
//! 160 data bits; as gpsd does, only a message of exactly 248 bits is decoded.

use super::{MonthDayTime, opt_u8, opt_u16, or_na, put_scaled, put_text, put_u};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

const DATA_BITS: usize = 160;

/// ETA at lock/bridge/terminal (DAC 200 FI 21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlandEta {
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
    /// Estimated time of arrival (UTC).
    pub eta: MonthDayTime,
    /// Number of assisting tugboats.
    pub tugs: Option<u8>,
    /// Air draught, 0.01 m.
    pub air_draught_m_x100: Option<u16>,
}

impl InlandEta {
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
            eta: MonthDayTime::decode(p, s + 120),
            tugs: opt_u8(p, s + 140, 3, 7),
            air_draught_m_x100: opt_u16(p, s + 143, 12, 0),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.str("country", self.country.as_str());
        w.str("locode", self.locode.as_str());
        w.str("section", self.section.as_str());
        w.str("terminal", self.terminal.as_str());
        w.str("hectometre", self.hectometre.as_str());
        w.str("eta", self.eta.gpsd_plain().as_str());
        w.u64("tugs", or_na(self.tugs, 7).into());
        w.u64("airdraught", or_na(self.air_draught_m_x100, 0).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_eta");
        put_text(w, "country", self.country.as_str());
        put_text(w, "locode", self.locode.as_str());
        put_text(w, "section", self.section.as_str());
        put_text(w, "terminal", self.terminal.as_str());
        put_text(w, "hectometre", self.hectometre.as_str());
        self.eta.put_ndjson(w, "eta");
        put_u(w, "tugs", self.tugs);
        put_scaled(w, "air_draught_m", self.air_draught_m_x100, 100.0, 2);
    }
}
