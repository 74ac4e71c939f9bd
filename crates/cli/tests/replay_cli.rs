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

/// Runs `kuroshio replay` with `args`: exit status, events, summary.
fn replay(args: &[&str]) -> (std::process::ExitStatus, Vec<serde_json::Value>, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_kuroshio")).arg("replay").args(args).output().unwrap();
    let events = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status, events, String::from_utf8(out.stderr).unwrap())
}

/// The summary's count of all observations and tracks, `observations N, tracks M`.
fn totals(summary: &str) -> &str {
    let line = summary.lines().find(|l| l.starts_with("observations ")).unwrap();
    line.split(", rejected").next().unwrap()
}

/// RFC 3339 text of a Unix time in seconds.
fn rfc3339(unix_s: f64) -> String {
    kuroshio_model::Timestamp::from_unix_seconds_f64(unix_s).unwrap().to_string()
}

fn time_of(event: &serde_json::Value) -> kuroshio_model::Timestamp {
    kuroshio_model::Timestamp::parse(event["time"].as_str().unwrap()).unwrap()
}

/// Asserts the same events (kind, aircraft, zone, direction) in the same order, their times
/// within `tolerance_ns`.
fn assert_same_events(a: &[serde_json::Value], b: &[serde_json::Value], tolerance_ns: i64) {
    assert_eq!(a.len(), b.len(), "{a:#?}\n{b:#?}");
    for (x, y) in a.iter().zip(b) {
        for key in ["kind", "entity", "zone", "direction"] {
            assert_eq!(x[key], y[key], "{x}\n{y}");
        }
        let dt = time_of(x).nanos_since(time_of(y)).abs();
        assert!(dt <= tolerance_ns, "{dt} ns apart:\n{x}\n{y}");
    }
}

/// Beast wire bytes of one frame given unescaped (`1a`, type, counter, signal, reply): every
/// `0x1a` after the type byte doubled.
fn escape_beast(frame: &[u8], wire: &mut Vec<u8>) {
    wire.extend_from_slice(&frame[..2]);
    for &b in &frame[2..] {
        wire.push(b);
        if b == 0x1a {
            wire.push(0x1a);
        }
    }
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// A zone around Toulouse-Blagnac, where both real recordings were made.
const TOULOUSE_ZONE: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
    "properties":{"id":"test_toulouse_north","kind":"area","status":"official",
    "source":"test area north of 43.65N","name_en":"Test area","name_ja":"試験区域",
    "name_zh_hant":"測試區"},
    "geometry":{"type":"Polygon","coordinates":[[[0.0,43.65],[2.0,43.65],[2.0,44.5],[0.0,44.5],[0.0,43.65]]]}}]}"#;

