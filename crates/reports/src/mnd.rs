//! Taiwan Ministry of National Defense (國防部, MND) daily reports on PLA activity around
//! Taiwan, in Chinese (`中共解放軍臺海周邊海、空域動態`) and in English (the ministry's posts,
//! "… operating around Taiwan were detected up until 6 a.m. (UTC+8) today.").
//!
//! [`parse`] reads the text of one report into a [`Report`]: the reporting window (both ends,
//! and how it was known: [`WindowBasis`]), the aircraft total and what it counts
//! ([`AircraftScope`]), how many aircraft crossed the median line or entered which ADIZ
//! sectors, PLAN vessels, official ships, balloons with their details, and the aircraft types
//! of the older releases. The raw text is kept in [`Report::raw`].
//!
//! # Eras of the format
//!
//! - **Until mid-2022** MND published only aircraft that *entered the ADIZ*, per calendar day,
//!   with their types ("運-8反潛機1架次、殲-16機2架次", "PLA aircraft (J-16*2, Y-8 ASW*1)");
//!   no ships. Such a report has [`AircraftScope::AdizEntries`] and a
//!   [`WindowBasis::CalendarDay`] window (the publication day, 00:00–24:00 UTC+8).
//! - **From August 2022** the release counts everything detected around Taiwan ("共機N架次",
//!   "共艦N艘"), with the aircraft that crossed the median line or entered the south-western
//!   ADIZ in brackets; for a few months in 2022 the count ran "as of 5 p.m." (截至下午5時,
//!   [`WindowBasis::UntilFivePm`]), then from 06:00 to 06:00 UTC+8, dated by the day it ends
//!   ([`WindowBasis::ReportingDay`]). The full release states the window itself
//!   ("中華民國115年7月30日（星期四）0600時至115年7月31日（星期五）0600時止",
//!   [`WindowBasis::Stated`]); a post says only "up until 6 a.m. today", so the publication
//!   date must be given to [`parse`].
//! - Later releases add official (coast guard) ships and, since December 2023, balloons with
//!   their time, position and altitude; **from 16 January 2024** the maps show boxes instead of
//!   tracks (the text is unchanged).
//!
//! Text is normalised first: full-width digits and letters folded to ASCII, the simplified
//! characters that news copies use mapped to the traditional ones of the release, `台` to `臺`,
//! Chinese numerals read (`六`, `十二`) and English number words ("six official ships").
//! ROC years (`115年` = 2026) and Gregorian years are both read.
//!
//! A category the report does not name counts as zero in the reports since August 2022: MND
//! lists what it detected ("2 PLA aircraft and 7 PLAN vessels" means no official ship).
//!
//! # Fully parsed
//!
//! [`Report::is_fully_parsed`] holds when the window and the aircraft count are known and no
//! [`Issue`] was raised. Issues are raised for a window that needs the publication date when
//! none was given, a crossing clause without a count, an ADIZ sector the parser does not know,
//! a balloon sentence without a count, and balloon details that do not match the count.

use kuroshio_model::Timestamp;
use serde::{Deserialize, Serialize};

/// Longest report text accepted, bytes. A daily release is under 2 kB; the limit keeps a
/// hostile input to a few milliseconds of scanning.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Most balloons read from one report; the most MND reported for one day is under 10.
pub const MAX_BALLOONS: usize = 64;

/// Hours Taipei time (UTC+8, no daylight saving time) is ahead of UTC.
pub const TAIPEI_OFFSET_HOURS: i64 = 8;

/// Gregorian year of ROC year 0: ROC year N is Gregorian `1911 + N` (民國元年 = 1912).
pub const ROC_YEAR_OFFSET: i32 = 1911;

const NANOS_PER_HOUR: i64 = 3_600_000_000_000;
const NANOS_PER_DAY: i64 = 24 * NANOS_PER_HOUR;

/// A calendar date in Taipei time (UTC+8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TaipeiDate {
    /// Gregorian year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
}

impl TaipeiDate {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        Timestamp::from_civil(year, month, day, 0, 0, 0, 0)?;
        Some(Self { year, month, day })
    }

    /// A date with an ROC year (`115年7月31日` → 2026-07-31), or `None`.
    pub fn from_roc(roc_year: i32, month: u8, day: u8) -> Option<Self> {
        Self::new(roc_year.checked_add(ROC_YEAR_OFFSET)?, month, day)
    }

    /// The UTC instant of `hour:minute` Taipei time on this date; `hour` 24 is midnight at the
    /// end of the day.
    pub fn at(self, hour: u8, minute: u8) -> Option<Timestamp> {
        if minute > 59 || hour > 24 || (hour == 24 && minute > 0) {
            return None;
        }
        let midnight = Timestamp::from_civil(self.year, self.month, self.day, 0, 0, 0, 0)?;
        let local_nanos = i64::from(hour) * NANOS_PER_HOUR + i64::from(minute) * 60_000_000_000;
        Some(midnight.saturating_add_nanos(local_nanos - TAIPEI_OFFSET_HOURS * NANOS_PER_HOUR))
    }

    /// The date `days` later (earlier when negative).
    pub fn add_days(self, days: i64) -> Option<Self> {
        let t = Timestamp::from_civil(self.year, self.month, self.day, 0, 0, 0, 0)?;
        let (year, month, day, ..) = t.saturating_add_nanos(days * NANOS_PER_DAY).to_civil();
        Some(Self { year, month, day })
    }
}

/// How a report's window was known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum WindowBasis {
    /// Both ends are written in the report.
    Stated,
    /// "Up until 6 a.m. today" (至上午6時止): 06:00 the day before the publication date to
    /// 06:00 on it, UTC+8.
    ReportingDay,
    /// "As of 5 p.m." (截至下午5時, 2022): taken as 17:00 the day before to 17:00 on the
    /// publication date, UTC+8 (the release states only the end).
    UntilFivePm,
    /// ADIZ-entry era: the publication day, 00:00 to 24:00 UTC+8.
    CalendarDay,
}

/// A reporting window, half-open `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    /// First instant counted (UTC).
    pub start: Timestamp,
    /// End of the window (UTC).
    pub end: Timestamp,
    /// How the ends were known.
    pub basis: WindowBasis,
}

