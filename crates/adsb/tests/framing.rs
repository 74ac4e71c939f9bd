//! Framing of recorded receiver output, against counts established by other software.
//!
//! - traffic's `dump1090/sample_dump1090.bin` (Beast binary written by dump1090): 185 short and
//!   54 long frames (the count in the data set's SOURCE.md), the same for every way of cutting
//!   the stream into chunks of 1 to 64 bytes; every DF17/18 frame passes its CRC, which only
//!   holds if the escapes were undone right.
//! - adsb_deku's `lax-messages.txt` (AVR from dump1090-fa): 140,965 short and 74,641 long frames
//!   with the downlink-format counts of its SOURCE.md.
//! - rs1090's `long_flight.csv` (`timestamp,beast hex`): 172,432 frames with the downlink-format
//!   counts of its SOURCE.md, each equal to the hex after the 18-digit Beast header.
//! - [`detect`] on each shared file; property tests of the Beast deframer on escaped random
//!   frames with garbage between them, cut anywhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use kuroshio_adsb::frame::{
    BEAST_FRAME_WIRE_BYTES_MAX, BeastDeframer, FrameError, FrameTime, InputKind, LineDeframer,
    detect, parse_line,
};
use proptest::prelude::*;

/// A frame with its metadata, owned.
type Owned = (Vec<u8>, Option<FrameTime>, Option<u8>);

/// Deframes `input` pushed in chunks of `chunk` bytes; frames and error kinds in order.
fn beast_frames(input: &[u8], chunk: usize) -> (Vec<Owned>, Vec<&'static str>, BeastDeframer) {
    let mut d = BeastDeframer::new();
    let mut frames = Vec::new();
    let mut errors = Vec::new();
    for piece in input.chunks(chunk) {
        assert_eq!(d.push(piece), piece.len());
        while let Some(r) = d.next_frame() {
            match r {
                Ok(f) => frames.push((f.data.to_vec(), f.timestamp, f.signal)),
                Err(e) => errors.push(e.kind()),
            }
        }
        assert!(d.pending_bytes() < BEAST_FRAME_WIRE_BYTES_MAX);
    }
    if let Some(e) = d.finish() {
        errors.push(e.kind());
    }
    (frames, errors, d)
}

/// The Mode S CRC-24 residual (polynomial 0xFFF409, ICAO Annex 10 Vol IV §3.1.2.3.3).
fn crc_residual(frame: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in frame {
        crc ^= u32::from(b) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x100_0000 != 0 {
                crc ^= 0x1FF_F409;
            }
        }
    }
    crc & 0xFF_FFFF
}

#[test]
fn dump1090_beast_sample() {
    let Some(bytes) = kuroshio_testdata::read("traffic-samples/dump1090/sample_dump1090.bin")
    else {
        return;
    };
    assert_eq!(detect(&bytes), Some(InputKind::Beast));
    let (frames, errors, d) = beast_frames(&bytes, bytes.len());
    assert_eq!(errors, Vec::<&str>::new());
    let short = frames.iter().filter(|f| f.0.len() == 7).count();
    let long = frames.iter().filter(|f| f.0.len() == 14).count();
    assert_eq!((short, long, frames.len()), (185, 54, 239));
    let s = *d.stats();
    assert_eq!((s.mode_s_short, s.mode_s_long, s.mode_ac, s.status), (185, 54, 0, 0));
    // The stream has escaped bytes: some frame's bytes contain 0x1a.
    assert!(frames.iter().any(|f| f.0.contains(&0x1a)));
    let mut squitters = 0;
    for (data, ts, sig) in &frames {
        assert!(matches!(ts, Some(FrameTime::Mlat12MHz(_))) && sig.is_some());
        if data.len() == 14 && matches!(data[0] >> 3, 17 | 18) {
            squitters += 1;
            assert_eq!(crc_residual(data), 0, "{data:02x?}");
        }
    }
    assert!(squitters > 20, "{squitters}");
    // Counters increase through the recording (one receiver clock).
    let counters: Vec<u64> = frames
        .iter()
        .map(|f| match f.1 {
            Some(FrameTime::Mlat12MHz(c)) => c,
            _ => unreachable!(),
        })
        .collect();
    assert!(counters.windows(2).all(|w| w[0] <= w[1]));

    for chunk in 1..=64 {
        let (again, errors, _) = beast_frames(&bytes, chunk);
        assert_eq!(errors, Vec::<&str>::new(), "chunk {chunk}");
        assert_eq!(again, frames, "chunk {chunk}");
    }

    // The same frames as `@` AVR lines frame to the same bytes and counters.
    for (data, ts, _) in &frames {
        let Some(FrameTime::Mlat12MHz(c)) = ts else { unreachable!() };
        let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
        let line = format!("@{c:012X}{hex};");
        let mut scratch = [0u8; 14];
        let f = parse_line(line.as_bytes(), &mut scratch).unwrap().unwrap();
        assert_eq!((f.data, f.timestamp), (&data[..], *ts));
    }
}

