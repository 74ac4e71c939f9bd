//! Built-in catalogue: metadata, geometry, known points, distance limits checked with
//! GeographicLib, crossing rules, user zones and export round trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use kuroshio_zones::{Catalogue, Crossing, Direction, Geometry, ZoneError, ZoneKind, ZoneStatus};
use serde_json::Value;

const NM_M: f64 = 1852.0;

fn cat() -> Catalogue {
    Catalogue::builtin().unwrap()
}

fn containing(c: &Catalogue, lon: f64, lat: f64) -> Vec<String> {
    let mut out = Vec::new();
    c.areas_containing(lon, lat, &mut out);
    out.iter().map(|i| c.zone(*i).unwrap().meta.id.clone()).collect()
}

fn crossings_of(c: &Catalogue, id: &str, from: (f64, f64), to: (f64, f64)) -> Vec<Crossing> {
    let (idx, _) = c.get(id).unwrap();
    let mut out = Vec::new();
    c.crossings(from, to, &mut out);
    out.into_iter().filter(|x| x.zone == idx).collect()
}

#[test]
fn every_builtin_zone_has_metadata_and_valid_geometry() {
    let c = cat();
    let expected = [
        "tw_strait_median_line",
        "roc_adiz",
        "roc_adiz_east_of_median_line",
        "prc_ecs_adiz",
        "prc_ecs_adiz_outer_line",
        "jadiz_outer_line_pts_1_7",
        "prc_2012_baselines_senkaku_diaoyu_group",
        "prc_2012_baselines_taisho_chiwei",
        "gate_miyako",
        "gate_yonaguni_taiwan",
        "gate_yonaguni_iriomote",
        "gate_bashi",
        "gate_osumi",
        "gate_tsushima_east",
        "gate_tsushima_west",
        "gate_tsugaru",
        "gate_soya",
        "gate_tokara",
        "fir_taipei",
        "fir_fukuoka_oceanic",
    ];
    for id in expected {
        assert!(c.get(id).is_some(), "{id} missing");
    }
    for island in [
        "taiwan",
        "penghu",
        "kinmen",
        "matsu",
        "yonaguni",
        "iriomote",
        "ishigaki",
        "miyako",
        "okinawa",
        "senkaku_diaoyu",
    ] {
        for nm in [12, 24] {
            assert!(c.get(&format!("{island}_{nm}nm")).is_some(), "{island}_{nm}nm missing");
        }
    }
    assert_eq!(c.len(), expected.len() + 20);
    let mut ids = HashSet::new();
    for (_, z) in c.zones() {
        let m = &z.meta;
        assert!(ids.insert(m.id.clone()), "duplicate {}", m.id);
        for (name, v) in [
            ("name_en", &m.name_en),
            ("name_ja", &m.name_ja),
            ("name_zh_hant", &m.name_zh_hant),
            ("source", &m.source),
            ("note", &m.note),
            ("dir0", &m.direction_names[0]),
            ("dir1", &m.direction_names[1]),
        ] {
            assert!(!v.trim().is_empty(), "{} has empty {name}", m.id);
        }
        assert_ne!(m.direction_names[0], m.direction_names[1], "{}", m.id);
        assert!(m.id.is_ascii() && !m.id.contains(' '), "{}", m.id);
        match (&z.geometry, m.kind) {
            (Geometry::Lines(lines), ZoneKind::Line | ZoneKind::Gate) => {
                for l in lines {
                    assert!(l.len() >= 2);
                    assert!(l.windows(2).all(|w| w[0] != w[1]), "{}", m.id);
                }
            }
            (Geometry::Areas(polys), ZoneKind::Area) => {
                for p in polys {
                    for r in p {
                        assert!(r.len() >= 3, "{}", m.id);
                        // Non-zero signed area.
                        let a: f64 = (0..r.len())
                            .map(|i| {
                                let (p0, p1) = (r[i], r[(i + 1) % r.len()]);
                                p0[0] * p1[1] - p1[0] * p0[1]
                            })
                            .sum();
                        assert!(a.abs() > 1e-6, "{}", m.id);
                    }
                }
            }
            _ => panic!("{}: geometry does not fit kind", m.id),
        }
        for p in all_points(&z.geometry) {
            assert!((110.0..=170.0).contains(&p[0]) && (18.0..=52.0).contains(&p[1]), "{}", m.id);
        }
        // Contested features carry every party's name.
        if m.id.contains("senkaku") || m.id.contains("chiwei") {
            assert!(m.name_en.contains("Senkaku") && m.name_en.contains("Diaoyu"), "{}", m.id);
            assert!(m.name_ja.contains("尖閣") && m.name_ja.contains("釣魚"), "{}", m.id);
            assert!(m.name_zh_hant.contains("釣魚") && m.name_zh_hant.contains("尖閣"), "{}", m.id);
        }
        if m.id.starts_with("prc_2012") {
            assert_eq!(m.claim_of.as_deref(), Some("PRC"));
        }
    }
    assert_eq!(c.get("roc_adiz").unwrap().1.meta.status, ZoneStatus::Reconstructed);
    assert_eq!(c.get("tw_strait_median_line").unwrap().1.meta.status, ZoneStatus::Official);
    let total: usize = ["zones", "limits", "firs"]
        .iter()
        .map(|f| {
            std::fs::metadata(format!("{}/data/{f}.geojson", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .len() as usize
        })
        .sum();
    assert!(total < 500_000, "data files are {total} bytes");
}

fn all_points(g: &Geometry) -> Vec<[f64; 2]> {
    match g {
        Geometry::Lines(l) => l.iter().flatten().copied().collect(),
        Geometry::Areas(p) => p.iter().flatten().flatten().copied().collect(),
    }
}

#[test]
fn median_line_endpoints_are_the_official_ones() {
    let c = cat();
    let (_, z) = c.get("tw_strait_median_line").unwrap();
    // ROC MND 2019-07-30: 27°N 122°E to 23°N 118°E.
    assert_eq!(z.geometry, Geometry::Lines(vec![vec![[118.0, 23.0], [122.0, 27.0]]]));
}

#[test]
fn known_points() {
    let c = cat();
    let taipei = containing(&c, 121.56, 25.04);
    for id in
        ["roc_adiz", "roc_adiz_east_of_median_line", "fir_taipei", "taiwan_12nm", "taiwan_24nm"]
    {
        assert!(taipei.contains(&id.to_owned()), "Taipei not in {id}: {taipei:?}");
    }
    assert!(!taipei.contains(&"prc_ecs_adiz".to_owned()));
    let fuzhou = containing(&c, 119.30, 26.08);
    assert!(fuzhou.contains(&"roc_adiz".to_owned()));
    assert!(!fuzhou.contains(&"roc_adiz_east_of_median_line".to_owned()), "{fuzhou:?}");
    // Fuzhou → Taipei crosses the median line once, eastward (onto the Taiwan side).
    let x = crossings_of(&c, "tw_strait_median_line", (119.30, 26.08), (121.56, 25.04));
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].direction, Direction::LeftToRight);
    let (idx, _) = c.get("tw_strait_median_line").unwrap();
    assert!(c.direction_name(idx, x[0].direction).starts_with("eastward"));
    let back = crossings_of(&c, "tw_strait_median_line", (121.56, 25.04), (119.30, 26.08));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].direction, Direction::RightToLeft);
    assert!(c.direction_name(idx, back[0].direction).starts_with("westward"));
    assert!((x[0].fraction + back[0].fraction - 1.0).abs() < 1e-12);
    // The hit lies on the line y - 23 = x - 118.
    assert!((x[0].point[1] - 23.0 - (x[0].point[0] - 118.0)).abs() < 1e-9);
    // Naha is in the PRC ECS ADIZ? No: 26.2N 127.7E lies east of the 125E-128.3E outer points.
    assert!(containing(&c, 127.68, 26.21).contains(&"okinawa_12nm".to_owned()));
    // Uotsuri-jima / Diaoyu Dao lies in the PRC ECS ADIZ and the Senkaku / Diaoyu 12 nm limit.
    let uotsuri = containing(&c, 123.473, 25.743);
    assert!(uotsuri.contains(&"prc_ecs_adiz".to_owned()));
    assert!(uotsuri.contains(&"senkaku_diaoyu_12nm".to_owned()));
}