impl Window {
    /// MND's reporting day ending at 06:00 UTC+8 on `date`.
    pub fn reporting_day(date: TaipeiDate) -> Option<Self> {
        Self::ending_at(date, 6, WindowBasis::ReportingDay)
    }

    /// The calendar day `date`, 00:00 to 24:00 UTC+8.
    pub fn calendar_day(date: TaipeiDate) -> Option<Self> {
        Some(Self { start: date.at(0, 0)?, end: date.at(24, 0)?, basis: WindowBasis::CalendarDay })
    }

    fn ending_at(date: TaipeiDate, hour: u8, basis: WindowBasis) -> Option<Self> {
        let end = date.at(hour, 0)?;
        Some(Self { start: end.saturating_add_nanos(-NANOS_PER_DAY), end, basis })
    }

    /// The Taipei date of the window's last day (the date a release is published under).
    pub fn end_date(&self) -> TaipeiDate {
        let (year, month, day, ..) =
            self.end.saturating_add_nanos(TAIPEI_OFFSET_HOURS * NANOS_PER_HOUR - 1).to_civil();
        TaipeiDate { year, month, day }
    }
}

/// Language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Language {
    /// Traditional (or simplified) Chinese.
    Chinese,
    /// English.
    English,
}

/// What the aircraft total counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AircraftScope {
    /// Every PLA aircraft detected around Taiwan (since August 2022).
    AroundTaiwan,
    /// Only aircraft that entered the ADIZ (the releases until mid-2022).
    AdizEntries,
    /// Aircraft drawn on MND's daily map: those that crossed the median line or entered the
    /// ADIZ sectors (maps traced by third parties, [`crate::datasets`]).
    ShownOnMap,
}

/// An ADIZ sector as MND names it (the sectors have no published limits).
pub use kuroshio_model::AdizSector as Sector;

/// Aircraft of one type (the ADIZ-entry era lists them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AircraftType {
    /// Type as written (`運-8反潛機`, `J-16`).
    pub name: String,
    /// Sorties.
    pub count: u32,
}

/// A balloon the report describes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Balloon {
    /// When it was detected (UTC), when the clock time is given.
    pub detected: Option<Timestamp>,
    /// When it disappeared (UTC), when given.
    pub disappeared: Option<Timestamp>,
    /// Reference place of the position (`基隆`, `Keelung`).
    pub place: Option<String>,
    /// Direction from the place as written (`西北`, `northwest`).
    pub direction: Option<String>,
    /// Distance from the place, nautical miles (浬).
    pub distance_nmi: Option<u32>,
    /// Altitude, feet (呎).
    pub altitude_ft: Option<u32>,
    /// Whether the report says it crossed the median line.
    pub crossed_median_line: bool,
}

/// Something the parser could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// What is missing or unreadable.
    pub reason: &'static str,
    /// The normalised text concerned.
    pub text: String,
}

/// One parsed daily report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Language of the text.
    pub language: Language,
    /// Reporting window, when known.
    pub window: Option<Window>,
    /// PLA aircraft (sorties).
    pub aircraft: Option<u32>,
    /// What [`Report::aircraft`] counts.
    pub aircraft_scope: AircraftScope,
    /// Aircraft by type, when listed.
    pub aircraft_types: Vec<AircraftType>,
    /// Aircraft that crossed the median line or entered the named ADIZ sectors.
    pub crossed: Option<u32>,
    /// Whether the crossing clause names the median line (otherwise ADIZ entry only).
    pub crossed_median_line: bool,
    /// ADIZ sectors named, in order, without repeats.
    pub sectors: Vec<Sector>,
    /// PLAN vessels.
    pub naval: Option<u32>,
    /// Official (coast guard) ships.
    pub official: Option<u32>,
    /// Balloons counted.
    pub balloon_count: Option<u32>,
    /// Balloon details, one per balloon when given.
    pub balloons: Vec<Balloon>,
    /// Parts the parser could not read.
    pub issues: Vec<Issue>,
    /// The text as given.
    pub raw: String,
}

impl Report {
    /// Whether the window and the aircraft count are known and nothing raised an issue.
    pub fn is_fully_parsed(&self) -> bool {
        self.window.is_some() && self.aircraft.is_some() && self.issues.is_empty()
    }
}

/// Why a text could not be read as a report at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The text is longer than [`MAX_TEXT_BYTES`].
    #[error("report text is {len_bytes} bytes, more than the {MAX_TEXT_BYTES} accepted")]
    TooLarge {
        /// Length of the rejected text.
        len_bytes: usize,
    },
    /// The text is empty after normalisation.
    #[error("report text is empty")]
    Empty,
    /// No count of aircraft, vessels or balloons was found.
    #[error("no count of PLA aircraft, vessels or balloons found ({language:?})")]
    NoCounts {
        /// Language the text was read as.
        language: Language,
    },
}

