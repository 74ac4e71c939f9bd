//! The embedded store: SQLite for everything but position history, and the
//! `kuroshio-archive` staging log and daily GeoParquet files for position history.
//!
//! A store is a directory:
//!
//! ```text
//! dir/node.sqlite     objects, events, tracks (latest picture), cursors, audit log, meta
//! dir/positions/      position history (the archive: staging log + daily GeoParquet files)
//! ```
//!
//! One process opens a store at a time; nothing stops a second one, so whoever deploys the
//! node must not run two on the same directory.
//!
//! # Durability and atomicity
//!
//! [`Store::append`] writes a batch across both halves with this protocol:
//!
//! 1. the batch's positions are appended to the archive's staging log, which is fsynced
//!    (with [`Fsync::Full`]) and yields a mark, the log's end after them;
//! 2. one SQLite transaction (WAL journal, `synchronous=FULL`) stores the events, the folded
//!    track rows, the input cursor and that mark (`meta.archive_mark`), then commits;
//! 3. if the archive's staging segment is full, the archive hands it to its background
//!    sealing thread (Parquet encoding off the append path) and starts the next segment.
//!
//! The SQLite commit is the single point where a batch becomes durable. If the process dies
//! before it, [`EmbeddedStore::open`] reads the committed mark and opens the archive at it,
//! which discards the staged positions after the mark; if it dies after, both halves hold the
//! batch. If step 2 fails, the archive is rolled back to its previous mark before `append`
//! returns the error, so nothing of the batch stays visible and the caller may retry it.
//! A failure in step 3 does not fail the batch (it is already durable): sealing is retried
//! after the next batch, and [`Store::check`] reports the problem meanwhile.
//!
//! Sealing only rewrites committed rows into another form: the rows of a segment being
//! sealed stay queryable from memory and its staging log stays on disk until the sealed
//! files and their manifest are durable. A crash mid-seal leaves a committed segment without
//! a manifest, which [`EmbeddedStore::open`] seals again. [`EmbeddedStore::close`] (and
//! dropping the store) waits for a seal in progress.
//!
//! # Settings
//!
//! [`EmbeddedOptions`] holds the fsync policy (default: everything fsynced before `append`
//! returns), the SQLite busy timeout, where retention moves old history, and the archive's
//! sizes.
//!
//! # Performance
//!
//! A batch is one archive append (one fdatasync) and one SQLite transaction (one WAL fsync),
//! whatever its size, so larger batches amortise both (group commit). Sealing a full segment
//! into Parquet runs on a background thread, so on a machine with a spare core it costs the
//! appending thread nothing (on a single busy core the two share it). Inside the transaction
//! the cost grows with the number of distinct targets in the batch: each one's track row is
//! folded (from a cache of committed states, [`TRACKS_CACHED_MAX`]) and rewritten once, with
//! one cached prepared statement. Statements are prepared once per connection and cached.

mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use kuroshio_archive::{Archive, ArchiveError};
pub use kuroshio_archive::{ArchiveOptions, FsyncPolicy, LogMark};
use kuroshio_detect::Event;
use kuroshio_model::{Marking, PartnerCode, Position, SourceId, TargetId, Timestamp};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::api::{
    ActivityOutcome, ActivityQuery, ActivityRecord, AuditEntry, AuditRecord, BBox, Batch,
    CheckReport, EventQuery, LatestQuery, PositionRow, PutOutcome, Receipt, RetentionReport, Store,
    StoreError, StoreStats, StoredObject, TimeRange, TrackRow, check_limit, event_target,
    target_key,
};
use crate::audit_chain::{GENESIS_HASH, append_hash};
use crate::fold::{Latest, TrackState};
use schema::{MigrateError, SCHEMA_VERSION};

/// File name of the SQLite database inside the store directory.
pub const SQLITE_FILE: &str = "node.sqlite";

/// Directory of the position archive inside the store directory.
pub const POSITIONS_DIR: &str = "positions";

/// Default time a statement waits for another connection's lock before failing: long enough
/// to ride out a checkpoint or a reader tool (`sqlite3 node.sqlite`), short enough that a
/// stuck lock surfaces as an error instead of a hang.
pub const BUSY_TIMEOUT_MS_DEFAULT: u64 = 5_000;

/// Prepared statements kept per connection. The store issues about twenty distinct
/// statements plus a few shapes of event query; 64 keeps all of them without evicting.
pub const STATEMENT_CACHE_CAPACITY: usize = 64;

/// WAL pages between automatic checkpoints (SQLite's default is 1 000). Every batch rewrites
/// the track rows of the targets it touches, the same pages batch after batch; checkpointing
/// less often copies each such page to the main file once per checkpoint instead of once per
/// batch. Bounds the WAL to about 32 MiB at the default 4 KiB page.
pub const WAL_AUTOCHECKPOINT_PAGES: u32 = 8_192;

/// SQLite page cache per connection, KiB (SQLite's default is 2 000): holds the tracks table
/// and the event indexes of a busy node, so batches do not re-read them from disk.
pub const PAGE_CACHE_KIB: u32 = 65_536;

/// Track states kept in memory between batches, so that a batch folds into them without
/// reading its targets' rows back from SQLite. About 300 bytes each, so at most about 60 MB;
/// when full the cache is emptied and refills from SQLite as targets report again.
pub const TRACKS_CACHED_MAX: usize = 200_000;

