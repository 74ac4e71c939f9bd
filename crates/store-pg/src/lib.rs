//! The store API on PostgreSQL 15+ with PostGIS 3: [`PgStore`] implements
//! [`kuroshio_store::Store`] for nodes whose history outgrows one machine's embedded store, or
//! whose analysts want SQL and PostGIS next to the live data.
//!
//! # Layout
//!
//! One store is one PostgreSQL schema ([`DEFAULT_SCHEMA`] unless [`PgStore::connect_schema`]
//! names another), created with its tables on first connect by versioned migrations (see the
//! `schema` module: `meta.schema_version`, one transaction, an advisory lock). PostGIS is
//! created in the database when missing (that needs the right to create extensions).
//!
//! - `positions`: position history, declaratively partitioned by UTC day on `time_ns`
//!   (nanoseconds since the epoch, the resolution of [`kuroshio_model::Timestamp`]).
//!   Partitions `positions_dYYYYMMDD` are created on demand in the transaction of the batch
//!   that first touches a day and registered in `position_days`. Each row has a
//!   `geography(Point, 4326)` column generated from `lon`/`lat`, a GiST index on its geometry,
//!   a BRIN index on `time_ns` and a B-tree on `(target_key, time_ns)`.
//! - `tracks`: the latest picture, each optional field stored with the time it was reported
//!   so late arrivals fold in as [`kuroshio_store::TrackRow`] documents.
//! - `events` (stored once by id), `objects` (every version), `audit` (append-only: a trigger
//!   refuses UPDATE, DELETE and TRUNCATE; each record carries its hash-chain link, see
//!   [`kuroshio_store::audit_chain`]), `cursors`.
//!
//! # Writes
//!
//! [`Store::append`] is one transaction: a writers' advisory lock (one writer per store at a
//! time), the day partitions the batch needs, the positions by binary `COPY` (into the
//! partitioned table directly, or through a staging table: [`PositionLoad`]), the events by
//! `INSERT … ON CONFLICT DO NOTHING` (the rows not inserted are the duplicates), the touched
//! tracks read, folded with the batch in arrival order and written back by `COPY` plus upsert,
//! and the cursor. It returns after `COMMIT` with `synchronous_commit = on`, that is once the
//! commit record is flushed to the server's write-ahead log.
//!
//! # Box queries
//!
//! A [`BBox`] is a longitude/latitude rectangle whose edges follow meridians and parallels.
//! Planar geometry in SRID 4326 has exactly those edges; a geography polygon's edges are great
//! circles, which bow poleward of the parallels and would miss or add rows near the northern
//! and southern edges. So boxes are answered with `geog::geometry && ST_MakeEnvelope(…)`
//! (served by the GiST index on that expression; the index keeps single-precision boxes
//! rounded outward, so it returns a superset) and then the exact test on the stored
//! double-precision `lon`/`lat`, which also makes the edges belong to the box. The geography
//! column stays for metric SQL (`ST_DWithin(geog, …, metres)`).
//!
//! # Retention
//!
//! [`Store::retain`] drops the partitions of whole days before the cut (counting their rows
//! first, for the report), deletes the rows before the cut from the day it falls in, and
//! deletes older events, in one transaction.
//!
//! # Checking
//!
//! [`Store::check`] verifies every B-tree index of the store's schema with amcheck's
//! `bt_index_check(index, heapallindexed => true)` when the `amcheck` extension is installed
//! (it is created on connect when the role may; otherwise the report says the indexes were not
//! verified), then counts violations of the store's invariants: the schema version, day
//! partitions against their registry and bounds, positions whose target has no track, tracks
//! with inconsistent times or counts, events whose JSON record disagrees with its columns, gaps
//! in the audit sequence, the audit hash chain, and the audit trigger being present and enabled. It reads every row;
//! it is meant for `kuroshio store check`, not for a hot path.

mod schema;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};

use kuroshio_detect::Event;
use kuroshio_model::{Observation, PartnerCode, Position, SourceId, TargetId, Timestamp};
use kuroshio_store::{
    ActivityOutcome, ActivityQuery, ActivityRecord, AuditEntry, AuditRecord, BBox, Batch,
    CheckReport, EventQuery, LatestQuery, PositionRow, PutOutcome, Receipt, RetentionReport, Store,
    StoreError, StoreStats, StoredObject, TimeRange, TrackRow, check_limit, event_target,
    parse_target_key, target_key,
};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Row, Statement, Transaction};

use kuroshio_store::audit_chain::{GENESIS_HASH, append_hash, chain_hash};
use kuroshio_store::fold::{Latest, TrackState};

/// The schema [`PgStore::connect`] uses.
pub const DEFAULT_SCHEMA: &str = "kuroshio";

/// Longest schema name PostgreSQL keeps (NAMEDATALEN - 1 bytes).
pub const SCHEMA_NAME_LEN_MAX: usize = 63;

/// Nanoseconds in a UTC day: the width of a `positions` partition.
const NANOS_PER_DAY: i64 = 86_400 * 1_000_000_000;

/// Most target keys read back per statement when folding tracks: bounds the size of one
/// `= ANY($1)` array parameter (a batch may touch up to [`kuroshio_store::BATCH_RECORDS_MAX`] targets).
const TRACK_KEYS_PER_QUERY_MAX: usize = 50_000;

/// Most events inserted per statement: bounds the array parameters of one `INSERT`.
const EVENTS_PER_STATEMENT_MAX: usize = 50_000;

/// How a batch's positions reach the partitioned `positions` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PositionLoad {
    /// Binary `COPY` straight into `positions`; the server routes each row to its day
    /// partition and computes the generated geography. In the crate's bench the two ways
    /// load at the same rate within noise (the indexes dominate); this one writes the rows
    /// once instead of twice, hence the default.
    #[default]
    Direct,
    /// Binary `COPY` into a session-local staging table, then `INSERT … SELECT` into
    /// `positions`.
    Staged,
}

/// How [`PgStore::connect_with`] opens a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgOptions {
    /// The PostgreSQL schema holding the store's tables: lower-case ASCII letters, digits and
    /// `_`, not starting with a digit, at most [`SCHEMA_NAME_LEN_MAX`] bytes. Created if
    /// missing.
    pub schema: String,
    /// How positions are loaded.
    pub position_load: PositionLoad,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions { schema: DEFAULT_SCHEMA.to_owned(), position_load: PositionLoad::default() }
    }
}

/// The store on PostgreSQL + PostGIS, over one connection.
///
/// Reads take `&self` and share the connection through a mutex; one `PgStore` serves one
/// thread at a time. Several `PgStore`s (processes) may open the same schema: writers take
/// turns through an advisory lock.
pub struct PgStore {
    inner: Mutex<Inner>,
    /// Key of the writers' advisory lock of this schema.
    lock_key: i64,
    position_load: PositionLoad,
    schema: String,
}

/// The connection and what was prepared on it.
struct Inner {
    client: Client,
    statements: Statements,
    /// Days that have a `positions` partition, as far as this connection knows.
    days: BTreeSet<i64>,
}

/// Statements prepared once per connection (the per-call queries of the read path).
struct Statements {
    history: Statement,
    positions: Statement,
    track: Statement,
    event: Statement,
    cursor: Statement,
}

/// Columns of `positions` a row is written with and read back from, in order.
const POSITION_COLUMNS: &str =
    "time_ns, target_key, source, lon, lat, speed_knots, course_deg, heading_deg, altitude_ft";

