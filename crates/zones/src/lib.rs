//! Zone catalogue for the seas and airspace around Taiwan and Japan: ADIZs, the Taiwan Strait
//! median line, territorial-sea (12 nm) and contiguous-zone (24 nm) limits, claimed baselines,
//! strait gate lines and FIRs, with prepared point-in-area and segment-crossing queries.
//!
//! The built-in catalogue is GeoJSON embedded in the crate (`data/*.geojson`, written by
//! `examples/build_catalogue.rs` from the project's reference data; every feature carries its
//! source, status and a note). Users add or override zones at run time with
//! [`Catalogue::from_geojson`] and [`Catalogue::merge`], without rebuilding.
//!
//! Geometry conventions: positions are `[lon, lat]` degrees (WGS84); a segment between two
//! positions is a straight line in lon/lat, which is adequate for the short steps of a track and
//! for the densely sampled boundaries here (see [`geom`]). Crossing rule (half-open): a point
//! exactly on a line belongs to the line's right side, so a segment that ends on a line crosses
//! it once and the next segment, leaving to the same side it came from, crosses back; a
//! zero-length segment never crosses. A line's left and right are seen looking along it from its
//! first vertex to its last. Points exactly on an area boundary, or segments passing exactly
//! through a boundary vertex, get a deterministic but unspecified answer.
//!
//! ```
//! use kuroshio_zones::{Catalogue, Direction};
//!
//! let cat = Catalogue::builtin()?;
//! let mut areas = Vec::new();
//! cat.areas_containing(121.56, 25.04, &mut areas); // Taipei
//! assert!(areas.iter().any(|i| cat.zone(*i).map(|z| z.meta.id.as_str()) == Some("roc_adiz")));
//!
//! let mut crossings = Vec::new();
//! cat.crossings((119.30, 26.08), (121.56, 25.04), &mut crossings); // Fuzhou → Taipei
//! let (median, _) = cat.get("tw_strait_median_line").ok_or("no median line")?;
//! let x = crossings.iter().find(|c| c.zone == median).ok_or("no crossing")?;
//! assert_eq!(x.direction, Direction::LeftToRight);
//! assert!(cat.direction_name(median, x.direction).starts_with("eastward"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Query structures (built when a catalogue is built or merged, nothing allocated per query): a
//! catalogue-wide two-level grid (`index`: quarter-degree top cells, and 1/64° sub-cells in
//! the top cells a boundary or line passes through) whose cells each know which areas contain
//! them entirely, which area boundaries and lines pass through them, and nothing else; and, per
//! area, a finer grid of its own edges (`prepared`). A point away from every boundary is
//! answered from its cell's list alone, and a segment whose cells hold no boundary or line
//! (most track steps) returns at once; only near a boundary are edges tested, and the answer
//! is the same as testing every zone.
//!
//! What this crate does not do: it does not decide legal questions (claims are labelled as
//! claims, with every party's name), does not fetch data, and does not handle the antimeridian.

#[cfg(test)]
mod fast_path_tests;
pub mod geom;
mod index;
mod parse;
mod prepared;

use std::collections::HashMap;
use std::fmt;

pub use geom::{BBox, Pt};
use index::{INDEX, Item, LINE, MAX_CANDIDATES, MAX_QUERY_SIGS, SegmentCells, TopGrid, WHOLE};
pub use index::{MAX_SUB_BLOCKS, MAX_TOP_CELLS, SUB_CELLS_PER_AXIS, TOP_CELL_DEG};
pub use prepared::MAX_PARTS;
use prepared::{PreparedArea, PreparedLine};

/// Built-in data: zones assembled from government texts (project data).
const DATA_ZONES: &str = include_str!("../data/zones.geojson");
/// Built-in data: computed 12 nm / 24 nm limits and the clipped ROC ADIZ.
const DATA_LIMITS: &str = include_str!("../data/limits.geojson");
/// Built-in data: FIRs from VATSpy (CC BY-SA 4.0; see `data/README.md`).
const DATA_FIRS: &str = include_str!("../data/firs.geojson");

