//! Crash test of the embedded store: an ingest process killed with SIGKILL at random moments
//! loses no acknowledged record and stores none twice.
//!
//! The test binary plays both parts (it has its own `main`, `harness = false`):
//!
//! - the child (`--crash-child DIR SEED UNTIL`) opens the store, reads the committed cursor,
//!   prints `start <offset>`, then appends deterministic synthetic batches from there
//!   (record `i`: one position of vessel `i % TARGETS` at `T0 + i` seconds, plus an event
//!   every [`EVENT_EVERY`] records), each with the cursor just after it, and prints
//!   `ack <offset>` once `append` has returned (`ack-sealing <offset>` while a full segment
//!   handed to the background sealing thread is not indexed yet: a kill before the next ack
//!   lands during or just after that seal; the summary line counts those kills);
//! - the parent starts the child, kills it after a random delay (seeded), restarts it, and so
//!   on [`KILLS`] times; the kill lands anywhere: during open and recovery, mid-batch, during
//!   the SQLite commit, while the sealing thread writes a segment's Parquet files.
//!
//! After the kills the parent opens the store and checks that it holds exactly records
//! `0..cursor` (every acknowledged one, none twice, nothing of an uncommitted batch), through
//! the position, history, event, track and stats queries, and that `check()` finds SQLite
//! and the Parquet files sound. A last child then runs to completion past several segment
//! boundaries and the same checks run again.
//!
//! `KUROSHIO_CRASH_SEED` replays a given seed; the seed in use is printed on failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use kuroshio_detect::{Entity, Event, EventKind};
use kuroshio_model::{
    FurtherSharing, Marking, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId,
    Timestamp, Tlp,
};
use kuroshio_store::embedded::{ArchiveOptions, EmbeddedOptions, EmbeddedStore};
use kuroshio_store::{
    BBox, Batch, Cursor, EventQuery, LatestQuery, ROWS_MAX, Store, TimeRange, target_key,
};

/// Child processes killed.
const KILLS: usize = 50;
/// Random delay before a kill, milliseconds: from before the store is open to well into
/// ingest.
const KILL_DELAY_MS: std::ops::Range<u64> = 5..400;
/// Largest synthetic batch, records.
const BATCH_RECORDS: u64 = 120;
/// Staging segment size: small, so that sealing happens every few batches.
const SEGMENT_ROWS: usize = 1_000;
/// Distinct vessels in the synthetic stream.
const TARGETS: u64 = 97;
/// History is checked for one target in this many.
const HISTORY_SAMPLE_EVERY: u64 = 8;
/// One event every this many records.
const EVENT_EVERY: u64 = 10;
/// The input stream's name.
const STREAM: &str = "synthetic";
/// Records a child ingests at most: bounds the run if the kills never land.
const RECORDS_MAX: u64 = 400_000;
/// 2024-08-01T00:00:00Z.
const T0_S: i64 = 1_722_470_400;
const SEED_DEFAULT: u64 = 0x6b75_726f_7368_696f;

/// SplitMix64: a small seeded generator, so a failing run replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn range(&mut self, r: std::ops::Range<u64>) -> u64 {
        r.start + self.next() % (r.end - r.start)
    }
}

fn options() -> EmbeddedOptions {
    EmbeddedOptions {
        archive: ArchiveOptions {
            segment_rows_max: SEGMENT_ROWS,
            row_group_rows: 256,
            ..ArchiveOptions::default()
        },
        ..EmbeddedOptions::default()
    }
}

fn time_of(i: u64) -> Timestamp {
    Timestamp::from_unix_seconds(T0_S + i as i64).unwrap_or(Timestamp::EPOCH)
}

fn vessel_of(i: u64) -> Mmsi {
    Mmsi::new(416_000_000 + (i % TARGETS) as u32).unwrap()
}

