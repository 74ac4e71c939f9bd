//! Three federated nodes (JP, US, TW) on loopback, each with its own Ed25519 key, its own TLS
//! CA and mutual TLS between them, publish events with mixed releasability and pull each
//! other's collections. After sync every node holds exactly what it is entitled to: its own
//! objects and, from each partner, what that partner's server releases to it; nothing twice.
//! One node is killed while the others pull from it and restarted; the result still holds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "support/node.rs"]
mod node;
use node::{all_objects, kuroshio, node_identity, ok, repo, start, token};

const NODES: [(&str, &str); 3] =
    [("JP", "quiet-day"), ("US", "sar-exercise"), ("TW", "pla-exercise-day")];

/// Each node's marking policy: most events to everyone, some to one partner or to none.
fn policy(me: &str) -> String {
    let other = if me == "JP" { "US" } else { "JP" };
    format!(
        r#"{{"default": {{"tlp": "AMBER", "releasable_to": ["JP", "US", "TW"]}},
  "kinds": {{
    "zone_exit": {{"tlp": "GREEN", "releasable_to": ["{me}", "{other}"]}},
    "zone_entry": {{"tlp": "AMBER+STRICT", "releasable_to": ["{me}"]}},
    "ais_gap": {{"tlp": "AMBER", "releasable_to": ["{me}", "{other}"]}}
  }}}}"#
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `(id, version)` of every object a node's own user sees that is not a marking definition,
/// with the identity of its creator.
fn held(addr: &str, user: &str, token: &str) -> Vec<(String, String, String)> {
    all_objects(addr, user, token, true)
        .iter()
        .filter(|o| o["type"] != "marking-definition")
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or_default().to_owned();
            (
                s("id"),
                if o["modified"].is_string() { s("modified") } else { s("created") },
                s("created_by_ref"),
            )
        })
        .collect()
}

struct Setup {
    config: PathBuf,
    /// Tokens by user name.
    tokens: BTreeMap<String, String>,
}

