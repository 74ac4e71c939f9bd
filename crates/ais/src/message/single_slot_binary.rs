//! Message 25: single slot binary message (ITU-R M.1371-5 Annex 8 §3.23).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 25 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   1 | destination indicator: 0 broadcast, 1 addressed |
//! |  39 |   1 | binary data flag: 0 unstructured, 1 application identifier (16 bits) first |
//! |  40 |  30 | destination MMSI (addressed only) |
//! |   … |  16 | application identifier: DAC (10) and FI (6) (structured only) |
//! |   … |   … | binary data, to the end of the message (at most 168 bits in all) |
//!
//! At least 40 bits, plus 30 when addressed and 16 when structured (as gpsd checks).

use super::{BinaryData, header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Length of the fixed part.
const BITS_MIN: usize = 40;

/// Message 25: single slot binary message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleSlotBinary {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Destination MMSI when addressed (destination indicator 1), `None` when broadcast.
    pub dest_mmsi: Option<u32>,
    /// Application identifier (DAC << 6 | FI) when structured (binary data flag 1).
    pub app_id: Option<u16>,
    /// The binary data after the optional destination and application identifier, raw.
    pub data: BinaryData,
}

impl SingleSlotBinary {
    /// Length of the fixed part.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<SingleSlotBinary, DecodeError> {
    need(p, 25, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let addressed = p.flag(38);
    let structured = p.flag(39);
    let mut at = BITS_MIN;
    need(p, 25, at + 30 * usize::from(addressed) + 16 * usize::from(structured))?;
    let dest_mmsi = addressed.then(|| p.u(at, 30) as u32);
    at += 30 * usize::from(addressed);
    let app_id = structured.then(|| p.u(at, 16) as u16);
    at += 16 * usize::from(structured);
    let data = BinaryData::from_payload(p, at, p.len_bits() - at);
    Ok(SingleSlotBinary { repeat, mmsi, dest_mmsi, app_id, data })
}
