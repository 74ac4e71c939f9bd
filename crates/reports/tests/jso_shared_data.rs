//! Conformance over the Japan Joint Staff Office releases of the shared data set
//! (`pla-data-dashboard/pdf_texts/japan_mod_texts.json`: text of 208 release PDFs,
//! 2026-02..08), cross-checked against the strait flags of `JapanandBattleship.csv`.
//!
//! The data is read at run time and never copied into the repository (see its SOURCE.md).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_reports::jso::{self, DocumentKind, Strait};
use kuroshio_reports::{JstDate, geocode};

const TEXTS: &str = "pla-data-dashboard/pdf_texts/japan_mod_texts.json";
const CSV: &str = "pla-data-dashboard/JapanandBattleship.csv";

/// Share of ship and aircraft movement notices that must parse fully.
const MIN_FULL_SHARE: f64 = 0.95;

/// Share of compared strait passages that must carry the matching CSV flag. The CSV is an
/// independent hand summary keyed by report date, so an occasional miss is its own gap.
const MIN_CSV_AGREEMENT: f64 = 0.8;

fn releases() -> Option<Vec<(String, String)>> {
    let bytes = kuroshio_testdata::read(TEXTS)?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("texts file is JSON");
    let texts = doc["texts"].as_object().expect("texts is an object");
    let mut out: Vec<(String, String)> = texts
        .iter()
        .map(|(name, v)| (name.clone(), v["text"].as_str().expect("text is a string").to_owned()))
        .collect();
    out.sort();
    Some(out)
}

#[test]
fn movement_notices_parse_fully() {
    let Some(releases) = releases() else { return };
    assert_eq!(releases.len(), 208, "the data set holds 208 releases");
    let mut by_kind: BTreeMap<(DocumentKind, String), (usize, usize)> = BTreeMap::new();
    let mut movement = 0u32;
    let mut full = 0u32;
    let mut failures = Vec::new();
    let mut unknown_places = BTreeSet::new();
    let mut sightings = 0;
    let mut geocoded = 0;
    for (name, text) in &releases {
        match jso::parse(text) {
            Ok(r) => {
                let countries = format!("{:?}", r.countries);
                let entry = by_kind.entry((r.kind, countries)).or_default();
                entry.0 += 1;
                if r.kind.is_movement() {
                    movement += 1;
                    if r.is_fully_parsed() {
                        full += 1;
                        entry.1 += 1;
                    } else {
                        let reasons: Vec<_> = r.issues.iter().map(|i| i.reason).collect();
                        failures.push(format!("{name}: {reasons:?}"));
                    }
                }
                for s in &r.ship_sightings {
                    // The stated total (計N隻) must equal the ships read from the list.
                    let listed: u32 = s.ships.iter().map(|x| x.count).sum();
                    assert_eq!(listed, s.total_count, "{name}: ship list and total disagree");
                    if let Some(p) = &s.position {
                        sightings += 1;
                        match geocode(&p.place, p.bearing, f64::from(p.distance_km)) {
                            Ok(_) => geocoded += 1,
                            Err(_) => {
                                unknown_places.insert(p.place.clone());
                            }
                        }
                    }
                }
            }
            Err(e) => {
                if announces_movement(text) {
                    movement += 1;
                }
                failures.push(format!("{name}: error {e}"));
            }
        }
    }
    println!("JSO releases by kind (kind, title countries): total / fully parsed");
    for ((kind, countries), (n, ok)) in &by_kind {
        println!("  {kind:?} {countries}: {n} / {ok}");
    }
    let share = f64::from(full) / f64::from(movement.max(1));
    println!("movement notices fully parsed: {full}/{movement} = {:.1} %", 100.0 * share);
    println!("ship sightings with a position: {sightings}, geocoded: {geocoded}");
    for f in &failures {
        println!("  not fully parsed: {f}");
    }
    assert!(unknown_places.is_empty(), "places missing from the gazetteer: {unknown_places:?}");
    assert!(movement >= 80, "only {movement} movement notices found");
    assert!(
        share >= MIN_FULL_SHARE,
        "only {:.1} % of movement notices parsed fully",
        100.0 * share
    );
}

/// Whether the raw text announces a movement notice (for counting notices that fail to parse).
fn announces_movement(text: &str) -> bool {
    let t = kuroshio_reports::text::normalize(text);
    let head: String = t.chars().take(200).collect();
    head.contains("海軍艦艇の動向") || (head.contains("軍機") && head.contains("動向"))
}

/// Splits one CSV line with double-quote escaping.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// Column of the CSV that flags a strait, by the parser's strait.
fn csv_column(strait: &Strait) -> Option<&'static str> {
    match strait {
        Strait::Tsushima => Some("對馬"),
        Strait::Osumi => Some("大禹"),
        Strait::Miyako => Some("宮古"),
        Strait::YonaguniTaiwan | Strait::YonaguniIriomote => Some("與那國"),
        _ => None,
    }
}

