//! The detectors scored against the ground truth of the shipped scenarios.
//!
//! Each shipped scenario is generated for its whole day with the background traffic thinned
//! (every activity kept, ships and aircraft fewer, so a debug build runs it in seconds), its
//! AIS, sensor-track and ADS-B (Beast, GPS time stamps) files are replayed through `kuroshio
//! replay`, and every event is
//! matched with the truth: same kind, same entity, same zone and direction where the truth
//! names them, and an event time inside the truth's window.
//!
//! Printed per kind: truth records, events, recall (truth records matched by at least one
//! event) and precision (events matched by a truth record). Precision is counted over the
//! events the truth can speak for: for line crossings and gate transits every event (the truth
//! lists them for all traffic), for the other kinds the events about the entities (and zones)
//! of injected activities of that kind (background boats may loiter or meet by chance, and
//! entering an ADIZ is everyday background: the truth lists neither).
//!
//! Bars: line crossings and gate transits must be exact (recall and precision 1: both sides
//! compute them from the same fixes and catalogue, so any difference is a bug; for ADS-B
//! aircraft the fixes are the CPR positions the engine decodes, which the generator computes
//! with the same decoder). Every injected
//! activity must be found (recall 1 for every kind). Precision of the behaviour kinds must be
//! at least 0.5: the engine reports a vessel going dark when the gap starts (from a sweep) and
//! again when it reappears, and repeats an identity conflict while it lasts, while the truth
//! holds one record per activity — so one true activity can legitimately give two events, and
//! nothing lower than that is acceptable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use kuroshio_model::Timestamp;
use serde_json::Value;

#[path = "support/scenario.rs"]
mod scenario;

