//! `kuroshio report import`, `kuroshio report trends` and `kuroshio report hull`: official
//! releases and the MND-derived public tables into the store's activity records, their
//! monthly or yearly totals, and one ship followed across Japan's releases by hull number.
//!
//! Every document is imported or listed as a failure with its reason; nothing is skipped
//! silently. Each record keeps its raw text, its source and both ends of its window.
//! Re-importing a file stores nothing twice, and a corrected document replaces the old one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use kuroshio_model::Timestamp;
use kuroshio_reports::datasets::{self, DailyActivity};
use kuroshio_reports::mnd::{self, TaipeiDate};
use kuroshio_reports::trends::{self, Period};
use kuroshio_reports::{jso, navwarn};
use kuroshio_store::{ActivityOutcome, ActivityQuery, ActivityRecord, ROWS_MAX, Store, TimeRange};
use serde_json::{Value, json};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    /// Japan Joint Staff Office releases: one release's text, or a JSON object
    /// `{"texts": {name: {"text": …}}}` of many.
    Jso,
    /// One Taiwan MND daily report (Chinese or English text).
    Mnd,
    /// A daily table derived from MND's reports (pla-data-dashboard CSV).
    Dashboard,
    /// The Reporter's traced MND maps (GeoJSON, a period file or a daily file).
    Twreporter,
    /// PRC MSA navigation warnings: a JSON array of pages with `content_preview`, `title`,
    /// `channel`, `url`, `publish_date` (as pla-data-dashboard's scraper writes them).
    Navwarn,
}

impl ImportKind {
    /// The source name the records are stored under.
    fn source(self) -> &'static str {
        match self {
            ImportKind::Jso => "jso",
            ImportKind::Mnd => "mnd",
            ImportKind::Dashboard => "dashboard",
            ImportKind::Twreporter => "twreporter",
            ImportKind::Navwarn => "navwarn",
        }
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    /// Documents (releases, reports, rows, features, warnings) found.
    pub documents: usize,
    /// Records stored under a new key.
    pub stored: usize,
    /// Records already stored unchanged.
    pub duplicates: usize,
    /// Records that replaced a corrected document.
    pub replaced: usize,
    /// Documents stored but read only in part, with what was missing.
    pub partial: Vec<(String, String)>,
    /// Documents not stored, with the reason.
    pub failed: Vec<(String, String)>,
}

impl ImportSummary {
    fn count(&mut self, outcome: ActivityOutcome) {
        match outcome {
            ActivityOutcome::Stored => self.stored += 1,
            ActivityOutcome::Duplicate => self.duplicates += 1,
            ActivityOutcome::Replaced => self.replaced += 1,
        }
    }

    /// The summary as JSON, failures and partial documents listed.
    pub fn to_json(&self) -> Value {
        let list = |v: &[(String, String)]| -> Vec<Value> {
            v.iter().map(|(d, r)| json!({"document": d, "reason": r})).collect()
        };
        json!({
            "documents": self.documents,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "replaced": self.replaced,
            "partial": list(&self.partial),
            "failed": list(&self.failed),
        })
    }
}

