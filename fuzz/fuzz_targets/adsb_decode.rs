//! Fuzz target for the Mode S decoder and its JSON writer.
//!
//! Each input is tried as it is (any length: must be a typed error or a frame), and its
//! first 7 and 14 bytes are tried again with the parity field rewritten to match, so that
//! DF 11/17/18 frames pass the parity check and reach the ADS-B decoders instead of stopping
//! at `crc_mismatch`. Every decoded frame is written as JSON, which must be one object.

#![no_main]

use kuroshio_adsb::crc::crc24;
use kuroshio_adsb::decode::decode;
use kuroshio_adsb::json::write_frame;
use libfuzzer_sys::fuzz_target;

fn check(frame: &[u8], out: &mut Vec<u8>) {
    let Ok(m) = decode(frame) else { return };
    out.clear();
    write_frame(out, &m, frame, Some(1.0), Some((0.0, 0.0)));
    assert_eq!(out.first(), Some(&b'{'));
    assert_eq!(out.last(), Some(&b'}'));
    assert!(std::str::from_utf8(out).is_ok());
    assert_eq!(decode(frame), Ok(m), "decoding is deterministic");
}

fn with_parity(data: &[u8], len: usize, out: &mut Vec<u8>) {
    let Some(bytes) = data.get(..len) else { return };
    let mut frame = [0u8; 14];
    let frame = &mut frame[..len];
    frame.copy_from_slice(bytes);
    let crc = crc24(&frame[..len - 3]);
    frame[len - 3..].copy_from_slice(&crc.to_be_bytes()[1..]);
    check(frame, out);
}

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::with_capacity(512);
    check(data, &mut out);
    with_parity(data, 7, &mut out);
    with_parity(data, 14, &mut out);
});