/// Errors reading or merging a catalogue.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    /// The text is not JSON.
    #[error("zone file is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The top level is not a GeoJSON FeatureCollection.
    #[error("zone file is not a GeoJSON FeatureCollection")]
    NotFeatureCollection,
    /// A required property is missing or not a string.
    #[error("feature {feature}: missing or non-string property `{field}`")]
    MissingField {
        /// Index of the feature in the file.
        feature: usize,
        /// Property name.
        field: &'static str,
    },
    /// A property has a value outside its vocabulary.
    #[error("feature {feature}: property `{field}` has unknown value {value:?}")]
    BadValue {
        /// Index of the feature in the file.
        feature: usize,
        /// Property name.
        field: &'static str,
        /// The offending value.
        value: String,
    },
    /// The geometry is missing, of the wrong type for the kind, or malformed.
    #[error("zone {id}: bad geometry: {reason}")]
    BadGeometry {
        /// Zone id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// The same id appears twice in one file.
    #[error("zone id {id} appears more than once in the file")]
    DuplicateId {
        /// Zone id.
        id: String,
    },
}

/// What a zone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZoneKind {
    /// A line whose crossings matter (median line, ADIZ outer line, baselines).
    Line,
    /// A closed area (ADIZ, 12 nm limit, FIR, exercise area).
    Area,
    /// A gate line across a strait, crossed by transits.
    Gate,
}

impl ZoneKind {
    /// The word used in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::Line => "line",
            ZoneKind::Area => "area",
            ZoneKind::Gate => "gate",
        }
    }
}

/// How authoritative a zone's geometry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZoneStatus {
    /// Coordinates as published in an official text.
    Official,
    /// Rebuilt from secondary descriptions; no official vertex list was found.
    Reconstructed,
    /// Computed or drawn approximately (buffers, analyst gate lines, community data).
    Approximate,
}

impl ZoneStatus {
    /// The word used in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneStatus::Official => "official",
            ZoneStatus::Reconstructed => "reconstructed",
            ZoneStatus::Approximate => "approximate",
        }
    }
}

/// Descriptive properties of a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneMeta {
    /// Stable id; neutral for contested features.
    pub id: String,
    /// English name (every party's name for contested features).
    pub name_en: String,
    /// Japanese name.
    pub name_ja: String,
    /// Traditional Chinese name.
    pub name_zh_hant: String,
    /// Line, area or gate.
    pub kind: ZoneKind,
    /// Official, reconstructed or approximate.
    pub status: ZoneStatus,
    /// The party whose claim this is, when the zone is a claim.
    pub claim_of: Option<String>,
    /// The document the geometry comes from.
    pub source: String,
    /// How the geometry was made and its caveats.
    pub note: String,
    /// For lines and gates: the names of crossing left→right and right→left (e.g.
    /// "eastbound", "westbound"). For areas: entry and exit names.
    pub direction_names: [String; 2],
}

/// A zone's geometry.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// One or more polylines.
    Lines(Vec<Vec<Pt>>),
    /// One or more polygon parts, each a list of rings (outer first, then holes).
    Areas(Vec<Vec<Vec<Pt>>>),
}

/// One zone: metadata and geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Metadata.
    pub meta: ZoneMeta,
    /// Geometry.
    pub geometry: Geometry,
}

/// Index of a zone in a [`Catalogue`] (stable until the catalogue is merged into).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ZoneIdx(pub u32);

impl ZoneIdx {
    /// As a `usize` for indexing.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The direction of a crossing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// A line or gate crossed from its left side to its right side.
    LeftToRight,
    /// A line or gate crossed from its right side to its left side.
    RightToLeft,
    /// An area entered.
    Enter,
    /// An area left.
    Exit,
}

/// A crossing of a line, gate or area boundary by a segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// The zone crossed.
    pub zone: ZoneIdx,
    /// Where, `[lon, lat]`.
    pub point: Pt,
    /// Position along the segment, 0 at `from` and 1 at `to`.
    pub fraction: f64,
    /// Which way.
    pub direction: Direction,
}

/// A set of zones with prepared query structures.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    zones: Vec<Zone>,
    by_id: HashMap<String, ZoneIdx>,
    area_bboxes: Vec<BBox>,
    areas: Vec<(ZoneIdx, PreparedArea)>,
    line_bboxes: Vec<BBox>,
    lines: Vec<(ZoneIdx, PreparedLine)>,
    top: Option<TopGrid>,
}

/// The zones of a GeoJSON FeatureCollection, checking that no id appears twice.
fn parse_unique(text: &str) -> Result<Vec<Zone>, ZoneError> {
    let zones = parse::parse_collection(text)?;
    let mut ids = std::collections::HashSet::with_capacity(zones.len());
    for z in &zones {
        if !ids.insert(z.meta.id.as_str()) {
            return Err(ZoneError::DuplicateId { id: z.meta.id.clone() });
        }
    }
    Ok(zones)
}