/// Track states by target. Hashed with foldhash (seeded per process): every observation of a
/// batch is looked up here, and SipHash over the target showed in profiles of large batches.
type TargetMap = HashMap<TargetId, TrackState, foldhash::fast::RandomState>;

/// The key of the committed archive mark in `meta`.
const META_ARCHIVE_MARK: &str = "archive_mark";

/// Backend names used in [`StoreError::Backend`].
const SQLITE: &str = "sqlite";
const ARCHIVE: &str = "archive";

/// When writes reach the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Fsync {
    /// Every batch, object and audit entry is on disk when the call returns: SQLite
    /// `synchronous=FULL` and the archive's staging log fdatasynced. The default.
    #[default]
    Full,
    /// Nothing is fsynced (SQLite `synchronous=OFF`, archive `FsyncPolicy::Never`): an
    /// operating-system crash or power loss can lose recent writes or damage the files. For
    /// tests and benchmarks only.
    Off,
}

/// How an [`EmbeddedStore`] is opened. The defaults are the safe ones: everything fsynced
/// ([`Fsync::Full`]), a [`BUSY_TIMEOUT_MS_DEFAULT`] lock wait, retention deletes old history,
/// and the archive's default segment and row-group sizes.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// When writes reach the disk; applies to SQLite and the archive alike (it overrides
    /// `archive.fsync`).
    pub fsync: Fsync,
    /// How long a statement waits for another connection's lock, milliseconds.
    pub busy_timeout_ms: u64,
    /// Where [`Store::retain`] moves old daily position files; `None` deletes them. Overrides
    /// `archive.retention_move_to`.
    pub retention_move_to: Option<PathBuf>,
    /// The archive's segment and row-group sizes.
    pub archive: ArchiveOptions,
}

impl Default for EmbeddedOptions {
    fn default() -> Self {
        EmbeddedOptions {
            fsync: Fsync::Full,
            busy_timeout_ms: BUSY_TIMEOUT_MS_DEFAULT,
            retention_move_to: None,
            archive: ArchiveOptions::default(),
        }
    }
}

/// The embedded [`Store`]: one SQLite file and one position archive in a directory.
pub struct EmbeddedStore {
    dir: PathBuf,
    conn: Connection,
    archive: Archive,
    /// Why sealing failed after the last batch, until a later attempt succeeds.
    seal_problem: Option<String>,
    /// Set when a failed batch could not be undone in the archive: the store refuses writes
    /// until reopened, which recovers the archive to the committed mark.
    poisoned: Option<String>,
    /// Committed track states by target (see [`TRACKS_CACHED_MAX`]). Only this handle
    /// writes `tracks`, so the cache stays equal to the committed rows.
    tracks_cache: TargetMap,
}

impl std::fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedStore").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// A SQLite error with what was being done.
fn sql(what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| StoreError::Backend { backend: SQLITE, message: format!("{what}: {e}") }
}

/// An archive error in the store's terms.
fn archive_error(what: &'static str, e: ArchiveError) -> StoreError {
    match e {
        ArchiveError::Corrupt { .. } => StoreError::Corrupt(format!("{what}: {e}")),
        ArchiveError::InvalidRow { .. } | ArchiveError::BadDay { .. } => {
            StoreError::Invalid(format!("{what}: {e}"))
        }
        ArchiveError::Io { op, path, source, .. } => {
            StoreError::Io { path: format!("{} ({what}: {op})", path.display()), source }
        }
        other => StoreError::Backend { backend: ARCHIVE, message: format!("{what}: {other}") },
    }
}

/// A stored value that is not what the store writes.
fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// A non-negative count or offset as SQLite's signed integer.
fn to_i64(value: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Invalid(format!("{what} {value} exceeds 2^63-1")))
}

/// A stored non-negative integer.
fn to_u64(value: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| corrupt(format!("negative {what} {value}")))
}

fn check_range(range: &TimeRange) -> Result<(), StoreError> {
    if range.to < range.from {
        return Err(StoreError::Invalid(format!("time range ends before it starts: {range:?}")));
    }
    Ok(())
}

fn check_bbox(bbox: &BBox) -> Result<(), StoreError> {
    if BBox::new(bbox.west, bbox.south, bbox.east, bbox.north).is_none() {
        return Err(StoreError::Invalid(format!("not a valid box: {bbox:?}")));
    }
    Ok(())
}

/// Columns of `tracks` in the order [`track_from_row`] reads and [`static@UPDATE_TRACK`] and
/// [`static@INSERT_TRACK`] write.
const TRACK_COLUMNS: &str = "target_key, first_seen_ns, last_seen_ns, source, lon, lat, \
     position_time_ns, speed_knots, speed_time_ns, course_deg, course_time_ns, heading_deg, \
     heading_time_ns, altitude_ft, altitude_time_ns, name, name_time_ns, callsign, \
     callsign_time_ns, imo, imo_time_ns, ship_type, ship_type_time_ns, aircraft_category, \
     aircraft_category_time_ns, observations";

/// Rewrites a known target's `tracks` row in place (parameters in [`TRACK_COLUMNS`] order).
/// Batches mostly touch known targets, and a plain update skips the failed insert an upsert
/// starts with.
static UPDATE_TRACK: LazyLock<String> = LazyLock::new(|| {
    let columns: Vec<&str> = TRACK_COLUMNS.split(',').map(str::trim).collect();
    let updates: Vec<String> =
        columns.iter().enumerate().skip(1).map(|(i, c)| format!("{c} = ?{}", i + 1)).collect();
    format!("UPDATE tracks SET {} WHERE target_key = ?1", updates.join(", "))
});

