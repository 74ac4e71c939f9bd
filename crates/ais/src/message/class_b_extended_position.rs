//! Message 19: extended Class B equipment position report (ITU-R M.1371-5 Annex 8 §3.17).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 19 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   8 | spare (regional reserved before M.1371-5; gpsd `reserved`) |
//! |  46 |  10 | speed over ground, 1/10 kn; 1023 not available |
//! |  56 |   1 | position accuracy |
//! |  57 |  28 | longitude, 1/10,000 min; 181° not available |
//! |  85 |  27 | latitude, 1/10,000 min; 91° not available |
//! | 112 |  12 | course over ground, 1/10°; 3600 not available |
//! | 124 |   9 | true heading, degrees; 511 not available |
//! | 133 |   6 | time stamp (UTC second); 60 not available |
//! | 139 |   4 | spare (gpsd `regional`) |
//! | 143 | 120 | name, 20 six-bit characters |
//! | 263 |   8 | type of ship and cargo |
//! | 271 |  30 | dimensions A (9), B (9), C (6), D (6), metres |
//! | 301 |   4 | type of electronic position fixing device |
//! | 305 |   1 | RAIM flag |
//! | 306 |   1 | DTE: 0 available, 1 not available |
//! | 307 |   1 | assigned mode flag |
//! | 308 |   4 | spare |
//!
//! 312 bits; longer messages decode and their extra bits are ignored (as gpsd does).

use super::{
    COURSE_NOT_AVAILABLE_DEG_X10, Dimensions, HEADING_NOT_AVAILABLE_DEG,
    LAT_NOT_AVAILABLE_MIN_X10000, LON_NOT_AVAILABLE_MIN_X10000, SECOND_NOT_AVAILABLE,
    SPEED_NOT_AVAILABLE_KNOTS_X10, avail_i32, avail_u8, avail_u16, deg_from_min_x10000, header,
    need, tenths,
};
use crate::bits::{AisText, Payload};
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 312;

/// Message 19: extended Class B position report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassBExtendedPosition {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 8 spare bits at bit 38 (regional reserved before M.1371-5).
    pub spare1: u8,
    /// Speed over ground, knots × 10; `None` when not available (1023).
    pub speed_knots_x10: Option<u16>,
    /// Position accuracy flag: true = high (better than 10 m).
    pub accuracy: bool,
    /// Longitude, minutes × 10,000; `None` when not available (181°).
    pub lon_min_x10000: Option<i32>,
    /// Latitude, minutes × 10,000; `None` when not available (91°).
    pub lat_min_x10000: Option<i32>,
    /// Course over ground, degrees × 10; `None` when not available (3600).
    pub course_deg_x10: Option<u16>,
    /// True heading, degrees; `None` when not available (511).
    pub heading_deg: Option<u16>,
    /// UTC second of the fix; `None` when not available (60); 61-63 as in message 1.
    pub utc_second: Option<u8>,
    /// The 4 spare bits at bit 139.
    pub spare2: u8,
    /// Ship name, raw (20 characters including `@` padding).
    pub ship_name: AisText<20>,
    /// Type of ship and cargo (see [`super::tables::ship_type_text`]).
    pub ship_type: u8,
    /// Dimensions from the position reference point.
    pub dimensions: Dimensions,
    /// Type of electronic position fixing device (see [`super::tables::epfd_text`]).
    pub epfd: u8,
    /// RAIM in use.
    pub raim: bool,
    /// Data terminal equipment flag: false = available, true = not available.
    pub dte: bool,
    /// Assigned mode flag.
    pub assigned: bool,
    /// The 4 spare bits at bit 308.
    pub spare3: u8,
}

impl ClassBExtendedPosition {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
}

pub(crate) fn decode(p: &Payload) -> Result<ClassBExtendedPosition, DecodeError> {
    need(p, 19, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(ClassBExtendedPosition {
        repeat,
        mmsi,
        spare1: p.u(38, 8) as u8,
        speed_knots_x10: avail_u16(p.u(46, 10), SPEED_NOT_AVAILABLE_KNOTS_X10),
        accuracy: p.flag(56),
        lon_min_x10000: avail_i32(p.i(57, 28), LON_NOT_AVAILABLE_MIN_X10000),
        lat_min_x10000: avail_i32(p.i(85, 27), LAT_NOT_AVAILABLE_MIN_X10000),
        course_deg_x10: avail_u16(p.u(112, 12), COURSE_NOT_AVAILABLE_DEG_X10),
        heading_deg: avail_u16(p.u(124, 9), HEADING_NOT_AVAILABLE_DEG),
        utc_second: avail_u8(p.u(133, 6), SECOND_NOT_AVAILABLE),
        spare2: p.u(139, 4) as u8,
        ship_name: p.text_raw(143, 20),
        ship_type: p.u(263, 8) as u8,
        dimensions: Dimensions::read(p, 271),
        epfd: p.u(301, 4) as u8,
        raim: p.flag(305),
        dte: p.flag(306),
        assigned: p.flag(307),
        spare3: p.u(308, 4) as u8,
    })
}

impl ClassBExtendedPosition {
    /// Longitude in degrees, east positive.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lon_min_x10000)
    }

    /// Latitude in degrees, north positive.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lat_min_x10000)
    }

    /// Speed over ground in knots.
    pub fn speed_knots(&self) -> Option<f64> {
        tenths(self.speed_knots_x10)
    }

    /// Course over ground in degrees.
    pub fn course_deg(&self) -> Option<f64> {
        tenths(self.course_deg_x10)
    }
}
