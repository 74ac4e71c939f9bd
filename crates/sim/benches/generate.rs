//! Generator throughput: one day of 10,000 vessels and 2,000 aircraft, generated and written
//! as wire text (AIS sentences and track lines) into a reused buffer, on one thread.
//!
//! Prints agents, messages, sentences, bytes, seconds and messages per second. Run with
//! `cargo bench -p kuroshio-sim --bench generate`; `KUROSHIO_BENCH_HOURS` shortens the window
//! (default 24); `KUROSHIO_BENCH_WIRE=0` skips the wire text, timing the generator alone.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

use kuroshio_sim::wire::{AisWriter, Stream, write_record};
use kuroshio_sim::{Generator, Scenario};

const SCENARIO: &str = r#"
name = "bench-10k-vessels-2k-aircraft"
start = "2026-03-10T00:00:00Z"
hours = 24
seed = 1
[traffic]
cargo = 4000
tanker = 1500
passenger = 500
fishing = 4000
aircraft_tracks = 2000
"#;

fn main() {
    let wire = std::env::var("KUROSHIO_BENCH_WIRE").map_or(true, |v| v != "0");
    let hours: f64 =
        std::env::var("KUROSHIO_BENCH_HOURS").ok().and_then(|h| h.parse().ok()).unwrap_or(24.0);
    let scenario = Scenario::from_toml(SCENARIO).unwrap();

    let started = Instant::now();
    let mut generator = Generator::new(&scenario, Some(hours)).unwrap();
    let build_s = started.elapsed().as_secs_f64();
    let mut writer = AisWriter::new();
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let (mut records, mut sentences, mut track_lines, mut bytes) = (0u64, 0u64, 0u64, 0u64);
    for record in generator.by_ref() {
        records += 1;
        if !wire {
            continue;
        }
        match write_record(&record, &mut writer, &mut buf).unwrap() {
            (Stream::Ais, n) => sentences += u64::from(n),
            (Stream::Tracks, _) => track_lines += 1,
            _ => {}
        }
        // Flush the buffer as a file writer would, without the disk.
        if buf.len() > 60_000 {
            bytes += buf.len() as u64;
            buf.clear();
        }
    }
    bytes += buf.len() as u64;
    let total_s = started.elapsed().as_secs_f64();
    let truth = generator.take_truth();
    let counts = generator.counts();
    println!(
        "generate: {hours} h, {} agents (built in {build_s:.2} s): {records} records ({} AIS messages in {sentences} sentences, {track_lines} track updates), {:.1} MB, {} truth records",
        counts.agents,
        counts.ais_by_type.iter().sum::<u64>(),
        bytes as f64 / 1e6,
        truth.len()
    );
    println!(
        "generate: {} {total_s:.1} s, {:.2} M messages/s",
        if wire { "with wire text" } else { "generator only" },
        records as f64 / total_s / 1e6
    );
}
