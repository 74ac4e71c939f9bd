//! DAC 1 FI 12 (message 6): dangerous cargo indication, IMO SN/Circ.236 Annex 2 application 2.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 30 | last port of call | 5 six-bit characters (UN/LOCODE) |
//! |  30 | 20 | actual time of departure | month 4, day 5, hour 5, minute 6; n/a 0, 0, 24, 60 |
//! |  50 | 30 | next port of call | 5 six-bit characters (UN/LOCODE) |
//! |  80 | 20 | estimated time of arrival | as departure |
//! | 100 | 120 | main dangerous good | 20 six-bit characters |
//! | 220 | 24 | IMD category | 4 six-bit characters |
//! | 244 | 13 | UN number | 1-3363; 0 not available |
//! | 257 | 10 | amount of cargo | 1-1023 |
//! | 267 |  2 | unit of quantity | 0 n/a, 1 m³, 2 tonnes, 3 kg |
//! | 269 |  3 | spare | |
//!
//! 272 data bits (360-bit message). Like gpsd, a shorter payload is decoded with the missing
//! bits read as zero.

use super::{MonthDayTime, put_text, put_u};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// Dangerous cargo indication (DAC 1 FI 12, IMO SN/Circ.236).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerousCargo236 {
    /// Last port of call (UN/LOCODE).
    pub last_port: AisText<5>,
    /// Actual time of departure from the last port.
    pub departure: MonthDayTime,
    /// Next port of call (UN/LOCODE).
    pub next_port: AisText<5>,
    /// Estimated time of arrival at the next port.
    pub eta: MonthDayTime,
    /// Main dangerous good.
    pub dangerous_good: AisText<20>,
    /// IMD category.
    pub imd_category: AisText<4>,
    /// UN number (0: not available, kept as sent).
    pub un_number: u16,
    /// Amount of cargo, in `unit`.
    pub amount: u16,
    /// Unit code: 0 not available, 1 m³, 2 tonnes, 3 kg.
    pub unit: u8,
}

impl DangerousCargo236 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        Some(Self {
            last_port: p.text(s, 5),
            departure: MonthDayTime::decode(p, s + 30),
            next_port: p.text(s + 50, 5),
            eta: MonthDayTime::decode(p, s + 80),
            dangerous_good: p.text(s + 100, 20),
            imd_category: p.text(s + 220, 4),
            un_number: p.u(s + 244, 13) as u16,
            amount: p.u(s + 257, 10) as u16,
            unit: p.u(s + 267, 2) as u8,
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.str("lastport", self.last_port.as_str());
        w.str("departure", self.departure.gpsd_z().as_str());
        w.str("nextport", self.next_port.as_str());
        w.str("eta", self.eta.gpsd_z().as_str());
        w.str("dangerous", self.dangerous_good.as_str());
        w.str("imdcat", self.imd_category.as_str());
        w.u64("unid", self.un_number.into());
        w.u64("amount", self.amount.into());
        w.u64("unit", self.unit.into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo236_dangerous_cargo");
        put_text(w, "last_port", self.last_port.as_str());
        self.departure.put_ndjson(w, "departure");
        put_text(w, "next_port", self.next_port.as_str());
        self.eta.put_ndjson(w, "eta");
        put_text(w, "dangerous_good", self.dangerous_good.as_str());
        put_text(w, "imd_category", self.imd_category.as_str());
        put_u(w, "un_number", Some(self.un_number).filter(|&n| n != 0));
        if let Some(unit) = cargo_unit_name(self.unit) {
            w.u64("amount", self.amount.into());
            w.str("amount_unit", unit);
        }
    }
}

/// Name of a cargo quantity unit code (IMO SN/Circ.236 and SN.1/Circ.289), `None` for "not
/// available".
pub(crate) fn cargo_unit_name(code: u8) -> Option<&'static str> {
    match code {
        1 => Some("m3"),
        2 => Some("tonnes"),
        3 => Some("kg"),
        _ => None,
    }
}
