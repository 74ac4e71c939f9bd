//! The day's figures, computed from the node's store.
//!
//! [`compute`] reads, for one window: the tracks seen in it (the latest picture, then each
//! counted track's own fixes inside the window), the events in it, and the activity records
//! of official sources that overlap it, and returns a [`DailyReport`]. The counting rules are
//! MND's, as `kuroshio-sim` writes its MND-style text (`crates/sim/src/report.rs`), so the
//! node's figures for a generated day can be checked against the generator's:
//!
//! - **PLA aircraft**: every track counted as a PLA aircraft ([`crate::classify`]) with at
//!   least one fix in the window, one sortie each;
//! - **crossed the median line and entered the ADIZ**: those of them with at least one fix
//!   inside the ROC ADIZ east of the median line (`roc_adiz_east_of_median_line` of the zone
//!   catalogue); the sectors named are those of these fixes ([`Sector`]);
//! - **PLAN vessels** and **official ships**: every such track with a fix in the window;
//! - **balloons**: the node's sensors do not report balloons, so the node's figure is 0 and
//!   says so (`balloons_observed: false`); an official record's figure is shown beside it.
//!
//! Beyond MND's categories: median-line crossings as the engine's `line_crossing` events on
//! `tw_strait_median_line` by counted tracks; strait transits in the terms of Japan's Joint
//! Staff Office (strait, direction, count) from `gate_transit` events of counted tracks; and
//! notable events of any track (`ais_gap`: vessels gone dark; `encounter`; `identity_conflict`).
//!
//! **Marking.** The report derives from the events it counts; its marking is
//! [`Marking::derive`] of the node's base marking for reports and every one of those events'
//! markings: the strictest combination, so a report is never looser than anything it counts.
//! Tracks and positions carry no marking in the store; the base marking stands for them.

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_detect::{Event, EventKind};
use kuroshio_model::{Marking, MarkingError, PartnerCode, TargetId, Timestamp};
use kuroshio_reports::trends::{Period as TrendPeriod, PeriodTotals};
use kuroshio_store::{
    ActivityQuery, ActivityRecord, EventQuery, LatestQuery, ROWS_MAX, Store, StoreError, TimeRange,
    event_target, target_key,
};
use kuroshio_zones::Catalogue;
use serde::Serialize;
use serde_json::Value;

use crate::classify::{Category, categorize};
use crate::window::{DAY_NS, Date};
use kuroshio_model::AdizSector as Sector;

/// Identifies the JSON form of a report; changes only on purpose.
pub const FORMAT: &str = "kuroshio-daily/1";

/// The catalogue id of the area whose fixes count as "crossed the median line and entered the
/// ADIZ".
pub const ADIZ_EAST_ZONE: &str = "roc_adiz_east_of_median_line";

/// The catalogue id of the median line.
pub const MEDIAN_LINE_ZONE: &str = "tw_strait_median_line";

/// Most fixes read per counted track: a sensor track updating every second for a whole day
/// has 86,400; more than this is cut and reported in [`Inputs::truncated`].
pub const FIXES_PER_TRACK_MAX: usize = 100_000;

/// Most points kept per track for the map: enough for a smooth line at report size.
pub const MAP_POINTS_PER_TRACK_MAX: usize = 240;

/// Most notable events listed one by one (all are counted).
pub const NOTABLE_LISTED_MAX: usize = 50;

/// Most official activity records read for the window and for the comparison periods (MND
/// and JSO publish a few a day; 30 days of both stay far below this).
pub const OFFICIAL_RECORDS_MAX: usize = 2_000;

/// What [`compute`] needs besides the store.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The report's date (for MND's window, the day it ends on in Taipei).
    pub date: Date,
    /// The window counted; usually [`Date::mnd_window`].
    pub window: TimeRange,
    /// The node's partner, the report's originator.
    pub partner: PartnerCode,
    /// The node's base marking for reports (its least strict allowed form).
    pub base_marking: Marking,
    /// The zone catalogue (for the ADIZ test and the map).
    pub catalogue: &'a Catalogue,
}

