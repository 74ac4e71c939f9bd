//! Japan Joint Staff Office (統合幕僚監部) press releases: ship and aircraft movement notices.
//!
//! [`parse`] reads the plain text of one release (as extracted from its PDF) into a
//! [`Release`]: the document kind, the publication date and, for movement notices, each
//! sighting with its time (JST), position as bearing and distance from a named place, heading,
//! ships (class, type, name, hull numbers, count), strait passages, "same ship as reported on …"
//! links and the watching units; for aircraft notices the aircraft groups and the scrambling
//! air defence force.
//!
//! Text is first normalised ([`crate::text::normalize`]): full-width digits and letters folded
//! to ASCII and all whitespace removed, since extraction breaks lines inside words. The raw text
//! is kept in [`Release::raw`].
//!
//! A release that cannot be read at all is an [`Err`]; a movement notice that is read but has
//! a part the parser could not understand carries [`Issue`]s, so nothing is dropped silently.
//!
//! # Fully parsed
//!
//! [`Release::is_fully_parsed`] holds for a movement notice (ships or aircraft) when it has at
//! least one sighting and no [`Issue`]. Ship notices raise an issue when a sighting lacks its
//! date, its bearing/distance position, its heading (unless the text says only that the ships
//! were sailing, `航行している`, or loitering, `遊弋する`) or its ships, when a passage
//! sentence names no strait or area, or when no watching unit is named. Aircraft notices raise one when a sighting lacks its date
//! or aircraft, or when no scrambling unit is named.

use kuroshio_model::Timestamp;
use serde::Serialize;

use crate::gazetteer::CompassPoint;
use crate::text::{
    JstDate, all_dates, leading_date, leading_number, normalize, split_top_level, strip_parens,
};

/// Longest release text accepted, bytes. The longest real release (a yearly scramble summary)
/// is about 25 kB of UTF-8; the limit keeps a hostile input from costing more than a few
/// milliseconds of scanning.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Most sentences read from one release; real releases have fewer than 40.
pub const MAX_SENTENCES: usize = 4096;

/// Hours Japan Standard Time is ahead of UTC (no daylight saving time).
pub const JST_OFFSET_HOURS: i64 = 9;

/// Why a release could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The text is longer than [`MAX_TEXT_BYTES`].
    #[error("release text is {len_bytes} bytes, more than the {MAX_TEXT_BYTES} accepted")]
    TooLarge {
        /// Length of the rejected text.
        len_bytes: usize,
    },
    /// The text is empty after normalisation.
    #[error("release text is empty")]
    Empty,
    /// A movement notice without a readable publication date.
    #[error("{kind:?} release has no readable publication date (令和N年M月D日)")]
    NoDate {
        /// Kind the title announced.
        kind: DocumentKind,
    },
    /// A movement notice in which no sighting sentence was found.
    #[error("{kind:?} release has no sighting sentence ({hint})")]
    NoSightings {
        /// Kind the title announced.
        kind: DocumentKind,
        /// What was looked for.
        hint: &'static str,
    },
}

/// What a release is about, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum DocumentKind {
    /// Naval ship movements (`海軍艦艇の動向`).
    NavalShips,
    /// Military aircraft movements (`軍機の動向`).
    Aircraft,
    /// Monthly scramble count table (`月間緊急発進状況`).
    ScrambleTable,
    /// Scramble summary for a year or quarter (`緊急発進実施状況`).
    ScrambleSummary,
    /// Correction of an earlier release (`一部訂正`).
    Correction,
    /// Anything else: disaster relief, exercises, statements.
    Other,
}

impl DocumentKind {
    /// Whether the kind is a ship or aircraft movement notice.
    pub fn is_movement(self) -> bool {
        matches!(self, Self::NavalShips | Self::Aircraft)
    }
}

/// Country of a navy or an air force named in a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum Country {
    /// 中国
    China,
    /// ロシア
    Russia,
}

/// Part of the day when no clock hour is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum PartOfDay {
    /// 午前
    Morning,
    /// 午後
    Afternoon,
    /// 午前から午後にかけて
    MorningToAfternoon,
}

/// When a sighting was made (JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SightingTime {
    /// Calendar date in JST.
    pub date: JstDate,
    /// Clock hour in JST (`午後4時頃` → 16, `正午頃` → 12), when given; the releases round to
    /// the hour ("頃").
    pub hour_jst: Option<u8>,
    /// Part of the day when no hour is given.
    pub part_of_day: Option<PartOfDay>,
}

impl SightingTime {
    /// The UTC instant of the stated hour, when an hour is given.
    pub fn to_timestamp(&self) -> Option<Timestamp> {
        let hour = self.hour_jst?;
        let local =
            Timestamp::from_civil(self.date.year, self.date.month, self.date.day, hour, 0, 0, 0)?;
        Some(local.saturating_add_nanos(-JST_OFFSET_HOURS * 3_600_000_000_000))
    }
}

/// A position given as bearing and distance from a named place (`宮古島の北東約100km`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelativePosition {
    /// Name of the place as written (without the prefecture in brackets).
    pub place: String,
    /// Bearing from the place.
    pub bearing: CompassPoint,
    /// Distance from the place, km (the releases say "約", about).
    pub distance_km: u32,
}

/// One ship entry of a sighting; several identical ships may share an entry (`2隻`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ship {
    /// Navy the ship belongs to.
    pub navy: Option<Country>,
    /// Class, including `級` (`ルーヤンⅢ級`); `None` for unclassed entries (`貨物船`).
    pub class: Option<String>,
    /// Ship type (`ミサイル駆逐艦`, `フリゲート`, `貨物船`).
    pub ship_type: String,
    /// Ship name when given (`遼寧`).
    pub name: Option<String>,
    /// Hull numbers (`艦番号「119」`), as written.
    pub hull_numbers: Vec<String>,
    /// Number of ships in the entry.
    pub count: u32,
}

