//! Durable ingest and bbox + time queries on the embedded store, and the naive way to do the
//! same with SQLite, on one synthetic regional day.
//!
//! Rows: `--rows N` positions (default 2,000,000) of 10,000 targets (8,000 vessels at 5–20 kn,
//! 2,000 aircraft at 250–480 kn) moving in straight lines over 116–132°E, 18–34°N, reporting in
//! time order across one UTC day (2024-08-01), seeded SplitMix64, identical on every run.
//!
//! Timed (wall clock, one pass each, fsync on as by default):
//! - `EmbeddedStore::append` in batches of 10,000 and of 100,000 positions (group commit: one
//!   durable commit per batch), each into a fresh store: once until the last batch is
//!   acknowledged, and once more including `close`, which waits for the background seal of the
//!   last full segment (the whole cost of turning the rows into Parquet);
//! - naive: one `INSERT` per transaction into a plain SQLite table (WAL, `synchronous=FULL`),
//!   on the first `--naive N` rows (default 20,000; it is slow);
//! - queries: after the 100,000-row ingest, `--queries Q` (default 200) bbox + time queries,
//!   each a random 1° × 1° box over the region's busy part and a random one-hour window,
//!   p50 and p99 latency; the store is reopened first, so sealed files are read from disk
//!   (the page cache stays warm).
//!
//! `--batch N` times only batches of N (for profiling one case). `--dump DIR` writes the rows
//! as `DIR/store-rows.csv` for the pandas + GeoPandas peer (`scripts/bench/store_geopandas.py`).
//! `--dir DIR` puts the stores under DIR (default: a folder under the system temporary
//! directory); they are removed at the end unless `--keep`.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kuroshio_model::{Icao24, Mmsi, Observation, Position, SourceId, TargetId, Timestamp};
use kuroshio_store::embedded::{EmbeddedOptions, EmbeddedStore};
use kuroshio_store::{BBox, Batch, PositionRow, Store, TimeRange};

/// 2024-08-01T00:00:00Z.
const DAY0_S: i64 = 1_722_470_400;
const TARGETS: usize = 10_000;

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

struct Mover {
    target: TargetId,
    lon: f64,
    lat: f64,
    dlon_per_s: f64,
    dlat_per_s: f64,
    speed_knots: f64,
    course_deg: f64,
    aircraft: bool,
}

fn movers(rng: &mut Rng) -> Vec<Mover> {
    (0..TARGETS)
        .map(|i| {
            let aircraft = i % 5 == 4;
            let target = if aircraft {
                TargetId::Aircraft(Icao24::new(0x89_0000 + i as u32).unwrap())
            } else {
                TargetId::Vessel(Mmsi::new(412_000_000 + i as u32).unwrap())
            };
            let speed_knots =
                if aircraft { 250.0 + rng.unit() * 230.0 } else { 5.0 + rng.unit() * 15.0 };
            let course_deg = rng.unit() * 360.0;
            let deg_per_s = speed_knots / 3600.0 / 60.0;
            Mover {
                target,
                lon: 116.0 + rng.unit() * 16.0,
                lat: 18.0 + rng.unit() * 16.0,
                dlon_per_s: deg_per_s * course_deg.to_radians().sin(),
                dlat_per_s: deg_per_s * course_deg.to_radians().cos(),
                speed_knots,
                course_deg,
                aircraft,
            }
        })
        .collect()
}

/// `n` observations in time order over one day.
fn stream(n: usize) -> Vec<Observation> {
    let mut rng = Rng(0x5eed);
    let mut m = movers(&mut rng);
    let sources = [SourceId::parse("ais-sim").unwrap(), SourceId::parse("adsb-sim").unwrap()];
    let rounds = n.div_ceil(TARGETS);
    let step_s = 86_400.0 / rounds as f64;
    let mut out = Vec::with_capacity(n);
    'outer: for round in 0..rounds {
        for (i, mv) in m.iter_mut().enumerate() {
            if out.len() == n {
                break 'outer;
            }
            let t_s = round as f64 * step_s + i as f64 * step_s / TARGETS as f64;
            mv.lon += mv.dlon_per_s * step_s;
            mv.lat += mv.dlat_per_s * step_s;
            // Bounce at the region's edges.
            if !(116.0..=132.0).contains(&mv.lon) {
                mv.dlon_per_s = -mv.dlon_per_s;
                mv.lon = mv.lon.clamp(116.0, 132.0);
            }
            if !(18.0..=34.0).contains(&mv.lat) {
                mv.dlat_per_s = -mv.dlat_per_s;
                mv.lat = mv.lat.clamp(18.0, 34.0);
            }
            let time = Timestamp::from_unix_nanos(DAY0_S * 1_000_000_000 + (t_s * 1e9) as i64);
            let mut o = Observation::new(
                mv.target.clone(),
                time,
                sources[usize::from(mv.aircraft)].clone(),
            );
            o.position = Some(Position::new(mv.lon, mv.lat).unwrap());
            o.kinematics.speed_knots = Some(mv.speed_knots);
            o.kinematics.course_deg = Some(mv.course_deg);
            if mv.aircraft {
                o.kinematics.altitude_ft = Some(30_000.0);
            }
            out.push(o);
        }
    }
    out
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn path_arg(args: &[String], name: &str) -> Option<PathBuf> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(PathBuf::from)
}

