//! Bit-level access to an AIS payload.
//!
//! An AIS payload travels "armored": each ASCII character of the NMEA payload field carries six
//! bits (ITU-R M.1371-5 / IEC 61162-1 six-bit ASCII armoring: subtract 48, and a further 8 when
//! the result exceeds 40). [`Payload`] unpacks those characters once into a fixed byte buffer so
//! that fields can be read at any bit offset without allocating. Reading past the end of the
//! received bits yields zeros; each message decoder checks the bit length it needs first, so a
//! short payload is reported as an error rather than read as zeros.

use std::fmt;

/// The longest payload accepted, in bits.
///
/// ITU-R M.1371 caps a message at five slots (1,008 data bits, 168 armored characters); real
/// feeds occasionally concatenate more. 2,048 bits leaves room for those while keeping the
/// buffer on the stack.
pub const PAYLOAD_BITS_MAX: usize = 2048;

const BUF_BYTES: usize = PAYLOAD_BITS_MAX / 8;

/// Why an armored payload could not be unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// A character outside the six-bit armoring alphabet (`0`-`W`, `` ` ``-`w`).
    BadCharacter {
        /// The offending byte.
        byte: u8,
        /// Its index in the armored payload.
        index: usize,
    },
    /// More than [`PAYLOAD_BITS_MAX`] bits.
    TooLong {
        /// Number of bits the payload would have had.
        bits: usize,
    },
    /// The fill-bit count is above 5 or larger than the payload.
    BadFillBits {
        /// The fill-bit count from the sentence.
        fill_bits: u8,
    },
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCharacter { byte, index } => {
                write!(f, "byte 0x{byte:02x} at payload index {index} is not six-bit armoring")
            }
            Self::TooLong { bits } => {
                write!(f, "payload of {bits} bits exceeds the {PAYLOAD_BITS_MAX}-bit limit")
            }
            Self::BadFillBits { fill_bits } => write!(f, "fill-bit count {fill_bits} is invalid"),
        }
    }
}

impl std::error::Error for PayloadError {}

impl PayloadError {
    /// A stable snake_case name for the kind of error, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::BadCharacter { .. } => "bad_armoring",
            Self::TooLong { .. } => "payload_too_long",
            Self::BadFillBits { .. } => "bad_fill_bits",
        }
    }
}

/// Lookup from armored byte to six-bit value; 0xff marks bytes outside the alphabet.
const DEARMOR: [u8; 256] = {
    let mut table = [0xffu8; 256];
    let mut c = 48usize;
    while c < 128 {
        let mut v = c - 48;
        if v > 40 {
            v -= 8;
        }
        // Valid armoring: '0'..='W' (48..=87) and '`'..='w' (96..=119).
        if c <= 87 || (c >= 96 && c <= 119) {
            table[c] = v as u8;
        }
        c += 1;
    }
    table
};

/// Six-bit value to armored byte (the inverse of the armoring above).
pub(crate) const ARMOR: [u8; 64] = {
    let mut table = [0u8; 64];
    let mut v = 0usize;
    while v < 64 {
        table[v] = if v < 40 { (v + 48) as u8 } else { (v + 56) as u8 };
        v += 1;
    }
    table
};

/// Six-bit ASCII text alphabet (ITU-R M.1371 table 47): value to character.
pub(crate) const SIXBIT_TEXT: &[u8; 64] =
    b"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

/// An unpacked AIS payload: the message bits, MSB first.
#[derive(Clone)]
pub struct Payload {
    buf: [u8; BUF_BYTES],
    len_bits: usize,
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payload").field("len_bits", &self.len_bits).finish()
    }
}