fn lon_lat_of(i: u64) -> (f64, f64) {
    (118.0 + (i % 1000) as f64 * 0.004, 21.0 + (i % 997) as f64 * 0.004)
}

fn observation_of(i: u64) -> Observation {
    let mut o = Observation::new(
        TargetId::Vessel(vessel_of(i)),
        time_of(i),
        SourceId::parse("ais-synthetic").unwrap(),
    );
    let (lon, lat) = lon_lat_of(i);
    o.position = Some(Position::new(lon, lat).unwrap());
    o.kinematics.speed_knots = Some((i % 25) as f64);
    o
}

fn marking() -> Marking {
    let tw = PartnerCode::parse("TW").unwrap();
    Marking::new(tw, Tlp::Green, [], FurtherSharing::Permitted)
}

fn event_of(i: u64) -> Option<Event> {
    (i % EVENT_EVERY == 0).then(|| {
        Event::new(
            EventKind::AisGap,
            time_of(i),
            Entity::vessel(vessel_of(i)),
            None,
            None,
            marking(),
        )
    })
}

/// The child: ingest from the committed cursor until killed (or `until`).
fn child(dir: &Path, seed: u64, until: u64) -> Result<(), String> {
    let mut store = EmbeddedStore::open(dir, options()).map_err(|e| format!("open: {e}"))?;
    let mut next = store.cursor(STREAM).map_err(|e| format!("cursor: {e}"))?.unwrap_or(0);
    let mut out = std::io::stdout().lock();
    let mut say = |line: String| -> Result<(), String> {
        writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| format!("stdout: {e}"))
    };
    say(format!("start {next}"))?;
    let mut rng = Rng(seed);
    while next < until {
        let n = rng.range(1..BATCH_RECORDS + 1).min(until - next);
        let observations: Vec<Observation> = (next..next + n).map(observation_of).collect();
        let events: Vec<Event> = (next..next + n).filter_map(event_of).collect();
        let cursor = Some(Cursor { stream: STREAM, offset: next + n });
        store
            .append(&Batch { observations: &observations, events: &events, cursor })
            .map_err(|e| format!("append at {next}: {e}"))?;
        next += n;
        // Whether a full segment was handed to the sealing thread and is not indexed yet: a
        // kill before the next ack then lands while it is (or has just been) sealed.
        let word = if store.archive().is_sealing() { "ack-sealing" } else { "ack" };
        say(format!("{word} {next}"))?;
    }
    Ok(())
}

/// What one child run showed.
struct Run {
    /// Offset the child started from.
    start: Option<u64>,
    /// Last acknowledged offset.
    last_ack: Option<u64>,
    /// Whether a segment was being sealed in the background at the last ack.
    sealing_at_last_ack: bool,
    /// Whether it was killed (rather than exiting by itself).
    killed: bool,
}

fn run_child(
    dir: &Path,
    seed: u64,
    until: u64,
    kill_after: Option<Duration>,
) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .arg("--crash-child")
        .arg(dir)
        .arg(seed.to_string())
        .arg(until.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    type Acks = (Option<u64>, Option<u64>, bool);
    let reader = std::thread::spawn(move || -> Result<Acks, String> {
        let mut start = None;
        let mut last = None;
        let mut sealing = false;
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| e.to_string())?;
            // A kill can cut a line short: only whole lines count (an ack is printed and
            // flushed after append returned, so a cut line acknowledges nothing).
            let (word, value) = line.split_once(' ').ok_or(format!("line {line:?}"))?;
            let Ok(value) = value.parse::<u64>() else { continue };
            match word {
                "start" => start = Some(value),
                "ack" | "ack-sealing" => {
                    if last.is_some_and(|l| value <= l) || start.is_some_and(|s| value <= s) {
                        return Err(format!("acks out of order: {value} after {last:?}"));
                    }
                    last = Some(value);
                    sealing = word == "ack-sealing";
                }
                _ => return Err(format!("unexpected line {line:?}")),
            }
        }
        Ok((start, last, sealing))
    });
    let mut killed = false;
    let status = match kill_after {
        Some(delay) => {
            std::thread::sleep(delay);
            match child.try_wait().map_err(|e| e.to_string())? {
                Some(status) => status,
                None => {
                    child.kill().map_err(|e| format!("kill: {e}"))?;
                    killed = true;
                    child.wait().map_err(|e| e.to_string())?
                }
            }
        }
        None => child.wait().map_err(|e| e.to_string())?,
    };
    let (start, last_ack, sealing_at_last_ack) =
        reader.join().map_err(|_| "reader thread panicked")??;
    if !killed && !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(format!("child failed ({status}): {err}"));
    }
    Ok(Run { start, last_ack, sealing_at_last_ack, killed })
}

