//! Sealed files: GeoParquet 1.1 writing, row-group statistics and column reading.
//!
//! Schema of every sealed file (Parquet leaf columns in this order):
//!
//! | column | Parquet type | notes |
//! |---|---|---|
//! | `time` | required INT64 TIMESTAMP(NANOS, isAdjustedToUTC=true) | |
//! | `target` | required BYTE_ARRAY STRING | [`crate::target_key`]; bloom filter |
//! | `source` | required BYTE_ARRAY STRING | |
//! | `lon`, `lat` | required DOUBLE | degrees, WGS 84 |
//! | `speed_knots`, `course_deg`, `heading_deg`, `altitude_ft` | optional DOUBLE | |
//! | `geometry` | required BYTE_ARRAY | WKB Point, little-endian (21 bytes) |
//! | `bbox` | required group of `xmin`, `ymin`, `xmax`, `ymax` DOUBLE | GeoParquet covering |
//!
//! The key-value metadata `geo` follows GeoParquet 1.1.0
//! (<https://geoparquet.org/releases/v1.1.0/>, `format-specs/geoparquet.md` at tag v1.1.0 of
//! github.com/opengeospatial/geoparquet): `version` "1.1.0", `primary_column` "geometry",
//! and for that column `encoding` "WKB", `geometry_types` ["Point"], the file's `bbox`
//! `[xmin, ymin, xmax, ymax]` and a `covering.bbox` naming the four fields of the `bbox`
//! group. The spec's bounding-box column is "a Parquet group field with 4 ... child fields
//! ... named `xmin`, `ymin`, `xmax`, and `ymax` ... ordered in this same way", of DOUBLE or
//! FLOAT, with the repetition of the geometry column. `crs` is omitted, which the spec defines
//! as OGC:CRS84 (longitude, latitude on WGS 84), the coordinates stored here.
//!
//! Row order inside a file is chosen for pruning: rows are sorted by a time bucket, then by
//! the Hilbert index of the position on a 2^16 × 2^16 grid over the world, then by time and
//! target. Consecutive rows are then close in both time and space, so each row group's `time`
//! and `bbox.*` statistics describe a small box in space-time and queries skip most groups.
//! The bucket width is chosen per file so that a bucket holds about
//! [`ROW_GROUPS_PER_BUCKET`] row groups (never under [`TIME_BUCKET_MIN_NS`]): with narrower
//! buckets every group would span the whole region, with wider ones the whole file's time.
//! Because a target is in one place at a time, its rows of a bucket fall into one or two
//! groups, which the bloom filter on `target` lets history queries find.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use kuroshio_model::{SourceId, TargetId, Timestamp};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::bloom_filter::Sbbf;
use parquet::column::reader::ColumnReader;
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::metadata::{KeyValue, ParquetMetaData, ParquetMetaDataReader, RowGroupMetaData};
use parquet::file::properties::{EnabledStatistics, ReaderProperties, WriterProperties};
use parquet::file::reader::RowGroupReader;
use parquet::file::serialized_reader::SerializedRowGroupReader;
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;

use crate::fsutil;
use crate::{ArchiveError, BBox, PositionRow, parse_target_key, target_key};

/// The Parquet schema of sealed files.
const SCHEMA: &str = "
message position_row {
  required int64 time (TIMESTAMP(NANOS, true));
  required binary target (STRING);
  required binary source (STRING);
  required double lon;
  required double lat;
  optional double speed_knots;
  optional double course_deg;
  optional double heading_deg;
  optional double altitude_ft;
  required binary geometry;
  required group bbox {
    required double xmin;
    required double ymin;
    required double xmax;
    required double ymax;
  }
}";

/// Leaf column paths in schema order; a file whose leaves differ is not one of ours.
pub(crate) const LEAVES: [&str; 14] = [
    "time",
    "target",
    "source",
    "lon",
    "lat",
    "speed_knots",
    "course_deg",
    "heading_deg",
    "altitude_ft",
    "geometry",
    "bbox.xmin",
    "bbox.ymin",
    "bbox.xmax",
    "bbox.ymax",
];

/// Leaf indices (into [`LEAVES`]).
pub(crate) mod col {
    pub const TIME: usize = 0;
    pub const TARGET: usize = 1;
    pub const SOURCE: usize = 2;
    pub const LON: usize = 3;
    pub const LAT: usize = 4;
    pub const SPEED: usize = 5;
    pub const COURSE: usize = 6;
    pub const HEADING: usize = 7;
    pub const ALTITUDE: usize = 8;
    pub const XMIN: usize = 10;
    pub const YMIN: usize = 11;
    pub const XMAX: usize = 12;
    pub const YMAX: usize = 13;
}

/// Narrowest time bucket rows are grouped by before the spatial order: 10 minutes, about the
/// shortest query window for "where was everyone".
pub const TIME_BUCKET_MIN_NS: i64 = 600 * 1_000_000_000;

/// Row groups a time bucket should hold, so each group covers about 1/8 of the file's area:
/// a box query then reads one or two groups per bucket, and a target's rows of a bucket sit
/// in one or two groups.
pub const ROW_GROUPS_PER_BUCKET: usize = 8;

