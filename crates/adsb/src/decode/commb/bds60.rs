//! BDS 6,0: heading and speed report.
//!
//! MB layout (ICAO Doc 9871 Table A-2-96):
//!
//! ```text
//!  1 status | 2 sign | 3-12 magnetic heading (90/512 deg) | 13 status | 14-23 indicated airspeed (kt)
//!  | 24 status | 25-34 Mach (2.048/512) | 35 status | 36 sign | 37-45 barometric altitude rate (32 ft/min)
//!  | 46 status | 47 sign | 48-56 inertial vertical velocity (32 ft/min)
//! ```
//!
//! Checks (as pyModeS `is60`): status bits consistent, IAS ≤ 500 kt, Mach ≤ 1, both vertical
//! rates within ±6000 ft/min, and for DF 20 (which carries the altitude) the IAS within
//! 20 kt of the calibrated airspeed that the Mach number gives at that altitude in the ICAO
//! standard atmosphere (Doc 7488).

use super::{signed, status_ok};
use crate::decode::{bit, bits};

/// A heading and speed report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadingAndSpeed {
    /// Magnetic heading, degrees 0–360.
    pub heading_deg: Option<f64>,
    /// Indicated airspeed, knots.
    pub indicated_airspeed_kt: Option<u16>,
    /// Mach number.
    pub mach: Option<f64>,
    /// Barometric altitude rate, ft/min.
    pub baro_vertical_rate_ft_min: Option<i32>,
    /// Inertial vertical velocity, ft/min.
    pub inertial_vertical_rate_ft_min: Option<i32>,
}

/// Knots to metres per second.
const KT_M_S: f64 = 0.514444;
/// Feet to metres.
const FT_M: f64 = 0.3048;

pub(crate) fn check(mb: u64, altitude_ft: Option<i32>) -> Option<HeadingAndSpeed> {
    let ok = status_ok(mb, 1, 2, 12)
        && status_ok(mb, 13, 14, 23)
        && status_ok(mb, 24, 25, 34)
        && status_ok(mb, 35, 36, 45)
        && status_ok(mb, 46, 47, 56);
    if !ok {
        return None;
    }
    let ias = bit(mb, 13).then(|| bits(mb, 14, 10) as u16);
    if ias.is_some_and(|v| v > 500) {
        return None;
    }
    let mach = bit(mb, 24).then(|| f64::from(bits(mb, 25, 10)) * 2.048 / 512.0);
    if mach.is_some_and(|m| m > 1.0) {
        return None;
    }
    let baro = bit(mb, 35).then(|| signed(mb, 36, 37, 9) * 32);
    let inertial = bit(mb, 46).then(|| signed(mb, 47, 48, 9) * 32);
    if baro.is_some_and(|v| v.abs() > 6000) || inertial.is_some_and(|v| v.abs() > 6000) {
        return None;
    }
    if let (Some(m), Some(i), Some(alt)) = (mach, ias, altitude_ft) {
        let cas_kt = isa::mach_to_cas_m_s(m, f64::from(alt) * FT_M) / KT_M_S;
        if (f64::from(i) - cas_kt).abs() > 20.0 {
            return None;
        }
    }
    Some(HeadingAndSpeed {
        heading_deg: bit(mb, 1).then(|| {
            let h = f64::from(signed(mb, 2, 3, 10)) * (90.0 / 512.0);
            if h < 0.0 { h + 360.0 } else { h }
        }),
        indicated_airspeed_kt: ias,
        mach,
        baro_vertical_rate_ft_min: baro,
        inertial_vertical_rate_ft_min: inertial,
    })
}

/// The ICAO standard atmosphere (Doc 7488) up to 20 km, for the Mach/airspeed check.
mod isa {
    /// Specific gas constant of dry air, J/(kg·K).
    const R: f64 = 287.052_87;
    /// Ratio of specific heats of air.
    const GAMMA: f64 = 1.4;
    /// Sea-level pressure, Pa.
    const P0: f64 = 101_325.0;
    /// Sea-level density, kg/m³.
    const RHO0: f64 = 1.225;
    /// Sea-level temperature, K.
    const T0: f64 = 288.15;
    /// Tropospheric lapse rate, K/m.
    const LAPSE: f64 = 0.0065;
    /// Tropopause temperature (from 11 km), K.
    const T11: f64 = 216.65;
    /// Standard gravity, m/s².
    const G0: f64 = 9.806_65;

    /// Pressure (Pa) and density (kg/m³) at geopotential altitude `h_m`.
    fn pressure_density(h_m: f64) -> (f64, f64, f64) {
        let t = (T0 - LAPSE * h_m).max(T11);
        let rho_trop = RHO0 * (t / T0).powf(G0 / (R * LAPSE) - 1.0);
        let above = (h_m - 11_000.0).max(0.0);
        let rho = rho_trop * (-above * G0 / (R * T11)).exp();
        (rho * R * t, rho, t)
    }

    /// Calibrated airspeed (m/s) from Mach number at altitude `h_m`, through true airspeed
    /// and the impact pressure of compressible flow.
    pub(super) fn mach_to_cas_m_s(mach: f64, h_m: f64) -> f64 {
        let (p, rho, t) = pressure_density(h_m);
        let tas = mach * (GAMMA * R * t).sqrt();
        let qc = p * ((1.0 + rho * tas * tas / (7.0 * p)).powf(3.5) - 1.0);
        (7.0 * P0 / RHO0 * ((qc / P0 + 1.0).powf(2.0 / 7.0) - 1.0)).sqrt()
    }
}
