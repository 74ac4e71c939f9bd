//! `kuroshio serve --config`: a node publishes its events, sealed, into its TAXII collection;
//! its own user sees all of them, a partner's user exactly those released to that partner, and
//! a restart publishes nothing twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "support/node.rs"]
mod node;
use node::{COLLECTION, all_objects, get, kuroshio, ok, repo, start, token};

const POLICY: &str = r#"{
  "default": {"tlp": "AMBER", "releasable_to": ["JP", "US", "TW"]},
  "kinds": {
    "zone_exit": {"tlp": "GREEN", "releasable_to": ["JP", "TW"]},
    "zone_entry": {"tlp": "AMBER+STRICT", "releasable_to": ["JP"]}
  }
}"#;

/// Waits until the collection stops growing for the node's own user; every version of its
/// objects.
fn settled(addr: &str, token: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = usize::MAX;
    loop {
        std::thread::sleep(Duration::from_millis(1_500));
        let objects = all_objects(addr, "analyst", token, true);
        if objects.len() == last && last > 0 {
            return objects;
        }
        assert!(Instant::now() < deadline, "the collection did not settle");
        last = objects.len();
    }
}

#[test]
fn a_node_publishes_its_events_and_serves_each_reader_what_is_released_to_it() {
    let dir = std::env::temp_dir().join(format!("kuroshio-node-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let files = dir.join("files");
    let scenario = repo().join("scenarios/quiet-day.toml");
    ok(&kuroshio(&[
        "generate",
        scenario.to_str().unwrap(),
        "--out",
        files.to_str().unwrap(),
        "--hours",
        "1",
    ]));
    std::fs::write(dir.join("policy.json"), POLICY).unwrap();
    ok(&kuroshio(&[
        "ingest",
        "--quiet",
        "--partner",
        "JP",
        "--policy",
        dir.join("policy.json").to_str().unwrap(),
        "--store",
        dir.join("store").to_str().unwrap(),
        files.join("ais.nmea").to_str().unwrap(),
        files.join("tracks.ndjson").to_str().unwrap(),
    ]));
    ok(&kuroshio(&["key", "generate", "--out", dir.join("node.key").to_str().unwrap()]));
    let analyst = ok(&kuroshio(&["taxii", "user", "--name", "analyst"]));
    let us = ok(&kuroshio(&["taxii", "user", "--name", "us-node", "--partner", "US"]));
    let config = dir.join("node.toml");
    std::fs::write(
        &config,
        format!(
            "partner = \"JP\"\npartners = [\"JP\", \"US\", \"TW\"]\nstore = \"store\"\n\
             key = \"node.key\"\n[listen]\nlocal = \"127.0.0.1:0\"\n[taxii]\n\
             objects = \"taxii.sqlite\"\npublish_interval_s = 1\n{analyst}{us}"
        ),
    )
    .unwrap();
    let (analyst_token, us_token) = (token(&analyst), token(&us));

    let (node, addr, _) = start(&config, false);
    let (status, _) = get(&addr, "/taxii2/", "analyst", "not-the-token");
    assert_eq!(status, 401);
    let mine = settled(&addr, &analyst_token);
    let theirs = all_objects(&addr, "us-node", &us_token, false);

    // Releasability definitions by id: which of the partners' nationalities each names.
    let mut permits: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for o in &mine {
        if o["type"] == "marking-definition" {
            let text = o.to_string();
            let nations: BTreeSet<String> = ["JPN", "USA", "TWN"]
                .iter()
                .filter(|n| text.contains(&format!("\"{n}\"")))
                .map(|n| (*n).to_owned())
                .collect();
            permits.insert(o["id"].as_str().unwrap().to_owned(), nations);
        }
    }
    let released_to_us = |o: &Value| {
        o["object_marking_refs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| permits.get(r.as_str().unwrap()).is_some_and(|n| n.contains("USA")))
    };
    let sightings = |v: &[Value]| v.iter().filter(|o| o["type"] == "sighting").count();
    let mine_marked: Vec<&Value> =
        mine.iter().filter(|o| o["type"] != "marking-definition").collect();
    assert!(sightings(&mine) > 10, "{} sightings", sightings(&mine));
    // Every object is signed at origin and names the node as its creator.
    for o in &mine_marked {
        assert!(o.get("x_kuroshio_signature").is_some(), "{o}");
    }
    // A partner gets the newest version released to it of each object with one.
    let expected_us: BTreeSet<&str> = mine_marked
        .iter()
        .filter(|o| released_to_us(o))
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let got_us: BTreeSet<&str> = theirs
        .iter()
        .filter(|o| o["type"] != "marking-definition")
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(got_us, expected_us);
    let ids: BTreeSet<&str> = mine_marked.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert!(expected_us.len() < ids.len(), "something is withheld from US");
    assert!(sightings(&theirs) > 0);

    let added = taxii2_client_interop(
        &addr,
        &analyst_token,
        &dir,
        mine.iter()
            .filter(|o| o["type"] != "marking-definition")
            .map(|o| o["id"].as_str().unwrap())
            .collect(),
    );

    // A restart publishes nothing twice.
    drop(node);
    let (_node, addr, _) = start(&config, false);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(all_objects(&addr, "analyst", &analyst_token, true).len(), mine.len() + added);
    // What was created is in the audit log, whose chain holds.
    let audit = ok(&kuroshio(&[
        "query",
        "--store",
        dir.join("store").to_str().unwrap(),
        "audit",
        "--limit",
        "1000000",
    ]));
    let created = audit.lines().filter(|l| l.contains("\"action\":\"created\"")).count();
    assert_eq!(created, mine_marked.len());
    // What went to US is recorded as sent to US, object by object.
    let sent_to_us: BTreeSet<&str> = audit
        .lines()
        .filter(|l| l.contains("\"action\":\"sent\"") && l.contains("\"peer\":\"US\""))
        .filter_map(|l| l.split("\"object_id\":\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(sent_to_us, got_us);
    ok(&kuroshio(&["audit", "verify", "--store", dir.join("store").to_str().unwrap()]));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The OASIS `taxii2-client` (PyPI, in the repository's venv) against the node: discovery,
/// collections, a paged read that must list exactly the objects the node serves, an add and
/// its status. Skipped visibly without the venv, unless `KUROSHIO_REQUIRE_PEERS` is set. The
/// number of objects it added.
fn taxii2_client_interop(addr: &str, token: &str, dir: &Path, served: BTreeSet<&str>) -> usize {
    let python = repo().join(".venv/bin/python");
    let has_client = python.exists()
        && Command::new(&python)
            .args(["-c", "import taxii2client"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !has_client {
        assert!(
            std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_none(),
            "taxii2-client in {} is required (run scripts/setup-python)",
            python.display()
        );
        eprintln!("SKIPPED: taxii2-client interoperability (run scripts/setup-python)");
        return 0;
    }
    let object = serde_json::json!({
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2026-12-04T00:00:00.000Z", "modified": "2026-12-04T00:00:00.000Z",
        "name": "analyst note", "pattern_type": "stix",
        "pattern": "[ipv4-addr:value = '198.51.100.7']", "valid_from": "2026-12-04T00:00:00Z"
    });
    let file = dir.join("indicator.json");
    std::fs::write(&file, object.to_string()).unwrap();
    let script = repo().join("crates/cli/tests/support/taxii2_client_check.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(format!("http://{addr}/taxii2/"))
        .args(["analyst", token, COLLECTION])
        .arg(&file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&ok(&out).into_bytes()).unwrap();
    assert_eq!(report["api_roots"][0].as_str().map(|u| u.ends_with("/kuroshio/")), Some(true));
    assert_eq!(report["can_read"], true);
    assert_eq!(report["can_write"], true);
    let listed: Vec<&str> =
        report["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    let distinct: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(distinct.len(), listed.len(), "a page repeated an object");
    // Marking definitions are listed too; every other object the node serves, exactly once.
    let objects: BTreeSet<&str> =
        distinct.iter().copied().filter(|i| !i.starts_with("marking-definition--")).collect();
    assert_eq!(objects, served);
    assert!(report["pages"].as_u64().unwrap() > 1, "{}", report["pages"]);
    assert_eq!(report["status"], "complete");
    assert_eq!(report["success_count"], 1);
    assert_eq!(report["added_back"][0], object["id"]);
    1
}

/// The lines of a `text/event-stream` body read from `s` until `done` holds (at most 60 s).
fn read_stream(s: &mut std::net::TcpStream, done: impl Fn(&str) -> bool) -> String {
    use std::io::Read as _;
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut text = String::new();
    let mut buf = vec![0u8; 1 << 16];
    while !done(&text) {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "the stream ended: …{}", &text[text.len().saturating_sub(300)..]);
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    text
}

/// A metric's value in Prometheus text, by its full series name.
fn metric(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("{series} missing"))
        .parse()
        .unwrap()
}

/// A plain GET's body.
fn plain_get(addr: &str, path: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(
        raw.starts_with("HTTP/1.0 200") || raw.starts_with("HTTP/1.1 200"),
        "{path}: {raw:.300}"
    );
    raw.split_once("\r\n\r\n").unwrap().1.to_owned()
}

#[test]
fn the_demo_streams_what_it_stores_and_counts_its_feeds() {
    use std::io::{BufRead as _, Write as _};
    let dir = std::env::temp_dir().join(format!("kuroshio-live-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let scenario = repo().join("scenarios/quiet-day.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["demo", scenario.to_str().unwrap(), "--speed", "300", "--hours", "1"])
        .args(["--store", dir.join("store").to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("the demo ended early").unwrap();
        if let Some(rest) = line.strip_prefix("API: http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    // The rest of the demo's output is drained so that it never blocks on a full pipe.
    let drain = std::thread::spawn(move || lines.map_while(Result::ok).count());

    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(stream, "GET /api/v1/live HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    // Two updates with tracks: the first commit after the stream opened, and one more.
    let text = read_stream(&mut stream, |t| t.matches("data: {\"tracks\":[{").count() >= 2);
    let update: Value = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str::<Value>(d).unwrap())
        .find(|u| !u["tracks"].as_array().unwrap().is_empty())
        .unwrap();
    // Every streamed track's position is one the node stored, at the time the row says.
    for row in
        update["tracks"].as_array().unwrap().iter().filter(|r| r["position"].is_object()).take(5)
    {
        let target = row["target"].as_str().unwrap();
        let t = row["position_time"].as_str().unwrap();
        let hist: Value = serde_json::from_str(&plain_get(
            &addr,
            &format!("/api/v1/tracks/{target}/history?from={t}&limit=100"),
        ))
        .unwrap();
        let first = &hist["positions"][0];
        assert_eq!(first["time"], row["position_time"], "{target}");
        assert_eq!(first["lat"], row["position"]["lat"], "{target}");
        assert_eq!(first["lon"], row["position"]["lon"], "{target}");
    }

    // The feed counters moved, and agree with the store.
    let m = plain_get(&addr, "/metrics");
    let ais = "{feed=\"sim-ais\",format=\"nmea\"}";
    let received = metric(&m, &format!("kuroshio_feed_received_total{ais}"));
    let decoded = metric(&m, &format!("kuroshio_feed_decoded_total{ais}"));
    assert!(received >= decoded && decoded > 0, "{m}");
    let adsb = "{feed=\"sim-adsb\",format=\"beast\"}";
    assert!(metric(&m, &format!("kuroshio_feed_observations_total{adsb}")) > 0, "{m}");
    // Positions the pipeline says it wrote are what the store holds (it is the only writer;
    // the store's figure is read after, so it may be ahead by a commit).
    let written = metric(&m, "kuroshio_store_positions_written_total{pipeline=\"demo\"}");
    let held = metric(&m, "kuroshio_store_positions");
    assert!(written > 0 && held >= written, "{m}");
    assert_eq!(metric(&m, "kuroshio_live_clients"), 1, "{m}");
    assert!(metric(&m, "kuroshio_live_sent_total") > 0, "{m}");

    // SIGTERM stops the demo promptly even with a stream open.
    let t0 = Instant::now();
    assert!(
        Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    drain.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
