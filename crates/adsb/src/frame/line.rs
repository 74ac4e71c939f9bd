//! Text line framing: [`parse_line`] frames one line, [`LineDeframer`] splits a byte stream into
//! bounded lines and frames them.
//!
//! Line formats (leading and trailing whitespace, including `\r`, ignored):
//!
//! ```text
//! *8d4840d6202cc371c32ce0576098;                 AVR (also ':' instead of '*')
//! @0000000015a88d4840d6202cc371c32ce0576098;     AVR, 12 hex digits of 12 MHz counter first
//! %0000000015a88d4840d6202cc371c32ce0576098;     same, sent by receivers after a CRC check
//! <0000000015a8ff8d4840d6202cc371c32ce0576098;   counter, then 2 hex digits of signal level
//! 8d4840d6202cc371c32ce0576098                   plain hex
//! 1698140962.119813,8d4840d6202cc371c32ce0576098                 Unix seconds, reply
//! 1698140962.119813,1a33000023bb50f025903907dbc1b50fca1ad701efd570  Unix seconds, Beast frame
//! 1457996400,"8D406B909945DE10000405999BE4","406B90",19          further columns ignored
//! ```
//!
//! (AVR variants as accepted by dump1090/readsb's hex input.) Replies are 4, 14 or 28 hex
//! digits (Mode A/C, short or long Mode S). A Beast frame in hex is `1a`, the type (`31`-`34`),
//! 12 digits of counter, 2 of signal and the reply, without escape doubling; its signal level is
//! kept and the line's Unix time wins over its counter. Blank lines, `#` comments and Beast
//! status frames give `Ok(None)`.

use super::{
    Frame, FrameError, FrameTime, MODE_S_LONG_BYTES, decode_hex, hex_number, parse_unix_seconds,
    strip_quotes, trim,
};

/// Longest line, in bytes, that [`LineDeframer`] returns.
///
/// The longest Mode S line (`timestamp,` and a hex Beast long frame) is about 70 bytes and an
/// SBS-1 line about 150; NMEA lines with tag blocks stay under 1 KiB. 4 KiB (the limit of
/// `kuroshio-nmea` too, so one splitter serves every text input) bounds the work per line. A
/// longer line is reported once as [`FrameError::LineTooLong`] and skipped to its line feed.
pub const MAX_LINE_BYTES: usize = 4096;

/// Most bytes a [`LineDeframer`] holds.
///
/// After a drain it holds at most one partial line ([`MAX_LINE_BYTES`]); 1 MiB takes sixteen
/// 64 KiB reads. When full, [`LineDeframer::push`] takes only what fits and says how much
/// (back-pressure: the caller drains lines and pushes the rest, nothing is dropped).
pub const LINE_BUFFER_BYTES_MAX: usize = 1 << 20;

/// Frames one text line (with or without its line ending) into `scratch`.
///
/// Returns `Ok(Some(frame))` for a reply, `Ok(None)` for a line with nothing to decode (blank,
/// `#` comment, Beast status frame), or the fault.
///
/// ```
/// use kuroshio_adsb::frame::{FrameTime, parse_line};
///
/// let mut scratch = [0u8; 14];
/// let f = parse_line(b"1698140962.5,8d4840d6202cc371c32ce0576098\r\n", &mut scratch)
///     .unwrap()
///     .unwrap();
/// assert_eq!(f.data[0], 0x8d);
/// assert_eq!(f.timestamp, Some(FrameTime::UnixSeconds(1698140962.5)));
/// ```
pub fn parse_line<'b>(
    line: &[u8],
    scratch: &'b mut [u8; MODE_S_LONG_BYTES],
) -> Result<Option<Frame<'b>>, FrameError> {
    Ok(parse_parts(line, scratch)?.map(|p| p.into_frame(scratch)))
}

/// A framed line without the borrow of the scratch array: the reply is `scratch[..len]`.
#[derive(Debug, Clone, Copy)]
struct Parts {
    len: usize,
    timestamp: Option<FrameTime>,
    signal: Option<u8>,
}

impl Parts {
    fn into_frame(self, scratch: &[u8; MODE_S_LONG_BYTES]) -> Frame<'_> {
        Frame { data: &scratch[..self.len], timestamp: self.timestamp, signal: self.signal }
    }
}

