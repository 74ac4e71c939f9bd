//! TC 28 (BDS 6,1): aircraft status.
//!
//! ME layout (ICAO Doc 9871 Table A-2-97, DO-260B §2.2.3.2.7.8):
//!
//! ```text
//! subtype 1: 1-5 TC | 6-8 ST | 9-11 emergency/priority status | 12-24 Mode A code (ID layout) | 25-56 reserved
//! subtype 2: 1-5 TC | 6-8 ST | 9-56 ACAS resolution advisory (kept raw, not decoded)
//! ```
//!
//! Emergency states: 0 none, 1 general, 2 medical (lifeguard), 3 minimum fuel, 4 no
//! communications, 5 unlawful interference, 6 downed aircraft, 7 reserved.

use crate::decode::bits;
use crate::decode::identity::Squawk;

/// An aircraft status message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AircraftStatus {
    /// Subtype: 1 emergency/priority status, 2 ACAS RA broadcast.
    pub subtype: u8,
    /// Emergency/priority state, 0–7 (subtype 1; 0 for subtype 2).
    pub emergency_state: u8,
    /// Mode A code (subtype 1).
    pub squawk: Option<Squawk>,
}

impl AircraftStatus {
    /// The emergency state as rs1090 names it (its `emergency_state` field).
    pub fn emergency_name(&self) -> &'static str {
        match self.emergency_state {
            0 => "none",
            1 => "general",
            2 => "medical",
            3 => "minimum_fuel",
            4 => "no_communication",
            5 => "unlawful_interference",
            6 => "downed_aircraft",
            _ => "reserved",
        }
    }
}

#[inline]
pub(crate) fn decode(me: u64) -> Option<AircraftStatus> {
    match bits(me, 6, 3) {
        1 => Some(AircraftStatus {
            subtype: 1,
            emergency_state: bits(me, 9, 3) as u8,
            squawk: Some(Squawk::from_id13(bits(me, 12, 13))),
        }),
        2 => Some(AircraftStatus { subtype: 2, emergency_state: 0, squawk: None }),
        _ => None,
    }
}