/// The time bucket width for `rows` rows spanning `span_ns`, a whole multiple of
/// [`TIME_BUCKET_MIN_NS`].
fn bucket_width_ns(rows: usize, span_ns: i64, row_group_rows: usize) -> i64 {
    if rows == 0 {
        return TIME_BUCKET_MIN_NS;
    }
    let per_bucket = (ROW_GROUPS_PER_BUCKET * row_group_rows.max(1)) as f64;
    let want = span_ns.max(1) as f64 * per_bucket / rows as f64;
    let units = (want / TIME_BUCKET_MIN_NS as f64).ceil().clamp(1.0, 1e9) as i64;
    units.saturating_mul(TIME_BUCKET_MIN_NS)
}

/// Bits per axis of the Hilbert grid (2^16 cells across 360°: about 600 m of longitude).
const HILBERT_BITS: u32 = 16;

/// False-positive rate of the `target` bloom filter: 1 % costs about 10 bits per distinct
/// target per row group.
const BLOOM_FPP: f64 = 0.01;

/// Extent and size of one written file, kept in the segment manifest.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PartStats {
    /// Rows in the file.
    pub rows: u64,
    /// Earliest row time, ns.
    pub time_min_ns: i64,
    /// Latest row time, ns.
    pub time_max_ns: i64,
    /// Bounding box of the rows `[xmin, ymin, xmax, ymax]`.
    pub bbox: [f64; 4],
}

impl PartStats {
    /// Whether the file may hold rows in `bbox` and `[from, to)`.
    pub fn may_match(&self, bbox: Option<&BBox>, from_ns: i64, to_ns: i64) -> bool {
        let t = self.time_max_ns >= from_ns && self.time_min_ns < to_ns;
        let b = bbox.is_none_or(|b| {
            b.intersects(&BBox {
                west: self.bbox[0],
                south: self.bbox[1],
                east: self.bbox[2],
                north: self.bbox[3],
            })
        });
        t && b
    }
}

/// Index of (x, y) along a Hilbert curve filling a 2^bits square (the iterative rotate-and-
/// flip construction; see e.g. the "Hilbert curve" article, section "Applications and mapping
/// algorithms", on Wikipedia).
fn hilbert_index(bits: u32, mut x: u32, mut y: u32) -> u64 {
    let n: u32 = 1 << bits;
    let mut d: u64 = 0;
    let mut s = n / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// The Hilbert key of a position on the world grid.
fn spatial_key(lon: f64, lat: f64) -> u64 {
    let cells = f64::from(1u32 << HILBERT_BITS);
    let max = (1u32 << HILBERT_BITS) - 1;
    let x = (((lon + 180.0) / 360.0 * cells) as u32).min(max);
    let y = (((lat + 90.0) / 180.0 * cells) as u32).min(max);
    hilbert_index(HILBERT_BITS, x, y)
}

/// Orders rows for pruning (see the module docs) into row groups of `row_group_rows`;
/// returns them with their target keys.
///
/// Rows may be owned or borrowed (`R` is `PositionRow` or `&PositionRow`), so sealing
/// orders references into the staged rows without copying them.
pub(crate) fn order_rows<R: Borrow<PositionRow>>(
    rows: Vec<R>,
    row_group_rows: usize,
) -> Vec<(R, String)> {
    let (lo, hi) = rows.iter().map(Borrow::borrow).fold((i64::MAX, i64::MIN), |(lo, hi), r| {
        (lo.min(r.time.unix_nanos()), hi.max(r.time.unix_nanos()))
    });
    let width = bucket_width_ns(rows.len(), hi.saturating_sub(lo), row_group_rows);
    // Sort small keys with row indices, then move each row once (rows are ~120 bytes).
    let keys: Vec<String> = rows.iter().map(|r| target_key(&r.borrow().target)).collect();
    let mut order: Vec<((i64, u64, i64), u32)> = rows
        .iter()
        .map(Borrow::borrow)
        .enumerate()
        .map(|(i, r)| {
            let t = r.time.unix_nanos();
            ((t.div_euclid(width), spatial_key(r.lon, r.lat), t), i as u32)
        })
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| keys[a.1 as usize].cmp(&keys[b.1 as usize]))
    });
    let mut slots: Vec<Option<(R, String)>> = rows.into_iter().zip(keys).map(Some).collect();
    order.iter().filter_map(|&(_, i)| slots.get_mut(i as usize).and_then(Option::take)).collect()
}

/// WKB of a 2D point, little-endian (byte order 1, geometry type 1, x, y).
pub fn wkb_point(lon: f64, lat: f64) -> [u8; 21] {
    let mut b = [0u8; 21];
    b[0] = 1;
    b[1..5].copy_from_slice(&1u32.to_le_bytes());
    b[5..13].copy_from_slice(&lon.to_le_bytes());
    b[13..21].copy_from_slice(&lat.to_le_bytes());
    b
}

/// The `geo` metadata JSON for a file whose rows span `bbox`.
pub fn geo_metadata(bbox: [f64; 4]) -> String {
    serde_json::json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "bbox": bbox,
                "covering": {
                    "bbox": {
                        "xmin": ["bbox", "xmin"],
                        "ymin": ["bbox", "ymin"],
                        "xmax": ["bbox", "xmax"],
                        "ymax": ["bbox", "ymax"],
                    }
                }
            }
        }
    })
    .to_string()
}

