//! The plain sensor-track format (`tracks.ndjson`): one JSON object per line, one line per
//! track update, written by [`TrackPoint::write_line`] and read back by [`parse_line`].
//!
//! | field | type | meaning |
//! |---|---|---|
//! | `time` | string | RFC 3339 UTC time of the update |
//! | `track` | string | track id, unique within the source (1–64 printable ASCII characters) |
//! | `lat`, `lon` | number | position, degrees |
//! | `speed_knots` | number | speed over ground, knots (optional) |
//! | `course_deg` | number | course over ground, degrees true [0, 360) (optional) |
//! | `altitude_ft` | number | altitude, feet (optional; air tracks) |
//! | `domain` | string | `air`, `sea` or `land` |
//! | `kind` | string | what the sensor classified it as (`fighter`, `warship`, `aircraft`, …) |
//! | `source` | string | the reporting sensor or partner (optional; a [`SourceId`]) |
//!
//! Unknown fields are ignored, so later versions may add some. The reader turns a line into
//! an [`Observation`] with [`TargetId::Local`] (the track id), which is what the tracker
//! expects of radar tracks.

use std::sync::Arc;

use crate::numeric::round_half_away;
use kuroshio_model::{Kinematics, Observation, Position, SourceId, TargetId, Timestamp};
use serde::Deserialize;
use thiserror::Error;

/// Longest line accepted by [`parse_line`], bytes: a full record is under 300 bytes; the
/// limit bounds the work spent on garbage.
pub const LINE_BYTES_MAX: usize = 4096;

/// Capacity of the scratch line [`TrackPoint::write_line`] starts with: a typical record
/// (about 200 bytes) fits without growing.
const LINE_BYTES_TYPICAL: usize = 256;

/// Source written when a line has none.
pub const DEFAULT_SOURCE: &str = "track-feed";

/// The domain of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Aircraft.
    Air,
    /// Surface vessels.
    Sea,
    /// Land units.
    Land,
}

impl Domain {
    /// The word written in the `domain` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Air => "air",
            Domain::Sea => "sea",
            Domain::Land => "land",
        }
    }
}

/// One track update.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackPoint {
    /// Time of the update.
    pub time: Timestamp,
    /// Track id.
    pub track: Arc<str>,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots.
    pub speed_knots: Option<f64>,
    /// Course over ground, degrees true.
    pub course_deg: Option<f64>,
    /// Altitude, feet.
    pub altitude_ft: Option<f64>,
    /// Domain.
    pub domain: Domain,
    /// Classification.
    pub kind: Arc<str>,
    /// Reporting sensor.
    pub source: Arc<str>,
}

/// Why a track line was refused.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum TrackLineError {
    /// Longer than [`LINE_BYTES_MAX`].
    #[error("line of {bytes} bytes exceeds {max}", max = LINE_BYTES_MAX)]
    TooLong {
        /// Length.
        bytes: usize,
    },
    /// Not a JSON object of the format (syntax, missing field, wrong type).
    #[error("not a track record: {reason}")]
    Json {
        /// The JSON reader's message.
        reason: String,
    },
    /// `time` is not RFC 3339.
    #[error("time {time:?} is not RFC 3339")]
    Time {
        /// The text.
        time: String,
    },
    /// Latitude or longitude out of range.
    #[error("position lat {lat}, lon {lon} is out of range")]
    Position {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// Track id or source not 1–64 printable ASCII characters.
    #[error("{field} {value:?} is not 1-64 printable ASCII characters")]
    Id {
        /// `track` or `source`.
        field: &'static str,
        /// The text.
        value: String,
    },
    /// A kinematic value that is not finite or out of its range.
    #[error("{field} = {value} is out of range")]
    Value {
        /// The field.
        field: &'static str,
        /// The value.
        value: f64,
    },
}

impl TrackLineError {
    /// A stable short name of the fault, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            TrackLineError::TooLong { .. } => "too_long",
            TrackLineError::Json { .. } => "json",
            TrackLineError::Time { .. } => "bad_time",
            TrackLineError::Position { .. } => "bad_position",
            TrackLineError::Id { .. } => "bad_id",
            TrackLineError::Value { .. } => "bad_value",
        }
    }
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    time: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    track: std::borrow::Cow<'a, str>,
    lat: f64,
    lon: f64,
    #[serde(default)]
    speed_knots: Option<f64>,
    #[serde(default)]
    course_deg: Option<f64>,
    #[serde(default)]
    altitude_ft: Option<f64>,
    domain: Domain,
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    source: Option<std::borrow::Cow<'a, str>>,
}

