//! The SQLite schema of the embedded store and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`: 0 in a new file, then the number of
//! migrations applied. [`migrate`] applies the missing ones on open, each in its own
//! transaction together with the version bump, so a crash mid-migration leaves the previous
//! version intact. A file whose version is newer than this build knows is refused rather than
//! written by code that does not understand it.
//!
//! Tables:
//! - `meta(key, value)`: store-wide facts; `archive_mark` is the archive's staging-log mark
//!   committed with the last batch (JSON of `LogMark`).
//! - `cursors(stream, offset)`: input stream positions committed with their batches.
//! - `tracks`: the latest picture, one row per target key (clustered on it: `WITHOUT ROWID`,
//!   since every batch reads and rewrites rows by key); every optional field has a
//!   `*_time_ns` column with the time of the observation it came from (see `track.rs`).
//! - `events(id PRIMARY KEY, kind, time_ns, zone, target_key, json)`: the event record as
//!   JSON plus the columns `EventQuery` filters on, each indexed with time for ordering.
//! - `objects(id, version, kind, marking, received_from, body)`, keyed by `(id, version)`.
//! - `audit(seq, time_ns, actor, action, object_id, peer, detail, hash)`: append-only;
//!   triggers refuse UPDATE and DELETE and any insert that is not the next sequence number.
//!   `hash` is the record's 32-byte chain hash (see [`crate::audit_chain`]); version 2 added
//!   it, computing the chain over the records already stored.
//! - `activity(source, document, from_ns, to_ns, hulls, payload, raw)`: activity records
//!   (version 3), keyed by `(source, document)`; `hulls` and `payload` are JSON text.

use rusqlite::{Connection, Transaction};

use crate::audit_chain::{GENESIS_HASH, chain_hash};

