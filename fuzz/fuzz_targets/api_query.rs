//! Fuzzes the HTTP API's query-string reader and the parameter parsers behind it (times,
//! boxes, targets, event kinds): arbitrary bytes as a query string. Any panic is a bug; refusals
//! are expected. What is accepted stays within the size limit and names only allowed parameters.

#![no_main]

use kuroshio_api::{QUERY_BYTES_MAX, parse_query, wire};
use libfuzzer_sys::fuzz_target;

const ALLOWED: [&str; 7] = ["kind", "zone", "target", "from", "to", "limit", "bbox"];

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    if let Ok(pairs) = parse_query(raw, &ALLOWED) {
        assert!(raw.len() <= QUERY_BYTES_MAX);
        for (k, v) in &pairs {
            assert!(ALLOWED.contains(&k.as_str()));
            let _ = wire::parse_time(v);
            let _ = wire::parse_bbox(v);
            let _ = wire::parse_target(v);
            let _ = wire::parse_kind(v);
        }
    }
});
