//! Recovery: torn tails, garbage, marks before the end, crashes during sealing, and opening
//! the same directory again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use kuroshio_archive::{Archive, ArchiveError, LogMark, PositionRow};

fn log_path(dir: &Path, segment: u64) -> PathBuf {
    dir.join("staging").join(format!("seg-{segment:08}.log"))
}

fn staged(n: u64, from: u64) -> Vec<PositionRow> {
    (from..from + n).map(row).collect()
}

#[test]
fn torn_tail_and_garbage_are_truncated() {
    let dir = fresh_dir("torn");
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    let m1 = a.append(&staged(10, 0)).unwrap();
    let m2 = a.append(&staged(10, 10)).unwrap();
    drop(a);
    let log = log_path(&dir, 0);
    let full = std::fs::read(&log).unwrap();
    assert_eq!(full.len() as u64, m2.offset);

    // A torn second frame, committed mark after the first: 10 rows, file cut back to m1.
    std::fs::write(&log, &full[..full.len() - 3]).unwrap();
    let a = Archive::open(&dir, small(1_000_000, 64), Some(m1)).unwrap();
    assert_eq!(a.len(), 10);
    assert_eq!(a.mark(), m1);
    assert_eq!(std::fs::metadata(&log).unwrap().len(), m1.offset);
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    drop(a);

    // Garbage appended after whole frames, mark at the end of the frames.
    let mut f = OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(&full[m1.offset as usize..]).unwrap();
    f.write_all(b"\x05\x00\x00\x00garbage that is not a frame").unwrap();
    drop(f);
    let a = Archive::open(&dir, small(1_000_000, 64), Some(m2)).unwrap();
    assert_eq!(a.len(), 20);
    assert_eq!(a.mark(), m2);
    let mut want = staged(20, 0);
    sort_rows(&mut want);
    assert_eq!(all_rows(&a), want);
    assert!(a.check().1.is_empty());
}

#[test]
fn bytes_after_the_committed_mark_are_discarded() {
    let dir = fresh_dir("mark_before_end");
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    let m1 = a.append(&staged(5, 0)).unwrap();
    a.append(&staged(7, 5)).unwrap();
    drop(a);
    let mut a = Archive::open(&dir, small(1_000_000, 64), Some(m1)).unwrap();
    assert_eq!(a.len(), 5);
    assert_eq!(a.mark(), m1);
    // Appending continues from the mark, and a reopen sees exactly what was committed.
    let m2 = a.append(&staged(3, 100)).unwrap();
    drop(a);
    let a = Archive::open(&dir, small(1_000_000, 64), Some(m2)).unwrap();
    let mut want = staged(5, 0);
    want.extend(staged(3, 100));
    sort_rows(&mut want);
    assert_eq!(all_rows(&a), want);
    // Nothing committed: nothing staged survives.
    drop(a);
    let a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    assert_eq!(a.len(), 0);
}

#[test]
fn rollback_undoes_appends() {
    let dir = fresh_dir("rollback");
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    let m1 = a.append(&staged(5, 0)).unwrap();
    a.append(&staged(5, 5)).unwrap();
    a.rollback(m1).unwrap();
    assert_eq!(a.len(), 5);
    assert!(matches!(
        a.rollback(LogMark { segment: m1.segment, offset: m1.offset + 1 }),
        Err(ArchiveError::BadMark { .. })
    ));
    let m2 = a.append(&staged(2, 50)).unwrap();
    drop(a);
    let a = Archive::open(&dir, small(1_000_000, 64), Some(m2)).unwrap();
    let mut want = staged(5, 0);
    want.extend(staged(2, 50));
    sort_rows(&mut want);
    assert_eq!(all_rows(&a), want);
}

