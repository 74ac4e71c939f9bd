//! Message 6: addressed binary message (ITU-R M.1371-5 Annex 8 §3.4).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 6 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | sequence number |
//! |  40 |  30 | destination MMSI |
//! |  70 |   1 | retransmit flag |
//! |  71 |   1 | spare |
//! |  72 |  10 | designated area code (DAC) |
//! |  82 |   6 | function identifier (FI) |
//! |  88 | 0-920 | application data |
//!
//! At least 88 bits (gpsd's lower bound too). The data bits are kept raw; applications that
//! [`crate::apps`] knows are also decoded into [`AddressedBinary::app`].

use super::{BinaryData, header, need};
use crate::apps::{self, Application};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Length of the fixed part, up to and including the FI.
const BITS_MIN: usize = 88;

/// Message 6: addressed binary message.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressedBinary {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Sequence number (0-3).
    pub seq: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Retransmit flag: true = retransmitted.
    pub retransmit: bool,
    /// The spare bit.
    pub spare: bool,
    /// Designated area code.
    pub dac: u16,
    /// Function identifier.
    pub fid: u8,
    /// The application data after the FI, raw.
    pub data: BinaryData,
    /// The application data decoded, when [`crate::apps`] knows the DAC/FI.
    pub app: Option<Box<Application>>,
}

impl AddressedBinary {
    /// Length of the fixed part, up to and including the FI.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<AddressedBinary, DecodeError> {
    need(p, 6, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let dac = p.u(72, 10) as u16;
    let fid = p.u(82, 6) as u8;
    Ok(AddressedBinary {
        repeat,
        mmsi,
        seq: p.u(38, 2) as u8,
        dest_mmsi: p.u(40, 30) as u32,
        retransmit: p.flag(70),
        spare: p.flag(71),
        dac,
        fid,
        data: BinaryData::from_payload(p, BITS_MIN, p.len_bits() - BITS_MIN),
        app: apps::decode(dac, fid, true, p, BITS_MIN),
    })
}
