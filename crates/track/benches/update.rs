//! Tracker throughput and memory on one core, on a synthetic stream.
//!
//! `cargo bench -p kuroshio-track --bench update` builds 100,000 and then 1,000,000 targets
//! (80 % vessels, 20 % aircraft), fills a tracker with one observation each, then feeds
//! rounds of position reports (each target moves and reports every 10 s of stream time, in
//! a fixed shuffled order) and reports:
//! - `updates_per_second:` steady-state updates of existing tracks;
//! - `fill_updates_per_second:` updates that create tracks;
//!
//! (both from the thread's CPU time, so other load on the machine does not count; the
//! wall-clock rate is printed beside the first)
//! - `bytes_per_track:` growth of resident memory (/proc/self/statm) while filling, divided
//!   by the track count, and `bytes_per_track_estimate:` from `Tracker::memory_bytes`.
//!
//! Observations are built before timing starts; the timed loop only changes their time and
//! position in place and calls `Tracker::update`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use kuroshio_model::{
    Icao24, Kinematics, Mmsi, Observation, Position, SourceId, TargetId, Timestamp,
};
use kuroshio_track::{Tracker, TrackerLimits};

/// Resident set size in bytes (Linux), or 0 where /proc is absent.
fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    pages * 4096
}

/// CPU time this thread has used, in seconds (Linux, 10 ms resolution), or 0 where /proc is
/// absent. Rates are computed from CPU time so that other work on a shared machine does not
/// count against the tracker; the wall-clock rate is printed beside it.
fn thread_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<u64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    ticks as f64 / 100.0
}

/// A small deterministic generator (SplitMix64), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn observations(n: usize, t0: Timestamp) -> Vec<Observation> {
    let source = SourceId::parse("bench-feed").unwrap();
    let mut rng = Rng(42);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let target = if i % 5 == 4 {
            TargetId::Aircraft(Icao24::new(i as u32 & 0x00ff_ffff).unwrap())
        } else {
            TargetId::Vessel(Mmsi::new(200_000_000 + i as u32).unwrap())
        };
        let mut obs = Observation::new(target, t0, source.clone());
        let lon = (rng.next() % 3_600_000) as f64 / 10_000.0 - 180.0;
        let lat = (rng.next() % 1_600_000) as f64 / 10_000.0 - 80.0;
        obs.position = Some(Position::new(lon, lat).unwrap());
        obs.kinematics = Kinematics {
            speed_knots: Some((rng.next() % 300) as f64 / 10.0),
            course_deg: Some((rng.next() % 3600) as f64 / 10.0),
            ..Kinematics::default()
        };
        out.push(obs);
    }
    // Shuffle (Fisher-Yates) so that consecutive updates touch unrelated tracks.
    for i in (1..out.len()).rev() {
        out.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    out
}

fn run(n: usize, updates_min: usize) {
    let t0 = Timestamp::from_unix_seconds(1_780_000_000).unwrap();
    let mut obs = observations(n, t0);
    let limits = TrackerLimits { max_tracks: n, ..TrackerLimits::default() };

    let rss_before = rss_bytes();
    let mut tracker = Tracker::new(limits);
    let cpu = thread_cpu_s();
    for o in &obs {
        black_box(tracker.update(o, t0).is_ok());
    }
    let fill_s = thread_cpu_s() - cpu;
    let rss_after = rss_bytes();
    assert_eq!(tracker.len(), n);

    let rounds = updates_min.div_ceil(n).max(2);
    let mut now = t0;
    let start = Instant::now();
    let cpu = thread_cpu_s();
    for round in 1..=rounds {
        now = t0.saturating_add_nanos(round as i64 * 10_000_000_000);
        for o in obs.iter_mut() {
            o.time = now;
            let p = o.position.unwrap();
            let lat = (p.lat_deg() + 0.0005).min(89.0);
            o.position = Some(Position::new(p.lon_deg(), lat).unwrap());
            black_box(tracker.update(o, now).is_ok());
        }
    }
    let wall_s = start.elapsed().as_secs_f64();
    let steady_s = thread_cpu_s() - cpu;
    let updates = rounds * n;
    assert_eq!(tracker.stats().accepted as usize, n + updates);
    black_box(now);

    println!("tracks: {n}");
    println!("fill_updates_per_second: {:.0}", n as f64 / fill_s);
    println!(
        "updates_per_second: {:.0} ({updates} updates in {steady_s:.2} s CPU, {:.0}/s wall clock)",
        updates as f64 / steady_s,
        updates as f64 / wall_s
    );
    println!("bytes_per_track: {:.0}", rss_after.saturating_sub(rss_before) as f64 / n as f64);
    println!("bytes_per_track_estimate: {:.0}", tracker.memory_bytes() as f64 / n as f64);
    println!("size_of_track: {}", size_of::<kuroshio_track::Track>());
}

fn main() {
    run(100_000, 10_000_000);
    run(1_000_000, 10_000_000);
}
