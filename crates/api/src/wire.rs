//! The node's JSON wire form of store answers and the parsing of the parameters that ask for
//! them — shared by the HTTP API and the command line, so both speak the same JSON.
//!
//! Times are RFC 3339 UTC; positions `lat`/`lon` in degrees; targets `vessel:MMSI`,
//! `aircraft:HEX6`, `local:ID`. Rows are converted explicitly, field by field, so that a change
//! to the store's rows does not silently change what clients read.

use kuroshio_archive::PositionRow;
use kuroshio_detect::EventKind;
use kuroshio_model::{Icao24, Mmsi, TargetId, Timestamp};
use kuroshio_store::{BBox, TimeRange, TrackRow, parse_target_key, target_key};
use serde_json::{Map, Value, json};

/// A target as the command line accepts it: `vessel:MMSI`, `aircraft:HEX6`, `local:ID`, or a
/// bare nine-digit MMSI or six-digit hex ICAO address.
pub fn parse_target(text: &str) -> Result<TargetId, String> {
    if let Some(t) = parse_target_key(text) {
        return Ok(t);
    }
    if text.len() == 9 && text.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(m) = text.parse().ok().and_then(|v| Mmsi::new(v).ok()) {
            return Ok(TargetId::Vessel(m));
        }
    }
    if text.len() == 6 {
        if let Some(a) = u32::from_str_radix(text, 16).ok().and_then(|v| Icao24::new(v).ok()) {
            return Ok(TargetId::Aircraft(a));
        }
    }
    Err(format!(
        "`{text}` is not a target: use vessel:MMSI, aircraft:HEX6, local:ID, a 9-digit MMSI or a \
         6-digit hex ICAO address"
    ))
}

/// `W,S,E,N` in degrees.
pub fn parse_bbox(text: &str) -> Result<BBox, String> {
    let v: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{text}` is not W,S,E,N in degrees"))?;
    match v.as_slice() {
        [w, s, e, n] => BBox::new(*w, *s, *e, *n)
            .ok_or_else(|| format!("`{text}`: need -180 ≤ W ≤ E ≤ 180 and -90 ≤ S ≤ N ≤ 90")),
        _ => Err(format!("`{text}` is not W,S,E,N in degrees")),
    }
}

/// An RFC 3339 time, or a date `YYYY-MM-DD` meaning its start (UTC).
pub fn parse_time(text: &str) -> Result<Timestamp, String> {
    if let Ok((y, m, d)) = parse_date(text) {
        return Timestamp::from_civil(y, m, d, 0, 0, 0, 0)
            .ok_or_else(|| format!("`{text}` is not a date"));
    }
    Timestamp::parse(text).map_err(|e| format!("`{text}`: {e}"))
}

/// A date `YYYY-MM-DD` that exists.
pub fn parse_date(text: &str) -> Result<(i32, u8, u8), String> {
    let bad = || format!("{text:?} is not a date YYYY-MM-DD, e.g. 2026-01-01");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return Err(bad());
    };
    Timestamp::from_civil(y, m, d, 0, 0, 0, 0).ok_or_else(bad)?;
    Ok((y, m, d))
}

/// An event kind by its record name (`line_crossing`).
pub fn parse_kind(text: &str) -> Result<EventKind, String> {
    EventKind::ALL.into_iter().find(|k| k.name() == text).ok_or_else(|| {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
        format!("`{text}` is not an event kind ({})", names.join(", "))
    })
}

/// A time as RFC 3339 text.
pub fn time_json(t: Timestamp) -> Value {
    Value::String(t.to_string())
}

fn opt_f64(map: &mut Map<String, Value>, key: &str, v: Option<f64>) {
    if let Some(v) = v {
        map.insert(key.to_owned(), json!(v));
    }
}

/// A position row as the command line writes it.
pub fn row_json(r: &PositionRow) -> Value {
    let mut m = Map::new();
    m.insert("time".to_owned(), time_json(r.time));
    m.insert("target".to_owned(), Value::String(target_key(&r.target)));
    m.insert("source".to_owned(), Value::String(r.source.as_str().to_owned()));
    m.insert("lat".to_owned(), json!(r.lat));
    m.insert("lon".to_owned(), json!(r.lon));
    opt_f64(&mut m, "speed_knots", r.speed_knots);
    opt_f64(&mut m, "course_deg", r.course_deg);
    opt_f64(&mut m, "heading_deg", r.heading_deg);
    opt_f64(&mut m, "altitude_ft", r.altitude_ft);
    Value::Object(m)
}

/// A track row as the command line writes it.
pub fn track_json(r: &TrackRow) -> Value {
    let mut m = Map::new();
    m.insert("target".to_owned(), Value::String(target_key(&r.target)));
    m.insert("first_seen".to_owned(), time_json(r.first_seen));
    m.insert("last_seen".to_owned(), time_json(r.last_seen));
    m.insert("source".to_owned(), Value::String(r.source.as_str().to_owned()));
    if let (Some(p), Some(t)) = (r.position, r.position_time) {
        m.insert("position".to_owned(), json!({"lat": p.lat_deg(), "lon": p.lon_deg()}));
        m.insert("position_time".to_owned(), time_json(t));
    }
    opt_f64(&mut m, "speed_knots", r.speed_knots);
    opt_f64(&mut m, "course_deg", r.course_deg);
    opt_f64(&mut m, "heading_deg", r.heading_deg);
    opt_f64(&mut m, "altitude_ft", r.altitude_ft);
    for (k, v) in
        [("name", &r.name), ("callsign", &r.callsign), ("aircraft_category", &r.aircraft_category)]
    {
        if let Some(v) = v {
            m.insert(k.to_owned(), Value::String(v.clone()));
        }
    }
    if let Some(v) = r.imo {
        m.insert("imo".to_owned(), json!(v));
    }
    if let Some(v) = r.ship_type {
        m.insert("ship_type".to_owned(), json!(v));
    }
    m.insert("observations".to_owned(), json!(r.observations));
    Value::Object(m)
}

/// The range `[from, to)`, open ends meaning the beginning and end of time; `None` when `from`
/// is after `to`.
pub fn time_range(from: Option<Timestamp>, to: Option<Timestamp>) -> Option<TimeRange> {
    TimeRange::new(
        from.unwrap_or(Timestamp::from_unix_nanos(i64::MIN)),
        to.unwrap_or(Timestamp::from_unix_nanos(i64::MAX)),
    )
}