#[test]
fn beast_sample_with_garbage_resynchronises() {
    let Some(bytes) = kuroshio_testdata::read("traffic-samples/dump1090/sample_dump1090.bin")
    else {
        return;
    };
    let (clean, _, _) = beast_frames(&bytes, bytes.len());
    // Line noise before the stream and 5 bytes cut from the middle of the frame at 0x3ea. (A
    // cut across a frame boundary could join two halves into one wrong frame: Beast has no
    // checksum of its own, the Mode S parity is what catches that.)
    let cut = 1009;
    let mut noisy = b"\x00\xffnoise\x1a\x1a\x1a\x39".to_vec();
    noisy.extend_from_slice(&bytes[..cut]);
    noisy.extend_from_slice(&bytes[cut + 5..]);
    for chunk in [1, 7, 64, 4096] {
        let (frames, errors, _) = beast_frames(&noisy, chunk);
        // The cut frame is lost (truncated or skipped), every other one is recovered.
        assert_eq!(frames.len(), clean.len() - 1, "chunk {chunk}: {errors:?}");
        assert!(frames.iter().all(|f| clean.contains(f)));
        assert_eq!(errors, ["beast_resync", "beast_truncated"], "chunk {chunk}");
    }
}

/// Downlink format counts of a frame list.
fn df_counts(frames: &[Owned]) -> BTreeMap<u8, usize> {
    let mut m = BTreeMap::new();
    for f in frames {
        *m.entry(f.0[0] >> 3).or_default() += 1;
    }
    m
}

/// Frames every line of `text` through [`LineDeframer`] pushed in `chunk`-byte pieces.
fn line_frames(text: &[u8], chunk: usize) -> (Vec<Owned>, Vec<FrameError>) {
    let mut d = LineDeframer::new();
    let mut frames = Vec::new();
    let mut errors = Vec::new();
    let mut drain = |d: &mut LineDeframer| {
        while let Some(r) = d.next_frame() {
            match r {
                Ok(f) => frames.push((f.data.to_vec(), f.timestamp, f.signal)),
                Err(e) => errors.push(e),
            }
        }
    };
    for piece in text.chunks(chunk) {
        assert_eq!(d.push(piece), piece.len());
        drain(&mut d);
    }
    d.finish();
    drain(&mut d);
    (frames, errors)
}

#[test]
fn lax_avr_messages() {
    let Some(text) = kuroshio_testdata::read("adsb-deku-lax/lax-messages.txt") else { return };
    assert_eq!(detect(&text), Some(InputKind::Avr));
    let (frames, errors) = line_frames(&text, 1 << 16);
    assert_eq!(errors, vec![]);
    assert_eq!(frames.len(), 215_606);
    let short = frames.iter().filter(|f| f.0.len() == 7).count();
    assert_eq!((short, frames.len() - short), (140_965, 74_641));
    assert!(frames.iter().all(|f| f.1.is_none() && f.2.is_none()));
    let want: BTreeMap<u8, usize> = [
        (0, 72_333),
        (4, 22_019),
        (5, 623),
        (11, 45_990),
        (16, 4_629),
        (17, 67_876),
        (18, 723),
        (20, 1_029),
        (21, 377),
        (24, 7),
    ]
    .into_iter()
    .collect();
    assert_eq!(df_counts(&frames), want);
    // Cut at odd places: the same frames.
    let (again, errors) = line_frames(&text, 4093);
    assert_eq!((again.len(), errors.len()), (frames.len(), 0));
    assert!(again == frames);
}

