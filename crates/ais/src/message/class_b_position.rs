//! Message 18: standard Class B equipment position report (ITU-R M.1371-5 Annex 8 §3.16).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 18 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   8 | spare (reserved for regional applications before M.1371-5; gpsd `reserved`) |
//! |  46 |  10 | speed over ground, 1/10 kn; 1023 not available |
//! |  56 |   1 | position accuracy |
//! |  57 |  28 | longitude, 1/10,000 min; 181° not available |
//! |  85 |  27 | latitude, 1/10,000 min; 91° not available |
//! | 112 |  12 | course over ground, 1/10°; 3600 not available |
//! | 124 |   9 | true heading, degrees; 511 not available |
//! | 133 |   6 | time stamp (UTC second); 60 not available |
//! | 139 |   2 | spare (gpsd `regional`) |
//! | 141 |   1 | Class B unit flag: 0 SOTDMA, 1 carrier sense |
//! | 142 |   1 | Class B display flag |
//! | 143 |   1 | Class B DSC flag |
//! | 144 |   1 | Class B band flag (whole marine band) |
//! | 145 |   1 | Class B message 22 flag |
//! | 146 |   1 | mode flag: 0 autonomous, 1 assigned |
//! | 147 |   1 | RAIM flag |
//! | 148 |   1 | communication state selector: 0 SOTDMA, 1 ITDMA |
//! | 149 |  19 | communication state |
//!
//! 168 bits; longer messages decode and their extra bits are ignored (as gpsd does).

use super::{
    COURSE_NOT_AVAILABLE_DEG_X10, HEADING_NOT_AVAILABLE_DEG, LAT_NOT_AVAILABLE_MIN_X10000,
    LON_NOT_AVAILABLE_MIN_X10000, SECOND_NOT_AVAILABLE, SPEED_NOT_AVAILABLE_KNOTS_X10, avail_i32,
    avail_u8, avail_u16, deg_from_min_x10000, header, need, tenths,
};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 168;

/// Message 18: standard Class B position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassBPosition {
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
    /// The 2 spare bits at bit 139.
    pub spare2: u8,
    /// Class B unit flag: false = SOTDMA unit, true = carrier-sense unit.
    pub carrier_sense: bool,
    /// The unit has a display for messages 12 and 14.
    pub display: bool,
    /// The unit has DSC.
    pub dsc: bool,
    /// The unit can use the whole marine band (else only the AIS channels).
    pub band: bool,
    /// The unit accepts channel management by message 22.
    pub msg22: bool,
    /// Mode flag: false = autonomous, true = assigned.
    pub assigned: bool,
    /// RAIM in use.
    pub raim: bool,
    /// Communication state selector (bit 148) and state (19 bits), as one 20-bit value.
    pub radio: u32,
}

impl ClassBPosition {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
}

pub(crate) fn decode(p: &Payload) -> Result<ClassBPosition, DecodeError> {
    need(p, 18, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(ClassBPosition {
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
        spare2: p.u(139, 2) as u8,
        carrier_sense: p.flag(141),
        display: p.flag(142),
        dsc: p.flag(143),
        band: p.flag(144),
        msg22: p.flag(145),
        assigned: p.flag(146),
        raim: p.flag(147),
        radio: p.u(148, 20) as u32,
    })
}

impl ClassBPosition {
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
