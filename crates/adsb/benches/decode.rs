//! Single-core decoding throughput on recorded real feeds: parity check + [`decode`] (and, as a
//! second figure, + JSON) over every frame of the adsb_deku LAX capture (215,606 AVR frames)
//! and the rs1090 long flight (172,432 Beast frames).
//!
//! Hex parsing happens before the timed loops. Each figure is the best of several passes over
//! the whole corpus, printed as `frames_per_second: N` lines (one per corpus and stage) for
//! the comparison script. Run with `cargo bench -p kuroshio-adsb --bench decode`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use kuroshio_adsb::decode::decode;
use kuroshio_adsb::json::write_frame;

/// Passes over each corpus; the fastest counts (the others absorb warm-up and noise).
const PASSES: usize = 7;

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len() / 2).map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// Frames of `*hex;` lines.
fn lax() -> Option<Vec<Vec<u8>>> {
    let path = kuroshio_testdata::path("adsb-deku-lax/lax-messages.txt")?;
    let text = std::fs::read_to_string(path).unwrap();
    Some(
        text.lines()
            .filter_map(|l| unhex(l.trim().strip_prefix('*')?.strip_suffix(';')?))
            .collect(),
    )
}

/// Frames of `epoch,beast-hex` lines: the Mode S reply follows 9 bytes of Beast header.
fn long_flight() -> Option<Vec<Vec<u8>>> {
    let path = kuroshio_testdata::path("rs1090-long-flight/long_flight.csv")?;
    let text = std::fs::read_to_string(path).unwrap();
    Some(text.lines().filter_map(|l| unhex(l.split_once(',')?.1.get(18..)?)).collect())
}

fn best_of(frames: &[Vec<u8>], mut pass: impl FnMut(&[Vec<u8>]) -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..PASSES {
        let t = Instant::now();
        count = black_box(pass(frames));
        best = best.min(t.elapsed().as_secs_f64());
    }
    (frames.len() as f64 / best, count)
}

fn run(name: &str, frames: &[Vec<u8>]) {
    let (fps, ok) = best_of(frames, |frames| {
        let mut ok = 0;
        for f in frames {
            if let Ok(m) = decode(black_box(f)) {
                black_box(&m);
                ok += 1;
            }
        }
        ok
    });
    println!("corpus: {name} frames: {} decoded: {ok} stage: decode", frames.len());
    println!("frames_per_second: {fps:.0}");
    println!("ns_per_frame: {:.1}", 1e9 / fps);

    let mut out = Vec::with_capacity(1 << 16);
    let (fps, bytes) = best_of(frames, |frames| {
        let mut bytes = 0;
        for f in frames {
            if let Ok(m) = decode(black_box(f)) {
                out.clear();
                write_frame(&mut out, &m, f, Some(1_708_901_277.856_771_7), None);
                bytes += black_box(&out).len();
            }
        }
        bytes
    });
    println!("corpus: {name} frames: {} json_bytes: {bytes} stage: decode+json", frames.len());
    println!("frames_per_second: {fps:.0}");
    println!("ns_per_frame: {:.1}", 1e9 / fps);
}

fn main() {
    if let Some(frames) = lax() {
        assert_eq!(frames.len(), 215_606);
        run("adsb-deku-lax", &frames);
    }
    if let Some(frames) = long_flight() {
        assert_eq!(frames.len(), 172_432);
        run("rs1090-long-flight", &frames);
    }
}
