//! The archive: staging log, sealing and queries behind one handle.
//!
//! The directory layout, sealing and recovery rules are documented on [`Archive`].

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use kuroshio_model::{TargetId, Timestamp};
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use parquet::file::reader::RowGroupReader;
use parquet::file::statistics::Statistics;
use serde::{Deserialize, Serialize};

use crate::export;
use crate::frame::{self, FrameInfo};
use crate::fsutil;
use crate::geoparquet::{self, GroupColumns, PartStats, col};
use crate::{ArchiveError, BBox, PositionRow, TimeRange, target_key};

/// When appends reach the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FsyncPolicy {
    /// `fdatasync` the staging segment before `append` returns (the default).
    #[default]
    Always,
    /// Leave flushing to the operating system; for tests and benchmarks only.
    Never,
}

/// Rows per staging segment by default. A segment's rows are also held in memory for queries
/// (about 120 bytes each with a short target key), so this bounds that memory to roughly
/// 120 MB, and it makes sealed files of a useful size (tens of MB of zstd Parquet).
pub const SEGMENT_ROWS_MAX_DEFAULT: usize = 1_000_000;

/// Rows per Parquet row group by default: small enough that time and bbox statistics prune
/// well, large enough that per-group overhead (statistics, page headers, the bloom filter)
/// stays small.
pub const ROW_GROUP_ROWS_DEFAULT: usize = 65_536;

/// How an archive behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// When appends reach the disk.
    pub fsync: FsyncPolicy,
    /// Rows after which the staging segment is full and `seal_if_full` seals it; also the
    /// most rows staged before `append` refuses more.
    pub segment_rows_max: usize,
    /// Rows per Parquet row group in sealed files.
    pub row_group_rows: usize,
    /// Where `drop_before` moves whole days instead of deleting them (`None`: delete).
    pub retention_move_to: Option<PathBuf>,
}

impl Default for ArchiveOptions {
    fn default() -> Self {
        ArchiveOptions {
            fsync: FsyncPolicy::Always,
            segment_rows_max: SEGMENT_ROWS_MAX_DEFAULT,
            row_group_rows: ROW_GROUP_ROWS_DEFAULT,
            retention_move_to: None,
        }
    }
}

/// A position in the staging log: a segment number and a byte offset in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LogMark {
    /// Staging segment number.
    pub segment: u64,
    /// Byte offset in the segment file, just after a whole frame.
    pub offset: u64,
}

/// Formats of [`Archive::export_day`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One GeoParquet 1.1 file (the day's sealed row groups copied as they are, staged rows
    /// appended as further row groups).
    GeoParquet,
    /// A GeoJSON FeatureCollection of Points with the other fields as properties.
    GeoJson,
    /// CSV with a header line.
    Csv,
}

const NS_PER_DAY: i64 = 86_400 * 1_000_000_000;

/// Version of the manifest JSON layout.
const MANIFEST_FORMAT: u32 = 1;

/// The record of one sealed segment (`sealed/seg-{n:08}.json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    segment: u64,
    parts: Vec<ManifestPart>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ManifestPart {
    /// UTC day, `YYYY-MM-DD`.
    day: String,
    /// Path relative to the archive directory.
    file: String,
    stats: PartStats,
}

/// One sealed file as the archive knows it.
#[derive(Debug)]
struct Part {
    segment: u64,
    path: PathBuf,
    stats: PartStats,
    meta: OnceLock<Arc<ParquetMetaData>>,
}

impl Part {
    fn meta(&self) -> Result<&Arc<ParquetMetaData>, ArchiveError> {
        if let Some(m) = self.meta.get() {
            return Ok(m);
        }
        let m = geoparquet::read_meta(&self.path)?.meta;
        Ok(self.meta.get_or_init(|| m))
    }
}

/// Reads row group `usize` of a part and appends its matching rows.
type GroupPicker<'a> =
    dyn FnMut(&Part, &Arc<File>, usize, &mut Vec<PositionRow>) -> Result<(), ArchiveError> + 'a;

/// The current staging segment.
#[derive(Debug)]
struct Staging {
    segment: u64,
    path: PathBuf,
    file: File,
    offset: u64,
    /// Frames of the segment; `rows` of a frame counts rows before the retention filter.
    frames: Vec<FrameInfo>,
    /// Staged rows at or after the retention cutoff, in append order, each with the index of
    /// its frame.
    rows: Vec<(PositionRow, u32)>,
}

/// A full staging segment handed to the sealing thread. Its rows stay in memory, and queries
/// read them from here, until the thread's manifest is added to the index, so a query sees
/// every row exactly once whether its segment is staged, being sealed or sealed.
#[derive(Debug)]
struct Sealing {
    segment: u64,
    /// The segment's staging log, removed by the thread once the manifest is durable.
    log_path: PathBuf,
    rows: Arc<Vec<(PositionRow, u32)>>,
    /// The running thread; `None` after a failed attempt, until it is retried.
    thread: Option<JoinHandle<Result<Manifest, ArchiveError>>>,
}

/// Segments being sealed at once. One: a second full segment waits for the first seal (in
/// `seal_if_full`), which bounds memory to two segments' rows and keeps at most one thread
/// encoding Parquet beside the appending one.
pub const SEALS_IN_FLIGHT_MAX: usize = 1;

