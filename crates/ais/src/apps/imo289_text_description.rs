//! DAC 1 FI 29 (message 8, broadcast) and FI 30 (message 6, addressed): text description,
//! IMO SN.1/Circ.289 Annex.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 10 | message linkage ID | |
//! | 10 | 6 × n | text | six-bit characters up to the end of the payload |
//!
//! The text is cut at the first `@` and stripped of trailing spaces, as gpsd prints it.

use super::put_text;
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// Text description (DAC 1 FI 29 broadcast, FI 30 addressed; IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDescription {
    /// Message linkage ID, tying this text to another application message.
    pub linkage: u16,
    /// The text.
    pub text: AisText,
}

impl TextDescription {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let text_start = s + 10;
        let chars = p.len_bits().saturating_sub(text_start) / 6;
        Some(Self { linkage: p.u(s, 10) as u16, text: p.text(text_start, chars) })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("linkage", self.linkage.into());
        w.str("text", self.text.as_str());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_text_description");
        w.u64("linkage", self.linkage.into());
        put_text(w, "text", self.text.as_str());
    }
}
