//! The embedded store: the conformance suite, plus what only an on-disk store can show:
//! reopening, atomic batches across SQLite and the archive, the append-only audit log and its
//! hash chain (tampering with the SQLite file directly, migrating a log written before the
//! chain), the schema version, and integrity checks on a damaged file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use kuroshio_detect::{Entity, Event, EventKind};
use kuroshio_model::{
    FurtherSharing, Marking, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId,
    Timestamp, Tlp,
};
use kuroshio_store::audit_chain::{self, Verdict};
use kuroshio_store::conformance::{AuditEdit, AuditTamper};
use kuroshio_store::embedded::{ArchiveOptions, EmbeddedOptions, EmbeddedStore, Fsync};
use kuroshio_store::{
    AuditEntry, BBox, Batch, Cursor, EventQuery, PutOutcome, ROWS_MAX, Store, StoreError,
    StoredObject, TimeRange,
};

/// 2024-08-01T00:00:00Z.
const T0_S: i64 = 1_722_470_400;

fn t(s: i64) -> Timestamp {
    Timestamp::from_unix_seconds(T0_S + s).unwrap()
}

fn all_time() -> TimeRange {
    TimeRange::new(t(-1_000_000), t(10_000_000)).unwrap()
}

fn vessel(i: u32) -> TargetId {
    TargetId::Vessel(Mmsi::new(416_000_000 + i).unwrap())
}

fn marking() -> Marking {
    let tw = PartnerCode::parse("TW").unwrap();
    Marking::new(tw, Tlp::Amber, [PartnerCode::parse("JP").unwrap()], FurtherSharing::Permitted)
}

fn obs(i: u32, s: i64) -> Observation {
    let mut o = Observation::new(vessel(i), t(s), SourceId::parse("ais-test").unwrap());
    o.position = Some(Position::new(120.0 + f64::from(i) * 0.01, 23.0 + s as f64 * 1e-4).unwrap());
    o.kinematics.speed_knots = Some(10.0);
    o
}

fn event(i: u32, s: i64) -> Event {
    let TargetId::Vessel(m) = vessel(i) else { unreachable!() };
    Event::new(EventKind::AisGap, t(s), Entity::vessel(m), None, None, marking())
}

fn options() -> EmbeddedOptions {
    EmbeddedOptions {
        // Small segments so that sealing happens within the tests.
        archive: ArchiveOptions { segment_rows_max: 64, row_group_rows: 16, ..Default::default() },
        ..EmbeddedOptions::default()
    }
}

fn open(dir: &Path) -> EmbeddedStore {
    EmbeddedStore::open(dir, options()).unwrap()
}

fn side_connection(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join("node.sqlite")).unwrap()
}

fn stream_cursor(offset: u64) -> Option<Cursor<'static>> {
    Some(Cursor { stream: "feed-a", offset })
}

#[test]
fn conformance_suite() {
    let mut dirs = Vec::new();
    let mut make = || -> Box<dyn Store> {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path(), options()).unwrap();
        dirs.push(dir);
        Box::new(store)
    };
    kuroshio_store::conformance::run_all(&mut make).unwrap();
}

/// Edits `node.sqlite` behind the store's back, dropping the append-only triggers first.
struct SqliteTamper {
    db: PathBuf,
}

impl AuditTamper for SqliteTamper {
    fn edit(&mut self, seq: u64, edit: &AuditEdit) -> Result<(), String> {
        let c = rusqlite::Connection::open(&self.db).map_err(|e| e.to_string())?;
        c.execute_batch("DROP TRIGGER IF EXISTS audit_no_update").map_err(|e| e.to_string())?;
        let seq = seq as i64;
        let n = match edit {
            AuditEdit::DetailJson(j) => {
                c.execute("UPDATE audit SET detail = ?1 WHERE seq = ?2", rusqlite::params![j, seq])
            }
            AuditEdit::Actor(a) => {
                c.execute("UPDATE audit SET actor = ?1 WHERE seq = ?2", rusqlite::params![a, seq])
            }
            AuditEdit::TimeNs(t) => {
                c.execute("UPDATE audit SET time_ns = ?1 WHERE seq = ?2", rusqlite::params![t, seq])
            }
            other => return Err(format!("edit {other:?} not supported")),
        }
        .map_err(|e| e.to_string())?;
        if n == 1 { Ok(()) } else { Err(format!("{n} rows edited")) }
    }