/// Why a report could not be computed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DailyError {
    /// The store failed.
    #[error("reading the store: {0}")]
    Store(#[from] StoreError),
    /// An input is not releasable to the node itself.
    #[error("marking the report: {0}")]
    Marking(#[from] MarkingError),
    /// The zone catalogue lacks a zone the rules need.
    #[error("the zone catalogue has no {0}")]
    MissingZone(&'static str),
}

/// The counts in MND's categories.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// PLA aircraft (sorties).
    pub aircraft: u32,
    /// Of which crossed the median line and entered the ADIZ (had a fix in the ADIZ east of
    /// the median line).
    pub crossed: u32,
    /// The sectors of those fixes, in MND's order.
    pub sectors: Vec<Sector>,
    /// PLAN vessels.
    pub naval: u32,
    /// PRC official ships.
    pub official: u32,
    /// Balloons: 0 unless observed.
    pub balloons: u32,
    /// Whether the node's inputs can observe balloons at all (they cannot: no feed reports
    /// them).
    pub balloons_observed: bool,
}

/// Median-line crossings by counted tracks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MedianLine {
    /// All crossings.
    pub crossings: u32,
    /// Onto the Taiwan side.
    pub eastward: u32,
    /// Onto the mainland side.
    pub westward: u32,
    /// Distinct aircraft that crossed.
    pub aircraft: u32,
    /// Distinct ships that crossed.
    pub ships: u32,
}

/// Transits of one strait in one direction by one category, in the terms of Japan's Joint
/// Staff Office releases (strait, direction, count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transit {
    /// The gate's catalogue id.
    pub zone: String,
    /// The engine's direction word (`south-eastbound`, …).
    pub direction: String,
    /// Who transited.
    pub category: Category,
    /// Transits.
    pub count: u32,
    /// The tracks, by key.
    pub targets: Vec<String>,
}

/// One notable event as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotableItem {
    /// The event kind.
    pub kind: EventKind,
    /// When.
    pub time: String,
    /// The track, by key.
    pub target: Option<String>,
    /// Name as reported.
    pub name: Option<String>,
    /// Where (lon, lat), when known.
    pub position: Option<[f64; 2]>,
    /// The event's id.
    pub id: String,
}

/// Notable events in the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Notable {
    /// Vessels gone dark (`ais_gap`).
    pub ais_gap: u32,
    /// Encounters at sea.
    pub encounter: u32,
    /// Identity conflicts (one identity in two places, invalid MMSIs, jumps).
    pub identity_conflict: u32,
    /// The first [`NOTABLE_LISTED_MAX`] of them, by time.
    pub items: Vec<NotableItem>,
}

/// MND-category figures as an official record gives them (absent when it does not say).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OfficialFigures {
    /// Aircraft.
    pub aircraft: Option<u64>,
    /// Of which crossed the median line / entered the ADIZ.
    pub crossed: Option<u64>,
    /// PLAN vessels.
    pub naval: Option<u64>,
    /// Official ships.
    pub official: Option<u64>,
    /// Balloons.
    pub balloons: Option<u64>,
}

impl OfficialFigures {
    /// Reads the figures from an activity payload: the node's own (`figures` object of this
    /// crate), an MND parse (`aircraft`, `crossed`, `naval`, `official`, `balloon_count`, or the
    /// same under `report` as `kuroshio report import` stores it), or a daily record of the
    /// MND-derived tables (`crossed_median_line`, `balloons`).
    pub fn from_payload(payload: &Value) -> OfficialFigures {
        let p = payload.get("figures").or_else(|| payload.get("report")).unwrap_or(payload);
        let n = |keys: &[&str]| keys.iter().find_map(|k| p.get(*k).and_then(Value::as_u64));
        OfficialFigures {
            aircraft: n(&["aircraft"]),
            crossed: n(&["crossed", "crossed_median_line"]),
            naval: n(&["naval"]),
            official: n(&["official"]),
            balloons: n(&["balloons", "balloon_count"]),
        }
    }

    fn is_empty(&self) -> bool {
        *self == OfficialFigures::default()
    }
}

/// An official activity record overlapping the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficialRecord {
    /// `mnd`, `jso`, …
    pub source: String,
    /// Its document id.
    pub document: String,
    /// Its window start.
    pub from: String,
    /// Its window end.
    pub to: String,
    /// Its MND-category figures, when it has any.
    pub figures: Option<OfficialFigures>,
    /// Hull numbers it names.
    pub hulls: Vec<String>,
}

