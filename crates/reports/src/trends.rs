//! Monthly and yearly totals of PLA activity, from daily records and Japan's strait-transit
//! notices, and the bar charts that show them.
//!
//! **What is summed.** Each day counts once: when several records give the same day (an MND
//! report read from its text, a row of a public table, a day of the node's own figures), the
//! caller's order of sources decides which one ([`totals`] takes them in order and keeps the
//! first record of each day). Aircraft are summed apart by what they count
//! ([`AircraftScope`]): MND counted only ADIZ entries until mid-2022 and every aircraft
//! detected around Taiwan since, and a year that spans the change has both sums, never one
//! mixed total. Every sum carries the number of days that gave a value, so a gap in the
//! record shows as a short day count rather than as a low figure.
//!
//! **Japan's transits** are the strait passages of the Joint Staff Office's ship notices
//! ([`jso_transits`]): one passage of a group of ships, counted by ships, on the date the
//! notice gives for it (the sighting's date when it gives none).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::datasets::DailyActivity;
use crate::jso::{Release, Strait};
use crate::mnd::{AircraftScope, TaipeiDate};

/// The length of the periods summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Calendar months (`2024-08`).
    Month,
    /// Calendar years (`2024`).
    Year,
}

impl Period {
    /// The label of the period holding `date`.
    pub fn label(self, date: TaipeiDate) -> String {
        match self {
            Period::Month => format!("{:04}-{:02}", date.year, date.month),
            Period::Year => format!("{:04}", date.year),
        }
    }
}

/// A sum and the number of days that gave a value to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sum {
    /// The total.
    pub total: u64,
    /// Days with a value.
    pub days: u32,
}

impl Sum {
    fn add(&mut self, value: Option<u32>) {
        if let Some(v) = value {
            self.total += u64::from(v);
            self.days += 1;
        }
    }
}

/// The totals of one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodTotals {
    /// `YYYY` or `YYYY-MM`.
    pub period: String,
    /// Days with a record.
    pub days: u32,
    /// Aircraft detected around Taiwan (MND since August 2022).
    pub aircraft_around_taiwan: Sum,
    /// Aircraft that entered the ADIZ (MND until mid-2022).
    pub aircraft_adiz_entries: Sum,
    /// Aircraft drawn on MND's maps (tables traced from them).
    pub aircraft_on_map: Sum,
    /// Aircraft that crossed the median line.
    pub crossed_median_line: Sum,
    /// PLAN vessels (vessel-days: a ship seen on three days counts three times).
    pub naval: Sum,
    /// Official ships (vessel-days).
    pub official: Sum,
    /// Balloons.
    pub balloons: Sum,
    /// Ships through each strait, from Japan's notices, by the strait's name
    /// ([`strait_name`]).
    pub transits: BTreeMap<String, u64>,
}

/// One strait passage reported by Japan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StraitTransit {
    /// The date of the passage (JST, as the notice gives it).
    pub date: TaipeiDate,
    /// The strait.
    pub strait: String,
    /// Ships that passed together.
    pub ships: u32,
}

/// A strait's name in the transit totals: the English name of the named straits, the text
/// as written otherwise.
pub fn strait_name(strait: &Strait) -> String {
    match strait {
        Strait::Tsushima => "Tsushima".to_owned(),
        Strait::Osumi => "Osumi".to_owned(),
        Strait::Tsugaru => "Tsugaru".to_owned(),
        Strait::Soya => "Soya".to_owned(),
        Strait::Miyako => "Miyako".to_owned(),
        Strait::YonaguniTaiwan => "Yonaguni–Taiwan".to_owned(),
        Strait::YonaguniIriomote => "Yonaguni–Iriomote".to_owned(),
        Strait::AmamiYokoate => "Amami–Yokoate".to_owned(),
        Strait::Other(s) => s.clone(),
    }
}

