//! The store API: what the rest of the node may ask of its memory, whatever keeps it.
//!
//! One trait, [`Store`], with two implementations: the embedded store of this crate (SQLite for
//! objects, events, tracks, cursors and the audit log; daily GeoParquet files for position
//! history) and the PostgreSQL + PostGIS store of `kuroshio-store-pg`. Both pass the same
//! [`conformance`](crate::conformance) suite.
//!
//! Writes come in batches ([`Batch`]): observations, events and an optional input cursor are
//! made durable together, and [`Store::append`] returns only once they are, so whoever
//! acknowledges the batch upstream never acknowledges something a crash could take back. A
//! batch carrying a cursor (an input stream's name and the offset just after the batch's last
//! record) lets an ingest process restart after a crash exactly where the store stands:
//! [`Store::cursor`] returns the offset committed with the last batch, so records are neither
//! lost nor stored twice.
//!
//! Reads are bounded: every query carries a row limit ([`ROWS_MAX`] at most), and answers come
//! in a documented order so callers can page by time.

use std::collections::BTreeMap;

use kuroshio_detect::{Event, EventKind};
use kuroshio_model::{Marking, Observation, PartnerCode, Position, SourceId, TargetId, Timestamp};
use serde::{Deserialize, Serialize};

pub use kuroshio_archive::{BBox, PositionRow, TimeRange};

/// Most rows one query may return. A bbox query over a busy day can match tens of millions of
/// positions; callers page by time instead of holding them all.
pub const ROWS_MAX: usize = 1_000_000;

/// Most observations plus events in one batch: bounds the memory a writer holds and the work
/// redone after a crash. Ingest groups records up to this size (group commit).
pub const BATCH_RECORDS_MAX: usize = 1_000_000;

/// Longest input stream name kept with a cursor.
pub const STREAM_NAME_LEN_MAX: usize = 256;

/// What one [`Store::append`] makes durable, all or nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Batch<'a> {
    /// Observations in arrival order. Those with a position go to position history; all of
    /// them update the latest picture (identity fields included).
    pub observations: &'a [Observation],
    /// Events, each stored once by id: an event whose id is already stored is skipped.
    pub events: &'a [Event],
    /// Where the input stream stands after this batch, committed with it.
    pub cursor: Option<Cursor<'a>>,
}

impl Batch<'_> {
    /// Checks the limits every store applies before writing: at most [`BATCH_RECORDS_MAX`]
    /// records, a cursor's stream name at most [`STREAM_NAME_LEN_MAX`] bytes.
    pub fn check_limits(&self) -> Result<(), StoreError> {
        let records = self.observations.len().saturating_add(self.events.len());
        if records > BATCH_RECORDS_MAX {
            return Err(StoreError::Invalid(format!(
                "batch of {records} records exceeds {BATCH_RECORDS_MAX}"
            )));
        }
        if let Some(c) = &self.cursor {
            if c.stream.len() > STREAM_NAME_LEN_MAX {
                return Err(StoreError::Invalid(format!(
                    "stream name of {} bytes exceeds {STREAM_NAME_LEN_MAX}",
                    c.stream.len()
                )));
            }
        }
        Ok(())
    }
}

/// An input stream's position: its name (a file path, a feed name) and an offset in the
/// stream's own unit (bytes, lines, records), just after the last record of the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor<'a> {
    /// The stream's name, at most [`STREAM_NAME_LEN_MAX`] bytes.
    pub stream: &'a str,
    /// Offset just after the batch.
    pub offset: u64,
}

/// What [`Store::append`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// Positions added to history.
    pub positions: u64,
    /// Observations without a position (identity or kinematics only): they update the latest
    /// picture but add no history row.
    pub without_position: u64,
    /// Events stored.
    pub events: u64,
    /// Events skipped because their id was already stored.
    pub duplicate_events: u64,
}

