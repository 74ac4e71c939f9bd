//! `kuroshio serve` end to end: a store filled by `kuroshio ingest` from a generated hour is
//! served over HTTP, and the API answers what `kuroshio query` answers from the same store —
//! the same tracks, the same events — with the partner view filtering exactly as the sharing
//! policy releases, typed JSON errors for bad requests, and a clean stop on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

fn kuroshio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One HTTP/1.1 request; the status code and the body.
fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    // Bodies here are small and sent whole; chunked framing is undone if present.
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = body;
        while let Some((len, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(len.trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.push_str(&tail[..n]);
            rest = &tail[n + 2..];
        }
        out
    } else {
        body.to_owned()
    };
    (status, body)
}

fn get(addr: &str, path: &str) -> Value {
    let (status, body) = request(addr, "GET", path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn serve(store: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["serve", "--store", store, "--listen", "127.0.0.1:0", "--partner", "TW"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    Server(child, addr)
}

const POLICY: &str = r#"{
  "default": {"tlp": "AMBER+STRICT", "releasable_to": []},
  "kinds": {"line_crossing": {"tlp": "AMBER", "releasable_to": ["JP", "US"]},
            "zone_exit": {"tlp": "GREEN", "releasable_to": ["JP"]}}
}"#;

#[test]
fn the_api_answers_what_the_store_holds() {
    let dir = std::env::temp_dir().join(format!("kuroshio-serve-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let files = dir.join("files");
    ok(&kuroshio(&[
        "generate",
        repo().join("scenarios/quiet-day.toml").to_str().unwrap(),
        "--out",
        files.to_str().unwrap(),
        "--hours",
        "1",
    ]));
    let policy = dir.join("policy.json");
    std::fs::write(&policy, POLICY).unwrap();
    let store = dir.join("store");
    let store_s = store.to_str().unwrap();
    ok(&kuroshio(&[
        "ingest",
        "--quiet",
        "--policy",
        policy.to_str().unwrap(),
        "--store",
        store_s,
        files.join("ais.nmea").to_str().unwrap(),
        files.join("tracks.ndjson").to_str().unwrap(),
    ]));
    let query = |args: &[&str]| -> Vec<Value> {
        let mut a = vec!["query", "--store", store_s];
        a.extend_from_slice(args);
        ok(&kuroshio(&a)).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let latest = query(&["latest", "--limit", "10000"]);
    let events = query(&["events", "--limit", "10000"]);
    assert!(latest.len() > 100 && events.len() > 100, "{} {}", latest.len(), events.len());

    let server = serve(store_s);
    let addr = server.1.as_str();
    let health = get(addr, "/health");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["store"]["tracks"].as_u64().unwrap() as usize, latest.len());

    let tracks = get(addr, "/api/v1/tracks?limit=10000");
    assert_eq!(tracks["tracks"].as_array().unwrap(), &latest);
    let some = latest[latest.len() / 2]["target"].as_str().unwrap().to_owned();
    let one = get(addr, &format!("/api/v1/tracks/{some}"));
    assert_eq!(one["target"], some.as_str());
    let hist = get(addr, &format!("/api/v1/tracks/{some}/history?limit=10000"));
    let want = query(&["history", &some, "--limit", "10000"]);
    assert_eq!(hist["positions"].as_array().unwrap(), &want);
    let boxed = get(addr, "/api/v1/tracks?bbox=119%2C21%2C122%2C26&limit=10000");
    let want = query(&["latest", "--bbox", "119,21,122,26", "--limit", "10000"]);
    assert_eq!(boxed["tracks"].as_array().unwrap(), &want);

    let ids = |v: &Value| -> BTreeSet<String> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = get(addr, "/api/v1/events?limit=10000");
    let stored: BTreeSet<String> =
        events.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids(&all), stored);
    // The partner view: exactly what the policy releases to each partner.
    let kinds = |v: &Value| -> BTreeSet<String> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let count = |k: &str| events.iter().filter(|e| e["kind"] == k).count();
    let jp = get(addr, "/api/v1/events?limit=10000&as=JP");
    assert_eq!(
        kinds(&jp),
        ["line_crossing", "zone_exit"].iter().map(|s| (*s).to_owned()).collect()
    );
    assert_eq!(jp["events"].as_array().unwrap().len(), count("line_crossing") + count("zone_exit"));
    let us = get(addr, "/api/v1/events?limit=10000&as=US");
    assert_eq!(us["events"].as_array().unwrap().len(), count("line_crossing"));
    let au = get(addr, "/api/v1/events?limit=10000&as=AU");
    assert!(au["events"].as_array().unwrap().is_empty());
    let crossings = get(addr, "/api/v1/events?kind=line_crossing&limit=10000");
    assert_eq!(crossings["events"].as_array().unwrap().len(), count("line_crossing"));

    let zones = get(addr, "/api/v1/zones");
    assert_eq!(zones["type"], "FeatureCollection");
    let api = get(addr, "/openapi.json");
    assert_eq!(api["openapi"], "3.1.0");

    // Bad and hostile requests get typed JSON errors, and the server keeps serving.
    for (method, path, status, code) in [
        ("GET", "/api/v1/tracks?bbox=1,2,3", 400, "bad_request"),
        ("GET", "/api/v1/tracks?limit=1000000", 400, "bad_request"),
        ("GET", "/api/v1/tracks?color=red", 400, "bad_request"),
        ("GET", "/api/v1/events?kind=teleport", 400, "bad_request"),
        ("GET", "/api/v1/events?from=2026-03-11&to=2026-03-10", 400, "bad_request"),
        ("GET", "/api/v1/events?as=x", 400, "bad_request"),
        ("GET", "/api/v1/tracks/vessel:123456789", 404, "not_found"),
        ("GET", "/api/v1/tracks/../../etc/passwd", 404, "not_found"),
        ("GET", "/nowhere", 404, "not_found"),
        ("POST", "/api/v1/events", 405, "method_not_allowed"),
        ("DELETE", "/api/v1/tracks", 405, "method_not_allowed"),
    ] {
        let (got, body) = request(addr, method, path);
        assert_eq!(got, status, "{method} {path}: {body}");
        let v: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
        assert_eq!(v["error"]["code"], code, "{path}");
    }
    let long = format!("/api/v1/tracks?bbox={}", "9".repeat(5000));
    assert_eq!(request(addr, "GET", &long).0, 400);
    assert_eq!(get(addr, "/health")["status"], "ok");

    // Prometheus metrics: the store's figures, and the answers given so far by class.
    let (status, text) = request(addr, "GET", "/metrics");
    assert_eq!(status, 200);
    let metric = |name: &str| -> u64 {
        let line =
            text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name}: {text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(metric("kuroshio_store_tracks ") as usize, latest.len());
    assert_eq!(metric("kuroshio_store_events ") as usize, events.len());
    assert!(metric("kuroshio_http_responses_total{class=\"4xx\"}") >= 12);
    assert!(metric("kuroshio_http_responses_total{class=\"2xx\"}") >= 10);
    assert_eq!(metric("kuroshio_http_responses_total{class=\"5xx\"}"), 0);

    // SIGTERM stops it cleanly.
    let mut server = server;
    let status = Command::new("kill").args(["-TERM", &server.0.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert!(server.0.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(&dir);
}
