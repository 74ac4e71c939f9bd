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
//! Per-track lookups: every update names its track's slot in the tracker
//! ([`kuroshio_track::TrackSlot`]), and the tables looked up on every fix (AIS gap, loitering,
//! encounter, zone dwell) remember, per slot, where that track's entry is or that it has none,
//! so a fix usually finds its state without hashing the key. These hints change no result
//! (a stale hint costs a hash lookup) and no bound or eviction rule (each table keeps its own
//! size limit and least-recently-used order, keyed by MMSI or track key as before, so state
//! outlives its track in the tracker exactly as before); they cost eight bytes per tracker
//! slot and table, about 32 MB for a full default tracker of a million tracks. They assume
//! one thing: a detector is fed the updates of one tracker (two trackers' slots would mix).
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
use kuroshio_track::{TrackKey, TrackSlot, TrackUpdate};
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
        // The gap, loitering and encounter detectors look only at ship stations: decided
        // once here, and their per-ship parts called directly (same events, same order).
        let ship = match update.key {
            TrackKey::Vessel(mmsi) if is_ship_station(*mmsi) => Some(*mmsi),
            _ => None,
        };
        if let Some(mmsi) = ship {
            self.gap.on_ship_update(mmsi, update, policy, originator, out);
        }
        self.identity.on_update(update, policy, originator, out);
        if let Some(mmsi) = ship {
            self.loitering.on_ship_update(mmsi, update, policy, originator, out);
            self.encounter.on_ship_update(mmsi, update, policy, originator, out);
        }
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
    // By the first two of the nine digits: one division, a second only for `11…`.
    match mmsi.get() / 10_000_000 {
        0..=9 | 97 | 99 => false,
        11 => mmsi.get() / 1_000_000 != 111,
        _ => true,
    }
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

/// One entry of a [`BoundedMap`].
#[derive(Debug)]
struct Node<K, V> {
    key: K,
    value: V,
}

/// An entry's neighbours in recency order, kept apart from the entries (16 bytes each) so
/// that relinking an entry touches its neighbours' links, not their whole entries.
#[derive(Debug, Clone, Copy)]
struct Link {
    /// Next older entry, or [`NIL`].
    prev: usize,
    /// Next newer entry, or [`NIL`].
    next: usize,
}

/// A map holding at most `capacity` entries; when full, inserting a new key first evicts the
/// least recently touched entry (inserted or returned by [`BoundedMap::touch`]), and the new
/// entry takes over its slot. Entries live in a dense vector threaded by a doubly linked
/// recency list (oldest at `head`, newest at `tail`; the links in a parallel vector) with a
/// hash index from key to slot, so a
/// lookup, a touch, an eviction and a removal each cost one hash lookup and O(1) link updates,
/// with no allocation once the table has reached its size.
///
/// The `…_at` methods do the same by the track's tracker slot, answering from a per-slot hint
/// when they can ([`TrackHint`]); a map used through them must get every new entry through
/// them.
///
/// Slot numbers used for direct indexing below always come from the index or the list, which
/// only ever hold slots below `slots.len()`: an out-of-range slot is a bug in this type, not
/// something input can cause.
#[derive(Debug)]
pub(crate) struct BoundedMap<K, V> {
    capacity: usize,
    index: FastHashMap<K, usize>,
    slots: Vec<Node<K, V>>,
    /// `links[i]` are the recency neighbours of `slots[i]`.
    links: Vec<Link>,
    head: usize,
    tail: usize,
    evicted: u64,
    /// Where each tracker slot's entry is, for the `…_at` methods; see [`TrackHint`].
    hints: Vec<TrackHint>,
}

/// A hint's `node` when the track has no entry.
const HINT_ABSENT: u32 = u32::MAX;

/// A hint's `node` when nothing is known.
const HINT_UNKNOWN: u32 = u32::MAX - 1;

/// What a [`BoundedMap`] last learned about the entry of the track in one tracker slot, so
/// that the track's next update finds its entry without hashing the key. Valid only for the
/// track of that generation. A hint naming a slot is checked against the slot's key before
/// use (entries move when others are removed, and eviction reuses slots), so a stale one
/// costs a hash lookup, never a wrong answer. A hint saying "absent" is trusted: the entry of
/// a track's key is only ever created through the `…_at` methods with that track's slot,
/// which record it. This is why a map used through them must be fed updates of one tracker.
/// Eight bytes per tracker slot, so the hints are bounded by the tracker's
/// [`kuroshio_track::TrackerLimits::max_tracks`] (8 MB for a million tracks).
#[derive(Debug, Clone, Copy)]
struct TrackHint {
    generation: u32,
    node: u32,
}

impl TrackHint {
    const UNKNOWN: TrackHint = TrackHint { generation: 0, node: HINT_UNKNOWN };
}