#[test]
fn three_nodes_hold_exactly_what_they_are_entitled_to_after_sync() {
    let dir = std::env::temp_dir().join(format!("kuroshio-federation-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ports: BTreeMap<&str, u16> = NODES.iter().map(|(p, _)| (*p, free_port())).collect();
    let mut public: BTreeMap<&str, String> = BTreeMap::new();
    for (me, scenario) in NODES {
        let d = dir.join(me);
        std::fs::create_dir_all(&d).unwrap();
        let files = d.join("files");
        let scenario = repo().join(format!("scenarios/{scenario}.toml"));
        ok(&kuroshio(&[
            "generate",
            scenario.to_str().unwrap(),
            "--out",
            files.to_str().unwrap(),
            "--hours",
            "1",
        ]));
        std::fs::write(d.join("policy.json"), policy(me)).unwrap();
        ok(&kuroshio(&[
            "ingest",
            "--quiet",
            "--partner",
            me,
            "--policy",
            d.join("policy.json").to_str().unwrap(),
            "--store",
            d.join("store").to_str().unwrap(),
            files.join("ais.nmea").to_str().unwrap(),
            files.join("tracks.ndjson").to_str().unwrap(),
        ]));
        public.insert(me, node_identity(&d, me));
    }
    let mut setups: BTreeMap<&str, Setup> = BTreeMap::new();
    for (me, _) in NODES {
        let d = dir.join(me);
        let mut tokens = BTreeMap::new();
        let mut users = String::new();
        let analyst = ok(&kuroshio(&["taxii", "user", "--name", "analyst"]));
        tokens.insert("analyst".to_owned(), token(&analyst));
        users.push_str(&analyst);
        let mut peers = String::new();
        let mut keys = String::new();
        for (other, _) in NODES.iter().filter(|(o, _)| *o != me) {
            // A Basic user acting for the partner: its view is what the partner is entitled to.
            let name = format!("as-{other}");
            let u = ok(&kuroshio(&["taxii", "user", "--name", &name, "--partner", other]));
            tokens.insert(name, token(&u));
            users.push_str(&u);
            peers.push_str(&format!(
                "[[peers]]\npartner = \"{other}\"\nurl = \"https://127.0.0.1:{}\"\n\
                 ca = \"../{other}/tls/ca.pem\"\npull_interval_s = 1\n",
                ports[other]
            ));
            keys.push_str(&format!("{other} = \"{}\"\n", public[other]));
        }
        let config = d.join("node.toml");
        std::fs::write(
            &config,
            format!(
                "partner = \"{me}\"\npartners = [\"JP\", \"US\", \"TW\"]\nstore = \"store\"\n\
                 key = \"node.key\"\n[listen]\nlocal = \"127.0.0.1:0\"\n\
                 partners = \"127.0.0.1:{}\"\n[tls]\nca = \"tls/ca.pem\"\ncert = \"tls/node.pem\"\n\
                 key = \"tls/node.key\"\n[taxii]\nobjects = \"taxii.sqlite\"\n\
                 publish_interval_s = 1\n{users}[public_keys]\n{keys}{peers}",
                ports[me]
            ),
        )
        .unwrap();
        setups.insert(me, Setup { config, tokens });
    }

    let mut running = BTreeMap::new();
    for (me, _) in NODES {
        let (child, local, _) = start(&setups[me].config, true);
        running.insert(me, (child, local));
    }
    // TW is killed while the others pull from it, and comes back on the same files.
    std::thread::sleep(Duration::from_millis(2_500));
    running.remove("TW");
    std::thread::sleep(Duration::from_secs(2));
    let (child, local, _) = start(&setups["TW"].config, true);
    running.insert("TW", (child, local));

    // Sync is over when every node has published its own objects (its identity is there: a
    // node publishes its events in one pass, with its identity) and no node's holdings change
    // for a while. On a loaded machine a node's first pass can take longer than the quiet
    // period, so quiet alone is not enough.
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut last: BTreeMap<&str, usize> = BTreeMap::new();
    let mut quiet = 0;
    let mut published = false;
    while quiet < 3 || !published {
        assert!(Instant::now() < deadline, "the federation did not settle: {last:?}");
        std::thread::sleep(Duration::from_secs(2));
        let mut now: BTreeMap<&str, usize> = BTreeMap::new();
        published = true;
        for (me, _) in NODES {
            let addr = &running[me].1;
            let objects = all_objects(addr, "analyst", &setups[me].tokens["analyst"], true);
            published &= objects.iter().any(|o| {
                o["type"] == "identity" && o["name"].as_str().is_some_and(|n| n.starts_with(me))
            });
            now.insert(me, objects.iter().filter(|o| o["type"] != "marking-definition").count());
        }
        quiet = if now == last { quiet + 1 } else { 0 };
        last = now;
    }

    let identity = |p: &str| {
        // The creator identity of a node's own objects: that of its published identity object.
        let addr = &running[p].1;
        let own = all_objects(addr, "analyst", &setups[p].tokens["analyst"], true);
        own.iter()
            .find(|o| {
                o["type"] == "identity" && o["name"].as_str().is_some_and(|n| n.starts_with(p))
            })
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let ids: BTreeMap<&str, String> = NODES.iter().map(|(p, _)| (*p, identity(p))).collect();
    for (me, _) in NODES {
        let addr = &running[me].1;
        let mine = held(addr, "analyst", &setups[me].tokens["analyst"]);
        let set: BTreeSet<(String, String)> =
            mine.iter().map(|(i, v, _)| (i.clone(), v.clone())).collect();
        assert_eq!(set.len(), mine.len(), "{me} holds an object version twice");
        let mut expected: BTreeSet<(String, String)> = mine
            .iter()
            .filter(|(_, _, by)| *by == ids[me])
            .map(|(i, v, _)| (i.clone(), v.clone()))
            .collect();
        let own = expected.len();
        let mut from_others = 0;
        for (other, _) in NODES.iter().filter(|(o, _)| *o != me) {
            let there = &running[other].1;
            let as_me = format!("as-{me}");
            let released = held(there, &as_me, &setups[other].tokens[&as_me]);
            let total = held(there, "analyst", &setups[other].tokens["analyst"])
                .iter()
                .filter(|(_, _, by)| *by == ids[other])
                .count();
            let theirs: Vec<(String, String)> = released
                .into_iter()
                .filter(|(_, _, by)| *by == ids[*other])
                .map(|(i, v, _)| (i, v))
                .collect();
            // Mixed releasability: the partner keeps some of its objects from this node.
            assert!(
                !theirs.is_empty() && theirs.len() < total,
                "{other} to {me}: {} of {total}",
                theirs.len()
            );
            from_others += theirs.len();
            expected.extend(theirs);
        }
        assert!(own > 0 && from_others > 0);
        assert_eq!(set, expected, "{me} holds other than it is entitled to");
    }
    // Pulls are audited at the receiving node, and the audit chains hold.
    for (me, _) in NODES {
        let store = dir.join(me).join("store");
        let audit = ok(&kuroshio(&[
            "query",
            "--store",
            store.to_str().unwrap(),
            "audit",
            "--limit",
            "1000000",
        ]));
        assert!(audit.lines().any(|l| l.contains("\"action\":\"received\"")), "{me}");
    }
    drop(running);
    for (me, _) in NODES {
        let store = dir.join(me).join("store");
        ok(&kuroshio(&["audit", "verify", "--store", store.to_str().unwrap()]));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
