//! PRC Maritime Safety Administration (中国海事局, MSA) navigation warnings (航行警告) for
//! military exercises, live firing, rocket launches and other activities, as temporary zones.
//!
//! [`parse`] reads the text of one warning, Chinese (`桂航警51/26，北部湾，3月16日至17日每天1000时至
//! 1800时，在21-23.00N 108-47.40E；…连线海域范围内进行军事训练，禁止船舶驶入。`) or English
//! (`GX20/26 BEIBU BAY，MILITARY TRAINING IN AREA BOUNDED BY THE LINES JOINING … 0200 UTC TO
//! 1000 UTC DAILY FROM 16 TO 17 MAR.`), into a [`Warning`]: its number, the activity, the areas
//! (polygons, circles, sectors, lines) and the periods of validity in UTC, or the warning it
//! cancels. [`Warning::to_zone_feature`] writes it as a feature of the zone catalogue's GeoJSON
//! schema (`kuroshio-zones`, `Catalogue::from_geojson` + `merge`), with its validity.
//!
//! **Coordinates** are degrees and minutes (`21-23.00N 108-47.40E`, `39-51N119-53E`), or
//! degrees, minutes and seconds (`23-14-12N117-20-42E`), separated by spaces, `/`, `，` or `、`.
//! Consecutive points joined by list marks only (`；`, `、`, `和`, `AND`, `（2）`) form one area; any
//! other text between points starts a new one.
//!
//! **Times** in Chinese warnings are Beijing time (UTC+8); English ones say `UTC`. An English
//! time without `UTC` is taken as Beijing time, as in the Chinese text of the same warning
//! (raised as no issue, but said here). Daily windows (`每天1000时至1800时`, `DAILY`) become one
//! period per day. The year comes from the publication date; a month before the publication
//! month by more than six months falls in the next year.
//!
//! # Fully parsed
//!
//! [`Warning::is_fully_parsed`] holds when the warning has at least one area and one period, or
//! names the warning it cancels, and no [`Issue`] was raised.

use kuroshio_model::{Position, Timestamp};
use serde::Serialize;

use crate::mnd::TaipeiDate;

/// Longest warning text accepted, bytes (a warning is under 2 kB; the scraped page text with
/// its navigation header under 4 kB).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Most points read from one warning (the longest real one has 20).
pub const MAX_POINTS: usize = 1024;

/// Most periods read from one warning: a daily window over a year.
pub const MAX_PERIODS: usize = 400;

/// Vertices of the polygon written for a circle or a sector.
pub const CIRCLE_VERTICES: usize = 36;

/// Hours Beijing time is ahead of UTC.
pub const BEIJING_OFFSET_HOURS: i64 = 8;

const NANOS_PER_HOUR: i64 = 3_600_000_000_000;

/// Metres in a nautical mile (海里, "MILES" in the warnings).
const NMI_M: f64 = 1852.0;

/// Mean Earth radius used to draw circles, metres (as `kuroshio_model::haversine_m`).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Language of a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Language {
    /// Chinese.
    Chinese,
    /// English.
    English,
}

/// An area of a warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum Area {
    /// Points joined in order and closed (`诸点连线范围内`, `BOUNDED BY THE LINES JOINING`).
    Polygon(Vec<Position>),
    /// Two points: a line.
    Line(Vec<Position>),
    /// A circle (`以…为中心，5.4海里为半径的圆形区域`, `WITHIN 10 MILES RADIUS OF`).
    Circle {
        /// Centre.
        centre: Position,
        /// Radius, metres.
        radius_m: f64,
    },
    /// A circular sector (`方位158°-194°，半径5千米的扇形`).
    Sector {
        /// Centre.
        centre: Position,
        /// Radius, metres.
        radius_m: f64,
        /// First bearing, degrees clockwise from north.
        from_deg: f64,
        /// Last bearing, degrees.
        to_deg: f64,
    },
}

/// A period of validity, half-open `[start, end)`, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Period {
    /// Start.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
}

/// Something the parser could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// What is missing or unreadable.
    pub reason: &'static str,
    /// The text concerned.
    pub text: String,
}

/// Where a warning was published (from the page or feed it was taken from).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct WarningSource {
    /// Title of the page (`军事训练—桂航警51/26`).
    pub title: String,
    /// Issuing office (`广西海事局`).
    pub channel: String,
    /// Address of the page.
    pub url: String,
    /// Publication date (Beijing time; the calendar date is the same in Taipei).
    pub published: Option<TaipeiDate>,
}

/// One parsed warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Warning number (`桂航警51/26`, `GX20/26`).
    pub number: Option<String>,
    /// Language of the text.
    pub language: Language,
    /// Activity as written (`军事训练`, `实弹射击`, `MILITARY EXERCISES`).
    pub activity: Option<String>,
    /// Areas.
    pub areas: Vec<Area>,
    /// Periods of validity, in order.
    pub periods: Vec<Period>,
    /// The warning this one cancels (`撤销鲁航警676/26`, `CANCEL SD625/26`).
    pub cancels: Option<String>,
    /// The text describes part of the boundary as an arc (`部分圆弧`); the area joins the
    /// named points with straight lines, and the zone is written as `approximate`.
    pub approximate: bool,
    /// Number of the same warning in the other language from which the periods (and areas)
    /// were taken, by [`complete_from_counterparts`], because this text lacked them.
    pub completed_from: Option<String>,
    /// Parts the parser could not read.
    pub issues: Vec<Issue>,
    /// Where it was published.
    pub source: WarningSource,
    /// The text as given.
    pub raw: String,
}

impl Warning {
    /// Whether areas and periods (or the cancelled warning) were read without an issue.
    pub fn is_fully_parsed(&self) -> bool {
        self.issues.is_empty()
            && (self.cancels.is_some() || (!self.areas.is_empty() && !self.periods.is_empty()))
    }

    /// The first start and the last end of validity.
    pub fn validity(&self) -> Option<Period> {
        let start = self.periods.iter().map(|p| p.start).min()?;
        let end = self.periods.iter().map(|p| p.end).max()?;
        Some(Period { start, end })
    }

