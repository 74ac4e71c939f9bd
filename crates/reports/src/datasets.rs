//! MND-derived public datasets into daily activity records.
//!
//! Analysts and newsrooms keep MND's daily figures in their own tables; this module reads them
//! into [`DailyActivity`] records (one per reporting day and source) for the activity
//! database:
//!
//! - **pla-data-dashboard** (<https://github.com/s0914712/pla-data-dashboard>):
//!   `JapanandBattleship.csv` (MND `共機 N 架次` and `共艦 N 艘` per report date, with Japan
//!   Joint Staff Office flags) and `merged_comprehensive_data_M.csv` (the aircraft count with
//!   event columns): [`parse_dashboard_csv`]. The dataset's notes give its dates as MND report
//!   dates, the end of the 06:00–06:00 window, and the records are dated so; compared with the
//!   releases quoted in the press and with the traced maps, though, its rows of 2022-08 to
//!   2024-06 hold the release of the next day (dated by the window's start), so a comparison
//!   across sources must realign by period (the test `mnd_datasets_shared_data` shows both
//!   alignments). Before August 2022 MND counted only aircraft that entered the ADIZ, per
//!   calendar day ([`ADIZ_ERA_END`]); those records say so in their [`AircraftScope`] and
//!   window.
//! - **The Reporter (報導者) PLA_Path_Database**
//!   (<https://github.com/data-reporter/PLA_Path_Database>): MND's daily maps traced in GIS, as
//!   per-track lines with type and count (2022-08 to 2024-01) and, after MND's change of
//!   16 January 2024, as activity boxes with MND's caption (`0743-1735時主戰機及無人機計13架次（其中
//!   12架次逾越中線）`) and balloons: [`parse_twreporter`]. The maps show only the aircraft that
//!   crossed the median line or entered the ADIZ (the dataset's note 1), so these records have
//!   [`AircraftScope::ShownOnMap`].
//!
//! Every row or feature either becomes part of a record or is listed in [`Import::failures`]
//! with its line or feature number; rows with no content at all (the `NaT` rows a spreadsheet
//! export leaves) are listed in [`Import::blank_rows`]. Nothing is dropped silently. A record
//! keeps the text it was read from in [`DailyActivity::raw`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::mnd::{AircraftScope, TaipeiDate, Window};

/// Reports dated before this day are of MND's ADIZ-entry era (aircraft entering the ADIZ per
/// calendar day, no ships). MND's first "around Taiwan" release with ship counts came during
/// the exercises of early August 2022; the data sets' own period boundaries (twreporter starts
/// 2022-08-01) are used.
pub const ADIZ_ERA_END: TaipeiDate = TaipeiDate { year: 2022, month: 8, day: 1 };

/// Largest daily count accepted from a table cell or a map feature; the largest day in the
/// tables is 153 aircraft. A larger figure is a data error, reported as a failure.
pub const MAX_DAILY_COUNT: u32 = 10_000;

/// Longest input accepted, bytes (the largest file of the datasets is 3 MB).
pub const MAX_INPUT_BYTES: usize = 64 << 20;

/// Where a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Source {
    /// pla-data-dashboard `JapanandBattleship.csv`.
    DashboardDaily,
    /// pla-data-dashboard `merged_comprehensive_data_M.csv`.
    DashboardMerged,
    /// The Reporter's traced MND maps (tracks or boxes).
    TwreporterMaps,
    /// An MND report text read by [`crate::mnd::parse`].
    MndReport,
}

/// The activity of one reporting day from one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyActivity {
    /// MND report date: the last day of the window (Taipei time).
    pub date: TaipeiDate,
    /// The reporting window.
    pub window: Window,
    /// PLA aircraft (sorties), when the source gives them.
    pub aircraft: Option<u32>,
    /// What [`DailyActivity::aircraft`] counts.
    pub aircraft_scope: AircraftScope,
    /// Aircraft that crossed the median line, when given.
    pub crossed_median_line: Option<u32>,
    /// PLAN vessels, when given.
    pub naval: Option<u32>,
    /// Official ships, when given.
    pub official: Option<u32>,
    /// Balloons, when given.
    pub balloons: Option<u32>,
    /// Map features of the day (tracks, boxes, balloon marks, distance lines), for map sources.
    pub map_features: Option<u32>,
    /// The source.
    pub source: Source,
    /// The row or the features' identifiers and captions the record was read from.
    pub raw: String,
}

/// A row or feature that could not be read, or a part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Line of the CSV file (1-based, header = 1) or index of the GeoJSON feature (0-based).
    pub at: usize,
    /// What went wrong.
    pub reason: &'static str,
    /// The row or the feature's identifier.
    pub raw: String,
}

