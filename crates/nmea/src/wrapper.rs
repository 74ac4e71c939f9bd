//! The wrappers real AIS feeds put around sentences: Gatehouse `$PGHP` headers, USCG-style
//! receiver fields after the checksum, trailing epoch stamps, leading epoch prefixes and
//! several sentences run together on one line.
//!
//! Each wrapper is read from the one line it is on. A `$PGHP` header describes the sentence
//! on the *next* line, but linking the two needs state across lines, which belongs to the
//! stream decoder; this module only returns the header's data. Receiver fields other than the
//! station and the epoch (signal strength, slot, time of arrival) are left in
//! [`crate::Sentence::trailer`] unparsed.

use crate::error::FrameError;
use crate::num::{Fields, days_from_civil, days_in_month, dec_u32, epoch_ms, hex2, xor};

/// A Gatehouse `$PGHP` header line, which precedes the sentence it describes.
///
/// Layout of message type 1, as Gatehouse AIS servers write it:
/// `$PGHP,1,<year>,<month>,<day>,<hour>,<minute>,<second>,<millisecond>,<country MID>,
/// <region>,<source MMSI>,<online flag>,<checksum of next sentence>*hh[,<epoch ms>]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pghp<'a> {
    /// The message type (the first field); only type 1 has its fields parsed below.
    pub message_type: u32,
    /// The header's UTC receive time, in Unix milliseconds.
    pub unix_time_ms: Option<i64>,
    /// The country field (a Maritime Identification Digits value), as written.
    pub country: &'a str,
    /// The region field, as written.
    pub region: &'a str,
    /// The source field (the MMSI of the receiving station), as written; may be empty.
    pub source: &'a str,
    /// The online-data field, as written (`1`, or `1AIS_S` on exactEarth feeds).
    pub online: &'a str,
    /// The checksum the next sentence should carry, which ties the header to it.
    pub next_sentence_checksum: Option<u8>,
    /// An epoch stamp written after the header's checksum (exactEarth feeds), in Unix ms.
    pub trailing_unix_ms: Option<i64>,
    /// Whether the header's own `*hh` checksum matched (always `true` in strict mode).
    pub checksum_ok: bool,
}

/// Parses a `$PGHP` line (`line` starts with `$PGHP,`).
pub(crate) fn parse_pghp(line: &[u8], lenient_checksum: bool) -> Result<Pghp<'_>, FrameError> {
    let star = memchr::memchr(b'*', line).ok_or(FrameError::MissingChecksum)?;
    let body = line.get(1..star).unwrap_or_default();
    let after = &line[star + 1..];
    let found = hex2(after).ok_or(FrameError::MalformedChecksum)?;
    let expected = xor(body);
    let checksum_ok = expected == found;
    if !checksum_ok && !lenient_checksum {
        return Err(FrameError::BadChecksum { expected, found });
    }
    // Fields after "PGHP".
    let mut fields = Fields::new(body).skip(1);
    let mut next = || fields.next().unwrap_or_default();
    let bad = |field| FrameError::BadPghp { field };
    let text = |bytes| std::str::from_utf8(bytes).map_err(|_| FrameError::NotUtf8);

    let message_type = dec_u32(next()).ok_or(bad("message type"))?;
    let mut header = Pghp {
        message_type,
        unix_time_ms: None,
        country: "",
        region: "",
        source: "",
        online: "",
        next_sentence_checksum: None,
        trailing_unix_ms: trailing_epoch(&after[2..]),
        checksum_ok,
    };
    if message_type != 1 {
        return Ok(header);
    }
    let mut number = |name| dec_u32(next()).ok_or(bad(name));
    let year = number("year")?;
    let month = number("month")?;
    let day = number("day")?;
    let hour = number("hour")?;
    let minute = number("minute")?;
    let second = number("second")?;
    let millisecond = number("millisecond")?;
    let year_i = i64::from(year);
    // Years are bounded so the millisecond arithmetic below cannot overflow.
    if !(1..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year_i, month)
    {
        return Err(bad("date"));
    }
    // Second 60 is allowed for a leap second.
    if hour > 23 || minute > 59 || second > 60 || millisecond > 999 {
        return Err(bad("time of day"));
    }
    let seconds = days_from_civil(year_i, month, day) * 86_400
        + i64::from(hour) * 3_600
        + i64::from(minute) * 60
        + i64::from(second);
    header.unix_time_ms = Some(seconds * 1000 + i64::from(millisecond));
    header.country = text(next())?;
    header.region = text(next())?;
    header.source = text(next())?;
    header.online = text(next())?;
    header.next_sentence_checksum = match next() {
        cc @ [_, _] => hex2(cc),
        _ => None,
    };
    Ok(header)
}