    /// The warning as a GeoJSON feature of the zone catalogue's schema (`kind` `area`, or `line`
    /// for a two-point warning; circles and sectors drawn with [`CIRCLE_VERTICES`] vertices),
    /// with `valid_from`, `valid_until` and `periods` (RFC 3339, UTC). `None` without areas.
    pub fn to_zone_feature(&self) -> Option<serde_json::Value> {
        let mut polygons = Vec::new();
        let mut lines = Vec::new();
        for area in &self.areas {
            match area {
                Area::Polygon(points) => {
                    let mut ring: Vec<[f64; 2]> =
                        points.iter().map(|p| [p.lon_deg(), p.lat_deg()]).collect();
                    if let Some(first) = ring.first().copied() {
                        ring.push(first);
                    }
                    polygons.push(vec![ring]);
                }
                Area::Line(points) => lines
                    .push(points.iter().map(|p| [p.lon_deg(), p.lat_deg()]).collect::<Vec<_>>()),
                Area::Circle { centre, radius_m } => {
                    polygons.push(vec![arc(*centre, *radius_m, 0.0, 360.0, false)]);
                }
                Area::Sector { centre, radius_m, from_deg, to_deg } => {
                    polygons.push(vec![arc(*centre, *radius_m, *from_deg, *to_deg, true)]);
                }
            }
        }
        let (kind, geometry) = if !polygons.is_empty() {
            ("area", serde_json::json!({"type": "MultiPolygon", "coordinates": polygons}))
        } else if !lines.is_empty() {
            ("line", serde_json::json!({"type": "MultiLineString", "coordinates": lines}))
        } else {
            return None;
        };
        let number = self.number.clone().unwrap_or_else(|| self.source.title.clone());
        let id: String =
            number.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let id = if id.chars().any(|c| c.is_ascii_alphanumeric()) && number.is_ascii() {
            format!("prc_navwarn_{id}")
        } else {
            // A Chinese number: a stable ASCII id from its code points.
            let hex: String = number.chars().map(|c| format!("{:x}", u32::from(c))).collect();
            format!("prc_navwarn_{hex}")
        };
        let iso = |t: Timestamp| {
            let (y, mo, d, h, mi, s, _) = t.to_civil();
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        };
        let validity = self.validity();
        let activity = self.activity.clone().unwrap_or_default();
        Some(serde_json::json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "id": id,
                "name_en": format!("PRC navigation warning {number} {activity}").trim_end().to_owned(),
                "name_ja": format!("中国航行警報 {number}"),
                "name_zh_hant": format!("航行警告 {number}"),
                "kind": kind,
                "status": if self.approximate { "approximate" } else { "official" },
                "source": format!("PRC Maritime Safety Administration navigation warning {number}, {} {}", self.source.channel, self.source.url).trim_end().to_owned(),
                "note": "temporary area announced by navigation warning; coordinates as published, circles drawn as polygons",
                "valid_from": validity.map(|v| iso(v.start)),
                "valid_until": validity.map(|v| iso(v.end)),
                "periods": self.periods.iter().map(|p| [iso(p.start), iso(p.end)]).collect::<Vec<_>>(),
            }
        }))
    }
}

/// Points of a circle or sector, `[lon, lat]`, closed; spherical destination formula.
fn arc(centre: Position, radius_m: f64, from_deg: f64, to_deg: f64, sector: bool) -> Vec<[f64; 2]> {
    let lat1 = centre.lat_deg().to_radians();
    let lon1 = centre.lon_deg().to_radians();
    let delta = radius_m / EARTH_RADIUS_M;
    let span = if to_deg >= from_deg { to_deg - from_deg } else { to_deg + 360.0 - from_deg };
    let mut ring = Vec::with_capacity(CIRCLE_VERTICES + 3);
    if sector {
        ring.push([centre.lon_deg(), centre.lat_deg()]);
    }
    let steps = CIRCLE_VERTICES;
    for k in 0..=steps {
        if !sector && k == steps {
            break;
        }
        let bearing = (from_deg + span * k as f64 / steps as f64).to_radians();
        let lat2 = (lat1.sin() * delta.cos() + lat1.cos() * delta.sin() * bearing.cos()).asin();
        let lon2 = lon1
            + (bearing.sin() * delta.sin() * lat1.cos())
                .atan2(delta.cos() - lat1.sin() * lat2.sin());
        ring.push([lon2.to_degrees(), lat2.to_degrees()]);
    }
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    ring
}

/// Why a text could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The text is longer than [`MAX_TEXT_BYTES`].
    #[error("warning text is {len_bytes} bytes, more than the {MAX_TEXT_BYTES} accepted")]
    TooLarge {
        /// Length of the rejected text.
        len_bytes: usize,
    },
    /// The text is empty.
    #[error("warning text is empty")]
    Empty,
}

// ---------------------------------------------------------------------------------------------

/// Full-width digits, letters and punctuation folded to ASCII except the clause marks `，、；：`
/// and brackets, which stay to separate clauses; `°` kept.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match u32::from(c) {
            code @ (0xFF10..=0xFF19
            | 0xFF21..=0xFF3A
            | 0xFF41..=0xFF5A
            | 0xFF0D
            | 0xFF0E
            | 0xFF0F) => char::from_u32(code - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        })
        .collect()
}

/// `dd-mm.mm` / `dd-mm-ss` followed by the hemisphere letter: value in degrees and bytes used.
fn dm(s: &str, hemispheres: [char; 2], max_deg: f64) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut parts: Vec<f64> = Vec::with_capacity(3);
    loop {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'.' && i > start)) {
            i += 1;
        }
        if i == start || parts.len() == 3 {
            return None;
        }
        parts.push(s[start..i].parse().ok()?);
        if i < b.len() && b[i] == b'-' {
            i += 1;
            continue;
        }
        break;
    }
    let c = s[i..].chars().next()?;
    let sign = if c == hemispheres[0] {
        1.0
    } else if c == hemispheres[1] {
        -1.0
    } else {
        return None;
    };
    let value = match parts.as_slice() {
        [d, m] if *m < 60.0 => d + m / 60.0,
        [d, m, sec] if *m < 60.0 && *sec < 60.0 => d + m / 60.0 + sec / 3600.0,
        [d] => *d,
        _ => return None,
    };
    (value <= max_deg).then_some((sign * value, i + 1))
}

/// `N 39°24′35″` / `E 119°13′44″` at the start of `s` (hemisphere first, degree signs):
/// value in degrees and bytes used.
fn hemisphere_first(s: &str, hemispheres: [char; 2], max_deg: f64) -> Option<(f64, usize)> {
    let c = s.chars().next()?;
    let sign = if c == hemispheres[0] {
        1.0
    } else if c == hemispheres[1] {
        -1.0
    } else {
        return None;
    };
    let mut i = c.len_utf8();
    i += s[i..].len() - s[i..].trim_start().len();
    let mut parts = Vec::new();
    for mark in ['°', '′', '″'] {
        let rest = &s[i..];
        let len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        if len == 0 {
            break;
        }
        let after = &rest[len..];
        let alt = match mark {
            '′' => '\'',
            '″' => '"',
            _ => '°',
        };
        let m = if after.starts_with(mark) {
            mark
        } else if after.starts_with(alt) {
            alt
        } else {
            break;
        };
        parts.push(rest[..len].parse::<f64>().ok()?);
        i += len + m.len_utf8();
    }
    let value = match parts.as_slice() {
        [d] => *d,
        [d, m] if *m < 60.0 => d + m / 60.0,
        [d, m, sec] if *m < 60.0 && *sec < 60.0 => d + m / 60.0 + sec / 3600.0,
        _ => return None,
    };
    (value <= max_deg).then_some((sign * value, i))
}

/// A reader of one angle at the start of a text (`N25-30.0`, `25-30.00N`): the hemisphere
/// letters it takes and the largest value; value in degrees and bytes read.
type Angle = fn(&str, [char; 2], f64) -> Option<(f64, usize)>;

