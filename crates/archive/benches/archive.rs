//! Archive benchmarks: append throughput with `FsyncPolicy::Always`, sealing throughput, and
//! query latency over a synthetic day of traffic in the Taiwan / East China Sea region.
//!
//! ```text
//! cargo bench -p kuroshio-archive --bench archive
//! ```
//!
//! Environment:
//! - `KUROSHIO_ARCHIVE_BENCH_ROWS`: rows in the query store (default 5,000,000; 50,000,000
//!   works, needs about 3 GB of disk);
//! - `KUROSHIO_ARCHIVE_BENCH_QUERIES`: queries of each kind (default 200);
//! - `KUROSHIO_ARCHIVE_BENCH_DIR`: where to build the stores (default: the target dir's tmp).
//!
//! The synthetic traffic: `TARGETS` targets (vessels and aircraft) each on a straight track
//! at its own speed from a start point in 117–132° E, 21–35° N, reporting in turn, so rows
//! arrive in time order across one UTC day as a live feed's would. Queries: a random box of
//! 0.25–2° a side inside that region and a random window of 10–120 minutes, `limit` 10,000;
//! and the history of a random target over the whole day.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use kuroshio_archive::{Archive, ArchiveOptions, BBox, FsyncPolicy, PositionRow, TimeRange};
use kuroshio_model::{Icao24, Mmsi, SourceId, TargetId, Timestamp};

/// Distinct targets in the synthetic traffic (a busy day in the region: thousands of AIS
/// stations and hundreds of aircraft).
const TARGETS: u64 = 20_000;
/// 2026-12-04T00:00:00Z.
const DAY0_NS: i64 = 1_796_342_400 * 1_000_000_000;
const DAY_NS: i64 = 86_400 * 1_000_000_000;
/// Rows generated at a time while building the query store.
const BUILD_BATCH_ROWS: usize = 50_000;
/// `limit` of the benchmark queries.
const QUERY_LIMIT: usize = 10_000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Row `i` of `n` rows spread over the day.
fn synth_row(i: u64, n: u64) -> PositionRow {
    let k = i % TARGETS;
    let mut r = Rng(k.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 0xdead_beef);
    let (lon0, lat0) = (117.0 + r.unit() * 15.0, 21.0 + r.unit() * 14.0);
    let aircraft = k % 10 == 0;
    let speed_deg_per_day = if aircraft { 40.0 } else { 3.0 } * (0.2 + r.unit());
    let heading = r.unit() * std::f64::consts::TAU;
    let t_frac = i as f64 / n as f64;
    // Bounce inside the region so tracks stay in it all day.
    let fold = |v: f64, lo: f64, hi: f64| {
        let w = hi - lo;
        let x = (v - lo).rem_euclid(2.0 * w);
        lo + if x > w { 2.0 * w - x } else { x }
    };
    let lon = fold(lon0 + heading.cos() * speed_deg_per_day * t_frac, 117.0, 132.0);
    let lat = fold(lat0 + heading.sin() * speed_deg_per_day * t_frac, 21.0, 35.0);
    let target = if aircraft {
        TargetId::Aircraft(Icao24::new(0x89_0000 + k as u32).unwrap())
    } else {
        TargetId::Vessel(Mmsi::new(412_000_000 + k as u32).unwrap())
    };
    PositionRow {
        time: Timestamp::from_unix_nanos(DAY0_NS + (t_frac * DAY_NS as f64) as i64),
        target,
        source: SourceId::parse(if aircraft { "sbs-taipei" } else { "ais-keelung" }).unwrap(),
        lon,
        lat,
        speed_knots: Some(if aircraft { 420.0 } else { 12.5 }),
        course_deg: Some(heading.to_degrees().rem_euclid(360.0)),
        heading_deg: (!aircraft).then_some(heading.to_degrees().rem_euclid(360.0)),
        altitude_ft: aircraft.then_some(32_000.0),
    }
}

fn fresh(base: &Path, name: &str) -> PathBuf {
    let d = base.join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted_ms.len() - 1) as f64 * p).round() as usize;
    sorted_ms[i]
}

