//! Message 20: data link management (ITU-R M.1371-5 Annex 8 §3.18).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 20 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  30 | reservation 1: offset (12), number of slots (4), time-out in minutes (3), increment (11) |
//! |  70 |  30 | reservation 2 (optional) |
//! | 100 |  30 | reservation 3 (optional) |
//! | 130 |  30 | reservation 4 (optional) |
//!
//! 72, 104, 136 or 168 bits (each with spare bits to a byte boundary); a reservation is present
//! when the message holds it whole.

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Shortest length: one reservation.
const BITS_MIN: usize = 72;
/// Most reservations in one message.
const RESERVATIONS_MAX: usize = 4;

/// One block of reserved slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotReservation {
    /// Offset from the current slot to the first reserved slot.
    pub offset: u16,
    /// Number of consecutive reserved slots (1-15).
    pub number: u8,
    /// Time-out of the reservation, minutes.
    pub timeout_min: u8,
    /// Increment between repeated reservations.
    pub increment: u16,
}

/// Message 20: data link management.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataLinkManagement {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits at bit 38.
    pub spare: u8,
    /// Reservations, in order; the first is always present.
    pub reservations: [Option<SlotReservation>; RESERVATIONS_MAX],
}

impl DataLinkManagement {
    /// Shortest length: one reservation.
    pub const BITS_MIN: usize = BITS_MIN;
    /// Most reservations in one message.
    pub const RESERVATIONS_MAX: usize = RESERVATIONS_MAX;
}

pub(crate) fn decode(p: &Payload) -> Result<DataLinkManagement, DecodeError> {
    need(p, 20, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let mut reservations = [None; RESERVATIONS_MAX];
    for (k, slot) in reservations.iter_mut().enumerate() {
        let at = 40 + 30 * k;
        if at + 30 <= p.len_bits() {
            *slot = Some(SlotReservation {
                offset: p.u(at, 12) as u16,
                number: p.u(at + 12, 4) as u8,
                timeout_min: p.u(at + 16, 3) as u8,
                increment: p.u(at + 19, 11) as u16,
            });
        }
    }
    Ok(DataLinkManagement { repeat, mmsi, spare: p.u(38, 2) as u8, reservations })
}
