//! Median-line crossings on real PLA aircraft tracks (twreporter PLA_Path_Database, MND daily
//! maps), counted by `Catalogue::crossings` and independently by shapely 2 / GEOS
//! (`scripts/check/median_crossings.py`, run in the repo's venv made by `scripts/setup-python`).
//!
//! Definitions compared, track by track (a track is one GeoJSON feature; features that are not
//! a LineString or MultiLineString have 0 crossings on both sides):
//! - here: the number of `Catalogue::crossings` hits on `tw_strait_median_line` over each pair of
//!   consecutive vertices of each part, as `tests/tracks.rs` counts them (half-open rule: a
//!   vertex exactly on the line is on its right side);
//! - shapely: the number of points in `intersection(track, median line)`. The script also counts
//!   `touches` (points that are a track vertex or a line end) and `overlaps` (collinear pieces,
//!   not counted as crossings).
//!
//! The two definitions differ only at exact touches: a track vertex on the line is one shapely
//! point but 0, 1 or 2 half-open crossings, and GEOS merges a track meeting the line twice at
//! the same coordinates. Known differences on this data:
//!
//! | file | tracks that differ | why |
//! |---|---|---|
//! | `Taiwan/20220801-20230915_fixed.geojson` | none (0) | no vertex lies exactly on the line (shapely: 0 touches, 0 overlaps) |
//! | `Taiwan/20230918-20240115.geojson`, `Taiwan/20240116-20240731_v2.geojson` | none (0) | as above |
//!
//! Without the venv (or without shapely in it) the test prints a `SKIPPED:` line, unless
//! `KUROSHIO_REQUIRE_PEERS` is set, then it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;

use kuroshio_zones::Catalogue;
use serde_json::Value;

/// The same features as `tests/tracks.rs`: MND tracks 2022-08..2023-09.
const MAIN_FILE: &str = "Taiwan/20220801-20230915_fixed.geojson";
/// The later combined files (2023-09..2024-07; after 2024-01-16 MND drew mostly boxes, which
/// count as 0 crossings on both sides).
const LATER_FILES: [&str; 2] =
    ["Taiwan/20230918-20240115.geojson", "Taiwan/20240116-20240731_v2.geojson"];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The venv interpreter when it exists and can import shapely; `None` after a skip line.
fn venv_python() -> Option<PathBuf> {
    let python = repo_root().join(".venv/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import shapely"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    assert!(
        std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_none(),
        "{} with shapely is required (KUROSHIO_REQUIRE_PEERS is set; run scripts/setup-python)",
        python.display()
    );
    eprintln!("SKIPPED: no venv with shapely at {} (run scripts/setup-python)", python.display());
    None
}

/// Runs the shapely script with `args` (track files relative to `data_dir`; none: its default)
/// and returns its JSON.
fn shapely_counts(python: &Path, data_dir: &Path, args: &[&str]) -> Value {
    let root = repo_root();
    let out = Command::new(python)
        .current_dir(&root)
        .arg("scripts/check/median_crossings.py")
        .arg("crates/zones/data/zones.geojson")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "script failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn parts(geom: &Value) -> Vec<Vec<(f64, f64)>> {
    let to_line = |v: &Value| -> Vec<(f64, f64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect()
    };
    match geom["type"].as_str() {
        Some("LineString") => vec![to_line(&geom["coordinates"])],
        Some("MultiLineString") => {
            geom["coordinates"].as_array().unwrap().iter().map(to_line).collect()
        }
        _ => Vec::new(),
    }
}

/// Per-track median-line crossing counts of the Rust API for one file, in feature order.
fn api_counts(c: &Catalogue, path: &Path) -> Vec<usize> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (median, _) = c.get("tw_strait_median_line").unwrap();
    let mut out = Vec::new();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut n = 0;
            for line in parts(&f["geometry"]) {
                for w in line.windows(2) {
                    out.clear();
                    c.crossings(w[0], w[1], &mut out);
                    n += out.iter().filter(|x| x.zone == median).count();
                }
            }
            n
        })
        .collect()
}

