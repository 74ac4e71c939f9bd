//! The position row: one timed position of one target, the unit of position history.

use kuroshio_model::{Icao24, Mmsi, Observation, SourceId, TargetId, Timestamp};
use serde::{Deserialize, Serialize};

/// One timed position of one target, with the kinematics reported with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionRow {
    /// When (the observation's time).
    pub time: Timestamp,
    /// Who.
    pub target: TargetId,
    /// Which feed or sensor reported it.
    pub source: SourceId,
    /// Longitude, degrees east (x).
    pub lon: f64,
    /// Latitude, degrees north (y).
    pub lat: f64,
    /// Speed over ground, knots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_knots: Option<f64>,
    /// Course over ground, degrees true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course_deg: Option<f64>,
    /// Heading, degrees true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading_deg: Option<f64>,
    /// Altitude, feet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude_ft: Option<f64>,
}

impl PositionRow {
    /// The history row of an observation, when it carries a position.
    pub fn from_observation(obs: &Observation) -> Option<PositionRow> {
        let p = obs.position?;
        Some(PositionRow {
            time: obs.time,
            target: obs.target.clone(),
            source: obs.source.clone(),
            lon: p.lon_deg(),
            lat: p.lat_deg(),
            speed_knots: obs.kinematics.speed_knots,
            course_deg: obs.kinematics.course_deg,
            heading_deg: obs.kinematics.heading_deg,
            altitude_ft: obs.kinematics.altitude_ft,
        })
    }
}

/// A box in longitude and latitude, degrees; `west <= east` (boxes across the antimeridian are
/// two boxes). Edges belong to the box.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    /// Smallest longitude.
    pub west: f64,
    /// Smallest latitude.
    pub south: f64,
    /// Largest longitude.
    pub east: f64,
    /// Largest latitude.
    pub north: f64,
}

impl BBox {
    /// A valid box: finite, within ±180/±90, west ≤ east, south ≤ north.
    pub fn new(west: f64, south: f64, east: f64, north: f64) -> Option<BBox> {
        let ok = [west, south, east, north].iter().all(|v| v.is_finite())
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && west <= east
            && south <= north;
        ok.then_some(BBox { west, south, east, north })
    }

    /// The whole world.
    pub const WORLD: BBox = BBox { west: -180.0, south: -90.0, east: 180.0, north: 90.0 };

    /// Whether the point lies in the box (edges included).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.west && lon <= self.east && lat >= self.south && lat <= self.north
    }

    /// Whether two boxes share at least one point.
    pub fn intersects(&self, other: &BBox) -> bool {
        self.west <= other.east
            && other.west <= self.east
            && self.south <= other.north
            && other.south <= self.north
    }
}

/// A half-open time range `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// First instant included.
    pub from: Timestamp,
    /// First instant excluded.
    pub to: Timestamp,
}

impl TimeRange {
    /// A range; `None` when `to < from`.
    pub fn new(from: Timestamp, to: Timestamp) -> Option<TimeRange> {
        (from <= to).then_some(TimeRange { from, to })
    }

    /// Whether `t` lies in the range.
    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.from && t < self.to
    }
}

/// The text key of a target, used in rows, files and indexes: `vessel:412345678`,
/// `aircraft:8990ab`, `local:TW-23-001`.
pub fn target_key(target: &TargetId) -> String {
    match target {
        TargetId::Vessel(m) => format!("vessel:{}", m.get()),
        TargetId::Aircraft(a) => format!("aircraft:{a}"),
        TargetId::Local(s) => format!("local:{s}"),
        #[allow(unreachable_patterns)]
        _ => format!("other:{target:?}"),
    }
}

/// The inverse of [`target_key`]; `None` for anything it would not write.
pub fn parse_target_key(key: &str) -> Option<TargetId> {
    let (kind, id) = key.split_once(':')?;
    match kind {
        "vessel" => Mmsi::new(id.parse().ok()?).ok().map(TargetId::Vessel),
        "aircraft" if id.len() == 6 => {
            Icao24::new(u32::from_str_radix(id, 16).ok()?).ok().map(TargetId::Aircraft)
        }
        "local" if !id.is_empty() => Some(TargetId::Local(id.to_owned())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_keys_round_trip() {
        for t in [
            TargetId::Vessel(Mmsi::new(412_345_678).unwrap()),
            TargetId::Aircraft(Icao24::new(0x89_90ab).unwrap()),
            TargetId::Local("TW-23-001".to_owned()),
        ] {
            assert_eq!(parse_target_key(&target_key(&t)), Some(t));
        }
        assert_eq!(target_key(&TargetId::Aircraft(Icao24::new(0xab).unwrap())), "aircraft:0000ab");
        for bad in ["", "vessel:", "vessel:x", "aircraft:12345", "local:", "ship:1"] {
            assert_eq!(parse_target_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn boxes_and_ranges() {
        assert!(BBox::new(121.0, 20.0, 120.0, 25.0).is_none());
        assert!(BBox::new(f64::NAN, 20.0, 120.0, 25.0).is_none());
        let b = BBox::new(118.0, 22.0, 123.0, 26.0).unwrap();
        assert!(b.contains(118.0, 26.0));
        assert!(!b.contains(117.999, 24.0));
        assert!(b.intersects(&BBox::new(123.0, 26.0, 124.0, 27.0).unwrap()));
        assert!(!b.intersects(&BBox::new(123.1, 20.0, 124.0, 27.0).unwrap()));
        let t0 = Timestamp::from_unix_seconds(100).unwrap();
        let t1 = Timestamp::from_unix_seconds(200).unwrap();
        let r = TimeRange::new(t0, t1).unwrap();
        assert!(r.contains(t0) && !r.contains(t1));
        assert!(TimeRange::new(t1, t0).is_none());
    }
}
