//! Sans-IO framing of Mode S receiver output: bytes in, [`Frame`]s (the 2, 7 or 14 bytes of one
//! reply with its receive time and signal level) out.
//!
//! Receivers running dump1090 or readsb offer the same replies in several wrappings, each
//! handled here:
//!
//! - **Beast binary** (port 30005), [`BeastDeframer`]: `0x1a`, a type byte, a 6-byte 12 MHz
//!   counter, a signal byte and the reply, with every `0x1a` in those bytes doubled.
//! - **Text lines**, [`parse_line`] for one line and [`LineDeframer`] for a byte stream:
//!   AVR (`*8d…;`, `:…;`), AVR with a 12 MHz time stamp (`@`/`%` + 12 hex digits, `<` + 12 hex
//!   digits + 2 hex digits of signal level), plain hex lines, and `timestamp,hex` lines (Unix
//!   seconds, then a Mode S reply or a whole Beast frame in hex, as in rs1090's recordings).
//! - [`CounterClock`] and [`GpsDayClock`] turn a Beast frame's 48-bit time stamp (a 12 MHz
//!   counter, or GPS time of day on Radarcape-style receivers) into absolute times, given the
//!   time of the first frame or its date.
//! - [`detect`] tells from the first bytes of an input which of these (or SBS-1 BaseStation
//!   CSV, see [`crate::sbs`], or NMEA) it is.
//!
//! Framing checks only the wrapping: lengths, hex digits, escapes, terminators. Whether the
//! reply itself makes sense (downlink format, parity) is [`crate::decode`]'s business. Faults
//! are [`FrameError`]s with a [`FrameError::kind`] for counting; the stream goes on after each.
//! Nothing here allocates per frame: frames borrow from the deframer's buffer or the line.
//!
//! Deliberately absent: sockets, files and clocks; the Radarcape position frame (`0x1a 0x35`)
//! and other vendor extensions (skipped as unrecognised bytes).

mod beast;
mod clock;
mod line;

pub use beast::{BEAST_BUFFER_BYTES_MAX, BEAST_FRAME_WIRE_BYTES_MAX, BeastDeframer, BeastStats};
pub use clock::{
    BEAST_COUNTER_HZ, BEAST_COUNTER_MODULUS, COUNTER_LATE_TICKS_MAX, COUNTER_WRAP_GAP_TICKS_MAX,
    CounterClock, CounterStats, GpsClockStats, GpsDayClock, GpsTimeOfDay,
    beast_timestamp_is_synthetic,
};
pub use line::{LINE_BUFFER_BYTES_MAX, LineDeframer, LineStats, MAX_LINE_BYTES, parse_line};

use thiserror::Error;

/// Length in bytes of a Mode A/C reply.
pub const MODE_AC_BYTES: usize = 2;
/// Length in bytes of a short (56-bit) Mode S reply.
pub const MODE_S_SHORT_BYTES: usize = 7;
/// Length in bytes of a long (112-bit) Mode S reply.
pub const MODE_S_LONG_BYTES: usize = 14;

/// One received reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame<'a> {
    /// The reply: 2 bytes (Mode A/C), 7 (short Mode S) or 14 (long Mode S).
    pub data: &'a [u8],
    /// When it was received, if the input says.
    pub timestamp: Option<FrameTime>,
    /// Signal level as the receiver reports it (0-255, receiver-specific scale), if present.
    pub signal: Option<u8>,
}

/// A receive time as carried by the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrameTime {
    /// Seconds since the Unix epoch (UTC), from `timestamp,hex` lines.
    UnixSeconds(f64),
    /// The receiver's free-running 48-bit counter at 12 MHz (Beast frames, `@`/`%`/`<` AVR).
    /// Its epoch is the receiver's; only differences between frames of one receiver mean
    /// anything (or GPS time of day on receivers that say so).
    Mlat12MHz(u64),
}

