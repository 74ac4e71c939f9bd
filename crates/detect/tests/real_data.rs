//! The identity and gap detectors on real recordings from the shared data sets.
//!
//! - `traffic-samples/noisy`: OpenSky trajectories that the `traffic` library ships as
//!   examples of spoofed positions and timestamp glitches (per the data set's SOURCE.md); the
//!   identity detector must flag both, and must not flag the border-patrol trajectory
//!   (`surveillance/border_control`), an ordinary low-level patrol flight.
//! - AIS recordings (`dma-aislib/stream_example.txt`, 27 s of Danish coastal traffic, and
//!   `aisdb/test_data_20211101.nm4`, about a minute of satellite traffic): far too short for the
//!   12 h default, so the gap detector runs with a 10 s threshold, and its reappearance
//!   events are compared with gaps computed directly from the decoded observations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::process::Command;

use kuroshio_ais::stream::{StreamDecoder, StreamOptions};
use kuroshio_detect::{AisGap, AisGapConfig, Event, EventPolicy, IdentityConfig, IdentityConflict};
use kuroshio_model::{
    Icao24, Kinematics, Observation, PartnerCode, Position, SourceId, TargetId, Timestamp,
};
use kuroshio_track::{Tracker, TrackerLimits};

/// The decompressed bytes of a `.json.gz` data file, through the system's `gzip` (the
/// workspace has no gzip crate); `None` (test skipped) when the file or `gzip` is missing.
fn gunzip(relative: &str) -> Option<Vec<u8>> {
    let path = kuroshio_testdata::path(relative)?;
    match Command::new("gzip").arg("-dc").arg(&path).output() {
        Ok(o) if o.status.success() => Some(o.stdout),
        _ => {
            eprintln!("skipping: cannot run gzip on {}", path.display());
            None
        }
    }
}

/// Rows of a pandas JSON export: either a list of records or `{column: {index: value}}`.
fn rows(json: &serde_json::Value) -> Vec<serde_json::Map<String, serde_json::Value>> {
    match json {
        serde_json::Value::Array(a) => a.iter().filter_map(|r| r.as_object().cloned()).collect(),
        serde_json::Value::Object(cols) => {
            let mut by_index: BTreeMap<u64, serde_json::Map<String, serde_json::Value>> =
                BTreeMap::new();
            for (col, values) in cols {
                let Some(values) = values.as_object() else { continue };
                for (i, v) in values {
                    let i: u64 = i.parse().unwrap();
                    by_index.entry(i).or_default().insert(col.clone(), v.clone());
                }
            }
            by_index.into_values().collect()
        }
        _ => Vec::new(),
    }
}

/// Aircraft observations of a traffic-samples trajectory, in file order.
fn trajectory(relative: &str) -> Option<Vec<Observation>> {
    let bytes = gunzip(relative)?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let source = SourceId::parse("opensky").unwrap();
    let mut out = Vec::new();
    for r in rows(&json) {
        let (Some(t), Some(icao), Some(lat), Some(lon)) = (
            r.get("timestamp").and_then(serde_json::Value::as_i64),
            r.get("icao24").and_then(serde_json::Value::as_str),
            r.get("latitude").and_then(serde_json::Value::as_f64),
            r.get("longitude").and_then(serde_json::Value::as_f64),
        ) else {
            continue;
        };
        let icao = Icao24::new(u32::from_str_radix(icao, 16).unwrap()).unwrap();
        let time = Timestamp::from_unix_millis(t).unwrap();
        let mut o = Observation::new(TargetId::Aircraft(icao), time, source.clone());
        o.position = Some(Position::new(lon, lat).unwrap());
        o.kinematics = Kinematics {
            speed_knots: r.get("groundspeed").and_then(serde_json::Value::as_f64),
            ..Kinematics::default()
        };
        out.push(o);
    }
    assert!(!out.is_empty(), "{relative}: no positions");
    Some(out)
}

/// Identity conflicts of a trajectory through the tracker and the detector.
fn identity_events(relative: &str) -> Option<(Vec<Event>, usize)> {
    let observations = trajectory(relative)?;
    let mut tracker = Tracker::new(TrackerLimits::default());
    let mut det = IdentityConflict::new(IdentityConfig::default());
    let tw = PartnerCode::parse("TW").unwrap();
    let mut out = Vec::new();
    for o in &observations {
        if let Ok(u) = tracker.update(o, o.time) {
            det.on_update(&u, &EventPolicy::default(), tw, &mut out);
        }
    }
    Some((out, observations.len()))
}

