//! Message 8: binary broadcast message (ITU-R M.1371-5 Annex 8 §3.6).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 8 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  10 | designated area code (DAC) |
//! |  50 |   6 | function identifier (FI) |
//! |  56 | 0-952 | application data |
//!
//! At least 56 bits (gpsd's lower bound too). The data bits are kept raw; applications that
//! [`crate::apps`] knows are also decoded into [`BinaryBroadcast::app`].

use super::{BinaryData, header, need};
use crate::apps::{self, Application};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Length of the fixed part, up to and including the FI.
const BITS_MIN: usize = 56;

/// Message 8: binary broadcast message.
#[derive(Debug, Clone, PartialEq)]
pub struct BinaryBroadcast {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits.
    pub spare: u8,
    /// Designated area code.
    pub dac: u16,
    /// Function identifier.
    pub fid: u8,
    /// The application data after the FI, raw.
    pub data: BinaryData,
    /// The application data decoded, when [`crate::apps`] knows the DAC/FI.
    pub app: Option<Box<Application>>,
}

impl BinaryBroadcast {
    /// Length of the fixed part, up to and including the FI.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<BinaryBroadcast, DecodeError> {
    need(p, 8, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let dac = p.u(40, 10) as u16;
    let fid = p.u(50, 6) as u8;
    Ok(BinaryBroadcast {
        repeat,
        mmsi,
        spare: p.u(38, 2) as u8,
        dac,
        fid,
        data: BinaryData::from_payload(p, BITS_MIN, p.len_bits() - BITS_MIN),
        app: apps::decode(dac, fid, false, p, BITS_MIN),
    })
}
