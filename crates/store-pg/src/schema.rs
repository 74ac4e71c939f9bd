//! The database schema and its migrations.
//!
//! Every store lives in one PostgreSQL schema (namespace) of its own; its tables are named
//! without qualification and found through `search_path`. `meta.schema_version` records the
//! last migration applied. [`MIGRATIONS`] are applied in order, all in one transaction, under an
//! advisory lock, so two processes opening the same store at once apply them exactly once, and
//! a failed migration leaves the schema as it was.
//!
//! Times are `bigint` nanoseconds since the Unix epoch (UTC), the resolution of
//! [`kuroshio_model::Timestamp`]; `timestamptz` would round to microseconds and break the
//! round trip. Text keys that the API orders by (target keys, event ids, object versions,
//! stream names) use the `C` collation, so the database orders them byte by byte as Rust does.

/// The migrations, in order; number `i + 1` is `MIGRATIONS[i]`. Append only: a released
/// migration never changes.
pub(crate) const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3];

/// The version whose migration is followed by computing the audit hash chain over the records
/// already stored (SHA-256 over the canonical encoding is done in Rust, not SQL; see
/// `kuroshio_store::audit_chain`), and then makes `audit.hash` NOT NULL.
pub(crate) const AUDIT_CHAIN_VERSION: usize = 2;

/// The schema version this build writes.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Creates the version table when missing. Run inside the migration transaction.
pub(crate) const BOOTSTRAP: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key text COLLATE \"C\" PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('schema_version', '0') ON CONFLICT (key) DO NOTHING;
";

/// Version 1: positions partitioned by day, tracks, events, objects, the audit log, cursors.
const MIGRATION_1: &str = r#"
-- Arrival order of position rows: the tie-break between rows of one target at one time.
CREATE SEQUENCE positions_seq;

-- Position history, one row per observation with a position, partitioned by UTC day on
-- time_ns. Partitions (positions_dYYYYMMDD) are created on demand by the batch that first
-- touches a day and listed in position_days; retention drops whole days.
CREATE TABLE positions (
    time_ns bigint NOT NULL,
    target_key text COLLATE "C" NOT NULL,
    source text NOT NULL,
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    speed_knots double precision,
    course_deg double precision,
    heading_deg double precision,
    altitude_ft double precision,
    seq bigint NOT NULL DEFAULT nextval('positions_seq'),
    -- For metric SQL (ST_DWithin, ST_Distance in metres on the spheroid).
    geog geography(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED
) PARTITION BY RANGE (time_ns);
-- Box queries are lon/lat rectangles (edges along meridians and parallels), which planar
-- geometry answers exactly; the index is on the geometry of the point.
CREATE INDEX positions_geom ON positions USING gist ((geog::geometry));
-- Rows arrive roughly in time order within a day: a BRIN index is tiny and cheap to keep.
CREATE INDEX positions_time ON positions USING brin (time_ns);
CREATE INDEX positions_target_time ON positions (target_key, time_ns);

CREATE TABLE position_days (
    day bigint PRIMARY KEY,
    partition text COLLATE "C" NOT NULL UNIQUE
);

-- The latest picture, one row per target; each optional field with the time it was reported.
CREATE TABLE tracks (
    target_key text COLLATE "C" PRIMARY KEY,
    first_seen_ns bigint NOT NULL,
    last_seen_ns bigint NOT NULL,
    source text NOT NULL,
    lon double precision,
    lat double precision,
    position_time_ns bigint,
    speed_knots double precision,
    speed_time_ns bigint,
    course_deg double precision,
    course_time_ns bigint,
    heading_deg double precision,
    heading_time_ns bigint,
    altitude_ft double precision,
    altitude_time_ns bigint,
    name text,
    name_time_ns bigint,
    callsign text,
    callsign_time_ns bigint,
    imo bigint,
    imo_time_ns bigint,
    ship_type smallint,
    ship_type_time_ns bigint,
    aircraft_category text,
    aircraft_category_time_ns bigint,
    observations bigint NOT NULL,
    geog geography(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED
);
CREATE INDEX tracks_geom ON tracks USING gist ((geog::geometry));
CREATE INDEX tracks_last_seen ON tracks (last_seen_ns DESC, target_key);

-- Events, stored once by id; body is the event's JSON record as written.
CREATE TABLE events (
    id text COLLATE "C" PRIMARY KEY,
    time_ns bigint NOT NULL,
    kind text NOT NULL,
    zone text,
    target_key text COLLATE "C",
    body json NOT NULL
);
CREATE INDEX events_time ON events (time_ns, id);
CREATE INDEX events_kind_time ON events (kind, time_ns);
CREATE INDEX events_zone_time ON events (zone, time_ns) WHERE zone IS NOT NULL;
CREATE INDEX events_target_time ON events (target_key, time_ns) WHERE target_key IS NOT NULL;

-- Shared objects, every version kept; body is the object's text byte for byte.
CREATE TABLE objects (
    id text COLLATE "C" NOT NULL,
    version text COLLATE "C" NOT NULL,
    kind text NOT NULL,
    marking json NOT NULL,
    received_from text,
    body text NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX objects_kind ON objects (kind);

-- The audit log: sequence numbers from 1 without gaps, rows never changed nor removed.
CREATE TABLE audit (
    seq bigint PRIMARY KEY CHECK (seq >= 1),
    time_ns bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    object_id text,
    peer text,
    detail json NOT NULL
);
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Input stream positions, committed with the batch that reached them. The offset is the
-- API's u64 stored bit for bit in a bigint.
CREATE TABLE cursors (
    stream text COLLATE "C" PRIMARY KEY,
    stream_offset bigint NOT NULL
);
"#;

/// Version 2: each audit record's chain hash (32 bytes of SHA-256), filled for the records
/// already stored right after this migration, in the same transaction.
const MIGRATION_2: &str = r#"
ALTER TABLE audit ADD COLUMN hash bytea CHECK (octet_length(hash) = 32);
"#;

/// Version 3: activity records (official daily reports and releases, the node's own daily
/// figures), keyed by source and document. `payload` is the JSON text as given (not `jsonb`,
/// which would reorder it), so a record reads back equal to what was stored.
const MIGRATION_3: &str = r#"
CREATE TABLE activity (
    source text COLLATE "C" NOT NULL,
    document text COLLATE "C" NOT NULL,
    from_ns bigint NOT NULL,
    to_ns bigint NOT NULL CHECK (to_ns >= from_ns),
    hulls text[] NOT NULL,
    payload text NOT NULL,
    raw text NOT NULL,
    PRIMARY KEY (source, document)
);
CREATE INDEX activity_window ON activity (from_ns, source, document);
CREATE INDEX activity_hulls ON activity USING gin (hulls);
"#;
