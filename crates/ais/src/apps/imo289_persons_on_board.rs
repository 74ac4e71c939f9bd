//! DAC 1 FI 16: number of persons on board, IMO SN/Circ.236 Annex 2 application 7 (message 8)
//! and IMO SN.1/Circ.289 Annex (message 6).
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 13 | number of persons on board | 1-8190, 8191 = 8191 or more; n/a 0 |
//! | 13 | 3 (SN/Circ.236) or 35 (SN.1/Circ.289) | spare | |
//!
//! gpsd decodes a message 6 of any length, and a message 8 only when its data part is 72 or 136
//! bits, and reads the count from the wrong place in both (bit 55, or bit 88 of a message 8).
//! This decoder reads the count right after the FI: a message 6 of any length, and a message 8
//! whose data part is the 16 bits of SN/Circ.236. gpsd's own output for these messages
//! therefore differs.

use super::{opt_u16, or_na, put_u};
use crate::bits::Payload;
use crate::json::JsonWriter;

/// Data bits of the SN/Circ.236 broadcast form.
const BROADCAST_DATA_BITS: usize = 16;

/// Number of persons on board (DAC 1 FI 16).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonsOnBoard {
    /// Persons on board (8191: 8191 or more).
    pub persons: Option<u16>,
}

impl PersonsOnBoard {
    pub(crate) fn decode(p: &Payload, s: usize, addressed: bool) -> Option<Self> {
        if !addressed && p.len_bits() != s + BROADCAST_DATA_BITS {
            return None;
        }
        Some(Self { persons: opt_u16(p, s, 13, 0) })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("persons", or_na(self.persons, 0).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_persons_on_board");
        put_u(w, "persons", self.persons);
    }
}
