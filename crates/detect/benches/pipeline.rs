//! Whole-pipeline throughput (tracker + every detector) on one core, zone queries alone on
//! the same points, and tracker memory for one million live tracks.
//!
//! `cargo bench -p kuroshio-detect --bench pipeline [-- --dump DIR]` builds a deterministic
//! synthetic stream (seeded SplitMix64): 10,000 targets (80 % vessels at 8–25 kn, 20 %
//! aircraft at 250–480 kn) reporting every 10 s for 200 rounds, 2,000,000 observations around
//! Taiwan and the first island chain. 60 % of the targets start on or next to a line that
//! matters (the Taiwan Strait median line, the ROC ADIZ's eastern edge, the Miyako, Yonaguni
//! and Bashi gates) heading across it; the rest start anywhere in 117–132°E 20–35°N on a
//! random course. It prints:
//! - `positions_per_second:` observations through `Tracker::update` and every detector
//!   (`Detectors` with its default configuration except a zone dwell threshold of
//!   [`DWELL_THRESHOLD_S`], so that dwell events occur within the stream's 2,000 s; swept every
//!   5 minutes of stream time) against `Catalogue::builtin()`, wall clock, best of 3 passes
//!   each with a fresh tracker (the thread's CPU time is printed beside it), with `events:`
//!   the events emitted per pass and `events_by_kind:` their kinds (checked: the zone kinds
//!   are exactly what the zone detector alone emits); then the same with the tracker alone
//!   (`tracker_only_positions_per_second:`) and with the tracker and one detector
//!   (`zone_detector_only_positions_per_second:`, `ais_gap_only_…`, `identity_conflict_only_…`,
//!   `loitering_only_…`, `encounter_only_…`), which shows where the time goes;
//! - `zone_points_per_second:` `Catalogue::areas_containing` alone on every observed position,
//!   and `zone_segments_per_second:` `Catalogue::crossings` alone on every segment between a
//!   target's consecutive positions (wall clock, best of 5), with the hit counts the peers in
//!   `scripts/bench-zones` are checked against;
//! - `bytes_per_track:` growth of resident memory (/proc/self/statm) while a tracker is filled
//!   with 1,000,000 distinct MMSIs, one position each, and the total in MB.
//!
//! With `--dump DIR` the positions are written to `DIR/points.f64` (little-endian f64 pairs
//! `lon, lat`, in stream order) and the segments to `DIR/segments.f64` (f64 quadruples
//! `lon0, lat0, lon1, lat1`), so that other tools are timed on the same geometry.
//!
//! For profilers: `--only NAME` runs one pipeline figure and nothing else (`all`,
//! `tracker_only`, `zone_detector_only`, `ais_gap_only`, …; any other name runs only the
//! setup, whose count is then subtracted), `--passes N` sets its passes:
//! `valgrind --tool=callgrind target/release/deps/pipeline-* --only all --passes 1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::hint::black_box;
use std::io::Write as _;
use std::time::Instant;

use kuroshio_detect::{
    AisGap, DetectorConfig, Detectors, Encounter, EventKind, EventPolicy, IdentityConflict,
    Loitering, ZoneCrossingDetector,
};
use kuroshio_model::{
    Icao24, Kinematics, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId, Timestamp,
};
use kuroshio_track::{Tracker, TrackerLimits};
use kuroshio_zones::{Catalogue, Crossing, ZoneIdx, ZoneKind};

/// Targets in the synthetic stream.
const TARGETS: usize = 10_000;
/// Reports per target, one every [`STEP_S`] seconds.
const ROUNDS: usize = 200;
/// Seconds between a target's reports.
const STEP_S: f64 = 10.0;
/// Passes of the whole pipeline; the fastest counts.
const PASSES: usize = 3;
/// Passes of each zone-query figure (each well under a second); the fastest counts.
const QUERY_PASSES: usize = 5;
/// Zone dwell threshold of the pipeline passes: 15 minutes, so that stays begun in the
/// stream's first half are reported (the default, 1 h, is longer than the stream).
const DWELL_THRESHOLD_S: f64 = 900.0;
/// Live tracks for the memory figure.
const MEMORY_TRACKS: usize = 1_000_000;

