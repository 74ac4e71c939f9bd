//! Fuzz target: arbitrary bytes, split into lines, through the whole stream decoder (framing,
//! wrappers, reassembly, decoding) and both JSON writers. Nothing may panic, and the counters
//! must account for every line.

#![no_main]

use kuroshio_ais::gpsd::GpsdWriter;
use kuroshio_ais::json::JsonWriter;
use kuroshio_ais::stream::{StreamDecoder, StreamOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lenient = data.first().is_some_and(|b| b & 1 == 1);
    let mut decoder = StreamDecoder::new(StreamOptions { lenient_checksum: lenient });
    let mut gpsd = GpsdWriter::new();
    let mut out = Vec::new();
    let mut lines = 0u64;
    for line in data.split(|&b| b == b'\n') {
        lines += 1;
        decoder.push_line(line, |d| {
            gpsd.write(&d.message, &mut out);
            let mut w = JsonWriter::object(&mut out);
            d.write_ndjson(&mut w);
            w.finish();
        });
        out.clear();
    }
    decoder.finish();
    assert_eq!(decoder.stats().lines, lines);
});
