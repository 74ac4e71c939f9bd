//! Single-core query throughput against the full built-in catalogue: `areas_containing` on
//! seeded random points in the region 117–132°E 20–35°N, and `crossings` on seeded random
//! segments there (short steps like a track's consecutive positions, and long 2° segments).
//!
//! Each figure is the best of several passes, printed as `name: N per second (M ns each)`.
//! Run with `cargo bench -p kuroshio-zones --bench query`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use kuroshio_zones::Catalogue;

/// Passes per figure; the fastest counts (the others absorb warm-up and noise).
const PASSES: usize = 5;
/// Queries per pass.
const N: usize = 1_000_000;

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

fn report(name: &str, n: usize, mut run: impl FnMut() -> usize) {
    let mut best = f64::INFINITY;
    let mut sink = 0;
    for _ in 0..PASSES {
        let t = Instant::now();
        sink += run();
        best = best.min(t.elapsed().as_secs_f64());
    }
    black_box(sink);
    println!("{name}: {:.0} per second ({:.1} ns each)", n as f64 / best, best * 1e9 / n as f64);
}

fn main() {
    let c = Catalogue::builtin().unwrap();
    let mut rng = Rng(0x0005_EED0_F202_6001);
    let pts: Vec<(f64, f64)> =
        (0..N).map(|_| (rng.range(117.0, 132.0), rng.range(20.0, 35.0))).collect();
    // Track steps: up to about 500 m, like consecutive AIS or ADS-B positions.
    let steps: Vec<((f64, f64), (f64, f64))> = pts
        .iter()
        .map(|&(x, y)| ((x, y), (x + rng.range(-0.005, 0.005), y + rng.range(-0.005, 0.005))))
        .collect();
    // Short segments: up to about 5 km.
    let short: Vec<((f64, f64), (f64, f64))> = pts
        .iter()
        .map(|&(x, y)| ((x, y), (x + rng.range(-0.05, 0.05), y + rng.range(-0.05, 0.05))))
        .collect();
    let long: Vec<((f64, f64), (f64, f64))> = pts
        .iter()
        .map(|&(x, y)| ((x, y), (x + rng.range(-2.0, 2.0), y + rng.range(-2.0, 2.0))))
        .collect();

    let mut out = Vec::with_capacity(64);
    report("areas_containing points", N, || {
        let mut hits = 0;
        for &(x, y) in &pts {
            out.clear();
            c.areas_containing(black_box(x), black_box(y), &mut out);
            hits += out.len();
        }
        hits
    });
    let mut xs = Vec::with_capacity(64);
    report("crossings track steps (<=0.005 deg)", N, || {
        let mut hits = 0;
        for &(a, b) in &steps {
            xs.clear();
            c.crossings(black_box(a), black_box(b), &mut xs);
            hits += xs.len();
        }
        hits
    });
    report("crossings short segments (<=0.05 deg)", N, || {
        let mut hits = 0;
        for &(a, b) in &short {
            xs.clear();
            c.crossings(black_box(a), black_box(b), &mut xs);
            hits += xs.len();
        }
        hits
    });
    report("crossings long segments (<=2 deg)", N, || {
        let mut hits = 0;
        for &(a, b) in &long {
            xs.clear();
            c.crossings(black_box(a), black_box(b), &mut xs);
            hits += xs.len();
        }
        hits
    });
    report("areas_containing + crossings per track step", N, || {
        let mut hits = 0;
        for &(a, b) in &steps {
            out.clear();
            xs.clear();
            c.areas_containing(b.0, b.1, &mut out);
            c.crossings(black_box(a), black_box(b), &mut xs);
            hits += xs.len() + out.len();
        }
        hits
    });
}
