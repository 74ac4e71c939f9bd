//! Message 7 (binary acknowledge) and message 13 (safety related acknowledge), which share one
//! layout (ITU-R M.1371-5 Annex 8 §3.5 and §3.11).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 7 or 13 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  30 | destination MMSI 1 |
//! |  70 |   2 | sequence number for MMSI 1 |
//! |  72 |  32 | MMSI 2 and sequence number (optional) |
//! | 104 |  32 | MMSI 3 and sequence number (optional) |
//! | 136 |  32 | MMSI 4 and sequence number (optional) |
//!
//! 72, 104, 136 or 168 bits. As gpsd does, an entry is present when its first bit is inside the
//! message; an entry cut short by the end of the message reads its missing bits as zero (real
//! transmitters send 124- and 128-bit acknowledgements).

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Shortest length: one acknowledged station.
const BITS_MIN: usize = 72;
/// Most acknowledged stations in one message.
const ACKS_MAX: usize = 4;

/// One acknowledged station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acknowledgement {
    /// Destination MMSI being acknowledged.
    pub mmsi: u32,
    /// Sequence number of the message being acknowledged (0-3).
    pub seq: u8,
}

/// Messages 7 and 13: binary / safety related acknowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BinaryAcknowledge {
    /// 7 or 13.
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits.
    pub spare: u8,
    /// Acknowledged stations, in order; the first is always present.
    pub acks: [Option<Acknowledgement>; ACKS_MAX],
}

impl BinaryAcknowledge {
    /// Shortest length: one acknowledged station.
    pub const BITS_MIN: usize = BITS_MIN;
    /// Most acknowledged stations in one message.
    pub const ACKS_MAX: usize = ACKS_MAX;
}

pub(crate) fn decode(p: &Payload, msg_type: u8) -> Result<BinaryAcknowledge, DecodeError> {
    need(p, msg_type, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let mut acks = [None; ACKS_MAX];
    for (k, slot) in acks.iter_mut().enumerate() {
        let at = 40 + 32 * k;
        if at < p.len_bits() {
            *slot = Some(Acknowledgement { mmsi: p.u(at, 30) as u32, seq: p.u(at + 30, 2) as u8 });
        }
    }
    Ok(BinaryAcknowledge { msg_type, repeat, mmsi, spare: p.u(38, 2) as u8, acks })
}