impl TrackPoint {
    /// Appends the record as one JSON line, newline included.
    pub fn write_line(&self, out: &mut String) {
        let mut line = Vec::with_capacity(LINE_BYTES_TYPICAL);
        self.write_line_bytes(&mut line);
        // The line is UTF-8: ASCII around the record's own strings, which are copied whole.
        out.push_str(&String::from_utf8_lossy(&line));
    }

    /// [`TrackPoint::write_line`] appending to a byte buffer.
    pub fn write_line_bytes(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"time\":\"");
        push_time(out, self.time);
        out.extend_from_slice(b"\",\"track\":");
        json_str(out, &self.track);
        out.extend_from_slice(b",\"lat\":");
        push_fixed(out, self.lat, 6);
        out.extend_from_slice(b",\"lon\":");
        push_fixed(out, self.lon, 6);
        if let Some(v) = self.speed_knots {
            out.extend_from_slice(b",\"speed_knots\":");
            push_fixed(out, v, 1);
        }
        if let Some(v) = self.course_deg {
            out.extend_from_slice(b",\"course_deg\":");
            push_fixed(out, v, 1);
        }
        if let Some(v) = self.altitude_ft {
            out.extend_from_slice(b",\"altitude_ft\":");
            push_fixed(out, v, 0);
        }
        out.extend_from_slice(b",\"domain\":\"");
        out.extend_from_slice(self.domain.as_str().as_bytes());
        out.extend_from_slice(b"\",\"kind\":");
        json_str(out, &self.kind);
        out.extend_from_slice(b",\"source\":");
        json_str(out, &self.source);
        out.extend_from_slice(b"}\n");
    }

    /// The observation the tracker takes: [`TargetId::Local`] with the track id.
    pub fn to_observation(&self) -> Result<Observation, TrackLineError> {
        let source = SourceId::parse(&self.source)
            .map_err(|_| TrackLineError::Id { field: "source", value: self.source.to_string() })?;
        let position = Position::new(self.lon, self.lat)
            .map_err(|_| TrackLineError::Position { lat: self.lat, lon: self.lon })?;
        let mut o = Observation::new(TargetId::Local(self.track.to_string()), self.time, source);
        o.position = Some(position);
        o.kinematics = Kinematics {
            speed_knots: self.speed_knots,
            course_deg: self.course_deg,
            altitude_ft: self.altitude_ft,
            ..Kinematics::default()
        };
        Ok(o)
    }
}

/// Appends `value` in decimal, at least `width` digits (zero-padded).
fn push_digits(out: &mut Vec<u8>, mut value: u64, width: usize) {
    // u64::MAX has 20 digits.
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    // Two digits per division.
    while value >= 100 {
        let pair = (value % 100) as u8;
        value /= 100;
        at -= 2;
        digits[at] = b'0' + pair / 10;
        digits[at + 1] = b'0' + pair % 10;
    }
    if value >= 10 {
        at -= 2;
        digits[at] = b'0' + value as u8 / 10;
        digits[at + 1] = b'0' + value as u8 % 10;
    } else {
        at -= 1;
        digits[at] = b'0' + value as u8;
    }
    out.extend_from_slice(&digits[at.min(digits.len().saturating_sub(width))..]);
}

/// Appends the time as its `Display` does (RFC 3339 UTC with none, 3, 6 or 9 fractional
/// digits), with hand-written digits for years 0 to 9999 instead of `core::fmt`.
fn push_time(out: &mut Vec<u8>, time: Timestamp) {
    let (y, mo, d, h, mi, s, ns) = time.to_civil();
    let Ok(year) = u64::try_from(y) else {
        out.extend_from_slice(time.to_string().as_bytes());
        return;
    };
    if year > 9999 {
        out.extend_from_slice(time.to_string().as_bytes());
        return;
    }
    push_digits(out, year, 4);
    for (sep, v) in [(b'-', mo), (b'-', d), (b'T', h), (b':', mi), (b':', s)] {
        out.extend_from_slice(&[sep, b'0' + v / 10, b'0' + v % 10]);
    }
    if ns != 0 {
        out.push(b'.');
        if ns % 1_000_000 == 0 {
            push_digits(out, u64::from(ns / 1_000_000), 3);
        } else if ns % 1_000 == 0 {
            push_digits(out, u64::from(ns / 1_000), 6);
        } else {
            push_digits(out, u64::from(ns), 9);
        }
    }
    out.push(b'Z');
}

/// Writes `v` with `decimals` digits after the point (at most 9), rounded half away from
/// zero; much faster than `format!("{v:.6}")`, which the track writer would otherwise spend
/// most of its time in. Non-finite values are written as `0`.
#[inline(always)]
fn push_fixed(out: &mut Vec<u8>, v: f64, decimals: u32) {
    // The writer's decimals are constants: each gets its own copy, whose divisions by the
    // scale compile to multiplications.
    match decimals {
        0 => push_fixed_n::<0>(out, v),
        1 => push_fixed_n::<1>(out, v),
        6 => push_fixed_n::<6>(out, v),
        d => push_fixed_any(out, v, d),
    }
}

