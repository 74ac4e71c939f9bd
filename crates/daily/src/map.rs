//! The report's map: an SVG drawn by the node from its own data, with no tiles and no network.
//!
//! Layers, bottom up: land (when the caller passes the web map's basemap, Natural Earth
//! polygons as GeoJSON), the zone catalogue's ADIZs, median line, Japan's ADIZ line, strait
//! gates and 12 nm limits (which also mark the islands when there is no coastline), the
//! counted tracks coloured by category, and labels: zone names in the report's language, one
//! label per ship and one per group of aircraft sorties (tracks whose ids differ only in a
//! trailing number). Lines whose status is not official are dashed.
//!
//! The projection is equirectangular, scaled by the cosine of the map's middle latitude so
//! shapes near Taiwan keep their proportions; lon = x, lat = y, degrees.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kuroshio_zones::{Catalogue, Geometry, ZoneKind, ZoneStatus};
use serde_json::Value;

use crate::classify::Category;
use crate::i18n::{self, Lang};
use crate::report::MapTrack;

/// The map's extent: west, south, east, north (degrees). Taiwan, the Strait, the Bashi
/// Channel and the southern Ryukyus to Okinawa.
pub const EXTENT: [f64; 4] = [116.0, 20.0, 128.5, 28.0];

/// Width of the drawing, SVG user units (pixels at 96 dpi).
pub const WIDTH_PX: f64 = 900.0;

/// Ships whose tracks end closer than this (SVG units) share one label.
const CLUSTER_PX: f64 = 14.0;

/// How far outside the view lines are still drawn as they are, degrees.
const MARGIN_DEG: f64 = 0.5;

/// Smallest step drawn, SVG units: finer detail is invisible at print size.
const SIMPLIFY_PX: f64 = 1.5;

/// Most rings taken from a basemap: Natural Earth's 1:10m land cut to the region has a few
/// thousand; more is not a basemap this map can use.
pub const BASEMAP_RINGS_MAX: usize = 200_000;

/// Why a basemap could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BasemapError {
    /// Not JSON.
    #[error("basemap is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON but not a GeoJSON FeatureCollection of polygons.
    #[error("basemap is not a GeoJSON FeatureCollection")]
    NotFeatureCollection,
    /// Too many rings.
    #[error("basemap has more than {BASEMAP_RINGS_MAX} rings")]
    TooLarge,
}

/// Land polygons' rings, lon/lat degrees, kept only when they reach into the map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Basemap {
    rings: Vec<Vec<[f64; 2]>>,
}

impl Basemap {
    /// Reads a GeoJSON FeatureCollection (or a bare geometry) of Polygons/MultiPolygons, such
    /// as `web/dist/basemap/land-10m.geojson` that `scripts/build-web` cuts from Natural Earth.
    pub fn from_geojson(text: &str) -> Result<Basemap, BasemapError> {
        let v: Value = serde_json::from_str(text)?;
        let mut rings = Vec::new();
        let geometries: Vec<&Value> = match v.get("type").and_then(Value::as_str) {
            Some("FeatureCollection") => v
                .get("features")
                .and_then(Value::as_array)
                .ok_or(BasemapError::NotFeatureCollection)?
                .iter()
                .filter_map(|f| f.get("geometry"))
                .collect(),
            Some("Feature") => v.get("geometry").into_iter().collect(),
            Some("Polygon" | "MultiPolygon") => vec![&v],
            _ => return Err(BasemapError::NotFeatureCollection),
        };
        for g in geometries {
            let coords = g.get("coordinates");
            let polygons: Vec<&Value> = match g.get("type").and_then(Value::as_str) {
                Some("Polygon") => coords.into_iter().collect(),
                Some("MultiPolygon") => {
                    coords.and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
                }
                _ => continue,
            };
            for p in polygons {
                for ring in p.as_array().into_iter().flatten() {
                    let pts: Vec<[f64; 2]> = ring
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|c| Some([c.get(0)?.as_f64()?, c.get(1)?.as_f64()?]))
                        .filter(|p| p[0].is_finite() && p[1].is_finite())
                        .collect();
                    if pts.len() >= 3 && reaches_map(&pts) {
                        if rings.len() >= BASEMAP_RINGS_MAX {
                            return Err(BasemapError::TooLarge);
                        }
                        rings.push(pts);
                    }
                }
            }
        }
        Ok(Basemap { rings })
    }

    /// Rings kept.
    pub fn len(&self) -> usize {
        self.rings.len()
    }

    /// Whether no ring reaches the map.
    pub fn is_empty(&self) -> bool {
        self.rings.is_empty()
    }
}

