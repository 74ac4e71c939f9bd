//! Catalogue-wide uniform grid that tells each query which zones can matter where.
//!
//! The union box of all zones is cut into square cells (normally [`TOP_CELL_DEG`] wide). Each
//! cell lists, in zone index order, the areas that fully contain it (answered without any test)
//! and the areas and lines whose edges touch it (tested). Areas that do not reach the cell are
//! absent, so a point or short segment looks at only the few zones near it.

use crate::geom::{BBox, bbox_of};
use crate::prepared::{PreparedArea, PreparedLine};

/// Preferred cell size in degrees: a quarter degree (~25 km) keeps most track steps inside one
/// cell and leaves most cells of the large ADIZ/FIR areas free of edges.
pub const TOP_CELL_DEG: f64 = 0.25;

/// Most cells in the catalogue grid (8 bytes each plus entries): 2 MiB of cells. Catalogues
/// spanning more than this at [`TOP_CELL_DEG`] get proportionally larger cells.
pub const MAX_TOP_CELLS: usize = 1 << 18;

/// Most catalogue cells a segment may cover and still take the indexed path: a step that
/// straddles a cell corner covers four.
pub const MAX_QUERY_CELLS: usize = 4;

/// Entry flag: the entry is a line (else an area).
pub(crate) const LINE: u32 = 1 << 31;
/// Entry flag: the area contains the whole cell.
pub(crate) const FULL: u32 = 1 << 30;
/// Mask of the index part of an entry.
pub(crate) const INDEX: u32 = FULL - 1;

#[derive(Debug, Clone)]
pub(crate) struct TopGrid {
    bbox: BBox,
    nx: usize,
    ny: usize,
    cell: f64,
    inv: f64,
    cells: Vec<(u32, u32)>,
    entries: Vec<u32>,
}

/// A zone to place in the grid: an area or a line, by position in the catalogue's vectors.
pub(crate) enum Item<'a> {
    Area(u32, &'a PreparedArea),
    Line(u32, &'a PreparedLine),
}

impl TopGrid {
    /// Builds the grid; `items` must come in zone index order. `None` when there is nothing
    /// to index or an index does not fit the entry encoding.
    pub fn new(items: &[Item<'_>]) -> Option<TopGrid> {
        let boxes: Vec<[f64; 2]> = items
            .iter()
            .flat_map(|it| {
                let b = match it {
                    Item::Area(_, a) => a.bbox,
                    Item::Line(_, l) => l.bbox,
                };
                [[b[0], b[1]], [b[2], b[3]]]
            })
            .collect();
        let bbox = bbox_of(boxes.iter())?;
        let (w, h) = ((bbox[2] - bbox[0]).max(1e-6), (bbox[3] - bbox[1]).max(1e-6));
        let mut cell = TOP_CELL_DEG;
        let count = |c: f64| ((w / c).floor() as usize + 1) * ((h / c).floor() as usize + 1);
        while count(cell) > MAX_TOP_CELLS {
            cell *= 2.0;
        }
        let nx = (w / cell).floor() as usize + 1;
        let ny = (h / cell).floor() as usize + 1;
        let mut grid =
            TopGrid { bbox, nx, ny, cell, inv: 1.0 / cell, cells: Vec::new(), entries: Vec::new() };
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nx * ny];
        for it in items {
            let (b, tag) = match it {
                Item::Area(i, a) => (a.bbox, *i),
                Item::Line(i, l) => (l.bbox, *i | LINE),
            };
            if tag & INDEX != tag & !LINE {
                return None;
            }
            let (x0, x1) = (grid.col(b[0]), grid.col(b[2]));
            let (y0, y1) = (grid.row(b[1]), grid.row(b[3]));
            for y in y0..=y1 {
                for x in x0..=x1 {
                    let rect = grid.rect(x, y);
                    let entry = match it {
                        Item::Line(_, l) => l.touches(rect).then_some(tag),
                        Item::Area(_, a) => {
                            if a.touches(rect) {
                                Some(tag)
                            } else if a.mask(grid.centre(x, y)) != 0 {
                                Some(tag | FULL)
                            } else {
                                None
                            }
                        }
                    };
                    if let Some(e) = entry {
                        lists[y * nx + x].push(e);
                    }
                }
            }
        }
        for list in &lists {
            let start = u32::try_from(grid.entries.len()).ok()?;
            let len = u32::try_from(list.len()).ok()?;
            grid.entries.extend_from_slice(list);
            grid.cells.push((start, len));
        }
        Some(grid)
    }

    #[inline]
    fn col(&self, x: f64) -> usize {
        let c = ((x - self.bbox[0]) * self.inv).floor();
        if c <= 0.0 { 0 } else { (c as usize).min(self.nx - 1) }
    }

    #[inline]
    fn row(&self, y: f64) -> usize {
        let c = ((y - self.bbox[1]) * self.inv).floor();
        if c <= 0.0 { 0 } else { (c as usize).min(self.ny - 1) }
    }

    /// The cell's box grown by a small slack, so rounding at cell borders never drops a zone.
    fn rect(&self, x: usize, y: usize) -> BBox {
        const SLACK_DEG: f64 = 1e-7;
        let x0 = self.bbox[0] + x as f64 * self.cell;
        let y0 = self.bbox[1] + y as f64 * self.cell;
        [x0 - SLACK_DEG, y0 - SLACK_DEG, x0 + self.cell + SLACK_DEG, y0 + self.cell + SLACK_DEG]
    }

    fn centre(&self, x: usize, y: usize) -> [f64; 2] {
        [self.bbox[0] + (x as f64 + 0.5) * self.cell, self.bbox[1] + (y as f64 + 0.5) * self.cell]
    }

    /// The entries of the cell holding `p`; empty outside the grid.
    #[inline]
    pub fn at(&self, p: [f64; 2]) -> &[u32] {
        if !(p[0] >= self.bbox[0]
            && p[0] <= self.bbox[2]
            && p[1] >= self.bbox[1]
            && p[1] <= self.bbox[3])
        {
            return &[];
        }
        self.cell_entries(self.col(p[0]), self.row(p[1]))
    }

    fn cell_entries(&self, x: usize, y: usize) -> &[u32] {
        let Some(&(s, n)) = self.cells.get(y * self.nx + x) else { return &[] };
        self.entries.get(s as usize..(s + n) as usize).unwrap_or(&[])
    }

    /// The entries of the cells under the box `b` when it lies inside the grid and covers at
    /// most [`MAX_QUERY_CELLS`] cells, one slice per cell; `None` otherwise (the caller then
    /// scans every zone).
    #[inline]
    pub fn cells_under(&self, b: &BBox) -> Option<impl Iterator<Item = &[u32]>> {
        if b[0] < self.bbox[0] || b[2] > self.bbox[2] || b[1] < self.bbox[1] || b[3] > self.bbox[3]
        {
            return None;
        }
        let (x0, x1) = (self.col(b[0]), self.col(b[2]));
        let (y0, y1) = (self.row(b[1]), self.row(b[3]));
        if (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_QUERY_CELLS {
            return None;
        }
        Some((y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| self.cell_entries(x, y))))
    }
}