/// [`parse_line`] without the returned borrow.
fn parse_parts(
    line: &[u8],
    scratch: &mut [u8; MODE_S_LONG_BYTES],
) -> Result<Option<Parts>, FrameError> {
    let line = trim(line);
    let Some(&first) = line.first() else { return Ok(None) };
    match first {
        b'#' => Ok(None),
        b'*' | b':' | b'@' | b'%' | b'<' => avr(line, scratch).map(Some),
        _ => match memchr::memchr(b',', line) {
            Some(comma) => timestamped(&line[..comma], &line[comma + 1..], scratch),
            None if line[0].is_ascii_hexdigit() => {
                let len = reply(line, scratch)?;
                Ok(Some(Parts { len, timestamp: None, signal: None }))
            }
            None => Err(FrameError::UnrecognizedLine),
        },
    }
}

/// Decodes a reply of 4, 14 or 28 hex digits into `scratch`, returning its length in bytes.
fn reply(hex: &[u8], scratch: &mut [u8; MODE_S_LONG_BYTES]) -> Result<usize, FrameError> {
    if !matches!(hex.len(), 4 | 14 | 28) {
        return Err(FrameError::BadLength { hex_digits: hex.len() });
    }
    decode_hex(hex, scratch)
}

/// An AVR line: `*`/`:` reply `;`, `@`/`%` counter reply `;`, `<` counter signal reply `;`.
fn avr(line: &[u8], scratch: &mut [u8; MODE_S_LONG_BYTES]) -> Result<Parts, FrameError> {
    let Some(inner) = line.strip_suffix(b";") else { return Err(FrameError::MissingTerminator) };
    let (kind, body) = (inner[0], &inner[1..]);
    let (counter, signal, hex) = match kind {
        b'@' | b'%' => {
            let (c, h) = split_at_checked(body, 12)?;
            (Some(hex_number(c)?), None, h)
        }
        b'<' => {
            let (c, rest) = split_at_checked(body, 12)?;
            let (s, h) = split_at_checked(rest, 2)?;
            (Some(hex_number(c)?), Some(hex_number(s)? as u8), h)
        }
        _ => (None, None, body),
    };
    let len = reply(hex, scratch)?;
    Ok(Parts { len, timestamp: counter.map(FrameTime::Mlat12MHz), signal })
}

fn split_at_checked(s: &[u8], mid: usize) -> Result<(&[u8], &[u8]), FrameError> {
    s.split_at_checked(mid).ok_or(FrameError::BadLength { hex_digits: s.len() })
}

/// A `timestamp,hex[,…]` line.
fn timestamped(
    ts: &[u8],
    rest: &[u8],
    scratch: &mut [u8; MODE_S_LONG_BYTES],
) -> Result<Option<Parts>, FrameError> {
    let Some(time_s) = parse_unix_seconds(ts) else {
        // Not a time stamp: if the line does not even start like a number, it is no hex line.
        return Err(if ts.first().is_some_and(u8::is_ascii_digit) {
            FrameError::BadTimestamp
        } else {
            FrameError::UnrecognizedLine
        });
    };
    let field = match memchr::memchr(b',', rest) {
        Some(comma) => &rest[..comma],
        None => rest,
    };
    let hex = strip_quotes(trim(field));
    let timestamp = Some(FrameTime::UnixSeconds(time_s));
    // A hex Beast frame: 1a, type, 12 digits of counter, 2 of signal, reply.
    if let [b'1', b'a' | b'A', b'3', t @ b'1'..=b'4', ..] = hex {
        if matches!(hex.len(), 22 | 32 | 46) {
            let expected = match t {
                b'1' => 22,
                b'2' => 32,
                _ => 46,
            };
            if hex.len() != expected {
                return Err(FrameError::BadLength { hex_digits: hex.len() });
            }
            hex_number(&hex[4..16])?;
            let signal = hex_number(&hex[16..18])? as u8;
            let len = decode_hex(&hex[18..], scratch)?;
            if *t == b'4' {
                return Ok(None);
            }
            return Ok(Some(Parts { len, timestamp, signal: Some(signal) }));
        }
    }
    let len = reply(hex, scratch)?;
    Ok(Some(Parts { len, timestamp, signal: None }))
}

/// Counters of a [`LineDeframer`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStats {
    /// Lines returned by [`LineDeframer::next_line`] (or framed by `next_frame`).
    pub lines: u64,
    /// Frames returned by [`LineDeframer::next_frame`].
    pub frames: u64,
    /// Lines with nothing to decode (blank, comment, status frame).
    pub skipped: u64,
    /// Lines longer than [`MAX_LINE_BYTES`], skipped.
    pub too_long: u64,
}