fn reaches_map(pts: &[[f64; 2]]) -> bool {
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts {
        w = w.min(p[0]);
        e = e.max(p[0]);
        s = s.min(p[1]);
        n = n.max(p[1]);
    }
    w <= EXTENT[2] && e >= EXTENT[0] && s <= EXTENT[3] && n >= EXTENT[1]
}

/// The projection of the map.
struct Proj {
    kx: f64,
    ky: f64,
}

impl Proj {
    fn new() -> Proj {
        let kx = WIDTH_PX / (EXTENT[2] - EXTENT[0]);
        let mid = (EXTENT[1] + EXTENT[3]) / 2.0;
        Proj { kx, ky: kx / mid.to_radians().cos() }
    }

    fn height(&self) -> f64 {
        (EXTENT[3] - EXTENT[1]) * self.ky
    }

    fn xy(&self, p: [f64; 2]) -> (f64, f64) {
        ((p[0] - EXTENT[0]) * self.kx, (EXTENT[3] - p[1]) * self.ky)
    }

    /// An SVG path. Points are clamped to the view plus a margin (a coastline running far
    /// outside the map collapses onto the margin, where it is invisible, and its fill stays
    /// right inside the view); runs along the margin keep their ends only, and points closer
    /// than [`SIMPLIFY_PX`] to the last one drawn are skipped (the last point is always
    /// drawn). That keeps a 1:10m coastline to a few hundred KB.
    fn path(&self, pts: &[[f64; 2]], close: bool) -> String {
        let (x0, y0) = self.xy([EXTENT[0] - MARGIN_DEG, EXTENT[3] + MARGIN_DEG]);
        let (x1, y1) = self.xy([EXTENT[2] + MARGIN_DEG, EXTENT[1] - MARGIN_DEG]);
        let on_border = |p: (f64, f64), q: (f64, f64)| {
            (p.0 == q.0 && (p.0 == x0 || p.0 == x1)) || (p.1 == q.1 && (p.1 == y0 || p.1 == y1))
        };
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len().min(4096));
        for (i, p) in pts.iter().enumerate() {
            let (x, y) = self.xy(*p);
            let q = (x.clamp(x0, x1), y.clamp(y0, y1));
            if let Some(&last) = out.last() {
                let near = (q.0 - last.0).hypot(q.1 - last.1) < SIMPLIFY_PX;
                if near && i + 1 < pts.len() {
                    continue;
                }
                if out.len() >= 2 && on_border(out[out.len() - 2], last) && on_border(last, q) {
                    if let Some(l) = out.last_mut() {
                        *l = q;
                    }
                    continue;
                }
            }
            out.push(q);
        }
        let mut d = String::with_capacity(out.len() * 12);
        for (i, (x, y)) in out.iter().enumerate() {
            let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { 'M' } else { 'L' });
        }
        if close {
            d.push('Z');
        }
        d
    }
}

/// Escapes text for XML (SVG and HTML content and attribute values).
pub use kuroshio_reports::trends::escape;

/// The colour a category is drawn in (the web map's: `web/src/classify.js`).
pub fn colour(c: Category) -> &'static str {
    match c {
        Category::PlaAircraft => "#f46036",
        Category::PlanVessel => "#d7263d",
        Category::OfficialShip => "#c9a400",
    }
}

