//! Catalogue-wide two-level grid that tells each query which zones can matter where.
//!
//! The union box of all zones is cut into square top cells (normally [`TOP_CELL_DEG`] wide).
//! Every top cell through which some line or area boundary passes is cut again into
//! [`SUB_CELLS_PER_AXIS`]² sub-cells (at most [`MAX_SUB_BLOCKS`] top cells are cut; the rest
//! keep their top-cell answer). Each cell, top or sub, is classified once, when the catalogue is
//! built, into a *signature*: the areas that contain the whole cell (answered without any test),
//! the areas whose boundary touches the cell (tested with the area's own grid) and the lines
//! that touch it. Identical signatures are stored once (the built-in catalogue has under 300),
//! so a top cell costs two `u32` (its code and its signature) and a sub-cell one `u16`: about
//! 0.9 MB for the built-in catalogue.
//!
//! A point query reads one top cell, one entry of the sub-cells and one signature, without a
//! branch on whether the top cell is cut (an uncut top cell points at one entry holding its
//! signature); most points lie in a cell with no boundary and copy the signature's fixed-size
//! list of containing areas ([`WHOLE_INLINE`]). A segment query
//! reads the signatures of the cells under its bounding box (one cell for most track steps, at
//! most [`MAX_QUERY_CELLS`] top cells, beyond which the caller tests every zone); when none has
//! a line or boundary nothing can be crossed and it stops there, and a segment wholly outside
//! the grid crosses nothing.
//!
//! Classification grows every cell by a small slack, so rounding of a query's cell index never
//! puts a point or segment in a cell that misses a boundary it is near.

use std::collections::HashMap;

use crate::ZoneIdx;
use crate::geom::{BBox, Pt, bbox_of};
use crate::prepared::{PreparedArea, PreparedLine, segment_touches_rect};

/// Preferred top cell size in degrees: a quarter degree (~25 km) keeps the top level small
/// (about 22,000 cells for the built-in catalogue) and leaves most top cells of the large
/// ADIZ/FIR areas free of boundaries.
pub const TOP_CELL_DEG: f64 = 0.25;

/// Most top cells in the catalogue grid (8 bytes each): 2 MiB. Catalogues spanning more than
/// this at [`TOP_CELL_DEG`] get proportionally larger cells.
pub const MAX_TOP_CELLS: usize = 1 << 18;

/// Sub-cells per axis in a top cell that a boundary passes through: 16 makes sub-cells of
/// 1/64° (~1.7 km), so only points and track steps within about a kilometre of a boundary
/// need an edge test.
pub const SUB_CELLS_PER_AXIS: usize = 16;

/// Sub-cells per cut top cell.
const SUB_CELLS: usize = SUB_CELLS_PER_AXIS * SUB_CELLS_PER_AXIS;

/// Most top cells that are cut into sub-cells (512 bytes of sub-cells each): 2 MiB. The
/// built-in catalogue cuts about 1,400; further boundary cells of a very large user catalogue
/// keep their top-cell signature, which gives the same answers with more edge tests.
pub const MAX_SUB_BLOCKS: usize = 4096;

/// Most distinct sub-cell signatures: sub-cells store them as `u16`, which halves the memory a
/// query touches. The built-in catalogue has under 300; cutting stops when a catalogue would
/// need more (the remaining top cells keep their top-cell signature).
const MAX_SUB_SIGS: usize = 1 << 16;

/// Most top cells a segment may cover and still take the indexed path: a step that straddles
/// a top cell corner covers four.
pub(crate) const MAX_QUERY_CELLS: usize = 4;

/// Most sub-cells of one top cell that a segment query reads one by one; a segment covering
/// more of a cut top cell uses the top cell's signature instead (same answer, more tests).
const MAX_QUERY_SUB_CELLS: usize = 16;

/// Most distinct signatures gathered for one segment; more falls back to scanning every zone.
pub(crate) const MAX_QUERY_SIGS: usize = 16;

/// Most zones that can matter to one segment on the indexed path; more (a very dense user
/// catalogue) falls back to scanning every zone, which gives the same answer more slowly.
pub(crate) const MAX_CANDIDATES: usize = 48;

