//! The scenario file: what happens, where and when (TOML, read with `serde`).
//!
//! See the crate documentation for the format field by field; [`Scenario::from_toml`] reads and
//! checks a file's text, [`Scenario::validate`] checks a value built in code.

use kuroshio_model::Timestamp;
use serde::Deserialize;
use thiserror::Error;

/// Longest scenario accepted, hours: a week, beyond which a generated corpus stops being an
/// exercise and becomes a disk-filling accident.
pub const HOURS_MAX: f64 = 24.0 * 7.0;

/// Most vessels or aircraft of one traffic class, or units of one activity: bounds memory (an
/// agent is a few hundred bytes) at well above the region's real traffic.
pub const AGENTS_PER_CLASS_MAX: u32 = 200_000;

/// Most activities in one scenario.
pub const ACTIVITIES_MAX: usize = 1_000;

/// Most waypoints in one activity route.
pub const ROUTE_POINTS_MAX: usize = 256;

/// Why a scenario was refused.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The TOML could not be read into a scenario (syntax, unknown field, wrong type).
    #[error("scenario TOML: {0}")]
    Toml(#[from] toml::de::Error),
    /// `start` is not RFC 3339.
    #[error("start {start:?} is not an RFC 3339 time: {reason}")]
    Start {
        /// The text.
        start: String,
        /// What is wrong.
        reason: String,
    },
    /// A value outside its allowed range.
    #[error("{field} = {value} is not allowed ({allowed})")]
    OutOfRange {
        /// Where (`hours`, `activity[2].speed_knots`, …).
        field: String,
        /// The value.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A name that refers to nothing (an unknown lane or zone id).
    #[error("{field}: unknown {what} {name:?}")]
    Unknown {
        /// Where.
        field: String,
        /// What kind of name (`lane`, `zone`).
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A route with too few or too many points.
    #[error("{field}: a route needs 2 to {max} points, not {points}", max = ROUTE_POINTS_MAX)]
    Route {
        /// Where.
        field: String,
        /// Points given.
        points: usize,
    },
    /// More activities than [`ACTIVITIES_MAX`].
    #[error("{count} activities; at most {max} are accepted", max = ACTIVITIES_MAX)]
    TooManyActivities {
        /// How many were given.
        count: usize,
    },
}

/// A scenario: time window, seed, background traffic and injected activities.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used in summaries.
    pub name: String,
    /// What the scenario shows and what it is patterned on.
    #[serde(default)]
    pub description: String,
    /// Start of the window, RFC 3339 (`2024-10-14T00:00:00Z`).
    pub start: String,
    /// Length of the window, hours (0 < hours ≤ [`HOURS_MAX`]).
    pub hours: f64,
    /// Seed of every random choice; the same file and seed give the same bytes.
    pub seed: u64,
    /// Background traffic.
    #[serde(default)]
    pub traffic: Traffic,
    /// Injected activities, each with ground truth.
    #[serde(default, rename = "activity")]
    pub activities: Vec<Activity>,
}

/// Sizes of the background traffic classes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Traffic {
    /// Cargo ships (AIS type 70–79), Class A, on the lanes at 12–20 kn.
    pub cargo: u32,
    /// Tankers (type 80–89), Class A, on the lanes at 10–15 kn.
    pub tanker: u32,
    /// Passenger ships and ferries (type 60–69), Class A, on the port approaches at 15–22 kn.
    pub passenger: u32,
    /// Fishing boats (type 30), Class B "CS", working the fishing grounds at 0–6 kn.
    pub fishing: u32,
    /// Aircraft reported as sensor tracks (`kind = "aircraft"`) flying straight legs across
    /// the region at 250–480 kn (sensor-track aircraft without identity).
    pub aircraft_tracks: u32,
    /// Civil airliners with ADS-B on the region's airways (`crate::geo::AIRWAYS`): flights a
    /// day, departing at random times from 4 h before the window to its end (so some are
    /// airborne at its start and some still flying at its end).
    pub airliners: u32,
}

