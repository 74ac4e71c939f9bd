//! `kuroshio replay`: recorded feeds through decode → track → detect, events out.
//!
//! Every input (AIS NMEA, Mode S as Beast binary, AVR/hex/`timestamp,hex`, SBS-1, sensor tracks
//! as NDJSON in the format of `kuroshio_sim::TrackPoint`) is decoded
//! into observations timed by the input itself — NMEA 4.10 tag blocks and `$PGHP` headers, line
//! time stamps, SBS date/time fields. A Beast frame's 48-bit time stamp is a receiver clock, not
//! a time of day, so Beast inputs need one more fact from the command line:
//!
//! - the classic 12 MHz free-running counter (dump1090, readsb, modesdeco; `--beast-clock
//!   counter`, the default) needs the time of the first frame (`--beast-start`); later frames
//!   are that time plus the counter's advance at 12 MHz, across the counter's wrap at 2⁴⁸. A
//!   counter that falls back (the receiver restarted) starts a new epoch at the time of the last
//!   frame before the fall: times stay in order, late by the receiver's down time, and the
//!   restarts are counted in the summary;
//! - GPS time of day (Radarcape and Mode-S Beast in GPS timestamp mode; `--beast-clock gps`)
//!   needs the date of the first frame (`--beast-date`, or the day nearest `--beast-start`); the
//!   date advances each time the time of day rolls over midnight.
//!
//! Each Beast input is timed by its own clock from the same options. Without them a Beast input
//! is refused with the option to add (a usage error, exit code 2). The conversions are
//! [`kuroshio_adsb::frame::CounterClock`] and [`kuroshio_adsb::frame::GpsDayClock`]; the
//! decoding is [`crate::feed`]'s.
//!
//! All observations are merged in time order (a stable sort: equal times keep input order), folded
//! into tracks, and the detectors' events (zone entries, exits and dwell, line crossings, gate
//! transits, AIS gaps, identity conflicts, loitering, encounters) are written as NDJSON on
//! standard output, with a summary on standard error. A vessel still dark is reported by a sweep
//! once a minute of data time; such an event carries the time the vessel went dark, so it can
//! come slightly after later events. Observations without an absolute time are counted and left out.
//!
//! Inputs are read whole before the merge; a day of a busy feed (a few million observations,
//! about 200 bytes each) fits comfortably in memory.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use kuroshio_detect::{DetectorConfig, Detectors, Event, EventPolicy};
use kuroshio_model::{Observation, PartnerCode, Timestamp};
use kuroshio_track::{Tracker, TrackerLimits};

use crate::feed::{self, InputCount};

/// What `kuroshio replay` was asked to do.
pub struct Options {
    /// Replay speed relative to the recording; `None` for as fast as possible.
    pub speed: Option<f64>,
    /// User zone files merged into the built-in catalogue.
    pub zones: Vec<PathBuf>,
    /// The node's event marking policy (JSON); the conservative default when absent.
    pub policy: Option<PathBuf>,
    /// The node's partner, originator of every event.
    pub partner: PartnerCode,
    /// Detector thresholds (JSON); the documented defaults when absent.
    pub detectors: Option<PathBuf>,
    /// Receiver position for Mode S inputs.
    pub reference: Option<(f64, f64)>,
    /// How Beast binary inputs are timed.
    pub beast: BeastTiming,
    /// No summary.
    pub quiet: bool,
}

/// How the frames of a Beast binary input get their absolute times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BeastTiming {
    /// Not said: a Beast input is refused, naming the option to add (`gps` when the GPS clock
    /// was chosen without a date).
    Missing {
        /// Whether `--beast-clock gps` was given.
        gps: bool,
    },
    /// The 12 MHz counter, the first frame received at `start`.
    Counter {
        /// Time of each input's first frame.
        start: Timestamp,
    },
    /// GPS time of day, the first frame received on this UTC date.
    GpsDate {
        /// Year.
        year: i32,
        /// Month, 1-12.
        month: u8,
        /// Day of the month, 1-31.
        day: u8,
    },
    /// GPS time of day, the first frame received within 12 hours of `near`.
    GpsNear {
        /// Approximate time of each input's first frame.
        near: Timestamp,
    },
}

/// A replay refused for want of an option: the command line's fault, exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Data time between two sweeps for vessels still dark: one minute.
const SWEEP_EVERY_NS: i64 = 60_000_000_000;

