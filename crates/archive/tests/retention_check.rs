//! Retention (`drop_before`, deleting or moving) and `check` finding damaged files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs::OpenOptions;
use std::io::Write;

use common::*;
use kuroshio_archive::{Archive, ArchiveOptions, ExportFormat, PositionRow};

const DAY_NS: i64 = 86_400_000_000_000;

fn day_rows(n: u64) -> Vec<PositionRow> {
    // Rows over three days: 2026-12-04, -05, -06.
    (0..n)
        .map(|i| {
            let mut r = row(i);
            r.time = ts(DAY0_NS + (i as i64 * 3 * DAY_NS) / n as i64);
            r
        })
        .collect()
}

fn check_drop(opts: ArchiveOptions, name: &str) -> (Archive, std::path::PathBuf) {
    let dir = fresh_dir(name);
    let rows = day_rows(3_000);
    let mut a = Archive::open(&dir, opts.clone(), None).unwrap();
    // Seal the first 2,400 rows (days 4, 5 and part of 6, in two segments); 602 stay staged.
    fill(&mut a, &rows[..2_400], 200);
    a.append(&rows[2_400..]).unwrap();
    // Two staged rows from the past (late data).
    let mut late = vec![row(1), row(2)];
    late[0].time = ts(DAY0_NS + 10);
    late[1].time = ts(DAY0_NS + DAY_NS + 10);
    let m = a.append(&late).unwrap();
    let total = a.len();
    assert_eq!(total, 3_002);

    // Keep from 2026-12-05T12:00Z: day 4 goes, day 5 stays (whole days only), as does the
    // staged late row of day 5 at 00:00 (it is before the cutoff: staged rows go by time).
    let cutoff = ts(DAY0_NS + DAY_NS + DAY_NS / 2);
    let removed = a.drop_before(cutoff).unwrap();
    let day4_sealed =
        rows[..2_400].iter().filter(|r| r.time.unix_nanos() < DAY0_NS + DAY_NS).count();
    assert_eq!(removed, day4_sealed as u64 + 2);
    assert_eq!(a.len(), total - removed);
    assert!(a.day_files(2026, 12, 4).is_empty());
    assert!(!a.day_files(2026, 12, 5).is_empty());
    assert!(!dir.join("days/2026-12-04").exists());
    let remaining = all_rows(&a);
    assert!(remaining.iter().all(|r| r.time.unix_nanos() >= DAY0_NS + DAY_NS));
    assert_eq!(remaining.len() as u64, a.len());
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    // Survives a reopen (the staged rows stay dropped) and a later seal.
    drop(a);
    let mut a = Archive::open(&dir, opts.clone(), Some(m)).unwrap();
    assert_eq!(a.len(), total - removed);
    assert!(a.seal_if_full(true).unwrap());
    let m2 = a.mark();
    drop(a);
    let a = Archive::open(&dir, opts, Some(m2)).unwrap();
    assert_eq!(a.len(), total - removed);
    assert_eq!(all_rows(&a), remaining);
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    (a, dir)
}

#[test]
fn drop_before_deletes_whole_days_and_old_staged_rows() {
    check_drop(small(1_100, 64), "retention_delete");
}

