//! DF 4/5 surveillance replies and the common head of DF 20/21 Comm-B replies.
//!
//! Layout (Annex 10 Vol IV §3.1.2.6.5 and §3.1.2.6.7), bits of the reply:
//!
//! ```text
//!  1-5 DF | 6-8 FS | 9-13 DR | 14-19 UM | 20-32 AC (DF 4/20) or ID (DF 5/21) | 33-56 AP
//! ```
//!
//! For DF 20/21 the 56-bit MB field sits between ID/AC and AP (bits 33–88).

use super::altitude::ac13_ft;
use super::identity::Squawk;

/// Flight status (FS), Annex 10 Vol IV §3.1.2.6.5.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlightStatus(pub u8);

impl FlightStatus {
    /// Airborne (`Some(false)`), on the ground (`Some(true)`), or unknown (FS 2–5).
    pub fn on_ground(self) -> Option<bool> {
        match self.0 {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// Alert: the Mode A code was changed (FS 2–4).
    pub fn alert(self) -> bool {
        matches!(self.0, 2..=4)
    }

    /// Special position identification (FS 4, 5).
    pub fn spi(self) -> bool {
        matches!(self.0, 4 | 5)
    }
}

/// The head shared by DF 4, 5, 20 and 21.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Surveillance {
    /// Flight status.
    pub flight_status: FlightStatus,
    /// Downlink request (DR), 5 bits.
    pub downlink_request: u8,
    /// Utility message (UM), 6 bits.
    pub utility_message: u8,
    /// Altitude from AC (DF 4/20), feet.
    pub altitude_ft: Option<i32>,
    /// Mode A code from ID (DF 5/21).
    pub squawk: Option<Squawk>,
}

#[inline]
fn head(h: u32) -> Surveillance {
    Surveillance {
        flight_status: FlightStatus(((h >> 24) & 7) as u8),
        downlink_request: ((h >> 19) & 0x1F) as u8,
        utility_message: ((h >> 13) & 0x3F) as u8,
        altitude_ft: None,
        squawk: None,
    }
}

/// Decodes the first 32 bits of a DF 4/20 reply.
#[inline]
pub(crate) fn decode_altitude(h: u32) -> Surveillance {
    Surveillance { altitude_ft: ac13_ft(h), ..head(h) }
}

/// Decodes the first 32 bits of a DF 5/21 reply.
#[inline]
pub(crate) fn decode_identity(h: u32) -> Surveillance {
    Surveillance { squawk: Some(Squawk::from_id13(h & 0x1FFF)), ..head(h) }
}