/// The result of importing one file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Import {
    /// Daily records, by date (several per date when the file has several rows for a day).
    pub records: Vec<DailyActivity>,
    /// Rows or features read only in part, or not at all.
    pub failures: Vec<Failure>,
    /// Lines of rows without any content.
    pub blank_rows: Vec<usize>,
    /// Rows or features that carry content.
    pub items: usize,
}

impl Import {
    /// Share of the rows or features with content that were read without a failure.
    pub fn share_fully_parsed(&self) -> f64 {
        if self.items == 0 {
            return 0.0;
        }
        let mut failed: Vec<usize> = self.failures.iter().map(|f| f.at).collect();
        failed.sort_unstable();
        failed.dedup();
        (self.items - failed.len().min(self.items)) as f64 / self.items as f64
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The input is longer than [`MAX_INPUT_BYTES`].
    #[error("input is {len_bytes} bytes, more than the {MAX_INPUT_BYTES} accepted")]
    TooLarge {
        /// Length of the rejected input.
        len_bytes: usize,
    },
    /// The CSV header lacks a required column.
    #[error("CSV header has no column {column:?}")]
    MissingColumn {
        /// The column looked for.
        column: &'static str,
    },
    /// The GeoJSON is not a feature collection.
    #[error("not a GeoJSON FeatureCollection: {detail}")]
    NotGeoJson {
        /// What was wrong.
        detail: String,
    },
}

/// The daily record of an MND report read by [`crate::mnd::parse`]: its window, counts and
/// text. `None` when the report's window is unknown (it cannot be placed on a day).
pub fn from_mnd_report(report: &crate::mnd::Report) -> Option<DailyActivity> {
    let window = report.window?;
    Some(DailyActivity {
        date: window.end_date(),
        window,
        aircraft: report.aircraft,
        aircraft_scope: report.aircraft_scope,
        crossed_median_line: report.crossed.filter(|_| report.crossed_median_line),
        naval: report.naval,
        official: report.official,
        balloons: report.balloon_count,
        map_features: None,
        source: Source::MndReport,
        raw: report.raw.clone(),
    })
}

// ---------------------------------------------------------------------------------------------
// CSV

/// Splits CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into
/// records with the line each starts on.
fn csv_records(text: &str) -> Vec<(usize, Vec<String>, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut raw = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\n' && c != '\r' || quoted {
            raw.push(c);
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                raw.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, _) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                out.push((start_line, std::mem::take(&mut fields), std::mem::take(&mut raw)));
                line += 1;
                start_line = line;
            }
            (false, _) => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push((start_line, fields, raw));
    }
    out
}

/// `2015/3/30`, `2015/03/30`, `2015-03-30`.
fn slash_date(s: &str) -> Option<TaipeiDate> {
    let mut parts = s.trim().split(['/', '-']);
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    TaipeiDate::new(y, m, d)
}

/// A count cell: empty → `Ok(None)`; `3`, `3.0` → `Ok(Some(3))`; anything else is an error.
fn count_cell(s: &str) -> Result<Option<u32>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let int = s.strip_suffix(".0").unwrap_or(s);
    match int.parse::<u32>() {
        Ok(n) if n <= MAX_DAILY_COUNT => Ok(Some(n)),
        _ => Err(()),
    }
}

/// The window and aircraft scope of an MND report date.
fn era(date: TaipeiDate) -> Option<(Window, AircraftScope)> {
    if date < ADIZ_ERA_END {
        Some((Window::calendar_day(date)?, AircraftScope::AdizEntries))
    } else {
        Some((Window::reporting_day(date)?, AircraftScope::AroundTaiwan))
    }
}

