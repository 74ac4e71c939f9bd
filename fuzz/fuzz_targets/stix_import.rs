//! Fuzzes the STIX importer of `kuroshio-stix`: arbitrary bytes are read as a bundle, a list
//! or an object. Any panic is a bug; errors and refused objects are expected. Every object
//! accepted has an id of its own type and a version.

#![no_main]

use kuroshio_model::{FurtherSharing, PartnerCode, Tlp};
use kuroshio_stix::import::{ImportPolicy, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(partner) = PartnerCode::parse("TW") else { return };
    let policy = ImportPolicy {
        partner,
        default_tlp: Tlp::Amber,
        releasable_to: vec![],
        further_sharing: FurtherSharing::Permitted,
    };
    if let Ok(got) = import(data, &policy) {
        for o in &got.objects {
            assert!(o.id.starts_with(&format!("{}--", o.kind)));
            assert_eq!(o.marking.originator(), partner);
        }
    }
});