/// Their types, for binary `COPY`.
const POSITION_TYPES: [Type; 9] = [
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::FLOAT8,
    Type::FLOAT8,
    Type::FLOAT8,
    Type::FLOAT8,
    Type::FLOAT8,
    Type::FLOAT8,
];

/// Columns of `tracks` written and read, in order (`geog` is generated).
const TRACK_COLUMNS: [&str; 26] = [
    "target_key",
    "first_seen_ns",
    "last_seen_ns",
    "source",
    "lon",
    "lat",
    "position_time_ns",
    "speed_knots",
    "speed_time_ns",
    "course_deg",
    "course_time_ns",
    "heading_deg",
    "heading_time_ns",
    "altitude_ft",
    "altitude_time_ns",
    "name",
    "name_time_ns",
    "callsign",
    "callsign_time_ns",
    "imo",
    "imo_time_ns",
    "ship_type",
    "ship_type_time_ns",
    "aircraft_category",
    "aircraft_category_time_ns",
    "observations",
];

/// Their types, for binary `COPY`.
const TRACK_TYPES: [Type; 26] = [
    Type::TEXT,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::FLOAT8,
    Type::FLOAT8,
    Type::INT8,
    Type::FLOAT8,
    Type::INT8,
    Type::FLOAT8,
    Type::INT8,
    Type::FLOAT8,
    Type::INT8,
    Type::FLOAT8,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT2,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::INT8,
];

/// A backend error with what was being done.
fn pg(what: &str, e: postgres::Error) -> StoreError {
    let message = match e.as_db_error() {
        Some(db) => {
            let mut m = format!("{what}: {}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                let _ = write!(m, " ({detail})");
            }
            m
        }
        None => format!("{what}: {e}"),
    };
    StoreError::Backend { backend: "postgres", message }
}

/// A closure mapping a backend error, for `map_err`.
fn ctx(what: &'static str) -> impl FnOnce(postgres::Error) -> StoreError {
    move |e| pg(what, e)
}

/// Validates a schema name (see [`PgOptions::schema`]).
fn check_schema_name(name: &str) -> Result<(), StoreError> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= SCHEMA_NAME_LEN_MAX
        && !b[0].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
        && !name.starts_with("pg_");
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "schema name {name:?}: expected 1-{SCHEMA_NAME_LEN_MAX} of a-z, 0-9, _, \
             not starting with a digit or pg_"
        )))
    }
}

/// A stable 64-bit key for the advisory locks of a schema (FNV-1a; stable across builds).
fn lock_key(schema: &str, purpose: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "kuroshio-store-pg".bytes().chain(purpose.bytes()).chain(schema.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// The UTC day (days since the epoch) of a time in nanoseconds.
fn day_of(time_ns: i64) -> i64 {
    time_ns.div_euclid(NANOS_PER_DAY)
}

/// The partition holding one UTC day: `positions_dYYYYMMDD`.
fn partition_name(day: i64) -> String {
    let (y, m, d, ..) = Timestamp::from_unix_nanos(day.saturating_mul(NANOS_PER_DAY)).to_civil();
    format!("positions_d{y:04}{m:02}{d:02}")
}

/// First nanosecond of a day, `None` below the representable range.
fn day_start_ns(day: i64) -> Option<i64> {
    day.checked_mul(NANOS_PER_DAY)
}

/// First nanosecond after a day, `None` beyond the representable range.
fn day_end_ns(day: i64) -> Option<i64> {
    day.checked_add(1)?.checked_mul(NANOS_PER_DAY)
}

/// `CREATE TABLE … PARTITION OF positions` for one day.
fn create_partition_sql(day: i64) -> String {
    let bound = |v: Option<i64>, open: &str| v.map_or_else(|| open.to_owned(), |n| n.to_string());
    format!(
        "CREATE TABLE IF NOT EXISTS {} PARTITION OF positions FOR VALUES FROM ({}) TO ({})",
        partition_name(day),
        bound(day_start_ns(day), "MINVALUE"),
        bound(day_end_ns(day), "MAXVALUE"),
    )
}

/// Decodes a stored target key.
fn target_of(key: &str) -> Result<TargetId, StoreError> {
    parse_target_key(key).ok_or_else(|| StoreError::Corrupt(format!("target key {key:?}")))
}

/// Decodes a stored source id.
fn source_of(text: &str) -> Result<SourceId, StoreError> {
    SourceId::parse(text).map_err(|e| StoreError::Corrupt(format!("source {text:?}: {e}")))
}

/// Decodes a stored partner code.
fn partner_of(text: Option<String>) -> Result<Option<PartnerCode>, StoreError> {
    text.map(|t| {
        PartnerCode::parse(&t).map_err(|e| StoreError::Corrupt(format!("partner {t:?}: {e}")))
    })
    .transpose()
}

/// One column of a row, with a backend error naming it on a type mismatch.
/// The columns [`activity_of`] reads, in order.
const ACTIVITY_COLUMNS: &str = "source, document, from_ns, to_ns, hulls, payload, raw";

/// An activity record from a row of [`ACTIVITY_COLUMNS`].
fn activity_of(r: &Row) -> Result<ActivityRecord, StoreError> {
    let source: String = col(r, 0)?;
    let document: String = col(r, 1)?;
    let payload: &str = col(r, 5)?;
    let window = TimeRange::new(
        Timestamp::from_unix_nanos(col(r, 2)?),
        Timestamp::from_unix_nanos(col(r, 3)?),
    )
    .ok_or_else(|| {
        StoreError::Corrupt(format!("activity {source}/{document}: window ends before it starts"))
    })?;
    let payload = serde_json::from_str(payload)
        .map_err(|e| StoreError::Corrupt(format!("activity {source}/{document}: {e}")))?;
    Ok(ActivityRecord { window, hulls: col(r, 4)?, payload, raw: col(r, 6)?, source, document })
}

fn col<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, idx: usize) -> Result<T, StoreError> {
    row.try_get(idx).map_err(|e| pg("reading a column", e))
}

/// A `positions` row (columns in [`POSITION_COLUMNS`] order) as the API's row.
fn position_row(row: &Row) -> Result<PositionRow, StoreError> {
    Ok(PositionRow {
        time: Timestamp::from_unix_nanos(col(row, 0)?),
        target: target_of(col(row, 1)?)?,
        source: source_of(col(row, 2)?)?,
        lon: col(row, 3)?,
        lat: col(row, 4)?,
        speed_knots: col(row, 5)?,
        course_deg: col(row, 6)?,
        heading_deg: col(row, 7)?,
        altitude_ft: col(row, 8)?,
    })
}

/// A `tracks` row (columns in [`TRACK_COLUMNS`] order) as the folded state.
fn track_state(row: &Row) -> Result<TrackState, StoreError> {
    let key: &str = col(row, 0)?;
    let lon: Option<f64> = col(row, 4)?;
    let lat: Option<f64> = col(row, 5)?;
    let position = match lon.zip(lat) {
        Some((lon, lat)) => Some(
            Position::new(lon, lat)
                .map_err(|e| StoreError::Corrupt(format!("track {key:?} position: {e}")))?,
        ),
        None => None,
    };
    let imo: Option<i64> = col(row, 19)?;
    let imo = imo
        .map(|v| {
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("track {key:?} imo {v}")))
        })
        .transpose()?;
    let ship_type: Option<i16> = col(row, 21)?;
    let ship_type = ship_type
        .map(|v| {
            u8::try_from(v).map_err(|_| StoreError::Corrupt(format!("track {key:?} ship type {v}")))
        })
        .transpose()?;
    let observations: i64 = col(row, 25)?;
    Ok(TrackState {
        target: target_of(key)?,
        first_seen_ns: col(row, 1)?,
        last_seen_ns: col(row, 2)?,
        source: source_of(col(row, 3)?)?,
        position: Latest::from_columns(position, col(row, 6)?),
        speed_knots: Latest::from_columns(col(row, 7)?, col(row, 8)?),
        course_deg: Latest::from_columns(col(row, 9)?, col(row, 10)?),
        heading_deg: Latest::from_columns(col(row, 11)?, col(row, 12)?),
        altitude_ft: Latest::from_columns(col(row, 13)?, col(row, 14)?),
        name: Latest::from_columns(col(row, 15)?, col(row, 16)?),
        callsign: Latest::from_columns(col(row, 17)?, col(row, 18)?),
        imo: Latest::from_columns(imo, col(row, 20)?),
        ship_type: Latest::from_columns(ship_type, col(row, 22)?),
        aircraft_category: Latest::from_columns(col(row, 23)?, col(row, 24)?),
        observations: observations as u64,
    })
}