fn pq_err(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> ArchiveError + '_ {
    move |source| ArchiveError::Parquet { path: path.to_owned(), source }
}

/// Extent of rows.
pub(crate) fn stats_of<'a>(rows: impl Iterator<Item = &'a PositionRow>) -> Option<PartStats> {
    let mut s: Option<PartStats> = None;
    for r in rows {
        let t = r.time.unix_nanos();
        let e = s.get_or_insert(PartStats {
            rows: 0,
            time_min_ns: t,
            time_max_ns: t,
            bbox: [r.lon, r.lat, r.lon, r.lat],
        });
        e.rows += 1;
        e.time_min_ns = e.time_min_ns.min(t);
        e.time_max_ns = e.time_max_ns.max(t);
        e.bbox = [
            e.bbox[0].min(r.lon),
            e.bbox[1].min(r.lat),
            e.bbox[2].max(r.lon),
            e.bbox[3].max(r.lat),
        ];
    }
    s
}

/// Whether a file gets page indexes (column and offset index) besides row-group statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageIndex {
    /// Page-level statistics and both page indexes (sealed files).
    Write,
    /// Row-group statistics only. Files that copy row groups from other files use this: the
    /// Parquet writer cannot mix copied groups (their page indexes are not carried over)
    /// with groups that have page indexes.
    Omit,
}

/// Parquet writer settings for a file of `rows` rows with `distinct_targets` targets.
fn writer_properties(
    bbox: [f64; 4],
    row_group_rows: usize,
    distinct_targets: usize,
    page_index: PageIndex,
) -> WriterProperties {
    let mut b = WriterProperties::builder();
    if page_index == PageIndex::Omit {
        b = b.set_statistics_enabled(EnabledStatistics::Chunk).set_offset_index_disabled(true);
    }
    let mut b = b
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(row_group_rows))
        .set_key_value_metadata(Some(vec![KeyValue::new("geo".to_owned(), geo_metadata(bbox))]))
        .set_created_by(format!("kuroshio-archive {}", env!("CARGO_PKG_VERSION")))
        .set_column_bloom_filter_enabled(ColumnPath::from("target"), true)
        .set_column_bloom_filter_fpp(ColumnPath::from("target"), BLOOM_FPP)
        .set_column_bloom_filter_max_ndv(
            ColumnPath::from("target"),
            distinct_targets.clamp(1, row_group_rows.max(1)) as u64,
        );
    let path = |c: &str| ColumnPath::from(c.split('.').map(str::to_owned).collect::<Vec<_>>());
    // Unique-per-row values gain nothing from a dictionary.
    for c in ["time", "lon", "lat", "geometry", "bbox.xmin", "bbox.ymin", "bbox.xmax", "bbox.ymax"]
    {
        b = b.set_column_dictionary_enabled(path(c), false);
    }
    // Coordinates: BYTE_STREAM_SPLIT puts the bytes of equal significance together, which
    // zstd compresses far better than plain doubles (sign, exponent and leading mantissa
    // bytes repeat within a region).
    for c in ["lon", "lat", "bbox.xmin", "bbox.ymin", "bbox.xmax", "bbox.ymax"] {
        b = b.set_column_encoding(path(c), Encoding::BYTE_STREAM_SPLIT);
    }
    b.build()
}

/// Writes `rows` (already ordered, with their target keys) as one GeoParquet file at `path`:
/// to a temporary name, fsync, rename, fsync of the directory. Returns the file's extent.
pub(crate) fn write_file<R: Borrow<PositionRow>>(
    path: &Path,
    rows: &[(R, String)],
    row_group_rows: usize,
) -> Result<PartStats, ArchiveError> {
    let stats = stats_of(rows.iter().map(|r| r.0.borrow())).unwrap_or(PartStats {
        rows: 0,
        time_min_ns: 0,
        time_max_ns: 0,
        bbox: [0.0; 4],
    });
    let distinct = rows
        .iter()
        .map(|r| r.1.as_str())
        .collect::<HashSet<_, foldhash::fast::RandomState>>()
        .len();
    let tmp = fsutil::tmp_path(path);
    let file = fsutil::create(&tmp)?;
    let mut w =
        FileWriter::new(&tmp, file, stats.bbox, row_group_rows, distinct, PageIndex::Write)?;
    for chunk in rows.chunks(row_group_rows.max(1)) {
        w.write_group(chunk)?;
    }
    let file = w.finish()?;
    fsutil::sync_file(&file, &tmp)?;
    drop(file);
    fsutil::rename_durable(&tmp, path)?;
    Ok(stats)
}

/// A GeoParquet file being written, one row group at a time.
pub(crate) struct FileWriter<'p> {
    path: &'p Path,
    w: SerializedFileWriter<File>,
}