fn kuroshio(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

/// The `start` of a scenario file (RFC 3339; its first ten characters are the UTC date).
fn scenario_start(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let line = text.lines().find(|l| l.trim_start().starts_with("start")).unwrap();
    let value = line.split_once('=').unwrap().1.trim().trim_matches('"').to_owned();
    assert!(value.len() >= 10 && value.ends_with('Z'), "{value}");
    value
}

/// The entity of a truth record or an event, as one comparable string.
fn entity_key(v: &Value) -> String {
    if let Some(m) = v.get("mmsi").and_then(Value::as_u64) {
        return format!("mmsi:{m}");
    }
    if let Some(a) = v.get("icao24").and_then(Value::as_str) {
        return format!("icao24:{a}");
    }
    if let Some(t) = v.get("track").or_else(|| v.get("report")).and_then(Value::as_str) {
        return format!("track:{t}");
    }
    panic!("no entity in {v}");
}

fn time(v: &Value) -> Timestamp {
    Timestamp::parse(v.as_str().unwrap()).unwrap()
}

fn matches(truth: &Value, event: &Value) -> bool {
    if truth["kind"] != event["kind"] {
        return false;
    }
    // An encounter is reported about either vessel of the pair.
    let who = entity_key(&event["entity"]);
    let partner = truth.get("partner").filter(|p| !p.is_null()).map(entity_key);
    if entity_key(&truth["entity"]) != who && partner.as_deref() != Some(who.as_str()) {
        return false;
    }
    for key in ["zone", "direction"] {
        if !truth[key].is_null() && truth[key] != event[key] {
            return false;
        }
    }
    let t = time(&event["time"]);
    t >= time(&truth["start"]) && t <= time(&truth["end"])
}

#[derive(Default)]
struct Score {
    truth: usize,
    found: usize,
    events: usize,
    true_events: usize,
}

fn score(scenario: &str, thin: u32) -> BTreeMap<String, Score> {
    let dir =
        std::env::temp_dir().join(format!("kuroshio-score-{scenario}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = scenario::thinned(scenario, thin, &dir);
    let out = dir.join("out");
    let g = kuroshio(&["generate", file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    // The Beast file carries GPS times of day: its date is the scenario's start date.
    let start = scenario_start(&file);
    let r = kuroshio(&[
        "replay",
        "-q",
        "--beast-clock",
        "gps",
        "--beast-date",
        &start[..10],
        out.join("ais.nmea").to_str().unwrap(),
        out.join("tracks.ndjson").to_str().unwrap(),
        out.join("adsb.beast").to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let parse = |bytes: &[u8]| -> Vec<Value> {
        String::from_utf8_lossy(bytes).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let truth = parse(&std::fs::read(out.join("truth.ndjson")).unwrap());
    let events = parse(&r.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    // The civil aircraft's ADS-B crossings are in the truth, to be scored exactly with the
    // rest.
    let adsb = truth.iter().filter(|t| t["entity"].get("icao24").is_some()).count();
    assert!(adsb > 0, "{scenario}: no ADS-B aircraft crossing in the truth");

    // Entities of injected activities, by kind; and the spoofers, whose jump between two
    // places crosses lines that no ship crossed (the truth leaves those out on purpose).
    let mut injected: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for t in &truth {
        if t["activity"] != "background" {
            let kind = t["kind"].as_str().unwrap().to_owned();
            let zone = t["zone"].as_str().unwrap_or("").to_owned();
            let set = injected.entry(kind).or_default();
            set.insert((entity_key(&t["entity"]), zone.clone()));
            if let Some(p) = t.get("partner").filter(|p| !p.is_null()) {
                set.insert((entity_key(p), zone));
            }
        }
    }
    let spoofers: BTreeSet<String> = injected
        .get("identity_conflict")
        .map(|set| set.iter().map(|(e, _)| e.clone()).collect())
        .unwrap_or_default();
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for t in &truth {
        let s = scores.entry(t["kind"].as_str().unwrap().to_owned()).or_default();
        s.truth += 1;
        if events.iter().any(|e| matches(t, e)) {
            s.found += 1;
        }
    }
    for e in &events {
        let kind = e["kind"].as_str().unwrap();
        let key = entity_key(&e["entity"]);
        let crossing = kind == "line_crossing" || kind == "gate_transit";
        let counted = if crossing {
            !spoofers.contains(&key)
        } else {
            let zone = e["zone"].as_str().unwrap_or("").to_owned();
            injected.get(kind).is_some_and(|set| {
                set.contains(&(key.clone(), zone.clone()))
                    || (zone.is_empty() && set.iter().any(|(k, _)| *k == key))
            })
        };
        if !counted {
            continue;
        }
        let s = scores.entry(kind.to_owned()).or_default();
        s.events += 1;
        if truth.iter().any(|t| matches(t, e)) {
            s.true_events += 1;
        }
    }
    println!(
        "{scenario} (background traffic / {thin}): {} truth records ({adsb} of ADS-B aircraft), {} \
         events",
        truth.len(),
        events.len()
    );
    println!("{:<18} {:>6} {:>6} {:>8} {:>10}", "kind", "truth", "events", "recall", "precision");
    for (kind, s) in &scores {
        println!(
            "{kind:<18} {:>6} {:>6} {:>8.3} {:>10.3}",
            s.truth,
            s.events,
            s.found as f64 / s.truth.max(1) as f64,
            s.true_events as f64 / s.events.max(1) as f64
        );
    }
    scores
}

fn check(scenario: &str, scores: &BTreeMap<String, Score>) {
    for (kind, s) in scores {
        assert_eq!(s.found, s.truth, "{scenario}: {kind} recall below 1");
        if kind == "line_crossing" || kind == "gate_transit" {
            assert_eq!(s.true_events, s.events, "{scenario}: {kind} precision below 1");
        } else if s.events > 0 {
            assert!(
                s.true_events * 2 >= s.events,
                "{scenario}: {kind} precision {}/{} below 0.5",
                s.true_events,
                s.events
            );
        }
    }
}

#[test]
fn quiet_day_detections_match_the_truth() {
    let scores = score("quiet-day.toml", 10);
    for kind in ["line_crossing", "ais_gap", "encounter", "identity_conflict"] {
        assert!(scores.get(kind).is_some_and(|s| s.truth > 0), "no {kind} in the truth");
    }
    check("quiet-day", &scores);
}

#[test]
fn pla_exercise_day_detections_match_the_truth() {
    let scores = score("pla-exercise-day.toml", 10);
    for kind in ["line_crossing", "gate_transit", "zone_entry", "zone_dwell"] {
        assert!(scores.get(kind).is_some_and(|s| s.truth > 0), "no {kind} in the truth");
    }
    check("pla-exercise-day", &scores);
}

#[test]
fn sar_exercise_detections_match_the_truth() {
    let scores = score("sar-exercise.toml", 10);
    assert!(scores.get("line_crossing").is_some_and(|s| s.truth > 0), "no line_crossing");
    check("sar-exercise", &scores);
}