/// Reads a pla-data-dashboard daily table: `JapanandBattleship.csv` (columns `date`,
/// `pla_aircraft_sorties`, `plan_vessel_sorties`) or `merged_comprehensive_data_M.csv`
/// (`date`, `pla_aircraft_sorties`). One record per row with a date; which file it is follows
/// from the header.
pub fn parse_dashboard_csv(text: &str) -> Result<Import, ImportError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { len_bytes: text.len() });
    }
    let mut rows = csv_records(text).into_iter();
    let header = rows.next().map(|r| r.1).unwrap_or_default();
    let col = |name: &'static str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(ImportError::MissingColumn { column: name })
    };
    let date_col = col("date")?;
    let aircraft_col = col("pla_aircraft_sorties")?;
    let naval_col = col("plan_vessel_sorties").ok();
    let source = if naval_col.is_some() { Source::DashboardDaily } else { Source::DashboardMerged };
    let mut import = Import::default();
    for (line, fields, raw) in rows {
        let cells: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
        let content = cells.iter().filter(|c| !c.is_empty() && **c != "NaT").count();
        if content == 0 {
            import.blank_rows.push(line);
            continue;
        }
        import.items += 1;
        let fail = |reason| Failure { at: line, reason, raw: raw.clone() };
        if fields.len() != header.len() {
            import.failures.push(fail("row has a different number of fields than the header"));
        }
        let Some(date) = cells.get(date_col).and_then(|d| slash_date(d)) else {
            import.failures.push(fail("row without a readable date"));
            continue;
        };
        let Some((window, scope)) = era(date) else {
            import.failures.push(fail("date outside the supported range"));
            continue;
        };
        let mut cell = |col: Option<usize>, reason| match col
            .and_then(|c| cells.get(c))
            .map_or(Ok(None), |c| count_cell(c))
        {
            Ok(n) => n,
            Err(()) => {
                import.failures.push(fail(reason));
                None
            }
        };
        let aircraft = cell(Some(aircraft_col), "unreadable aircraft count");
        let naval = cell(naval_col, "unreadable vessel count");
        import.records.push(DailyActivity {
            date,
            window,
            aircraft,
            aircraft_scope: scope,
            crossed_median_line: None,
            naval,
            official: None,
            balloons: None,
            map_features: None,
            source,
            raw,
        });
    }
    Ok(import)
}

// ---------------------------------------------------------------------------------------------
// The Reporter's traced maps

/// Undoes the mojibake of the first twreporter period: UTF-8 bytes read as Latin-1
/// (`æ®²-16æ©\u{9f}` → `殲-16機`). `None` when the text is not such mojibake.
pub fn repair_mojibake(s: &str) -> Option<String> {
    if !s.chars().any(|c| ('\u{80}'..='\u{ff}').contains(&c)) {
        return None;
    }
    let bytes: Option<Vec<u8>> = s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
    String::from_utf8(bytes?).ok()
}

/// A twreporter date: ROC `111-08-06` (optionally followed by ` (2)`) or Gregorian
/// `2023-07-24`.
fn map_date(s: &str) -> Option<TaipeiDate> {
    let s = s.split(' ').next()?;
    let mut parts = s.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    if y < 1000 { TaipeiDate::from_roc(y, m, d) } else { TaipeiDate::new(y, m, d) }
}

/// What one map feature says.
enum FeatureReading {
    /// A traced track of `count` aircraft of a type.
    Track { count: u32 },
    /// An activity box with MND's caption; the counts when the caption was read.
    Box { aircraft: Option<u32>, crossed: u32, counted: bool },
    /// A balloon mark (start, end or arrow) of balloon `id`.
    Balloon { id: String },
    /// A distance line or another mark that carries no count.
    Other,
}

/// Reads `計13架次（其中12架次逾越中線）`-style captions (one or more, `；`-separated):
/// aircraft and median-line crossings.
pub fn box_caption_counts(caption: &str) -> Option<(u32, u32)> {
    let mut aircraft: u32 = 0;
    let mut crossed: u32 = 0;
    let mut any = false;
    for part in caption.split(['；', ';']) {
        let part = part.trim();
        if part.starts_with(['（', '(']) && part.contains("中線") {
            // A note on the boxes before it: `（7架逾越中線進入西南空域）`.
            crossed = crossed.saturating_add(first_number(part)?);
            any = true;
            continue;
        }
        let (count, rest) = caption_count(part)?;
        aircraft = aircraft.saturating_add(count);
        any = true;
        if rest.contains("中線") {
            // `（其中12架次逾越中線）`, `（逾越中線9架次）`, `（12架次逾越中線）`.
            let inner = rest.trim_start_matches(['（', '(']);
            let n = first_number(inner)?;
            crossed = crossed.saturating_add(n);
        }
    }
    any.then_some((aircraft, crossed))
}

/// The count `N` of the first `N架` in `part` that follows `計` or a type word, and the rest.
fn caption_count(part: &str) -> Option<(u32, &str)> {
    let at = part.find('架')?;
    let head = &part[..at];
    let digits_start = head
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let n: u32 = head[digits_start..].parse().ok()?;
    Some((n, &part[at..]))
}

