//! BDS 4,5: meteorological hazard report (MHR).
//!
//! MB layout (ICAO Doc 9871 Table A-2-69):
//!
//! ```text
//!  1 status | 2-3 turbulence | 4 status | 5-6 wind shear | 7 status | 8-9 microburst
//!  | 10 status | 11-12 icing | 13 status | 14-15 wake vortex | 16 status | 17 sign
//!  | 18-26 static air temperature (0.25 °C) | 27 status | 28-38 static pressure (hPa)
//!  | 39 status | 40-51 radio height (16 ft) | 52-56 reserved (0)
//! ```
//!
//! Hazard levels are 0–3 (nil, light, moderate, severe). Checks (as pyModeS `is45`): status
//! bits consistent, reserved bits zero, and a non-zero temperature within −80…60 °C (the
//! temperature is read whatever its status bit says, as pyModeS does).

use super::{signed, status_ok};
use crate::decode::{bit, bits};

/// A meteorological hazard report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeteorologicalHazard {
    /// Turbulence level.
    pub turbulence: Option<u8>,
    /// Wind shear level.
    pub wind_shear: Option<u8>,
    /// Microburst level.
    pub microburst: Option<u8>,
    /// Icing level.
    pub icing: Option<u8>,
    /// Wake vortex level.
    pub wake_vortex: Option<u8>,
    /// Static air temperature, °C.
    pub temperature_c: Option<f64>,
    /// Static pressure, hPa.
    pub pressure_hpa: Option<u16>,
    /// Radio height, feet.
    pub radio_height_ft: Option<i32>,
}

pub(crate) fn check(mb: u64) -> Option<MeteorologicalHazard> {
    let ok = status_ok(mb, 1, 2, 3)
        && status_ok(mb, 4, 5, 6)
        && status_ok(mb, 7, 8, 9)
        && status_ok(mb, 10, 11, 12)
        && status_ok(mb, 13, 14, 15)
        && status_ok(mb, 16, 17, 26)
        && status_ok(mb, 27, 28, 38)
        && status_ok(mb, 39, 40, 51)
        && bits(mb, 52, 5) == 0;
    if !ok {
        return None;
    }
    let temp = f64::from(signed(mb, 17, 18, 9)) * 0.25;
    if temp != 0.0 && !(-80.0..=60.0).contains(&temp) {
        return None;
    }
    let level = |status: u32| bit(mb, status).then(|| bits(mb, status + 1, 2) as u8);
    Some(MeteorologicalHazard {
        turbulence: level(1),
        wind_shear: level(4),
        microburst: level(7),
        icing: level(10),
        wake_vortex: level(13),
        temperature_c: bit(mb, 16).then_some(temp),
        pressure_hpa: bit(mb, 27).then(|| bits(mb, 28, 11) as u16),
        radio_height_ft: bit(mb, 39).then(|| bits(mb, 40, 12) as i32 * 16),
    })
}
