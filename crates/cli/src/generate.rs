//! `kuroshio generate`: a scenario file turned into wire data and ground truth on disk.
//!
//! Reads the scenario (TOML, see `kuroshio-sim`), runs the generator to the end of its window
//! (or `--hours`), and writes into the output folder:
//!
//! - `ais.nmea`: `!AIVDM` sentences behind NMEA 4.10 tag blocks (`s:` station, `c:` Unix
//!   time), in time order — what `kuroshio decode` and `kuroshio replay` read;
//! - `tracks.ndjson`: sensor tracks (aircraft and ships without AIS), one JSON line per update;
//! - `adsb.beast`: the civil aircraft's ADS-B frames as Beast binary with Radarcape GPS
//!   time-of-day time stamps — replay it with `--beast-clock gps --beast-date <date of the
//!   scenario start>`;
//! - `mnd-report.txt`: the PLA activity of each 06:00–06:00 (UTC+8) reporting day in the form
//!   of the ROC MND's daily release, in English and Traditional Chinese;
//! - `truth.ndjson`: the ground truth, one JSON line per injected activity or crossing, in the
//!   monitoring engine's event kinds.
//!
//! A summary (messages by type, track updates, truth records by kind, time taken) goes to
//! standard error. Files are written whole or the command fails; a failed run may leave
//! partial files behind.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use kuroshio_sim::wire::{AisWriter, Stream, write_record};
use kuroshio_sim::{Generator, Scenario};

/// Output buffer per file: large enough that writes are a small share of the run, small next
/// to the generator's own state.
const FILE_BUFFER_BYTES: usize = 1 << 20;

/// Longest scenario file read: scenarios are hand-written text of a few kilobytes.
const SCENARIO_BYTES_MAX: u64 = 4 << 20;

fn create(dir: &Path, name: &str) -> anyhow::Result<BufWriter<File>> {
    let path = dir.join(name);
    let f = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(FILE_BUFFER_BYTES, f))
}

/// Runs the command.
pub fn run(scenario: &Path, out: &Path, hours: Option<f64>) -> anyhow::Result<ExitCode> {
    let len = std::fs::metadata(scenario)
        .with_context(|| format!("reading scenario {}", scenario.display()))?
        .len();
    if len > SCENARIO_BYTES_MAX {
        anyhow::bail!(
            "scenario {} is {len} bytes; at most {SCENARIO_BYTES_MAX} are read",
            scenario.display()
        );
    }
    let text = std::fs::read_to_string(scenario)
        .with_context(|| format!("reading scenario {}", scenario.display()))?;
    let scenario_value =
        Scenario::from_toml(&text).with_context(|| format!("scenario {}", scenario.display()))?;
    let started = Instant::now();
    let mut generator = Generator::new(&scenario_value, hours)
        .with_context(|| format!("scenario {}", scenario.display()))?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut ais_out = create(out, "ais.nmea")?;
    let mut tracks_out = create(out, "tracks.ndjson")?;
    let mut adsb_out = create(out, "adsb.beast")?;
    let mut writer = AisWriter::new();
    let mut buf = Vec::new();
    let (mut sentences, mut track_lines, mut frames) = (0u64, 0u64, 0u64);
    for record in generator.by_ref() {
        buf.clear();
        let (stream, n) =
            write_record(&record, &mut writer, &mut buf).context("writing a generated record")?;
        match stream {
            Stream::Ais => {
                ais_out.write_all(&buf).context("writing ais.nmea")?;
                sentences += u64::from(n);
            }
            Stream::Tracks => {
                tracks_out.write_all(&buf).context("writing tracks.ndjson")?;
                track_lines += 1;
            }
            Stream::Beast => {
                adsb_out.write_all(&buf).context("writing adsb.beast")?;
                frames += u64::from(n);
            }
            other => anyhow::bail!("a generated record for an unknown stream {other:?}"),
        }
    }
    ais_out.flush().context("writing ais.nmea")?;
    adsb_out.flush().context("writing adsb.beast")?;
    tracks_out.flush().context("writing tracks.ndjson")?;
    let truth = generator.take_truth();
    let mut truth_out = create(out, "truth.ndjson")?;
    let mut by_kind: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &truth {
        *by_kind.entry(r.kind).or_default() += 1;
        truth_out.write_all(r.to_json().as_bytes()).context("writing truth.ndjson")?;
        truth_out.write_all(b"\n").context("writing truth.ndjson")?;
    }
    truth_out.flush().context("writing truth.ndjson")?;
    let report = generator.daily_report();
    let report_path = out.join("mnd-report.txt");
    std::fs::write(&report_path, &report)
        .with_context(|| format!("writing {}", report_path.display()))?;
    let elapsed_s = started.elapsed().as_secs_f64();

    let counts = generator.counts();
    let messages: u64 = counts.ais_by_type.iter().sum();
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "generated {:?}: {} to {}, {} agents",
        scenario_value.name,
        generator.start(),
        generator.end(),
        counts.agents
    )?;
    let types: Vec<String> = counts
        .ais_by_type
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| format!("type {t}: {n}"))
        .collect();
    writeln!(
        err,
        "  ais.nmea: {messages} messages in {sentences} sentences ({})",
        types.join(", ")
    )?;
    writeln!(err, "  tracks.ndjson: {track_lines} track updates")?;
    let tcs: Vec<String> = counts
        .adsb_by_tc
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(tc, n)| format!("TC {tc}: {n}"))
        .collect();
    writeln!(err, "  adsb.beast: {frames} frames ({})", tcs.join(", "))?;
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    writeln!(err, "  truth.ndjson: {} records ({})", truth.len(), kinds.join(", "))?;
    writeln!(
        err,
        "  mnd-report.txt: {} reporting days",
        report.lines().filter(|l| l.starts_with("== ")).count()
    )?;
    if generator.truth_dropped() > 0 {
        writeln!(err, "  truth records dropped at the limit: {}", generator.truth_dropped())?;
    }
    writeln!(
        err,
        "  {elapsed_s:.1} s, {:.0} messages/s",
        (messages + track_lines + frames) as f64 / elapsed_s.max(1e-9)
    )?;
    Ok(ExitCode::SUCCESS)
}
