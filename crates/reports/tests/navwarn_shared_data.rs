//! The PRC navigation warnings of the shared data (`pla-data-dashboard/navigation_warnings/
//! military_exercises.json`: 187 warnings scraped from msa.gov.cn, 2026-03..08), read from
//! their text and checked against the scraper's own reading of the same warnings (its
//! `coordinates` and `start_date`/`end_date` fields), then loaded into the zone catalogue.
//!
//! The data is read at run time and never copied into the repository (see its SOURCE.md).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_reports::mnd::TaipeiDate;
use kuroshio_reports::navwarn::{self, Area, Warning, WarningSource};

const WARNINGS: &str = "pla-data-dashboard/navigation_warnings/military_exercises.json";

/// Share of warnings that must parse fully.
const MIN_FULL_SHARE: f64 = 0.95;

fn date(s: &str) -> Option<TaipeiDate> {
    let mut p = s.split('-');
    TaipeiDate::new(p.next()?.parse().ok()?, p.next()?.parse().ok()?, p.next()?.parse().ok()?)
}

fn warnings() -> Option<Vec<(serde_json::Value, Warning)>> {
    let (items, mut warnings): (Vec<_>, Vec<_>) = read_warnings()?.into_iter().unzip();
    let alone = warnings.iter().filter(|w| w.is_fully_parsed()).count();
    let completed = navwarn::complete_from_counterparts(&mut warnings);
    println!(
        "{alone} warnings parse fully on their own; {completed} cut-short texts completed from the other language"
    );
    Some(items.into_iter().zip(warnings).collect())
}

fn read_warnings() -> Option<Vec<(serde_json::Value, Warning)>> {
    let bytes = kuroshio_testdata::read(WARNINGS)?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let items = doc.as_array().unwrap();
    Some(
        items
            .iter()
            .map(|it| {
                let s = |k: &str| it[k].as_str().unwrap_or("").to_owned();
                let source = WarningSource {
                    title: s("title"),
                    channel: s("channel"),
                    url: s("url"),
                    published: date(&s("publish_date")),
                };
                let w = navwarn::parse(&s("content_preview"), source).unwrap();
                (it.clone(), w)
            })
            .collect(),
    )
}

