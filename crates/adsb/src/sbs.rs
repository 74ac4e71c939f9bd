//! SBS-1 BaseStation CSV lines (port 30003 of dump1090 and readsb) into [`SbsMessage`]s.
//!
//! Each line is a record of 22 comma-separated fields (Kinetic Avionics' BaseStation format):
//!
//! ```text
//!  1 record type    MSG (SEL, ID, AIR, STA, CLK are skipped)
//!  2 transmission   1 identification, 2 surface position, 3 airborne position,
//!                   4 airborne velocity, 5 surveillance altitude, 6 surveillance identity,
//!                   7 air-to-air, 8 all-call reply
//!  3 session id     4 aircraft id     5 hex ident (ICAO 24-bit address)     6 flight id
//!  7 date generated 8 time generated  9 date logged  10 time logged
//! 11 callsign      12 altitude (ft)  13 ground speed (kt)  14 track (deg)
//! 15 latitude      16 longitude      17 vertical rate (ft/min)  18 squawk (4 octal digits)
//! 19 alert (squawk changed)  20 emergency  21 SPI (ident)  22 on ground
//! ```
//!
//! Flags are `-1` or `1` for set and `0` for clear. Feeds differ in what they fill: empty fields
//! are `None`; lines that stop early (missing trailing fields) are accepted from the hex ident
//! on; extra trailing fields are ignored; `\r\n` endings and surrounding blanks are removed.
//! dump1090 writes `000000` as the address of replies whose address it could not recover: such
//! messages parse with `hex_ident: None` and are counted in [`SbsStats::zero_address`] so the
//! caller can drop them.
//!
//! The date and time fields carry no time zone. Many feeds write the receiver's local time;
//! this module reads them as **UTC** (the only reading that needs no configuration) and a caller
//! that knows the feed's offset subtracts it.
//!
//! Deliberately absent: sockets and line splitting (see [`crate::frame::LineDeframer`]), and
//! any judgement of the values beyond their syntax (a latitude of 95 is returned as written).

use thiserror::Error;

/// Fields in a complete record.
pub const SBS_FIELDS: usize = 22;

/// Fewest fields a `MSG` record needs: up to and including the hex ident.
const SBS_FIELDS_MIN: usize = 5;

/// One `MSG` record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SbsMessage<'a> {
    /// Transmission type, 1-8 (see the module documentation).
    pub transmission_type: u8,
    /// Session id (field 3), as the feed numbers it.
    pub session_id: Option<u32>,
    /// Aircraft id (field 4), as the feed numbers it.
    pub aircraft_id: Option<u32>,
    /// ICAO 24-bit address; `None` when empty or `000000`.
    pub hex_ident: Option<u32>,
    /// Flight id (field 6), as the feed numbers it.
    pub flight_id: Option<u32>,
    /// Date and time the message was generated, in Unix seconds read as UTC.
    pub generated_unix_s: Option<f64>,
    /// Date and time the message was logged, in Unix seconds read as UTC.
    pub logged_unix_s: Option<f64>,
    /// Callsign without padding blanks.
    pub callsign: Option<&'a str>,
    /// Barometric altitude in feet.
    pub altitude_ft: Option<i32>,
    /// Ground speed in knots.
    pub ground_speed_kt: Option<f64>,
    /// Track over ground in degrees from true north.
    pub track_deg: Option<f64>,
    /// Latitude in degrees, positive north.
    pub lat_deg: Option<f64>,
    /// Longitude in degrees, positive east.
    pub lon_deg: Option<f64>,
    /// Vertical rate in feet per minute, positive up.
    pub vertical_rate_fpm: Option<i32>,
    /// Mode A code: the four octal digits as written, held as their octal value (`7700` is
    /// `0o7700`); print with `{:04o}`.
    pub squawk: Option<u16>,
    /// The squawk has changed.
    pub alert: Option<bool>,
    /// An emergency code is squawked.
    pub emergency: Option<bool>,
    /// The pilot pressed ident (Special Position Identification).
    pub spi: Option<bool>,
    /// The aircraft reports being on the ground.
    pub on_ground: Option<bool>,
}

/// BaseStation records other than `MSG`, which carry no surveillance data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SbsRecord {
    /// `SEL`: the user selected an aircraft.
    Selection,
    /// `ID`: a new callsign for an aircraft.
    NewId,
    /// `AIR`: a new aircraft appeared.
    NewAircraft,
    /// `STA`: an aircraft's status changed (lost, removed, …).
    StatusChange,
    /// `CLK`: a clock tick.
    Click,
}