/// Beast binary without a clock option is refused with what to add, as a usage error.
#[test]
fn beast_without_a_clock_option_is_a_usage_error() {
    let dir =
        std::env::temp_dir().join(format!("kuroshio-replay-beast-opt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("feed.bin");
    // One short frame (DF11 all-call reply) with a 12 MHz counter.
    let mut wire = Vec::new();
    escape_beast(&unhex("1a32000023b1dda011210000bd6b441a"), &mut wire);
    std::fs::write(&bin, &wire).unwrap();
    let path = bin.to_str().unwrap();
    let (status, events, stderr) = replay(&[path]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(events.is_empty());
    assert!(stderr.contains("feed.bin") && stderr.contains("--beast-start"), "{stderr}");
    assert!(stderr.contains("--beast-date") && !stderr.contains("panicked"), "{stderr}");
    let (status, _, stderr) = replay(&["--beast-clock", "gps", path]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--beast-date"), "{stderr}");
    let (status, _, stderr) =
        replay(&["--beast-clock", "counter", "--beast-date", "2026-01-01", path]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--beast-start"), "{stderr}");
    let (status, _, stderr) = replay(&["--beast-start", "yesterday", path]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("RFC 3339"), "{stderr}");
    // With the option the same file replays.
    let (status, _, stderr) = replay(&["--beast-start", "2026-01-01T00:00:00Z", path]);
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("frames 1,") && stderr.contains("receiver restarts 0"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// dump1090's Beast sample replayed with --beast-start: frames timed from the start by their
/// 12 MHz counter, exactly as the same frames written as `timestamp,hex` lines with those times.
#[test]
fn dump1090_beast_sample_replays_from_its_start_time() {
    let Some(bin) = kuroshio_testdata::path("traffic-samples/dump1090/sample_dump1090.bin") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("kuroshio-replay-beast-s-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zones = dir.join("zones.geojson");
    std::fs::write(&zones, TOULOUSE_ZONE).unwrap();
    let start_s = 1_767_254_400.0; // 2026-01-01T08:00:00Z
    let (status, events, summary) = replay(&[
        "--zones",
        zones.to_str().unwrap(),
        "--beast-start",
        "2026-01-01T08:00:00Z",
        bin.to_str().unwrap(),
    ]);
    assert!(status.success(), "{summary}");
    // 239 frames in the sample (185 short, 54 long), all with a usable counter.
    assert!(summary.contains("without absolute time 0"), "{summary}");
    assert!(summary.contains("frames 239, unusable stamps 0, wraps 0, receiver restarts 0"));
    // TRA89M climbs out of Toulouse northward: its fixes at counter 445026612 (6.805 s after
    // the first frame's 363366270) and 515463006 (12.675 s) lie either side of 43.65°N.
    assert_eq!(events.len(), 1, "{events:#?}");
    let e = &events[0];
    assert_eq!(
        (e["kind"].as_str(), e["entity"]["icao24"].as_str()),
        (Some("zone_entry"), Some("48520a"))
    );
    let t = time_of(e).unix_seconds_f64() - start_s;
    assert!((6.805..12.675).contains(&t), "{t}");
    let between = e["details"]["between_fixes_s"].as_f64().unwrap();
    assert!((between - (515_463_006.0 - 445_026_612.0) / 12e6).abs() < 1e-5, "{between}");

    // The same frames as `timestamp,hex` lines, timed here from their counters.
    let bytes = std::fs::read(&bin).unwrap();
    let mut deframer = kuroshio_adsb::frame::BeastDeframer::new();
    deframer.push(&bytes);
    let mut lines = String::new();
    let mut first = None;
    while let Some(f) = deframer.next_frame() {
        let f = f.unwrap();
        let Some(kuroshio_adsb::frame::FrameTime::Mlat12MHz(c)) = f.timestamp else { panic!() };
        let c0 = *first.get_or_insert(c);
        let hex: String = f.data.iter().map(|b| format!("{b:02x}")).collect();
        lines += &format!("{:.6},{hex}\n", start_s + (c - c0) as f64 / 12e6);
    }
    let csv = dir.join("sample.csv");
    std::fs::write(&csv, lines).unwrap();
    let (status, expected, expected_summary) =
        replay(&["--zones", zones.to_str().unwrap(), csv.to_str().unwrap()]);
    assert!(status.success(), "{expected_summary}");
    assert_eq!(totals(&summary), totals(&expected_summary));
    assert!(totals(&summary).contains("tracks 2"), "{summary}");
    assert_same_events(&events, &expected, 1_000);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// rs1090's long flight (`epoch,beast-hex` lines, escapes removed) written back as Beast
/// binary, escapes added, replays in counter mode from the first line's time exactly as the
/// lines themselves do; with a receiver restart in the middle, the restart is counted and the
/// times after it continue from the last frame before it.
#[test]
fn beast_binary_replays_like_its_timestamped_lines() {
    let Some(csv) = kuroshio_testdata::path("rs1090-long-flight/long_flight.csv") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("kuroshio-replay-beast-l-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zones = dir.join("zones.geojson");
    std::fs::write(&zones, TOULOUSE_ZONE).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<(f64, Vec<u8>)> = text
        .lines()
        .map(|l| {
            let (t, hex) = l.split_once(',').unwrap();
            (t.parse().unwrap(), unhex(hex))
        })
        .collect();
    let counter = |frame: &[u8]| frame[2..8].iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
    let mut wire = Vec::new();
    for (_, frame) in &rows {
        escape_beast(frame, &mut wire);
    }
    let unescaped: usize = rows.iter().map(|(_, f)| f.len()).sum();
    assert!(wire.len() > unescaped, "some frames carry 0x1a bytes, escaped on the wire");
    let bin = dir.join("long_flight.bin");
    std::fs::write(&bin, &wire).unwrap();
    let reference = ["--reference", "43.3,1.35", "--zones", zones.to_str().unwrap()];
    let (status, expected, expected_summary) =
        replay(&[&reference[..], &[csv.to_str().unwrap()]].concat());
    assert!(status.success(), "{expected_summary}");
    assert!(expected.len() >= 2, "{expected:#?}");
    let start = rfc3339(rows[0].0);
    let (status, events, summary) =
        replay(&[&reference[..], &["--beast-start", &start, bin.to_str().unwrap()]].concat());
    assert!(status.success(), "{summary}");
    assert!(summary.contains("frames 172432, unusable stamps 0, wraps 0, receiver restarts 0"));
    assert!(summary.contains("without absolute time 0"), "{summary}");
    assert_eq!(totals(&summary), totals(&expected_summary));
    // The lines' times were taken from the same counter: within microseconds.
    assert_same_events(&events, &expected, 10_000);

    // The receiver restarts halfway: its counter starts again at 1000. The frames after are
    // timed from the last one before, so they come out early by the gap between the two.
    let mid = rows.len() / 2;
    let shift = counter(&rows[mid].1) - 1000;
    let gap_ns = ((rows[mid].0 - rows[mid - 1].0) * 1e9) as i64;
    let mut wire = Vec::new();
    for (i, (_, frame)) in rows.iter().enumerate() {
        let mut frame = frame.clone();
        if i >= mid {
            let c = counter(&frame) - shift;
            frame[2..8].copy_from_slice(&c.to_be_bytes()[2..]);
        }
        escape_beast(&frame, &mut wire);
    }
    std::fs::write(&bin, &wire).unwrap();
    let (status, restarted, summary) =
        replay(&[&reference[..], &["--beast-start", &start, bin.to_str().unwrap()]].concat());
    assert!(status.success(), "{summary}");
    assert!(summary.contains("wraps 0, receiver restarts 1"), "{summary}");
    assert_eq!(totals(&summary), totals(&expected_summary));
    assert_same_events(&restarted, &expected, gap_ns + 10_000);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stay_of_over_an_hour_is_a_zone_dwell() {
    let dir = std::env::temp_dir().join(format!("kuroshio-replay-dwell-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let t0 = 1_767_225_600;
    let ais = dir.join("dwell.nmea");
    // Ten-minute reports from one place off Taichung, inside Taiwan's 24 nm limit, for 70 min.
    let text: String =
        (0..=7u64).map(|i| ais_line(416_000_005, t0 + i * 600, 120.3, 24.25)).collect();
    std::fs::write(&ais, text).unwrap();
    let (status, events, summary) = replay(&["-q", ais.to_str().unwrap()]);
    assert!(status.success(), "{summary}");
    let dwell: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["kind"] == "zone_dwell").collect();
    assert!(dwell.iter().any(|e| e["zone"] == "taiwan_24nm"), "{dwell:#?}");
    // FIRs are left out by default: routine air traffic stays in them for hours.
    assert!(dwell.iter().all(|e| e["zone"] != "fir_taipei"), "{dwell:#?}");
    assert!(
        dwell
            .iter()
            .all(|e| e["time"] == "2026-01-01T01:00:00Z"
                && e["details"]["first_seen_inside"] == true),
        "{dwell:#?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