/// A strait or passage between two islands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Strait {
    /// 対馬海峡
    Tsushima,
    /// 大隅海峡
    Osumi,
    /// 津軽海峡
    Tsugaru,
    /// 宗谷海峡
    Soya,
    /// Between Okinawa Island and Miyako Island (`沖縄本島と宮古島との間`).
    Miyako,
    /// Between Yonaguni Island and Taiwan (`与那国島と台湾との間`).
    YonaguniTaiwan,
    /// Between Yonaguni Island and Iriomote Island (`与那国島と西表島との間`).
    YonaguniIriomote,
    /// Between Amami Oshima and Yokoate Island (`奄美大島と横当島との間`).
    AmamiYokoate,
    /// Another named strait or sea area, as written.
    Other(String),
}

impl Strait {
    fn from_pair(a: &str, b: &str) -> Self {
        let has = |x: &str, y: &str| (a == x && b == y) || (a == y && b == x);
        if has("沖縄本島", "宮古島") {
            Self::Miyako
        } else if has("与那国島", "台湾") {
            Self::YonaguniTaiwan
        } else if has("与那国島", "西表島") {
            Self::YonaguniIriomote
        } else if has("奄美大島", "横当島") {
            Self::AmamiYokoate
        } else {
            Self::Other(format!("{a}と{b}の間"))
        }
    }

    fn from_name(name: &str) -> Self {
        match name {
            "対馬海峡" => Self::Tsushima,
            "大隅海峡" => Self::Osumi,
            "津軽海峡" => Self::Tsugaru,
            "宗谷海峡" => Self::Soya,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// A movement through a strait or sea area (`宮古島と沖縄本島との間を北西進`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// The strait or area.
    pub strait: Strait,
    /// Direction of travel.
    pub direction: CompassPoint,
    /// Dates stated for the passage (one, or first and last of `…から…にかけて`); empty when the
    /// sentence gives none (the sighting's date).
    pub dates: Vec<JstDate>,
    /// Sea the ships headed for afterwards (`東シナ海`), when stated.
    pub bound_for: Option<String>,
}

/// "These ships are the same as those reported on …" (`…したものと同一である`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SameAs {
    /// Which ships the link is about (`これらの艦艇`, or a class and hull number).
    pub subject: String,
    /// Dates of the earlier movements, in the order written.
    pub dates: Vec<JstDate>,
    /// Earlier strait passages named in the link.
    pub passages: Vec<Passage>,
}

/// One ship sighting: a group of ships seen together at a time and place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipSighting {
    /// When.
    pub time: Option<SightingTime>,
    /// Where, relative to a named place.
    pub position: Option<RelativePosition>,
    /// Direction of travel when seen (`同海域を北東進する`).
    pub heading: Option<CompassPoint>,
    /// Ships seen.
    pub ships: Vec<Ship>,
    /// Total number of ships (`計3隻`, or the sum of the entries).
    pub total_count: u32,
    /// Subsequent passages reported for this group.
    pub passages: Vec<Passage>,
    /// Links to earlier releases about the same ships.
    pub same_as: Vec<SameAs>,
}

/// A Japan Maritime or Air Self-Defense Force unit that watched the ships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchUnit {
    /// Unit (`第5航空群`).
    pub unit: String,
    /// Ship name or aircraft type (`P-3C`, `おおたか`).
    pub platform: String,
    /// Home base (`那覇`), when given.
    pub base: Option<String>,
}

/// One aircraft group of an aircraft notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aircraft {
    /// Country, when stated or implied by the title.
    pub country: Option<Country>,
    /// Role as written (`哨戒機`, `情報収集機`, `偵察/攻撃型無人機`).
    pub role: String,
    /// Type designation (`Y-9`, `Tu-142`), when given.
    pub model: Option<String>,
    /// Number of aircraft.
    pub count: u32,
}

/// One aircraft sighting sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AircraftSighting {
    /// When.
    pub time: Option<SightingTime>,
    /// Aircraft groups named.
    pub aircraft: Vec<Aircraft>,
    /// The normalised sentence (the route is described in free text).
    pub route: String,
}

/// Something in a movement notice the parser could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// What is missing or unreadable.
    pub reason: &'static str,
    /// The normalised sentence concerned (empty for document-level issues).
    pub sentence: String,
}

/// One parsed release.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// What the release is about.
    pub kind: DocumentKind,
    /// Countries named in the title.
    pub countries: Vec<Country>,
    /// The normalised title (`中国海軍艦艇の動向について`), when found.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<JstDate>,
    /// Ship sightings, in order.
    pub ship_sightings: Vec<ShipSighting>,
    /// Aircraft sightings, in order.
    pub aircraft_sightings: Vec<AircraftSighting>,
    /// Units that watched (ship notices).
    pub watch_units: Vec<WatchUnit>,
    /// Air defence force that scrambled (`西部航空方面隊等`), aircraft notices.
    pub scrambled_by: Option<String>,
    /// Parts the parser could not read.
    pub issues: Vec<Issue>,
    /// The text as given.
    pub raw: String,
}

impl Release {
    /// Whether this is a movement notice read without any [`Issue`] (see the module docs).
    pub fn is_fully_parsed(&self) -> bool {
        let sightings = match self.kind {
            DocumentKind::NavalShips => self.ship_sightings.len(),
            DocumentKind::Aircraft => self.aircraft_sightings.len(),
            _ => return false,
        };
        sightings > 0 && self.issues.is_empty()
    }
}

/// Markers of the end of the running text: the footer and the map legend that follow it.
const BODY_END_MARKERS: [&str; 3] = ["統合幕僚監部報道発表資料", "行動概要", "(問合せ先)"];

/// Parses the text of one release.
pub fn parse(raw: &str) -> Result<Release, ParseError> {
    if raw.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge { len_bytes: raw.len() });
    }
    let text = normalize(raw);
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let (kind, title, title_end) = classify(&text);
    let countries = title.as_deref().map(countries_in).unwrap_or_default();
    let published = published_date(&text, title_end);
    let mut release = Release {
        kind,
        countries,
        title,
        published,
        ship_sightings: Vec::new(),
        aircraft_sightings: Vec::new(),
        watch_units: Vec::new(),
        scrambled_by: None,
        issues: Vec::new(),
        raw: raw.to_owned(),
    };
    if !kind.is_movement() {
        return Ok(release);
    }
    let context = published.ok_or(ParseError::NoDate { kind })?;
    let body_start = title_end.unwrap_or(0);
    let body = &text[body_start..];
    let body_end = BODY_END_MARKERS.iter().filter_map(|m| body.find(m)).min().unwrap_or(body.len());
    let sentences = sentences(&body[..body_end]);
    match kind {
        DocumentKind::NavalShips => parse_ships(&mut release, &sentences, context)?,
        _ => parse_aircraft(&mut release, &sentences, context)?,
    }
    Ok(release)
}

