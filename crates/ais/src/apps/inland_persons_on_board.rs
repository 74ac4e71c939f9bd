//! DAC 200 FI 55 (message 6): number of persons on board, Inland AIS standard.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 |  8 | number of crew members | 0-254; n/a 255 |
//! |  8 | 13 | number of passengers | 0-8190; n/a 8191 |
//! | 21 |  8 | number of shipboard personnel | 0-254; n/a 255 |
//! | 29 | 51 | spare | |
//!
//! 80 data bits; as gpsd does, only a message of exactly 168 bits is decoded.

use super::{opt_u8, opt_u16, or_na, put_u};
use crate::bits::Payload;
use crate::json::JsonWriter;

const DATA_BITS: usize = 80;

/// Number of persons on board (DAC 200 FI 55).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlandPersonsOnBoard {
    /// Crew members.
    pub crew: Option<u8>,
    /// Passengers.
    pub passengers: Option<u16>,
    /// Shipboard personnel.
    pub personnel: Option<u8>,
}

impl InlandPersonsOnBoard {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        Some(Self {
            crew: opt_u8(p, s, 8, 255),
            passengers: opt_u16(p, s + 8, 13, 8191),
            personnel: opt_u8(p, s + 21, 8, 255),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("crew", or_na(self.crew, 255).into());
        w.u64("passengers", or_na(self.passengers, 8191).into());
        w.u64("personnel", or_na(self.personnel, 255).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_persons_on_board");
        put_u(w, "crew", self.crew);
        put_u(w, "passengers", self.passengers);
        put_u(w, "personnel", self.personnel);
    }
}