    fn delete(&mut self, seq: u64) -> Result<(), String> {
        let c = rusqlite::Connection::open(&self.db).map_err(|e| e.to_string())?;
        c.execute_batch("DROP TRIGGER IF EXISTS audit_no_delete").map_err(|e| e.to_string())?;
        let n = c
            .execute("DELETE FROM audit WHERE seq = ?1", [seq as i64])
            .map_err(|e| e.to_string())?;
        if n == 1 { Ok(()) } else { Err(format!("{n} rows deleted")) }
    }
}

#[test]
fn audit_chain_suite() {
    let mut dirs = Vec::new();
    let mut make = || -> (Box<dyn Store>, Box<dyn AuditTamper>) {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path(), options()).unwrap();
        let tamper = SqliteTamper { db: dir.path().join("node.sqlite") };
        dirs.push(dir);
        (Box::new(store), Box::new(tamper))
    };
    kuroshio_store::conformance::run_audit_chain(&mut make).unwrap();
}

#[test]
fn audit_chain_is_computed_for_a_log_written_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    for k in 0..30 {
        let entry = AuditEntry {
            time: t(k),
            actor: "node".to_owned(),
            action: "received".to_owned(),
            object_id: Some(format!("indicator--{k}")),
            peer: (k % 2 == 0).then(|| PartnerCode::parse("US").unwrap()),
            detail: [("k".to_owned(), serde_json::json!({"v": [k, 0.5, "x"]}))].into(),
        };
        store.audit_append(&entry).unwrap();
    }
    let before = store.audit(1, 100).unwrap();
    drop(store);
    // Schema version 1: the audit table without the hash column, and no activity table.
    let side = side_connection(dir.path());
    side.execute_batch(
        "BEGIN;
         DROP TABLE activity;
         CREATE TABLE audit_v1 (seq INTEGER PRIMARY KEY NOT NULL, time_ns INTEGER NOT NULL,
             actor TEXT NOT NULL, action TEXT NOT NULL, object_id TEXT, peer TEXT,
             detail TEXT NOT NULL) STRICT;
         INSERT INTO audit_v1 SELECT seq, time_ns, actor, action, object_id, peer, detail
             FROM audit;
         DROP TABLE audit;
         ALTER TABLE audit_v1 RENAME TO audit;
         CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END;
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END;
         PRAGMA user_version = 1;
         COMMIT;",
    )
    .unwrap();
    drop(side);
    let mut store = open(dir.path());
    let after = store.audit(1, 100).unwrap();
    assert_eq!(after, before, "the migrated chain is the one computed on append");
    let head = audit_chain::Anchor { seq: 30, hash: before[29].hash };
    match audit_chain::verify(&store, Some(&head)).unwrap() {
        Verdict::Intact(h) => assert_eq!((h.count, h.head), (30, Some(head))),
        v => panic!("{v:?}"),
    }
    assert_eq!(store.audit_append(&before[0].entry).unwrap(), 31);
    assert!(matches!(audit_chain::verify(&store, None).unwrap(), Verdict::Intact(_)));
    let side = side_connection(dir.path());
    let v: i64 = side.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 3);
    // The triggers are back after the rebuild.
    let e = side.execute_batch("UPDATE audit SET actor = 'x' WHERE seq = 1").unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = side.execute_batch("DELETE FROM audit WHERE seq = 31").unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn conformance_suite_without_fsync() {
    let mut dirs = Vec::new();
    let mut make = || -> Box<dyn Store> {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(
            dir.path(),
            EmbeddedOptions { fsync: Fsync::Off, ..EmbeddedOptions::default() },
        )
        .unwrap();
        dirs.push(dir);
        Box::new(store)
    };
    kuroshio_store::conformance::run_all(&mut make).unwrap();
}

