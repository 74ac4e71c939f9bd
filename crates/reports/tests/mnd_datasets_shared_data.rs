//! The MND-derived daily datasets of the shared data: pla-data-dashboard's daily tables and
//! The Reporter's traced MND maps, read into daily activity records and checked against
//! independent readings of the same files.
//!
//! The data is read at run time and never copied into the repository (see each folder's
//! SOURCE.md).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_reports::datasets::{self, DailyActivity, Import, Source};
use kuroshio_reports::mnd::{AircraftScope, TaipeiDate, WindowBasis};

const DAILY: &str = "pla-data-dashboard/JapanandBattleship.csv";
const MERGED: &str = "pla-data-dashboard/merged_comprehensive_data_M.csv";
const TW: &str = "twreporter-pla-path/Taiwan";
const TW_PERIODS: [&str; 3] = [
    "20220801-20230915_fixed.geojson",
    "20230918-20240115.geojson",
    "20240116-20240731_v2.geojson",
];
const TW_DAILY_DIRS: [&str; 3] = [
    "Daily_Geojson_20220801-20230915",
    "Daily_Geojson_20230918-20240115",
    "Daily_Geojson_20240116-20240731",
];

/// Share of rows or features with content that must be read without a failure.
const MIN_FULL_SHARE: f64 = 0.95;

fn text(relative: &str) -> Option<String> {
    kuroshio_testdata::read(relative).map(|b| String::from_utf8(b).expect("UTF-8"))
}

fn report(name: &str, import: &Import) {
    let share = import.share_fully_parsed();
    println!(
        "{name}: {} rows/features with content, {} records, {} failures, {} blank rows, {:.2}% fully parsed",
        import.items,
        import.records.len(),
        import.failures.len(),
        import.blank_rows.len(),
        share * 100.0
    );
    for f in import.failures.iter().take(10) {
        println!(
            "  failure at {}: {} [{}]",
            f.at,
            f.reason,
            f.raw.chars().take(120).collect::<String>()
        );
    }
    assert!(share >= MIN_FULL_SHARE, "{name}: only {:.2}% fully parsed", share * 100.0);
}

/// An independent reading of a dashboard table: a row is a line starting with a `YYYY/M/D`
/// date; cells are split on commas (no file quotes the columns before the counts), and the
/// column sums are computed from the strings.
fn naive_sums(csv: &str, columns: &[&str]) -> (usize, Vec<f64>) {
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let idx: Vec<usize> =
        columns.iter().map(|c| header.iter().position(|h| h == c).unwrap()).collect();
    let mut sums = vec![0.0; columns.len()];
    let mut dated = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let is_date = cells[0].split('/').count() == 3
            && cells[0].split('/').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !is_date {
            continue;
        }
        dated += 1;
        for (k, &i) in idx.iter().enumerate() {
            if let Ok(v) = cells[i].parse::<f64>() {
                sums[k] += v;
            }
        }
    }
    (dated, sums)
}

fn sum(records: &[DailyActivity], f: impl Fn(&DailyActivity) -> Option<u32>) -> u64 {
    records.iter().filter_map(f).map(u64::from).sum()
}

#[test]
fn dashboard_daily_table() {
    let Some(csv) = text(DAILY) else { return };
    let import = datasets::parse_dashboard_csv(&csv).unwrap();
    report("JapanandBattleship.csv", &import);
    assert_eq!(import.items, 1970);
    assert!(import.blank_rows.is_empty());
    let (dated, sums) = naive_sums(&csv, &["pla_aircraft_sorties", "plan_vessel_sorties"]);
    assert_eq!(import.records.len(), dated);
    let aircraft = sum(&import.records, |r| r.aircraft);
    let naval = sum(&import.records, |r| r.naval);
    println!("  aircraft total {aircraft}, vessel total {naval} (independent sums {sums:?})");
    assert_eq!(aircraft as f64, sums[0]);
    assert_eq!(naval as f64, sums[1]);
    // Eras: the ADIZ-entry rows end in July 2022; every row with a vessel count is later.
    let adiz: Vec<_> =
        import.records.iter().filter(|r| r.aircraft_scope == AircraftScope::AdizEntries).collect();
    assert!(adiz.iter().all(|r| r.window.basis == WindowBasis::CalendarDay && r.naval.is_none()));
    assert!(
        import
            .records
            .iter()
            .filter(|r| r.naval.is_some())
            .all(|r| r.aircraft_scope == AircraftScope::AroundTaiwan)
    );
    let r =
        import.records.iter().find(|r| r.date == TaipeiDate::new(2026, 8, 22).unwrap()).unwrap();
    assert_eq!((r.aircraft, r.naval), (Some(3), Some(8)));
    assert_eq!(r.window.end_date(), r.date);
    assert_eq!(r.source, Source::DashboardDaily);
    assert!(r.raw.starts_with("2026/08/22,"));
}

