//! MND-style daily report text: the generated PLA activity summed per reporting day, written in
//! the form of the ROC Ministry of National Defense's daily "PLA activities around Taiwan"
//! release, in English and in Traditional Chinese (中共解放軍臺海周邊海、空域動態).
//!
//! **Reporting day.** MND counts from 06:00 to 06:00 Taipei time (UTC+8), i.e. 22:00 to
//! 22:00 UTC, and dates the release by the day it ends on. Every such window that overlaps the
//! generated window gets one report; a window the scenario covers only in part says which
//! part.
//!
//! **What is counted** (from the emitted fixes, as the engine sees them):
//!
//! - *PLA aircraft* (`sorties`): every aircraft with at least one fix in the window, one sortie
//!   each;
//! - *crossed the median line and entered the ADIZ*: those with at least one fix inside the
//!   part of the ROC ADIZ east of the median line (`roc_adiz_east_of_median_line` of the zone
//!   catalogue: crossing the line or entering the south-western or eastern ADIZ both put an
//!   aircraft there); the sectors named are those of these fixes ([`Sector`]);
//! - *PLAN vessels* (`naval_transit`) and *official ships* (coast guard `patrol`): every ship
//!   with at least one fix in the window.
//!
//! Balloons, which MND has listed since 2023, are not modelled, nor is MND's "joint combat
//! readiness patrol" remark.
//!
//! **Wording.** The layout follows MND's releases: in English the ministry's posts on X
//! (@MoNDefense), e.g. 15 September 2025: "26 PLA aircraft, 9 PLAN vessels and 1 official
//! ship operating around Taiwan were detected up until 6 a.m. (UTC+8) today. 23 out of 26
//! sorties crossed the median line and entered Taiwan's northern, southwestern and eastern
//! ADIZ. We have monitored the situation and responded."; in Chinese the release as the
//! Military News Agency carries it, e.g. 1 March 2025: "至上午6時止，偵獲共機17架次（其中逾越
//! 海峽中線進入北部、中部、西南及東南空域15架次）、共艦8艘及公務船3艘，持續在臺海周邊活動。
//! 國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。" The numbers are the generated ones.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use kuroshio_model::Timestamp;

/// Start of a reporting day in UTC, milliseconds after midnight: 22:00 UTC is 06:00 UTC+8.
pub const DAY_START_UTC_MS: i64 = 22 * 3_600_000;

/// Length of a reporting day, milliseconds.
const DAY_MS: i64 = 86_400_000;

/// Taipei's offset from UTC, milliseconds (UTC+8, no daylight saving).
const UTC8_MS: i64 = 8 * 3_600_000;

/// What a generated agent counts as in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A PLA aircraft (`sorties`).
    Aircraft,
    /// A PLAN vessel (`naval_transit`).
    Naval,
    /// An official ship (coast guard `patrol`).
    Official,
}

/// The ADIZ sectors MND names, placed by position with the model's rule (`AdizSector::of`).
pub use kuroshio_model::AdizSector as Sector;

/// The counts of one reporting day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Aircraft seen (by agent number).
    pub aircraft: BTreeSet<u32>,
    /// Aircraft seen inside the ADIZ east of the median line.
    pub crossed: BTreeSet<u32>,
    /// Sectors those fixes lay in.
    pub sectors: BTreeSet<Sector>,
    /// PLAN vessels seen.
    pub naval: BTreeSet<u32>,
    /// Official ships seen.
    pub official: BTreeSet<u32>,
}

/// The PLA activity of a generated window, per reporting day (keyed by the day's start, Unix
/// milliseconds). Its size is bounded by the agents and the days of the window (at most 8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    days: BTreeMap<i64, DayCounts>,
}

/// Start (Unix milliseconds) of the reporting day holding `ms`.
pub fn day_start_ms(ms: i64) -> i64 {
    (ms - DAY_START_UTC_MS).div_euclid(DAY_MS) * DAY_MS + DAY_START_UTC_MS
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one fix of agent `agent` in `role` at `ms`; `adiz_east` when the fix lies inside
    /// the ADIZ east of the median line, at `(lon, lat)`.
    pub fn observe(
        &mut self,
        role: Role,
        agent: u32,
        ms: i64,
        adiz_east: bool,
        lon: f64,
        lat: f64,
    ) {
        let day = self.days.entry(day_start_ms(ms)).or_default();
        match role {
            Role::Aircraft => {
                day.aircraft.insert(agent);
                if adiz_east {
                    day.crossed.insert(agent);
                    day.sectors.insert(Sector::of(lon, lat));
                }
            }
            Role::Naval => {
                day.naval.insert(agent);
            }
            Role::Official => {
                day.official.insert(agent);
            }
        }
    }

    /// The counts of the reporting day starting at `day_start_ms` (empty if nothing was seen).
    pub fn day(&self, day_start_ms: i64) -> DayCounts {
        self.days.get(&day_start_ms).cloned().unwrap_or_default()
    }
}