fn first_number(s: &str) -> Option<u32> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn read_feature(
    props: &serde_json::Map<String, serde_json::Value>,
) -> (Option<String>, Result<FeatureReading, &'static str>) {
    let text =
        |k: &str| props.get(k).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty());
    let id = text("properties_id").or_else(|| text("id")).unwrap_or("").to_owned();
    let date_field = text("date").or_else(|| text("dates"));
    let date_text =
        date_field.map(str::to_owned).or_else(|| id.split('_').next().map(str::to_owned));
    let category = text("category").map(str::to_owned).or_else(|| {
        let rest = id.split_once('_')?.1;
        ["polygon", "balloon", "distance"]
            .iter()
            .find(|c| rest.starts_with(**c))
            .map(|c| (*c).to_owned())
    });
    let reading = match category.as_deref() {
        Some(c) if c.starts_with("polygon") => {
            let separate = c.contains("separate") || id.contains("#separate");
            match text("description") {
                Some(caption) => match box_caption_counts(caption) {
                    Some((a, x)) => Ok(FeatureReading::Box {
                        aircraft: Some(a),
                        crossed: x,
                        counted: !separate,
                    }),
                    None => Err("box caption without a readable count"),
                },
                None => Ok(FeatureReading::Box { aircraft: None, crossed: 0, counted: !separate }),
            }
        }
        Some(c) if c.starts_with("balloon") => {
            let bid = text("id")
                .filter(|s| s.starts_with('$'))
                .map(str::to_owned)
                .or_else(|| id.split('_').find(|p| p.starts_with('$')).map(str::to_owned));
            match bid {
                Some(b) => Ok(FeatureReading::Balloon { id: b }),
                None => Err("balloon mark without a balloon id"),
            }
        }
        Some(_) => Ok(FeatureReading::Other),
        None => {
            // A track: `num` with the type, or `…_<type>x<num>` in the id.
            let num = text("num").map(str::to_owned).or_else(|| {
                let tail = id.split_once('_')?.1;
                tail.rsplit_once('x').map(|(_, n)| n.to_owned())
            });
            match num.as_deref().map(str::parse::<u32>) {
                Some(Ok(n)) if n <= MAX_DAILY_COUNT => Ok(FeatureReading::Track { count: n }),
                _ => Err("track without a readable aircraft count"),
            }
        }
    };
    (date_text, reading)
}

/// The label of a feature for [`DailyActivity::raw`]: its id, type and caption, with the
/// first period's mojibake repaired.
fn feature_label(props: &serde_json::Map<String, serde_json::Value>) -> String {
    let text = |k: &str| props.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let id = if text("properties_id").is_empty() { text("id") } else { text("properties_id") };
    let id = repair_mojibake(id).unwrap_or_else(|| id.to_owned());
    match (text("description"), text("機型中文")) {
        ("", "") => id,
        ("", kind) => format!("{id} [{kind}]"),
        (caption, _) => format!("{id}: {caption}"),
    }
}

#[derive(Default)]
struct MapDay {
    tracks_aircraft: u32,
    tracks: u32,
    box_aircraft: u32,
    box_crossed: u32,
    boxes: u32,
    uncounted_boxes: u32,
    balloons: Vec<String>,
    features: u32,
    labels: Vec<String>,
}