/// Position history in a directory.
///
/// # Directory layout
///
/// ```text
/// <dir>/staging/seg-{n:08}.log                 staging segment n (see crate::frame)
/// <dir>/sealed/seg-{n:08}.json                 manifest of sealed segment n (written last)
/// <dir>/days/YYYY-MM-DD/part-{n:08}.parquet    segment n's rows of that UTC day (GeoParquet)
/// <dir>/retention.json                         staged rows removed by drop_before (see Retention)
/// <dir>/tmp/                                   scratch space of exports
/// ```
///
/// # Sealing and recovery
///
/// Sealing runs on a background thread: [`Archive::seal_if_full`] hands the full segment to
/// it and starts the next segment at once, so appends never wait for Parquet encoding (unless
/// a second segment fills while the first is still being sealed, see
/// [`SEALS_IN_FLIGHT_MAX`]). The rows of the segment being sealed stay queryable from memory
/// until the sealed files are indexed. [`Archive::wait_sealed`], `drop_before` and dropping
/// the archive wait for the thread.
///
/// Sealing segment n writes one Parquet part per UTC day of its rows, each under a temporary
/// name, fsynced, renamed and its directory fsynced; then the manifest `sealed/seg-n.json`
/// (same sequence) listing every part with its row count, time range and bounding box; then
/// removes `staging/seg-n.log`. The manifest is the commit point: a segment with a manifest
/// is sealed, whatever else is on disk.
///
/// Opening with the owner's committed mark `(s, offset)`:
/// - a log whose segment has a manifest was sealed; the log is removed (crash before removal);
/// - a log of a segment after `s` (or any log when nothing was committed) holds only
///   uncommitted appends and is removed;
/// - a log of a segment before `s` without a manifest was being sealed when the process
///   stopped (its rows were all committed): it is sealed again, overwriting any parts written
///   the first time, which is idempotent;
/// - the log of `s` is read up to `offset`; a torn or corrupt tail and bytes after `offset`
///   are truncated away. Should the valid frames end before `offset` (committed rows lost to
///   disk damage or a `Never` fsync policy), the archive opens with what is left and
///   [`Archive::check`] reports the loss.
/// - if `s` has a manifest, staging starts at segment `s + 1`, offset 0.
///
/// # Memory
///
/// The current segment's rows are held in memory for queries; `append` refuses new rows once
/// [`ArchiveOptions::segment_rows_max`] rows are staged (the owner seals first), so at most
/// `segment_rows_max` plus one batch are held, twice that while a segment is being sealed
/// ([`SEALS_IN_FLIGHT_MAX`]). Footers of sealed files are cached after first use (a few kB
/// per file).
#[derive(Debug)]
pub struct Archive {
    dir: PathBuf,
    options: ArchiveOptions,
    /// Sealed segments.
    manifests: BTreeMap<u64, Manifest>,
    /// Sealed parts by UTC day number (days since 1970-01-01).
    days: BTreeMap<i64, Vec<Part>>,
    staging: Staging,
    /// The segment being sealed in the background, if any.
    sealing: Option<Sealing>,
    /// Staged rows removed by `drop_before` (they stay in the log until it is sealed).
    retention: Retention,
    /// What recovery could not restore, reported by `check`.
    recovery_problems: Vec<String>,
}

/// Staged rows removed by `drop_before`, persisted in `retention.json`: a row of staging
/// segment `segment` in a frame ending at or before a cut's `offset` is gone when its time is
/// before the cut's `before_ns`. Rows appended after a cut are not affected by it. A cut that
/// is later and wider than all earlier ones replaces them, so the list stays short (one entry
/// under a regular retention schedule).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Retention {
    segment: u64,
    cuts: Vec<Cut>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Cut {
    offset: u64,
    before_ns: i64,
}

impl Retention {
    fn none() -> Retention {
        Retention { segment: u64::MAX, cuts: Vec::new() }
    }

    fn dropped(&self, segment: u64, frame_end: u64, time_ns: i64) -> bool {
        self.segment == segment
            && self.cuts.iter().any(|c| frame_end <= c.offset && time_ns < c.before_ns)
    }

    /// The rows of a scanned segment that are still live, each with its frame index.
    fn live(&self, segment: u64, scan: frame::Scan) -> Vec<(PositionRow, u32)> {
        let mut rows = Vec::with_capacity(scan.rows.len());
        let mut it = scan.rows.into_iter();
        for (fi, f) in scan.frames.iter().enumerate() {
            for r in it.by_ref().take(f.rows) {
                if !self.dropped(segment, f.end, r.time.unix_nanos()) {
                    rows.push((r, fi as u32));
                }
            }
        }
        rows
    }
}

fn day_of(ns: i64) -> i64 {
    ns.div_euclid(NS_PER_DAY)
}

fn day_name(day: i64) -> String {
    let (y, m, d, ..) = Timestamp::from_unix_nanos(day.saturating_mul(NS_PER_DAY)).to_civil();
    format!("{y:04}-{m:02}-{d:02}")
}

fn parse_day(name: &str) -> Option<i64> {
    let t = Timestamp::parse(&format!("{name}T00:00:00Z")).ok()?;
    Some(day_of(t.unix_nanos()))
}

fn segment_log_name(segment: u64) -> String {
    format!("seg-{segment:08}.log")
}

fn part_rel(day: i64, segment: u64) -> String {
    format!("days/{}/part-{segment:08}.parquet", day_name(day))
}

/// The segment number in a `seg-{n}.{ext}` file name.
fn parse_segment(path: &Path, ext: &str) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    let digits = name.strip_prefix("seg-")?.strip_suffix(ext)?.strip_suffix('.')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn io_err<'a>(op: &'static str, path: &'a Path) -> impl Fn(std::io::Error) -> ArchiveError + 'a {
    move |source| ArchiveError::Io { op, path: path.to_owned(), source }
}

fn export_err(source: std::io::Error) -> ArchiveError {
    ArchiveError::Export { source }
}

/// Moves a file, copying when a rename cannot (another file system).
fn move_file(from: &Path, to: &Path) -> Result<(), ArchiveError> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map_err(io_err("copy", from))?;
    let f = fsutil::open(to)?;
    fsutil::sync_file(&f, to)?;
    fsutil::remove_file(from)
}

fn cmp_rows(a: &PositionRow, b: &PositionRow) -> std::cmp::Ordering {
    a.time.cmp(&b.time).then_with(|| {
        if a.target == b.target {
            std::cmp::Ordering::Equal
        } else {
            target_key(&a.target).cmp(&target_key(&b.target))
        }
    })
}

/// Sorts `rows` by time then target key and keeps the first `limit`.
fn sort_cap(rows: &mut Vec<PositionRow>, limit: usize) {
    rows.sort_by(cmp_rows);
    rows.truncate(limit);
}

fn manifest_path(dir: &Path, segment: u64) -> PathBuf {
    dir.join("sealed").join(format!("seg-{segment:08}.json"))
}

fn write_manifest(dir: &Path, m: &Manifest) -> Result<(), ArchiveError> {
    let bytes = serde_json::to_vec_pretty(m).map_err(|e| ArchiveError::Corrupt {
        path: manifest_path(dir, m.segment),
        reason: e.to_string(),
    })?;
    fsutil::write_durable(&manifest_path(dir, m.segment), &bytes)
}