/// Averages of one source over a period before the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceStats {
    /// The source.
    pub source: String,
    /// Days with a record.
    pub days: u32,
    /// Mean aircraft per reported day.
    pub aircraft_mean: Option<f64>,
    /// Mean crossed / entered per reported day.
    pub crossed_mean: Option<f64>,
    /// Mean PLAN vessels per reported day.
    pub naval_mean: Option<f64>,
    /// Mean official ships per reported day.
    pub official_mean: Option<f64>,
    /// Most aircraft on one day.
    pub aircraft_max: Option<u64>,
}

/// One comparison period: the `days` days before the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Period {
    /// Length, days.
    pub days: u32,
    /// The node's own records (`node`) and MND's (`mnd`).
    pub sources: Vec<SourceStats>,
}

/// One counted track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// Its key (`local:…`, `vessel:…`).
    pub target: String,
    /// What it counts as.
    pub category: Category,
    /// Its name or id.
    pub label: String,
    /// First fix in the window.
    pub first: String,
    /// Last fix in the window.
    pub last: String,
    /// Fixes in the window.
    pub fixes: u32,
    /// Sectors of its fixes inside the ADIZ east of the median line (aircraft only).
    pub sectors: Vec<Sector>,
}

/// A counted track's path for the map (not part of the JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct MapTrack {
    /// What it counts as.
    pub category: Category,
    /// Its label.
    pub label: String,
    /// Points (lon, lat), at most [`MAP_POINTS_PER_TRACK_MAX`].
    pub points: Vec<[f64; 2]>,
}

/// What was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inputs {
    /// Tracks seen since the window's start (all kinds), examined.
    pub tracks_examined: u64,
    /// Fixes of counted tracks read.
    pub fixes: u64,
    /// Events in the window read.
    pub events: u64,
    /// Events the report counts (their markings make the report's).
    pub events_counted: u64,
    /// Whether a limit cut something (a track's fixes, the track list or the events).
    pub truncated: bool,
}

/// The day's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyReport {
    /// [`FORMAT`].
    pub format: &'static str,
    /// The report's date.
    pub date: Date,
    /// Window start (RFC 3339 UTC).
    pub from: String,
    /// Window end, excluded.
    pub to: String,
    /// The originating partner.
    pub partner: PartnerCode,
    /// The report's marking.
    pub marking: Marking,
    /// MND's categories.
    pub figures: Figures,
    /// Median-line crossings.
    pub median_line: MedianLine,
    /// Strait transits.
    pub transits: Vec<Transit>,
    /// Notable events.
    pub notable: Notable,
    /// Official records for the window.
    pub official: Vec<OfficialRecord>,
    /// Monthly totals of the official records, the twelve months up to the report's month
    /// ([`crate::trends`]).
    pub trends_monthly: Vec<PeriodTotals>,
    /// Yearly totals of the official records, every year up to the report's.
    pub trends_yearly: Vec<PeriodTotals>,
    /// Official records left out of the trends because they could not be read.
    pub trends_unreadable: Vec<String>,
    /// The previous 7 and 30 days.
    pub comparison: Vec<Period>,
    /// Counted tracks.
    pub targets: Vec<Target>,
    /// What was read.
    pub inputs: Inputs,
    /// The counting rules, stated so that two nodes can reproduce the figures.
    pub rules: Vec<&'static str>,
    /// Paths for the map.
    #[serde(skip)]
    pub tracks: Vec<MapTrack>,
}

/// The rules as stated in every report.
pub const RULES: [&str; 6] = [
    "window: as given (default MND's 06:00-06:00 UTC+8), end excluded",
    "PLA aircraft: sensor (local) tracks with an altitude and a fix in the window, one sortie each",
    "crossed/entered: PLA aircraft with a fix inside roc_adiz_east_of_median_line; sector of each such fix by kuroshio-sim's rule (east of 122E eastern; else north of 24.5N northern, 23-24.5N central, south of 23N southwestern west of 121E, southeastern east of it)",
    "PLAN vessels: local tracks named PLAN*, AIS ship type 35 with MID 412-414; official ships: AIS type 55 or HAIJING/CCG names with MID 412-414",
    "median line and strait transits: the engine's line_crossing and gate_transit events of counted tracks",
    "notable: every ais_gap, encounter and identity_conflict event in the window",
];