/// Resident set size in bytes (Linux), or 0 where /proc is absent.
fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    pages * 4096
}

/// CPU time this thread has used, in seconds (Linux, 10 ms resolution).
fn thread_cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<u64> = rest.split_whitespace().map(|x| x.parse().unwrap_or(0)).collect();
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    ticks as f64 / 100.0
}

/// SplitMix64, so runs are comparable.
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
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// The synthetic stream: per round, per target, a position (and the course and speed used).
struct Stream {
    /// `lon, lat` of observation `round * TARGETS + target`.
    points: Vec<[f64; 2]>,
    courses_deg: Vec<f64>,
    speeds_knots: Vec<f64>,
}

/// A point at fraction `t` along `a → b`, moved `off` degrees to its side.
fn near_line(rng: &mut Rng, a: [f64; 2], b: [f64; 2], off: f64) -> [f64; 2] {
    let t = rng.unit();
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = dx.hypot(dy);
    let side = rng.range(-off, off);
    [a[0] + dx * t - dy / len * side, a[1] + dy * t + dx / len * side]
}

fn stream() -> Stream {
    let mut rng = Rng(0x4b55_524f_5348_494f);
    let mut pos = Vec::with_capacity(TARGETS);
    let mut course = Vec::with_capacity(TARGETS);
    let mut speed = Vec::with_capacity(TARGETS);
    for i in 0..TARGETS {
        let aircraft = i % 5 == 4;
        speed.push(if aircraft { rng.range(250.0, 480.0) } else { rng.range(8.0, 25.0) });
        // Vessels start within about 2 nm of their line, aircraft within about 30 nm, so
        // both reach it within the stream's 2,000 s.
        let off = if aircraft { 0.5 } else { 0.03 };
        let across = if rng.next() % 2 == 0 { 0.0 } else { 180.0 };
        let jitter = rng.range(-30.0, 30.0);
        // The start category follows i / 5, so that it is independent of the kind (i % 5).
        let category = (i / 5) % 20;
        let (p, c) = match category / 2 {
            // Median line (about 118°E 23°N to 122°E 27°N): across is south-east/north-west.
            0..=2 => (near_line(&mut rng, [118.0, 23.0], [122.0, 27.0], off), 135.0),
            // ROC ADIZ eastern edge at 123°E.
            3 => ([123.0 + rng.range(-off, off), rng.range(21.0, 29.0)], 90.0),
            // Miyako gate: transits are north-west/south-east.
            4 => (near_line(&mut rng, [125.5, 24.7], [127.7, 26.1], off), 147.0),
            // Yonaguni–Taiwan and Bashi gates.
            5 if category % 2 == 0 => (near_line(&mut rng, [121.9, 24.4], [122.9, 24.6], off), 0.0),
            5 => (near_line(&mut rng, [120.9, 21.9], [122.0, 21.1], off), 36.0),
            _ => ([rng.range(117.0, 132.0), rng.range(20.0, 35.0)], rng.range(0.0, 360.0)),
        };
        pos.push(p);
        course.push((c + across + jitter).rem_euclid(360.0));
    }
    let mut points = Vec::with_capacity(TARGETS * ROUNDS);
    let mut courses_deg = Vec::with_capacity(TARGETS * ROUNDS);
    let mut speeds_knots = Vec::with_capacity(TARGETS * ROUNDS);
    for _ in 0..ROUNDS {
        for i in 0..TARGETS {
            points.push(pos[i]);
            courses_deg.push(course[i]);
            speeds_knots.push(speed[i]);
            // Advance: flat-earth step, good enough at these distances.
            let dist_m = speed[i] * 1852.0 / 3600.0 * STEP_S;
            let c = course[i].to_radians();
            let lat = pos[i][1];
            pos[i][1] += dist_m * c.cos() / 111_320.0;
            pos[i][0] += dist_m * c.sin() / (111_320.0 * lat.to_radians().cos());
            course[i] = (course[i] + rng.range(-2.0, 2.0)).rem_euclid(360.0);
        }
    }
    Stream { points, courses_deg, speeds_knots }
}

fn target(i: usize) -> TargetId {
    if i % 5 == 4 {
        TargetId::Aircraft(Icao24::new(0x0080_0000 + i as u32).unwrap())
    } else {
        TargetId::Vessel(Mmsi::new(416_000_000 + i as u32).unwrap())
    }
}

