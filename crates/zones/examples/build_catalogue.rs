//! Writes the built-in catalogue files `data/zones.geojson`, `data/limits.geojson` and
//! `data/firs.geojson` from the project's reference data (`shared/data/derived-zones`,
//! `shared/data/vatspy-fir-boundaries`) and the island reference points listed below.
//!
//! Run with `cargo run --release -p kuroshio-zones --example build_catalogue`. The library never
//! reads the shared data: it embeds the files this program writes.
//!
//! Distance limits: for each island part (a filled outline of coastline points, or a single
//! point) the program casts rays from the part's centre at fixed bearing steps and finds, by
//! geodesic (WGS84, GeographicLib) distances, the farthest point along the ray that is inside the
//! outline or within the limit of the densified outline. Each island is a MultiPolygon with one
//! part per island part; parts may overlap and containment is their union.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::fs;
use std::path::PathBuf;

use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use kuroshio_zones::geom::ring_contains;
use kuroshio_zones::{Catalogue, Geometry, Pt, Zone, ZoneKind, ZoneMeta, ZoneStatus};
use serde_json::Value;

/// International nautical mile in metres.
const NM_M: f64 = 1852.0;
/// Spacing of points along island outlines when measuring distance to them.
const DENSIFY_M: f64 = 1000.0;

fn round6(p: Pt) -> Pt {
    [(p[0] * 1e6).round() / 1e6, (p[1] * 1e6).round() / 1e6]
}

#[allow(clippy::too_many_arguments)]
fn meta(
    id: &str,
    en: &str,
    ja: &str,
    zh: &str,
    kind: ZoneKind,
    status: ZoneStatus,
    claim_of: Option<&str>,
    source: &str,
    note: &str,
    dirs: [&str; 2],
) -> ZoneMeta {
    ZoneMeta {
        id: id.into(),
        name_en: en.into(),
        name_ja: ja.into(),
        name_zh_hant: zh.into(),
        kind,
        status,
        claim_of: claim_of.map(Into::into),
        source: source.into(),
        note: note.into(),
        direction_names: [dirs[0].into(), dirs[1].into()],
    }
}

fn orient(a: Pt, b: Pt, p: Pt) -> f64 {
    (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
}

/// Orders `(toward_a, toward_b)` direction names as `[left→right, right→left]` given a sample
/// point on side A of the line's first edge.
fn dirs_for(line: &[Pt], sample_a: Pt, toward_a: &str, toward_b: &str) -> [String; 2] {
    let a_is_left = orient(line[0], line[1], sample_a) > 0.0;
    // Moving left→right ends on the right side.
    if a_is_left { [toward_b.into(), toward_a.into()] } else { [toward_a.into(), toward_b.into()] }
}

fn feature_by_id<'a>(fc: &'a Value, id: &str) -> &'a Value {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == id)
        .unwrap_or_else(|| panic!("feature {id} missing"))
}

fn coords_line(v: &Value) -> Vec<Pt> {
    v.as_array().unwrap().iter().map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()]).collect()
}

fn prop(f: &Value, k: &str) -> String {
    f["properties"][k].as_str().unwrap().to_owned()
}

/// Sutherland–Hodgman clip of a ring against the half-plane where `keep(p) >= 0` (linear).
fn clip_ring(ring: &[Pt], keep: impl Fn(Pt) -> f64) -> Vec<Pt> {
    let mut out = Vec::new();
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        let (ka, kb) = (keep(a), keep(b));
        if ka >= 0.0 {
            out.push(a);
        }
        if (ka >= 0.0) != (kb >= 0.0) {
            let t = ka / (ka - kb);
            out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
    }
    out
}

/// Gate table row: derived-zones id, catalogue id, names (en, ja, zh-Hant), a point on side A,
/// the direction name toward side A, the name toward side B.
type GateRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Pt,
    &'static str,
    &'static str,
);

struct Island {
    key: &'static str,
    en: &'static str,
    ja: &'static str,
    zh: &'static str,
    /// Parts: each a filled outline (3+ points) or a single point.
    parts: Vec<Vec<Pt>>,
    source: &'static str,
    extra_note: &'static str,
}

