//! `kuroshio demo`: the node's main job, end to end, on a generated scenario.
//!
//! The scenario generator (`kuroshio-sim`) produces the day's traffic record by record; every
//! record is written as the bytes a receiver would deliver (`!AIVDM` sentences behind tag
//! blocks, Mode S frames as Beast binary with GPS time stamps, sensor-track lines) and decoded
//! again by the node's own decoders ([`crate::feed`]),
//! so the demo exercises the same path as a live feed: decode → track → detect → store. Data
//! time is paced against the wall clock at `--speed` times real time (60 by default: an hour a
//! minute), or as fast as the machine goes with `--max`.
//!
//! Observations and their events go to the store in group commits — at most
//! [`BATCH_OBSERVATIONS_MAX`] observations or [`COMMIT_EVERY`] of wall time, whichever comes
//! first — each durable before the next, with a cursor under the stream name
//! `demo:<scenario>:<seed>:<start>`. Running the same command again on the same store resumes
//! the scenario where it stopped: what was stored is run through the tracker and detectors
//! again, without pacing, to rebuild their state, and is not stored twice.
//!
//! A summary goes to standard output every `--every` seconds of wall time — data time, rates,
//! targets seen, events by kind, what the store holds — followed by the events detected since
//! the last one (at most [`EVENTS_SHOWN_MAX`], then a count of the rest). Ctrl-C (SIGINT) or
//! SIGTERM stops the run after committing what it has.
//!
//! The node's HTTP API (`kuroshio-api`, as `kuroshio serve` runs it) is served over the same
//! store while the demo runs, at `--listen` (127.0.0.1:8080 by default; its address is printed),
//! and goes on serving after the scenario's window ends, until Ctrl-C. With `--no-serve` the demo
//! exits when the window ends.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use kuroshio_detect::{Event, EventKind};
use kuroshio_model::{Icao24, Mmsi, Observation, SourceId, TargetId, Timestamp};
use kuroshio_sim::wire::{AisWriter, Stream, write_record};
use kuroshio_sim::{Generator, Scenario};
use kuroshio_store::{Batch, Cursor, Store};

use crate::feed::{FeedDecoder, FeedKind};
use crate::replay::{self, BeastTiming, Pipeline};

/// The scenario run when none is named: a large PLA exercise day with the day's routine
/// traffic and anomalies (`scenarios/pla-exercise-day.toml`).
pub const BUILT_IN_SCENARIO: &str = include_str!("../../../scenarios/pla-exercise-day.toml");

/// Most observations in one group commit: at the default pace a commit holds about a second of
/// data; at `--max` this keeps a commit's rows and events a few MB and a lost batch small.
pub const BATCH_OBSERVATIONS_MAX: usize = 20_000;

/// Longest wall time between commits while paced: what an interruption can lose at most.
pub const COMMIT_EVERY: Duration = Duration::from_secs(1);

/// Longest single sleep while waiting for data time to come due, so that Ctrl-C, commits and
/// summaries are never late by more than this.
const SLEEP_SLICE: Duration = Duration::from_millis(100);

/// Events printed after one summary; the rest are counted.
pub const EVENTS_SHOWN_MAX: usize = 8;

/// Longest scenario file read: scenarios are hand-written text of a few kilobytes.
const SCENARIO_BYTES_MAX: u64 = 4 << 20;

/// What `kuroshio demo` was asked to do.
pub struct Options {
    /// Scenario file; the built-in PLA exercise day when absent.
    pub scenario: Option<PathBuf>,
    /// The store: a directory or a PostgreSQL URL.
    pub store: String,
    /// Pace: data seconds per wall second; `None` for as fast as possible.
    pub speed: Option<f64>,
    /// Hours to run instead of the scenario's own length.
    pub hours: Option<f64>,
    /// Wall seconds between summaries.
    pub every_s: f64,
    /// Zones, policy, partner and detector settings, as for `kuroshio replay`.
    pub pipeline: replay::Options,
    /// Where to serve the HTTP API over the store while the demo runs (and after the scenario
    /// ends, until Ctrl-C); `None` for no API, and an exit when the scenario ends.
    pub listen: Option<String>,
}

/// Targets seen so far, by kind.
#[derive(Default)]
struct Seen {
    vessels: HashSet<Mmsi>,
    aircraft: HashSet<Icao24>,
    tracks: HashSet<String>,
}

