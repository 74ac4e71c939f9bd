//! `kuroshio report daily` end to end: a day of the shipped PLA exercise scenario is generated,
//! ingested into a fresh store, and the report's counts are checked against the scenario's
//! ground truth (truth.ndjson) and the generator's MND-style text for the same day, which the
//! generator computes from its truth. HTML is rendered in all three languages; when Chromium is
//! installed, the PDF and a PNG of its first page are left in web/test-results/report/ as CI
//! artefacts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/scenario.rs"]
mod scenario;
#[path = "support/node.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::{kuroshio, ok, repo};

/// The report's date: MND's window 2024-10-14 06:00 to 2024-10-15 06:00 (UTC+8), the
/// scenario's whole day (it starts at 2024-10-13T22:00Z and runs 24 h).
const DATE: &str = "2024-10-15";

/// The numbers of the generator's English MND text for the day.
struct MndText {
    aircraft: u64,
    crossed: u64,
    naval: u64,
    official: u64,
    sectors: Vec<String>,
}

fn number_before(text: &str, words: &[&str]) -> u64 {
    for w in words {
        if let Some(i) = text.find(w) {
            let head = text[..i].trim_end();
            let digits: String = head
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Ok(n) = digits.parse() {
                return n;
            }
        }
    }
    0
}

fn mnd_text(path: &Path) -> MndText {
    let text = std::fs::read_to_string(path).unwrap();
    let heading = format!("== {DATE}:");
    let day = &text[text.find(&heading).expect("the generator reports the day")..];
    let english = day.lines().find(|l| l.contains("operating around Taiwan")).unwrap();
    let sectors = english
        .split("entered Taiwan's ")
        .nth(1)
        .and_then(|s| s.split(" ADIZ").next())
        .map(|s| s.replace(" and ", ", ").split(", ").map(str::to_owned).collect())
        .unwrap_or_default();
    MndText {
        aircraft: number_before(english, &["PLA aircraft"]),
        crossed: number_before(english, &["out of"]),
        naval: number_before(english, &["PLAN vessels", "PLAN vessel "]),
        official: number_before(english, &["official ships", "official ship "]),
        sectors,
    }
}