#[test]
fn reopen_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let observations: Vec<Observation> = (0..300).map(|k| obs(k % 7, i64::from(k))).collect();
    let events: Vec<Event> = (0..20).map(|k| event(k % 7, i64::from(k) * 10)).collect();
    let object = StoredObject {
        id: "indicator--0a5c7a4e-4c8e-4c3f-9f3a-3a1d1b2c3d4e".to_owned(),
        version: "2024-08-01T00:00:00.000Z".to_owned(),
        kind: "indicator".to_owned(),
        marking: marking(),
        received_from: Some(PartnerCode::parse("JP").unwrap()),
        body: r#"{"type":"indicator","spec_version":"2.1"}"#.to_owned(),
    };
    let entry = AuditEntry {
        time: t(5),
        actor: "node".to_owned(),
        action: "created".to_owned(),
        object_id: Some(object.id.clone()),
        peer: None,
        detail: [("reason".to_owned(), serde_json::json!("test"))].into_iter().collect(),
    };
    let (stats, tracks) = {
        let mut store = open(dir.path());
        for (k, chunk) in observations.chunks(50).enumerate() {
            let evs = if k == 0 { &events[..] } else { &[][..] };
            store
                .append(&Batch {
                    observations: chunk,
                    events: evs,
                    cursor: stream_cursor(50 * (k as u64 + 1)),
                })
                .unwrap();
        }
        assert_eq!(store.put_object(&object).unwrap(), PutOutcome::Stored);
        assert_eq!(store.audit_append(&entry).unwrap(), 1);
        let tracks = store
            .latest(&kuroshio_store::LatestQuery { limit: 100, ..Default::default() })
            .unwrap();
        (store.stats().unwrap(), tracks)
    };
    assert_eq!(stats.positions, 300);
    assert_eq!(stats.tracks, 7);
    assert_eq!(stats.events, 20);

    let store = open(dir.path());
    assert_eq!(store.stats().unwrap(), stats);
    assert_eq!(store.cursor("feed-a").unwrap(), Some(300));
    let again =
        store.latest(&kuroshio_store::LatestQuery { limit: 100, ..Default::default() }).unwrap();
    assert_eq!(again, tracks);
    let all = store.positions(BBox::WORLD, all_time(), ROWS_MAX).unwrap();
    assert_eq!(all.len(), 300);
    for i in 0..7 {
        let h = store.history(&vessel(i), all_time(), ROWS_MAX).unwrap();
        let want: Vec<Timestamp> =
            observations.iter().filter(|o| o.target == vessel(i)).map(|o| o.time).collect();
        assert_eq!(h.iter().map(|r| r.time).collect::<Vec<_>>(), want, "vessel {i}");
    }
    for e in &events {
        assert_eq!(store.event(&e.id).unwrap().as_ref(), Some(e));
    }
    assert_eq!(store.object(&object.id, None).unwrap(), Some(object));
    assert_eq!(store.audit(1, 10).unwrap()[0].entry, entry);
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{report:?}");
}

#[test]
fn cursor_is_committed_with_its_batch() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    assert_eq!(store.cursor("feed-a").unwrap(), None);
    store
        .append(&Batch { observations: &[obs(1, 1)], events: &[], cursor: stream_cursor(10) })
        .unwrap();
    assert_eq!(store.cursor("feed-a").unwrap(), Some(10));
    // A batch without a cursor leaves it; another stream's cursor is separate.
    store.append(&Batch { observations: &[obs(1, 2)], events: &[], cursor: None }).unwrap();
    store
        .append(&Batch {
            observations: &[obs(2, 3)],
            events: &[],
            cursor: Some(Cursor { stream: "feed-b", offset: 7 }),
        })
        .unwrap();
    assert_eq!(store.cursor("feed-a").unwrap(), Some(10));
    assert_eq!(store.cursor("feed-b").unwrap(), Some(7));
    // A refused batch moves no cursor.
    let long = "x".repeat(kuroshio_store::STREAM_NAME_LEN_MAX + 1);
    let refused = store.append(&Batch {
        observations: &[obs(1, 4)],
        events: &[],
        cursor: Some(Cursor { stream: &long, offset: 1 }),
    });
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    let refused = store.append(&Batch {
        observations: &[obs(1, 4)],
        events: &[],
        cursor: stream_cursor(u64::MAX),
    });
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(store.cursor("feed-a").unwrap(), Some(10));
    assert_eq!(store.stats().unwrap().positions, 3);
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.cursor("feed-a").unwrap(), Some(10));
    assert_eq!(store.cursor("feed-b").unwrap(), Some(7));
}