impl Seen {
    fn add(&mut self, target: &TargetId) {
        match target {
            TargetId::Vessel(m) => {
                self.vessels.insert(*m);
            }
            TargetId::Aircraft(a) => {
                self.aircraft.insert(*a);
            }
            TargetId::Local(id) if !self.tracks.contains(id) => {
                self.tracks.insert(id.clone());
            }
            _ => {}
        }
    }
}

/// Running totals for the summaries.
#[derive(Default)]
struct Totals {
    observations: u64,
    stored_positions: u64,
    stored_events: u64,
    commits: u64,
    events_by_kind: BTreeMap<&'static str, u64>,
}

/// The generator's output decoded back into observations, one decoder per stream.
struct Decoders {
    ais: FeedDecoder,
    tracks: FeedDecoder,
    adsb: FeedDecoder,
}

impl Decoders {
    /// Decoders for a scenario starting at `start`: the Beast stream carries GPS time of day,
    /// dated from the start like a Radarcape's output replayed with `--beast-start`.
    fn new(start: Timestamp) -> anyhow::Result<Decoders> {
        let source = |s: &str| SourceId::parse(s).with_context(|| format!("source name {s}"));
        let none = BeastTiming::Missing { gps: false };
        let gps = BeastTiming::GpsNear { near: start };
        let path = Path::new("demo");
        Ok(Decoders {
            ais: FeedDecoder::new(FeedKind::Nmea, source("sim-ais")?, none, None, path)?,
            tracks: FeedDecoder::new(FeedKind::Tracks, source("sim-tracks")?, none, None, path)?,
            adsb: FeedDecoder::new(FeedKind::Beast, source("sim-adsb")?, gps, None, path)?,
        })
    }

    /// Sets the decoders' counters in `metrics`.
    fn report(&self, metrics: &kuroshio_api::metrics::FeedMetrics) {
        for (name, d) in
            [("sim-ais", &self.ais), ("sim-tracks", &self.tracks), ("sim-adsb", &self.adsb)]
        {
            metrics.set_feed(name, d.format_name(), d.counts());
        }
    }

    fn push(&mut self, stream: Stream, bytes: &[u8], out: &mut Vec<Observation>) {
        match stream {
            Stream::Ais => self.ais.push_bytes(bytes, out),
            Stream::Tracks => self.tracks.push_bytes(bytes, out),
            Stream::Beast => self.adsb.push_bytes(bytes, out),
            // A stream the generator gains later has no decoder here yet.
            _ => {}
        }
    }
}

/// The store's cursor name for a scenario run.
fn stream_name(scenario: &Scenario, start: Timestamp) -> String {
    crate::ingest::fit_stream_name(format!("demo:{}:{}:{start}", scenario.name, scenario.seed))
}

fn read_scenario(path: Option<&Path>) -> anyhow::Result<(String, Scenario)> {
    let (label, text) = match path {
        None => ("built-in pla-exercise-day".to_owned(), BUILT_IN_SCENARIO.to_owned()),
        Some(path) => {
            let len = std::fs::metadata(path)
                .with_context(|| format!("reading scenario {}", path.display()))?
                .len();
            if len > SCENARIO_BYTES_MAX {
                anyhow::bail!(
                    "scenario {} is {len} bytes; at most {SCENARIO_BYTES_MAX} are read",
                    path.display()
                );
            }
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading scenario {}", path.display()))?;
            (path.display().to_string(), text)
        }
    };
    let scenario = Scenario::from_toml(&text).with_context(|| format!("scenario {label}"))?;
    Ok((label, scenario))
}

/// The store, shared with the API server.
type SharedStore = Arc<Mutex<Box<dyn Store>>>;

fn lock(store: &SharedStore) -> anyhow::Result<std::sync::MutexGuard<'_, Box<dyn Store>>> {
    store.lock().map_err(|_| anyhow::anyhow!("the store lock is poisoned"))
}

