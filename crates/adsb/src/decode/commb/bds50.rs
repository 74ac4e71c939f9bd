//! BDS 5,0: track and turn report.
//!
//! MB layout (ICAO Doc 9871 Table A-2-80):
//!
//! ```text
//!  1 status | 2 sign | 3-11 roll angle (45/256 deg) | 12 status | 13 sign | 14-23 true track (90/512 deg)
//!  | 24 status | 25-34 ground speed (2 kt) | 35 status | 36 sign | 37-45 track angle rate (8/256 deg/s)
//!  | 46 status | 47-56 true airspeed (2 kt)
//! ```
//!
//! Checks (as pyModeS `is50`): status bits consistent, |roll| ≤ 50°, ground speed and true
//! airspeed ≤ 600 kt, and |TAS − GS| ≤ 200 kt when both are present.

use super::{signed, status_ok};
use crate::decode::{bit, bits};

/// A track and turn report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackAndTurn {
    /// Roll angle, degrees, negative left wing down.
    pub roll_deg: Option<f64>,
    /// True track angle, degrees 0–360.
    pub track_deg: Option<f64>,
    /// Ground speed, knots.
    pub groundspeed_kt: Option<u16>,
    /// Track angle rate, degrees per second.
    pub track_rate_deg_s: Option<f64>,
    /// True airspeed, knots.
    pub true_airspeed_kt: Option<u16>,
}

pub(crate) fn check(mb: u64) -> Option<TrackAndTurn> {
    let ok = status_ok(mb, 1, 3, 11)
        && status_ok(mb, 12, 13, 23)
        && status_ok(mb, 24, 25, 34)
        && status_ok(mb, 35, 36, 45)
        && status_ok(mb, 46, 47, 56);
    if !ok {
        return None;
    }
    let roll_deg = bit(mb, 1).then(|| f64::from(signed(mb, 2, 3, 9)) * (45.0 / 256.0));
    if roll_deg.is_some_and(|r| r.abs() > 50.0) {
        return None;
    }
    let groundspeed_kt = bit(mb, 24).then(|| bits(mb, 25, 10) as u16 * 2);
    let true_airspeed_kt = bit(mb, 46).then(|| bits(mb, 47, 10) as u16 * 2);
    if groundspeed_kt.is_some_and(|v| v > 600) || true_airspeed_kt.is_some_and(|v| v > 600) {
        return None;
    }
    if let (Some(gs), Some(tas)) = (groundspeed_kt, true_airspeed_kt) {
        if gs.abs_diff(tas) > 200 {
            return None;
        }
    }
    let track_deg = bit(mb, 12).then(|| {
        let t = f64::from(signed(mb, 13, 14, 10)) * (90.0 / 512.0);
        if t < 0.0 { t + 360.0 } else { t }
    });
    Some(TrackAndTurn {
        roll_deg,
        track_deg,
        groundspeed_kt,
        track_rate_deg_s: bit(mb, 35).then(|| f64::from(signed(mb, 36, 37, 9)) * (8.0 / 256.0)),
        true_airspeed_kt,
    })
}
