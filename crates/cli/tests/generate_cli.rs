//! `kuroshio generate`: the shipped scenarios written to disk, read back by `kuroshio decode`
//! and `kuroshio replay`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn kuroshio(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

fn scenario(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn out_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kuroshio-generate-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_ais_tracks_and_truth_that_decode() {
    let dir = out_dir("pla");
    let d = dir.to_string_lossy().into_owned();
    let out =
        kuroshio(&["generate", &scenario("pla-exercise-day.toml"), "--out", &d, "--hours", "0.5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stderr);
    for file in ["ais.nmea", "tracks.ndjson", "adsb.beast", "mnd-report.txt", "truth.ndjson"] {
        assert!(summary.contains(file), "{file} missing from the summary: {summary}");
    }

    let ais = dir.join("ais.nmea");
    assert!(std::fs::metadata(&ais).unwrap().len() > 10_000);
    let decoded = kuroshio(&["decode", &ais.to_string_lossy()]);
    assert!(decoded.status.success(), "{}", String::from_utf8_lossy(&decoded.stderr));
    let mut lines = 0;
    for line in String::from_utf8(decoded.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["station"].as_str().unwrap().starts_with("sim-"), "{line}");
        lines += 1;
    }
    assert!(lines > 1000);

    let tracks = std::fs::read_to_string(dir.join("tracks.ndjson")).unwrap();
    for line in tracks.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["time", "track", "lat", "lon", "domain", "kind"] {
            assert!(!v[key].is_null(), "{key} missing: {line}");
        }
    }
    let truth = std::fs::read_to_string(dir.join("truth.ndjson")).unwrap();
    let kinds: Vec<String> = truth
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(kinds.iter().any(|k| k == "zone_entry"), "{kinds:?}");

    // The Beast file replays with the GPS clock on the scenario's start date: every frame
    // timed, civil aircraft tracked.
    let beast = dir.join("adsb.beast");
    assert!(std::fs::metadata(&beast).unwrap().len() > 100_000);
    let r = kuroshio(&[
        "replay",
        "--beast-clock",
        "gps",
        "--beast-date",
        "2024-10-13",
        &beast.to_string_lossy(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let summary = String::from_utf8_lossy(&r.stderr);
    assert!(summary.contains("without absolute time 0"), "{summary}");
    assert!(summary.contains("unusable stamps 0"), "{summary}");

    // Half an hour of the exercise day: one reporting day, both languages.
    let report = std::fs::read_to_string(dir.join("mnd-report.txt")).unwrap();
    assert!(report.contains("== 2024-10-15: 2024-10-14 06:00 to 2024-10-15 06:00 (UTC+8) =="));
    assert!(report.contains("operating around Taiwan were detected up until 6 a.m. (UTC+8)"));
    assert!(report.contains("中共解放軍臺海周邊海、空域動態"), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_scenario_same_bytes() {
    let (a, b) = (out_dir("det-a"), out_dir("det-b"));
    for dir in [&a, &b] {
        let d = dir.to_string_lossy().into_owned();
        let out =
            kuroshio(&["generate", &scenario("quiet-day.toml"), "--out", &d, "--hours", "0.25"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for file in ["ais.nmea", "tracks.ndjson", "adsb.beast", "mnd-report.txt", "truth.ndjson"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(b.join(file)).unwrap(),
            "{file}"
        );
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn a_bad_scenario_is_an_error_naming_the_field() {
    let dir = out_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(&file, "name = \"x\"\nstart = \"2026-01-01T00:00:00Z\"\nhours = -2\nseed = 1\n")
        .unwrap();
    let d = dir.join("out").to_string_lossy().into_owned();
    let out = kuroshio(&["generate", &file.to_string_lossy(), "--out", &d]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("hours"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
