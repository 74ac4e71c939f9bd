//! `kuroshio key` and `kuroshio share` end to end: events detected in a generated hour and
//! stored under a marking policy go to each partner as a signed STIX bundle holding exactly the
//! events released to it; the receiving side's check passes it for that partner, refuses it
//! for another, and refuses it once a byte of a signed field changes; the OASIS validator
//! accepts it; and the audit log lists every object sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
  "default": {"tlp": "AMBER+STRICT", "releasable_to": []},
  "kinds": {
    "line_crossing": {"tlp": "AMBER", "releasable_to": ["JP", "US"]},
    "gate_transit": {"tlp": "AMBER", "releasable_to": ["JP", "US"]},
    "zone_exit": {"tlp": "GREEN", "releasable_to": ["JP"]}
  }
}"#;

fn count_by_kind(store: &str) -> BTreeMap<String, usize> {
    let out = ok(&kuroshio(&["query", "--store", store, "events", "--limit", "100000"]));
    let mut m = BTreeMap::new();
    for l in out.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        *m.entry(v["kind"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    m
}

fn sightings_by_kind(bundle: &Path) -> BTreeMap<String, usize> {
    let v: Value = serde_json::from_slice(&std::fs::read(bundle).unwrap()).unwrap();
    let mut m = BTreeMap::new();
    for o in v["objects"].as_array().unwrap() {
        if o["type"] == "sighting" {
            let ext = o["extensions"]["extension-definition--9b1e4d7c-3a2f-4e8b-8c6d-4f7a0e2b1c35"]
                ["kind"]
                .as_str()
                .unwrap()
                .to_owned();
            *m.entry(ext).or_default() += 1;
        }
    }
    m
}

#[test]
fn events_go_to_each_partner_as_released_signed_and_audited() {
    let dir = std::env::temp_dir().join(format!("kuroshio-share-cli-{}", std::process::id()));
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
    let policy = dir.join("policy.json");
    std::fs::write(&policy, POLICY).unwrap();
    let store = dir.join("store");
    let store_s = store.to_str().unwrap();
    ok(&kuroshio(&[
        "ingest",
        "--quiet",
        "--partner",
        "TW",
        "--policy",
        policy.to_str().unwrap(),
        "--store",
        store_s,
        files.join("ais.nmea").to_str().unwrap(),
        files.join("tracks.ndjson").to_str().unwrap(),
    ]));
    let stored = count_by_kind(store_s);
    let n = |k: &str| stored.get(k).copied().unwrap_or(0);
    assert!(n("line_crossing") > 0 && n("zone_exit") > 0 && n("zone_entry") > 0, "{stored:?}");

    let key = dir.join("tw.key");
    let public = ok(&kuroshio(&["key", "generate", "--out", key.to_str().unwrap()]));
    let public = public.trim();
    assert_eq!(public.len(), 64);
    assert_eq!(ok(&kuroshio(&["key", "public", "--key", key.to_str().unwrap()])).trim(), public);
    // A key is never overwritten.
    assert!(!kuroshio(&["key", "generate", "--out", key.to_str().unwrap()]).status.success());

    let mut sent_total = 0;
    for (to, kinds) in [
        ("JP", vec!["line_crossing", "gate_transit", "zone_exit"]),
        ("US", vec!["line_crossing", "gate_transit"]),
        ("AU", vec![]),
    ] {
        let bundle = dir.join(format!("to-{to}.json"));
        ok(&kuroshio(&[
            "share",
            "export",
            "--store",
            store_s,
            "--key",
            key.to_str().unwrap(),
            "--partner",
            "TW",
            "--partners",
            "JP,US,TW,AU",
            "--to",
            to,
            "--out",
            bundle.to_str().unwrap(),
        ]));
        let got = sightings_by_kind(&bundle);
        let want: BTreeMap<String, usize> =
            kinds.iter().filter(|k| n(k) > 0).map(|k| ((*k).to_owned(), n(k))).collect();
        assert_eq!(got, want, "to {to}");
        let v: Value = serde_json::from_slice(&std::fs::read(&bundle).unwrap()).unwrap();
        sent_total += v["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o.get("x_kuroshio_signature").is_some())
            .count();

        let key_arg = format!("TW={public}");
        let check = |for_partner: &str, file: &Path| {
            kuroshio(&[
                "share",
                "check",
                "--partner",
                "TW",
                "--partners",
                "JP,US,TW,AU",
                "--to",
                for_partner,
                "--public-key",
                &key_arg,
                file.to_str().unwrap(),
            ])
        };
        ok(&check(to, &bundle));
        if to == "JP" {
            // JP's bundle holds zone exits US may not see: the guard refuses it for US.
            let refused = check("US", &bundle);
            assert_eq!(refused.status.code(), Some(1));
            assert!(String::from_utf8_lossy(&refused.stdout).contains("guard: refused"));
            // A changed signed field is caught.
            let text = std::fs::read_to_string(&bundle).unwrap();
            let tampered = text.replacen("\"count\": 1", "\"count\": 2", 1);
            assert_ne!(tampered, text);
            let file = dir.join("tampered.json");
            std::fs::write(&file, tampered).unwrap();
            let out = check("JP", &file);
            assert_eq!(out.status.code(), Some(1));
            assert!(String::from_utf8_lossy(&out.stdout).contains("signatures: "));

            let validator = repo().join(".venv/bin/stix2_validator");
            if validator.exists() {
                let out = Command::new(&validator)
                    .arg("--schemas")
                    .arg(repo().join("schemas/stix"))
                    .arg("--enforce-refs")
                    .arg(&bundle)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
            } else {
                assert!(
                    std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_none(),
                    "{} is required (KUROSHIO_REQUIRE_PEERS is set)",
                    validator.display()
                );
                eprintln!("SKIPPED: no {}", validator.display());
            }
        }
    }
    // Every object sent is in the audit log, once.
    let audit = ok(&kuroshio(&["query", "--store", store_s, "audit", "--limit", "100000"]));
    let sent = audit.lines().filter(|l| l.contains("\"action\":\"sent\"")).count();
    assert_eq!(sent, sent_total);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn public_stix_imports_once_and_answers_queries() {
    let Some(apt1) = kuroshio_testdata::path("stix21-oasis-examples/apt1.json") else { return };
    let Some(attack) =
        kuroshio_testdata::path("attack-china-nexus/attack-v18.1-china-nexus-subset.stix20.json")
    else {
        return;
    };
    let negative =
        kuroshio_testdata::path("stix21-examples/NEGATIVE-interop-objectmarking-test.json")
            .unwrap();
    let dir = std::env::temp_dir().join(format!("kuroshio-share-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = dir.join("store");
    let store_s = store.to_str().unwrap();
    let run = || {
        kuroshio(&[
            "share",
            "import",
            "--store",
            store_s,
            "--tlp",
            "GREEN",
            "--releasable-to",
            "JP,US",
            apt1.to_str().unwrap(),
            attack.to_str().unwrap(),
            negative.to_str().unwrap(),
        ])
    };
    let first = run();
    let text = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(first.status.success(), "{text}");
    let objects = |p: &Path| -> usize {
        let v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        v["objects"].as_array().unwrap().len()
    };
    let (n_apt1, n_attack) = (objects(&apt1), objects(&attack));
    assert!(
        text.contains(&format!("{n_apt1} objects stored, 0 already held, 0 upgraded")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{n_attack} objects stored, 0 already held, {n_attack} upgraded")),
        "{text}"
    );
    assert!(
        text.contains("0 objects stored, 0 already held, 0 upgraded from STIX 2.0, 1 refused"),
        "{text}"
    );
    let again = run();
    let text = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(text.contains(&format!("0 objects stored, {n_attack} already held")), "{text}");
    // APT1 (G0006) as ATT&CK describes it, upgraded and marked by the importer.
    let out = ok(&kuroshio(&[
        "query",
        "--store",
        store_s,
        "object",
        "intrusion-set--6a2e693f-24e5-451a-9f88-b36a108e5662",
    ]));
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let body = &v["body"];
    assert_eq!(body["name"], "APT1");
    assert_eq!(body["spec_version"], "2.1");
    assert_eq!(v["marking"]["tlp"], "GREEN");
    let audit = ok(&kuroshio(&["query", "--store", store_s, "audit", "--limit", "100000"]));
    let imported = audit.lines().filter(|l| l.contains("\"action\":\"imported\"")).count();
    assert_eq!(imported, n_apt1 + n_attack);
    let _ = std::fs::remove_dir_all(&dir);
}
