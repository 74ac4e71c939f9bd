//! Small byte-level number readers shared by the framing code: NMEA checksums, hexadecimal and
//! decimal fields, Unix epoch stamps and calendar dates.
//!
//! Every reader takes a byte slice and returns `None` on anything it does not fully
//! understand; none of them allocate, panic or skip bytes silently. Calendar handling is the
//! proleptic Gregorian calendar in UTC only: no time zones, no leap seconds.

/// Eight copies of the byte 0x01 (for SWAR, SIMD within a register).
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
/// Eight copies of the byte 0x80.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Eight bytes at `at` as a little-endian word, if there are eight.
#[inline(always)]
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Folds the eight bytes of `w` into one by XOR.
#[inline(always)]
fn fold_xor(w: u64) -> u8 {
    let w = w ^ (w >> 32);
    let w = w ^ (w >> 16);
    let w = w ^ (w >> 8);
    w.to_le_bytes()[0]
}

/// XOR of all bytes: the NMEA 0183 checksum of the bytes between the start delimiter and `*`.
#[inline]
pub(crate) fn xor(bytes: &[u8]) -> u8 {
    let mut acc = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        acc ^= u64::from_le_bytes(w);
    }
    chunks.remainder().iter().fold(fold_xor(acc), |x, &b| x ^ b)
}

/// Finds the first `*` in `bytes` and XORs every byte before it, in one pass eight bytes at
/// a time. Returns `(position of '*', checksum of the bytes before it)`.
#[inline]
pub(crate) fn xor_until_star(bytes: &[u8]) -> Option<(usize, u8)> {
    const STARS: u64 = LOW_BITS * b'*' as u64;
    let mut acc = 0u64;
    let mut i = 0;
    while let Some(w) = word(bytes, i) {
        // A zero byte in `w ^ STARS` is a '*' in `w` (the classic exact zero-byte test).
        let t = w ^ STARS;
        if t.wrapping_sub(LOW_BITS) & !t & HIGH_BITS != 0 {
            break;
        }
        acc ^= w;
        i += 8;
    }
    let mut x = fold_xor(acc);
    for (j, &b) in bytes.get(i..)?.iter().enumerate() {
        if b == b'*' {
            return Some((i + j, x));
        }
        x ^= b;
    }
    None
}

/// Is every byte of `bytes` in the six-bit armoring alphabet (ITU-R M.1371-5 Annex 8
/// table 47: `0`..=`W` and `` ` ``..=`w`)?
///
/// Works in 16-byte blocks, branch-free within a block so each block becomes a few vector
/// instructions; the last block overlaps the one before instead of leaving a byte-by-byte
/// remainder.
#[inline]
pub(crate) fn all_armor(bytes: &[u8]) -> bool {
    const BLOCK: usize = 16;
    if bytes.len() < BLOCK {
        return bytes.iter().all(|&b| is_armor(b));
    }
    let mut bad = 0u8;
    let mut at = 0;
    while at + BLOCK < bytes.len() {
        bad |= block_not_armor(bytes.get(at..at + BLOCK));
        at += BLOCK;
    }
    bad |= block_not_armor(bytes.get(bytes.len() - BLOCK..));
    bad == 0
}

/// Non-zero when some byte of the 16-byte `block` is not armor (or `block` is not 16 bytes).
#[inline(always)]
fn block_not_armor(block: Option<&[u8]>) -> u8 {
    let Some(block) = block.and_then(|b| <&[u8; 16]>::try_from(b).ok()) else {
        return 1;
    };
    block.iter().fold(0u8, |bad, &b| bad | u8::from(!is_armor(b)))
}

/// Is `b` in the six-bit armoring alphabet?
#[inline(always)]
pub(crate) fn is_armor(b: u8) -> bool {
    let c = b.wrapping_sub(b'0');
    // `|`, not `||`: no branch, so loops over it vectorise.
    (c < 0x28) | (c.wrapping_sub(0x30) < 0x18)
}

/// The comma-separated fields of `bytes` (an empty input is one empty field), without the
/// UTF-8 machinery of `str::split`.
#[derive(Debug, Clone)]
pub(crate) struct Fields<'a> {
    rest: Option<&'a [u8]>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Fields { rest: Some(bytes) }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        match rest.iter().position(|&b| b == b',') {
            Some(comma) => {
                self.rest = rest.get(comma + 1..);
                Some(&rest[..comma])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// Value of one hexadecimal digit (either case).
#[inline]
fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Value of the two hexadecimal digits at the start of `bytes`.
#[inline]
pub(crate) fn hex2(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [hi, lo, ..] => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
        _ => None,
    }
}

/// An unsigned decimal of 1 to 9 digits (no sign, no spaces).
#[inline]
pub(crate) fn dec_u32(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut v: u32 = 0;
    for &b in bytes {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u32::from(d);
    }
    Some(v)
}