/// Imports one file into the store's activity records.
pub fn import(
    store: &mut dyn Store,
    kind: ImportKind,
    path: &Path,
    published: Option<TaipeiDate>,
) -> anyhow::Result<ImportSummary> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut summary = ImportSummary::default();
    let mut put = |summary: &mut ImportSummary, record: ActivityRecord| -> anyhow::Result<()> {
        let outcome = store
            .put_activity(&record)
            .with_context(|| format!("storing {}/{}", record.source, record.document))?;
        summary.count(outcome);
        Ok(())
    };
    match kind {
        ImportKind::Jso => {
            for (document, raw) in jso_texts(&name, &text)? {
                summary.documents += 1;
                match jso_record(&document, &raw) {
                    Ok((record, partial)) => {
                        if let Some(why) = partial {
                            summary.partial.push((document, why));
                        }
                        put(&mut summary, record)?;
                    }
                    Err(why) => summary.failed.push((document, why)),
                }
            }
        }
        ImportKind::Mnd => {
            summary.documents += 1;
            match mnd::parse(&text, published) {
                Ok(report) => {
                    let Some(day) = datasets::from_mnd_report(&report) else {
                        summary.failed.push((
                            name,
                            "the report's window is unknown: give --published".to_owned(),
                        ));
                        return Ok(summary);
                    };
                    if !report.is_fully_parsed() {
                        let why: Vec<&str> = report.issues.iter().map(|i| i.reason).collect();
                        summary.partial.push((name.clone(), why.join("; ")));
                    }
                    let document = format!(
                        "{}-{:02}-{:02}-{}",
                        day.date.year, day.date.month, day.date.day, name
                    );
                    let extra = serde_json::to_value(&report)?;
                    put(&mut summary, daily_record(ImportKind::Mnd, document, &day, Some(extra))?)?;
                }
                Err(e) => summary.failed.push((name, e.to_string())),
            }
        }
        ImportKind::Dashboard | ImportKind::Twreporter => {
            let import = if kind == ImportKind::Dashboard {
                datasets::parse_dashboard_csv(&text)
            } else {
                datasets::parse_twreporter(&text)
            }
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            summary.documents += import.items;
            for f in &import.failures {
                summary
                    .failed
                    .push((format!("{name}:{}", f.at), format!("{} [{}]", f.reason, f.raw)));
            }
            for day in &import.records {
                let document =
                    format!("{name}:{}-{:02}-{:02}", day.date.year, day.date.month, day.date.day);
                put(&mut summary, daily_record(kind, document, day, None)?)?;
            }
        }
        ImportKind::Navwarn => {
            let pages: Vec<Value> = serde_json::from_str(&text).with_context(|| {
                format!("{}: not a JSON array of warning pages", path.display())
            })?;
            let mut warnings = Vec::new();
            for (i, page) in pages.iter().enumerate() {
                summary.documents += 1;
                let field =
                    |k: &str| page.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                let document =
                    if field("url").is_empty() { format!("{name}:{i}") } else { field("url") };
                let source = navwarn::WarningSource {
                    title: field("title"),
                    channel: field("channel"),
                    url: field("url"),
                    published: parse_date(&field("publish_date")),
                };
                match navwarn::parse(&field("content_preview"), source) {
                    Ok(w) => warnings.push((document, w)),
                    Err(e) => summary.failed.push((document, e.to_string())),
                }
            }
            let (documents, mut parsed): (Vec<String>, Vec<navwarn::Warning>) =
                warnings.into_iter().unzip();
            navwarn::complete_from_counterparts(&mut parsed);
            for (document, w) in documents.into_iter().zip(parsed) {
                match navwarn_record(&document, &w) {
                    Some(record) => {
                        if !w.is_fully_parsed() {
                            let why: Vec<&str> = w.issues.iter().map(|i| i.reason).collect();
                            summary.partial.push((document, why.join("; ")));
                        }
                        put(&mut summary, record)?;
                    }
                    None => summary
                        .failed
                        .push((document, "no area or no period of validity".to_owned())),
                }
            }
        }
    }
    Ok(summary)
}

/// `(document, text)` of each JSO release in a file.
fn jso_texts(name: &str, text: &str) -> anyhow::Result<Vec<(String, String)>> {
    if !text.trim_start().starts_with('{') {
        return Ok(vec![(name.to_owned(), text.to_owned())]);
    }
    let doc: Value = serde_json::from_str(text).with_context(|| format!("{name}: not JSON"))?;
    let Some(texts) = doc.get("texts").and_then(Value::as_object) else {
        bail!("{name}: JSON without a \"texts\" object");
    };
    Ok(texts
        .iter()
        .map(|(k, v)| {
            (k.clone(), v.get("text").and_then(Value::as_str).unwrap_or_default().to_owned())
        })
        .collect())
}