fn truth(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn report(store: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["report", "daily", "--store", store.to_str().unwrap(), "--date", DATE];
    args.extend_from_slice(extra);
    kuroshio(&args)
}

fn key_of(entity: &Value) -> String {
    if let Some(t) = entity.get("track") {
        return format!("local:{}", t.as_str().unwrap());
    }
    if let Some(m) = entity.get("mmsi") {
        return format!("vessel:{m}");
    }
    format!("aircraft:{}", entity["icao24"].as_str().unwrap())
}

#[test]
fn daily_report_matches_the_scenario_truth() {
    let dir = std::env::temp_dir().join(format!("kuroshio-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Background traffic divided by 20, as `scenario_score` thins it: the PLA, coast-guard and
    // anomaly activities, which are what the report counts, are unchanged, and the generate +
    // ingest of the whole day stays around half a minute of CPU.
    let scenario = scenario::thinned("pla-exercise-day.toml", 20, &dir);
    let out = dir.join("out");
    ok(&kuroshio(&["generate", scenario.to_str().unwrap(), "--out", out.to_str().unwrap()]));

    // Ingest with a policy that marks encounters more strictly than the rest: the report,
    // which counts the encounter, must carry the strictest combination.
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{"default": {"tlp": "GREEN", "releasable_to": ["JP", "US", "TW"]},
            "kinds": {"encounter": {"tlp": "AMBER", "releasable_to": ["JP"]}}}"#,
    )
    .unwrap();
    let store = dir.join("store");
    ok(&kuroshio(&[
        "ingest",
        "-q",
        "--store",
        store.to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
        "--beast-clock",
        "gps",
        "--beast-date",
        "2024-10-13",
        out.join("ais.nmea").to_str().unwrap(),
        out.join("tracks.ndjson").to_str().unwrap(),
        out.join("adsb.beast").to_str().unwrap(),
    ]));
    let open_policy = dir.join("report-policy.json");
    std::fs::write(
        &open_policy,
        r#"{"default": {"tlp": "CLEAR", "releasable_to": ["JP", "US", "TW"]}}"#,
    )
    .unwrap();
    let json =
        ok(&report(&store, &["--format", "json", "--policy", open_policy.to_str().unwrap()]));
    let r: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["format"], "kuroshio-daily/1");
    assert_eq!(r["from"], "2024-10-13T22:00:00Z");
    assert_eq!(r["to"], "2024-10-14T22:00:00Z");
    assert_eq!(r["inputs"]["truncated"], false);

    // MND's categories against the generator's MND text, which it computes from the same
    // fixes the engine receives (positions at wire precision, aircraft inside the ADIZ east
    // of the median line by the same catalogue). Exact: both sides count the same fixes by
    // the same rules, so no tolerance is needed; a difference is a bug on one side.
    let mnd = mnd_text(&out.join("mnd-report.txt"));
    let f = &r["figures"];
    assert_eq!(f["aircraft"].as_u64(), Some(mnd.aircraft), "{f}");
    assert_eq!(f["crossed"].as_u64(), Some(mnd.crossed), "{f}");
    assert_eq!(f["naval"].as_u64(), Some(mnd.naval), "{f}");
    assert_eq!(f["official"].as_u64(), Some(mnd.official), "{f}");
    let sectors: Vec<String> =
        f["sectors"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect();
    assert_eq!(sectors, mnd.sectors);
    assert_eq!(f["balloons"], 0);
    // The scenario is patterned on MND's figures for the day: 153 aircraft, 111 of which
    // crossed, 14 PLAN ships and 12 official ships.
    assert_eq!((mnd.aircraft, mnd.crossed, mnd.naval, mnd.official), (153, 111, 14, 12));

    // Median-line crossings and strait transits against truth.ndjson: every crossing of a
    // line or gate by every generated track is in the truth, computed from the fixes as the
    // engine sees them; the report counts those of PLA and coast-guard tracks. Exact for the
    // same reason.
    let truth = truth(&out.join("truth.ndjson"));
    let counted: std::collections::BTreeSet<String> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap().to_owned())
        .collect();
    let in_truth = |kind: &'static str| -> Vec<&Value> {
        truth
            .iter()
            .filter(|t| t["kind"] == kind && counted.contains(&key_of(&t["entity"])))
            .collect()
    };
    let mut east = 0;
    let mut west = 0;
    for t in in_truth("line_crossing").into_iter().filter(|t| t["zone"] == "tw_strait_median_line")
    {
        match t["direction"].as_str().unwrap() {
            "eastward" => east += 1,
            "westward" => west += 1,
            d => panic!("direction {d}"),
        }
    }
    let ml = &r["median_line"];
    assert!(east > 0 && west > 0);
    assert_eq!((ml["eastward"].as_u64(), ml["westward"].as_u64()), (Some(east), Some(west)));
    let mut transits: BTreeMap<(String, String), u64> = BTreeMap::new();
    for t in in_truth("gate_transit") {
        let key =
            (t["zone"].as_str().unwrap().to_owned(), t["direction"].as_str().unwrap().to_owned());
        *transits.entry(key).or_default() += 1;
    }
    let mut reported: BTreeMap<(String, String), u64> = BTreeMap::new();
    for t in r["transits"].as_array().unwrap() {
        let key =
            (t["zone"].as_str().unwrap().to_owned(), t["direction"].as_str().unwrap().to_owned());
        *reported.entry(key).or_default() += t["count"].as_u64().unwrap();
    }
    // 4 PLAN ships through the Miyako Strait, 3 between Yonaguni and Taiwan.
    assert_eq!(transits.get(&("gate_miyako".into(), "south-eastbound".into())), Some(&4));
    assert_eq!(reported, transits);

    // Notable events: each injected anomaly in the truth is among the engine's events. The
    // report lists every such event, and background traffic may meet the detectors'
    // definitions by chance (truth.rs says so), so the report has at least the truth's.
    for kind in ["ais_gap", "encounter", "identity_conflict"] {
        let expected: Vec<String> = truth
            .iter()
            .filter(|t| t["kind"] == kind && t["activity"] != "background")
            .map(|t| key_of(&t["entity"]))
            .collect();
        assert!(!expected.is_empty(), "the scenario injects a {kind}");
        let n = r["notable"][kind].as_u64().unwrap();
        assert!(n >= expected.len() as u64, "{kind}: {n} < {expected:?}");
        let listed: Vec<&str> = r["notable"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == kind)
            .filter_map(|i| i["target"].as_str())
            .collect();
        for e in &expected {
            assert!(listed.contains(&e.as_str()), "{kind} of {e} not listed: {listed:?}");
        }
    }

    // The marking: the encounter's AMBER / JP+TW is stricter than the GREEN events and the
    // CLEAR base, so it wins.
    assert_eq!(r["marking"]["tlp"], "AMBER", "{}", r["marking"]);
    assert_eq!(r["marking"]["releasable_to"], serde_json::json!(["JP", "TW"]));
    assert_eq!(r["marking"]["originator"], "TW");

    // The day's own figures were stored: the next day's report compares with them.
    let next = ok(&kuroshio(&[
        "report",
        "daily",
        "--store",
        store.to_str().unwrap(),
        "--date",
        "2024-10-16",
        "--format",
        "json",
        "--no-record",
    ]));
    let next: Value = serde_json::from_str(&next).unwrap();
    assert_eq!(next["figures"]["aircraft"], 0, "nothing was generated on the 16th");
    for period in next["comparison"].as_array().unwrap() {
        let node = &period["sources"][0];
        assert_eq!(node["source"], "node");
        assert_eq!(node["days"], 1, "{period}");
        assert_eq!(node["aircraft_mean"].as_f64(), Some(153.0));
        assert_eq!(node["aircraft_max"], 153);
    }

    // HTML in the three languages: translated interface, the same figures, the banner.
    let mut pages = BTreeMap::new();
    for (lang, tag, title, word) in [
        ("en", "en", "PLA activity around Taiwan", "Median-line crossings"),
        ("ja", "ja", "台湾周辺における中国軍の活動", "中間線の横断"),
        ("zh-TW", "zh-Hant-TW", "中共解放軍臺海周邊海、空域動態", "逾越海峽中線"),
    ] {
        let html = ok(&report(&store, &["--lang", lang, "--no-record"]));
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{tag}\">")), "{lang}");
        assert!(html.contains(title) && html.contains(word), "{lang}");
        assert!(html.contains("TLP:AMBER"), "{lang}: banner");
        assert!(html.contains("<svg") && html.contains("153") && html.contains("111"), "{lang}");
        // Self-contained: nothing fetched.
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "{lang}");
        if lang != "en" {
            for english in
                ["Median-line crossings", "Strait transits", "Notable events", "PLA aircraft"]
            {
                assert!(!html.contains(english), "{lang} still says {english:?}");
            }
        }
        pages.insert(lang, html);
    }
    assert!(pages["ja"].contains("南東進"), "Miyako transit in the Joint Staff Office's words");
    assert!(pages["zh-TW"].contains("往東南"));

    // PDF through Chromium when it is installed; a clear failure when it is not.
    let missing = report(
        &store,
        &[
            "--format",
            "pdf",
            "--out",
            dir.join("x.pdf").to_str().unwrap(),
            "--chromium",
            "/nonexistent/chromium",
            "--no-record",
        ],
    );
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("not found"));
    let chromium = Path::new("/usr/bin/chromium");
    if chromium.is_file() {
        let results = repo().join("web/test-results/report");
        std::fs::create_dir_all(&results).unwrap();
        for lang in ["en", "ja", "zh-TW"] {
            let pdf = results.join(format!("daily-{DATE}-{lang}.pdf"));
            ok(&report(
                &store,
                &["--lang", lang, "--format", "pdf", "--out", pdf.to_str().unwrap(), "--no-record"],
            ));
            let bytes = std::fs::read(&pdf).unwrap();
            assert!(bytes.starts_with(b"%PDF") && bytes.len() > 10_000, "{lang}");
        }
        let pdf = results.join(format!("daily-{DATE}-en.pdf"));
        let png_stem = results.join(format!("daily-{DATE}-en-page1"));
        let pdftoppm = Command::new("pdftoppm")
            .args(["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdf)
            .arg(&png_stem)
            .status();
        if !pdftoppm.is_ok_and(|s| s.success()) {
            // No poppler-utils: a screenshot of the HTML's first screen instead.
            let html = dir.join("en.html");
            std::fs::write(&html, &pages["en"]).unwrap();
            let shot = Command::new(chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--window-size=1000,1400",
                ])
                .arg(format!("--user-data-dir={}", dir.join("profile").display()))
                .arg(format!("--screenshot={}.png", png_stem.display()))
                .arg(format!("file://{}", html.display()))
                .status()
                .unwrap();
            assert!(shot.success());
        }
        let png = std::fs::read(png_stem.with_extension("png")).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    } else {
        eprintln!("report_cli: /usr/bin/chromium not installed; PDF output not exercised");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
