//! Reading and writing the catalogue's GeoJSON schema.
//!
//! A catalogue file is a GeoJSON FeatureCollection. Each feature's properties carry `id`,
//! `name_en`, `name_ja`, `name_zh_hant`, `kind` (`line`|`area`|`gate`), `status`
//! (`official`|`reconstructed`|`approximate`), `source`, optional `note`, optional `claim_of` and optional
//! `direction_names` (two strings: left→right and right→left for lines and gates, entry and exit
//! for areas). Lines and gates take LineString or MultiLineString geometry, areas Polygon or
//! MultiPolygon. Other properties are ignored and not written back.

use serde_json::{Map, Value, json};

use crate::geom::Pt;
use crate::prepared::MAX_PARTS;
use crate::{Geometry, Zone, ZoneError, ZoneKind, ZoneMeta, ZoneStatus};

fn string_prop(
    props: &Map<String, Value>,
    feature: usize,
    field: &'static str,
) -> Result<String, ZoneError> {
    props
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(ZoneError::MissingField { feature, field })
}

pub(crate) fn parse_collection(text: &str) -> Result<Vec<Zone>, ZoneError> {
    let v: Value = serde_json::from_str(text)?;
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(ZoneError::NotFeatureCollection);
    }
    let feats =
        v.get("features").and_then(Value::as_array).ok_or(ZoneError::NotFeatureCollection)?;
    feats.iter().enumerate().map(|(i, f)| parse_feature(i, f)).collect()
}

fn parse_feature(i: usize, f: &Value) -> Result<Zone, ZoneError> {
    let empty = Map::new();
    let props = f.get("properties").and_then(Value::as_object).unwrap_or(&empty);
    let id = string_prop(props, i, "id")?;
    if id.is_empty() {
        return Err(ZoneError::BadValue { feature: i, field: "id", value: id });
    }
    let kind_s = string_prop(props, i, "kind")?;
    let kind = match kind_s.as_str() {
        "line" => ZoneKind::Line,
        "area" => ZoneKind::Area,
        "gate" => ZoneKind::Gate,
        _ => return Err(ZoneError::BadValue { feature: i, field: "kind", value: kind_s }),
    };
    let status_s = string_prop(props, i, "status")?;
    let status = match status_s.as_str() {
        "official" => ZoneStatus::Official,
        "reconstructed" => ZoneStatus::Reconstructed,
        "approximate" => ZoneStatus::Approximate,
        _ => return Err(ZoneError::BadValue { feature: i, field: "status", value: status_s }),
    };
    let claim_of = match props.get("claim_of") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(ZoneError::BadValue {
                feature: i,
                field: "claim_of",
                value: other.to_string(),
            });
        }
    };
    let direction_names = match props.get("direction_names") {
        None | Some(Value::Null) => match kind {
            ZoneKind::Area => ["entry".to_owned(), "exit".to_owned()],
            _ => ["left to right".to_owned(), "right to left".to_owned()],
        },
        Some(Value::Array(a)) => match a.as_slice() {
            [Value::String(x), Value::String(y)] => [x.clone(), y.clone()],
            _ => {
                return Err(ZoneError::BadValue {
                    feature: i,
                    field: "direction_names",
                    value: Value::Array(a.clone()).to_string(),
                });
            }
        },
        Some(other) => {
            return Err(ZoneError::BadValue {
                feature: i,
                field: "direction_names",
                value: other.to_string(),
            });
        }
    };
    let meta = ZoneMeta {
        name_en: string_prop(props, i, "name_en")?,
        name_ja: string_prop(props, i, "name_ja")?,
        name_zh_hant: string_prop(props, i, "name_zh_hant")?,
        source: string_prop(props, i, "source")?,
        // Provenance (`source`) is required of every zone; a note is optional, since a user's
        // exercise area may need none.
        note: props.get("note").and_then(Value::as_str).unwrap_or_default().to_owned(),
        id,
        kind,
        status,
        claim_of,
        direction_names,
    };
    let geometry = parse_geometry(&meta, f.get("geometry"))?;
    Ok(Zone { meta, geometry })
}

fn bad(meta: &ZoneMeta, reason: impl Into<String>) -> ZoneError {
    ZoneError::BadGeometry { id: meta.id.clone(), reason: reason.into() }
}

fn parse_point(meta: &ZoneMeta, v: &Value) -> Result<Pt, ZoneError> {
    let a = v.as_array().ok_or_else(|| bad(meta, "position is not an array"))?;
    let (lon, lat) = match a.as_slice() {
        [x, y, ..] => (x.as_f64(), y.as_f64()),
        _ => (None, None),
    };
    match (lon, lat) {
        (Some(lon), Some(lat))
            if lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0 =>
        {
            Ok([lon, lat])
        }
        _ => Err(bad(meta, format!("bad position {v}"))),
    }
}

fn parse_line(meta: &ZoneMeta, v: &Value) -> Result<Vec<Pt>, ZoneError> {
    let a = v.as_array().ok_or_else(|| bad(meta, "line is not an array"))?;
    let pts = a.iter().map(|p| parse_point(meta, p)).collect::<Result<Vec<_>, _>>()?;
    if pts.len() < 2 {
        return Err(bad(meta, "line has fewer than 2 positions"));
    }
    Ok(pts)
}

