//! Fuzz target: arbitrary bytes, cut into chunks at arbitrary places, through the Beast
//! deframer. Nothing may panic, every frame is 2, 7 or 14 bytes, and after each drain at most
//! one partial frame stays buffered.

#![no_main]

use kuroshio_adsb::frame::{BEAST_FRAME_WIRE_BYTES_MAX, BeastDeframer, detect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the chunk size, so chunk boundaries are fuzzed too.
    let Some((&cut, input)) = data.split_first() else { return };
    let chunk = usize::from(cut % 48) + 1;
    let _ = detect(input);
    let mut d = BeastDeframer::new();
    let mut frames = 0u64;
    for piece in input.chunks(chunk) {
        assert_eq!(d.push(piece), piece.len());
        while let Some(r) = d.next_frame() {
            if let Ok(f) = r {
                assert!(matches!(f.data.len(), 2 | 7 | 14));
                frames += 1;
            }
        }
        assert!(d.pending_bytes() < BEAST_FRAME_WIRE_BYTES_MAX);
    }
    let _ = d.finish();
    assert_eq!(d.pending_bytes(), 0);
    let s = d.stats();
    assert_eq!(frames, s.mode_ac + s.mode_s_short + s.mode_s_long);
});