/// An `events` row (`body::text`) as the event.
fn event_of(body: &str) -> Result<Event, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("event record: {e}")))
}

/// A time range as `[from_ns, to_ns)`, refusing an inverted one.
fn range_ns(range: &TimeRange) -> Result<(i64, i64), StoreError> {
    if range.to < range.from {
        return Err(StoreError::Invalid(format!(
            "time range {} .. {} inverted",
            range.from, range.to
        )));
    }
    Ok((range.from.unix_nanos(), range.to.unix_nanos()))
}

/// A box given to a query, refusing one `BBox::new` would not build.
fn check_bbox(b: &BBox) -> Result<(), StoreError> {
    BBox::new(b.west, b.south, b.east, b.north)
        .map(|_| ())
        .ok_or_else(|| StoreError::Invalid(format!("box {b:?}")))
}

/// A limit as the `bigint` of a `LIMIT` clause.
fn limit_param(limit: usize) -> Result<i64, StoreError> {
    Ok(check_limit(limit)? as i64)
}

impl PgStore {
    /// Connects to `url` (`postgresql://user@host:port/db`, with a percent-encoded socket
    /// directory as host for a Unix socket, or `host=/dir port=… user=… dbname=…`) and opens
    /// the store in [`DEFAULT_SCHEMA`], creating or migrating it as needed.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        PgStore::connect_with(url, PgOptions::default())
    }

    /// Like [`PgStore::connect`] with the store in another schema, created if missing; each
    /// schema is an independent store (tests give each case a fresh one).
    pub fn connect_schema(url: &str, schema: &str) -> Result<PgStore, StoreError> {
        PgStore::connect_with(url, PgOptions { schema: schema.to_owned(), ..PgOptions::default() })
    }

    /// Connects with explicit options.
    pub fn connect_with(url: &str, options: PgOptions) -> Result<PgStore, StoreError> {
        check_schema_name(&options.schema)?;
        let mut client = Client::connect(url, NoTls).map_err(ctx("connecting"))?;
        client
            .batch_execute(
                "SET synchronous_commit = on; SET application_name = 'kuroshio-store-pg'",
            )
            .map_err(ctx("setting the session"))?;
        let search_path = prepare_database(&mut client, &options.schema)?;
        client
            .batch_execute(&format!("SET search_path = {search_path}"))
            .map_err(ctx("setting search_path"))?;
        migrate(&mut client, &options.schema)?;
        client
            .batch_execute(&format!(
                "CREATE TEMP TABLE positions_in ({}) ON COMMIT DELETE ROWS;
                 CREATE TEMP TABLE tracks_in AS SELECT {} FROM tracks WITH NO DATA;",
                "time_ns bigint, target_key text, source text, lon float8, lat float8, \
                 speed_knots float8, course_deg float8, heading_deg float8, altitude_ft float8",
                TRACK_COLUMNS.join(", "),
            ))
            .map_err(ctx("creating the staging tables"))?;
        let statements = prepare_statements(&mut client)?;
        let days = client
            .query("SELECT day FROM position_days", &[])
            .map_err(ctx("listing partitions"))?
            .iter()
            .map(|r| col::<i64>(r, 0))
            .collect::<Result<BTreeSet<i64>, StoreError>>()?;
        Ok(PgStore {
            inner: Mutex::new(Inner { client, statements, days }),
            lock_key: lock_key(&options.schema, "writer"),
            position_load: options.position_load,
            schema: options.schema,
        })
    }

    /// The schema this store lives in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// Names of the `positions` partitions, oldest day first.
    pub fn partitions(&self) -> Result<Vec<String>, StoreError> {
        let mut inner = self.lock()?;
        let rows = inner
            .client
            .query("SELECT partition FROM position_days ORDER BY day", &[])
            .map_err(ctx("listing partitions"))?;
        rows.iter().map(|r| col::<String>(r, 0)).collect()
    }

    /// Runs SQL statements on the store's connection (`search_path` set to its schema), for
    /// maintenance and tests; returns nothing.
    pub fn execute_sql(&mut self, sql: &str) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        inner.client.batch_execute(sql).map_err(ctx("executing SQL"))
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        self.inner.lock().map_err(|_| StoreError::Backend {
            backend: "postgres",
            message: "the connection's lock was poisoned by a panic".to_owned(),
        })
    }
}

/// Creates what the database needs (PostGIS; `amcheck` where allowed) and returns the
/// `search_path` for the store: its schema, then the schemas holding those extensions.
fn prepare_database(client: &mut Client, schema: &str) -> Result<String, StoreError> {
    let mut tx = client.transaction().map_err(ctx("starting the setup transaction"))?;
    tx.query("SELECT pg_advisory_xact_lock($1)", &[&lock_key("", "extensions")])
        .map_err(ctx("locking the extension setup"))?;
    let installed = |tx: &mut Transaction<'_>, name: &str| -> Result<Option<String>, StoreError> {
        let row = tx
            .query_opt(
                "SELECT quote_ident(n.nspname) FROM pg_extension e \
                 JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1",
                &[&name],
            )
            .map_err(ctx("looking up extensions"))?;
        row.map(|r| col::<String>(&r, 0)).transpose()
    };
    if installed(&mut tx, "postgis")?.is_none() {
        tx.batch_execute("CREATE EXTENSION postgis").map_err(ctx("creating extension postgis"))?;
    }
    if installed(&mut tx, "amcheck")?.is_none() {
        // Only a superuser may create amcheck; without it check() says so and does the rest.
        tx.batch_execute("SAVEPOINT amcheck").map_err(ctx("savepoint"))?;
        if tx.batch_execute("CREATE EXTENSION amcheck").is_err() {
            tx.batch_execute("ROLLBACK TO SAVEPOINT amcheck").map_err(ctx("rollback"))?;
        }
    }
    let mut path = format!("\"{schema}\"");
    for ext in ["postgis", "amcheck"] {
        if let Some(nsp) = installed(&mut tx, ext)? {
            if !path.split(", ").any(|p| p == nsp) {
                path.push_str(", ");
                path.push_str(&nsp);
            }
        }
    }
    tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        .map_err(ctx("creating the schema"))?;
    tx.commit().map_err(ctx("committing the setup"))?;
    Ok(path)
}