/// The strait passages of one Joint Staff Office notice, a passage per ship group. A passage
/// stated over several days (`…から…にかけて`) is dated by its first day.
pub fn jso_transits(release: &Release) -> Vec<StraitTransit> {
    let mut out = Vec::new();
    for sighting in &release.ship_sightings {
        let seen = sighting.time.map(|t| t.date);
        for passage in &sighting.passages {
            let Some(d) = passage.dates.first().copied().or(seen) else { continue };
            let Some(date) = TaipeiDate::new(d.year, d.month, d.day) else { continue };
            out.push(StraitTransit {
                date,
                strait: strait_name(&passage.strait),
                ships: sighting.total_count,
            });
        }
    }
    out
}

/// Sums daily records and transits by period, oldest period first. `days` are taken in the
/// caller's order and only the first record of each date counts, so callers list the
/// preferred source first.
pub fn totals(
    days: &[DailyActivity],
    transits: &[StraitTransit],
    period: Period,
) -> Vec<PeriodTotals> {
    let mut by: BTreeMap<String, PeriodTotals> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for day in days {
        if !seen.insert(day.date) {
            continue;
        }
        let label = period.label(day.date);
        let t = by
            .entry(label.clone())
            .or_insert_with(|| PeriodTotals { period: label, ..Default::default() });
        t.days += 1;
        match day.aircraft_scope {
            AircraftScope::AdizEntries => t.aircraft_adiz_entries.add(day.aircraft),
            AircraftScope::ShownOnMap => t.aircraft_on_map.add(day.aircraft),
            _ => t.aircraft_around_taiwan.add(day.aircraft),
        }
        t.crossed_median_line.add(day.crossed_median_line);
        t.naval.add(day.naval);
        t.official.add(day.official);
        t.balloons.add(day.balloons);
    }
    for transit in transits {
        let label = period.label(transit.date);
        let t = by
            .entry(label.clone())
            .or_insert_with(|| PeriodTotals { period: label, ..Default::default() });
        *t.transits.entry(transit.strait.clone()).or_default() += u64::from(transit.ships);
    }
    by.into_values().collect()
}

/// One bar series of a chart: a label per bar and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    /// The chart's title.
    pub title: &'a str,
    /// `(label, value)` per bar, in order.
    pub bars: Vec<(String, u64)>,
}

/// Width and height of [`bar_chart_svg`]'s drawing, in CSS pixels.
pub const CHART_SIZE: (u32, u32) = (720, 240);

