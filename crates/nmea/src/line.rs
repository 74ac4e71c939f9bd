//! Framing of one line: [`parse_line`] turns the bytes of a line into a [`Sentence`] or says
//! why the line is skipped or broken.
//!
//! The work is a short pass over the line's bytes with no allocation: one scan finds `*`
//! while XOR-ing the bytes before it (eight at a time), the four short leading fields are
//! read in place, the fill-bit field is taken from the end, and the payload between is
//! checked against the armoring alphabet sixteen bytes at a time. Everything returned
//! borrows from the line. Each line is framed on its own, so nothing here knows about the line before (a
//! `$PGHP` header or a stand-alone tag block is returned for the caller to apply) or about
//! the other fragments of a multi-sentence message (that is [`crate::Reassembler`]'s job).

use crate::error::FrameError;
use crate::num::{all_armor, hex2, is_armor, xor_until_star};
use crate::tag_block::{TagBlock, parse_tag_block};
use crate::wrapper::{Pghp, parse_pghp, parse_trailer, split_after_checksum, split_epoch_prefix};

/// Longest line [`parse_line`] accepts, in bytes.
///
/// An NMEA 0183 sentence is at most 82 bytes and a tag block at most 80 more; with USCG
/// receiver fields and a few sentences run together a real line stays under 1 KiB.
/// 4 KiB bounds the work per line while leaving room for long comment lines (gpsd's test
/// files have 659-byte ones).
pub const MAX_LINE_BYTES: usize = 4096;

/// Most fragments one message may be split into. The fragment count field is one digit
/// (IEC 61162-1 VDM/VDO field 1), and ITU-R M.1371 messages span at most 5 slots.
pub const MAX_FRAGMENTS: u8 = 9;

/// How strictly checksums are enforced. [`Default`] is strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// Accept `VDM`/`VDO` (and `$PGHP`) sentences whose checksum does not match, flagging
    /// them with `checksum_ok == false` instead of failing with
    /// [`FrameError::BadChecksum`]. A missing or malformed checksum is still an error.
    pub lenient_checksum: bool,
    /// Accept tag blocks whose checksum does not match or is missing, flagging them with
    /// [`TagBlock::checksum_ok`] `== false`. Some receivers write `*00` on every tag block.
    pub lenient_tag_checksum: bool,
}

impl ParseOptions {
    /// Both checksums enforced (the default).
    pub const STRICT: ParseOptions =
        ParseOptions { lenient_checksum: false, lenient_tag_checksum: false };
    /// Both checksums accepted with a flag when wrong.
    pub const LENIENT: ParseOptions =
        ParseOptions { lenient_checksum: true, lenient_tag_checksum: true };
}

/// What one line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// An AIS `VDM` or `VDO` sentence.
    Sentence(Sentence<'a>),
    /// A line with no AIS sentence; some kinds carry data the caller may use.
    Skipped(Skipped<'a>),
}

/// A line that holds no AIS sentence but is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped<'a> {
    /// Empty or whitespace only.
    Blank,
    /// A `#` comment.
    Comment,
    /// Another NMEA sentence (`$GPGGA`, `$AIALR`, `!AIPWR`, …), not checked further.
    OtherNmea {
        /// The sentence address without its start delimiter (`GPGGA`), at most 16 bytes.
        address: &'a [u8],
    },
    /// A Gatehouse `$PGHP` header describing the sentence on the next line.
    Pghp(Pghp<'a>),
    /// A tag block with nothing after it.
    TagBlockOnly(TagBlock<'a>),
}

impl Skipped<'_> {
    /// A stable short `snake_case` name of the kind, for counting.
    pub fn kind(&self) -> &'static str {
        match self {
            Skipped::Blank => "blank",
            Skipped::Comment => "comment",
            Skipped::OtherNmea { .. } => "other_nmea",
            Skipped::Pghp(_) => "pghp",
            Skipped::TagBlockOnly(_) => "tag_block_only",
        }
    }
}