impl SbsRecord {
    /// The record type as written (`SEL`, `ID`, `AIR`, `STA`, `CLK`).
    pub fn name(self) -> &'static str {
        match self {
            SbsRecord::Selection => "SEL",
            SbsRecord::NewId => "ID",
            SbsRecord::NewAircraft => "AIR",
            SbsRecord::StatusChange => "STA",
            SbsRecord::Click => "CLK",
        }
    }
}

/// What one line holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SbsLine<'a> {
    /// A `MSG` record.
    Message(SbsMessage<'a>),
    /// Another record type, skipped.
    Skipped(SbsRecord),
    /// An empty or blank line.
    Blank,
}

/// Why a line is not a BaseStation record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SbsError {
    /// The first field is not a BaseStation record type.
    #[error("not a BaseStation record (MSG, SEL, ID, AIR, STA, CLK)")]
    NotSbs,
    /// The transmission type is not 1-8.
    #[error("transmission type is not 1-8")]
    BadTransmissionType,
    /// A `MSG` record that stops before the hex ident.
    #[error("MSG record has {found} fields, needs at least {SBS_FIELDS_MIN}")]
    TooFewFields {
        /// Number of fields present.
        found: usize,
    },
    /// A field that is not empty and not of its type.
    #[error("field {index} ({name}) is malformed")]
    BadField {
        /// 1-based field number.
        index: usize,
        /// Field name.
        name: &'static str,
    },
    /// The line is not UTF-8 (BaseStation is ASCII).
    #[error("line is not UTF-8")]
    NotUtf8,
}

impl SbsError {
    /// A stable short `snake_case` name of the fault, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            SbsError::NotSbs => "not_sbs",
            SbsError::BadTransmissionType => "bad_transmission_type",
            SbsError::TooFewFields { .. } => "too_few_fields",
            SbsError::BadField { .. } => "bad_field",
            SbsError::NotUtf8 => "not_utf8",
        }
    }
}

/// Counters for a stream of lines, kept by the caller with [`SbsStats::count`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SbsStats {
    /// `MSG` records by transmission type: index 0 is type 1, index 7 type 8.
    pub messages_by_type: [u64; 8],
    /// `MSG` records with no address (`000000` or empty).
    pub zero_address: u64,
    /// Other record types, skipped.
    pub skipped_records: u64,
    /// Blank lines.
    pub blank: u64,
    /// Lines that failed to parse.
    pub errors: u64,
}

impl SbsStats {
    /// Counts one parse result.
    pub fn count(&mut self, result: &Result<SbsLine<'_>, SbsError>) {
        match result {
            Ok(SbsLine::Message(m)) => {
                let slot = usize::from(m.transmission_type).checked_sub(1);
                if let Some(c) = slot.and_then(|i| self.messages_by_type.get_mut(i)) {
                    *c += 1;
                }
                if m.hex_ident.is_none() {
                    self.zero_address += 1;
                }
            }
            Ok(SbsLine::Skipped(_)) => self.skipped_records += 1,
            Ok(SbsLine::Blank) => self.blank += 1,
            Err(_) => self.errors += 1,
        }
    }

    /// All `MSG` records counted.
    pub fn messages(&self) -> u64 {
        self.messages_by_type.iter().sum()
    }
}

/// Field names by 1-based index, for errors.
const FIELD_NAMES: [&str; SBS_FIELDS + 1] = [
    "",
    "record type",
    "transmission type",
    "session id",
    "aircraft id",
    "hex ident",
    "flight id",
    "date generated",
    "time generated",
    "date logged",
    "time logged",
    "callsign",
    "altitude",
    "ground speed",
    "track",
    "latitude",
    "longitude",
    "vertical rate",
    "squawk",
    "alert",
    "emergency",
    "spi",
    "on ground",
];

fn bad(index: usize) -> SbsError {
    SbsError::BadField { index, name: FIELD_NAMES.get(index).copied().unwrap_or("") }
}