impl Catalogue {
    /// The built-in catalogue (embedded data files).
    pub fn builtin() -> Result<Catalogue, ZoneError> {
        // The same as reading the zones file and merging the limits and FIRs into it, with the
        // query structures built once instead of after every step.
        let zones = parse_unique(DATA_ZONES)?;
        let limits = parse_unique(DATA_LIMITS)?;
        let firs = parse_unique(DATA_FIRS)?;
        Ok(Catalogue::from_zones(zones.into_iter().chain(limits).chain(firs)))
    }

    /// Reads a GeoJSON FeatureCollection in the catalogue schema (see `data/README.md`).
    pub fn from_geojson(text: &str) -> Result<Catalogue, ZoneError> {
        Ok(Catalogue::build(parse_unique(text)?))
    }

    /// Builds a catalogue from zones already in memory; a later zone replaces an earlier one
    /// with the same id.
    pub fn from_zones(zones: impl IntoIterator<Item = Zone>) -> Catalogue {
        let mut cat = Catalogue::default();
        cat.merge_zones(zones);
        cat
    }

    /// Adds `other`'s zones: a zone with a new id is appended, one with an existing id replaces
    /// it in place (keeping its index). Prepared structures are rebuilt.
    pub fn merge(&mut self, other: Catalogue) {
        self.merge_zones(other.zones);
    }

    fn merge_zones(&mut self, zones: impl IntoIterator<Item = Zone>) {
        let mut all = std::mem::take(&mut self.zones);
        let mut by_id: HashMap<String, usize> =
            all.iter().enumerate().map(|(i, z)| (z.meta.id.clone(), i)).collect();
        for z in zones {
            if let Some(&i) = by_id.get(&z.meta.id) {
                if let Some(slot) = all.get_mut(i) {
                    *slot = z;
                }
            } else {
                by_id.insert(z.meta.id.clone(), all.len());
                all.push(z);
            }
        }
        *self = Catalogue::build(all);
    }

    fn build(zones: Vec<Zone>) -> Catalogue {
        let mut cat = Catalogue::default();
        for (i, z) in zones.iter().enumerate() {
            let idx = ZoneIdx(u32::try_from(i).unwrap_or(u32::MAX));
            cat.by_id.insert(z.meta.id.clone(), idx);
            match &z.geometry {
                Geometry::Areas(polys) => {
                    if let Some(p) = PreparedArea::new(polys) {
                        cat.area_bboxes.push(p.bbox);
                        cat.areas.push((idx, p));
                    }
                }
                Geometry::Lines(lines) => {
                    if let Some(p) = PreparedLine::new(lines) {
                        cat.line_bboxes.push(p.bbox);
                        cat.lines.push((idx, p));
                    }
                }
            }
        }
        cat.zones = zones;
        // Zone index order: merge the area and line lists by zone index.
        let mut items: Vec<Item<'_>> = Vec::with_capacity(cat.areas.len() + cat.lines.len());
        items.extend(cat.areas.iter().enumerate().map(|(i, (z, a))| Item::Area(*z, i as u32, a)));
        items.extend(cat.lines.iter().enumerate().map(|(i, (z, l))| Item::Line(*z, i as u32, l)));
        items.sort_by_key(|it| match it {
            Item::Area(z, _, _) | Item::Line(z, _, _) => *z,
        });
        let top = TopGrid::new(&items);
        drop(items);
        cat.top = top;
        cat
    }

    /// All zones in index order.
    pub fn zones(&self) -> impl Iterator<Item = (ZoneIdx, &Zone)> {
        self.zones.iter().enumerate().map(|(i, z)| (ZoneIdx(i as u32), z))
    }