/// One step of a migration.
enum Step {
    /// SQL statements.
    Sql(&'static str),
    /// Work SQL alone cannot do (hashing), on the migration's transaction.
    Code(fn(&Transaction<'_>) -> Result<(), MigrateError>),
}

/// Migrations in order; migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&[Step]] = &[
    &[Step::Sql(VERSION_1)],
    &[Step::Sql(VERSION_2_CREATE), Step::Code(copy_audit_with_hashes), Step::Sql(VERSION_2_SWAP)],
    &[Step::Sql(VERSION_3)],
];

/// Version 3: activity records (official daily reports and releases, the node's own daily
/// figures), keyed by source and document, with the hull numbers they name as a JSON array.
const VERSION_3: &str = r#"
CREATE TABLE activity (
    source   TEXT NOT NULL,
    document TEXT NOT NULL,
    from_ns  INTEGER NOT NULL,
    to_ns    INTEGER NOT NULL CHECK (to_ns >= from_ns),
    hulls    TEXT NOT NULL,
    payload  TEXT NOT NULL,
    raw      TEXT NOT NULL,
    PRIMARY KEY (source, document)
) STRICT;
CREATE INDEX activity_window ON activity (from_ns, source, document);
"#;

/// Version 1: every table.
const VERSION_1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE cursors (
    stream TEXT PRIMARY KEY NOT NULL,
    offset INTEGER NOT NULL CHECK (offset >= 0)
) STRICT;

CREATE TABLE tracks (
    target_key                TEXT PRIMARY KEY NOT NULL,
    first_seen_ns             INTEGER NOT NULL,
    last_seen_ns              INTEGER NOT NULL,
    source                    TEXT NOT NULL,
    lon                       REAL,
    lat                       REAL,
    position_time_ns          INTEGER,
    speed_knots               REAL,
    speed_time_ns             INTEGER,
    course_deg                REAL,
    course_time_ns            INTEGER,
    heading_deg               REAL,
    heading_time_ns           INTEGER,
    altitude_ft               REAL,
    altitude_time_ns          INTEGER,
    name                      TEXT,
    name_time_ns              INTEGER,
    callsign                  TEXT,
    callsign_time_ns          INTEGER,
    imo                       INTEGER,
    imo_time_ns               INTEGER,
    ship_type                 INTEGER,
    ship_type_time_ns         INTEGER,
    aircraft_category         TEXT,
    aircraft_category_time_ns INTEGER,
    observations              INTEGER NOT NULL CHECK (observations > 0),
    CHECK (first_seen_ns <= last_seen_ns)
) STRICT, WITHOUT ROWID;
CREATE INDEX tracks_last_seen ON tracks (last_seen_ns DESC);

CREATE TABLE events (
    id         TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL,
    time_ns    INTEGER NOT NULL,
    zone       TEXT,
    target_key TEXT,
    json       TEXT NOT NULL
) STRICT;
CREATE INDEX events_time ON events (time_ns, id);
CREATE INDEX events_kind_time ON events (kind, time_ns, id);
CREATE INDEX events_zone_time ON events (zone, time_ns, id) WHERE zone IS NOT NULL;
CREATE INDEX events_target_time ON events (target_key, time_ns, id) WHERE target_key IS NOT NULL;

CREATE TABLE objects (
    id            TEXT NOT NULL,
    version       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    marking       TEXT NOT NULL,
    received_from TEXT,
    body          TEXT NOT NULL,
    PRIMARY KEY (id, version)
) STRICT;
CREATE INDEX objects_kind ON objects (kind);

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY NOT NULL,
    time_ns   INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object_id TEXT,
    peer      TEXT,
    detail    TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused');
END;
CREATE TRIGGER audit_next_seq BEFORE INSERT ON audit
WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM audit)
BEGIN
    SELECT RAISE(ABORT, 'the audit log takes only the next sequence number');
END;
"#;

/// Version 2, first step: the audit table with its hash column, filled next by
/// [`copy_audit_with_hashes`]. (SQLite cannot add a NOT NULL column without a default, so
/// the table is rebuilt.)
const VERSION_2_CREATE: &str = r#"
CREATE TABLE audit_chained (
    seq       INTEGER PRIMARY KEY NOT NULL,
    time_ns   INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object_id TEXT,
    peer      TEXT,
    detail    TEXT NOT NULL,
    hash      BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;
"#;

/// Version 2, last step: the rebuilt table replaces the old one, with the same triggers
/// (dropping a table drops its triggers without firing them).
const VERSION_2_SWAP: &str = r#"
DROP TABLE audit;
ALTER TABLE audit_chained RENAME TO audit;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused');
END;
CREATE TRIGGER audit_next_seq BEFORE INSERT ON audit
WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM audit)
BEGIN
    SELECT RAISE(ABORT, 'the audit log takes only the next sequence number');
END;
"#;

/// Copies every audit record into `audit_chained` in sequence order with its chain hash,
/// computed from the record as the store reads it back. Records are streamed, not held.
fn copy_audit_with_hashes(tx: &Transaction<'_>) -> Result<(), MigrateError> {
    let mut read = tx.prepare(
        "SELECT seq, time_ns, actor, action, object_id, peer, detail FROM audit ORDER BY seq",
    )?;
    let mut write = tx.prepare(
        "INSERT INTO audit_chained (seq, time_ns, actor, action, object_id, peer, detail, hash) \
         SELECT seq, time_ns, actor, action, object_id, peer, detail, ?2 FROM audit \
         WHERE seq = ?1",
    )?;
    let mut rows = read.query([])?;
    let mut prev = GENESIS_HASH;
    while let Some(row) = rows.next()? {
        let (seq, entry) = super::audit_entry_from_row(row)?.map_err(MigrateError::Corrupt)?;
        let hash = chain_hash(&prev, seq, &entry);
        write.execute(rusqlite::params![i64::try_from(seq).unwrap_or(i64::MAX), &hash[..]])?;
        prev = hash;
    }
    Ok(())
}

/// The schema version this build writes.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the schema could not be brought up to date.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// The file was written by a newer build.
    TooNew(i64),
    /// SQLite failed.
    Sql(rusqlite::Error),
    /// A stored row could not be read while migrating it.
    Corrupt(String),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

/// Applies the migrations the file lacks; returns the version found before.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64, MigrateError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(MigrateError::TooNew(found));
    }
    for (version, steps) in MIGRATIONS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        for step in *steps {
            match step {
                Step::Sql(sql) => tx.execute_batch(sql)?,
                Step::Code(run) => run(&tx)?,
            }
        }
        tx.pragma_update(None, "user_version", (version + 1) as i64)?;
        tx.commit()?;
    }
    Ok(found)
}