#[inline]
fn push_fixed_n<const D: u32>(out: &mut Vec<u8>, v: f64) {
    push_scaled(out, v, D, 10u64.pow(D));
}

#[inline(never)]
fn push_fixed_any(out: &mut Vec<u8>, v: f64, decimals: u32) {
    let decimals = decimals.min(9);
    push_scaled(out, v, decimals, 10u64.pow(decimals));
}

/// [`push_fixed`] with `scale` = 10^`decimals`.
#[inline(always)]
fn push_scaled(out: &mut Vec<u8>, v: f64, decimals: u32, scale: u64) {
    let scaled = round_half_away(v * scale as f64);
    if !scaled.is_finite() || scaled.abs() >= 9.0e18 {
        out.push(b'0');
        return;
    }
    let n = scaled as i64;
    if n < 0 {
        out.push(b'-');
    }
    let n = n.unsigned_abs();
    push_digits(out, n / scale, 1);
    if decimals > 0 {
        out.push(b'.');
        push_digits(out, n % scale, decimals as usize);
    }
}

/// Writes `s` as a JSON string (quotes and escapes).
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.extend_from_slice(bytes);
    } else {
        // Multi-byte UTF-8 sequences have every byte at 0x80 or above and are copied as
        // they are.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for &b in bytes {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b if b < 0x20 => out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(b >> 4)],
                    HEX[usize::from(b & 0xf)],
                ]),
                b => out.push(b),
            }
        }
    }
    out.push(b'"');
}

fn id_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= SourceId::LEN_MAX
        && s.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

fn finite_in(field: &'static str, v: Option<f64>, lo: f64, hi: f64) -> Result<(), TrackLineError> {
    match v {
        Some(x) if !(x.is_finite() && x >= lo && x <= hi) => {
            Err(TrackLineError::Value { field, value: x })
        }
        _ => Ok(()),
    }
}

/// Reads one line of the track format into a [`TrackPoint`] (a trailing `\r\n` or `\n` is
/// allowed).
pub fn parse_point(line: &[u8]) -> Result<TrackPoint, TrackLineError> {
    if line.len() > LINE_BYTES_MAX {
        return Err(TrackLineError::TooLong { bytes: line.len() });
    }
    let l: Line<'_> =
        serde_json::from_slice(line).map_err(|e| TrackLineError::Json { reason: e.to_string() })?;
    let time =
        Timestamp::parse(&l.time).map_err(|_| TrackLineError::Time { time: l.time.to_string() })?;
    if !(l.lat.is_finite()
        && l.lon.is_finite()
        && (-90.0..=90.0).contains(&l.lat)
        && (-180.0..=180.0).contains(&l.lon))
    {
        return Err(TrackLineError::Position { lat: l.lat, lon: l.lon });
    }
    if !id_ok(&l.track) {
        return Err(TrackLineError::Id { field: "track", value: l.track.to_string() });
    }
    let source = l.source.as_deref().unwrap_or(DEFAULT_SOURCE);
    if SourceId::parse(source).is_err() {
        return Err(TrackLineError::Id { field: "source", value: source.to_owned() });
    }
    finite_in("speed_knots", l.speed_knots, 0.0, 5000.0)?;
    finite_in("course_deg", l.course_deg, 0.0, 360.0)?;
    finite_in("altitude_ft", l.altitude_ft, -2000.0, 200_000.0)?;
    Ok(TrackPoint {
        time,
        track: Arc::from(&*l.track),
        lat: l.lat,
        lon: l.lon,
        speed_knots: l.speed_knots,
        course_deg: l.course_deg,
        altitude_ft: l.altitude_ft,
        domain: l.domain,
        kind: Arc::from(&*l.kind),
        source: Arc::from(source),
    })
}