/// One framed `!xxVDM` / `!xxVDO` sentence, borrowing from its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// The two-byte talker identifier (`AI`, `AB`, `BS`, `=I`, `--`, …).
    pub talker: [u8; 2],
    /// `true` for `VDO` (own-ship report), `false` for `VDM`.
    pub own_ship: bool,
    /// Number of fragments of the message, 1..=[`MAX_FRAGMENTS`].
    pub fragment_count: u8,
    /// This fragment's number, 1..=`fragment_count`.
    pub fragment_number: u8,
    /// Sequential message identifier tying fragments together (empty field: `None`).
    pub sequence_id: Option<u8>,
    /// Radio channel byte as written (`A`, `B`, `1`, `2`, …; empty field: `None`).
    pub channel: Option<u8>,
    /// The armored six-bit payload, validated to be in the armoring alphabet.
    pub payload: &'a [u8],
    /// Fill bits at the end of the payload, 0..=5.
    pub fill_bits: u8,
    /// The checksum written after `*` (a preceding `$PGHP` header names it, which ties the
    /// header to this sentence).
    pub checksum: u8,
    /// Whether the checksum matched; `false` only with [`ParseOptions::lenient_checksum`].
    pub checksum_ok: bool,
    /// The NMEA 4.10 tag block in front of the sentence, if any.
    pub tags: Option<TagBlock<'a>>,
    /// The best receive time the line carries, in Unix milliseconds: tag block `c:`, else an
    /// epoch after the checksum (USCG seconds or exactEarth milliseconds), else a leading
    /// epoch prefix. A preceding `$PGHP` line's time is not applied here.
    pub received_unix_ms: Option<i64>,
    /// The receiving station: tag block `s:`, else a USCG station field (`r…`/`b…`).
    pub station: Option<&'a str>,
    /// Bytes after the checksum that are not a further sentence (receiver fields, junk).
    pub trailer: &'a [u8],
    /// A further sentence run onto the same line after this one, starting with `!` or `\`;
    /// empty when there is none. Frame it with [`parse_line`] again, or use [`parse_all`].
    pub continuation: &'a [u8],
}

/// Frames one line (without or with its line terminator).
///
/// Leading and trailing whitespace (including `\r`) and a UTF-8 byte-order mark are ignored.
/// Recognised: blank lines, `#` comments, `!xxVDM`/`!xxVDO` (also with `$`) with any talker,
/// an NMEA 4.10 tag block in front, a leading epoch prefix, USCG receiver fields or an
/// epoch after the checksum, Gatehouse `$PGHP` headers, and other NMEA sentences (skipped).
/// Only the first sentence of the line is returned; see [`Sentence::continuation`].
pub fn parse_line<'a>(line: &'a [u8], opts: &ParseOptions) -> Result<Line<'a>, FrameError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(FrameError::LineTooLong { len: line.len(), max: MAX_LINE_BYTES });
    }
    let line = trim(line);
    match line.first() {
        None => Ok(Line::Skipped(Skipped::Blank)),
        Some(b'!' | b'$') => parse_sentence(line, None, None, opts),
        Some(b'\\') => parse_tagged(line, None, opts),
        Some(b'#') => Ok(Line::Skipped(Skipped::Comment)),
        Some(b'0'..=b'9') => match split_epoch_prefix(line) {
            Some((ms, rest)) if rest.first() == Some(&b'\\') => parse_tagged(rest, Some(ms), opts),
            Some((ms, rest)) => parse_sentence(rest, None, Some(ms), opts),
            None => Err(FrameError::UnrecognizedLine),
        },
        Some(_) => Err(FrameError::UnrecognizedLine),
    }
}

/// Frames every sentence of a line: the first, then each [`Sentence::continuation`].
///
/// Iteration ends after the last sentence or after the first error.
pub fn parse_all<'a>(line: &'a [u8], opts: &ParseOptions) -> ParseAll<'a> {
    ParseAll { rest: Some(line), opts: *opts }
}

