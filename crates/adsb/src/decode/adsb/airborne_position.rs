//! TC 9–18 and 20–22 (BDS 0,5): airborne position.
//!
//! ME layout (ICAO Doc 9871 Table A-2-5, DO-260B §2.2.3.2.3):
//!
//! ```text
//!  1-5 TC | 6-7 SS | 8 NIC-B (SAF in v0) | 9-20 ALT | 21 T | 22 F | 23-39 LAT-CPR | 40-56 LON-CPR
//! ```
//!
//! ALT is the barometric altitude code (the AC field without M, see
//! [`crate::decode::altitude`]) for TC 9–18 and the GNSS height above the ellipsoid for
//! TC 20–22. DO-260B defines both in the same paragraph with the same coding; pyModeS
//! instead reads TC 20–22 as metres, which gives heights a third of the barometric altitude
//! the same aircraft reports. This decoder follows the standard (and rs1090).
//!
//! Version 0 transponders imply the navigation uncertainty from TC: NUCp = 18 − TC for
//! TC 9–18, and 9, 8, 0 for TC 20, 21, 22 (DO-260 §2.2.3.2.3.1).

use crate::cpr::CprPosition;
use crate::decode::altitude::ac12_ft;
use crate::decode::{bit, bits};

/// An airborne position message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AirbornePosition {
    /// Type code, 9–18 or 20–22.
    pub tc: u8,
    /// Surveillance status (SS), 0–3: 0 none, 1 permanent alert, 2 temporary alert, 3 SPI.
    pub surveillance_status: u8,
    /// ME bit 8: NIC supplement B (version 2), single antenna flag (versions 0/1).
    pub nic_b: bool,
    /// Altitude in feet: barometric for TC 9–18, GNSS height (HAE) for TC 20–22.
    pub altitude_ft: Option<i32>,
    /// T: the position is synchronised to UTC time.
    pub time_sync: bool,
    /// The CPR-encoded position.
    pub cpr: CprPosition,
}

impl AirbornePosition {
    /// Whether the altitude is GNSS height (TC 20–22) rather than barometric.
    pub fn gnss_altitude(&self) -> bool {
        self.tc >= 20
    }

    /// Navigation uncertainty category for position implied by TC (version 0 meaning).
    pub fn nuc_p(&self) -> u8 {
        match self.tc {
            9..=18 => 18 - self.tc,
            20 => 9,
            21 => 8,
            _ => 0,
        }
    }
}

#[inline]
pub(crate) fn decode(tc: u8, me: u64) -> AirbornePosition {
    AirbornePosition {
        tc,
        surveillance_status: bits(me, 6, 2) as u8,
        nic_b: bit(me, 8),
        altitude_ft: ac12_ft(bits(me, 9, 12)),
        time_sync: bit(me, 21),
        cpr: CprPosition {
            lat_cpr: bits(me, 23, 17),
            lon_cpr: bits(me, 40, 17),
            odd: bit(me, 22),
            surface: false,
        },
    }
}