/// Parses one report. `published` is the date the report was published under (Taipei time);
/// it dates reports that state their window only relatively ("up until 6 a.m. today").
pub fn parse(raw: &str, published: Option<TaipeiDate>) -> Result<Report, ParseError> {
    if raw.len() > MAX_TEXT_BYTES {
        return Err(ParseError::TooLarge { len_bytes: raw.len() });
    }
    let folded = fold(raw);
    if folded.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut report = Report {
        language: Language::English,
        window: None,
        aircraft: None,
        aircraft_scope: AircraftScope::AroundTaiwan,
        aircraft_types: Vec::new(),
        crossed: None,
        crossed_median_line: false,
        sectors: Vec::new(),
        naval: None,
        official: None,
        balloon_count: None,
        balloons: Vec::new(),
        issues: Vec::new(),
        raw: raw.to_owned(),
    };
    if is_chinese(&folded) {
        report.language = Language::Chinese;
        let text = chinese_punctuation(&folded);
        parse_chinese(&mut report, &text, &folded, published);
    } else {
        let text = collapse_spaces(&folded.to_lowercase());
        parse_english(&mut report, &text, &collapse_spaces(&folded), published);
    }
    if report.aircraft.is_none()
        && report.naval.is_none()
        && report.official.is_none()
        && report.balloon_count.is_none()
    {
        return Err(ParseError::NoCounts { language: report.language });
    }
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/// Simplified characters of news copies mapped to the traditional ones MND writes.
const SIMPLIFIED: [(char, char); 37] = [
    ('并', '並'),
    ('这', '這'),
    ('经', '經'),
    ('侦', '偵'),
    ('获', '獲'),
    ('机', '機'),
    ('舰', '艦'),
    ('务', '務'),
    ('进', '進'),
    ('东', '東'),
    ('线', '線'),
    ('峡', '峽'),
    ('飘', '飄'),
    ('气', '氣'),
    ('时', '時'),
    ('于', '於'),
    ('续', '續'),
    ('约', '約'),
    ('万', '萬'),
    ('军', '軍'),
    ('国', '國'),
    ('动', '動'),
    ('态', '態'),
    ('应', '應'),
    ('处', '處'),
    ('监', '監'),
    ('华', '華'),
    ('余', '餘'),
    ('驱', '驅'),
    ('艇', '艇'),
    ('鲜', '鮮'),
    ('视', '視'),
    ('战', '戰'),
    ('运', '運'),
    ('歼', '殲'),
    ('无', '無'),
    ('侧', '側'),
];

/// Folds full-width digits, letters and `－＊＋` to ASCII, the ideographic space to a space,
/// curly quotes to ASCII, simplified characters to traditional and `台` to `臺`. Full-width
/// punctuation (`，（）：；`) stays: it separates the clauses of the Chinese text.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match u32::from(c) {
            code @ (0xFF10..=0xFF19
            | 0xFF21..=0xFF3A
            | 0xFF41..=0xFF5A
            | 0xFF0A
            | 0xFF0B
            | 0xFF0D) => char::from_u32(code - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            0x2018 | 0x2019 => '\'',
            _ => match c {
                '台' => '臺',
                _ => SIMPLIFIED.iter().find(|(s, _)| *s == c).map_or(c, |(_, t)| *t),
            },
        })
        .collect()
}