/// Parses one line (with or without its line ending).
///
/// ```
/// use kuroshio_adsb::sbs::{SbsLine, parse_line};
///
/// let line = "MSG,3,111,11111,789252,111111,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,34.43697,136.04449,,,,,,0\r\n";
/// let SbsLine::Message(m) = parse_line(line.as_bytes()).unwrap() else { panic!() };
/// assert_eq!(m.hex_ident, Some(0x789252));
/// assert_eq!((m.lat_deg, m.lon_deg, m.altitude_ft), (Some(34.43697), Some(136.04449), Some(28000)));
/// assert_eq!(m.on_ground, Some(false));
/// assert_eq!(m.generated_unix_s, Some(1641681735.605));
/// ```
pub fn parse_line(line: &[u8]) -> Result<SbsLine<'_>, SbsError> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(SbsLine::Blank);
    }
    let line = std::str::from_utf8(line).map_err(|_| SbsError::NotUtf8)?;
    let mut fields = line.split(',');
    let record = fields.next().unwrap_or("");
    let skipped = match record {
        "MSG" => None,
        "SEL" => Some(SbsRecord::Selection),
        "ID" => Some(SbsRecord::NewId),
        "AIR" => Some(SbsRecord::NewAircraft),
        "STA" => Some(SbsRecord::StatusChange),
        "CLK" => Some(SbsRecord::Click),
        _ => return Err(SbsError::NotSbs),
    };
    if let Some(r) = skipped {
        return Ok(SbsLine::Skipped(r));
    }
    // Fields 2..=22 (index 0 here is field 2); missing trailing fields read as empty.
    let mut f: [&str; SBS_FIELDS - 1] = [""; SBS_FIELDS - 1];
    let mut found = 1;
    for (slot, value) in f.iter_mut().zip(&mut fields) {
        *slot = value.trim();
        found += 1;
    }
    if found < SBS_FIELDS_MIN {
        return Err(SbsError::TooFewFields { found });
    }
    let field = |index: usize| f[index - 2];
    let transmission_type = match field(2).parse::<u8>() {
        Ok(t @ 1..=8) => t,
        _ => return Err(SbsError::BadTransmissionType),
    };
    let hex_ident = match field(5) {
        "" => None,
        s => match u32::from_str_radix(s, 16) {
            Ok(0) => None,
            Ok(v) if v <= 0xFF_FFFF && s.len() <= 6 => Some(v),
            _ => return Err(bad(5)),
        },
    };
    let callsign = match field(11).trim_matches(|c: char| c == ' ' || c == '_') {
        "" => None,
        s => Some(s),
    };
    Ok(SbsLine::Message(SbsMessage {
        transmission_type,
        session_id: number(field(3), 3)?,
        aircraft_id: number(field(4), 4)?,
        hex_ident,
        flight_id: number(field(6), 6)?,
        generated_unix_s: date_time(field(7), field(8), 7)?,
        logged_unix_s: date_time(field(9), field(10), 9)?,
        callsign,
        altitude_ft: integer(field(12), 12)?,
        ground_speed_kt: real(field(13), 13)?,
        track_deg: real(field(14), 14)?,
        lat_deg: real(field(15), 15)?,
        lon_deg: real(field(16), 16)?,
        vertical_rate_fpm: integer(field(17), 17)?,
        squawk: squawk(field(18))?,
        alert: flag(field(19), 19)?,
        emergency: flag(field(20), 20)?,
        spi: flag(field(21), 21)?,
        on_ground: flag(field(22), 22)?,
    }))
}

fn number(s: &str, index: usize) -> Result<Option<u32>, SbsError> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| bad(index))
}

/// A finite decimal number.
fn real(s: &str, index: usize) -> Result<Option<f64>, SbsError> {
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(bad(index)),
    }
}

/// An integer, also accepted when written with a fraction (rounded).
fn integer(s: &str, index: usize) -> Result<Option<i32>, SbsError> {
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(v) = s.parse::<i32>() {
        return Ok(Some(v));
    }
    match real(s, index)? {
        Some(v) if v.abs() < 2e9 => Ok(Some(v.round() as i32)),
        _ => Err(bad(index)),
    }
}

fn flag(s: &str, index: usize) -> Result<Option<bool>, SbsError> {
    match s {
        "" => Ok(None),
        "0" => Ok(Some(false)),
        "-1" | "1" => Ok(Some(true)),
        _ => Err(bad(index)),
    }
}

/// Four octal digits (fewer are left-padded by some feeds: `700` is `0700`).
fn squawk(s: &str) -> Result<Option<u16>, SbsError> {
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() > 4 || !s.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return Err(bad(18));
    }
    u16::from_str_radix(s, 8).map(Some).map_err(|_| bad(18))
}

/// `YYYY/MM/DD` (or `YYYY-MM-DD`) and `HH:MM:SS[.fff]` read as UTC, to Unix seconds. Both
/// empty is `None`; one without the other is an error.
fn date_time(date: &str, time: &str, index: usize) -> Result<Option<f64>, SbsError> {
    if date.is_empty() && time.is_empty() {
        return Ok(None);
    }
    let d = parse_date(date).ok_or_else(|| bad(index))?;
    let t = parse_time(time).ok_or_else(|| bad(index + 1))?;
    Ok(Some(d as f64 * 86_400.0 + t))
}

