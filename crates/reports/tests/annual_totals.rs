//! Yearly totals from the imported daily records, compared with the published figures of
//! `annual-totals/annual_totals.csv`.
//!
//! The dataset-derived rows of the published table were summed by its compiler from the same
//! daily table; the importer and [`trends::totals`] must give them exactly, value and day count.
//! The official and press rows use other metrics or other tallies; they are printed beside
//! ours with the gap, and the metric that can be compared (ADIZ entries before August 2022)
//! must lie within 5 % (docs/reports.md explains the gaps).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use kuroshio_reports::datasets;
use kuroshio_reports::trends::{self, Period, PeriodTotals};

const DAILY: &str = "pla-data-dashboard/JapanandBattleship.csv";
const ANNUAL: &str = "annual-totals/annual_totals.csv";

fn text(relative: &str) -> Option<String> {
    kuroshio_testdata::read(relative).map(|b| String::from_utf8(b).expect("UTF-8"))
}

/// Rows of the published table: (metric, period, value, notes). Quoted fields hold commas.
fn published(csv: &str) -> Vec<(String, String, Option<u64>, String)> {
    let mut out = Vec::new();
    for line in csv.lines().skip(1) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        if fields.len() < 7 {
            continue;
        }
        out.push((fields[0].clone(), fields[1].clone(), fields[2].parse().ok(), fields[6].clone()));
    }
    out
}

/// "336 days with values" → 336.
fn days_in_note(note: &str) -> Option<u32> {
    let i = note.find(" days with values")?;
    note[..i].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

fn years() -> Option<BTreeMap<String, PeriodTotals>> {
    let csv = text(DAILY)?;
    let import = datasets::parse_dashboard_csv(&csv).expect("daily table");
    Some(
        trends::totals(&import.records, &[], Period::Year)
            .into_iter()
            .map(|t| (t.period.clone(), t))
            .collect(),
    )
}

#[test]
fn dataset_derived_totals_are_reproduced_exactly() {
    let (Some(years), Some(annual)) = (years(), text(ANNUAL)) else {
        return;
    };
    let mut checked = 0;
    for (metric, period, value, note) in published(&annual) {
        let Some(t) = years.get(&period) else { continue };
        let sum = match metric.as_str() {
            "mnd_aircraft_detected_dataset" => t.aircraft_around_taiwan,
            "mnd_vessels_detected_dataset" => t.naval,
            "mnd_adiz_entries_dataset" => t.aircraft_adiz_entries,
            _ => continue,
        };
        println!(
            "{metric} {period}: published {value:?}, ours {} over {} days",
            sum.total, sum.days
        );
        assert_eq!(Some(sum.total), value, "{metric} {period}");
        if let Some(days) = days_in_note(&note) {
            assert_eq!(sum.days, days, "{metric} {period}: days with values");
        }
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} dataset-derived rows compared");
}

#[test]
fn published_adiz_entries_agree_within_five_percent() {
    let (Some(years), Some(annual)) = (years(), text(ANNUAL)) else {
        return;
    };
    let mut compared = 0;
    for (metric, period, value, _) in published(&annual) {
        let (Some(value), Some(t)) = (value, years.get(&period)) else { continue };
        let ours = match metric.as_str() {
            "roc_adiz_entries" => t.aircraft_adiz_entries,
            _ => continue,
        };
        let gap = (ours.total as f64 - value as f64) / value as f64;
        let comparable = ours.days >= 200;
        println!(
            "{metric} {period}: published {value}, dataset {} ({} days) → {:+.1} %{}",
            ours.total,
            ours.days,
            100.0 * gap,
            if comparable { "" } else { " (partial year in the dataset: not compared)" }
        );
        if comparable {
            assert!(gap.abs() <= 0.05, "{metric} {period}: {:+.1} %", 100.0 * gap);
            compared += 1;
        }
    }
    assert!(compared >= 1, "no published ADIZ total could be compared");
}