/// Splits a byte stream into lines (at `\n`, with a `\r` before it removed), bounded by
/// [`MAX_LINE_BYTES`] per line and [`LINE_BUFFER_BYTES_MAX`] in all, and frames Mode S lines.
///
/// Use [`LineDeframer::next_frame`] for AVR/hex input, or [`LineDeframer::next_line`] to get
/// the raw lines (SBS-1, NMEA) for another parser. Call [`LineDeframer::finish`] at the end of
/// the input so that a last line without a line feed is returned too.
#[derive(Debug, Clone)]
pub struct LineDeframer {
    buf: Vec<u8>,
    start: usize,
    /// Skipping the rest of an over-long line.
    discarding: bool,
    /// The input has ended: the remaining bytes form the last line.
    finished: bool,
    scratch: [u8; MODE_S_LONG_BYTES],
    stats: LineStats,
}

impl Default for LineDeframer {
    fn default() -> Self {
        Self::new()
    }
}

impl LineDeframer {
    /// An empty deframer.
    pub fn new() -> Self {
        LineDeframer {
            buf: Vec::new(),
            start: 0,
            discarding: false,
            finished: false,
            scratch: [0; MODE_S_LONG_BYTES],
            stats: LineStats::default(),
        }
    }

    /// Counters since creation.
    pub fn stats(&self) -> &LineStats {
        &self.stats
    }

    /// Appends received bytes, returning how many were taken: all unless the buffer would
    /// exceed [`LINE_BUFFER_BYTES_MAX`] (then drain lines and push the rest). Pushing after
    /// [`LineDeframer::finish`] starts a new input.
    pub fn push(&mut self, chunk: &[u8]) -> usize {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.finished = false;
        let take = chunk.len().min(LINE_BUFFER_BYTES_MAX.saturating_sub(self.buf.len()));
        self.buf.extend_from_slice(&chunk[..take]);
        take
    }

    /// Marks the end of the input: the bytes after the last line feed become a last line.
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// The next line without its line ending, [`FrameError::LineTooLong`] once per over-long
    /// line, or `None` when no complete line is buffered.
    pub fn next_line(&mut self) -> Option<Result<&[u8], FrameError>> {
        self.next_line_range().map(|r| r.map(|(a, b)| &self.buf[a..b]))
    }

