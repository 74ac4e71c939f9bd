//! Fuzzes the egress guard and the receiving side of `kuroshio-share`: arbitrary bytes are
//! checked as an outgoing payload, and when they are JSON objects, read as marking definitions,
//! resolved as received objects and verified as signed objects. Any panic is a bug; refusals
//! are expected. Whatever the guard passes must contain no object it could not resolve.

#![no_main]

use kuroshio_model::PartnerCode;
use kuroshio_share::guard::{EgressGuard, GuardConfig};
use kuroshio_share::{Definition, Held, sign};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let codes: Vec<PartnerCode> =
        ["JP", "US", "TW"].iter().filter_map(|c| PartnerCode::parse(c).ok()).collect();
    let Ok(guard) = EgressGuard::new(&GuardConfig {
        holder: codes[2],
        partners: codes.clone(),
        require_signature: false,
        public_ids: Default::default(),
    }) else {
        return;
    };
    let _ = guard.check_bytes(data, codes[0]);
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(data)
    else {
        return;
    };
    let _ = Definition::parse(&serde_json::Value::Object(obj.clone()));
    let _ = sign::verify(&obj, &[7; 32]);
    let _ = Held::from_wire(obj, &|_| None, &codes);
});
