//! Fuzzes the PRC navigation warning parser: arbitrary bytes (as lossy UTF-8) are parsed on
//! their own and behind the opening of a Chinese and of an English warning, then written as a
//! zone feature and paired with each other. Any panic is a bug; errors are expected.

#![no_main]

use kuroshio_reports::mnd::TaipeiDate;
use kuroshio_reports::navwarn::{self, WarningSource};
use libfuzzer_sys::fuzz_target;

const HEADERS: [&str; 3] = [
    "",
    "桂航警51/26，北部湾，3月16日至17日每天1000时至1800时，在21-23.00N 108-47.40E；",
    "GX20/26 BEIBU BAY，MILITARY TRAINING IN AREA BOUNDED BY THE LINES JOINING 21-23.00N 108-47.40E；",
];

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let mut parsed = Vec::new();
    for header in HEADERS {
        let text = format!("{header}{body}");
        let source =
            WarningSource { published: TaipeiDate::new(2026, 3, 15), ..WarningSource::default() };
        let Ok(w) = navwarn::parse(&text, source) else { continue };
        assert_eq!(w.raw, text);
        assert!(w.periods.len() <= navwarn::MAX_PERIODS);
        assert!(w.periods.iter().all(|p| p.end > p.start));
        let _ = w.to_zone_feature();
        parsed.push(w);
    }
    let _ = navwarn::complete_from_counterparts(&mut parsed);
});
