//! Sealing on the background thread: rows of a segment being sealed stay queryable and
//! exportable, retention and `check` coordinate with the seal, and reopening after a drop or
//! with a mark from before the hand-over finds every committed row exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use kuroshio_archive::{Archive, ExportFormat, PositionRow};
use parquet::file::reader::{FileReader, SerializedFileReader};

/// Rows per segment: enough that encoding takes a while, so the seal is usually still running
/// when the assertions after the hand-over run (they hold either way).
const SEGMENT_ROWS: usize = 20_000;

fn rows(n: u64) -> Vec<PositionRow> {
    (0..n).map(row).collect()
}

fn sorted(mut rows: Vec<PositionRow>) -> Vec<PositionRow> {
    sort_rows(&mut rows);
    rows
}

/// Appends `rows` in batches without sealing; returns the archive with its segment full.
fn full_segment(name: &str, rows: &[PositionRow]) -> (std::path::PathBuf, Archive) {
    let dir = fresh_dir(name);
    let mut a = Archive::open(&dir, small(SEGMENT_ROWS, 1_024), None).unwrap();
    for chunk in rows.chunks(2_500) {
        a.append(chunk).unwrap();
    }
    (dir, a)
}

#[test]
fn rows_being_sealed_are_queried_exactly_once() {
    let all = rows(SEGMENT_ROWS as u64 + 500);
    let (_dir, mut a) = full_segment("bg_query", &all[..SEGMENT_ROWS]);
    let before = a.mark();
    assert!(a.seal_if_full(false).unwrap());
    // Handed over: the next segment starts at once, the rows are still in memory.
    assert!(a.is_sealing());
    assert_eq!(a.mark().segment, before.segment + 1);
    assert_eq!(a.mark().offset, 0);
    a.append(&all[SEGMENT_ROWS..]).unwrap();
    assert_eq!(a.len(), all.len() as u64);
    assert_eq!(all_rows(&a), sorted(all.clone()));
    let target = all[3].target.clone();
    let range = kuroshio_archive::TimeRange::new(ts(i64::MIN), ts(i64::MAX)).unwrap();
    let history = a.history(&target, &range, usize::MAX).unwrap();
    assert_eq!(history.len(), all.iter().filter(|r| r.target == target).count());
    let (_, problems) = a.check();
    assert!(problems.is_empty(), "{problems:?}");

    a.wait_sealed().unwrap();
    assert!(!a.is_sealing());
    assert!(!a.day_files(2026, 12, 4).is_empty());
    assert_eq!(a.len(), all.len() as u64);
    assert_eq!(all_rows(&a), sorted(all.clone()));
    assert_eq!(a.history(&target, &range, usize::MAX).unwrap(), history);
    let (_, problems) = a.check();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn export_mixes_sealed_sealing_and_staged_rows() {
    let all = rows(2 * SEGMENT_ROWS as u64 + 700);
    let (dir, mut a) = full_segment("bg_export", &all[..SEGMENT_ROWS]);
    assert!(a.seal_if_full(true).unwrap());
    for chunk in all[SEGMENT_ROWS..2 * SEGMENT_ROWS].chunks(2_500) {
        a.append(chunk).unwrap();
    }
    assert!(a.seal_if_full(false).unwrap());
    a.append(&all[2 * SEGMENT_ROWS..]).unwrap();
    // One segment sealed, one being sealed, some rows staged: all three in one file.
    let day = |r: &PositionRow| r.time.to_civil().2 == 4;
    let want = all.iter().filter(|r| day(r)).count() as u64;
    let path = dir.join("export.parquet");
    let mut f = std::fs::File::create(&path).unwrap();
    assert_eq!(a.export_day(2026, 12, 4, ExportFormat::GeoParquet, &mut f).unwrap(), want);
    drop(f);
    let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows() as u64, want);
    let mut csv = Vec::new();
    assert_eq!(a.export_day(2026, 12, 4, ExportFormat::Csv, &mut csv).unwrap(), want);
    assert_eq!(String::from_utf8(csv).unwrap().lines().count() as u64, want + 1);
}

#[test]
fn retention_waits_for_the_seal() {
    let all = rows(SEGMENT_ROWS as u64);
    let (_dir, mut a) = full_segment("bg_retention", &all);
    assert!(a.seal_if_full(false).unwrap());
    // 2026-12-05T00:00Z: the rows of 4 December go, whether sealed or not.
    let cut = ts(DAY0_NS + 86_400_000_000_000);
    let removed = a.drop_before(cut).unwrap();
    assert!(!a.is_sealing());
    let kept: Vec<PositionRow> = all.iter().filter(|r| r.time >= cut).cloned().collect();
    assert_eq!(removed, (all.len() - kept.len()) as u64);
    assert!(removed > 0 && !kept.is_empty());
    assert_eq!(all_rows(&a), sorted(kept));
    assert!(a.day_files(2026, 12, 4).is_empty());
    let (_, problems) = a.check();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn dropping_waits_and_reopening_finds_every_row_once() {
    let all = rows(SEGMENT_ROWS as u64 + 300);
    let (dir, mut a) = full_segment("bg_drop", &all[..SEGMENT_ROWS]);
    // The owner committed the mark at the end of the full segment, then handed it over.
    let committed = a.mark();
    assert!(a.seal_if_full(false).unwrap());
    // Appended after the hand-over but never committed: gone after reopening.
    a.append(&all[SEGMENT_ROWS..]).unwrap();
    drop(a);
    let a = Archive::open(&dir, small(SEGMENT_ROWS, 1_024), Some(committed)).unwrap();
    assert!(!a.is_sealing());
    assert_eq!(a.mark().segment, committed.segment + 1);
    assert_eq!(a.len(), SEGMENT_ROWS as u64);
    assert_eq!(all_rows(&a), sorted(all[..SEGMENT_ROWS].to_vec()));
    let (_, problems) = a.check();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_seal_cut_short_is_redone_on_open() {
    // The state a crash during a background seal leaves behind: the segment's log and part
    // of its files, no manifest, and a committed mark in the next segment.
    let all = rows(SEGMENT_ROWS as u64 + 300);
    let (dir, mut a) = full_segment("bg_cut_short", &all[..SEGMENT_ROWS]);
    let log = dir.join("staging").join("seg-00000000.log");
    let saved = std::fs::read(&log).unwrap();
    assert!(a.seal_if_full(false).unwrap());
    let committed = a.append(&all[SEGMENT_ROWS..]).unwrap();
    a.wait_sealed().unwrap();
    drop(a);
    std::fs::remove_file(dir.join("sealed").join("seg-00000000.json")).unwrap();
    std::fs::write(&log, saved).unwrap();
    let part = std::fs::read_dir(dir.join("days"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .next()
        .unwrap();
    let bytes = std::fs::read(&part).unwrap();
    std::fs::write(&part, &bytes[..bytes.len() / 2]).unwrap();

    let a = Archive::open(&dir, small(SEGMENT_ROWS, 1_024), Some(committed)).unwrap();
    assert_eq!(a.mark(), committed);
    assert_eq!(a.len(), all.len() as u64);
    assert_eq!(all_rows(&a), sorted(all));
    let (_, problems) = a.check();
    assert!(problems.is_empty(), "{problems:?}");
}
