//! Message 9: standard SAR aircraft position report (ITU-R M.1371-5 Annex 8 §3.7).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 9 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |  12 | altitude (GNSS), metres; 4095 not available, 4094 = 4094 m or higher |
//! |  50 |  10 | speed over ground, knots; 1023 not available, 1022 = 1022 kn or more |
//! |  60 |   1 | position accuracy |
//! |  61 |  28 | longitude, 1/10,000 min; 181° not available |
//! |  89 |  27 | latitude, 1/10,000 min; 91° not available |
//! | 116 |  12 | course over ground, 1/10°; 3600 not available |
//! | 128 |   6 | time stamp (UTC second); 60 not available |
//! | 134 |   1 | altitude sensor: 0 GNSS, 1 barometric |
//! | 135 |   7 | spare |
//! | 142 |   1 | DTE: 0 available, 1 not available |
//! | 143 |   3 | spare |
//! | 146 |   1 | assigned mode flag |
//! | 147 |   1 | RAIM flag |
//! | 148 |   1 | communication state selector: 0 SOTDMA, 1 ITDMA |
//! | 149 |  19 | communication state |
//!
//! 168 bits; longer messages decode and their extra bits are ignored (as gpsd does). Bits
//! 134-141 were "regional reserved" before M.1371-5; gpsd still prints them as `regional`.

use super::{
    COURSE_NOT_AVAILABLE_DEG_X10, LAT_NOT_AVAILABLE_MIN_X10000, LON_NOT_AVAILABLE_MIN_X10000,
    SECOND_NOT_AVAILABLE, avail_i32, avail_u8, avail_u16, deg_from_min_x10000, header, need,
    tenths,
};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 168;
/// Altitude "not available", metres.
const ALTITUDE_NOT_AVAILABLE_M: u16 = 4095;
/// Speed "not available", knots.
const SPEED_NOT_AVAILABLE_KNOTS: u16 = 1023;

/// Message 9: standard SAR aircraft position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SarAircraftPosition {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Altitude, metres; `None` when not available (4095).
    pub altitude_m: Option<u16>,
    /// Speed over ground, whole knots; `None` when not available (1023).
    pub speed_knots: Option<u16>,
    /// Position accuracy flag: true = high (better than 10 m).
    pub accuracy: bool,
    /// Longitude, minutes × 10,000; `None` when not available (181°).
    pub lon_min_x10000: Option<i32>,
    /// Latitude, minutes × 10,000; `None` when not available (91°).
    pub lat_min_x10000: Option<i32>,
    /// Course over ground, degrees × 10; `None` when not available (3600).
    pub course_deg_x10: Option<u16>,
    /// UTC second of the fix; `None` when not available (60); 61-63 as in message 1.
    pub utc_second: Option<u8>,
    /// Altitude sensor: false = GNSS, true = barometric.
    pub altitude_barometric: bool,
    /// The 7 spare bits after the altitude sensor flag.
    pub spare1: u8,
    /// Data terminal equipment flag: false = available, true = not available.
    pub dte: bool,
    /// The 3 spare bits after the DTE flag.
    pub spare2: u8,
    /// Assigned mode flag.
    pub assigned: bool,
    /// RAIM in use.
    pub raim: bool,
    /// Communication state selector (bit 148) and state (19 bits), as one 20-bit value.
    pub radio: u32,
}

impl SarAircraftPosition {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
    /// Altitude "not available", metres.
    pub const ALTITUDE_NOT_AVAILABLE_M: u16 = ALTITUDE_NOT_AVAILABLE_M;
    /// Speed "not available", knots.
    pub const SPEED_NOT_AVAILABLE_KNOTS: u16 = SPEED_NOT_AVAILABLE_KNOTS;
}

pub(crate) fn decode(p: &Payload) -> Result<SarAircraftPosition, DecodeError> {
    need(p, 9, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(SarAircraftPosition {
        repeat,
        mmsi,
        altitude_m: avail_u16(p.u(38, 12), ALTITUDE_NOT_AVAILABLE_M),
        speed_knots: avail_u16(p.u(50, 10), SPEED_NOT_AVAILABLE_KNOTS),
        accuracy: p.flag(60),
        lon_min_x10000: avail_i32(p.i(61, 28), LON_NOT_AVAILABLE_MIN_X10000),
        lat_min_x10000: avail_i32(p.i(89, 27), LAT_NOT_AVAILABLE_MIN_X10000),
        course_deg_x10: avail_u16(p.u(116, 12), COURSE_NOT_AVAILABLE_DEG_X10),
        utc_second: avail_u8(p.u(128, 6), SECOND_NOT_AVAILABLE),
        altitude_barometric: p.flag(134),
        spare1: p.u(135, 7) as u8,
        dte: p.flag(142),
        spare2: p.u(143, 3) as u8,
        assigned: p.flag(146),
        raim: p.flag(147),
        radio: p.u(148, 20) as u32,
    })
}

impl SarAircraftPosition {
    /// Longitude in degrees, east positive.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lon_min_x10000)
    }

    /// Latitude in degrees, north positive.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lat_min_x10000)
    }

    /// Course over ground in degrees.
    pub fn course_deg(&self) -> Option<f64> {
        tenths(self.course_deg_x10)
    }

    /// Bits 134-141 as one 8-bit value (altitude sensor flag and spare), the "regional reserved"
    /// field of ITU-R M.1371-4 that gpsd prints as `regional`.
    pub fn regional(&self) -> u8 {
        (u8::from(self.altitude_barometric) << 7) | (self.spare1 & 0x7f)
    }
}
