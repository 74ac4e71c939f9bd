//! Rows survive staging and sealing unchanged, whatever their fields.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use kuroshio_archive::{Archive, BBox, TimeRange};

#[test]
fn rows_round_trip_through_staging_and_sealing() {
    let dir = fresh_dir("round_trip");
    let rows: Vec<_> = (0..5_000).map(row).collect();
    let mut a = Archive::open(&dir, small(1_200, 100), None).unwrap();
    fill(&mut a, &rows, 333);
    assert!(!a.day_files(2026, 12, 4).is_empty(), "some segments were sealed");
    assert_eq!(a.len(), rows.len() as u64);
    let mut want = rows.clone();
    sort_rows(&mut want);
    assert_eq!(all_rows(&a), want);
    // The same after reopening at the committed mark.
    let m = a.mark();
    drop(a);
    let a = Archive::open(&dir, small(1_200, 100), Some(m)).unwrap();
    assert_eq!(a.len(), rows.len() as u64);
    assert_eq!(all_rows(&a), want);
    let (checked, problems) = a.check();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(checked.len() > 3);
}

#[test]
fn force_seal_then_history() {
    let dir = fresh_dir("force_seal");
    let rows: Vec<_> = (0..2_000).map(row).collect();
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    a.append(&rows).unwrap();
    let before = a.mark();
    assert!(a.seal_if_full(true).unwrap());
    assert_eq!(a.mark().segment, before.segment + 1);
    assert_eq!(a.mark().offset, 0);
    assert!(!a.seal_if_full(true).unwrap(), "an empty segment is not sealed");
    let target = rows[2].target.clone();
    let range = TimeRange::new(ts(i64::MIN), ts(i64::MAX)).unwrap();
    let got = a.history(&target, &range, usize::MAX).unwrap();
    let mut want: Vec<_> = rows.iter().filter(|r| r.target == target).cloned().collect();
    sort_rows(&mut want);
    assert!(!want.is_empty());
    assert_eq!(got, want);
    assert_eq!(a.positions(&BBox::WORLD, &range, 7).unwrap().len(), 7);
}