fn parse_polygon(meta: &ZoneMeta, v: &Value) -> Result<Vec<Vec<Pt>>, ZoneError> {
    let rings = v.as_array().ok_or_else(|| bad(meta, "polygon is not an array"))?;
    if rings.is_empty() {
        return Err(bad(meta, "polygon has no rings"));
    }
    rings
        .iter()
        .map(|r| {
            let mut ring = parse_line(meta, r)?;
            // GeoJSON rings repeat the first position; the prepared grid closes rings itself.
            if ring.len() > 1 && ring.first() == ring.last() {
                ring.pop();
            }
            if ring.len() < 3 {
                return Err(bad(meta, "ring has fewer than 3 distinct positions"));
            }
            Ok(ring)
        })
        .collect()
}

fn parse_geometry(meta: &ZoneMeta, g: Option<&Value>) -> Result<Geometry, ZoneError> {
    let g = g.filter(|g| !g.is_null()).ok_or_else(|| bad(meta, "no geometry"))?;
    let ty = g.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = g.get("coordinates").ok_or_else(|| bad(meta, "no coordinates"))?;
    let arr = || coords.as_array().ok_or_else(|| bad(meta, "coordinates are not an array"));
    let geometry = match (meta.kind, ty) {
        (ZoneKind::Line | ZoneKind::Gate, "LineString") => {
            Geometry::Lines(vec![parse_line(meta, coords)?])
        }
        (ZoneKind::Line | ZoneKind::Gate, "MultiLineString") => Geometry::Lines(
            arr()?.iter().map(|l| parse_line(meta, l)).collect::<Result<Vec<_>, _>>()?,
        ),
        (ZoneKind::Area, "Polygon") => Geometry::Areas(vec![parse_polygon(meta, coords)?]),
        (ZoneKind::Area, "MultiPolygon") => Geometry::Areas(
            arr()?.iter().map(|p| parse_polygon(meta, p)).collect::<Result<Vec<_>, _>>()?,
        ),
        (kind, ty) => {
            return Err(bad(
                meta,
                format!("geometry type {ty:?} does not fit kind {}", kind.as_str()),
            ));
        }
    };
    match &geometry {
        Geometry::Lines(l) if l.is_empty() => Err(bad(meta, "no lines")),
        Geometry::Areas(p) if p.is_empty() => Err(bad(meta, "no polygons")),
        Geometry::Areas(p) if p.len() > MAX_PARTS => {
            Err(bad(meta, format!("{} polygon parts, at most {MAX_PARTS} supported", p.len())))
        }
        _ => Ok(geometry),
    }
}

fn pts_json(pts: &[Pt]) -> Value {
    Value::Array(pts.iter().map(|p| json!([p[0], p[1]])).collect())
}

fn ring_json(ring: &[Pt]) -> Value {
    let mut closed = ring.to_vec();
    if let Some(&first) = ring.first()
        && ring.last() != Some(&first)
    {
        closed.push(first);
    }
    pts_json(&closed)
}

pub(crate) fn feature_json(z: &Zone) -> Value {
    let m = &z.meta;
    let mut props = Map::new();
    props.insert("id".into(), json!(m.id));
    props.insert("name_en".into(), json!(m.name_en));
    props.insert("name_ja".into(), json!(m.name_ja));
    props.insert("name_zh_hant".into(), json!(m.name_zh_hant));
    props.insert("kind".into(), json!(m.kind.as_str()));
    props.insert("status".into(), json!(m.status.as_str()));
    if let Some(c) = &m.claim_of {
        props.insert("claim_of".into(), json!(c));
    }
    props.insert("source".into(), json!(m.source));
    props.insert("note".into(), json!(m.note));
    props.insert("direction_names".into(), json!(m.direction_names));
    let geometry = match &z.geometry {
        Geometry::Lines(lines) if lines.len() == 1 => {
            json!({"type": "LineString", "coordinates": pts_json(&lines[0])})
        }
        Geometry::Lines(lines) => json!({
            "type": "MultiLineString",
            "coordinates": lines.iter().map(|l| pts_json(l)).collect::<Vec<_>>()
        }),
        Geometry::Areas(polys) if polys.len() == 1 => json!({
            "type": "Polygon",
            "coordinates": polys[0].iter().map(|r| ring_json(r)).collect::<Vec<_>>()
        }),
        Geometry::Areas(polys) => json!({
            "type": "MultiPolygon",
            "coordinates": polys
                .iter()
                .map(|p| p.iter().map(|r| ring_json(r)).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        }),
    };
    json!({"type": "Feature", "properties": props, "geometry": geometry})
}

pub(crate) fn write_collection<'a>(zones: impl Iterator<Item = &'a Zone>) -> String {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut first = true;
    for z in zones {
        if !first {
            s.push_str(",\n");
        }
        first = false;
        s.push_str(&feature_json(z).to_string());
    }
    s.push_str("\n]}\n");
    s
}
