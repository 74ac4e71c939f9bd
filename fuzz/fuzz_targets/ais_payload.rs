//! Fuzz target: arbitrary armored payloads and fill-bit counts through payload unpacking,
//! message decoding and both JSON writers. Nothing may panic.

#![no_main]

use kuroshio_ais::gpsd::GpsdWriter;
use kuroshio_ais::json::JsonWriter;
use kuroshio_ais::{Payload, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&fill, armored)) = data.split_first() else { return };
    let Ok(payload) = Payload::from_armored(armored, fill % 8) else { return };
    if let Ok(message) = decode(&payload) {
        let mut out = Vec::new();
        GpsdWriter::new().write(&message, &mut out);
        let mut w = JsonWriter::object(&mut out);
        kuroshio_ais::ndjson::write_fields(&message, &mut w);
        w.finish();
    }
});