/// Checks that the store holds exactly records `0..n`, with `n` its committed cursor.
fn verify(dir: &Path, at_least: u64) -> Result<u64, String> {
    let e = |what: &'static str| move |err: kuroshio_store::StoreError| format!("{what}: {err}");
    let store = EmbeddedStore::open(dir, options()).map_err(e("open"))?;
    let n = store.cursor(STREAM).map_err(e("cursor"))?.unwrap_or(0);
    if n < at_least {
        return Err(format!("cursor {n} is behind the last acknowledged offset {at_least}"));
    }
    let report = store.check().map_err(e("check"))?;
    if !report.is_sound() {
        return Err(format!("check found problems: {:?}", report.problems));
    }
    let stats = store.stats().map_err(e("stats"))?;
    if stats.positions != n {
        return Err(format!("{} positions stored for cursor {n}", stats.positions));
    }
    let all = TimeRange::new(time_of(0), time_of(RECORDS_MAX + 1)).ok_or("range")?;
    let rows = store.positions(BBox::WORLD, all, ROWS_MAX).map_err(e("positions"))?;
    if rows.len() as u64 != n {
        return Err(format!("{} position rows for cursor {n}", rows.len()));
    }
    // Ordered by time, and record i is at T0 + i: row k must be record k.
    for (k, row) in rows.iter().enumerate() {
        let i = k as u64;
        let (lon, lat) = lon_lat_of(i);
        if row.time != time_of(i)
            || row.target != TargetId::Vessel(vessel_of(i))
            || row.lon != lon
            || row.lat != lat
        {
            return Err(format!("position row {k} is not record {k}: {row:?}"));
        }
    }
    let mut observations = 0;
    for v in 0..TARGETS.min(n) {
        let target = TargetId::Vessel(vessel_of(v));
        let want: Vec<Timestamp> = (v..n).step_by(TARGETS as usize).map(time_of).collect();
        // The position check above covers every row; history (which reads every file) is
        // checked on a sample of targets to keep the test fast.
        let history = if v % HISTORY_SAMPLE_EVERY == 0 {
            store.history(&target, all, ROWS_MAX).map_err(e("history"))?
        } else {
            Vec::new()
        };
        let got: Vec<Timestamp> = history.iter().map(|r| r.time).collect();
        if v % HISTORY_SAMPLE_EVERY == 0 && got != want {
            return Err(format!(
                "history of {}: {} rows, want {}",
                target_key(&target),
                got.len(),
                want.len()
            ));
        }
        let track = store.track(&target).map_err(e("track"))?.ok_or("track missing")?;
        if track.observations != want.len() as u64 || Some(track.last_seen) != want.last().copied()
        {
            return Err(format!("track {track:?}, want {} observations", want.len()));
        }
        observations += track.observations;
    }
    if observations != n {
        return Err(format!("tracks count {observations} observations for cursor {n}"));
    }
    let latest = store.latest(&LatestQuery { limit: 1_000, ..LatestQuery::default() });
    if latest.map_err(e("latest"))?.len() as u64 != TARGETS.min(n) {
        return Err("latest picture has the wrong number of targets".to_owned());
    }
    let want_ids: Vec<String> = (0..n).filter_map(event_of).map(|ev| ev.id).collect();
    let events = store
        .events(&EventQuery { limit: ROWS_MAX, ..EventQuery::default() })
        .map_err(e("events"))?;
    let got_ids: Vec<String> = events.into_iter().map(|ev| ev.id).collect();
    if got_ids != want_ids || stats.events != want_ids.len() as u64 {
        return Err(format!("{} events stored, want {}", got_ids.len(), want_ids.len()));
    }
    for id in want_ids.iter().step_by(97) {
        if store.event(id).map_err(e("event"))?.is_none() {
            return Err(format!("event {id} missing by id"));
        }
    }
    Ok(n)
}

