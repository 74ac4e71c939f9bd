//! Seeded random checks that the catalogue grid's answers equal those of testing every zone
//! (the path taken without the grid), bit for bit, including points and segments exactly on
//! cell borders, boundary edges and vertices; and, away from boundaries, equal plain ray
//! casting. Run on the built-in catalogue, on one with more than 64 areas, and on one whose
//! boundaries cross more top cells than [`MAX_SUB_BLOCKS`] allows to cut.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::geom::ring_contains;

/// xorshift64* — deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
    fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[((self.next() * v.len() as f64) as usize).min(v.len() - 1)]
    }
}

fn meta(id: &str, kind: ZoneKind) -> ZoneMeta {
    ZoneMeta {
        id: id.to_string(),
        name_en: id.to_string(),
        name_ja: id.to_string(),
        name_zh_hant: id.to_string(),
        kind,
        status: ZoneStatus::Approximate,
        claim_of: None,
        source: "test".to_string(),
        note: "test".to_string(),
        direction_names: ["in".to_string(), "out".to_string()],
    }
}

fn area(id: &str, parts: Vec<Vec<Vec<Pt>>>) -> Zone {
    Zone { meta: meta(id, ZoneKind::Area), geometry: Geometry::Areas(parts) }
}

fn line(id: &str, lines: Vec<Vec<Pt>>) -> Zone {
    Zone { meta: meta(id, ZoneKind::Line), geometry: Geometry::Lines(lines) }
}

/// The built-in zones plus 70 user areas (so more than 64 areas in all): squares and
/// triangles whose corners and edges lie exactly on catalogue cell borders (multiples of
/// 1/64°), a two-part area whose parts overlap, one with a hole, ten nested squares, and user
/// lines along cell borders.
fn many_areas() -> Catalogue {
    let mut zones: Vec<Zone> = Catalogue::builtin().unwrap().zones.clone();
    let s = 1.0 / 64.0;
    for k in 0..70u32 {
        let x = 118.0 + f64::from(k % 10) * 0.25 + f64::from(k % 3) * s;
        let y = 22.0 + f64::from(k / 10) * 0.25 + f64::from(k % 5) * s;
        let w = s * f64::from(3 + k % 7);
        let ring = if k % 2 == 0 {
            vec![[x, y], [x + w, y], [x + w, y + w], [x, y + w], [x, y]]
        } else {
            vec![[x, y], [x + w, y], [x, y + w]]
        };
        zones.push(area(&format!("user_area_{k}"), vec![vec![ring]]));
    }
    zones.push(area(
        "user_overlapping_parts",
        vec![
            vec![vec![[121.0, 23.0], [121.5, 23.0], [121.5, 23.5], [121.0, 23.5]]],
            vec![vec![[121.25, 23.25], [121.75, 23.25], [121.75, 23.75], [121.25, 23.75]]],
        ],
    ));
    zones.push(area(
        "user_with_hole",
        vec![vec![
            vec![[122.0, 22.0], [123.0, 22.0], [123.0, 23.0], [122.0, 23.0]],
            vec![[122.25, 22.25], [122.75, 22.25], [122.75, 22.75], [122.25, 22.75]],
        ]],
    ));
    // Ten nested squares: their middle lies in more areas than a cell's fixed-size copy holds.
    for k in 0..10u32 {
        let h = 0.5 + f64::from(k) * 0.125;
        let (x, y) = (119.5, 27.5);
        let ring = vec![[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]];
        zones.push(area(&format!("user_nested_{k}"), vec![vec![ring]]));
    }
    zones
        .push(line("user_line_on_border", vec![vec![[118.0, 24.0], [120.0, 24.0], [120.0, 25.5]]]));
    zones.push(line("user_line_diagonal", vec![vec![[118.5, 21.5], [120.5, 23.0]]]));
    let cat = Catalogue::from_zones(zones);
    assert!(cat.areas.len() > 64, "{}", cat.areas.len());
    assert!(cat.top.is_some());
    cat
}

