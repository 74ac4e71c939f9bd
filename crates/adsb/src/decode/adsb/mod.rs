//! DF 17/18 extended squitter: the 56-bit ME field by type code (TC, ME bits 1–5).
//!
//! Frame layout (Annex 10 Vol IV §3.1.2.8.6 and §3.1.2.8.7):
//!
//! ```text
//! DF 17: 1-5 DF | 6-8 CA | 9-32 AA | 33-88 ME | 89-112 PI
//! DF 18: 1-5 DF | 6-8 CF | 9-32 AA | 33-88 ME | 89-112 PI
//! ```
//!
//! Type codes (ICAO Doc 9871 Table A-2-1, DO-260B §2.2.3.2), one file each:
//!
//! | TC | register | message | file |
//! |----|----------|---------|------|
//! | 1–4 | BDS 0,8 | identification and category | [`identification`] |
//! | 5–8 | BDS 0,6 | surface position | [`surface_position`] |
//! | 9–18, 20–22 | BDS 0,5 | airborne position (barometric / GNSS altitude) | [`airborne_position`] |
//! | 19 | BDS 0,9 | airborne velocity | [`airborne_velocity`] |
//! | 28 | BDS 6,1 | aircraft status (emergency, Mode A code) | [`aircraft_status`] |
//! | 29 | BDS 6,2 | target state and status | [`target_state`] |
//! | 31 | BDS 6,5 | operational status | [`operational_status`] |
//!
//! DF 18 (non-transponder devices, TIS-B, ADS-R; DO-260B §2.2.3.1.1) uses the same ME
//! formats for CF 0, 1, 2, 5 and 6 (TIS-B and ADS-R put the IMF flag where ADS-B has a
//! NIC/status bit); CF 3 (coarse TIS-B position), 4 (management) and 7 are kept raw as
//! [`Adsb::Other`]. TC 0 (no position), 23–27 and 30 are [`Adsb::Other`] too.

pub mod airborne_position;
pub mod airborne_velocity;
pub mod aircraft_status;
pub mod identification;
pub mod operational_status;
pub mod surface_position;
pub mod target_state;

pub use airborne_position::AirbornePosition;
pub use airborne_velocity::{AirborneVelocity, VerticalRateSource};
pub use aircraft_status::AircraftStatus;
pub use identification::Identification;
pub use operational_status::OperationalStatus;
pub use surface_position::SurfacePosition;
pub use target_state::TargetState;

use super::bits;

/// An extended squitter: who sent it and what it says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtendedSquitter {
    /// DF 17 capability or DF 18 control field.
    pub source: EsSource,
    /// Type code, ME bits 1–5.
    pub tc: u8,
    /// The decoded ME field.
    pub me: Adsb,
    /// The raw ME field (56 bits), for registers not decoded here.
    pub raw_me: u64,
}

/// The sender of an extended squitter, from DF and CA/CF (DO-260B §2.2.3.1.1, Table 2-11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EsSource {
    /// DF 17: a Mode S transponder; `capability` is CA (0–7).
    Transponder {
        /// CA field.
        capability: u8,
    },
    /// DF 18: CF (0–7): 0/1 non-transponder ADS-B (ICAO / other address), 2 fine TIS-B,
    /// 3 coarse TIS-B, 4 TIS-B/ADS-R management, 5 TIS-B relaying ADS-B (anonymous address),
    /// 6 ADS-R, 7 reserved.
    NonTransponder {
        /// CF field.
        cf: u8,
    },
}

impl EsSource {
    /// rs1090's name for a DF 18 control field (its `tisb` JSON field); `None` for DF 17.
    pub fn tisb_name(self) -> Option<&'static str> {
        match self {
            Self::Transponder { .. } => None,
            Self::NonTransponder { cf } => Some(match cf {
                0 => "ADSB_ES_NT",
                1 => "ADSB_ES_NT_ALT",
                2 => "TISB_FINE",
                3 => "TISB_COARSE",
                4 => "TISB_MANAGE",
                5 => "TISB_ADSB_RELAY",
                6 => "TISB_ADSB",
                _ => "Reserved",
            }),
        }
    }
}

/// The content of an ME field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adsb {
    /// TC 1–4.
    Identification(Identification),
    /// TC 5–8.
    SurfacePosition(SurfacePosition),
    /// TC 9–18 and 20–22.
    AirbornePosition(AirbornePosition),
    /// TC 19, subtypes 1–4.
    AirborneVelocity(AirborneVelocity),
    /// TC 28, subtypes 1 and 2.
    AircraftStatus(AircraftStatus),
    /// TC 29, subtype 1 (version 2).
    TargetState(TargetState),
    /// TC 31, subtypes 0 and 1.
    OperationalStatus(OperationalStatus),
    /// Anything else: TC 0, 23–27, 30, reserved subtypes, DF 18 CF 3/4/7. Kept as
    /// type code and subtype (ME bits 6–8); the raw field is in [`ExtendedSquitter::raw_me`].
    Other {
        /// Type code.
        tc: u8,
        /// ME bits 6–8.
        subtype: u8,
    },
}

/// Decodes DF 17/18 from the first 32 bits and the ME field.
#[inline]
pub(crate) fn decode(df: u8, head: u32, me: u64) -> ExtendedSquitter {
    let ca = ((head >> 24) & 7) as u8;
    let source = if df == 17 {
        EsSource::Transponder { capability: ca }
    } else {
        EsSource::NonTransponder { cf: ca }
    };
    let tc = bits(me, 1, 5) as u8;
    let subtype = bits(me, 6, 3) as u8;
    let adsb_format = df == 17 || matches!(ca, 0 | 1 | 2 | 5 | 6);
    let other = Adsb::Other { tc, subtype };
    let decoded = if !adsb_format {
        other
    } else {
        match tc {
            1..=4 => Adsb::Identification(identification::decode(tc, me)),
            5..=8 => Adsb::SurfacePosition(surface_position::decode(tc, me)),
            9..=18 | 20..=22 => Adsb::AirbornePosition(airborne_position::decode(tc, me)),
            19 => airborne_velocity::decode(me).map_or(other, Adsb::AirborneVelocity),
            28 => aircraft_status::decode(me).map_or(other, Adsb::AircraftStatus),
            29 => target_state::decode(me).map_or(other, Adsb::TargetState),
            31 => operational_status::decode(me).map_or(other, Adsb::OperationalStatus),
            _ => other,
        }
    };
    ExtendedSquitter { source, tc, me: decoded, raw_me: me }
}