/// `a, b and c` (English) and `a、b及c` (Chinese) of the sectors.
fn join(
    sectors: &BTreeSet<Sector>,
    word: fn(Sector) -> &'static str,
    sep: &str,
    last: &str,
) -> String {
    let words: Vec<&str> = sectors.iter().map(|&s| word(s)).collect();
    match words.split_last() {
        None => String::new(),
        Some((w, [])) => (*w).to_owned(),
        Some((w, rest)) => format!("{}{last}{w}", rest.join(sep)),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The English sentences of one day.
pub fn english(c: &DayCounts) -> String {
    let mut parts = Vec::new();
    if !c.aircraft.is_empty() {
        parts.push(format!("{} PLA aircraft", c.aircraft.len()));
    }
    if !c.naval.is_empty() {
        parts.push(plural(c.naval.len(), "PLAN vessel", "PLAN vessels"));
    }
    if !c.official.is_empty() {
        parts.push(plural(c.official.len(), "official ship", "official ships"));
    }
    let mut s = match parts.split_last() {
        None => "No PLA aircraft, PLAN vessels or official ships operating around Taiwan were \
                 detected up until 6 a.m. (UTC+8) today."
            .to_owned(),
        Some((last, [])) => {
            format!("{last} operating around Taiwan were detected up until 6 a.m. (UTC+8) today.")
        }
        Some((last, rest)) => format!(
            "{} and {last} operating around Taiwan were detected up until 6 a.m. (UTC+8) today.",
            rest.join(", ")
        ),
    };
    if !c.crossed.is_empty() {
        let _ = write!(
            s,
            " {} out of {} crossed the median line and entered Taiwan's {} ADIZ.",
            c.crossed.len(),
            plural(c.aircraft.len(), "sortie", "sorties"),
            join(&c.sectors, Sector::name, ", ", " and ")
        );
    }
    s.push_str(" We have monitored the situation and responded.");
    s
}

/// The Chinese sentences of one day.
pub fn chinese(c: &DayCounts) -> String {
    let mut parts = Vec::new();
    if !c.aircraft.is_empty() {
        let mut p = format!("共機{}架次", c.aircraft.len());
        if !c.crossed.is_empty() {
            let _ = write!(
                p,
                "（其中逾越海峽中線進入{}空域{}架次）",
                join(&c.sectors, Sector::chinese, "、", "及"),
                c.crossed.len()
            );
        }
        parts.push(p);
    }
    if !c.naval.is_empty() {
        parts.push(format!("共艦{}艘", c.naval.len()));
    }
    if !c.official.is_empty() {
        parts.push(format!("公務船{}艘", c.official.len()));
    }
    let seen = match parts.split_last() {
        None => {
            return "至上午6時止，未偵獲共機、共艦及公務船在臺海周邊活動。\
                    國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。"
                .to_owned();
        }
        Some((last, [])) => format!("偵獲{last}"),
        Some((last, rest)) => format!("偵獲{}及{last}", rest.join("、")),
    };
    format!(
        "至上午6時止，{seen}，持續在臺海周邊活動。\
         國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。"
    )
}

fn taipei(ms: i64) -> (i32, u8, u8, u8, u8) {
    let t = Timestamp::from_unix_millis(ms + UTC8_MS).unwrap_or(Timestamp::EPOCH);
    let (y, mo, d, h, mi, _, _) = t.to_civil();
    (y, mo, d, h, mi)
}

/// The report text for every reporting day overlapping `[start_ms, end_ms)`: per day a
/// heading with the release date and window (Taipei time), the English text and the Chinese
/// text, separated by blank lines.
pub fn daily_reports(tally: &Tally, start_ms: i64, end_ms: i64) -> String {
    let mut out = String::new();
    let mut day = day_start_ms(start_ms);
    // Bounded: a scenario is at most a week long.
    let mut guard = 0;
    while day < end_ms && guard < 16 {
        guard += 1;
        let c = tally.day(day);
        let (y0, m0, d0, ..) = taipei(day);
        let (y1, m1, d1, ..) = taipei(day + DAY_MS);
        let _ = writeln!(
            out,
            "== {y1:04}-{m1:02}-{d1:02}: {y0:04}-{m0:02}-{d0:02} 06:00 to {y1:04}-{m1:02}-{d1:02} \
             06:00 (UTC+8) =="
        );
        if start_ms > day || end_ms < day + DAY_MS {
            let from = taipei(start_ms.max(day));
            let to = taipei(end_ms.min(day + DAY_MS));
            let _ = writeln!(
                out,
                "(generated data cover {:04}-{:02}-{:02} {:02}:{:02} to {:04}-{:02}-{:02} \
                 {:02}:{:02} (UTC+8) of this window only)",
                from.0, from.1, from.2, from.3, from.4, to.0, to.1, to.2, to.3, to.4
            );
        }
        let _ = writeln!(out, "\nPLA activities around Taiwan\n{}", english(&c));
        let _ = writeln!(out, "\n中共解放軍臺海周邊海、空域動態\n{}\n", chinese(&c));
        day += DAY_MS;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn counts(
        aircraft: u32,
        crossed: u32,
        sectors: &[Sector],
        naval: u32,
        official: u32,
    ) -> DayCounts {
        DayCounts {
            aircraft: (0..aircraft).collect(),
            crossed: (0..crossed).collect(),
            sectors: sectors.iter().copied().collect(),
            naval: (100..100 + naval).collect(),
            official: (200..200 + official).collect(),
        }
    }

    #[test]
    fn writes_the_published_form() {
        use Sector::*;
        // The figures of MND's release of 15 September 2025.
        let c = counts(26, 23, &[Northern, Southwestern, Eastern], 9, 1);
        assert_eq!(
            english(&c),
            "26 PLA aircraft, 9 PLAN vessels and 1 official ship operating around Taiwan were \
             detected up until 6 a.m. (UTC+8) today. 23 out of 26 sorties crossed the median \
             line and entered Taiwan's northern, southwestern and eastern ADIZ. We have \
             monitored the situation and responded."
        );
        // The figures of the release of 1 March 2025.
        let c = counts(17, 15, &[Northern, Central, Southwestern, Southeastern], 8, 3);
        assert_eq!(
            chinese(&c),
            "至上午6時止，偵獲共機17架次（其中逾越海峽中線進入北部、中部、西南及東南空域15架次）、\
             共艦8艘及公務船3艘，持續在臺海周邊活動。國軍運用任務機、艦及岸置飛彈系統嚴密監控與應處。"
        );
        let c = counts(2, 0, &[], 7, 0);
        assert!(english(&c).starts_with(
            "2 PLA aircraft and 7 PLAN vessels operating around Taiwan were detected up until \
             6 a.m. (UTC+8) today. We have"
        ));
        assert!(chinese(&c).contains("偵獲共機2架次及共艦7艘，"));
    }

    #[test]
    fn days_run_from_22_utc() {
        let t = Timestamp::parse("2024-10-14T21:59:59Z").unwrap().unix_millis();
        assert_eq!(
            day_start_ms(t),
            Timestamp::parse("2024-10-13T22:00:00Z").unwrap().unix_millis()
        );
        assert_eq!(day_start_ms(t + 1000), t + 1000);
        assert_eq!(Sector::of(119.9, 24.1), Sector::Central);
        assert_eq!(Sector::of(122.6, 23.4), Sector::Eastern);
        assert_eq!(Sector::of(118.6, 21.4), Sector::Southwestern);
    }

    #[test]
    fn one_report_per_overlapping_day() {
        let start = Timestamp::parse("2026-03-10T00:00:00Z").unwrap().unix_millis();
        let mut tally = Tally::new();
        tally.observe(Role::Official, 1, start + 3_600_000, false, 118.7, 24.2);
        let text = daily_reports(&tally, start, start + DAY_MS);
        assert_eq!(text.matches("== ").count(), 2, "{text}");
        assert!(text.contains("== 2026-03-11: 2026-03-10 06:00 to 2026-03-11 06:00 (UTC+8) =="));
        assert!(text.contains("1 official ship operating around Taiwan"), "{text}");
        assert!(text.contains("2026-03-10 08:00 to 2026-03-11 06:00"), "{text}");
        assert!(text.contains("No PLA aircraft"), "{text}");
    }
}