#[test]
fn rs1090_long_flight_lines() {
    let Some(text) = kuroshio_testdata::read("rs1090-long-flight/long_flight.csv") else { return };
    assert_eq!(detect(&text), Some(InputKind::Hex));
    let (frames, errors) = line_frames(&text, 1 << 16);
    assert_eq!(errors, vec![]);
    assert_eq!(frames.len(), 172_432);
    let want: BTreeMap<u8, usize> = [
        (0, 21_393),
        (4, 8_841),
        (5, 2_949),
        (11, 38_456),
        (16, 2_694),
        (17, 31_395),
        (18, 18_990),
        (20, 29_460),
        (21, 18_254),
    ]
    .into_iter()
    .collect();
    assert_eq!(df_counts(&frames), want);
    // Each frame is the line's hex after the Beast header, with the line's time and the
    // Beast signal byte.
    let text = std::str::from_utf8(&text).unwrap();
    for (line, (data, ts, sig)) in text.lines().zip(&frames) {
        let (t, h) = line.split_once(',').unwrap();
        let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, h[18..], "{line}");
        assert_eq!(*ts, Some(FrameTime::UnixSeconds(t.parse().unwrap())), "{line}");
        assert_eq!(*sig, Some(u8::from_str_radix(&h[16..18], 16).unwrap()), "{line}");
    }
}

#[test]
fn detects_shared_files() {
    let cases = [
        ("sbs1-japan-kansai/adsb202201082242.csv", InputKind::Sbs),
        ("pymodes/sample_data_adsb.csv", InputKind::Hex),
        ("gpsd-ais/sample.aivdm", InputKind::Nmea),
    ];
    for (path, kind) in cases {
        let Some(bytes) = kuroshio_testdata::read(path) else { return };
        assert_eq!(detect(&bytes), Some(kind), "{path}");
    }
}

/// Escapes a frame of `frame_type` with `counter`, `signal` and `data` into Beast wire bytes.
fn beast_wire(frame_type: u8, counter: u64, signal: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1a, frame_type];
    let counter = counter.to_be_bytes();
    let body = counter[2..].iter().copied().chain([signal]).chain(data.iter().copied());
    for b in body {
        out.push(b);
        if b == 0x1a {
            out.push(0x1a);
        }
    }
    out
}

/// A random frame: type, counter, signal, data, with 0x1a made frequent.
fn arb_frame() -> impl Strategy<Value = (u8, u64, u8, Vec<u8>)> {
    let byte = prop_oneof![Just(0x1au8), any::<u8>()];
    (0x31u8..=0x33, 0u64..(1 << 48), byte.clone()).prop_flat_map(move |(t, c, s)| {
        let n = match t {
            0x31 => 2,
            0x32 => 7,
            _ => 14,
        };
        let c = if c % 3 == 0 { c | 0x1a1a } else { c };
        (Just(t), Just(c), Just(s), proptest::collection::vec(byte.clone(), n))
    })
}

proptest! {
    /// Escaped frames with garbage (no 0x1a) between some of them come back exactly, in
    /// order, whatever the chunk size, and each garbage run is one resync.
    #[test]
    fn beast_round_trip(
        frames in proptest::collection::vec((arb_frame(), proptest::collection::vec(0u8..0x19, 0..5)), 1..40),
        chunk in 1usize..50,
    ) {
        let mut wire = Vec::new();
        let mut garbage_runs = 0;
        for ((t, c, s, data), garbage) in &frames {
            if !garbage.is_empty() {
                garbage_runs += 1;
            }
            wire.extend_from_slice(garbage);
            wire.extend(beast_wire(*t, *c, *s, data));
        }
        let (got, errors, _) = beast_frames(&wire, chunk);
        let want: Vec<Owned> = frames
            .iter()
            .map(|((_, c, s, d), _)| (d.clone(), Some(FrameTime::Mlat12MHz(*c)), Some(*s)))
            .collect();
        prop_assert_eq!(got, want);
        // One report per garbage run, however the input was cut.
        prop_assert!(errors.iter().all(|e| *e == "beast_resync"));
        prop_assert_eq!(errors.len(), garbage_runs);
    }

    /// Arbitrary bytes never panic, and the buffer stays bounded after every drain.
    #[test]
    fn beast_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600), chunk in 1usize..80) {
        let _ = beast_frames(&bytes, chunk);
    }

    /// Arbitrary text lines never panic.
    #[test]
    fn lines_arbitrary(text in "[*@%<:;,.0-9a-fA-Fx\"\r\n #]{0,300}", chunk in 1usize..40) {
        let _ = line_frames(text.as_bytes(), chunk);
    }
}