/// Which detectors a pipeline pass runs.
#[derive(Clone, Copy, PartialEq)]
enum Run {
    /// `Detectors` with its default configuration (every detector) but the dwell threshold
    /// [`DWELL_THRESHOLD_S`], swept every
    /// [`SWEEP_ROUNDS`] rounds and at the end, as `kuroshio replay` does.
    All,
    /// The tracker alone, no detector: the base the others add to.
    TrackerOnly,
    /// `ZoneCrossingDetector` alone (zone events and dwell, threshold [`DWELL_THRESHOLD_S`]).
    Zones,
    /// `AisGap` alone (default configuration, not swept).
    Gap,
    /// `IdentityConflict` alone.
    Identity,
    /// `Loitering` alone.
    Loitering,
    /// `Encounter` alone.
    Encounter,
}

/// Rounds between `Detectors::sweep` calls: 5 minutes of stream time.
const SWEEP_ROUNDS: usize = 30;

/// One pass of the whole stream through a fresh tracker and the detectors; returns
/// (CPU seconds, wall seconds, events by kind).
fn pipeline_pass(s: &Stream, catalogue: &Catalogue, run: Run) -> (f64, f64, [usize; KINDS]) {
    let t0 = Timestamp::from_unix_seconds(1_780_000_000).unwrap();
    let source = SourceId::parse("bench-feed").unwrap();
    let mut obs: Vec<Observation> =
        (0..TARGETS).map(|i| Observation::new(target(i), t0, source.clone())).collect();
    let policy = EventPolicy::default();
    let originator = PartnerCode::parse("TWN").unwrap();
    let mut tracker = Tracker::new(TrackerLimits::default());
    let mut config = DetectorConfig::default();
    config.zone_dwell.threshold_s = DWELL_THRESHOLD_S;
    let mut all = Detectors::new(config.clone());
    let mut zones = ZoneCrossingDetector::with_dwell(config.zone_dwell.clone());
    let mut gap = AisGap::new(config.ais_gap.clone());
    let mut identity = IdentityConflict::new(config.identity_conflict.clone());
    let mut loitering = Loitering::new(config.loitering.clone());
    let mut encounter = Encounter::new(config.encounter.clone());
    let mut out = Vec::new();
    let mut events = [0usize; KINDS];
    let mut time = t0;
    let wall = Instant::now();
    let cpu = thread_cpu_s();
    for round in 0..ROUNDS {
        let round_ns = (round as f64 * STEP_S * 1e9) as i64;
        for (i, o) in obs.iter_mut().enumerate() {
            let k = round * TARGETS + i;
            let [lon, lat] = s.points[k];
            // Spread the targets' reports over the round, in time order.
            time = t0.saturating_add_nanos(round_ns + i as i64 * 1_000_000);
            o.time = time;
            o.position = Position::new(lon, lat).ok();
            o.kinematics = Kinematics {
                speed_knots: Some(s.speeds_knots[k]),
                course_deg: Some(s.courses_deg[k]),
                ..Kinematics::default()
            };
            let Ok(update) = tracker.update(o, time) else { continue };
            out.clear();
            match run {
                Run::All => all.on_update(&update, catalogue, &policy, originator, &mut out),
                Run::TrackerOnly => {}
                Run::Zones => zones.on_update(&update, catalogue, &policy, originator, &mut out),
                Run::Gap => gap.on_update(&update, &policy, originator, &mut out),
                Run::Identity => identity.on_update(&update, &policy, originator, &mut out),
                Run::Loitering => loitering.on_update(&update, &policy, originator, &mut out),
                Run::Encounter => encounter.on_update(&update, &policy, originator, &mut out),
            }
            for e in &out {
                events[e.kind as usize] += 1;
            }
        }
        if run == Run::All && (round % SWEEP_ROUNDS == SWEEP_ROUNDS - 1 || round == ROUNDS - 1) {
            out.clear();
            all.sweep(time, &policy, originator, &mut out);
            for e in &out {
                events[e.kind as usize] += 1;
            }
        }
    }
    let cpu_s = thread_cpu_s() - cpu;
    (cpu_s, wall.elapsed().as_secs_f64(), black_box(events))
}

