//! DF 0 and DF 16: air-air surveillance replies to ACAS (TCAS) interrogations.
//!
//! Layout (Annex 10 Vol IV §3.1.2.8.2 and §3.1.2.8.3), bits of the reply:
//!
//! ```text
//! DF 0:  1-5 DF | 6 VS | 7 CC | 8 - | 9-11 SL | 12-13 - | 14-17 RI | 18-19 - | 20-32 AC | 33-56 AP
//! DF 16: 1-5 DF | 6 VS | 7-8 - | 9-11 SL | 12-13 - | 14-17 RI | 18-19 - | 20-32 AC | 33-88 MV | 89-112 AP
//! ```
//!
//! MV (the ACAS coordination reply: resolution advisories) is kept raw.

use super::altitude::ac13_ft;

/// An air-air surveillance reply (DF 0 or 16).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AirAir {
    /// VS: the aircraft is on the ground.
    pub on_ground: bool,
    /// CC: cross-link capability (DF 0 only; `false` for DF 16).
    pub cross_link: bool,
    /// SL: ACAS sensitivity level, 0–7 (0 = ACAS inoperative).
    pub sensitivity_level: u8,
    /// RI: reply information (ACAS capability and maximum airspeed class), 0–15.
    pub reply_information: u8,
    /// Altitude from AC, feet.
    pub altitude_ft: Option<i32>,
    /// MV, the 56 bits of the ACAS message (DF 16 only; 0 for DF 0).
    pub mv: u64,
}

/// Decodes the first 32 bits of a DF 0 reply.
#[inline]
pub(crate) fn decode_head(h: u32) -> AirAir {
    AirAir {
        on_ground: (h >> 26) & 1 == 1,
        cross_link: (h >> 25) & 1 == 1,
        sensitivity_level: ((h >> 21) & 7) as u8,
        reply_information: ((h >> 15) & 0xF) as u8,
        altitude_ft: ac13_ft(h),
        mv: 0,
    }
}

/// Decodes a DF 16 reply from its first 32 bits and its MV field.
#[inline]
pub(crate) fn decode_long(h: u32, mv: u64) -> AirAir {
    AirAir { cross_link: false, mv, ..decode_head(h) }
}
