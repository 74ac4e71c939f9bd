//! Fuzzes the MND daily report parser and the twreporter caption reader: arbitrary bytes (as
//! lossy UTF-8) are parsed on their own and behind the opening of a Chinese release and of an
//! English post, with and without a publication date, so that the count, crossing, window
//! and balloon readers are reached quickly. Any panic is a bug; errors are expected.

#![no_main]

use kuroshio_reports::datasets;
use kuroshio_reports::mnd::{self, TaipeiDate};
use libfuzzer_sys::fuzz_target;

const HEADERS: [&str; 4] = [
    "",
    "中華民國115年7月30日（星期四）0600時至115年7月31日（星期五）0600時止。迄0600時止，偵獲共機",
    "26 PLA aircraft, 9 PLAN vessels and 1 official ship operating around Taiwan were detected up until 6 a.m. (UTC+8) today. ",
    "昨日上午11時53分偵獲空飄氣球1枚，逾越海峽中線，位於基隆西方",
];

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let _ = datasets::box_caption_counts(&body);
    let _ = datasets::repair_mojibake(&body);
    for header in HEADERS {
        let text = format!("{header}{body}");
        for published in [None, TaipeiDate::new(2026, 7, 31)] {
            let Ok(report) = mnd::parse(&text, published) else { continue };
            assert_eq!(report.raw, text);
            assert!(report.balloons.len() <= mnd::MAX_BALLOONS);
            if report.is_fully_parsed() {
                assert!(report.window.is_some() && report.aircraft.is_some());
            }
            if let Some(w) = report.window {
                let _ = w.end_date();
            }
        }
    }
});
