//! `kuroshio serve --config`: a node publishes its events, sealed, into its TAXII collection;
//! its own user sees all of them, a partner's user exactly those released to that partner, and
//! a restart publishes nothing twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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

const POLICY: &str = r#"{
  "default": {"tlp": "AMBER", "releasable_to": ["JP", "US", "TW"]},
  "kinds": {
    "zone_exit": {"tlp": "GREEN", "releasable_to": ["JP", "TW"]},
    "zone_entry": {"tlp": "AMBER+STRICT", "releasable_to": ["JP"]}
  }
}"#;

const COLLECTION: &str = "ee3f94c5-796c-4c5b-b0fc-a5cc7fed9294";

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(char::from(A[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A GET with HTTP Basic; the status and the body.
fn get(addr: &str, path: &str, user: &str, token: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    let auth = base64(format!("{user}:{token}").as_bytes());
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/taxii+json;version=2.1\r\n\
         Authorization: Basic {auth}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Every object of the events collection as `user` sees it: the newest version of each it may
/// see, or with `versions` every version.
fn all_objects(addr: &str, user: &str, token: &str, versions: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut path = format!("/kuroshio/collections/{COLLECTION}/objects/?limit=1000");
        if versions {
            path.push_str("&match[version]=all");
        }
        if let Some(n) = &next {
            path.push_str(&format!("&next={n}"));
        }
        let (status, page) = get(addr, &path, user, token);
        assert_eq!(status, 200, "{page}");
        out.extend(page["objects"].as_array().cloned().unwrap_or_default());
        if page["more"].as_bool() != Some(true) {
            return out;
        }
        next = Some(page["next"].as_str().unwrap().to_owned());
    }
}

fn token(user_lines: &str) -> String {
    user_lines.lines().next().unwrap().rsplit(' ').next().unwrap().to_owned()
}

struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(config: &Path) -> (Node, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["serve", "--config", config.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).unwrap().split(' ').next().unwrap().to_owned();
    (Node(child), addr)
}

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

    let (node, addr) = start(&config);
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

    // A restart publishes nothing twice.
    drop(node);
    let (_node, addr) = start(&config);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(all_objects(&addr, "analyst", &analyst_token, true).len(), mine.len());
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
    ok(&kuroshio(&["audit", "verify", "--store", dir.join("store").to_str().unwrap()]));
    let _ = std::fs::remove_dir_all(&dir);
}
