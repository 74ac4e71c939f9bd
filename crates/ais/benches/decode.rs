//! Decoding throughput on a recorded corpus, one core, one run.
//!
//! `cargo bench -p kuroshio-ais --bench decode -- bench-out/ais-corpus.nmea` (the corpus is built
//! by `scripts/bench-ais` from the real feeds in `../shared/data`). Reports sentences per second
//! for framing + reassembly + decoding alone, and with gpsd JSON written to a buffer. The
//! corpus is read into memory first, so no I/O is timed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

use kuroshio_ais::gpsd::GpsdWriter;
use kuroshio_ais::json::JsonWriter;
use kuroshio_ais::stream::{StreamDecoder, StreamOptions};

fn lines(data: &[u8]) -> Vec<&[u8]> {
    data.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect()
}

fn main() {
    let path = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let Some(path) = path else {
        println!(
            "usage: cargo bench -p kuroshio-ais --bench decode -- CORPUS (see scripts/bench-ais)"
        );
        return;
    };
    let data = std::fs::read(&path).expect("read corpus");
    let lines = lines(&data);
    println!("corpus: {path}, {} lines, {} bytes", lines.len(), data.len());

    // Warm-up pass (page faults, branch predictors), not reported.
    let mut dec = StreamDecoder::new(StreamOptions::default());
    for l in lines.iter().take(100_000) {
        dec.push_line(l, |d| {
            std::hint::black_box(&d);
        });
    }

    // Decoding alone: framing, reassembly, six-bit unpacking and field decoding.
    let mut dec = StreamDecoder::new(StreamOptions::default());
    let mut messages = 0u64;
    let start = Instant::now();
    for l in &lines {
        dec.push_line(l, |d| {
            messages += 1;
            std::hint::black_box(&d.message);
        });
    }
    let secs = start.elapsed().as_secs_f64();
    let sentences = dec.stats().sentences;
    println!("decode only: {sentences} sentences, {messages} messages, {:.3} s", secs);
    println!("sentences_per_second: {:.0}", sentences as f64 / secs);
    println!("messages_per_second: {:.0}", messages as f64 / secs);
    println!("errors: {:?}", dec.stats().errors);

    // Decoding plus gpsd JSON into a reused buffer (no output I/O).
    let mut dec = StreamDecoder::new(StreamOptions::default());
    let mut gpsd = GpsdWriter::new();
    let mut out = Vec::with_capacity(1 << 20);
    let mut bytes = 0usize;
    let start = Instant::now();
    for l in &lines {
        dec.push_line(l, |d| {
            gpsd.write(&d.message, &mut out);
        });
        if out.len() > 1 << 20 {
            bytes += out.len();
            out.clear();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    bytes += out.len();
    println!("decode + gpsd json: {:.3} s, {} bytes of JSON", secs, bytes);
    println!("json_sentences_per_second: {:.0}", dec.stats().sentences as f64 / secs);

    // Decoding plus Kuroshio ndjson.
    let mut dec = StreamDecoder::new(StreamOptions::default());
    out.clear();
    let start = Instant::now();
    for l in &lines {
        dec.push_line(l, |d| {
            let mut w = JsonWriter::object(&mut out);
            d.write_ndjson(&mut w);
            w.finish();
        });
        if out.len() > 1 << 20 {
            out.clear();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("ndjson_sentences_per_second: {:.0}", dec.stats().sentences as f64 / secs);
}