/// Cell entry flag: the entry is a line (else an area).
pub(crate) const LINE: u32 = 1 << 31;
/// Cell entry flag: the area contains the whole cell.
const FULL: u32 = 1 << 30;
/// Mask of the index part of a cell entry.
pub(crate) const INDEX: u32 = FULL - 1;
/// Top cell code flag: the top cell is cut, and the rest of the code is where its block of
/// [`SUB_CELLS`] sub-cell signatures starts in `TopGrid::sub`; without it, the rest of the code
/// is where the one entry holding the top cell's signature is. Either way a point's signature is
/// one read of `sub` at `start + (sub-cell & mask)`, the mask being zero for uncut cells, so the
/// lookup has no branch to mispredict.
const CUT: u32 = 1 << 31;
/// Marks an area in a signature's point list that contains the whole cell (no test needed).
pub(crate) const WHOLE: u32 = u32::MAX;

/// Zones in the fixed-size copy of a cell's areas when every area of its point list contains
/// the whole cell. A point query copies all of them and then shortens the output to the real
/// count: the same work for every cell, where a loop over a varying number of areas is a branch
/// the processor guesses wrong about once per point. No place in the built-in catalogue lies in
/// more than six areas; cells in more use the loop.
pub(crate) const WHOLE_INLINE: usize = 8;

/// Slack, in degrees, by which a cell is grown when it is classified.
const SLACK_DEG: f64 = 1e-7;

/// One class of cells: what a point or segment in such a cell must look at.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sig {
    /// Start of the point list in `TopGrid::pt`.
    pt_start: u32,
    /// Length of the point list.
    pt_len: u32,
    /// True when every area of the point list contains the whole cell.
    pub pt_whole: bool,
    /// With `pt_whole` and at most [`WHOLE_INLINE`] areas: where the point list's zones are in
    /// `TopGrid::whole`, padded to [`WHOLE_INLINE`]; else `u32::MAX`.
    whole_at: u32,
    /// Start of the segment list in `TopGrid::seg`.
    seg_start: u32,
    /// Length of the segment list; zero when nothing can be crossed in the cell.
    seg_len: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct TopGrid {
    bbox: BBox,
    nx: usize,
    ny: usize,
    /// Sub-cell columns and rows over the whole grid (`nx`, `ny` × [`SUB_CELLS_PER_AXIS`]).
    nfx: usize,
    nfy: usize,
    cell: f64,
    /// Sub-cells per degree.
    inv_sub: f64,
    /// Per top cell, row by row: where its signature is in `sub`, or [`CUT`] and where its
    /// block of sub-cells starts.
    top: Vec<u32>,
    /// Per top cell: its signature (for cut cells, that of the whole top cell).
    top_sig: Vec<u32>,
    /// Signatures of the sub-cells, [`SUB_CELLS`] per block (row by row), and one entry per
    /// distinct signature of an uncut top cell.
    sub: Vec<u16>,
    /// How many top cells are cut.
    blocks: usize,
    sigs: Vec<Sig>,
    /// Point lists: the areas to report (zone index order), each with its position in the
    /// catalogue's areas, or [`WHOLE`] when it contains the whole cell.
    pt: Vec<(ZoneIdx, u32)>,
    /// The zones of the point lists whose areas all contain the whole cell, padded.
    whole: Vec<[ZoneIdx; WHOLE_INLINE]>,
    /// Segment lists: `(zone index, entry)` of the lines and area boundaries touching the cell,
    /// in zone index order; an entry is a position in the catalogue's lines (with [`LINE`]) or
    /// areas.
    seg: Vec<(u32, u32)>,
}

/// Where a segment's bounding box lies in the grid.
pub(crate) enum SegmentCells<'a> {
    /// Outside the grid.
    Outside,
    /// In one cell, with these lines and area boundaries (see [`TopGrid::segment_cells`]).
    One(&'a [(u32, u32)]),
    /// Over several cells: sub-cell columns `[0]..=[1]`, rows `[2]..=[3]`.
    Several([usize; 4]),
}