/// The record of one JSO release, and what was not read when it was read only in part.
fn jso_record(document: &str, raw: &str) -> Result<(ActivityRecord, Option<String>), String> {
    let release = jso::parse(raw).map_err(|e| e.to_string())?;
    let mut days: Vec<jso::SightingTime> = Vec::new();
    for s in &release.ship_sightings {
        days.extend(s.time);
    }
    for s in &release.aircraft_sightings {
        days.extend(s.time);
    }
    let day_start = |d: kuroshio_reports::JstDate| jst_midnight(d.year, d.month, d.day);
    let first = days.iter().filter_map(|t| day_start(t.date)).min();
    let last = days.iter().filter_map(|t| day_start(t.date)).max();
    // The Ministry's file names carry the publication date (`p20260218_01.pdf`): the date of
    // a release whose text does not state one.
    let published = release.published.and_then(day_start).or_else(|| date_in_name(document));
    let (Some(from), Some(to)) = (first.or(published), published.max(last).or(last)) else {
        return Err("neither a publication date nor a sighting date".to_owned());
    };
    let window = TimeRange::new(from, to.saturating_add_nanos(DAY_NANOS))
        .ok_or_else(|| "sightings dated after publication".to_owned())?;
    let mut hulls: Vec<String> = release
        .ship_sightings
        .iter()
        .flat_map(|s| s.ships.iter().flat_map(|sh| sh.hull_numbers.iter().cloned()))
        .collect();
    hulls.sort();
    hulls.dedup();
    let transits = trends::jso_transits(&release);
    let mut payload = serde_json::to_value(&release).map_err(|e| e.to_string())?;
    if let Value::Object(o) = &mut payload {
        o.remove("raw");
        o.insert(
            "transits".to_owned(),
            serde_json::to_value(&transits).map_err(|e| e.to_string())?,
        );
    }
    let partial = (!release.issues.is_empty())
        .then(|| release.issues.iter().map(|i| i.reason).collect::<Vec<_>>().join("; "));
    let record = ActivityRecord {
        source: ImportKind::Jso.source().to_owned(),
        document: document.to_owned(),
        window,
        hulls,
        payload,
        raw: raw.to_owned(),
    };
    Ok((record, partial))
}

/// The record of a daily MND figure, with the parser's full report beside it when given.
fn daily_record(
    kind: ImportKind,
    document: String,
    day: &DailyActivity,
    report: Option<Value>,
) -> anyhow::Result<ActivityRecord> {
    let window = TimeRange::new(day.window.start, day.window.end)
        .with_context(|| format!("{document}: window ends before it starts"))?;
    let mut payload = serde_json::to_value(day)?;
    if let Value::Object(o) = &mut payload {
        o.remove("raw");
        if let Some(r) = report {
            o.insert("report".to_owned(), r);
        }
    }
    Ok(ActivityRecord {
        source: kind.source().to_owned(),
        document,
        window,
        hulls: Vec::new(),
        payload,
        raw: day.raw.clone(),
    })
}

/// The record of a navigation warning: its validity as the window, its zone feature (the zone
/// catalogue's GeoJSON) in the payload.
fn navwarn_record(document: &str, w: &navwarn::Warning) -> Option<ActivityRecord> {
    let validity = w.validity()?;
    let feature = w.to_zone_feature()?;
    Some(ActivityRecord {
        source: ImportKind::Navwarn.source().to_owned(),
        document: document.to_owned(),
        window: TimeRange::new(validity.start, validity.end)?,
        hulls: Vec::new(),
        payload: json!({
            "number": w.number,
            "activity": w.activity,
            "cancels": w.cancels,
            "completed_from": w.completed_from,
            "zone": feature,
        }),
        raw: w.raw.clone(),
    })
}

/// Nanoseconds in a day.
const DAY_NANOS: i64 = 86_400_000_000_000;

/// Midnight JST (UTC+9) of a date, as UTC.
fn jst_midnight(year: i32, month: u8, day: u8) -> Option<Timestamp> {
    Some(
        Timestamp::from_civil(year, month, day, 0, 0, 0, 0)?
            .saturating_add_nanos(-9 * 3_600_000_000_000),
    )
}

/// Midnight JST of the date in a release file name `pYYYYMMDD_NN.pdf`.
fn date_in_name(document: &str) -> Option<Timestamp> {
    let digits = document.strip_prefix('p')?.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits.get(r)?.parse::<u8>().ok();
    jst_midnight(digits.get(0..4)?.parse().ok()?, n(4..6)?, n(6..8)?)
}

/// A date `YYYY-MM-DD` (the first ten characters: a time after it is ignored).
pub fn parse_date(text: &str) -> Option<TaipeiDate> {
    let (y, m, d) = crate::store_cmd::parse_date(text.trim().get(..10)?).ok()?;
    TaipeiDate::new(y, m, d)
}

