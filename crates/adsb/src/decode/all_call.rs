//! DF 11: all-call reply (and acquisition squitter).
//!
//! Layout (Annex 10 Vol IV §3.1.2.5.2.2), bits of the reply:
//!
//! ```text
//!  1-5 DF | 6-8 CA | 9-32 AA | 33-56 PI
//! ```
//!
//! CA (capability): 0 level 1 transponder, 4 level 2+ on the ground, 5 level 2+ airborne,
//! 6 level 2+ either, 7 see DR/FS; 1–3 reserved.

/// An all-call reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllCall {
    /// CA, 0–7.
    pub capability: u8,
}

/// Decodes the first 32 bits of a DF 11 reply.
#[inline]
pub(crate) fn decode_head(h: u32) -> AllCall {
    AllCall { capability: ((h >> 24) & 7) as u8 }
}
