//! Monthly and yearly totals of PLA activity from the store's activity records, for the
//! report's charts, the API and `kuroshio report trends`.
//!
//! The daily figures come from the records of MND's own reports (`mnd`), then the tables
//! derived from them (`dashboard`), then the traced maps (`twreporter`): a day counts once, from
//! the first of those sources that has it ([`kuroshio_reports::trends::totals`] keeps the first
//! record of each date). Japan's strait transits come from the `transits` of the Joint Staff
//! Office records (`jso`), which `kuroshio report import` computes when it stores a release.

use kuroshio_model::Timestamp;
use kuroshio_reports::datasets::DailyActivity;
use kuroshio_reports::mnd::TaipeiDate;
use kuroshio_reports::trends::{self, Period, PeriodTotals, StraitTransit};
use kuroshio_store::{ActivityQuery, ActivityRecord, ROWS_MAX, Store, StoreError, TimeRange};
use serde_json::Value;

/// The sources of daily figures, preferred first.
pub const DAILY_SOURCES: [&str; 3] = ["mnd", "dashboard", "twreporter"];

/// The source of Japan's strait transits.
pub const TRANSIT_SOURCE: &str = "jso";

/// Totals and what could not be summed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Trends {
    /// Totals by period, oldest first.
    pub totals: Vec<PeriodTotals>,
    /// Records of the daily or transit sources whose payload is not of their source's form
    /// (`source/document`), left out of the totals.
    pub unreadable: Vec<String>,
}

fn records(
    store: &dyn Store,
    range: TimeRange,
    source: &str,
) -> Result<Vec<ActivityRecord>, StoreError> {
    store.activities(&ActivityQuery {
        range,
        source: Some(source.to_owned()),
        hull: None,
        limit: ROWS_MAX,
    })
}

/// Whether a record's date (the day it is dated by: MND's report date, the day of a strait
/// passage) lies in `range`, taken as calendar dates: the date's midnight UTC is in the range.
/// Reporting windows straddle midnight (MND's runs 22:00 to 22:00 UTC), so dates, not
/// windows, decide which month and year a day belongs to.
fn dated_in(date: TaipeiDate, range: TimeRange) -> bool {
    Timestamp::from_civil(date.year, date.month, date.day, 0, 0, 0, 0)
        .is_some_and(|t| range.contains(t))
}

/// The daily records and strait transits dated within a range ([`dated_in`]), read once and
/// summed by any period over any part of that range.
#[derive(Debug, Clone, Default)]
pub struct Dated {
    days: Vec<DailyActivity>,
    transits: Vec<StraitTransit>,
    /// Records of the daily or transit sources whose payload is not of their source's form
    /// (`source/document`), left out.
    pub unreadable: Vec<String>,
}

impl Dated {
    /// Totals by `period` of the records dated within `within`.
    pub fn totals(&self, period: Period, within: TimeRange) -> Vec<PeriodTotals> {
        let days: Vec<DailyActivity> =
            self.days.iter().filter(|d| dated_in(d.date, within)).cloned().collect();
        let transits: Vec<StraitTransit> =
            self.transits.iter().filter(|t| dated_in(t.date, within)).cloned().collect();
        trends::totals(&days, &transits, period)
    }
}

/// Reads the activity records dated within `range`. A record that cannot be read is listed in
/// [`Dated::unreadable`], never silently dropped.
pub fn read(store: &dyn Store, range: TimeRange) -> Result<Dated, StoreError> {
    // Windows reach up to two days from their date (a release dated by the day it ends on).
    let margin = 2 * 86_400_000_000_000;
    let wide = TimeRange {
        from: range.from.saturating_add_nanos(-margin),
        to: range.to.saturating_add_nanos(margin),
    };
    let mut dated = Dated::default();
    for source in DAILY_SOURCES {
        for r in records(store, wide, source)? {
            let mut payload = r.payload;
            if let Value::Object(o) = &mut payload {
                // The raw text is the record's own, not repeated in the payload.
                o.insert("raw".to_owned(), Value::String(String::new()));
            }
            match serde_json::from_value::<DailyActivity>(payload) {
                Ok(day) if dated_in(day.date, range) => dated.days.push(day),
                Ok(_) => {}
                Err(_) => dated.unreadable.push(format!("{}/{}", r.source, r.document)),
            }
        }
    }
    for r in records(store, wide, TRANSIT_SOURCE)? {
        let Some(t) = r.payload.get("transits") else { continue };
        match serde_json::from_value::<Vec<StraitTransit>>(t.clone()) {
            Ok(list) => dated.transits.extend(list.into_iter().filter(|t| dated_in(t.date, range))),
            Err(_) => dated.unreadable.push(format!("{}/{}", r.source, r.document)),
        }
    }
    Ok(dated)
}

/// Totals by `period` of the activity records dated within `range`, and the unreadable ones.
pub fn from_store(
    store: &dyn Store,
    range: TimeRange,
    period: Period,
) -> Result<Trends, StoreError> {
    let dated = read(store, range)?;
    Ok(Trends { totals: dated.totals(period, range), unreadable: dated.unreadable })
}

/// The charts of a list of totals, as SVG: aircraft (both of MND's counts), median-line
/// crossings, PLAN vessel-days and Japan's strait transits per period, each titled with the
/// caller's words (`titles` in that order); a chart whose every bar is 0 is left out.
pub fn charts(totals: &[PeriodTotals], titles: [&str; 4]) -> Vec<String> {
    let every = totals.len().div_ceil(24).max(1);
    let values: [fn(&PeriodTotals) -> u64; 4] = [
        |t| t.aircraft_around_taiwan.total + t.aircraft_adiz_entries.total,
        |t| t.crossed_median_line.total,
        |t| t.naval.total,
        |t| t.transits.values().sum(),
    ];
    titles
        .iter()
        .zip(values)
        .filter_map(|(title, value)| {
            let series = trends::Series {
                title,
                bars: totals.iter().map(|t| (t.period.clone(), value(t))).collect(),
            };
            // A figure no record gives (the tables lack median-line crossings) is left out
            // rather than drawn as zeros.
            series.bars.iter().any(|b| b.1 > 0).then(|| trends::bar_chart_svg(&series, every))
        })
        .collect()
}