/// One injected activity. The `kind` key selects the variant.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Activity {
    /// A merchant ship on a lane stops transmitting AIS and reappears later.
    GoDark {
        /// Label written in the ground truth.
        id: String,
        /// Lane the ship sails (an id of [`crate::geo::LANES`]).
        lane: String,
        /// Start of the silence, hours after the scenario start.
        start_h: f64,
        /// Length of the silence, hours.
        gap_h: f64,
    },
    /// Two vessels meet at sea, both slow and within a few hundred metres.
    Encounter {
        /// Label.
        id: String,
        /// Meeting point `[lon, lat]`.
        position: [f64; 2],
        /// Start of the meeting, hours after the scenario start (the vessels arrive before).
        start_h: f64,
        /// Length of the meeting, hours.
        duration_h: f64,
    },
    /// One MMSI transmitted from two distant places at once.
    Spoofer {
        /// Label.
        id: String,
        /// Where the ship with the MMSI really is, `[lon, lat]`.
        position: [f64; 2],
        /// Where the second transmitter claims to be, `[lon, lat]`.
        spoof_position: [f64; 2],
        /// Start, hours after the scenario start.
        start_h: f64,
        /// Length, hours.
        duration_h: f64,
    },
    /// Warships along a route: a strait transit (PLAN through the Miyako or Yonaguni gaps).
    NavalTransit {
        /// Label.
        id: String,
        /// Waypoints `[[lon, lat], …]`.
        route: Vec<[f64; 2]>,
        /// Number of ships, sailing in column.
        ships: u32,
        /// Speed, knots.
        speed_knots: f64,
        /// First ship at the first waypoint, hours after the scenario start.
        start_h: f64,
        /// Minutes between ships.
        #[serde(default = "default_spacing_min")]
        spacing_min: f64,
        /// Whether the ships transmit AIS (Class A, type 35); otherwise they are sensor tracks.
        #[serde(default)]
        ais: bool,
        /// Seconds between sensor track updates when not AIS.
        #[serde(default = "default_sea_update_s")]
        update_s: f64,
        /// Hull names or numbers, one per ship (optional; `PLAN-<id>-<n>` otherwise).
        #[serde(default)]
        names: Vec<String>,
        /// Areas (catalogue ids) whose entries and stays go into the ground truth.
        #[serde(default)]
        zones: Vec<String>,
    },
    /// Coast guard ships circling a route for a time (CCG near Kinmen, in the Senkaku/Diaoyu
    /// contiguous zone), transmitting AIS (type 55, Chinese MIDs).
    Patrol {
        /// Label.
        id: String,
        /// Closed loop of waypoints `[[lon, lat], …]`, sailed repeatedly.
        route: Vec<[f64; 2]>,
        /// Number of ships, spread along the loop.
        ships: u32,
        /// Speed, knots.
        speed_knots: f64,
        /// Start, hours after the scenario start.
        start_h: f64,
        /// Length, hours.
        duration_h: f64,
        /// Areas (catalogue ids) whose entries and stays go into the ground truth.
        #[serde(default)]
        zones: Vec<String>,
    },
    /// Military aircraft flying a route and back, reported as sensor tracks without ADS-B.
    Sorties {
        /// Label.
        id: String,
        /// Waypoints `[[lon, lat], …]` of the outbound leg; the aircraft fly it back.
        route: Vec<[f64; 2]>,
        /// Number of aircraft.
        aircraft: u32,
        /// What they are (`fighter`, `bomber`, `asw`, `uav`, `aew`, `tanker`, `helicopter`).
        #[serde(default = "default_aircraft_kind")]
        aircraft_kind: String,
        /// Speed, knots.
        speed_knots: f64,
        /// Altitude, feet.
        altitude_ft: f64,
        /// First take-off, hours after the scenario start.
        start_h: f64,
        /// Minutes between aircraft.
        #[serde(default = "default_spacing_min")]
        spacing_min: f64,
        /// Minutes spent orbiting at the far end before flying back.
        #[serde(default)]
        loiter_min: f64,
        /// Seconds between sensor track updates.
        #[serde(default = "default_air_update_s")]
        update_s: f64,
        /// Areas (catalogue ids) whose entries go into the ground truth.
        #[serde(default)]
        zones: Vec<String>,
    },
    /// A fishing vessel in distress: it sails `route` and its AIS stops when it reaches the
    /// last point (the casualty position) at `start_h`; with `reappear_h` it transmits again
    /// that many hours later, from where it lies.
    Distress {
        /// Label.
        id: String,
        /// Waypoints `[[lon, lat], …]`; the last is the casualty position.
        route: Vec<[f64; 2]>,
        /// Speed on the route, knots.
        #[serde(default = "default_distress_speed_knots")]
        speed_knots: f64,
        /// Time of the casualty (arrival at the last point), hours after the scenario start.
        start_h: f64,
        /// Hours of silence before the vessel's AIS is heard again; never when absent.
        #[serde(default)]
        reappear_h: Option<f64>,
    },
    /// An AIS-SART (MMSI `970xxyyyy`, message 1 with navigational status 14, one report a
    /// minute) drifting from `position` with the current and a life raft's leeway.
    Sart {
        /// Label.
        id: String,
        /// Where it is activated, `[lon, lat]`.
        position: [f64; 2],
        /// Activation, hours after the scenario start.
        start_h: f64,
        /// Hours it transmits.
        duration_h: f64,
        /// Direction the wind blows from, degrees true.
        #[serde(default)]
        wind_from_deg: f64,
        /// Wind speed at 10 m, metres per second.
        #[serde(default)]
        wind_speed_ms: f64,
        /// Direction the surface current sets towards, degrees true.
        #[serde(default)]
        current_to_deg: f64,
        /// Surface current speed, knots.
        #[serde(default)]
        current_knots: f64,
    },
    /// SAR units searching around a datum in an IAMSAR pattern, after a transit from `base`.
    SarSearch {
        /// Label.
        id: String,
        /// Ships or an aircraft.
        unit: SarUnit,
        /// Number of units; each searches its own area, side by side across the first course.
        #[serde(default = "default_units")]
        units: u32,
        /// Where the units set out from, `[lon, lat]`.
        base: [f64; 2],
        /// The datum, `[lon, lat]`: centre of the search.
        datum: [f64; 2],
        /// The pattern.
        pattern: SearchPattern,
        /// Track spacing, nautical miles.
        track_spacing_nm: f64,
        /// Parallel track: the area's width across the legs, nautical miles.
        #[serde(default = "default_area_nm")]
        area_width_nm: f64,
        /// Parallel track: the legs' length, nautical miles.
        #[serde(default = "default_area_nm")]
        area_length_nm: f64,
        /// Course of the first search leg, degrees true.
        #[serde(default)]
        first_course_deg: f64,
        /// Speed, knots.
        speed_knots: f64,
        /// Altitude of an aircraft, feet.
        #[serde(default = "default_sar_altitude_ft")]
        altitude_ft: f64,
        /// Departure from the base, hours after the scenario start.
        start_h: f64,
        /// Hours from departure to the end of the search.
        duration_h: f64,
    },
    /// A cluster of fishing boats loitering close together, as maritime militia do.
    Militia {
        /// Label.
        id: String,
        /// Centre `[lon, lat]`.
        centre: [f64; 2],
        /// Radius of the cluster, nautical miles.
        radius_nm: f64,
        /// Number of boats.
        vessels: u32,
        /// Start, hours after the scenario start.
        start_h: f64,
        /// Length, hours.
        duration_h: f64,
    },
}