/// A batch whose SQLite transaction fails after the positions reached the staging log: the
/// events, tracks and cursor written so far in the transaction are rolled back, the archive
/// is rolled back to its previous mark, and a retry stores everything exactly once.
#[test]
fn failed_batch_leaves_nothing_visible() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let first: Vec<Observation> = (0..40).map(|k| obs(1, k)).collect();
    store.append(&Batch { observations: &first, events: &[], cursor: stream_cursor(40) }).unwrap();
    let before_stats = store.stats().unwrap();
    let before_mark = store.archive().mark();
    let before_track = store.track(&vessel(1)).unwrap();

    // The cursor write is the last statement of the transaction: make it fail, so everything
    // before it was written and must be undone.
    let side = side_connection(dir.path());
    side.execute_batch(
        "CREATE TRIGGER refuse_cursor BEFORE UPDATE ON cursors \
         BEGIN SELECT RAISE(ABORT, 'refused by test'); END;",
    )
    .unwrap();
    let second: Vec<Observation> = (40..100).map(|k| obs(1, k)).chain([obs(2, 5)]).collect();
    let events = [event(1, 50), event(2, 60)];
    let failed =
        store.append(&Batch { observations: &second, events: &events, cursor: stream_cursor(100) });
    let Err(StoreError::Backend { message, .. }) = failed else { panic!("{failed:?}") };
    assert!(message.contains("refused by test"), "{message}");

    assert_eq!(store.archive().mark(), before_mark);
    assert_eq!(store.stats().unwrap(), before_stats);
    assert_eq!(store.cursor("feed-a").unwrap(), Some(40));
    assert_eq!(store.track(&vessel(1)).unwrap(), before_track);
    assert_eq!(store.track(&vessel(2)).unwrap(), None);
    assert_eq!(store.history(&vessel(1), all_time(), ROWS_MAX).unwrap().len(), 40);
    assert!(store.history(&vessel(2), all_time(), ROWS_MAX).unwrap().is_empty());
    assert_eq!(store.event(&events[0].id).unwrap(), None);
    let q = EventQuery { limit: 10, ..Default::default() };
    assert!(store.events(&q).unwrap().is_empty());

    // A lock held elsewhere fails the batch the same way (at BEGIN).
    side.execute_batch("DROP TRIGGER refuse_cursor; BEGIN IMMEDIATE;").unwrap();
    let mut short_wait = options();
    short_wait.busy_timeout_ms = 20;
    drop(store);
    let mut store = EmbeddedStore::open(dir.path(), short_wait).unwrap();
    let failed =
        store.append(&Batch { observations: &second, events: &events, cursor: stream_cursor(100) });
    assert!(matches!(failed, Err(StoreError::Backend { .. })), "{failed:?}");
    assert_eq!(store.stats().unwrap(), before_stats);
    side.execute_batch("COMMIT;").unwrap();

    // The retry stores the batch once.
    let receipt = store
        .append(&Batch { observations: &second, events: &events, cursor: stream_cursor(100) })
        .unwrap();
    assert_eq!(receipt.positions, 61);
    assert_eq!(receipt.events, 2);
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.history(&vessel(1), all_time(), ROWS_MAX).unwrap().len(), 100);
    assert_eq!(store.history(&vessel(2), all_time(), ROWS_MAX).unwrap().len(), 1);
    assert_eq!(store.track(&vessel(1)).unwrap().unwrap().observations, 100);
    assert_eq!(store.cursor("feed-a").unwrap(), Some(100));
    assert_eq!(store.stats().unwrap().events, 2);
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{report:?}");
}

