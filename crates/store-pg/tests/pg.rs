//! `PgStore` against a real PostgreSQL + PostGIS server: the store conformance suite, then the
//! behaviour particular to PostgreSQL (day partitions, retention by dropping them, the
//! append-only audit trigger, the audit hash chain under tampering, concurrent appends and
//! migration, duplicate events, failed batches, migrations, check()).
//!
//! The server comes from `KUROSHIO_TEST_PG_URL` or is a throwaway cluster started by
//! `scripts/pg-cluster` (see `support/cluster.rs`). Everything runs in one test so the
//! throwaway cluster is started once and stopped at the end; every case uses a schema of its
//! own (`PgStore::connect_schema`), dropped afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cluster.rs"]
mod cluster;

use std::cell::RefCell;
use std::collections::BTreeMap;

use kuroshio_detect::{Entity, Event, EventKind};
use kuroshio_model::{
    Marking, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId, Timestamp,
};
use kuroshio_store::audit_chain::{self, Verdict};
use kuroshio_store::conformance::{AuditEdit, AuditTamper};
use kuroshio_store::{
    AuditEntry, BBox, Batch, EventQuery, Store, StoreError, TimeRange, conformance,
};
use kuroshio_store_pg::{PgOptions, PgStore, PositionLoad};

/// 2024-08-01T00:00:00Z (date -u -d 2024-08-01 +%s).
const T0_S: i64 = 1_722_470_400;
const DAY_S: i64 = 86_400;

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_unix_seconds(T0_S + seconds).unwrap()
}

fn vessel(i: u32) -> TargetId {
    TargetId::Vessel(Mmsi::new(416_000_000 + i).unwrap())
}

fn obs(target: &TargetId, at_s: i64, lon: f64, lat: f64) -> Observation {
    let mut o = Observation::new(target.clone(), t(at_s), SourceId::parse("ais-test").unwrap());
    o.position = Some(Position::new(lon, lat).unwrap());
    o.kinematics.speed_knots = Some(10.0);
    o
}

fn event(at_s: i64, target: u32, zone: &str) -> Event {
    let marking = Marking::originator_only(PartnerCode::parse("TW").unwrap());
    Event::new(
        EventKind::ZoneEntry,
        t(at_s),
        Entity::vessel(Mmsi::new(416_000_000 + target).unwrap()),
        Some(zone.to_owned()),
        None,
        marking,
    )
}

/// Fresh schemas on one server, dropped when this goes away.
struct Schemas {
    url: String,
    made: RefCell<Vec<String>>,
}

impl Schemas {
    fn fresh(&self, options: PgOptions) -> PgStore {
        let name = format!("t{}_{}", std::process::id(), self.made.borrow().len());
        self.made.borrow_mut().push(name.clone());
        PgStore::connect_with(&self.url, PgOptions { schema: name, ..options })
            .unwrap_or_else(|e| panic!("connecting to a fresh schema: {e}"))
    }

    fn store(&self) -> PgStore {
        self.fresh(PgOptions::default())
    }

    /// A plain client on the same database, for what the store API does not do.
    fn sql(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
            for s in self.made.borrow().iter() {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{s}\" CASCADE"));
            }
        }
    }
}

/// Edits a store's audit table over a connection of its own, with the append-only trigger
/// disabled first (as the table's owner can).
struct PgTamper {
    client: postgres::Client,
    schema: String,
}

impl PgTamper {
    fn run(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<(), String> {
        self.client
            .batch_execute(&format!(
                "ALTER TABLE {}.audit DISABLE TRIGGER audit_append_only",
                self.schema
            ))
            .map_err(|e| e.to_string())?;
        let n = self.client.execute(sql, params).map_err(|e| e.to_string())?;
        if n == 1 { Ok(()) } else { Err(format!("{n} rows changed by {sql}")) }
    }
}

impl AuditTamper for PgTamper {
    fn edit(&mut self, seq: u64, edit: &AuditEdit) -> Result<(), String> {
        let seq = seq as i64;
        let schema = self.schema.clone();
        match edit {
            AuditEdit::DetailJson(j) => self.run(
                &format!("UPDATE {schema}.audit SET detail = $1::text::json WHERE seq = $2"),
                &[j, &seq],
            ),
            AuditEdit::Actor(a) => self
                .run(&format!("UPDATE {schema}.audit SET actor = $1 WHERE seq = $2"), &[a, &seq]),
            AuditEdit::TimeNs(t) => self
                .run(&format!("UPDATE {schema}.audit SET time_ns = $1 WHERE seq = $2"), &[t, &seq]),
            other => Err(format!("edit {other:?} not supported")),
        }
    }

