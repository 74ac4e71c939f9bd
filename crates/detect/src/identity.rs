//! Identity conflicts: invalid MMSIs and impossible position jumps.
//!
//! Two checks, both reported as `identity_conflict` with a `details.check` naming which:
//!
//! - `invalid_mmsi` (vessel tracks, once per MMSI while remembered): the MMSI's leading digits
//!   fit no station kind of ITU-R M.585 (Annex 1), or it is a ship station whose MID is outside
//!   the allocated span. The rule is structural, no table of allocated MIDs is used: ship
//!   station MMSIs are `MIDXXXXXX` with MID from 2xx to 7xx, and the ITU "Table of Maritime
//!   Identification Digits" allocates 201 (Albania) to 775 (Venezuela), so a ship MID below
//!   201 or above 775 is invalid. Other valid forms are left alone: `0…` (group and coast
//!   stations), `111MID…` (SAR aircraft), `8MID…` (handheld VHF), `970`/`972`/`974` (SART,
//!   MOB, EPIRB-AIS), `98MID…` (craft associated with a parent ship), `99MID…` (aids to
//!   navigation). Flagged: zero, `1…` other than `111`, `9…` other than the forms above.
//!   Details: `mmsi`, `rule`.
//! - `impossible_jump` (vessels and aircraft): the great-circle distance between a track's
//!   consecutive fixes is above [`IdentityConfig::min_distance_nm`] (default 1 nm, so that
//!   GNSS and receiver jitter never counts) and the implied speed is above the kind's limit:
//!   vessels [`IdentityConfig::vessel_max_speed_knots`] (default 50 kt; the fastest large
//!   ships make about 40 kt), aircraft [`IdentityConfig::aircraft_max_speed_knots`] (default
//!   1,200 kt, above any aircraft reporting ADS-B). Two fixes at the same time in different
//!   places count (no implied speed). This is also what one MMSI used by two ships in two
//!   places looks like. Details: `distance_nm`, `dt_s`, `implied_speed_knots`,
//!   `max_speed_knots`, `from` (`lat`, `lon`). Rate-limited per track: at most one event per
//!   [`IdentityConfig::min_interval_s`] (default 600 s, so a spoofer alternating between two
//!   places yields one event per ten minutes, not one per message), counted in the next
//!   event's `suppressed`.
//!
//! Reported objects (`report` tracks) are not checked. State: the rate-limit clock per track
//! and the set of MMSIs already reported, each bounded by [`IdentityConfig::max_tracks`]
//! (default [`MAX_TRACKS_DEFAULT`]), least recently used forgotten when full (an invalid
//! MMSI forgotten may be reported again).

use kuroshio_model::{Mmsi, PartnerCode, Timestamp};
use kuroshio_track::{Fix, TrackKey, TrackUpdate};
use serde::{Deserialize, Serialize};

use crate::detectors::{BoundedMap, distance_nm, distance_nm_upper_bound, seconds_between};
use crate::{Event, EventKind, EventPolicy, GeoPoint, entity_of};

/// Default bound of each state table: the regional picture is tens of thousands of tracks.
pub const MAX_TRACKS_DEFAULT: usize = 200_000;

/// Lowest MID allocated in the ITU Table of Maritime Identification Digits (201, Albania).
pub const MID_MIN: u16 = 201;

/// Highest MID allocated in the ITU Table of Maritime Identification Digits (775, Venezuela).
pub const MID_MAX: u16 = 775;

/// Thresholds of the identity conflict detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConfig {
    /// Fastest plausible vessel, knots (default 50).
    pub vessel_max_speed_knots: f64,
    /// Fastest plausible aircraft, knots (default 1,200).
    pub aircraft_max_speed_knots: f64,
    /// Shortest jump considered, nautical miles (default 1).
    pub min_distance_nm: f64,
    /// Least time between two jump events of one track, seconds (default 600).
    pub min_interval_s: f64,
    /// Bound of each state table (default 200,000).
    pub max_tracks: usize,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        Self {
            vessel_max_speed_knots: 50.0,
            aircraft_max_speed_knots: 1200.0,
            min_distance_nm: 1.0,
            min_interval_s: 600.0,
            max_tracks: MAX_TRACKS_DEFAULT,
        }
    }
}