/// Adds the `tracks` row of a new target (parameters in [`TRACK_COLUMNS`] order).
static INSERT_TRACK: LazyLock<String> = LazyLock::new(|| {
    let columns = TRACK_COLUMNS.split(',').count();
    let placeholders: Vec<String> = (1..=columns).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO tracks ({TRACK_COLUMNS}) VALUES ({})", placeholders.join(", "))
});

/// Reads a `tracks` row selected with [`TRACK_COLUMNS`]; `Ok(Err(..))` when its content is
/// not what the store writes.
fn track_from_row(row: &Row<'_>) -> rusqlite::Result<Result<TrackState, String>> {
    let key: String = row.get(0)?;
    let source: String = row.get(3)?;
    let lon: Option<f64> = row.get(4)?;
    let lat: Option<f64> = row.get(5)?;
    let observations: i64 = row.get(25)?;
    let Some(target) = crate::api::parse_target_key(&key) else {
        return Ok(Err(format!("track key {key:?} is not a target key")));
    };
    let source = match SourceId::parse(&source) {
        Ok(s) => s,
        Err(e) => return Ok(Err(format!("track {key}: source {source:?}: {e}"))),
    };
    let position = match (lon, lat) {
        (Some(lon), Some(lat)) => match Position::new(lon, lat) {
            Ok(p) => Some(p),
            Err(e) => return Ok(Err(format!("track {key}: {e}"))),
        },
        _ => None,
    };
    let imo: Option<i64> = row.get(19)?;
    let ship_type: Option<i64> = row.get(21)?;
    Ok(Ok(TrackState {
        target,
        first_seen_ns: row.get(1)?,
        last_seen_ns: row.get(2)?,
        source,
        position: Latest::from_columns(position, row.get(6)?),
        speed_knots: Latest::from_columns(row.get(7)?, row.get(8)?),
        course_deg: Latest::from_columns(row.get(9)?, row.get(10)?),
        heading_deg: Latest::from_columns(row.get(11)?, row.get(12)?),
        altitude_ft: Latest::from_columns(row.get(13)?, row.get(14)?),
        name: Latest::from_columns(row.get(15)?, row.get(16)?),
        callsign: Latest::from_columns(row.get(17)?, row.get(18)?),
        imo: Latest::from_columns(imo.and_then(|v| u32::try_from(v).ok()), row.get(20)?),
        ship_type: Latest::from_columns(ship_type.and_then(|v| u8::try_from(v).ok()), row.get(22)?),
        aircraft_category: Latest::from_columns(row.get(23)?, row.get(24)?),
        observations: u64::try_from(observations).unwrap_or(0),
    }))
}

/// Reads an event stored as JSON.
fn event_from_json(id_hint: &str, json: &str) -> Result<Event, StoreError> {
    serde_json::from_str(json).map_err(|e| corrupt(format!("event {id_hint}: {e}")))
}