impl<K: Hash + Eq + Clone, V> BoundedMap<K, V> {
    /// An empty map of at most `capacity` (at least 1) entries.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            index: FastHashMap::default(),
            slots: Vec::new(),
            links: Vec::new(),
            head: NIL,
            tail: NIL,
            evicted: 0,
            hints: Vec::new(),
        }
    }

    /// Takes slot `i` out of the recency list.
    fn unlink(&mut self, i: usize) {
        let Link { prev: p, next: n } = self.links[i];
        if p == NIL {
            self.head = n;
        } else {
            self.links[p].next = n;
        }
        if n == NIL {
            self.tail = p;
        } else {
            self.links[n].prev = p;
        }
    }

    /// Appends slot `i` to the recency list as the newest entry.
    fn push_newest(&mut self, i: usize) {
        self.links[i] = Link { prev: self.tail, next: NIL };
        if self.tail == NIL {
            self.head = i;
        } else {
            self.links[self.tail].next = i;
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
        let node = Node { key: key.clone(), value: make() };
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
            self.links.push(Link { prev: NIL, next: NIL });
            self.slots.len() - 1
        };
        self.push_newest(i);
        self.index.insert(key.clone(), i);
        (&mut self.slots[i].value, evicted)
    }

    /// Removes and returns the entry for `key`.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let i = *self.index.get(key)?;
        Some(self.remove_node(i))
    }

    /// Removes the entry in slot `i` (below `slots.len()`) and returns its value.
    #[inline(never)]
    fn remove_node(&mut self, i: usize) -> V {
        self.index.remove(&self.slots[i].key);
        self.unlink(i);
        let last = self.slots.len() - 1;
        if i != last {
            // The last slot moves into `i`: repoint its neighbours and its index entry. Its
            // track's hint, if any, now names a slot holding another key and is ignored.
            let Link { prev: p, next: n } = self.links[last];
            if p == NIL {
                self.head = i;
            } else {
                self.links[p].next = i;
            }
            if n == NIL {
                self.tail = i;
            } else {
                self.links[n].prev = i;
            }
            if let Some(slot) = self.index.get_mut(&self.slots[last].key) {
                *slot = i;
            }
        }
        self.links.swap_remove(i);
        self.slots.swap_remove(i).value
    }

    /// The slot of `key`, the entry of the track in tracker slot `track`: from the track's
    /// hint when it is of this track and still right, else from the index (and the hint is
    /// refreshed). See [`TrackHint`].
    #[inline(always)]
    fn find_at(&mut self, track: TrackSlot, key: &K) -> Option<usize> {
        if let Some(h) = self.hints.get(track.index())
            && h.generation == track.generation()
        {
            if h.node == HINT_ABSENT {
                return None;
            }
            // `HINT_UNKNOWN` names no slot in practice, and any slot is checked by its key.
            let n = h.node as usize;
            if self.slots.get(n).is_some_and(|node| node.key == *key) {
                return Some(n);
            }
        }
        self.find_by_key(track, key)
    }

    /// [`BoundedMap::find_at`] when the hint does not answer: the index, and a new hint.
    #[inline(never)]
    fn find_by_key(&mut self, track: TrackSlot, key: &K) -> Option<usize> {
        let found = self.index.get(key).copied();
        self.set_hint(track, found);
        found
    }

    /// Records where the entry of the track in tracker slot `track` is (`None`: absent).
    fn set_hint(&mut self, track: TrackSlot, node: Option<usize>) {
        let i = track.index();
        if i >= self.hints.len() {
            // Tracker slots are dense and below the tracker's `max_tracks`: this grows the
            // hints to the tracker's size at most.
            self.hints.resize(i + 1, TrackHint::UNKNOWN);
        }
        let node = match node {
            None => HINT_ABSENT,
            // A slot number too large for a hint is simply not hinted.
            Some(n) => u32::try_from(n).ok().filter(|&n| n < HINT_UNKNOWN).unwrap_or(HINT_UNKNOWN),
        };
        if let Some(h) = self.hints.get_mut(i) {
            *h = TrackHint { generation: track.generation(), node };
        }
    }

    /// [`BoundedMap::touch`] for the entry of the track in tracker slot `track`, whose key is
    /// `key`: the same result, without hashing when the track's hint answers.
    #[inline(always)]
    pub(crate) fn touch_at(
        &mut self,
        track: TrackSlot,
        key: &K,
        make: impl FnOnce() -> V,
    ) -> (&mut V, Option<(K, V)>) {
        if let Some(i) = self.find_at(track, key) {
            if i != self.tail {
                self.unlink(i);
                self.push_newest(i);
            }
            return (&mut self.slots[i].value, None);
        }
        let (_, evicted) = self.touch(key, make);
        // `touch` leaves the new entry at the tail.
        let i = self.tail;
        self.set_hint(track, Some(i));
        (&mut self.slots[i].value, evicted)
    }

    /// The entry of the track in tracker slot `track`, if present, marked most recently used
    /// (see [`BoundedMap::touch_at`]).
    #[inline(always)]
    pub(crate) fn get_touch_at(&mut self, track: TrackSlot, key: &K) -> Option<&mut V> {
        let i = self.find_at(track, key)?;
        if i != self.tail {
            self.unlink(i);
            self.push_newest(i);
        }
        Some(&mut self.slots[i].value)
    }

    /// [`BoundedMap::get`] by tracker slot (see [`BoundedMap::touch_at`]).
    #[inline(always)]
    pub(crate) fn get_at(&mut self, track: TrackSlot, key: &K) -> Option<&V> {
        let i = self.find_at(track, key)?;
        Some(&self.slots[i].value)
    }

    /// [`BoundedMap::get_mut`] by tracker slot (see [`BoundedMap::touch_at`]).
    #[inline(always)]
    pub(crate) fn get_mut_at(&mut self, track: TrackSlot, key: &K) -> Option<&mut V> {
        let i = self.find_at(track, key)?;
        Some(&mut self.slots[i].value)
    }

    /// [`BoundedMap::remove`] by tracker slot (see [`BoundedMap::touch_at`]).
    #[inline(always)]
    pub(crate) fn remove_at(&mut self, track: TrackSlot, key: &K) -> Option<V> {
        let i = self.find_at(track, key)?;
        let value = self.remove_node(i);
        self.set_hint(track, None);
        Some(value)
    }

    /// Entries from least to most recently touched.
    pub(crate) fn iter_oldest_first(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        let first = (self.head != NIL).then_some(self.head);
        std::iter::successors(first, |&i| {
            let n = self.links[i].next;
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

    /// The `…_at` methods give exactly what the key methods give, whatever the tracker does
    /// with its slots (evictions, reuse) and whatever the map does with its entries (moves on
    /// removal, eviction when full, removal by key behind the hints' back).
    #[test]
    fn slot_hints_never_change_an_answer() {
        use crate::detectors::test_support::{obs, vessel};
        use kuroshio_track::{Tracker, TrackerLimits};
        let mut state = 0x1234_5678_9abc_def0_u64;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let mut tracker =
            Tracker::new(TrackerLimits { max_tracks: 10, ..TrackerLimits::default() });
        let mut hinted: BoundedMap<Mmsi, u64> = BoundedMap::new(7);
        let mut plain: BoundedMap<Mmsi, u64> = BoundedMap::new(7);
        for step in 0..20_000_i64 {
            let m = 416_000_000 + next(30) as u32;
            let o = obs(vessel(m), step, Some((121.0, 24.0)), None);
            let u = tracker.update(&o, o.time).unwrap();
            let (slot, key) = (u.slot, Mmsi::new(m).unwrap());
            let v = step as u64;
            match next(6) {
                0 | 1 => {
                    let (a, ea) = hinted.touch_at(slot, &key, || v);
                    let a = *a;
                    let (b, eb) = plain.touch(&key, || v);
                    assert_eq!((a, ea), (*b, eb), "touch {step}");
                }
                2 => {
                    let a = hinted.get_touch_at(slot, &key).map(|x| *x);
                    let b = plain.index.get(&key).copied().map(|i| {
                        if i != plain.tail {
                            plain.unlink(i);
                            plain.push_newest(i);
                        }
                        plain.slots[i].value
                    });
                    assert_eq!(a, b, "get_touch {step}");
                }
                3 => {
                    assert_eq!(hinted.get_at(slot, &key).copied(), plain.get(&key).copied());
                    assert_eq!(
                        hinted.get_mut_at(slot, &key).copied(),
                        plain.get_mut(&key).copied()
                    );
                }
                4 => assert_eq!(hinted.remove_at(slot, &key), plain.remove(&key), "remove {step}"),
                _ => {
                    // Another key removed by key, as the encounter grid does.
                    let other = Mmsi::new(416_000_000 + next(30) as u32).unwrap();
                    assert_eq!(hinted.remove(&other), plain.remove(&other), "remove other {step}");
                }
            }
            let a: Vec<(Mmsi, u64)> = hinted.iter_oldest_first().map(|(k, v)| (*k, *v)).collect();
            let b: Vec<(Mmsi, u64)> = plain.iter_oldest_first().map(|(k, v)| (*k, *v)).collect();
            assert_eq!(a, b, "order {step}");
        }
        assert_eq!(hinted.evicted(), plain.evicted());
        assert!(hinted.evicted() > 100, "the map was full often: {}", hinted.evicted());
        assert!(tracker.stats().evicted_full > 1000, "the tracker reused slots often");
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
        // The digit rule as first written, over every leading-digit pattern and edge.
        let reference = |v: u32| {
            !(v / 100_000_000 == 0
                || v / 1_000_000 == 111
                || v / 10_000_000 == 97
                || v / 10_000_000 == 99)
        };
        for lead in 0..1000u32 {
            for tail in [0, 1, 123_456, 999_999] {
                let v = lead * 1_000_000 + tail;
                if let Ok(mmsi) = Mmsi::new(v) {
                    assert_eq!(is_ship_station(mmsi), reference(v), "{v}");
                }
            }
        }
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
