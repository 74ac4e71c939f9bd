//! Conformance with libais: the tag-block values it reports for `tagblock.nmea`
//! (`tagblock.json`, one decoded message per line, in the order the messages complete).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use kuroshio_nmea::{Line, ParseOptions, Reassembler, parse_line};
use serde_json::Value;

/// Unix seconds of a `YYYY-MM-DDTHH:MM:SS…Z` stamp, by counting days month by month (a
/// deliberately different method from the crate's own calendar code).
fn iso_to_unix_s(iso: &str) -> i64 {
    let n = |range: std::ops::Range<usize>| iso[range].parse::<i64>().unwrap();
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    let (hour, minute, second) = (n(11..13), n(14..16), n(17..19));
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = 0;
    for y in 1970..year {
        days += if leap(y) { 366 } else { 365 };
    }
    let month_days = [31, if leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days += month_days[..(month - 1) as usize].iter().sum::<i64>();
    days += day - 1;
    days * 86_400 + hour * 3_600 + minute * 60 + second
}

#[test]
fn tag_values_match_libais() {
    let (Some(nmea), Some(json)) = (
        kuroshio_testdata::read("libais/tagblock.nmea"),
        kuroshio_testdata::read("libais/tagblock.json"),
    ) else {
        return;
    };
    let expected: Vec<Value> = std::str::from_utf8(&json)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), 4);

    let mut reassembler = Reassembler::default();
    // Tag texts of each group's first fragment, which the assembled message stands for.
    let mut first_tags: HashMap<Option<u32>, (Option<String>, Option<String>)> = HashMap::new();
    let mut next = expected.iter();
    let mut compared = 0;
    for line in nmea.split(|&b| b == b'\n') {
        let Line::Sentence(s) = parse_line(line, &ParseOptions::STRICT).unwrap() else {
            continue;
        };
        let tags = s.tags.expect("every line has a tag block");
        assert!(tags.checksum_ok);
        if s.fragment_number == 1 {
            first_tags.insert(
                tags.group.map(|g| g.id),
                (tags.time_text().map(str::to_owned), tags.quality().map(str::to_owned)),
            );
        }
        let group = tags.group;
        let Some(message) = reassembler.push(&s).unwrap() else {
            continue;
        };
        let want = next.next().expect("more messages than libais decoded");
        assert_eq!(message.station, want["tagblock_station"].as_str(), "station of {want}");
        let unix_s = iso_to_unix_s(want["tagblock_timestamp"].as_str().unwrap());
        assert_eq!(message.received_unix_ms, Some(unix_s * 1000));
        let (time_text, quality) = &first_tags[&message.group_id];
        assert_eq!(time_text.as_deref(), want["tagblock_T"].as_str());
        assert_eq!(quality.as_deref(), want["tagblock_q"].as_str());
        match want.get("tagblock_group") {
            Some(g) => {
                assert_eq!(message.group_id, g["id"].as_u64().map(|id| id as u32));
                assert_eq!(u64::from(message.fragment_count), g["groupsize"].as_u64().unwrap());
                // The tag group of the completing fragment agrees on the size; libais
                // reports the first fragment's position.
                assert_eq!(u64::from(group.unwrap().count), g["groupsize"].as_u64().unwrap());
                assert_eq!(g["sentence"].as_u64(), Some(1));
            }
            None => assert_eq!(message.group_id, None),
        }
        compared += 1;
    }
    assert_eq!(compared, 4);
    assert!(reassembler.drain_incomplete().is_empty());
}
