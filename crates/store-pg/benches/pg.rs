//! Speed of `PgStore` on a real server: durable ingest and box + time queries.
//!
//! `cargo bench -p kuroshio-store-pg --bench pg` uses the server of `KUROSHIO_TEST_PG_URL` or a
//! throwaway cluster from `scripts/pg-cluster` (default durability settings: fsync on,
//! synchronous_commit on), like the tests. It measures, each store in a fresh schema:
//!
//! 1. ingest: synthetic observations (10,000 vessels around Taiwan over two UTC days, all
//!    with a position and kinematics) appended in batches of 10,000 and 100,000 with binary
//!    `COPY` straight into the partitioned table, and in batches of 100,000 through the staging
//!    table; positions per second of wall time, every batch committed durably;
//! 2. naive: one `INSERT` per row, each its own transaction, and one single-observation
//!    `append` per transaction (the store's fixed cost per batch);
//! 3. queries: `KUROSHIO_BENCH_PG_POSITIONS` positions (default 2,000,000) loaded in batches
//!    of 100,000, `VACUUM ANALYZE`, then box + time-range queries (boxes 0.2° to 2° a side,
//!    ranges of 1 to 6 hours, limit 100,000): p50 and p99 latency, rows per query.
//!
//! Environment: `KUROSHIO_BENCH_PG_POSITIONS` (query data set, default 2,000,000),
//! `KUROSHIO_BENCH_PG_INGEST` (rows per ingest variant, default 500,000),
//! `KUROSHIO_BENCH_PG_NAIVE` (rows for the naive variants, default 2,000),
//! `KUROSHIO_BENCH_PG_QUERIES` (queries, default 300).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

#[path = "../tests/support/cluster.rs"]
mod cluster;

use std::time::{Duration, Instant};

use kuroshio_model::{Mmsi, Observation, Position, SourceId, TargetId, Timestamp};
use kuroshio_store::{BBox, Batch, Store, TimeRange};
use kuroshio_store_pg::{PgOptions, PgStore, PositionLoad};

/// 2024-08-01T00:00:00Z (date -u -d 2024-08-01 +%s).
const T0_S: i64 = 1_722_470_400;
/// The synthetic stream spans two UTC days.
const SPAN_S: i64 = 2 * 86_400;
/// Distinct vessels in the stream.
const TARGETS: u32 = 10_000;

struct Rng(u64);

impl Rng {
    /// SplitMix64.
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

/// `count` observations in time order over [`SPAN_S`], positions in 116-126 E, 18-28 N.
fn stream(seed: u64, count: usize) -> Vec<Observation> {
    let mut rng = Rng(seed);
    let source = SourceId::parse("ais-bench").unwrap();
    (0..count)
        .map(|i| {
            let target = TargetId::Vessel(
                Mmsi::new(416_000_000 + (rng.next() % u64::from(TARGETS)) as u32).unwrap(),
            );
            let at_ns = T0_S * 1_000_000_000 + (i as i64) * (SPAN_S * 1_000_000_000 / count as i64);
            let mut o = Observation::new(target, Timestamp::from_unix_nanos(at_ns), source.clone());
            o.position =
                Some(Position::new(116.0 + rng.unit() * 10.0, 18.0 + rng.unit() * 10.0).unwrap());
            o.kinematics.speed_knots = Some((rng.unit() * 300.0).round() / 10.0);
            o.kinematics.course_deg = Some((rng.unit() * 3600.0).round() / 10.0);
            o
        })
        .collect()
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Bench {
    url: String,
    made: Vec<String>,
}

impl Bench {
    fn store(&mut self, load: PositionLoad) -> PgStore {
        let schema = format!("bench{}_{}", std::process::id(), self.made.len());
        self.made.push(schema.clone());
        PgStore::connect_with(&self.url, PgOptions { schema, position_load: load }).unwrap()
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.url, postgres::NoTls) {
            for s in &self.made {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{s}\" CASCADE"));
            }
        }
    }
}

