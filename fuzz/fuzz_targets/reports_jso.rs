//! Fuzzes the Joint Staff Office release parser: arbitrary bytes (as lossy UTF-8) are parsed
//! on their own and behind a ship-notice and an aircraft-notice header, so that the sighting,
//! passage, table and watch-unit readers are reached quickly. Every parsed position is
//! geocoded. Any panic is a bug; errors are expected.

#![no_main]

use kuroshio_reports::{geocode, jso};
use libfuzzer_sys::fuzz_target;

const HEADERS: [&str; 3] = [
    "",
    "令和9年1月5日統合幕僚監部中国海軍艦艇の動向について令和9年1月4日(月)午後4時頃、海上自衛隊は、",
    "令和9年1月5日統合幕僚監部ロシア軍機の動向について令和9年1月5日(火)午前から午後にかけて、",
];

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    for header in HEADERS {
        let text = format!("{header}{body}");
        let Ok(release) = jso::parse(&text) else { continue };
        assert_eq!(release.raw, text);
        if release.is_fully_parsed() {
            assert!(release.kind.is_movement() && release.issues.is_empty());
        }
        for sighting in &release.ship_sightings {
            if let Some(p) = &sighting.position {
                if let Ok(pos) = geocode(&p.place, p.bearing, f64::from(p.distance_km)) {
                    assert!(pos.lat_deg().is_finite() && pos.lon_deg().is_finite());
                }
            }
            if let Some(t) = sighting.time {
                let _ = t.to_timestamp();
            }
        }
    }
});
