//! Message 27: position report for long-range applications (ITU-R M.1371-5 Annex 8 §3.25).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 27 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   1 | position accuracy |
//! |  39 |   1 | RAIM flag |
//! |  40 |   4 | navigational status |
//! |  44 |  18 | longitude, 1/10 min; 181° not available |
//! |  62 |  17 | latitude, 1/10 min; 91° not available |
//! |  79 |   6 | speed over ground, knots; 63 not available |
//! |  85 |   9 | course over ground, degrees; 511 not available |
//! |  94 |   1 | GNSS position status: 0 current GNSS position, 1 not GNSS position |
//! |  95 |   1 | spare |
//!
//! 96 bits. Some units send a full 168-bit slot (gpsd accepts 96 and 168); any length from 96
//! up decodes and extra bits are ignored.

use super::{
    LAT_NOT_AVAILABLE_MIN_X10, LON_NOT_AVAILABLE_MIN_X10, avail_i32, avail_u8, avail_u16,
    deg_from_min_x10, header, need,
};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 96;
/// Speed "not available", knots.
const SPEED_NOT_AVAILABLE_KNOTS: u8 = 63;
/// Course "not available", degrees.
const COURSE_NOT_AVAILABLE_DEG: u16 = 511;

/// Message 27: long-range position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongRangeBroadcast {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Position accuracy flag: true = high (better than 10 m).
    pub accuracy: bool,
    /// RAIM in use.
    pub raim: bool,
    /// Navigational status (see [`super::tables::nav_status_text`]).
    pub nav_status: u8,
    /// Longitude, minutes × 10; `None` when not available (181°).
    pub lon_min_x10: Option<i32>,
    /// Latitude, minutes × 10; `None` when not available (91°).
    pub lat_min_x10: Option<i32>,
    /// Speed over ground, whole knots; `None` when not available (63).
    pub speed_knots: Option<u8>,
    /// Course over ground, whole degrees; `None` when not available (511).
    pub course_deg: Option<u16>,
    /// GNSS position status: false = current GNSS position, true = not a GNSS position.
    pub not_gnss_position: bool,
    /// The spare bit at bit 95.
    pub spare: bool,
}

impl LongRangeBroadcast {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
    /// Speed "not available", knots.
    pub const SPEED_NOT_AVAILABLE_KNOTS: u8 = SPEED_NOT_AVAILABLE_KNOTS;
    /// Course "not available", degrees.
    pub const COURSE_NOT_AVAILABLE_DEG: u16 = COURSE_NOT_AVAILABLE_DEG;
}

pub(crate) fn decode(p: &Payload) -> Result<LongRangeBroadcast, DecodeError> {
    need(p, 27, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(LongRangeBroadcast {
        repeat,
        mmsi,
        accuracy: p.flag(38),
        raim: p.flag(39),
        nav_status: p.u(40, 4) as u8,
        lon_min_x10: avail_i32(p.i(44, 18), LON_NOT_AVAILABLE_MIN_X10),
        lat_min_x10: avail_i32(p.i(62, 17), LAT_NOT_AVAILABLE_MIN_X10),
        speed_knots: avail_u8(p.u(79, 6), SPEED_NOT_AVAILABLE_KNOTS),
        course_deg: avail_u16(p.u(85, 9), COURSE_NOT_AVAILABLE_DEG),
        not_gnss_position: p.flag(94),
        spare: p.flag(95),
    })
}

impl LongRangeBroadcast {
    /// Longitude in degrees, east positive.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10(self.lon_min_x10)
    }

    /// Latitude in degrees, north positive.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10(self.lat_min_x10)
    }
}
