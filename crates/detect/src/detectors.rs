//! All detectors together: one configuration, one call per track update.
//!
//! [`Detectors`] runs the [`ZoneCrossingDetector`] and the behaviour detectors ([`AisGap`],
//! [`IdentityConflict`], [`Loitering`], [`Encounter`]) on every track update,
//! appending their events to one buffer in that order. [`Detectors::sweep`] reports what
//! only the passing of time reveals (a vessel still dark). [`DetectorConfig`] holds every
//! threshold; its `Default` is the documented defaults of each module, and it reads from
//! JSON (missing fields take their defaults) so a node can configure it.
//!
//! Zone dwell (a stay in an area longer than a threshold) is not implemented: the event
//! record has no kind for it.
//!
//! Also here: the small shared pieces (great-circle distance, a bounded least-recently-used
//! map) the detectors keep their state in. Not here: clocks and I/O.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use kuroshio_model::{Mmsi, PartnerCode, Timestamp};
use kuroshio_track::{EARTH_RADIUS_MEAN_M, METRES_PER_NM, TrackUpdate};
use kuroshio_zones::Catalogue;
use serde::{Deserialize, Serialize};

use crate::encounter::{Encounter, EncounterConfig};
use crate::gap::{AisGap, AisGapConfig};
use crate::identity::{IdentityConfig, IdentityConflict};
use crate::loitering::{Loitering, LoiteringConfig};
use crate::{Event, EventPolicy, ZoneCrossingDetector};

/// Every detector threshold, per detector; see each detector's module documentation for the
/// defaults and their sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectorConfig {
    /// AIS gap ("going dark") thresholds.
    pub ais_gap: AisGapConfig,
    /// Identity conflict thresholds.
    pub identity_conflict: IdentityConfig,
    /// Loitering thresholds.
    pub loitering: LoiteringConfig,
    /// Encounter thresholds.
    pub encounter: EncounterConfig,
}

/// Every detector, fed together.
#[derive(Debug)]
pub struct Detectors {
    zones: ZoneCrossingDetector,
    gap: AisGap,
    identity: IdentityConflict,
    loitering: Loitering,
    encounter: Encounter,
}

impl Detectors {
    /// Detectors with these thresholds.
    pub fn new(config: DetectorConfig) -> Self {
        Self {
            zones: ZoneCrossingDetector::new(),
            gap: AisGap::new(config.ais_gap),
            identity: IdentityConflict::new(config.identity_conflict),
            loitering: Loitering::new(config.loitering),
            encounter: Encounter::new(config.encounter),
        }
    }

    /// Appends to `out` the events of one track update, from every detector.
    pub fn on_update(
        &mut self,
        update: &TrackUpdate<'_>,
        catalogue: &Catalogue,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        self.zones.on_update(update, catalogue, policy, originator, out);
        self.gap.on_update(update, policy, originator, out);
        self.identity.on_update(update, policy, originator, out);
        self.loitering.on_update(update, policy, originator, out);
        self.encounter.on_update(update, policy, originator, out);
    }

    /// Appends to `out` what the passing of time alone reveals at `now` (vessels dark longer
    /// than the gap threshold, each dark spell once). Call it periodically (a replay: every
    /// few minutes of data time, and once at the end).
    pub fn sweep(
        &mut self,
        now: Timestamp,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        self.gap.sweep(now, policy, originator, out);
    }
}

/// Whether an MMSI may be a ship's: every form except those of fixed or non-ship stations
/// (ITU-R M.585 Annex 1): leading `0` (coast stations and group calls), `111` (SAR aircraft),
/// `97` (SART, MOB, EPIRB-AIS) and `99` (aids to navigation). Structurally invalid MMSIs count
/// as ships: a ship transmitting a bogus number is still a ship. The behaviour detectors (gap,
/// loitering, encounter) look only at these, so that a base station or a buoy never "loiters".
pub fn is_ship_station(mmsi: Mmsi) -> bool {
    let v = mmsi.get();
    !(v / 100_000_000 == 0 || v / 1_000_000 == 111 || v / 10_000_000 == 97 || v / 10_000_000 == 99)
}

/// Great-circle distance in nautical miles (haversine on the mean Earth radius, IUGG).
pub(crate) fn distance_nm(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    distance_m(lat1_deg, lon1_deg, lat2_deg, lon2_deg) / METRES_PER_NM
}

/// Great-circle distance in metres (haversine on the mean Earth radius, IUGG).
pub(crate) fn distance_m(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    let (p1, p2) = (lat1_deg.to_radians(), lat2_deg.to_radians());
    let dp = p2 - p1;
    let dl = (lon2_deg - lon1_deg).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_MEAN_M * h.clamp(0.0, 1.0).sqrt().asin()
}

/// Seconds from `a` to `b` (negative if `b` is earlier).
pub(crate) fn seconds_between(a: Timestamp, b: Timestamp) -> f64 {
    b.nanos_since(a) as f64 / 1e9
}

/// `t` plus `seconds` (saturating).
pub(crate) fn plus_seconds(t: Timestamp, seconds: f64) -> Timestamp {
    t.saturating_add_nanos((seconds * 1e9).round() as i64)
}

/// A map holding at most `capacity` entries; when full, inserting a new key first evicts the
/// least recently touched entry (inserted or returned by [`BoundedMap::touch`]). Both the
/// lookup and the eviction are O(log n).
#[derive(Debug)]
pub(crate) struct BoundedMap<K, V> {
    capacity: usize,
    entries: HashMap<K, (V, u64)>,
    order: BTreeMap<u64, K>,
    next: u64,
    evicted: u64,
}