/// Runs the script with `args` after the data folder, then compares both sides track by track
/// on the files the script read; returns (tracks, crossing tracks, crossings) of the API after
/// checking that shapely's totals are the same.
fn compare(python: &Path, data_dir: &Path, args: &[&str]) -> (usize, usize, usize) {
    let c = Catalogue::builtin().unwrap();
    let theirs = shapely_counts(python, data_dir, args);
    let files: Vec<&str> =
        theirs["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let per_track = theirs["per_track"].as_array().unwrap();
    let mut ours = Vec::new();
    for f in &files {
        for (i, n) in api_counts(&c, &data_dir.join(f)).into_iter().enumerate() {
            ours.push((*f, i, n));
        }
    }
    assert_eq!(per_track.len(), ours.len(), "track count");
    let mut differ = Vec::new();
    for (t, &(file, index, n)) in per_track.iter().zip(&ours) {
        assert_eq!(t["file"], file);
        assert_eq!(t["index"].as_u64(), Some(index as u64));
        let s = t["crossings"].as_u64().unwrap() as usize;
        if s != n {
            differ.push(format!("{file}#{index} {}: shapely {s}, api {n}", t["id"]));
        }
    }
    // See the table at the top: no track differs, and shapely saw no exact touch or overlap
    // that could explain a difference.
    assert!(
        differ.is_empty(),
        "{} tracks differ, the first: {:#?}",
        differ.len(),
        differ.get(..differ.len().min(10))
    );
    assert_eq!(theirs["touches"].as_u64(), Some(0), "exact touches (shapely)");
    assert_eq!(theirs["overlaps"].as_u64(), Some(0), "collinear overlaps (shapely)");
    let tracks = ours.len();
    if args.is_empty() {
        assert_eq!(files, [MAIN_FILE], "the script's default files");
    }
    let crossing_tracks = ours.iter().filter(|o| o.2 > 0).count();
    let crossings: usize = ours.iter().map(|o| o.2).sum();
    assert_eq!(theirs["tracks"].as_u64(), Some(tracks as u64));
    assert_eq!(theirs["crossing_tracks"].as_u64(), Some(crossing_tracks as u64));
    assert_eq!(theirs["crossings"].as_u64(), Some(crossings as u64));
    println!(
        "median line, {} ({} {}): {crossing_tracks} of {tracks} tracks cross, {crossings} crossings, same per track",
        files.join(", "),
        theirs["shapely"].as_str().unwrap_or("?"),
        theirs["geos"].as_str().unwrap_or("?"),
    );
    (tracks, crossing_tracks, crossings)
}

/// The twreporter-pla-path folder, found through the main track file; `None` after a skip line.
fn data_dir() -> Option<PathBuf> {
    let file = kuroshio_testdata::path(&format!("twreporter-pla-path/{MAIN_FILE}"))?;
    Some(file.parent()?.parent()?.to_path_buf())
}

#[test]
fn median_line_crossings_agree_with_shapely_per_track() {
    let Some(dir) = data_dir() else { return };
    let Some(python) = venv_python() else { return };
    // The script's default file set is the one of tests/tracks.rs.
    let (tracks, crossing_tracks, crossings) = compare(&python, &dir, &[]);
    // derived-zones/SOURCE.md: "345 of 995 MND track features (2022-08..2023-09) cross the
    // median line segment"; 750 crossings is what GEOS 3.14 (shapely 2.2) counts.
    assert_eq!((tracks, crossing_tracks, crossings), (995, 345, 750));
}

#[test]
fn later_tracks_median_line_crossings_agree_with_shapely_per_track() {
    let Some(dir) = data_dir() else { return };
    for f in LATER_FILES {
        if kuroshio_testdata::path(&format!("twreporter-pla-path/{f}")).is_none() {
            return;
        }
    }
    let Some(python) = venv_python() else { return };
    let (tracks, crossing_tracks, crossings) = compare(&python, &dir, &LATER_FILES);
    assert_eq!((tracks, crossing_tracks, crossings), (1349, 125, 246));
}