/// Reference parts of a limit zone, read from the data file written by the generator.
fn reference_parts(id: &str) -> Vec<Vec<[f64; 2]>> {
    let v: Value = serde_json::from_str(include_str!("../data/limits.geojson")).unwrap();
    let f = v["features"].as_array().unwrap().iter().find(|f| f["properties"]["id"] == id).unwrap();
    serde_json::from_value(f["properties"]["reference_parts"].clone()).unwrap()
}

/// Points every ~100 m along each outline (closed), or the point itself.
fn dense(g: &Geodesic, parts: &[Vec<[f64; 2]>]) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for part in parts {
        if part.len() == 1 {
            out.push(part[0]);
            continue;
        }
        for i in 0..part.len() {
            let (a, b) = (part[i], part[(i + 1) % part.len()]);
            let (s, az, _, _): (f64, f64, f64, f64) = g.inverse(a[1], a[0], b[1], b[0]);
            let k = (s / 100.0).ceil() as usize;
            for j in 0..k {
                let (lat, lon, _): (f64, f64, f64) =
                    g.direct(a[1], a[0], az, s * j as f64 / k as f64);
                out.push([lon, lat]);
            }
        }
    }
    out
}

fn nearest_m(g: &Geodesic, pts: &[[f64; 2]], p: [f64; 2]) -> f64 {
    let coslat = p[1].to_radians().cos();
    let approx = |q: &[f64; 2]| {
        let dx = (q[0] - p[0]) * 111_320.0 * coslat;
        let dy = (q[1] - p[1]) * 110_570.0;
        (dx * dx + dy * dy).sqrt()
    };
    let best_approx = pts.iter().map(approx).fold(f64::INFINITY, f64::min);
    pts.iter()
        .filter(|q| approx(q) < best_approx * 1.02 + 2000.0)
        .map(|q| {
            let s: f64 = g.inverse(p[1], p[0], q[1], q[0]);
            s
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn yonaguni_10_and_15_nm() {
    let c = cat();
    let g = Geodesic::wgs84();
    let parts = reference_parts("yonaguni_12nm");
    let pts = dense(&g, &parts);
    // West cape Irizaki, then due west.
    let cape = [122.934, 24.45];
    for (nm, in12, in24) in [(10.0, true, true), (15.0, false, true), (30.0, false, false)] {
        let (lat, lon, _): (f64, f64, f64) = g.direct(cape[1], cape[0], 270.0, nm * NM_M);
        let d = nearest_m(&g, &pts, [lon, lat]);
        assert!((d / NM_M - nm).abs() < 0.05, "{nm} nm point is {} nm off", d / NM_M);
        let ids = containing(&c, lon, lat);
        assert_eq!(ids.contains(&"yonaguni_12nm".to_owned()), in12, "{nm} nm: {ids:?}");
        assert_eq!(ids.contains(&"yonaguni_24nm".to_owned()), in24, "{nm} nm: {ids:?}");
    }
}

#[test]
fn limit_vertices_are_at_the_limit_distance() {
    let c = cat();
    let g = Geodesic::wgs84();
    for (_, z) in c.zones() {
        let id = &z.meta.id;
        let r_m = if id.ends_with("_12nm") {
            12.0 * NM_M
        } else if id.ends_with("_24nm") {
            24.0 * NM_M
        } else {
            continue;
        };
        let parts = reference_parts(id);
        let Geometry::Areas(polys) = &z.geometry else { panic!("{id}") };
        assert_eq!(polys.len(), parts.len());
        for (poly, part) in polys.iter().zip(&parts) {
            let pts = dense(&g, std::slice::from_ref(part));
            // Every 7th vertex keeps the test fast in debug builds.
            for v in poly[0].iter().step_by(7) {
                let d = nearest_m(&g, &pts, *v);
                assert!((d - r_m).abs() < 30.0, "{id}: vertex {v:?} at {d} m, limit {r_m} m");
            }
        }
    }
}

#[test]
fn crossing_rules_on_the_median_line() {
    let c = cat();
    let id = "tw_strait_median_line";
    // (120, 25) lies exactly on the line. Ending on it counts once; leaving to the far side
    // does not count again; coming back does.
    let a = (119.0, 25.5);
    let on = (120.0, 25.0);
    let b = (121.0, 24.5);
    let first = crossings_of(&c, id, a, on);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].fraction, 1.0);
    assert!(crossings_of(&c, id, on, b).is_empty());
    assert_eq!(crossings_of(&c, id, on, a).len(), 1);
    // Sliding along the line (grazing) never crosses.
    assert!(crossings_of(&c, id, (118.5, 23.5), (119.5, 24.5)).is_empty());
    // Past the official endpoints: no crossing.
    assert!(crossings_of(&c, id, (122.0, 28.0), (123.0, 27.5)).is_empty());
    assert!(crossings_of(&c, id, (117.0, 22.5), (118.0, 22.0)).is_empty());
    // Non-finite input: no answer, no panic.
    let mut ids = Vec::new();
    c.areas_containing(f64::NAN, 25.0, &mut ids);
    c.areas_containing(121.5, f64::INFINITY, &mut ids);
    assert!(ids.is_empty());
    let mut out = Vec::new();
    c.crossings((f64::NAN, 25.0), (121.0, 24.5), &mut out);
    c.crossings((119.0, 25.5), (f64::NAN, f64::NAN), &mut out);
    assert!(out.is_empty());
    // Zero length.
    let mut out = Vec::new();
    c.crossings(on, on, &mut out);
    c.crossings((121.56, 25.04), (121.56, 25.04), &mut out);
    assert!(out.is_empty());
}

const EXERCISE: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"exercise_box","name_en":"Announced exercise area","name_ja":"演習区域","name_zh_hant":"演習區域","kind":"area","status":"official","source":"test","note":"test box"},
 "geometry":{"type":"Polygon","coordinates":[[[122.0,23.0],[123.0,23.0],[123.0,24.0],[122.0,24.0],[122.0,23.0]]]}},
{"type":"Feature","properties":{"id":"roc_adiz","name_en":"override","name_ja":"x","name_zh_hant":"x","kind":"area","status":"approximate","source":"user","note":"user override"},
 "geometry":{"type":"Polygon","coordinates":[[[130.0,30.0],[131.0,30.0],[131.0,31.0],[130.0,30.0]]]}}
]}"#;