impl Payload {
    /// Unpacks an armored payload (the fifth field of a `!xxVDM` sentence, or several of them
    /// concatenated) with `fill_bits` padding bits at the end.
    pub fn from_armored(armored: &[u8], fill_bits: u8) -> Result<Self, PayloadError> {
        let total_bits = armored.len() * 6;
        if total_bits > PAYLOAD_BITS_MAX {
            return Err(PayloadError::TooLong { bits: total_bits });
        }
        if fill_bits > 5 || usize::from(fill_bits) > total_bits {
            return Err(PayloadError::BadFillBits { fill_bits });
        }
        let mut buf = [0u8; BUF_BYTES];
        // Pack four six-bit values into three bytes at a time.
        let mut chunks = armored.chunks_exact(4);
        let mut out = 0usize;
        let mut index = 0usize;
        for chunk in &mut chunks {
            let mut acc = 0u32;
            for &b in chunk {
                let v = DEARMOR[usize::from(b)];
                if v == 0xff {
                    return Err(PayloadError::BadCharacter { byte: b, index });
                }
                acc = (acc << 6) | u32::from(v);
                index += 1;
            }
            buf[out] = (acc >> 16) as u8;
            buf[out + 1] = (acc >> 8) as u8;
            buf[out + 2] = acc as u8;
            out += 3;
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut acc = 0u32;
            for &b in rest {
                let v = DEARMOR[usize::from(b)];
                if v == 0xff {
                    return Err(PayloadError::BadCharacter { byte: b, index });
                }
                acc = (acc << 6) | u32::from(v);
                index += 1;
            }
            acc <<= 6 * (4 - rest.len());
            // 1, 2 or 3 leftover characters fill 1, 2 or 3 bytes; only those are written, so a
            // payload ending exactly at the buffer's end stays inside it.
            let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
            let n = (rest.len() * 6).div_ceil(8);
            for (dst, &b) in buf.iter_mut().skip(out).zip(&bytes[..n]) {
                *dst = b;
            }
        }
        let len_bits = total_bits - usize::from(fill_bits);
        // Clear the fill bits so that reads past the end are zeros, as documented.
        Self::clear_from(&mut buf, len_bits);
        Ok(Self { buf, len_bits })
    }

    /// Builds a payload from raw bits (MSB first), `len_bits` long.
    pub fn from_bits(bytes: &[u8], len_bits: usize) -> Result<Self, PayloadError> {
        if len_bits > PAYLOAD_BITS_MAX || len_bits > bytes.len() * 8 {
            return Err(PayloadError::TooLong { bits: len_bits });
        }
        let mut buf = [0u8; BUF_BYTES];
        let n = len_bits.div_ceil(8);
        buf[..n].copy_from_slice(&bytes[..n]);
        Self::clear_from(&mut buf, len_bits);
        Ok(Self { buf, len_bits })
    }

    fn clear_from(buf: &mut [u8; BUF_BYTES], len_bits: usize) {
        let byte = len_bits / 8;
        if byte < BUF_BYTES {
            let keep = len_bits % 8;
            buf[byte] &= !(0xffu8 >> keep);
            for b in &mut buf[byte + 1..] {
                *b = 0;
            }
        }
    }

    /// Number of message bits (fill bits excluded).
    pub fn len_bits(&self) -> usize {
        self.len_bits
    }

    /// The packed bytes of the message, MSB first; the last byte is zero-padded.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len_bits.div_ceil(8)]
    }

    /// Unsigned field of `len` bits (at most 64) starting at bit `start`.
    #[inline]
    pub fn u(&self, start: usize, len: usize) -> u64 {
        debug_assert!(len <= 64);
        if len == 0 || start >= PAYLOAD_BITS_MAX {
            return 0;
        }
        let first = start / 8;
        let shift = start % 8;
        // Fast path: the field lies inside one aligned 8-byte window (every AIS field of up to
        // 57 bits does, except at the very end of the buffer).
        if shift + len <= 64 {
            if let Some(window) = self.buf.get(first..first + 8) {
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(window);
                return (u64::from_be_bytes(bytes) << shift) >> (64 - len);
            }
        }
        // Gather up to 16 bytes; enough for 64 bits at any alignment.
        let mut word: u128 = 0;
        let need = (shift + len).div_ceil(8);
        for i in 0..need {
            let b = self.buf.get(first + i).copied().unwrap_or(0);
            word = (word << 8) | u128::from(b);
        }
        let total = need * 8;
        let v = (word >> (total - shift - len)) & ((1u128 << len) - 1);
        v as u64
    }

    /// Signed (two's complement) field of `len` bits starting at bit `start`.
    #[inline]
    pub fn i(&self, start: usize, len: usize) -> i64 {
        if len == 0 {
            return 0;
        }
        let raw = self.u(start, len);
        let shift = 64 - len as u32;
        ((raw << shift) as i64) >> shift
    }

    /// Single-bit flag at `start`.
    #[inline]
    pub fn flag(&self, start: usize) -> bool {
        self.u(start, 1) == 1
    }

    /// Six-bit text of `chars` characters starting at bit `start`, as gpsd and most decoders
    /// present it: cut at the first `@`, trailing spaces removed. Characters past the end of the
    /// received bits are not read.
    pub fn text<const N: usize>(&self, start: usize, chars: usize) -> AisText<N> {
        let mut out = AisText::new();
        for k in 0..chars {
            let at = start + 6 * k;
            if at + 6 > self.len_bits {
                break;
            }
            let c = SIXBIT_TEXT[self.u(at, 6) as usize];
            if c == b'@' {
                break;
            }
            out.push(c);
        }
        out.trim_end();
        out
    }

    /// Six-bit text without any trimming: every character that the payload carries, `@` included.
    pub fn text_raw<const N: usize>(&self, start: usize, chars: usize) -> AisText<N> {
        let mut out = AisText::new();
        for k in 0..chars {
            let at = start + 6 * k;
            if at + 6 > self.len_bits {
                break;
            }
            out.push(SIXBIT_TEXT[self.u(at, 6) as usize]);
        }
        out
    }
}