fn densify(g: &Geodesic, ring: &[Pt]) -> Vec<Pt> {
    if ring.len() == 1 {
        return ring.to_vec();
    }
    let mut out = Vec::new();
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = g.inverse(a[1], a[0], b[1], b[0]);
        let k = (s12 / DENSIFY_M).ceil().max(1.0) as usize;
        for j in 0..k {
            let (lat, lon, _az): (f64, f64, f64) =
                g.direct(a[1], a[0], azi1, s12 * j as f64 / k as f64);
            out.push([lon, lat]);
        }
    }
    out
}

fn min_dist_m(g: &Geodesic, pts: &[Pt], p: Pt, limit_m: f64) -> f64 {
    let coslat = p[1].to_radians().cos();
    let mut best = f64::INFINITY;
    for q in pts {
        // Cheap equirectangular screen (km) before the geodesic.
        let dx = (q[0] - p[0]) * 111.32 * coslat;
        let dy = (q[1] - p[1]) * 110.57;
        let approx_m = (dx * dx + dy * dy).sqrt() * 1000.0;
        if approx_m > limit_m * 1.05 + 5000.0 && approx_m > best {
            continue;
        }
        let s: f64 = g.inverse(p[1], p[0], q[1], q[0]);
        best = best.min(s);
    }
    best
}

