//! `positions` and `history` against brute force over the same rows, with small segments and
//! row groups so day, file and row-group pruning, the bloom filter and the early stop on
//! `limit` are all in play, and some rows still staged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::OnceLock;

use common::*;
use kuroshio_archive::{Archive, BBox, PositionRow, TimeRange};
use kuroshio_model::{Icao24, Mmsi, SourceId, TargetId};
use proptest::prelude::*;

const ROWS: u64 = 6_000;
/// Three UTC days.
const SPAN_NS: i64 = 3 * 86_400_000_000_000;

/// Pseudo-random rows (a fixed LCG, so the store is built once for all cases) over three days
/// and the Taiwan region, with a few targets reported often.
fn rows() -> Vec<PositionRow> {
    let mut s: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        s >> 11
    };
    (0..ROWS)
        .map(|_| {
            let k = next() % 40;
            let target = match k % 3 {
                0 => TargetId::Vessel(Mmsi::new(416_000_000 + k as u32).unwrap()),
                1 => TargetId::Aircraft(Icao24::new(0x89_9000 + k as u32).unwrap()),
                _ => TargetId::Local(format!("追蹤-{k}")),
            };
            PositionRow {
                time: ts(DAY0_NS + (next() % SPAN_NS as u64) as i64),
                target,
                source: SourceId::parse("test").unwrap(),
                lon: 116.0 + (next() % 10_000) as f64 / 1_000.0,
                lat: 20.0 + (next() % 8_000) as f64 / 1_000.0,
                speed_knots: (next() % 2 == 0).then_some(11.5),
                course_deg: None,
                heading_deg: Some(90.0),
                altitude_ft: None,
            }
        })
        .collect()
}

struct Fixture {
    archive: Archive,
    rows: Vec<PositionRow>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = fresh_dir("queries");
        let rows = rows();
        let mut archive = Archive::open(&dir, small(1_000, 64), None).unwrap();
        fill(&mut archive, &rows, 170);
        assert!(archive.len() == ROWS);
        Fixture { archive, rows }
    })
}

fn range(from: i64, len: i64) -> TimeRange {
    TimeRange::new(ts(DAY0_NS + from), ts(DAY0_NS + from + len)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn positions_match_brute_force(
        x in 115.0..126.0f64, w in 0.0..6.0f64, y in 19.0..28.0f64, h in 0.0..5.0f64,
        from in -3_600_000_000_000i64..SPAN_NS, len in 0i64..SPAN_NS,
        limit in prop_oneof![1usize..50, Just(usize::MAX)],
    ) {
        let f = fixture();
        let bbox = BBox::new(x, y, (x + w).min(180.0), (y + h).min(90.0)).unwrap();
        let r = range(from, len);
        let mut want: Vec<PositionRow> = f
            .rows
            .iter()
            .filter(|p| r.contains(p.time) && bbox.contains(p.lon, p.lat))
            .cloned()
            .collect();
        sort_rows(&mut want);
        want.truncate(limit);
        let got = f.archive.positions(&bbox, &r, limit).unwrap();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn history_matches_brute_force(
        k in 0usize..45,
        from in -3_600_000_000_000i64..SPAN_NS, len in 0i64..SPAN_NS,
        limit in prop_oneof![1usize..50, Just(usize::MAX)],
    ) {
        let f = fixture();
        let target = match f.rows.get(k) {
            Some(r) if k < 40 => r.target.clone(),
            _ => TargetId::Local(format!("absent-{k}")),
        };
        let r = range(from, len);
        let mut want: Vec<PositionRow> = f
            .rows
            .iter()
            .filter(|p| r.contains(p.time) && p.target == target)
            .cloned()
            .collect();
        sort_rows(&mut want);
        want.truncate(limit);
        let got = f.archive.history(&target, &r, limit).unwrap();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn the_fixture_exercises_pruning() {
    let f = fixture();
    // Several days, several files per day, and staged rows.
    for d in 4..=6 {
        assert!(f.archive.day_files(2026, 12, d).len() >= 3, "day {d}");
    }
    assert!(f.archive.mark().offset > 0, "some rows are still staged");
    // A small box returns fewer rows than the whole region: pruning has something to skip.
    let r = range(0, SPAN_NS);
    let small = f.archive.positions(&BBox::new(120.0, 22.0, 120.5, 22.5).unwrap(), &r, usize::MAX);
    assert!(small.unwrap().len() < ROWS as usize / 50);
}
