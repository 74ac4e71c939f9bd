//! Fuzzes the TAXII 2.1 server's filter reader (`added_after`, `limit`, `next`, `match[id]`,
//! `match[type]`, `match[version]`, `match[spec_version]`): arbitrary bytes as a query string.
//! Any panic is a bug; refusals are expected. What is accepted stays within the size and
//! list limits.

#![no_main]

use kuroshio_taxii::filter::{FILTER_VALUES_MAX, QUERY_BYTES_MAX};
use kuroshio_taxii::parse_filters;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    if let Ok(f) = parse_filters(raw) {
        assert!(raw.len() <= QUERY_BYTES_MAX);
        assert!(f.ids.len() <= FILTER_VALUES_MAX);
        assert!(f.types.len() <= FILTER_VALUES_MAX);
        assert!(f.versions.at_ns.len() <= FILTER_VALUES_MAX);
    }
});