/// The input formats [`detect`] tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// NMEA 0183 sentences (AIS `!AIVDM`, `$GPGGA`, tag blocks `\…\`): framed by the
    /// `kuroshio-nmea` crate, not by this module.
    Nmea,
    /// Beast binary ([`BeastDeframer`]).
    Beast,
    /// AVR text: `*…;`, `:…;`, `@…;`, `%…;`, `<…;` ([`LineDeframer`]).
    Avr,
    /// Plain hex lines or `timestamp,hex` lines ([`LineDeframer`]).
    Hex,
    /// SBS-1 BaseStation CSV ([`crate::sbs`]).
    Sbs,
}

impl InputKind {
    /// A stable lower-case name (`nmea`, `beast`, `avr`, `hex`, `sbs`), as the command line
    /// spells it.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Nmea => "nmea",
            InputKind::Beast => "beast",
            InputKind::Avr => "avr",
            InputKind::Hex => "hex",
            InputKind::Sbs => "sbs",
        }
    }
}

/// How many leading bytes [`detect`] looks at; the first line of every text format is shorter.
pub const DETECT_BYTES_MAX: usize = 4096;

/// Decides the input format from its first bytes (up to [`DETECT_BYTES_MAX`] are looked at).
///
/// Beast binary when the input starts with `0x1a` and a frame type (`0x31`-`0x34`), or when it
/// holds bytes that are not text and a Beast frame start somewhere (a stream joined mid-frame).
/// Otherwise the first line that is not blank or a `#` comment decides, by [`detect_line`].
/// `None` when the bytes are empty, binary without a Beast frame start, or a line of no known
/// format.
pub fn detect(first_bytes: &[u8]) -> Option<InputKind> {
    let sample = &first_bytes[..first_bytes.len().min(DETECT_BYTES_MAX)];
    match sample {
        [] => return None,
        [0x1a] => return Some(InputKind::Beast),
        [0x1a, 0x31..=0x34, ..] => return Some(InputKind::Beast),
        _ => {}
    }
    let is_text = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7e);
    if !sample.iter().all(|&b| is_text(b)) {
        if sample.windows(2).any(|w| w[0] == 0x1a && (0x31..=0x34).contains(&w[1])) {
            return Some(InputKind::Beast);
        }
        // Binary with Beast's escape byte but no frame start: nothing known. Other non-ASCII
        // bytes (a UTF-8 byte-order mark, accented comments) may still be text.
        if sample.contains(&0x1a) {
            return None;
        }
    }
    let text = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    text.split(|&b| b == b'\n')
        .map(trim)
        .find(|l| !l.is_empty() && l[0] != b'#')
        .and_then(detect_line)
}

/// Decides the format of one text line (without its line ending): NMEA (`!`, `$`, `\`, or
/// `timestamp,` followed by one of those), AVR (`*`, `:`, `@`, `%`, `<`), SBS-1 (`MSG,`,
/// `SEL,`, `ID,`, `AIR,`, `STA,`, `CLK,`), or hex (4, 14 or 28 hex digits, or a decimal
/// `timestamp,` followed by hex, optionally in double quotes).
pub fn detect_line(line: &[u8]) -> Option<InputKind> {
    let line = trim(line);
    match line.first()? {
        b'!' | b'$' | b'\\' => return Some(InputKind::Nmea),
        b'*' | b':' | b'@' | b'%' | b'<' => return Some(InputKind::Avr),
        _ => {}
    }
    const SBS_TYPES: [&[u8]; 6] = [b"MSG,", b"SEL,", b"ID,", b"AIR,", b"STA,", b"CLK,"];
    if SBS_TYPES.iter().any(|p| line.starts_with(p)) {
        return Some(InputKind::Sbs);
    }
    if is_frame_hex(line) {
        return Some(InputKind::Hex);
    }
    let comma = memchr::memchr(b',', line)?;
    let (ts, rest) = (&line[..comma], &line[comma + 1..]);
    parse_unix_seconds(ts)?;
    match rest.first()? {
        b'!' | b'$' | b'\\' => Some(InputKind::Nmea),
        _ => {
            let field = rest.split(|&b| b == b',').next().unwrap_or(rest);
            let field = strip_quotes(field);
            (!field.is_empty() && field.iter().all(u8::is_ascii_hexdigit)).then_some(InputKind::Hex)
        }
    }
}