/// A zone to place in the grid: an area or a line, by position in the catalogue's vectors.
pub(crate) enum Item<'a> {
    Area(ZoneIdx, u32, &'a PreparedArea),
    Line(ZoneIdx, u32, &'a PreparedLine),
}

/// Interns cell classifications as signatures while the grid is built.
struct SigTable<'g> {
    grid: &'g mut TopGrid,
    ids: HashMap<Vec<u32>, u32>,
    /// The last list interned and its id: neighbouring cells mostly share a signature.
    last: Option<(Vec<u32>, u32)>,
}

impl SigTable<'_> {
    /// The signature id of a cell whose entries are `list`: positions in `items` (zone index
    /// order), with [`FULL`] on areas that contain the whole cell.
    fn intern(&mut self, list: &[u32], items: &[Item<'_>]) -> Option<u32> {
        if let Some((l, id)) = &self.last
            && l.as_slice() == list
        {
            return Some(*id);
        }
        if let Some(&id) = self.ids.get(list) {
            self.last = Some((list.to_vec(), id));
            return Some(id);
        }
        let g = &mut *self.grid;
        let id = u32::try_from(g.sigs.len()).ok()?;
        let pt_start = u32::try_from(g.pt.len()).ok()?;
        let seg_start = u32::try_from(g.seg.len()).ok()?;
        let mut pt_whole = true;
        for &e in list {
            match items.get((e & INDEX) as usize)? {
                Item::Line(zone, pos, _) => g.seg.push((zone.0, *pos | LINE)),
                Item::Area(zone, _, _) if e & FULL != 0 => g.pt.push((*zone, WHOLE)),
                Item::Area(zone, pos, _) => {
                    pt_whole = false;
                    g.pt.push((*zone, *pos));
                    g.seg.push((zone.0, *pos));
                }
            }
        }
        let pt_len = u32::try_from(g.pt.len()).ok()? - pt_start;
        let seg_len = u32::try_from(g.seg.len()).ok()? - seg_start;
        let mut whole_at = u32::MAX;
        if pt_whole && pt_len as usize <= WHOLE_INLINE {
            let mut zones = [ZoneIdx(0); WHOLE_INLINE];
            for (z, (zone, _)) in zones.iter_mut().zip(&g.pt[pt_start as usize..]) {
                *z = *zone;
            }
            whole_at = u32::try_from(g.whole.len()).ok()?;
            g.whole.push(zones);
        }
        g.sigs.push(Sig { pt_start, pt_len, pt_whole, whole_at, seg_start, seg_len });
        self.ids.insert(list.to_vec(), id);
        self.last = Some((list.to_vec(), id));
        Some(id)
    }

    /// Cuts top cell `(x, y)`, whose entries are `list`, into sub-cells and appends their
    /// signatures to the grid's sub-cells; `Some(false)` (and nothing appended) when that
    /// would exceed [`MAX_SUB_SIGS`].
    fn cut(&mut self, x: usize, y: usize, list: &[u32], items: &[Item<'_>]) -> Option<bool> {
        const S: usize = SUB_CELLS_PER_AXIS;
        let g = &*self.grid;
        let top_rect = g.top_rect(x, y);
        // Per entry: which sub-cells a boundary or line touches, and which the area contains.
        let mut touched = vec![[false; SUB_CELLS]; list.len()];
        let mut inside = vec![[false; SUB_CELLS]; list.len()];
        for ((&e, t), inn) in list.iter().zip(&mut touched).zip(&mut inside) {
            if e & FULL != 0 {
                continue;
            }
            match items.get((e & INDEX) as usize)? {
                Item::Line(_, _, l) => l.for_each_edge(|a, b| g.mark_touched(x, y, a, b, t)),
                Item::Area(_, _, area) => {
                    area.for_each_edge_near(top_rect, |a, b| g.mark_touched(x, y, a, b, t));
                    // No boundary passes between neighbouring untouched sub-cells of a row, so
                    // a run of them shares the containment of its first cell.
                    for sy in 0..S {
                        let mut run: Option<bool> = None;
                        for sx in 0..S {
                            let k = sy * S + sx;
                            if t[k] {
                                run = None;
                                continue;
                            }
                            let c = *run.get_or_insert_with(|| {
                                area.mask(g.sub_centre(x * S + sx, y * S + sy)) != 0
                            });
                            inn[k] = c;
                        }
                    }
                }
            }
        }
        let mut sub_list = Vec::with_capacity(list.len());
        let mut ids = [0u16; SUB_CELLS];
        for (k, slot) in ids.iter_mut().enumerate() {
            sub_list.clear();
            for (j, &e) in list.iter().enumerate() {
                if e & FULL != 0 || touched.get(j)?[k] {
                    sub_list.push(e);
                } else if inside.get(j)?[k] {
                    sub_list.push(e | FULL);
                }
            }
            let id = self.intern(&sub_list, items)?;
            if id as usize >= MAX_SUB_SIGS {
                return Some(false);
            }
            *slot = u16::try_from(id).ok()?;
        }
        self.grid.sub.extend_from_slice(&ids);
        Some(true)
    }
}

/// Classifies item `it` (entry `tag`) in the cell `rect` whose centre is `centre`.
fn classify(it: &Item<'_>, tag: u32, rect: BBox, centre: [f64; 2]) -> Option<u32> {
    match it {
        Item::Line(_, _, l) => l.touches(rect).then_some(tag),
        Item::Area(_, _, a) => {
            if a.touches(rect) {
                Some(tag)
            } else if a.mask(centre) != 0 {
                Some(tag | FULL)
            } else {
                None
            }
        }
    }
}

impl TopGrid {
    /// Builds the grid; `items` must come in zone index order. `None` when there is nothing
    /// to index or an index does not fit the entry encoding.
    pub fn new(items: &[Item<'_>]) -> Option<TopGrid> {
        let boxes: Vec<[f64; 2]> = items
            .iter()
            .flat_map(|it| {
                let b = item_bbox(it);
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
        let mut grid = TopGrid {
            bbox,
            nx,
            ny,
            nfx: nx * SUB_CELLS_PER_AXIS,
            nfy: ny * SUB_CELLS_PER_AXIS,
            cell,
            inv_sub: SUB_CELLS_PER_AXIS as f64 / cell,
            top: Vec::with_capacity(nx * ny),
            top_sig: Vec::with_capacity(nx * ny),
            sub: Vec::new(),
            blocks: 0,
            sigs: Vec::new(),
            pt: Vec::new(),
            whole: Vec::new(),
            seg: Vec::new(),
        };
        // Top cells: the entries of each, in zone index order.
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nx * ny];
        for (k, it) in items.iter().enumerate() {
            let b = item_bbox(it);
            let tag = u32::try_from(k).ok().filter(|k| k & INDEX == *k)?;
            if let Item::Area(_, pos, _) | Item::Line(_, pos, _) = it
                && *pos & INDEX != *pos
            {
                return None;
            }
            let (x0, x1) = (grid.top_col(b[0]), grid.top_col(b[2]));
            let (y0, y1) = (grid.top_row(b[1]), grid.top_row(b[3]));
            for y in y0..=y1 {
                for x in x0..=x1 {
                    let entry = classify(it, tag, grid.top_rect(x, y), grid.top_centre(x, y));
                    if let (Some(e), Some(list)) = (entry, lists.get_mut(y * nx + x)) {
                        list.push(e);
                    }
                }
            }
        }
        let mut table = SigTable { grid: &mut grid, ids: HashMap::new(), last: None };
        let mut cutting = true;
        // Where each uncut signature's one entry is in `sub`.
        let mut uniform: HashMap<u32, u32> = HashMap::new();
        for (i, list) in lists.iter().enumerate() {
            let sig = table.intern(list, items)?;
            let mut code = None;
            if cutting && table.grid.blocks < MAX_SUB_BLOCKS && list.iter().any(|e| e & FULL == 0) {
                let start = u32::try_from(table.grid.sub.len()).ok().filter(|s| s & CUT == 0)?;
                if table.cut(i % nx, i / nx, list, items)? {
                    code = Some(CUT | start);
                    table.grid.blocks += 1;
                } else {
                    cutting = false;
                }
            }
            let code = match code {
                Some(c) => c,
                None => {
                    let sub = &mut table.grid.sub;
                    match uniform.get(&sig) {
                        Some(&at) => at,
                        None => {
                            // A catalogue with more distinct signatures than a `u16` holds
                            // gets no grid; every query then tests every zone.
                            let at = u32::try_from(sub.len()).ok().filter(|s| s & CUT == 0)?;
                            sub.push(u16::try_from(sig).ok()?);
                            uniform.insert(sig, at);
                            at
                        }
                    }
                }
            };
            table.grid.top.push(code);
            table.grid.top_sig.push(sig);
        }
        Some(grid)
    }

    #[inline]
    fn top_col(&self, x: f64) -> usize {
        let c = ((x - self.bbox[0]) / self.cell).floor();
        if c <= 0.0 { 0 } else { (c as usize).min(self.nx - 1) }
    }

    #[inline]
    fn top_row(&self, y: f64) -> usize {
        let c = ((y - self.bbox[1]) / self.cell).floor();
        if c <= 0.0 { 0 } else { (c as usize).min(self.ny - 1) }
    }

    /// A top cell's box grown by [`SLACK_DEG`].
    fn top_rect(&self, x: usize, y: usize) -> BBox {
        let x0 = self.bbox[0] + x as f64 * self.cell;
        let y0 = self.bbox[1] + y as f64 * self.cell;
        [x0 - SLACK_DEG, y0 - SLACK_DEG, x0 + self.cell + SLACK_DEG, y0 + self.cell + SLACK_DEG]
    }

    fn top_centre(&self, x: usize, y: usize) -> [f64; 2] {
        [self.bbox[0] + (x as f64 + 0.5) * self.cell, self.bbox[1] + (y as f64 + 0.5) * self.cell]
    }

    /// A sub-cell's box (by grid-wide sub-cell column and row) grown by [`SLACK_DEG`].
    fn sub_rect(&self, fx: usize, fy: usize) -> BBox {
        let s = self.cell / SUB_CELLS_PER_AXIS as f64;
        let x0 = self.bbox[0] + fx as f64 * s;
        let y0 = self.bbox[1] + fy as f64 * s;
        [x0 - SLACK_DEG, y0 - SLACK_DEG, x0 + s + SLACK_DEG, y0 + s + SLACK_DEG]
    }

    fn sub_centre(&self, fx: usize, fy: usize) -> [f64; 2] {
        let s = self.cell / SUB_CELLS_PER_AXIS as f64;
        [self.bbox[0] + (fx as f64 + 0.5) * s, self.bbox[1] + (fy as f64 + 0.5) * s]
    }

    /// Marks in `touched` the sub-cells of top cell `(x, y)` whose box, grown by
    /// [`SLACK_DEG`], the edge `a→b` touches.
    fn mark_touched(&self, x: usize, y: usize, a: Pt, b: Pt, touched: &mut [bool; SUB_CELLS]) {
        const S: usize = SUB_CELLS_PER_AXIS;
        let s = self.cell / S as f64;
        // Candidate sub-cells from the edge's box, one cell wider on each side against rounding.
        let local = |v: f64, origin: f64, first: usize| -> f64 { (v - origin) / s - first as f64 };
        let (fx, fy) = (x * S, y * S);
        let lo_x = local(a[0].min(b[0]), self.bbox[0], fx).floor() - 1.0;
        let hi_x = local(a[0].max(b[0]), self.bbox[0], fx).floor() + 1.0;
        let lo_y = local(a[1].min(b[1]), self.bbox[1], fy).floor() - 1.0;
        let hi_y = local(a[1].max(b[1]), self.bbox[1], fy).floor() + 1.0;
        let last = (S - 1) as f64;
        if hi_x < 0.0 || hi_y < 0.0 || lo_x > last || lo_y > last {
            return;
        }
        let clamp = |v: f64| v.clamp(0.0, last) as usize;
        for sy in clamp(lo_y)..=clamp(hi_y) {
            for sx in clamp(lo_x)..=clamp(hi_x) {
                let k = sy * S + sx;
                if !touched[k] && segment_touches_rect(a, b, self.sub_rect(fx + sx, fy + sy)) {
                    touched[k] = true;
                }
            }
        }
    }

    /// How many signatures whose areas all contain the whole cell take the fixed-size copy,
    /// and how many the loop.
    #[cfg(test)]
    pub fn whole_sigs(&self) -> (usize, usize) {
        let whole = self.sigs.iter().filter(|s| s.pt_whole);
        let inline = whole.clone().filter(|s| s.whole_at != u32::MAX).count();
        (inline, whole.count() - inline)
    }

    /// How many top cells are cut into sub-cells.
    #[cfg(test)]
    pub fn cut_cells(&self) -> usize {
        self.blocks
    }

    /// Grid-wide sub-cell column of longitude `x`, for `x` inside the grid's box.
    #[inline]
    fn sub_col(&self, x: f64) -> usize {
        // Inside the box the value is at least 0 and below 2^32 (the grid has at most
        // MAX_TOP_CELLS × SUB_CELLS_PER_AXIS columns); converting through u32 keeps the
        // saturating conversion short. The `min` covers rounding at the box's far edge.
        (((x - self.bbox[0]) * self.inv_sub) as u32 as usize).min(self.nfx - 1)
    }

    /// Grid-wide sub-cell row of latitude `y`, for `y` inside the grid's box.
    #[inline]
    fn sub_row(&self, y: f64) -> usize {
        (((y - self.bbox[1]) * self.inv_sub) as u32 as usize).min(self.nfy - 1)
    }

    /// The signature of the sub-cell at grid-wide column `fx`, row `fy`.
    #[inline]
    fn sig_id(&self, fx: usize, fy: usize) -> u32 {
        const S: usize = SUB_CELLS_PER_AXIS;
        let Some(&code) = self.top.get((fy / S) * self.nx + fx / S) else { return 0 };
        // All ones for a cut cell, zero for an uncut one.
        let mask = 0usize.wrapping_sub((code >> 31) as usize) & (SUB_CELLS - 1);
        let k = (code & !CUT) as usize + (((fy % S) * S + fx % S) & mask);
        self.sub.get(k).map_or(0, |&id| u32::from(id))
    }

    /// The signature of the cell holding `p`; `None` outside the grid.
    #[inline]
    pub fn sig_at(&self, p: [f64; 2]) -> Option<&Sig> {
        if !(p[0] >= self.bbox[0]
            && p[0] <= self.bbox[2]
            && p[1] >= self.bbox[1]
            && p[1] <= self.bbox[3])
        {
            return None;
        }
        self.sigs.get(self.sig_id(self.sub_col(p[0]), self.sub_row(p[1])) as usize)
    }

    /// The point list of `sig`: zone indices, each with the area position or [`WHOLE`].
    #[inline]
    pub fn point_list(&self, sig: &Sig) -> &[(ZoneIdx, u32)] {
        let r = sig.pt_start as usize..(sig.pt_start + sig.pt_len) as usize;
        self.pt.get(r).unwrap_or(&[])
    }

    /// For a signature whose areas all contain the whole cell, its zones padded to
    /// [`WHOLE_INLINE`] (the first `pt_len` count); `None` for other signatures.
    #[inline]
    pub fn whole_list(&self, sig: &Sig) -> Option<&[ZoneIdx; WHOLE_INLINE]> {
        self.whole.get(sig.whole_at as usize)
    }

    /// The number of areas in the point list of `sig`.
    #[inline]
    pub fn point_count(sig: &Sig) -> usize {
        sig.pt_len as usize
    }

    /// The segment list of signature `id`: `(zone index, entry)` in zone index order.
    #[inline]
    pub fn seg_list(&self, id: u32) -> &[(u32, u32)] {
        let Some(sig) = self.sigs.get(id as usize) else { return &[] };
        let r = sig.seg_start as usize..(sig.seg_start + sig.seg_len) as usize;
        self.seg.get(r).unwrap_or(&[])
    }

    /// Where the segment `p0→p1` lies: in one cell (with the lines and area boundaries that
    /// can be crossed there, as `(zone index, entry)` in zone index order without repeats),
    /// over several cells, or not wholly inside the grid.
    #[inline]
    pub fn segment_cells(&self, p0: Pt, p1: Pt) -> SegmentCells<'_> {
        let b = &self.bbox;
        let inside = |p: Pt| p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
        if !(inside(p0) && inside(p1)) {
            // Wholly to one side of the grid's box: it reaches no zone.
            if (p0[0] < b[0] && p1[0] < b[0])
                || (p0[0] > b[2] && p1[0] > b[2])
                || (p0[1] < b[1] && p1[1] < b[1])
                || (p0[1] > b[3] && p1[1] > b[3])
            {
                return SegmentCells::One(&[]);
            }
            return SegmentCells::Outside;
        }
        // The column and row functions are monotonic, so the ends give the range.
        let (xa, xb) = (self.sub_col(p0[0]), self.sub_col(p1[0]));
        let (ya, yb) = (self.sub_row(p0[1]), self.sub_row(p1[1]));
        if xa == xb && ya == yb {
            return SegmentCells::One(self.seg_list(self.sig_id(xa, ya)));
        }
        SegmentCells::Several([xa.min(xb), xa.max(xb), ya.min(yb), ya.max(yb)])
    }

    /// The distinct signatures, among those with lines or area boundaries, of the cells of a
    /// segment over the sub-cell columns `r[0]..=r[1]` and rows `r[2]..=r[3]` (from
    /// [`TopGrid::segment_cells`]), written to `sigs`; returns how many, or `None` when the
    /// segment covers too much of the grid (the caller then scans every zone).
    pub fn segment_sigs(&self, r: [usize; 4], sigs: &mut [u32; MAX_QUERY_SIGS]) -> Option<usize> {
        const S: usize = SUB_CELLS_PER_AXIS;
        let [fx0, fx1, fy0, fy1] = r;
        let (tx0, tx1, ty0, ty1) = (fx0 / S, fx1 / S, fy0 / S, fy1 / S);
        if (tx1 - tx0 + 1) * (ty1 - ty0 + 1) > MAX_QUERY_CELLS {
            return None;
        }
        let mut ns = 0;
        let mut add = |id: u32| -> Option<()> {
            if self.sigs.get(id as usize)?.seg_len != 0 && !sigs[..ns].contains(&id) {
                *sigs.get_mut(ns)? = id;
                ns += 1;
            }
            Some(())
        };
        for ty in ty0..=ty1 {
            for tx in tx0..=tx1 {
                let t = ty * self.nx + tx;
                let (code, sig) = (*self.top.get(t)?, *self.top_sig.get(t)?);
                // The part of the segment's box in this top cell, in sub-cells.
                let (sx0, sx1) = (fx0.max(tx * S), fx1.min(tx * S + S - 1));
                let (sy0, sy1) = (fy0.max(ty * S), fy1.min(ty * S + S - 1));
                if code & CUT == 0 || (sx1 - sx0 + 1) * (sy1 - sy0 + 1) > MAX_QUERY_SUB_CELLS {
                    add(sig)?;
                    continue;
                }
                for fy in sy0..=sy1 {
                    for fx in sx0..=sx1 {
                        add(self.sig_id(fx, fy))?;
                    }
                }
            }
        }
        Some(ns)
    }

    /// The union of the segment lists of `sigs`, in zone index order without repeats, written
    /// to `cand`; returns how many, or `None` when there are more than [`MAX_CANDIDATES`].
    pub fn merge_candidates(
        &self,
        sigs: &[u32],
        cand: &mut [(u32, u32); MAX_CANDIDATES],
    ) -> Option<usize> {
        let mut n = 0;
        for &id in sigs {
            for &c in self.seg_list(id) {
                if !cand[..n].contains(&c) {
                    *cand.get_mut(n)? = c;
                    n += 1;
                }
            }
        }
        cand[..n].sort_unstable();
        Some(n)
    }
}

/// The bounding box of an item.
fn item_bbox(it: &Item<'_>) -> BBox {
    match it {
        Item::Area(_, _, a) => a.bbox,
        Item::Line(_, _, l) => l.bbox,
    }
}
