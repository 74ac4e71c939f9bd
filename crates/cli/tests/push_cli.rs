//! `kuroshio taxii push`: node JP pushes objects it sealed to node US over mutual TLS. US stores
//! what is released to it and refuses what is not; the command says so and exits 1 on a
//! refusal; a second push stores nothing twice; without a peer entry it fails before sending.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use kuroshio_share::{NodeKey, SharedObject};
use serde_json::{Value, json};

#[path = "support/node.rs"]
mod node;
use node::{all_objects, kuroshio, ok, start, token};

fn p(s: &str) -> PartnerCode {
    PartnerCode::parse(s).unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn read_key(path: &Path) -> NodeKey {
    let hex = std::fs::read_to_string(path).unwrap();
    let hex = hex.trim();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    NodeKey::from_secret(bytes.try_into().unwrap())
}

/// A sighting sealed by `key` (partner JP), releasable to `to`; its definitions and the object.
fn sealed(key: &NodeKey, n: u32, to: &[&str]) -> (Vec<Value>, Value) {
    let body = json!({"type": "sighting", "spec_version": "2.1",
        "id": format!("sighting--00000000-0000-4000-8000-{n:012}"),
        "created": "2026-12-01T00:00:00.000Z", "modified": "2026-12-01T00:00:00.000Z",
        "sighting_of_ref": "indicator--00000000-0000-4000-8000-000000000001", "count": 1});
    let s = SharedObject {
        body: body.as_object().unwrap().clone(),
        marking: Marking::new(
            p("JP"),
            Tlp::Green,
            to.iter().map(|c| p(c)),
            FurtherSharing::Permitted,
        ),
        granular: vec![],
    };
    let defs = s.definitions().unwrap().into_values().collect();
    (defs, Value::Object(s.seal(key).unwrap().wire))
}

fn ids(objects: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = objects
        .iter()
        .filter(|o| o["type"] == "sighting")
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_node_pushes_sealed_objects_to_a_partner_over_mutual_tls() {
    let dir = std::env::temp_dir().join(format!("kuroshio-push-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ports = [("JP", free_port()), ("US", free_port())];
    let mut public = Vec::new();
    for (me, _) in ports {
        let d = dir.join(me);
        std::fs::create_dir_all(&d).unwrap();
        public.push(node::node_identity(&d, me));
    }
    let analyst = ok(&kuroshio(&["taxii", "user", "--name", "analyst"]));
    for (i, (me, port)) in ports.iter().enumerate() {
        let (other, other_port) = ports[1 - i];
        std::fs::write(
            dir.join(me).join("node.toml"),
            format!(
                "partner = \"{me}\"\npartners = [\"JP\", \"US\"]\nstore = \"store\"\n\
                 key = \"node.key\"\n[listen]\nlocal = \"127.0.0.1:0\"\n\
                 partners = \"127.0.0.1:{port}\"\n[tls]\nca = \"tls/ca.pem\"\n\
                 cert = \"tls/node.pem\"\nkey = \"tls/node.key\"\n[taxii]\n\
                 objects = \"taxii.sqlite\"\npublish_interval_s = 3600\n{analyst}\
                 [public_keys]\n{other} = \"{}\"\n[[peers]]\npartner = \"{other}\"\n\
                 url = \"https://127.0.0.1:{other_port}\"\nca = \"../{other}/tls/ca.pem\"\n\
                 pull_interval_s = 3600\n",
                public[1 - i]
            ),
        )
        .unwrap();
    }
    // Only US runs: it receives.
    let (_us, us_local, _) = start(&dir.join("US/node.toml"), true);
    let analyst_token = token(&analyst);
    let jp = read_key(&dir.join("JP/node.key"));
    let (mut defs, to_us) = sealed(&jp, 1, &["JP", "US"]);
    let (more_defs, jp_only) = sealed(&jp, 2, &["JP"]);
    defs.extend(more_defs);
    let config = dir.join("JP/node.toml");
    let push = |file: &Path| {
        kuroshio(
            &["taxii", "push", "--config", config.to_str().unwrap(), "--to", "US"]
                .into_iter()
                .chain([file.to_str().unwrap()])
                .collect::<Vec<_>>(),
        )
    };

    // A bundle of what US may have: all stored, exit 0.
    let first = dir.join("first.json");
    let mut objects = defs.clone();
    objects.push(to_us.clone());
    std::fs::write(&first, json!({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000001", "objects": objects}).to_string()).unwrap();
    let out = ok(&push(&first));
    assert!(out.contains(" 0 refused"), "{out}");
    let held = all_objects(&us_local, "analyst", &analyst_token, false);
    assert_eq!(ids(&held), ids(std::slice::from_ref(&to_us)));

    // With an object not released to US: that one is refused and named, the rest already held.
    let second = dir.join("second.json");
    let mut objects = defs.clone();
    objects.extend([to_us.clone(), jp_only.clone()]);
    std::fs::write(&second, Value::Array(objects).to_string()).unwrap();
    let out = push(&second);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains(" 1 refused") && stdout.contains(" already held"), "{stdout}");
    assert!(stderr.contains(jp_only["id"].as_str().unwrap()), "{stderr}");
    let held = all_objects(&us_local, "analyst", &analyst_token, true);
    assert_eq!(ids(&held), ids(&[to_us]), "stored twice, or stored what was refused");

    // A partner that is not a peer: nothing is sent.
    let out = kuroshio(&[
        "taxii",
        "push",
        "--config",
        config.to_str().unwrap(),
        "--to",
        "TW",
        first.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one of"));
    let _ = std::fs::remove_dir_all(&dir);
}