/// A comb-shaped area over 30° × 30° whose 20 teeth put boundaries in more top cells than
/// [`MAX_SUB_BLOCKS`], so some boundary cells stay uncut.
fn comb() -> Catalogue {
    let mut ring = vec![[100.0, 0.0]];
    for t in 0..20 {
        let x = 100.0 + f64::from(t) * 1.5;
        ring.extend([[x, 30.0], [x + 0.75, 30.0], [x + 0.75, 0.5], [x + 1.5, 0.5]]);
    }
    ring.push([130.0, 0.0]);
    let cat = Catalogue::from_zones([
        area("comb", vec![vec![ring]]),
        line("comb_line", vec![vec![[100.2, 0.1], [129.9, 29.9]]]),
    ]);
    assert!(cat.top.is_some());
    cat
}

/// Every vertex and every edge of the catalogue's zones.
fn vertices_and_edges(c: &Catalogue) -> (Vec<Pt>, Vec<(Pt, Pt)>) {
    let mut verts = Vec::new();
    let mut edges = Vec::new();
    for z in &c.zones {
        let rings: Vec<&Vec<Pt>> = match &z.geometry {
            Geometry::Areas(parts) => parts.iter().flatten().collect(),
            Geometry::Lines(lines) => lines.iter().collect(),
        };
        for r in rings {
            verts.extend(r.iter().copied());
            edges.extend(r.windows(2).map(|w| (w[0], w[1])));
        }
    }
    (verts, edges)
}