/// The units of a SAR search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SarUnit {
    /// Coast guard ships (AIS Class A, type 55, Taiwanese MID 416).
    Ship,
    /// SAR aircraft (AIS message 9, MMSI `111416xxx`).
    Aircraft,
}

/// An IAMSAR search pattern (IAMSAR Manual Vol II, Chapter 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchPattern {
    /// Expanding square search (SS): legs from the datum of 1, 1, 2, 2, 3, 3, … track
    /// spacings, turning 90° right after each.
    ExpandingSquare,
    /// Parallel sweep search (PS, "parallel track"): legs the length of the area, one track
    /// spacing apart, alternately out and back.
    ParallelTrack,
}

fn default_spacing_min() -> f64 {
    5.0
}
fn default_sea_update_s() -> f64 {
    30.0
}
fn default_air_update_s() -> f64 {
    10.0
}
fn default_aircraft_kind() -> String {
    "fighter".to_owned()
}
fn default_distress_speed_knots() -> f64 {
    8.0
}
fn default_units() -> u32 {
    1
}
fn default_area_nm() -> f64 {
    10.0
}
fn default_sar_altitude_ft() -> f64 {
    1000.0
}

impl Activity {
    /// The activity's label.
    pub fn id(&self) -> &str {
        match self {
            Activity::GoDark { id, .. }
            | Activity::Encounter { id, .. }
            | Activity::Spoofer { id, .. }
            | Activity::NavalTransit { id, .. }
            | Activity::Patrol { id, .. }
            | Activity::Sorties { id, .. }
            | Activity::Distress { id, .. }
            | Activity::Sart { id, .. }
            | Activity::SarSearch { id, .. }
            | Activity::Militia { id, .. } => id,
        }
    }
}