/// Facts of a few releases, checked field by field (read from the PDFs by eye).
#[test]
fn spot_checks() {
    use kuroshio_reports::CompassPoint;
    use kuroshio_reports::jso::Country;
    let Some(releases) = releases() else { return };
    let get = |name: &str| {
        let text = &releases.iter().find(|(n, _)| n == name).expect("release present").1;
        jso::parse(text).expect("parses")
    };
    // Russian frigate, submarine and tug between Yonaguni and Iriomote, south-westbound.
    let r = get("p20260310_01.pdf");
    assert_eq!(r.countries, vec![Country::Russia]);
    let s = &r.ship_sightings[0];
    assert_eq!((s.total_count, s.ships[0].hull_numbers.as_slice()), (3, &["335".to_owned()][..]));
    let p = s.position.as_ref().unwrap();
    assert_eq!((p.place.as_str(), p.bearing, p.distance_km), ("西表島", CompassPoint::N, 50));
    assert_eq!(
        (&s.passages[0].strait, s.passages[0].direction),
        (&Strait::YonaguniIriomote, CompassPoint::Sw)
    );
    assert_eq!(s.same_as[0].passages[0].strait, Strait::Tsushima);
    // Two groups on one day through the Tsushima Strait.
    let r = get("p20260331_01.pdf");
    let hulls: Vec<_> = r
        .ship_sightings
        .iter()
        .flat_map(|s| s.ships.iter().flat_map(|x| x.hull_numbers.clone()))
        .collect();
    assert_eq!(hulls, ["119", "102", "903", "120"]);
    // The carrier table: three dated rows, the last with five ships.
    let r = get("p20260601_01.pdf");
    assert_eq!(r.ship_sightings.len(), 3);
    assert_eq!(r.ship_sightings[2].total_count, 5);
    assert_eq!(r.ship_sightings[0].ships[0].name.as_deref(), Some("遼寧"));
    // Chinese and Russian ships together through the Soya Strait, westbound.
    let r = get("p20260729_01.pdf");
    let navies: Vec<_> = r.ship_sightings[0].ships.iter().map(|x| x.navy).collect();
    assert_eq!(
        navies,
        [Some(Country::China), Some(Country::China), Some(Country::China), Some(Country::Russia)]
    );
    assert_eq!(r.ship_sightings[0].passages[0].strait, Strait::Soya);
    assert_eq!(r.ship_sightings[0].same_as[0].passages.len(), 6);
    // Joint bomber flight: four aircraft sentences, nineteen aircraft in all.
    let r = get("p20260627_03.pdf");
    let n: u32 = r.aircraft_sightings.iter().flat_map(|a| a.aircraft.iter().map(|x| x.count)).sum();
    assert_eq!((r.aircraft_sightings.len(), n), (4, 19));
}

#[test]
fn strait_passages_agree_with_the_csv_flags() {
    let Some(releases) = releases() else { return };
    let Some(csv) = kuroshio_testdata::read(CSV) else { return };
    let csv = String::from_utf8(csv).expect("CSV is UTF-8");
    let mut lines = csv.lines();
    let header = csv_fields(lines.next().expect("header").trim_start_matches('\u{feff}'));
    let col = |name: &str| header.iter().position(|h| h == name).expect("column present");
    let columns = ["對馬", "大禹", "宮古", "與那國"].map(|c| (c, col(c)));
    // date -> set of flagged columns, for 2026 rows.
    let mut flags: BTreeMap<JstDate, BTreeSet<&str>> = BTreeMap::new();
    for line in lines {
        let f = csv_fields(line);
        let Some(date) = f.first().and_then(|d| parse_csv_date(d)) else { continue };
        if date.year != 2026 {
            continue;
        }
        let set = flags.entry(date).or_default();
        for (name, i) in columns {
            if f.get(i).is_some_and(|v| v.parse::<f64>().is_ok_and(|x| x >= 1.0)) {
                set.insert(name);
            }
        }
    }
    let (mut compared, mut agreed) = (0u32, 0u32);
    let mut disagreements = Vec::new();
    for (name, text) in &releases {
        let Ok(r) = jso::parse(text) else { continue };
        for s in &r.ship_sightings {
            let Some(sighted) = s.time.map(|t| t.date) else { continue };
            for p in &s.passages {
                let Some(column) = csv_column(&p.strait) else { continue };
                // The passage's own dates, else the sighting day and the next (night passages).
                let mut days = p.dates.clone();
                if days.is_empty() {
                    days.push(sighted);
                }
                if let Some(last) = days.last().copied() {
                    days.push(next_day(last));
                }
                let rows: Vec<_> = days.iter().filter_map(|d| flags.get(d)).collect();
                if rows.is_empty() {
                    continue;
                }
                compared += 1;
                if rows.iter().any(|set| set.contains(column)) {
                    agreed += 1;
                } else {
                    disagreements.push(format!("{name}: {:?} on {days:?}", p.strait));
                }
            }
        }
    }
    println!("strait passages compared with JapanandBattleship.csv: {agreed}/{compared} agree");
    for d in &disagreements {
        println!("  no CSV flag: {d}");
    }
    assert!(compared >= 30, "only {compared} passages had a CSV row to compare with");
    assert!(
        f64::from(agreed) >= MIN_CSV_AGREEMENT * f64::from(compared),
        "only {agreed}/{compared} passages agree"
    );
}

fn parse_csv_date(s: &str) -> Option<JstDate> {
    let mut it = s.split('/');
    let year = it.next()?.parse().ok()?;
    let month = it.next()?.parse().ok()?;
    let day = it.next()?.parse().ok()?;
    Some(JstDate { year, month, day })
}

fn next_day(d: JstDate) -> JstDate {
    let days_in_month = match d.month {
        2 if d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d.day < days_in_month {
        JstDate { day: d.day + 1, ..d }
    } else if d.month < 12 {
        JstDate { month: d.month + 1, day: 1, ..d }
    } else {
        JstDate { year: d.year + 1, month: 1, day: 1 }
    }
}