/// Seconds until the last batch was acknowledged, and until the store was closed.
fn ingest(dir: &Path, obs: &[Observation], batch: usize) -> (f64, f64) {
    let _ = std::fs::remove_dir_all(dir);
    let mut store = EmbeddedStore::open(dir, EmbeddedOptions::default()).unwrap();
    let start = Instant::now();
    for chunk in obs.chunks(batch) {
        store.append(&Batch { observations: chunk, events: &[], cursor: None }).unwrap();
    }
    let acked = start.elapsed().as_secs_f64();
    store.close().unwrap();
    (acked, start.elapsed().as_secs_f64())
}

fn naive(dir: &Path, obs: &[Observation]) -> f64 {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let db = rusqlite::Connection::open(dir.join("naive.sqlite")).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE positions (time_ns INTEGER, target TEXT, source TEXT, lon REAL, lat REAL,
           speed_knots REAL, course_deg REAL, heading_deg REAL, altitude_ft REAL);",
    )
    .unwrap();
    let start = Instant::now();
    for o in obs {
        let r = PositionRow::from_observation(o).unwrap();
        db.execute(
            "INSERT INTO positions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                r.time.unix_nanos(),
                kuroshio_store::target_key(&r.target),
                r.source.as_str(),
                r.lon,
                r.lat,
                r.speed_knots,
                r.course_deg,
                r.heading_deg,
                r.altitude_ft
            ],
        )
        .unwrap();
    }
    start.elapsed().as_secs_f64()
}

fn dump(dir: &Path, obs: &[Observation]) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("store-rows.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(w, "time_ns,target,source,lon,lat,speed_knots,course_deg,heading_deg,altitude_ft")
        .unwrap();
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for o in obs {
        let r = PositionRow::from_observation(o).unwrap();
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{}",
            r.time.unix_nanos(),
            kuroshio_store::target_key(&r.target),
            r.source.as_str(),
            r.lon,
            r.lat,
            opt(r.speed_knots),
            opt(r.course_deg),
            opt(r.heading_deg),
            opt(r.altitude_ft)
        )
        .unwrap();
    }
    w.flush().unwrap();
    println!("dumped {} rows to {}", obs.len(), path.display());
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = arg(&args, "--rows", 2_000_000);
    let naive_rows: usize = arg(&args, "--naive", 20_000);
    let queries: usize = arg(&args, "--queries", 200);
    let keep = args.iter().any(|a| a == "--keep");
    let base = path_arg(&args, "--dir").unwrap_or_else(|| {
        std::env::temp_dir().join(format!("kuroshio-store-bench-{}", std::process::id()))
    });
    let obs = stream(rows);
    if let Some(d) = path_arg(&args, "--dump") {
        dump(&d, &obs);
    }
    println!("tool\toperation\trows\tseconds\trows/s");
    // `--batch N` times that batch size alone (the query part then needs N = 100,000).
    let batches = match arg(&args, "--batch", 0usize) {
        0 => vec![10_000usize, 100_000],
        n => vec![n],
    };
    for batch in batches {
        let (acked, closed) = ingest(&base.join(format!("embedded-{batch}")), &obs, batch);
        println!(
            "kuroshio\tdurable append, batches of {batch}\t{}\t{acked:.4}\t{:.0}",
            obs.len(),
            obs.len() as f64 / acked
        );
        let what = format!("durable append + close (sealing done), batches of {batch}");
        println!("kuroshio\t{what}\t{}\t{closed:.4}\t{:.0}", obs.len(), obs.len() as f64 / closed);
    }
    let n = naive_rows.min(obs.len());
    let s = naive(&base.join("naive"), &obs[..n]);
    println!("sqlite\tnaive: one INSERT per transaction\t{n}\t{s:.4}\t{:.0}", n as f64 / s);

    let store =
        EmbeddedStore::open(&base.join("embedded-100000"), EmbeddedOptions::default()).unwrap();
    let mut rng = Rng(0xb0b);
    let mut lat_ms = Vec::with_capacity(queries);
    let mut hits = 0usize;
    for _ in 0..queries {
        let w = 118.0 + rng.unit() * 11.0;
        let s = 20.0 + rng.unit() * 11.0;
        let bbox = BBox::new(w, s, w + 1.0, s + 1.0).unwrap();
        let from_s = DAY0_S + (rng.unit() * 82_800.0) as i64;
        let range = TimeRange::new(
            Timestamp::from_unix_seconds(from_s).unwrap(),
            Timestamp::from_unix_seconds(from_s + 3_600).unwrap(),
        )
        .unwrap();
        let start = Instant::now();
        let got = store.positions(bbox, range, kuroshio_store::ROWS_MAX).unwrap();
        lat_ms.push(start.elapsed().as_secs_f64() * 1e3);
        hits += got.len();
    }
    lat_ms.sort_by(f64::total_cmp);
    println!(
        "query: {queries} bbox (1°×1°) + time (1 h) queries over {} stored positions: p50 {:.2} ms, p99 {:.2} ms, mean {:.0} rows",
        obs.len(),
        percentile(&lat_ms, 0.5),
        percentile(&lat_ms, 0.99),
        hits as f64 / queries as f64
    );
    drop(store);
    if !keep {
        let _ = std::fs::remove_dir_all(&base);
    }
}