impl<'p> FileWriter<'p> {
    /// Starts a file with the archive schema and a `geo` metadata for `bbox`.
    pub fn new(
        path: &'p Path,
        file: File,
        bbox: [f64; 4],
        row_group_rows: usize,
        distinct_targets: usize,
        page_index: PageIndex,
    ) -> Result<Self, ArchiveError> {
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(pq_err(path))?);
        let props = Arc::new(writer_properties(bbox, row_group_rows, distinct_targets, page_index));
        let w = SerializedFileWriter::new(file, schema, props).map_err(pq_err(path))?;
        Ok(FileWriter { path, w })
    }

    /// Copies a row group of an archive file unchanged (no decoding), with its bloom filters.
    pub fn copy_group(
        &mut self,
        source: &File,
        meta: &RowGroupMetaData,
        bloom: Vec<Option<Sbbf>>,
    ) -> Result<(), ArchiveError> {
        let err = pq_err(self.path);
        let mut g = self.w.next_row_group().map_err(&err)?;
        for (c, bloom_filter) in meta.columns().iter().zip(bloom) {
            let close = parquet::column::writer::ColumnCloseResult {
                bytes_written: u64::try_from(c.compressed_size()).unwrap_or(0),
                rows_written: u64::try_from(meta.num_rows()).unwrap_or(0),
                metadata: c.clone(),
                bloom_filter,
                column_index: None,
                offset_index: None,
            };
            g.append_column(source, close).map_err(&err)?;
        }
        g.close().map_err(&err)?;
        Ok(())
    }

    /// Writes one row group.
    pub fn write_group<R: Borrow<PositionRow>>(
        &mut self,
        rows: &[(R, String)],
    ) -> Result<(), ArchiveError> {
        self.write_columns(&OutColumns::of(rows))
    }

    /// Writes one row group from its gathered columns.
    fn write_columns(&mut self, columns: &OutColumns) -> Result<(), ArchiveError> {
        let err = pq_err(self.path);
        let mut g = self.w.next_row_group().map_err(&err)?;
        let mut leaf = 0usize;
        while let Some(mut c) = g.next_column().map_err(&err)? {
            write_leaf(leaf, c.untyped(), columns).map_err(&err)?;
            c.close().map_err(&err)?;
            leaf += 1;
        }
        g.close().map_err(&err)?;
        Ok(())
    }

    /// Writes the footer and returns the file.
    pub fn finish(self) -> Result<File, ArchiveError> {
        self.w.into_inner().map_err(pq_err(self.path))
    }
}

fn mismatch(leaf: usize) -> parquet::errors::ParquetError {
    parquet::errors::ParquetError::General(format!("unexpected writer type for leaf {leaf}"))
}

/// An optional column's values and definition levels (1: present, 0: null).
#[derive(Default)]
struct OptColumn {
    values: Vec<f64>,
    defs: Vec<i16>,
}

impl OptColumn {
    fn push(&mut self, v: Option<f64>) {
        self.defs.push(i16::from(v.is_some()));
        self.values.extend(v);
    }
}

/// One row group's values column by column, gathered in a single pass over its rows: rows
/// being sealed are referenced in sort order from all over the staged segment, so reading
/// each row once instead of once per column saves most of the cache misses.
struct OutColumns {
    time: Vec<i64>,
    target: Vec<ByteArray>,
    source: Vec<ByteArray>,
    lon: Vec<f64>,
    lat: Vec<f64>,
    speed: OptColumn,
    course: OptColumn,
    heading: OptColumn,
    altitude: OptColumn,
    geometry: Vec<ByteArray>,
}

impl OutColumns {
    fn with_capacity(n: usize) -> OutColumns {
        OutColumns {
            time: Vec::with_capacity(n),
            target: Vec::with_capacity(n),
            source: Vec::with_capacity(n),
            lon: Vec::with_capacity(n),
            lat: Vec::with_capacity(n),
            speed: OptColumn::default(),
            course: OptColumn::default(),
            heading: OptColumn::default(),
            altitude: OptColumn::default(),
            geometry: Vec::with_capacity(n),
        }
    }

    fn of<R: Borrow<PositionRow>>(rows: &[(R, String)]) -> OutColumns {
        let mut c = OutColumns::with_capacity(rows.len());
        for (r, key) in rows {
            let r = r.borrow();
            c.time.push(r.time.unix_nanos());
            c.target.push(ByteArray::from(key.as_str()));
            c.source.push(ByteArray::from(r.source.as_str()));
            c.lon.push(r.lon);
            c.lat.push(r.lat);
            c.speed.push(r.speed_knots);
            c.course.push(r.course_deg);
            c.heading.push(r.heading_deg);
            c.altitude.push(r.altitude_ft);
            c.geometry.push(ByteArray::from(wkb_point(r.lon, r.lat).to_vec()));
        }
        c
    }
}

/// The rows of a file to be sealed, column by column in their staged order, with targets and
/// sources interned: gathered in one sequential pass, so ordering and writing then touch only
/// these compact arrays (the rows themselves are scattered over the staged segment's memory,
/// each with its source on the heap).
struct StagedColumns {
    time: Vec<i64>,
    lon: Vec<f64>,
    lat: Vec<f64>,
    speed: Vec<Option<f64>>,
    course: Vec<Option<f64>>,
    heading: Vec<Option<f64>>,
    altitude: Vec<Option<f64>>,
    /// Index into `keys`.
    target: Vec<u32>,
    /// Index into `sources`.
    source: Vec<u32>,
    /// Target keys, each distinct target once.
    keys: Vec<ByteArray>,
    /// Rank of each entry of `keys` in byte order.
    key_rank: Vec<u32>,
    sources: Vec<ByteArray>,
}