    /// The next Mode S frame, skipping lines with nothing to decode, or a fault of one line;
    /// `None` when no complete line is buffered.
    pub fn next_frame(&mut self) -> Option<Result<Frame<'_>, FrameError>> {
        loop {
            let (a, b) = match self.next_line_range()? {
                Ok(range) => range,
                Err(e) => return Some(Err(e)),
            };
            match parse_parts(&self.buf[a..b], &mut self.scratch) {
                Ok(Some(parts)) => {
                    self.stats.frames += 1;
                    return Some(Ok(parts.into_frame(&self.scratch)));
                }
                Ok(None) => self.stats.skipped += 1,
                Err(e) => return Some(Err(e)),
            }
        }
    }

    fn next_line_range(&mut self) -> Option<Result<(usize, usize), FrameError>> {
        loop {
            let avail = &self.buf[self.start..];
            if avail.is_empty() {
                return None;
            }
            let (end, next) = match memchr::memchr(b'\n', avail) {
                Some(nl) => (nl, nl + 1),
                None if self.finished => (avail.len(), avail.len()),
                None if self.discarding || avail.len() > MAX_LINE_BYTES => {
                    // Drop what is buffered of the over-long line, keep waiting for its end.
                    self.start = self.buf.len();
                    if !self.discarding {
                        self.discarding = true;
                        self.stats.too_long += 1;
                        return Some(Err(FrameError::LineTooLong { max: MAX_LINE_BYTES }));
                    }
                    return None;
                }
                None => return None,
            };
            let a = self.start;
            self.start += next;
            if self.discarding {
                self.discarding = false;
                continue;
            }
            if end > MAX_LINE_BYTES {
                self.stats.too_long += 1;
                return Some(Err(FrameError::LineTooLong { max: MAX_LINE_BYTES }));
            }
            let mut b = a + end;
            if b > a && self.buf[b - 1] == b'\r' {
                b -= 1;
            }
            self.stats.lines += 1;
            return Some(Ok((a, b)));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// A frame with its metadata, owned.
    type Owned = (Vec<u8>, Option<FrameTime>, Option<u8>);

    fn frame(line: &str) -> Result<Option<Owned>, FrameError> {
        let mut s = [0u8; 14];
        parse_line(line.as_bytes(), &mut s)
            .map(|o| o.map(|f| (f.data.to_vec(), f.timestamp, f.signal)))
    }

    const LONG: [u8; 14] =
        [0x8d, 0x48, 0x40, 0xd6, 0x20, 0x2c, 0xc3, 0x71, 0xc3, 0x2c, 0xe0, 0x57, 0x60, 0x98];

    #[test]
    fn every_format() {
        let mlat = Some(FrameTime::Mlat12MHz(0x15a8));
        assert_eq!(frame("*8D4840D6202CC371C32CE0576098;"), Ok(Some((LONG.to_vec(), None, None))));
        assert_eq!(
            frame(":8d4840d6202cc371c32ce0576098;\r\n"),
            Ok(Some((LONG.to_vec(), None, None)))
        );
        assert_eq!(
            frame("@0000000015a88d4840d6202cc371c32ce0576098;"),
            Ok(Some((LONG.to_vec(), mlat, None)))
        );
        assert_eq!(
            frame("%0000000015A88D4840D6202CC371C32CE0576098;"),
            Ok(Some((LONG.to_vec(), mlat, None)))
        );
        assert_eq!(
            frame("<0000000015a8c38d4840d6202cc371c32ce0576098;"),
            Ok(Some((LONG.to_vec(), mlat, Some(0xc3))))
        );
        assert_eq!(
            frame("  8d4840d6202cc371c32ce0576098  "),
            Ok(Some((LONG.to_vec(), None, None)))
        );
        assert_eq!(
            frame("*02C60B9ED4497C;"),
            Ok(Some((vec![0x02, 0xc6, 0x0b, 0x9e, 0xd4, 0x49, 0x7c], None, None)))
        );
        assert_eq!(frame("*2345;"), Ok(Some((vec![0x23, 0x45], None, None))));
        let t = Some(FrameTime::UnixSeconds(1_698_140_962.119_813));
        assert_eq!(
            frame("1698140962.119813,1a32000023b1dda011210000bd6b441a"),
            Ok(Some((vec![0x21, 0x00, 0x00, 0xbd, 0x6b, 0x44, 0x1a], t, Some(0x11))))
        );
        assert_eq!(
            frame("1457996400,\"8D4840D6202CC371C32CE0576098\",\"406B90\",19"),
            Ok(Some((LONG.to_vec(), Some(FrameTime::UnixSeconds(1_457_996_400.0)), None)))
        );
        assert_eq!(frame(""), Ok(None));
        assert_eq!(frame("# comment"), Ok(None));
        assert_eq!(frame("1.0,1a34000000000000ff0000000000000000000000000000"), Ok(None));
    }

    #[test]
    fn faults() {
        assert_eq!(frame("*8D4840D6202CC371C32CE0576098"), Err(FrameError::MissingTerminator));
        assert_eq!(
            frame("*8D4840D6202CC371C32CE05760;"),
            Err(FrameError::BadLength { hex_digits: 26 })
        );
        assert_eq!(
            frame("*8D4840D6202CC371C32CE057609X;"),
            Err(FrameError::BadHex { offset: 27, byte: b'X' })
        );
        assert_eq!(frame("@0015a8;"), Err(FrameError::BadLength { hex_digits: 6 }));
        assert_eq!(frame("MSG,3,1"), Err(FrameError::UnrecognizedLine));
        assert_eq!(frame("!AIVDM,1,1"), Err(FrameError::UnrecognizedLine));
        assert_eq!(frame("12x4,8d4840d6202cc371c32ce0576098"), Err(FrameError::BadTimestamp));
        assert_eq!(
            frame("1.5,1a33000023b1dda011210000bd6b441a"),
            Err(FrameError::BadLength { hex_digits: 32 })
        );
        assert_eq!(frame(";"), Err(FrameError::UnrecognizedLine));
        assert_eq!(frame("*;"), Err(FrameError::BadLength { hex_digits: 0 }));
    }

    #[test]
    fn deframer_splits_and_bounds_lines() {
        let mut d = LineDeframer::new();
        d.push(b"*02C60B9ED4497C;\r\n\n# c\n*02C60B9ED4497C");
        assert_eq!(d.next_frame().unwrap().unwrap().data.len(), 7);
        assert!(d.next_frame().is_none());
        d.push(b";\n");
        assert_eq!(d.next_frame().unwrap().unwrap().data.len(), 7);
        assert_eq!(d.stats().skipped, 2);
        // An over-long line is reported once and skipped to its end, across pushes.
        let long = vec![b'a'; MAX_LINE_BYTES + 1];
        d.push(&long);
        assert_eq!(d.next_line(), Some(Err(FrameError::LineTooLong { max: MAX_LINE_BYTES })));
        assert_eq!(d.next_line(), None);
        d.push(&long);
        assert_eq!(d.next_line(), None);
        d.push(b"bbb\nlast");
        assert_eq!(d.next_line(), None);
        d.finish();
        assert_eq!(d.next_line(), Some(Ok(&b"last"[..])));
        assert_eq!(d.next_line(), None);
        assert_eq!(d.stats().too_long, 1);
    }
}