/// Writes the rows of segment `segment` as daily parts and then its manifest (the commit
/// point of the seal); returns the manifest for the caller to index. Touches nothing but
/// files of this segment, so it runs on the sealing thread.
fn write_segment<'r>(
    dir: &Path,
    row_group_rows: usize,
    segment: u64,
    rows: impl Iterator<Item = &'r PositionRow>,
) -> Result<Manifest, ArchiveError> {
    let mut by_day: BTreeMap<i64, Vec<&PositionRow>> = BTreeMap::new();
    for r in rows {
        by_day.entry(day_of(r.time.unix_nanos())).or_default().push(r);
    }
    let mut parts = Vec::new();
    for (day, rows) in by_day {
        let rel = part_rel(day, segment);
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fsutil::create_dir_all(parent)?;
        }
        let stats = geoparquet::write_rows_file(&path, &rows, row_group_rows)?;
        parts.push(ManifestPart { day: day_name(day), file: rel, stats });
    }
    let m = Manifest { format: MANIFEST_FORMAT, segment, parts };
    write_manifest(dir, &m)?;
    Ok(m)
}

/// The sealing thread's work: the segment's files and manifest, then removal of its staging
/// log (a log whose segment has a manifest is removed on open anyway).
fn seal_segment(
    dir: &Path,
    row_group_rows: usize,
    segment: u64,
    rows: &[(PositionRow, u32)],
    log_path: &Path,
) -> Result<Manifest, ArchiveError> {
    let m = write_segment(dir, row_group_rows, segment, rows.iter().map(|(r, _)| r))?;
    fsutil::remove_file(log_path)?;
    fsutil::sync_dir(&dir.join("staging"))?;
    Ok(m)
}

impl Drop for Archive {
    /// Waits for a seal in progress; should it fail, the segment's log stays and the next
    /// `open` seals it again.
    fn drop(&mut self) {
        if let Some(thread) = self.sealing.as_mut().and_then(|s| s.thread.take()) {
            let _ = thread.join();
        }
    }
}

