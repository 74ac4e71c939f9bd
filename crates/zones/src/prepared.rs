//! Prepared query structures built once per catalogue: a uniform grid over each area and a flat
//! edge list for each line.
//!
//! Each area's bounding box is divided into `n × n` cells. Every cell stores the containment of
//! its centre (one bit per polygon part, computed once by ray casting) and the list of boundary
//! edges whose bounding box touches the cell. A point query then tests only the segment from the
//! cell centre to the point against that cell's edges, toggling the part's bit at each crossing;
//! cells without edges answer with no edge test at all. Segment queries visit the cells under the
//! segment's bounding box and keep each edge hit only in the cell that owns the hit point, so an
//! edge listed in several cells is reported once. Nothing here allocates at query time.

use crate::geom::{BBox, Pt, bbox_has, bbox_of, ring_contains, segment_hit};

/// Most polygon parts one area may have: containment is kept as one bit per part in a `u64`.
pub const MAX_PARTS: usize = 64;

/// Upper bound on grid cells per axis: 256 × 256 cells × 16 bytes = 1 MiB for the largest area,
/// which already brings the edges per cell of the built-in areas down to a handful.
const MAX_CELLS_PER_AXIS: usize = 256;

/// Lower bound on grid cells per axis, so small areas still skip edge tests in most cells.
const MIN_CELLS_PER_AXIS: usize = 8;

/// Slack, in degrees, added when registering edges in cells and when choosing the cells a
/// segment visits, so rounding of a computed hit point can never place it in a cell that does
/// not list the edge.
const CELL_SLACK_DEG: f64 = 1e-9;

#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Pt,
    b: Pt,
    part: u16,
}

#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    mask: u64,
    start: u32,
    len: u32,
}

/// An edge hit found by a prepared query.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PartHit {
    pub t: f64,
    pub point: Pt,
    pub part: u16,
}

/// One area with its grid.
#[derive(Debug, Clone)]
pub(crate) struct PreparedArea {
    pub bbox: BBox,
    n: usize,
    cell_w: f64,
    cell_h: f64,
    inv_w: f64,
    inv_h: f64,
    edges: Vec<Edge>,
    cells: Vec<Cell>,
    cell_edges: Vec<u32>,
}