/// `,<epoch>` right after a checksum, as exactEarth writes on every line.
fn trailing_epoch(after_checksum: &[u8]) -> Option<i64> {
    let value = after_checksum.strip_prefix(b",")?;
    let end = value.iter().position(|&b| b == b',').unwrap_or(value.len());
    epoch_ms(&value[..end])
}

/// Receiver data read from the fields after a sentence's checksum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Trailer<'a> {
    /// A station field (`r…`, `b…` or `B…` followed by letters, digits or `_`).
    pub station: Option<&'a str>,
    /// The first all-numeric field, as an epoch in Unix milliseconds.
    pub unix_ms: Option<i64>,
}

/// Reads USCG-style receiver fields: `,d-109,S2105,t050056.00,T56.13,r003669946,1325394060`.
///
/// The station is the last field shaped like one (`r`, `b` or `B` then letters, digits or
/// `_`); the epoch is the first all-numeric field after it, or the first all-numeric field
/// when there is no station. Other fields, and fields that fit no known shape (some feeds
/// write garbage there), are skipped. Fields are read from the end, where station and epoch
/// sit, so the signal fields in front are usually never looked at.
pub(crate) fn parse_trailer(trailer: &[u8]) -> Trailer<'_> {
    let mut out = Trailer::default();
    let mut end = trailer.len();
    loop {
        let start = trailer[..end].iter().rposition(|&b| b == b',').map_or(0, |comma| comma + 1);
        let field = &trailer[start..end];
        match field {
            [b'r' | b'b' | b'B', rest @ ..]
                if !rest.is_empty()
                    && rest.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                out.station = std::str::from_utf8(field).ok();
                break;
            }
            // The leftmost epoch seen so far while walking leftwards wins.
            [b'0'..=b'9', ..] => out.unix_ms = epoch_ms(field).or(out.unix_ms),
            _ => {}
        }
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    out
}

/// Splits what follows a sentence's two checksum digits into the trailer (receiver fields
/// and any junk) and a continuation: a further sentence run onto the same line.
///
/// A continuation starts with `!`, or with `\` followed by a tag-block key (`\s:`, `\g:` …).
/// Between the two sentences some feeds leave a real or a literally written line break
/// (`\r\n`, `\x0d\x0a`); those are skipped.
pub(crate) fn split_after_checksum(after: &[u8]) -> (&[u8], &[u8]) {
    if after.is_empty() {
        return (after, after);
    }
    let Some(start) = memchr::memchr2(b'!', b'\\', after) else {
        return (after, &[]);
    };
    let trailer = &after[..start];
    let mut rest = &after[start..];
    loop {
        rest = match rest {
            [b'\\', b'r' | b'n', tail @ ..] => tail,
            [b'\\', b'x' | b'X', b'0', b'd' | b'D' | b'a' | b'A', tail @ ..] => tail,
            [b' ' | b'\t' | b'\r' | b'\n', tail @ ..] => tail,
            [b'!', ..] => return (trailer, rest),
            [b'\\', k, b':', ..] if k.is_ascii_alphabetic() => return (trailer, rest),
            _ => return (after, &[]),
        };
    }
}