#[test]
fn dashboard_merged_table_agrees_with_the_daily_table() {
    let (Some(merged), Some(daily)) = (text(MERGED), text(DAILY)) else { return };
    let m = datasets::parse_dashboard_csv(&merged).unwrap();
    report("merged_comprehensive_data_M.csv", &m);
    println!("  {} blank (NaT) rows listed, not records", m.blank_rows.len());
    assert_eq!(m.items + m.blank_rows.len(), 2768);
    let (dated, sums) = naive_sums(&merged, &["pla_aircraft_sorties"]);
    assert_eq!(m.records.len(), dated);
    assert_eq!(sum(&m.records, |r| r.aircraft) as f64, sums[0]);
    // Several rows per date (one per event) must carry the same count.
    let mut by_date: BTreeMap<TaipeiDate, BTreeSet<Option<u32>>> = BTreeMap::new();
    for r in &m.records {
        by_date.entry(r.date).or_default().insert(r.aircraft);
    }
    let conflicting: Vec<_> = by_date.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(conflicting.is_empty(), "{conflicting:?}");
    // The two tables are independent exports of one series: on shared dates they agree.
    let d = datasets::parse_dashboard_csv(&daily).unwrap();
    let daily_by_date: BTreeMap<TaipeiDate, Option<u32>> =
        d.records.iter().map(|r| (r.date, r.aircraft)).collect();
    let mut shared = 0;
    let mut differ = Vec::new();
    for (date, counts) in &by_date {
        if let Some(a) = daily_by_date.get(date) {
            shared += 1;
            if !counts.contains(a) {
                differ.push((date, counts, a));
            }
        }
    }
    println!("  {shared} dates in both tables, {} differ", differ.len());
    assert!(shared > 1900);
    assert!(differ.is_empty(), "{differ:?}");
}

fn tw_period_imports() -> Option<Vec<Import>> {
    TW_PERIODS
        .iter()
        .map(|f| text(&format!("{TW}/{f}")).map(|t| datasets::parse_twreporter(&t).unwrap()))
        .collect()
}

