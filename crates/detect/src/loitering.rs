//! Loitering: a vessel lingering slowly in a small area for a long time.
//!
//! Reference: Global Fishing Watch's loitering events for carrier vessels (GFW's published
//! event definitions, as used in Global Fishing Watch's transshipment work): average speed
//! below 2 knots for at least 8 hours, more than 20 nm from shore. This detector has no shore
//! distance, so it applies speed and duration only, with one bound of its own: the vessel
//! must stay within [`LoiteringConfig::radius_nm`] (default 5 nm, Kuroshio's choice) of where
//! the spell began, which separates lingering in one place from a slow passage (2 kt for 8 h
//! covers up to 16 nm).
//!
//! Only ship-station MMSIs are considered (see [`crate::is_ship_station`]: base stations and
//! aids to navigation stand still by design).
//!
//! A spell begins at a vessel fix whose speed is below [`LoiteringConfig::max_speed_knots`]
//! (default 2 kt, as GFW; the reported speed over ground, or, when the message has none, the
//! speed implied by the previous fix). It continues while fixes stay slow and inside the
//! radius, and breaks at a fast fix, a fix outside the radius, or a silence longer than
//! [`LoiteringConfig::max_silence_s`] (default 2 h, Kuroshio's choice: AIS class A at anchor
//! reports every 3 min and class B at low speed every 3 min, ITU-R M.1371-5 Annex 1 Table 1 and
//! 2, so 2 h without a message is not continuous observation).
//!
//! One `loitering` event per spell, when its duration first reaches
//! [`LoiteringConfig::min_duration_s`] (default 8 h, as GFW): at that fix's time, positioned
//! at the mean of the spell's fixes, details `duration_s`, `centre` (`lat`, `lon`), `fixes`,
//! `max_distance_nm` (from the spell's first fix), `mean_speed_knots` (of fixes that had one).
//! Reported on reaching the duration rather than at the spell's end, so that it is timely;
//! the spell's later length is not reported.
//!
//! State: one open spell per vessel, at most [`LoiteringConfig::max_vessels`] (default
//! [`MAX_VESSELS_DEFAULT`]); the least recently updated spell is dropped when full.

use kuroshio_model::{Mmsi, PartnerCode, Timestamp};
use kuroshio_track::{Fix, TrackKey, TrackUpdate};
use serde::{Deserialize, Serialize};

use crate::detectors::{BoundedMap, distance_nm, is_ship_station, seconds_between};
use crate::{Event, EventKind, EventPolicy, GeoPoint, entity_of};

/// Default spell table size: slow vessels are a fraction of the picture; 200,000 bounds the
/// table at about 15 MB.
pub const MAX_VESSELS_DEFAULT: usize = 200_000;

/// Thresholds of the loitering detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoiteringConfig {
    /// Speed below which a fix counts as slow, knots (default 2, GFW).
    pub max_speed_knots: f64,
    /// Spell length reported, seconds (default 8 h, GFW).
    pub min_duration_s: f64,
    /// Largest distance from the spell's first fix, nautical miles (default 5).
    pub radius_nm: f64,
    /// Longest silence within a spell, seconds (default 2 h).
    pub max_silence_s: f64,
    /// Most open spells held (default 200,000).
    pub max_vessels: usize,
}

impl Default for LoiteringConfig {
    fn default() -> Self {
        Self {
            max_speed_knots: 2.0,
            min_duration_s: 8.0 * 3600.0,
            radius_nm: 5.0,
            max_silence_s: 2.0 * 3600.0,
            max_vessels: MAX_VESSELS_DEFAULT,
        }
    }
}

#[derive(Debug, Clone)]
struct Spell {
    start: Timestamp,
    last: Timestamp,
    anchor: (f64, f64),
    sum_lat: f64,
    sum_lon: f64,
    fixes: u32,
    max_distance_nm: f64,
    speed_sum: f64,
    speeds: u32,
    reported: bool,
}

impl Spell {
    fn begin(f: &Fix, speed: Option<f64>) -> Self {
        Self {
            start: f.time,
            last: f.time,
            anchor: (f.lat_deg, f.lon_deg),
            sum_lat: f.lat_deg,
            sum_lon: f.lon_deg,
            fixes: 1,
            max_distance_nm: 0.0,
            speed_sum: speed.unwrap_or(0.0),
            speeds: u32::from(speed.is_some()),
            reported: false,
        }
    }
}