impl EmbeddedStore {
    /// Opens the store in `dir`, creating it (and `dir`) if needed: opens `node.sqlite`,
    /// applies schema migrations, and opens the archive in `positions/` at the mark SQLite
    /// committed last, which discards positions staged by a batch that never committed.
    pub fn open(dir: &Path, options: EmbeddedOptions) -> Result<EmbeddedStore, StoreError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| StoreError::Io { path, source }
        };
        let positions = dir.join(POSITIONS_DIR);
        std::fs::create_dir_all(&positions).map_err(io(&positions))?;
        let db_path = dir.join(SQLITE_FILE);
        let mut conn = Connection::open(&db_path).map_err(sql("open node.sqlite"))?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        conn.busy_timeout(Duration::from_millis(options.busy_timeout_ms))
            .map_err(sql("set busy timeout"))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(sql("set WAL journal mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Backend {
                backend: SQLITE,
                message: format!("journal mode stays {mode:?}, WAL required"),
            });
        }
        let synchronous = match options.fsync {
            Fsync::Full => "FULL",
            Fsync::Off => "OFF",
        };
        conn.pragma_update(None, "synchronous", synchronous).map_err(sql("set synchronous"))?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            .map_err(sql("set WAL autocheckpoint"))?;
        conn.pragma_update(None, "cache_size", -i64::from(PAGE_CACHE_KIB))
            .map_err(sql("set page cache size"))?;
        match schema::migrate(&mut conn) {
            Ok(_) => {}
            Err(MigrateError::TooNew(v)) => {
                return Err(StoreError::Corrupt(format!(
                    "{}: schema version {v} is newer than this build's {SCHEMA_VERSION}",
                    db_path.display()
                )));
            }
            Err(MigrateError::Sql(e)) => return Err(sql("migrate schema")(e)),
            Err(MigrateError::Corrupt(e)) => {
                return Err(StoreError::Corrupt(format!("{}: migrating: {e}", db_path.display())));
            }
        }
        let committed = read_mark(&conn)?;
        let mut archive_options = options.archive.clone();
        archive_options.fsync = match options.fsync {
            Fsync::Full => FsyncPolicy::Always,
            Fsync::Off => FsyncPolicy::Never,
        };
        archive_options.retention_move_to = options.retention_move_to.clone();
        let archive = Archive::open(&positions, archive_options, committed)
            .map_err(|e| archive_error("open position archive", e))?;
        let mut store = EmbeddedStore {
            dir: dir.to_path_buf(),
            conn,
            archive,
            seal_problem: None,
            poisoned: None,
            tracks_cache: TargetMap::default(),
        };
        // A crash between a commit and its seal leaves a full staging segment; everything in
        // it is committed, so it may be sealed now. A failure here leaves the store readable;
        // the next append tries again.
        store.seal_if_full();
        Ok(store)
    }

    /// Step 3 of the commit protocol (also run on open): seals a full staging segment,
    /// recording a failure instead of returning it, because the batch before it is durable.
    fn seal_if_full(&mut self) {
        match self.archive.seal_if_full(false) {
            Ok(_) => self.seal_problem = None,
            Err(e) => self.seal_problem = Some(format!("sealing the staging segment: {e}")),
        }
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The position archive, for exports and tools that read its daily files.
    pub fn archive(&self) -> &Archive {
        &self.archive
    }

    /// Seals the archive's staging segment into Parquet now, full or not (before a backup or
    /// an export of today's files), and waits until it is sealed.
    pub fn seal_now(&mut self) -> Result<bool, StoreError> {
        self.refuse_if_poisoned()?;
        self.archive.seal_if_full(true).map_err(|e| archive_error("seal staging segment", e))
    }

    /// Closes the store, waiting for a background seal in progress and reporting its
    /// failure (dropping the store waits too but cannot report). Everything acknowledged is
    /// durable either way; a segment whose seal failed is sealed again on the next open.
    pub fn close(mut self) -> Result<(), StoreError> {
        self.archive.wait_sealed().map_err(|e| archive_error("seal staging segment", e))
    }

    fn refuse_if_poisoned(&self) -> Result<(), StoreError> {
        match &self.poisoned {
            Some(why) => Err(StoreError::Backend {
                backend: ARCHIVE,
                message: format!("writes refused until the store is reopened: {why}"),
            }),
            None => Ok(()),
        }
    }

    /// Undoes archive appends after `to`; if even that fails, refuses writes until reopened.
    fn undo_archive(&mut self, to: LogMark, cause: &StoreError) {
        if let Err(e) = self.archive.rollback(to) {
            self.poisoned = Some(format!("rolling back after \"{cause}\" failed: {e}"));
        }
    }

    fn validate(batch: &Batch<'_>) -> Result<(), StoreError> {
        batch.check_limits()?;
        if let Some(c) = &batch.cursor {
            to_i64(c.offset, "cursor offset")?;
        }
        Ok(())
    }

    /// Step 2 of the commit protocol: everything but the positions, and the mark, in one
    /// transaction.
    /// Returns the receipt and the new states of the targets the batch touched.
    fn commit_sql(
        &mut self,
        batch: &Batch<'_>,
        mark: LogMark,
    ) -> Result<(Receipt, TargetMap), StoreError> {
        let cursor = match &batch.cursor {
            Some(c) => Some((c.stream, to_i64(c.offset, "cursor offset")?)),
            None => None,
        };
        let mark_json = serde_json::to_string(&mark)
            .map_err(|e| StoreError::Invalid(format!("archive mark: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("begin batch"))?;
        let mut receipt = Receipt::default();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO events (id, kind, time_ns, zone, target_key, json) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sql("prepare event insert"))?;
            for event in batch.events {
                let target = event_target(event).map(|t| target_key(&t));
                let n = insert
                    .execute(params![
                        event.id,
                        event.kind.name(),
                        event.time.unix_nanos(),
                        event.zone,
                        target,
                        event.to_json(),
                    ])
                    .map_err(sql("insert event"))?;
                if n == 0 {
                    receipt.duplicate_events += 1;
                } else {
                    receipt.events += 1;
                }
            }
        }
        // Fold the batch per target, starting from each target's stored state; write each
        // touched target once.
        let mut states = TargetMap::default();
        {
            let mut load = tx
                .prepare_cached(&format!(
                    "SELECT {TRACK_COLUMNS} FROM tracks WHERE target_key = ?1"
                ))
                .map_err(sql("prepare track read"))?;
            for obs in batch.observations {
                if obs.position.is_some() {
                    receipt.positions += 1;
                } else {
                    receipt.without_position += 1;
                }
                if let Some(state) = states.get_mut(&obs.target) {
                    state.fold(obs);
                    continue;
                }
                if let Some(cached) = self.tracks_cache.get(&obs.target) {
                    let mut state = cached.clone();
                    state.fold(obs);
                    states.insert(obs.target.clone(), state);
                    continue;
                }
                let key = target_key(&obs.target);
                let stored =
                    load.query_row([&key], track_from_row).optional().map_err(sql("read track"))?;
                let state = match stored {
                    Some(Ok(mut s)) => {
                        s.fold(obs);
                        s
                    }
                    Some(Err(why)) => return Err(corrupt(why)),
                    None => TrackState::new(obs),
                };
                states.insert(obs.target.clone(), state);
            }
            let mut update =
                tx.prepare_cached(&UPDATE_TRACK).map_err(sql("prepare track update"))?;
            let mut insert =
                tx.prepare_cached(&INSERT_TRACK).map_err(sql("prepare track insert"))?;
            for s in states.values() {
                let position = s.position.value;
                let values = params![
                    target_key(&s.target),
                    s.first_seen_ns,
                    s.last_seen_ns,
                    s.source.as_str(),
                    position.map(|p| p.lon_deg()),
                    position.map(|p| p.lat_deg()),
                    s.position.time_column(),
                    s.speed_knots.value,
                    s.speed_knots.time_column(),
                    s.course_deg.value,
                    s.course_deg.time_column(),
                    s.heading_deg.value,
                    s.heading_deg.time_column(),
                    s.altitude_ft.value,
                    s.altitude_ft.time_column(),
                    s.name.value,
                    s.name.time_column(),
                    s.callsign.value,
                    s.callsign.time_column(),
                    s.imo.value,
                    s.imo.time_column(),
                    s.ship_type.value,
                    s.ship_type.time_column(),
                    s.aircraft_category.value,
                    s.aircraft_category.time_column(),
                    to_i64(s.observations, "observation count")?,
                ];
                if update.execute(values).map_err(sql("update track"))? == 0 {
                    insert.execute(values).map_err(sql("insert track"))?;
                }
            }
        }
        if let Some((stream, offset)) = cursor {
            tx.prepare_cached(
                "INSERT INTO cursors (stream, offset) VALUES (?1, ?2) \
                 ON CONFLICT (stream) DO UPDATE SET offset = excluded.offset",
            )
            .and_then(|mut s| s.execute(params![stream, offset]))
            .map_err(sql("write cursor"))?;
        }
        tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .and_then(|mut s| s.execute(params![META_ARCHIVE_MARK, mark_json]))
        .map_err(sql("write archive mark"))?;
        tx.commit().map_err(sql("commit batch"))?;
        Ok((receipt, states))
    }
}

/// The archive mark committed last, `None` in a new store.
fn read_mark(conn: &Connection) -> Result<Option<LogMark>, StoreError> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [META_ARCHIVE_MARK], |r| r.get(0))
        .optional()
        .map_err(sql("read archive mark"))?;
    text.map(|t| {
        serde_json::from_str::<LogMark>(&t)
            .map_err(|e| corrupt(format!("meta.{META_ARCHIVE_MARK} {t:?}: {e}")))
    })
    .transpose()
}