/// Iterator returned by [`parse_all`].
#[derive(Debug, Clone)]
pub struct ParseAll<'a> {
    rest: Option<&'a [u8]>,
    opts: ParseOptions,
}

impl<'a> Iterator for ParseAll<'a> {
    type Item = Result<Line<'a>, FrameError>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.rest.take()?;
        let result = Some(parse_line(line, &self.opts));
        if let Some(Ok(Line::Sentence(s))) = &result {
            if !s.continuation.is_empty() {
                self.rest = Some(s.continuation);
            }
        }
        result
    }
}

/// Strips ASCII whitespace at both ends and a UTF-8 byte-order mark at the start.
#[inline]
fn trim(mut line: &[u8]) -> &[u8] {
    if let [0xEF, 0xBB, 0xBF, rest @ ..] = line {
        line = rest;
    }
    while let [first, rest @ ..] = line {
        if !first.is_ascii_whitespace() {
            break;
        }
        line = rest;
    }
    while let [rest @ .., last] = line {
        if !last.is_ascii_whitespace() {
            break;
        }
        line = rest;
    }
    line
}

/// A line starting with a tag block.
fn parse_tagged<'a>(
    line: &'a [u8],
    prefix_ms: Option<i64>,
    opts: &ParseOptions,
) -> Result<Line<'a>, FrameError> {
    let (tags, rest) = parse_tag_block(line, opts.lenient_tag_checksum)?;
    match rest.first() {
        None => Ok(Line::Skipped(Skipped::TagBlockOnly(tags))),
        Some(b'!' | b'$') => parse_sentence(rest, Some(&tags), prefix_ms, opts),
        Some(_) => Err(FrameError::BadTagBlock {
            key: '?',
            reason: "tag block is not followed by a sentence",
        }),
    }
}