/// The latest known state of one target, folded from every observation stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRow {
    /// Who.
    pub target: TargetId,
    /// Time of the first observation stored.
    pub first_seen: Timestamp,
    /// Time of the latest observation stored (by observation time, not arrival).
    pub last_seen: Timestamp,
    /// Source of the latest observation.
    pub source: SourceId,
    /// Latest known position and its time.
    pub position: Option<Position>,
    /// Time of that position.
    pub position_time: Option<Timestamp>,
    /// Latest speed over ground, knots.
    pub speed_knots: Option<f64>,
    /// Latest course over ground, degrees true.
    pub course_deg: Option<f64>,
    /// Latest heading, degrees true.
    pub heading_deg: Option<f64>,
    /// Latest altitude, feet.
    pub altitude_ft: Option<f64>,
    /// Latest reported name.
    pub name: Option<String>,
    /// Latest reported call sign.
    pub callsign: Option<String>,
    /// IMO number, once reported.
    pub imo: Option<u32>,
    /// AIS ship type, once reported.
    pub ship_type: Option<u8>,
    /// ADS-B emitter category, once reported.
    pub aircraft_category: Option<String>,
    /// Observations stored for this target.
    pub observations: u64,
}

/// Which targets [`Store::latest`] returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LatestQuery {
    /// Only targets whose latest position lies in this box.
    pub bbox: Option<BBox>,
    /// Only targets seen at or after this time.
    pub seen_since: Option<Timestamp>,
    /// Most rows; answers are ordered by `last_seen`, newest first.
    pub limit: usize,
}

/// Which events [`Store::events`] returns: every given condition must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    /// Only these kinds (all kinds when empty).
    pub kinds: Vec<EventKind>,
    /// Only events involving this catalogue zone id.
    pub zone: Option<String>,
    /// Only events about this target.
    pub target: Option<TargetId>,
    /// Only events in this time range.
    pub range: Option<TimeRange>,
    /// Most rows; answers are ordered by time, then id.
    pub limit: usize,
}

/// A shared object (a STIX object, a report) as the store keeps it: opaque JSON with the
/// fields the node indexes it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredObject {
    /// The object's id (a STIX id such as `indicator--…`).
    pub id: String,
    /// The version: for STIX, the `modified` time as written in the object.
    pub version: String,
    /// The object type (`indicator`, `sighting`, `x-kuroshio-track`, …).
    pub kind: String,
    /// Who may see it.
    pub marking: Marking,
    /// The partner it was received from; `None` when this node created it.
    pub received_from: Option<PartnerCode>,
    /// The object itself, as serialized JSON text (kept byte for byte, so signatures over it
    /// still verify).
    pub body: String,
}

/// One record of activity over a reporting window, as an official release or the node itself
/// gave it: a day of Taiwan MND's report, one Japan Joint Staff Office release, a day of the
/// node's own detections. The store keeps the record as given and indexes it by source,
/// window and the hull numbers it names; `kuroshio-reports` gives the payload its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// Who published it: `mnd`, `jso`, `node`, or a dataset's name (at most
    /// [`ACTIVITY_NAME_MAX`] bytes).
    pub source: String,
    /// The document's id within its source (a release URL or file name, a report date);
    /// `(source, document)` is the record's key (at most [`ACTIVITY_NAME_MAX`] bytes).
    pub document: String,
    /// The reporting window: both ends as the document gives them (end excluded).
    pub window: TimeRange,
    /// Hull numbers of the ships the record names, so a ship can be followed across
    /// releases.
    pub hulls: Vec<String>,
    /// The parsed figures, as the parser's JSON.
    pub payload: serde_json::Value,
    /// The document's text as received.
    pub raw: String,
}

/// Longest source name or document id of an [`ActivityRecord`], in bytes.
pub const ACTIVITY_NAME_MAX: usize = 512;

impl ActivityRecord {
    /// Checks the record's names and window before it is stored.
    pub fn check(&self) -> Result<(), StoreError> {
        for (what, v) in [("source", &self.source), ("document", &self.document)] {
            if v.is_empty() || v.len() > ACTIVITY_NAME_MAX {
                return Err(StoreError::Invalid(format!(
                    "activity {what} must be 1 to {ACTIVITY_NAME_MAX} bytes, not {}",
                    v.len()
                )));
            }
        }
        if self.window.to < self.window.from {
            return Err(StoreError::Invalid(format!(
                "activity {}/{}: window ends before it starts",
                self.source, self.document
            )));
        }
        Ok(())
    }
}

