//! TC 1–4 (BDS 0,8): aircraft identification and category.
//!
//! ME layout (ICAO Doc 9871 Table A-2-8, DO-260B §2.2.3.2.5):
//!
//! ```text
//!  1-5 TC | 6-8 CA (category) | 9-14 ch1 | 15-20 ch2 | … | 51-56 ch8
//! ```
//!
//! The category set depends on TC: 4 = set A (aircraft by weight), 3 = set B (gliders,
//! balloons, UAVs…), 2 = set C (surface vehicles, obstacles), 1 = set D (reserved).

use crate::decode::bits;
use crate::decode::callsign::Callsign;

/// An identification message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Identification {
    /// Type code, 1–4 (the category set).
    pub tc: u8,
    /// Emitter category within the set, 0–7 (0 = no information).
    pub category: u8,
    /// The identification characters.
    pub callsign: Callsign,
}

impl Identification {
    /// The emitter category as rs1090 names it (its `wake_vortex` field).
    pub fn wake_vortex(&self) -> &'static str {
        match (self.tc, self.category) {
            (1, _) => "Reserved",
            (_, 0) => "n/a",
            (2, 1) => "Surface emergency vehicle",
            (2, 3) => "Surface service vehicle",
            (2, _) => "Obstruction",
            (3, 1) => "Glider",
            (3, 2) => "Lighter than air",
            (3, 3) => "Parachutist",
            (3, 4) => "Ultralight",
            (3, 6) => "UAV",
            (3, 7) => "Space",
            (4, 1) => "<7000kg",
            (4, 2) => "<34,000kg",
            (4, 3) => "<136,000kg",
            (4, 4) => "High vortex",
            (4, 5) => "Heavy",
            (4, 6) => "High performance",
            (4, 7) => "Rotorcraft",
            _ => "Reserved",
        }
    }
}

#[inline]
pub(crate) fn decode(tc: u8, me: u64) -> Identification {
    Identification {
        tc,
        category: bits(me, 6, 3) as u8,
        callsign: Callsign::from_bits(me & 0xFFFF_FFFF_FFFF),
    }
}