/// A point of one of several kinds: uniform in `region`, a vertex, on an edge, near a vertex,
/// on a top-cell or sub-cell border, or on the horizontal through a vertex.
fn sample(
    rng: &mut Rng,
    k: usize,
    region: BBox,
    origin: Pt,
    verts: &[Pt],
    edges: &[(Pt, Pt)],
) -> Pt {
    match k % 8 {
        0 => [rng.range(region[0], region[2]), rng.range(region[1], region[3])],
        1 => rng.pick(verts),
        2 => {
            let (a, b) = rng.pick(edges);
            let t = rng.next();
            [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
        }
        3 => {
            let v = rng.pick(verts);
            let e = [1e-12, 1e-9, 1e-7, 1e-3][k / 8 % 4];
            [v[0] + rng.range(-e, e), v[1] + rng.range(-e, e)]
        }
        4 | 5 => {
            // Cell borders: multiples of the sub-cell size from the grid's origin.
            let step = [TOP_CELL_DEG, TOP_CELL_DEG / SUB_CELLS_PER_AXIS as f64][k % 2];
            let x = origin[0] + (rng.range(0.0, region[2] - origin[0]) / step).round() * step;
            let y = origin[1] + (rng.range(0.0, region[3] - origin[1]) / step).round() * step;
            match k / 8 % 3 {
                0 => [x, y],
                1 => [x, rng.range(region[1], region[3])],
                _ => [rng.range(region[0], region[2]), y],
            }
        }
        6 => {
            let (a, b) = rng.pick(edges);
            [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]
        }
        _ => [rng.range(region[0], region[2]), rng.pick(verts)[1]],
    }
}

fn grid_origin(c: &Catalogue) -> Pt {
    let b = bbox_of_zones(c);
    [b[0], b[1]]
}

fn bbox_of_zones(c: &Catalogue) -> BBox {
    let boxes = c.area_bboxes.iter().chain(&c.line_bboxes);
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for x in boxes {
        b = [b[0].min(x[0]), b[1].min(x[1]), b[2].max(x[2]), b[3].max(x[3])];
    }
    b
}

/// Plain even-odd per part, union over parts.
fn plain_contains(g: &Geometry, p: Pt) -> bool {
    let Geometry::Areas(polys) = g else { return false };
    polys.iter().any(|rings| rings.iter().filter(|r| ring_contains(r, p)).count() % 2 == 1)
}

fn key(x: &Crossing) -> (u32, u64, u64, u64, Direction) {
    (x.zone.0, x.point[0].to_bits(), x.point[1].to_bits(), x.fraction.to_bits(), x.direction)
}

/// Checks `n` points and `n` segments; returns (points inside some area, crossings found).
fn check(c: &Catalogue, n: usize, seed: u64) -> (usize, usize) {
    let (verts, edges) = vertices_and_edges(c);
    let b = bbox_of_zones(c);
    // A little beyond the grid on every side, so points and segments also leave it.
    let region = [b[0] - 1.0, b[1] - 1.0, b[2] + 1.0, b[3] + 1.0];
    let origin = grid_origin(c);
    let mut rng = Rng(seed);
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    let mut inside = 0;
    for k in 0..n {
        let p = sample(&mut rng, k, region, origin, &verts, &edges);
        fast.clear();
        slow.clear();
        c.areas_containing(p[0], p[1], &mut fast);
        c.areas_containing_scan(p, &mut slow);
        assert_eq!(fast, slow, "point {p:?}");
        for &z in &fast {
            assert!(c.contains(z, p[0], p[1]));
        }
        inside += usize::from(!fast.is_empty());
        // Uniform points are (almost surely) off every boundary: plain ray casting agrees.
        if k % 8 == 0 {
            for (i, z) in c.zones() {
                assert_eq!(fast.contains(&i), plain_contains(&z.geometry, p), "{p:?} {i:?}");
            }
        }
    }
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    let mut crossings = 0;
    for k in 0..n {
        let p0 = sample(&mut rng, k, region, origin, &verts, &edges);
        let p1 = match k % 9 {
            0..=2 => {
                let len = [0.002, 0.02, 0.3][k % 3];
                [p0[0] + rng.range(-len, len), p0[1] + rng.range(-len, len)]
            }
            3 => sample(&mut rng, k / 9, region, origin, &verts, &edges),
            // Along a cell border or an edge's line, and to the other end of an edge.
            4 => [p0[0], p0[1] + rng.range(-0.1, 0.1)],
            5 => [p0[0] + rng.range(-0.1, 0.1), p0[1]],
            6 => {
                let (a, b) = rng.pick(&edges);
                if rng.next() < 0.5 { a } else { b }
            }
            7 => p0,
            _ => [p0[0] + rng.range(-3.0, 3.0), p0[1] + rng.range(-3.0, 3.0)],
        };
        fast.clear();
        slow.clear();
        c.crossings((p0[0], p0[1]), (p1[0], p1[1]), &mut fast);
        if p0 != p1 {
            c.crossings_scan(p0, p1, &mut slow);
        }
        let (kf, ks): (Vec<_>, Vec<_>) =
            (fast.iter().map(key).collect(), slow.iter().map(key).collect());
        assert_eq!(kf, ks, "segment {p0:?} -> {p1:?}");
        crossings += fast.len();
    }
    (inside, crossings)
}

#[test]
fn grid_equals_testing_every_zone_builtin() {
    // Every cell of the built-in catalogue inside areas only takes the fixed-size copy.
    let c = Catalogue::builtin().unwrap();
    let (inline, looped) = c.top.as_ref().map(|t| t.whole_sigs()).unwrap();
    assert!(inline > 20 && looped == 0, "{inline} {looped}");
    let (inside, crossings) = check(&Catalogue::builtin().unwrap(), 40_000, 0x9E37_79B9_7F4A_7C15);
    // The samples really reach insides and boundaries.
    assert!(inside > 4_000, "{inside}");
    assert!(crossings > 4_000, "{crossings}");
}

#[test]
fn grid_equals_testing_every_zone_with_more_than_64_areas() {
    let c = many_areas();
    // Cells in more areas than the fixed-size copy holds exist here, so both ways are checked.
    let (inline, looped) = c.top.as_ref().map(|t| t.whole_sigs()).unwrap();
    assert!(inline > 0 && looped > 0, "{inline} {looped}");
    let (inside, crossings) = check(&c, 40_000, 0xD1B5_4A32_D192_ED03);
    assert!(inside > 4_000, "{inside}");
    assert!(crossings > 4_000, "{crossings}");
}

#[test]
fn grid_equals_testing_every_zone_beyond_the_cut_limit() {
    let c = comb();
    assert_eq!(c.top.as_ref().map(|t| t.cut_cells()), Some(MAX_SUB_BLOCKS));
    let (inside, crossings) = check(&c, 20_000, 0x2545_F491_4F6C_DD1D);
    assert!(inside > 2_000, "{inside}");
    assert!(crossings > 2_000, "{crossings}");
}
