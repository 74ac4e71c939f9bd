//! AIS gaps: a vessel that stops transmitting ("goes dark") and reappears.
//!
//! Reference: Global Fishing Watch's "AIS disabling events" (Welch et al. 2022, "Hot spots of
//! unseen fishing vessels", Science Advances 8, eabq2109): a gap in a vessel's AIS of at least
//! 12 hours, starting more than 50 nm from shore, in an area where reception is good enough
//! that the gap is unlikely to be a reception failure. This detector has neither a shore
//! distance nor a reception model, so it applies the gap length only: every silence of a
//! vessel track of at least [`AisGapConfig::threshold_s`] (default 12 h, as GFW) counts.
//! Analysts watching a strait with dense terrestrial reception may lower it; 6 h
//! ([`WATCH_THRESHOLD_S`]) is the suggested "watch" setting. Gaps are measured between
//! received messages of any kind (a static report is a transmission too), per MMSI; aircraft
//! and reported objects are not considered (ADS-B coverage gaps are not a behaviour), nor
//! MMSIs of fixed and non-ship stations (see [`crate::is_ship_station`]).
//!
//! Events (`ais_gap`):
//! - on reappearance, once per gap, at the time and position of the first message after it:
//!   details `gap_s`, `from` and `to` (`lat`, `lon`, `time`; `to` only when the reappearing
//!   message has a position), `distance_nm` and `implied_speed_knots` (great circle between
//!   the last position before and the first after the gap), `threshold_s`, and
//!   `reported_dark` (whether [`AisGap::sweep`] already reported this spell);
//! - from [`AisGap::sweep`]`(now)`, once per dark spell, for a vessel silent for longer than
//!   the threshold: time = last message + threshold (so the id does not depend on how often
//!   sweeps run), position = last known, details `still_dark: true`, `last_seen`,
//!   `threshold_s`.
//!
//! State: the last message time and position of up to [`AisGapConfig::max_vessels`] vessels
//! (default [`MAX_VESSELS_DEFAULT`]); when full, the vessel heard least recently is forgotten
//! (its next message starts afresh, so a gap longer than the table's turnover is missed).

use kuroshio_model::{Mmsi, PartnerCode, Timestamp};
use kuroshio_track::{Fix, TrackKey, TrackUpdate};
use serde::{Deserialize, Serialize};

use crate::detectors::{BoundedMap, distance_nm, is_ship_station, plus_seconds, seconds_between};
use crate::{Entity, Event, EventKind, EventPolicy, GeoPoint, entity_of};

/// GFW's minimum gap for an AIS disabling event (Welch et al. 2022): 12 h.
pub const GFW_THRESHOLD_S: f64 = 12.0 * 3600.0;

/// A shorter threshold analysts may set to watch a well-covered strait: 6 h. Kuroshio's own
/// suggestion (half GFW's), not a published definition.
pub const WATCH_THRESHOLD_S: f64 = 6.0 * 3600.0;

/// Default vessel table size: the AIS picture of the first island chain is a few tens of
/// thousands of vessels; 200,000 (about 10 MB) leaves room for a satellite feed.
pub const MAX_VESSELS_DEFAULT: usize = 200_000;

/// Thresholds of the AIS gap detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AisGapConfig {
    /// Shortest silence reported, seconds (default [`GFW_THRESHOLD_S`]).
    pub threshold_s: f64,
    /// Most vessels remembered (default 200,000); least recently heard
    /// forgotten when full.
    pub max_vessels: usize,
}

impl Default for AisGapConfig {
    fn default() -> Self {
        Self { threshold_s: GFW_THRESHOLD_S, max_vessels: MAX_VESSELS_DEFAULT }
    }
}

#[derive(Debug, Clone)]
struct Heard {
    last_seen: Timestamp,
    /// Last known position (lat, lon) and its time.
    position: Option<(f64, f64, Timestamp)>,
    entity: Entity,
    reported_dark: bool,
}

/// Reports AIS gaps; see the module documentation.
#[derive(Debug)]
pub struct AisGap {
    config: AisGapConfig,
    vessels: BoundedMap<Mmsi, Heard>,
}

fn point(lat: f64, lon: f64, time: Timestamp) -> serde_json::Value {
    serde_json::json!({"lat": lat, "lon": lon, "time": time.to_string()})
}

impl AisGap {
    /// A detector with these thresholds.
    pub fn new(config: AisGapConfig) -> Self {
        let vessels = BoundedMap::new(config.max_vessels);
        Self { config, vessels }
    }

    /// Vessels currently remembered.
    pub fn len(&self) -> usize {
        self.vessels.len()
    }

    /// Whether no vessel is remembered.
    pub fn is_empty(&self) -> bool {
        self.vessels.len() == 0
    }

    /// Vessels forgotten because the table was full.
    pub fn evicted(&self) -> u64 {
        self.vessels.evicted()
    }

    /// Appends to `out` the reappearance event of this update, if it ends a gap.
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