/// The longest six-bit text held inline: a type 8 or 26 message of maximal length is
/// 2,048 bits, so 341 characters; binary broadcast text (DAC 1 FI 29) is the longest real case.
pub const TEXT_CHARS_MAX: usize = PAYLOAD_BITS_MAX / 6;

/// Text decoded from six-bit ASCII, held inline (no allocation on the decode path), at most
/// `N` characters; characters beyond `N` are dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct AisText<const N: usize = TEXT_CHARS_MAX> {
    len: u16,
    buf: [u8; N],
}

impl<const N: usize> AisText<N> {
    /// An empty text.
    pub const fn new() -> Self {
        Self { len: 0, buf: [0; N] }
    }

    /// Builds a text from a string; characters outside the six-bit alphabet become `?`
    /// (lower case is folded to upper case first), and anything past `N` characters is cut.
    pub fn from_str_lossy(s: &str) -> Self {
        let mut out = Self::new();
        for ch in s.chars() {
            let up = ch.to_ascii_uppercase();
            let b =
                if up.is_ascii() && SIXBIT_TEXT.contains(&(up as u8)) { up as u8 } else { b'?' };
            if usize::from(out.len) == N {
                break;
            }
            out.push(b);
        }
        out
    }

    fn push(&mut self, c: u8) {
        let n = usize::from(self.len);
        if n < N {
            self.buf[n] = c;
            self.len += 1;
        }
    }

    fn trim_end(&mut self) {
        while self.len > 0 && self.buf[usize::from(self.len) - 1] == b' ' {
            self.len -= 1;
        }
    }

    /// The text as gpsd and most decoders present it: cut at the first `@` (the six-bit padding
    /// character) and without trailing spaces. [`AisText::as_str`] returns every character.
    pub fn trimmed(&self) -> &str {
        let s = self.as_str();
        let s = s.find('@').map_or(s, |at| &s[..at]);
        s.trim_end_matches(' ')
    }

    /// The text; always ASCII.
    pub fn as_str(&self) -> &str {
        // The six-bit alphabet is ASCII, so this never fails; fall back to "" defensively.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or("")
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> Default for AisText<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Debug for AisText<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> fmt::Display for AisText<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes message bits MSB first, then armors them; the encoder's half of [`Payload`].
#[derive(Clone)]
pub struct BitWriter {
    buf: [u8; BUF_BYTES],
    len_bits: usize,
}

impl Default for BitWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl BitWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self { buf: [0; BUF_BYTES], len_bits: 0 }
    }

    /// Appends the low `len` bits of `value`; bits beyond [`PAYLOAD_BITS_MAX`] are dropped.
    pub fn u(&mut self, value: u64, len: usize) {
        let len = len.min(64);
        let take = len.min(PAYLOAD_BITS_MAX.saturating_sub(self.len_bits));
        if take == 0 {
            return;
        }
        // The field's `take` most significant bits.
        let field = if len == 64 { value } else { value & ((1u64 << len) - 1) };
        let bits = field >> (len - take);
        let at = self.len_bits / 8;
        let off = self.len_bits % 8;
        // Fast path: OR the bits into the big-endian 64-bit window starting at their first
        // byte (the buffer is zero past `len_bits`, so OR is a write).
        if off + take <= 64 {
            if let Some(window) = self.buf.get_mut(at..at + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(window);
                let merged = u64::from_be_bytes(word) | bits << (64 - off - take);
                window.copy_from_slice(&merged.to_be_bytes());
                self.len_bits += take;
                return;
            }
        }
        // Near the end of the buffer: a byte's worth at a time.
        let mut remaining = take;
        while remaining > 0 {
            let off = self.len_bits % 8;
            let n = (8 - off).min(remaining);
            let chunk = ((bits >> (remaining - n)) & ((1u64 << n) - 1)) as u8;
            self.buf[self.len_bits / 8] |= chunk << (8 - off - n);
            self.len_bits += n;
            remaining -= n;
        }
    }