/// A line (or the part of it after a tag block) starting with `!` or `$`.
fn parse_sentence<'a>(
    s: &'a [u8],
    tags: Option<&TagBlock<'a>>,
    prefix_ms: Option<i64>,
    opts: &ParseOptions,
) -> Result<Line<'a>, FrameError> {
    // "!AIVDM," — start delimiter, 2-byte talker, 3-byte formatter, comma.
    const VDM: u32 = u32::from_le_bytes(*b"VDM,");
    const VDO: u32 = u32::from_le_bytes(*b"VDO,");
    let own_ship = match s.get(3..7).and_then(|f| <[u8; 4]>::try_from(f).ok()) {
        Some(f) if u32::from_le_bytes(f) == VDM => false,
        Some(f) if u32::from_le_bytes(f) == VDO => true,
        _ => return skip_other(s, opts),
    };
    let talker = [s[1], s[2]];
    if !talker
        .iter()
        .all(|&b| b.is_ascii_graphic() && !matches!(b, b',' | b'*' | b'!' | b'$' | b'\\'))
    {
        return Err(FrameError::BadTalker);
    }

    // The address "AIVDM," holds no '*', so the search can start after it.
    let (star, fields_xor) = xor_until_star(&s[7..]).ok_or(FrameError::MissingChecksum)?;
    let star = star + 7;
    let found = s.get(star + 1..).and_then(hex2).ok_or(FrameError::MalformedChecksum)?;
    let expected = fields_xor ^ xor_address(&s[1..7]);
    let checksum_ok = expected == found;
    if !checksum_ok && !opts.lenient_checksum {
        return Err(FrameError::BadChecksum { expected, found });
    }

    // The six data fields: count, number, sequence id, channel, payload, fill bits. The
    // first four are a byte or two each. The fill bits are the last field, so the payload is
    // everything in between and needs no comma search: a comma inside it fails the armor
    // check below and is reported as a surplus field.
    let mut rest = &s[7..star];
    let mut head: [&[u8]; 4] = [&[]; 4];
    for (i, field) in head.iter_mut().enumerate() {
        let Some(comma) = rest.iter().position(|&b| b == b',') else {
            return Err(FrameError::TooFewFields { found: i + 1 });
        };
        *field = &rest[..comma];
        rest = &rest[comma + 1..];
    }
    let [count_f, number_f, seq_f, channel_f] = head;
    let Some(last_comma) = rest.iter().rposition(|&b| b == b',') else {
        return Err(FrameError::TooFewFields { found: 5 });
    };
    let payload = &rest[..last_comma];
    let fill_f = &rest[last_comma + 1..];

    let fragment_count = match count_f {
        [d @ b'1'..=b'9'] => d - b'0',
        _ => return Err(FrameError::BadFragmentCount),
    };
    let fragment_number = match number_f {
        [d @ b'1'..=b'9'] if d - b'0' <= fragment_count => d - b'0',
        [d @ b'0'..=b'9'] => {
            return Err(FrameError::BadFragmentNumber { number: d - b'0', count: fragment_count });
        }
        _ => {
            return Err(FrameError::BadFragmentNumber { number: 0, count: fragment_count });
        }
    };
    let sequence_id = match seq_f {
        [] => None,
        [d @ b'0'..=b'9'] => Some(d - b'0'),
        [t @ b'0'..=b'9', u @ b'0'..=b'9'] => Some((t - b'0') * 10 + (u - b'0')),
        _ => return Err(FrameError::BadSequenceId),
    };
    let channel = match channel_f {
        [] => None,
        [c] if c.is_ascii_alphanumeric() => Some(*c),
        _ => return Err(FrameError::BadChannel),
    };
    if payload.is_empty() {
        return Err(FrameError::EmptyPayload);
    }
    // Checked eight bytes at a time; the fault is located only when there is one.
    if !all_armor(payload) {
        let offset = payload.iter().position(|&b| !is_armor(b)).unwrap_or(0);
        let byte = payload.get(offset).copied().unwrap_or(0);
        if byte == b',' {
            return Err(FrameError::TooManyFields);
        }
        return Err(FrameError::BadPayloadChar { offset, byte });
    }
    let fill_bits = match fill_f {
        [d @ b'0'..=b'5'] => d - b'0',
        _ => return Err(FrameError::BadFillBits),
    };

    let (trailer, continuation) = split_after_checksum(&s[star + 3..]);
    let mut received_unix_ms = tags.and_then(|t| t.unix_time_ms);
    let mut station = tags.and_then(|t| t.source);
    if !trailer.is_empty() && (received_unix_ms.is_none() || station.is_none()) {
        let t = parse_trailer(trailer);
        received_unix_ms = received_unix_ms.or(t.unix_ms);
        station = station.or(t.station);
    }
    Ok(Line::Sentence(Sentence {
        talker,
        own_ship,
        fragment_count,
        fragment_number,
        sequence_id,
        channel,
        payload,
        fill_bits,
        checksum: found,
        checksum_ok,
        tags: tags.copied(),
        received_unix_ms: received_unix_ms.or(prefix_ms),
        station,
        trailer,
        continuation,
    }))
}

/// XOR of the six address bytes `AIVDM,`.
#[inline(always)]
fn xor_address(a: &[u8]) -> u8 {
    a.iter().fold(0, |x, &b| x ^ b)
}

/// A sentence that is not `VDM`/`VDO`: a `$PGHP` header or another NMEA sentence.
fn skip_other<'a>(s: &'a [u8], opts: &ParseOptions) -> Result<Line<'a>, FrameError> {
    if s.starts_with(b"$PGHP,") {
        return Ok(Line::Skipped(Skipped::Pghp(parse_pghp(s, opts.lenient_checksum)?)));
    }
    let body = s.get(1..).unwrap_or_default();
    let end =
        body.iter().take(16).position(|&b| b == b',' || b == b'*').unwrap_or(body.len().min(16));
    Ok(Line::Skipped(Skipped::OtherNmea { address: &body[..end] }))
}