/// A latitude then a longitude at the start of `s`, both in the form `read` takes, with the
/// separators the warnings put between them: bytes read and the position.
fn pair_at(s: &str, read: Angle) -> Option<(usize, Position)> {
    let (lat, len) = read(s, ['N', 'S'], 90.0)?;
    let rest = &s[len..];
    let sep: usize = rest
        .char_indices()
        .find(|(_, c)| !matches!(c, ' ' | '/' | '，' | ',' | '、'))
        .map_or(rest.len(), |(k, _)| k);
    let (lon, llen) = read(&rest[sep..], ['E', 'W'], 180.0)?;
    let p = Position::new(lon, lat).ok()?;
    Some((len + sep + llen, p))
}

/// Every coordinate pair in `s` with its byte range.
fn coordinates(s: &str) -> Vec<(usize, usize, Position)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() && out.len() < MAX_POINTS {
        let hemisphere_first_here = s[i..].starts_with(['N', 'S'])
            && s[..i].chars().next_back().is_none_or(|c| !c.is_ascii_alphabetic());
        let digits_first_here =
            s[..i].chars().next_back().is_none_or(|c| !c.is_ascii_digit() && c != '.' && c != '-')
                && s.as_bytes()[i].is_ascii_digit();
        let read: Option<Angle> = if hemisphere_first_here {
            Some(hemisphere_first)
        } else if digits_first_here {
            Some(dm)
        } else {
            None
        };
        if let Some((end, p)) = read.and_then(|read| pair_at(&s[i..], read)) {
            out.push((i, i + end, p));
            i += end;
            continue;
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Whether the text between two points only separates list items.
fn is_list_gap(gap: &str) -> bool {
    let mut g = gap.to_uppercase();
    for w in ["AND", "和", "及", "与"] {
        g = g.replace(w, " ");
    }
    // Item numbers: (2) （2） 2） 2)
    let mut rest = String::new();
    let chars: Vec<char> = g.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if c.is_ascii_digit() {
            let mut j = k;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j < chars.len() && (chars[j] == ')' || chars[j] == '）') {
                k = j + 1;
                continue;
            }
            rest.push(c);
        } else if !matches!(c, ' ' | ',' | '，' | '、' | ';' | '；' | '(' | '（' | ')' | '）' | '.')
        {
            rest.push(c);
        }
        k += 1;
    }
    rest.is_empty()
}

/// `5.4海里`, `3千米`, `10 MILES`, `5.4 MILES` before or after `RADIUS`/`半径`: metres.
fn radius_after(s: &str) -> Option<f64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let num: String = s[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let value: f64 = num.parse().ok()?;
    let unit = s[start + num.len()..].trim_start();
    if unit.starts_with("海里")
        || unit.starts_with("MILE")
        || unit.starts_with("NM")
        || unit.starts_with("NAUTICAL")
    {
        Some(value * NMI_M)
    } else if unit.starts_with("千米") || unit.starts_with("公里") || unit.starts_with("KM") {
        Some(value * 1000.0)
    } else if unit.starts_with("米") || unit.starts_with("M ") || unit.starts_with("METER") {
        Some(value)
    } else {
        None
    }
}

fn areas(text: &str, issues: &mut Vec<Issue>) -> Vec<Area> {
    let points = coordinates(text);
    let mut groups: Vec<Vec<(usize, usize, Position)>> = Vec::new();
    for p in points {
        match groups.last_mut() {
            Some(g) if g.last().is_some_and(|last| is_list_gap(&text[last.1..p.0])) => g.push(p),
            _ => groups.push(vec![p]),
        }
    }
    let mut out = Vec::new();
    for g in groups {
        let (start, end) = (g[0].0, g[g.len() - 1].1);
        if g.len() == 1 {
            // A centre: the radius is near it, before (`WITHIN 10 MILES RADIUS OF x`) or after
            // (`以x为中心，5.4海里为半径`, `为圆心，半径3千米`).
            let after: String = text[end..].chars().take(80).collect();
            let before_start = text[..start].char_indices().rev().nth(40).map_or(0, |(k, _)| k);
            let before = &text[before_start..start];
            let centre = g[0].2;
            // The clause after the point, up to the next area.
            let clause_end = after.find(['；', '。']).unwrap_or(after.len());
            let clause = &after[..clause_end];
            let radius = clause
                .find("半径")
                .and_then(|k| radius_after(&clause[k..]))
                .or_else(|| clause.contains("为半径").then(|| radius_after(clause)).flatten())
                .or_else(|| before.rfind("WITHIN").and_then(|k| radius_after(&before[k..])));
            let sector = clause
                .find("方位")
                .filter(|k| clause.find("半径").is_none_or(|r| r > *k))
                .and_then(|k| bearings(&clause[k..]));
            match (radius, sector) {
                (Some(radius_m), Some((from_deg, to_deg))) => {
                    out.push(Area::Sector { centre, radius_m, from_deg, to_deg });
                }
                (Some(radius_m), None) => out.push(Area::Circle { centre, radius_m }),
                (None, _) => issues.push(Issue {
                    reason: "single point without a radius",
                    text: text[start..end].to_owned(),
                }),
            }
        } else if g.len() == 2 {
            out.push(Area::Line(g.iter().map(|p| p.2).collect()));
        } else {
            out.push(Area::Polygon(g.iter().map(|p| p.2).collect()));
        }
    }
    out
}

/// `方位158°-194°`: two bearings.
fn bearings(s: &str) -> Option<(f64, f64)> {
    let nums: Vec<f64> = s
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter(|p| !p.is_empty())
        .take(2)
        .filter_map(|p| p.parse().ok())
        .collect();
    match nums.as_slice() {
        [a, b] if *a <= 360.0 && *b <= 360.0 => Some((*a, *b)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Times

/// A date of the warning: year resolved against the publication date.
fn resolve(
    year: Option<i32>,
    month: u8,
    day: u8,
    published: Option<TaipeiDate>,
) -> Option<TaipeiDate> {
    let year = match (year, published) {
        (Some(y), _) => y,
        (None, Some(p)) => {
            if i32::from(month) + 6 < i32::from(p.month) {
                p.year + 1
            } else if i32::from(month) > i32::from(p.month) + 6 {
                p.year - 1
            } else {
                p.year
            }
        }
        (None, None) => return None,
    };
    TaipeiDate::new(year, month, day)
}

/// The UTC instant of `hhmm` on `date` in Beijing time (`utc` false) or UTC.
fn instant(date: TaipeiDate, hhmm: u32, utc: bool) -> Option<Timestamp> {
    let hour = u8::try_from(hhmm / 100).ok()?;
    let minute = u8::try_from(hhmm % 100).ok()?;
    let local = date.at(hour, minute)?;
    Some(if utc {
        local.saturating_add_nanos(BEIJING_OFFSET_HOURS * NANOS_PER_HOUR)
    } else {
        local
    })
}

fn push_period(
    periods: &mut Vec<Period>,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
) -> bool {
    match (start, end) {
        (Some(s), Some(e)) if e > s && periods.len() < MAX_PERIODS => {
            periods.push(Period { start: s, end: e });
            true
        }
        _ => false,
    }
}

/// Daily `from`–`to` windows over the dates `first..=last`.
fn daily(
    periods: &mut Vec<Period>,
    first: TaipeiDate,
    last: TaipeiDate,
    from: u32,
    to: u32,
    utc: bool,
) -> bool {
    let mut day = first;
    let mut ok = false;
    for _ in 0..MAX_PERIODS {
        if day > last {
            break;
        }
        let start = instant(day, from, utc);
        let end = if to > from {
            instant(day, to, utc)
        } else {
            day.add_days(1).and_then(|d| instant(d, to, utc))
        };
        ok |= push_period(periods, start, end);
        let Some(next) = day.add_days(1) else { break };
        day = next;
    }
    ok
}

/// A small scanner over the Chinese time expressions.
struct Zh<'a> {
    s: &'a str,
    i: usize,
}

impl Zh<'_> {
    fn number(&mut self) -> Option<u32> {
        let rest = &self.s[self.i..];
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > 4 {
            return None;
        }
        let n = rest[..len].parse().ok()?;
        self.i += len;
        Some(n)
    }

    fn eat(&mut self, t: &str) -> bool {
        if self.s[self.i..].starts_with(t) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    /// `[YYYY年][M月]D日`: (year, month, day); the position is unchanged when none is read.
    fn date(&mut self, month: Option<u8>) -> Option<(Option<i32>, Option<u8>, u8)> {
        let save = self.i;
        let read = self.date_inner(month);
        if read.is_none() {
            self.i = save;
        }
        read
    }

    fn date_inner(&mut self, month: Option<u8>) -> Option<(Option<i32>, Option<u8>, u8)> {
        let mut year = None;
        let mut month_out = month;
        let mut n = self.number();
        if let Some(y) = n {
            if self.eat("年") {
                year = Some(i32::try_from(y).ok()?);
                n = self.number();
            }
        }
        if let Some(m) = n {
            if self.eat("月") {
                month_out = Some(u8::try_from(m).ok()?);
                n = self.number();
            }
        }
        match n {
            Some(d) if self.eat("日") => Some((year, month_out, u8::try_from(d).ok()?)),
            _ => None,
        }
    }

    /// `HHMM时` or `HHMM` followed by `时`/`至`.
    fn clock(&mut self) -> Option<u32> {
        let save = self.i;
        let rest = &self.s[self.i..];
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if len != 4 {
            return None;
        }
        let n: u32 = rest[..4].parse().ok()?;
        self.i += 4;
        self.eat("时");
        if n % 100 >= 60 || n > 2400 {
            self.i = save;
            return None;
        }
        Some(n)
    }
}

/// Chinese periods: `3月16日至17日每天1000时至1800时`, `自7月6日1200时至18日1800时`,
/// `7月22日0900时至1400时`, `7月9日至11日`, `8月12日和14日，每天0800时至1800时`,
/// `7月14日1200时至1330时、15日0800时至1000时、1300时至1530时`.
fn chinese_periods(text: &str, published: Option<TaipeiDate>) -> Vec<Period> {
    let mut periods = Vec::new();
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let s = t.as_str();
    let mut month: Option<u8> = None;
    let mut year: Option<i32> = None;
    let mut last_date: Option<TaipeiDate> = None;
    let mut i = 0;
    while i < s.len() && periods.len() < MAX_PERIODS {
        let prev_digit = s[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        let mut z = Zh { s, i };
        if !prev_digit {
            if let Some((y, m, d)) = z.date(month) {
                if y.is_some() {
                    year = y;
                }
                month = m;
                let Some(first) = m.and_then(|m| resolve(year, m, d, published)) else {
                    i = z.i;
                    continue;
                };
                last_date = Some(first);
                let c0 = z.clock();
                // A list of single days: `12日和14日`.
                let mut days = vec![first];
                while c0.is_none() && (z.eat("和") || z.eat("、")) {
                    let save = z.i;
                    match z.date(month) {
                        Some((y2, m2, d2)) => {
                            if let Some(d) =
                                m2.and_then(|m2| resolve(y2.or(year), m2, d2, published))
                            {
                                days.push(d);
                            }
                        }
                        None => {
                            z.i = save;
                            break;
                        }
                    }
                }
                if z.eat("至") || z.eat("到") || (c0.is_some() && z.eat("-")) {
                    let save = z.i;
                    if let Some((y2, m2, d2)) = z.date(month) {
                        if y2.is_some() {
                            year = y2;
                        }
                        month = m2.or(month);
                        let last = m2.and_then(|m2| resolve(y2.or(year), m2, d2, published));
                        let c1 = z.clock();
                        match (c0, c1, last) {
                            (Some(a), Some(b), Some(last)) => {
                                push_period(
                                    &mut periods,
                                    instant(first, a, false),
                                    instant(last, b, false),
                                );
                            }
                            (None, None, Some(last)) => {
                                // `至17日每天1000时至1800时` or whole days.
                                z.eat("，");
                                let daily_marker = z.eat("每天") || z.eat("每日");
                                z.eat("，");
                                let (a, b) = (z.clock(), {
                                    z.eat("至");
                                    z.clock()
                                });
                                match (daily_marker, a, b) {
                                    (_, Some(a), Some(b)) => {
                                        daily(&mut periods, first, last, a, b, false);
                                    }
                                    _ => {
                                        push_period(
                                            &mut periods,
                                            instant(first, 0, false),
                                            instant(last, 2400, false),
                                        );
                                    }
                                }
                            }
                            _ => {}
                        }
                        last_date = last;
                    } else {
                        z.i = save;
                        if let (Some(a), Some(b)) = (c0, z.clock()) {
                            let end_day = if b > a { Some(first) } else { first.add_days(1) };
                            if let Some(end_day) = end_day {
                                push_period(
                                    &mut periods,
                                    instant(first, a, false),
                                    instant(end_day, b, false),
                                );
                            }
                        }
                    }
                } else if c0.is_none() {
                    // `8月12日和14日，每天0800时至1800时` or a single whole day.
                    let save = z.i;
                    z.eat("，");
                    let marker = z.eat("每天") || z.eat("每日");
                    z.eat("，");
                    let a = z.clock();
                    let b = if z.eat("至") { z.clock() } else { None };
                    match (a, b) {
                        (Some(a), Some(b)) => {
                            for d in &days {
                                daily(&mut periods, *d, *d, a, b, false);
                            }
                        }
                        _ if !marker => {
                            z.i = save;
                            for d in &days {
                                push_period(
                                    &mut periods,
                                    instant(*d, 0, false),
                                    instant(*d, 2400, false),
                                );
                            }
                        }
                        _ => {}
                    }
                }
                i = z.i.max(i + 1);
                continue;
            }
            // A bare clock range after a listed date: `、1300时至1530时`.
            if let (Some(day), true) = (last_date, s[..i].ends_with('、')) {
                if let Some(a) = z.clock() {
                    if z.eat("至") {
                        if let Some(b) = z.clock() {
                            push_period(
                                &mut periods,
                                instant(day, a, false),
                                instant(day, b, false),
                            );
                        }
                    }
                    i = z.i;
                    continue;
                }
            }
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    periods
}

fn month_of(word: &str) -> Option<u8> {
    const M: [&str; 12] =
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    let w = word.trim_matches(|c: char| !c.is_ascii_alphabetic());
    M.iter().position(|m| w.starts_with(m)).and_then(|p| u8::try_from(p + 1).ok())
}

/// English periods: `FROM 102200 UTC TO 151000 UTC AUG`, `0200 UTC TO 1000 UTC DAILY FROM 16
/// TO 17 MAR`, `FROM 28 TO 31 JUL`, `DAILY FROM 0500 TO 2400 ON 3 AUG 2026 TO 7 AUG 2026`,
/// `FROM 0800 ON 10 AUG 2026 TO 1800 ON 14 AUG 2026`, `FROM 10 TO 12 AUG，DAILY 1130 UTC TO
/// 1330 UTC`.
fn english_periods(text: &str, published: Option<TaipeiDate>) -> Vec<Period> {
    let up = text
        .to_uppercase()
        .replace("UTC", " UTC ")
        .replace(['，', ',', '、', '.', ';', '；', '（', '）', '(', ')'], " ");
    let w: Vec<&str> = up.split_whitespace().collect();
    let mut periods = Vec::new();
    let num = |k: usize| w.get(k).and_then(|x| x.parse::<u32>().ok().map(|n| (n, x.len())));
    let utc_at = |k: usize| w.get(k) == Some(&"UTC");
    let month_after = |k: usize| {
        w.iter().skip(k).take(32).find_map(|x| {
            month_of(x).filter(|_| x.len() >= 3 && x.chars().all(|c| c.is_ascii_alphabetic()))
        })
    };
    let mut k = 0;
    while k < w.len() && periods.len() < MAX_PERIODS {
        // DDHHMM [UTC] TO DDHHMM [UTC] MON
        if let (Some((a, 6)), true) = (num(k), true) {
            let t = if utc_at(k + 1) { k + 2 } else { k + 1 };
            if w.get(t) == Some(&"TO") {
                if let Some((b, 6)) = num(t + 1) {
                    let utc = utc_at(k + 1) || utc_at(t + 2);
                    if let Some(m) = month_after(t + 2) {
                        let d0 = resolve(None, m, u8::try_from(a / 10_000).unwrap_or(0), published);
                        let d1 = resolve(None, m, u8::try_from(b / 10_000).unwrap_or(0), published);
                        if let (Some(d0), Some(d1)) = (d0, d1) {
                            push_period(
                                &mut periods,
                                instant(d0, a % 10_000, utc),
                                instant(d1, b % 10_000, utc),
                            );
                        }
                    }
                    k = t + 2;
                    continue;
                }
            }
        }
        // HHMM [UTC] TO HHMM [UTC] DAILY FROM D TO D MON  |  DAILY FROM HHMM TO HHMM ON D MON [YYYY] TO D MON [YYYY]
        if let Some((a, 4)) = num(k) {
            let t = if utc_at(k + 1) { k + 2 } else { k + 1 };
            if w.get(t) == Some(&"TO") {
                if let Some((b, 4)) = num(t + 1) {
                    let utc = utc_at(k + 1) || utc_at(t + 2);
                    let mut j = if utc_at(t + 2) { t + 3 } else { t + 2 };
                    let is_daily = w.get(j) == Some(&"DAILY")
                        || w.get(k.wrapping_sub(1)) == Some(&"DAILY")
                        || w.get(k.wrapping_sub(2)) == Some(&"DAILY");
                    if w.get(j) == Some(&"DAILY") {
                        j += 1;
                    }
                    // … FROM D TO D MON
                    if w.get(j) == Some(&"FROM") {
                        if let (Some((d0, _)), Some(&"TO"), Some((d1, _))) =
                            (num(j + 1), w.get(j + 2), num(j + 3))
                        {
                            if let Some(m) = month_after(j + 4) {
                                if let (Some(f), Some(l)) = (
                                    resolve(None, m, u8::try_from(d0).unwrap_or(0), published),
                                    resolve(None, m, u8::try_from(d1).unwrap_or(0), published),
                                ) {
                                    daily(&mut periods, f, l, a, b, utc);
                                }
                            }
                            k = j + 4;
                            continue;
                        }
                    }
                    // … ON D MON [YYYY] [TO D MON [YYYY]]
                    if w.get(j) == Some(&"ON") {
                        let date_at = |p: usize| -> Option<(TaipeiDate, usize)> {
                            let (d, _) = num(p)?;
                            let m = month_of(w.get(p + 1)?)?;
                            let (y, used) = match num(p + 2) {
                                Some((y, 4)) => (Some(i32::try_from(y).ok()?), 3),
                                _ => (None, 2),
                            };
                            Some((resolve(y, m, u8::try_from(d).ok()?, published)?, used))
                        };
                        if let Some((f, used)) = date_at(j + 1) {
                            let mut l = f;
                            let mut next = j + 1 + used;
                            if w.get(next) == Some(&"TO") {
                                if let Some((d, u2)) = date_at(next + 1) {
                                    l = d;
                                    next += 1 + u2;
                                }
                            }
                            if is_daily || l != f {
                                daily(&mut periods, f, l, a, b, utc);
                            } else {
                                daily(&mut periods, f, f, a, b, utc);
                            }
                            k = next;
                            continue;
                        }
                    }
                    // FROM D TO D MON, DAILY HHMM TO HHMM (range before)
                    if is_daily {
                        let before: Vec<usize> = (k.saturating_sub(8)..k).collect();
                        if let Some(&f) = before
                            .iter()
                            .find(|&&p| w.get(p) == Some(&"FROM") && w.get(p + 2) == Some(&"TO"))
                        {
                            if let (Some((d0, _)), Some((d1, _))) = (num(f + 1), num(f + 3)) {
                                if let Some(m) = w.get(f + 4).and_then(|x| month_of(x)) {
                                    if let (Some(a0), Some(l)) = (
                                        resolve(None, m, u8::try_from(d0).unwrap_or(0), published),
                                        resolve(None, m, u8::try_from(d1).unwrap_or(0), published),
                                    ) {
                                        daily(&mut periods, a0, l, a, b, utc);
                                        k = t + 2;
                                        continue;
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // FROM HHMM ON D MON YYYY TO HHMM ON D MON YYYY
            if w.get(k + 1) == Some(&"ON") {
                if let (Some((d0, _)), Some(m0)) =
                    (num(k + 2), w.get(k + 3).and_then(|x| month_of(x)))
                {
                    let y0 = num(k + 4)
                        .filter(|(_, l)| *l == 4)
                        .and_then(|(y, _)| i32::try_from(y).ok());
                    let p = if y0.is_some() { k + 5 } else { k + 4 };
                    if w.get(p) == Some(&"TO") {
                        if let (Some((b, 4)), Some(&"ON"), Some((d1, _)), Some(m1)) = (
                            num(p + 1),
                            w.get(p + 2),
                            num(p + 3),
                            w.get(p + 4).and_then(|x| month_of(x)),
                        ) {
                            let y1 = num(p + 5)
                                .filter(|(_, l)| *l == 4)
                                .and_then(|(y, _)| i32::try_from(y).ok());
                            let f = resolve(y0, m0, u8::try_from(d0).unwrap_or(0), published);
                            let l =
                                resolve(y1.or(y0), m1, u8::try_from(d1).unwrap_or(0), published);
                            if let (Some(f), Some(l)) = (f, l) {
                                push_period(
                                    &mut periods,
                                    instant(f, a, false),
                                    instant(l, b, false),
                                );
                            }
                            k = p + 5;
                            continue;
                        }
                    }
                }
            }
        }
        // FROM D TO D MON (whole days), when no clock follows.
        if w.get(k) == Some(&"FROM") {
            if let (Some((d0, l0)), Some(&"TO"), Some((d1, l1))) =
                (num(k + 1), w.get(k + 2), num(k + 3))
            {
                if l0 <= 2 && l1 <= 2 {
                    if let Some(m) = w.get(k + 4).and_then(|x| month_of(x)) {
                        let daily_after = w.get(k + 5) == Some(&"DAILY");
                        if !daily_after {
                            if let (Some(f), Some(l)) = (
                                resolve(None, m, u8::try_from(d0).unwrap_or(0), published),
                                resolve(None, m, u8::try_from(d1).unwrap_or(0), published),
                            ) {
                                push_period(
                                    &mut periods,
                                    instant(f, 0, false),
                                    instant(l, 2400, false),
                                );
                            }
                            k += 5;
                            continue;
                        }
                    }
                }
            }
        }
        k += 1;
    }
    periods
}

/// Days apart two publications of one warning in its two languages may be.
pub const COUNTERPART_MAX_DAYS: i64 = 1;

/// MSA publishes each warning in Chinese and in English under two numbers (`桂航警51/26` and
/// `GX20/26`). A warning whose text lacks its periods (a page text cut short) takes them, and
/// its areas when the counterpart has more points, from the fully parsed warning in the other
/// language with the same first point published at most [`COUNTERPART_MAX_DAYS`] apart (the
/// closest; none when two are equally close). The taken-over warning records the counterpart
/// in [`Warning::completed_from`] and loses its "no period" issue. Returns how many were
/// completed.
pub fn complete_from_counterparts(warnings: &mut [Warning]) -> usize {
    let first_point = |w: &Warning| -> Option<(f64, f64)> {
        w.areas.first().map(|a| match a {
            Area::Polygon(p) | Area::Line(p) => {
                p.first().map_or((f64::NAN, f64::NAN), |x| (x.lat_deg(), x.lon_deg()))
            }
            Area::Circle { centre, .. } | Area::Sector { centre, .. } => {
                (centre.lat_deg(), centre.lon_deg())
            }
        })
    };
    let day_number = |d: Option<TaipeiDate>| -> Option<i64> {
        let d = d?;
        Some(
            Timestamp::from_civil(d.year, d.month, d.day, 0, 0, 0, 0)?.unix_nanos()
                / (24 * NANOS_PER_HOUR),
        )
    };
    let mut completed = 0;
    for i in 0..warnings.len() {
        let w = &warnings[i];
        if !w.periods.is_empty() || w.cancels.is_some() {
            continue;
        }
        let (Some(p), Some(day)) = (first_point(w), day_number(w.source.published)) else {
            continue;
        };
        let mut best: Option<(i64, usize)> = None;
        let mut tie = false;
        for (j, c) in warnings.iter().enumerate() {
            if j == i || c.language == w.language || !c.is_fully_parsed() {
                continue;
            }
            let Some(q) = first_point(c) else { continue };
            if (p.0 - q.0).abs() > 1e-6 || (p.1 - q.1).abs() > 1e-6 {
                continue;
            }
            let Some(cd) = day_number(c.source.published) else { continue };
            let gap = (cd - day).abs();
            if gap > COUNTERPART_MAX_DAYS {
                continue;
            }
            match best {
                Some((g, _)) if g < gap => {}
                // The same warning listed twice is no rival.
                Some((g, b)) if g == gap => tie |= warnings[b].number != c.number,
                _ => {
                    best = Some((gap, j));
                    tie = false;
                }
            }
        }
        let Some((_, j)) = best.filter(|_| !tie) else { continue };
        let (periods, areas, number) = {
            let c = &warnings[j];
            (c.periods.clone(), c.areas.clone(), c.number.clone())
        };
        let w = &mut warnings[i];
        let points = |a: &[Area]| {
            a.iter()
                .map(|x| match x {
                    Area::Polygon(p) | Area::Line(p) => p.len(),
                    _ => 1,
                })
                .sum::<usize>()
        };
        if points(&areas) > points(&w.areas) {
            w.areas = areas;
        }
        w.periods = periods;
        w.completed_from = number.or_else(|| Some(String::new()));
        w.issues.retain(|x| x.reason != "no period of validity found");
        completed += 1;
    }
    completed
}

// ---------------------------------------------------------------------------------------------

/// Markers after which the warning text starts in a scraped page (the page header before them
/// is navigation).
const BODY_MARKERS: [&str; 2] = ["分享到：", "分享到:"];

/// The warning number at the start of the body: `桂航警51/26`, `GX20/26`.
fn number(body: &str) -> Option<String> {
    let t = body.trim_start();
    let end = t.find(|c: char| c == '，' || c == ',' || c.is_whitespace()).unwrap_or(t.len());
    let n = &t[..end];
    (n.contains('/') && n.len() <= 40 && n.chars().any(|c| c.is_ascii_digit()))
        .then(|| n.to_owned())
}

/// Parses one warning. `source` says where it was published; its date resolves the year of
/// dates written without one.
pub fn parse(raw: &str, source: WarningSource) -> Result<Warning, ParseError> {
    if raw.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge { len_bytes: raw.len() });
    }
    let folded = fold(raw);
    if folded.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let body = BODY_MARKERS
        .iter()
        .filter_map(|m| folded.rfind(m).map(|i| i + m.len()))
        .max()
        .map_or(folded.as_str(), |i| &folded[i..]);
    let chinese = body.contains("航警") || body.contains("禁止") || body.contains("海里");
    let language = if chinese { Language::Chinese } else { Language::English };
    let mut issues = Vec::new();
    let number = number(body);
    let published = source.published;
    let cancels = cancelled(body);
    let approximate = body.contains("圆弧") || body.to_uppercase().contains(" ARC ");
    let areas = if approximate {
        // `以A为顶点，正东方向至B，再至C端点，…至D端点，以顶点为中心半径25公里的部分圆弧将两个端点连接`:
        // the named points in order, the arc replaced by its chord.
        let points: Vec<Position> = coordinates(body).into_iter().map(|p| p.2).collect();
        if points.len() >= 3 { vec![Area::Polygon(points)] } else { areas(body, &mut issues) }
    } else {
        areas(body, &mut issues)
    };
    let periods =
        if chinese { chinese_periods(body, published) } else { english_periods(body, published) };
    let activity = activity(body, chinese);
    if cancels.is_none() {
        if areas.is_empty() {
            issues.push(Issue {
                reason: "no area (coordinates) found",
                text: body.chars().take(200).collect(),
            });
        }
        if periods.is_empty() {
            issues.push(Issue {
                reason: "no period of validity found",
                text: body.chars().take(200).collect(),
            });
        }
    }
    Ok(Warning {
        number,
        language,
        activity,
        areas,
        periods,
        cancels,
        approximate,
        completed_from: None,
        issues,
        source,
        raw: raw.to_owned(),
    })
}

/// `撤销鲁航警676/26`, `CANCEL SD625/26`.
fn cancelled(body: &str) -> Option<String> {
    for m in ["撤销", "CANCEL "] {
        if let Some(i) = body.find(m) {
            let rest = body[i + m.len()..].trim_start();
            let end = rest.find(['。', '，', ' ', '.', ',']).unwrap_or(rest.len());
            let n = rest[..end].trim_end_matches(['.', '。']);
            if n.contains('/') {
                return Some(n.to_owned());
            }
        }
    }
    None
}

/// The activity: `进行军事训练` → `军事训练`; English the words before `IN AREA`.
fn activity(body: &str, chinese: bool) -> Option<String> {
    if chinese {
        for m in ["进行", "执行", "举行"] {
            if let Some(i) = body.find(m) {
                let rest = &body[i + m.len()..];
                let end = rest.find(['，', '。', '：', ':', '；']).unwrap_or(rest.len());
                let a = rest[..end].trim();
                if !a.is_empty() && a.chars().count() <= 12 {
                    return Some(a.to_owned());
                }
            }
        }
        None
    } else {
        let up = body.to_uppercase();
        let end = up.find(" IN AREA").or_else(|| up.find(" IN THE AREA"))?;
        let head = &body[..end];
        let words: Vec<&str> = head
            .split(|c: char| c.is_whitespace() || c == '，' || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let acts = ["MILITARY", "GUN", "SHOOTING", "LIVE", "ROCKET", "FIRING"];
        let start = words.iter().position(|w| {
            acts.iter().any(|a| w.to_uppercase().trim_start_matches(['.', ',']).starts_with(a))
        })?;
        Some(words[start..].join(" ").trim_start_matches(['.', ',']).to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn coordinate_forms() {
        let c = coordinates(
            "21-23.00N 108-47.40E；39-51N119-53E、19-52.35N/110-57.27E，20-53.0N，110-54.0E 23-14-12N117-20-42E",
        );
        assert_eq!(c.len(), 5);
        assert!((c[0].2.lat_deg() - (21.0 + 23.0 / 60.0)).abs() < 1e-9);
        assert!((c[0].2.lon_deg() - (108.0 + 47.4 / 60.0)).abs() < 1e-9);
        assert!((c[4].2.lat_deg() - (23.0 + 14.0 / 60.0 + 12.0 / 3600.0)).abs() < 1e-9);
        assert!(coordinates("99-00.00N 108-00.00E").is_empty());
        assert!(is_list_gap("；（2）"));
        assert!(is_list_gap(" AND "));
        assert!(!is_list_gap("诸点连线范围内和"));
    }

    #[test]
    fn chinese_daily_window() {
        let src =
            WarningSource { published: TaipeiDate::new(2026, 3, 15), ..WarningSource::default() };
        let w = parse(
            "桂航警51/26，北部湾，3月16日至17日每天1000时至1800时，在21-23.00N 108-47.40E；21-23.00N 108-58.00E；21-12.40N 108-58.00E；21-12.40N 108-47.40E连线海域范围内进行军事训练，禁止船舶驶入。",
            src,
        )
        .unwrap();
        assert!(w.is_fully_parsed(), "{w:#?}");
        assert_eq!(w.number.as_deref(), Some("桂航警51/26"));
        assert_eq!(w.activity.as_deref(), Some("军事训练"));
        assert_eq!(
            w.periods,
            [
                Period { start: ts("2026-03-16T02:00:00Z"), end: ts("2026-03-16T10:00:00Z") },
                Period { start: ts("2026-03-17T02:00:00Z"), end: ts("2026-03-17T10:00:00Z") },
            ]
        );
        assert!(matches!(&w.areas[..], [Area::Polygon(p)] if p.len() == 4));
    }

    fn src(y: i32, m: u8, d: u8) -> WarningSource {
        WarningSource { published: TaipeiDate::new(y, m, d), ..WarningSource::default() }
    }

    /// English forms; texts from the shared data set (msa.gov.cn warnings of 2026).
    #[test]
    fn english_forms() {
        let w = parse(
            "GX20/26 BEIBU BAY，MILITARY TRAINING IN AREA BOUNDED BY THE LINES JOINING 21-23.00N 108-47.40E；21-23.00N 108-58.00E；21-12.40N 108-58.00E；21-12.40N 108-47.40E 0200 UTC TO 1000 UTC DAILY FROM 16 TO 17 MAR. ENTERING PROHIBITED．GUANGXI MSA CHINA.",
            src(2026, 3, 15),
        )
        .unwrap();
        assert!(w.is_fully_parsed(), "{w:#?}");
        assert_eq!(w.language, Language::English);
        assert_eq!(w.activity.as_deref(), Some("MILITARY TRAINING"));
        // The same periods as its Chinese twin 桂航警51/26 (10:00-18:00 Beijing time).
        assert_eq!(
            w.periods[0],
            Period { start: ts("2026-03-16T02:00:00Z"), end: ts("2026-03-16T10:00:00Z") }
        );
        assert_eq!(w.periods.len(), 2);

        let w = parse(
            "HN153/26 SOUTH CHINA SEA ,MILITARY EXERCISES IN AREA BOUNDED BY THE LINES JOINING 19-47.11N 111-08.16E、20-01.90N 111-02.50E、20-00.77N 110-56.13E AND 19-39.60N 111-03.73E FROM 130100UTC TO 130400UTC、 140200UTC TO 140330UTC AND 150100UTC TO 150400UTC AUG. ENTERING PROHIBITED. HAINAN MSA CHINA.",
            src(2026, 8, 12),
        )
        .unwrap();
        assert!(w.is_fully_parsed(), "{w:#?}");
        assert_eq!(w.periods.len(), 3);
        assert_eq!(
            w.periods[1],
            Period { start: ts("2026-08-14T02:00:00Z"), end: ts("2026-08-14T03:30:00Z") }
        );
        assert!(matches!(&w.areas[..], [Area::Polygon(p)] if p.len() == 4));

        let w = parse(
            "HN122/26  SOUTH CHINA SEA  MILITARY ACTIVITIES IN AREA WITHIN 10 MILES RADIUS OF 19-37.12N /110-57.32E FROM 171130 UTC TO 191400 UTC JUL. ENTERING PROHIBITED. HAINAN MSA CHINA.",
            src(2026, 7, 15),
        )
        .unwrap();
        assert!(w.is_fully_parsed(), "{w:#?}");
        assert!(
            matches!(w.areas[0], Area::Circle { radius_m, .. } if (radius_m - 18_520.0).abs() < 1e-6)
        );
        assert_eq!(
            w.periods,
            [Period { start: ts("2026-07-17T11:30:00Z"), end: ts("2026-07-19T14:00:00Z") }]
        );

        let w = parse("SD645/26 YELLOW SEA, MILITARY ACTIVITY COMPLETED. CANCEL SD625/26. SHANDONG MSA CHINA.", src(2026, 8, 21)).unwrap();
        assert!(w.is_fully_parsed());
        assert_eq!(w.cancels.as_deref(), Some("SD625/26"));
    }

    #[test]
    fn chinese_forms() {
        // Circle and sector with one centre (沪航警561/26).
        let w = parse(
            "沪航警561/26，东海，2026年7月20日0600时至22日1200时，在以31-12.18N 123-42.69E为圆心，半径3千米的圆形海域内和以31-12.18N 123-42.69E为圆心，方位158°-194°，半径5千米的扇形的海域进行火箭发射。禁止驶入。",
            src(2026, 7, 19),
        )
        .unwrap();
        assert!(w.is_fully_parsed(), "{w:#?}");
        assert!(
            matches!(w.areas[0], Area::Circle { radius_m, .. } if (radius_m - 3000.0).abs() < 1e-6)
        );
        assert!(
            matches!(w.areas[1], Area::Sector { radius_m, from_deg, to_deg, .. } if (radius_m - 5000.0).abs() < 1e-6 && from_deg == 158.0 && to_deg == 194.0)
        );
        assert_eq!(
            w.periods,
            [Period { start: ts("2026-07-19T22:00:00Z"), end: ts("2026-07-22T04:00:00Z") }]
        );
        // Listed days and a later clock range on another day (琼航警159/26).
        let w = parse(
            "琼航警159/26，南海，8月13日0900时至1200时、14日1000时至1130时、15日0900时至1200时，在19-47.11N 111-08.16E、20-01.90N 111-02.50E、20-00.77N 110-56.13E和19-39.60N 111-03.73E四点连线水域范围内进行军事训练，禁止驶入。",
            src(2026, 8, 12),
        )
        .unwrap();
        assert_eq!(w.periods.len(), 3, "{w:#?}");
        assert_eq!(
            w.periods[2],
            Period { start: ts("2026-08-15T01:00:00Z"), end: ts("2026-08-15T04:00:00Z") }
        );
        // Two areas, each with its own period; a `-` clock range.
        let w = parse(
            "琼航警141/26，南海，2026年8月3日至2026年8月7日每日0500至2400时，8月8日0700-1800时，在17-52.00N 109-00.00E、17-52.00N 109-50.00E、17-21.00N 109-50.00E、17-21.00N 109-00.00E四点连线水域范围内进行军事训练，禁止驶入。",
            src(2026, 8, 1),
        )
        .unwrap();
        assert_eq!(w.periods.len(), 6, "{w:#?}");
        // An arc boundary: the named points, marked approximate.
        let w = parse(
            "冀航警450/26，渤海，7月14日0000时至7月17日2400时， 以N 39°24′35″、E 119°13′44″为顶点，正东方向至N39°24′35″、E 119°17′32″，再至N39°19′21″、E 119°29′47″端点，顶点正南偏西6°方向至N39°11′16″、E 119°11′54″端点，以顶点为中心半径25公里的部分圆弧将两个端点连接，形成不规则的闭合范围。",
            src(2026, 7, 13),
        )
        .unwrap();
        assert!(w.is_fully_parsed() && w.approximate, "{w:#?}");
        assert!(matches!(&w.areas[..], [Area::Polygon(p)] if p.len() == 4));
        assert_eq!(w.to_zone_feature().unwrap()["properties"]["status"], "approximate");
        // Cancellation; nothing readable.
        let w = parse("鲁航警696/26，黄海，军事活动结束，撤销鲁航警676/26。", src(2026, 8, 21))
            .unwrap();
        assert_eq!(w.cancels.as_deref(), Some("鲁航警676/26"));
        let w = parse("沪航警538/26，长江口，7月14日1200时至1330时，在外高桥救捞码头前沿800米水域内举行救助演练。", src(2026, 7, 13)).unwrap();
        assert!(!w.is_fully_parsed());
        assert_eq!(w.issues[0].reason, "no area (coordinates) found");
        assert_eq!(parse(" ", WarningSource::default()), Err(ParseError::Empty));
    }

    /// Every prefix and every one-character deletion of real warnings: no panic, and periods
    /// are never empty or reversed.
    #[test]
    fn cut_and_damaged_texts_never_panic() {
        let texts = [
            "沪航警561/26，东海，2026年7月20日0600时至22日1200时，在以31-12.18N 123-42.69E为圆心，半径3千米的圆形海域内和以31-12.18N 123-42.69E为圆心，方位158°-194°，半径5千米的扇形的海域进行火箭发射。",
            "琼航警141/26，南海，2026年8月3日至2026年8月7日每日0500至2400时，8月8日0700-1800时，在17-52.00N 109-00.00E、17-52.00N 109-50.00E、17-21.00N 109-50.00E四点连线水域范围内进行军事训练。",
            "HN153/26 SOUTH CHINA SEA ,MILITARY EXERCISES IN AREA BOUNDED BY THE LINES JOINING 19-47.11N 111-08.16E、20-01.90N 111-02.50E AND 19-39.60N 111-03.73E FROM 130100UTC TO 130400UTC、 140200UTC TO 140330UTC AUG.",
            "HN136/26 MILITARY EXERCISES IN AREA BOUNDED BY THE LINES JOINING 17-52.00N 109-00.00E、17-52.00N 109-50.00E, DAILY FROM 0500 TO 2400 ON 3 AUG 2026 TO 7 AUG 2026 AND FROM 0700 TO 1800 ON 8 AUG 2026 , ENTERING PROHIBITED.",
            "冀航警450/26，7月14日0000时至7月17日2400时， 以N 39°24′35″、E 119°13′44″为顶点，正东方向至N39°24′35″、E 119°17′32″，再至N39°19′21″、E 119°29′47″端点，部分圆弧",
        ];
        for text in texts {
            for (i, c) in text.char_indices() {
                let damaged = format!("{}{}", &text[..i], &text[i + c.len_utf8()..]);
                for t in [&text[..i], damaged.as_str()] {
                    if let Ok(w) = parse(t, src(2026, 7, 13)) {
                        assert!(w.periods.iter().all(|p| p.end > p.start));
                        let _ = w.to_zone_feature();
                    }
                }
            }
        }
    }

    #[test]
    fn counterpart_completes_a_cut_short_text() {
        let zh = parse(
            "桂航警51/26，北部湾，3月16日至17日每天1000时至1800时，在21-23.00N 108-47.40E；21-23.00N 108-58.00E；21-12.40N 108-58.00E；21-12.40N 108-47.40E连线海域范围内进行军事训练，禁止船舶驶入。",
            src(2026, 3, 15),
        )
        .unwrap();
        let en = parse("GX20/26 BEIBU BAY，MILITARY TRAINING IN AREA BOUNDED BY THE LINES JOINING 21-23.00N 108-47.40E；21-23.00N 108-58.00E；21-12", src(2026, 3, 15)).unwrap();
        assert!(!en.is_fully_parsed());
        let mut all = vec![zh.clone(), en];
        assert_eq!(complete_from_counterparts(&mut all), 1);
        assert!(all[1].is_fully_parsed(), "{:#?}", all[1]);
        assert_eq!(all[1].periods, zh.periods);
        assert_eq!(all[1].areas, zh.areas);
        assert_eq!(all[1].completed_from.as_deref(), Some("桂航警51/26"));
    }
}
