//! Sealed and exported GeoParquet files read by independent readers: pyarrow and GeoPandas
//! (`scripts/check/geoparquet_read.py`, run in the repo's venv made by `scripts/setup-python`).
//! Every row must come back with the same values, the `geo` metadata must be GeoParquet
//! 1.1.0 with the bbox covering, and GeoPandas must see the points at (lon, lat).
//!
//! Without the venv (or without pyarrow and geopandas in it) the test prints a `SKIPPED:`
//! line, unless `KUROSHIO_REQUIRE_PEERS` is set, then it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use kuroshio_archive::{Archive, ExportFormat, PositionRow, target_key};
use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The venv interpreter when it exists and can import pyarrow and geopandas; `None` after a
/// skip line.
fn venv_python() -> Option<PathBuf> {
    let python = repo_root().join(".venv/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import pyarrow, geopandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_none(),
        "{} with pyarrow and geopandas is required (KUROSHIO_REQUIRE_PEERS is set; run \
         scripts/setup-python)",
        python.display()
    );
    eprintln!(
        "SKIPPED: no venv with pyarrow and geopandas at {} (run scripts/setup-python)",
        python.display()
    );
    None
}

fn read_with_python(python: &Path, file: &Path) -> Value {
    let out = Command::new(python)
        .current_dir(repo_root())
        .arg("scripts/check/geoparquet_read.py")
        .arg(file)
        .arg("all")
        .output()
        .unwrap();
    assert!(out.status.success(), "script failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn opt(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Compares the script's rows with `want` (as a multiset: file order is the archive's own).
fn compare(got: &Value, want: &[PositionRow]) {
    assert_eq!(got["rows"].as_u64().unwrap(), want.len() as u64);
    let geo = &got["geo"];
    assert_eq!(geo["version"], "1.1.0");
    assert_eq!(geo["primary_column"], "geometry");
    let col = &geo["columns"]["geometry"];
    assert_eq!(col["encoding"], "WKB");
    assert_eq!(col["geometry_types"], serde_json::json!(["Point"]));
    assert!(col.get("crs").is_none(), "crs omitted: OGC:CRS84");
    assert_eq!(col["covering"]["bbox"]["xmin"], serde_json::json!(["bbox", "xmin"]));
    assert_eq!(col["covering"]["bbox"]["ymax"], serde_json::json!(["bbox", "ymax"]));
    let crs = got["crs"].as_str().unwrap_or_default();
    assert!(crs.contains("CRS84") || crs.contains("4326"), "crs {crs}");

    let mut sample: Vec<Value> = got["sample"].as_array().unwrap().clone();
    assert_eq!(sample.len(), want.len());
    let key = |t: i64, target: &str, lon: f64, lat: f64| {
        (t, target.to_owned(), lon.to_bits(), lat.to_bits())
    };
    sample.sort_by_key(|s| {
        key(
            s["time"].as_i64().unwrap(),
            s["target"].as_str().unwrap(),
            s["lon"].as_f64().unwrap(),
            s["lat"].as_f64().unwrap(),
        )
    });
    let mut want = want.to_vec();
    want.sort_by_key(|r| key(r.time.unix_nanos(), &target_key(&r.target), r.lon, r.lat));
    let (mut xmin, mut ymin, mut xmax, mut ymax) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (s, w) in sample.iter().zip(&want) {
        assert_eq!(s["time"].as_i64().unwrap(), w.time.unix_nanos());
        assert_eq!(s["target"].as_str().unwrap(), target_key(&w.target));
        assert_eq!(s["source"].as_str().unwrap(), w.source.as_str());
        assert_eq!(s["lon"].as_f64().unwrap(), w.lon);
        assert_eq!(s["lat"].as_f64().unwrap(), w.lat);
        assert_eq!(s["x"].as_f64().unwrap(), w.lon, "geometry x is lon");
        assert_eq!(s["y"].as_f64().unwrap(), w.lat, "geometry y is lat");
        assert_eq!(opt(&s["speed_knots"]), w.speed_knots);
        assert_eq!(opt(&s["course_deg"]), w.course_deg);
        assert_eq!(opt(&s["heading_deg"]), w.heading_deg);
        assert_eq!(opt(&s["altitude_ft"]), w.altitude_ft);
        let b = &s["bbox"];
        assert_eq!(
            [b["xmin"].as_f64(), b["ymin"].as_f64(), b["xmax"].as_f64(), b["ymax"].as_f64()],
            [Some(w.lon), Some(w.lat), Some(w.lon), Some(w.lat)]
        );
        xmin = xmin.min(w.lon);
        ymin = ymin.min(w.lat);
        xmax = xmax.max(w.lon);
        ymax = ymax.max(w.lat);
    }
    let total: Vec<f64> =
        got["bbox"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(total, vec![xmin, ymin, xmax, ymax]);
    let meta_bbox: Vec<f64> =
        col["bbox"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(meta_bbox, total, "metadata bbox is the rows' extent");
}

#[test]
fn sealed_and_exported_files_read_back_in_pyarrow_and_geopandas() {
    let Some(python) = venv_python() else { return };
    let dir = fresh_dir("peers");
    let rows: Vec<PositionRow> = (0..3_000).map(row).collect();
    let mut a = Archive::open(&dir, small(1_000, 128), None).unwrap();
    fill(&mut a, &rows, 250);
    let day = |r: &PositionRow| r.time.to_civil().2;

    // One sealed part.
    let files = a.day_files(2026, 12, 4);
    assert!(!files.is_empty());
    let got = read_with_python(&python, &files[0]);
    let n = got["rows"].as_u64().unwrap() as usize;
    assert!(n > 0);
    // The rows of that part: segment 0's rows of the day.
    let part0: Vec<PositionRow> = rows[..1_000].iter().filter(|r| day(r) == 4).cloned().collect();
    compare(&got, &part0);

    // The whole day exported as one file (sealed parts and staged rows).
    let tmp = dir.join("export-2026-12-04.parquet");
    let mut f = std::fs::File::create(&tmp).unwrap();
    let written = a.export_day(2026, 12, 4, ExportFormat::GeoParquet, &mut f).unwrap();
    drop(f);
    let day_rows: Vec<PositionRow> = rows.iter().filter(|r| day(r) == 4).cloned().collect();
    assert_eq!(written, day_rows.len() as u64);
    compare(&read_with_python(&python, &tmp), &day_rows);
}
