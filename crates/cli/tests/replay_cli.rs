//! `kuroshio replay`: inputs of different kinds merged in time order, events out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use kuroshio_ais::encode;
use kuroshio_ais::message::{AisMessage, PositionReport};
use kuroshio_nmea::writer::{SentenceOptions, TagBlockOut, write_sentences};

/// One AIS position report of `mmsi` at (lon, lat), received at `t` (tag block `c:`).
fn ais_line(mmsi: u32, t: u64, lon: f64, lat: f64) -> String {
    let msg = AisMessage::PositionReport(PositionReport {
        msg_type: 1,
        repeat: 0,
        mmsi,
        nav_status: 0,
        rot_ais: None,
        speed_knots_x10: Some(120),
        accuracy: true,
        lon_min_x10000: Some((lon * 600_000.0).round() as i32),
        lat_min_x10000: Some((lat * 600_000.0).round() as i32),
        course_deg_x10: Some(900),
        heading_deg: Some(90),
        utc_second: Some(0),
        maneuver: 0,
        spare: 0,
        raim: false,
        radio: 0,
        radio_len_bits: 19,
    });
    let e = encode(&msg).unwrap();
    let opts = SentenceOptions {
        tag_block: Some(TagBlockOut {
            source: Some("test".into()),
            unix_time_s: Some(t),
            group_id: None,
        }),
        ..SentenceOptions::default()
    };
    let mut out = String::new();
    write_sentences(&e.payload, e.fill_bits, &opts, &mut out).unwrap();
    out
}

#[test]
fn merges_inputs_in_time_order_and_reports_crossings() {
    let dir = std::env::temp_dir().join(format!("kuroshio-replay-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A vessel crosses the median line (at 24°N it lies at 119°E) eastward between t=1000 and
    // t=1600; an aircraft in an SBS recording crosses it westward between t=1200 and t=1260.
    let t0 = 1_767_225_600; // 2026-01-01T00:00:00Z
    let ais = dir.join("ais.nmea");
    std::fs::write(
        &ais,
        ais_line(413_000_001, t0 + 1000, 118.5, 24.0)
            + &ais_line(413_000_001, t0 + 1600, 119.5, 24.0),
    )
    .unwrap();
    let sbs = dir.join("air.csv");
    std::fs::write(
        &sbs,
        "MSG,3,1,1,789252,1,2026/01/01,00:20:00.000,2026/01/01,00:20:00.000,,28000,,,24.2,119.6,,,0,0,0,0\n\
         MSG,3,1,1,789252,1,2026/01/01,00:21:00.000,2026/01/01,00:21:00.000,,28000,,,24.2,118.9,,,0,0,0,0\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["replay", "--partner", "JP", ais.to_str().unwrap(), sbs.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let events: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let crossings: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["kind"] == "line_crossing").collect();
    assert_eq!(crossings.len(), 2, "{events:#?}");
    // The aircraft crosses between 00:20 and 00:21; the vessel's fixes are at 00:16:40 and
    // 00:26:40 and it crosses halfway, at 00:21:40: the aircraft's event comes first.
    assert_eq!(crossings[0]["entity"]["icao24"], "789252");
    assert_eq!(crossings[0]["direction"], "westward");
    assert_eq!(crossings[1]["entity"]["mmsi"], 413_000_001);
    assert_eq!(crossings[1]["direction"], "eastward");
    assert_eq!(crossings[1]["time"], "2026-01-01T00:21:40Z");
    assert_eq!(crossings[1]["zone"], "tw_strait_median_line");
    for e in &events {
        assert_eq!(e["marking"]["originator"], "JP");
        assert_eq!(e["id"].as_str().unwrap().len(), 32);
    }
    // The same inputs give the same events, ids included.
    let again = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["replay", "-q", "--partner", "JP", ais.to_str().unwrap(), sbs.to_str().unwrap()])
        .output()
        .unwrap();
    let first: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let second: Vec<String> = String::from_utf8(again.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(first, second);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Detector thresholds come from a settings file: with the 6-hour "watch" gap threshold, a
/// vessel silent for 7 hours is reported twice — still dark once the threshold has passed, and
/// again when it reappears; with the default 12 hours it is not reported.
#[test]
fn detector_settings_change_what_is_reported() {
    let dir = std::env::temp_dir().join(format!("kuroshio-replay-gap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t0 = 1_767_225_600;
    let ais = dir.join("gap.nmea");
    std::fs::write(
        &ais,
        ais_line(416_000_002, t0, 121.0, 21.0) + &ais_line(416_000_002, t0 + 7 * 3600, 121.1, 21.0),
    )
    .unwrap();
    let settings = dir.join("detectors.json");
    std::fs::write(&settings, r#"{"ais_gap": {"threshold_s": 21600}}"#).unwrap();
    let gaps = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["replay", "-q"];
        args.extend_from_slice(extra);
        args.push(ais.to_str().unwrap());
        let out = Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(&args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|e| e["kind"] == "ais_gap")
            .collect()
    };
    assert!(gaps(&[]).is_empty());
    let events = gaps(&["--detectors", settings.to_str().unwrap()]);
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(events[0]["details"]["still_dark"], true);
    // Dark from the last message plus the threshold: 2026-01-01T06:00:00Z.
    assert_eq!(events[0]["time"], "2026-01-01T06:00:00Z");
    assert_eq!(events[1]["details"]["gap_s"], 25_200.0);
    std::fs::remove_dir_all(&dir).unwrap();
}