/// The speed implied by the track's previous fix and `f`, knots; `None` for a new track, or
/// when no time passed.
fn implied_speed_knots(update: &TrackUpdate<'_>, f: &Fix) -> Option<f64> {
    let p = update.previous.as_ref().filter(|_| !update.new_track)?;
    let dt_h = seconds_between(p.time, f.time) / 3600.0;
    (dt_h > 0.0).then(|| distance_nm(p.lat_deg, p.lon_deg, f.lat_deg, f.lon_deg) / dt_h)
}

/// Reports loitering; see the module documentation.
#[derive(Debug)]
pub struct Loitering {
    config: LoiteringConfig,
    spells: BoundedMap<Mmsi, Spell>,
}

impl Loitering {
    /// A detector with these thresholds.
    pub fn new(config: LoiteringConfig) -> Self {
        Self { spells: BoundedMap::new(config.max_vessels), config }
    }

    /// Open spells held.
    pub fn len(&self) -> usize {
        self.spells.len()
    }

    /// Whether no spell is open.
    pub fn is_empty(&self) -> bool {
        self.spells.len() == 0
    }

    /// Appends to `out` the loitering event this update completes, if any.
    pub fn on_update(
        &mut self,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let TrackKey::Vessel(mmsi) = update.key else { return };
        if !is_ship_station(*mmsi) {
            return;
        }
        self.on_ship_update(*mmsi, update, policy, originator, out);
    }

    /// [`Loitering::on_update`] of a ship station's (`mmsi`) track, checked by the caller.
    /// Inline: most fixes are not slow and end here.
    #[inline]
    pub(crate) fn on_ship_update(
        &mut self,
        mmsi: Mmsi,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        if !update.fix_added {
            return;
        }
        let Some(f) = &update.current else { return };
        let speed = match f.speed_knots {
            Some(s) => Some(f64::from(s)),
            None => implied_speed_knots(update, f),
        };
        let slow = speed.is_some_and(|s| s < self.config.max_speed_knots);
        if !slow {
            self.spells.remove_at(update.slot, &mmsi);
            return;
        }
        self.slow_fix(mmsi, f, speed, update, policy, originator, out);
    }