/// The columns [`activity_from_row`] reads, in order.
const ACTIVITY_COLUMNS: &str = "source, document, from_ns, to_ns, hulls, payload, raw";

/// An activity record from a row of [`ACTIVITY_COLUMNS`]; the inner error is a corrupt row.
fn activity_from_row(row: &Row<'_>) -> rusqlite::Result<Result<ActivityRecord, String>> {
    let source: String = row.get(0)?;
    let document: String = row.get(1)?;
    let (from, to): (i64, i64) = (row.get(2)?, row.get(3)?);
    let hulls: String = row.get(4)?;
    let payload: String = row.get(5)?;
    let raw: String = row.get(6)?;
    let what = |e: serde_json::Error| format!("activity {source}/{document}: {e}");
    let hulls = match serde_json::from_str(&hulls) {
        Ok(h) => h,
        Err(e) => return Ok(Err(what(e))),
    };
    let payload = match serde_json::from_str(&payload) {
        Ok(p) => p,
        Err(e) => return Ok(Err(what(e))),
    };
    let Some(window) =
        TimeRange::new(Timestamp::from_unix_nanos(from), Timestamp::from_unix_nanos(to))
    else {
        return Ok(Err(format!("activity {source}/{document}: window ends before it starts")));
    };
    Ok(Ok(ActivityRecord { source, document, window, hulls, payload, raw }))
}

fn object_from_row(row: &Row<'_>) -> rusqlite::Result<Result<StoredObject, String>> {
    let id: String = row.get(0)?;
    let marking: String = row.get(3)?;
    let received_from: Option<String> = row.get(4)?;
    let marking: Marking = match serde_json::from_str(&marking) {
        Ok(m) => m,
        Err(e) => return Ok(Err(format!("object {id}: marking: {e}"))),
    };
    let received_from = match received_from.map(|p| PartnerCode::parse(&p)).transpose() {
        Ok(p) => p,
        Err(e) => return Ok(Err(format!("object {id}: received_from: {e}"))),
    };
    Ok(Ok(StoredObject {
        id,
        version: row.get(1)?,
        kind: row.get(2)?,
        marking,
        received_from,
        body: row.get(5)?,
    }))
}

/// Reads the columns `seq, time_ns, actor, action, object_id, peer, detail` (in that order)
/// of an audit row; content errors come back as the inner `Err`.
pub(crate) fn audit_entry_from_row(
    row: &Row<'_>,
) -> rusqlite::Result<Result<(u64, AuditEntry), String>> {
    let seq: i64 = row.get(0)?;
    let peer: Option<String> = row.get(5)?;
    let detail: String = row.get(6)?;
    let peer = match peer.map(|p| PartnerCode::parse(&p)).transpose() {
        Ok(p) => p,
        Err(e) => return Ok(Err(format!("audit {seq}: peer: {e}"))),
    };
    let detail = match serde_json::from_str(&detail) {
        Ok(d) => d,
        Err(e) => return Ok(Err(format!("audit {seq}: detail: {e}"))),
    };
    let Ok(seq) = u64::try_from(seq) else {
        return Ok(Err(format!("audit {seq}: negative sequence number")));
    };
    Ok(Ok((
        seq,
        AuditEntry {
            time: Timestamp::from_unix_nanos(row.get(1)?),
            actor: row.get(2)?,
            action: row.get(3)?,
            object_id: row.get(4)?,
            peer,
            detail,
        },
    )))
}