    /// Number of zones.
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// True when there are no zones.
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }

    /// The zone with this id.
    pub fn get(&self, id: &str) -> Option<(ZoneIdx, &Zone)> {
        let idx = *self.by_id.get(id)?;
        Some((idx, self.zones.get(idx.index())?))
    }

    /// The zone at this index.
    pub fn zone(&self, idx: ZoneIdx) -> Option<&Zone> {
        self.zones.get(idx.index())
    }

    /// The name of a crossing direction for this zone (from its `direction_names`; for areas
    /// the entry/exit names).
    pub fn direction_name(&self, idx: ZoneIdx, dir: Direction) -> &str {
        let Some(z) = self.zone(idx) else { return "" };
        match dir {
            Direction::LeftToRight | Direction::Enter => &z.meta.direction_names[0],
            Direction::RightToLeft | Direction::Exit => &z.meta.direction_names[1],
        }
    }

    /// Appends to `out` (without clearing it) the areas containing `[lon, lat]`, in index order.
    #[inline]
    pub fn areas_containing(&self, lon: f64, lat: f64, out: &mut Vec<ZoneIdx>) {
        let p = [lon, lat];
        let Some(top) = &self.top else {
            self.areas_containing_scan(p, out);
            return;
        };
        let Some(sig) = top.sig_at(p) else { return };
        // Most points lie in a cell no boundary passes through: this part is small enough to
        // inline into the caller's loop, and the edge tests stay out of line.
        if let Some(zones) = top.whole_list(sig) {
            let len = out.len() + TopGrid::point_count(sig);
            out.extend_from_slice(zones);
            out.truncate(len);
            return;
        }
        let list = top.point_list(sig);
        if sig.pt_whole {
            out.extend(list.iter().map(|&(zone, _)| zone));
        } else {
            self.areas_containing_tested(list, p, out);
        }
    }

    /// The areas of a cell's point list that contain `p`: those marked [`WHOLE`] and those
    /// whose own grid says so.
    #[inline(never)]
    fn areas_containing_tested(&self, list: &[(ZoneIdx, u32)], p: Pt, out: &mut Vec<ZoneIdx>) {
        for &(zone, a) in list {
            if a == WHOLE || self.areas.get(a as usize).is_some_and(|(_, area)| area.mask(p) != 0) {
                out.push(zone);
            }
        }
    }

    /// [`Catalogue::areas_containing`] without the catalogue grid: every area is tested.
    #[cold]
    #[inline(never)]
    fn areas_containing_scan(&self, p: Pt, out: &mut Vec<ZoneIdx>) {
        for (bb, (idx, area)) in self.area_bboxes.iter().zip(&self.areas) {
            if geom::bbox_has(bb, p) && area.mask(p) != 0 {
                out.push(*idx);
            }
        }
    }

    /// True when the area `idx` contains `[lon, lat]` (false for lines and unknown indices).
    pub fn contains(&self, idx: ZoneIdx, lon: f64, lat: f64) -> bool {
        self.areas.iter().find(|(i, _)| *i == idx).is_some_and(|(_, a)| a.mask([lon, lat]) != 0)
    }

    /// Appends to `out` (without clearing it) every crossing of the segment `from → to`
    /// (`(lon, lat)` degrees) with a line, gate or area boundary. Within one zone crossings are
    /// in order along the segment; zones come in index order. For areas only crossings that
    /// change containment are reported (an edge between two overlapping parts is not an exit).
    #[inline]
    pub fn crossings(&self, from: (f64, f64), to: (f64, f64), out: &mut Vec<Crossing>) {
        let p0 = [from.0, from.1];
        let p1 = [to.0, to.1];
        if p0 == p1 {
            return;
        }
        // Fast path: the segment lies in catalogue cells; only zones with edges there count,
        // and a segment in a cell without edges (most track steps) crosses nothing.
        if let Some(top) = &self.top {
            match top.segment_cells(p0, p1) {
                SegmentCells::One(list) => {
                    if !list.is_empty() {
                        self.crossings_of(list, p0, p1, out);
                    }
                    return;
                }
                SegmentCells::Several(cells) => {
                    let mut sigs = [0u32; MAX_QUERY_SIGS];
                    match top.segment_sigs(cells, &mut sigs) {
                        Some(0) => return,
                        Some(1) => {
                            self.crossings_of(top.seg_list(sigs[0]), p0, p1, out);
                            return;
                        }
                        Some(n) => {
                            let mut cand = [(0u32, 0u32); MAX_CANDIDATES];
                            let sigs = sigs.get(..n).unwrap_or(&[]);
                            if let Some(n) = top.merge_candidates(sigs, &mut cand) {
                                self.crossings_of(cand.get(..n).unwrap_or(&[]), p0, p1, out);
                                return;
                            }
                        }
                        None => {}
                    }
                }
                SegmentCells::Outside => {}
            }
        }
        self.crossings_scan(p0, p1, out);
    }

    /// The crossings with the zones of `cand` (`(zone index, entry)` in zone index order).
    #[inline(never)]
    fn crossings_of(&self, cand: &[(u32, u32)], p0: Pt, p1: Pt, out: &mut Vec<Crossing>) {
        for &(_, e) in cand {
            let i = (e & INDEX) as usize;
            if e & LINE != 0 {
                if let Some((idx, line)) = self.lines.get(i) {
                    line_crossings(*idx, line, p0, p1, out);
                }
            } else if let Some((idx, area)) = self.areas.get(i) {
                area_crossings(*idx, area, p0, p1, out);
            }
        }
    }

    /// The crossings with every zone whose box the segment's box overlaps.
    #[inline(never)]
    fn crossings_scan(&self, p0: Pt, p1: Pt, out: &mut Vec<Crossing>) {
        let sb = &[p0[0].min(p1[0]), p0[1].min(p1[1]), p0[0].max(p1[0]), p0[1].max(p1[1])];
        let mut li = 0;
        let mut ai = 0;
        // Walk lines and areas together so output is in zone index order.
        loop {
            let next_line = self.lines.get(li).map(|(i, _)| *i);
            let next_area = self.areas.get(ai).map(|(i, _)| *i);
            let take_line = match (next_line, next_area) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(l), Some(a)) => l < a,
            };
            if take_line {
                if let (Some(bb), Some((idx, line))) =
                    (self.line_bboxes.get(li), self.lines.get(li))
                    && geom::bbox_overlaps(bb, sb)
                {
                    line_crossings(*idx, line, p0, p1, out);
                }
                li += 1;
            } else {
                if let (Some(bb), Some((idx, area))) =
                    (self.area_bboxes.get(ai), self.areas.get(ai))
                    && geom::bbox_overlaps(bb, sb)
                {
                    area_crossings(*idx, area, p0, p1, out);
                }
                ai += 1;
            }
        }
    }

    /// The catalogue as a GeoJSON FeatureCollection, one feature per line.
    pub fn to_geojson(&self) -> String {
        parse::write_collection(self.zones.iter())
    }

    /// A plain-text table: index, id, kind, status, claim and English name, one zone per line.
    pub fn listing(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, z) in self.zones() {
            let m = &z.meta;
            let claim = m.claim_of.as_deref().map(|c| format!(" claim_of={c}")).unwrap_or_default();
            writeln!(
                f,
                "{:>3}  {:<34} {:<5} {:<13}{}  {}",
                idx.0,
                m.id,
                m.kind.as_str(),
                m.status.as_str(),
                claim,
                m.name_en
            )?;
        }
        Ok(())
    }
}