    /// Appends a signed value as `len`-bit two's complement.
    pub fn i(&mut self, value: i64, len: usize) {
        self.u(value as u64, len);
    }

    /// Appends a flag bit.
    pub fn flag(&mut self, value: bool) {
        self.u(u64::from(value), 1);
    }

    /// Appends `chars` six-bit characters of `text`, padded with `@`.
    pub fn text(&mut self, text: &str, chars: usize) {
        let bytes = text.as_bytes();
        for k in 0..chars {
            let c = bytes.get(k).copied().unwrap_or(b'@').to_ascii_uppercase();
            // SIXBIT_TEXT holds exactly the bytes 0x20..=0x5F, each at its low six bits;
            // anything else is written as 0 (`@`).
            let v = if (0x20..=0x5f).contains(&c) { c & 0x3f } else { 0 };
            self.u(u64::from(v), 6);
        }
    }

    /// Appends raw bits (MSB first) from `bytes`, `len_bits` of them.
    pub fn bits(&mut self, bytes: &[u8], len_bits: usize) {
        for k in 0..len_bits {
            let bit = (bytes.get(k / 8).copied().unwrap_or(0) >> (7 - k % 8)) & 1;
            self.u(u64::from(bit), 1);
        }
    }

    /// Number of bits written.
    pub fn len_bits(&self) -> usize {
        self.len_bits
    }

    /// Appends the armored payload to `out` (without allocating when `out` has room) and
    /// returns its fill-bit count: the same characters as [`BitWriter::armor`].
    pub fn armor_to(&self, out: &mut Vec<u8>) -> u8 {
        let chars = self.len_bits.div_ceil(6);
        let fill = (chars * 6 - self.len_bits) as u8;
        out.reserve(chars);
        // Four characters from every three bytes; the buffer past `len_bits` is zero, and
        // characters beyond `chars` are cut off below.
        let start = out.len();
        let bytes = (chars.div_ceil(4) * 3).min(BUF_BYTES);
        for group in self.buf[..bytes].chunks(3) {
            let byte = |k: usize| u32::from(group.get(k).copied().unwrap_or(0));
            let v = byte(0) << 16 | byte(1) << 8 | byte(2);
            out.extend_from_slice(&[
                ARMOR[(v >> 18) as usize & 0x3f],
                ARMOR[(v >> 12) as usize & 0x3f],
                ARMOR[(v >> 6) as usize & 0x3f],
                ARMOR[v as usize & 0x3f],
            ]);
        }
        out.truncate(start + chars);
        fill
    }

