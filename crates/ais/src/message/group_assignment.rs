//! Message 23: group assignment command (ITU-R M.1371-5 Annex 8 §3.21).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 23 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  18 | longitude 1 (north-east corner), 1/10 min |
//! |  58 |  17 | latitude 1, 1/10 min |
//! |  75 |  18 | longitude 2 (south-west corner), 1/10 min |
//! |  93 |  17 | latitude 2, 1/10 min |
//! | 110 |   4 | station type |
//! | 114 |   8 | type of ship and cargo |
//! | 122 |  22 | spare |
//! | 144 |   2 | Tx/Rx mode |
//! | 146 |   4 | reporting interval |
//! | 150 |   4 | quiet time, minutes |
//! | 154 |   6 | spare |
//!
//! 160 bits; longer messages decode and their extra bits are ignored (as gpsd does).

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 160;

/// Message 23: group assignment command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupAssignmentCommand {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits at bit 38.
    pub spare1: u8,
    /// North-east corner longitude, minutes × 10.
    pub ne_lon_min_x10: i32,
    /// North-east corner latitude, minutes × 10.
    pub ne_lat_min_x10: i32,
    /// South-west corner longitude, minutes × 10.
    pub sw_lon_min_x10: i32,
    /// South-west corner latitude, minutes × 10.
    pub sw_lat_min_x10: i32,
    /// Station type addressed (see [`super::tables::station_type_text`]).
    pub station_type: u8,
    /// Ship type addressed (see [`super::tables::ship_type_text`]); 0 = all.
    pub ship_type: u8,
    /// The 22 spare bits at bit 122.
    pub spare2: u32,
    /// Tx/Rx mode.
    pub txrx_mode: u8,
    /// Reporting interval (ITU-R M.1371-5 Annex 8 §3.21 table of intervals).
    pub interval: u8,
    /// Quiet time, minutes (0 = none).
    pub quiet_min: u8,
    /// The 6 spare bits at bit 154.
    pub spare3: u8,
}

impl GroupAssignmentCommand {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
}

pub(crate) fn decode(p: &Payload) -> Result<GroupAssignmentCommand, DecodeError> {
    need(p, 23, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(GroupAssignmentCommand {
        repeat,
        mmsi,
        spare1: p.u(38, 2) as u8,
        ne_lon_min_x10: p.i(40, 18) as i32,
        ne_lat_min_x10: p.i(58, 17) as i32,
        sw_lon_min_x10: p.i(75, 18) as i32,
        sw_lat_min_x10: p.i(93, 17) as i32,
        station_type: p.u(110, 4) as u8,
        ship_type: p.u(114, 8) as u8,
        spare2: p.u(122, 22) as u32,
        txrx_mode: p.u(144, 2) as u8,
        interval: p.u(146, 4) as u8,
        quiet_min: p.u(150, 4) as u8,
        spare3: p.u(154, 6) as u8,
    })
}