/// A crash after the Parquet parts were written but before the manifest and the log removal:
/// simulated by copying the directory while the segment is still staged, then copying the
/// parts of the sealed result into it.
#[test]
fn crash_between_parquet_write_and_log_removal() {
    let opts = || small(1_000_000, 50);
    let dir = fresh_dir("crash_seal");
    let rows = staged(400, 0);
    let mut a = Archive::open(&dir, opts(), None).unwrap();
    let m = a.append(&rows).unwrap();
    let before = fresh_dir("crash_seal_before");
    copy_tree(&dir, &before);
    assert!(a.seal_if_full(true).unwrap());
    drop(a);

    let mut want = rows.clone();
    sort_rows(&mut want);

    // (1) Parts present, manifest missing, log present, owner's mark inside the segment: the
    // seal did not happen; the parts are leftovers and removed, the rows stay staged, and the
    // next seal writes the parts again.
    let crashed = fresh_dir("crash_seal_1");
    copy_tree(&before, &crashed);
    copy_tree(&dir.join("days"), &crashed.join("days"));
    let mut a = Archive::open(&crashed, opts(), Some(m)).unwrap();
    assert_eq!(a.len(), 400);
    assert_eq!(a.mark(), m);
    assert!(a.day_files(2026, 12, 4).is_empty());
    assert!(!crashed.join("days/2026-12-04/part-00000000.parquet").exists());
    assert_eq!(all_rows(&a), want);
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    assert!(a.seal_if_full(true).unwrap());
    let m_after = a.mark();
    drop(a);
    // Reopening is idempotent (same mark, same rows, nothing re-staged).
    for _ in 0..2 {
        let a = Archive::open(&crashed, opts(), Some(m_after)).unwrap();
        assert_eq!(a.len(), 400);
        assert_eq!(a.mark(), m_after);
        assert_eq!(all_rows(&a), want);
        assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    }

    // (1b) As (1), but the owner's mark is already past the segment (its log was committed in
    // full): the segment is sealed again at open, overwriting the parts.
    let crashed = fresh_dir("crash_seal_1b");
    copy_tree(&before, &crashed);
    copy_tree(&dir.join("days"), &crashed.join("days"));
    let next = LogMark { segment: m.segment + 1, offset: 0 };
    for _ in 0..2 {
        let a = Archive::open(&crashed, opts(), Some(next)).unwrap();
        assert_eq!(a.len(), 400);
        assert_eq!(a.mark(), next);
        assert_eq!(all_rows(&a), want);
        assert!(!log_path(&crashed, m.segment).exists());
        assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    }

    // (2) Parts and manifest present, log not yet removed: the log is dropped, not re-staged.
    let crashed = fresh_dir("crash_seal_2");
    copy_tree(&before, &crashed);
    copy_tree(&dir.join("days"), &crashed.join("days"));
    copy_tree(&dir.join("sealed"), &crashed.join("sealed"));
    for mark in [Some(m), Some(LogMark { segment: m.segment + 1, offset: 0 })] {
        let a = Archive::open(&crashed, opts(), mark).unwrap();
        assert_eq!(a.len(), 400, "{mark:?}");
        assert_eq!(a.mark(), LogMark { segment: m.segment + 1, offset: 0 });
        assert_eq!(all_rows(&a), want);
        assert!(!log_path(&crashed, m.segment).exists());
        assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    }

    // (3) A half-written temporary part: removed, the segment stays staged (not committed
    // past it, so the owner's mark is still inside it).
    let crashed = fresh_dir("crash_seal_3");
    copy_tree(&before, &crashed);
    let day = crashed.join("days/2026-12-04");
    std::fs::create_dir_all(&day).unwrap();
    std::fs::write(day.join("part-00000000.parquet.tmp"), b"PAR1 half").unwrap();
    let a = Archive::open(&crashed, opts(), Some(m)).unwrap();
    assert_eq!(a.len(), 400);
    assert_eq!(a.mark(), m);
    assert!(!day.join("part-00000000.parquet.tmp").exists());
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
}

#[test]
fn segments_after_the_committed_one_are_discarded() {
    let dir = fresh_dir("later_segments");
    let mut a = Archive::open(&dir, small(10, 8), None).unwrap();
    let m1 = a.append(&staged(10, 0)).unwrap();
    assert!(a.seal_if_full(false).unwrap());
    // Appended into segment 1 but never committed.
    a.append(&staged(4, 10)).unwrap();
    drop(a);
    let a = Archive::open(&dir, small(10, 8), Some(m1)).unwrap();
    assert_eq!(a.len(), 10);
    assert_eq!(a.mark(), LogMark { segment: 1, offset: 0 });
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
}

#[test]
fn lost_committed_rows_are_reported() {
    let dir = fresh_dir("lost_committed");
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    a.append(&staged(5, 0)).unwrap();
    let m = a.append(&staged(5, 5)).unwrap();
    drop(a);
    let log = log_path(&dir, 0);
    let bytes = std::fs::read(&log).unwrap();
    std::fs::write(&log, &bytes[..bytes.len() - 1]).unwrap();
    let a = Archive::open(&dir, small(1_000_000, 64), Some(m)).unwrap();
    assert_eq!(a.len(), 5);
    let (_, problems) = a.check();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("committed mark"), "{problems:?}");
}

#[test]
fn staging_refuses_rows_past_the_limit_until_sealed() {
    let dir = fresh_dir("staging_full");
    let mut a = Archive::open(&dir, small(10, 8), None).unwrap();
    a.append(&staged(12, 0)).unwrap();
    assert!(matches!(a.append(&staged(1, 12)), Err(ArchiveError::StagingFull { .. })));
    assert!(a.seal_if_full(false).unwrap());
    a.append(&staged(1, 12)).unwrap();
    assert_eq!(a.len(), 13);
    let mut bad = row(99);
    bad.lat = 91.0;
    let e = a.append(&[row(100), bad]).unwrap_err();
    assert!(matches!(e, ArchiveError::InvalidRow { index: 1, .. }), "{e}");
    assert_eq!(a.len(), 13, "a refused batch writes nothing");
}

#[test]
fn rollback_to_a_mark_in_a_segment_sealed_since() {
    let dir = fresh_dir("rollback_after_seal");
    let mut a = Archive::open(&dir, small(10, 8), None).unwrap();
    let committed = a.append(&staged(10, 0)).unwrap();
    assert!(a.seal_if_full(false).unwrap());
    a.append(&staged(3, 10)).unwrap();
    // The owner's commit of the new rows failed: back to its last committed mark.
    a.rollback(committed).unwrap();
    assert_eq!(a.mark(), LogMark { segment: committed.segment + 1, offset: 0 });
    assert_eq!(a.len(), 10);
    drop(a);
    let a = Archive::open(&dir, small(10, 8), Some(committed)).unwrap();
    assert_eq!(a.len(), 10);
}
