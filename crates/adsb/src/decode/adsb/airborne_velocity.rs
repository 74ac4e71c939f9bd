//! TC 19 (BDS 0,9): airborne velocity.
//!
//! ME layout (ICAO Doc 9871 Table A-2-9a/b, DO-260B §2.2.3.2.6):
//!
//! ```text
//! subtype 1/2 (ground speed):
//!  1-5 TC | 6-8 ST | 9 IC | 10 IFR | 11-13 NACv | 14 Dew | 15-24 Vew | 25 Dns | 26-35 Vns
//!  | 36 VrSrc | 37 Svr | 38-46 VR | 47-48 reserved | 49 SDif | 50-56 dAlt
//! subtype 3/4 (airspeed and heading):
//!  … 11-13 NACv | 14 SH | 15-24 HDG | 25 AS-t | 26-35 AS | 36-56 as above
//! ```
//!
//! - Velocities: 0 = no information, else (value − 1) kt, times 4 for the supersonic subtypes
//!   2 and 4. Dew = 1 means westward, Dns = 1 southward.
//! - HDG: 360/1024 degrees per unit (magnetic or true per the operational status), valid when
//!   SH = 1. AS-t: 0 indicated, 1 true airspeed.
//! - VR: 0 = no information, else (value − 1) × 64 ft/min, Svr = 1 descending. VrSrc:
//!   0 GNSS, 1 barometric.
//! - dAlt: GNSS minus barometric altitude, 0 = no information, else (value − 1) × 25 ft,
//!   SDif = 1 means GNSS below barometric.

use crate::decode::{bit, bits};

/// The altitude a vertical rate was measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerticalRateSource {
    /// GNSS (geometric) height rate.
    Gnss,
    /// Barometric altitude rate.
    Barometric,
}

/// An airborne velocity message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AirborneVelocity {
    /// Subtype, 1–4: 1/2 ground speed (subsonic/supersonic), 3/4 airspeed and heading.
    pub subtype: u8,
    /// IC: intent change flag.
    pub intent_change: bool,
    /// Navigation accuracy category for velocity, 0–7.
    pub nac_v: u8,
    /// Ground speed, knots (subtypes 1/2).
    pub groundspeed_kt: Option<f64>,
    /// Ground track, degrees true (subtypes 1/2).
    pub track_deg: Option<f64>,
    /// Airspeed, knots (subtypes 3/4); indicated or true per `airspeed_true`.
    pub airspeed_kt: Option<u16>,
    /// Whether `airspeed_kt` is true airspeed (otherwise indicated).
    pub airspeed_true: bool,
    /// Heading, degrees (subtypes 3/4).
    pub heading_deg: Option<f64>,
    /// Vertical rate, ft/min, positive up.
    pub vertical_rate_ft_min: Option<i32>,
    /// What the vertical rate was measured on.
    pub vertical_rate_source: VerticalRateSource,
    /// GNSS height minus barometric altitude, feet.
    pub gnss_minus_baro_ft: Option<i32>,
}

/// One signed velocity component in knots: `None` when the field says "no information".
#[inline]
fn component(negative: bool, raw: u32, scale: i32) -> Option<i32> {
    if raw == 0 {
        return None;
    }
    let v = (raw as i32 - 1) * scale;
    Some(if negative { -v } else { v })
}

#[inline]
pub(crate) fn decode(me: u64) -> Option<AirborneVelocity> {
    let subtype = bits(me, 6, 3) as u8;
    if !(1..=4).contains(&subtype) {
        return None;
    }
    let scale = if subtype == 2 || subtype == 4 { 4 } else { 1 };
    let vr = bits(me, 38, 9);
    let vertical_rate_ft_min =
        (vr != 0).then(|| (vr as i32 - 1) * 64 * if bit(me, 37) { -1 } else { 1 });
    let dalt = bits(me, 50, 7);
    let gnss_minus_baro_ft =
        (dalt != 0).then(|| (dalt as i32 - 1) * 25 * if bit(me, 49) { -1 } else { 1 });
    let mut v = AirborneVelocity {
        subtype,
        intent_change: bit(me, 9),
        nac_v: bits(me, 11, 3) as u8,
        groundspeed_kt: None,
        track_deg: None,
        airspeed_kt: None,
        airspeed_true: false,
        heading_deg: None,
        vertical_rate_ft_min,
        vertical_rate_source: if bit(me, 36) {
            VerticalRateSource::Barometric
        } else {
            VerticalRateSource::Gnss
        },
        gnss_minus_baro_ft,
    };
    if subtype <= 2 {
        let ew = component(bit(me, 14), bits(me, 15, 10), scale);
        let ns = component(bit(me, 25), bits(me, 26, 10), scale);
        if let (Some(ew), Some(ns)) = (ew, ns) {
            let (ew, ns) = (f64::from(ew), f64::from(ns));
            v.groundspeed_kt = Some(ew.hypot(ns));
            let track = ew.atan2(ns).to_degrees();
            v.track_deg = Some(if track < 0.0 { track + 360.0 } else { track });
        }
    } else {
        v.heading_deg = bit(me, 14).then(|| f64::from(bits(me, 15, 10)) * (360.0 / 1024.0));
        let airspeed = bits(me, 26, 10);
        v.airspeed_kt = (airspeed != 0).then(|| ((airspeed - 1) * scale as u32) as u16);
        v.airspeed_true = bit(me, 25);
    }
    Some(v)
}