fn parent() -> Result<(), String> {
    let seed = match std::env::var("KUROSHIO_CRASH_SEED") {
        Ok(s) => s.parse().map_err(|e| format!("KUROSHIO_CRASH_SEED: {e}"))?,
        Err(_) => SEED_DEFAULT,
    };
    let fail = |msg: String| format!("seed {seed}: {msg}");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut rng = Rng(seed);
    let mut acked = 0;
    let mut kills = 0;
    let mut kills_mid_ingest = 0;
    let mut kills_while_sealing = 0;
    let mut runs = 0;
    while kills < KILLS {
        runs += 1;
        if runs > KILLS * 4 {
            return Err(fail(format!("only {kills} kills in {runs} runs")));
        }
        let delay = Duration::from_millis(rng.range(KILL_DELAY_MS));
        let run = run_child(dir.path(), rng.next(), RECORDS_MAX, Some(delay)).map_err(&fail)?;
        if let Some(start) = run.start {
            if start < acked {
                return Err(fail(format!("restarted at {start}, but {acked} was acknowledged")));
            }
        }
        if let Some(last) = run.last_ack {
            acked = last;
        }
        kills += usize::from(run.killed);
        kills_mid_ingest += usize::from(run.killed && run.last_ack.is_some());
        kills_while_sealing += usize::from(run.killed && run.sealing_at_last_ack);
    }
    let n = verify(dir.path(), acked).map_err(&fail)?;
    // A last run, to completion, across several segment boundaries.
    let until = n + 5 * SEGMENT_ROWS as u64;
    let run = run_child(dir.path(), rng.next(), until, None).map_err(&fail)?;
    if run.start.is_none_or(|s| s < acked) || run.last_ack != Some(until) {
        return Err(fail(format!("final run from {:?} to {:?}", run.start, run.last_ack)));
    }
    let total = verify(dir.path(), until).map_err(&fail)?;
    if total != until {
        return Err(fail(format!("cursor {total} after the final run to {until}")));
    }
    // The final run crossed segment boundaries, so the first day has sealed Parquet files.
    let store = EmbeddedStore::open(dir.path(), options()).map_err(|e| fail(e.to_string()))?;
    let sealed = store.archive().day_files(2024, 8, 1);
    if sealed.is_empty() {
        return Err(fail("no sealed file for 2024-08-01".to_owned()));
    }
    drop(store);
    eprintln!(
        "crash test: {kills} kills in {runs} runs ({kills_mid_ingest} after an ack, \
         {kills_while_sealing} of them with a segment handed to the sealing thread); {n} records \
         after the kills, {total} in all, {} sealed files for 2024-08-01",
        sealed.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.iter().position(|a| a == "--crash-child") {
        Some(at) => {
            let arg = |k: usize| args.get(at + k).cloned().unwrap_or_default();
            let seed = arg(2).parse().unwrap_or(0);
            let until = arg(3).parse().unwrap_or(RECORDS_MAX);
            child(Path::new(&arg(1)), seed, until)
        }
        None => parent(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crash test failed: {e}");
            ExitCode::FAILURE
        }
    }
}