#[test]
fn user_zones_add_and_override() {
    let mut c = cat();
    let n = c.len();
    let (roc_idx, _) = c.get("roc_adiz").unwrap();
    c.merge(Catalogue::from_geojson(EXERCISE).unwrap());
    assert_eq!(c.len(), n + 1);
    let (idx, z) = c.get("roc_adiz").unwrap();
    assert_eq!(idx, roc_idx);
    assert_eq!(z.meta.note, "user override");
    assert!(!containing(&c, 121.56, 25.04).contains(&"roc_adiz".to_owned()));
    assert!(containing(&c, 122.5, 23.5).contains(&"exercise_box".to_owned()));
    // A segment entering and leaving the box: two crossings, in order.
    let x = crossings_of(&c, "exercise_box", (121.5, 23.5), (123.5, 23.6));
    assert_eq!(x.len(), 2);
    assert_eq!(x[0].direction, Direction::Enter);
    assert_eq!(x[1].direction, Direction::Exit);
    assert!((x[0].fraction - 0.25).abs() < 1e-12 && (x[1].fraction - 0.75).abs() < 1e-12);
    assert!((x[0].point[0] - 122.0).abs() < 1e-12);
    // Inside to inside: nothing; outside to inside: one entry.
    assert!(crossings_of(&c, "exercise_box", (122.2, 23.2), (122.8, 23.8)).is_empty());
    let x = crossings_of(&c, "exercise_box", (122.5, 22.5), (122.5, 23.5));
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].direction, Direction::Enter);
}

