//! Seeded random checks: the prepared grid agrees with plain ray casting, and area crossings
//! agree with the change in containment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_zones::geom::ring_contains;
use kuroshio_zones::{Catalogue, Direction, Geometry, ZoneIdx};

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
}

/// Plain even-odd per part, union over parts.
fn plain_contains(g: &Geometry, p: [f64; 2]) -> bool {
    let Geometry::Areas(polys) = g else { return false };
    polys.iter().any(|rings| rings.iter().filter(|r| ring_contains(r, p)).count() % 2 == 1)
}

fn areas(c: &Catalogue) -> Vec<(ZoneIdx, &Geometry)> {
    c.zones()
        .filter(|(_, z)| matches!(z.geometry, Geometry::Areas(_)))
        .map(|(i, z)| (i, &z.geometry))
        .collect()
}

/// Random points over the region and points jittered around boundary vertices.
fn sample_points(c: &Catalogue, rng: &mut Rng, n: usize) -> Vec<[f64; 2]> {
    let mut verts = Vec::new();
    for (_, g) in areas(c) {
        if let Geometry::Areas(p) = g {
            verts.extend(p.iter().flatten().flatten().copied());
        }
    }
    (0..n)
        .map(|i| {
            if i % 2 == 0 {
                [rng.range(115.0, 150.0), rng.range(18.0, 47.0)]
            } else {
                let v = verts[(rng.next() * verts.len() as f64) as usize % verts.len()];
                let s = if i % 4 == 1 { 0.02 } else { 0.5 };
                [v[0] + rng.range(-s, s), v[1] + rng.range(-s, s)]
            }
        })
        .collect()
}

#[test]
fn grid_point_in_polygon_equals_plain_ray_casting() {
    let c = Catalogue::builtin().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let pts = sample_points(&c, &mut rng, 100_000);
    let areas = areas(&c);
    let mut out = Vec::new();
    let mut inside_hits = 0usize;
    for p in pts {
        out.clear();
        c.areas_containing(p[0], p[1], &mut out);
        for (idx, g) in &areas {
            let want = plain_contains(g, p);
            assert_eq!(out.contains(idx), want, "zone {idx:?} at {p:?}");
            inside_hits += usize::from(want);
        }
    }
    // The sample really exercises insides as well as outsides.
    assert!(inside_hits > 50_000, "{inside_hits}");
}

/// Independent segment test (strict orientation signs; random data has no touching cases).
fn strictly_cross(p: [f64; 2], q: [f64; 2], a: [f64; 2], b: [f64; 2]) -> bool {
    let o = |u: [f64; 2], v: [f64; 2], w: [f64; 2]| {
        (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0])
    };
    o(a, b, p) * o(a, b, q) < 0.0 && o(p, q, a) * o(p, q, b) < 0.0
}

#[test]
fn crossing_parity_equals_containment_change() {
    let c = Catalogue::builtin().unwrap();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let starts = sample_points(&c, &mut rng, 40_000);
    let areas = areas(&c);
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut line_total = 0usize;
    let lines: Vec<(ZoneIdx, Vec<Vec<[f64; 2]>>)> = c
        .zones()
        .filter_map(|(i, z)| match &z.geometry {
            Geometry::Lines(l) => Some((i, l.clone())),
            Geometry::Areas(_) => None,
        })
        .collect();
    for (k, p0) in starts.into_iter().enumerate() {
        let len = [3.0, 0.1, 0.02][k % 3];
        let p1 = [p0[0] + rng.range(-len, len), p0[1] + rng.range(-len, len)];
        out.clear();
        c.crossings((p0[0], p0[1]), (p1[0], p1[1]), &mut out);
        for (idx, g) in &areas {
            let mine: Vec<_> = out.iter().filter(|x| x.zone == *idx).collect();
            let (a, b) = (plain_contains(g, p0), plain_contains(g, p1));
            assert_eq!(mine.len() % 2 == 1, a != b, "zone {idx:?} {p0:?}->{p1:?}: {mine:?}");
            // Directions alternate, starting from the containment at the start.
            let mut inside = a;
            for x in &mine {
                assert_eq!(x.direction, if inside { Direction::Exit } else { Direction::Enter });
                inside = !inside;
            }
            assert!(mine.windows(2).all(|w| w[0].fraction <= w[1].fraction));
            total += mine.len();
        }
        for (idx, lines) in &lines {
            let mine = out.iter().filter(|x| x.zone == *idx).count();
            let want: usize = lines
                .iter()
                .flat_map(|l| l.windows(2))
                .filter(|w| strictly_cross(p0, p1, w[0], w[1]))
                .count();
            assert_eq!(mine, want, "line {idx:?} {p0:?}->{p1:?}");
            line_total += mine;
        }
    }
    assert!(line_total > 500, "{line_total}");
    assert!(total > 5_000, "{total}");
}