#[test]
fn drop_before_moves_days_when_asked() {
    let to = fresh_dir("retention_moved_to");
    let mut opts = small(1_100, 64);
    opts.retention_move_to = Some(to.clone());
    check_drop(opts, "retention_move");
    let moved: Vec<_> = std::fs::read_dir(to.join("days/2026-12-04"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(moved.iter().any(|n| n.starts_with("part-")), "{moved:?}");
    assert!(moved.iter().any(|n| n.starts_with("staged-")), "{moved:?}");
}

#[test]
fn check_finds_a_truncated_parquet_file() {
    let dir = fresh_dir("check_truncated");
    let mut a = Archive::open(&dir, small(500, 64), None).unwrap();
    fill(&mut a, &(0..1_200).map(row).collect::<Vec<_>>(), 100);
    assert!(a.check().1.is_empty(), "{:?}", a.check().1);
    let f = a.day_files(2026, 12, 4)[0].clone();
    let len = std::fs::metadata(&f).unwrap().len();
    OpenOptions::new().write(true).open(&f).unwrap().set_len(len - 100).unwrap();
    let (checked, problems) = a.check();
    assert!(checked.iter().any(|c| c == &f.display().to_string()));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains(&f.display().to_string()), "{problems:?}");
}

#[test]
fn check_finds_a_flipped_byte_in_the_log() {
    let dir = fresh_dir("check_flipped");
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    a.append(&(0..50).map(row).collect::<Vec<_>>()).unwrap();
    a.append(&(50..60).map(row).collect::<Vec<_>>()).unwrap();
    assert!(a.check().1.is_empty());
    let log = dir.join("staging/seg-00000000.log");
    let mut bytes = std::fs::read(&log).unwrap();
    bytes[100] ^= 0x01;
    std::fs::write(&log, &bytes).unwrap();
    let (_, problems) = a.check();
    assert!(problems.iter().any(|p| p.contains("checksum mismatch")), "{problems:?}");
}

#[test]
fn check_finds_garbage_after_the_log() {
    let dir = fresh_dir("check_garbage");
    let mut a = Archive::open(&dir, small(1_000_000, 64), None).unwrap();
    a.append(&(0..5).map(row).collect::<Vec<_>>()).unwrap();
    let log = dir.join("staging/seg-00000000.log");
    OpenOptions::new().append(true).open(&log).unwrap().write_all(b"xyz").unwrap();
    let (_, problems) = a.check();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("torn frame header"), "{problems:?}");
}

#[test]
fn text_exports_hold_every_row_of_the_day() {
    let dir = fresh_dir("export_text");
    let rows = day_rows(900);
    let mut a = Archive::open(&dir, small(400, 64), None).unwrap();
    fill(&mut a, &rows, 100);
    let day5: Vec<&PositionRow> = rows.iter().filter(|r| r.time.to_civil().2 == 5).collect();

    let mut csv = Vec::new();
    let n = a.export_day(2026, 12, 5, ExportFormat::Csv, &mut csv).unwrap();
    assert_eq!(n, day5.len() as u64);
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("time,target,source,lon,lat,speed_knots,course_deg,heading_deg,altitude_ft")
    );
    assert_eq!(lines.count(), day5.len());
    assert!(csv.contains("\"local:TW,\"\"quoted\"\" "), "quoted local ids");

    let mut json = Vec::new();
    let n = a.export_day(2026, 12, 5, ExportFormat::GeoJson, &mut json).unwrap();
    assert_eq!(n, day5.len() as u64);
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), day5.len());
    let mut got: Vec<(String, String, f64, f64)> = features
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                f["properties"]["time"].as_str().unwrap().to_owned(),
                f["properties"]["target"].as_str().unwrap().to_owned(),
                c[0].as_f64().unwrap(),
                c[1].as_f64().unwrap(),
            )
        })
        .collect();
    let mut want: Vec<(String, String, f64, f64)> = day5
        .iter()
        .map(|r| (r.time.to_string(), kuroshio_archive::target_key(&r.target), r.lon, r.lat))
        .collect();
    let by = |a: &(String, String, f64, f64), b: &(String, String, f64, f64)| {
        a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2))
    };
    got.sort_by(by);
    want.sort_by(by);
    assert_eq!(got, want);

    // A day without rows, and a day that does not exist.
    let mut empty = Vec::new();
    assert_eq!(a.export_day(2026, 11, 5, ExportFormat::GeoJson, &mut empty).unwrap(), 0);
    assert!(a.export_day(2026, 2, 30, ExportFormat::Csv, &mut empty).is_err());
}