/// What [`Store::put_activity`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActivityOutcome {
    /// A record with a new key.
    Stored,
    /// The same record was already stored; nothing changed.
    Duplicate,
    /// A record with the same key but different contents (a corrected release) replaced it.
    Replaced,
}

/// Which activity records [`Store::activities`] returns: every given condition must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityQuery {
    /// Records whose window overlaps this range (a record with an empty window matches when
    /// its instant lies in the range).
    pub range: TimeRange,
    /// Only this source.
    pub source: Option<String>,
    /// Only records naming this hull number.
    pub hull: Option<String>,
    /// Most rows; answers are ordered by window start, then source, then document.
    pub limit: usize,
}

impl ActivityQuery {
    /// Whether `record` answers the query (the reference both stores are tested against).
    pub fn matches(&self, record: &ActivityRecord) -> bool {
        let w = record.window;
        let overlaps = if w.from == w.to {
            self.range.contains(w.from)
        } else {
            w.from < self.range.to && self.range.from < w.to
        };
        overlaps
            && self.source.as_ref().is_none_or(|s| *s == record.source)
            && self.hull.as_ref().is_none_or(|h| record.hulls.contains(h))
    }
}

/// What [`Store::put_object`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PutOutcome {
    /// A new id or a new version of a known id.
    Stored,
    /// The same id and version was already stored; nothing changed.
    Duplicate,
}

/// One entry for the append-only audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When it happened.
    pub time: Timestamp,
    /// Who did it: a user, a peer node, the node itself (`node`).
    pub actor: String,
    /// What was done (`created`, `received`, `sent`, `rejected`, `deleted`, …).
    pub action: String,
    /// The object concerned, if any.
    pub object_id: Option<String>,
    /// The partner on the other end, if any.
    pub peer: Option<PartnerCode>,
    /// Free-form facts (JSON object).
    pub detail: BTreeMap<String, serde_json::Value>,
}

/// An audit entry as stored, with its place in the log and its link in the hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Position in the log, from 1, without gaps.
    pub seq: u64,
    /// The entry.
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The record's chain hash (see [`crate::audit_chain`]); hex in serialized form.
    #[serde(with = "crate::audit_chain::hex_serde")]
    pub hash: crate::audit_chain::AuditHash,
}

/// What [`Store::check`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    /// What was checked, one line each (`sqlite integrity_check: ok`, a file's name, …).
    pub checked: Vec<String>,
    /// Problems found; empty when the store is sound.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// No problem found.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What [`Store::retain`] dropped or moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    /// Position rows removed from the live history (dropped or moved to the archive folder).
    pub positions: u64,
    /// Events removed.
    pub events: u64,
}

/// Counts of what the store holds, for metrics and `kuroshio store check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StoreStats {
    /// Position rows in history.
    pub positions: u64,
    /// Targets in the latest picture.
    pub tracks: u64,
    /// Events.
    pub events: u64,
    /// Object versions.
    pub objects: u64,
    /// Audit log entries.
    pub audit: u64,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The database engine refused or failed an operation.
    #[error("{backend}: {message}")]
    Backend {
        /// `sqlite`, `postgres`, `parquet`.
        backend: &'static str,
        /// The engine's message, with what was being done.
        message: String,
    },
    /// Stored data is not what the store wrote (a damaged file, a foreign database).
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// The request itself is invalid (a limit of 0, an inverted range, an over-long name).
    #[error("invalid request: {0}")]
    Invalid(String),
}

