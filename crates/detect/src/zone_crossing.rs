//! Zone entry and exit, line crossings and gate transits.
//!
//! For every track update that adds a fix, the segment from the track's previous fix to the new
//! one is tested against the catalogue ([`Catalogue::crossings`]): each crossing of a line
//! becomes a `line_crossing`, of a gate a `gate_transit`, of an area boundary a `zone_entry` or
//! `zone_exit`. The event's time and position are those of the crossing point, interpolated
//! linearly between the two fixes (segments are straight in longitude and latitude, as the
//! catalogue treats them). Its direction is the zone's own word for it (`eastward`,
//! `north-westbound`, `inbound`, …), taken from the catalogue's direction names.
//!
//! A track first seen inside an area gets a `zone_entry` with `"first_seen_inside": true`: an
//! aircraft that appears inside an ADIZ matters even if its entry was not observed. Updates
//! without a new fix (identity only, a late or duplicate report) produce nothing, and neither
//! do fixes at the same place as the previous one (a zero-length segment crosses nothing).
//!
//! Thresholds: none; every observed crossing counts. Jitter across a line is the job of the
//! input's position quality, not of a hysteresis here, so that counts stay reproducible.
//!
//! Zone dwell (`zone_dwell`, and `dwell_s` on exits) is followed here too, from the same
//! crossings, so that entries, exits and stays always agree and the catalogue is queried once
//! per fix: see [`crate::ZoneDwellConfig`] and the `zone_dwell` module for its thresholds.

use kuroshio_model::{PartnerCode, Timestamp};
use kuroshio_track::{Fix, TrackKey, TrackUpdate};
use kuroshio_zones::{Catalogue, Crossing, Direction, ZoneIdx, ZoneKind};

use crate::zone_dwell::{ZoneDwell, ZoneDwellConfig};
use crate::{Entity, Event, EventKind, EventPolicy, GeoPoint};

/// Turns track updates into zone events. Its only state across updates is the dwell
/// detector's open stays (bounded; see [`ZoneDwellConfig`]).
#[derive(Debug)]
pub struct ZoneCrossingDetector {
    crossings: Vec<Crossing>,
    areas: Vec<ZoneIdx>,
    dwell: ZoneDwell,
}

impl Default for ZoneCrossingDetector {
    fn default() -> Self {
        Self::new()
    }
}

/// The entity an event is about, from a track's key and identity.
pub fn entity_of(update: &TrackUpdate<'_>) -> Entity {
    let mut e = match update.key {
        TrackKey::Vessel(m) => Entity::vessel(*m),
        TrackKey::Aircraft(a) => Entity::aircraft(*a),
        TrackKey::Local(id) => Entity {
            mmsi: None,
            icao24: None,
            report: Some(id.to_string()),
            name: None,
            callsign: None,
        },
    };
    let identity = update.track.identity();
    e.name = identity.name.as_ref().map(|n| n.as_str().to_owned());
    e.callsign = identity.callsign.as_ref().map(|c| c.as_str().to_owned());
    e
}

/// The short word of a direction name: `eastward (onto the Taiwan side)` → `eastward`.
fn direction_word(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name).trim()
}

/// The time at `fraction` of the way from `a` to `b`.
fn interpolate(a: &Fix, b: &Fix, fraction: f64) -> Timestamp {
    let dt = b.time.nanos_since(a.time) as f64;
    a.time.saturating_add_nanos((dt * fraction.clamp(0.0, 1.0)).round() as i64)
}

impl ZoneCrossingDetector {
    /// A detector with the default dwell thresholds ([`ZoneDwellConfig::default`]).
    pub fn new() -> Self {
        Self::with_dwell(ZoneDwellConfig::default())
    }

    /// A detector with these dwell thresholds.
    pub fn with_dwell(dwell: ZoneDwellConfig) -> Self {
        Self { crossings: Vec::new(), areas: Vec::new(), dwell: ZoneDwell::new(dwell) }
    }