/// Reads one line of the track format into an [`Observation`] with [`TargetId::Local`].
pub fn parse_line(line: &[u8]) -> Result<Observation, TrackLineError> {
    parse_point(line)?.to_observation()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point() -> TrackPoint {
        TrackPoint {
            time: Timestamp::from_unix_seconds(1_728_864_010).unwrap(),
            track: "JRP-N-01".into(),
            lat: 25.5,
            lon: 120.75,
            speed_knots: Some(420.0),
            course_deg: Some(95.5),
            altitude_ft: Some(25_000.0),
            domain: Domain::Air,
            kind: "fighter".into(),
            source: "sim-radar".into(),
        }
    }

    #[test]
    fn write_then_parse_round_trips() {
        let mut s = String::new();
        point().write_line(&mut s);
        assert_eq!(
            s,
            "{\"time\":\"2024-10-14T00:00:10Z\",\"track\":\"JRP-N-01\",\"lat\":25.500000,\"lon\":120.750000,\"speed_knots\":420.0,\"course_deg\":95.5,\"altitude_ft\":25000,\"domain\":\"air\",\"kind\":\"fighter\",\"source\":\"sim-radar\"}\n"
        );
        assert_eq!(parse_point(s.as_bytes()).unwrap(), point());
        let o = parse_line(s.as_bytes()).unwrap();
        assert_eq!(o.target, TargetId::Local("JRP-N-01".into()));
        assert_eq!(o.kinematics.altitude_ft, Some(25_000.0));
        assert_eq!(o.source.as_str(), "sim-radar");
    }

    #[test]
    fn fixed_decimals() {
        let check = |v: f64, d: u32, want: &str| {
            let mut s = Vec::new();
            push_fixed(&mut s, v, d);
            assert_eq!(s, want.as_bytes(), "{v} {d}");
        };
        check(25.5, 6, "25.500000");
        check(-0.05, 1, "-0.1");
        check(121.0000004, 6, "121.000000");
        check(-121.0000006, 6, "-121.000001");
        check(24_999.6, 0, "25000");
        check(f64::NAN, 3, "0");
        check(1_234_567.891, 2, "1234567.89");
        check(-0.000_001, 6, "-0.000001");
        check(9.0, 0, "9");
        check(10.0, 0, "10");
        check(1.5, 12, "1.500000000");
        check(-2.25, 2, "-2.25");
    }

    /// Times are written as `Timestamp`'s `Display` writes them, fractions included.
    #[test]
    fn times_as_display_writes_them() {
        let mut rng = crate::rng::Rng::new(3);
        for k in 0..20_000 {
            let s = rng.below(4_000_000_000) as i64 - 5_000_000_000 * i64::from(k % 7 == 0);
            let ns = match k % 4 {
                0 => 0,
                1 => rng.below(1000) as i64 * 1_000_000,
                2 => rng.below(1_000_000) as i64 * 1000,
                _ => rng.below(1_000_000_000) as i64,
            };
            let t = Timestamp::from_unix_nanos(s * 1_000_000_000 + ns);
            let mut out = Vec::new();
            push_time(&mut out, t);
            assert_eq!(String::from_utf8(out).unwrap(), t.to_string());
        }
    }

    #[test]
    fn strings_are_escaped() {
        let check = |s: &str, want: &str| {
            let mut out = Vec::new();
            json_str(&mut out, s);
            assert_eq!(String::from_utf8(out).unwrap(), want);
        };
        check("JRP-N-01", "\"JRP-N-01\"");
        check("a\"b\\c\u{1f}d\ne", "\"a\\\"b\\\\c\\u001fd\\u000ae\"");
        check("海巡 \u{7f}", "\"海巡 \u{7f}\"");
    }

    #[test]
    fn refuses_bad_lines() {
        let check = |line: &str, kind: &str| {
            let e = parse_line(line.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), kind, "{line}: {e}");
        };
        check("", "json");
        check(
            "{\"time\":\"x\",\"track\":\"a\",\"lat\":1,\"lon\":2,\"domain\":\"air\",\"kind\":\"k\"}",
            "bad_time",
        );
        check(
            "{\"time\":\"2024-10-14T00:00:10Z\",\"track\":\"a\",\"lat\":91,\"lon\":2,\"domain\":\"air\",\"kind\":\"k\"}",
            "bad_position",
        );
        check(
            "{\"time\":\"2024-10-14T00:00:10Z\",\"track\":\"\",\"lat\":1,\"lon\":2,\"domain\":\"air\",\"kind\":\"k\"}",
            "bad_id",
        );
        check(
            "{\"time\":\"2024-10-14T00:00:10Z\",\"track\":\"a\",\"lat\":1,\"lon\":2,\"speed_knots\":-1,\"domain\":\"air\",\"kind\":\"k\"}",
            "bad_value",
        );
        check(
            "{\"time\":\"2024-10-14T00:00:10Z\",\"track\":\"a\",\"lat\":1,\"lon\":2,\"domain\":\"space\",\"kind\":\"k\"}",
            "json",
        );
        check(&" ".repeat(LINE_BYTES_MAX + 1), "too_long");
    }

    #[test]
    fn source_defaults_and_unknown_fields_are_ignored() {
        let o = parse_line(b"{\"time\":\"2024-10-14T00:00:10Z\",\"track\":\"T1\",\"lat\":1,\"lon\":2,\"domain\":\"sea\",\"kind\":\"warship\",\"extra\":true}\r\n").unwrap();
        assert_eq!(o.source.as_str(), DEFAULT_SOURCE);
        assert_eq!(o.position.unwrap().lat_deg(), 1.0);
    }
}