/// Zones drawn (besides every gate and 12 nm limit in view), with their colours.
const ZONES: [(&str, &str); 5] = [
    ("roc_adiz", "#3d5a98"),
    ("prc_ecs_adiz", "#7a4a9a"),
    ("jadiz_outer_line_pts_1_7", "#2e7d6b"),
    ("tw_strait_median_line", "#b0304a"),
    ("roc_adiz_east_of_median_line", "#3d5a98"),
];

/// Zones labelled by name.
const LABELLED: [&str; 3] = ["tw_strait_median_line", "roc_adiz", "jadiz_outer_line_pts_1_7"];

fn zone_name(lang: Lang, meta: &kuroshio_zones::ZoneMeta) -> String {
    let name = match lang {
        Lang::En => &meta.name_en,
        Lang::Ja => &meta.name_ja,
        Lang::ZhTw => &meta.name_zh_hant,
    };
    short_name(name)
}

/// A zone name without its trailing parenthesis and anything after a dash or comma: the
/// catalogue's names carry their provenance, the map has room for the name only.
pub fn short_name(name: &str) -> String {
    let mut n = name.trim();
    for cut in [" —", ", ", "，"] {
        if let Some(i) = n.find(cut) {
            n = &n[..i];
        }
    }
    if n.ends_with(')') || n.ends_with('）') {
        if let Some(i) = n.rfind(['(', '（']) {
            if i > 0 {
                n = &n[..i];
            }
        }
    }
    n.trim().to_owned()
}

/// The group of a track label: the label without a trailing number (`jrp-north-12` →
/// `jrp-north`).
fn group_of(label: &str) -> &str {
    let trimmed = label.trim_end_matches(|c: char| c.is_ascii_digit());
    let trimmed = trimmed.trim_end_matches(['-', '_', ' ']);
    if trimmed.is_empty() { label } else { trimmed }
}