    fn delete(&mut self, seq: u64) -> Result<(), String> {
        let schema = self.schema.clone();
        self.run(&format!("DELETE FROM {schema}.audit WHERE seq = $1"), &[&(seq as i64)])
    }
}

fn entry(k: i64) -> AuditEntry {
    AuditEntry {
        time: t(k),
        actor: format!("writer-{}", k % 3),
        action: "sent".to_owned(),
        object_id: Some(format!("sighting--{k}")),
        peer: Some(PartnerCode::parse("JP").unwrap()),
        detail: BTreeMap::from([("k".to_owned(), serde_json::json!({"v": [k, -0.5]}))]),
    }
}

fn audit_chain_suite(s: &Schemas) {
    let mut make = || -> (Box<dyn Store>, Box<dyn AuditTamper>) {
        let store = s.store();
        let tamper = PgTamper { client: s.sql(), schema: store.schema().to_owned() };
        (Box::new(store), Box::new(tamper))
    };
    conformance::run_audit_chain(&mut make).unwrap();
}

/// Several connections appending at once still make one chain without gaps.
fn audit_chain_under_concurrent_appends(s: &Schemas) {
    let store = s.store();
    let schema = store.schema().to_owned();
    let writers = 4;
    let per_writer = 25;
    std::thread::scope(|scope| {
        for w in 0..writers {
            let url = s.url.clone();
            let schema = schema.clone();
            scope.spawn(move || {
                let mut mine = PgStore::connect_schema(&url, &schema).unwrap();
                for k in 0..per_writer {
                    mine.audit_append(&entry(w * 1_000 + k)).unwrap();
                }
            });
        }
    });
    match audit_chain::verify(&store, None).unwrap() {
        Verdict::Intact(h) => assert_eq!(h.count, (writers * per_writer) as u64),
        v => panic!("{v:?}"),
    }
}

/// A log written before the hash column existed gets the chain computed on connect, equal to
/// the one computed on append.
fn audit_chain_migrates_an_old_log(s: &Schemas) {
    let mut store = s.store();
    for k in 0..30 {
        store.audit_append(&entry(k)).unwrap();
    }
    let before = store.audit(1, 100).unwrap();
    let schema = store.schema().to_owned();
    drop(store);
    let mut c = s.sql();
    c.batch_execute(&format!(
        "ALTER TABLE {schema}.audit DROP COLUMN hash;
         DROP TABLE {schema}.activity;
         UPDATE {schema}.meta SET value = '1' WHERE key = 'schema_version';"
    ))
    .unwrap();
    let mut again = PgStore::connect_schema(&s.url, &schema).unwrap();
    assert_eq!(again.audit(1, 100).unwrap(), before);
    let head = audit_chain::Anchor { seq: 30, hash: before[29].hash };
    assert!(matches!(audit_chain::verify(&again, Some(&head)).unwrap(), Verdict::Intact(_)));
    assert_eq!(again.audit_append(&entry(99)).unwrap(), 31);
    assert!(matches!(audit_chain::verify(&again, Some(&head)).unwrap(), Verdict::Intact(_)));
    // The trigger is back on and the column required.
    assert!(again.execute_sql("UPDATE audit SET actor = 'x'").is_err());
    let nullable: String = c
        .query_one(
            "SELECT is_nullable FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name = 'audit' AND column_name = 'hash'",
            &[&schema],
        )
        .unwrap()
        .get(0);
    assert_eq!(nullable, "NO");
    assert!(again.check().unwrap().is_sound());
}

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

/// One case: a name and what it checks.
type Case = (&'static str, fn(&Schemas));

#[test]
fn pg_store() {
    let Some(cluster) = cluster::Cluster::get() else { return };
    let schemas = Schemas { url: cluster.url.clone(), made: RefCell::new(Vec::new()) };
    let cases: &[Case] = &[
        ("conformance, direct COPY", |s| {
            let mut make = || Box::new(s.store()) as Box<dyn Store>;
            conformance::run_all(&mut make).unwrap();
        }),
        ("conformance, staged COPY", |s| {
            let mut make = || {
                let o = PgOptions { position_load: PositionLoad::Staged, ..PgOptions::default() };
                Box::new(s.fresh(o)) as Box<dyn Store>
            };
            conformance::run_all(&mut make).unwrap();
        }),
        ("partitions are created per day", partitions_per_day),
        ("retain drops whole days and trims the boundary day", retain_drops_partitions),
        ("the audit log refuses UPDATE, DELETE and TRUNCATE", audit_is_append_only),
        ("the audit hash chain finds tampering", audit_chain_suite),
        ("concurrent audit appends make one chain", audit_chain_under_concurrent_appends),
        ("the audit chain is computed for an old log", audit_chain_migrates_an_old_log),
        ("duplicate events are counted", duplicate_events_counted),
        ("a failed batch leaves nothing behind", failed_batch_rolls_back),
        ("migrations are idempotent and data survives reconnecting", reconnect_keeps_data),
        ("check() finds broken invariants", check_finds_problems),
    ];
    for (name, case) in cases {
        eprintln!("case: {name}");
        case(&schemas);
    }
}

fn partitions_per_day(s: &Schemas) {
    let mut store = s.store();
    let v = vessel(1);
    // Three UTC days, the first batch touching two of them, out of order.
    let batch1 = [obs(&v, DAY_S + 10, 121.0, 25.0), obs(&v, 100, 121.0, 25.0)];
    let batch2 = [obs(&v, 2 * DAY_S + 5, 121.0, 25.0), obs(&v, DAY_S - 1, 121.0, 25.0)];
    store.append(&Batch { observations: &batch1, ..Batch::default() }).unwrap();
    store.append(&Batch { observations: &batch2, ..Batch::default() }).unwrap();
    assert_eq!(
        store.partitions().unwrap(),
        ["positions_d20240801", "positions_d20240802", "positions_d20240803"]
    );
    let mut c = s.sql();
    let schema = store.schema().to_owned();
    let children = count(
        &mut c,
        &format!(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = '{schema}.positions'::regclass"
        ),
    );
    assert_eq!(children, 3);
    // Rows land in the partition of their day.
    let per_day: Vec<i64> = ["20240801", "20240802", "20240803"]
        .iter()
        .map(|d| count(&mut c, &format!("SELECT count(*) FROM {schema}.positions_d{d}")))
        .collect();
    assert_eq!(per_day, [2, 1, 1]);
    // The generated geography is the point written.
    let lon: f64 = c
        .query_one(&format!("SELECT ST_X(geog::geometry) FROM {schema}.positions LIMIT 1"), &[])
        .unwrap()
        .get(0);
    assert_eq!(lon, 121.0);
    assert!(store.check().unwrap().is_sound());
}

fn retain_drops_partitions(s: &Schemas) {
    let mut store = s.store();
    let v = vessel(2);
    let rows: Vec<Observation> = (0..4)
        .flat_map(|d| (0..4).map(move |h| (d, h)))
        .map(|(d, h)| obs(&v, d * DAY_S + h * 3_600, 121.0, 25.0))
        .collect();
    let events: Vec<Event> = (0..4).map(|d| event(d * DAY_S + 60, 2, "roc_adiz")).collect();
    store.append(&Batch { observations: &rows, events: &events, cursor: None }).unwrap();
    assert_eq!(store.partitions().unwrap().len(), 4);
    // Before 02:00 on the third day: two whole days dropped, two rows of the third deleted.
    let report = store.retain(t(2 * DAY_S + 2 * 3_600)).unwrap();
    assert_eq!((report.positions, report.events), (10, 3));
    assert_eq!(store.partitions().unwrap(), ["positions_d20240803", "positions_d20240804"]);
    let left = store.history(&v, TimeRange::new(t(0), t(5 * DAY_S)).unwrap(), 100).unwrap();
    assert_eq!(left.len(), 6);
    assert_eq!(left[0].time, t(2 * DAY_S + 2 * 3_600));
    assert!(store.check().unwrap().is_sound());
    // A dropped day comes back as a new partition when written to again.
    store.append(&Batch { observations: &[obs(&v, 30, 121.0, 25.0)], ..Batch::default() }).unwrap();
    assert_eq!(store.partitions().unwrap().len(), 3);
    assert_eq!(store.stats().unwrap().positions, 7);
}

fn audit_is_append_only(s: &Schemas) {
    let mut store = s.store();
    let entry = AuditEntry {
        time: t(1),
        actor: "node".to_owned(),
        action: "created".to_owned(),
        object_id: Some("indicator--1".to_owned()),
        peer: None,
        detail: BTreeMap::new(),
    };
    assert_eq!(store.audit_append(&entry).unwrap(), 1);
    let schema = store.schema().to_owned();
    let mut c = s.sql();
    for sql in [
        format!("UPDATE {schema}.audit SET actor = 'someone'"),
        format!("DELETE FROM {schema}.audit"),
        format!("TRUNCATE {schema}.audit"),
    ] {
        let e = c.batch_execute(&sql).expect_err(&sql);
        let msg = e.as_db_error().map(|d| d.message().to_owned()).unwrap_or_default();
        assert!(msg.contains("append-only"), "{sql}: {e}");
    }
    // Through the store's own connection too.
    let refused = store.execute_sql("UPDATE audit SET action = 'x'");
    assert!(matches!(refused, Err(StoreError::Backend { .. })), "{refused:?}");
    let all = store.audit(1, 10).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].entry, entry);
    assert_eq!(store.audit_append(&entry).unwrap(), 2);
}

