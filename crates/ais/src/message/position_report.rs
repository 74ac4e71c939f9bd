//! Messages 1, 2 and 3: Class A position report (ITU-R M.1371-5 Annex 8 §3.1).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 1 scheduled, 2 assigned scheduled, 3 response to interrogation |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   4 | navigational status (15 = not defined, the default) |
//! |  42 |   8 | rate of turn ROT_AIS, signed; -128 not available, ±127 fast turn without indicator |
//! |  50 |  10 | speed over ground, 1/10 kn; 1023 not available, 1022 = 102.2 kn or more |
//! |  60 |   1 | position accuracy (1 = better than 10 m) |
//! |  61 |  28 | longitude, 1/10,000 min, signed; 181° not available |
//! |  89 |  27 | latitude, 1/10,000 min, signed; 91° not available |
//! | 116 |  12 | course over ground, 1/10°; 3600 not available |
//! | 128 |   9 | true heading, degrees; 511 not available |
//! | 137 |   6 | time stamp (UTC second); 60 not available, 61 manual, 62 dead reckoning, 63 inoperative |
//! | 143 |   2 | special manoeuvre indicator |
//! | 145 |   3 | spare |
//! | 148 |   1 | RAIM flag |
//! | 149 |  19 | communication state (SOTDMA for 1 and 2, ITDMA for 3) |
//!
//! 168 bits. Messages of 163 to 167 bits, with a truncated communication state, are seen in the
//! wild and accepted by gpsd; they decode with the bits that are there (see
//! [`PositionReport::radio_len_bits`]). Longer messages decode and their extra bits are ignored.

use super::{
    COURSE_NOT_AVAILABLE_DEG_X10, HEADING_NOT_AVAILABLE_DEG, LAT_NOT_AVAILABLE_MIN_X10000,
    LON_NOT_AVAILABLE_MIN_X10000, ROT_NOT_AVAILABLE, SECOND_NOT_AVAILABLE,
    SPEED_NOT_AVAILABLE_KNOTS_X10, avail_i32, avail_u8, avail_u16, deg_from_min_x10000, header,
    need, rot_deg_min, tenths,
};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard length in bits.
const BITS: usize = 168;
/// Shortest length accepted: the communication state may be cut short (see module docs).
const BITS_MIN: usize = 163;
/// Length of the communication state field.
const RADIO_BITS: usize = 19;

/// Messages 1, 2, 3: Class A position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionReport {
    /// 1, 2 or 3.
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Navigational status (0-15, see [`super::tables::nav_status_text`]).
    pub nav_status: u8,
    /// Rate of turn as ROT_AIS (-127..=127); `None` when not available (-128).
    pub rot_ais: Option<i8>,
    /// Speed over ground, knots × 10; `None` when not available (1023).
    pub speed_knots_x10: Option<u16>,
    /// Position accuracy flag: true = high (better than 10 m).
    pub accuracy: bool,
    /// Longitude, minutes × 10,000, east positive; `None` when not available (181°).
    pub lon_min_x10000: Option<i32>,
    /// Latitude, minutes × 10,000, north positive; `None` when not available (91°).
    pub lat_min_x10000: Option<i32>,
    /// Course over ground, degrees × 10; `None` when not available (3600).
    pub course_deg_x10: Option<u16>,
    /// True heading, degrees; `None` when not available (511).
    pub heading_deg: Option<u16>,
    /// UTC second of the position fix; `None` when not available (60). 61-63 mean manual input,
    /// dead reckoning and inoperative positioning system.
    pub utc_second: Option<u8>,
    /// Special manoeuvre indicator: 0 not available, 1 not engaged, 2 engaged.
    pub maneuver: u8,
    /// The 3 spare bits.
    pub spare: u8,
    /// RAIM in use.
    pub raim: bool,
    /// Communication state, right-aligned in `radio_len_bits` bits.
    pub radio: u32,
    /// Bits of communication state the message carried: 19, or fewer for a truncated message.
    pub radio_len_bits: u8,
}

impl PositionReport {
    /// Standard length in bits.
    pub const BITS: usize = BITS;
    /// Shortest length accepted: the communication state may be cut short (see module docs).
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload, msg_type: u8) -> Result<PositionReport, DecodeError> {
    need(p, msg_type, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let radio_len = (p.len_bits() - 149).min(RADIO_BITS);
    Ok(PositionReport {
        msg_type,
        repeat,
        mmsi,
        nav_status: p.u(38, 4) as u8,
        rot_ais: {
            let v = p.i(42, 8) as i8;
            (v != ROT_NOT_AVAILABLE).then_some(v)
        },
        speed_knots_x10: avail_u16(p.u(50, 10), SPEED_NOT_AVAILABLE_KNOTS_X10),
        accuracy: p.flag(60),
        lon_min_x10000: avail_i32(p.i(61, 28), LON_NOT_AVAILABLE_MIN_X10000),
        lat_min_x10000: avail_i32(p.i(89, 27), LAT_NOT_AVAILABLE_MIN_X10000),
        course_deg_x10: avail_u16(p.u(116, 12), COURSE_NOT_AVAILABLE_DEG_X10),
        heading_deg: avail_u16(p.u(128, 9), HEADING_NOT_AVAILABLE_DEG),
        utc_second: avail_u8(p.u(137, 6), SECOND_NOT_AVAILABLE),
        maneuver: p.u(143, 2) as u8,
        spare: p.u(145, 3) as u8,
        raim: p.flag(148),
        radio: p.u(149, radio_len) as u32,
        radio_len_bits: radio_len as u8,
    })
}

impl PositionReport {
    /// Longitude in degrees, east positive.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lon_min_x10000)
    }

    /// Latitude in degrees, north positive.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lat_min_x10000)
    }

    /// Speed over ground in knots (102.2 means 102.2 knots or more).
    pub fn speed_knots(&self) -> Option<f64> {
        tenths(self.speed_knots_x10)
    }

    /// Course over ground in degrees.
    pub fn course_deg(&self) -> Option<f64> {
        tenths(self.course_deg_x10)
    }

    /// Rate of turn in degrees per minute, positive to starboard; `None` when not available or
    /// when the vessel reports only "turning fast" (±127).
    pub fn turn_rate_deg_min(&self) -> Option<f64> {
        rot_deg_min(self.rot_ais)
    }
}