impl StagedColumns {
    fn of(rows: &[&PositionRow]) -> StagedColumns {
        let n = rows.len();
        let mut targets: HashMap<&TargetId, u32, foldhash::fast::RandomState> = HashMap::default();
        let mut sources: HashMap<&str, u32, foldhash::fast::RandomState> = HashMap::default();
        let mut key_strings: Vec<String> = Vec::new();
        let mut source_names: Vec<&str> = Vec::new();
        let mut c = StagedColumns {
            time: Vec::with_capacity(n),
            lon: Vec::with_capacity(n),
            lat: Vec::with_capacity(n),
            speed: Vec::with_capacity(n),
            course: Vec::with_capacity(n),
            heading: Vec::with_capacity(n),
            altitude: Vec::with_capacity(n),
            target: Vec::with_capacity(n),
            source: Vec::with_capacity(n),
            keys: Vec::new(),
            key_rank: Vec::new(),
            sources: Vec::new(),
        };
        for r in rows {
            c.time.push(r.time.unix_nanos());
            c.lon.push(r.lon);
            c.lat.push(r.lat);
            c.speed.push(r.speed_knots);
            c.course.push(r.course_deg);
            c.heading.push(r.heading_deg);
            c.altitude.push(r.altitude_ft);
            let t = *targets.entry(&r.target).or_insert_with(|| {
                key_strings.push(target_key(&r.target));
                (key_strings.len() - 1) as u32
            });
            c.target.push(t);
            let s = *sources.entry(r.source.as_str()).or_insert_with(|| {
                source_names.push(r.source.as_str());
                (source_names.len() - 1) as u32
            });
            c.source.push(s);
        }
        let mut by_key: Vec<u32> = (0..key_strings.len() as u32).collect();
        by_key.sort_unstable_by(|a, b| key_strings[*a as usize].cmp(&key_strings[*b as usize]));
        c.key_rank = vec![0; key_strings.len()];
        for (rank, k) in by_key.into_iter().enumerate() {
            c.key_rank[k as usize] = rank as u32;
        }
        c.keys = key_strings.into_iter().map(|k| ByteArray::from(k.into_bytes())).collect();
        c.sources = source_names.into_iter().map(ByteArray::from).collect();
        c
    }

    /// Row indices in file order: the order of [`order_rows`] (time bucket, Hilbert key,
    /// time, target key).
    fn order(&self, row_group_rows: usize) -> Vec<u32> {
        let (lo, hi) =
            self.time.iter().fold((i64::MAX, i64::MIN), |(lo, hi), &t| (lo.min(t), hi.max(t)));
        let width = bucket_width_ns(self.time.len(), hi.saturating_sub(lo), row_group_rows);
        let mut order: Vec<((i64, u64, i64, u32), u32)> = (0..self.time.len())
            .map(|i| {
                let t = self.time[i];
                let rank = self.key_rank[self.target[i] as usize];
                ((t.div_euclid(width), spatial_key(self.lon[i], self.lat[i]), t, rank), i as u32)
            })
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, i)| i).collect()
    }

    /// The columns of the rows `picks`, in that order.
    fn gather(&self, picks: &[u32]) -> OutColumns {
        let mut c = OutColumns::with_capacity(picks.len());
        for &i in picks {
            let i = i as usize;
            c.time.push(self.time[i]);
            c.target.push(self.keys[self.target[i] as usize].clone());
            c.source.push(self.sources[self.source[i] as usize].clone());
            c.lon.push(self.lon[i]);
            c.lat.push(self.lat[i]);
            c.speed.push(self.speed[i]);
            c.course.push(self.course[i]);
            c.heading.push(self.heading[i]);
            c.altitude.push(self.altitude[i]);
            c.geometry.push(ByteArray::from(wkb_point(self.lon[i], self.lat[i]).to_vec()));
        }
        c
    }
}

/// Writes `rows` (in any order) as one GeoParquet file at `path` in the order of
/// [`order_rows`], like [`write_file`] (temporary name, fsync, rename, directory fsync);
/// the sealing path, which works on columns gathered once instead of on rows.
pub(crate) fn write_rows_file(
    path: &Path,
    rows: &[&PositionRow],
    row_group_rows: usize,
) -> Result<PartStats, ArchiveError> {
    let stats = stats_of(rows.iter().copied()).unwrap_or(PartStats {
        rows: 0,
        time_min_ns: 0,
        time_max_ns: 0,
        bbox: [0.0; 4],
    });
    let columns = StagedColumns::of(rows);
    let order = columns.order(row_group_rows);
    let tmp = fsutil::tmp_path(path);
    let file = fsutil::create(&tmp)?;
    let mut w = FileWriter::new(
        &tmp,
        file,
        stats.bbox,
        row_group_rows,
        columns.keys.len(),
        PageIndex::Write,
    )?;
    for chunk in order.chunks(row_group_rows.max(1)) {
        w.write_columns(&columns.gather(chunk))?;
    }
    let file = w.finish()?;
    fsutil::sync_file(&file, &tmp)?;
    drop(file);
    fsutil::rename_durable(&tmp, path)?;
    Ok(stats)
}

