//! `kuroshio zones`: the catalogue listed and exported, with user zones merged in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn kuroshio(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

#[test]
fn exports_the_catalogue_as_geojson_with_provenance() {
    let out = kuroshio(&["zones", "--geojson"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    let median = features
        .iter()
        .find(|f| f["properties"]["id"] == "tw_strait_median_line")
        .expect("median line in the catalogue");
    // The endpoints as the ROC MND defines them: 27°N 122°E and 23°N 118°E.
    let coords = median["geometry"]["coordinates"].as_array().unwrap();
    let ends: Vec<(f64, f64)> = [&coords[0], &coords[coords.len() - 1]]
        .iter()
        .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
        .collect();
    assert!(ends.contains(&(122.0, 27.0)) && ends.contains(&(118.0, 23.0)), "{ends:?}");
    for f in features {
        let p = &f["properties"];
        for key in ["id", "kind", "status", "source", "name_en", "name_ja", "name_zh_hant"] {
            assert!(p[key].as_str().is_some_and(|s| !s.is_empty()), "{key} missing in {p}");
        }
    }
}

#[test]
fn user_zones_are_added_without_rebuilding() {
    let dir = std::env::temp_dir().join(format!("kuroshio-zones-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("exercise.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature",
        "properties":{"id":"exercise_area_test","kind":"area","status":"official",
        "source":"announced navigation warning (test)","name_en":"Test exercise area",
        "name_ja":"演習区域（試験）","name_zh_hant":"演習區（測試）"},
        "geometry":{"type":"Polygon","coordinates":[[[121.0,22.0],[122.0,22.0],[122.0,23.0],[121.0,23.0],[121.0,22.0]]]}}]}"#,
    )
    .unwrap();
    let out = kuroshio(&["zones", "--zones", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.contains("exercise_area_test"), "{listing}");
    assert!(listing.contains("tw_strait_median_line"));
    std::fs::write(&file, "{not geojson").unwrap();
    let out = kuroshio(&["zones", "--zones", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exercise.geojson"));
    std::fs::remove_dir_all(&dir).unwrap();
}
