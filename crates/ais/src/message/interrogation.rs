//! Message 15: interrogation (ITU-R M.1371-5 Annex 8 §3.13).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 15 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  30 | destination 1 MMSI |
//! |  70 |   6 | destination 1, first requested message type |
//! |  76 |  12 | destination 1, first slot offset |
//! |  88 |   2 | spare |
//! |  90 |   6 | destination 1, second requested message type |
//! |  96 |  12 | destination 1, second slot offset |
//! | 108 |   2 | spare |
//! | 110 |  30 | destination 2 MMSI |
//! | 140 |   6 | destination 2, requested message type |
//! | 146 |  12 | destination 2, slot offset |
//! | 158 |   2 | spare |
//!
//! 88 bits (one station, one message), 110-112 (one station, two messages) or 160 (two
//! stations). The second request to destination 1 is present when the message is longer than
//! 90 bits, reading bits missing from a cut message as zero (as gpsd and libais do); destination
//! 2 is present when the message holds it whole.

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Shortest length: one station, one requested message.
const BITS_MIN: usize = 88;
/// Length above which the second request to destination 1 is present.
const BITS_SECOND_REQUEST: usize = 90;
/// Length from which destination 2 is present.
const BITS_SECOND_STATION: usize = 158;

/// One requested message: its type and the slot offset for the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterrogationRequest {
    /// Requested message type.
    pub msg_type: u8,
    /// Slot offset of the response (0 = autonomous choice).
    pub slot_offset: u16,
}

/// Message 15: interrogation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrogation {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits at bit 38.
    pub spare1: u8,
    /// Destination 1 MMSI.
    pub dest1_mmsi: u32,
    /// First request to destination 1.
    pub request1_1: InterrogationRequest,
    /// The 2 spare bits at bit 88 (0 when the message ends there).
    pub spare2: u8,
    /// Second request to destination 1, if the message carries it.
    pub request1_2: Option<InterrogationRequest>,
    /// The 2 spare bits at bit 108 (0 when the message ends before).
    pub spare3: u8,
    /// Destination 2 MMSI and its request, if the message carries them.
    pub dest2: Option<(u32, InterrogationRequest)>,
    /// The 2 spare bits at bit 158 (0 when the message ends before).
    pub spare4: u8,
}

impl Interrogation {
    /// Shortest length: one station, one requested message.
    pub const BITS_MIN: usize = BITS_MIN;
}

fn request(p: &Payload, at: usize) -> InterrogationRequest {
    InterrogationRequest { msg_type: p.u(at, 6) as u8, slot_offset: p.u(at + 6, 12) as u16 }
}

pub(crate) fn decode(p: &Payload) -> Result<Interrogation, DecodeError> {
    need(p, 15, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let len = p.len_bits();
    Ok(Interrogation {
        repeat,
        mmsi,
        spare1: p.u(38, 2) as u8,
        dest1_mmsi: p.u(40, 30) as u32,
        request1_1: request(p, 70),
        spare2: p.u(88, 2) as u8,
        request1_2: (len > BITS_SECOND_REQUEST).then(|| request(p, 90)),
        spare3: p.u(108, 2) as u8,
        dest2: (len >= BITS_SECOND_STATION).then(|| (p.u(110, 30) as u32, request(p, 140))),
        spare4: p.u(158, 2) as u8,
    })
}
