//! Message 17: GNSS broadcast binary message (ITU-R M.1371-5 Annex 8 §3.15).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 17 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  18 | longitude of the reference station, 1/10 min; 181° not available |
//! |  58 |  17 | latitude of the reference station, 1/10 min; 91° not available |
//! |  75 |   5 | spare |
//! |  80 | 0-736 | DGNSS correction data (ITU-R M.823 messages), kept raw |
//!
//! At least 80 bits.

use super::{
    BinaryData, LAT_NOT_AVAILABLE_MIN_X10, LON_NOT_AVAILABLE_MIN_X10, avail_i32, deg_from_min_x10,
    header, need,
};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Length of the fixed part.
const BITS_MIN: usize = 80;

/// Message 17: GNSS broadcast binary message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DgnssBroadcast {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits at bit 38.
    pub spare1: u8,
    /// Reference station longitude, minutes × 10; `None` when not available (181°).
    pub lon_min_x10: Option<i32>,
    /// Reference station latitude, minutes × 10; `None` when not available (91°).
    pub lat_min_x10: Option<i32>,
    /// The 5 spare bits at bit 75.
    pub spare2: u8,
    /// The correction data, raw.
    pub data: BinaryData,
}

impl DgnssBroadcast {
    /// Length of the fixed part.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<DgnssBroadcast, DecodeError> {
    need(p, 17, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    Ok(DgnssBroadcast {
        repeat,
        mmsi,
        spare1: p.u(38, 2) as u8,
        lon_min_x10: avail_i32(p.i(40, 18), LON_NOT_AVAILABLE_MIN_X10),
        lat_min_x10: avail_i32(p.i(58, 17), LAT_NOT_AVAILABLE_MIN_X10),
        spare2: p.u(75, 5) as u8,
        data: BinaryData::from_payload(p, BITS_MIN, p.len_bits() - BITS_MIN),
    })
}

impl DgnssBroadcast {
    /// Reference station longitude in degrees.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10(self.lon_min_x10)
    }

    /// Reference station latitude in degrees.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10(self.lat_min_x10)
    }
}