/// Kind, normalised title and the byte offset just past the title.
fn classify(text: &str) -> (DocumentKind, Option<String>, Option<usize>) {
    if text.starts_with("月間緊急発進状況") {
        return (DocumentKind::ScrambleTable, None, None);
    }
    let Some(end) = text.find("について") else { return (DocumentKind::Other, None, None) };
    let end = end + "について".len();
    let head = &text[..end];
    let start = ["統合幕僚監部", "(お知らせ)", "】"]
        .iter()
        .filter_map(|m| head.rfind(m).map(|i| i + m.len()))
        .filter(|&i| i < end)
        .max()
        .unwrap_or(0);
    let title = &text[start..end];
    let kind = if title.contains("訂正") {
        DocumentKind::Correction
    } else if title.contains("海軍艦艇の動向") {
        DocumentKind::NavalShips
    } else if title.contains("軍機") && title.contains("動向") {
        DocumentKind::Aircraft
    } else if title.contains("緊急発進実施状況") {
        DocumentKind::ScrambleSummary
    } else {
        DocumentKind::Other
    };
    (kind, Some(title.to_owned()), Some(end))
}

fn countries_in(s: &str) -> Vec<Country> {
    let mut out = Vec::new();
    if s.contains("中国") {
        out.push(Country::China);
    }
    if s.contains("ロシア") {
        out.push(Country::Russia);
    }
    out
}

