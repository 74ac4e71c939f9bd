//! DAC 1 FI 25 (message 6): dangerous cargo indication, IMO SN.1/Circ.289 Annex (replaces
//! DAC 1 FI 12 of SN/Circ.236).
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 |  2 | unit of quantity | 0 n/a, 1 m³, 2 tonnes, 3 kg |
//! |  2 | 10 | amount of cargo | 1-1023 |
//! | 12 | 17 × n | cargo entries | |
//!
//! Each entry: code under which the cargo is carried (4 bits: 1 IMDG code, 2 BC code, 3 IBC,
//! 4 IGC, 5 UN number, …) and subtype (13 bits, e.g. IMDG class or UN number).
//!
//! An entry is decoded when its first bit is inside the payload, missing bits read as zero (as
//! gpsd does).

use super::imo236_dangerous_cargo::cargo_unit_name;
use crate::bits::Payload;
use crate::json::JsonWriter;

/// A 5-slot message 6 (1,008 bits) holds at most (1008 − 100) / 17 = 53 entries; more are
/// ignored.
pub const CARGOS_MAX: usize = 53;

const ENTRY_BITS: usize = 17;

/// One cargo entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CargoEntry {
    /// Code the cargo is carried under (1 IMDG, 2 BC, 3 IBC, 4 IGC, 5 UN number, …).
    pub code: u8,
    /// Subtype within that code.
    pub subtype: u16,
}

/// Dangerous cargo indication (DAC 1 FI 25, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerousCargo289 {
    /// Unit code: 0 not available, 1 m³, 2 tonnes, 3 kg.
    pub unit: u8,
    /// Amount of cargo, in `unit`.
    pub amount: u16,
    /// Cargo entries, at most [`CARGOS_MAX`].
    pub cargos: Vec<CargoEntry>,
}

impl DangerousCargo289 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let mut cargos = Vec::new();
        let mut a = s + 12;
        while a < p.len_bits() && cargos.len() < CARGOS_MAX {
            cargos.push(CargoEntry { code: p.u(a, 4) as u8, subtype: p.u(a + 4, 13) as u16 });
            a += ENTRY_BITS;
        }
        Some(Self { unit: p.u(s, 2) as u8, amount: p.u(s + 2, 10) as u16, cargos })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("unit", self.unit.into());
        w.u64("amount", self.amount.into());
        w.begin_array("cargos");
        for c in &self.cargos {
            w.begin_array_object();
            w.u64("code", c.code.into());
            w.u64("subtype", c.subtype.into());
            w.end_object();
        }
        w.end_array();
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_dangerous_cargo");
        if let Some(unit) = cargo_unit_name(self.unit) {
            w.u64("amount", self.amount.into());
            w.str("amount_unit", unit);
        }
        w.begin_array("cargos");
        for c in &self.cargos {
            w.begin_array_object();
            w.u64("code", c.code.into());
            w.u64("subtype", c.subtype.into());
            w.end_object();
        }
        w.end_array();
    }
}
