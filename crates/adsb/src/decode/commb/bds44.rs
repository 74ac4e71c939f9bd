//! BDS 4,4: meteorological routine air report (MRAR).
//!
//! MB layout (ICAO Doc 9871 Table A-2-68):
//!
//! ```text
//!  1-4 FOM/source | 5 status | 6-14 wind speed (kt) | 15-23 wind direction (180/256 deg)
//!  | 24 sign | 25-34 static air temperature (0.25 °C) | 35 status | 36-46 static pressure (hPa)
//!  | 47 status | 48-49 turbulence | 50 status | 51-56 humidity (100/64 %)
//! ```
//!
//! Checks (as pyModeS `is44`): status bits consistent, source at most 4, wind speed at most
//! 250 kt, temperature within −80…60 °C, and not wind and temperature all zero.

use super::{signed, status_ok};
use crate::decode::{bit, bits};

/// A meteorological routine air report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeteorologicalRoutine {
    /// Wind speed, knots.
    pub wind_speed_kt: Option<u16>,
    /// Wind direction (from), degrees true.
    pub wind_direction_deg: Option<f64>,
    /// Static air temperature, °C.
    pub temperature_c: f64,
    /// Static pressure, hPa.
    pub pressure_hpa: Option<u16>,
    /// Turbulence, 0–3 (nil, light, moderate, severe).
    pub turbulence: Option<u8>,
    /// Relative humidity, percent.
    pub humidity_pct: Option<f64>,
}

pub(crate) fn check(mb: u64) -> Option<MeteorologicalRoutine> {
    let ok = status_ok(mb, 5, 6, 23)
        && status_ok(mb, 35, 36, 46)
        && status_ok(mb, 47, 48, 49)
        && status_ok(mb, 50, 51, 56)
        && bits(mb, 1, 4) <= 4;
    if !ok {
        return None;
    }
    let wind = bit(mb, 5);
    let speed = bits(mb, 6, 9);
    let direction = f64::from(bits(mb, 15, 9)) * (180.0 / 256.0);
    if wind && speed > 250 {
        return None;
    }
    let temperature_c = f64::from(signed(mb, 24, 25, 10)) * 0.25;
    if !(-80.0..=60.0).contains(&temperature_c) {
        return None;
    }
    if wind && speed == 0 && direction == 0.0 && temperature_c == 0.0 {
        return None;
    }
    Some(MeteorologicalRoutine {
        wind_speed_kt: wind.then_some(speed as u16),
        wind_direction_deg: wind.then_some(direction),
        temperature_c,
        pressure_hpa: bit(mb, 35).then(|| bits(mb, 36, 11) as u16),
        turbulence: bit(mb, 47).then(|| bits(mb, 48, 2) as u8),
        humidity_pct: bit(mb, 50).then(|| f64::from(bits(mb, 51, 6)) * (100.0 / 64.0)),
    })
}