/// Days since 1970-01-01 of a `YYYY/MM/DD` date.
fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || !matches!(b[4], b'/' | b'-') || b[7] != b[4] {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the era-based algorithm of
/// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since midnight of `HH:MM:SS[.fff]`.
fn parse_time(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let h: u32 = s.get(0..2)?.parse().ok()?;
    let m: u32 = s.get(3..5)?.parse().ok()?;
    let whole: u32 = s.get(6..8)?.parse().ok()?;
    if h > 23 || m > 59 || whole > 60 || !s[..8].bytes().all(|c| c.is_ascii_digit() || c == b':') {
        return None;
    }
    let frac = match s.get(8..)? {
        "" => 0.0,
        f if f.starts_with('.') && f.len() > 1 && f[1..].bytes().all(|c| c.is_ascii_digit()) => {
            f[1..].bytes().take(9).rev().fold(0.0, |acc, c| (acc + f64::from(c - b'0')) / 10.0)
        }
        _ => return None,
    };
    Some(f64::from(h * 3600 + m * 60 + whole) + frac)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn msg(line: &str) -> SbsMessage<'_> {
        match parse_line(line.as_bytes()).unwrap() {
            SbsLine::Message(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quirks() {
        // Missing trailing fields.
        let m = msg("MSG,8,1,1,40065F,1");
        assert_eq!((m.transmission_type, m.hex_ident, m.on_ground), (8, Some(0x40065F), None));
        // Zero address is flagged as no address.
        let m = msg(
            "MSG,7,111,11111,000000,111111,2022/01/08,23:18:58.433,2022/01/08,23:18:58.437,,,,,,,,,,,,",
        );
        assert_eq!(m.hex_ident, None);
        // Flags -1 and 0, squawk, callsign padding, CRLF.
        let m = msg(
            "MSG,6,5,179,400AE7,10103,2008/11/28,14:58:51.153,2008/11/28,14:58:51.153,RYR1427 ,,,,,,,7700,-1,-1,0,0\r\n",
        );
        assert_eq!(m.callsign, Some("RYR1427"));
        assert_eq!(m.squawk, Some(0o7700));
        assert_eq!(
            (m.alert, m.emergency, m.spi, m.on_ground),
            (Some(true), Some(true), Some(false), Some(false))
        );
        // 2008-11-28 14:58:51.153 UTC.
        assert!((m.generated_unix_s.unwrap() - 1_227_884_331.153).abs() < 1e-6);
        assert_eq!(
            parse_line(b"STA,,5,179,400AE7,10103,2008/11/28,14:58:51.153,,,RM"),
            Ok(SbsLine::Skipped(SbsRecord::StatusChange))
        );
        assert_eq!(
            parse_line(b"CLK,,,,,,2008/11/28,14:58:51.153"),
            Ok(SbsLine::Skipped(SbsRecord::Click))
        );
        assert_eq!(parse_line(b"  \r\n"), Ok(SbsLine::Blank));
    }

    #[test]
    fn faults() {
        assert_eq!(parse_line(b"*8d4840d6202cc371c32ce0576098;"), Err(SbsError::NotSbs));
        assert_eq!(parse_line(b"MSG,9,1,1,400AE7"), Err(SbsError::BadTransmissionType));
        assert_eq!(parse_line(b"MSG,3,1"), Err(SbsError::TooFewFields { found: 3 }));
        assert_eq!(parse_line(b"MSG,3,1,1,G00AE7").unwrap_err().kind(), "bad_field");
        assert_eq!(
            parse_line(b"MSG,3,1,1,1400AE7"),
            Err(SbsError::BadField { index: 5, name: "hex ident" })
        );
        assert_eq!(
            parse_line(b"MSG,3,1,1,400AE7,1,2008/13/28,14:58:51.153"),
            Err(SbsError::BadField { index: 7, name: "date generated" })
        );
        assert_eq!(
            parse_line(b"MSG,3,1,1,400AE7,1,2008/11/28,24:58:51"),
            Err(SbsError::BadField { index: 8, name: "time generated" })
        );
        assert_eq!(
            parse_line(b"MSG,6,1,1,400AE7,1,,,,,,,,,,,,7800"),
            Err(SbsError::BadField { index: 18, name: "squawk" })
        );
        assert_eq!(
            parse_line(b"MSG,3,1,1,400AE7,1,,,,,,,,,nan"),
            Err(SbsError::BadField { index: 15, name: "latitude" })
        );
        assert_eq!(parse_line(b"MSG,3,\xff"), Err(SbsError::NotUtf8));
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2022, 1, 8), 19_000);
        assert_eq!(parse_date("2024/02/30"), None);
        assert_eq!(parse_date("2024/02/29"), Some(19_782));
        assert_eq!(parse_time("22:42:15.384").map(|t| (t * 1000.0).round()), Some(81_735_384.0));
        assert_eq!(parse_time("22:42:15"), Some(81_735.0));
        assert_eq!(parse_time("22:42:15."), None);
        assert_eq!(parse_time("2:42:15"), None);
    }
}
