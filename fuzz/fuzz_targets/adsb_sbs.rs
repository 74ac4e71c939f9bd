//! Fuzz target: arbitrary lines through the SBS-1 BaseStation parser. Nothing may panic, and
//! what parses has a transmission type 1-8 and an address of at most 24 bits.

#![no_main]

use kuroshio_adsb::sbs::{SbsLine, SbsStats, parse_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut stats = SbsStats::default();
    for line in data.split(|&b| b == b'\n') {
        let r = parse_line(line);
        if let Ok(SbsLine::Message(m)) = &r {
            assert!((1..=8).contains(&m.transmission_type));
            assert!(m.hex_ident.is_none_or(|a| a > 0 && a <= 0xFF_FFFF));
        }
        if let Err(e) = &r {
            let _ = e.kind();
        }
        stats.count(&r);
    }
});
