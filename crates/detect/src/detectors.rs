//! All detectors together: one configuration, one call per track update.
//!
//! [`Detectors`] runs the [`ZoneCrossingDetector`] and the behaviour detectors ([`AisGap`],
//! [`IdentityConflict`], [`Loitering`], [`Encounter`]) on every track update,
//! appending their events to one buffer in that order. [`Detectors::sweep`] reports what
//! only the passing of time reveals (a vessel still dark). [`DetectorConfig`] holds every
//! threshold; its `Default` is the documented defaults of each module, and it reads from
//! JSON (missing fields take their defaults) so a node can configure it.
//!
//! Zone dwell (a stay in an area longer than a threshold) is reported by the
//! [`ZoneCrossingDetector`], from the same crossings as entries and exits; its thresholds are
//! [`DetectorConfig::zone_dwell`]. It is based on observed fixes only: [`Detectors::sweep`]
//! does not report dwell for tracks that stopped reporting.
//!
//! Also here: the small shared pieces (great-circle distance, a bounded least-recently-used
//! map with O(1) touch and eviction) the detectors keep their state in. Not here: clocks and
//! I/O.
//!
//! Hashing: the detectors' tables are keyed by identities a transmitter chooses (MMSIs), so
//! they are keyed with a per-process random seed (`FastHashMap`, foldhash's `RandomState`)
//! rather than a fixed fast hash that an attacker could collide. foldhash hashes these small
//! keys in fewer instructions than the standard library's SipHash, which matters because
//! every position goes through several lookups. The random seed changes hash-table iteration
//! order from run to run; no detector output depends on it (the tables are only looked up,
//! and `BoundedMap` keeps its own recency order), so events stay reproducible.

use std::collections::HashMap;
use std::hash::Hash;

use kuroshio_model::{EARTH_RADIUS_MEAN_M, METRES_PER_NM};
use kuroshio_model::{Mmsi, PartnerCode, Timestamp};
use kuroshio_track::TrackUpdate;
use kuroshio_zones::Catalogue;
use serde::{Deserialize, Serialize};

use crate::encounter::{Encounter, EncounterConfig};
use crate::gap::{AisGap, AisGapConfig};
use crate::identity::{IdentityConfig, IdentityConflict};
use crate::loitering::{Loitering, LoiteringConfig};
use crate::{Event, EventPolicy, ZoneCrossingDetector, ZoneDwellConfig};

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
    /// Zone dwell thresholds.
    pub zone_dwell: ZoneDwellConfig,
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
            zones: ZoneCrossingDetector::with_dwell(config.zone_dwell),
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
    /// than the gap threshold, each dark spell once; not zone dwell, which only a fix
    /// reveals). Call it periodically (a replay: every
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
    kuroshio_model::haversine_m(lat1_deg, lon1_deg, lat2_deg, lon2_deg)
}

/// An upper bound of [`distance_nm`], without trigonometry: the path along the meridian and
/// then along the parallel is at least as long as the great circle, and a parallel is no
/// longer than the equator, so the distance is at most `R · (|Δlat| + |Δlon|)` (radians).
/// Widened by one part in a million so that rounding never puts it below the haversine
/// value; callers use it only to skip work whose outcome the bound already decides.
pub(crate) fn distance_nm_upper_bound(
    lat1_deg: f64,
    lon1_deg: f64,
    lat2_deg: f64,
    lon2_deg: f64,
) -> f64 {
    let sum_rad = ((lat2_deg - lat1_deg).abs() + (lon2_deg - lon1_deg).abs()).to_radians();
    EARTH_RADIUS_MEAN_M * sum_rad / METRES_PER_NM * (1.0 + 1e-6)
}

/// Seconds from `a` to `b` (negative if `b` is earlier).
pub(crate) fn seconds_between(a: Timestamp, b: Timestamp) -> f64 {
    b.nanos_since(a) as f64 / 1e9
}

/// `t` plus `seconds` (saturating).
pub(crate) fn plus_seconds(t: Timestamp, seconds: f64) -> Timestamp {
    t.saturating_add_nanos((seconds * 1e9).round() as i64)
}

/// A hash map keyed with a per-process random seed (see the module documentation).
pub(crate) type FastHashMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// No slot: the end of the recency list.
const NIL: usize = usize::MAX;

/// One entry of a [`BoundedMap`] and its neighbours in recency order.
#[derive(Debug)]
struct Node<K, V> {
    key: K,
    value: V,
    /// Next older entry, or [`NIL`].
    prev: usize,
    /// Next newer entry, or [`NIL`].
    next: usize,
}

/// A map holding at most `capacity` entries; when full, inserting a new key first evicts the
/// least recently touched entry (inserted or returned by [`BoundedMap::touch`]), and the new
/// entry takes over its slot. Entries live in a dense vector threaded by a doubly linked
/// recency list (oldest at `head`, newest at `tail`) with a hash index from key to slot, so a
/// lookup, a touch, an eviction and a removal each cost one hash lookup and O(1) link updates,
/// with no allocation once the table has reached its size.
///
/// Slot numbers used for direct indexing below always come from the index or the list, which
/// only ever hold slots below `slots.len()`: an out-of-range slot is a bug in this type, not
/// something input can cause.
#[derive(Debug)]
pub(crate) struct BoundedMap<K, V> {
    capacity: usize,
    index: FastHashMap<K, usize>,
    slots: Vec<Node<K, V>>,
    head: usize,
    tail: usize,
    evicted: u64,
}

