//! Position history on disk.
//!
//! Rows ([`PositionRow`]) are appended to a checksummed staging log ([`frame`] documents its
//! layout and version byte) and are queryable at once; a full staging segment is sealed into
//! daily GeoParquet 1.1 files (`days/YYYY-MM-DD/part-{segment:08}.parquet`) that queries prune
//! by day, by the file extents kept in each segment's manifest, and by row-group statistics
//! (`time`, the `bbox` covering columns) and the bloom filter on `target`.
//!
//! The owner (the embedded store) drives durability with [`LogMark`]s:
//! 1. `m = archive.append(rows)?` — the rows are in the log (fdatasync with
//!    [`FsyncPolicy::Always`]);
//! 2. the owner commits `m` in its own transaction; if that fails, `archive.rollback(prev)`;
//! 3. `archive.seal_if_full(false)?` — when `segment_rows_max` rows are staged, hands the
//!    segment to a background thread that seals it (rows stay queryable meanwhile).
//!
//! On restart, `Archive::open(dir, options, Some(m))` recovers exactly the committed rows:
//! later bytes and segments are discarded, torn tails truncated, interrupted seals finished
//! or redone. See [`Archive`] (module `archive`) for the directory layout and the recovery
//! rules, and the `geoparquet` module (source) for the file schema, `geo` metadata and row
//! order.
//!
//! Limits, each with its reason at the constant: [`SEGMENT_ROWS_MAX_DEFAULT`] (staged rows
//! held in memory; `append` refuses more until sealed), [`SEALS_IN_FLIGHT_MAX`] (segments
//! sealed in the background at once), [`ROW_GROUP_ROWS_DEFAULT`],
//! [`frame::FRAME_BODY_BYTES_MAX`], [`frame::FRAME_ROWS_MAX`], [`frame::LOCAL_ID_BYTES_MAX`],
//! [`TIME_BUCKET_MIN_NS`] and [`ROW_GROUPS_PER_BUCKET`].

mod archive;
mod error;
mod export;
pub mod frame;
mod fsutil;
mod geoparquet;
mod row;

pub use archive::{
    Archive, ArchiveOptions, ExportFormat, FsyncPolicy, LogMark, ROW_GROUP_ROWS_DEFAULT,
    SEALS_IN_FLIGHT_MAX, SEGMENT_ROWS_MAX_DEFAULT,
};
pub use error::ArchiveError;
pub use export::TextWriter;
pub use geoparquet::{
    ROW_GROUPS_PER_BUCKET, TIME_BUCKET_MIN_NS, geo_metadata, wkb_point, write_geoparquet,
};
pub use row::{BBox, PositionRow, TimeRange, parse_target_key, target_key};