/// Reads an audit row: the columns of [`audit_entry_from_row`], then `hash`.
fn audit_from_row(row: &Row<'_>) -> rusqlite::Result<Result<AuditRecord, String>> {
    let (seq, entry) = match audit_entry_from_row(row)? {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let hash: Vec<u8> = row.get(7)?;
    let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) else {
        return Ok(Err(format!("audit {seq}: hash of {} bytes, expected 32", hash.len())));
    };
    Ok(Ok(AuditRecord { seq, entry, hash }))
}

/// Collects rows read as `Result<T, String>` (content errors) into the store's error.
fn collect<T>(
    rows: impl Iterator<Item = rusqlite::Result<Result<T, String>>>,
    what: &'static str,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(sql(what))?.map_err(corrupt)?);
    }
    Ok(out)
}

impl Store for EmbeddedStore {
    fn append(&mut self, batch: &Batch<'_>) -> Result<Receipt, StoreError> {
        self.refuse_if_poisoned()?;
        Self::validate(batch)?;
        let rows: Vec<PositionRow> =
            batch.observations.iter().filter_map(PositionRow::from_observation).collect();
        if self.seal_problem.is_some() {
            // The last seal failed: the archive may refuse appends until it succeeds.
            self.seal_if_full();
        }
        let before = self.archive.mark();
        // Step 1: positions to the staging log, durable when this returns.
        let mark = if rows.is_empty() {
            before
        } else {
            match self.archive.append_owned(rows) {
                Ok(m) => m,
                Err(e) => {
                    let err = archive_error("append positions", e);
                    self.undo_archive(before, &err);
                    return Err(err);
                }
            }
        };
        // Step 2: the commit point.
        let receipt = match self.commit_sql(batch, mark) {
            Ok((receipt, states)) => {
                if self.tracks_cache.len().saturating_add(states.len()) > TRACKS_CACHED_MAX {
                    self.tracks_cache.clear();
                }
                self.tracks_cache.extend(states);
                receipt
            }
            Err(err) => {
                self.undo_archive(before, &err);
                return Err(err);
            }
        };
        // Step 3: the batch is durable; a sealing failure must not make the caller retry it.
        self.seal_if_full();
        Ok(receipt)
    }

    fn cursor(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        let offset: Option<i64> = self
            .conn
            .prepare_cached("SELECT offset FROM cursors WHERE stream = ?1")
            .and_then(|mut s| s.query_row([stream], |r| r.get(0)).optional())
            .map_err(sql("read cursor"))?;
        offset.map(|o| to_u64(o, "cursor offset")).transpose()
    }

