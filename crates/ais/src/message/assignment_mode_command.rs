//! Message 16: assigned mode command (ITU-R M.1371-5 Annex 8 §3.14).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 16 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  30 | destination A MMSI |
//! |  70 |  12 | offset A |
//! |  82 |  10 | increment A |
//! |  92 |  30 | destination B MMSI (or 4 spare bits when only A is addressed) |
//! | 122 |  12 | offset B |
//! | 134 |  10 | increment B |
//!
//! 96 bits (one station) or 144 bits (two stations); as in gpsd, station B is read from 144
//! bits on.

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Shortest length: one station.
const BITS_MIN: usize = 96;
/// Length with two stations.
const BITS_TWO_STATIONS: usize = 144;

/// One assignment: the station, and either a slot offset and increment or a reporting rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Offset from the current slot to the first assigned slot.
    pub offset: u16,
    /// Increment to the next assigned slot (0 = the offset is a reporting rate).
    pub increment: u16,
}

/// Message 16: assigned mode command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignmentModeCommand {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits at bit 38.
    pub spare1: u8,
    /// Assignment to station A.
    pub a: Assignment,
    /// Assignment to station B, if present.
    pub b: Option<Assignment>,
    /// The 4 spare bits at bit 92 when only station A is addressed (0 otherwise).
    pub spare2: u8,
}

impl AssignmentModeCommand {
    /// Shortest length: one station.
    pub const BITS_MIN: usize = BITS_MIN;
    /// Length with two stations.
    pub const BITS_TWO_STATIONS: usize = BITS_TWO_STATIONS;
}

fn assignment(p: &Payload, at: usize) -> Assignment {
    Assignment {
        dest_mmsi: p.u(at, 30) as u32,
        offset: p.u(at + 30, 12) as u16,
        increment: p.u(at + 42, 10) as u16,
    }
}

pub(crate) fn decode(p: &Payload) -> Result<AssignmentModeCommand, DecodeError> {
    need(p, 16, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let b = (p.len_bits() >= BITS_TWO_STATIONS).then(|| assignment(p, 92));
    Ok(AssignmentModeCommand {
        repeat,
        mmsi,
        spare1: p.u(38, 2) as u8,
        a: assignment(p, 40),
        spare2: if b.is_none() { p.u(92, 4) as u8 } else { 0 },
        b,
    })
}