/// Appends `obs` in batches of `batch`; returns the wall time.
fn ingest(store: &mut PgStore, obs: &[Observation], batch: usize) -> Duration {
    let start = Instant::now();
    for chunk in obs.chunks(batch) {
        store.append(&Batch { observations: chunk, ..Batch::default() }).unwrap();
    }
    start.elapsed()
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let Some(cluster) = cluster::Cluster::get() else { return };
    let positions = env_usize("KUROSHIO_BENCH_PG_POSITIONS", 2_000_000);
    let ingest_rows = env_usize("KUROSHIO_BENCH_PG_INGEST", 500_000);
    let naive_rows = env_usize("KUROSHIO_BENCH_PG_NAIVE", 2_000);
    let queries = env_usize("KUROSHIO_BENCH_PG_QUERIES", 300);
    let mut bench = Bench { url: cluster.url.clone(), made: Vec::new() };

    let mut c = postgres::Client::connect(&bench.url, postgres::NoTls).unwrap();
    let version: String = c.query_one("SELECT version()", &[]).unwrap().get(0);
    let postgis: String = c.query_one("SELECT postgis_lib_version()", &[]).unwrap().get(0);
    let settings: Vec<String> = ["fsync", "synchronous_commit", "shared_buffers", "wal_level"]
        .iter()
        .map(|s| {
            let v: String = c.query_one(&format!("SHOW {s}"), &[]).unwrap().get(0);
            format!("{s}={v}")
        })
        .collect();
    println!("# {version}; PostGIS {postgis}; {}", settings.join(" "));
    println!("# machine: {} CPUs", std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!("{:<48} {:>10} {:>10} {:>14}", "operation", "rows", "seconds", "rows/s");

    let data = stream(1, ingest_rows);
    for (name, batch, load) in [
        ("ingest COPY direct, batches of 10k", 10_000, PositionLoad::Direct),
        ("ingest COPY direct, batches of 100k", 100_000, PositionLoad::Direct),
        ("ingest COPY staged, batches of 100k", 100_000, PositionLoad::Staged),
    ] {
        let mut store = bench.store(load);
        let d = ingest(&mut store, &data, batch);
        println!(
            "{name:<48} {:>10} {:>10.2} {:>14.0}",
            data.len(),
            d.as_secs_f64(),
            rate(data.len(), d)
        );
    }

    // Naive: a row per transaction, autocommit INSERT into the same partitioned table.
    let naive = stream(2, naive_rows);
    let store = bench.store(PositionLoad::Direct);
    let schema = store.schema().to_owned();
    let mut store = store;
    // Partitions for the stream's days, so the INSERTs find them.
    store
        .append(&Batch {
            observations: &[naive[0].clone(), naive[naive.len() - 1].clone()],
            ..Batch::default()
        })
        .unwrap();
    let insert = c
        .prepare(&format!(
            "INSERT INTO \"{schema}\".positions (time_ns, target_key, source, lon, lat, speed_knots, \
             course_deg) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .unwrap();
    let start = Instant::now();
    for o in &naive {
        let p = o.position.unwrap();
        c.execute(
            &insert,
            &[
                &o.time.unix_nanos(),
                &kuroshio_store::target_key(&o.target),
                &o.source.as_str(),
                &p.lon_deg(),
                &p.lat_deg(),
                &o.kinematics.speed_knots,
                &o.kinematics.course_deg,
            ],
        )
        .unwrap();
    }
    let d = start.elapsed();
    println!(
        "{:<48} {:>10} {:>10.2} {:>14.0}",
        "naive INSERT, one row per transaction",
        naive.len(),
        d.as_secs_f64(),
        rate(naive.len(), d)
    );
    let d = ingest(&mut store, &naive, 1);
    println!(
        "{:<48} {:>10} {:>10.2} {:>14.0}",
        "append, one observation per batch",
        naive.len(),
        d.as_secs_f64(),
        rate(naive.len(), d)
    );

    // Queries over the large data set.
    let data = stream(3, positions);
    let mut store = bench.store(PositionLoad::Direct);
    let d = ingest(&mut store, &data, 100_000);
    println!(
        "{:<48} {:>10} {:>10.2} {:>14.0}",
        "load for queries, COPY direct, batches of 100k",
        data.len(),
        d.as_secs_f64(),
        rate(data.len(), d)
    );
    drop(data);
    let start = Instant::now();
    store.execute_sql("VACUUM ANALYZE positions").unwrap();
    println!("{:<48} {:>10} {:>10.2}", "VACUUM ANALYZE", positions, start.elapsed().as_secs_f64());

    let mut rng = Rng(4);
    let mut latencies = Vec::with_capacity(queries);
    let mut rows = 0usize;
    for _ in 0..queries {
        let side = 0.2 + rng.unit() * 1.8;
        let w = 116.0 + rng.unit() * (10.0 - side);
        let s = 18.0 + rng.unit() * (10.0 - side);
        let bbox = BBox::new(w, s, w + side, s + side).unwrap();
        let len_s = 3_600 + (rng.unit() * 5.0 * 3_600.0) as i64;
        let from_s = T0_S + (rng.unit() * (SPAN_S - len_s) as f64) as i64;
        let range = TimeRange::new(
            Timestamp::from_unix_seconds(from_s).unwrap(),
            Timestamp::from_unix_seconds(from_s + len_s).unwrap(),
        )
        .unwrap();
        let start = Instant::now();
        rows += store.positions(bbox, range, 100_000).unwrap().len();
        latencies.push(start.elapsed());
    }
    latencies.sort();
    println!(
        "box+time query over {positions} positions: {queries} queries, p50 {:.2} ms, p99 {:.2} ms, {:.0} rows/query",
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        rows as f64 / queries as f64
    );
    let plan: Vec<String> = c
        .query(
            &format!(
                "EXPLAIN SELECT * FROM \"{}\".positions WHERE time_ns >= {} AND time_ns < {} \
                 AND geog::geometry && ST_MakeEnvelope(121, 24, 122, 25, 4326) \
                 AND lon BETWEEN 121 AND 122 AND lat BETWEEN 24 AND 25 \
                 ORDER BY time_ns, target_key, seq LIMIT 100000",
                store.schema(),
                (T0_S + 3_600) * 1_000_000_000,
                (T0_S + 4 * 3_600) * 1_000_000_000
            ),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    println!("# plan of a 1°x1°, 3-hour query:");
    for line in plan {
        println!("#   {line}");
    }
}