/// The category of a track key, for tracks known to the report.
type Counted = BTreeMap<String, Category>;

/// Computes the report for `options.window` from `store`.
pub fn compute(store: &dyn Store, options: &Options<'_>) -> Result<DailyReport, DailyError> {
    let window = options.window;
    let (adiz_east, _) =
        options.catalogue.get(ADIZ_EAST_ZONE).ok_or(DailyError::MissingZone(ADIZ_EAST_ZONE))?;
    let mut inputs = Inputs::default();

    // Tracks: everything seen since the window opened; those counted are confirmed by their
    // own fixes inside the window.
    let rows = store.latest(&LatestQuery {
        bbox: None,
        seen_since: Some(window.from),
        limit: ROWS_MAX,
    })?;
    inputs.tracks_examined = rows.len() as u64;
    inputs.truncated |= rows.len() >= ROWS_MAX;
    let mut counted: Counted = BTreeMap::new();
    let mut targets = Vec::new();
    let mut tracks = Vec::new();
    let mut figures = Figures::default();
    let mut all_sectors = BTreeSet::new();
    for row in &rows {
        let Some(category) = categorize(row) else { continue };
        if row.first_seen >= window.to {
            continue;
        }
        let fixes = store.history(&row.target, window, FIXES_PER_TRACK_MAX)?;
        if fixes.is_empty() {
            continue;
        }
        inputs.fixes += fixes.len() as u64;
        inputs.truncated |= fixes.len() >= FIXES_PER_TRACK_MAX;
        let mut sectors = BTreeSet::new();
        if category == Category::PlaAircraft {
            for f in &fixes {
                if options.catalogue.contains(adiz_east, f.lon, f.lat) {
                    sectors.insert(Sector::of(f.lon, f.lat));
                }
            }
        }
        match category {
            Category::PlaAircraft => {
                figures.aircraft += 1;
                if !sectors.is_empty() {
                    figures.crossed += 1;
                }
            }
            Category::PlanVessel => figures.naval += 1,
            Category::OfficialShip => figures.official += 1,
        }
        all_sectors.extend(sectors.iter().copied());
        let label = match &row.target {
            TargetId::Local(id) => id.clone(),
            _ => row
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| target_key(&row.target)),
        };
        let (first, last) = match (fixes.first(), fixes.last()) {
            (Some(a), Some(b)) => (a.time, b.time),
            _ => (window.from, window.from),
        };
        targets.push(Target {
            target: target_key(&row.target),
            category,
            label: label.clone(),
            first: first.to_string(),
            last: last.to_string(),
            fixes: u32::try_from(fixes.len()).unwrap_or(u32::MAX),
            sectors: sectors.into_iter().collect(),
        });
        let step = fixes.len().div_ceil(MAP_POINTS_PER_TRACK_MAX).max(1);
        let mut points: Vec<[f64; 2]> =
            fixes.iter().step_by(step).map(|f| [f.lon, f.lat]).collect();
        if let Some(l) = fixes.last() {
            if points.last() != Some(&[l.lon, l.lat]) {
                points.push([l.lon, l.lat]);
            }
        }
        tracks.push(MapTrack { category, label, points });
        counted.insert(target_key(&row.target), category);
    }
    figures.sectors = all_sectors.into_iter().collect();
    targets.sort_by(|a, b| (a.category, &a.label).cmp(&(b.category, &b.label)));
    tracks.sort_by(|a, b| (a.category, &a.label).cmp(&(b.category, &b.label)));

    // Events.
    let events = store.events(&EventQuery {
        kinds: vec![
            EventKind::LineCrossing,
            EventKind::GateTransit,
            EventKind::AisGap,
            EventKind::Encounter,
            EventKind::IdentityConflict,
        ],
        zone: None,
        target: None,
        range: Some(window),
        limit: ROWS_MAX,
    })?;
    inputs.events = events.len() as u64;
    inputs.truncated |= events.len() >= ROWS_MAX;
    let mut used: Vec<&Event> = Vec::new();
    let mut median_line = MedianLine::default();
    let mut crossers: BTreeMap<String, Category> = BTreeMap::new();
    let mut transits: BTreeMap<(String, String, Category), Vec<String>> = BTreeMap::new();
    let mut notable = Notable::default();
    for e in &events {
        let target = event_target(e).map(|t| target_key(&t));
        let category = target.as_ref().and_then(|t| counted.get(t).copied());
        match e.kind {
            EventKind::LineCrossing => {
                let (Some(t), Some(c)) = (&target, category) else { continue };
                if e.zone.as_deref() != Some(MEDIAN_LINE_ZONE) {
                    continue;
                }
                median_line.crossings += 1;
                match e.direction.as_deref().unwrap_or("") {
                    d if d.starts_with("eastward") => median_line.eastward += 1,
                    d if d.starts_with("westward") => median_line.westward += 1,
                    _ => {}
                }
                crossers.insert(t.clone(), c);
                used.push(e);
            }
            EventKind::GateTransit => {
                let (Some(t), Some(c), Some(zone)) = (&target, category, &e.zone) else {
                    continue;
                };
                let direction = e.direction.clone().unwrap_or_default();
                transits.entry((zone.clone(), direction, c)).or_default().push(t.clone());
                used.push(e);
            }
            EventKind::AisGap | EventKind::Encounter | EventKind::IdentityConflict => {
                match e.kind {
                    EventKind::AisGap => notable.ais_gap += 1,
                    EventKind::Encounter => notable.encounter += 1,
                    _ => notable.identity_conflict += 1,
                }
                if notable.items.len() < NOTABLE_LISTED_MAX {
                    notable.items.push(NotableItem {
                        kind: e.kind,
                        time: e.time.to_string(),
                        target: target.clone(),
                        name: e.entity.name.clone(),
                        position: e.position.map(|p| [p.lon, p.lat]),
                        id: e.id.clone(),
                    });
                }
                used.push(e);
            }
            _ => {}
        }
    }
    median_line.aircraft =
        crossers.values().filter(|&&c| c == Category::PlaAircraft).count() as u32;
    median_line.ships = crossers.len() as u32 - median_line.aircraft;
    inputs.events_counted = used.len() as u64;
    let transits = transits
        .into_iter()
        .map(|((zone, direction, category), mut targets)| {
            targets.sort();
            Transit { zone, direction, category, count: targets.len() as u32, targets }
        })
        .collect();
    let marking =
        Marking::derive(options.partner, &options.base_marking, used.iter().map(|e| &e.marking))?;

    let official = official_records(store, window)?;
    let comparison = vec![period(store, window, 7)?, period(store, window, 30)?];
    let (trends_monthly, trends_yearly, trends_unreadable) =
        trend_totals(store, options.date, window)?;
    Ok(DailyReport {
        format: FORMAT,
        date: options.date,
        from: window.from.to_string(),
        to: window.to.to_string(),
        partner: options.partner,
        marking,
        figures,
        median_line,
        transits,
        notable,
        official,
        comparison,
        trends_monthly,
        trends_yearly,
        trends_unreadable,
        targets,
        inputs,
        rules: RULES.to_vec(),
        tracks,
    })
}

