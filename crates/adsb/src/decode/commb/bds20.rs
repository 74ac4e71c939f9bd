//! BDS 2,0: aircraft identification.
//!
//! MB layout (ICAO Doc 9871 Table A-2-32): `1-8 BDS (0010 0000) | 9-56 eight 6-bit characters`
//! (the character code of ADS-B identification, see [`crate::decode::callsign`]).
//!
//! Checks (as pyModeS `is20`): the BDS byte, and no unassigned character unless all
//! characters are zero.

use crate::decode::bits;
use crate::decode::callsign::Callsign;

pub(crate) fn check(mb: u64) -> Option<Callsign> {
    if bits(mb, 1, 8) != 0x20 {
        return None;
    }
    let chars = mb & 0xFFFF_FFFF_FFFF;
    let cs = Callsign::from_bits(chars);
    if chars != 0 && cs.has_invalid() {
        return None;
    }
    Some(cs)
}