/// The SVG of the map, in `lang`.
pub fn svg(
    lang: Lang,
    catalogue: &Catalogue,
    basemap: Option<&Basemap>,
    tracks: &[MapTrack],
) -> String {
    let pr = Proj::new();
    let (w, h) = (WIDTH_PX, pr.height());
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="100%" role="img" font-family="sans-serif"><defs><clipPath id="view"><rect width="{w:.0}" height="{h:.0}"/></clipPath></defs><rect width="{w:.0}" height="{h:.0}" fill="#eaf2f8"/><g clip-path="url(#view)">"##
    );
    // Graticule every 2 degrees.
    s.push_str(r##"<g stroke="#c8d6e0" stroke-width="0.6">"##);
    let mut lon = (EXTENT[0] / 2.0).ceil() * 2.0;
    while lon <= EXTENT[2] {
        let (x, _) = pr.xy([lon, EXTENT[1]]);
        let _ = write!(s, r#"<line x1="{x:.1}" y1="0" x2="{x:.1}" y2="{h:.0}"/>"#);
        lon += 2.0;
    }
    let mut lat = (EXTENT[1] / 2.0).ceil() * 2.0;
    while lat <= EXTENT[3] {
        let (_, y) = pr.xy([EXTENT[0], lat]);
        let _ = write!(s, r#"<line x1="0" y1="{y:.1}" x2="{w:.0}" y2="{y:.1}"/>"#);
        lat += 2.0;
    }
    s.push_str("</g>");
    if let Some(b) = basemap {
        s.push_str(r##"<g fill="#f3efe2" stroke="#8a8574" stroke-width="0.7">"##);
        for ring in &b.rings {
            let _ = write!(s, r#"<path d="{}"/>"#, pr.path(ring, true));
        }
        s.push_str("</g>");
    }
    // Zones.
    let mut labels: Vec<(f64, f64, String, &str)> = Vec::new();
    for (_, zone) in catalogue.zones() {
        let id = zone.meta.id.as_str();
        let (stroke, width, label) = if let Some((_, c)) = ZONES.iter().find(|(z, _)| *z == id) {
            (*c, if id == "tw_strait_median_line" { 2.0 } else { 1.3 }, LABELLED.contains(&id))
        } else if zone.meta.kind == ZoneKind::Gate {
            ("#1f7a3a", 2.2, true)
        } else if id.ends_with("_12nm") {
            ("#6d8aa0", 0.8, false)
        } else {
            continue;
        };
        let dash = if zone.meta.status == ZoneStatus::Official {
            ""
        } else {
            r#" stroke-dasharray="5 3""#
        };
        let (parts, close): (Vec<&Vec<[f64; 2]>>, bool) = match &zone.geometry {
            Geometry::Lines(lines) => (lines.iter().collect(), false),
            Geometry::Areas(polys) => (polys.iter().filter_map(|p| p.first()).collect(), true),
        };
        let mut in_view = false;
        for part in parts {
            if part.len() < 2 || !reaches_map(part) {
                continue;
            }
            in_view = true;
            let _ = write!(
                s,
                r#"<path d="{}" fill="none" stroke="{stroke}" stroke-width="{width}"{dash}/>"#,
                pr.path(part, close)
            );
            if label && labels.iter().all(|l| l.2 != zone_name(lang, &zone.meta)) {
                let mid = part[part.len() / 2];
                let (x, y) = pr.xy(mid);
                labels.push((x, y, zone_name(lang, &zone.meta), stroke));
            }
        }
        let _ = in_view;
    }
    // Tracks. Aircraft are labelled by sortie group (ids without their number); ships one by
    // one, except that ships ending within [`CLUSTER_PX`] of each other share one label.
    let mut groups: BTreeMap<(Category, &str), (usize, [f64; 2])> = BTreeMap::new();
    let mut clusters: Vec<(Category, (f64, f64), Vec<&str>)> = Vec::new();
    for t in tracks {
        if t.points.len() >= 2 {
            let _ = write!(
                s,
                r#"<path d="{}" fill="none" stroke="{}" stroke-width="1.1" stroke-opacity="0.75"/>"#,
                pr.path(&t.points, false),
                colour(t.category)
            );
        }
        let Some(&last) = t.points.last() else { continue };
        let (x, y) = pr.xy(last);
        let _ =
            write!(s, r#"<circle cx="{x:.1}" cy="{y:.1}" r="2.2" fill="{}"/>"#, colour(t.category));
        if t.category == Category::PlaAircraft {
            groups.entry((t.category, group_of(&t.label))).or_insert((0, last)).0 += 1;
        } else if let Some(c) = clusters
            .iter_mut()
            .find(|c| c.0 == t.category && (c.1.0 - x).hypot(c.1.1 - y) < CLUSTER_PX)
        {
            c.2.push(&t.label);
        } else {
            clusters.push((t.category, (x, y), vec![&t.label]));
        }
    }
    let mut placed: Vec<(Category, (f64, f64), String)> = groups
        .iter()
        .map(|((cat, name), (n, at))| {
            let text = if *n > 1 { format!("{name} ×{n}") } else { (*name).to_owned() };
            (*cat, pr.xy(*at), text)
        })
        .collect();
    for (cat, at, mut names) in clusters {
        names.sort_unstable();
        let text = match names.as_slice() {
            [one] => (*one).to_owned(),
            [first, .., last] => format!("{first} … {last} ×{}", names.len()),
            [] => continue,
        };
        placed.push((cat, at, text));
    }
    for (cat, (x, y), text) in &placed {
        // A label that would run off the right edge ends at its point instead (about 5 units
        // a character at this size).
        let width = 5.0 * text.chars().count() as f64;
        let (tx, anchor) = if x + 4.0 + width > w { (x - 4.0, "end") } else { (x + 4.0, "start") };
        let _ = write!(
            s,
            r##"<text x="{tx:.1}" y="{:.1}" font-size="9" text-anchor="{anchor}" fill="{}" stroke="#fff" stroke-width="2.5" paint-order="stroke">{}</text>"##,
            y - 3.0,
            colour(*cat),
            escape(text)
        );
    }
    for (x, y, text, colour) in &labels {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" font-weight="bold" fill="{colour}" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
            x + 5.0,
            y,
            escape(text)
        );
    }
    s.push_str("</g>");
    // Legend.
    s.push_str(r##"<g font-size="11"><rect x="8" y="8" width="170" height="68" fill="#fff" fill-opacity="0.85" stroke="#999"/>"##);
    for (i, c) in [Category::PlaAircraft, Category::PlanVessel, Category::OfficialShip]
        .into_iter()
        .enumerate()
    {
        let y = 24.0 + 20.0 * i as f64;
        let _ = write!(
            s,
            r#"<line x1="16" y1="{y:.0}" x2="40" y2="{y:.0}" stroke="{}" stroke-width="3"/><text x="46" y="{:.0}">{}</text>"#,
            colour(c),
            y + 4.0,
            escape(i18n::category(lang, c))
        );
    }
    s.push_str("</g>");
    // Degree labels.
    let _ = write!(
        s,
        r##"<text x="{:.0}" y="{:.0}" font-size="9" fill="#555" text-anchor="end">{:.1}°E–{:.1}°E, {:.0}°N–{:.0}°N</text></svg>"##,
        w - 6.0,
        h - 6.0,
        EXTENT[0],
        EXTENT[2],
        EXTENT[1],
        EXTENT[3]
    );
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn draws_zones_tracks_and_land() {
        let cat = Catalogue::builtin().unwrap();
        let land = Basemap::from_geojson(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[120.1,22.0],[121.9,22.0],[121.9,25.3],[120.1,25.3],[120.1,22.0]]]}},
               {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
        )
        .unwrap();
        // The ring far away is dropped.
        assert_eq!(land.len(), 1);
        let tracks = [
            MapTrack {
                category: Category::PlaAircraft,
                label: "jrp-north-1".into(),
                points: vec![[119.6, 25.9], [120.9, 25.6]],
            },
            MapTrack {
                category: Category::PlaAircraft,
                label: "jrp-north-2".into(),
                points: vec![[119.6, 25.9], [120.9, 25.5]],
            },
            MapTrack {
                category: Category::PlanVessel,
                label: "PLAN-101 <x>".into(),
                points: vec![[125.0, 27.2], [126.5, 25.2]],
            },
        ];
        let svg = svg(Lang::Ja, &cat, Some(&land), &tracks);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("jrp-north ×2"), "aircraft are labelled by group");
        assert!(svg.contains("PLAN-101 &lt;x&gt;"), "labels are escaped");
        assert!(svg.contains("中国軍機"), "legend in the report's language");
        // The median line in Japanese, as the catalogue names it.
        let (_, ml) = cat.get("tw_strait_median_line").unwrap();
        assert!(svg.contains(&escape(&zone_name(Lang::Ja, &ml.meta))));
        assert!(svg.contains("stroke-dasharray"), "approximate zones are dashed");
        assert_eq!(svg.matches("fill=\"#f3efe2\"").count(), 1);
        assert!(Basemap::from_geojson("[1,2]").is_err());
        assert!(Basemap::from_geojson("{").is_err());
    }

    #[test]
    fn groups_by_trailing_number() {
        assert_eq!(group_of("jrp-north-12"), "jrp-north");
        assert_eq!(group_of("PLAN-101"), "PLAN");
        assert_eq!(group_of("123"), "123");
        assert_eq!(short_name("ROC (Taiwan) ADIZ — reconstructed outline"), "ROC (Taiwan) ADIZ");
        assert_eq!(
            short_name("中華民国（台湾）防空識別圏（再構成。公式の頂点一覧なし）"),
            "中華民国（台湾）防空識別圏"
        );
        assert_eq!(
            short_name("Taiwan Strait median line (Davis line), 27°N"),
            "Taiwan Strait median line"
        );
    }
}