/// The boundary of {inside outline or within `r_m` of it}, star-shaped from the part centre.
fn buffer_part(g: &Geodesic, part: &[Pt], r_m: f64, step_deg: f64) -> Vec<Pt> {
    let dense = densify(g, part);
    let n = part.len() as f64;
    let centre =
        [part.iter().map(|p| p[0]).sum::<f64>() / n, part.iter().map(|p| p[1]).sum::<f64>() / n];
    let filled = part.len() >= 3;
    let inside = |p: Pt| (filled && ring_contains(part, p)) || min_dist_m(g, &dense, p, r_m) <= r_m;
    let far = part
        .iter()
        .map(|q| {
            let s: f64 = g.inverse(centre[1], centre[0], q[1], q[0]);
            s
        })
        .fold(0.0, f64::max)
        + r_m
        + 2000.0;
    let mut ring = Vec::new();
    let steps = (360.0 / step_deg).round() as usize;
    for k in 0..steps {
        let az = k as f64 * step_deg;
        let at = |d: f64| -> Pt {
            let (lat, lon, _): (f64, f64, f64) = g.direct(centre[1], centre[0], az, d);
            [lon, lat]
        };
        // March inward from beyond the farthest possible boundary, then bisect to 1 m.
        let mut hi = far;
        let mut lo = far;
        while lo > 0.0 {
            lo = (lo - 500.0).max(0.0);
            if inside(at(lo)) {
                break;
            }
            hi = lo;
        }
        while hi - lo > 1.0 {
            let mid = 0.5 * (lo + hi);
            if inside(at(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        ring.push(round6(at(lo)));
    }
    ring.push(ring[0]);
    ring
}

fn islands(baseline_pts: (&[Pt], &[Pt])) -> Vec<Island> {
    const GEN: &str = "Island extreme and coastline points from general geographic knowledge \
        (named capes and islands; e.g. Taiwan: Fuguijiao 25.30N 121.54E, Sandiaojiao 25.01N 122.00E, \
        Eluanbi 21.90N 120.85E, Guosheng lighthouse 23.10N 120.04E); accuracy about 1-2 km; not from a \
        baseline publication";
    vec![
        Island {
            key: "taiwan",
            en: "Taiwan (main island)",
            ja: "台湾本島",
            zh: "臺灣本島",
            parts: vec![vec![
                [121.537, 25.297],
                [121.69, 25.21],
                [121.74, 25.15],
                [122.0, 25.01],
                [121.87, 24.59],
                [121.62, 23.98],
                [121.51, 23.49],
                [121.38, 23.10],
                [121.15, 22.75],
                [120.90, 22.33],
                [120.853, 21.902],
                [120.73, 21.95],
                [120.59, 22.36],
                [120.28, 22.60],
                [120.035, 23.10],
                [120.15, 23.38],
                [120.18, 23.78],
                [120.33, 24.05],
                [120.50, 24.29],
                [120.91, 24.83],
                [121.05, 25.07],
                [121.30, 25.13],
                [121.41, 25.18],
                [121.50, 25.29],
            ]],
            source: GEN,
            extra_note: "Main island only: Lanyu, Green Island, Guishan and Pengjia are not included. \
                The ROC 1999 straight baselines are not used.",
        },
        Island {
            key: "penghu",
            en: "Penghu Islands",
            ja: "澎湖諸島",
            zh: "澎湖群島",
            parts: vec![vec![
                [119.60, 23.78],
                [119.69, 23.67],
                [119.70, 23.55],
                [119.67, 23.26],
                [119.43, 23.20],
                [119.35, 23.33],
                [119.32, 23.40],
                [119.47, 23.67],
            ]],
            source: GEN,
            extra_note: "The group is treated as one filled outline through its outer islands \
                (Mudou Yu, Qimei, Huayu).",
        },
        Island {
            key: "kinmen",
            en: "Kinmen (Quemoy)",
            ja: "金門",
            zh: "金門",
            parts: vec![vec![
                [118.22, 24.43],
                [118.31, 24.49],
                [118.43, 24.52],
                [118.47, 24.46],
                [118.36, 24.40],
                [118.25, 24.40],
            ]],
            source: GEN,
            extra_note: "A distance reference only: Kinmen lies a few km off the Fujian coast, so the \
                limit overlaps the mainland; the ROC administers restricted and prohibited waters \
                around Kinmen rather than a 12 nm territorial sea.",
        },
        Island {
            key: "matsu",
            en: "Matsu Islands",
            ja: "馬祖列島",
            zh: "馬祖列島",
            parts: vec![
                vec![[119.90, 26.16], [120.00, 26.24], [120.01, 26.13]],
                vec![[120.49, 26.37]],
                vec![[120.00, 25.96]],
                vec![[119.93, 25.97]],
            ],
            source: GEN,
            extra_note: "Parts: Nangan-Beigan, Dongyin, Dongju, Xiju. A distance reference only: the \
                limit overlaps the Fujian coast; the ROC administers restricted and prohibited waters \
                around Matsu rather than a 12 nm territorial sea.",
        },
        Island {
            key: "yonaguni",
            en: "Yonaguni-jima",
            ja: "与那国島",
            zh: "與那國島",
            parts: vec![vec![
                [122.934, 24.45],
                [122.98, 24.475],
                [123.043, 24.452],
                [123.00, 24.43],
            ]],
            source: GEN,
            extra_note: "West cape Irizaki and east cape Agarizaki match the gate endpoints in \
                derived-zones.",
        },
        Island {
            key: "iriomote",
            en: "Iriomote-jima",
            ja: "西表島",
            zh: "西表島",
            parts: vec![vec![
                [123.68, 24.32],
                [123.78, 24.43],
                [123.93, 24.35],
                [123.85, 24.24],
                [123.75, 24.25],
            ]],
            source: GEN,
            extra_note: "",
        },
        Island {
            key: "ishigaki",
            en: "Ishigaki-jima",
            ja: "石垣島",
            zh: "石垣島",
            parts: vec![vec![
                [124.12, 24.33],
                [124.10, 24.38],
                [124.20, 24.47],
                [124.32, 24.61],
                [124.33, 24.50],
                [124.24, 24.33],
            ]],
            source: GEN,
            extra_note: "",
        },
        Island {
            key: "miyako",
            en: "Miyako-jima",
            ja: "宮古島",
            zh: "宮古島",
            parts: vec![vec![
                [125.26, 24.74],
                [125.25, 24.85],
                [125.32, 24.93],
                [125.40, 24.85],
                [125.468, 24.724],
                [125.33, 24.71],
            ]],
            source: GEN,
            extra_note: "East cape Higashi-henna-zaki matches the Miyako gate endpoint in derived-zones.",
        },
        Island {
            key: "okinawa",
            en: "Okinawa Island",
            ja: "沖縄本島",
            zh: "沖繩本島",
            parts: vec![vec![
                [127.653, 26.079],
                [127.65, 26.21],
                [127.71, 26.44],
                [127.87, 26.69],
                [128.26, 26.87],
                [128.32, 26.72],
                [127.93, 26.45],
                [127.93, 26.30],
                [127.82, 26.16],
            ]],
            source: GEN,
            extra_note: "South cape Kyan-misaki matches the Miyako gate endpoint in derived-zones.",
        },
        Island {
            key: "senkaku_diaoyu",
            en: "Senkaku Islands / Diaoyu Islands / Diaoyutai Islands",
            ja: "尖閣諸島（中国名：釣魚島及其附属島嶼、台湾名：釣魚臺列嶼）",
            zh: "釣魚臺列嶼／尖閣諸島／釣魚島及其附屬島嶼",
            parts: vec![baseline_pts.0.to_vec(), baseline_pts.1.to_vec()],
            source: "Reference points: the basepoint coordinates of the PRC Government statement of \
                2012-09-10 (https://www.mnr.gov.cn/dt/hy/201209/t20120912_2330256.html), used only as \
                published positions on the islands' coasts",
            extra_note: "Distances are measured from the basepoints themselves and the islands \
                between them, not from the straight baselines joining them, so this is neither \
                Japan's limit (normal baselines) nor the PRC's (straight baselines). Japan \
                administers the islands; the PRC and the ROC claim them. Parts: Uotsuri-jima / \
                Diaoyu Dao group with Kuba-jima / Huangwei Yu, and Taisho-jima / Chiwei Yu.",
        },
    ]
}

fn main() {
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let dz_path = kuroshio_testdata::path("derived-zones/zones_reference.geojson")
        .expect("shared data derived-zones is required to build the catalogue");
    let fir_path = kuroshio_testdata::path("vatspy-fir-boundaries/fir_subset_east_asia.geojson")
        .expect("shared data vatspy-fir-boundaries is required to build the catalogue");
    let dz: Value = serde_json::from_str(&fs::read_to_string(dz_path).unwrap()).unwrap();
    let firs: Value = serde_json::from_str(&fs::read_to_string(fir_path).unwrap()).unwrap();
    const DZ: &str = "via shared/data/derived-zones/zones_reference.geojson";

    let mut zones = Vec::new();

    // Taiwan Strait median line.
    let f = feature_by_id(&dz, "tw_strait_median_line");
    let median = coords_line(&f["geometry"]["coordinates"]);
    assert_eq!(median, vec![[118.0, 23.0], [122.0, 27.0]]);
    let d = dirs_for(
        &median,
        [119.3, 26.08],
        "westward (onto the mainland China side)",
        "eastward (onto the Taiwan side)",
    );
    let mut m = meta(
        "tw_strait_median_line",
        "Taiwan Strait median line (Davis line), 27°N 122°E – 23°N 118°E as defined by the ROC MND",
        "台湾海峡中間線（中華民国国防部の定義：北緯27度東経122度－北緯23度東経118度）",
        "臺灣海峽中線（國防部定義：北緯27度東經122度－北緯23度東經118度）",
        ZoneKind::Line,
        ZoneStatus::Official,
        None,
        &format!("{} {DZ}", prop(f, "source")),
        "Official endpoints; the line is straight in lon/lat between them (the geodesic differs by \
            under 1 km at mid-line). MND also counts crossings of the line's unpublished extension, \
            which is not included. The PRC does not recognise the line.",
        ["", ""],
    );
    m.direction_names = d;
    zones.push(Zone { meta: m, geometry: Geometry::Lines(vec![median.clone()]) });

    // PRC ECS ADIZ outer line and approximate polygon.
    let f = feature_by_id(&dz, "prc_ecs_adiz_outer_line");
    let outer = coords_line(&f["geometry"]["coordinates"]);
    let mut m = meta(
        "prc_ecs_adiz_outer_line",
        "PRC East China Sea ADIZ outer line (six announced points)",
        "中国 東シナ海防空識別区 外縁線（公表6地点）",
        "中國東海防空識別區外緣線（公布六點）",
        ZoneKind::Line,
        ZoneStatus::Official,
        None,
        &format!("{} {DZ}", prop(f, "source")),
        &prop(f, "note"),
        ["", ""],
    );
    m.direction_names = dirs_for(
        &outer,
        [123.5, 29.5],
        "inbound (into the PRC ECS ADIZ)",
        "outbound (out of the PRC ECS ADIZ)",
    );
    zones.push(Zone { meta: m, geometry: Geometry::Lines(vec![outer]) });
    let f = feature_by_id(&dz, "prc_ecs_adiz_approx_polygon");
    let ring = coords_line(&f["geometry"]["coordinates"][0]);
    zones.push(Zone {
        meta: meta(
            "prc_ecs_adiz",
            "PRC East China Sea ADIZ (approximate polygon)",
            "中国 東シナ海防空識別区（近似多角形）",
            "中國東海防空識別區（近似多邊形）",
            ZoneKind::Area,
            ZoneStatus::Approximate,
            None,
            &format!("{} {DZ}", prop(feature_by_id(&dz, "prc_ecs_adiz_outer_line"), "source")),
            &format!(
                "Six official outer points closed by a straight chord from point 6 to point 1. {}",
                prop(f, "note")
            ),
            ["entry", "exit"],
        ),
        geometry: Geometry::Areas(vec![vec![ring]]),
    });

    // ROC ADIZ (reconstructed) and its part east of the median line.
    let f = feature_by_id(&dz, "roc_adiz_reconstructed");
    let roc = coords_line(&f["geometry"]["coordinates"][0]);
    zones.push(Zone {
        meta: meta(
            "roc_adiz",
            "ROC (Taiwan) ADIZ — reconstructed outline, no official vertex list",
            "中華民国（台湾）防空識別圏（再構成。公式の頂点一覧なし）",
            "中華民國（臺灣）防空識別區（重建輪廓，無官方頂點清單）",
            ZoneKind::Area,
            ZoneStatus::Reconstructed,
            None,
            &format!("{} {DZ}", prop(f, "source")),
            &prop(f, "note"),
            ["entry", "exit"],
        ),
        geometry: Geometry::Areas(vec![vec![roc.clone()]]),
    });
    // East side of the median line: lat - lon < 23 - 118 (the line y - 23 = x - 118).
    let mut open: Vec<Pt> = roc.clone();
    open.pop();
    let mut east = clip_ring(&open, |p| (23.0 - 118.0) - (p[1] - p[0]));
    east = east.into_iter().map(round6).collect();
    east.push(east[0]);
    zones.push(Zone {
        meta: meta(
            "roc_adiz_east_of_median_line",
            "ROC (Taiwan) ADIZ east of the Taiwan Strait median line — reconstructed",
            "中華民国（台湾）防空識別圏のうち台湾海峡中間線以東（再構成）",
            "中華民國（臺灣）防空識別區海峽中線以東部分（重建）",
            ZoneKind::Area,
            ZoneStatus::Reconstructed,
            None,
            &format!("Computed from roc_adiz and tw_strait_median_line; {}", prop(f, "source")),
            "Polygon clip of the reconstructed ROC ADIZ by the median line extended straight (in \
                lon/lat) past its official endpoints to the ADIZ edges (lat - lon = -95); the \
                official extension of the line is not published. Reported as the actively enforced \
                part of the ADIZ.",
            ["entry", "exit"],
        ),
        geometry: Geometry::Areas(vec![vec![east]]),
    });

    // Japan ADIZ points (1)-(7).
    let f = feature_by_id(&dz, "jadiz_outer_line_pts_1_7");
    let jl = coords_line(&f["geometry"]["coordinates"]);
    let mut m = meta(
        "jadiz_outer_line_pts_1_7",
        "Japan ADIZ outer line, points (1)–(7) of 30",
        "日本 防空識別圏 外側線 第1点～第7点（全30点中）",
        "日本防空識別區外緣線 第1至第7點（共30點）",
        ZoneKind::Line,
        ZoneStatus::Official,
        None,
        &format!("{} {DZ}", prop(f, "source")),
        &format!("Partial: only points (1)-(7) are known here. {}", prop(f, "note")),
        ["", ""],
    );
    m.direction_names = dirs_for(
        &jl,
        [136.0, 41.0],
        "inbound (onto the JADIZ side)",
        "outbound (off the JADIZ side)",
    );
    zones.push(Zone { meta: m, geometry: Geometry::Lines(vec![jl]) });

    // PRC 2012 baselines (claim).
    let f = feature_by_id(&dz, "prc_2012_baseline_diaoyu_huangwei_group");
    let bl_a = coords_line(&f["geometry"]["coordinates"][0]);
    let g2 = feature_by_id(&dz, "prc_2012_baseline_chiwei");
    let bl_b = coords_line(&g2["geometry"]["coordinates"][0]);
    for (id, en, ja, zh, ring, src) in [
        (
            "prc_2012_baselines_senkaku_diaoyu_group",
            "PRC 2012 straight baselines (claim) around Uotsuri-jima / Diaoyu Dao and Kuba-jima / Huangwei Yu (Senkaku / Diaoyu / Diaoyutai Islands)",
            "中国が2012年に公表した領海基線（主張）：魚釣島（釣魚島）・久場島（黄尾嶼）周辺（尖閣諸島）",
            "中國2012年公布之領海基線（主張）：釣魚島、黃尾嶼周邊（釣魚臺列嶼／尖閣諸島）",
            &bl_a,
            f,
        ),
        (
            "prc_2012_baselines_taisho_chiwei",
            "PRC 2012 straight baselines (claim) around Taisho-jima / Chiwei Yu (Senkaku / Diaoyu / Diaoyutai Islands)",
            "中国が2012年に公表した領海基線（主張）：大正島（赤尾嶼）周辺（尖閣諸島、中国名：釣魚島及其附属島嶼）",
            "中國2012年公布之領海基線（主張）：赤尾嶼周邊（釣魚臺列嶼／尖閣諸島）",
            &bl_b,
            g2,
        ),
    ] {
        let n = (ring.len() - 1) as f64;
        let c = [
            ring[..ring.len() - 1].iter().map(|p| p[0]).sum::<f64>() / n,
            ring[..ring.len() - 1].iter().map(|p| p[1]).sum::<f64>() / n,
        ];
        let mut m = meta(
            id,
            en,
            ja,
            zh,
            ZoneKind::Line,
            ZoneStatus::Official,
            Some("PRC"),
            &format!("{} {DZ}", prop(src, "source")),
            &format!("{} The ROC also claims the islands.", prop(src, "note")),
            ["", ""],
        );
        m.direction_names =
            dirs_for(ring, c, "inward (into the claimed internal waters)", "outward");
        zones.push(Zone { meta: m, geometry: Geometry::Lines(vec![ring.clone()]) });
    }

    // Gates.
    let gate_note = "Analyst-defined line between headland or island extremities; endpoints may be \
        off by 1-3 km. Direction names follow the Japan Joint Staff's way of reporting transits \
        (by heading and the sea entered).";
    let gates: [GateRow; 9] = [
        (
            "gate_miyako",
            "gate_miyako",
            "Miyako Strait (Okinawa Island – Miyako-jima)",
            "宮古海峡（沖縄本島－宮古島）",
            "宮古海峽（沖繩本島－宮古島）",
            [127.0, 24.5],
            "south-eastbound (East China Sea → Pacific)",
            "north-westbound (Pacific → East China Sea)",
        ),
        (
            "gate_yonaguni_taiwan",
            "gate_yonaguni_taiwan",
            "Yonaguni–Taiwan passage",
            "与那国島－台湾間",
            "與那國島－臺灣間水道",
            [122.4, 25.0],
            "northbound (Pacific → East China Sea)",
            "southbound (East China Sea → Pacific)",
        ),
        (
            "gate_yonaguni_iriomote",
            "gate_yonaguni_iriomote",
            "Yonaguni–Iriomote passage",
            "与那国島－西表島間",
            "與那國島－西表島間水道",
            [123.4, 25.0],
            "northbound (Pacific → East China Sea)",
            "southbound (East China Sea → Pacific)",
        ),
        (
            "gate_bashi",
            "gate_bashi",
            "Bashi Channel (Eluanbi – Y'Ami)",
            "バシー海峡（鵝鑾鼻－アミアナン島）",
            "巴士海峽（鵝鑾鼻－雅米島）",
            [120.5, 21.0],
            "westbound (Pacific → South China Sea)",
            "eastbound (South China Sea → Pacific)",
        ),
        (
            "gate_osumi",
            "gate_osumi",
            "Osumi Strait (Sata-misaki – Mageshima / Tanegashima)",
            "大隅海峡（佐多岬－馬毛島・種子島）",
            "大隅海峽（佐多岬－馬毛島／種子島）",
            [130.3, 30.7],
            "westbound (Pacific → East China Sea)",
            "eastbound (East China Sea → Pacific)",
        ),
        (
            "gate_tsushima_east",
            "gate_tsushima_east",
            "Tsushima Strait, East Channel (Tsushima – Iki – Kyushu)",
            "対馬海峡東水道（対馬－壱岐－九州）",
            "對馬海峽東水道（對馬－壹岐－九州）",
            [130.0, 34.2],
            "north-eastbound (East China Sea → Sea of Japan)",
            "south-westbound (Sea of Japan → East China Sea)",
        ),
        (
            "gate_tsushima_west",
            "gate_tsushima_west",
            "Tsushima Strait, West Channel / Korea Strait (Tsushima – Busan)",
            "対馬海峡西水道（対馬－釜山）",
            "對馬海峽西水道／朝鮮海峽（對馬－釜山）",
            [129.6, 35.2],
            "north-eastbound (East China Sea → Sea of Japan)",
            "south-westbound (Sea of Japan → East China Sea)",
        ),
        (
            "gate_tsugaru_west",
            "gate_tsugaru",
            "Tsugaru Strait, west entrance (Tappi-misaki – Shirakami-misaki)",
            "津軽海峡 西口（竜飛崎－白神岬）",
            "津輕海峽西口（龍飛崎－白神岬）",
            [139.9, 41.2],
            "westbound (Tsugaru Strait → Sea of Japan)",
            "eastbound (Sea of Japan → Tsugaru Strait)",
        ),
        (
            "gate_soya",
            "gate_soya",
            "Soya / La Pérouse Strait (Soya-misaki – Cape Crillon)",
            "宗谷海峡（宗谷岬－クリリオン岬）",
            "宗谷海峽（宗谷岬－克里利昂角）",
            [141.5, 45.7],
            "westbound (Sea of Okhotsk → Sea of Japan)",
            "eastbound (Sea of Japan → Sea of Okhotsk)",
        ),
    ];
    for (src_id, id, en, ja, zh, sample_a, toward_a, toward_b) in gates {
        let f = feature_by_id(&dz, src_id);
        let line = coords_line(&f["geometry"]["coordinates"]);
        let mut m = meta(
            id,
            en,
            ja,
            zh,
            ZoneKind::Gate,
            ZoneStatus::Approximate,
            None,
            &format!("{} {DZ}", prop(f, "source")),
            &format!("{gate_note} {}", prop(f, "note")),
            ["", ""],
        );
        m.direction_names = dirs_for(&line, sample_a, toward_a, toward_b);
        zones.push(Zone { meta: m, geometry: Geometry::Lines(vec![line]) });
    }
    let tokara = vec![[130.45, 30.25], [129.93, 29.97]];
    let mut m = meta(
        "gate_tokara",
        "Tokara Strait (Yakushima – Kuchinoshima)",
        "トカラ海峡（屋久島－口之島）",
        "吐噶喇海峽（屋久島－口之島）",
        ZoneKind::Gate,
        ZoneStatus::Approximate,
        None,
        "Endpoints from general geographic knowledge: south-west coast of Yakushima (about 30°15'N \
            130°27'E) and Kuchinoshima (about 29°58'N 129°56'E); not from an official text",
        &format!("{gate_note} Not in derived-zones; verify against charts before operational use."),
        ["", ""],
    );
    m.direction_names = dirs_for(
        &tokara,
        [129.8, 30.4],
        "north-westbound (Pacific → East China Sea)",
        "south-eastbound (East China Sea → Pacific)",
    );
    zones.push(Zone { meta: m, geometry: Geometry::Lines(vec![tokara]) });

    let zones_cat = Catalogue::from_zones(zones);
    fs::write(out_dir.join("zones.geojson"), zones_cat.to_geojson()).unwrap();

    // Distance limits.
    let g = Geodesic::wgs84();
    let strip = |r: &[Pt]| r[..r.len() - 1].to_vec();
    let isl = islands((&strip(&bl_a), &strip(&bl_b)));
    let mut feats = Vec::new();
    for island in &isl {
        for nm in [12.0f64, 24.0] {
            let r_m = nm * NM_M;
            let step = if island.key == "taiwan" || island.key == "okinawa" { 1.0 } else { 2.0 };
            let parts: Vec<Vec<Vec<Pt>>> =
                island.parts.iter().map(|p| vec![buffer_part(&g, p, r_m, step)]).collect();
            let (what_en, what_ja, what_zh) = if nm == 12.0 {
                ("12 nm limit", "12海里線", "12浬線")
            } else {
                ("24 nm limit", "24海里線", "24浬線")
            };
            let m = meta(
                &format!("{}_{}nm", island.key, nm as u32),
                &format!("{} {what_en} (approximate)", island.en),
                &format!("{} {what_ja}（近似）", island.ja),
                &format!("{} {what_zh}（近似）", island.zh),
                ZoneKind::Area,
                ZoneStatus::Approximate,
                None,
                island.source,
                &format!(
                    "All points within {nm} nm ({r_m} m, geodesic on WGS84 via GeographicLib) of the \
                    reference points (outlines filled and sampled every {DENSIFY_M} m), traced by rays \
                    from each part's centre every {step}° and bisected to 1 m; the outline is a rough \
                    coastline, not a legal baseline, so this is not a legal territorial-sea or \
                    contiguous-zone limit. Parts may overlap; containment is their union. \
                    Reference points are in the reference_parts property. {}",
                    island.extra_note
                ),
                ["entry", "exit"],
            );
            let zone = Zone { meta: m, geometry: Geometry::Areas(parts) };
            let mut v: Value =
                serde_json::from_str(&Catalogue::from_zones([zone]).to_geojson()).unwrap();
            let mut feat = v["features"][0].take();
            feat["properties"]["reference_parts"] = serde_json::to_value(&island.parts).unwrap();
            feats.push(feat.to_string());
            println!("{}_{}nm done", island.key, nm);
        }
    }
    fs::write(
        out_dir.join("limits.geojson"),
        format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", feats.join(",\n")),
    )
    .unwrap();

    // FIRs.
    let fir_src = "VATSpy Data Project Boundaries.geojson (https://github.com/vatsimnetwork/vatspy-data-project, \
        commit 9f8d09cbdf139063510823f82325ab79c740a4ca), CC BY-SA 4.0, via \
        shared/data/vatspy-fir-boundaries/fir_subset_east_asia.geojson";
    let mut fz = Vec::new();
    for (vid, id, en, ja, zh, note) in [
        (
            "RCAA",
            "fir_taipei",
            "Taipei FIR (RCAA)",
            "台北飛行情報区（RCAA）",
            "臺北飛航情報區（RCAA）",
            "Community flight-simulator data, not ICAO-authoritative. The vertices 23.3N and 121.3E are \
            probably mis-converted 23°30'N and 121°30'E; verify against the Taipei AIP ENR 2.1.",
        ),
        (
            "RJJJ",
            "fir_fukuoka_oceanic",
            "Fukuoka FIR (RJJJ), oceanic part",
            "福岡飛行情報区（RJJJ）洋上部分",
            "福岡飛航情報區（RJJJ）洋上部分",
            "Community flight-simulator data, not ICAO-authoritative; this dataset holds only the \
            oceanic part of the Fukuoka FIR, not the domestic part over Japan.",
        ),
    ] {
        let f = feature_by_id(&firs, vid);
        let polys: Vec<Vec<Vec<Pt>>> = f["geometry"]["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_array().unwrap().iter().map(coords_line).collect())
            .collect();
        fz.push(Zone {
            meta: meta(
                id,
                en,
                ja,
                zh,
                ZoneKind::Area,
                ZoneStatus::Approximate,
                None,
                fir_src,
                note,
                ["entry", "exit"],
            ),
            geometry: Geometry::Areas(polys),
        });
    }
    fs::write(out_dir.join("firs.geojson"), Catalogue::from_zones(fz).to_geojson()).unwrap();
    println!("wrote {}", out_dir.display());
}