/// First year of the yearly trends: MND's daily reports (and the tables derived from them)
/// begin in September 2020; earlier years of the tables hold only scattered days.
const TRENDS_FIRST_YEAR: i32 = 2015;

/// Monthly totals, yearly totals, and the records left out of both.
type TrendTotals = (Vec<PeriodTotals>, Vec<PeriodTotals>, Vec<String>);

/// The monthly totals of the twelve months up to `date`'s month and the yearly totals up to
/// its year, both up to and including `date`, and the records that could not be read.
fn trend_totals(
    store: &dyn Store,
    date: Date,
    window: TimeRange,
) -> Result<TrendTotals, StoreError> {
    let months_back = i32::from(date.month) - 12;
    let (y, m) = if months_back >= 0 {
        (date.year, (months_back + 1) as u8)
    } else {
        (date.year - 1, (months_back + 13) as u8)
    };
    let start = |y: i32, m: u8| Timestamp::from_civil(y, m, 1, 0, 0, 0, 0);
    // Up to and including the report's own date (the trends select records by their date).
    let end = Timestamp::from_civil(date.year, date.month, date.day, 0, 0, 0, 0)
        .map_or(window.to, |t| t.saturating_add_nanos(DAY_NS));
    let range = |from: Option<Timestamp>| from.and_then(|f| TimeRange::new(f, end));
    let Some(years) = range(start(TRENDS_FIRST_YEAR, 1)) else {
        return Ok((Vec::new(), Vec::new(), Vec::new()));
    };
    // One read of the records serves both: the twelve months lie within the years.
    let dated = crate::trends::read(store, years)?;
    let monthly =
        range(start(y, m)).map_or_else(Vec::new, |months| dated.totals(TrendPeriod::Month, months));
    let yearly = dated.totals(TrendPeriod::Year, years);
    Ok((monthly, yearly, dated.unreadable))
}