/// A bar chart as a self-contained SVG element: the title, one bar per value scaled to the
/// largest, the value above each bar when there is room, and every `label_every`-th label
/// under the axis. Text is escaped; no scripts, no external references.
pub fn bar_chart_svg(series: &Series<'_>, label_every: usize) -> String {
    let (w, h) = CHART_SIZE;
    let (left, right, top, bottom) = (40.0, 10.0, 28.0, 36.0);
    let plot_w = f64::from(w) - left - right;
    let plot_h = f64::from(h) - top - bottom;
    let max = series.bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let n = series.bars.len().max(1);
    let step = plot_w / n as f64;
    let bar_w = (step * 0.8).max(1.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{title}"><title>{title}</title><rect width="{w}" height="{h}" fill="#fff"/><text x="{left}" y="18" font-size="14" font-family="sans-serif">{title}</text>"##,
        title = escape(series.title),
    );
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#444"/><text x="{lx}" y="{ty}" font-size="10" text-anchor="end" font-family="sans-serif">{max}</text><text x="{lx}" y="{y}" font-size="10" text-anchor="end" font-family="sans-serif">0</text>"##,
        y = top + plot_h,
        x2 = left + plot_w,
        lx = left - 4.0,
        ty = top + 8.0,
    );
    let every = label_every.max(1);
    for (i, (label, value)) in series.bars.iter().enumerate() {
        let bh = plot_h * (*value as f64) / (max as f64);
        let x = left + step * i as f64 + (step - bar_w) / 2.0;
        let y = top + plot_h - bh;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{bh:.1}" fill="#c0392b"><title>{label}: {value}</title></rect>"##,
            label = escape(label),
        );
        if bar_w >= 18.0 {
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{ty:.1}" font-size="9" text-anchor="middle" font-family="sans-serif">{value}</text>"##,
                cx = x + bar_w / 2.0,
                ty = y - 2.0,
            );
        }
        if i % every == 0 {
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{ly:.1}" font-size="9" text-anchor="middle" font-family="sans-serif">{label}</text>"##,
                cx = x + bar_w / 2.0,
                ly = top + plot_h + 14.0,
                label = escape(label),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Escapes text for SVG and HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::Source;
    use crate::mnd::Window;

    fn day(
        y: i32,
        m: u8,
        d: u8,
        aircraft: u32,
        scope: AircraftScope,
        source: Source,
    ) -> DailyActivity {
        let date = TaipeiDate::new(y, m, d).unwrap_or(TaipeiDate { year: y, month: m, day: d });
        let window = Window::reporting_day(date).unwrap_or_else(|| panic!("window {date:?}"));
        DailyActivity {
            date,
            window,
            aircraft: Some(aircraft),
            aircraft_scope: scope,
            crossed_median_line: (aircraft > 10).then_some(aircraft / 2),
            naval: Some(3),
            official: None,
            balloons: None,
            map_features: None,
            source,
            raw: String::new(),
        }
    }

    #[test]
    fn first_record_of_a_day_counts_and_scopes_stay_apart() {
        let days = [
            day(2022, 7, 31, 5, AircraftScope::AdizEntries, Source::MndReport),
            day(2022, 8, 1, 20, AircraftScope::AroundTaiwan, Source::MndReport),
            // The same day again from a second source: not counted.
            day(2022, 8, 1, 99, AircraftScope::AroundTaiwan, Source::DashboardDaily),
            day(2023, 1, 2, 7, AircraftScope::AroundTaiwan, Source::DashboardDaily),
        ];
        let transits = [
            StraitTransit {
                date: TaipeiDate { year: 2022, month: 8, day: 3 },
                strait: "Miyako".into(),
                ships: 2,
            },
            StraitTransit {
                date: TaipeiDate { year: 2022, month: 9, day: 3 },
                strait: "Miyako".into(),
                ships: 1,
            },
        ];
        let years = totals(&days, &transits, Period::Year);
        assert_eq!(years.len(), 2);
        let y22 = &years[0];
        assert_eq!(y22.period, "2022");
        assert_eq!(y22.days, 2);
        assert_eq!(y22.aircraft_adiz_entries, Sum { total: 5, days: 1 });
        assert_eq!(y22.aircraft_around_taiwan, Sum { total: 20, days: 1 });
        assert_eq!(y22.crossed_median_line, Sum { total: 10, days: 1 });
        assert_eq!(y22.naval, Sum { total: 6, days: 2 });
        assert_eq!(y22.official, Sum::default());
        assert_eq!(y22.transits.get("Miyako"), Some(&3));
        let months = totals(&days, &transits, Period::Month);
        let labels: Vec<&str> = months.iter().map(|m| m.period.as_str()).collect();
        assert_eq!(labels, ["2022-07", "2022-08", "2022-09", "2023-01"]);
    }

    #[test]
    fn chart_scales_to_the_largest_bar_and_escapes_text() {
        let s =
            Series { title: "<PLA> & \"aircraft\"", bars: vec![("a".into(), 10), ("b".into(), 5)] };
        let svg = bar_chart_svg(&s, 1);
        assert!(svg.contains("&lt;PLA&gt; &amp; &quot;aircraft&quot;"), "{svg}");
        assert!(!svg.contains("<PLA>"));
        let plot_h = f64::from(CHART_SIZE.1) - 28.0 - 36.0;
        assert!(svg.contains(&format!(r#"height="{plot_h:.1}" fill"#)), "{svg}");
        assert!(svg.contains(&format!(r#"height="{:.1}" fill"#, plot_h / 2.0)), "{svg}");
    }
}