fn write_leaf(
    leaf: usize,
    w: &mut ColumnWriter<'_>,
    c: &OutColumns,
) -> Result<(), parquet::errors::ParquetError> {
    match (leaf, w) {
        (col::TIME, ColumnWriter::Int64ColumnWriter(w)) => {
            w.write_batch(&c.time, None, None)?;
        }
        (col::TARGET, ColumnWriter::ByteArrayColumnWriter(w)) => {
            w.write_batch(&c.target, None, None)?;
        }
        (col::SOURCE, ColumnWriter::ByteArrayColumnWriter(w)) => {
            w.write_batch(&c.source, None, None)?;
        }
        (col::LON | col::XMIN | col::XMAX, ColumnWriter::DoubleColumnWriter(w)) => {
            w.write_batch(&c.lon, None, None)?;
        }
        (col::LAT | col::YMIN | col::YMAX, ColumnWriter::DoubleColumnWriter(w)) => {
            w.write_batch(&c.lat, None, None)?;
        }
        (col::SPEED..=col::ALTITUDE, ColumnWriter::DoubleColumnWriter(w)) => {
            let o = match leaf {
                col::SPEED => &c.speed,
                col::COURSE => &c.course,
                col::HEADING => &c.heading,
                _ => &c.altitude,
            };
            w.write_batch(&o.values, Some(&o.defs), None)?;
        }
        (9, ColumnWriter::ByteArrayColumnWriter(w)) => {
            w.write_batch(&c.geometry, None, None)?;
        }
        _ => return Err(mismatch(leaf)),
    }
    Ok(())
}

/// A sealed file's parsed footer.
#[derive(Debug)]
pub(crate) struct FileMeta {
    /// The footer.
    pub meta: Arc<ParquetMetaData>,
}

/// Reads and checks the footer of an archive file.
pub(crate) fn read_meta(path: &Path) -> Result<FileMeta, ArchiveError> {
    let file = fsutil::open(path)?;
    let meta = ParquetMetaDataReader::new().parse_and_finish(&file).map_err(pq_err(path))?;
    let schema = meta.file_metadata().schema_descr();
    let leaves: Vec<String> = schema.columns().iter().map(|c| c.path().string()).collect();
    if leaves != LEAVES {
        return Err(ArchiveError::Corrupt {
            path: path.to_owned(),
            reason: format!("unexpected columns {leaves:?}"),
        });
    }
    Ok(FileMeta { meta: Arc::new(meta) })
}

/// What a row group's statistics say about its rows (absent statistics: anything).
#[derive(Debug, Clone, Copy)]
pub(crate) struct GroupStats {
    pub time_min_ns: i64,
    pub time_max_ns: i64,
    /// `[min xmin, min ymin, max xmax, max ymax]`.
    pub bbox: [f64; 4],
}

/// Statistics of row group `rg`.
pub(crate) fn group_stats(rg: &RowGroupMetaData) -> GroupStats {
    let i64_stat = |i: usize| match rg.columns().get(i).and_then(|c| c.statistics()) {
        Some(Statistics::Int64(s)) => (s.min_opt().copied(), s.max_opt().copied()),
        _ => (None, None),
    };
    let f64_stat = |i: usize| match rg.columns().get(i).and_then(|c| c.statistics()) {
        Some(Statistics::Double(s)) => (s.min_opt().copied(), s.max_opt().copied()),
        _ => (None, None),
    };
    let (tmin, tmax) = i64_stat(col::TIME);
    GroupStats {
        time_min_ns: tmin.unwrap_or(i64::MIN),
        time_max_ns: tmax.unwrap_or(i64::MAX),
        bbox: [
            f64_stat(col::XMIN).0.unwrap_or(-180.0),
            f64_stat(col::YMIN).0.unwrap_or(-90.0),
            f64_stat(col::XMAX).1.unwrap_or(180.0),
            f64_stat(col::YMAX).1.unwrap_or(90.0),
        ],
    }
}

/// Opens a row group for reading, with its bloom filters when `bloom`.
pub(crate) fn group_reader<'a>(
    file: &Arc<File>,
    meta: &'a ParquetMetaData,
    rg: usize,
    bloom: bool,
    path: &Path,
) -> Result<SerializedRowGroupReader<'a, File>, ArchiveError> {
    let props = ReaderProperties::builder().set_read_bloom_filter(bloom).build();
    SerializedRowGroupReader::new(Arc::clone(file), meta.row_group(rg), None, Arc::new(props))
        .map_err(pq_err(path))
}

/// Rows decoded per call into a column reader.
const READ_BATCH_ROWS: usize = 8192;

fn corrupt(path: &Path, reason: String) -> ArchiveError {
    ArchiveError::Corrupt { path: path.to_owned(), reason }
}