impl Archive {
    /// Opens or creates the archive under `dir`, recovering to `committed`, the mark its owner
    /// last committed (None: nothing committed yet). Staged bytes beyond the mark and segments
    /// after it are discarded; a segment already sealed into Parquet is not staged again.
    pub fn open(
        dir: &Path,
        options: ArchiveOptions,
        committed: Option<LogMark>,
    ) -> Result<Archive, ArchiveError> {
        if options.segment_rows_max == 0 || options.row_group_rows == 0 {
            return Err(ArchiveError::Options {
                reason: "segment_rows_max and row_group_rows must be at least 1".to_owned(),
            });
        }
        for sub in ["staging", "sealed", "days", "tmp"] {
            fsutil::create_dir_all(&dir.join(sub))?;
        }
        // Leftovers of interrupted writes.
        for sub in ["staging", "sealed", "tmp"] {
            for p in fsutil::list(&dir.join(sub))? {
                if fsutil::is_tmp(&p) || sub == "tmp" {
                    fsutil::remove_file(&p)?;
                }
            }
        }
        for d in fsutil::list(&dir.join("days"))? {
            for p in fsutil::list(&d)? {
                if fsutil::is_tmp(&p) {
                    fsutil::remove_file(&p)?;
                }
            }
        }
        let retention = match std::fs::read(dir.join("retention.json")) {
            Ok(b) => serde_json::from_slice::<Retention>(&b).map_err(|e| {
                ArchiveError::Corrupt { path: dir.join("retention.json"), reason: e.to_string() }
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Retention::none(),
            Err(e) => return Err(io_err("read", &dir.join("retention.json"))(e)),
        };

        let mut manifests = BTreeMap::new();
        for p in fsutil::list(&dir.join("sealed"))? {
            let Some(seg) = parse_segment(&p, "json") else { continue };
            let bytes = fsutil::read(&p)?;
            let m: Manifest = serde_json::from_slice(&bytes)
                .map_err(|e| ArchiveError::Corrupt { path: p.clone(), reason: e.to_string() })?;
            if m.segment != seg || m.format != MANIFEST_FORMAT {
                return Err(ArchiveError::Corrupt {
                    path: p,
                    reason: format!("manifest of segment {} format {}", m.segment, m.format),
                });
            }
            manifests.insert(seg, m);
        }

        let staging_dir = dir.join("staging");
        let mut logs = BTreeMap::new();
        for p in fsutil::list(&staging_dir)? {
            if let Some(seg) = parse_segment(&p, "log") {
                logs.insert(seg, p);
            }
        }

        let mut archive = Archive {
            dir: dir.to_owned(),
            options,
            manifests: BTreeMap::new(),
            days: BTreeMap::new(),
            staging: Staging {
                segment: 0,
                path: PathBuf::new(),
                // Replaced below once the current segment is known.
                file: fsutil::open(dir)?,
                offset: 0,
                frames: Vec::new(),
                rows: Vec::new(),
            },
            sealing: None,
            retention,
            recovery_problems: Vec::new(),
        };
        for (_, m) in manifests {
            archive.index_manifest(m);
        }

        let mut current: Option<(u64, frame::Scan)> = None;
        for (seg, path) in logs {
            let sealed = archive.manifests.contains_key(&seg);
            match committed {
                _ if sealed => fsutil::remove_file(&path)?,
                None => fsutil::remove_file(&path)?,
                Some(m) if seg > m.segment => fsutil::remove_file(&path)?,
                Some(m) if seg < m.segment => {
                    // Committed in full, sealing was interrupted: seal it again.
                    let bytes = fsutil::read(&path)?;
                    let scan = frame::scan(&bytes, None);
                    if let Some(why) = &scan.stopped {
                        archive.recovery_problems.push(format!(
                            "{}: committed segment damaged {why}; sealed what was readable",
                            path.display()
                        ));
                    }
                    let rows = archive.retention.live(seg, scan);
                    let m = seal_segment(dir, archive.options.row_group_rows, seg, &rows, &path)?;
                    archive.index_manifest(m);
                }
                Some(m) => {
                    let bytes = fsutil::read(&path)?;
                    let scan = frame::scan(&bytes, Some(m.offset));
                    if scan.valid_len < m.offset {
                        archive.recovery_problems.push(format!(
                            "{}: committed mark at byte {} but valid frames end at byte {} ({})",
                            path.display(),
                            m.offset,
                            scan.valid_len,
                            scan.stopped.as_deref().unwrap_or("file too short")
                        ));
                    }
                    current = Some((seg, scan));
                }
            }
        }
        fsutil::sync_dir(&staging_dir)?;

        let next_free = archive.manifests.keys().next_back().map_or(0, |s| s + 1);
        let (segment, scan) = match (current, committed) {
            (Some((seg, scan)), _) => (seg, scan),
            (None, Some(m)) if !archive.manifests.contains_key(&m.segment) => {
                if m.offset > 0 {
                    archive.recovery_problems.push(format!(
                        "staging segment {} with committed mark at byte {} is missing",
                        m.segment, m.offset
                    ));
                }
                (m.segment.max(next_free), frame::Scan::default())
            }
            (None, Some(m)) => ((m.segment + 1).max(next_free), frame::Scan::default()),
            (None, None) => (next_free, frame::Scan::default()),
        };
        let path = staging_dir.join(segment_log_name(segment));
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(io_err("open", &path))?;
        file.set_len(scan.valid_len).map_err(io_err("truncate", &path))?;
        fsutil::sync_file(&file, &path)?;
        fsutil::sync_dir(&staging_dir)?;
        // Parts of segments that are not sealed (the staging one or later) are leftovers of
        // a seal interrupted before its manifest; sealing writes them again.
        for d in fsutil::list(&dir.join("days"))? {
            for p in fsutil::list(&d)? {
                let seg = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix("part-")?.strip_suffix(".parquet")?.parse().ok());
                if seg.is_some_and(|s: u64| s >= segment && !archive.manifests.contains_key(&s)) {
                    fsutil::remove_file(&p)?;
                }
            }
        }
        let (offset, frames) = (scan.valid_len, scan.frames.clone());
        let rows = archive.retention.live(segment, scan);
        archive.staging = Staging { segment, path, file, offset, frames, rows };
        Ok(archive)
    }

    /// Adds a manifest's parts to the in-memory index.
    fn index_manifest(&mut self, m: Manifest) {
        for p in &m.parts {
            let Some(day) = parse_day(&p.day) else {
                self.recovery_problems
                    .push(format!("manifest of segment {}: bad day {:?}", m.segment, p.day));
                continue;
            };
            let parts = self.days.entry(day).or_default();
            parts.push(Part {
                segment: m.segment,
                path: self.dir.join(&p.file),
                stats: p.stats,
                meta: OnceLock::new(),
            });
            parts.sort_by_key(|p| p.segment);
        }
        self.manifests.insert(m.segment, m);
    }

    fn manifest_path(&self, segment: u64) -> PathBuf {
        manifest_path(&self.dir, segment)
    }

    fn write_manifest(&self, m: &Manifest) -> Result<(), ArchiveError> {
        write_manifest(&self.dir, m)
    }

    /// Rows held in memory: those of the segment being sealed, then the staged ones.
    fn memory_rows(&self) -> impl Iterator<Item = &PositionRow> {
        let sealing = self.sealing.as_ref().map_or(&[][..], |s| s.rows.as_slice());
        sealing.iter().chain(self.staging.rows.iter()).map(|(r, _)| r)
    }

    /// Appends rows to the staging log, durable per the fsync policy when this returns;
    /// returns the mark just after them (what the owner then commits). Visible to queries at
    /// once.
    ///
    /// Refuses the whole batch, writing nothing, when a row cannot be stored (non-finite or
    /// out-of-range coordinates or kinematics, an empty or over-long local id) or when
    /// `segment_rows_max` rows are already staged (the owner must seal first).
    pub fn append(&mut self, rows: &[PositionRow]) -> Result<LogMark, ArchiveError> {
        let frames = self.write_frames(rows)?;
        self.stage(frames, rows.iter().cloned());
        Ok(self.mark())
    }

    /// [`Archive::append`] taking the rows by value, which saves copying each row into the
    /// staging segment's memory.
    pub fn append_owned(&mut self, rows: Vec<PositionRow>) -> Result<LogMark, ArchiveError> {
        let frames = self.write_frames(&rows)?;
        self.stage(frames, rows.into_iter());
        Ok(self.mark())
    }

    /// Checks and writes `rows` to the staging log as frames (durable per the fsync policy);
    /// returns the frames, which [`Archive::stage`] then records with the rows.
    fn write_frames(&mut self, rows: &[PositionRow]) -> Result<Vec<FrameInfo>, ArchiveError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        if self.staging.rows.len() >= self.options.segment_rows_max {
            return Err(ArchiveError::StagingFull {
                rows: self.staging.rows.len(),
                limit: self.options.segment_rows_max,
            });
        }
        for (index, r) in rows.iter().enumerate() {
            frame::validate_row(r).map_err(|e| ArchiveError::InvalidRow { index, reason: e.0 })?;
        }
        let mut buf = Vec::new();
        let mut frames = Vec::new();
        let mut end = self.staging.offset;
        for chunk in rows.chunks(frame::FRAME_ROWS_MAX) {
            let before = buf.len();
            frame::encode_frame(chunk, &mut buf)
                .map_err(|e| ArchiveError::InvalidRow { index: 0, reason: e.0 })?;
            end += (buf.len() - before) as u64;
            frames.push(FrameInfo { end, rows: chunk.len() });
        }
        let st = &mut self.staging;
        let written = st.file.write_all(&buf).map_err(io_err("write", &st.path)).and_then(|()| {
            match self.options.fsync {
                FsyncPolicy::Always => fsutil::sync_data(&st.file, &st.path),
                FsyncPolicy::Never => Ok(()),
            }
        });
        if let Err(e) = written {
            // Leave no partial frame behind for the next append to follow.
            let _ = st.file.set_len(st.offset);
            return Err(e);
        }
        Ok(frames)
    }

    /// Records frames just written and their rows (in order) in the staging segment.
    fn stage(&mut self, frames: Vec<FrameInfo>, mut rows: impl Iterator<Item = PositionRow>) {
        let st = &mut self.staging;
        for f in frames {
            let fi = st.frames.len() as u32;
            st.rows.extend(rows.by_ref().take(f.rows).map(|r| (r, fi)));
            st.offset = f.end;
            st.frames.push(f);
        }
    }

    /// The current end of the staging log.
    pub fn mark(&self) -> LogMark {
        LogMark { segment: self.staging.segment, offset: self.staging.offset }
    }