impl Scenario {
    /// Reads and checks a scenario from TOML text.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        let s: Scenario = toml::from_str(text)?;
        s.validate()?;
        Ok(s)
    }

    /// The start time.
    pub fn start_time(&self) -> Result<Timestamp, ScenarioError> {
        Timestamp::parse(&self.start)
            .map_err(|e| ScenarioError::Start { start: self.start.clone(), reason: e.to_string() })
    }

    /// Checks ranges, lane names and routes (zone ids are checked against the catalogue by
    /// the generator).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.start_time()?;
        range("hours", self.hours, 1e-6, HOURS_MAX, "0 < hours <= 168")?;
        let t = &self.traffic;
        for (name, n) in [
            ("traffic.cargo", t.cargo),
            ("traffic.tanker", t.tanker),
            ("traffic.passenger", t.passenger),
            ("traffic.fishing", t.fishing),
            ("traffic.aircraft_tracks", t.aircraft_tracks),
            ("traffic.airliners", t.airliners),
        ] {
            count(name, n)?;
        }
        if self.activities.len() > ACTIVITIES_MAX {
            return Err(ScenarioError::TooManyActivities { count: self.activities.len() });
        }
        for (i, a) in self.activities.iter().enumerate() {
            let f = |name: &str| format!("activity[{i}].{name}");
            match a {
                Activity::GoDark { lane, start_h, gap_h, .. } => {
                    if crate::geo::lane(lane).is_none() {
                        return Err(ScenarioError::Unknown {
                            field: f("lane"),
                            what: "lane",
                            name: lane.clone(),
                        });
                    }
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("gap_h"), *gap_h, 1e-3, HOURS_MAX, "0 < gap_h <= 168")?;
                }
                Activity::Encounter { position, start_h, duration_h, .. } => {
                    point(&f("position"), *position)?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("duration_h"), *duration_h, 1e-3, HOURS_MAX, "0 < duration_h <= 168")?;
                }
                Activity::Spoofer { position, spoof_position, start_h, duration_h, .. } => {
                    point(&f("position"), *position)?;
                    point(&f("spoof_position"), *spoof_position)?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("duration_h"), *duration_h, 1e-3, HOURS_MAX, "0 < duration_h <= 168")?;
                }
                Activity::NavalTransit {
                    route,
                    ships,
                    speed_knots,
                    start_h,
                    spacing_min,
                    update_s,
                    ..
                } => {
                    route_ok(&f("route"), route)?;
                    count(&f("ships"), *ships)?;
                    range(&f("speed_knots"), *speed_knots, 0.5, 60.0, "0.5 to 60 kn")?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("spacing_min"), *spacing_min, 0.0, 1440.0, "0 to 1440 min")?;
                    range(&f("update_s"), *update_s, 1.0, 3600.0, "1 to 3600 s")?;
                }
                Activity::Patrol { route, ships, speed_knots, start_h, duration_h, .. } => {
                    route_ok(&f("route"), route)?;
                    count(&f("ships"), *ships)?;
                    range(&f("speed_knots"), *speed_knots, 0.5, 60.0, "0.5 to 60 kn")?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("duration_h"), *duration_h, 1e-3, HOURS_MAX, "0 < duration_h <= 168")?;
                }
                Activity::Sorties {
                    route,
                    aircraft,
                    speed_knots,
                    altitude_ft,
                    start_h,
                    spacing_min,
                    loiter_min,
                    update_s,
                    ..
                } => {
                    route_ok(&f("route"), route)?;
                    count(&f("aircraft"), *aircraft)?;
                    range(&f("speed_knots"), *speed_knots, 30.0, 1500.0, "30 to 1500 kn")?;
                    range(&f("altitude_ft"), *altitude_ft, 0.0, 60_000.0, "0 to 60000 ft")?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("spacing_min"), *spacing_min, 0.0, 1440.0, "0 to 1440 min")?;
                    range(&f("loiter_min"), *loiter_min, 0.0, 1440.0, "0 to 1440 min")?;
                    range(&f("update_s"), *update_s, 1.0, 3600.0, "1 to 3600 s")?;
                }
                Activity::Distress { route, speed_knots, start_h, reappear_h, .. } => {
                    route_ok(&f("route"), route)?;
                    range(&f("speed_knots"), *speed_knots, 0.5, 60.0, "0.5 to 60 kn")?;
                    hours_at(&f("start_h"), *start_h)?;
                    if let Some(h) = reappear_h {
                        range(&f("reappear_h"), *h, 1e-3, HOURS_MAX, "0 < reappear_h <= 168")?;
                    }
                }
                Activity::Sart {
                    position,
                    start_h,
                    duration_h,
                    wind_from_deg,
                    wind_speed_ms,
                    current_to_deg,
                    current_knots,
                    ..
                } => {
                    point(&f("position"), *position)?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("duration_h"), *duration_h, 1e-3, HOURS_MAX, "0 < duration_h <= 168")?;
                    range(&f("wind_from_deg"), *wind_from_deg, 0.0, 360.0, "0 to 360")?;
                    range(&f("wind_speed_ms"), *wind_speed_ms, 0.0, 60.0, "0 to 60 m/s")?;
                    range(&f("current_to_deg"), *current_to_deg, 0.0, 360.0, "0 to 360")?;
                    range(&f("current_knots"), *current_knots, 0.0, 10.0, "0 to 10 kn")?;
                }
                Activity::SarSearch {
                    units,
                    base,
                    datum,
                    track_spacing_nm,
                    area_width_nm,
                    area_length_nm,
                    first_course_deg,
                    speed_knots,
                    altitude_ft,
                    start_h,
                    duration_h,
                    ..
                } => {
                    range(&f("units"), f64::from(*units), 1.0, 50.0, "1 to 50")?;
                    point(&f("base"), *base)?;
                    point(&f("datum"), *datum)?;
                    range(&f("track_spacing_nm"), *track_spacing_nm, 0.1, 50.0, "0.1 to 50 nm")?;
                    range(&f("area_width_nm"), *area_width_nm, 0.1, 500.0, "0.1 to 500 nm")?;
                    range(&f("area_length_nm"), *area_length_nm, 0.1, 500.0, "0.1 to 500 nm")?;
                    range(&f("first_course_deg"), *first_course_deg, 0.0, 360.0, "0 to 360")?;
                    range(&f("speed_knots"), *speed_knots, 1.0, 400.0, "1 to 400 kn")?;
                    range(&f("altitude_ft"), *altitude_ft, 0.0, 30_000.0, "0 to 30000 ft")?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("duration_h"), *duration_h, 1e-3, HOURS_MAX, "0 < duration_h <= 168")?;
                }
                Activity::Militia { centre, radius_nm, vessels, start_h, duration_h, .. } => {
                    point(&f("centre"), *centre)?;
                    range(&f("radius_nm"), *radius_nm, 0.01, 50.0, "0.01 to 50 nm")?;
                    count(&f("vessels"), *vessels)?;
                    hours_at(&f("start_h"), *start_h)?;
                    range(&f("duration_h"), *duration_h, 1e-3, HOURS_MAX, "0 < duration_h <= 168")?;
                }
            }
        }
        Ok(())
    }
}