/// Applies the migrations not yet applied, in one transaction.
fn migrate(client: &mut Client, schema: &str) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(ctx("starting the migration"))?;
    tx.query("SELECT pg_advisory_xact_lock($1)", &[&lock_key(schema, "migrate")])
        .map_err(ctx("locking the migration"))?;
    tx.batch_execute(schema::BOOTSTRAP).map_err(ctx("creating the meta table"))?;
    let row = tx
        .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .map_err(ctx("reading the schema version"))?;
    let text: String = col(&row, 0)?;
    let version: i64 = text
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("schema version {text:?} is not a number")))?;
    let latest = schema::latest_version();
    if version > latest {
        return Err(StoreError::Corrupt(format!(
            "schema {schema} is at version {version}, newer than this build's {latest}"
        )));
    }
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.batch_execute(sql).map_err(|e| pg(&format!("applying migration {}", i + 1), e))?;
        if i + 1 == schema::AUDIT_CHAIN_VERSION {
            hash_existing_audit(&mut tx)?;
        }
    }
    tx.execute("UPDATE meta SET value = $1 WHERE key = 'schema_version'", &[&latest.to_string()])
        .map_err(ctx("recording the schema version"))?;
    tx.commit().map_err(ctx("committing the migration"))
}

/// Audit records hashed per round trip when migrating a log written before the chain: bounds
/// the rows held in memory at once.
const AUDIT_MIGRATE_PAGE_ROWS: i64 = 10_000;