/// Reads a GeoJSON FeatureCollection of The Reporter's traced MND maps: a period file
/// (`20220801-20230915_fixed.geojson`, `20230918-20240115.geojson`,
/// `20240116-20240731_v2.geojson`) or a daily file (`Daily_Geojson_*/111-08-01.json`). One
/// record per day: aircraft drawn (sum of the track counts, or of the box captions, skipping
/// the boxes The Reporter split itself, `#separate`), median-line crossings from the
/// captions, balloons (distinct balloon ids) and the number of map features.
pub fn parse_twreporter(json: &str) -> Result<Import, ImportError> {
    if json.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { len_bytes: json.len() });
    }
    let doc: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| ImportError::NotGeoJson { detail: e.to_string() })?;
    let features = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| ImportError::NotGeoJson { detail: "no `features` array".to_owned() })?;
    let mut import = Import::default();
    let mut days: BTreeMap<TaipeiDate, MapDay> = BTreeMap::new();
    for (i, feature) in features.iter().enumerate() {
        let Some(props) = feature.get("properties").and_then(|p| p.as_object()) else {
            import.items += 1;
            import.failures.push(Failure {
                at: i,
                reason: "feature without properties",
                raw: feature.to_string().chars().take(200).collect(),
            });
            continue;
        };
        import.items += 1;
        let label = feature_label(props);
        let (date_text, reading) = read_feature(props);
        let Some(date) = date_text.as_deref().and_then(map_date) else {
            import.failures.push(Failure {
                at: i,
                reason: "feature without a readable date",
                raw: label,
            });
            continue;
        };
        let day = days.entry(date).or_default();
        day.features = day.features.saturating_add(1);
        match reading {
            Ok(FeatureReading::Track { count }) => {
                day.tracks = day.tracks.saturating_add(1);
                day.tracks_aircraft = day.tracks_aircraft.saturating_add(count);
            }
            Ok(FeatureReading::Box { aircraft, crossed, counted }) => {
                if counted {
                    day.boxes = day.boxes.saturating_add(1);
                    match aircraft {
                        Some(a) => {
                            day.box_aircraft = day.box_aircraft.saturating_add(a);
                            day.box_crossed = day.box_crossed.saturating_add(crossed);
                        }
                        None => day.uncounted_boxes = day.uncounted_boxes.saturating_add(1),
                    }
                }
            }
            Ok(FeatureReading::Balloon { id }) => {
                if !day.balloons.contains(&id) {
                    day.balloons.push(id);
                }
            }
            Ok(FeatureReading::Other) => {}
            Err(reason) => import.failures.push(Failure { at: i, reason, raw: label.clone() }),
        }
        day.labels.push(label);
    }
    for (date, day) in days {
        let Some(window) = Window::reporting_day(date) else { continue };
        let (aircraft, crossed) = if day.tracks > 0 {
            (Some(day.tracks_aircraft), None)
        } else if day.boxes > 0 && day.uncounted_boxes == 0 {
            (Some(day.box_aircraft), Some(day.box_crossed))
        } else {
            (None, None)
        };
        import.records.push(DailyActivity {
            date,
            window,
            aircraft,
            aircraft_scope: AircraftScope::ShownOnMap,
            crossed_median_line: crossed,
            naval: None,
            official: None,
            balloons: Some(u32::try_from(day.balloons.len()).unwrap_or(u32::MAX)),
            map_features: Some(day.features),
            source: Source::TwreporterMaps,
            raw: day.labels.join("\n"),
        });
    }
    Ok(import)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_blank_rows() {
        let rows = csv_records("\u{feff}a,b\n1,\"x, \"\"y\"\"\"\n,,\n");
        assert_eq!(rows[0].1, ["a", "b"]);
        assert_eq!(rows[1].1, ["1", "x, \"y\""]);
        assert_eq!(rows[2].0, 3);
        let import = parse_dashboard_csv(
            "date,pla_aircraft_sorties,plan_vessel_sorties\n2022/07/30,1.0,\n2022/08/06,20.0,14.0\n,NaT,\n2022/8/7,x,\n",
        )
        .unwrap();
        assert_eq!(import.records.len(), 3);
        assert_eq!(import.records[0].aircraft_scope, AircraftScope::AdizEntries);
        assert_eq!(import.records[1].naval, Some(14));
        assert_eq!(import.blank_rows, [4]);
        assert_eq!(import.failures.len(), 1);
        assert_eq!(import.failures[0].at, 5);
        assert!((import.share_fully_parsed() - 2.0 / 3.0).abs() < 1e-9);
        assert!(matches!(parse_dashboard_csv("x,y\n"), Err(ImportError::MissingColumn { .. })));
    }

    #[test]
    fn captions_and_mojibake() {
        assert_eq!(
            box_caption_counts("0743-1735時主戰機及無人機計13架次（其中12架次逾越中線）"),
            Some((13, 12))
        );
        assert_eq!(box_caption_counts("1104-1112時主戰機計1架"), Some((1, 0)));
        assert_eq!(
            box_caption_counts("0700-1200時主戰機計9架次（逾越中線7架次）；1300-1400時無人機計2架"),
            Some((11, 7))
        );
        assert_eq!(box_caption_counts("無人機"), None);
        assert_eq!(
            box_caption_counts(
                "0746-2101時殲擊機等主、輔戰機及無人機計22架次（其中4架逾越中線）；（7架逾越中線進入西南空域）"
            ),
            Some((22, 11))
        );
        assert_eq!(repair_mojibake("æ®²-16æ©\u{9f}").as_deref(), Some("殲-16機"));
        assert_eq!(repair_mojibake("殲-16機"), None);
        assert_eq!(map_date("111-08-06"), TaipeiDate::new(2022, 8, 6));
        assert_eq!(map_date("112-07-14 (2)"), TaipeiDate::new(2023, 7, 14));
        assert_eq!(map_date("2024-01-21"), TaipeiDate::new(2024, 1, 21));
    }
}
