//! DAC 1 FI 15 (message 8): extended ship static and voyage related data (air draught),
//! IMO SN/Circ.236 Annex 2 application 6.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 11 | air draught | 0.1 m, 0.1-204.7 m; n/a 0 |
//! | 11 |  5 | spare | |
//!
//! 16 data bits (72-bit message). Like gpsd, a shorter payload is decoded with the missing
//! bits read as zero. gpsd also decodes a message 6 carrying DAC 1 FI 15, but reads it from
//! bit 56, inside the addressing header; this application is broadcast only, so a message 6
//! with this FI keeps its raw data here.

use super::{opt_u16, or_na, put_scaled};
use crate::bits::Payload;
use crate::json::JsonWriter;

/// Extended ship static and voyage related data (DAC 1 FI 15, IMO SN/Circ.236).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedShipStatic236 {
    /// Air draught, 0.1 m.
    pub air_draught_m_x10: Option<u16>,
}

impl ExtendedShipStatic236 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        Some(Self { air_draught_m_x10: opt_u16(p, s, 11, 0) })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("airdraught", or_na(self.air_draught_m_x10, 0).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo236_extended_ship_static");
        put_scaled(w, "air_draught_m", self.air_draught_m_x10, 10.0, 1);
    }
}