impl<K: Hash + Eq + Clone, V> BoundedMap<K, V> {
    /// An empty map of at most `capacity` (at least 1) entries.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            entries: HashMap::new(),
            order: BTreeMap::new(),
            next: 0,
            evicted: 0,
        }
    }

    /// The entry for `key`, without marking it used.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.entries.get(key).map(|(v, _)| v)
    }

    /// The entry for `key`, created by `make` if absent (evicting the least recently touched
    /// entry when full), marked most recently used. Returns the entry and the evicted pair.
    pub(crate) fn touch(&mut self, key: &K, make: impl FnOnce() -> V) -> (&mut V, Option<(K, V)>) {
        let seq = self.next;
        self.next += 1;
        let mut evicted = None;
        if let Some((_, old)) = self.entries.get(key) {
            let old = *old;
            self.order.remove(&old);
        } else if self.entries.len() >= self.capacity {
            if let Some((_, k)) = self.order.pop_first() {
                if let Some((v, _)) = self.entries.remove(&k) {
                    evicted = Some((k, v));
                }
                self.evicted += 1;
            }
        }
        self.order.insert(seq, key.clone());
        let slot = self.entries.entry(key.clone()).or_insert_with(|| (make(), seq));
        slot.1 = seq;
        (&mut slot.0, evicted)
    }

    /// Removes and returns the entry for `key`.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let (v, seq) = self.entries.remove(key)?;
        self.order.remove(&seq);
        Some(v)
    }

    /// Entries from least to most recently touched.
    pub(crate) fn iter_oldest_first(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.order.values().filter_map(|k| self.entries.get(k).map(|(v, _)| (k, v)))
    }

    /// The entry for `key`, mutable, without marking it used.
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.entries.get_mut(key).map(|(v, _)| v)
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Entries evicted because the map was full.
    pub(crate) fn evicted(&self) -> u64 {
        self.evicted
    }
}

/// Observation builders shared by the detectors' unit tests.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod test_support {
    use kuroshio_model::Timestamp;
    use kuroshio_model::{Icao24, Kinematics, Mmsi, Observation, Position, SourceId, TargetId};

    /// A vessel target.
    pub(crate) fn vessel(mmsi: u32) -> TargetId {
        TargetId::Vessel(Mmsi::new(mmsi).unwrap())
    }

    /// An aircraft target.
    pub(crate) fn aircraft(icao: u32) -> TargetId {
        TargetId::Aircraft(Icao24::new(icao).unwrap())
    }

    /// An observation at `t` seconds, optionally with a (lon, lat) position and a speed.
    pub(crate) fn obs(
        target: TargetId,
        t: i64,
        position: Option<(f64, f64)>,
        speed_knots: Option<f64>,
    ) -> Observation {
        let mut o = Observation::new(
            target,
            Timestamp::from_unix_seconds(t).unwrap(),
            SourceId::parse("test").unwrap(),
        );
        o.position = position.map(|(lon, lat)| Position::new(lon, lat).unwrap());
        o.kinematics = Kinematics { speed_knots, ..Kinematics::default() };
        o
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn bounded_map_evicts_least_recently_touched() {
        let mut m: BoundedMap<u32, u32> = BoundedMap::new(2);
        m.touch(&1, || 10);
        m.touch(&2, || 20);
        m.touch(&1, || 0); // 1 is now the most recent
        let (_, ev) = m.touch(&3, || 30);
        assert_eq!(ev, Some((2, 20)));
        assert_eq!(m.len(), 2);
        assert_eq!(m.evicted(), 1);
        assert_eq!(m.get(&1), Some(&10));
        assert!(m.get(&2).is_none());
        let order: Vec<u32> = m.iter_oldest_first().map(|(k, _)| *k).collect();
        assert_eq!(order, vec![1, 3]);
        assert_eq!(m.remove(&1), Some(10));
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn ship_stations() {
        let m = |v| Mmsi::new(v).unwrap();
        assert!(is_ship_station(m(416_000_001)));
        assert!(is_ship_station(m(123_456_789)));
        assert!(is_ship_station(m(984_161_234)));
        assert!(!is_ship_station(m(2_190_048))); // 002190048, a Danish coast station
        assert!(!is_ship_station(m(992_191_000)));
        assert!(!is_ship_station(m(111_219_500)));
        assert!(!is_ship_station(m(970_010_001)));
    }

    #[test]
    fn one_degree_of_latitude_is_sixty_nautical_miles() {
        // 1° of a great circle on a 6371.0088 km sphere is 111.195 km = 60.04 nm.
        let d = distance_nm(24.0, 121.0, 25.0, 121.0);
        assert!((d - 60.04).abs() < 0.01, "{d}");
        assert_eq!(distance_m(24.0, 121.0, 24.0, 121.0), 0.0);
    }

    #[test]
    fn config_reads_partial_json_and_defaults_the_rest() {
        let c: DetectorConfig =
            serde_json::from_str(r#"{"ais_gap": {"threshold_s": 21600}}"#).unwrap();
        assert_eq!(c.ais_gap.threshold_s, 21_600.0);
        assert_eq!(c.identity_conflict, IdentityConfig::default());
        let back: DetectorConfig =
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        assert!(serde_json::from_str::<DetectorConfig>(r#"{"nope": 1}"#).is_err());
    }
}
