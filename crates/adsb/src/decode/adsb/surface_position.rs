//! TC 5–8 (BDS 0,6): surface position.
//!
//! ME layout (ICAO Doc 9871 Table A-2-6, DO-260B §2.2.3.2.4):
//!
//! ```text
//!  1-5 TC | 6-12 MOV | 13 S (track status) | 14-20 TRK | 21 T | 22 F | 23-39 LAT-CPR | 40-56 LON-CPR
//! ```
//!
//! Movement is a non-linear ground speed code (DO-260B Table 2-17): 0 no information,
//! 1 stopped, 2–8 from 0.125 kt in 0.125 kt steps, 9–12 from 1 kt in 0.25 kt steps,
//! 13–38 from 2 kt in 0.5 kt steps, 39–93 from 15 kt in 1 kt steps, 94–108 from 70 kt in
//! 2 kt steps, 109–123 from 100 kt in 5 kt steps, 124 at least 175 kt, 125–127 reserved.
//! Track is 360/128 degrees per unit, valid when S = 1.

use crate::cpr::CprPosition;
use crate::decode::{bit, bits};

/// A surface position message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurfacePosition {
    /// Type code, 5–8.
    pub tc: u8,
    /// Ground speed in knots (the lower bound of the movement code's interval).
    pub groundspeed_kt: Option<f64>,
    /// Ground track, degrees true.
    pub track_deg: Option<f64>,
    /// T: the position is synchronised to UTC time.
    pub time_sync: bool,
    /// The CPR-encoded position.
    pub cpr: CprPosition,
}

impl SurfacePosition {
    /// Navigation uncertainty category for position implied by TC (version 0 meaning).
    pub fn nuc_p(&self) -> u8 {
        14u8.saturating_sub(self.tc)
    }
}

/// Ground speed in knots from the 7-bit movement code.
pub fn movement_kt(mov: u32) -> Option<f64> {
    let m = f64::from(mov);
    Some(match mov {
        1 => 0.0,
        2..=8 => 0.125 * (m - 1.0),
        9..=12 => 1.0 + 0.25 * (m - 9.0),
        13..=38 => 2.0 + 0.5 * (m - 13.0),
        39..=93 => 15.0 + (m - 39.0),
        94..=108 => 70.0 + 2.0 * (m - 94.0),
        109..=123 => 100.0 + 5.0 * (m - 109.0),
        124 => 175.0,
        _ => return None,
    })
}

#[inline]
pub(crate) fn decode(tc: u8, me: u64) -> SurfacePosition {
    SurfacePosition {
        tc,
        groundspeed_kt: movement_kt(bits(me, 6, 7)),
        track_deg: bit(me, 13).then(|| f64::from(bits(me, 14, 7)) * (360.0 / 128.0)),
        time_sync: bit(me, 21),
        cpr: CprPosition {
            lat_cpr: bits(me, 23, 17),
            lon_cpr: bits(me, 40, 17),
            odd: bit(me, 22),
            surface: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::movement_kt;

    #[test]
    fn movement_intervals_join() {
        assert_eq!(movement_kt(0), None);
        assert_eq!(movement_kt(1), Some(0.0));
        assert_eq!(movement_kt(8), Some(0.875));
        assert_eq!(movement_kt(9), Some(1.0));
        assert_eq!(movement_kt(13), Some(2.0));
        assert_eq!(movement_kt(15), Some(3.0));
        assert_eq!(movement_kt(39), Some(15.0));
        assert_eq!(movement_kt(94), Some(70.0));
        assert_eq!(movement_kt(109), Some(100.0));
        assert_eq!(movement_kt(124), Some(175.0));
        assert_eq!(movement_kt(125), None);
    }
}