fn write_events(
    out: &mut impl Write,
    events: &[kuroshio_detect::Event],
    by_kind: &mut BTreeMap<&'static str, u64>,
) -> std::io::Result<()> {
    for e in events {
        *by_kind.entry(e.kind.name()).or_insert(0) += 1;
        out.write_all(e.to_json().as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Observations of every input, merged in time order, with per-input counts.
pub struct Loaded {
    /// All timed observations, in time order (stable: equal times keep input order).
    pub observations: Vec<Observation>,
    /// Per input: its name and what was decoded from it.
    counts: Vec<(String, InputCount)>,
}

impl Loaded {
    /// One line per input for the summary.
    pub fn summary(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        for (name, c) in &self.counts {
            let _ = write!(
                s,
                "{name}: observations {}, without absolute time {}",
                c.observations, c.untimed
            );
            if c.malformed > 0 {
                let _ = write!(s, ", malformed track lines {}", c.malformed);
            }
            match &c.clock {
                Some(clock) => {
                    let _ = writeln!(s, "; {clock}");
                }
                None => s.push('\n'),
            }
        }
        s
    }
}

/// Reads and decodes every input (`-` is standard input) and merges them in time order.
pub fn load(options: &Options, inputs: &[PathBuf]) -> anyhow::Result<Loaded> {
    let mut all = Vec::new();
    let mut counts = Vec::new();
    for path in inputs {
        let mut bytes = Vec::new();
        if path == Path::new("-") {
            std::io::stdin().lock().read_to_end(&mut bytes).context("reading standard input")?;
        } else {
            bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        }
        let c = feed::decode_all(path, &bytes, options.beast, options.reference, &mut all)?;
        counts.push((path.display().to_string(), c));
    }
    // Time order across inputs; stable, so equal times keep their input order.
    all.sort_by_key(|o| o.time);
    Ok(Loaded { observations: all, counts })
}

/// Track → detect, one observation at a time, with the node's catalogue, policy and settings.
pub struct Pipeline {
    catalogue: kuroshio_zones::Catalogue,
    policy: EventPolicy,
    partner: PartnerCode,
    tracker: Tracker,
    detectors: Detectors,
    /// Vessels still dark are reported by a sweep each minute of data time and at the end.
    last_sweep: Option<Timestamp>,
    last_time: Option<Timestamp>,
}

impl Pipeline {
    /// Loads the zone files, policy and detector settings the options name.
    pub fn new(options: &Options) -> anyhow::Result<Pipeline> {
        let catalogue = crate::zones::load(&options.zones)?;
        // Partner codes in the policy are checked for syntax here; the node's partner registry
        // will check that they are known partners.
        let policy = match &options.policy {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading policy {}", path.display()))?;
                serde_json::from_str::<EventPolicy>(&text)
                    .with_context(|| format!("policy {}", path.display()))?
            }
            None => EventPolicy::default(),
        };
        let config = match &options.detectors {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading detector settings {}", path.display()))?;
                serde_json::from_str::<DetectorConfig>(&text)
                    .with_context(|| format!("detector settings {}", path.display()))?
            }
            None => DetectorConfig::default(),
        };
        Ok(Pipeline {
            catalogue,
            policy,
            partner: options.partner,
            tracker: Tracker::new(TrackerLimits::default()),
            detectors: Detectors::new(config),
            last_sweep: None,
            last_time: None,
        })
    }

    /// Folds one observation in; its events are appended to `events`.
    pub fn step(&mut self, obs: &Observation, events: &mut Vec<Event>) {
        if self.last_sweep.is_none_or(|t| obs.time.nanos_since(t) >= SWEEP_EVERY_NS) {
            self.detectors.sweep(obs.time, &self.policy, self.partner, events);
            self.last_sweep = Some(obs.time);
        }
        if let Ok(update) = self.tracker.update(obs, obs.time) {
            self.detectors.on_update(&update, &self.catalogue, &self.policy, self.partner, events);
        }
        self.last_time = Some(obs.time);
    }

    /// The final sweep at the time of the last observation.
    pub fn finish(&mut self, events: &mut Vec<Event>) {
        if let Some(last) = self.last_time {
            self.detectors.sweep(last, &self.policy, self.partner, events);
        }
    }

    /// Tracks, and observations the tracker refused as out of order, for the summary.
    pub fn summary(&self, observations: usize) -> String {
        format!(
            "observations {observations}, tracks {}, rejected out of order {}\n",
            self.tracker.len(),
            self.tracker.stats().rejected_out_of_order
        )
    }
}

/// Runs `kuroshio replay`.
pub fn run(options: &Options, inputs: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut pipeline = Pipeline::new(options)?;
    let loaded = load(options, inputs)?;
    let all = &loaded.observations;
    let mut events = Vec::new();
    let mut by_kind: BTreeMap<&'static str, u64> = BTreeMap::new();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let started = Instant::now();
    let first_time = all.first().map(|o| o.time);
    for obs in all {
        if let (Some(speed), Some(t0)) = (options.speed, first_time) {
            let due = obs.time.nanos_since(t0) as f64 / 1e9 / speed;
            let elapsed = started.elapsed().as_secs_f64();
            if due > elapsed {
                out.flush()?;
                std::thread::sleep(Duration::from_secs_f64(due - elapsed));
            }
        }
        events.clear();
        pipeline.step(obs, &mut events);
        write_events(&mut out, &events, &mut by_kind)?;
    }
    events.clear();
    pipeline.finish(&mut events);
    write_events(&mut out, &events, &mut by_kind)?;
    out.flush()?;
    if !options.quiet {
        let mut s = loaded.summary();
        s.push_str(&pipeline.summary(all.len()));
        let events: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k}:{n}")).collect();
        s.push_str(&format!("events {}: {}\n", by_kind.values().sum::<u64>(), events.join(" ")));
        eprint!("{s}");
    }
    Ok(ExitCode::SUCCESS)
}
