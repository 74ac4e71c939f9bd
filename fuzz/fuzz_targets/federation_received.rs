//! Fuzzes what a node reads from a partner before trusting it: an object's signature check
//! against the originators' keys (arbitrary JSON objects), and the PEM certificates of a
//! partner's CA. Any panic is a bug; refusals are expected, and an object without a valid
//! signature from a known key is never accepted unless it is a readable marking definition.

#![no_main]

use std::collections::BTreeMap;

use kuroshio_federation::sync::verify_object;
use kuroshio_federation::tls::certificates;
use kuroshio_model::PartnerCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = certificates(text, "fuzz");
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let mut keys = BTreeMap::new();
    if let Ok(p) = PartnerCode::parse("JP") {
        keys.insert(p, [7u8; 32]);
    }
    if verify_object(&obj, &keys).is_ok() {
        // Without a key that signed it, only a marking definition can pass.
        assert_eq!(obj.get("type").and_then(|t| t.as_str()), Some("marking-definition"));
    }
});
