//! `kuroshio demo` end to end: the generated scenario through the node's decoders, tracker,
//! detectors and store must leave in the store exactly what `kuroshio generate` followed by
//! `kuroshio ingest` of the written files leaves — the same positions and the same events, by
//! id — however often the demo is interrupted and resumed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn kuroshio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kuroshio-demo-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// `GET path` on the demo's API; the JSON body of a 200 answer.
fn http_get(addr: &str, path: &str) -> Value {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{}", &raw[..raw.len().min(300)]);
    serde_json::from_str(&raw[raw.find("\r\n\r\n").unwrap() + 4..]).unwrap()
}

fn scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/quiet-day.toml")
}

/// Half an hour of the quiet day: some 140,000 AIS, ADS-B and sensor-track observations.
const HOURS: &str = "0.5";

fn stats(store: &Path) -> Value {
    let out = kuroshio(&["store", "check", "--store", store.to_str().unwrap()]);
    let report: Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(report["sound"], true, "{report}");
    report["stats"].clone()
}

fn event_ids(store: &Path) -> BTreeSet<String> {
    let out =
        kuroshio(&["query", "--store", store.to_str().unwrap(), "events", "--limit", "100000"]);
    ok(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
        .collect()
}

/// What generate + ingest store for the same window.
fn reference(dir: &Path) -> (Value, BTreeSet<String>) {
    let files = dir.join("files");
    ok(&kuroshio(&[
        "generate",
        scenario().to_str().unwrap(),
        "--out",
        files.to_str().unwrap(),
        "--hours",
        HOURS,
    ]));
    let store = dir.join("ingest-store");
    ok(&kuroshio(&[
        "ingest",
        "--quiet",
        "--beast-clock",
        "gps",
        "--beast-date",
        "2026-03-10",
        "--store",
        store.to_str().unwrap(),
        files.join("ais.nmea").to_str().unwrap(),
        files.join("tracks.ndjson").to_str().unwrap(),
        files.join("adsb.beast").to_str().unwrap(),
    ]));
    (stats(&store), event_ids(&store))
}

#[test]
fn demo_stores_what_generate_and_ingest_store_and_resumes_after_ctrl_c() {
    let dir = temp("resume");
    let (want_stats, want_events) = reference(&dir);
    assert!(want_stats["positions"].as_u64().unwrap() > 100_000, "{want_stats}");
    assert!(want_events.len() > 100, "{}", want_events.len());
    let store = dir.join("demo-store");
    let store_s = store.to_str().unwrap();
    let scenario = scenario();

    // Paced at 60x, half an hour of data takes 30 s: interrupt it after its second summary.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["demo", scenario.to_str().unwrap(), "--hours", HOURS, "--store", store_s])
        .args(["--speed", "60", "--every", "0.5", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut summaries = 0;
    let mut first_lines: Vec<String> = Vec::new();
    while summaries < 2 || !first_lines.iter().any(|l: &String| l.starts_with("API: ")) {
        let line = lines.next().expect("demo ended before two summaries").unwrap();
        if line.contains("  observations ") {
            summaries += 1;
        }
        first_lines.push(line);
    }
    // The API serves the store while the demo writes to it.
    let api = first_lines.iter().find_map(|l| l.strip_prefix("API: http://")).expect("API line");
    let addr = api.split('/').next().unwrap().to_owned();
    let health = http_get(&addr, "/health");
    assert_eq!(health["status"], "ok", "{health}");
    let tracks = http_get(&addr, "/api/v1/tracks?limit=10000");
    assert!(!tracks["tracks"].as_array().unwrap().is_empty(), "{tracks}");
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}: {first_lines:?} {rest:?}");
    let text = rest.join("\n");
    assert!(text.contains("stopped at"), "{text}");
    assert!(first_lines[0].contains("quiet-day"), "{first_lines:?}");
    let partial = stats(&store);
    let partial_positions = partial["positions"].as_u64().unwrap();
    assert!(
        partial_positions > 0 && partial_positions < want_stats["positions"].as_u64().unwrap(),
        "{partial} vs {want_stats}"
    );

    // The same command, unpaced, resumes and finishes; a third run stores nothing more.
    let out = ok(&kuroshio(&[
        "demo",
        scenario.to_str().unwrap(),
        "--hours",
        HOURS,
        "--store",
        store_s,
        "--max",
        "--no-serve",
    ]));
    assert!(out.contains("resuming:"), "{out}");
    assert!(out.contains("scenario ended"), "{out}");
    assert_eq!(stats(&store), want_stats);
    assert_eq!(event_ids(&store), want_events);

    let again = ok(&kuroshio(&[
        "demo",
        scenario.to_str().unwrap(),
        "--hours",
        HOURS,
        "--store",
        store_s,
        "--max",
        "--no-serve",
    ]));
    assert!(again.contains("stored by this run: positions 0, events 0"), "{again}");
    assert_eq!(stats(&store), want_stats);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn demo_refuses_a_bad_pace() {
    let out = kuroshio(&["demo", "--speed", "0", "--store", "/nonexistent/never-created"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--speed"));
    assert!(!Path::new("/nonexistent/never-created").exists());
}