/// Number of event kinds.
const KINDS: usize = EventKind::ALL.len();

/// `kind:count` for every kind with events, in record order.
fn by_kind(events: &[usize; KINDS]) -> String {
    let listed: Vec<String> = EventKind::ALL
        .iter()
        .filter(|k| events[**k as usize] > 0)
        .map(|k| format!("{}:{}", k.name(), events[*k as usize]))
        .collect();
    listed.join(" ")
}

/// The kinds the zone detector emits.
const ZONE_KINDS: [EventKind; 5] = [
    EventKind::ZoneEntry,
    EventKind::ZoneExit,
    EventKind::LineCrossing,
    EventKind::GateTransit,
    EventKind::ZoneDwell,
];

/// The segments between each target's consecutive positions, in stream order.
fn segments(s: &Stream) -> Vec<[f64; 4]> {
    let mut out = Vec::with_capacity(TARGETS * (ROUNDS - 1));
    for round in 1..ROUNDS {
        for i in 0..TARGETS {
            let a = s.points[(round - 1) * TARGETS + i];
            let b = s.points[round * TARGETS + i];
            out.push([a[0], a[1], b[0], b[1]]);
        }
    }
    out
}

fn dump(dir: &str, s: &Stream, segs: &[[f64; 4]]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut w =
        std::io::BufWriter::new(std::fs::File::create(format!("{dir}/points.f64")).unwrap());
    for p in &s.points {
        for v in p {
            w.write_all(&v.to_le_bytes()).unwrap();
        }
    }
    w.flush().unwrap();
    let mut w =
        std::io::BufWriter::new(std::fs::File::create(format!("{dir}/segments.f64")).unwrap());
    for g in segs {
        for v in g {
            w.write_all(&v.to_le_bytes()).unwrap();
        }
    }
    w.flush().unwrap();
    println!("dumped: {} points, {} segments to {dir}", s.points.len(), segs.len());
}

/// Best wall-clock seconds of [`QUERY_PASSES`] runs of `run`, and its result.
fn best_wall(mut run: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut hits = 0;
    for _ in 0..QUERY_PASSES {
        let t = Instant::now();
        hits = black_box(run());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, hits)
}