impl<K: Hash + Eq + Clone, V> BoundedMap<K, V> {
    /// An empty map of at most `capacity` (at least 1) entries.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            index: FastHashMap::default(),
            slots: Vec::new(),
            head: NIL,
            tail: NIL,
            evicted: 0,
        }
    }

    /// Takes slot `i` out of the recency list.
    fn unlink(&mut self, i: usize) {
        let (p, n) = (self.slots[i].prev, self.slots[i].next);
        if p == NIL {
            self.head = n;
        } else {
            self.slots[p].next = n;
        }
        if n == NIL {
            self.tail = p;
        } else {
            self.slots[n].prev = p;
        }
    }

    /// Appends slot `i` to the recency list as the newest entry.
    fn push_newest(&mut self, i: usize) {
        self.slots[i].prev = self.tail;
        self.slots[i].next = NIL;
        if self.tail == NIL {
            self.head = i;
        } else {
            self.slots[self.tail].next = i;
        }
        self.tail = i;
    }

    /// The entry for `key`, without marking it used.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.index.get(key).map(|&i| &self.slots[i].value)
    }

    /// The entry for `key`, created by `make` if absent (evicting the least recently touched
    /// entry when full), marked most recently used. Returns the entry and the evicted pair.
    pub(crate) fn touch(&mut self, key: &K, make: impl FnOnce() -> V) -> (&mut V, Option<(K, V)>) {
        if let Some(&i) = self.index.get(key) {
            if i != self.tail {
                self.unlink(i);
                self.push_newest(i);
            }
            return (&mut self.slots[i].value, None);
        }
        let node = Node { key: key.clone(), value: make(), prev: NIL, next: NIL };
        let mut evicted = None;
        let i = if self.index.len() >= self.capacity && self.head != NIL {
            let i = self.head;
            self.unlink(i);
            let old = std::mem::replace(&mut self.slots[i], node);
            self.index.remove(&old.key);
            self.evicted += 1;
            evicted = Some((old.key, old.value));
            i
        } else {
            self.slots.push(node);
            self.slots.len() - 1
        };
        self.push_newest(i);
        self.index.insert(key.clone(), i);
        (&mut self.slots[i].value, evicted)
    }

    /// The entry for `key`, if present, marked most recently used.
    pub(crate) fn get_touch(&mut self, key: &K) -> Option<&mut V> {
        let i = *self.index.get(key)?;
        if i != self.tail {
            self.unlink(i);
            self.push_newest(i);
        }
        Some(&mut self.slots[i].value)
    }

    /// Removes and returns the entry for `key`.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.index.remove(key)?;
        self.unlink(i);
        let last = self.slots.len() - 1;
        if i != last {
            // The last slot moves into `i`: repoint its neighbours and its index entry.
            let (p, n) = (self.slots[last].prev, self.slots[last].next);
            if p == NIL {
                self.head = i;
            } else {
                self.slots[p].next = i;
            }
            if n == NIL {
                self.tail = i;
            } else {
                self.slots[n].prev = i;
            }
            if let Some(slot) = self.index.get_mut(&self.slots[last].key) {
                *slot = i;
            }
        }
        Some(self.slots.swap_remove(i).value)
    }

    /// Entries from least to most recently touched.
    pub(crate) fn iter_oldest_first(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        let first = (self.head != NIL).then_some(self.head);
        std::iter::successors(first, |&i| {
            let n = self.slots[i].next;
            (n != NIL).then_some(n)
        })
        .map(|i| (&self.slots[i].key, &self.slots[i].value))
    }

    /// The entry for `key`, mutable, without marking it used.
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let i = *self.index.get(key)?;
        Some(&mut self.slots[i].value)
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
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
    fn distance_upper_bound_is_never_below_the_haversine() {
        let cases = [
            (24.0, 121.0, 25.0, 121.0),
            (24.0, 121.0, 24.0, 122.0),
            (24.0, 121.0, 24.01, 121.003),
            (-60.0, -179.0, 60.0, 179.0),
            (89.9, 0.0, 89.9, 180.0),
            (0.0, 0.0, 0.0, 0.0),
        ];
        for (a, b, c, d) in cases {
            let exact = distance_nm(a, b, c, d);
            let bound = distance_nm_upper_bound(a, b, c, d);
            assert!(bound >= exact, "{a} {b} {c} {d}: {bound} < {exact}");
        }
        // Along a meridian the bound is the distance itself (to its widening).
        let bound = distance_nm_upper_bound(24.0, 121.0, 25.0, 121.0);
        assert!((bound - 60.04).abs() < 0.01, "{bound}");
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
        assert_eq!(c.zone_dwell, ZoneDwellConfig::default());
        let c: DetectorConfig = serde_json::from_str(
            r#"{"zone_dwell": {"threshold_s": 1800, "zone_threshold_s": {"roc_adiz": null}}}"#,
        )
        .unwrap();
        assert_eq!(c.zone_dwell.threshold_s, 1800.0);
        assert_eq!(c.zone_dwell.zone_threshold_s["roc_adiz"], None);
        assert_eq!(c.ais_gap, AisGapConfig::default());
    }
}