/// Whether `s` is 4, 14 or 28 hex digits (a Mode A/C, short or long reply).
fn is_frame_hex(s: &[u8]) -> bool {
    matches!(s.len(), 4 | 14 | 28) && s.iter().all(u8::is_ascii_hexdigit)
}

/// Why some input could not be framed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Bytes that do not start a Beast frame were skipped to find the next one (garbage, an
    /// unknown frame type, or a connection joined mid-frame).
    #[error("skipped {skipped_bytes} bytes to resynchronise on a Beast frame")]
    BeastResync {
        /// How many bytes were skipped.
        skipped_bytes: usize,
    },
    /// A Beast frame ended early: an unescaped `0x1a` (the start of the next frame) came
    /// before all its bytes, or the input ended.
    #[error("Beast frame of type 0x{frame_type:02x} cut after {got_bytes} bytes")]
    BeastTruncated {
        /// The frame's type byte.
        frame_type: u8,
        /// How many unescaped bytes after the type byte it had.
        got_bytes: usize,
    },
    /// A line longer than [`MAX_LINE_BYTES`]; it is skipped up to the next line feed.
    #[error("line longer than {max} bytes")]
    LineTooLong {
        /// The limit it exceeded.
        max: usize,
    },
    /// A line in none of the Mode S text formats.
    #[error("line is not AVR, hex or timestamp,hex")]
    UnrecognizedLine,
    /// An AVR line without its closing `;`.
    #[error("AVR line does not end with ';'")]
    MissingTerminator,
    /// A byte that is not a hex digit where one is needed.
    #[error("byte 0x{byte:02x} at offset {offset} is not a hex digit")]
    BadHex {
        /// Offset within the hex field.
        offset: usize,
        /// The offending byte.
        byte: u8,
    },
    /// A hex reply of a length that is no Mode A/C (4 digits) or Mode S (14 or 28) reply, or
    /// a hex Beast frame whose length does not match its type.
    #[error("hex field of {hex_digits} digits is not a Mode A/C or Mode S reply")]
    BadLength {
        /// Number of hex digits in the field.
        hex_digits: usize,
    },
    /// The time stamp of a `timestamp,hex` line is not a non-negative decimal number.
    #[error("time stamp is not a non-negative decimal number")]
    BadTimestamp,
}

impl FrameError {
    /// A stable short `snake_case` name of the fault, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            FrameError::BeastResync { .. } => "beast_resync",
            FrameError::BeastTruncated { .. } => "beast_truncated",
            FrameError::LineTooLong { .. } => "line_too_long",
            FrameError::UnrecognizedLine => "unrecognized_line",
            FrameError::MissingTerminator => "missing_terminator",
            FrameError::BadHex { .. } => "bad_hex",
            FrameError::BadLength { .. } => "bad_length",
            FrameError::BadTimestamp => "bad_timestamp",
        }
    }
}

/// Value of each byte as a hex digit, or 0xFF.
const HEX_VALUE: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Decodes the hex digits of `hex` (even length, at most `2 * out.len()`) into the start of
/// `out`, returning the number of bytes written.
fn decode_hex(hex: &[u8], out: &mut [u8]) -> Result<usize, FrameError> {
    let n = hex.len() / 2;
    if hex.len() % 2 != 0 || n > out.len() {
        return Err(FrameError::BadLength { hex_digits: hex.len() });
    }
    let mut bad = 0u8;
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let hi = HEX_VALUE[usize::from(pair[0])];
        let lo = HEX_VALUE[usize::from(pair[1])];
        bad |= hi | lo;
        *o = (hi << 4) | (lo & 0x0F);
    }
    if bad & 0xF0 != 0 {
        return Err(first_bad_hex(hex));
    }
    Ok(n)
}