    /// Tracks with open stays in areas (at most [`ZoneDwellConfig::max_tracks`]).
    pub fn dwell_tracks(&self) -> usize {
        self.dwell.tracks()
    }

    /// Tracks whose stays were forgotten because the dwell table was full.
    pub fn dwell_evicted(&self) -> u64 {
        self.dwell.evicted()
    }

    /// Stays not followed because their track was already in
    /// [`crate::STAYS_PER_TRACK_MAX`] areas.
    pub fn dwell_stays_dropped(&self) -> u64 {
        self.dwell.stays_dropped()
    }

    /// Appends to `out` the zone events of one track update.
    pub fn on_update(
        &mut self,
        update: &TrackUpdate<'_>,
        catalogue: &Catalogue,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        if !update.fix_added {
            return;
        }
        let Some(current) = update.current else { return };
        let previous = update.previous.filter(|_| !update.new_track);
        let Some(previous) = previous else {
            // First fix of the track: report the areas it is already inside.
            self.areas.clear();
            catalogue.areas_containing(current.lon_deg, current.lat_deg, &mut self.areas);
            for &idx in &self.areas {
                let Some(zone) = catalogue.zone(idx) else { continue };
                let mut e = Event::new(
                    EventKind::ZoneEntry,
                    current.time,
                    entity_of(update),
                    Some(zone.meta.id.clone()),
                    Some(direction_word(catalogue.direction_name(idx, Direction::Enter)).into()),
                    policy.marking(EventKind::ZoneEntry, originator),
                );
                e.position = Some(GeoPoint { lat: current.lat_deg, lon: current.lon_deg });
                e.details.insert("first_seen_inside".into(), serde_json::Value::Bool(true));
                out.push(e);
            }
            if self.dwell.enabled() {
                self.dwell.first_fix(
                    (update.slot, update.key),
                    current.time,
                    &self.areas,
                    catalogue,
                );
                self.dwell.at_fix(update, &current, catalogue, policy, originator, out);
            }
            return;
        };
        let dwell = self.dwell.enabled();
        let silence = dwell && self.dwell.is_silence(&previous, &current);
        if silence {
            self.dwell.resume_after_silence((update.slot, update.key), current.time);
        }
        if previous.lon_deg == current.lon_deg && previous.lat_deg == current.lat_deg {
            // A zero-length segment never crosses anything (see `kuroshio_zones`): skip the
            // catalogue query.
            if dwell {
                self.dwell.at_fix(update, &current, catalogue, policy, originator, out);
            }
            return;
        }
        self.crossings.clear();
        catalogue.crossings(
            (previous.lon_deg, previous.lat_deg),
            (current.lon_deg, current.lat_deg),
            &mut self.crossings,
        );
        for c in &self.crossings {
            let Some(zone) = catalogue.zone(c.zone) else { continue };
            let kind = match (zone.meta.kind, c.direction) {
                (ZoneKind::Area, Direction::Enter) => EventKind::ZoneEntry,
                (ZoneKind::Area, _) => EventKind::ZoneExit,
                (ZoneKind::Gate, _) => EventKind::GateTransit,
                (ZoneKind::Line, _) => EventKind::LineCrossing,
            };
            let time = interpolate(&previous, &current, c.fraction);
            let mut e = Event::new(
                kind,
                time,
                entity_of(update),
                Some(zone.meta.id.clone()),
                Some(direction_word(catalogue.direction_name(c.zone, c.direction)).into()),
                policy.marking(kind, originator),
            );
            e.position = Some(GeoPoint { lat: c.point[1], lon: c.point[0] });
            let gap_s = current.time.nanos_since(previous.time) as f64 / 1e9;
            e.details.insert("between_fixes_s".into(), serde_json::json!(gap_s));
            if let Some(s) = current.speed_knots {
                e.details.insert("speed_knots".into(), serde_json::json!(s));
            }
            if dwell && zone.meta.kind == ZoneKind::Area {
                if c.direction == Direction::Enter {
                    // After a silence the entry time is a guess: the stay counts from the fix.
                    let (entered, unobserved) =
                        if silence { (current.time, true) } else { (time, false) };
                    let track = (update.slot, update.key);
                    self.dwell.start(track, c.zone, entered, unobserved, catalogue);
                } else if let Some(stay) = self.dwell.end((update.slot, update.key), c.zone)
                    && !silence
                {
                    stay.annotate(time, &mut e);
                }
            }
            out.push(e);
        }
        if dwell {
            self.dwell.at_fix(update, &current, catalogue, policy, originator, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::{Mmsi, Observation, Position, SourceId, TargetId};
    use kuroshio_track::{Tracker, TrackerLimits};

    fn obs(mmsi: u32, t: i64, lon: f64, lat: f64) -> Observation {
        let mut o = Observation::new(
            TargetId::Vessel(Mmsi::new(mmsi).unwrap()),
            Timestamp::from_unix_seconds(t).unwrap(),
            SourceId::parse("test").unwrap(),
        );
        o.position = Some(Position::new(lon, lat).unwrap());
        o
    }

    fn run(track: &[(i64, f64, f64)]) -> Vec<Event> {
        let catalogue = Catalogue::builtin().unwrap();
        let policy = EventPolicy::default();
        let tw = PartnerCode::parse("TW").unwrap();
        let mut tracker = Tracker::new(TrackerLimits::default());
        let mut det = ZoneCrossingDetector::new();
        let mut out = Vec::new();
        for &(t, lon, lat) in track {
            let now = Timestamp::from_unix_seconds(t).unwrap();
            let update = tracker.update(&obs(413_000_001, t, lon, lat), now).unwrap();
            det.on_update(&update, &catalogue, &policy, tw, &mut out);
        }
        out
    }

    #[test]
    fn crossing_the_median_line_eastward_and_back() {
        // The median line runs from 23°N 118°E to 27°N 122°E: at 24°N it is at 119°E.
        let events = run(&[(0, 118.5, 24.0), (600, 119.5, 24.0), (1200, 118.6, 24.0)]);
        let crossings: Vec<_> =
            events.iter().filter(|e| e.kind == EventKind::LineCrossing).collect();
        assert_eq!(crossings.len(), 2, "{events:#?}");
        assert_eq!(crossings[0].zone.as_deref(), Some("tw_strait_median_line"));
        assert_eq!(crossings[0].direction.as_deref(), Some("eastward"));
        assert_eq!(crossings[1].direction.as_deref(), Some("westward"));
        // Halfway between the fixes in space, so halfway in time.
        assert_eq!(crossings[0].time, Timestamp::from_unix_seconds(300).unwrap());
        let p = crossings[0].position.unwrap();
        assert!((p.lon - 119.0).abs() < 1e-9 && (p.lat - 24.0).abs() < 1e-9);
        // Every event is marked by the node's policy, originated by the node's partner.
        assert!(events.iter().all(|e| e.marking.originator().as_str() == "TW"));
    }

    #[test]
    fn first_fix_inside_an_adiz_is_an_entry() {
        // Off Taiwan's west coast: inside the (reconstructed) ROC ADIZ.
        let events = run(&[(0, 120.0, 23.5)]);
        let entries: Vec<_> = events
            .iter()
            .filter(|e| e.kind == EventKind::ZoneEntry && e.zone.as_deref() == Some("roc_adiz"))
            .collect();
        assert_eq!(entries.len(), 1, "{events:#?}");
        assert_eq!(entries[0].details["first_seen_inside"], true);
    }

    #[test]
    fn no_movement_no_events() {
        let events = run(&[(0, 125.5, 20.0), (60, 125.5, 20.0), (120, 125.5, 20.0)]);
        assert!(events.iter().all(|e| e.details.contains_key("first_seen_inside")), "{events:#?}");
    }
}
