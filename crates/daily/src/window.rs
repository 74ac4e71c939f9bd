//! Reporting windows: the day Taiwan MND reports on, and dates as written on the command line.
//!
//! MND counts from 06:00 to 06:00 Taipei time (UTC+8, no daylight saving), i.e. from 22:00 UTC
//! on the day before to 22:00 UTC, and dates the release by the day the window ends on (the
//! same rule as `kuroshio-sim`'s `report` module, which generates MND-style text).

use kuroshio_model::Timestamp;
use kuroshio_store::TimeRange;
use serde::Serialize;

/// Hours of UTC at which an MND reporting day starts: 22:00 UTC is 06:00 UTC+8.
pub const DAY_START_UTC_HOUR: u8 = 22;

/// Nanoseconds in a day.
pub const DAY_NS: i64 = 86_400 * 1_000_000_000;

/// Taipei's offset from UTC, nanoseconds (UTC+8).
pub const UTC8_NS: i64 = 8 * 3_600 * 1_000_000_000;

/// A calendar date (the report's date: the day its window ends on, Taipei time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` when it is not a real date.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = text.get(0..4)?.parse().ok()?;
        let month: u8 = text.get(5..7)?.parse().ok()?;
        let day: u8 = text.get(8..10)?.parse().ok()?;
        Timestamp::from_civil(year, month, day, 0, 0, 0, 0)?;
        Some(Date { year, month, day })
    }

    /// The date of a UTC instant in Taipei.
    pub fn taipei_of(t: Timestamp) -> Date {
        let (year, month, day, ..) =
            Timestamp::from_unix_nanos(t.unix_nanos().saturating_add(UTC8_NS)).to_civil();
        Date { year, month, day }
    }

    /// The MND reporting window of the release dated `self`: 06:00 UTC+8 the day before to
    /// 06:00 UTC+8 on `self` (end excluded).
    pub fn mnd_window(self) -> TimeRange {
        let end = Timestamp::from_civil(self.year, self.month, self.day, 0, 0, 0, 0)
            .unwrap_or(Timestamp::EPOCH)
            .saturating_add_nanos(-(24 - i64::from(DAY_START_UTC_HOUR)) * 3_600 * 1_000_000_000);
        TimeRange { from: end.saturating_add_nanos(-DAY_NS), to: end }
    }

    /// The date `days` later (earlier when negative).
    pub fn plus_days(self, days: i64) -> Date {
        let t = Timestamp::from_civil(self.year, self.month, self.day, 12, 0, 0, 0)
            .unwrap_or(Timestamp::EPOCH)
            .saturating_add_nanos(days.saturating_mul(DAY_NS));
        let (year, month, day, ..) = t.to_civil();
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Taipei wall-clock fields of a UTC instant: (year, month, day, hour, minute).
pub fn taipei(t: Timestamp) -> (i32, u8, u8, u8, u8) {
    let (y, mo, d, h, mi, ..) =
        Timestamp::from_unix_nanos(t.unix_nanos().saturating_add(UTC8_NS)).to_civil();
    (y, mo, d, h, mi)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_mnd_day_runs_22_to_22_utc() {
        // MND's release of 15 October 2024 covers 06:00 on the 14th to 06:00 on the 15th,
        // Taipei time.
        let w = Date::parse("2024-10-15").unwrap().mnd_window();
        assert_eq!(w.from, Timestamp::parse("2024-10-13T22:00:00Z").unwrap());
        assert_eq!(w.to, Timestamp::parse("2024-10-14T22:00:00Z").unwrap());
        assert_eq!(Date::taipei_of(w.to), Date::parse("2024-10-15").unwrap());
        assert_eq!(Date::taipei_of(w.from).plus_days(1), Date::parse("2024-10-15").unwrap());
        // Month and year ends.
        let w = Date::parse("2025-01-01").unwrap().mnd_window();
        assert_eq!(w.from, Timestamp::parse("2024-12-30T22:00:00Z").unwrap());
        assert_eq!(Date::parse("2024-03-01").unwrap().plus_days(-1).to_string(), "2024-02-29");
        for bad in ["2024-02-30", "2024-13-01", "24-10-15", "2024/10/15", ""] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }
}