    /// A slow fix: begins, continues or breaks the vessel's spell.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)] // the update's parts, computed once by the caller
    fn slow_fix(
        &mut self,
        mmsi: Mmsi,
        f: &Fix,
        speed: Option<f64>,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let mmsi = &mmsi;
        let c = &self.config;
        let continues = self.spells.get_at(update.slot, mmsi).is_some_and(|s| {
            seconds_between(s.last, f.time) <= c.max_silence_s
                && distance_nm(s.anchor.0, s.anchor.1, f.lat_deg, f.lon_deg) <= c.radius_nm
        });
        if !continues {
            self.spells.remove_at(update.slot, mmsi);
            self.spells.touch_at(update.slot, mmsi, || Spell::begin(f, speed));
            return;
        }
        let min_duration_s = c.min_duration_s;
        let (s, _) = self.spells.touch_at(update.slot, mmsi, || Spell::begin(f, speed));
        s.last = f.time;
        s.sum_lat += f.lat_deg;
        s.sum_lon += f.lon_deg;
        s.fixes += 1;
        let d = distance_nm(s.anchor.0, s.anchor.1, f.lat_deg, f.lon_deg);
        s.max_distance_nm = s.max_distance_nm.max(d);
        if let Some(v) = speed {
            s.speed_sum += v;
            s.speeds += 1;
        }
        let duration_s = seconds_between(s.start, s.last);
        if s.reported || duration_s < min_duration_s {
            return;
        }
        s.reported = true;
        let n = f64::from(s.fixes);
        let centre = GeoPoint { lat: s.sum_lat / n, lon: s.sum_lon / n };
        let mut e = Event::new(
            EventKind::Loitering,
            f.time,
            entity_of(update),
            None,
            None,
            policy.marking(EventKind::Loitering, originator),
        );
        e.position = Some(centre);
        e.details.insert("duration_s".into(), serde_json::json!(duration_s));
        e.details
            .insert("centre".into(), serde_json::json!({"lat": centre.lat, "lon": centre.lon}));
        e.details.insert("fixes".into(), serde_json::json!(s.fixes));
        e.details.insert("max_distance_nm".into(), serde_json::json!(s.max_distance_nm));
        e.details.insert("since".into(), serde_json::json!(s.start.to_string()));
        if s.speeds > 0 {
            let mean = s.speed_sum / f64::from(s.speeds);
            e.details.insert("mean_speed_knots".into(), serde_json::json!(mean));
        }
        out.push(e);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::detectors::test_support::{obs, vessel};
    use kuroshio_track::{Tracker, TrackerLimits};

    /// (t, lon, lat, speed) fixes of one vessel.
    fn run(config: LoiteringConfig, fixes: &[(i64, f64, f64, Option<f64>)]) -> Vec<Event> {
        let mut tracker = Tracker::new(TrackerLimits::default());
        let mut det = Loitering::new(config);
        let tw = PartnerCode::parse("TW").unwrap();
        let mut out = Vec::new();
        for &(t, lon, lat, speed) in fixes {
            let o = obs(vessel(416_000_001), t, Some((lon, lat)), speed);
            if let Ok(u) = tracker.update(&o, o.time) {
                det.on_update(&u, &EventPolicy::default(), tw, &mut out);
            }
        }
        out
    }

    /// A fix every 10 min for `hours`, drifting north 0.001° (0.06 nm) each, at `speed`.
    fn drift(hours: i64, speed: Option<f64>) -> Vec<(i64, f64, f64, Option<f64>)> {
        (0..=hours * 6).map(|i| (i * 600, 122.0, 25.0 + i as f64 * 0.001, speed)).collect()
    }

    #[test]
    fn eight_hours_slow_reports_once_at_the_threshold() {
        let out = run(LoiteringConfig::default(), &drift(10, Some(0.5)));
        assert_eq!(out.len(), 1, "{out:#?}");
        let e = &out[0];
        assert_eq!(e.kind, EventKind::Loitering);
        // Exactly 8 h after the first fix.
        assert_eq!(e.time, Timestamp::from_unix_seconds(8 * 3600).unwrap());
        assert_eq!(e.details["duration_s"], 28_800.0);
        assert_eq!(e.details["fixes"], 49);
        let c = e.position.unwrap();
        assert!((c.lat - 25.024).abs() < 1e-9, "{c:?}");
        assert_eq!(e.details["mean_speed_knots"], 0.5);
    }

    #[test]
    fn just_short_of_the_duration_is_nothing() {
        let mut fixes = drift(8, Some(0.5));
        fixes.pop(); // last fix at 7 h 50 min
        assert!(run(LoiteringConfig::default(), &fixes).is_empty());
    }

    #[test]
    fn a_fast_fix_breaks_the_spell() {
        let mut fixes = drift(10, Some(0.5));
        if let Some(f) = fixes.get_mut(20) {
            f.3 = Some(2.0); // exactly 2 kt is not below 2 kt
        }
        // Spells 0–3 h 10 min and 3 h 30 min–10 h: the second reaches 8 h only at 11 h 30 min.
        assert!(run(LoiteringConfig::default(), &fixes).is_empty());
    }

    #[test]
    fn leaving_the_radius_or_a_long_silence_breaks_the_spell() {
        let config = LoiteringConfig { radius_nm: 0.5, ..LoiteringConfig::default() };
        // 0.06 nm per 10 min drifts out of 0.5 nm after 9 fixes.
        assert!(run(config, &drift(10, Some(0.5))).is_empty());
        let mut fixes = drift(10, Some(0.5));
        fixes.retain(|f| !(7200..=16_200).contains(&f.0)); // silent 1 h 50 min–4 h 40 min
        assert!(run(LoiteringConfig::default(), &fixes).is_empty());
    }

    #[test]
    fn without_reported_speed_the_implied_speed_is_used() {
        // Zero-length steps: implied speed 0.
        let fixes: Vec<_> = (0..=48).map(|i| (i * 600, 122.0, 25.0, None)).collect();
        let out = run(LoiteringConfig::default(), &fixes);
        // The first fix has no speed and no predecessor: the spell starts at the second.
        assert_eq!(out.len(), 0, "{out:#?}");
        let fixes: Vec<_> = (0..=49).map(|i| (i * 600, 122.0, 25.0, None)).collect();
        assert_eq!(run(LoiteringConfig::default(), &fixes).len(), 1);
    }

    #[test]
    fn spells_are_bounded() {
        let mut det = Loitering::new(LoiteringConfig { max_vessels: 2, ..Default::default() });
        let mut tracker = Tracker::new(TrackerLimits::default());
        let tw = PartnerCode::parse("TW").unwrap();
        let mut out = Vec::new();
        for m in [416_000_001, 416_000_002, 416_000_003] {
            let o = obs(vessel(m), 0, Some((122.0, 25.0)), Some(0.1));
            let u = tracker.update(&o, o.time).unwrap();
            det.on_update(&u, &EventPolicy::default(), tw, &mut out);
        }
        assert_eq!(det.len(), 2);
    }
}
