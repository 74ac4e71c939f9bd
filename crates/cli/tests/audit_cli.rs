//! `kuroshio audit` end to end: objects imported with `kuroshio share import` are recorded in
//! the audit log; `audit verify` passes it (exit 0) and `audit head` prints its anchor; a record
//! edited directly in the SQLite file is found at its sequence number (exit 1), and so is the
//! last record removed when the anchor is given; bad arguments and unreadable stores exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn kuroshio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout(out)
}

/// A STIX 2.1 bundle of `n` indicators.
fn bundle(n: usize) -> String {
    let objects: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"type":"indicator","spec_version":"2.1",
                "id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3c{i:03x}",
                "created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",
                "name":"indicator {i}","pattern":"[ipv4-addr:value = '198.51.100.{i}']",
                "pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{}]}}"#,
        objects.join(",")
    )
}

/// Runs SQL on the store's SQLite file, with the audit table's append-only triggers dropped.
fn tamper(store: &Path, sql: &str) {
    let c = rusqlite::Connection::open(store.join("node.sqlite")).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete",
    )
    .unwrap();
    assert_eq!(c.execute(sql, []).unwrap(), 1, "{sql}");
}

#[test]
fn audit_verify_finds_an_edited_record_and_a_removed_tail() {
    let dir = std::env::temp_dir().join(format!("kuroshio-audit-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bundle.json");
    std::fs::write(&file, bundle(4)).unwrap();
    let store = dir.join("store");
    let store_s = store.to_str().unwrap();
    ok(&kuroshio(&["share", "import", "--store", store_s, file.to_str().unwrap()]));

    let verified = ok(&kuroshio(&["audit", "verify", "--store", store_s]));
    assert!(verified.starts_with("audit log intact: 4 records, head 4 "), "{verified}");
    let head = ok(&kuroshio(&["audit", "head", "--store", store_s]));
    let head = head.trim();
    let (seq, hash) = head.split_once(' ').unwrap();
    assert_eq!(seq, "4");
    assert_eq!(hash.len(), 64);
    // The head is the last record's hash as `query audit` lists it.
    let listed = ok(&kuroshio(&["query", "--store", store_s, "audit"]));
    let last: serde_json::Value = serde_json::from_str(listed.lines().last().unwrap()).unwrap();
    assert_eq!(last["action"], "imported");
    assert_eq!(last["hash"], hash);
    let anchor = format!("{seq}:{hash}");
    ok(&kuroshio(&["audit", "verify", "--store", store_s, "--expect-head", &anchor]));
    // The head's own output is accepted as the anchor too.
    ok(&kuroshio(&["audit", "verify", "--store", store_s, "--expect-head", head]));

    // The last record removed: the chain alone still holds, the anchor shows it.
    tamper(&store, "DELETE FROM audit WHERE seq = 4");
    ok(&kuroshio(&["audit", "verify", "--store", store_s]));
    let out = kuroshio(&["audit", "verify", "--store", store_s, "--expect-head", &anchor]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("record 4: missing"), "{}", stdout(&out));

    // A record's detail edited in the file: found at that record, and `head` refuses too.
    tamper(&store, r#"UPDATE audit SET detail = '{"file":"elsewhere.json"}' WHERE seq = 2"#);
    for args in
        [&["audit", "verify", "--store", store_s][..], &["audit", "head", "--store", store_s]]
    {
        let out = kuroshio(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        assert!(stdout(&out).contains("record 2: stored hash"), "{}", stdout(&out));
    }

    // Usage errors and a store that cannot be opened exit 2.
    let bad = kuroshio(&["audit", "verify", "--store", store_s, "--expect-head", "4:zz"]);
    assert_eq!(bad.status.code(), Some(2));
    let not_a_dir = dir.join("bundle.json");
    let bad = kuroshio(&["audit", "verify", "--store", not_a_dir.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
