//! Shared helpers of the archive tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use kuroshio_archive::{Archive, ArchiveOptions, FsyncPolicy, LogMark, PositionRow};
use kuroshio_model::{Icao24, Mmsi, SourceId, TargetId, Timestamp};

/// A fresh, empty directory under the target dir's tmp (removed at the start, not the end,
/// so a failing test leaves its files to look at).
pub fn fresh_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("archive-tests").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Options for tests: small segments and row groups so sealing and pruning happen.
pub fn small(segment_rows_max: usize, row_group_rows: usize) -> ArchiveOptions {
    ArchiveOptions {
        fsync: FsyncPolicy::Never,
        segment_rows_max,
        row_group_rows,
        retention_move_to: None,
    }
}

/// 2026-12-04T00:00:00Z in ns.
pub const DAY0_NS: i64 = 1_796_342_400 * 1_000_000_000;

pub fn ts(ns: i64) -> Timestamp {
    Timestamp::from_unix_nanos(ns)
}

/// A deterministic row `i`, with all kinds of targets and None kinematics on some.
pub fn row(i: u64) -> PositionRow {
    let target = match i % 4 {
        0 => TargetId::Vessel(Mmsi::new(412_000_000 + (i % 97) as u32).unwrap()),
        1 => TargetId::Aircraft(Icao24::new(0x89_9000 + (i % 31) as u32).unwrap()),
        2 => TargetId::Local(format!("臺灣-雷達-{}", i % 13)),
        _ => TargetId::Local(format!("TW,\"quoted\" {}", i % 5)),
    };
    let has = |k: u64| (i / 4 + k) % 3 != 0;
    PositionRow {
        time: ts(DAY0_NS + (i as i64) * 7_123_456_789 % (2 * 86_400_000_000_000)),
        target,
        source: SourceId::parse(if i % 2 == 0 { "ais-kaohsiung" } else { "sbs-naha" }).unwrap(),
        lon: 118.0 + (i as f64 * 0.618_033_988_75) % 6.0,
        lat: 21.0 + (i as f64 * 0.414_213_562_37) % 6.0,
        speed_knots: has(0).then_some((i % 300) as f64 / 10.0),
        course_deg: has(1).then_some((i % 3600) as f64 / 10.0),
        heading_deg: has(2).then_some((i % 360) as f64),
        altitude_ft: (i % 4 == 1).then_some((i % 400) as f64 * 100.0),
    }
}

/// Opens, appends `rows` in batches of `batch`, sealing when full, as the store does.
pub fn fill(a: &mut Archive, rows: &[PositionRow], batch: usize) -> LogMark {
    let mut m = a.mark();
    for chunk in rows.chunks(batch) {
        m = a.append(chunk).unwrap();
        a.seal_if_full(false).unwrap();
    }
    m
}

/// Sorts rows the way `positions` orders them.
pub fn sort_rows(rows: &mut [PositionRow]) {
    rows.sort_by(|a, b| {
        a.time.cmp(&b.time).then_with(|| {
            kuroshio_archive::target_key(&a.target).cmp(&kuroshio_archive::target_key(&b.target))
        })
    });
}

/// Copies a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// All rows of an archive (every day, all time), in query order.
pub fn all_rows(a: &Archive) -> Vec<PositionRow> {
    let range = kuroshio_archive::TimeRange::new(ts(i64::MIN), ts(i64::MAX)).unwrap();
    a.positions(&kuroshio_archive::BBox::WORLD, &range, usize::MAX).unwrap()
}
