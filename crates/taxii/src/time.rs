//! TAXII timestamps: `date_added` at microsecond precision, object versions as instants.
//!
//! The store keeps `date_added` as microseconds since the Unix epoch and writes it as RFC 3339
//! with exactly six fractional digits (`2016-11-03T12:30:59.001000Z`), the form TAXII 2.1 servers
//! use for `date_added` and the `X-TAXII-Date-Added-First`/`-Last` headers (TAXII 2.1 OASIS
//! Standard, 10 June 2021, "Timestamps": "the timestamp MUST be represented with at least
//! millisecond precision"; medallion 3.0.0 writes microseconds, see the fixture's SOURCE.md).
//! Object versions (`modified`, `created`) are kept as written and compared as nanosecond
//! instants.

use kuroshio_model::Timestamp;

/// Microseconds since the Unix epoch as RFC 3339 UTC with six fractional digits.
pub fn format_us(us: i64) -> String {
    let t = Timestamp::from_unix_nanos(us.saturating_mul(1_000));
    let (y, mo, d, h, mi, s, ns) = t.to_civil();
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z", ns / 1_000)
}

/// Nanoseconds since the epoch of an RFC 3339 timestamp; `None` when it does not parse.
pub fn parse_ns(text: &str) -> Option<i64> {
    Timestamp::parse(text).ok().map(Timestamp::unix_nanos)
}

/// Microseconds since the epoch of an RFC 3339 timestamp, rounded down; `None` when it does
/// not parse.
pub fn parse_us(text: &str) -> Option<i64> {
    parse_ns(text).map(|ns| ns.div_euclid(1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_round_trip() {
        let us = parse_us("2016-11-03T12:30:59.001Z").unwrap();
        assert_eq!(format_us(us), "2016-11-03T12:30:59.001000Z");
        assert_eq!(format_us(us + 1), "2016-11-03T12:30:59.001001Z");
        assert_eq!(parse_us(&format_us(us + 7)), Some(us + 7));
        assert_eq!(
            parse_ns("2017-01-27T13:49:53.935382Z").map(|n| n % 1_000_000_000),
            Some(935_382_000)
        );
        assert_eq!(parse_ns("yesterday"), None);
    }
}