fn bench_append(base: &Path, batch: usize, total: usize) {
    let dir = fresh(base, &format!("append-{batch}"));
    let opts = ArchiveOptions {
        fsync: FsyncPolicy::Always,
        segment_rows_max: total + batch,
        ..ArchiveOptions::default()
    };
    let mut a = Archive::open(&dir, opts, None).unwrap();
    let rows: Vec<PositionRow> = (0..total as u64).map(|i| synth_row(i, total as u64)).collect();
    let t = Instant::now();
    for chunk in rows.chunks(batch) {
        a.append(chunk).unwrap();
    }
    let s = t.elapsed().as_secs_f64();
    let bytes = a.mark().offset;
    println!(
        "append  fsync=Always batch={batch:>7}: {total} rows in {s:.2} s = {:.0} rows/s, \
         {:.1} MB/s, {:.1} ms/batch ({:.1} bytes/row in the log)",
        total as f64 / s,
        bytes as f64 / s / 1e6,
        s * 1e3 / (total / batch) as f64,
        bytes as f64 / total as f64
    );
    // Sealing the same segment.
    let t = Instant::now();
    assert!(a.seal_if_full(true).unwrap());
    let s = t.elapsed().as_secs_f64();
    let parquet: u64 =
        a.day_files(2026, 12, 4).iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    println!(
        "seal    {total} rows in {s:.2} s = {:.0} rows/s ({:.1} bytes/row in GeoParquet)",
        total as f64 / s,
        parquet as f64 / total as f64
    );
    drop(a);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let n = env_usize("KUROSHIO_ARCHIVE_BENCH_ROWS", 5_000_000);
    let queries = env_usize("KUROSHIO_ARCHIVE_BENCH_QUERIES", 200);
    let base = std::env::var_os("KUROSHIO_ARCHIVE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("archive-bench"));
    std::fs::create_dir_all(&base).unwrap();
    println!("archive bench in {} (N = {n}, {queries} queries of each kind)", base.display());

    bench_append(&base, 10_000, 1_000_000);
    bench_append(&base, 100_000, 1_000_000);

    // The query store: default options (1,000,000-row segments, 65,536-row groups), appends
    // of BUILD_BATCH_ROWS, sealing when full as the store does. The log is not fsynced here
    // (append cost is measured above); sealing is.
    let dir = fresh(&base, "store");
    let opts = ArchiveOptions { fsync: FsyncPolicy::Never, ..ArchiveOptions::default() };
    let mut a = Archive::open(&dir, opts.clone(), None).unwrap();
    let t = Instant::now();
    let mut seal_s = 0.0;
    let mut batch = Vec::with_capacity(BUILD_BATCH_ROWS);
    let mut i = 0u64;
    while i < n as u64 {
        batch.clear();
        let end = (i + BUILD_BATCH_ROWS as u64).min(n as u64);
        batch.extend((i..end).map(|j| synth_row(j, n as u64)));
        i = end;
        a.append(&batch).unwrap();
        let ts = Instant::now();
        if a.seal_if_full(false).unwrap() {
            seal_s += ts.elapsed().as_secs_f64();
        }
    }
    let build_s = t.elapsed().as_secs_f64();
    // Batches divide segments evenly, so seals happen at whole segments.
    let staged = n % ArchiveOptions::default().segment_rows_max;
    let files = a.day_files(2026, 12, 4);
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    println!(
        "build   {n} rows in {build_s:.1} s ({:.0} rows/s overall; sealing {seal_s:.1} s = \
         {:.0} rows/s); {} files, {:.1} MB ({:.1} bytes/row), {} rows still staged",
        n as f64 / build_s,
        (n - staged) as f64 / seal_s.max(1e-9),
        files.len(),
        bytes as f64 / 1e6,
        bytes as f64 / n as f64,
        staged,
    );
    // Reopen so queries start with cold footers, as after a restart.
    let m = a.mark();
    drop(a);
    let a = Archive::open(&dir, opts, Some(m)).unwrap();

    let mut rng = Rng(42);
    let mut lat_ms = Vec::with_capacity(queries);
    let mut returned = 0usize;
    for _ in 0..queries {
        let w = 0.25 + rng.unit() * 1.75;
        let h = 0.25 + rng.unit() * 1.75;
        let west = 117.0 + rng.unit() * (15.0 - w);
        let south = 21.0 + rng.unit() * (14.0 - h);
        let bbox = BBox::new(west, south, west + w, south + h).unwrap();
        let len_ns = ((10.0 + rng.unit() * 110.0) * 60e9) as i64;
        let from = DAY0_NS + (rng.unit() * (DAY_NS - len_ns) as f64) as i64;
        let range = TimeRange::new(
            Timestamp::from_unix_nanos(from),
            Timestamp::from_unix_nanos(from + len_ns),
        )
        .unwrap();
        let t = Instant::now();
        let rows = a.positions(&bbox, &range, QUERY_LIMIT).unwrap();
        lat_ms.push(t.elapsed().as_secs_f64() * 1e3);
        returned += rows.len();
    }
    lat_ms.sort_by(f64::total_cmp);
    println!(
        "positions (bbox 0.25-2 deg, 10-120 min, limit {QUERY_LIMIT}): p50 {:.2} ms, p99 {:.2} \
         ms, max {:.2} ms; {:.0} rows/query on average",
        percentile(&lat_ms, 0.5),
        percentile(&lat_ms, 0.99),
        lat_ms.last().copied().unwrap_or(f64::NAN),
        returned as f64 / queries as f64
    );

    let mut lat_ms = Vec::with_capacity(queries);
    let mut returned = 0usize;
    let day = TimeRange::new(
        Timestamp::from_unix_nanos(DAY0_NS),
        Timestamp::from_unix_nanos(DAY0_NS + DAY_NS),
    )
    .unwrap();
    for _ in 0..queries {
        let k = rng.next() % (n as u64).min(TARGETS);
        let target = synth_row(k, n as u64).target;
        let t = Instant::now();
        let rows = a.history(&target, &day, QUERY_LIMIT).unwrap();
        lat_ms.push(t.elapsed().as_secs_f64() * 1e3);
        returned += rows.len();
    }
    lat_ms.sort_by(f64::total_cmp);
    println!(
        "history (one target, whole day, limit {QUERY_LIMIT}): p50 {:.2} ms, p99 {:.2} ms, max \
         {:.2} ms; {:.0} rows/query on average",
        percentile(&lat_ms, 0.5),
        percentile(&lat_ms, 0.99),
        lat_ms.last().copied().unwrap_or(f64::NAN),
        returned as f64 / queries as f64
    );
    if std::env::var_os("KUROSHIO_ARCHIVE_BENCH_KEEP").is_none() {
        drop(a);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
