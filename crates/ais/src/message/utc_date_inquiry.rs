//! Message 10: UTC and date inquiry (ITU-R M.1371-5 Annex 8 §3.8).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 10 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  30 | destination MMSI |
//! |  70 |   2 | spare |
//!
//! 72 bits; longer messages decode and their extra bits are ignored (as gpsd does).

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 72;

/// Message 10: UTC and date inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateInquiry {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits before the destination.
    pub spare1: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// The 2 spare bits after the destination.
    pub spare2: u8,
}

impl UtcDateInquiry {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
}

pub(crate) fn decode(p: &Payload) -> Result<UtcDateInquiry, DecodeError> {
    need(p, 10, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(UtcDateInquiry {
        repeat,
        mmsi,
        spare1: p.u(38, 2) as u8,
        dest_mmsi: p.u(40, 30) as u32,
        spare2: p.u(70, 2) as u8,
    })
}