fn duplicate_events_counted(s: &Schemas) {
    let mut store = s.store();
    let a = event(10, 1, "roc_adiz");
    let b = event(20, 1, "median_line");
    let r = store
        .append(&Batch { events: &[a.clone(), a.clone(), b.clone()], ..Batch::default() })
        .unwrap();
    assert_eq!((r.events, r.duplicate_events), (2, 1));
    let r = store
        .append(&Batch { events: &[b.clone(), event(30, 1, "x")], ..Batch::default() })
        .unwrap();
    assert_eq!((r.events, r.duplicate_events), (1, 1));
    assert_eq!(store.stats().unwrap().events, 3);
    let got = store.events(&EventQuery { limit: 10, ..EventQuery::default() }).unwrap();
    assert_eq!(
        got.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        [a.id, b.id, event(30, 1, "x").id]
    );
}

fn failed_batch_rolls_back(s: &Schemas) {
    let mut store = s.store();
    // A constraint the store does not know makes the last statement of a batch fail.
    store
        .execute_sql("ALTER TABLE cursors ADD CONSTRAINT no_poison CHECK (stream <> 'poison')")
        .unwrap();
    let v = vessel(3);
    let rows = [obs(&v, 5 * DAY_S, 121.0, 25.0)];
    let poisoned = Batch {
        observations: &rows,
        events: &[event(5 * DAY_S, 3, "roc_adiz")],
        cursor: Some(kuroshio_store::Cursor { stream: "poison", offset: 1 }),
    };
    let e = store.append(&poisoned).unwrap_err();
    assert!(matches!(e, StoreError::Backend { backend: "postgres", .. }), "{e}");
    assert_eq!(store.stats().unwrap(), Default::default());
    assert!(store.partitions().unwrap().is_empty());
    assert!(store.track(&v).unwrap().is_none());
    // The same day again: its partition must be created anew.
    let ok =
        Batch { cursor: Some(kuroshio_store::Cursor { stream: "feed", offset: 1 }), ..poisoned };
    let r = store.append(&ok).unwrap();
    assert_eq!((r.positions, r.events), (1, 1));
    assert_eq!(store.partitions().unwrap(), ["positions_d20240806"]);
    assert_eq!(store.cursor("feed").unwrap(), Some(1));
}