/// Why an MMSI is invalid, or `None` if its form is valid (see the module documentation).
pub fn invalid_mmsi_rule(mmsi: Mmsi) -> Option<&'static str> {
    let v = mmsi.get();
    if v == 0 {
        return Some("zero");
    }
    if let Some(mid) = mmsi.mid() {
        return (!(MID_MIN..=MID_MAX).contains(&mid)).then_some("ship MID outside 201..=775");
    }
    let lead = v / 100_000_000;
    match lead {
        0 | 8 => None,
        1 => (v / 1_000_000 != 111).then_some("leading 1 other than 111 (SAR aircraft)"),
        9 => {
            let three = v / 1_000_000;
            let two = v / 10_000_000;
            let ok = matches!(three, 970 | 972 | 974) || matches!(two, 98 | 99);
            (!ok).then_some("leading 9 other than 970/972/974/98/99")
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
struct JumpClock {
    last_event: Option<Timestamp>,
    suppressed: u64,
}

/// Reports identity conflicts; see the module documentation.
#[derive(Debug)]
pub struct IdentityConflict {
    config: IdentityConfig,
    reported_mmsi: BoundedMap<Mmsi, ()>,
    jumps: BoundedMap<TrackKey, JumpClock>,
}

impl IdentityConflict {
    /// A detector with these thresholds.
    pub fn new(config: IdentityConfig) -> Self {
        Self {
            reported_mmsi: BoundedMap::new(config.max_tracks),
            jumps: BoundedMap::new(config.max_tracks),
            config,
        }
    }

    /// Appends to `out` the identity conflicts of one track update.
    pub fn on_update(
        &mut self,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let max_speed_knots = match update.key {
            TrackKey::Vessel(mmsi) => {
                self.check_mmsi(*mmsi, update, policy, originator, out);
                self.config.vessel_max_speed_knots
            }
            TrackKey::Aircraft(_) => self.config.aircraft_max_speed_knots,
            TrackKey::Local(_) => return,
        };
        if !update.fix_added || update.new_track {
            return;
        }
        let (Some(a), Some(b)) = (&update.previous, &update.current) else { return };
        let dt_s = seconds_between(a.time, b.time);
        // Most steps are short and slow: decide those from a trigonometry-free upper bound
        // of the distance before computing the haversine (same outcome, far cheaper).
        let bound_nm = distance_nm_upper_bound(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
        if bound_nm <= self.config.min_distance_nm
            || (dt_s > 0.0 && bound_nm / (dt_s / 3600.0) <= max_speed_knots)
        {
            return;
        }
        let d_nm = distance_nm(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
        if d_nm <= self.config.min_distance_nm {
            return;
        }
        let implied = (dt_s > 0.0).then(|| d_nm / (dt_s / 3600.0));
        if implied.is_some_and(|v| v <= max_speed_knots) {
            return;
        }
        let min_interval_s = self.config.min_interval_s;
        let (clock, _) =
            self.jumps.touch(update.key, || JumpClock { last_event: None, suppressed: 0 });
        if clock.last_event.is_some_and(|t| seconds_between(t, b.time) < min_interval_s) {
            clock.suppressed += 1;
            return;
        }
        let suppressed = clock.suppressed;
        *clock = JumpClock { last_event: Some(b.time), suppressed: 0 };
        let jump = Jump { from: a, to: b, d_nm, dt_s, implied, max_speed_knots, suppressed };
        out.push(jump.event(update, policy, originator));
    }

    fn check_mmsi(
        &mut self,
        mmsi: Mmsi,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let Some(rule) = invalid_mmsi_rule(mmsi) else { return };
        if self.reported_mmsi.get(&mmsi).is_some() {
            return;
        }
        self.reported_mmsi.touch(&mmsi, || ());
        let time = update.track.last_seen();
        let mut e = Event::new(
            EventKind::IdentityConflict,
            time,
            entity_of(update),
            None,
            None,
            policy.marking(EventKind::IdentityConflict, originator),
        );
        e.position = update.current.map(|f| GeoPoint { lat: f.lat_deg, lon: f.lon_deg });
        e.details.insert("check".into(), serde_json::json!("invalid_mmsi"));
        e.details.insert("mmsi".into(), serde_json::json!(mmsi.get()));
        e.details.insert("rule".into(), serde_json::json!(rule));
        out.push(e);
    }
}

/// An impossible jump between two fixes of one track, to be reported.
struct Jump<'a> {
    from: &'a Fix,
    to: &'a Fix,
    d_nm: f64,
    dt_s: f64,
    implied: Option<f64>,
    max_speed_knots: f64,
    suppressed: u64,
}

impl Jump<'_> {
    /// The `impossible_jump` event. Apart from [`IdentityConflict::on_update`], which runs
    /// for every fix, because few fixes jump.
    #[cold]
    #[inline(never)]
    fn event(
        &self,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
    ) -> Event {
        let mut e = Event::new(
            EventKind::IdentityConflict,
            self.to.time,
            entity_of(update),
            None,
            None,
            policy.marking(EventKind::IdentityConflict, originator),
        );
        e.position = Some(GeoPoint { lat: self.to.lat_deg, lon: self.to.lon_deg });
        e.details.insert("check".into(), serde_json::json!("impossible_jump"));
        e.details.insert("distance_nm".into(), serde_json::json!(self.d_nm));
        e.details.insert("dt_s".into(), serde_json::json!(self.dt_s));
        e.details.insert("implied_speed_knots".into(), serde_json::json!(self.implied));
        e.details.insert("max_speed_knots".into(), serde_json::json!(self.max_speed_knots));
        e.details.insert(
            "from".into(),
            serde_json::json!({"lat": self.from.lat_deg, "lon": self.from.lon_deg}),
        );
        e.details.insert("suppressed".into(), serde_json::json!(self.suppressed));
        e
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::detectors::test_support::{aircraft, obs, vessel};
    use kuroshio_model::TargetId;
    use kuroshio_track::{Tracker, TrackerLimits};

    fn run(config: IdentityConfig, fixes: &[(TargetId, i64, f64, f64)]) -> Vec<Event> {
        let mut tracker = Tracker::new(TrackerLimits::default());
        let mut det = IdentityConflict::new(config);
        let tw = PartnerCode::parse("TW").unwrap();
        let mut out = Vec::new();
        for (target, t, lon, lat) in fixes {
            let o = obs(target.clone(), *t, Some((*lon, *lat)), None);
            if let Ok(u) = tracker.update(&o, o.time) {
                det.on_update(&u, &EventPolicy::default(), tw, &mut out);
            }
        }
        out
    }

    #[test]
    fn mmsi_rules() {
        let m = |v| Mmsi::new(v).unwrap();
        assert_eq!(invalid_mmsi_rule(m(416_000_001)), None); // Taiwan
        assert_eq!(invalid_mmsi_rule(m(201_000_000)), None);
        assert_eq!(invalid_mmsi_rule(m(775_999_999)), None);
        assert!(invalid_mmsi_rule(m(200_000_001)).is_some());
        assert!(invalid_mmsi_rule(m(776_000_001)).is_some());
        assert!(invalid_mmsi_rule(m(799_999_999)).is_some());
        assert!(invalid_mmsi_rule(m(123_456_789)).is_some());
        assert!(invalid_mmsi_rule(m(0)).is_some());
        assert!(invalid_mmsi_rule(m(900_000_000)).is_some());
        assert_eq!(invalid_mmsi_rule(m(111_416_001)), None);
        assert_eq!(invalid_mmsi_rule(m(970_123_456)), None);
        assert_eq!(invalid_mmsi_rule(m(994_161_234)), None);
        assert_eq!(invalid_mmsi_rule(m(2_416_001)), None); // coast station 00MIDxxxx
    }

    #[test]
    fn invalid_mmsi_reported_once_per_track() {
        let fixes: Vec<_> =
            (0..5).map(|i| (vessel(123_456_789), i * 60, 121.0, 22.0 + i as f64 * 1e-4)).collect();
        let out = run(IdentityConfig::default(), &fixes);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].details["check"], "invalid_mmsi");
        assert_eq!(out[0].details["mmsi"], 123_456_789);
    }

    #[test]
    fn jump_above_vessel_limit_is_flagged_with_details() {
        // 1° of latitude (60.04 nm) in one hour: 60 kt > 50 kt.
        let out = run(
            IdentityConfig::default(),
            &[(vessel(416_000_001), 0, 121.0, 22.0), (vessel(416_000_001), 3600, 121.0, 23.0)],
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        let d = &out[0].details;
        assert_eq!(d["check"], "impossible_jump");
        assert_eq!(d["dt_s"], 3600.0);
        assert!((d["implied_speed_knots"].as_f64().unwrap() - 60.04).abs() < 0.01);
        // The same jump over 2 h is 30 kt: plausible.
        let out = run(
            IdentityConfig::default(),
            &[(vessel(416_000_001), 0, 121.0, 22.0), (vessel(416_000_001), 7200, 121.0, 23.0)],
        );
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn aircraft_limit_and_jitter_floor() {
        // 60 nm in 1 h is fine for an aircraft; 60 nm in 60 s (3,602 kt) is not.
        let a = aircraft(0x89_90_10);
        let out = run(
            IdentityConfig::default(),
            &[(a.clone(), 0, 121.0, 22.0), (a.clone(), 3600, 121.0, 23.0), (a, 3660, 121.0, 22.0)],
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        // 0.9 nm in one second is 3,240 kt but under the 1 nm floor: jitter, not a jump.
        let v = vessel(416_000_001);
        let out = run(
            IdentityConfig::default(),
            &[(v.clone(), 0, 121.0, 22.0), (v, 1, 121.0, 22.0 + 0.9 / 60.04)],
        );
        assert!(out.is_empty(), "{out:#?}");
    }

    #[test]
    fn same_time_two_places_and_zero_length_step() {
        let v = vessel(416_000_001);
        let out = run(
            IdentityConfig::default(),
            &[
                (v.clone(), 0, 121.0, 22.0),
                (v.clone(), 0, 121.0, 22.0),  // duplicate: not added
                (v.clone(), 10, 121.0, 22.0), // zero-length step: nothing
                (v, 10, 122.0, 22.0),         // same time, 55 nm away
            ],
        );
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].details["implied_speed_knots"], serde_json::Value::Null);
        assert_eq!(out[0].details["dt_s"], 0.0);
    }

    #[test]
    fn rate_limited_per_track() {
        // Two transmitters on one MMSI, alternating every 10 s, 60 nm apart.
        let v = vessel(416_000_001);
        let fixes: Vec<_> = (0..120)
            .map(|i| (v.clone(), i * 10, 121.0, if i % 2 == 0 { 22.0 } else { 23.0 }))
            .collect();
        let out = run(IdentityConfig::default(), &fixes);
        // 1,190 s of alternation: events at 10 s, 610 s (next after 600 s), nothing else.
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[0].time, Timestamp::from_unix_seconds(10).unwrap());
        assert_eq!(out[1].time, Timestamp::from_unix_seconds(610).unwrap());
        assert_eq!(out[1].details["suppressed"], 59);
    }

    #[test]
    fn rate_limit_table_is_bounded() {
        let config = IdentityConfig { max_tracks: 2, ..IdentityConfig::default() };
        let mut det = IdentityConflict::new(config);
        let mut tracker = Tracker::new(TrackerLimits::default());
        let tw = PartnerCode::parse("TW").unwrap();
        let mut out = Vec::new();
        for m in [416_000_001, 416_000_002, 416_000_003] {
            for (t, lat) in [(0, 22.0), (10, 23.0)] {
                let o = obs(vessel(m), t, Some((121.0, lat)), None);
                let u = tracker.update(&o, o.time).unwrap();
                det.on_update(&u, &EventPolicy::default(), tw, &mut out);
            }
        }
        assert_eq!(out.len(), 3);
        assert_eq!(det.jumps.len(), 2);
        assert_eq!(det.jumps.evicted(), 1);
    }
}