impl PreparedArea {
    /// Builds the grid. `polygons` are parts, each a list of rings (outer first, then holes);
    /// the caller guarantees at most [`MAX_PARTS`] parts and rings of at least three points.
    pub fn new(polygons: &[Vec<Vec<Pt>>]) -> Option<Self> {
        let bbox = bbox_of(polygons.iter().flatten().flatten())?;
        let mut edges = Vec::new();
        for (part, poly) in polygons.iter().enumerate() {
            let part = u16::try_from(part).ok()?;
            for ring in poly {
                let n = ring.len();
                for i in 0..n {
                    let a = ring[i];
                    let b = ring[(i + 1) % n];
                    if a != b {
                        edges.push(Edge { a, b, part });
                    }
                }
            }
        }
        let n = ((edges.len() as f64).sqrt() * 2.0).ceil() as usize;
        let n = n.clamp(MIN_CELLS_PER_AXIS, MAX_CELLS_PER_AXIS);
        // Degenerate (zero-width) boxes still get a usable cell size.
        let cell_w = ((bbox[2] - bbox[0]) / n as f64).max(1e-9);
        let cell_h = ((bbox[3] - bbox[1]) / n as f64).max(1e-9);
        let mut area = PreparedArea {
            bbox,
            n,
            cell_w,
            cell_h,
            inv_w: 1.0 / cell_w,
            inv_h: 1.0 / cell_h,
            edges,
            cells: Vec::new(),
            cell_edges: Vec::new(),
        };
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n * n];
        for (k, e) in area.edges.iter().enumerate() {
            let (x0, x1) = area.col_range(e.a[0].min(e.b[0]), e.a[0].max(e.b[0]));
            let (y0, y1) = area.row_range(e.a[1].min(e.b[1]), e.a[1].max(e.b[1]));
            for y in y0..=y1 {
                for x in x0..=x1 {
                    if segment_touches_rect(e.a, e.b, area.cell_rect(x, y)) {
                        lists[y * n + x].push(u32::try_from(k).ok()?);
                    }
                }
            }
        }
        let mut cells = Vec::with_capacity(n * n);
        let mut cell_edges = Vec::new();
        for (i, list) in lists.iter().enumerate() {
            let centre = area.centre(i % n, i / n);
            let mut mask = 0u64;
            for (part, poly) in polygons.iter().enumerate() {
                let odd = poly.iter().filter(|r| ring_contains(r, centre)).count() % 2 == 1;
                if odd {
                    mask |= 1u64 << part;
                }
            }
            let start = u32::try_from(cell_edges.len()).ok()?;
            let len = u32::try_from(list.len()).ok()?;
            cell_edges.extend_from_slice(list);
            cells.push(Cell { mask, start, len });
        }
        area.cells = cells;
        area.cell_edges = cell_edges;
        Some(area)
    }

    /// The grid column of longitude `x`, clamped to the grid. `as` truncates toward zero and
    /// saturates (negative and NaN give 0), which is the floor for every value that is not
    /// clamped, without a call to `floor`.
    #[inline]
    fn col(&self, x: f64) -> usize {
        (((x - self.bbox[0]) * self.inv_w) as usize).min(self.n - 1)
    }

    /// The grid row of latitude `y`, clamped to the grid (see [`PreparedArea::col`]).
    #[inline]
    fn row(&self, y: f64) -> usize {
        (((y - self.bbox[1]) * self.inv_h) as usize).min(self.n - 1)
    }

    fn col_range(&self, lo: f64, hi: f64) -> (usize, usize) {
        (self.col(lo - CELL_SLACK_DEG), self.col(hi + CELL_SLACK_DEG))
    }

    fn row_range(&self, lo: f64, hi: f64) -> (usize, usize) {
        (self.row(lo - CELL_SLACK_DEG), self.row(hi + CELL_SLACK_DEG))
    }

    /// The cell's box, grown by [`CELL_SLACK_DEG`].
    fn cell_rect(&self, x: usize, y: usize) -> BBox {
        [
            self.bbox[0] + x as f64 * self.cell_w - CELL_SLACK_DEG,
            self.bbox[1] + y as f64 * self.cell_h - CELL_SLACK_DEG,
            self.bbox[0] + (x + 1) as f64 * self.cell_w + CELL_SLACK_DEG,
            self.bbox[1] + (y + 1) as f64 * self.cell_h + CELL_SLACK_DEG,
        ]
    }

    /// True when some boundary edge touches `rect` (else containment is uniform in it).
    pub fn touches(&self, rect: BBox) -> bool {
        // Only the cells of this grid under `rect` can hold such an edge.
        let (x0, x1) = self.col_range(rect[0], rect[2]);
        let (y0, y1) = self.row_range(rect[1], rect[3]);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let Some(cell) = self.cells.get(y * self.n + x) else { continue };
                for &k in self.cell_edges(cell) {
                    if let Some(e) = self.edges.get(k as usize)
                        && segment_touches_rect(e.a, e.b, rect)
                    {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Calls `f` with every boundary edge that may touch `rect` (a superset; an edge may come
    /// more than once).
    pub fn for_each_edge_near(&self, rect: BBox, mut f: impl FnMut(Pt, Pt)) {
        let (x0, x1) = self.col_range(rect[0], rect[2]);
        let (y0, y1) = self.row_range(rect[1], rect[3]);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let Some(cell) = self.cells.get(y * self.n + x) else { continue };
                for &k in self.cell_edges(cell) {
                    if let Some(e) = self.edges.get(k as usize) {
                        f(e.a, e.b);
                    }
                }
            }
        }
    }

    fn centre(&self, x: usize, y: usize) -> Pt {
        [
            self.bbox[0] + (x as f64 + 0.5) * self.cell_w,
            self.bbox[1] + (y as f64 + 0.5) * self.cell_h,
        ]
    }

    fn cell_edges(&self, cell: &Cell) -> &[u32] {
        let s = cell.start as usize;
        self.cell_edges.get(s..s + cell.len as usize).unwrap_or(&[])
    }

    /// Containment mask (bit per part) of `p`; zero when outside every part.
    #[inline]
    pub fn mask(&self, p: Pt) -> u64 {
        if !bbox_has(&self.bbox, p) {
            return 0;
        }
        let (x, y) = (self.col(p[0]), self.row(p[1]));
        let Some(cell) = self.cells.get(y * self.n + x) else { return 0 };
        let mut mask = cell.mask;
        if cell.len == 0 {
            return mask;
        }
        let c = self.centre(x, y);
        for &k in self.cell_edges(cell) {
            if let Some(e) = self.edges.get(k as usize)
                && segment_hit(c, p, e.a, e.b, false).is_some()
            {
                mask ^= 1u64 << e.part;
            }
        }
        mask
    }

    /// Calls `f` once for each boundary edge hit by `p0→p1`, in no particular order.
    #[inline]
    pub fn hits(&self, p0: Pt, p1: Pt, mut f: impl FnMut(PartHit)) {
        let (x0, x1) = self.col_range(p0[0].min(p1[0]), p0[0].max(p1[0]));
        let (y0, y1) = self.row_range(p0[1].min(p1[1]), p0[1].max(p1[1]));
        for y in y0..=y1 {
            for x in x0..=x1 {
                let Some(cell) = self.cells.get(y * self.n + x) else { continue };
                for &k in self.cell_edges(cell) {
                    let Some(e) = self.edges.get(k as usize) else { continue };
                    if let Some(h) = segment_hit(p0, p1, e.a, e.b, false) {
                        // Report the hit only from the cell that owns its point.
                        if self.col(h.point[0]) == x && self.row(h.point[1]) == y {
                            f(PartHit { t: h.t, point: h.point, part: e.part });
                        }
                    }
                }
            }
        }
    }
}

/// True when segment `a→b` has a point in the closed box `r` (Liang–Barsky clipping).
pub(crate) fn segment_touches_rect(a: Pt, b: Pt, r: BBox) -> bool {
    let d = [b[0] - a[0], b[1] - a[1]];
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for axis in 0..2 {
        let (lo, hi) = (r[axis], r[axis + 2]);
        if d[axis] == 0.0 {
            if a[axis] < lo || a[axis] > hi {
                return false;
            }
            continue;
        }
        let inv = 1.0 / d[axis];
        let mut ta = (lo - a[axis]) * inv;
        let mut tb = (hi - a[axis]) * inv;
        if ta > tb {
            std::mem::swap(&mut ta, &mut tb);
        }
        t0 = t0.max(ta);
        t1 = t1.min(tb);
        if t0 > t1 {
            return false;
        }
    }
    true
}

/// One line or gate: its polylines as flat edges.
#[derive(Debug, Clone)]
pub(crate) struct PreparedLine {
    pub bbox: BBox,
    /// `(a, b, include_end)`: the last edge of each polyline includes its end vertex.
    edges: Vec<(Pt, Pt, bool)>,
}

impl PreparedLine {
    pub fn new(lines: &[Vec<Pt>]) -> Option<Self> {
        let bbox = bbox_of(lines.iter().flatten())?;
        let mut edges = Vec::new();
        for line in lines {
            let n = line.len();
            for i in 1..n {
                edges.push((line[i - 1], line[i], i + 1 == n));
            }
        }
        Some(PreparedLine { bbox, edges })
    }

    /// True when some edge touches `rect`.
    pub fn touches(&self, rect: BBox) -> bool {
        self.edges.iter().any(|&(a, b, _)| segment_touches_rect(a, b, rect))
    }

    /// Calls `f` with every edge.
    pub fn for_each_edge(&self, mut f: impl FnMut(Pt, Pt)) {
        for &(a, b, _) in &self.edges {
            f(a, b);
        }
    }

    /// Calls `f` for each hit of `p0→p1` with the line, with its direction.
    #[inline]
    pub fn hits(&self, p0: Pt, p1: Pt, mut f: impl FnMut(f64, Pt, bool)) {
        for &(a, b, end) in &self.edges {
            if let Some(h) = segment_hit(p0, p1, a, b, end) {
                f(h.t, h.point, h.left_to_right);
            }
        }
    }
}