    /// The armored payload and its fill-bit count.
    pub fn armor(&self) -> (String, u8) {
        let chars = self.len_bits.div_ceil(6);
        let fill = (chars * 6 - self.len_bits) as u8;
        let mut s = String::with_capacity(chars);
        for k in 0..chars {
            // The six bits at `at` lie within the 16-bit window of their byte and the next.
            let at = k * 6;
            let hi = u16::from(self.buf[at / 8]);
            let lo = u16::from(self.buf.get(at / 8 + 1).copied().unwrap_or(0));
            let v = ((hi << 8 | lo) >> (10 - at % 8)) & 0x3f;
            s.push(char::from(ARMOR[usize::from(v)]));
        }
        (s, fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit-at-a-time definition of [`BitWriter::u`] and [`BitWriter::armor`].
    fn reference(fields: &[(u64, usize)]) -> (String, u8) {
        let mut bits = Vec::new();
        for &(value, len) in fields {
            for k in (0..len).rev() {
                if bits.len() < PAYLOAD_BITS_MAX {
                    bits.push(((value >> k) & 1) as u8);
                }
            }
        }
        let chars = bits.len().div_ceil(6);
        let fill = (chars * 6 - bits.len()) as u8;
        bits.resize(chars * 6, 0);
        let s = bits
            .chunks(6)
            .map(|c| char::from(ARMOR[usize::from(c.iter().fold(0u8, |v, b| v << 1 | b))]))
            .collect();
        (s, fill)
    }

    #[test]
    fn writer_matches_the_bit_by_bit_definition() {
        let mut state = 0x5eed_u64;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        for round in 0..2_000 {
            // Up to 80 fields of 0..=64 bits: some runs pass PAYLOAD_BITS_MAX.
            let n = (next() % 80) as usize;
            let fields: Vec<(u64, usize)> =
                (0..n).map(|_| (next(), (next() % 65) as usize)).collect();
            let mut w = BitWriter::new();
            for &(v, len) in &fields {
                w.u(v, len);
            }
            let expected = reference(&fields);
            assert_eq!(w.armor(), expected, "round {round}: {fields:?}");
            let mut bytes = b"kept".to_vec();
            assert_eq!(w.armor_to(&mut bytes), expected.1, "round {round}");
            assert_eq!(&bytes[4..], expected.0.as_bytes(), "round {round}: {fields:?}");
        }
    }

    /// Every byte is written as its place in the six-bit alphabet (upper case first), or 0.
    #[test]
    fn text_writes_the_alphabet_position() {
        for b in 0..=255u8 {
            let up = b.to_ascii_uppercase();
            let expected = SIXBIT_TEXT.iter().position(|&t| t == up).unwrap_or(0) as u64;
            let mut w = BitWriter::new();
            let text = [b];
            // Bytes above 0x7f are not one-byte UTF-8; the writer reads bytes, not chars.
            let s = std::str::from_utf8(&text).unwrap_or("\u{0}");
            w.text(s, 1);
            let (armored, _) = w.armor();
            let got = Payload::from_armored(armored.as_bytes(), 0).unwrap().u(0, 6);
            if b.is_ascii() {
                assert_eq!(got, expected, "byte 0x{b:02x}");
            } else {
                assert_eq!(got, 0, "byte 0x{b:02x}");
            }
        }
    }

    #[test]
    fn armor_tables_are_inverse() {
        for v in 0..64u8 {
            assert_eq!(DEARMOR[usize::from(ARMOR[usize::from(v)])], v);
        }
    }

    #[test]
    fn reads_type_1_header() {
        // gpsd sample.aivdm, first sentence: type 1, MMSI 371798000.
        let p = Payload::from_armored(b"15RTgt0PAso;90TKcjM8h6g208CQ", 0).unwrap();
        assert_eq!(p.len_bits(), 168);
        assert_eq!(p.u(0, 6), 1);
        assert_eq!(p.u(8, 30), 371_798_000);
        assert_eq!(p.i(42, 8), -127);
    }

    #[test]
    fn writer_round_trips_reader() {
        let mut w = BitWriter::new();
        w.u(5, 6);
        w.i(-3, 8);
        w.text("AB C", 6);
        let (armored, fill) = w.armor();
        let p = Payload::from_armored(armored.as_bytes(), fill).unwrap();
        assert_eq!(p.len_bits(), 6 + 8 + 36);
        assert_eq!(p.u(0, 6), 5);
        assert_eq!(p.i(6, 8), -3);
        assert_eq!(p.text::<20>(14, 6).as_str(), "AB C");
    }

    /// Found by the `ais_stream` fuzz target: 341 characters (2,046 bits) is within the
    /// limit, but the last character's group used to be written as three bytes, one past the
    /// buffer.
    #[test]
    fn longest_payload_fits_the_buffer() {
        let armored = [b'w'; PAYLOAD_BITS_MAX / 6];
        let p = Payload::from_armored(&armored, 0).unwrap();
        assert_eq!(p.len_bits(), 2046);
        assert_eq!(p.u(2040, 6), 63);
        assert!(Payload::from_armored(&[b'w'; PAYLOAD_BITS_MAX / 6 + 1], 0).is_err());
    }

    #[test]
    fn rejects_bad_armoring() {
        assert!(matches!(
            Payload::from_armored(b"15X", 0),
            Err(PayloadError::BadCharacter { byte: b'X', index: 2 })
        ));
        assert!(matches!(Payload::from_armored(b"1", 6), Err(PayloadError::BadFillBits { .. })));
    }
}
