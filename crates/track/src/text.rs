//! Short text stored inline, so identity fields cost no heap allocation per track.

use std::fmt;

/// Up to `N` bytes of UTF-8 held inline. Longer text is cut at the last character boundary
/// that fits: identity fields have short limits in their sources (an AIS name is 20
/// characters, a call sign 7, ITU-R M.1371-5 table 52; an ADS-B flight identity 8), so
/// `N` is chosen above those and only free-text sources (manual reports) can be cut.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct InlineStr<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> InlineStr<N> {
    /// Capacity in bytes (at most 255, since the length is one byte).
    pub const CAPACITY: usize = if N < 255 { N } else { 255 };

    /// The text, trimmed of surrounding white space and cut to fit; `None` when nothing is
    /// left after trimming.
    pub fn new(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let mut end = text.len().min(Self::CAPACITY);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        let mut bytes = [0u8; N];
        let src = text.as_bytes().get(..end)?;
        bytes.get_mut(..end)?.copy_from_slice(src);
        Some(Self { len: u8::try_from(end).ok()?, bytes })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        // Only whole characters of a `&str` are ever stored.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl<const N: usize> fmt::Debug for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> fmt::Display for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_cuts_at_character_boundaries() {
        assert_eq!(InlineStr::<8>::new("  JP123 ").unwrap().as_str(), "JP123");
        assert!(InlineStr::<8>::new("   ").is_none());
        assert_eq!(InlineStr::<4>::new("ABCDEFG").unwrap().as_str(), "ABCD");
        // "海" is three bytes: four bytes hold "A" and one whole "海" only.
        assert_eq!(InlineStr::<5>::new("A海海").unwrap().as_str(), "A海");
        assert_eq!(InlineStr::<2>::new("海").map(|s| s.len), None);
    }
}