    fn latest(&self, query: &LatestQuery) -> Result<Vec<TrackRow>, StoreError> {
        let limit = check_limit(query.limit)?;
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(b) = &query.bbox {
            check_bbox(b)?;
            conditions.push("lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?");
            values.extend([b.west, b.east, b.south, b.north].map(Value::Real));
        }
        if let Some(t) = query.seen_since {
            conditions.push("last_seen_ns >= ?");
            values.push(Value::Integer(t.unix_nanos()));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        values.push(Value::Integer(to_i64(limit as u64, "limit")?));
        let text = format!(
            "SELECT {TRACK_COLUMNS} FROM tracks {filter} \
             ORDER BY last_seen_ns DESC, target_key LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&text).map_err(sql("prepare latest"))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), track_from_row)
            .map_err(sql("read latest"))?;
        Ok(collect(rows, "read latest")?.iter().map(TrackState::to_row).collect())
    }

    fn track(&self, target: &TargetId) -> Result<Option<TrackRow>, StoreError> {
        let state = self
            .conn
            .prepare_cached(&format!("SELECT {TRACK_COLUMNS} FROM tracks WHERE target_key = ?1"))
            .and_then(|mut s| s.query_row([target_key(target)], track_from_row).optional())
            .map_err(sql("read track"))?;
        match state {
            Some(Ok(s)) => Ok(Some(s.to_row())),
            Some(Err(why)) => Err(corrupt(why)),
            None => Ok(None),
        }
    }

    fn history(
        &self,
        target: &TargetId,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, StoreError> {
        let limit = check_limit(limit)?;
        check_range(&range)?;
        self.archive.history(target, &range, limit).map_err(|e| archive_error("history", e))
    }

    fn positions(
        &self,
        bbox: BBox,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, StoreError> {
        let limit = check_limit(limit)?;
        check_range(&range)?;
        check_bbox(&bbox)?;
        self.archive.positions(&bbox, &range, limit).map_err(|e| archive_error("positions", e))
    }

    fn events(&self, query: &EventQuery) -> Result<Vec<Event>, StoreError> {
        let limit = check_limit(query.limit)?;
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut kinds: Vec<&'static str> = query.kinds.iter().map(|k| k.name()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let kind_condition;
        if !kinds.is_empty() {
            kind_condition = format!("kind IN ({})", vec!["?"; kinds.len()].join(", "));
            conditions.push(kind_condition.as_str());
            values.extend(kinds.iter().map(|k| Value::Text((*k).to_owned())));
        }
        if let Some(z) = &query.zone {
            conditions.push("zone = ?");
            values.push(Value::Text(z.clone()));
        }
        if let Some(t) = &query.target {
            conditions.push("target_key = ?");
            values.push(Value::Text(target_key(t)));
        }
        if let Some(r) = &query.range {
            check_range(r)?;
            conditions.push("time_ns >= ? AND time_ns < ?");
            values.push(Value::Integer(r.from.unix_nanos()));
            values.push(Value::Integer(r.to.unix_nanos()));
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        values.push(Value::Integer(to_i64(limit as u64, "limit")?));
        let text = format!("SELECT id, json FROM events {filter} ORDER BY time_ns, id LIMIT ?");
        let mut stmt = self.conn.prepare_cached(&text).map_err(sql("prepare events"))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(sql("read events"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(sql("read events"))?;
            out.push(event_from_json(&id, &json)?);
        }
        Ok(out)
    }

    fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT json FROM events WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(sql("read event"))?;
        json.map(|j| event_from_json(id, &j)).transpose()
    }

    fn put_object(&mut self, object: &StoredObject) -> Result<PutOutcome, StoreError> {
        let marking = serde_json::to_string(&object.marking)
            .map_err(|e| StoreError::Invalid(format!("object {}: marking: {e}", object.id)))?;
        let n = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO objects (id, version, kind, marking, received_from, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    object.id,
                    object.version,
                    object.kind,
                    marking,
                    object.received_from.as_ref().map(PartnerCode::as_str),
                    object.body,
                ])
            })
            .map_err(sql("store object"))?;
        Ok(if n == 0 { PutOutcome::Duplicate } else { PutOutcome::Stored })
    }

    fn object(&self, id: &str, version: Option<&str>) -> Result<Option<StoredObject>, StoreError> {
        const COLUMNS: &str = "id, version, kind, marking, received_from, body";
        let found = match version {
            Some(v) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM objects WHERE id = ?1 AND version = ?2"
                ))
                .and_then(|mut s| s.query_row([id, v], object_from_row).optional()),
            None => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM objects WHERE id = ?1 ORDER BY version DESC LIMIT 1"
                ))
                .and_then(|mut s| s.query_row([id], object_from_row).optional()),
        }
        .map_err(sql("read object"))?;
        found.map(|r| r.map_err(corrupt)).transpose()
    }

    fn object_versions(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT version FROM objects WHERE id = ?1 ORDER BY version")
            .map_err(sql("prepare object versions"))?;
        let rows = stmt.query_map([id], |r| r.get(0)).map_err(sql("read object versions"))?;
        rows.collect::<rusqlite::Result<Vec<String>>>().map_err(sql("read object versions"))
    }

    fn put_activity(&mut self, record: &ActivityRecord) -> Result<ActivityOutcome, StoreError> {
        record.check()?;
        let hulls = serde_json::to_string(&record.hulls)
            .map_err(|e| StoreError::Invalid(format!("activity hulls: {e}")))?;
        let payload = serde_json::to_string(&record.payload)
            .map_err(|e| StoreError::Invalid(format!("activity payload: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("begin activity put"))?;
        let found = tx
            .prepare_cached(&format!(
                "SELECT {ACTIVITY_COLUMNS} FROM activity WHERE source = ?1 AND document = ?2"
            ))
            .and_then(|mut s| {
                s.query_row([&record.source, &record.document], activity_from_row).optional()
            })
            .map_err(sql("read activity"))?;
        let outcome = match found {
            Some(Ok(old)) if old == *record => return Ok(ActivityOutcome::Duplicate),
            Some(_) => ActivityOutcome::Replaced,
            None => ActivityOutcome::Stored,
        };
        tx.prepare_cached(
            "INSERT OR REPLACE INTO activity (source, document, from_ns, to_ns, hulls, payload, \
             raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                record.source,
                record.document,
                record.window.from.unix_nanos(),
                record.window.to.unix_nanos(),
                hulls,
                payload,
                record.raw,
            ])
        })
        .map_err(sql("store activity"))?;
        tx.commit().map_err(sql("commit activity"))?;
        Ok(outcome)
    }

    fn activities(&self, query: &ActivityQuery) -> Result<Vec<ActivityRecord>, StoreError> {
        let limit = to_i64(check_limit(query.limit)? as u64, "limit")?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ACTIVITY_COLUMNS} FROM activity \
                 WHERE ((from_ns < ?2 AND to_ns > ?1) \
                        OR (from_ns = to_ns AND from_ns >= ?1 AND from_ns < ?2)) \
                   AND (?3 IS NULL OR source = ?3) \
                   AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(hulls) WHERE value = ?4)) \
                 ORDER BY from_ns, source, document LIMIT ?5"
            ))
            .map_err(sql("prepare activities"))?;
        let rows = stmt
            .query_map(
                params![
                    query.range.from.unix_nanos(),
                    query.range.to.unix_nanos(),
                    query.source,
                    query.hull,
                    limit
                ],
                activity_from_row,
            )
            .map_err(sql("read activities"))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(sql("read activities"))?.map_err(corrupt)?);
        }
        Ok(out)
    }

    fn audit_append(&mut self, entry: &AuditEntry) -> Result<u64, StoreError> {
        // An immediate transaction holds SQLite's write lock from the start, so the last
        // record read here is still the last when the new one is inserted.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("begin audit append"))?;
        let last: Option<(i64, Vec<u8>)> = tx
            .prepare_cached("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(sql("read last audit record"))?;
        let (seq, prev) = match last {
            None => (1i64, GENESIS_HASH),
            Some((seq, hash)) => {
                let prev = <[u8; 32]>::try_from(hash.as_slice()).map_err(|_| {
                    corrupt(format!("audit {seq}: hash of {} bytes, expected 32", hash.len()))
                })?;
                (seq.checked_add(1).ok_or_else(|| corrupt("audit seq overflow".to_owned()))?, prev)
            }
        };
        let (detail, hash) = append_hash(&prev, to_u64(seq, "audit seq")?, entry)?;
        tx.prepare_cached(
            "INSERT INTO audit (seq, time_ns, actor, action, object_id, peer, detail, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                seq,
                entry.time.unix_nanos(),
                entry.actor,
                entry.action,
                entry.object_id,
                entry.peer.as_ref().map(PartnerCode::as_str),
                detail,
                &hash[..],
            ])
        })
        .map_err(sql("append audit entry"))?;
        tx.commit().map_err(sql("commit audit entry"))?;
        to_u64(seq, "audit seq")
    }

    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>, StoreError> {
        let limit = check_limit(limit)?;
        let from = i64::try_from(from_seq).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, time_ns, actor, action, object_id, peer, detail, hash FROM audit \
                 WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(sql("prepare audit read"))?;
        let rows = stmt
            .query_map(params![from, to_i64(limit as u64, "limit")?], audit_from_row)
            .map_err(sql("read audit"))?;
        collect(rows, "read audit")
    }

    fn retain(&mut self, before: Timestamp) -> Result<RetentionReport, StoreError> {
        self.refuse_if_poisoned()?;
        // Events first, then history: each step is idempotent, so a retry after a failure
        // between them finishes the job.
        let events = self
            .conn
            .prepare_cached("DELETE FROM events WHERE time_ns < ?1")
            .and_then(|mut s| s.execute([before.unix_nanos()]))
            .map_err(sql("drop old events"))?;
        let positions =
            self.archive.drop_before(before).map_err(|e| archive_error("drop old positions", e))?;
        Ok(RetentionReport { positions, events: events as u64 })
    }

    fn check(&self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        let mut stmt =
            self.conn.prepare("PRAGMA integrity_check").map_err(sql("prepare integrity check"))?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>());
        match lines {
            Ok(lines) if lines.len() == 1 && lines[0] == "ok" => {
                report.checked.push("sqlite integrity_check: ok".to_owned());
            }
            Ok(lines) => {
                report.checked.push("sqlite integrity_check".to_owned());
                report.problems.extend(lines.into_iter().map(|l| format!("sqlite: {l}")));
            }
            // A damaged file can make the check itself fail: that is a finding too.
            Err(e) => report.problems.push(format!("sqlite integrity_check failed: {e}")),
        }
        let version: rusqlite::Result<i64> =
            self.conn.query_row("PRAGMA user_version", [], |r| r.get(0));
        match version {
            Ok(v) if v == SCHEMA_VERSION => {
                report.checked.push(format!("sqlite schema version: {v}"));
            }
            Ok(v) => report
                .problems
                .push(format!("sqlite schema version {v}, expected {SCHEMA_VERSION}")),
            Err(e) => report.problems.push(format!("sqlite schema version unreadable: {e}")),
        }
        let audit: rusqlite::Result<(i64, i64)> =
            self.conn.query_row("SELECT COUNT(*), IFNULL(MAX(seq), 0) FROM audit", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            });
        match audit {
            Ok((n, max)) if n == max => {
                report.checked.push(format!("audit log: {n} entries, no gaps"));
            }
            Ok((n, max)) => report
                .problems
                .push(format!("audit log: {n} entries but last seq {max}: entries missing")),
            Err(e) => report.problems.push(format!("audit log unreadable: {e}")),
        }
        crate::audit_chain::check_into(self, &mut report);
        match read_mark(&self.conn) {
            Ok(Some(m)) if m > self.archive.mark() => report.problems.push(format!(
                "committed archive mark {m:?} lies beyond the archive's end {:?}",
                self.archive.mark()
            )),
            Ok(m) => report.checked.push(format!("archive mark: {m:?}")),
            Err(e) => report.problems.push(e.to_string()),
        }
        let (checked, problems) = self.archive.check();
        report.checked.extend(checked.into_iter().map(|c| format!("positions: {c}")));
        report.problems.extend(problems.into_iter().map(|p| format!("positions: {p}")));
        if let Some(p) = &self.seal_problem {
            report.problems.push(p.clone());
        }
        if let Some(p) = &self.poisoned {
            report.problems.push(format!("writes refused: {p}"));
        }
        Ok(report)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let count = |table: &str| -> Result<u64, StoreError> {
            let n: i64 = self
                .conn
                .prepare_cached(&format!("SELECT COUNT(*) FROM {table}"))
                .and_then(|mut s| s.query_row([], |r| r.get(0)))
                .map_err(sql("count rows"))?;
            to_u64(n, table)
        };
        Ok(StoreStats {
            positions: self.archive.len(),
            tracks: count("tracks")?,
            events: count("events")?,
            objects: count("objects")?,
            audit: count("audit")?,
        })
    }
}