#[test]
fn twreporter_maps_period_files_agree_with_daily_files() {
    let Some(periods) = tw_period_imports() else { return };
    let Some(root) = kuroshio_testdata::path(TW) else { return };
    for (name, import) in TW_PERIODS.iter().zip(&periods) {
        report(name, import);
    }
    let mut agree_features = 0usize;
    let mut agree_aircraft = 0usize;
    let mut compared_aircraft = 0usize;
    let mut files = 0usize;
    let mut disagreements = Vec::new();
    for (dir, period) in TW_DAILY_DIRS.iter().zip(&periods) {
        let by_date: BTreeMap<TaipeiDate, &DailyActivity> =
            period.records.iter().map(|r| (r.date, r)).collect();
        let mut daily_features = 0u32;
        let mut entries: Vec<_> =
            std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            let json = std::fs::read_to_string(&path).unwrap();
            let import = datasets::parse_twreporter(&json).unwrap();
            files += 1;
            for day in &import.records {
                daily_features += day.map_features.unwrap();
                let Some(p) = by_date.get(&day.date) else {
                    disagreements.push(format!(
                        "{}: {} not in the period file",
                        path.display(),
                        day.date.day
                    ));
                    continue;
                };
                if p.map_features == day.map_features {
                    agree_features += 1;
                } else {
                    disagreements.push(format!(
                        "{:?}: features {:?} vs {:?}",
                        day.date, day.map_features, p.map_features
                    ));
                }
                // Track-era daily ids carry `x<count>`: the aircraft drawn must agree.
                if let (Some(a), Some(b)) = (day.aircraft, p.aircraft) {
                    compared_aircraft += 1;
                    if a == b {
                        agree_aircraft += 1;
                    } else {
                        disagreements.push(format!("{:?}: aircraft {a} vs {b}", day.date));
                    }
                }
                if day.balloons != p.balloons {
                    disagreements.push(format!(
                        "{:?}: balloons {:?} vs {:?}",
                        day.date, day.balloons, p.balloons
                    ));
                }
            }
        }
        let period_features: u32 = period.records.iter().map(|r| r.map_features.unwrap()).sum();
        println!(
            "{dir}: {daily_features} features in daily files, {period_features} in the period file"
        );
    }
    println!(
        "twreporter daily files: {files}; per-day feature counts agree on {agree_features} days; aircraft agree on {agree_aircraft} of {compared_aircraft} track days"
    );
    for d in disagreements.iter().take(15) {
        println!("  {d}");
    }
    assert!(files >= 590);
    assert!(agree_aircraft as f64 >= 0.95 * compared_aircraft as f64);
    assert!(agree_features as f64 >= 0.9 * files as f64);
}

/// The maps show the aircraft that crossed the median line or entered the ADIZ, a subset of
/// MND's day total. Compared by date, this also shows how pla-data-dashboard dates its rows:
/// in the track era (2022-08 to 2024-01) its row for day D holds the release of D+1, i.e. the
/// row is dated by the window's first day (its scraper read the first date of the release
/// text until a later fix; see its scripts/analysis/test_scraper_dates.py). Both alignments
/// are printed; the track era must hold under the window-start alignment.
#[test]
fn twreporter_mapped_aircraft_do_not_exceed_mnd_totals() {
    let (Some(periods), Some(daily)) = (tw_period_imports(), text(DAILY)) else { return };
    let d = datasets::parse_dashboard_csv(&daily).unwrap();
    let totals: BTreeMap<TaipeiDate, u32> =
        d.records.iter().filter_map(|r| Some((r.date, r.aircraft?))).collect();
    let mut crossed_within = 0;
    let mut crossed_compared = 0;
    for (era, period) in [("tracks", &periods[..2]), ("boxes", &periods[2..])] {
        for (alignment, offset) in [("same date", 0), ("dashboard dated by window start", -1)] {
            let mut compared = 0usize;
            let mut within = 0usize;
            let mut equal = 0;
            for r in period.iter().flat_map(|p| &p.records) {
                assert_eq!(r.aircraft_scope, AircraftScope::ShownOnMap);
                assert_eq!(r.window.end_date(), r.date);
                let Some(key) = r.date.add_days(offset) else { continue };
                let (Some(mapped), Some(total)) = (r.aircraft, totals.get(&key)) else { continue };
                compared += 1;
                within += usize::from(mapped <= *total);
                equal += usize::from(mapped == *total);
                if offset == 0 {
                    if let Some(x) = r.crossed_median_line {
                        crossed_compared += 1;
                        crossed_within += usize::from(x <= mapped);
                    }
                }
            }
            let share = within as f64 / compared as f64;
            println!(
                "{era}, {alignment}: {within} of {compared} days ({:.1}%) have no more aircraft drawn than MND counted; {equal} equal",
                share * 100.0
            );
            if era == "tracks" && offset == -1 {
                assert!(compared > 350);
                assert!(share >= 0.95, "the maps show a subset of the day's aircraft");
            }
        }
    }
    println!(
        "crossings within the drawn aircraft on {crossed_within} of {crossed_compared} box days"
    );
    assert!(crossed_compared > 150);
    assert_eq!(crossed_within, crossed_compared);
}