#[test]
fn audit_log_refuses_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    for k in 0..3 {
        let entry = AuditEntry {
            time: t(k),
            actor: "node".to_owned(),
            action: "sent".to_owned(),
            object_id: None,
            peer: Some(PartnerCode::parse("JP").unwrap()),
            detail: Default::default(),
        };
        assert_eq!(store.audit_append(&entry).unwrap(), k as u64 + 1);
    }
    let side = side_connection(dir.path());
    for statement in [
        "UPDATE audit SET actor = 'someone' WHERE seq = 2",
        "DELETE FROM audit WHERE seq = 3",
        "DELETE FROM audit",
        // Out of sequence: a gap, and a reused number.
        "INSERT INTO audit (seq, time_ns, actor, action, detail) VALUES (9, 0, 'x', 'y', '{}')",
        "INSERT OR REPLACE INTO audit (seq, time_ns, actor, action, detail) \
         VALUES (2, 0, 'x', 'y', '{}')",
    ] {
        let e = side.execute_batch(statement).unwrap_err();
        assert!(e.to_string().contains("audit log"), "{statement}: {e}");
    }
    let log = store.audit(1, 10).unwrap();
    assert_eq!(log.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(log.iter().all(|r| r.entry.actor == "node"));
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn schema_version_is_recorded_and_a_newer_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    let side = side_connection(dir.path());
    let v: i64 = side.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 3);
    let mode: String = side.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    // Reopening an up-to-date file changes nothing.
    drop(open(dir.path()));
    side.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(side);
    let refused = EmbeddedStore::open(dir.path(), options());
    assert!(matches!(refused, Err(StoreError::Corrupt(_))), "{refused:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn check_finds_a_damaged_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = open(dir.path());
        let events: Vec<Event> = (0..2_000).map(|k| event(k % 50, i64::from(k))).collect();
        for chunk in events.chunks(500) {
            store.append(&Batch { observations: &[], events: chunk, cursor: None }).unwrap();
        }
        assert!(store.check().unwrap().is_sound());
    }
    // Closing the last connection checkpoints the WAL into the main file.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), copy.path());
    let file = copy.path().join("node.sqlite");
    let mut bytes = std::fs::read(&file).unwrap();
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let pages = bytes.len() / page_size;
    assert!(pages > 20, "{pages} pages");
    // Damage the b-tree page headers of the later pages (event rows and their indexes); the
    // first pages (schema, meta, cursors) stay readable so the store still opens.
    for page in (pages / 2..pages).step_by(3) {
        for b in &mut bytes[page * page_size..page * page_size + 12] {
            *b ^= 0xA5;
        }
    }
    std::fs::write(&file, &bytes).unwrap();
    let damaged = EmbeddedStore::open(copy.path(), options()).unwrap();
    let report = damaged.check().unwrap();
    assert!(!report.is_sound(), "{report:?}");
    assert!(report.problems.iter().any(|p| p.starts_with("sqlite")), "{report:?}");
    // The original is untouched.
    assert!(open(dir.path()).check().unwrap().is_sound());
}

#[test]
fn retain_drops_old_events_and_positions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    // Two UTC days of positions and events, one per hour.
    let observations: Vec<Observation> = (0..48).map(|h| obs(1, h * 3_600)).collect();
    let events: Vec<Event> = (0..48).map(|h| event(1, h * 3_600)).collect();
    store.append(&Batch { observations: &observations, events: &events, cursor: None }).unwrap();
    let report = store.retain(t(86_400)).unwrap();
    assert_eq!(report.events, 24);
    assert_eq!(report.positions, 24);
    let left = store.events(&EventQuery { limit: 100, ..Default::default() }).unwrap();
    assert_eq!(left.len(), 24);
    assert!(left.iter().all(|e| e.time >= t(86_400)));
    let h = store.history(&vessel(1), all_time(), ROWS_MAX).unwrap();
    assert_eq!(h.len(), 24);
    // The latest picture is kept.
    assert_eq!(store.track(&vessel(1)).unwrap().unwrap().observations, 48);
}

fn files_with_extension(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_with_extension(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn check_finds_a_damaged_parquet_file() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = open(dir.path());
        let observations: Vec<Observation> = (0..300).map(|k| obs(k % 7, i64::from(k))).collect();
        for chunk in observations.chunks(50) {
            store.append(&Batch { observations: chunk, events: &[], cursor: None }).unwrap();
        }
        let report = store.check().unwrap();
        assert!(report.is_sound(), "{report:?}");
        assert!(report.checked.iter().any(|c| c.starts_with("positions:")), "{report:?}");
    }
    let copy = tempfile::tempdir().unwrap();
    copy_dir(dir.path(), copy.path());
    let mut parquet = Vec::new();
    files_with_extension(&copy.path().join("positions"), "parquet", &mut parquet);
    assert!(!parquet.is_empty(), "no sealed file");
    // A torn copy: the file loses its tail (the footer).
    let bytes = std::fs::read(&parquet[0]).unwrap();
    std::fs::write(&parquet[0], &bytes[..bytes.len() / 2]).unwrap();
    // The store still opens (the damaged day stays unreadable) and check() names the file.
    let damaged = EmbeddedStore::open(copy.path(), options()).unwrap();
    let report = damaged.check().unwrap();
    let name = parquet[0].file_name().unwrap().to_str().unwrap();
    assert!(
        report.problems.iter().any(|p| p.starts_with("positions:") && p.contains(name)),
        "{report:?}"
    );
}