/// Computes the hash chain over the audit records stored before the `hash` column existed, in
/// sequence order, then makes the column NOT NULL. The append-only trigger is disabled for
/// this inside the migration's transaction only, so no other session ever sees it off.
fn hash_existing_audit(tx: &mut Transaction<'_>) -> Result<(), StoreError> {
    tx.batch_execute("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
        .map_err(ctx("disabling the audit trigger for the migration"))?;
    let update = tx
        .prepare("UPDATE audit SET hash = $1 WHERE seq = $2")
        .map_err(ctx("preparing the audit hash update"))?;
    let mut prev = GENESIS_HASH;
    let mut after: i64 = 0;
    loop {
        let rows = tx
            .query(
                &format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2"),
                &[&after, &AUDIT_MIGRATE_PAGE_ROWS],
            )
            .map_err(ctx("reading the audit log to hash it"))?;
        for r in &rows {
            let (seq, entry) = audit_entry_of(r)?;
            let hash = chain_hash(&prev, seq, &entry);
            tx.execute(&update, &[&&hash[..], &(seq as i64)])
                .map_err(ctx("storing an audit hash"))?;
            prev = hash;
            after = seq as i64;
        }
        if (rows.len() as i64) < AUDIT_MIGRATE_PAGE_ROWS {
            break;
        }
    }
    tx.batch_execute(
        "ALTER TABLE audit ENABLE TRIGGER audit_append_only;
         ALTER TABLE audit ALTER COLUMN hash SET NOT NULL;",
    )
    .map_err(ctx("finishing the audit hash migration"))
}

/// Columns of `audit` read as a record, in order (`detail` as its stored text).
const AUDIT_COLUMNS: &str = "seq, time_ns, actor, action, object_id, peer, detail::text";

/// An `audit` row (columns in [`AUDIT_COLUMNS`] order) as its sequence number and entry.
fn audit_entry_of(r: &Row) -> Result<(u64, AuditEntry), StoreError> {
    let seq: i64 = col(r, 0)?;
    let detail: &str = col(r, 6)?;
    let entry = AuditEntry {
        time: Timestamp::from_unix_nanos(col(r, 1)?),
        actor: col(r, 2)?,
        action: col(r, 3)?,
        object_id: col(r, 4)?,
        peer: partner_of(col(r, 5)?)
            .map_err(|e| StoreError::Corrupt(format!("audit entry {seq}: {e}")))?,
        detail: serde_json::from_str(detail)
            .map_err(|e| StoreError::Corrupt(format!("audit entry {seq} detail: {e}")))?,
    };
    let seq = u64::try_from(seq)
        .map_err(|_| StoreError::Corrupt(format!("audit entry {seq}: negative sequence")))?;
    Ok((seq, entry))
}

fn prepare_statements(client: &mut Client) -> Result<Statements, StoreError> {
    let mut prep = |sql: &str| client.prepare(sql).map_err(|e| pg("preparing a statement", e));
    Ok(Statements {
        history: prep(&format!(
            "SELECT {POSITION_COLUMNS} FROM positions \
             WHERE target_key = $1 AND time_ns >= $2 AND time_ns < $3 \
             ORDER BY time_ns, seq LIMIT $4"
        ))?,
        positions: prep(&format!(
            "SELECT {POSITION_COLUMNS} FROM positions \
             WHERE time_ns >= $1 AND time_ns < $2 \
             AND geog::geometry && ST_MakeEnvelope($3, $4, $5, $6, 4326) \
             AND lon BETWEEN $3 AND $5 AND lat BETWEEN $4 AND $6 \
             ORDER BY time_ns, target_key, seq LIMIT $7"
        ))?,
        track: prep(&format!(
            "SELECT {} FROM tracks WHERE target_key = $1",
            TRACK_COLUMNS.join(", ")
        ))?,
        event: prep("SELECT body::text FROM events WHERE id = $1")?,
        cursor: prep("SELECT stream_offset FROM cursors WHERE stream = $1")?,
    })
}

/// What one batch writes, prepared before the transaction starts.
struct Prepared {
    /// Indexes in the batch of the observations with a position, in arrival order, with it.
    positions: Vec<(usize, Position)>,
    /// Target keys of all observations, in arrival order.
    keys: Vec<String>,
    /// Days the positions fall on.
    days: BTreeSet<i64>,
}

fn prepare_batch(batch: &Batch<'_>) -> Result<Prepared, StoreError> {
    batch.check_limits()?;
    let mut positions = Vec::with_capacity(batch.observations.len());
    let mut days = BTreeSet::new();
    for (i, o) in batch.observations.iter().enumerate() {
        if let Some(p) = o.position {
            positions.push((i, p));
            days.insert(day_of(o.time.unix_nanos()));
        }
    }
    let keys = batch.observations.iter().map(|o| target_key(&o.target)).collect();
    Ok(Prepared { positions, keys, days })
}

/// Writes the positions by binary COPY, into `table` (`positions` or the staging table).
fn copy_positions(
    tx: &mut Transaction<'_>,
    table: &str,
    prepared: &Prepared,
    batch: &Batch<'_>,
) -> Result<u64, StoreError> {
    let sink = tx
        .copy_in(&format!("COPY {table} ({POSITION_COLUMNS}) FROM STDIN (FORMAT binary)"))
        .map_err(ctx("starting COPY of positions"))?;
    let mut writer = BinaryCopyInWriter::new(sink, &POSITION_TYPES);
    for &(idx, p) in &prepared.positions {
        let o = &batch.observations[idx];
        let k = &o.kinematics;
        writer
            .write(&[
                &o.time.unix_nanos(),
                &prepared.keys[idx],
                &o.source.as_str(),
                &p.lon_deg(),
                &p.lat_deg(),
                &k.speed_knots,
                &k.course_deg,
                &k.heading_deg,
                &k.altitude_ft,
            ])
            .map_err(ctx("writing positions"))?;
    }
    writer.finish().map_err(ctx("finishing COPY of positions"))
}

/// Inserts events, skipping ids already stored; returns (stored, duplicates).
fn insert_events(tx: &mut Transaction<'_>, events: &[Event]) -> Result<(u64, u64), StoreError> {
    let mut stored = 0u64;
    for chunk in events.chunks(EVENTS_PER_STATEMENT_MAX) {
        let ids: Vec<&str> = chunk.iter().map(|e| e.id.as_str()).collect();
        let times: Vec<i64> = chunk.iter().map(|e| e.time.unix_nanos()).collect();
        let kinds: Vec<&str> = chunk.iter().map(|e| e.kind.name()).collect();
        let zones: Vec<Option<&str>> = chunk.iter().map(|e| e.zone.as_deref()).collect();
        let targets: Vec<Option<String>> =
            chunk.iter().map(|e| event_target(e).map(|t| target_key(&t))).collect();
        let bodies = chunk
            .iter()
            .map(|e| {
                serde_json::to_string(e).map_err(|err| {
                    StoreError::Invalid(format!("event {} cannot be written: {err}", e.id))
                })
            })
            .collect::<Result<Vec<String>, StoreError>>()?;
        stored += tx
            .execute(
                "INSERT INTO events (id, time_ns, kind, zone, target_key, body) \
                 SELECT id, time_ns, kind, zone, target_key, body::json \
                 FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], \
                             $6::text[]) AS u(id, time_ns, kind, zone, target_key, body) \
                 ON CONFLICT (id) DO NOTHING",
                &[&ids, &times, &kinds, &zones, &targets, &bodies],
            )
            .map_err(ctx("inserting events"))?;
    }
    Ok((stored, events.len() as u64 - stored))
}

/// Reads the tracks of the batch's targets, folds the batch in and writes them back.
fn upsert_tracks(
    tx: &mut Transaction<'_>,
    prepared: &Prepared,
    observations: &[Observation],
) -> Result<(), StoreError> {
    if observations.is_empty() {
        return Ok(());
    }
    let mut order: Vec<&str> = Vec::new();
    let mut states: HashMap<&str, Option<TrackState>> = HashMap::new();
    for key in &prepared.keys {
        if states.insert(key.as_str(), None).is_none() {
            order.push(key.as_str());
        }
    }
    let select = format!(
        "SELECT {} FROM tracks WHERE target_key = ANY($1::text[])",
        TRACK_COLUMNS.join(", ")
    );
    for chunk in order.chunks(TRACK_KEYS_PER_QUERY_MAX) {
        for row in tx.query(&select, &[&chunk]).map_err(ctx("reading tracks"))? {
            let state = track_state(&row)?;
            let key: &str = col(&row, 0)?;
            if let Some(slot) = states.get_mut(key) {
                *slot = Some(state);
            }
        }
    }
    for (o, key) in observations.iter().zip(&prepared.keys) {
        if let Some(slot) = states.get_mut(key.as_str()) {
            match slot {
                Some(state) => state.fold(o),
                None => *slot = Some(TrackState::new(o)),
            }
        }
    }
    let sink = tx
        .copy_in(&format!(
            "COPY tracks_in ({}) FROM STDIN (FORMAT binary)",
            TRACK_COLUMNS.join(", ")
        ))
        .map_err(ctx("starting COPY of tracks"))?;
    let mut writer = BinaryCopyInWriter::new(sink, &TRACK_TYPES);
    for key in &order {
        let Some(Some(s)) = states.get(key) else { continue };
        let lon = s.position.value.as_ref().map(|p| p.lon_deg());
        let lat = s.position.value.as_ref().map(|p| p.lat_deg());
        let imo = s.imo.value.as_ref().map(|v| i64::from(*v));
        let ship_type = s.ship_type.value.as_ref().map(|v| i16::from(*v));
        let observations = s.observations as i64;
        let row: [&(dyn ToSql + Sync); 26] = [
            key,
            &s.first_seen_ns,
            &s.last_seen_ns,
            &s.source.as_str(),
            &lon,
            &lat,
            &s.position.time_column(),
            &s.speed_knots.value.as_ref(),
            &s.speed_knots.time_column(),
            &s.course_deg.value.as_ref(),
            &s.course_deg.time_column(),
            &s.heading_deg.value.as_ref(),
            &s.heading_deg.time_column(),
            &s.altitude_ft.value.as_ref(),
            &s.altitude_ft.time_column(),
            &s.name.value.as_ref(),
            &s.name.time_column(),
            &s.callsign.value.as_ref(),
            &s.callsign.time_column(),
            &imo,
            &s.imo.time_column(),
            &ship_type,
            &s.ship_type.time_column(),
            &s.aircraft_category.value.as_ref(),
            &s.aircraft_category.time_column(),
            &observations,
        ];
        writer.write(&row).map_err(ctx("writing tracks"))?;
    }
    writer.finish().map_err(ctx("finishing COPY of tracks"))?;
    let columns = TRACK_COLUMNS.join(", ");
    let updates: Vec<String> =
        TRACK_COLUMNS[1..].iter().map(|c| format!("{c} = EXCLUDED.{c}")).collect();
    tx.batch_execute(&format!(
        "INSERT INTO tracks ({columns}) SELECT {columns} FROM tracks_in \
         ON CONFLICT (target_key) DO UPDATE SET {}; TRUNCATE tracks_in",
        updates.join(", ")
    ))
    .map_err(ctx("upserting tracks"))
}

impl Store for PgStore {
    fn append(&mut self, batch: &Batch<'_>) -> Result<Receipt, StoreError> {
        let prepared = prepare_batch(batch)?;
        let lock_key = self.lock_key;
        let load = self.position_load;
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let mut tx = inner.client.transaction().map_err(ctx("starting the batch"))?;
        tx.query("SELECT pg_advisory_xact_lock($1)", &[&lock_key])
            .map_err(ctx("taking the writers' lock"))?;
        let new_days: Vec<i64> =
            prepared.days.iter().copied().filter(|d| !inner.days.contains(d)).collect();
        for &day in &new_days {
            tx.batch_execute(&create_partition_sql(day))
                .map_err(|e| pg(&format!("creating partition {}", partition_name(day)), e))?;
            tx.execute(
                "INSERT INTO position_days (day, partition) VALUES ($1, $2) \
                 ON CONFLICT (day) DO NOTHING",
                &[&day, &partition_name(day)],
            )
            .map_err(ctx("registering a partition"))?;
        }
        let positions = if prepared.positions.is_empty() {
            0
        } else {
            match load {
                PositionLoad::Direct => copy_positions(&mut tx, "positions", &prepared, batch)?,
                PositionLoad::Staged => {
                    let n = copy_positions(&mut tx, "positions_in", &prepared, batch)?;
                    tx.batch_execute(&format!(
                        "INSERT INTO positions ({POSITION_COLUMNS}) \
                         SELECT {POSITION_COLUMNS} FROM positions_in; TRUNCATE positions_in"
                    ))
                    .map_err(ctx("moving staged positions"))?;
                    n
                }
            }
        };
        let (events, duplicate_events) = insert_events(&mut tx, batch.events)?;
        upsert_tracks(&mut tx, &prepared, batch.observations)?;
        if let Some(c) = &batch.cursor {
            tx.execute(
                "INSERT INTO cursors (stream, stream_offset) VALUES ($1, $2) \
                 ON CONFLICT (stream) DO UPDATE SET stream_offset = EXCLUDED.stream_offset",
                &[&c.stream, &(c.offset as i64)],
            )
            .map_err(ctx("saving the cursor"))?;
        }
        tx.commit().map_err(ctx("committing the batch"))?;
        inner.days.extend(new_days);
        Ok(Receipt {
            positions,
            without_position: (batch.observations.len() - prepared.positions.len()) as u64,
            events,
            duplicate_events,
        })
    }

    fn cursor(&self, stream: &str) -> Result<Option<u64>, StoreError> {
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let row = inner
            .client
            .query_opt(&inner.statements.cursor, &[&stream])
            .map_err(ctx("reading a cursor"))?;
        row.map(|r| col::<i64>(&r, 0).map(|v| v as u64)).transpose()
    }

    fn latest(&self, query: &LatestQuery) -> Result<Vec<TrackRow>, StoreError> {
        let limit = limit_param(query.limit)?;
        let mut sql = format!("SELECT {} FROM tracks WHERE true", TRACK_COLUMNS.join(", "));
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        if let Some(b) = &query.bbox {
            check_bbox(b)?;
            params.extend([b.west, b.south, b.east, b.north].map(|v| Box::new(v) as _));
            sql.push_str(
                " AND geog::geometry && ST_MakeEnvelope($1, $2, $3, $4, 4326) \
                 AND lon BETWEEN $1 AND $3 AND lat BETWEEN $2 AND $4",
            );
        }
        if let Some(since) = query.seen_since {
            params.push(Box::new(since.unix_nanos()));
            let _ = write!(sql, " AND last_seen_ns >= ${}", params.len());
        }
        params.push(Box::new(limit));
        let _ = write!(sql, " ORDER BY last_seen_ns DESC, target_key LIMIT ${}", params.len());
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let mut inner = self.lock()?;
        let rows = inner.client.query(&sql, &refs).map_err(ctx("querying tracks"))?;
        rows.iter().map(|r| track_state(r).map(|s| s.to_row())).collect()
    }

    fn track(&self, target: &TargetId) -> Result<Option<TrackRow>, StoreError> {
        let key = target_key(target);
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let row = inner
            .client
            .query_opt(&inner.statements.track, &[&key])
            .map_err(ctx("reading a track"))?;
        row.map(|r| track_state(&r).map(|s| s.to_row())).transpose()
    }

    fn history(
        &self,
        target: &TargetId,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, StoreError> {
        let limit = limit_param(limit)?;
        let (from, to) = range_ns(&range)?;
        let key = target_key(target);
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let rows = inner
            .client
            .query(&inner.statements.history, &[&key, &from, &to, &limit])
            .map_err(ctx("querying history"))?;
        rows.iter().map(position_row).collect()
    }

    fn positions(
        &self,
        bbox: BBox,
        range: TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, StoreError> {
        let limit = limit_param(limit)?;
        let (from, to) = range_ns(&range)?;
        check_bbox(&bbox)?;
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let rows = inner
            .client
            .query(
                &inner.statements.positions,
                &[&from, &to, &bbox.west, &bbox.south, &bbox.east, &bbox.north, &limit],
            )
            .map_err(ctx("querying positions"))?;
        rows.iter().map(position_row).collect()
    }

    fn events(&self, query: &EventQuery) -> Result<Vec<Event>, StoreError> {
        let limit = limit_param(query.limit)?;
        let mut sql = String::from("SELECT body::text FROM events WHERE true");
        let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        if !query.kinds.is_empty() {
            let kinds: Vec<String> = query.kinds.iter().map(|k| k.name().to_owned()).collect();
            params.push(Box::new(kinds));
            let _ = write!(sql, " AND kind = ANY(${}::text[])", params.len());
        }
        if let Some(zone) = &query.zone {
            params.push(Box::new(zone.clone()));
            let _ = write!(sql, " AND zone = ${}", params.len());
        }
        if let Some(target) = &query.target {
            params.push(Box::new(target_key(target)));
            let _ = write!(sql, " AND target_key = ${}", params.len());
        }
        if let Some(range) = &query.range {
            let (from, to) = range_ns(range)?;
            params.push(Box::new(from));
            params.push(Box::new(to));
            let n = params.len();
            let _ = write!(sql, " AND time_ns >= ${} AND time_ns < ${n}", n - 1);
        }
        params.push(Box::new(limit));
        let _ = write!(sql, " ORDER BY time_ns, id LIMIT ${}", params.len());
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let mut inner = self.lock()?;
        let rows = inner.client.query(&sql, &refs).map_err(ctx("querying events"))?;
        rows.iter().map(|r| event_of(col(r, 0)?)).collect()
    }

    fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let row = inner
            .client
            .query_opt(&inner.statements.event, &[&id])
            .map_err(ctx("reading an event"))?;
        row.map(|r| event_of(col(&r, 0)?)).transpose()
    }

    fn put_object(&mut self, object: &StoredObject) -> Result<PutOutcome, StoreError> {
        let marking = serde_json::to_string(&object.marking)
            .map_err(|e| StoreError::Invalid(format!("marking of {}: {e}", object.id)))?;
        let from = object.received_from.map(|p| p.as_str().to_owned());
        let mut inner = self.lock()?;
        let n = inner
            .client
            .execute(
                "INSERT INTO objects (id, version, kind, marking, received_from, body) \
                 VALUES ($1, $2, $3, $4::text::json, $5, $6) ON CONFLICT (id, version) DO NOTHING",
                &[&object.id, &object.version, &object.kind, &marking, &from, &object.body],
            )
            .map_err(ctx("storing an object"))?;
        Ok(if n == 1 { PutOutcome::Stored } else { PutOutcome::Duplicate })
    }

    fn object(&self, id: &str, version: Option<&str>) -> Result<Option<StoredObject>, StoreError> {
        let mut inner = self.lock()?;
        let columns = "id, version, kind, marking::text, received_from, body";
        let row = match version {
            Some(v) => inner.client.query_opt(
                &format!("SELECT {columns} FROM objects WHERE id = $1 AND version = $2"),
                &[&id, &v],
            ),
            None => inner.client.query_opt(
                &format!(
                    "SELECT {columns} FROM objects WHERE id = $1 ORDER BY version DESC LIMIT 1"
                ),
                &[&id],
            ),
        }
        .map_err(ctx("reading an object"))?;
        let Some(r) = row else { return Ok(None) };
        let marking: &str = col(&r, 3)?;
        Ok(Some(StoredObject {
            id: col(&r, 0)?,
            version: col(&r, 1)?,
            kind: col(&r, 2)?,
            marking: serde_json::from_str(marking)
                .map_err(|e| StoreError::Corrupt(format!("marking of object {id}: {e}")))?,
            received_from: partner_of(col(&r, 4)?)?,
            body: col(&r, 5)?,
        }))
    }

    fn object_versions(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut inner = self.lock()?;
        let rows = inner
            .client
            .query("SELECT version FROM objects WHERE id = $1 ORDER BY version", &[&id])
            .map_err(ctx("listing object versions"))?;
        rows.iter().map(|r| col(r, 0)).collect()
    }

    fn put_activity(&mut self, record: &ActivityRecord) -> Result<ActivityOutcome, StoreError> {
        record.check()?;
        let payload = serde_json::to_string(&record.payload)
            .map_err(|e| StoreError::Invalid(format!("activity payload: {e}")))?;
        let mut inner = self.lock()?;
        let mut tx = inner.client.transaction().map_err(ctx("starting an activity put"))?;
        let found = tx
            .query_opt(
                &format!(
                    "SELECT {ACTIVITY_COLUMNS} FROM activity \
                     WHERE source = $1 AND document = $2 FOR UPDATE"
                ),
                &[&record.source, &record.document],
            )
            .map_err(ctx("reading an activity record"))?;
        let outcome = match found.as_ref().map(activity_of).transpose()? {
            Some(old) if old == *record => return Ok(ActivityOutcome::Duplicate),
            Some(_) => ActivityOutcome::Replaced,
            None => ActivityOutcome::Stored,
        };
        tx.execute(
            "INSERT INTO activity (source, document, from_ns, to_ns, hulls, payload, raw) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source, document) DO UPDATE SET \
             from_ns = EXCLUDED.from_ns, to_ns = EXCLUDED.to_ns, hulls = EXCLUDED.hulls, \
             payload = EXCLUDED.payload, raw = EXCLUDED.raw",
            &[
                &record.source,
                &record.document,
                &record.window.from.unix_nanos(),
                &record.window.to.unix_nanos(),
                &record.hulls,
                &payload,
                &record.raw,
            ],
        )
        .map_err(ctx("storing an activity record"))?;
        tx.commit().map_err(ctx("committing an activity record"))?;
        Ok(outcome)
    }

    fn activities(&self, query: &ActivityQuery) -> Result<Vec<ActivityRecord>, StoreError> {
        let limit = check_limit(query.limit)? as i64;
        let mut inner = self.lock()?;
        let rows = inner
            .client
            .query(
                &format!(
                    "SELECT {ACTIVITY_COLUMNS} FROM activity \
                     WHERE ((from_ns < $2 AND to_ns > $1) \
                            OR (from_ns = to_ns AND from_ns >= $1 AND from_ns < $2)) \
                       AND ($3::text IS NULL OR source = $3) \
                       AND ($4::text IS NULL OR $4 = ANY (hulls)) \
                     ORDER BY from_ns, source, document LIMIT $5"
                ),
                &[
                    &query.range.from.unix_nanos(),
                    &query.range.to.unix_nanos(),
                    &query.source,
                    &query.hull,
                    &limit,
                ],
            )
            .map_err(ctx("reading activity records"))?;
        rows.iter().map(activity_of).collect()
    }

    fn audit_append(&mut self, entry: &AuditEntry) -> Result<u64, StoreError> {
        let peer = entry.peer.map(|p| p.as_str().to_owned());
        let mut inner = self.lock()?;
        let mut tx = inner.client.transaction().map_err(ctx("starting an audit append"))?;
        // Readers go on; writers queue, so the last record read here is still the last at the
        // insert: the sequence has no gap and no duplicate, and the chain no fork.
        tx.batch_execute("LOCK TABLE audit IN EXCLUSIVE MODE").map_err(ctx("locking audit"))?;
        let last = tx
            .query_opt("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])
            .map_err(ctx("reading the last audit record"))?;
        let (seq, prev) = match last {
            None => (1i64, GENESIS_HASH),
            Some(r) => {
                let seq: i64 = col(&r, 0)?;
                let hash: &[u8] = col(&r, 1)?;
                let prev = <[u8; 32]>::try_from(hash).map_err(|_| {
                    StoreError::Corrupt(format!(
                        "audit entry {seq}: hash of {} bytes, expected 32",
                        hash.len()
                    ))
                })?;
                let next = seq
                    .checked_add(1)
                    .ok_or_else(|| StoreError::Corrupt("audit sequence overflow".to_owned()))?;
                (next, prev)
            }
        };
        let (detail, hash) = append_hash(&prev, seq as u64, entry)?;
        tx.execute(
            "INSERT INTO audit (seq, time_ns, actor, action, object_id, peer, detail, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8)",
            &[
                &seq,
                &entry.time.unix_nanos(),
                &entry.actor,
                &entry.action,
                &entry.object_id,
                &peer,
                &detail,
                &&hash[..],
            ],
        )
        .map_err(ctx("appending to the audit log"))?;
        tx.commit().map_err(ctx("committing an audit entry"))?;
        Ok(seq as u64)
    }

    fn audit(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditRecord>, StoreError> {
        let limit = limit_param(limit)?;
        let from = i64::try_from(from_seq).unwrap_or(i64::MAX);
        let mut inner = self.lock()?;
        let rows = inner
            .client
            .query(
                &format!(
                    "SELECT {AUDIT_COLUMNS}, hash FROM audit \
                     WHERE seq >= $1 ORDER BY seq LIMIT $2"
                ),
                &[&from, &limit],
            )
            .map_err(ctx("reading the audit log"))?;
        rows.iter()
            .map(|r| {
                let (seq, entry) = audit_entry_of(r)?;
                let hash: &[u8] = col(r, 7)?;
                let hash = <[u8; 32]>::try_from(hash).map_err(|_| {
                    StoreError::Corrupt(format!(
                        "audit entry {seq}: hash of {} bytes, expected 32",
                        hash.len()
                    ))
                })?;
                Ok(AuditRecord { seq, entry, hash })
            })
            .collect()
    }

    fn retain(&mut self, before: Timestamp) -> Result<RetentionReport, StoreError> {
        let before_ns = before.unix_nanos();
        let lock_key = self.lock_key;
        let mut inner = self.lock()?;
        let inner = &mut *inner;
        let mut tx = inner.client.transaction().map_err(ctx("starting retention"))?;
        tx.query("SELECT pg_advisory_xact_lock($1)", &[&lock_key])
            .map_err(ctx("taking the writers' lock"))?;
        let days = tx
            .query("SELECT day, partition FROM position_days ORDER BY day", &[])
            .map_err(ctx("listing partitions"))?;
        let mut positions = 0u64;
        let mut dropped = Vec::new();
        for row in &days {
            let day: i64 = col(row, 0)?;
            let name: &str = col(row, 1)?;
            if name != partition_name(day) {
                return Err(StoreError::Corrupt(format!(
                    "position_days lists {name:?} for day {day}, expected {}",
                    partition_name(day)
                )));
            }
            if day_start_ns(day).is_some_and(|start| start >= before_ns) {
                continue;
            }
            if day_end_ns(day).is_some_and(|end| end <= before_ns) {
                let count = tx
                    .query_one(&format!("SELECT count(*) FROM \"{name}\""), &[])
                    .map_err(ctx("counting a partition"))?;
                positions += col::<i64>(&count, 0)? as u64;
                tx.batch_execute(&format!("DROP TABLE \"{name}\""))
                    .map_err(|e| pg(&format!("dropping partition {name}"), e))?;
                tx.execute("DELETE FROM position_days WHERE day = $1", &[&day])
                    .map_err(ctx("unregistering a partition"))?;
                dropped.push(day);
            } else {
                positions += tx
                    .execute(&format!("DELETE FROM \"{name}\" WHERE time_ns < $1"), &[&before_ns])
                    .map_err(|e| pg(&format!("trimming partition {name}"), e))?;
            }
        }
        let events = tx
            .execute("DELETE FROM events WHERE time_ns < $1", &[&before_ns])
            .map_err(ctx("deleting old events"))?;
        tx.commit().map_err(ctx("committing retention"))?;
        for day in dropped {
            inner.days.remove(&day);
        }
        Ok(RetentionReport { positions, events })
    }

    fn check(&self) -> Result<CheckReport, StoreError> {
        let mut report = CheckReport::default();
        // Reads the log through `audit`, which takes the connection's lock itself.
        kuroshio_store::audit_chain::check_into(self, &mut report);
        let mut inner = self.lock()?;
        let client = &mut inner.client;
        check_version(client, &mut report)?;
        check_indexes(client, &mut report)?;
        check_partitions(client, &mut report)?;
        for (what, sql) in CONSISTENCY_QUERIES {
            let row = client.query_one(*sql, &[]).map_err(|e| pg(what, e))?;
            let bad: i64 = col(&row, 0)?;
            if bad == 0 {
                report.checked.push(format!("{what}: ok"));
            } else {
                report.problems.push(format!("{what}: {bad} violations"));
            }
        }
        let trigger = client
            .query_one(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit'::regclass \
                 AND tgname = 'audit_append_only' AND tgenabled <> 'D'",
                &[],
            )
            .map_err(ctx("looking up the audit trigger"))?;
        if col::<i64>(&trigger, 0)? == 1 {
            report.checked.push("audit append-only trigger: enabled".to_owned());
        } else {
            report.problems.push("audit append-only trigger missing or disabled".to_owned());
        }
        Ok(report)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let mut inner = self.lock()?;
        let row = inner
            .client
            .query_one(
                "SELECT (SELECT count(*) FROM positions), (SELECT count(*) FROM tracks), \
                 (SELECT count(*) FROM events), (SELECT count(*) FROM objects), \
                 (SELECT count(*) FROM audit)",
                &[],
            )
            .map_err(ctx("counting rows"))?;
        let n = |i: usize| col::<i64>(&row, i).map(|v| v as u64);
        Ok(StoreStats {
            positions: n(0)?,
            tracks: n(1)?,
            events: n(2)?,
            objects: n(3)?,
            audit: n(4)?,
        })
    }
}

/// Consistency checks: each query counts rows that break one invariant.
const CONSISTENCY_QUERIES: &[(&str, &str)] = &[
    (
        "positions without a track",
        "SELECT count(*) FROM (SELECT DISTINCT target_key FROM positions) p \
         WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.target_key = p.target_key)",
    ),
    (
        "tracks with inconsistent times or counts",
        "SELECT count(*) FROM tracks WHERE first_seen_ns > last_seen_ns OR observations < 1 \
         OR (lon IS NULL) <> (position_time_ns IS NULL) OR (lat IS NULL) <> (lon IS NULL) \
         OR position_time_ns NOT BETWEEN first_seen_ns AND last_seen_ns",
    ),
    (
        "events whose record disagrees with its columns",
        "SELECT count(*) FROM events WHERE body->>'id' IS DISTINCT FROM id \
         OR body->>'kind' IS DISTINCT FROM kind",
    ),
    (
        "audit sequence gaps",
        "SELECT coalesce(max(seq), 0) - count(*) + CASE WHEN min(seq) > 1 THEN 1 ELSE 0 END \
         FROM audit",
    ),
];

/// The stored schema version is this build's.
fn check_version(client: &mut Client, report: &mut CheckReport) -> Result<(), StoreError> {
    let row = client
        .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .map_err(ctx("reading the schema version"))?;
    let v: String = col(&row, 0)?;
    if v == schema::latest_version().to_string() {
        report.checked.push(format!("schema version: {v}"));
    } else {
        report.problems.push(format!("schema version {v}, expected {}", schema::latest_version()));
    }
    Ok(())
}

/// Verifies every B-tree index of the schema (partitions' included) with amcheck's
/// `bt_index_check` when the extension is installed.
fn check_indexes(client: &mut Client, report: &mut CheckReport) -> Result<(), StoreError> {
    let have = client
        .query_one("SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'", &[])
        .map_err(ctx("looking up amcheck"))?;
    if col::<i64>(&have, 0)? == 0 {
        report.checked.push("amcheck: not installed, B-tree indexes not verified".to_owned());
        return Ok(());
    }
    let indexes = client
        .query(
            "SELECT c.oid::regclass::text, c.oid FROM pg_class c \
             JOIN pg_am am ON am.oid = c.relam \
             WHERE c.relkind = 'i' AND am.amname = 'btree' \
             AND c.relnamespace = current_schema()::regnamespace ORDER BY 1",
            &[],
        )
        .map_err(ctx("listing indexes"))?;
    let mut verified = 0usize;
    for row in &indexes {
        let name: String = col(row, 0)?;
        let oid: postgres::types::Oid = col(row, 1)?;
        match client.query("SELECT bt_index_check($1::oid::regclass, true)", &[&oid]) {
            Ok(_) => verified += 1,
            Err(e) => report.problems.push(pg(&format!("amcheck {name}"), e).to_string()),
        }
    }
    report.checked.push(format!("amcheck bt_index_check (heapallindexed): {verified} indexes"));
    Ok(())
}

/// The registered day partitions and the table's actual partitions agree.
fn check_partitions(client: &mut Client, report: &mut CheckReport) -> Result<(), StoreError> {
    let rows = client
        .query(
            "SELECT coalesce(d.partition, c.relname::text), d.day, c.relname IS NOT NULL, \
                    pg_get_expr(c.relpartbound, c.oid) \
             FROM position_days d FULL JOIN \
                  (SELECT c.relname, c.oid, c.relpartbound FROM pg_inherits i \
                   JOIN pg_class c ON c.oid = i.inhrelid \
                   WHERE i.inhparent = 'positions'::regclass) c \
             ON c.relname::text = d.partition",
            &[],
        )
        .map_err(ctx("listing partitions"))?;
    for row in &rows {
        let name: String = col(row, 0)?;
        let day: Option<i64> = col(row, 1)?;
        let exists: bool = col(row, 2)?;
        let bound: Option<String> = col(row, 3)?;
        match (day, exists) {
            (Some(day), true) => {
                let want = |v: Option<i64>, open: &str| {
                    v.map_or_else(|| open.to_owned(), |n| format!("'{n}'"))
                };
                let expected = format!(
                    "FOR VALUES FROM ({}) TO ({})",
                    want(day_start_ns(day), "MINVALUE"),
                    want(day_end_ns(day), "MAXVALUE")
                );
                if name != partition_name(day) || bound.as_deref() != Some(expected.as_str()) {
                    report.problems.push(format!(
                        "partition {name}: bounds {bound:?}, expected day {day} ({expected})"
                    ));
                }
            }
            (Some(_), false) => {
                report.problems.push(format!("partition {name} registered but missing"));
            }
            (None, _) => {
                report.problems.push(format!("partition {name} not registered"));
            }
        }
    }
    report.checked.push(format!("positions partitions: {}", rows.len()));
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn partition_names_and_bounds() {
        // 2024-08-01T00:00:00Z is Unix time 1722470400 (date -u -d 2024-08-01 +%s).
        let t = 1_722_470_400 * 1_000_000_000i64;
        let day = day_of(t + 5);
        assert_eq!(partition_name(day), "positions_d20240801");
        assert_eq!(day_start_ns(day), Some(t));
        assert_eq!(day_end_ns(day), Some(t + NANOS_PER_DAY));
        assert_eq!(day_of(t - 1), day - 1);
        assert_eq!(partition_name(day_of(-1)), "positions_d19691231");
        let last = day_of(i64::MAX);
        assert_eq!(day_end_ns(last), None);
        assert!(create_partition_sql(last).ends_with("TO (MAXVALUE)"));
        assert!(create_partition_sql(day_of(i64::MIN)).contains("FROM (MINVALUE)"));
    }

    #[test]
    fn schema_names() {
        for ok in ["kuroshio", "t_1", "_x"] {
            assert!(check_schema_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1x", "Ab", "a-b", "a\"b", "pg_catalog", &"x".repeat(64)] {
            assert!(check_schema_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lock_keys_differ_by_schema_and_purpose() {
        assert_ne!(lock_key("a", "writer"), lock_key("b", "writer"));
        assert_ne!(lock_key("a", "writer"), lock_key("a", "migrate"));
        assert_eq!(lock_key("a", "writer"), lock_key("a", "writer"));
    }
}