#[test]
fn bad_user_files_are_typed_errors() {
    assert!(matches!(Catalogue::from_geojson("{"), Err(ZoneError::Json(_))));
    assert!(matches!(
        Catalogue::from_geojson(r#"{"type":"Feature"}"#),
        Err(ZoneError::NotFeatureCollection)
    ));
    let missing = EXERCISE.replace(r#""name_ja":"演習区域","#, "");
    assert!(matches!(
        Catalogue::from_geojson(&missing),
        Err(ZoneError::MissingField { feature: 0, field: "name_ja" })
    ));
    let kind = EXERCISE
        .replace(r#""kind":"area","status":"official""#, r#""kind":"zone","status":"official""#);
    assert!(matches!(
        Catalogue::from_geojson(&kind),
        Err(ZoneError::BadValue { field: "kind", .. })
    ));
    let mismatch = EXERCISE
        .replace(r#""kind":"area","status":"official""#, r#""kind":"gate","status":"official""#);
    assert!(matches!(Catalogue::from_geojson(&mismatch), Err(ZoneError::BadGeometry { .. })));
    let dup = EXERCISE.replace(r#""id":"roc_adiz""#, r#""id":"exercise_box""#);
    assert!(matches!(Catalogue::from_geojson(&dup), Err(ZoneError::DuplicateId { .. })));
    let nan = EXERCISE.replace("[123.0,24.0]", "[123.0,94.0]");
    assert!(matches!(Catalogue::from_geojson(&nan), Err(ZoneError::BadGeometry { .. })));
}

#[test]
fn export_round_trips() {
    let c = cat();
    let text = c.to_geojson();
    let back = Catalogue::from_geojson(&text).unwrap();
    assert_eq!(back.len(), c.len());
    for ((_, a), (_, b)) in c.zones().zip(back.zones()) {
        assert_eq!(a, b);
    }
    let listing = c.listing();
    assert_eq!(listing.lines().count(), c.len());
    assert!(listing.contains("tw_strait_median_line") && listing.contains("claim_of=PRC"));
}