/// Chinese text without whitespace, with the ASCII `,` `;` `(` `)` `:` of news copies written
/// as the full-width clause marks of the release (a comma between digits stays: `2萬1,000呎`).
fn chinese_punctuation(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::with_capacity(folded.len());
    for (i, &c) in chars.iter().enumerate() {
        let digit_around = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        out.push(match c {
            ',' if !digit_around => '，',
            ';' => '；',
            '(' => '（',
            ')' => '）',
            ':' if !digit_around => '：',
            _ => c,
        });
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_chinese(text: &str) -> bool {
    ["架", "艘", "空域", "氣球", "中線", "偵獲"].iter().any(|m| text.contains(m))
}

/// Digits of a Chinese numeral.
fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A count at the start of `s`: ASCII digits (commas allowed between groups) or a Chinese
/// numeral below 1000. Value and bytes consumed.
fn leading_count(s: &str) -> Option<(u32, usize)> {
    if let Some(n) = crate::text::leading_number(s) {
        return Some(n);
    }
    // Chinese numerals: 十二, 二十, 二十三, 一百零五, 六.
    let mut total: u32 = 0;
    let mut current: Option<u32> = None;
    let mut len = 0;
    for (i, c) in s.char_indices() {
        if let Some(d) = chinese_digit(c) {
            current = Some(d);
        } else if c == '十' {
            total += current.unwrap_or(1) * 10;
            current = None;
        } else if c == '百' {
            total += current.unwrap_or(1) * 100;
            current = None;
        } else {
            break;
        }
        len = i + c.len_utf8();
    }
    (len > 0).then_some((total + current.unwrap_or(0), len))
}

/// A count ending just before byte `end` of `s` (ASCII digits or a Chinese numeral).
fn trailing_count(s: &str, end: usize) -> Option<(u32, usize)> {
    let head = s.get(..end)?;
    let mut start = end;
    for (i, c) in head.char_indices().rev() {
        if c.is_ascii_digit() || c == ',' || chinese_digit(c).is_some() || c == '十' || c == '百'
        {
            start = i;
        } else {
            break;
        }
    }
    let digits = head[start..].trim_start_matches(',');
    let start = end - digits.len();
    let (n, len) = leading_count(digits)?;
    (len == digits.len()).then_some((n, start))
}

/// A char boundary of `s` at most `max_bytes` before `end`: the start of the window the
/// look-behind scans use, so that scanning stays linear in the text length.
fn window_start(s: &str, end: usize, max_bytes: usize) -> usize {
    let mut start = end.saturating_sub(max_bytes);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    start
}

/// Byte offsets of every occurrence of `pat` in `s`.
fn find_all<'a>(s: &'a str, pat: &'a str) -> impl Iterator<Item = usize> + 'a {
    s.match_indices(pat).map(|(i, _)| i)
}

// ---------------------------------------------------------------------------------------------
// Chinese

fn issue(reason: &'static str, text: &str) -> Issue {
    Issue { reason, text: text.chars().take(200).collect() }
}

/// `N<unit>` directly after `label` or `N<unit><label>`: the first count of a category.
fn category_count(text: &str, labels: &[&str], unit: &str) -> Option<(u32, usize)> {
    let mut best: Option<(u32, usize)> = None;
    for label in labels {
        for i in find_all(text, label) {
            let after = &text[i + label.len()..];
            let found = leading_count(after)
                .filter(|(_, len)| after[*len..].starts_with(unit))
                .map(|(n, _)| (n, i))
                .or_else(|| {
                    let before = text[..i].strip_suffix("次").unwrap_or(&text[..i]);
                    let before = before.strip_suffix(unit)?;
                    trailing_count(before, before.len())
                });
            if let Some((n, at)) = found {
                if best.is_none_or(|(_, b)| at < b) {
                    best = Some((n, at));
                }
                break;
            }
        }
    }
    best
}

fn parse_chinese(report: &mut Report, text: &str, spaced: &str, published: Option<TaipeiDate>) {
    let none_seen = text.contains("未偵獲");
    let total = category_count(text, &["共機", "軍機", "中共機"], "架");
    let naval = category_count(text, &["共艦", "軍艦", "艦艇", "共軍艦"], "艘");
    let official = category_count(text, &["公務船"], "艘");
    let around = text.contains("周邊") || naval.is_some() || official.is_some() || none_seen;

    if around {
        report.aircraft_scope = AircraftScope::AroundTaiwan;
        report.aircraft = total.map(|(n, _)| n);
        report.naval = naval.map(|(n, _)| n);
        report.official = official.map(|(n, _)| n);
        if report.aircraft.is_some()
            || report.naval.is_some()
            || report.official.is_some()
            || none_seen
        {
            report.aircraft.get_or_insert(0);
            report.naval.get_or_insert(0);
            report.official.get_or_insert(0);
        }
        chinese_crossing(report, text, total.map_or(0, |(_, at)| at));
    } else {
        // ADIZ-entry era: a list of types that entered a sector.
        report.aircraft_scope = AircraftScope::AdizEntries;
        report.aircraft_types = chinese_types(text);
        if !report.aircraft_types.is_empty() {
            report.aircraft = Some(report.aircraft_types.iter().map(|t| t.count).sum());
        } else if let Some((n, _)) = total {
            report.aircraft = Some(n);
        }
        if let Some(i) = text.find("進入") {
            if let Some(end) = text[i..].find("空域") {
                let phrase = &text[i + "進入".len()..i + end];
                report.sectors = chinese_sectors(phrase, &mut report.issues);
                report.crossed = report.aircraft;
                report.crossed_median_line = text.contains("中線");
            }
        }
    }
    chinese_window(report, text, spaced, published);
    chinese_balloons(report, text);
}

/// `其中逾越海峽中線進入北部、中部、西南及東南空域15架次` and its variants.
fn chinese_crossing(report: &mut Report, text: &str, total_at: usize) {
    let body = text.get(total_at..).unwrap_or(text);
    // The first clause after the total that mentions the median line or an ADIZ sector and
    // is not about balloons (clauses end at brackets, commas and full stops).
    let mut clauses = body.split(['（', '）', '，', '。', '；']).peekable();
    while let Some(clause) = clauses.next() {
        if !(clause.contains("中線") || clause.contains("空域"))
            || clause.contains("氣球")
            || clause.contains("周邊")
        {
            continue;
        }
        let count = find_all(clause, "架").find_map(|i| trailing_count(clause, i));
        match count {
            Some((n, _)) => report.crossed = Some(n),
            None => report.issues.push(issue("crossing clause without a count", clause)),
        }
        report.crossed_median_line = clause.contains("中線");
        // The sectors, in this clause or in the next one (`其中18架次逾越海峽中線，進入北部…空域`).
        let sectors = if clause.contains("進入") {
            Some(clause)
        } else {
            clauses.peek().copied().filter(|next| next.starts_with("進入"))
        };
        if let Some(c) = sectors {
            if let Some(i) = c.find("進入") {
                if let Some(e) = c[i..].find("空域") {
                    report.sectors =
                        chinese_sectors(&c[i + "進入".len()..i + e], &mut report.issues);
                }
            }
        }
        return;
    }
}

fn chinese_sectors(phrase: &str, issues: &mut Vec<Issue>) -> Vec<Sector> {
    let phrase = phrase.trim_start_matches('我').trim_start_matches("臺灣");
    let mut out = Vec::new();
    for word in phrase.split(['、', '及', '和', '與']) {
        let word = word.trim_start_matches('我');
        if word.is_empty() {
            continue;
        }
        match Sector::from_word(word) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => issues.push(issue("unknown ADIZ sector", word)),
        }
    }
    out
}

/// `運-8反潛機1架次，殲-16機2架次` (ADIZ-entry era).
fn chinese_types(text: &str) -> Vec<AircraftType> {
    let mut out = Vec::new();
    for i in find_all(text, "架") {
        let Some((count, start)) = trailing_count(text, i) else { continue };
        let head = &text[window_start(text, start, 64)..start];
        let name_start = head
            .rfind(['，', '、', '及', '：', ':', '有', '遣', '(', '（', '。', '派', '和'])
            .map_or(0, |j| j + head[j..].chars().next().map_or(1, char::len_utf8));
        let name = &head[name_start..];
        if name.ends_with('機') && !name.contains("共機") && name.chars().count() <= 16 {
            out.push(AircraftType { name: name.to_owned(), count });
        }
    }
    out
}

/// A clock time at the start of `s`: `0600時`, `6時`, `14時20分`, `8時15分`; with the
/// preceding `上午`/`下午`/`晚上`/`晚間`/`中午`/`凌晨` taken into account by the caller.
fn chinese_clock(s: &str) -> Option<(u8, u8, usize)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = &s[digits..];
    let after_hour = rest.strip_prefix('時').or_else(|| rest.strip_prefix(':'))?;
    let value: u32 = s[..digits].parse().ok()?;
    let (hour, minute, mut len) = if digits == 4 {
        (value / 100, value % 100, digits + rest.len() - after_hour.len())
    } else if digits <= 2 {
        let used = digits + rest.len() - after_hour.len();
        let mdigits = after_hour.bytes().take_while(u8::is_ascii_digit).count();
        if (1..=2).contains(&mdigits) {
            let m: u32 = after_hour[..mdigits].parse().ok()?;
            let tail = &after_hour[mdigits..];
            let unit = if tail.starts_with('分') { '分'.len_utf8() } else { 0 };
            (value, m, used + mdigits + unit)
        } else {
            (value, 0, used)
        }
    } else {
        return None;
    };
    if s[len..].starts_with('止') {
        len += '止'.len_utf8();
    }
    let hour = u8::try_from(hour).ok().filter(|h| *h <= 24)?;
    let minute = u8::try_from(minute).ok().filter(|m| *m < 60)?;
    Some((hour, minute, len))
}

/// Applies `上午`/`下午`/… before a clock time at byte `at` of `text`.
fn with_part_of_day(text: &str, at: usize, hour: u8) -> u8 {
    let head = &text[..at];
    let pm = ["下午", "晚上", "晚間", "傍晚"].iter().any(|p| head.ends_with(p));
    if pm && hour < 12 {
        hour + 12
    } else if (head.ends_with("凌晨") || head.ends_with("午夜")) && hour == 12 {
        0
    } else {
        hour
    }
}