/// Epoch values at or above this are taken as milliseconds, below it as seconds.
///
/// 10^11 seconds is the year 5138, so no real seconds stamp reaches it, while every
/// millisecond stamp after 1973-03-03 does. Feeds mix both: tag block `c:` is seconds by
/// NMEA 4.10 but some receivers write milliseconds there, and trailing epochs after the
/// checksum are seconds in USCG-style feeds and milliseconds in exactEarth ones.
const EPOCH_MS_THRESHOLD: i64 = 100_000_000_000;

/// A Unix epoch stamp written as `seconds[.fraction]` or `milliseconds`, as milliseconds.
pub(crate) fn epoch_ms(bytes: &[u8]) -> Option<i64> {
    // Integer part, at most 18 digits so it cannot overflow.
    let mut whole: i64 = 0;
    let mut digits = 0;
    for &b in bytes {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        whole = whole * 10 + i64::from(d);
        digits += 1;
        if digits > 18 {
            return None;
        }
    }
    if digits == 0 {
        return None;
    }
    let frac = match bytes.get(digits..) {
        None | Some([]) => None,
        Some([b'.', rest @ ..]) if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) => {
            Some(rest)
        }
        Some(_) => return None,
    };
    if whole >= EPOCH_MS_THRESHOLD {
        // Already milliseconds; a fraction of a millisecond is dropped.
        return Some(whole);
    }
    // The first three fraction digits are milliseconds; shorter fractions are scaled up.
    let mut ms = 0i64;
    let frac = frac.unwrap_or_default();
    for i in 0..3 {
        ms = ms * 10 + frac.get(i).map_or(0, |d| i64::from(d - b'0'));
    }
    Some(whole * 1000 + ms)
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (`month` 1..=12, `day` 1..=31).
///
/// Counts in 400-year eras of 146,097 days with the year starting in March, so the leap day
/// falls at the end of the counted year and needs no special case.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400; // 0..=399
    let m = i64::from(month);
    let shifted_month = if m > 2 { m - 3 } else { m + 9 }; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days separate 0000-03-01 from 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// Number of days in `month` of `year`.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn checksum_of_known_sentence() {
        // From gpsd's sample.aivdm: !AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A
        assert_eq!(xor(b"AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0"), 0x4A);
    }

    #[test]
    fn star_search_and_armor_agree_with_byte_loops() {
        let lines: [&[u8]; 6] = [
            b"AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
            b"*",
            b"",
            b"12345678*",
            b"1234567*9*",
            b"no star here at all, none",
        ];
        for line in lines {
            let expected = line
                .iter()
                .position(|&b| b == b'*')
                .map(|p| (p, line[..p].iter().fold(0, |x, b| x ^ b)));
            assert_eq!(xor_until_star(line), expected);
            assert_eq!(xor(line), line.iter().fold(0, |x, b| x ^ b));
        }
        for b in 0..=255u8 {
            let expected = (0x30..=0x57).contains(&b) || (0x60..=0x77).contains(&b);
            assert_eq!(is_armor(b), expected, "{b:#x}");
            // Each byte at each position of a word of otherwise valid bytes.
            for pos in 0..9 {
                let mut p = *b"0123456789";
                p[pos] = b;
                assert_eq!(all_armor(&p), expected, "{b:#x} at {pos}");
            }
        }
    }

    #[test]
    fn hex_and_decimal() {
        assert_eq!(hex2(b"4a"), Some(0x4A));
        assert_eq!(hex2(b"4G"), None);
        assert_eq!(hex2(b"4"), None);
        assert_eq!(dec_u32(b"0042"), Some(42));
        assert_eq!(dec_u32(b""), None);
        assert_eq!(dec_u32(b"1-"), None);
        assert_eq!(dec_u32(b"1234567890"), None);
    }

    #[test]
    fn epochs_in_seconds_and_milliseconds() {
        assert_eq!(epoch_ms(b"1418169601"), Some(1_418_169_601_000));
        assert_eq!(epoch_ms(b"1599239526500"), Some(1_599_239_526_500));
        assert_eq!(epoch_ms(b"1327992119.5"), Some(1_327_992_119_500));
        assert_eq!(epoch_ms(b"1327992119.12345"), Some(1_327_992_119_123));
        assert_eq!(epoch_ms(b"13279x"), None);
        assert_eq!(epoch_ms(b"1."), None);
        assert_eq!(epoch_ms(b"12345678"), Some(12_345_678_000));
        assert_eq!(epoch_ms(b"123456789012345678"), Some(123_456_789_012_345_678));
        assert_eq!(epoch_ms(b"1234567890123456789"), None);
        assert_eq!(epoch_ms(b"1234567/"), None);
        assert_eq!(epoch_ms(b"1234567:"), None);
    }

    #[test]
    fn civil_dates_match_known_epochs() {
        // `date -u -d 2008-05-09 +%s` = 1210291200; `date -u -d 2000-03-01 +%s` = 951868800.
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2008, 5, 9) * 86_400, 1_210_291_200);
        assert_eq!(days_from_civil(2000, 3, 1) * 86_400, 951_868_800);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
    }
}
