//! Message 12: addressed safety related message (ITU-R M.1371-5 Annex 8 §3.10).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 12 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | sequence number |
//! |  40 |  30 | destination MMSI |
//! |  70 |   1 | retransmit flag |
//! |  71 |   1 | spare |
//! |  72 | 0-936 | safety related text, six-bit characters |
//!
//! At least 72 bits; the text is every whole six-bit character after bit 72 (the last 0-5 bits
//! are padding to a byte boundary), up to [`ADDRESSED_SAFETY_TEXT_CHARS_MAX`].

use super::{header, need};
use crate::bits::{AisText, Payload};
use crate::decode::DecodeError;

/// Length of the fixed part.
const BITS_MIN: usize = 72;
/// Most text characters: 936 bits / 6 (five slots); characters beyond are dropped.
pub const ADDRESSED_SAFETY_TEXT_CHARS_MAX: usize = 156;

/// Message 12: addressed safety related message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressedSafety {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Sequence number (0-3).
    pub seq: u8,
    /// Destination MMSI.
    pub dest_mmsi: u32,
    /// Retransmit flag: true = retransmitted.
    pub retransmit: bool,
    /// The spare bit.
    pub spare: bool,
    /// The text, raw (every character carried, `@` included).
    pub text: AisText<ADDRESSED_SAFETY_TEXT_CHARS_MAX>,
}

impl AddressedSafety {
    /// Length of the fixed part.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<AddressedSafety, DecodeError> {
    need(p, 12, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let chars = ((p.len_bits() - BITS_MIN) / 6).min(ADDRESSED_SAFETY_TEXT_CHARS_MAX);
    Ok(AddressedSafety {
        repeat,
        mmsi,
        seq: p.u(38, 2) as u8,
        dest_mmsi: p.u(40, 30) as u32,
        retransmit: p.flag(70),
        spare: p.flag(71),
        text: p.text_raw(BITS_MIN, chars),
    })
}