fn range(
    field: &str,
    value: f64,
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<(), ScenarioError> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err(ScenarioError::OutOfRange { field: field.to_owned(), value, allowed })
    }
}

fn hours_at(field: &str, value: f64) -> Result<(), ScenarioError> {
    range(field, value, -HOURS_MAX, HOURS_MAX, "-168 to 168 h")
}

fn count(field: &str, n: u32) -> Result<(), ScenarioError> {
    range(field, f64::from(n), 0.0, f64::from(AGENTS_PER_CLASS_MAX), "0 to 200000")
}

fn point(field: &str, p: [f64; 2]) -> Result<(), ScenarioError> {
    range(&format!("{field}[0]"), p[0], -180.0, 180.0, "longitude -180 to 180")?;
    range(&format!("{field}[1]"), p[1], -85.0, 85.0, "latitude -85 to 85")
}

fn route_ok(field: &str, route: &[[f64; 2]]) -> Result<(), ScenarioError> {
    if route.len() < 2 || route.len() > ROUTE_POINTS_MAX {
        return Err(ScenarioError::Route { field: field.to_owned(), points: route.len() });
    }
    for (i, p) in route.iter().enumerate() {
        point(&format!("{field}[{i}]"), *p)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
name = "t"
start = "2026-01-01T00:00:00Z"
hours = 2
seed = 1
[traffic]
cargo = 3
[[activity]]
kind = "go_dark"
id = "dark-1"
lane = "taiwan_strait_east"
start_h = 0.5
gap_h = 1
"#;

    #[test]
    fn reads_a_minimal_scenario() {
        let s = Scenario::from_toml(MINIMAL).unwrap();
        assert_eq!(s.traffic.cargo, 3);
        assert_eq!(s.activities.len(), 1);
        assert_eq!(s.activities[0].id(), "dark-1");
    }

    #[test]
    fn refuses_unknown_fields_lanes_and_bad_ranges() {
        let e =
            Scenario::from_toml(&MINIMAL.replace("seed = 1", "seed = 1\ncolour = 2")).unwrap_err();
        assert!(matches!(e, ScenarioError::Toml(_)), "{e}");
        let e = Scenario::from_toml(&MINIMAL.replace("taiwan_strait_east", "nowhere")).unwrap_err();
        assert!(matches!(e, ScenarioError::Unknown { .. }), "{e}");
        let e = Scenario::from_toml(&MINIMAL.replace("hours = 2", "hours = -1")).unwrap_err();
        assert!(matches!(e, ScenarioError::OutOfRange { .. }), "{e}");
        let e =
            Scenario::from_toml(&MINIMAL.replace("2026-01-01T00:00:00Z", "yesterday")).unwrap_err();
        assert!(matches!(e, ScenarioError::Start { .. }), "{e}");
    }
}
