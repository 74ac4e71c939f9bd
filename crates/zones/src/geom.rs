//! Planar geometry primitives on lon/lat degrees: orientation, half-open segment crossings and
//! even-odd ray casting.
//!
//! Segments are straight lines in lon/lat (plate carrée). At the scale of the catalogue (straits,
//! ADIZ edges of a few hundred km at 20–46°N) the difference from a geodesic is a few hundred
//! metres at most on the longest ADIZ edges and negligible on gates and buffers, which are densely
//! sampled. This module does not handle the antimeridian; the catalogue lies within 110–160°E.

/// A position as `[lon, lat]` in degrees.
pub type Pt = [f64; 2];

/// Twice the signed area of triangle (a, b, p): positive when `p` is left of a→b.
#[inline]
pub(crate) fn orient(a: Pt, b: Pt, p: Pt) -> f64 {
    (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
}

/// Result of a segment hitting an edge.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// Parameter along the moving segment, in [0, 1].
    pub t: f64,
    /// Intersection point.
    pub point: Pt,
    /// True when the segment goes from the edge's left side to its right side.
    pub left_to_right: bool,
}

/// Half-open crossing test of the moving segment `p0→p1` against edge `a→b`.
///
/// Rules: a point exactly on the edge's supporting line counts as being on its right side, so a
/// crossing needs one end strictly left and the other right-or-on (zero-length segments never
/// cross). Along the edge, the hit must fall in `[a, b)`, or `[a, b]` when `include_end` (the last
/// edge of an open polyline), so a segment through a shared vertex counts once.
#[inline]
pub(crate) fn segment_hit(p0: Pt, p1: Pt, a: Pt, b: Pt, include_end: bool) -> Option<Hit> {
    let s0 = orient(a, b, p0);
    let s1 = orient(a, b, p1);
    let left0 = s0 > 0.0;
    let left1 = s1 > 0.0;
    if left0 == left1 {
        return None;
    }
    let da = orient(p0, p1, a);
    let db = orient(p0, p1, b);
    // The edge must straddle the segment's line: u = da / (da - db) in [0, 1).
    let ok = if da == 0.0 {
        true
    } else if db == 0.0 {
        include_end
    } else {
        (da > 0.0) != (db > 0.0)
    };
    if !ok {
        return None;
    }
    let t = s0 / (s0 - s1);
    let point = [p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1])];
    Some(Hit { t, point, left_to_right: left0 })
}

/// Even-odd ray casting of `p` against one ring (closing edge implied when the ring is not
/// closed). Used to prepare grids and as the reference in tests.
pub fn ring_contains(ring: &[Pt], p: Pt) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let a = ring[j];
        let b = ring[i];
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
            if p[0] < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Axis-aligned bounding box `[min_lon, min_lat, max_lon, max_lat]`.
pub type BBox = [f64; 4];

/// The bounding box of a set of points, or `None` when empty.
pub(crate) fn bbox_of<'a>(pts: impl IntoIterator<Item = &'a Pt>) -> Option<BBox> {
    let mut it = pts.into_iter();
    let first = it.next()?;
    let mut b = [first[0], first[1], first[0], first[1]];
    for p in it {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    Some(b)
}

/// True when `p` lies in the closed box.
#[inline]
pub(crate) fn bbox_has(b: &BBox, p: Pt) -> bool {
    p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

/// True when two closed boxes overlap.
#[inline]
pub(crate) fn bbox_overlaps(a: &BBox, b: &BBox) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn crossing_rules() {
        let a = [0.0, 0.0];
        let b = [0.0, 10.0];
        // Left (west) to right (east) of a northward edge.
        let h = segment_hit([-1.0, 5.0], [1.0, 5.0], a, b, false).unwrap();
        assert!(h.left_to_right);
        assert!((h.t - 0.5).abs() < 1e-12);
        let h = segment_hit([1.0, 5.0], [-1.0, 5.0], a, b, false).unwrap();
        assert!(!h.left_to_right);
        // Zero length, parallel, missing the edge.
        assert!(segment_hit([-1.0, 5.0], [-1.0, 5.0], a, b, false).is_none());
        assert!(segment_hit([-1.0, 11.0], [1.0, 11.0], a, b, false).is_none());
        // Ending exactly on the edge counts (on = right), starting on it going right does not.
        assert!(segment_hit([-1.0, 5.0], [0.0, 5.0], a, b, false).is_some());
        assert!(segment_hit([0.0, 5.0], [1.0, 5.0], a, b, false).is_none());
        // Through the end vertex: only with include_end; through the start vertex always.
        assert!(segment_hit([-1.0, 10.0], [1.0, 10.0], a, b, false).is_none());
        assert!(segment_hit([-1.0, 10.0], [1.0, 10.0], a, b, true).is_some());
        assert!(segment_hit([-1.0, 0.0], [1.0, 0.0], a, b, false).is_some());
    }

    #[test]
    fn ray_casting_square() {
        let sq = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]];
        assert!(ring_contains(&sq, [1.0, 1.0]));
        assert!(!ring_contains(&sq, [3.0, 1.0]));
        assert!(!ring_contains(&sq, [1.0, -1.0]));
    }
}