    /// Undoes appends after `to` (the owner's commit failed). `to` must be a mark of the
    /// current segment returned by `append` or `mark`, or a mark in a segment sealed since,
    /// which stands for the start of the current segment (as on open).
    pub fn rollback(&mut self, to: LogMark) -> Result<(), ArchiveError> {
        let in_flight = self.sealing.as_ref().map(|s| s.segment);
        let st = &mut self.staging;
        let to = if to.segment < st.segment
            && (to.segment..st.segment)
                .all(|s| self.manifests.contains_key(&s) || in_flight == Some(s))
        {
            LogMark { segment: st.segment, offset: 0 }
        } else {
            to
        };
        if to == (LogMark { segment: st.segment, offset: st.offset }) {
            return Ok(());
        }
        let bad = |reason: &str| ArchiveError::BadMark {
            segment: to.segment,
            offset: to.offset,
            reason: reason.to_owned(),
        };
        if to.segment != st.segment {
            return Err(bad("not the current staging segment"));
        }
        let keep = if to.offset == 0 {
            0
        } else {
            match st.frames.iter().position(|f| f.end == to.offset) {
                Some(i) => i + 1,
                None => return Err(bad("not the end of a frame")),
            }
        };
        st.file.set_len(to.offset).map_err(io_err("truncate", &st.path))?;
        if self.options.fsync == FsyncPolicy::Always {
            fsutil::sync_data(&st.file, &st.path)?;
        }
        st.frames.truncate(keep);
        st.rows.retain(|(_, fi)| (*fi as usize) < keep);
        st.offset = to.offset;
        Ok(())
    }

    /// Called by the owner only after it committed the current mark: when the staging segment
    /// is full (or when `force`), hands it to a background thread that seals it into daily
    /// GeoParquet files, and starts a new segment. Returns whether it did. After that,
    /// `mark()` is `(segment + 1, 0)`; the handed-over rows stay queryable throughout.
    /// An empty segment is never sealed (`force` then returns `false`).
    ///
    /// Returns at once unless a previous seal is still running when the segment is full
    /// (see [`SEALS_IN_FLIGHT_MAX`]) or `force` is set: `force` waits until every staged row
    /// is in sealed files. An error of a previous background seal is returned here (the
    /// segment stays in memory and its log on disk; the next call retries the seal).
    pub fn seal_if_full(&mut self, force: bool) -> Result<bool, ArchiveError> {
        self.finish_seal(false)?;
        let staged = self.staging.frames.iter().map(|f| f.rows).sum::<usize>();
        if staged == 0 || (!force && self.staging.rows.len() < self.options.segment_rows_max) {
            if force {
                self.finish_seal(true)?;
            }
            return Ok(false);
        }
        self.finish_seal(true)?;
        let staging_dir = self.dir.join("staging");
        let next = self.staging.segment + 1;
        let path = staging_dir.join(segment_log_name(next));
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(&path)
            .map_err(io_err("open", &path))?;
        file.set_len(0).map_err(io_err("truncate", &path))?;
        fsutil::sync_dir(&staging_dir)?;
        let old = std::mem::replace(
            &mut self.staging,
            Staging { segment: next, path, file, offset: 0, frames: Vec::new(), rows: Vec::new() },
        );
        drop(old.file);
        self.sealing = Some(Sealing {
            segment: old.segment,
            log_path: old.path,
            rows: Arc::new(old.rows),
            thread: None,
        });
        self.start_seal()?;
        if force {
            self.finish_seal(true)?;
        }
        Ok(true)
    }

    /// Waits until the segment being sealed (if any) is sealed and indexed; retries a seal
    /// that failed before. After `Ok`, every row not staged in the current segment is in
    /// sealed files listed by [`Archive::day_files`].
    pub fn wait_sealed(&mut self) -> Result<(), ArchiveError> {
        self.finish_seal(true)
    }

    /// Whether a segment was handed to the sealing thread and its files are not indexed yet
    /// (being sealed, sealed but not yet collected by a call taking `&mut self`, or waiting
    /// for a retry after a failure); its rows are then served from memory.
    pub fn is_sealing(&self) -> bool {
        self.sealing.is_some()
    }

    /// Starts the sealing thread for `self.sealing` unless it runs already.
    fn start_seal(&mut self) -> Result<(), ArchiveError> {
        let Some(sealing) = self.sealing.as_mut() else { return Ok(()) };
        if sealing.thread.is_some() {
            return Ok(());
        }
        let dir = self.dir.clone();
        let row_group_rows = self.options.row_group_rows;
        let segment = sealing.segment;
        let rows = Arc::clone(&sealing.rows);
        let log_path = sealing.log_path.clone();
        let thread = std::thread::Builder::new()
            .name(format!("archive-seal-{segment}"))
            .spawn(move || seal_segment(&dir, row_group_rows, segment, &rows, &log_path))
            .map_err(|e| ArchiveError::Sealer {
                segment,
                reason: format!("cannot start the sealing thread: {e}"),
            })?;
        sealing.thread = Some(thread);
        Ok(())
    }

