//! NMEA 4.10 tag blocks: the `\key:value,...*hh\` prefix that carries source, time and
//! grouping ahead of a sentence.
//!
//! Parsed keys are the NMEA 4.10 ones (`c:` Unix time, `d:` destination, `g:` sentence group,
//! `n:` line count, `r:` relative time, `s:` source, `t:` text) plus the two that ORBCOMM
//! feeds add and libais reports (`q:` quality, `T:` a human-readable time). Values are
//! borrowed from the line. Unknown keys are tolerated and left in [`TagBlock::raw`]; a known
//! key whose value the framing relies on (`c:`, `g:`, `n:`) is an error when malformed,
//! because a wrong time or group is worse than none. Tag-block lines that stand alone (the
//! NMEA 4.10 form where a tag block precedes sentences of its group on its own line) are
//! returned as data; this module does not carry state from one line to the next.

use crate::error::FrameError;
use crate::num::{Fields, dec_u32, epoch_ms, hex2, xor};

/// A tag-block sentence group (`g:<number>-<count>-<id>`): sentence `number` of `count`
/// sentences that belong together, all carrying the same group `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TagGroup {
    /// This sentence's position in the group, from 1.
    pub number: u16,
    /// Number of sentences in the group.
    pub count: u16,
    /// Group identifier shared by all sentences of the group.
    pub id: u32,
}

/// A parsed NMEA 4.10 tag block.
///
/// The fields the framing itself needs (`s:`, `c:`, `g:`, `n:`) are parsed eagerly; the
/// rest are read on demand from [`TagBlock::raw`] by the accessor methods, which keeps the
/// struct (and every [`crate::Sentence`] that carries one) small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagBlock<'a> {
    /// The fields between the opening `\` and `*`, unparsed (includes unknown keys).
    pub raw: &'a str,
    /// `s:` source (receiver or station identifier), e.g. `rORBCOMM008`.
    pub source: Option<&'a str>,
    /// `c:` Unix time of reception, in milliseconds (written as seconds by NMEA 4.10; values
    /// of 10^11 and above are taken as milliseconds, as some receivers write them).
    pub unix_time_ms: Option<i64>,
    /// `g:` sentence group (or its NMEA 4.00 form `<n>G<m>:<id>`).
    pub group: Option<TagGroup>,
    /// `n:` line count.
    pub line_count: Option<u32>,
    /// Whether the `*hh` checksum was present and matched. Always `true` unless
    /// [`crate::ParseOptions::lenient_tag_checksum`] is set.
    pub checksum_ok: bool,
}

impl<'a> TagBlock<'a> {
    /// The value of the first field with one-letter key `key`, as written.
    pub fn field(&self, key: u8) -> Option<&'a str> {
        let raw = self.raw.as_bytes();
        Fields::new(raw).find_map(|f| match f {
            [k, b':', ..] if *k == key => {
                // `f` is a subslice of `raw`; its offset locates the value in the `str`.
                let start = f.as_ptr() as usize - raw.as_ptr() as usize;
                self.raw.get(start + 2..start + f.len())
            }
            _ => None,
        })
    }

    /// `d:` destination identifier.
    pub fn destination(&self) -> Option<&'a str> {
        self.field(b'd')
    }

    /// `r:` relative time, as written (its unit is not fixed by the standard).
    pub fn relative_time(&self) -> Option<&'a str> {
        self.field(b'r')
    }

    /// `t:` free text (some providers write a feed name or a second epoch here).
    pub fn text(&self) -> Option<&'a str> {
        self.field(b't')
    }

    /// `q:` reception quality flag (ORBCOMM extension).
    pub fn quality(&self) -> Option<&'a str> {
        self.field(b'q')
    }

    /// `T:` human-readable time text (ORBCOMM extension), e.g. `2014-12-10 00.41.53`.
    pub fn time_text(&self) -> Option<&'a str> {
        self.field(b'T')
    }
}

