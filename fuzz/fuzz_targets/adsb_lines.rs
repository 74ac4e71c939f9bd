//! Fuzz target: arbitrary text through the line splitter and the AVR / hex / `timestamp,hex`
//! line framer, and through format detection. Nothing may panic, and every frame is 2, 7 or
//! 14 bytes.

#![no_main]

use kuroshio_adsb::frame::{LineDeframer, detect, detect_line, parse_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, input)) = data.split_first() else { return };
    let chunk = usize::from(cut % 64) + 1;
    let _ = detect(input);
    let mut scratch = [0u8; 14];
    for line in input.split(|&b| b == b'\n') {
        let _ = detect_line(line);
        if let Ok(Some(f)) = parse_line(line, &mut scratch) {
            assert!(matches!(f.data.len(), 2 | 7 | 14));
        }
    }
    let mut d = LineDeframer::new();
    let drain = |d: &mut LineDeframer| {
        while let Some(r) = d.next_frame() {
            if let Ok(f) = r {
                assert!(matches!(f.data.len(), 2 | 7 | 14));
            }
        }
    };
    for piece in input.chunks(chunk) {
        assert_eq!(d.push(piece), piece.len());
        drain(&mut d);
    }
    d.finish();
    drain(&mut d);
});