/// Reads a whole required INT64 column of a row group.
pub(crate) fn read_i64(
    g: &dyn RowGroupReader,
    i: usize,
    path: &Path,
) -> Result<Vec<i64>, ArchiveError> {
    let n = usize::try_from(g.metadata().num_rows()).unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    let ColumnReader::Int64ColumnReader(mut r) = g.get_column_reader(i).map_err(pq_err(path))?
    else {
        return Err(corrupt(path, format!("column {} is not INT64", LEAVES[i])));
    };
    loop {
        let (recs, _, _) =
            r.read_records(READ_BATCH_ROWS, None, None, &mut out).map_err(pq_err(path))?;
        if recs == 0 {
            break;
        }
    }
    check_len(out.len(), n, i, path)?;
    Ok(out)
}

fn check_len(got: usize, want: usize, i: usize, path: &Path) -> Result<(), ArchiveError> {
    if got != want {
        return Err(corrupt(path, format!("column {} has {got} values, {want} rows", LEAVES[i])));
    }
    Ok(())
}

/// Reads a whole required DOUBLE column of a row group.
pub(crate) fn read_f64_required(
    g: &dyn RowGroupReader,
    i: usize,
    path: &Path,
) -> Result<Vec<f64>, ArchiveError> {
    let n = usize::try_from(g.metadata().num_rows()).unwrap_or(0);
    let ColumnReader::DoubleColumnReader(mut r) = g.get_column_reader(i).map_err(pq_err(path))?
    else {
        return Err(corrupt(path, format!("column {} is not DOUBLE", LEAVES[i])));
    };
    let mut vals = Vec::with_capacity(n);
    loop {
        let (recs, _, _) =
            r.read_records(READ_BATCH_ROWS, None, None, &mut vals).map_err(pq_err(path))?;
        if recs == 0 {
            break;
        }
    }
    check_len(vals.len(), n, i, path)?;
    Ok(vals)
}

/// Reads a whole optional DOUBLE column of a row group; absent values are `None`.
pub(crate) fn read_f64(
    g: &dyn RowGroupReader,
    i: usize,
    path: &Path,
) -> Result<Vec<Option<f64>>, ArchiveError> {
    let n = usize::try_from(g.metadata().num_rows()).unwrap_or(0);
    let ColumnReader::DoubleColumnReader(mut r) = g.get_column_reader(i).map_err(pq_err(path))?
    else {
        return Err(corrupt(path, format!("column {} is not DOUBLE", LEAVES[i])));
    };
    let optional = (col::SPEED..=col::ALTITUDE).contains(&i);
    let mut vals = Vec::with_capacity(n);
    let mut defs = Vec::with_capacity(if optional { n } else { 0 });
    loop {
        let d = if optional { Some(&mut defs) } else { None };
        let (recs, _, _) =
            r.read_records(READ_BATCH_ROWS, d, None, &mut vals).map_err(pq_err(path))?;
        if recs == 0 {
            break;
        }
    }
    if !optional {
        check_len(vals.len(), n, i, path)?;
        return Ok(vals.into_iter().map(Some).collect());
    }
    check_len(defs.len(), n, i, path)?;
    let mut it = vals.into_iter();
    let out: Vec<Option<f64>> =
        defs.iter().map(|&d| if d > 0 { it.next() } else { None }).collect();
    if it.next().is_some() || out.iter().zip(&defs).any(|(v, &d)| d > 0 && v.is_none()) {
        return Err(corrupt(path, format!("column {} levels and values disagree", LEAVES[i])));
    }
    Ok(out)
}

/// Reads a whole required BYTE_ARRAY column of a row group.
pub(crate) fn read_bytes(
    g: &dyn RowGroupReader,
    i: usize,
    path: &Path,
) -> Result<Vec<ByteArray>, ArchiveError> {
    let n = usize::try_from(g.metadata().num_rows()).unwrap_or(0);
    let mut out = Vec::with_capacity(n);
    let ColumnReader::ByteArrayColumnReader(mut r) =
        g.get_column_reader(i).map_err(pq_err(path))?
    else {
        return Err(corrupt(path, format!("column {} is not BYTE_ARRAY", LEAVES[i])));
    };
    loop {
        let (recs, _, _) =
            r.read_records(READ_BATCH_ROWS, None, None, &mut out).map_err(pq_err(path))?;
        if recs == 0 {
            break;
        }
    }
    check_len(out.len(), n, i, path)?;
    Ok(out)
}

/// The columns of a row group needed to rebuild rows, read lazily.
pub(crate) struct GroupColumns {
    pub time: Vec<i64>,
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
}