/// Parses the tag block at the start of `line` (which begins with `\`).
///
/// Returns the tag block and the bytes after its closing `\`.
pub(crate) fn parse_tag_block(
    line: &[u8],
    lenient_checksum: bool,
) -> Result<(TagBlock<'_>, &[u8]), FrameError> {
    let inner = line.get(1..).unwrap_or_default();
    let Some(close) = memchr::memchr(b'\\', inner) else {
        return Err(FrameError::UnterminatedTagBlock);
    };
    let body = &inner[..close];
    let rest = &inner[close + 1..];

    let (fields, checksum_ok) = match body.iter().rposition(|&b| b == b'*') {
        Some(star) => {
            let fields = &body[..star];
            let written = &body[star + 1..];
            let computed = xor(fields);
            match (written.len(), hex2(written)) {
                (2, Some(found)) if found == computed => (fields, true),
                (2, Some(found)) if !lenient_checksum => {
                    return Err(FrameError::TagBlockChecksum { expected: computed, found });
                }
                _ if !lenient_checksum => return Err(FrameError::MissingTagBlockChecksum),
                _ => (fields, false),
            }
        }
        None if !lenient_checksum => return Err(FrameError::MissingTagBlockChecksum),
        None => (body, false),
    };

    let raw = std::str::from_utf8(fields).map_err(|_| FrameError::NotUtf8)?;
    let mut tags = TagBlock { raw, checksum_ok, ..TagBlock::default() };
    let mut remaining = fields;
    while !remaining.is_empty() {
        let end = remaining.iter().position(|&b| b == b',').unwrap_or(remaining.len());
        let field = &remaining[..end];
        let offset = fields.len() - remaining.len();
        remaining = remaining.get(end + 1..).unwrap_or_default();
        match field {
            [b's', b':', ..] => tags.source = raw.get(offset + 2..offset + end),
            [b'c', b':', value @ ..] => {
                tags.unix_time_ms = Some(epoch_ms(value).ok_or(FrameError::BadTagBlock {
                    key: 'c',
                    reason: "time is not a decimal Unix epoch",
                })?);
            }
            [b'g', b':', value @ ..] => tags.group = Some(parse_group(value)?),
            [b'n', b':', value @ ..] => {
                tags.line_count = Some(dec_u32(value).ok_or(FrameError::BadTagBlock {
                    key: 'n',
                    reason: "line count is not a decimal number",
                })?);
            }
            [b'0'..=b'9', ..] if field.contains(&b'G') => {
                tags.group = Some(parse_nmea400_group(field)?);
            }
            // Other keys are read on demand; fields without a one-letter key carry nothing.
            _ => {}
        }
    }
    Ok((tags, rest))
}

/// Parses `<number>-<count>-<id>`.
fn parse_group(value: &[u8]) -> Result<TagGroup, FrameError> {
    const MALFORMED: FrameError = FrameError::BadTagBlock {
        key: 'g',
        reason: "group is not <number>-<count>-<id> with 1 <= number <= count",
    };
    let mut parts = value.split(|&b| b == b'-');
    let mut next = || parts.next().and_then(dec_u32);
    let (Some(number), Some(count), Some(id)) = (next(), next(), next()) else {
        return Err(MALFORMED);
    };
    if parts.next().is_some() {
        return Err(MALFORMED);
    }
    make_group(number, count, id).ok_or(MALFORMED)
}

/// Parses the NMEA 4.00 form of a group, `<number>G<count>:<id>` (e.g. `1G2:0125`), which
/// NMEA 4.10 replaced with `g:`; Danish AIS network captures still carry it.
fn parse_nmea400_group(field: &[u8]) -> Result<TagGroup, FrameError> {
    const MALFORMED: FrameError = FrameError::BadTagBlock {
        key: 'G',
        reason: "group is not <number>G<count>:<id> with 1 <= number <= count",
    };
    let (Some(g), Some(colon)) =
        (field.iter().position(|&b| b == b'G'), field.iter().position(|&b| b == b':'))
    else {
        return Err(MALFORMED);
    };
    if colon < g {
        return Err(MALFORMED);
    }
    let number = dec_u32(&field[..g]);
    let count = dec_u32(&field[g + 1..colon]);
    let id = dec_u32(&field[colon + 1..]);
    match (number, count, id) {
        (Some(n), Some(c), Some(id)) => make_group(n, c, id).ok_or(MALFORMED),
        _ => Err(MALFORMED),
    }
}

fn make_group(number: u32, count: u32, id: u32) -> Option<TagGroup> {
    let number = u16::try_from(number).ok()?;
    let count = u16::try_from(count).ok()?;
    (number != 0 && count != 0 && number <= count).then_some(TagGroup { number, count, id })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn orbcomm_group_tag_block() {
        // libais tagblock.nmea, first line.
        let line = br"\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\!AIVDM";
        let (t, rest) = parse_tag_block(line, false).unwrap();
        assert_eq!(rest, b"!AIVDM");
        assert_eq!(t.source, Some("rORBCOMM008"));
        assert_eq!(t.unix_time_ms, Some(1_418_169_601_000));
        assert_eq!(t.time_text(), Some("2014-12-10 00.00.01"));
        assert_eq!(t.quality(), None);
        assert_eq!(t.group, Some(TagGroup { number: 1, count: 2, id: 1604 }));
        assert!(t.checksum_ok);
    }

    #[test]
    fn malformed_groups_are_errors() {
        for g in ["1-2--001", "2-1-1", "0-2-5", "1-2", "1-2-3-4", "a-2-3", ""] {
            let err = parse_group(g.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), "bad_tag_block", "{g}");
        }
    }

    #[test]
    fn checksum_strict_and_lenient() {
        // amsa-risky nmea-timestamped.txt writes 00 where the checksum belongs.
        let line = br"\c:1420030798*00\!";
        assert_eq!(
            parse_tag_block(line, false).unwrap_err(),
            FrameError::TagBlockChecksum { expected: 0x5B, found: 0 }
        );
        let (t, _) = parse_tag_block(line, true).unwrap();
        assert!(!t.checksum_ok);
        assert_eq!(t.unix_time_ms, Some(1_420_030_798_000));
        // One hex digit (pyais mixed.txt) is not a checksum.
        assert_eq!(
            parse_tag_block(br"\g:1-2-73874*A\!", false).unwrap_err(),
            FrameError::MissingTagBlockChecksum
        );
        assert_eq!(parse_tag_block(br"\s:x", false).unwrap_err(), FrameError::UnterminatedTagBlock);
    }
}
