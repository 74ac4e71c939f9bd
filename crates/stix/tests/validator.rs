//! What Kuroshio emits as STIX 2.1 passes the OASIS validator (`stix2-validator`, from PyPI in
//! the repository's venv) with the repository's own schema for `x-kuroshio-track` wired in, and
//! every marking reference in it resolves to a definition in the same bundle.
//!
//! The events are one of every kind the engine writes, with and without positions, names and
//! details, for a vessel, an aircraft and a sensor track; each is mapped, marked, sealed, seen
//! through `visible` by a partner and passed by the egress guard before it is validated.
//! Without the venv the test prints a skip line, unless `KUROSHIO_REQUIRE_PEERS` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use kuroshio_detect::{Entity, Event, EventKind, GeoPoint};
use kuroshio_model::{FurtherSharing, Icao24, Marking, Mmsi, PartnerCode, Timestamp, Tlp};
use kuroshio_share::guard::{EgressGuard, GuardConfig};
use kuroshio_share::{NodeKey, Viewer, visible};
use serde_json::{Value, json};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn p(s: &str) -> PartnerCode {
    PartnerCode::parse(s).unwrap()
}

fn events() -> Vec<Event> {
    let tw = p("TW");
    let marking = Marking::new(tw, Tlp::Amber, [p("JP"), p("US")], FurtherSharing::Permitted);
    let t0 = Timestamp::parse("2024-10-14T01:02:03.456789Z").unwrap();
    let vessel = || {
        let mut e = Entity::vessel(Mmsi::new(412_345_678).unwrap());
        e.name = Some("HAIJING 2301".into());
        e.callsign = Some("BVCG".into());
        e
    };
    let aircraft = || Entity::aircraft(Icao24::new(0x7802a1).unwrap());
    let track = || Entity {
        mmsi: None,
        icao24: None,
        report: Some("sim-partner-radar:PLA-J16-03".into()),
        name: None,
        callsign: None,
    };
    let mut out = Vec::new();
    for (i, kind) in EventKind::ALL.into_iter().enumerate() {
        let entity = match i % 3 {
            0 => vessel(),
            1 => aircraft(),
            _ => track(),
        };
        let zone = (i % 2 == 0).then(|| "median_line".to_owned());
        let direction = (i % 4 == 0).then(|| "eastbound".to_owned());
        let mut e = Event::new(
            kind,
            Timestamp::from_unix_nanos(t0.unix_nanos() + i as i64 * 60_000_000_000),
            entity,
            zone,
            direction,
            marking.clone(),
        );
        if i != 4 {
            e.position =
                Some(GeoPoint { lat: 24.5 + i as f64 * 0.1, lon: 119.9 + i as f64 * 0.05 });
        }
        if i % 2 == 1 {
            e.details.insert("gap_s".into(), json!(3600 + i));
            e.details.insert("speed_knots".into(), json!(12.5));
        }
        out.push(e);
    }
    out
}

#[test]
fn emitted_bundles_pass_the_oasis_validator_and_every_marking_resolves() {
    let all = [p("JP"), p("US"), p("TW")];
    let key = NodeKey::from_secret([42; 32]);
    let guard = EgressGuard::new(&GuardConfig {
        holder: p("TW"),
        partners: all.to_vec(),
        require_signature: true,
        public_ids: kuroshio_stix::public_ids().iter().map(|s| (*s).to_owned()).collect(),
    })
    .unwrap();
    let mut objects = Vec::new();
    let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
    let mut shared = vec![kuroshio_stix::partner_identity(p("TW"), "Taiwan node", &all)];
    for e in events() {
        shared.extend(kuroshio_stix::event_objects(&e).unwrap());
    }
    for s in &shared {
        definitions.extend(s.definitions().unwrap());
        let held = s.seal(&key).unwrap();
        let view = visible(&held, p("TW"), Viewer::Partner(p("JP"))).expect("releasable to JP");
        objects.push(view);
    }
    let bundle =
        kuroshio_stix::bundle("validator-test", objects, definitions.into_values().collect());

    // The guard passes the bundle as it will be written.
    let bytes = serde_json::to_vec_pretty(&bundle).unwrap();
    guard.check_bytes(&bytes, p("JP")).unwrap();

    // Every marking reference resolves within the bundle.
    let ids: BTreeSet<&str> =
        bundle["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    for o in bundle["objects"].as_array().unwrap() {
        let mut refs: Vec<&str> = o
            .get("object_marking_refs")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|r| r.as_str().unwrap()).collect())
            .unwrap_or_default();
        if let Some(g) = o.get("granular_markings").and_then(Value::as_array) {
            refs.extend(g.iter().map(|m| m["marking_ref"].as_str().unwrap()));
        }
        for key in ["created_by_ref", "sighting_of_ref"] {
            if let Some(r) = o.get(key).and_then(Value::as_str) {
                refs.push(r);
            }
        }
        for r in refs {
            assert!(ids.contains(r), "{} refers to {r}, which the bundle lacks", o["id"]);
        }
    }

    let validator = repo_root().join(".venv/bin/stix2_validator");
    if !validator.exists() {
        assert!(
            std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_none(),
            "{} is required (KUROSHIO_REQUIRE_PEERS is set; run scripts/setup-python)",
            validator.display()
        );
        eprintln!("SKIPPED: no {} (run scripts/setup-python)", validator.display());
        return;
    }
    let dir = std::env::temp_dir().join(format!("kuroshio-stix-validator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bundle.json");
    std::fs::write(&file, &bytes).unwrap();
    let out = Command::new(&validator)
        .arg("--schemas")
        .arg(repo_root().join("schemas/stix"))
        .arg("--enforce-refs")
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stix2-validator refused the bundle:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("[+] STIX JSON: Valid"), "{text}");
    // The only warnings allowed are about name-based (v5) ids, which are deliberate.
    for line in text.lines().filter(|l| l.contains("Warning")) {
        assert!(line.contains("{103}"), "unexpected validator warning: {line}");
    }
    if std::env::var_os("KUROSHIO_KEEP_STIX").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