fn line_crossings(idx: ZoneIdx, line: &PreparedLine, p0: Pt, p1: Pt, out: &mut Vec<Crossing>) {
    let start = out.len();
    line.hits(p0, p1, |t, point, l2r| {
        let direction = if l2r { Direction::LeftToRight } else { Direction::RightToLeft };
        out.push(Crossing { zone: idx, point, fraction: t, direction });
    });
    sort_tail(out, start);
}

fn sort_tail(out: &mut [Crossing], start: usize) {
    if let Some(tail) = out.get_mut(start..)
        && tail.len() > 1
    {
        tail.sort_unstable_by(|a, b| a.fraction.total_cmp(&b.fraction));
    }
}

/// Most boundary hits of one segment with one area that are tracked when deciding entry and
/// exit; further hits in the same call are dropped (a track segment crossing one area's
/// boundary more than this many times is not a realistic input).
const MAX_AREA_HITS: usize = 32;

fn area_crossings(idx: ZoneIdx, area: &PreparedArea, p0: Pt, p1: Pt, out: &mut Vec<Crossing>) {
    // Most segments near a boundary do not cross it: find that out before setting up the
    // hit list.
    let mut any = false;
    area.hits(p0, p1, |_| any = true);
    if !any {
        return;
    }
    let mut hits = [(0.0f64, [0.0f64; 2], 0u16); MAX_AREA_HITS];
    let mut n = 0;
    area.hits(p0, p1, |h| {
        if let Some(slot) = hits.get_mut(n) {
            *slot = (h.t, h.point, h.part);
            n += 1;
        }
    });
    if n == 0 {
        return;
    }
    let hits = &mut hits[..n];
    hits.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut mask = area.mask(p0);
    for &(t, point, part) in hits.iter() {
        let before = mask != 0;
        mask ^= 1u64 << part;
        let after = mask != 0;
        if before != after {
            let direction = if after { Direction::Enter } else { Direction::Exit };
            out.push(Crossing { zone: idx, point, fraction: t, direction });
        }
    }
}
