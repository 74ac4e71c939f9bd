//! BDS 3,0: ACAS active resolution advisory.
//!
//! MB layout (ICAO Doc 9871 Table A-2-48):
//!
//! ```text
//!  1-8 BDS (0011 0000) | 9-22 ARA | 23-26 RAC | 27 RAT | 28 MTE | 29-30 TTI | 31-56 TID
//! ```
//!
//! Checks (as pyModeS `is30`): the BDS byte, threat type indicator not 3, and ARA bits 16–22
//! below 48 (higher values are reserved for ACAS III).

use crate::decode::{bit, bits};

/// An ACAS resolution advisory report (raw subfields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolutionAdvisory {
    /// Active resolution advisories, 14 bits.
    pub ara: u16,
    /// Resolution advisory complements, 4 bits.
    pub rac: u8,
    /// RA terminated.
    pub terminated: bool,
    /// Multiple threat encounter.
    pub multiple_threats: bool,
    /// Threat type indicator: 1 Mode S address, 2 altitude/range/bearing.
    pub threat_type: u8,
    /// Threat identity data, 26 bits.
    pub threat_identity: u32,
}

pub(crate) fn check(mb: u64) -> Option<ResolutionAdvisory> {
    if bits(mb, 1, 8) != 0x30 || bits(mb, 29, 2) == 3 || bits(mb, 16, 7) >= 48 {
        return None;
    }
    Some(ResolutionAdvisory {
        ara: bits(mb, 9, 14) as u16,
        rac: bits(mb, 23, 4) as u8,
        terminated: bit(mb, 27),
        multiple_threats: bit(mb, 28),
        threat_type: bits(mb, 29, 2) as u8,
        threat_identity: bits(mb, 31, 26),
    })
}