/// Rebuilds the rows at `picks` of a row group, reading the remaining columns.
pub(crate) fn rebuild_rows(
    g: &dyn RowGroupReader,
    base: &GroupColumns,
    targets: Option<&[ByteArray]>,
    picks: &[usize],
    path: &Path,
    out: &mut Vec<PositionRow>,
) -> Result<(), ArchiveError> {
    if picks.is_empty() {
        return Ok(());
    }
    let owned_targets;
    let targets = match targets {
        Some(t) => t,
        None => {
            owned_targets = read_bytes(g, col::TARGET, path)?;
            &owned_targets
        }
    };
    let sources = read_bytes(g, col::SOURCE, path)?;
    let speed = read_f64(g, col::SPEED, path)?;
    let course = read_f64(g, col::COURSE, path)?;
    let heading = read_f64(g, col::HEADING, path)?;
    let altitude = read_f64(g, col::ALTITUDE, path)?;
    // One parsed value per distinct key: targets and sources repeat a lot within a group.
    let mut last_target: Option<(&[u8], kuroshio_model::TargetId)> = None;
    let mut last_source: Option<(&[u8], SourceId)> = None;
    for &i in picks {
        let (Some(t), Some(s), Some(&time), Some(lon), Some(lat)) =
            (targets.get(i), sources.get(i), base.time.get(i), base.lon.get(i), base.lat.get(i))
        else {
            return Err(corrupt(path, format!("row {i} out of range")));
        };
        let target = match &last_target {
            Some((k, v)) if *k == t.data() => v.clone(),
            _ => {
                let key = std::str::from_utf8(t.data())
                    .map_err(|_| corrupt(path, format!("row {i}: target is not UTF-8")))?;
                let v = parse_target_key(key)
                    .ok_or_else(|| corrupt(path, format!("row {i}: bad target key {key:?}")))?;
                last_target = Some((t.data(), v.clone()));
                v
            }
        };
        let source = match &last_source {
            Some((k, v)) if *k == s.data() => v.clone(),
            _ => {
                let v = std::str::from_utf8(s.data())
                    .ok()
                    .and_then(|s| SourceId::parse(s).ok())
                    .ok_or_else(|| corrupt(path, format!("row {i}: bad source id")))?;
                last_source = Some((s.data(), v.clone()));
                v
            }
        };
        out.push(PositionRow {
            time: Timestamp::from_unix_nanos(time),
            target,
            source,
            lon: *lon,
            lat: *lat,
            speed_knots: speed.get(i).copied().flatten(),
            course_deg: course.get(i).copied().flatten(),
            heading_deg: heading.get(i).copied().flatten(),
            altitude_ft: altitude.get(i).copied().flatten(),
        });
    }
    Ok(())
}

/// Reads every row of a row group.
pub(crate) fn read_group_rows(
    g: &dyn RowGroupReader,
    path: &Path,
    out: &mut Vec<PositionRow>,
) -> Result<(), ArchiveError> {
    let base = GroupColumns {
        time: read_i64(g, col::TIME, path)?,
        lon: read_f64_required(g, col::LON, path)?,
        lat: read_f64_required(g, col::LAT, path)?,
    };
    let picks: Vec<usize> = (0..base.time.len()).collect();
    rebuild_rows(g, &base, None, &picks, path, out)
}

/// Writes `rows` as one GeoParquet 1.1 file at `path`, in the archive's schema and row order
/// (the same files the archive seals), durably: a temporary name, fsync, rename, fsync of the
/// directory. For exporting rows that come from elsewhere (another store); returns rows written.
pub fn write_geoparquet(
    path: &Path,
    rows: Vec<PositionRow>,
    row_group_rows: usize,
) -> Result<u64, ArchiveError> {
    let n = rows.len() as u64;
    let ordered = order_rows(rows, row_group_rows.max(1));
    write_file(path, &ordered, row_group_rows.max(1))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_is_a_bijection_on_a_small_grid() {
        let mut seen = HashSet::new();
        for x in 0..16 {
            for y in 0..16 {
                assert!(seen.insert(hilbert_index(4, x, y)));
            }
        }
        assert_eq!(seen.len(), 256);
        assert!(seen.iter().all(|&d| d < 256));
        // Consecutive indices are neighbouring cells.
        let mut by_d = vec![(0, 0); 256];
        for x in 0..16u32 {
            for y in 0..16u32 {
                by_d[hilbert_index(4, x, y) as usize] = (x, y);
            }
        }
        for w in by_d.windows(2) {
            assert_eq!(w[0].0.abs_diff(w[1].0) + w[0].1.abs_diff(w[1].1), 1);
        }
    }

    #[test]
    fn buckets_hold_several_row_groups() {
        let day = 86_400 * 1_000_000_000;
        // 1,000,000 rows over 4.8 h: 8 groups of 65,536 rows take 2.52 h, rounded up to 160 min.
        assert_eq!(bucket_width_ns(1_000_000, day / 5, 65_536), 16 * TIME_BUCKET_MIN_NS);
        // Dense data: the narrowest bucket.
        assert_eq!(bucket_width_ns(10_000_000, 3_600 * 1_000_000_000, 1_000), TIME_BUCKET_MIN_NS);
        assert_eq!(bucket_width_ns(0, 0, 10), TIME_BUCKET_MIN_NS);
    }

    #[test]
    fn wkb_point_layout() {
        let b = wkb_point(1.0, -2.0);
        assert_eq!(b[0], 1);
        assert_eq!(&b[1..5], &[1, 0, 0, 0]);
        assert_eq!(f64::from_le_bytes(b[5..13].try_into().unwrap_or_default()), 1.0);
        assert_eq!(f64::from_le_bytes(b[13..21].try_into().unwrap_or_default()), -2.0);
    }
}
