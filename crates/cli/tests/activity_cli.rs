//! `kuroshio report import`, `report trends` and `report hull` end to end on the shared data:
//! pla-data-dashboard's daily MND table, the 208 Joint Staff Office release texts and the PRC
//! navigation warnings, into a fresh embedded store.
//!
//! The yearly trends must give the published dataset-derived totals of
//! `annual-totals/annual_totals.csv`; a second import stores nothing twice; a ship's hull
//! number finds the releases that name it, oldest first, each naming it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn kuroshio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kuroshio-activity-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn import_trends_and_hull_chains() {
    let (Some(table), Some(jso), Some(warnings)) = (
        kuroshio_testdata::path("pla-data-dashboard/JapanandBattleship.csv"),
        kuroshio_testdata::path("pla-data-dashboard/pdf_texts/japan_mod_texts.json"),
        kuroshio_testdata::path("pla-data-dashboard/navigation_warnings/military_exercises.json"),
    ) else {
        return;
    };
    let dir = temp("all");
    let store = dir.to_str().unwrap();
    let import = |kind: &str, file: &PathBuf| {
        ok(&kuroshio(&[
            "report",
            "import",
            "--store",
            store,
            "--kind",
            kind,
            file.to_str().unwrap(),
        ]))
    };

    let first = import("dashboard", &table);
    assert_eq!(first["documents"], 1970, "{first}");
    assert_eq!(first["stored"], 1970, "{first}");
    assert_eq!(first["failed"].as_array().map(Vec::len), Some(0), "{first}");
    let again = import("dashboard", &table);
    assert_eq!((again["stored"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(1970)));

    let releases = import("jso", &jso);
    assert_eq!(releases["documents"], 208, "{releases}");
    let failed = releases["failed"].as_array().unwrap().len();
    let stored = releases["stored"].as_u64().unwrap() as usize;
    assert_eq!((stored, failed), (208, 0), "every release stored: {releases}");

    let navwarn = import("navwarn", &warnings);
    let nw_stored = navwarn["stored"].as_u64().unwrap() as usize;
    let nw_failed = navwarn["failed"].as_array().unwrap().len();
    assert_eq!(navwarn["documents"], 187, "{navwarn}");
    assert_eq!(nw_stored + nw_failed, 187, "{navwarn}");
    assert!(nw_stored >= 178, "{navwarn}");

    // The warnings valid on 16 March 2026 as temporary zones the catalogue takes.
    let zones = ok(&kuroshio(&[
        "report",
        "zones",
        "--store",
        store,
        "--from",
        "2026-03-16",
        "--to",
        "2026-03-17",
    ]));
    let features = zones["features"].as_array().unwrap();
    assert!(!features.is_empty(), "{zones}");
    for f in features {
        let p = &f["properties"];
        let (from, until) = (p["valid_from"].as_str().unwrap(), p["valid_until"].as_str().unwrap());
        assert!(from < "2026-03-17" && until > "2026-03-16", "{p}");
    }
    let file = dir.join("warnings.geojson");
    std::fs::write(&file, zones.to_string()).unwrap();
    let listing = kuroshio(&["zones", "--zones", file.to_str().unwrap()]);
    assert!(listing.status.success(), "{}", String::from_utf8_lossy(&listing.stderr));
    let listing = String::from_utf8_lossy(&listing.stdout);
    let id = features[0]["properties"]["id"].as_str().unwrap();
    assert!(listing.contains(id), "{id} not in the catalogue listing");

    // Yearly totals against the published sums of the same table.
    let years = ok(&kuroshio(&[
        "report",
        "trends",
        "--store",
        store,
        "--by",
        "year",
        "--from",
        "2015-01-01",
        "--to",
        "2027-01-01",
        "--format",
        "json",
    ]));
    let year =
        |y: &str| years.as_array().unwrap().iter().find(|t| t["period"] == y).cloned().unwrap();
    for (y, aircraft, naval, days) in
        [("2023", 4568, 1792, 336), ("2024", 4844, 2426, 361), ("2025", 5384, 2608, 364)]
    {
        let t = year(y);
        assert_eq!(t["aircraft_around_taiwan"]["total"], aircraft, "{t}");
        assert_eq!(t["aircraft_around_taiwan"]["days"], days, "{t}");
        assert_eq!(t["naval"]["total"], naval, "{t}");
    }
    assert_eq!(year("2021")["aircraft_adiz_entries"]["total"], 939);
    // 2026 carries Japan's strait transits from the releases.
    let transits: u64 =
        year("2026")["transits"].as_object().unwrap().values().filter_map(Value::as_u64).sum();
    assert!(transits > 0, "{}", year("2026"));

    // The charts page: one SVG per chart, no scripts.
    let html = kuroshio(&[
        "report",
        "trends",
        "--store",
        store,
        "--by",
        "month",
        "--from",
        "2026-01-01",
        "--to",
        "2026-09-01",
        "--format",
        "html",
    ]);
    assert!(html.status.success());
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.matches("<svg").count() >= 4, "{html}");
    assert!(!html.contains("<script"));

    // The daily report charts the twelve months up to its date from the same records.
    let daily = ok(&kuroshio(&[
        "report",
        "daily",
        "--store",
        store,
        "--date",
        "2026-06-15",
        "--no-record",
        "--format",
        "json",
    ]));
    let monthly = daily["trends_monthly"].as_array().unwrap();
    let periods: Vec<&str> = monthly.iter().map(|t| t["period"].as_str().unwrap()).collect();
    assert_eq!(periods.first().copied(), Some("2025-07"), "{periods:?}");
    assert_eq!(periods.last().copied(), Some("2026-06"), "{periods:?}");
    let months = ok(&kuroshio(&[
        "report",
        "trends",
        "--store",
        store,
        "--by",
        "month",
        "--from",
        "2026-05-01",
        "--to",
        "2026-06-01",
        "--format",
        "json",
    ]));
    let may = monthly.iter().find(|t| t["period"] == "2026-05").unwrap();
    assert_eq!(may["aircraft_around_taiwan"], months[0]["aircraft_around_taiwan"], "{may}");
    assert!(daily["trends_unreadable"].as_array().unwrap().is_empty());
    let page = kuroshio(&[
        "report",
        "daily",
        "--store",
        store,
        "--date",
        "2026-06-15",
        "--no-record",
        "--lang",
        "ja",
        "--format",
        "html",
    ]);
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.contains("公表資料に基づく推移"), "trends section in Japanese");
    assert!(page.matches("class=\"chart\"").count() >= 6, "monthly and yearly charts");

    // A hull number named in several releases.
    let chain = kuroshio(&["report", "hull", "--store", store, "343"]);
    assert!(chain.status.success(), "{}", String::from_utf8_lossy(&chain.stderr));
    let lines: Vec<Value> = String::from_utf8_lossy(&chain.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 5, "{} releases name hull 343", lines.len());
    let froms: Vec<&str> = lines.iter().map(|l| l["from"].as_str().unwrap()).collect();
    assert!(froms.windows(2).all(|w| w[0] <= w[1]), "oldest first: {froms:?}");
    for l in &lines {
        assert!(!l["sightings"].as_array().unwrap().is_empty(), "{l}");
        assert!(l["sightings"].to_string().contains("\"343\""), "{l}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
