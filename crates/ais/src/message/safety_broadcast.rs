//! Message 14: safety related broadcast message (ITU-R M.1371-5 Annex 8 §3.12).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 14 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 | 0-966 | safety related text, six-bit characters |
//!
//! At least 40 bits; the text is every whole six-bit character after bit 40 (the last 0-5 bits
//! are padding to a byte boundary), up to [`SAFETY_BROADCAST_TEXT_CHARS_MAX`].

use super::{header, need};
use crate::bits::{AisText, Payload};
use crate::decode::DecodeError;

/// Length of the fixed part.
const BITS_MIN: usize = 40;
/// Most text characters: 966 bits / 6 (five slots); characters beyond are dropped.
pub const SAFETY_BROADCAST_TEXT_CHARS_MAX: usize = 161;

/// Message 14: safety related broadcast message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyBroadcast {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits.
    pub spare: u8,
    /// The text, raw (every character carried, `@` included).
    pub text: AisText<SAFETY_BROADCAST_TEXT_CHARS_MAX>,
}

impl SafetyBroadcast {
    /// Length of the fixed part.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<SafetyBroadcast, DecodeError> {
    need(p, 14, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let chars = ((p.len_bits() - BITS_MIN) / 6).min(SAFETY_BROADCAST_TEXT_CHARS_MAX);
    Ok(SafetyBroadcast { repeat, mmsi, spare: p.u(38, 2) as u8, text: p.text_raw(BITS_MIN, chars) })
}