    /// [`AisGap::on_update`] of a ship station's (`mmsi`) track, checked by the caller.
    #[inline]
    pub(crate) fn on_ship_update(
        &mut self,
        mmsi: Mmsi,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let time = update.track.last_seen();
        let fix = update.current.as_ref().filter(|_| update.fix_added);
        let threshold_s = self.config.threshold_s;
        let (heard, _) = self.vessels.touch_at(update.slot, &mmsi, || Heard {
            last_seen: time,
            position: None,
            entity: entity_of(update),
            reported_dark: false,
        });
        // Names are copied only when they change, not on every message.
        if update.identity_changed || update.identity_learned {
            heard.entity = entity_of(update);
        }
        let gap_s = seconds_between(heard.last_seen, time);
        if gap_s >= threshold_s && gap_s > 0.0 {
            out.push(reappearance(heard, time, gap_s, threshold_s, fix, policy, originator));
        }
        if time >= heard.last_seen {
            heard.last_seen = time;
            heard.reported_dark = false;
        }
        if let Some(f) = fix {
            heard.position = Some((f.lat_deg, f.lon_deg, f.time));
        }
    }

    /// Appends to `out` a `still_dark` event for each remembered vessel silent at `now` for at
    /// least the threshold and not yet reported in this spell. Walks the table from the least
    /// recently heard vessel and stops at the first one heard within the threshold (the table
    /// is in arrival order, which is time order up to the tracker's out-of-order tolerance;
    /// a vessel just inside that tolerance is reported by the next sweep). Cost: the number
    /// of vessels currently dark, at most the table size.
    pub fn sweep(
        &mut self,
        now: Timestamp,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let threshold_s = self.config.threshold_s;
        let mut dark = Vec::new();
        for (mmsi, heard) in self.vessels.iter_oldest_first() {
            if seconds_between(heard.last_seen, now) < threshold_s {
                break;
            }
            if !heard.reported_dark {
                dark.push(*mmsi);
            }
        }
        for mmsi in dark {
            let Some(heard) = self.vessels.get_mut(&mmsi) else { continue };
            heard.reported_dark = true;
            let mut e = Event::new(
                EventKind::AisGap,
                plus_seconds(heard.last_seen, threshold_s),
                heard.entity.clone(),
                None,
                None,
                policy.marking(EventKind::AisGap, originator),
            );
            e.details.insert("still_dark".into(), serde_json::json!(true));
            e.details.insert("last_seen".into(), serde_json::json!(heard.last_seen.to_string()));
            e.details.insert("threshold_s".into(), serde_json::json!(threshold_s));
            if let Some((lat, lon, _)) = heard.position {
                e.position = Some(GeoPoint { lat, lon });
            }
            out.push(e);
        }
    }
}

