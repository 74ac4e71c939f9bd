//! Message 4 (base station report) and message 11 (UTC and date response), which share one
//! layout (ITU-R M.1371-5 Annex 8 §3.2 and §3.9).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 4 or 11 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |  14 | UTC year, 1-9999; 0 not available |
//! |  52 |   4 | UTC month, 1-12; 0 not available |
//! |  56 |   5 | UTC day, 1-31; 0 not available |
//! |  61 |   5 | UTC hour, 0-23; 24 not available |
//! |  66 |   6 | UTC minute, 0-59; 60 not available |
//! |  72 |   6 | UTC second, 0-59; 60 not available |
//! |  78 |   1 | position accuracy |
//! |  79 |  28 | longitude, 1/10,000 min; 181° not available |
//! | 107 |  27 | latitude, 1/10,000 min; 91° not available |
//! | 134 |   4 | type of electronic position fixing device |
//! | 138 |   1 | transmission control for long-range broadcast message (message 27) |
//! | 139 |   9 | spare |
//! | 148 |   1 | RAIM flag |
//! | 149 |  19 | communication state (SOTDMA) |
//!
//! 168 bits; longer messages decode and their extra bits are ignored (as gpsd does).

use super::{
    LAT_NOT_AVAILABLE_MIN_X10000, LON_NOT_AVAILABLE_MIN_X10000, avail_i32, avail_u8, avail_u16,
    deg_from_min_x10000, header, need,
};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 168;

/// Messages 4 and 11: base station report, UTC/date response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseStationReport {
    /// 4 or 11.
    pub msg_type: u8,
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// UTC year; `None` when not available (0).
    pub year: Option<u16>,
    /// UTC month; `None` when not available (0).
    pub month: Option<u8>,
    /// UTC day; `None` when not available (0).
    pub day: Option<u8>,
    /// UTC hour; `None` when not available (24).
    pub hour: Option<u8>,
    /// UTC minute; `None` when not available (60).
    pub minute: Option<u8>,
    /// UTC second; `None` when not available (60).
    pub second: Option<u8>,
    /// Position accuracy flag: true = high (better than 10 m).
    pub accuracy: bool,
    /// Longitude, minutes × 10,000; `None` when not available (181°).
    pub lon_min_x10000: Option<i32>,
    /// Latitude, minutes × 10,000; `None` when not available (91°).
    pub lat_min_x10000: Option<i32>,
    /// Type of electronic position fixing device (see [`super::tables::epfd_text`]).
    pub epfd: u8,
    /// Transmission control for long-range broadcast (message 27): true = request transmission.
    pub long_range_control: bool,
    /// The 9 spare bits.
    pub spare: u16,
    /// RAIM in use.
    pub raim: bool,
    /// Communication state (19 bits, SOTDMA).
    pub radio: u32,
}

impl BaseStationReport {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
}

pub(crate) fn decode(p: &Payload, msg_type: u8) -> Result<BaseStationReport, DecodeError> {
    need(p, msg_type, BITS)?;
    let (repeat, mmsi) = header(p);
    Ok(BaseStationReport {
        msg_type,
        repeat,
        mmsi,
        year: avail_u16(p.u(38, 14), 0),
        month: avail_u8(p.u(52, 4), 0),
        day: avail_u8(p.u(56, 5), 0),
        hour: avail_u8(p.u(61, 5), 24),
        minute: avail_u8(p.u(66, 6), 60),
        second: avail_u8(p.u(72, 6), 60),
        accuracy: p.flag(78),
        lon_min_x10000: avail_i32(p.i(79, 28), LON_NOT_AVAILABLE_MIN_X10000),
        lat_min_x10000: avail_i32(p.i(107, 27), LAT_NOT_AVAILABLE_MIN_X10000),
        epfd: p.u(134, 4) as u8,
        long_range_control: p.flag(138),
        spare: p.u(139, 9) as u16,
        raim: p.flag(148),
        radio: p.u(149, 19) as u32,
    })
}

impl BaseStationReport {
    /// Longitude in degrees, east positive.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lon_min_x10000)
    }

    /// Latitude in degrees, north positive.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lat_min_x10000)
    }
}