    /// Collects the sealing thread's result when it has finished (or, with `block`, once it
    /// finishes): indexes the manifest and releases the rows, or keeps them and returns the
    /// error. A seal that failed before is started again first.
    fn finish_seal(&mut self, block: bool) -> Result<(), ArchiveError> {
        self.start_seal()?;
        let Some(sealing) = self.sealing.as_mut() else { return Ok(()) };
        let Some(thread) = sealing.thread.take_if(|t| block || t.is_finished()) else {
            return Ok(());
        };
        let segment = sealing.segment;
        let result = thread.join().unwrap_or_else(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the sealing thread panicked".to_owned());
            Err(ArchiveError::Sealer { segment, reason })
        });
        let m = result?;
        // Index first, then release the rows: `&mut self` keeps queries out in between.
        self.index_manifest(m);
        self.sealing = None;
        Ok(())
    }

    /// Sealed parts that may hold rows in `[from, to)` (and `bbox`), with their day.
    fn parts_in(&self, from_ns: i64, to_ns: i64, bbox: Option<&BBox>) -> Vec<&Part> {
        if to_ns <= from_ns {
            return Vec::new();
        }
        self.days
            .range(day_of(from_ns)..=day_of(to_ns - 1))
            .flat_map(|(_, parts)| parts.iter())
            .filter(|p| p.stats.may_match(bbox, from_ns, to_ns))
            .collect()
    }

    /// Runs a row-group scan over `parts` in order of group start time, stopping once `limit`
    /// rows are in `results` and no remaining group can hold an earlier one. `group_ok` prunes
    /// by statistics; `pick` reads one group and appends its matching rows to `results`.
    fn scan_groups(
        parts: &[&Part],
        group_ok: &dyn Fn(&geoparquet::GroupStats, &RowGroupMetaData) -> bool,
        limit: usize,
        results: &mut Vec<PositionRow>,
        pick: &mut GroupPicker<'_>,
    ) -> Result<(), ArchiveError> {
        let mut candidates: Vec<(i64, usize, usize)> = Vec::new();
        for (pi, p) in parts.iter().enumerate() {
            let meta = p.meta()?;
            for (rg, g) in meta.row_groups().iter().enumerate() {
                let s = geoparquet::group_stats(g);
                if group_ok(&s, g) {
                    candidates.push((s.time_min_ns, pi, rg));
                }
            }
        }
        candidates.sort_unstable();
        let mut files: BTreeMap<usize, Arc<File>> = BTreeMap::new();
        let mut threshold: Option<Timestamp> = None;
        if results.len() >= limit {
            sort_cap(results, limit);
            threshold = results.last().map(|r| r.time);
        }
        for (time_min, pi, rg) in candidates {
            if threshold.is_some_and(|t| time_min > t.unix_nanos()) {
                break;
            }
            let part = parts[pi];
            let file = match files.get(&pi) {
                Some(f) => Arc::clone(f),
                None => {
                    let f = Arc::new(fsutil::open(&part.path)?);
                    files.insert(pi, Arc::clone(&f));
                    f
                }
            };
            pick(part, &file, rg, results)?;
            if results.len() >= limit {
                sort_cap(results, limit);
                threshold = results.last().map(|r| r.time);
            }
        }
        Ok(())
    }

    /// Rows whose position lies in `bbox` (edges included) and time in `range`, ordered by
    /// time then target key, at most `limit`.
    ///
    /// Sealed files are pruned by day, then by their extent in the manifest, then row groups
    /// by their `time` and `bbox.*` statistics; only `time`, `lon` and `lat` are read to find
    /// matches, the other columns only for groups with matches.
    pub fn positions(
        &self,
        bbox: &BBox,
        range: &TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, ArchiveError> {
        let (from, to) = (range.from.unix_nanos(), range.to.unix_nanos());
        if limit == 0 || to <= from {
            return Ok(Vec::new());
        }
        let mut results: Vec<PositionRow> = self
            .memory_rows()
            .filter(|r| range.contains(r.time) && bbox.contains(r.lon, r.lat))
            .cloned()
            .collect();
        let parts = self.parts_in(from, to, Some(bbox));
        let group_ok = |s: &geoparquet::GroupStats, _: &RowGroupMetaData| {
            s.time_max_ns >= from
                && s.time_min_ns < to
                && bbox.intersects(&BBox {
                    west: s.bbox[0],
                    south: s.bbox[1],
                    east: s.bbox[2],
                    north: s.bbox[3],
                })
        };
        let mut pick = |part: &Part,
                        file: &Arc<File>,
                        rg: usize,
                        out: &mut Vec<PositionRow>|
         -> Result<(), ArchiveError> {
            let g = geoparquet::group_reader(file, part.meta()?, rg, false, &part.path)?;
            let base = GroupColumns {
                time: geoparquet::read_i64(&g, col::TIME, &part.path)?,
                lon: geoparquet::read_f64_required(&g, col::LON, &part.path)?,
                lat: geoparquet::read_f64_required(&g, col::LAT, &part.path)?,
            };
            let picks: Vec<usize> = (0..base.time.len())
                .filter(|&i| {
                    let t = base.time[i];
                    t >= from
                        && t < to
                        && matches!((base.lon.get(i), base.lat.get(i)),
                            (Some(x), Some(y)) if bbox.contains(*x, *y))
                })
                .collect();
            geoparquet::rebuild_rows(&g, &base, None, &picks, &part.path, out)
        };
        Self::scan_groups(&parts, &group_ok, limit, &mut results, &mut pick)?;
        sort_cap(&mut results, limit);
        Ok(results)
    }

    /// Rows of one target with time in `range`, oldest first, at most `limit`.
    ///
    /// Row groups are pruned by `time` statistics, by the `target` statistics and by the
    /// bloom filter on `target`; only `target` and `time` are read to find matches.
    pub fn history(
        &self,
        target: &TargetId,
        range: &TimeRange,
        limit: usize,
    ) -> Result<Vec<PositionRow>, ArchiveError> {
        let (from, to) = (range.from.unix_nanos(), range.to.unix_nanos());
        if limit == 0 || to <= from {
            return Ok(Vec::new());
        }
        let key = target_key(target);
        let mut results: Vec<PositionRow> = self
            .memory_rows()
            .filter(|r| range.contains(r.time) && r.target == *target)
            .cloned()
            .collect();
        let parts = self.parts_in(from, to, None);
        let group_ok = |s: &geoparquet::GroupStats, g: &RowGroupMetaData| {
            let in_keys = match g.columns().get(col::TARGET).and_then(|c| c.statistics()) {
                Some(Statistics::ByteArray(st)) => {
                    st.min_opt().is_none_or(|m| m.data() <= key.as_bytes())
                        && st.max_opt().is_none_or(|m| m.data() >= key.as_bytes())
                }
                _ => true,
            };
            s.time_max_ns >= from && s.time_min_ns < to && in_keys
        };
        let mut pick = |part: &Part,
                        file: &Arc<File>,
                        rg: usize,
                        out: &mut Vec<PositionRow>|
         -> Result<(), ArchiveError> {
            let g = geoparquet::group_reader(file, part.meta()?, rg, true, &part.path)?;
            if g.get_column_bloom_filter(col::TARGET).is_some_and(|b| !b.check(key.as_str())) {
                return Ok(());
            }
            let targets = geoparquet::read_bytes(&g, col::TARGET, &part.path)?;
            let hits: Vec<usize> =
                (0..targets.len()).filter(|&i| targets[i].data() == key.as_bytes()).collect();
            if hits.is_empty() {
                return Ok(());
            }
            let time = geoparquet::read_i64(&g, col::TIME, &part.path)?;
            let picks: Vec<usize> = hits
                .into_iter()
                .filter(|&i| time.get(i).is_some_and(|&t| t >= from && t < to))
                .collect();
            if picks.is_empty() {
                return Ok(());
            }
            let base = GroupColumns {
                time,
                lon: geoparquet::read_f64_required(&g, col::LON, &part.path)?,
                lat: geoparquet::read_f64_required(&g, col::LAT, &part.path)?,
            };
            geoparquet::rebuild_rows(&g, &base, Some(&targets), &picks, &part.path, out)
        };
        Self::scan_groups(&parts, &group_ok, limit, &mut results, &mut pick)?;
        sort_cap(&mut results, limit);
        Ok(results)
    }

    /// Drops (or moves to `retention_move_to`) whole days before `before`'s UTC day, staged
    /// rows before `before` included. Returns rows removed.
    ///
    /// Manifests are rewritten first, then day directories removed or moved (file by file, so
    /// a move across file systems copies), so a crash in between leaves files no manifest
    /// lists, which the next `drop_before` removes (and `check` reports). Staged rows are
    /// removed through `retention.json` (the log itself is append-only); when moving, they are
    /// first written as GeoParquet to
    /// `<move_to>/days/YYYY-MM-DD/staged-{segment:08}-{offset}-{before_ns}.parquet`.
    ///
    /// A seal in progress is waited for first, so its rows are removed from sealed files.
    pub fn drop_before(&mut self, before: Timestamp) -> Result<u64, ArchiveError> {
        self.finish_seal(true)?;
        let before_ns = before.unix_nanos();
        let cutoff_day = day_of(before_ns);
        let mut removed = 0u64;

        // Staged rows.
        let gone: Vec<PositionRow> = self
            .staging
            .rows
            .iter()
            .filter(|(r, _)| r.time.unix_nanos() < before_ns)
            .map(|(r, _)| r.clone())
            .collect();
        if !gone.is_empty() {
            if let Some(to) = &self.options.retention_move_to {
                let mut by_day: BTreeMap<i64, Vec<PositionRow>> = BTreeMap::new();
                for r in &gone {
                    by_day.entry(day_of(r.time.unix_nanos())).or_default().push(r.clone());
                }
                for (day, rows) in by_day {
                    let d = to.join("days").join(day_name(day));
                    fsutil::create_dir_all(&d)?;
                    let path = d.join(format!(
                        "staged-{:08}-{}-{before_ns}.parquet",
                        self.staging.segment, self.staging.offset
                    ));
                    let ordered = geoparquet::order_rows(rows, self.options.row_group_rows);
                    geoparquet::write_file(&path, &ordered, self.options.row_group_rows)?;
                }
            }
            let cut = Cut { offset: self.staging.offset, before_ns };
            let mut retention = if self.retention.segment == self.staging.segment {
                self.retention.clone()
            } else {
                Retention { segment: self.staging.segment, cuts: Vec::new() }
            };
            retention.cuts.retain(|c| c.before_ns > before_ns);
            retention.cuts.push(cut);
            let bytes = serde_json::to_vec(&retention).map_err(|e| ArchiveError::Corrupt {
                path: self.dir.join("retention.json"),
                reason: e.to_string(),
            })?;
            fsutil::write_durable(&self.dir.join("retention.json"), &bytes)?;
            self.retention = retention;
            self.staging.rows.retain(|(r, _)| r.time.unix_nanos() >= before_ns);
            removed += gone.len() as u64;
        }

        // Manifests first: what they no longer list is no longer in the archive.
        let segments: Vec<u64> = self.manifests.keys().copied().collect();
        let newest = segments.last().copied();
        for seg in segments {
            let Some(m) = self.manifests.get(&seg) else { continue };
            let keep: Vec<ManifestPart> = m
                .parts
                .iter()
                .filter(|p| parse_day(&p.day).is_none_or(|d| d >= cutoff_day))
                .cloned()
                .collect();
            if keep.len() == m.parts.len() {
                continue;
            }
            let m = Manifest { format: MANIFEST_FORMAT, segment: seg, parts: keep };
            if m.parts.is_empty() && Some(seg) != newest {
                // Nothing left to record; the newest manifest stays to number segments.
                fsutil::remove_file(&self.manifest_path(seg))?;
                fsutil::sync_dir(&self.dir.join("sealed"))?;
                self.manifests.remove(&seg);
            } else {
                self.write_manifest(&m)?;
                self.manifests.insert(seg, m);
            }
        }
        let old_days: Vec<i64> = self.days.range(..cutoff_day).map(|(d, _)| *d).collect();
        for d in old_days {
            if let Some(parts) = self.days.remove(&d) {
                removed += parts.iter().map(|p| p.stats.rows).sum::<u64>();
            }
        }

        // Then the files, including any a crash left behind.
        let days_dir = self.dir.join("days");
        for d in fsutil::list(&days_dir)? {
            let Some(day) = d.file_name().and_then(|n| n.to_str()).and_then(parse_day) else {
                continue;
            };
            if day >= cutoff_day {
                continue;
            }
            match &self.options.retention_move_to {
                Some(to) => {
                    let dest = to.join("days").join(day_name(day));
                    fsutil::create_dir_all(&dest)?;
                    for f in fsutil::list(&d)? {
                        if let Some(name) = f.file_name() {
                            move_file(&f, &dest.join(name))?;
                        }
                    }
                    fsutil::sync_dir(&dest)?;
                    std::fs::remove_dir(&d).map_err(io_err("remove directory", &d))?;
                }
                None => {
                    std::fs::remove_dir_all(&d).map_err(io_err("remove directory", &d))?;
                }
            }
        }
        fsutil::sync_dir(&days_dir)?;
        Ok(removed)
    }

    /// Checks every file (Parquet footers, row counts against the archive's own record,
    /// staging log checksums); returns (what was checked, problems found).
    pub fn check(&self) -> (Vec<String>, Vec<String>) {
        let mut checked = Vec::new();
        let mut problems = self.recovery_problems.clone();
        let mut known = std::collections::HashSet::new();
        // Files of the segment being sealed are not indexed yet.
        let in_flight = self.sealing.as_ref().map(|s| s.segment);
        let being_sealed = |p: &Path| {
            in_flight.is_some_and(|seg| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    // Parts are written under a temporary name first.
                    n == segment_log_name(seg) || n.starts_with(&format!("part-{seg:08}.parquet"))
                })
            })
        };
        for part in self.days.values().flatten() {
            let name = part.path.display().to_string();
            known.insert(part.path.clone());
            match geoparquet::read_meta(&part.path) {
                Err(e) => problems.push(format!("{name}: {e}")),
                Ok(m) => {
                    let rows = m.meta.file_metadata().num_rows();
                    let groups: i64 = m.meta.row_groups().iter().map(|g| g.num_rows()).sum();
                    if u64::try_from(rows).ok() != Some(part.stats.rows) || rows != groups {
                        problems.push(format!(
                            "{name}: {rows} rows in the footer ({groups} in row groups), \
                             {} in the manifest",
                            part.stats.rows
                        ));
                    }
                    let geo = m
                        .meta
                        .file_metadata()
                        .key_value_metadata()
                        .and_then(|kv| kv.iter().find(|k| k.key == "geo"))
                        .and_then(|k| k.value.as_deref())
                        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok());
                    if geo.as_ref().and_then(|g| g["version"].as_str()) != Some("1.1.0") {
                        problems.push(format!("{name}: missing or invalid `geo` metadata"));
                    }
                }
            }
            checked.push(name);
        }
        // Files in day directories that no manifest lists.
        for d in fsutil::list(&self.dir.join("days")).unwrap_or_default() {
            for f in fsutil::list(&d).unwrap_or_default() {
                if !known.contains(&f) && !being_sealed(&f) {
                    problems.push(format!("{}: not listed in any manifest", f.display()));
                }
            }
        }
        // Staging logs.
        for f in fsutil::list(&self.dir.join("staging")).unwrap_or_default() {
            let name = f.display().to_string();
            if being_sealed(&f) {
                continue;
            }
            if f != self.staging.path {
                problems.push(format!("{name}: staging segment other than the current one"));
                continue;
            }
            match fsutil::read(&f) {
                Err(e) => problems.push(format!("{name}: {e}")),
                Ok(bytes) => {
                    let scan = frame::scan(&bytes, None);
                    if let Some(why) = &scan.stopped {
                        problems.push(format!("{name}: {why}"));
                    }
                    if scan.valid_len != self.staging.offset
                        || scan.frames.len() != self.staging.frames.len()
                    {
                        problems.push(format!(
                            "{name}: {} valid bytes in {} frames, expected {} bytes in {} frames",
                            scan.valid_len,
                            scan.frames.len(),
                            self.staging.offset,
                            self.staging.frames.len()
                        ));
                    }
                }
            }
            checked.push(name);
        }
        (checked, problems)
    }

    /// Rows stored (sealed + staged).
    pub fn len(&self) -> u64 {
        let sealed: u64 = self.days.values().flatten().map(|p| p.stats.rows).sum();
        let sealing = self.sealing.as_ref().map_or(0, |s| s.rows.len());
        sealed + (sealing + self.staging.rows.len()) as u64
    }

    /// Whether no rows are stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes one UTC day's rows (sealed and staged) in a format; returns rows written.
    ///
    /// Rows come file by file in each file's order, then the staged rows by time. GeoJSON
    /// and CSV are streamed; GeoParquet is assembled in the archive's `tmp/` directory (sealed
    /// row groups are copied without decoding) and then copied to `out`.
    pub fn export_day(
        &self,
        year: i32,
        month: u8,
        day: u8,
        format: ExportFormat,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, ArchiveError> {
        let t = Timestamp::from_civil(year, month, day, 0, 0, 0, 0)
            .ok_or(ArchiveError::BadDay { year, month, day })?;
        let day = day_of(t.unix_nanos());
        let parts: &[Part] = self.days.get(&day).map_or(&[], Vec::as_slice);
        let mut staged: Vec<PositionRow> =
            self.memory_rows().filter(|r| day_of(r.time.unix_nanos()) == day).cloned().collect();
        staged.sort_by(cmp_rows);
        match format {
            ExportFormat::GeoParquet => self.export_geoparquet(parts, staged, out),
            ExportFormat::GeoJson | ExportFormat::Csv => {
                let mut w = export::TextWriter::new(format, out).map_err(export_err)?;
                let mut rows = Vec::new();
                for part in parts {
                    let meta = part.meta()?;
                    let file = Arc::new(fsutil::open(&part.path)?);
                    for rg in 0..meta.num_row_groups() {
                        let g = geoparquet::group_reader(&file, meta, rg, false, &part.path)?;
                        rows.clear();
                        geoparquet::read_group_rows(&g, &part.path, &mut rows)?;
                        for r in &rows {
                            w.row(r).map_err(export_err)?;
                        }
                    }
                }
                for r in &staged {
                    w.row(r).map_err(export_err)?;
                }
                w.finish().map_err(export_err)
            }
        }
    }

    fn export_geoparquet(
        &self,
        parts: &[Part],
        staged: Vec<PositionRow>,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, ArchiveError> {
        static EXPORTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = EXPORTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = self.dir.join("tmp").join(format!("export-{}-{n}.parquet", std::process::id()));
        let result = self.write_export(&tmp, parts, staged, out);
        let removed = fsutil::remove_file(&tmp);
        let rows = result?;
        removed?;
        Ok(rows)
    }

    fn write_export(
        &self,
        tmp: &Path,
        parts: &[Part],
        staged: Vec<PositionRow>,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, ArchiveError> {
        let mut stats: Vec<PartStats> = parts.iter().map(|p| p.stats).collect();
        stats.extend(geoparquet::stats_of(staged.iter()));
        let bbox = stats.iter().fold(None, |acc: Option<[f64; 4]>, s| {
            Some(match acc {
                None => s.bbox,
                Some(b) => [
                    b[0].min(s.bbox[0]),
                    b[1].min(s.bbox[1]),
                    b[2].max(s.bbox[2]),
                    b[3].max(s.bbox[3]),
                ],
            })
        });
        let ordered = geoparquet::order_rows(staged, self.options.row_group_rows);
        let distinct =
            ordered.iter().map(|r| r.1.as_str()).collect::<std::collections::HashSet<_>>().len();
        let file = fsutil::create(tmp)?;
        let mut w = geoparquet::FileWriter::new(
            tmp,
            file,
            bbox.unwrap_or([0.0; 4]),
            self.options.row_group_rows,
            distinct,
            geoparquet::PageIndex::Omit,
        )?;
        let mut rows = 0u64;
        for part in parts {
            let meta = part.meta()?;
            let src = fsutil::open(&part.path)?;
            for g in meta.row_groups() {
                let mut blooms = Vec::with_capacity(g.num_columns());
                for c in g.columns() {
                    blooms.push(
                        parquet::bloom_filter::Sbbf::read_from_column_chunk(c, &src).map_err(
                            |source| ArchiveError::Parquet { path: part.path.clone(), source },
                        )?,
                    );
                }
                w.copy_group(&src, g, blooms)?;
                rows += u64::try_from(g.num_rows()).unwrap_or(0);
            }
        }
        for chunk in ordered.chunks(self.options.row_group_rows) {
            w.write_group(chunk)?;
            rows += chunk.len() as u64;
        }
        drop(w.finish()?);
        let mut f = fsutil::open(tmp)?;
        std::io::copy(&mut f, out).map_err(export_err)?;
        out.flush().map_err(export_err)?;
        Ok(rows)
    }

    /// Paths of the sealed GeoParquet files holding one UTC day (for other tools).
    pub fn day_files(&self, year: i32, month: u8, day: u8) -> Vec<PathBuf> {
        let Some(t) = Timestamp::from_civil(year, month, day, 0, 0, 0, 0) else {
            return Vec::new();
        };
        self.days
            .get(&day_of(t.unix_nanos()))
            .map(|parts| parts.iter().map(|p| p.path.clone()).collect())
            .unwrap_or_default()
    }
}