/// One group commit of what is pending; clears it.
/// One group commit of what is pending; clears it. With the API served, what was stored goes
/// to the live stream, and the decoders' and the store's counters to `/metrics`.
fn commit(
    store: &SharedStore,
    pending: &mut Vec<Observation>,
    events: &mut Vec<Event>,
    stream: &str,
    offset: u64,
    totals: &mut Totals,
    outlet: Outlet<'_>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut guard = lock(store)?;
    let receipt = guard
        .append(&Batch { observations: pending, events, cursor: Some(Cursor { stream, offset }) })
        .with_context(|| format!("storing observations up to {offset}"))?;
    totals.stored_positions += receipt.positions;
    totals.stored_events += receipt.events;
    totals.commits += 1;
    if let Some(api) = outlet.api {
        // Subscribers get the stored tracks' new state and the events, in one update each.
        let oldest = pending.iter().map(|o| o.time).min();
        if let (Some(oldest), true) = (oldest, api.live.clients() > 0) {
            let query = kuroshio_store::LatestQuery {
                bbox: None,
                seen_since: Some(oldest),
                limit: LIVE_TRACKS_MAX,
            };
            let rows = guard.latest(&query).context("reading the stored tracks back")?;
            drop(guard);
            let mut updates: Vec<kuroshio_api::live::Update> =
                rows.iter().map(kuroshio_api::live::Update::track).collect();
            updates.extend(events.iter().filter_map(kuroshio_api::live::Update::event));
            api.live.publish(&updates);
        }
        let f = &api.feeds;
        for (name, help, v) in [
            ("kuroshio_store_commits_total", "Group commits the pipeline made.", 1),
            (
                "kuroshio_store_positions_written_total",
                "Positions the pipeline stored.",
                receipt.positions,
            ),
            (
                "kuroshio_store_events_written_total",
                "New events the pipeline stored.",
                receipt.events,
            ),
            (
                "kuroshio_store_duplicate_events_total",
                "Events the pipeline found already stored.",
                receipt.duplicate_events,
            ),
            (
                "kuroshio_store_commit_microseconds_total",
                "Wall time spent in group commits.",
                u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            ),
        ] {
            f.add_counter(name, help, "pipeline=\"demo\"", v);
        }
        if let Some(d) = outlet.decoders {
            d.report(f);
        }
    }
    pending.clear();
    events.clear();
    Ok(())
}

/// Track rows read back after a commit for the live stream: more than the busiest picture
/// (the 20,000-track load benchmark) so that every stored track's state goes out.
const LIVE_TRACKS_MAX: usize = 100_000;

/// Where a commit's results go besides the store.
#[derive(Clone, Copy)]
struct Outlet<'a> {
    api: Option<&'a kuroshio_api::ApiState>,
    decoders: Option<&'a Decoders>,
}

fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A time as `YYYY-MM-DD HH:MM:SSZ`, to the second.
fn short_time(t: Timestamp) -> String {
    let (y, mo, d, h, mi, s, _) = t.to_civil();
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}Z")
}

/// One event as a short line: time, kind, who, where, which way.
fn event_line(e: &Event) -> String {
    let who = match (&e.entity.mmsi, &e.entity.icao24, &e.entity.report) {
        (Some(m), _, _) => format!("vessel {m}"),
        (None, Some(a), _) => format!("aircraft {a}"),
        (None, None, Some(r)) => format!("track {r}"),
        (None, None, None) => "unknown".to_owned(),
    };
    let name = e.entity.name.as_deref().map(|n| format!(" {n:?}")).unwrap_or_default();
    let zone = e.zone.as_deref().map(|z| format!(" {z}")).unwrap_or_default();
    let dir = e.direction.as_deref().map(|d| format!(" {d}")).unwrap_or_default();
    format!("  {}  {:<17} {who}{name}{zone}{dir}", short_time(e.time), e.kind.name())
}