#[test]
fn spoofed_trajectory_is_flagged() {
    let Some((events, n)) = identity_events("traffic-samples/noisy/noisy_spoofing.json.gz") else {
        return;
    };
    eprintln!("noisy_spoofing: {n} positions, {} identity conflicts", events.len());
    assert!(!events.is_empty());
    for e in &events {
        assert_eq!(e.details["check"], "impossible_jump");
        let d = e.details["distance_nm"].as_f64().unwrap();
        assert!(d > 1.0);
        if let Some(v) = e.details["implied_speed_knots"].as_f64() {
            assert!(v > 1200.0, "{e:?}");
        }
    }
}

#[test]
fn time_glitch_trajectory_is_flagged() {
    let Some((events, n)) = identity_events("traffic-samples/noisy/noisy_time_issue.json.gz")
    else {
        return;
    };
    eprintln!("noisy_time_issue: {n} positions, {} identity conflicts", events.len());
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.details["check"] == "impossible_jump"));
}

#[test]
fn border_patrol_trajectory_is_not_flagged() {
    let Some((events, n)) = identity_events("traffic-samples/surveillance/border_control.json.gz")
    else {
        return;
    };
    eprintln!("border_control: {n} positions");
    assert!(events.is_empty(), "{events:#?}");
}

/// Observations decoded from an AIS recording, timed by the recording, sorted by time (as
/// `kuroshio replay` does).
fn ais_observations(relative: &str) -> Option<Vec<Observation>> {
    let bytes = kuroshio_testdata::read(relative)?;
    let source = SourceId::parse("test").unwrap();
    let mut dec = StreamDecoder::new(StreamOptions::default());
    let mut out = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        dec.push_line(line, |d| {
            let Some(ms) = d.meta.received_unix_ms else { return };
            let Some(t) = Timestamp::from_unix_millis(ms) else { return };
            if let Some(o) = kuroshio_ais::observation::observation(&d.message, t, &source) {
                out.push(o);
            }
        });
    }
    dec.finish();
    out.sort_by_key(|o| o.time);
    Some(out)
}

fn check_gaps(relative: &str, threshold_s: f64) {
    let Some(observations) = ais_observations(relative) else { return };
    assert!(observations.len() > 100, "{relative}: {} observations", observations.len());

    // Expected: per MMSI, the silences of at least the threshold between consecutive
    // messages, computed directly from the decoded observations.
    let mut last: BTreeMap<u32, Timestamp> = BTreeMap::new();
    let mut expected: Vec<(u32, Timestamp, i64)> = Vec::new();
    for o in &observations {
        let TargetId::Vessel(m) = &o.target else { continue };
        // Ship stations only: not 0… (coast), 111… (SAR aircraft), 97… (SART/MOB/EPIRB),
        // 99… (aids to navigation), per ITU-R M.585 Annex 1.
        let v = m.get();
        let lead = [v / 100_000_000, v / 1_000_000, v / 10_000_000];
        if lead[0] == 0 || lead[1] == 111 || lead[2] == 97 || lead[2] == 99 {
            continue;
        }
        if let Some(prev) = last.insert(m.get(), o.time) {
            let gap_ns = o.time.nanos_since(prev);
            if gap_ns as f64 >= threshold_s * 1e9 {
                expected.push((m.get(), o.time, gap_ns));
            }
        }
    }

    let mut tracker = Tracker::new(TrackerLimits::default());
    let mut det = AisGap::new(AisGapConfig { threshold_s, ..AisGapConfig::default() });
    let tw = PartnerCode::parse("TW").unwrap();
    let mut events = Vec::new();
    for o in &observations {
        if let Ok(u) = tracker.update(o, o.time) {
            det.on_update(&u, &EventPolicy::default(), tw, &mut events);
        }
    }
    let got: Vec<(u32, Timestamp, i64)> = events
        .iter()
        .map(|e| {
            let gap_ns = (e.details["gap_s"].as_f64().unwrap() * 1e9).round() as i64;
            (e.entity.mmsi.unwrap().get(), e.time, gap_ns)
        })
        .collect();
    eprintln!(
        "{relative}: {} observations, {} gaps of at least {threshold_s} s",
        observations.len(),
        got.len()
    );
    assert!(!expected.is_empty(), "{relative}: the recording has no gap this long");
    assert_eq!(got, expected);
    for e in &events {
        if let Some(d) = e.details.get("distance_nm") {
            assert!(d.as_f64().unwrap().is_finite());
        }
    }
}

#[test]
fn gaps_in_danish_coastal_traffic() {
    check_gaps("dma-aislib/stream_example.txt", 10.0);
}

#[test]
fn gaps_in_satellite_traffic() {
    check_gaps("aisdb/test_data_20211101.nm4", 10.0);
}