/// Decodes exactly `N` hex digits into a number (`N` ≤ 16).
fn hex_number(hex: &[u8]) -> Result<u64, FrameError> {
    let mut v = 0u64;
    for &b in hex {
        let d = HEX_VALUE[usize::from(b)];
        if d > 0x0F {
            return Err(first_bad_hex(hex));
        }
        v = (v << 4) | u64::from(d);
    }
    Ok(v)
}

fn first_bad_hex(hex: &[u8]) -> FrameError {
    let offset = hex.iter().position(|b| !b.is_ascii_hexdigit()).unwrap_or(0);
    FrameError::BadHex { offset, byte: hex.get(offset).copied().unwrap_or(0) }
}

/// Parses a non-negative decimal number of seconds (`1698140962.119813`); `None` when it is
/// not one. Plain `digits[.digits]` with at most 17 digits (the common case: present-day
/// times with microseconds) is read as one integer, eight digits at a time, and divided once by
/// a power of ten (within 2 ulp, under 0.5 µs today); other forms (more digits, exponents) go
/// through the standard parser.
fn parse_unix_seconds(s: &[u8]) -> Option<f64> {
    /// Powers of ten, all exactly representable in an f64 and a u64.
    const POW10: [u64; 18] = {
        let mut t = [1u64; 18];
        let mut i = 1;
        while i < 18 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    if s.len() <= 18 {
        let (int, frac) = match s.iter().position(|&b| b == b'.') {
            Some(dot) => (&s[..dot], &s[dot + 1..]),
            None => (s, &s[s.len()..]),
        };
        if !int.is_empty() && int.len() + frac.len() <= 17 {
            if let (Some(i), Some(f)) = (decimal_digits(int), decimal_digits(frac)) {
                // Below 10^17: no overflow.
                let scale = POW10[frac.len()];
                return Some((i * scale + f) as f64 / scale as f64);
            }
        }
    }
    let value: f64 = std::str::from_utf8(s).ok()?.parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// The value of a string of at most 19 ASCII decimal digits (empty is 0); `None` if any byte is
/// not a digit. Eight digits at a time: each group is checked and folded with three
/// multiply-and-mask steps on one u64 (pairs, then quads, then the eight).
fn decimal_digits(d: &[u8]) -> Option<u64> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let mut value = 0u64;
    let mut rest = d;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        let c = u64::from_le_bytes(*chunk);
        // Every byte 0x30..=0x39: high nibble 3, and adding 6 keeps it 3.
        if c & HIGH_NIBBLES != ZEROS || (c + 0x0606_0606_0606_0606) & HIGH_NIBBLES != ZEROS {
            return None;
        }
        // The first character is the lowest byte (most significant digit).
        let v = c - ZEROS;
        let v = (v * 10 + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
        let v = (v * 100 + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
        let v = (v * 10_000 + (v >> 32)) & 0xFFFF_FFFF;
        value = value.checked_mul(100_000_000)?.checked_add(v)?;
        rest = tail;
    }
    for &b in rest {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(value)
}

/// `s` without leading and trailing ASCII whitespace (line endings included).
fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

/// `s` without one pair of surrounding double quotes.
fn strip_quotes(s: &[u8]) -> &[u8] {
    s.strip_prefix(b"\"").and_then(|r| r.strip_suffix(b"\"")).unwrap_or(s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        let cases: [(&[u8], Option<InputKind>); 18] = [
            (b"\x1a\x32\x00\x00", Some(InputKind::Beast)),
            (b"\x1a", Some(InputKind::Beast)),
            (b"\x00\x17\x1a\x33\x00", Some(InputKind::Beast)),
            (b"\x00\x17\x18\xff", None),
            (b"*8D4840D6202CC371C32CE0576098;\n", Some(InputKind::Avr)),
            (b"@0000000015A88D4840D6202CC371C32CE0576098;\n", Some(InputKind::Avr)),
            (b"8D4840D6202CC371C32CE0576098\r\n", Some(InputKind::Hex)),
            (b"1698140962.119813,1a32000023b1dda011210000bd6b441a\n", Some(InputKind::Hex)),
            (b"1457996400,\"8D406B909945DE10000405999BE4\",\"406B90\",19\n", Some(InputKind::Hex)),
            (b"MSG,4,111,11111,789252,111111,2022/01/08,22:42:15.384", Some(InputKind::Sbs)),
            (b"STA,,5,179,400AE7,10103,2008/11/28,14:58:51.153", Some(InputKind::Sbs)),
            (b"!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\n", Some(InputKind::Nmea)),
            (b"\\s:rORBCOMM000,c:1426032000*4A\\!AIVDM,1,1,,B,1,0*00", Some(InputKind::Nmea)),
            (b"1426032000.5,!AIVDM,1,1,,A,1,0*00\n", Some(InputKind::Nmea)),
            (b"# comment\n\n  *02A185B89D6C09;\n", Some(InputKind::Avr)),
            (b"\xEF\xBB\xBFMSG,3,", Some(InputKind::Sbs)),
            (b"hello world\n", None),
            (b"", None),
        ];
        for (input, want) in cases {
            assert_eq!(detect(input), want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn decimal_digit_groups() {
        assert_eq!(decimal_digits(b""), Some(0));
        assert_eq!(decimal_digits(b"12345678"), Some(12_345_678));
        assert_eq!(decimal_digits(b"1698140962119813"), Some(1_698_140_962_119_813));
        assert_eq!(decimal_digits(b"00000000901"), Some(901));
        for bad in [&b"1234567:"[..], b"/2345678", b"12345678a", b"1234 678"] {
            assert_eq!(decimal_digits(bad), None);
        }
        // Every digit value in every position of a group.
        for d in 0..10u64 {
            for pos in 0..8 {
                let mut s = *b"00000000";
                s[pos] = b'0' + d as u8;
                assert_eq!(decimal_digits(&s), Some(d * 10u64.pow(7 - pos as u32)));
            }
        }
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(parse_unix_seconds(b"1698140962.119813"), Some(1_698_140_962.119_813));
        assert_eq!(parse_unix_seconds(b"1457996400"), Some(1_457_996_400.0));
        assert_eq!(parse_unix_seconds(b"1.5e9"), Some(1.5e9));
        assert_eq!(parse_unix_seconds(b"-1"), None);
        assert_eq!(parse_unix_seconds(b""), None);
        assert_eq!(parse_unix_seconds(b"12x"), None);
        assert_eq!(parse_unix_seconds(b"inf"), None);
        assert_eq!(parse_unix_seconds(b"9999999999999999999999999"), Some(1e25));
        assert_eq!(parse_unix_seconds(b"99999999999999999"), Some(99_999_999_999_999_999.0));
        assert_eq!(parse_unix_seconds(b"1698140962.1198130"), Some(1_698_140_962.119_813));
        assert_eq!(parse_unix_seconds(b"1."), Some(1.0));
        assert_eq!(parse_unix_seconds(b"."), None);
        assert_eq!(parse_unix_seconds(b"1.2.3"), None);
    }

    #[test]
    fn hex_decoding() {
        let mut out = [0u8; 14];
        assert_eq!(decode_hex(b"8d4840D6", &mut out), Ok(4));
        assert_eq!(&out[..4], &[0x8d, 0x48, 0x40, 0xd6]);
        assert_eq!(decode_hex(b"8g", &mut out), Err(FrameError::BadHex { offset: 1, byte: b'g' }));
        assert_eq!(decode_hex(b"8", &mut out), Err(FrameError::BadLength { hex_digits: 1 }));
        assert_eq!(hex_number(b"0000000015A8"), Ok(0x15A8));
    }
}