/// A leading Unix epoch (`1325394060 !AIVDM…`, `1325394060.25;\s:…`): the stamp in
/// milliseconds and the line after it, or `None` when the line does not start that way.
pub(crate) fn split_epoch_prefix(line: &[u8]) -> Option<(i64, &[u8])> {
    let end = line.iter().position(|&b| !(b.is_ascii_digit() || b == b'.'))?;
    let ms = epoch_ms(&line[..end])?;
    let mut rest = match line.get(end)? {
        b' ' | b'\t' | b',' | b';' => &line[end + 1..],
        _ => return None,
    };
    while let [b' ' | b'\t', tail @ ..] = rest {
        rest = tail;
    }
    matches!(rest.first(), Some(b'!' | b'$' | b'\\')).then_some((ms, rest))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn gatehouse_header() {
        // pyais gatehouse.nmea; the date fields read 2008-05-09 00:00:00.010 UTC.
        let h = parse_pghp(b"$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17", false).unwrap();
        assert_eq!(h.message_type, 1);
        assert_eq!(h.unix_time_ms, Some(1_210_291_200_010));
        assert_eq!((h.country, h.region, h.source), ("338", "2", ""));
        assert_eq!(h.next_sentence_checksum, Some(0x09));
        assert_eq!(h.trailing_unix_ms, None);
    }

    #[test]
    fn exact_earth_header_with_trailing_epoch() {
        // amsa-risky exact-earth-augmented.txt, first line; 2012-01-31 05:07:02.151 UTC.
        let h = parse_pghp(
            b"$PGHP,1,2012,1,31,5,7,2,151,316,2,316000002,1AIS_S,51*77,1327992119157",
            false,
        )
        .unwrap();
        assert_eq!(h.unix_time_ms, Some(1_327_986_422_151));
        assert_eq!(h.source, "316000002");
        assert_eq!(h.online, "1AIS_S");
        assert_eq!(h.next_sentence_checksum, Some(0x51));
        assert_eq!(h.trailing_unix_ms, Some(1_327_992_119_157));
    }

    #[test]
    fn bad_header_dates() {
        let e = parse_pghp(b"$PGHP,1,2008,2,30,0,0,0,10,338,2,,1,09*17", true).unwrap_err();
        assert_eq!(e, FrameError::BadPghp { field: "date" });
        let e = parse_pghp(b"$PGHP,1,999999999,2,3,0,0,0,10,338,2,,1,09*17", true).unwrap_err();
        assert_eq!(e, FrameError::BadPghp { field: "date" });
    }

    #[test]
    fn uscg_trailer() {
        let t = parse_trailer(b",d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1");
        assert_eq!(t.station, Some("r003669946"));
        assert_eq!(t.unix_ms, Some(1_325_394_060_000));
        // libais test.aivdm: station and epoch only.
        let t = parse_trailer(b",b003669794,1272412827");
        assert_eq!(t.station, Some("b003669794"));
        assert_eq!(t.unix_ms, Some(1_272_412_827_000));
        // dma-aislib small_cb_example.txt: junk, an empty field, then the epoch.
        let t = parse_trailer(b",1daasd4218,,1357134222");
        assert_eq!(t.station, None);
        assert_eq!(t.unix_ms, Some(1_357_134_222_000));
        let t = parse_trailer(b",raishub,1342569600");
        assert_eq!(t.station, Some("raishub"));
    }

    #[test]
    fn continuations() {
        assert_eq!(split_after_checksum(br"\r\n!AIVDM,2,2"), (&b""[..], &b"!AIVDM,2,2"[..]));
        assert_eq!(
            split_after_checksum(br"\s:rMT2083,c:1*4B\!AIVDM"),
            (&b""[..], &br"\s:rMT2083,c:1*4B\!AIVDM"[..])
        );
        // gpsd sample.aivdm: a literal "\x0d\x0a" with nothing after it is junk.
        assert_eq!(split_after_checksum(br"\x0d\x0a"), (&br"\x0d\x0a"[..], &b""[..]));
        assert_eq!(split_after_checksum(b"'"), (&b"'"[..], &b""[..]));
        assert_eq!(split_after_checksum(b",1327992119173"), (&b",1327992119173"[..], &b""[..]));
    }

    #[test]
    fn epoch_prefixes() {
        assert_eq!(
            split_epoch_prefix(b"1325394060 !AIVDM"),
            Some((1_325_394_060_000, &b"!AIVDM"[..]))
        );
        assert_eq!(split_epoch_prefix(b"53l3sj42A590"), None);
        assert_eq!(split_epoch_prefix(b"1325394060 hello"), None);
    }
}
