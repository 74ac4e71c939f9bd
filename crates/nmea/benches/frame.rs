//! Framing throughput on recorded real feeds, with `std::time` only (no harness).
//!
//! Run with `cargo bench -p kuroshio-nmea --bench frame`. For each feed it frames every line
//! and pushes every sentence through a [`Reassembler`], repeating in short windows for about
//! a second, and prints the sentences per second of the fastest window and nanoseconds per sentence. A typical
//! single-fragment line is also measured alone. Nothing here asserts on time: numbers vary
//! by machine and are for reading, not for pass/fail.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use kuroshio_nmea::{Line, ParseOptions, Reassembler, parse_all, parse_line};

const FEEDS: &[&str] = &[
    "dma-aislib/stream_example.txt",
    "aisdb/test_data_20211101.nm4",
    "amsa-risky/exact-earth-augmented-3.txt",
    "gfw-ais-tools/multi-part.nmea",
    "libais/typeexamples.nmea",
];

/// Runs `f` (which returns the sentences it handled) in windows of `budget / 10` until
/// `budget` is spent, and returns the fastest window: on a shared machine the fastest window
/// is the one least disturbed by other work.
fn measure(budget: Duration, mut f: impl FnMut() -> u64) -> (u64, Duration) {
    let window = budget / 10;
    let start = Instant::now();
    let mut best: Option<(u64, Duration)> = None;
    while start.elapsed() < budget {
        let window_start = Instant::now();
        let mut sentences = 0;
        while window_start.elapsed() < window {
            sentences += f();
        }
        let elapsed = window_start.elapsed();
        let rate = |(n, t): (u64, Duration)| n as f64 / t.as_secs_f64();
        if best.is_none_or(|b| rate((sentences, elapsed)) > rate(b)) {
            best = Some((sentences, elapsed));
        }
    }
    best.unwrap_or((0, Duration::from_secs(1)))
}

fn report(name: &str, (sentences, elapsed): (u64, Duration)) {
    let per_s = sentences as f64 / elapsed.as_secs_f64();
    let ns = elapsed.as_nanos() as f64 / sentences.max(1) as f64;
    println!("{name:<45} {per_s:>12.0} sentences/s {ns:>8.1} ns/sentence ({sentences} sentences)");
}

fn main() {
    // `cargo bench --bench frame -- <filter>` runs only the cases whose name contains it.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_default();
    let wanted = |name: &str| name.contains(filter.as_str());
    let opts = ParseOptions::LENIENT;
    let budget = Duration::from_millis(1000);

    let line: &[u8] = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";
    if wanted("parse_line, one 48-byte line") {
        report(
            "parse_line, one 48-byte line",
            measure(budget, || {
                for _ in 0..1000 {
                    if let Ok(Line::Sentence(s)) = &parse_line(black_box(line), &opts) {
                        black_box(s.payload.len());
                    }
                }
                1000
            }),
        );
    }
    let mut reassembler = Reassembler::default();
    if wanted("parse_line + push, one 48-byte line") {
        report(
            "parse_line + push, one 48-byte line",
            measure(budget, || {
                for _ in 0..1000 {
                    if let Ok(Line::Sentence(s)) = &parse_line(black_box(line), &opts) {
                        black_box(reassembler.push(s).unwrap());
                    }
                }
                1000
            }),
        );
    }

    for feed in FEEDS.iter().filter(|f| wanted(f)) {
        let Some(data) = kuroshio_testdata::read(feed) else {
            continue;
        };
        let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        let mut reassembler = Reassembler::default();
        report(
            feed,
            measure(budget, || {
                let mut n = 0;
                for line in &lines {
                    for result in parse_all(line, &opts) {
                        if let Ok(Line::Sentence(s)) = &result {
                            n += 1;
                            let _ = black_box(reassembler.push(s));
                            while reassembler.pop_evicted().is_some() {}
                        }
                    }
                }
                n
            }),
        );
    }
}