/// The first full date (with a year) before the end of the title.
fn published_date(text: &str, title_end: Option<usize>) -> Option<JstDate> {
    let head = match title_end {
        Some(end) => &text[..end],
        None => char_prefix(text, HEADER_BYTES),
    };
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with("令和")
            || rest.starts_with("平成")
            || rest.starts_with(|c: char| c.is_ascii_digit())
        {
            let fallback = JstDate { year: 0, month: 1, day: 1 };
            if let Some((d, _)) = leading_date(rest, fallback).filter(|(d, _)| d.year != 0) {
                return Some(d);
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Bytes searched for the publication date when no title was found: the header block.
const HEADER_BYTES: usize = 600;

/// The longest prefix of `s` of at most `max_bytes` that ends on a char boundary.
fn char_prefix(s: &str, max_bytes: usize) -> &str {
    let mut end = max_bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Splits the body into sentences at `。`, before `防衛省・自衛隊は` and before circled numbers
/// (`①`…`⑳`, the enumerated earlier movements).
fn sentences(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in body.char_indices() {
        if out.len() >= MAX_SENTENCES {
            break;
        }
        if c == '。' {
            out.push(&body[start..i]);
            start = i + c.len_utf8();
        } else if (('\u{2460}'..='\u{2473}').contains(&c)
            || body[i..].starts_with("防衛省・自衛隊は"))
            && i > start
        {
            out.push(&body[start..i]);
            start = i;
        }
    }
    if start < body.len() && out.len() < MAX_SENTENCES {
        out.push(&body[start..]);
    }
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

fn issue(reason: &'static str, sentence: &str) -> Issue {
    Issue { reason, sentence: sentence.to_owned() }
}

fn parse_ships(
    release: &mut Release,
    sentences: &[&str],
    context: JstDate,
) -> Result<(), ParseError> {
    let mut ctx = context;
    let mut saw_units_sentence = false;
    for &s in sentences {
        let trimmed = strip_lead(s);
        if s.contains("日時位置確認された艦艇") {
            let navy = match release.countries.as_slice() {
                [one] => Some(*one),
                _ => None,
            };
            let rows = parse_table(s, &mut ctx, navy);
            if rows.is_empty() {
                release.issues.push(issue("sighting table without readable rows", s));
            }
            release.ship_sightings.extend(rows);
        } else if s.contains("海上自衛隊は、") && s.contains("確認") && !s.contains("以下のとおり")
        {
            let sighting = parse_ship_sighting(s, &mut ctx, &mut release.issues);
            release.ship_sightings.push(sighting);
        } else if trimmed.starts_with("防衛省・自衛隊は") {
            saw_units_sentence = true;
            release.watch_units.extend(parse_watch_units(s));
        } else if trimmed.starts_with("なお") && s.contains("同一") {
            let link = parse_same_as(trimmed, ctx);
            match release.ship_sightings.last_mut() {
                Some(last) => last.same_as.push(link),
                None => release.issues.push(issue("same-ship link before any sighting", s)),
            }
        } else if trimmed.starts_with(|c: char| ('\u{2460}'..='\u{2473}').contains(&c)) {
            // An enumerated earlier movement of a preceding same-ship link: its dates continue
            // the link's own dates (`7月16日から27日にかけて、以下のとおり … ①16日`).
            match release.ship_sightings.last_mut().and_then(|l| l.same_as.last_mut()) {
                Some(link) => {
                    let link_ctx = link.dates.first().copied().unwrap_or(ctx);
                    link.passages.extend(find_passages(trimmed, link_ctx));
                    link.dates.extend(all_dates(trimmed, link_ctx));
                }
                None => {
                    release.issues.push(issue("enumerated movement outside a same-ship link", s));
                }
            }
        } else if (trimmed.starts_with("その後") || trimmed.starts_with("さらに"))
            && s.contains('進')
        {
            let passages = find_passages(trimmed, ctx);
            if passages.is_empty() {
                release
                    .issues
                    .push(issue("passage sentence without a readable strait or direction", s));
            }
            if let Some(d) = all_dates(trimmed, ctx).last() {
                ctx = *d;
            }
            match release.ship_sightings.last_mut() {
                Some(last) => last.passages.extend(passages),
                None => release.issues.push(issue("passage before any sighting", s)),
            }
        }
    }
    if release.ship_sightings.is_empty() {
        return Err(ParseError::NoSightings {
            kind: release.kind,
            hint: "a sentence with 海上自衛隊は、…確認した or a 日時/位置 table",
        });
    }
    if release.watch_units.is_empty() {
        let reason = if saw_units_sentence {
            "watching units sentence unreadable"
        } else {
            "no watching units sentence"
        };
        release.issues.push(issue(reason, ""));
    }
    Ok(())
}

/// `s` without a leading `また、`.
fn strip_lead(s: &str) -> &str {
    s.strip_prefix("また、").unwrap_or(s)
}

/// Reads a time at the start of `s` (after a date): `午後4時頃`, `正午頃`, `午前から午後にかけて`.
fn leading_time(s: &str) -> (Option<u8>, Option<PartOfDay>) {
    if s.starts_with("正午") {
        return (Some(12), None);
    }
    let (offset, rest) = if let Some(r) = s.strip_prefix("午前") {
        (0u32, r)
    } else if let Some(r) = s.strip_prefix("午後") {
        (12u32, r)
    } else {
        return (None, None);
    };
    if let Some((h, len)) = leading_number(rest) {
        if rest[len..].starts_with('時') && h <= 12 {
            let hour = if h == 12 { offset } else { offset + h };
            return (u8::try_from(hour % 24).ok(), None);
        }
    }
    if offset == 0 && rest.starts_with("から午後") {
        return (None, Some(PartOfDay::MorningToAfternoon));
    }
    (None, Some(if offset == 0 { PartOfDay::Morning } else { PartOfDay::Afternoon }))
}

/// The first date in `s` followed by its time of day.
fn first_time(s: &str, ctx: JstDate) -> Option<SightingTime> {
    let mut i = 0;
    while i < s.len() {
        let prev_digit = s[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if !prev_digit {
            if let Some((date, len)) = leading_date(&s[i..], ctx) {
                let (hour_jst, part_of_day) = leading_time(&s[i + len..]);
                return Some(SightingTime { date, hour_jst, part_of_day });
            }
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Finds `{place}(…)の{bearing}約{N}km`.
fn find_position(s: &str) -> Option<RelativePosition> {
    let mut search = 0;
    while let Some(rel) = s[search..].find("約") {
        let at = search + rel;
        search = at + "約".len();
        let after = &s[search..];
        let Some((distance_km, len)) = leading_number(after) else { continue };
        if !after[len..].starts_with("km") {
            continue;
        }
        let before = &s[..at];
        // The bearing is the longest compass word ending right before 約, preceded by の.
        let Some((bearing, word_start)) = (1..=3).rev().find_map(|n| {
            let start = before.char_indices().rev().nth(n - 1)?.0;
            let word = &before[start..];
            let p = CompassPoint::from_japanese(word)?;
            before[..start].ends_with('の').then_some((p, start))
        }) else {
            continue;
        };
        let head = strip_parens(&before[..word_start - 'の'.len_utf8()]);
        let place = head.rsplit(['、', 'は', 'が']).next().unwrap_or("").to_owned();
        if place.is_empty() {
            continue;
        }
        return Some(RelativePosition { place, bearing, distance_km });
    }
    None
}

/// Reads `{compass}進` at the start of `s`: the direction of travel.
fn compass_move(s: &str) -> Option<CompassPoint> {
    let (p, len) = CompassPoint::prefix_of(s)?;
    s[len..].starts_with('進').then_some(p)
}

fn navy_at(s: &str) -> Option<(Country, usize)> {
    if s.starts_with("中国海軍") {
        Some((Country::China, "中国海軍".len()))
    } else if s.starts_with("ロシア海軍") {
        Some((Country::Russia, "ロシア海軍".len()))
    } else {
        None
    }
}

fn parse_ship_sighting(s: &str, ctx: &mut JstDate, issues: &mut Vec<Issue>) -> ShipSighting {
    let time = first_time(s, *ctx).or_else(|| {
        // `また、同日、午後4時頃、…`: the day of the previous sighting.
        let i = s.find("同日")?;
        let after = &s[i + "同日".len()..];
        let (hour_jst, part_of_day) = leading_time(after.strip_prefix('、').unwrap_or(after));
        Some(SightingTime { date: *ctx, hour_jst, part_of_day })
    });
    if let Some(t) = time {
        *ctx = t.date;
    } else {
        issues.push(issue("sighting without a date", s));
    }
    let position = find_position(s);
    if position.is_none() {
        issues.push(issue("sighting without a bearing/distance position", s));
    }
    let heading = s.find("同海域を").and_then(|i| compass_move(&s[i + "同海域を".len()..]));
    // Ships only said to be sailing (航行している) or loitering (遊弋する) have no heading.
    if heading.is_none() && !s.contains("航行している") && !s.contains("遊弋") {
        issues.push(issue("sighting without a heading", s));
    }
    let navy_start = [s.find("中国海軍"), s.find("ロシア海軍")].into_iter().flatten().min();
    let mut ships = Vec::new();
    let mut total = None;
    if let Some(start) = navy_start {
        let list = &s[start..];
        let end =
            ["を確認", "が、"].iter().filter_map(|m| list.find(m)).min().unwrap_or(list.len());
        let (list, stated_total) = split_total(&list[..end]);
        total = stated_total;
        ships = parse_ship_list(list);
    }
    if ships.is_empty() {
        issues.push(issue("sighting without readable ships", s));
    }
    let total_count = total.unwrap_or_else(|| ships.iter().map(|s| s.count).sum());
    ShipSighting {
        time,
        position,
        heading,
        ships,
        total_count,
        passages: Vec::new(),
        same_as: Vec::new(),
    }
}

/// Splits a trailing `の計N隻` (or `のN隻`) off a ship list.
fn split_total(list: &str) -> (&str, Option<u32>) {
    for marker in ["の計", "の"] {
        if let Some(i) = list.rfind(marker) {
            let tail = &list[i + marker.len()..];
            if let Some((n, len)) = leading_number(tail) {
                if &tail[len..] == "隻" {
                    return (&list[..i], Some(n));
                }
            }
        }
    }
    (list, None)
}

/// Reads `中国海軍A(艦番号「1」)、B2隻(艦番号「2」及び「3」)及びロシア海軍C`.
fn parse_ship_list(list: &str) -> Vec<Ship> {
    let mut navy = None;
    let mut out = Vec::new();
    for item in split_top_level(list, &["、", "及び"]) {
        let mut item = item;
        if let Some((country, len)) = navy_at(item) {
            navy = Some(country);
            item = &item[len..];
        }
        if let Some(ship) = parse_ship(item, navy) {
            out.push(ship);
        }
    }
    out
}

/// Reads one entry: `ルーヤンⅢ級ミサイル駆逐艦2隻(艦番号「119」及び「120」)`,
/// `クズネツォフ級空母「遼寧」(艦番号「16」)`, `貨物船6隻`, `レンハイ級ミサイル駆逐艦(104)`.
fn parse_ship(item: &str, navy: Option<Country>) -> Option<Ship> {
    let (head, paren) = match item.find('(') {
        Some(i) => (&item[..i], Some(&item[i..])),
        None => (item, None),
    };
    let mut hull_numbers: Vec<String> = Vec::new();
    if let Some(p) = paren {
        let inner = p.trim_start_matches('(').trim_end_matches(')');
        let quoted = quoted_all(inner);
        if quoted.is_empty() {
            if inner.chars().all(|c| c.is_ascii_digit()) && !inner.is_empty() {
                hull_numbers.push(inner.to_owned());
            }
        } else {
            hull_numbers = quoted;
        }
    }
    // Name in 「」 outside brackets.
    let (head, name) = match (head.find('「'), head.find('」')) {
        (Some(a), Some(b)) if a < b => (
            format!("{}{}", &head[..a], &head[b + '」'.len_utf8()..]),
            Some(head[a + '「'.len_utf8()..b].to_owned()),
        ),
        _ => (head.to_owned(), None),
    };
    // Count: trailing N隻.
    let (head, count) = match head.strip_suffix('隻') {
        Some(h) => {
            let digits_start = h
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit())
                .last()
                .map(|(i, _)| i);
            match digits_start.and_then(|i| h[i..].parse::<u32>().ok().map(|n| (i, n))) {
                Some((i, n)) => (h[..i].to_owned(), n),
                None => (head.clone(), 1),
            }
        }
        None => (head, u32::try_from(hull_numbers.len().max(1)).unwrap_or(1)),
    };
    if head.is_empty() {
        return None;
    }
    let (class, ship_type) = match head.find('級') {
        Some(i) => {
            let cut = i + '級'.len_utf8();
            (Some(head[..cut].to_owned()), head[cut..].to_owned())
        }
        None => (None, head.clone()),
    };
    if ship_type.is_empty() {
        return None;
    }
    Some(Ship { navy, class, ship_type, name, hull_numbers, count })
}

fn quoted_all(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find('「') {
        let after = &rest[a + '「'.len_utf8()..];
        let Some(b) = after.find('」') else { break };
        out.push(after[..b].to_owned());
        rest = &after[b + '」'.len_utf8()..];
    }
    out
}

/// Places that can stand before `と` in a strait given as a pair of islands.
const PAIR_PLACES: [&str; 8] =
    ["沖縄本島", "与那国島", "奄美大島", "宮古島", "西表島", "横当島", "台湾", "対馬"];

/// Every `…を{compass}進` movement in `s` with the strait or area before it.
fn find_passages(s: &str, ctx: JstDate) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut clause_start = 0;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(after) = rest.strip_prefix('を') {
            if let Some(direction) = compass_move(after) {
                let clause = &s[clause_start..i];
                if let Some(strait) = strait_of(clause) {
                    let dates = all_dates(clause, ctx);
                    // The destination belongs to this movement only up to the next one.
                    let tail = &s[i + 'を'.len_utf8()..];
                    let tail_end = next_move(tail).unwrap_or(tail.len());
                    let bound_for = bound_for(&tail[..tail_end]);
                    out.push(Passage { strait, direction, dates, bound_for });
                }
                clause_start = i;
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Byte offset of the next `を{compass}進` in `s`.
fn next_move(s: &str) -> Option<usize> {
    s.match_indices('を')
        .map(|(i, _)| i)
        .find(|&i| compass_move(&s[i + 'を'.len_utf8()..]).is_some())
}

/// The strait named at the end of `clause` (`…これらの艦艇が対馬海峡`, `…与那国島(沖縄県)と
/// 西表島との間の海域`, `…の東の海域`).
fn strait_of(clause: &str) -> Option<Strait> {
    let plain = strip_parens(clause);
    let plain = plain.as_str();
    if let Some(i) = plain.rfind("海峡") {
        let head = &plain[..i + "海峡".len()];
        // Name: the characters after the last particle or comma.
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '、' | 'が' | 'に' | 'て' | 'は' | 'を'))
            .map_or(0, |(j, c)| j + c.len_utf8());
        return Some(Strait::from_name(&head[start..]));
    }
    for marker in ["との間の海域", "の間の海域"] {
        if let Some(i) = plain.rfind(marker) {
            let head = &plain[..i];
            let (a_part, b) = head.rsplit_once('と')?;
            let a = PAIR_PLACES
                .iter()
                .find(|p| a_part.ends_with(**p))
                .map(|p| (*p).to_owned())
                .unwrap_or_else(|| {
                    a_part
                        .rsplit(['、', 'が', 'に', 'て', 'は'])
                        .next()
                        .unwrap_or(a_part)
                        .to_owned()
                });
            return Some(Strait::from_pair(&a, b));
        }
    }
    if let Some(i) = plain.rfind("の海域") {
        let head = &plain[..i + "の海域".len()];
        let start = head
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '、' | 'が' | 'て' | 'は' | 'に'))
            .map_or(0, |(j, c)| j + c.len_utf8());
        return Some(Strait::Other(head[start..].to_owned()));
    }
    None
}

/// `…、東シナ海へ向けて航行` → `東シナ海`.
fn bound_for(s: &str) -> Option<String> {
    let i = ["へ向けて", "に向けて"].iter().filter_map(|m| s.find(m)).min()?;
    let head = &s[..i];
    let start =
        ["、", "して"].iter().filter_map(|m| head.rfind(m).map(|j| j + m.len())).max().unwrap_or(0);
    let name = &head[start..];
    if name.contains('進') {
        return None;
    }
    (!name.is_empty()).then(|| name.to_owned())
}

fn parse_same_as(s: &str, ctx: JstDate) -> SameAs {
    let body = s.strip_prefix("なお、").unwrap_or(s);
    let subject =
        body.split_once("は、").or_else(|| body.split_once('は')).map_or("", |(a, _)| a).to_owned();
    SameAs { subject, dates: all_dates(body, ctx), passages: find_passages(body, ctx) }
}

/// Reads the `日時/位置/確認された艦艇` table: rows of date, position and ships.
fn parse_table(s: &str, ctx: &mut JstDate, navy: Option<Country>) -> Vec<ShipSighting> {
    let Some(start) = s.find("日時位置確認された艦艇") else { return Vec::new() };
    let table = &s[start + "日時位置確認された艦艇".len()..];
    let table = table.split('※').next().unwrap_or(table);
    // Row starts: every date in the table.
    let mut starts = Vec::new();
    let mut i = 0;
    while i < table.len() {
        let prev_digit =
            table[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit() || c == '(');
        if !prev_digit {
            if let Some((d, len)) = leading_date(&table[i..], *ctx) {
                starts.push((i, d, len));
                *ctx = d;
                i += len;
                continue;
            }
        }
        i += table[i..].chars().next().map_or(1, char::len_utf8);
    }
    let mut rows = Vec::new();
    for (k, &(at, date, len)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(table.len(), |n| n.0);
        let row = &table[at + len..end];
        let Some(km) = row.find("km") else { continue };
        let position = find_position(row);
        let ships_text = &row[km + "km".len()..];
        let mut ships = Vec::new();
        let mut item_start = 0;
        for (j, c) in ships_text.char_indices() {
            if c == ')' {
                if let Some(ship) = parse_ship(&ships_text[item_start..=j], navy) {
                    ships.push(ship);
                }
                item_start = j + 1;
            }
        }
        let total_count = ships.iter().map(|s| s.count).sum();
        rows.push(ShipSighting {
            time: Some(SightingTime { date, hour_jst: None, part_of_day: None }),
            position,
            heading: None,
            ships,
            total_count,
            passages: Vec::new(),
            same_as: Vec::new(),
        });
    }
    rows
}

/// Reads `防衛省・自衛隊は、海上自衛隊の第5航空群所属「P-3C」(那覇)及び…により、…`.
fn parse_watch_units(s: &str) -> Vec<WatchUnit> {
    let Some(start) = s.find("防衛省・自衛隊は、") else { return Vec::new() };
    let body = &s[start + "防衛省・自衛隊は、".len()..];
    let body = body.split("により").next().unwrap_or(body);
    let mut out = Vec::new();
    for item in split_top_level(body, &["、", "及び"]) {
        let item = ["海上自衛隊の", "海上自衛隊", "航空自衛隊の", "航空自衛隊"]
            .iter()
            .find_map(|p| item.strip_prefix(p))
            .unwrap_or(item);
        let (Some(a), Some(b)) = (item.find('「'), item.find('」')) else { continue };
        if a > b {
            continue;
        }
        let unit = item[..a].strip_suffix("所属").unwrap_or(&item[..a]).to_owned();
        let platform = item[a + '「'.len_utf8()..b].to_owned();
        let rest = &item[b + '」'.len_utf8()..];
        let base =
            rest.strip_prefix('(').and_then(|r| r.split_once(')')).map(|(x, _)| x.to_owned());
        if !unit.is_empty() && !platform.is_empty() {
            out.push(WatchUnit { unit, platform, base });
        }
    }
    out
}

fn parse_aircraft(
    release: &mut Release,
    sentences: &[&str],
    context: JstDate,
) -> Result<(), ParseError> {
    let default_country = match release.countries.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let mut last_time: Option<SightingTime> = None;
    for &s in sentences {
        if s.contains("緊急発進") {
            release.scrambled_by = scrambled_by(s);
            if release.scrambled_by.is_none() {
                release.issues.push(issue("scramble sentence without a readable unit", s));
            }
            continue;
        }
        let groups = aircraft_groups(s, default_country);
        if groups.is_empty() {
            continue;
        }
        let body = strip_lead(s);
        let time = if let Some(after) = body.strip_prefix("同日") {
            let (hour_jst, part_of_day) = leading_time(after.strip_prefix('、').unwrap_or(after));
            last_time.map(|t| SightingTime { date: t.date, hour_jst, part_of_day })
        } else {
            first_time(body, last_time.map_or(context, |t| t.date))
        };
        // A sentence that only lists escorts of the same flight ("これらの爆撃機が…") keeps the
        // previous time.
        let time = time.or(if body.starts_with("これら") { last_time } else { None });
        if time.is_none() {
            release.issues.push(issue("aircraft sighting without a date", s));
        }
        last_time = time.or(last_time);
        release.aircraft_sightings.push(AircraftSighting {
            time,
            aircraft: groups,
            route: s.to_owned(),
        });
    }
    if release.aircraft_sightings.is_empty() {
        return Err(ParseError::NoSightings {
            kind: release.kind,
            hint: "a sentence naming aircraft as 役割(型)×N機",
        });
    }
    if release.scrambled_by.is_none()
        && !release.issues.iter().any(|i| i.reason.starts_with("scramble"))
    {
        release.issues.push(issue("no scramble sentence", ""));
    }
    Ok(())
}

/// `航空自衛隊の西部航空方面隊等の戦闘機を緊急発進` → `西部航空方面隊等`.
fn scrambled_by(s: &str) -> Option<String> {
    let start = s.find("航空自衛隊の")? + "航空自衛隊の".len();
    let rest = &s[start..];
    let end = rest.find("の戦闘機")?;
    (end > 0).then(|| rest[..end].to_owned())
}

/// Every `{role}({model})×N機` or `{role}×N機` group of a sentence.
fn aircraft_groups(s: &str, default_country: Option<Country>) -> Vec<Aircraft> {
    let mut out = Vec::new();
    let mut prev_end = 0;
    let mut search = 0;
    while let Some(rel) = s[search..].find('×') {
        let at = search + rel;
        search = at + '×'.len_utf8();
        let Some((count, len)) = leading_number(&s[search..]) else { continue };
        if !s[search + len..].starts_with('機') {
            continue;
        }
        let before = &s[prev_end..at];
        prev_end = search + len + '機'.len_utf8();
        let (role_part, model) =
            match before.strip_suffix(')').and_then(|b| b.rfind('(').map(|i| (b, i))) {
                Some((b, i)) => (&b[..i], Some(b[i + 1..].to_owned())),
                None => (before, None),
            };
        let role_start = role_part
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, '、' | 'の' | 'び' | 'に'))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let role = role_part[role_start..].to_owned();
        let country = last_country(&s[..at]).or(default_country);
        if !role.is_empty() {
            out.push(Aircraft { country, role, model, count });
        }
    }
    out
}

/// The country named last in `s`.
fn last_country(s: &str) -> Option<Country> {
    match (s.rfind("中国"), s.rfind("ロシア")) {
        (Some(c), Some(r)) => Some(if c > r { Country::China } else { Country::Russia }),
        (Some(_), None) => Some(Country::China),
        (None, Some(_)) => Some(Country::Russia),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Synthetic releases written for these tests, following the layout of the real notices.
    const SHIPS: &str = "令和９年１月５日\n統合幕僚監部\n（お知らせ）\n中国海軍艦艇の動向について\n\
        令和９年１月４日（月）午後４時頃、海上自衛隊は、宮古島（沖縄県）の北東約\n１００ｋｍの海域において、\
        同海域を南東進する中国海軍ルーヤンⅢ級ミサイル駆逐艦２隻（艦番号「１１９」及び「１２０」）\n\
        及びフチ級補給艦（艦番号「９０３」）の計３隻を確認した。\
        その後、４日（月）から５日（火）にかけて、これらの艦艇が沖縄本島と宮古島との間の海域を南東進し、\
        太平洋へ向けて航行したことを確認した。\
        なお、これらの艦艇は、令和８年１２月２８日（月）に対馬海峡を南西進したものと同一である。\
        また、５日（火）午前２時頃、海上自衛隊は、与那国島の南約６０ｋｍの海域において、同海域を北東進する\
        ロシア海軍ウダロイ級駆逐艦を確認した。その後、当該艦艇が与那国島と台湾との間の海域を北進し、\
        東シナ海へ向けて航行したことを確認した。\
        防衛省・自衛隊は、海上自衛隊の第５航空群所属「Ｐ－３Ｃ」（那覇）及び第３護衛隊所属「あたご」（舞鶴）\
        により、警戒監視・情報収集を行った。\n統合幕僚監部 報道発表資料\n行動概要";

    #[test]
    fn ship_notice_is_read_fully() {
        let r = parse(SHIPS).unwrap();
        assert_eq!(r.kind, DocumentKind::NavalShips);
        assert_eq!(r.countries, vec![Country::China]);
        assert_eq!(r.published, Some(JstDate { year: 2027, month: 1, day: 5 }));
        assert!(r.is_fully_parsed(), "{:#?}", r.issues);
        assert_eq!(r.ship_sightings.len(), 2);
        let a = &r.ship_sightings[0];
        let t = a.time.unwrap();
        assert_eq!((t.date, t.hour_jst), (JstDate { year: 2027, month: 1, day: 4 }, Some(16)));
        assert_eq!(t.to_timestamp().unwrap().to_civil().3, 7);
        let p = a.position.as_ref().unwrap();
        assert_eq!((p.place.as_str(), p.bearing, p.distance_km), ("宮古島", CompassPoint::Ne, 100));
        assert_eq!(a.heading, Some(CompassPoint::Se));
        assert_eq!(a.total_count, 3);
        assert_eq!(a.ships.len(), 2);
        assert_eq!(a.ships[0].class.as_deref(), Some("ルーヤンⅢ級"));
        assert_eq!(a.ships[0].ship_type, "ミサイル駆逐艦");
        assert_eq!(a.ships[0].hull_numbers, vec!["119", "120"]);
        assert_eq!(a.ships[0].count, 2);
        assert_eq!(a.ships[1].navy, Some(Country::China));
        assert_eq!(a.passages.len(), 1);
        assert_eq!(a.passages[0].strait, Strait::Miyako);
        assert_eq!(a.passages[0].direction, CompassPoint::Se);
        assert_eq!(a.passages[0].dates.len(), 2);
        assert_eq!(a.passages[0].bound_for.as_deref(), Some("太平洋"));
        assert_eq!(a.same_as.len(), 1);
        assert_eq!(a.same_as[0].dates, vec![JstDate { year: 2026, month: 12, day: 28 }]);
        assert_eq!(a.same_as[0].passages[0].strait, Strait::Tsushima);
        let b = &r.ship_sightings[1];
        assert_eq!(b.time.unwrap().date.day, 5);
        assert_eq!(b.ships[0].navy, Some(Country::Russia));
        assert_eq!(b.ships[0].hull_numbers, Vec::<String>::new());
        assert_eq!(b.passages[0].strait, Strait::YonaguniTaiwan);
        assert_eq!(b.passages[0].direction, CompassPoint::N);
        assert_eq!(
            r.watch_units,
            vec![
                WatchUnit {
                    unit: "第5航空群".into(),
                    platform: "P-3C".into(),
                    base: Some("那覇".into())
                },
                WatchUnit {
                    unit: "第3護衛隊".into(),
                    platform: "あたご".into(),
                    base: Some("舞鶴".into())
                },
            ]
        );
    }

    #[test]
    fn same_day_loitering_and_turning_back() {
        let text = "令和９年１月５日統合幕僚監部ロシア海軍艦艇の動向について\
            令和９年１月４日（月）午前６時頃、海上自衛隊は、龍飛崎（青森県）の西約１２０ｋｍの海域において、\
            同海域を遊弋するロシア海軍バルザム級情報収集艦（艦番号「８０」）を確認した。\
            その後、当該艦艇が津軽海峡周辺の接続水域内を東進した後、龍飛崎の南西約５０ｋｍの海域において反転し、\
            同海域を西進して日本海へ向けて航行したことを確認した。\
            また、同日、午後４時頃、海上自衛隊は、対馬の北東約６０ｋｍの海域において、同海域を南西進する\
            ロシア海軍キロ改級潜水艦を確認した。\
            防衛省・自衛隊は、海上自衛隊の第２航空群所属「Ｐ－３Ｃ」（八戸）により、警戒監視を行った。";
        let r = parse(text).unwrap();
        assert!(r.is_fully_parsed(), "{:#?}", r.issues);
        let a = &r.ship_sightings[0];
        assert_eq!(a.heading, None);
        assert_eq!(a.passages[0].strait, Strait::Tsugaru);
        assert_eq!(a.passages[0].direction, CompassPoint::E);
        assert_eq!(a.passages[0].bound_for, None);
        assert_eq!(a.passages[1].direction, CompassPoint::W);
        assert_eq!(a.passages[1].bound_for.as_deref(), Some("日本海"));
        let b = r.ship_sightings[1].time.unwrap();
        assert_eq!((b.date.day, b.hour_jst), (4, Some(16)));
    }

    #[test]
    fn truncated_and_damaged_text_never_panics() {
        // Every prefix, and the text with each character removed, must parse or fail cleanly.
        let ends: Vec<usize> = SHIPS.char_indices().map(|(i, _)| i).collect();
        for &end in &ends {
            let _ = parse(&SHIPS[..end]);
            let next = SHIPS[end..].chars().next().map_or(0, char::len_utf8);
            let damaged = format!("{}{}", &SHIPS[..end], &SHIPS[end + next..]);
            let _ = parse(&damaged);
        }
    }

    #[test]
    fn missing_parts_become_issues_not_silence() {
        let text =
            SHIPS.replace("北東約\n１００ｋｍ", "付近").replace("防衛省・自衛隊は", "防衛省は");
        let r = parse(&text).unwrap();
        assert!(!r.is_fully_parsed());
        let reasons: Vec<_> = r.issues.iter().map(|i| i.reason).collect();
        assert!(reasons.contains(&"sighting without a bearing/distance position"), "{reasons:?}");
        assert!(reasons.contains(&"no watching units sentence"), "{reasons:?}");
    }

    #[test]
    fn errors_name_the_reason() {
        assert_eq!(parse(" \n "), Err(ParseError::Empty));
        let no_date = "統合幕僚監部中国海軍艦艇の動向について海上自衛隊は、確認した。";
        assert!(matches!(
            parse(no_date),
            Err(ParseError::NoDate { kind: DocumentKind::NavalShips })
        ));
        let no_sighting = "令和9年1月5日統合幕僚監部中国海軍艦艇の動向について特になし。";
        assert!(matches!(parse(no_sighting), Err(ParseError::NoSightings { .. })));
        let big = "あ".repeat(MAX_TEXT_BYTES / 3 + 1);
        assert!(matches!(parse(&big), Err(ParseError::TooLarge { .. })));
    }

    #[test]
    fn aircraft_notice_is_read() {
        let text = "令和９年２月１日\n統合幕僚監部\n（お知らせ）\n中国軍機及びロシア軍機の動向について\n\
            令和９年２月１日（月）午前から午後にかけて、中国の爆撃機（Ｈ－６）×２機及びロシアの戦闘機\
            （Ｓｕ－３５）×１機が東シナ海を飛行したことを確認した。また、同日午後、推定ロシア機×２機が\
            日本海を飛行したことを確認した。これに対し、航空自衛隊の西部航空方面隊等の戦闘機を緊急発進させ\
            対応した。\n統合幕僚監部 報道発表資料";
        let r = parse(text).unwrap();
        assert_eq!(r.kind, DocumentKind::Aircraft);
        assert!(r.is_fully_parsed(), "{:#?}", r.issues);
        assert_eq!(r.scrambled_by.as_deref(), Some("西部航空方面隊等"));
        let a = &r.aircraft_sightings[0];
        assert_eq!(a.time.unwrap().part_of_day, Some(PartOfDay::MorningToAfternoon));
        assert_eq!(
            a.aircraft,
            vec![
                Aircraft {
                    country: Some(Country::China),
                    role: "爆撃機".into(),
                    model: Some("H-6".into()),
                    count: 2
                },
                Aircraft {
                    country: Some(Country::Russia),
                    role: "戦闘機".into(),
                    model: Some("Su-35".into()),
                    count: 1
                },
            ]
        );
        let b = &r.aircraft_sightings[1];
        assert_eq!(b.time.unwrap().part_of_day, Some(PartOfDay::Afternoon));
        assert_eq!(b.time.unwrap().date.day, 1);
        assert_eq!(b.aircraft[0].role, "推定ロシア機");
        assert_eq!(b.aircraft[0].model, None);
    }

    #[test]
    fn table_rows_become_sightings() {
        let text = "令和９年３月２日統合幕僚監部中国海軍艦艇の動向について海上自衛隊は、令和９年３月１日（月）以降、\
            複数の中国海軍艦艇が、以下のとおり航行していることを確認した。日時位置確認された艦艇\
            ３月１日（月）沖ノ鳥島の南西約５００ｋｍクズネツォフ級空母「遼寧」（１６）レンハイ級ミサイル駆逐艦（１０４）\
            ３月２日（火）宮古島の南約７００ｋｍレンハイ級ミサイル駆逐艦（１０４）※括弧書きは艦番号。\
            防衛省・自衛隊は、海上自衛隊の第５水上戦隊所属「あさひ」（佐世保）により、警戒監視・情報収集を行った。";
        let r = parse(text).unwrap();
        assert!(r.is_fully_parsed(), "{:#?}", r.issues);
        assert_eq!(r.ship_sightings.len(), 2);
        let first = &r.ship_sightings[0];
        assert_eq!(first.ships[0].name.as_deref(), Some("遼寧"));
        assert_eq!(first.ships[0].hull_numbers, vec!["16"]);
        assert_eq!(first.position.as_ref().unwrap().distance_km, 500);
        assert_eq!(r.ship_sightings[1].position.as_ref().unwrap().place, "宮古島");
    }

    #[test]
    fn other_kinds_are_classified() {
        let table = "月間緊急発進状況（２０２６年２月２８日現在）月間緊急発進回数";
        assert_eq!(parse(table).unwrap().kind, DocumentKind::ScrambleTable);
        let other = "（お知らせ）令和９年１月１日統合幕僚監部共同訓練の実施について";
        let r = parse(other).unwrap();
        assert_eq!(r.kind, DocumentKind::Other);
        assert!(!r.is_fully_parsed());
        let fix = "令和９年１月１日統合幕僚監部報道発表資料の一部訂正について";
        assert_eq!(parse(fix).unwrap().kind, DocumentKind::Correction);
    }
}