fn reconnect_keeps_data(s: &Schemas) {
    let mut store = s.store();
    let schema = store.schema().to_owned();
    let v = vessel(4);
    store.append(&Batch { observations: &[obs(&v, 0, 121.0, 25.0)], ..Batch::default() }).unwrap();
    drop(store);
    let mut again = PgStore::connect_schema(&s.url, &schema).unwrap();
    let mut c = s.sql();
    let version: String = c
        .query_one(&format!("SELECT value FROM {schema}.meta WHERE key = 'schema_version'"), &[])
        .unwrap()
        .get(0);
    assert_eq!(version, "3");
    assert_eq!(again.stats().unwrap().positions, 1);
    // The reopened connection knows the day's partition exists.
    again.append(&Batch { observations: &[obs(&v, 60, 121.0, 25.0)], ..Batch::default() }).unwrap();
    let r = again.positions(BBox::WORLD, TimeRange::new(t(0), t(DAY_S)).unwrap(), 10).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(again.track(&v).unwrap().unwrap().observations, 2);
    // Bad names are refused before anything is created.
    assert!(matches!(
        PgStore::connect_schema(&s.url, "Robert'); DROP"),
        Err(StoreError::Invalid(_))
    ));
}

fn check_finds_problems(s: &Schemas) {
    let mut store = s.store();
    let v = vessel(5);
    store.append(&Batch { observations: &[obs(&v, 0, 121.0, 25.0)], ..Batch::default() }).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{report:?}");
    assert!(report.checked.iter().any(|c| c.starts_with("amcheck")), "{report:?}");
    store.execute_sql("DELETE FROM tracks").unwrap();
    let report = store.check().unwrap();
    assert!(
        report.problems.iter().any(|p| p.starts_with("positions without a track")),
        "{report:?}"
    );
}