/// The node's memory. Writes take `&mut self`, reads `&self`; implementations are `Send` so a
/// server can own one on a blocking thread.
pub trait Store: Send {
    /// Makes a batch durable (observations, events and cursor together) and returns only then.
    /// On error nothing of the batch is visible, and the batch may be retried.
    fn append(&mut self, batch: &Batch<'_>) -> Result<Receipt, StoreError>;

    /// The offset committed with the last batch that carried a cursor for `stream`.
    fn cursor(&self, stream: &str) -> Result<Option<u64>, StoreError>;

    /// The latest picture: one row per target, newest first.
    fn latest(&self, query: &LatestQuery) -> Result<Vec<TrackRow>, StoreError>;

    /// One target's latest state.
    fn track(&self, target: &TargetId) -> Result<Option<TrackRow>, StoreError>;

    /// One target's positions in a time range, oldest first, at most `limit`.
    fn history(
        &self,
        target: &TargetId,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, StoreError>;

    /// Every position in a box and time range, ordered by time then target, at most `limit`.
    fn positions(
        &self,
        bbox: BBox,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, StoreError>;

    /// Events matching a query, ordered by time then id.
    fn events(&self, query: &EventQuery) -> Result<Vec<Event>, StoreError>;

    /// One event by id.
    fn event(&self, id: &str) -> Result<Option<Event>, StoreError>;

    /// Stores one version of an object. The same id and version twice is a duplicate, not an
    /// error, and leaves the stored copy unchanged.
    fn put_object(&mut self, object: &StoredObject) -> Result<PutOutcome, StoreError>;

    /// An object by id: the given version, or the latest (greatest version string) when
    /// `version` is `None`.
    fn object(&self, id: &str, version: Option<&str>) -> Result<Option<StoredObject>, StoreError>;

    /// Every stored version of an object, oldest first.
    fn object_versions(&self, id: &str) -> Result<Vec<String>, StoreError>;

    /// Stores an activity record under its `(source, document)` key: a new key is stored,
    /// the same record again changes nothing, and different contents under a known key
    /// replace the record (official releases are corrected after publication).
    fn put_activity(&mut self, record: &ActivityRecord) -> Result<ActivityOutcome, StoreError>;

    /// Activity records answering a query, ordered by window start, source, document.
    fn activities(&self, query: &ActivityQuery) -> Result<Vec<ActivityRecord>, StoreError>;

    /// Appends to the audit log, durably; returns the entry's sequence number. The record's
    /// chain hash ([`crate::audit_chain::append_hash`]) is computed in the same transaction
    /// as the insert, from the previous record's stored hash, so concurrent appends stay in
    /// one chain.
    fn audit_append(&mut self, entry: &AuditEntry) -> Result<u64, StoreError>;

    /// Audit entries with `seq >= from_seq`, in order, at most `limit`.
    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>, StoreError>;

    /// Drops (or moves, where the implementation is configured to) position history and
    /// events older than `before`. Tracks, objects and the audit log are kept.
    fn retain(&mut self, before: Timestamp) -> Result<RetentionReport, StoreError>;

    /// Checks the store's integrity; problems are reported, not raised.
    fn check(&self) -> Result<CheckReport, StoreError>;

    /// Counts of what is stored.
    fn stats(&self) -> Result<StoreStats, StoreError>;
}

/// Checks a row limit: at least 1 and at most [`ROWS_MAX`].
pub fn check_limit(limit: usize) -> Result<usize, StoreError> {
    if limit == 0 || limit > ROWS_MAX {
        return Err(StoreError::Invalid(format!("row limit {limit} outside 1..={ROWS_MAX}")));
    }
    Ok(limit)
}

/// The target an event is about, when it names one.
pub fn event_target(event: &Event) -> Option<TargetId> {
    if let Some(m) = event.entity.mmsi {
        return Some(TargetId::Vessel(m));
    }
    if let Some(a) = event.entity.icao24 {
        return Some(TargetId::Aircraft(a));
    }
    event.entity.report.clone().map(TargetId::Local)
}

/// The text key of a target used in rows and indexes: `vessel:412345678`, `aircraft:8990ab`,
/// `local:TW-23-001`.
pub fn target_key(target: &TargetId) -> String {
    kuroshio_archive::target_key(target)
}

/// The inverse of [`target_key`].
pub fn parse_target_key(key: &str) -> Option<TargetId> {
    kuroshio_archive::parse_target_key(key)
}