/// Activity records in `range`, of `source` and naming `hull` when given.
fn all_activities(
    store: &dyn Store,
    range: TimeRange,
    source: Option<&str>,
    hull: Option<&str>,
) -> anyhow::Result<Vec<ActivityRecord>> {
    Ok(store.activities(&ActivityQuery {
        range,
        source: source.map(str::to_owned),
        hull: hull.map(str::to_owned),
        limit: ROWS_MAX,
    })?)
}

/// Monthly or yearly totals over `range` from the store's activity records; records that
/// cannot be read are named on standard error.
pub fn trends(
    store: &dyn Store,
    range: TimeRange,
    period: Period,
) -> anyhow::Result<Vec<trends::PeriodTotals>> {
    let t = kuroshio_daily::trends::from_store(store, range, period)?;
    for r in &t.unreadable {
        eprintln!("kuroshio: activity record {r} is not of its source's form; left out");
    }
    Ok(t.totals)
}

/// The charts of [`trends`] as one self-contained HTML page of SVG bar charts.
pub fn trends_html(totals: &[trends::PeriodTotals], title: &str) -> String {
    let mut page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1>",
        t = trends::escape(title)
    );
    let titles = [
        "PLA aircraft around Taiwan (MND)",
        "Crossed the median line (MND)",
        "PLAN vessels, vessel-days (MND)",
        "Ships through straits near Japan (Joint Staff Office)",
    ];
    for svg in kuroshio_daily::trends::charts(totals, titles) {
        page.push_str("<figure>");
        page.push_str(&svg);
        page.push_str("</figure>");
    }
    let mut by_strait: BTreeMap<&str, u64> = BTreeMap::new();
    for t in totals {
        for (k, v) in &t.transits {
            *by_strait.entry(k).or_default() += v;
        }
    }
    if !by_strait.is_empty() {
        let s = trends::Series {
            title: "Ships through each strait (Joint Staff Office, whole range)",
            bars: by_strait.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        };
        page.push_str("<figure>");
        page.push_str(&trends::bar_chart_svg(&s, 1));
        page.push_str("</figure>");
    }
    page.push_str("</body></html>\n");
    page
}

/// The zones of the navigation warnings valid in `range` (their validity overlaps it), as a
/// GeoJSON FeatureCollection of the zone catalogue's form. The Chinese and English texts of
/// one warning have the same area: the first imported (by window start, then document) is
/// kept.
pub fn warning_zones(store: &dyn Store, range: TimeRange) -> anyhow::Result<Value> {
    let records = all_activities(store, range, Some(ImportKind::Navwarn.source()), None)?;
    let mut seen = std::collections::BTreeSet::new();
    let mut features = Vec::new();
    for r in records {
        let Some(zone) = r.payload.get("zone") else { continue };
        if seen.insert(zone["geometry"].to_string()) {
            features.push(zone.clone());
        }
    }
    Ok(json!({"type": "FeatureCollection", "features": features}))
}

/// One ship followed across Japan's releases: each release naming `hull`, oldest first, as
/// NDJSON (document, window, the sightings that name the hull and their passages).
pub fn hull_chain(store: &dyn Store, hull: &str, out: &mut dyn Write) -> anyhow::Result<usize> {
    let all = TimeRange {
        from: Timestamp::from_unix_nanos(i64::MIN / 2),
        to: Timestamp::from_unix_nanos(i64::MAX / 2),
    };
    let records = all_activities(store, all, Some(ImportKind::Jso.source()), Some(hull))?;
    for r in &records {
        let sightings: Vec<&Value> = r
            .payload
            .get("ship_sightings")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|s| {
                        s.get("ships").and_then(Value::as_array).is_some_and(|ships| {
                            ships.iter().any(|sh| {
                                sh.get("hull_numbers")
                                    .and_then(Value::as_array)
                                    .is_some_and(|h| h.iter().any(|x| x.as_str() == Some(hull)))
                            })
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let line = json!({
            "document": r.document,
            "from": kuroshio_api::wire::time_json(r.window.from),
            "to": kuroshio_api::wire::time_json(r.window.to),
            "published": r.payload.get("published"),
            "sightings": sightings,
        });
        writeln!(out, "{line}")?;
    }
    Ok(records.len())
}