fn memory() {
    let t0 = Timestamp::from_unix_seconds(1_780_000_000).unwrap();
    let source = SourceId::parse("bench-feed").unwrap();
    let mut rng = Rng(7);
    let limits = TrackerLimits { max_tracks: MEMORY_TRACKS, ..TrackerLimits::default() };
    let mut obs = Observation::new(TargetId::Vessel(Mmsi::new(200_000_000).unwrap()), t0, source);
    let before = rss_bytes();
    let mut tracker = Tracker::new(limits);
    for i in 0..MEMORY_TRACKS {
        obs.target = TargetId::Vessel(Mmsi::new(200_000_000 + i as u32).unwrap());
        obs.position = Position::new(rng.range(117.0, 132.0), rng.range(20.0, 35.0)).ok();
        obs.kinematics.speed_knots = Some(rng.range(0.0, 25.0));
        obs.kinematics.course_deg = Some(rng.range(0.0, 360.0));
        black_box(tracker.update(&obs, t0).is_ok());
    }
    let after = rss_bytes();
    assert_eq!(tracker.len(), MEMORY_TRACKS);
    let grown = after.saturating_sub(before);
    println!("live_tracks: {MEMORY_TRACKS}");
    println!("bytes_per_track: {:.0}", grown as f64 / MEMORY_TRACKS as f64);
    println!("tracker_resident_mb: {:.1}", grown as f64 / 1e6);
    println!("process_resident_mb: {:.1}", after as f64 / 1e6);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dump_dir = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1));
    let catalogue = Catalogue::builtin().unwrap();
    let s = stream();
    let segs = segments(&s);
    if let Some(dir) = dump_dir {
        dump(dir, &s, &segs);
    }
    let n = s.points.len();
    println!("catalogue_zones: {}", catalogue.len());
    println!("observations: {n}");
    // `--only all` (or another run's label without `_`, e.g. `--only tracker_only`) runs one
    // pipeline figure and nothing else, for profilers; `--passes N` sets its passes.
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1));
    let passes = args
        .iter()
        .position(|a| a == "--passes")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(PASSES);

    let mut all_events = None;
    let mut zone_events = None;
    for (run, label) in [
        (Run::All, ""),
        (Run::TrackerOnly, "tracker_only_"),
        (Run::Zones, "zone_detector_only_"),
        (Run::Gap, "ais_gap_only_"),
        (Run::Identity, "identity_conflict_only_"),
        (Run::Loitering, "loitering_only_"),
        (Run::Encounter, "encounter_only_"),
    ] {
        let name = if label.is_empty() { "all" } else { label.trim_end_matches('_') };
        if only.is_some_and(|o| o != name) {
            continue;
        }
        let mut best = (f64::INFINITY, f64::INFINITY, [0; KINDS]);
        for _ in 0..passes {
            let r = pipeline_pass(&s, &catalogue, run);
            // Every pass sees the same stream: the same events.
            assert!(best.1.is_infinite() || r.2 == best.2, "events differ between passes");
            if r.1 < best.1 {
                best = r;
            }
        }
        let (cpu_s, wall_s, events) = best;
        println!(
            "{label}positions_per_second: {:.0} ({n} observations in {wall_s:.3} s wall clock, \
             {cpu_s:.2} s CPU)",
            n as f64 / wall_s
        );
        println!("{label}events: {}", events.iter().sum::<usize>());
        println!("{label}events_by_kind: {}", by_kind(&events));
        match run {
            Run::All => all_events = Some(events),
            Run::Zones => zone_events = Some(events),
            _ => {}
        }
    }
    if let (Some(all), Some(zones)) = (all_events, zone_events) {
        for k in ZONE_KINDS {
            let i = k as usize;
            assert_eq!(all[i], zones[i], "{k}: all detectors and the zone detector alone differ");
        }
        assert!(all[EventKind::ZoneDwell as usize] > 0, "the stream should produce dwell events");
    }
    // `--only points` runs the point query figure alone.
    if only.is_some_and(|o| o != "points") {
        return;
    }

    let mut areas: Vec<ZoneIdx> = Vec::new();
    let (pts_s, pairs) = best_wall(|| {
        let mut pairs = 0;
        for p in &s.points {
            areas.clear();
            catalogue.areas_containing(p[0], p[1], &mut areas);
            pairs += areas.len();
        }
        pairs
    });
    println!(
        "zone_points_per_second: {:.0} ({n} points in {pts_s:.4} s; point-in-area pairs: {pairs})",
        n as f64 / pts_s
    );
    if only.is_some() {
        return;
    }
    // Untimed: the same pairs per area, for checking the peers zone by zone.
    let mut by_zone = vec![0usize; catalogue.len()];
    for p in &s.points {
        areas.clear();
        catalogue.areas_containing(p[0], p[1], &mut areas);
        for a in &areas {
            by_zone[a.index()] += 1;
        }
    }
    let listed: Vec<String> = catalogue
        .zones()
        .filter(|(_, z)| z.meta.kind == ZoneKind::Area)
        .map(|(i, z)| format!("{}={}", z.meta.id, by_zone[i.index()]))
        .collect();
    println!("point_area_pairs_by_zone: {}", listed.join(" "));
    let mut crossings: Vec<Crossing> = Vec::new();
    let is_line: Vec<bool> =
        catalogue.zones().map(|(_, z)| z.meta.kind != ZoneKind::Area).collect();
    let (seg_s, line_hits) = best_wall(|| {
        let mut line_hits = 0;
        for g in &segs {
            crossings.clear();
            catalogue.crossings((g[0], g[1]), (g[2], g[3]), &mut crossings);
            // Distinct (segment, line) pairs: a zone's crossings are consecutive.
            let mut last = None;
            for c in &crossings {
                if is_line[c.zone.index()] && last != Some(c.zone) {
                    line_hits += 1;
                }
                last = Some(c.zone);
            }
        }
        line_hits
    });
    println!(
        "zone_segments_per_second: {:.0} ({} segments in {seg_s:.4} s, against lines, gates \
         and area boundaries; segments crossing a line or gate, per line: {line_hits})",
        segs.len() as f64 / seg_s,
        segs.len()
    );
    drop((s, segs));
    memory();
}
