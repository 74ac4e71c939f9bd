//! UTC instants with sub-second precision.
//!
//! A [`Timestamp`] counts nanoseconds since 1970-01-01T00:00:00Z in an `i64` (about ±292 years),
//! ignoring leap seconds as Unix time does. It formats and parses the RFC 3339 subset that feeds
//! and reports use (`2026-11-26T11:22:29.5Z`, with an optional numeric offset on input).

use std::fmt;

use serde::{Deserialize, Serialize};

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// A UTC instant, nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

/// Why a timestamp could not be parsed or built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is not RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
    #[error("{text:?} is not an RFC 3339 timestamp: {reason}")]
    Syntax {
        /// The rejected text.
        text: String,
        /// What was wrong.
        reason: &'static str,
    },
    /// The instant does not fit in the representable range (about 1678–2262).
    #[error("timestamp out of range")]
    OutOfRange,
}

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Self = Self(0);

    /// From nanoseconds since the epoch.
    pub const fn from_unix_nanos(nanos: i64) -> Self {
        Self(nanos)
    }

    /// From milliseconds since the epoch; `None` if out of range.
    pub fn from_unix_millis(millis: i64) -> Option<Self> {
        millis.checked_mul(1_000_000).map(Self)
    }

    /// From whole seconds since the epoch; `None` if out of range.
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        seconds.checked_mul(NANOS_PER_SECOND).map(Self)
    }

    /// From fractional seconds since the epoch, rounded to the nearest microsecond (the
    /// precision of a double near the present); `None` if not finite or out of range.
    pub fn from_unix_seconds_f64(seconds: f64) -> Option<Self> {
        if !seconds.is_finite() {
            return None;
        }
        let micros = (seconds * 1e6).round();
        if micros.abs() >= 9.2e15 {
            return None;
        }
        Some(Self(micros as i64 * 1_000))
    }

    /// Nanoseconds since the epoch.
    pub const fn unix_nanos(self) -> i64 {
        self.0
    }

    /// Milliseconds since the epoch, rounded towards negative infinity.
    pub const fn unix_millis(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    /// Fractional seconds since the epoch.
    pub fn unix_seconds_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }

    /// This instant plus `nanos` nanoseconds, saturating at the ends of the range.
    pub const fn saturating_add_nanos(self, nanos: i64) -> Self {
        Self(self.0.saturating_add(nanos))
    }

    /// Signed nanoseconds from `earlier` to `self`, saturating.
    pub const fn nanos_since(self, earlier: Self) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Builds a timestamp from UTC calendar fields; `None` if any field is out of its range.
    pub fn from_civil(
        year: i32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        nanos: u32,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
            || nanos >= 1_000_000_000
        {
            return None;
        }
        let days = days_from_civil(i64::from(year), month, day);
        let secs = days
            .checked_mul(SECONDS_PER_DAY)?
            .checked_add(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))?;
        secs.checked_mul(NANOS_PER_SECOND)?.checked_add(i64::from(nanos)).map(Self)
    }

    /// UTC calendar fields: (year, month, day, hour, minute, second, nanosecond).
    pub fn to_civil(self) -> (i32, u8, u8, u8, u8, u8, u32) {
        let secs = self.0.div_euclid(NANOS_PER_SECOND);
        let nanos = self.0.rem_euclid(NANOS_PER_SECOND) as u32;
        let days = secs.div_euclid(SECONDS_PER_DAY);
        let sod = secs.rem_euclid(SECONDS_PER_DAY);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, (sod / 3600) as u8, (sod / 60 % 60) as u8, (sod % 60) as u8, nanos)
    }

    /// Parses RFC 3339 (`2026-11-26T11:22:29Z`, `2026-11-26T11:22:29.123+08:00`; a space or
    /// lower-case `t` is accepted in place of `T`).
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let err = |reason| TimestampError::Syntax { text: text.to_owned(), reason };
        let b = text.as_bytes();
        if b.len() < 20 {
            return Err(err("too short"));
        }
        let num = |range: std::ops::Range<usize>| -> Result<u32, TimestampError> {
            let mut v = 0u32;
            for &c in &b[range] {
                if !c.is_ascii_digit() {
                    return Err(err("expected a digit"));
                }
                v = v * 10 + u32::from(c - b'0');
            }
            Ok(v)
        };
        if b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
            return Err(err("bad separators"));
        }
        if !matches!(b[10], b'T' | b't' | b' ') {
            return Err(err("expected T between date and time"));
        }
        let year = num(0..4)? as i32;
        let (month, day) = (num(5..7)? as u8, num(8..10)? as u8);
        let (hour, minute, second) = (num(11..13)? as u8, num(14..16)? as u8, num(17..19)? as u8);
        let mut i = 19;
        let mut nanos = 0u32;
        if b[i] == b'.' {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            let digits = i - start;
            if digits == 0 {
                return Err(err("empty fraction"));
            }
            for _ in digits..9 {
                nanos *= 10;
            }
        }
        let offset_s: i64 = match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
                let h = i64::from(num(i + 1..i + 3)?);
                let m = i64::from(num(i + 4..i + 6)?);
                if h > 23 || m > 59 {
                    return Err(err("bad offset"));
                }
                let s = h * 3600 + m * 60;
                if sign == b'-' { -s } else { s }
            }
            _ => return Err(err("expected Z or ±HH:MM at the end")),
        };
        let local = Self::from_civil(year, month, day, hour, minute, second, nanos)
            .ok_or_else(|| err("field out of range"))?;
        local.0.checked_sub(offset_s * NANOS_PER_SECOND).map(Self).ok_or(TimestampError::OutOfRange)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with as many fractional digits as needed (none, 3, 6 or 9).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s, ns) = self.to_civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        if ns != 0 {
            if ns % 1_000_000 == 0 {
                write!(f, ".{:03}", ns / 1_000_000)?;
            } else if ns % 1_000 == 0 {
                write!(f, ".{:06}", ns / 1_000)?;
            } else {
                write!(f, ".{ns:09}")?;
            }
        }
        f.write_str("Z")
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (era-based day count; see H. Hinnant,
/// "chrono-Compatible Low-Level Date Algorithms").
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        // 2007-05-14T19:57:39Z is the base-station time in gpsd's sample type 4 message;
        // 1179172659 is its Unix time (date -d @1179172659 -u).
        let t = Timestamp::parse("2007-05-14T19:57:39Z").unwrap();
        assert_eq!(t.unix_nanos(), 1_179_172_659 * NANOS_PER_SECOND);
        assert_eq!(t.to_string(), "2007-05-14T19:57:39Z");
        let t = Timestamp::parse("2026-11-26T06:00:00.5+08:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-25T22:00:00.500Z");
        assert_eq!(Timestamp::parse("2000-02-29T00:00:00Z").unwrap().to_civil().2, 29);
        assert!(Timestamp::parse("2001-02-29T00:00:00Z").is_err());
        assert!(Timestamp::parse("2001-02-28T24:00:00Z").is_err());
        assert!(Timestamp::parse("2001-02-28T23:00:00").is_err());
        assert_eq!(Timestamp::from_unix_nanos(-1).to_string(), "1969-12-31T23:59:59.999999999Z");
    }

    proptest::proptest! {
        #[test]
        fn civil_round_trip(nanos in -6_000_000_000_000_000_000i64..6_000_000_000_000_000_000i64) {
            let t = Timestamp::from_unix_nanos(nanos);
            let (y, mo, d, h, mi, s, ns) = t.to_civil();
            proptest::prop_assert_eq!(Timestamp::from_civil(y, mo, d, h, mi, s, ns), Some(t));
            if (1..=9999).contains(&y) {
                proptest::prop_assert_eq!(Timestamp::parse(&t.to_string()).ok(), Some(t));
            }
        }
    }
}
