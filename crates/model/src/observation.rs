//! What a sensor saw: one target, at one time, from one source.

use serde::{Deserialize, Serialize};

use crate::{Icao24, Mmsi, Position, SourceId, Timestamp};

/// Who or what was seen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TargetId {
    /// An AIS station (ship, base station, aid to navigation, SAR aircraft).
    Vessel(Mmsi),
    /// An aircraft by its Mode S address.
    Aircraft(Icao24),
    /// A track number or other id local to the source (radar tracks, manual sightings).
    Local(String),
}

/// Motion of a target, each value optional because sources report different subsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Kinematics {
    /// Speed over ground, knots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_knots: Option<f64>,
    /// Course over ground, degrees true, [0, 360).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_deg: Option<f64>,
    /// Heading, degrees true, [0, 360).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading_deg: Option<f64>,
    /// Altitude, feet (barometric for aircraft unless the source says otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude_ft: Option<f64>,
    /// Vertical rate, feet per minute, climbing positive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical_rate_ft_min: Option<f64>,
    /// Rate of turn, degrees per minute, starboard (clockwise) positive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turn_rate_deg_min: Option<f64>,
}

/// One sighting of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Who was seen.
    pub target: TargetId,
    /// When it was seen (the sensor's time where known, else the time of receipt).
    pub time: Timestamp,
    /// Which feed or sensor reported it.
    pub source: SourceId,
    /// Where, if the report carried a valid position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// How it moved, as far as reported.
    #[serde(default)]
    pub kinematics: Kinematics,
    /// Name as reported (ship name, flight callsign), trimmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Radio callsign as reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callsign: Option<String>,
    /// IMO ship identification number, as reported (AIS message 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imo: Option<u32>,
    /// AIS type of ship and cargo (ITU-R M.1371-5 table 53, 0-99), as reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_type: Option<u8>,
    /// ADS-B emitter category as `"A3"`-style set letter and number (DO-260B §2.2.3.2.5.2),
    /// as reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aircraft_category: Option<String>,
}

impl Observation {
    /// An observation with only identity, time and source; fill the rest field by field.
    pub fn new(target: TargetId, time: Timestamp, source: SourceId) -> Self {
        Self {
            target,
            time,
            source,
            position: None,
            kinematics: Kinematics::default(),
            name: None,
            callsign: None,
            imo: None,
            ship_type: None,
            aircraft_category: None,
        }
    }
}