/// `N年M月D日` (ROC year below 1000, else Gregorian) at the start of `s`; optional weekday in
/// brackets after it. Date and bytes consumed.
fn chinese_date(s: &str) -> Option<(TaipeiDate, usize)> {
    let (y, ylen) = leading_count(s)?;
    let rest = s[ylen..].strip_prefix('年')?;
    let (m, mlen) = leading_count(rest)?;
    let rest2 = rest[mlen..].strip_prefix('月')?;
    let (d, dlen) = leading_count(rest2)?;
    let rest3 = rest2[dlen..].strip_prefix('日')?;
    let year = i32::try_from(y).ok()?;
    let month = u8::try_from(m).ok()?;
    let day = u8::try_from(d).ok()?;
    let date = if year < 1000 {
        TaipeiDate::from_roc(year, month, day)?
    } else {
        TaipeiDate::new(year, month, day)?
    };
    let mut used = s.len() - rest3.len();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(r) = s[used..].strip_prefix(open) {
            if let Some(c) = r.find(close) {
                if c <= 12 {
                    used += open.len_utf8() + c + close.len_utf8();
                }
            }
        }
    }
    Some((date, used))
}

/// `2026-03-10 06:00` at the start of `s`.
fn iso_local(s: &str) -> Option<(TaipeiDate, u8, u8, usize)> {
    let b = s.as_bytes();
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let date = TaipeiDate::new(
        i32::try_from(num(0..4)?).ok()?,
        u8::try_from(num(5..7)?).ok()?,
        u8::try_from(num(8..10)?).ok()?,
    )?;
    let hour = u8::try_from(num(11..13)?).ok()?;
    let minute = u8::try_from(num(14..16)?).ok()?;
    Some((date, hour, minute, 16))
}

/// `YYYY-MM-DD HH:MM to YYYY-MM-DD HH:MM` anywhere in `text` (the form of the generated
/// reports' headings).
fn iso_window(text: &str) -> Option<Window> {
    for (i, _) in text.char_indices() {
        let Some((d0, h0, m0, len)) = iso_local(&text[i..]) else { continue };
        let rest = &text[i + len..];
        let rest = rest.strip_prefix(" to ").or_else(|| rest.strip_prefix("至"))?;
        let (d1, h1, m1, _) = iso_local(rest)?;
        return Some(Window {
            start: d0.at(h0, m0)?,
            end: d1.at(h1, m1)?,
            basis: WindowBasis::Stated,
        });
    }
    None
}

