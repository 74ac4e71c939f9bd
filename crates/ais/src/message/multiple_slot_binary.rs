//! Message 26: multiple slot binary message with communications state (ITU-R M.1371-5 Annex 8
//! §3.24).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 26 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   1 | destination indicator: 0 broadcast, 1 addressed |
//! |  39 |   1 | binary data flag: 0 unstructured, 1 application identifier (16 bits) first |
//! |  40 |  30 | destination MMSI (addressed only) |
//! |   … |  16 | application identifier: DAC (10) and FI (6) (structured only) |
//! |   … |   … | binary data (and 0-6 spare bits, indistinguishable from data) |
//! | end-20 | 1 | communication state selector: 0 SOTDMA, 1 ITDMA |
//! | end-19 | 19 | communication state |
//!
//! At least 60 bits, plus 30 when addressed and 16 when structured (as gpsd checks).

use super::{BinaryData, header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Length of the fixed part (header, flags and communication state).
const BITS_MIN: usize = 60;
/// Length of the communication state selector and state at the end.
const RADIO_BITS: usize = 20;

/// Message 26: multiple slot binary message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipleSlotBinary {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Destination MMSI when addressed (destination indicator 1), `None` when broadcast.
    pub dest_mmsi: Option<u32>,
    /// Application identifier (DAC << 6 | FI) when structured (binary data flag 1).
    pub app_id: Option<u16>,
    /// The binary data between the optional destination/application identifier and the
    /// communication state, raw.
    pub data: BinaryData,
    /// Communication state selector and state, as one 20-bit value (the last 20 bits).
    pub radio: u32,
}

impl MultipleSlotBinary {
    /// Length of the fixed part (header, flags and communication state).
    pub const BITS_MIN: usize = BITS_MIN;
    /// Length of the communication state selector and state at the end.
    pub const RADIO_BITS: usize = RADIO_BITS;
}

pub(crate) fn decode(p: &Payload) -> Result<MultipleSlotBinary, DecodeError> {
    need(p, 26, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let addressed = p.flag(38);
    let structured = p.flag(39);
    need(p, 26, BITS_MIN + 30 * usize::from(addressed) + 16 * usize::from(structured))?;
    let mut at = 40;
    let dest_mmsi = addressed.then(|| p.u(at, 30) as u32);
    at += 30 * usize::from(addressed);
    let app_id = structured.then(|| p.u(at, 16) as u16);
    at += 16 * usize::from(structured);
    let radio_at = p.len_bits() - RADIO_BITS;
    let data = BinaryData::from_payload(p, at, radio_at - at);
    Ok(MultipleSlotBinary {
        repeat,
        mmsi,
        dest_mmsi,
        app_id,
        data,
        radio: p.u(radio_at, 20) as u32,
    })
}