/// The official (not `node`) activity records overlapping the window.
fn official_records(
    store: &dyn Store,
    window: TimeRange,
) -> Result<Vec<OfficialRecord>, StoreError> {
    let records = store.activities(&ActivityQuery {
        range: window,
        source: None,
        hull: None,
        limit: OFFICIAL_RECORDS_MAX,
    })?;
    Ok(records
        .into_iter()
        .filter(|r| r.source != NODE_SOURCE)
        .map(|r| {
            let figures = OfficialFigures::from_payload(&r.payload);
            OfficialRecord {
                source: r.source,
                document: r.document,
                from: r.window.from.to_string(),
                to: r.window.to.to_string(),
                figures: (!figures.is_empty()).then_some(figures),
                hulls: r.hulls,
            }
        })
        .collect())
}

/// The source name of the node's own daily records.
pub const NODE_SOURCE: &str = "node";

/// The statistics of `node` and `mnd` records over the `days` days before the window.
fn period(store: &dyn Store, window: TimeRange, days: u32) -> Result<Period, StoreError> {
    let range = TimeRange {
        from: window.from.saturating_add_nanos(-i64::from(days) * DAY_NS),
        to: window.from,
    };
    let mut sources = Vec::new();
    for source in [NODE_SOURCE, "mnd"] {
        let records = store.activities(&ActivityQuery {
            range,
            source: Some(source.to_owned()),
            hull: None,
            limit: OFFICIAL_RECORDS_MAX,
        })?;
        sources.push(stats(source, &records, range));
    }
    Ok(Period { days, sources })
}

/// Means over the records' days: one record per day counts (the first by window start, then
/// document: MND publishes the same day in Chinese and English). Records that start before
/// the period (overlapping it from before) are left out so a day is never counted twice.
fn stats(source: &str, records: &[ActivityRecord], range: TimeRange) -> SourceStats {
    let mut by_day: BTreeMap<Timestamp, OfficialFigures> = BTreeMap::new();
    for r in records {
        if r.window.from < range.from {
            continue;
        }
        let f = OfficialFigures::from_payload(&r.payload);
        if f.aircraft.is_none() && f.naval.is_none() {
            continue;
        }
        by_day.entry(r.window.from).or_insert(f);
    }
    let mean = |get: fn(&OfficialFigures) -> Option<u64>| {
        let v: Vec<u64> = by_day.values().filter_map(get).collect();
        (!v.is_empty()).then(|| v.iter().sum::<u64>() as f64 / v.len() as f64)
    };
    SourceStats {
        source: source.to_owned(),
        days: by_day.len() as u32,
        aircraft_mean: mean(|f| f.aircraft),
        crossed_mean: mean(|f| f.crossed),
        naval_mean: mean(|f| f.naval),
        official_mean: mean(|f| f.official),
        aircraft_max: by_day.values().filter_map(|f| f.aircraft).max(),
    }
}

/// The node's own record of the day, to store under source [`NODE_SOURCE`] (document: the
/// date). Its payload keeps the figures, crossings, transits, notable counts and the marking.
pub fn to_activity(report: &DailyReport, window: TimeRange) -> ActivityRecord {
    let payload = serde_json::json!({
        "format": FORMAT,
        "figures": report.figures,
        "median_line": report.median_line,
        "transits": report.transits,
        "notable": {
            "ais_gap": report.notable.ais_gap,
            "encounter": report.notable.encounter,
            "identity_conflict": report.notable.identity_conflict,
        },
        "marking": report.marking,
    });
    ActivityRecord {
        source: NODE_SOURCE.to_owned(),
        document: report.date.to_string(),
        window,
        // The node reads no hull numbers off its tracks (names and ids are not hulls).
        hulls: Vec::new(),
        raw: payload.to_string(),
        payload,
    }
}