fn points(w: &Warning) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for a in &w.areas {
        match a {
            Area::Polygon(p) | Area::Line(p) => {
                out.extend(p.iter().map(|x| (x.lat_deg(), x.lon_deg())));
            }
            Area::Circle { centre, .. } | Area::Sector { centre, .. }
                if !out.contains(&(centre.lat_deg(), centre.lon_deg())) =>
            {
                out.push((centre.lat_deg(), centre.lon_deg()));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn warnings_parse_fully_and_agree_with_the_scraper() {
    let Some(all) = warnings() else { return };
    assert_eq!(all.len(), 187);
    let full = all.iter().filter(|(_, w)| w.is_fully_parsed()).count();
    let share = full as f64 / all.len() as f64;
    println!("navigation warnings: {full} of {} fully parsed ({:.1}%)", all.len(), share * 100.0);
    let completed: Vec<_> = all
        .iter()
        .filter_map(|(_, w)| Some((w.number.clone()?, w.completed_from.clone()?)))
        .collect();
    println!("  completed: {completed:?}");
    for (it, w) in all.iter().filter(|(_, w)| !w.is_fully_parsed()) {
        let reasons: Vec<_> = w.issues.iter().map(|i| i.reason).collect();
        println!(
            "  {}: {reasons:?} [{}]",
            it["title"].as_str().unwrap(),
            w.raw.chars().rev().take(80).collect::<String>().chars().rev().collect::<String>()
        );
    }
    // Coordinates: the scraper's decimal degrees (4 decimals) against ours, each read from the
    // warning's own text (before completion from the other language).
    let mut compared = 0usize;
    let mut agree = 0usize;
    let mut more = 0usize;
    for (it, w) in &read_warnings().unwrap() {
        let theirs: Vec<(f64, f64)> = it["coordinates"]
            .as_str()
            .unwrap_or("")
            .split(';')
            .filter_map(|p| {
                let (a, b) = p.trim().split_once(',')?;
                Some((a.parse().ok()?, b.parse().ok()?))
            })
            .collect();
        if theirs.is_empty() {
            if !points(w).is_empty() {
                more += 1;
            }
            continue;
        }
        compared += 1;
        let ours = points(w);
        let same = ours.len() == theirs.len()
            && ours
                .iter()
                .zip(&theirs)
                .all(|(a, b)| (a.0 - b.0).abs() < 1e-3 && (a.1 - b.1).abs() < 1e-3);
        if same {
            agree += 1;
        } else {
            println!(
                "  coordinates differ: {} ours {} theirs {}",
                it["title"],
                ours.len(),
                theirs.len()
            );
        }
    }
    println!(
        "coordinates: identical on {agree} of {compared} warnings the scraper read; {more} more read here where it found none"
    );
    // Validity: the scraper's first and last date (Beijing calendar dates) against ours.
    let mut dated = 0usize;
    let mut dates_agree = 0usize;
    for (it, w) in &all {
        let (Some(s), Some(e)) = (
            date(it["start_date"].as_str().unwrap_or("")),
            date(it["end_date"].as_str().unwrap_or("")),
        ) else {
            continue;
        };
        let Some(v) = w.validity() else { continue };
        dated += 1;
        // The scraper dates English warnings with clock times by their UTC days, everything
        // else by Beijing days: either reading may match.
        let day = |t: kuroshio_model::Timestamp, offset_h: i64| {
            let (y, m, d, ..) = t.saturating_add_nanos(offset_h * 3_600_000_000_000).to_civil();
            TaipeiDate::new(y, m, d).unwrap()
        };
        let matches = |h| day(v.start, h) == s && day(v.end.saturating_add_nanos(-1), h) == e;
        let last = day(v.end.saturating_add_nanos(-1), 8);
        if matches(8) || (w.language == navwarn::Language::English && matches(0)) {
            dates_agree += 1;
        } else {
            println!(
                "  dates differ: {} ours {:?}..{:?} (Beijing) theirs {s:?}..{e:?}",
                it["title"],
                day(v.start, 8),
                last
            );
        }
    }
    println!("validity: first and last day agree on {dates_agree} of {dated} warnings both dated");
    assert!(compared >= 170);
    assert!(agree as f64 >= 0.95 * compared as f64);
    assert!(dates_agree as f64 >= 0.9 * dated as f64);
    assert!(share >= MIN_FULL_SHARE, "only {:.1}% of the warnings parse fully", share * 100.0);
}

#[test]
fn warnings_become_catalogue_zones() {
    let Some(all) = warnings() else { return };
    let mut features = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (_, w) in &all {
        if let Some(f) = w.to_zone_feature() {
            if ids.insert(f["properties"]["id"].as_str().unwrap().to_owned()) {
                features.push(f);
            }
        }
    }
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    let catalogue = kuroshio_zones::Catalogue::from_geojson(&fc.to_string()).unwrap();
    println!("{} warnings loaded as catalogue zones", catalogue.zones().count());
    assert!(catalogue.zones().count() >= 150);
    // The Beibu Gulf training box of 桂航警51/26 contains its own centre.
    let (idx, zone) = catalogue.get("prc_navwarn_GX20_26").expect("GX20/26 is a zone");
    let _ = zone;
    let mut out = Vec::new();
    catalogue.areas_containing(108.88, 21.30, &mut out);
    assert!(out.contains(&idx), "the point lies in the warning's box");
    out.clear();
    catalogue.areas_containing(108.70, 21.30, &mut out);
    assert!(!out.contains(&idx), "a point west of the box is outside");
}