/// Runs `kuroshio demo`.
pub fn run(options: &Options) -> anyhow::Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the Ctrl-C handler")?;
    }
    let (label, scenario) = read_scenario(options.scenario.as_deref())?;
    let mut generator =
        Generator::new(&scenario, options.hours).with_context(|| format!("scenario {label}"))?;
    let store: SharedStore = Arc::new(Mutex::new(crate::store_cmd::open(&options.store)?));
    let mut pipeline = Pipeline::new(&options.pipeline)?;
    let mut decoders = Decoders::new(generator.start())?;
    let stream = stream_name(&scenario, generator.start());
    let resume = lock(&store)?.cursor(&stream)?.unwrap_or(0);

    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "kuroshio demo: scenario {:?} ({label}), {} to {}, store {}",
        scenario.name,
        generator.start(),
        generator.end(),
        options.store
    )?;
    match options.speed {
        Some(speed) => writeln!(out, "pace: {speed} × real time; Ctrl-C stops")?,
        None => writeln!(out, "pace: as fast as possible; Ctrl-C stops")?,
    }
    if resume > 0 {
        writeln!(out, "resuming: {resume} observations already stored by an earlier run")?;
    }
    let mut api: Option<kuroshio_api::ApiState> = None;
    let server = match &options.listen {
        Some(listen) => {
            let catalogue = crate::zones::load(&options.pipeline.zones)?;
            let state = kuroshio_api::ApiState::new(
                Arc::clone(&store),
                catalogue.to_geojson(),
                options.pipeline.partner,
            );
            let (addr, handle) =
                crate::serve::spawn(state.clone(), listen, crate::serve::Live::Published)?;
            api = Some(state);
            writeln!(
                out,
                "API: http://{addr}/api/v1/tracks (also /api/v1/events, /api/v1/live, /api/v1/zones, /metrics, /health, /openapi.json)"
            )?;
            Some(handle)
        }
        None => None,
    };
    out.flush()?;

    let mut writer = AisWriter::new();
    let mut wire: Vec<u8> = Vec::new();
    let mut decoded: Vec<Observation> = Vec::new();
    let mut pending: Vec<Observation> = Vec::with_capacity(BATCH_OBSERVATIONS_MAX);
    let mut events: Vec<Event> = Vec::new();
    let mut totals = Totals::default();
    let mut reporter = Reporter::new(Duration::from_secs_f64(options.every_s.max(0.1)));
    // Wall clock and data time at which the live (paced) part began.
    let mut live: Option<(Instant, Timestamp)> = None;
    let mut last_commit = Instant::now();
    let mut last_time = generator.start();
    let mut interrupted = false;

    'records: for record in generator.by_ref() {
        wire.clear();
        let (kind, _) =
            write_record(&record, &mut writer, &mut wire).context("writing a generated record")?;
        decoded.clear();
        decoders.push(kind, &wire, &mut decoded);
        for obs in decoded.drain(..) {
            // `totals.observations` counts the observations before this one.
            let is_live = totals.observations >= resume;
            if is_live {
                let (wall0, data0) = *live.get_or_insert((Instant::now(), obs.time));
                if let Some(speed) = options.speed {
                    let due = Duration::from_secs_f64(
                        (obs.time.nanos_since(data0).max(0) as f64 / 1e9 / speed).max(0.0),
                    );
                    loop {
                        let elapsed = wall0.elapsed();
                        if stop.load(Ordering::Relaxed) {
                            interrupted = true;
                            break 'records;
                        }
                        if elapsed >= due {
                            break;
                        }
                        if !pending.is_empty() && last_commit.elapsed() >= COMMIT_EVERY {
                            commit(
                                &store,
                                &mut pending,
                                &mut events,
                                &stream,
                                totals.observations,
                                &mut totals,
                                Outlet { api: api.as_ref(), decoders: Some(&decoders) },
                            )?;
                            last_commit = Instant::now();
                        }
                        if reporter.due() {
                            reporter.report(&mut out, &store, &totals, last_time)?;
                        }
                        std::thread::sleep((due - elapsed).min(SLEEP_SLICE));
                    }
                }
            }
            let before = events.len();
            pipeline.step(&obs, &mut events);
            for e in &events[before..] {
                *totals.events_by_kind.entry(e.kind.name()).or_insert(0) += 1;
                if is_live {
                    reporter.note(e);
                }
            }
            reporter.seen.add(&obs.target);
            last_time = obs.time;
            totals.observations += 1;
            if is_live {
                pending.push(obs);
            }
            if pending.len() >= BATCH_OBSERVATIONS_MAX
                || (!pending.is_empty() && last_commit.elapsed() >= COMMIT_EVERY)
                || (!is_live && events.len() >= BATCH_OBSERVATIONS_MAX)
            {
                // A cursor never moves back over what an earlier run stored.
                let offset = totals.observations.max(resume);
                let outlet = Outlet { api: api.as_ref(), decoders: Some(&decoders) };
                commit(&store, &mut pending, &mut events, &stream, offset, &mut totals, outlet)?;
                last_commit = Instant::now();
            }
        }
        if stop.load(Ordering::Relaxed) {
            interrupted = true;
            break;
        }
        if reporter.due() {
            reporter.report(&mut out, &store, &totals, last_time)?;
        }
    }
    if !interrupted {
        let before = events.len();
        pipeline.finish(&mut events);
        for e in &events[before..] {
            *totals.events_by_kind.entry(e.kind.name()).or_insert(0) += 1;
        }
    }
    // What is pending is stored before the run ends, interrupted or not.
    let done = totals.observations.max(resume);
    let outlet = Outlet { api: api.as_ref(), decoders: Some(&decoders) };
    commit(&store, &mut pending, &mut events, &stream, done, &mut totals, outlet)?;
    reporter.report(&mut out, &store, &totals, last_time)?;
    if interrupted {
        writeln!(
            out,
            "stopped at {}; everything up to it is stored. Run the same command to resume.",
            last_time
        )?;
    } else {
        writeln!(out, "scenario ended at {}; everything is stored.", generator.end())?;
    }
    if let Some(server) = server {
        if !interrupted {
            writeln!(out, "the API goes on serving the store; Ctrl-C stops")?;
            out.flush()?;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(SLEEP_SLICE);
            }
        }
        server.stop();
    }
    writeln!(
        out,
        "stored by this run: positions {}, events {} in {} commits. Ask the store: kuroshio query latest --store {}",
        group(totals.stored_positions),
        group(totals.stored_events),
        totals.commits,
        options.store
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// What the periodic summaries need between them: the targets seen, the events gathered
/// since the last summary, and when and at what count it was written.
struct Reporter {
    every: Duration,
    seen: Seen,
    shown: Vec<Event>,
    hidden: u64,
    last: Instant,
    observations_at_last: u64,
}

impl Reporter {
    fn new(every: Duration) -> Reporter {
        Reporter {
            every,
            seen: Seen::default(),
            shown: Vec::new(),
            hidden: 0,
            last: Instant::now(),
            observations_at_last: 0,
        }
    }

    /// Keeps `e` for the next summary: the first [`EVENTS_SHOWN_MAX`] events, except that a
    /// routine zone entry or exit (ships and aircraft passing through ADIZs and FIRs all day)
    /// gives its place to any other kind — crossings, transits, gaps, conflicts, meetings.
    fn note(&mut self, e: &Event) {
        let routine = |e: &Event| matches!(e.kind, EventKind::ZoneEntry | EventKind::ZoneExit);
        if self.shown.len() < EVENTS_SHOWN_MAX {
            self.shown.push(e.clone());
            return;
        }
        self.hidden += 1;
        if !routine(e) {
            if let Some(i) = self.shown.iter().rposition(routine) {
                self.shown.remove(i);
                self.shown.push(e.clone());
            }
        }
    }

    /// Whether a summary is due.
    fn due(&self) -> bool {
        self.last.elapsed() >= self.every
    }

    /// Writes one summary and the events gathered since the last; clears them.
    fn report(
        &mut self,
        out: &mut impl Write,
        store: &SharedStore,
        totals: &Totals,
        data_time: Timestamp,
    ) -> anyhow::Result<()> {
        let since = self.last.elapsed().as_secs_f64().max(1e-3);
        let rate = (totals.observations - self.observations_at_last) as f64 / since;
        let held = lock(store)?.stats()?;
        let kinds: Vec<String> =
            totals.events_by_kind.iter().map(|(k, n)| format!("{k} {}", group(*n))).collect();
        writeln!(
            out,
            "{}  observations {} ({}/s)  vessels {}  aircraft {}  sensor tracks {}  events {}{}{}  store: positions {}, events {}",
            short_time(data_time),
            group(totals.observations),
            group(rate as u64),
            group(self.seen.vessels.len() as u64),
            group(self.seen.aircraft.len() as u64),
            group(self.seen.tracks.len() as u64),
            group(totals.events_by_kind.values().sum()),
            if kinds.is_empty() { "" } else { ": " },
            kinds.join(", "),
            group(held.positions),
            group(held.events),
        )?;
        self.shown.sort_by_key(|e| e.time);
        for e in &self.shown {
            writeln!(out, "{}", event_line(e))?;
        }
        if self.hidden > 0 {
            writeln!(out, "  … and {} more events", group(self.hidden))?;
        }
        out.flush()?;
        self.shown.clear();
        self.hidden = 0;
        self.last = Instant::now();
        self.observations_at_last = totals.observations;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }

    #[test]
    fn the_built_in_scenario_parses() {
        let s = Scenario::from_toml(BUILT_IN_SCENARIO).unwrap();
        assert_eq!(s.name, "pla-exercise-day");
    }
}