/// `115年7月30日（星期四）0600時至115年7月31日（星期五）0600時止`.
fn chinese_stated_window(text: &str) -> Option<Window> {
    let mut i = 0;
    while i < text.len() {
        if let Some((d0, len0)) = chinese_date(&text[i..]) {
            let after = &text[i + len0..];
            if let Some((h0, m0, lt0)) = chinese_clock(after) {
                let rest = &after[lt0..];
                let rest = rest.strip_prefix('至').or_else(|| rest.strip_prefix("起至"));
                if let Some(rest) = rest {
                    let (d1, len1) = chinese_date(rest).or_else(|| {
                        // `至7月31日` / `至31日` inherit the year (and month).
                        let (m, ml) = leading_count(rest)?;
                        if let Some(r) = rest[ml..].strip_prefix('月') {
                            let (d, dl) = leading_count(r)?;
                            r[dl..].strip_prefix('日')?;
                            let date = TaipeiDate::new(
                                d0.year,
                                u8::try_from(m).ok()?,
                                u8::try_from(d).ok()?,
                            )?;
                            Some((date, ml + '月'.len_utf8() + dl + '日'.len_utf8()))
                        } else {
                            rest[ml..].strip_prefix('日')?;
                            let date = TaipeiDate::new(d0.year, d0.month, u8::try_from(m).ok()?)?;
                            Some((date, ml + '日'.len_utf8()))
                        }
                    })?;
                    let (h1, m1, _) = chinese_clock(&rest[len1..])?;
                    return Some(Window {
                        start: d0.at(h0, m0)?,
                        end: d1.at(h1, m1)?,
                        basis: WindowBasis::Stated,
                    });
                }
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn chinese_window(report: &mut Report, text: &str, spaced: &str, published: Option<TaipeiDate>) {
    if let Some(w) = chinese_stated_window(text).or_else(|| iso_window(spaced)) {
        report.window = Some(w);
        return;
    }
    let basis = if text.contains("下午5時") || text.contains("1700時") || text.contains("17時")
    {
        WindowBasis::UntilFivePm
    } else if ["上午6時", "0600時", "清晨6時", "6時止", "早上6時"].iter().any(|m| text.contains(m))
    {
        WindowBasis::ReportingDay
    } else if report.aircraft_scope == AircraftScope::AdizEntries {
        WindowBasis::CalendarDay
    } else {
        report.issues.push(issue("no reporting window", text));
        return;
    };
    window_from_published(report, basis, published, text);
}

fn window_from_published(
    report: &mut Report,
    basis: WindowBasis,
    published: Option<TaipeiDate>,
    text: &str,
) {
    let Some(date) = published else {
        report.issues.push(issue("the window needs the publication date", text));
        return;
    };
    report.window = match basis {
        WindowBasis::ReportingDay => Window::reporting_day(date),
        WindowBasis::UntilFivePm => Window::ending_at(date, 17, basis),
        _ => Window::calendar_day(date),
    };
}

/// The UTC instant of a local clock time inside the window: times before the window's clock
/// start fall on its last day.
fn in_window(window: Option<Window>, hour: u8, minute: u8) -> Option<Timestamp> {
    let w = window?;
    let (year, month, day, start_hour, start_minute, ..) =
        w.start.saturating_add_nanos(TAIPEI_OFFSET_HOURS * NANOS_PER_HOUR).to_civil();
    let first = TaipeiDate { year, month, day };
    let date =
        if (hour, minute) >= (start_hour, start_minute) || w.basis == WindowBasis::CalendarDay {
            first
        } else {
            first.add_days(1)?
        };
    date.at(hour, minute)
}

/// Clock times in `s` with their byte offsets (24-hour, part of day applied).
fn chinese_times(s: &str) -> Vec<(usize, u8, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let prev_digit = s[..i].chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if !prev_digit {
            if let Some((h, m, len)) = chinese_clock(&s[i..]) {
                out.push((i, with_part_of_day(s, i, h), m));
                i += len;
                continue;
            }
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Known reference places of the balloon positions (longer names first).
const PLACES: [&str; 12] = [
    "鵝鑾鼻",
    "基隆",
    "屏東",
    "臺中",
    "新竹",
    "澎湖",
    "馬公",
    "高雄",
    "臺南",
    "嘉義",
    "花蓮",
    "宜蘭",
];

/// `基隆以西77浬`, `屏東西北方155浬`: place, direction, distance.
fn chinese_positions(s: &str) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    for i in find_all(s, "浬") {
        let Some((n, start)) = trailing_count(s, i) else { continue };
        let head = s[window_start(s, start, 64)..start].trim_end_matches('約');
        // A known place followed only by direction characters (`屏東西北方`: the place's
        // last character is also a direction character, so known places are tried first).
        let known = PLACES.iter().find_map(|p| {
            let pos = head.rfind(p)?;
            let rest = head[pos + p.len()..].trim_start_matches(['以', '的']);
            (!rest.is_empty() && rest.chars().all(|c| "東西南北方".contains(c)))
                .then(|| ((*p).to_owned(), rest.replace('方', "")))
        });
        let (place, direction) = match known {
            Some(found) => found,
            None => {
                let mut dir_start = head.len();
                for (j, c) in head.char_indices().rev() {
                    if "東西南北方".contains(c) {
                        dir_start = j;
                    } else {
                        break;
                    }
                }
                let before = head[..dir_start].trim_end_matches(['以', '的']);
                let tail: Vec<char> = before.chars().rev().take(2).collect();
                if tail.len() < 2 || dir_start == head.len() {
                    continue;
                }
                (tail.into_iter().rev().collect(), head[dir_start..].replace('方', ""))
            }
        };
        out.push((place, direction, n));
    }
    out
}

/// `高度約2萬1,000呎`, `3萬呎`, `15000呎`: every altitude in `s`, feet.
fn chinese_altitudes(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for i in find_all(s, "呎") {
        let head = &s[..i];
        let (low, low_start) = trailing_count(head, head.len()).unwrap_or((0, head.len()));
        let value = if let Some(h) = head[..low_start].strip_suffix('萬') {
            match trailing_count(h, h.len()) {
                Some((n, _)) => n.saturating_mul(10_000).saturating_add(low),
                None => continue,
            }
        } else if low_start < head.len() {
            low
        } else {
            continue;
        };
        out.push(value);
    }
    out
}

fn chinese_balloons(report: &mut Report, text: &str) {
    let mut count: u32 = 0;
    let mut mentioned = false;
    for sentence in text.split('。') {
        if !sentence.contains("氣球") {
            continue;
        }
        mentioned = true;
        if sentence.contains("未偵獲") && !sentence.contains("枚") {
            continue;
        }
        let n = balloon_count_zh(sentence);
        let Some(n) = n else {
            report.issues.push(issue("balloon sentence without a count", sentence));
            continue;
        };
        count = count.saturating_add(n);
        // Detections before `並於`/`於…消失`, disappearances after.
        let split =
            sentence.rfind("並於").or_else(|| sentence.rfind("消失")).unwrap_or(sentence.len());
        let times = chinese_times(sentence);
        let detected: Vec<_> = times.iter().filter(|t| t.0 < split).collect();
        let vanished: Vec<_> = times.iter().filter(|t| t.0 >= split).collect();
        let positions = chinese_positions(sentence);
        let altitudes = chinese_altitudes(sentence);
        let crossed = sentence.contains("中線");
        let n_usize = usize::try_from(n).unwrap_or(usize::MAX).min(MAX_BALLOONS);
        for k in 0..n_usize {
            if report.balloons.len() >= MAX_BALLOONS {
                break;
            }
            let pos = positions.get(k);
            report.balloons.push(Balloon {
                detected: detected.get(k).and_then(|t| in_window(report.window, t.1, t.2)),
                disappeared: vanished.get(k).and_then(|t| in_window(report.window, t.1, t.2)),
                place: pos.map(|p| p.0.clone()),
                direction: pos.map(|p| p.1.clone()),
                distance_nmi: pos.map(|p| p.2),
                altitude_ft: altitudes.get(k).copied(),
                crossed_median_line: crossed,
            });
        }
        let details = positions.len().max(altitudes.len());
        if details > 0 && (positions.len() > n_usize || altitudes.len() > n_usize) {
            report.issues.push(issue("more balloon positions than balloons", sentence));
        }
    }
    if mentioned {
        report.balloon_count = Some(count);
    } else if report.aircraft_scope == AircraftScope::AroundTaiwan && report.aircraft.is_some() {
        report.balloon_count = Some(0);
    }
}

/// Balloons a sentence counts: `空飄氣球1枚`, `2枚中共空飄氣球`, `各偵獲空飄氣球1枚` after a list
/// of times (one per time).
fn balloon_count_zh(sentence: &str) -> Option<u32> {
    let (n, _) = category_count(sentence, &["空飄氣球", "氣球"], "枚")
        .or_else(|| category_count(sentence, &["空飄氣球", "氣球"], "顆"))?;
    if sentence.contains("各偵獲") {
        let split = sentence.find("各偵獲").unwrap_or(0);
        let times = chinese_times(&sentence[..split]).len();
        let times = u32::try_from(times).unwrap_or(u32::MAX);
        return Some(n.saturating_mul(times.max(1)));
    }
    Some(n)
}

// ---------------------------------------------------------------------------------------------
// English

const NUMBER_WORDS: [&str; 21] = [
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// A number word or numeral (`26`, `six`, `a`).
fn english_number(word: &str) -> Option<u32> {
    let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if let Ok(n) = w.replace(',', "").parse::<u32>() {
        return Some(n);
    }
    if w == "a" || w == "an" {
        return Some(1);
    }
    NUMBER_WORDS.iter().position(|n| *n == w).and_then(|p| u32::try_from(p).ok())
}

/// The count before the phrase `label` (`26 pla aircraft`, `8 sorties of pla aircraft`).
fn english_count(text: &str, labels: &[&str]) -> Option<(u32, usize)> {
    for label in labels {
        for i in find_all(text, label) {
            let mut words: Vec<&str> =
                text[window_start(text, i, 48)..i].split_whitespace().collect();
            if words.ends_with(&["sorties", "of"]) {
                words.truncate(words.len() - 2);
            }
            if let Some(n) = words.last().and_then(|w| english_number(w)) {
                return Some((n, i));
            }
        }
    }
    None
}

fn parse_english(report: &mut Report, text: &str, original: &str, published: Option<TaipeiDate>) {
    let aircraft =
        english_count(text, &["pla aircraft", "chinese military aircraft", "pla planes"]);
    let naval =
        english_count(text, &["plan vessel", "plan ship", "pla navy vessel", "naval vessel"]);
    let official = english_count(text, &["official ship", "official vessel"]);
    let balloons = english_count(text, &["prc balloon", "prc's balloon", "balloon"]);
    let adiz_only = aircraft.is_none()
        && naval.is_none()
        && text.contains("entered")
        && text.contains("adiz")
        && text.contains("pla aircraft (");
    let sentences: Vec<&str> = split_sentences(text);

    if adiz_only || (text.contains("pla aircraft (") && !text.contains("around taiwan")) {
        report.aircraft_scope = AircraftScope::AdizEntries;
        report.aircraft_types = english_types(original);
        if !report.aircraft_types.is_empty() {
            report.aircraft = Some(report.aircraft_types.iter().map(|t| t.count).sum());
        } else {
            report.aircraft = aircraft.map(|(n, _)| n);
        }
        report.crossed = report.aircraft;
        report.crossed_median_line = text.contains("median line");
        if let Some(s) = sentences.iter().find(|s| s.contains("adiz")) {
            report.sectors = english_sectors(s, &mut report.issues);
        }
        report.window = english_adiz_date(text).and_then(Window::calendar_day);
        if report.window.is_none() {
            window_from_published(report, WindowBasis::CalendarDay, published, text);
        }
        return;
    }

    let none = text.starts_with("no pla aircraft");
    report.aircraft = aircraft.map(|(n, _)| n);
    report.naval = naval.map(|(n, _)| n);
    report.official = official.map(|(n, _)| n);
    if report.aircraft.is_some() || report.naval.is_some() || report.official.is_some() || none {
        report.aircraft.get_or_insert(0);
        report.naval.get_or_insert(0);
        report.official.get_or_insert(0);
    }
    // The crossing sentence.
    if let Some(s) = sentences
        .iter()
        .find(|s| (s.contains("median line") || s.contains("adiz")) && !s.contains("balloon"))
    {
        let first = s.split_whitespace().next().and_then(english_number);
        match first {
            Some(n) => report.crossed = Some(n),
            None => report.issues.push(issue("crossing clause without a count", s)),
        }
        report.crossed_median_line = s.contains("median line");
        report.sectors = english_sectors(s, &mut report.issues);
    }
    // The window.
    if let Some(w) = iso_window(original) {
        report.window = Some(w);
    } else if text.contains("5 p.m.") || text.contains("5 pm") || text.contains("1700") {
        window_from_published(report, WindowBasis::UntilFivePm, published, text);
    } else if text.contains("6 a.m.") || text.contains("6 am") || text.contains("0600") {
        window_from_published(report, WindowBasis::ReportingDay, published, text);
    } else {
        report.issues.push(issue("no reporting window", text));
    }
    // Balloons.
    let balloon_sentences: Vec<&&str> =
        sentences.iter().filter(|s| s.contains("balloon")).collect();
    if let Some((n, _)) = balloons {
        report.balloon_count = Some(n);
        // The sentence with the details: a clock time, a distance or an altitude.
        let detailed = balloon_sentences
            .iter()
            .find(|s| s.contains(':') || s.contains("nautical") || s.contains(" ft"))
            .or(balloon_sentences.first());
        if let Some(s) = detailed {
            english_balloons(report, s, n);
        }
    } else if !balloon_sentences.is_empty() {
        report.issues.push(issue("balloon sentence without a count", balloon_sentences[0]));
    } else if report.aircraft.is_some() {
        report.balloon_count = Some(0);
    }
}

/// Sentences of lower-cased English text (`.` followed by a space; `a.m.`/`p.m.` kept).
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' && bytes.get(i + 1).is_none_or(|n| *n == b' ') {
            let head = &text[..i];
            if head.ends_with(" a.m")
                || head.ends_with(" p.m")
                || head.ends_with(" a")
                || head.ends_with(" p")
            {
                continue;
            }
            out.push(text[start..i].trim());
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// `… entered taiwan's northern, southwestern and eastern adiz` → sectors.
fn english_sectors(sentence: &str, issues: &mut Vec<Issue>) -> Vec<Sector> {
    let Some(end) = sentence.find(" adiz") else { return Vec::new() };
    let head = &sentence[..end];
    let start = ["taiwan's ", "taiwans ", "taiwan ", "the "]
        .iter()
        .filter_map(|m| head.rfind(m).map(|i| i + m.len()))
        .max()
        .unwrap_or(0);
    let phrase = &head[start..];
    let mut out = Vec::new();
    for word in phrase.split([',', ' ']).filter(|w| !w.is_empty() && *w != "and") {
        match Sector::from_word(word) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => issues.push(issue("unknown ADIZ sector", word)),
        }
    }
    out
}

/// `pla aircraft (J-16*4, Y-8 ASW*1)`: the listed types, from the original-case text.
fn english_types(original: &str) -> Vec<AircraftType> {
    let lower = original.to_lowercase();
    let Some(i) = lower.find("aircraft (") else { return Vec::new() };
    let start = i + "aircraft (".len();
    let Some(len) = original.get(start..).and_then(|r| r.find(')')) else { return Vec::new() };
    let mut out = Vec::new();
    for part in original[start..start + len].split(',') {
        let Some((name, n)) = part.rsplit_once(['*', 'x', '×']) else { continue };
        if let Ok(count) = n.trim().parse::<u32>() {
            out.push(AircraftType { name: name.trim().to_owned(), count });
        }
    }
    out
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `… adiz on october 1, 2021` → the date.
fn english_adiz_date(text: &str) -> Option<TaipeiDate> {
    let i = text.find(" on ")?;
    let mut words = text[i + 4..].split_whitespace();
    let month = words.next()?;
    let month = MONTHS.iter().position(|m| month.starts_with(&m[..3]))?;
    let day: u8 = words.next()?.trim_end_matches(',').parse().ok()?;
    let year: i32 = words.next()?.trim_end_matches(['.', ',']).parse().ok()?;
    TaipeiDate::new(year, u8::try_from(month + 1).ok()?, day)
}

/// Balloon details in English: `at 11:52`, `101 nautical miles southwest of keelung`,
/// `21,000 ft`, `disappeared at 12:55`.
fn english_balloons(report: &mut Report, sentence: &str, n: u32) {
    let split = sentence.find("disappeared").unwrap_or(sentence.len());
    let mut detected = Vec::new();
    let mut vanished = Vec::new();
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let mut offset = 0;
    let mut positions = Vec::new();
    let mut altitudes = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let at = sentence[offset..].find(w).map_or(offset, |p| offset + p);
        offset = at + w.len();
        let clean = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != ':');
        if let Some((h, m)) = clean.split_once(':') {
            if let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.get(..2).unwrap_or(m).parse::<u8>()) {
                let pm = words.get(k + 1).is_some_and(|n| n.starts_with("p.m"));
                let h = if pm && h < 12 { h + 12 } else { h };
                if at < split {
                    detected.push((h, m));
                } else {
                    vanished.push((h, m));
                }
            }
        }
        if let Some(n) = english_number(w) {
            let next = words.get(k + 1).copied().unwrap_or("");
            if next.starts_with("nautical")
                || next == "nm"
                || next == "nmi"
                || next.starts_with("nm,")
            {
                let skip = if next.starts_with("nautical") { 2 } else { 1 };
                let dir = words.get(k + 1 + skip).copied().unwrap_or("");
                let place = if words.get(k + 2 + skip) == Some(&"of") {
                    words.get(k + 3 + skip).map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
                } else {
                    None
                };
                positions.push((place.map(str::to_owned), dir.to_owned(), n));
            } else if next.starts_with("ft") || next.starts_with("feet") {
                altitudes.push(n);
            }
        }
    }
    let crossed = sentence.contains("median line");
    let n = usize::try_from(n).unwrap_or(usize::MAX).min(MAX_BALLOONS);
    for k in 0..n {
        let pos = positions.get(k);
        report.balloons.push(Balloon {
            detected: detected.get(k).and_then(|t| in_window(report.window, t.0, t.1)),
            disappeared: vanished.get(k).and_then(|t| in_window(report.window, t.0, t.1)),
            place: pos.and_then(|p| p.0.clone()),
            direction: pos.map(|p| p.1.clone()),
            distance_nmi: pos.map(|p| p.2),
            altitude_ft: altitudes.get(k).copied(),
            crossed_median_line: crossed,
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_times() {
        assert_eq!(leading_count("27架次"), Some((27, 2)));
        assert_eq!(leading_count("十二架"), Some((12, "十二".len())));
        assert_eq!(leading_count("二十三"), Some((23, "二十三".len())));
        assert_eq!(leading_count("六艘"), Some((6, "六".len())));
        assert_eq!(trailing_count("偵獲共機27", "偵獲共機27".len()), Some((27, "偵獲共機".len())));
        assert_eq!(chinese_clock("0600時止"), Some((6, 0, "0600時止".len())));
        assert_eq!(chinese_clock("14時20分偵獲"), Some((14, 20, "14時20分".len())));
        assert_eq!(
            chinese_altitudes("高度約2萬1,000呎、3萬呎及15000呎"),
            vec![21_000, 30_000, 15_000]
        );
        assert_eq!(english_number("six"), Some(6));
        let d = TaipeiDate::new(2026, 7, 31).unwrap();
        assert_eq!(d.at(6, 0), Timestamp::parse("2026-07-30T22:00:00Z").ok());
        assert_eq!(TaipeiDate::from_roc(115, 7, 31), Some(d));
        assert_eq!(Window::reporting_day(d).unwrap().end_date(), d);
        assert_eq!(Window::calendar_day(d).unwrap().end_date(), d);
        assert_eq!(d.add_days(1), TaipeiDate::new(2026, 8, 1));
    }

    /// Every prefix and every one-character deletion of real texts: no panic, and a report
    /// never claims more than it read.
    #[test]
    fn cut_and_damaged_texts_never_panic() {
        let texts = [
            "中華民國115年7月30日（星期四）0600時至115年7月31日（星期五）0600時止。迄0600時止，偵獲共機27架次（逾越中線進入北部、中部、西南及東部空域22架次）、共艦9艘及公務船2艘，持續在臺海周邊活動。",
            "昨日上午11時53分、下午1時58分各偵獲空飄氣球1枚，逾越海峽中線，分別位於基隆西方117浬、屏東西北方155浬，高度約2萬5000呎、3萬3000呎，續向東飄行，並於昨下午1時07分、下午4時消失。",
            "26 PLA aircraft, 9 PLAN vessels and 1 official ship operating around Taiwan were detected up until 6 a.m. (UTC+8) today. 23 out of 26 sorties crossed the median line and entered Taiwan's northern, southwestern and eastern ADIZ.",
            "1 PRC balloon was detected at 11:52 crossing the median line 101 nautical miles southwest of Keelung at an altitude of 21,000 ft, headed east and disappeared at 12:55.",
            "PLA aircraft (J-16*2, Y-8 EW*1) entered Taiwan's SW ADIZ on July 9, 2022.",
        ];
        let published = TaipeiDate::new(2026, 7, 31);
        for text in texts {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            for &i in &bounds {
                let _ = parse(&text[..i], published);
                let c = text[i..].chars().next().map_or(0, char::len_utf8);
                let damaged = format!("{}{}", &text[..i], &text[i + c..]);
                if let Ok(r) = parse(&damaged, published) {
                    assert!(r.balloons.len() <= MAX_BALLOONS);
                }
            }
        }
    }

    #[test]
    fn bad_input_is_an_error() {
        assert_eq!(parse("", None), Err(ParseError::Empty));
        assert!(matches!(parse("hello world", None), Err(ParseError::NoCounts { .. })));
        let long = "架".repeat(MAX_TEXT_BYTES);
        assert!(matches!(parse(&long, None), Err(ParseError::TooLarge { .. })));
        for s in ["共機", "偵獲共機,架", "架架架", "99999999999架", "氣球枚", "中線空域(", "0:"]
        {
            let _ = parse(s, TaipeiDate::new(2026, 1, 1));
        }
    }
}