/// The reappearance event of a vessel last heard as `heard`, heard again at `time` after
/// `gap_s` seconds, with the fix `fix` if the message had one. Apart from
/// [`AisGap::on_ship_update`], which runs for every vessel message, because few messages end
/// a gap.
#[cold]
#[inline(never)]
fn reappearance(
    heard: &Heard,
    time: Timestamp,
    gap_s: f64,
    threshold_s: f64,
    fix: Option<&Fix>,
    policy: &EventPolicy,
    originator: PartnerCode,
) -> Event {
    let mut e = Event::new(
        EventKind::AisGap,
        time,
        heard.entity.clone(),
        None,
        None,
        policy.marking(EventKind::AisGap, originator),
    );
    e.details.insert("gap_s".into(), serde_json::json!(gap_s));
    e.details.insert("threshold_s".into(), serde_json::json!(threshold_s));
    e.details.insert("reported_dark".into(), serde_json::json!(heard.reported_dark));
    if let Some((lat, lon, t)) = heard.position {
        e.details.insert("from".into(), point(lat, lon, t));
    }
    if let Some(f) = fix {
        e.position = Some(GeoPoint { lat: f.lat_deg, lon: f.lon_deg });
        e.details.insert("to".into(), point(f.lat_deg, f.lon_deg, f.time));
        if let Some((lat, lon, t)) = heard.position {
            let d = distance_nm(lat, lon, f.lat_deg, f.lon_deg);
            e.details.insert("distance_nm".into(), serde_json::json!(d));
            let dt_h = seconds_between(t, f.time) / 3600.0;
            if dt_h > 0.0 {
                e.details.insert("implied_speed_knots".into(), serde_json::json!(d / dt_h));
            }
        }
    }
    e
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::detectors::test_support::{obs, vessel};
    use kuroshio_track::{Tracker, TrackerLimits};

    struct Rig {
        tracker: Tracker,
        gap: AisGap,
        out: Vec<Event>,
    }

    impl Rig {
        fn new(threshold_s: f64, max_vessels: usize) -> Self {
            Self {
                tracker: Tracker::new(TrackerLimits::default()),
                gap: AisGap::new(AisGapConfig { threshold_s, max_vessels }),
                out: Vec::new(),
            }
        }
        fn feed(&mut self, mmsi: u32, t: i64, lon: f64, lat: f64) {
            let o = obs(vessel(mmsi), t, Some((lon, lat)), None);
            let now = o.time;
            if let Ok(u) = self.tracker.update(&o, now) {
                let tw = PartnerCode::parse("TW").unwrap();
                self.gap.on_update(&u, &EventPolicy::default(), tw, &mut self.out);
            }
        }
        fn sweep(&mut self, t: i64) {
            let tw = PartnerCode::parse("TW").unwrap();
            let now = Timestamp::from_unix_seconds(t).unwrap();
            self.gap.sweep(now, &EventPolicy::default(), tw, &mut self.out);
        }
    }

    #[test]
    fn reappearance_after_threshold_reports_once_with_details() {
        let mut r = Rig::new(GFW_THRESHOLD_S, 10);
        r.feed(416_000_001, 0, 121.0, 22.0);
        // 13 h later, 1° of latitude further north (60.04 nm): 4.62 kt implied.
        r.feed(416_000_001, 13 * 3600, 121.0, 23.0);
        r.feed(416_000_001, 13 * 3600 + 10, 121.0, 23.001);
        assert_eq!(r.out.len(), 1, "{:#?}", r.out);
        let e = &r.out[0];
        assert_eq!(e.kind, EventKind::AisGap);
        assert_eq!(e.time, Timestamp::from_unix_seconds(13 * 3600).unwrap());
        assert_eq!(e.details["gap_s"], 46_800.0);
        assert_eq!(e.details["from"]["lat"], 22.0);
        assert_eq!(e.details["to"]["lat"], 23.0);
        let d = e.details["distance_nm"].as_f64().unwrap();
        assert!((d - 60.04).abs() < 0.01, "{d}");
        let v = e.details["implied_speed_knots"].as_f64().unwrap();
        assert!((v - 60.04 / 13.0).abs() < 0.01, "{v}");
        assert_eq!(e.details["reported_dark"], false);
        assert_eq!(e.position, Some(GeoPoint { lat: 23.0, lon: 121.0 }));
    }

    #[test]
    fn exact_threshold_counts_and_just_below_does_not() {
        let mut r = Rig::new(3600.0, 10);
        r.feed(416_000_001, 0, 121.0, 22.0);
        r.feed(416_000_001, 3599, 121.0, 22.0);
        assert!(r.out.is_empty());
        r.feed(416_000_001, 3599 + 3600, 121.0, 22.0);
        assert_eq!(r.out.len(), 1);
        // Zero-length step: same place, the distance is 0 and nothing breaks.
        assert_eq!(r.out[0].details["distance_nm"], 0.0);
    }

    #[test]
    fn sweep_reports_each_dark_spell_once_and_reappearance_says_so() {
        let mut r = Rig::new(3600.0, 10);
        r.feed(416_000_001, 0, 121.0, 22.0);
        r.feed(416_000_002, 3000, 121.5, 22.0);
        r.sweep(3599);
        assert!(r.out.is_empty());
        r.sweep(3700);
        assert_eq!(r.out.len(), 1, "{:#?}", r.out);
        assert_eq!(r.out[0].details["still_dark"], true);
        assert_eq!(r.out[0].entity.mmsi.unwrap().get(), 416_000_001);
        assert_eq!(r.out[0].time, Timestamp::from_unix_seconds(3600).unwrap());
        r.sweep(3800);
        assert_eq!(r.out.len(), 1, "idempotent");
        r.sweep(7000);
        assert_eq!(r.out.len(), 2, "the second vessel goes dark too");
        r.feed(416_000_001, 8000, 121.0, 22.1);
        assert_eq!(r.out.len(), 3);
        assert_eq!(r.out[2].details["reported_dark"], true);
        assert!(!r.out[2].details.contains_key("still_dark"));
        // A new spell for the same vessel is reported again.
        r.sweep(8000 + 3600);
        assert_eq!(r.out.len(), 4);
    }

    #[test]
    fn late_message_within_tolerance_is_not_a_gap() {
        let mut r = Rig::new(60.0, 10);
        r.feed(416_000_001, 100, 121.0, 22.0);
        r.feed(416_000_001, 95, 121.0, 22.0); // 5 s late: the tracker folds it in
        r.feed(416_000_001, 130, 121.0, 22.0);
        assert!(r.out.is_empty(), "{:#?}", r.out);
    }

    #[test]
    fn table_is_bounded() {
        let mut r = Rig::new(60.0, 2);
        for (i, m) in [416_000_001, 416_000_002, 416_000_003].into_iter().enumerate() {
            r.feed(m, i as i64, 121.0, 22.0);
        }
        assert_eq!(r.gap.len(), 2);
        assert_eq!(r.gap.evicted(), 1);
        // The forgotten vessel's return is a fresh start, not a gap.
        r.feed(416_000_001, 1000, 121.0, 22.0);
        assert!(r.out.is_empty(), "{:#?}", r.out);
        r.feed(416_000_003, 1000, 121.0, 22.0);
        assert_eq!(r.out.len(), 1);
    }
}
