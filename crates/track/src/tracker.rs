//! The tracker: a bounded table of tracks that observations are folded into.
//!
//! [`Tracker::update`] takes one observation and the current time and returns a
//! [`TrackUpdate`] describing what changed, which is what detectors consume. Storage is a slab
//! of slots (a `Vec`, reused after removal) indexed by hash maps from the key to the slot
//! number (vessels and aircraft by their number as a `u64`, local tracks by their id), with an
//! intrusive doubly linked list through the slots in order of last update. The update names
//! the track's slot ([`TrackSlot`]), so that detectors can keep per-track state by slot.
//! That list gives the when-full rule in O(1): when [`TrackerLimits::max_tracks`] tracks are
//! live and a new target arrives, the least recently updated track is evicted (counted in
//! [`TrackerStats::evicted_full`]).
//!
//! The index is keyed with a per-process random seed (foldhash's `RandomState`) rather than
//! an unkeyed fast hash: anyone with a transmitter chooses the MMSIs a receiver hears, and a
//! seeded hash keeps ids crafted offline from colliding in every receiver's table. foldhash
//! rather than the standard library's SipHash because every observation hashes its key once:
//! on the pipeline benchmark (`kuroshio-detect`'s `benches/pipeline.rs`) SipHash cost about
//! 190 instructions per lookup, a fifth of an update, and foldhash about 20 (callgrind). The
//! seed changes the table's iteration order from run to run; nothing here iterates it.
//!
//! Ordering: an observation more than [`TrackerLimits::out_of_order_tolerance_ms`] older than
//! the track's last one is rejected ([`Rejected::OutOfOrder`]); one within the tolerance is
//! folded in (identity, count, sources) but its position is not inserted into the history,
//! which stays in time order. An observation more than
//! [`TrackerLimits::future_tolerance_ms`] after `now` is rejected ([`Rejected::Future`]), so
//! one bad clock cannot pin a track in the future. Times are integer nanoseconds
//! ([`Timestamp`]) and positions are validated by the model, so NaN cannot reach a track;
//! non-finite or out-of-range speed, course and altitude are treated as not reported.
//!
//! Not here: clocks (callers pass `now`), threads, persistence, and deciding whether an
//! update is suspicious (that is the detectors' work).

use std::collections::HashMap;

use foldhash::fast::RandomState;
use kuroshio_model::{Observation, SourceId, TargetId, Timestamp};

use crate::fix::{Fix, PackedFix};
use crate::track::{Track, TrackKey};

/// Hard ceiling on [`TrackerLimits::max_tracks`]: slot numbers are `u32`, with one value kept
/// as the list terminator.
pub const TRACKS_MAX: usize = (u32::MAX - 1) as usize;

/// Interned sources per tracker. A node hears a few dozen feeds, and aggregated feeds name one
/// source per receiving station (hundreds to a few thousand); 4096 bounds the table at a few
/// hundred kilobytes. When full, further new sources are not recorded on tracks (counted in
/// [`TrackerStats::sources_unrecorded`]); their observations are still tracked.
pub const SOURCES_MAX: usize = 4096;

/// A value missing from one observation is taken from the track's latest reported motion if
/// that was reported at most this long before or after (ADS-B sends velocity and position in
/// separate messages, each about twice a second; DO-260B §2.2.3.3.1).
const MOTION_CARRY_NS: i64 = 10_000_000_000;

/// Marks the end of the update-order list.
const NIL: u32 = u32::MAX;

const NANOS_PER_MS: i64 = 1_000_000;

/// Bounds and tolerances of a [`Tracker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerLimits {
    /// Most live tracks held (clamped to 1..=[`TRACKS_MAX`]). When full, a new target evicts
    /// the least recently updated track.
    pub max_tracks: usize,
    /// How far (ms) an observation may be older than its track's last one and still be
    /// folded in. Feeds merged from several receivers arrive a few seconds apart.
    pub out_of_order_tolerance_ms: u32,
    /// How far (ms) an observation may be after `now` (receiver clock error).
    pub future_tolerance_ms: u32,
}

impl Default for TrackerLimits {
    /// One million tracks (about 0.75 GB, see the crate documentation: the regional picture
    /// of all AIS and ADS-B targets in view is in the tens of thousands, a global satellite
    /// AIS feed a few hundred thousand), 10 s out-of-order tolerance (the spread of
    /// terrestrial receivers' network delays), 60 s future tolerance (receivers without
    /// disciplined clocks).
    fn default() -> Self {
        Self {
            max_tracks: 1_000_000,
            out_of_order_tolerance_ms: 10_000,
            future_tolerance_ms: 60_000,
        }
    }
}

/// Why an observation was not folded in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejected {
    /// The target is of a kind the tracker does not know, or a local id is too long.
    #[error("target kind not tracked, or local id longer than {max_bytes} bytes")]
    UnsupportedTarget {
        /// The longest local id accepted.
        max_bytes: usize,
    },
    /// The observation is older than its track's last one by more than the tolerance.
    #[error(
        "observation at {time} is {behind_ms} ms older than the track's last ({last_seen}), \
         tolerance {tolerance_ms} ms"
    )]
    OutOfOrder {
        /// The observation's time.
        time: Timestamp,
        /// The track's last time.
        last_seen: Timestamp,
        /// How much older, ms.
        behind_ms: i64,
        /// The tolerance in force, ms.
        tolerance_ms: u32,
    },
    /// The observation is after `now` by more than the tolerance.
    #[error(
        "observation at {time} is {ahead_ms} ms after now ({now}), tolerance {tolerance_ms} ms"
    )]
    Future {
        /// The observation's time.
        time: Timestamp,
        /// The `now` given.
        now: Timestamp,
        /// How far ahead, ms.
        ahead_ms: i64,
        /// The tolerance in force, ms.
        tolerance_ms: u32,
    },
}

/// Counters of what the tracker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrackerStats {
    /// Observations folded in.
    pub accepted: u64,
    /// Tracks created.
    pub new_tracks: u64,
    /// Observations rejected as [`Rejected::UnsupportedTarget`].
    pub rejected_unsupported: u64,
    /// Observations rejected as [`Rejected::OutOfOrder`].
    pub rejected_out_of_order: u64,
    /// Observations rejected as [`Rejected::Future`].
    pub rejected_future: u64,
    /// Accepted positions older than the track's newest fix (within tolerance), not added to
    /// the history.
    pub late_fixes: u64,
    /// Accepted positions equal in time and place to the newest fix (the same report heard
    /// twice), not added again.
    pub duplicate_fixes: u64,
    /// Tracks evicted because the table was full.
    pub evicted_full: u64,
    /// Tracks dropped by [`Tracker::sweep`].
    pub dropped_stale: u64,
    /// Observations whose source could not be interned because [`SOURCES_MAX`] was reached.
    pub sources_unrecorded: u64,
}

/// What one accepted observation did to its track; the input of detectors.
#[derive(Debug, Clone, Copy)]
pub struct TrackUpdate<'a> {
    /// The track's key.
    pub key: &'a TrackKey,
    /// The track after the update.
    pub track: &'a Track,
    /// The track's newest fix before the update.
    pub previous: Option<Fix>,
    /// The track's newest fix after the update (equal to `previous` when the observation had
    /// no position or its position was not added).
    pub current: Option<Fix>,
    /// Whether the observation's position was added to the history.
    pub fix_added: bool,
    /// Seconds from the track's previous last-seen time to this observation (negative, at
    /// most the out-of-order tolerance, for a slightly late one); `None` for a new track.
    pub gap_s: Option<f64>,
    /// Whether an identity field that had a value got a different one.
    pub identity_changed: bool,
    /// Whether an identity field got its first value.
    pub identity_learned: bool,
    /// Whether this observation created the track.
    pub new_track: bool,
    /// The track's slot in the tracker, fixed for the track's life.
    pub slot: TrackSlot,
}

/// A slot's neighbours in update order, its generation and whether it is live. Kept apart
/// from the tracks (16 bytes each, 16 MB for a million tracks, so mostly cache-resident)
/// because an update touches three neighbours' links but only its own track.
#[derive(Debug, Clone, Copy)]
struct Link {
    prev: u32,
    next: u32,
    /// How many tracks this slot held before the current one (wrapping); see [`TrackSlot`].
    generation: u32,
    /// Whether the slot holds a live track (free slots keep their last track's bytes).
    live: bool,
}

/// Where a track lives in its [`Tracker`] for as long as it lives: the slot number and the
/// slot's generation, which changes whenever the slot is given to a new track (after an
/// eviction or a [`Tracker::sweep`]). Detectors index per-track state by it instead of
/// hashing the track's key again: the same `TrackSlot` always means the same track of one
/// tracker, and slot numbers stay below [`TrackerLimits::max_tracks`]. The generation is a
/// wrapping `u32`: two tracks in one slot share a `TrackSlot` only if 2^32 other tracks held
/// that slot in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackSlot {
    index: u32,
    generation: u32,
}

impl TrackSlot {
    /// The slot number, below [`TrackerLimits::max_tracks`].
    pub const fn index(self) -> usize {
        self.index as usize
    }

    /// How many tracks the slot held before this one (wrapping).
    pub const fn generation(self) -> u32 {
        self.generation
    }
}

/// A bounded table of live tracks; see the module documentation.
#[derive(Debug)]
pub struct Tracker {
    limits: TrackerLimits,
    slots: Vec<Track>,
    links: Vec<Link>,
    /// Slots of vessel and aircraft tracks by [`number_key`]: a `u64` hashes and compares in
    /// fewer instructions than a [`TrackKey`], and takes half the bucket.
    numbers: HashMap<u64, u32, RandomState>,
    /// Slots of local tracks by id, looked up by `&str` without building a key.
    texts: HashMap<Box<str>, u32, RandomState>,
    free: Vec<u32>,
    /// Most recently updated slot.
    head: u32,
    /// Least recently updated slot: the next to evict when full.
    tail: u32,
    sources: Vec<SourceId>,
    source_numbers: HashMap<SourceId, u16, RandomState>,
    last_source: Option<u16>,
    stats: TrackerStats,
}

impl Tracker {
    /// An empty tracker.
    pub fn new(limits: TrackerLimits) -> Self {
        let limits = TrackerLimits { max_tracks: limits.max_tracks.clamp(1, TRACKS_MAX), ..limits };
        Self {
            limits,
            slots: Vec::new(),
            links: Vec::new(),
            numbers: HashMap::default(),
            texts: HashMap::default(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            sources: Vec::new(),
            source_numbers: HashMap::default(),
            last_source: None,
            stats: TrackerStats::default(),
        }
    }

    /// The limits in force (after clamping).
    pub fn limits(&self) -> &TrackerLimits {
        &self.limits
    }

    /// The counters so far.
    pub fn stats(&self) -> &TrackerStats {
        &self.stats
    }

    /// Live tracks.
    pub fn len(&self) -> usize {
        self.numbers.len() + self.texts.len()
    }

    /// Whether there are no live tracks.
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty() && self.texts.is_empty()
    }

    /// The track of `key`, if live.
    pub fn get(&self, key: &TrackKey) -> Option<&Track> {
        let i = self.find(Lookup::of_key(key))?;
        self.slots.get(i as usize)
    }

    /// All live tracks, in slot order (no meaningful order).
    pub fn tracks(&self) -> impl Iterator<Item = &Track> + '_ {
        self.slots.iter().zip(&self.links).filter(|(_, l)| l.live).map(|(t, _)| t)
    }

    /// Live tracks that are stale at `now` ([`Track::is_stale`]).
    pub fn stale(&self, now: Timestamp) -> impl Iterator<Item = &Track> + '_ {
        self.tracks().filter(move |t| t.is_stale(now))
    }

    /// The source interned as `number` (see [`Track::source_numbers`]).
    pub fn source(&self, number: u16) -> Option<&SourceId> {
        self.sources.get(usize::from(number))
    }

    /// Drops every track not heard from for longer than its kind's
    /// [`crate::KindLimits::drop_after_s`] before `now`; returns how many were dropped. O(slots):
    /// call it periodically (every few seconds to minutes), not per observation.
    pub fn sweep(&mut self, now: Timestamp) -> usize {
        let mut dropped = 0;
        for i in 0..self.slots.len() {
            if !self.links[i].live {
                continue;
            }
            let track = &self.slots[i];
            let limit_ns = i64::from(track.key.kind().limits().drop_after_s) * 1_000_000_000;
            if now.nanos_since(track.last_seen) > limit_ns {
                self.remove(i as u32);
                dropped += 1;
            }
        }
        self.stats.dropped_stale += dropped as u64;
        dropped
    }

    /// An estimate of the bytes this tracker holds: slot and index capacity plus the heap
    /// parts of keys and interned sources (allocator overhead not included).
    pub fn memory_bytes(&self) -> usize {
        let slots =
            self.slots.capacity() * size_of::<Track>() + self.links.capacity() * size_of::<Link>();
        // hashbrown: one (key, value) bucket and one control byte per bucket, buckets at most
        // 8/7 of capacity.
        let index = self.numbers.capacity() * 8 / 7 * (size_of::<(u64, u32)>() + 1)
            + self.texts.capacity() * 8 / 7 * (size_of::<(Box<str>, u32)>() + 1);
        let local_keys: usize = self
            .tracks()
            .map(|t| match &t.key {
                TrackKey::Local(id) => id.len(),
                _ => 0,
            })
            .sum();
        let sources: usize = self.sources.iter().map(|s| 2 * s.as_str().len() + 48).sum();
        slots + index + self.free.capacity() * 4 + local_keys + sources
    }

    /// Folds `obs` into its track at `now`; see the module documentation for ordering and
    /// rejection rules.
    pub fn update(
        &mut self,
        obs: &Observation,
        now: Timestamp,
    ) -> Result<TrackUpdate<'_>, Rejected> {
        let Some(lookup) = Lookup::of_target(&obs.target) else {
            self.stats.rejected_unsupported += 1;
            return Err(Rejected::UnsupportedTarget { max_bytes: crate::LOCAL_ID_BYTES_MAX });
        };
        let ahead_ns = obs.time.nanos_since(now);
        let tolerance_ms = self.limits.future_tolerance_ms;
        if ahead_ns > i64::from(tolerance_ms) * NANOS_PER_MS {
            self.stats.rejected_future += 1;
            let ahead_ms = ahead_ns / NANOS_PER_MS;
            return Err(Rejected::Future { time: obs.time, now, ahead_ms, tolerance_ms });
        }
        let (i, new_track) = match self.find(lookup) {
            Some(i) => {
                let last_seen = self.slots[i as usize].last_seen;
                let behind_ns = last_seen.nanos_since(obs.time);
                let tolerance_ms = self.limits.out_of_order_tolerance_ms;
                if behind_ns > i64::from(tolerance_ms) * NANOS_PER_MS {
                    self.stats.rejected_out_of_order += 1;
                    let behind_ms = behind_ns / NANOS_PER_MS;
                    return Err(Rejected::OutOfOrder {
                        time: obs.time,
                        last_seen,
                        behind_ms,
                        tolerance_ms,
                    });
                }
                self.touch(i);
                (i, false)
            }
            None => {
                // Accepted by `Lookup::of_target`, so accepted here too.
                let Some(key) = TrackKey::from_target(&obs.target) else {
                    self.stats.rejected_unsupported += 1;
                    return Err(Rejected::UnsupportedTarget {
                        max_bytes: crate::LOCAL_ID_BYTES_MAX,
                    });
                };
                (self.insert(key, obs.time), true)
            }
        };
        let source = self.intern(&obs.source);
        self.stats.accepted += 1;

        let stats = &mut self.stats;
        let track = &mut self.slots[i as usize];
        // The newest fix before this update, read once.
        let last = track.last_packed().copied();
        let previous = last.as_ref().map(PackedFix::unpack);
        let gap_s = (!new_track).then(|| obs.time.nanos_since(track.last_seen) as f64 / 1e9);

        let k = &obs.kinematics;
        let speed = finite(k.speed_knots.filter(|&v| v >= 0.0));
        let course = finite(k.course_deg.filter(|v| (0.0..360.0).contains(v)));
        let altitude = finite(k.altitude_ft);
        let motion = &mut track.motion;
        let carry = obs.time.nanos_since(motion.time).abs() <= MOTION_CARRY_NS;
        let pick = |own: f32, latest: f32| if own.is_nan() && carry { latest } else { own };
        let fix_speed = pick(speed, motion.speed_knots);
        let fix_course = pick(course, motion.course_deg);
        let fix_altitude = pick(altitude, motion.altitude_ft);
        if obs.time >= motion.time {
            motion.time = obs.time;
            for (slot, v) in [
                (&mut motion.speed_knots, speed),
                (&mut motion.course_deg, course),
                (&mut motion.altitude_ft, altitude),
            ] {
                if !v.is_nan() {
                    *slot = v;
                }
            }
        }

        // The fix added to the history, if any: the update's `current`, unpacked from what
        // the history holds.
        let mut added = None;
        if let Some(p) = obs.position {
            let fix = PackedFix::from_parts(
                obs.time,
                p.lon_deg(),
                p.lat_deg(),
                [fix_speed, fix_course, fix_altitude],
            );
            match &last {
                Some(last) if obs.time < last.time() => stats.late_fixes += 1,
                Some(last) if last.same_place_and_time(&fix) => stats.duplicate_fixes += 1,
                _ => {
                    track.push_fix(fix);
                    added = Some(fix);
                }
            }
        }
        let fix_added = added.is_some();
        let merge = track.identity.merge(
            obs.name.as_deref(),
            obs.callsign.as_deref(),
            obs.imo,
            obs.ship_type,
            obs.aircraft_category.as_deref(),
        );
        if let Some(source) = source {
            track.note_source(source);
        }
        track.last_seen = track.last_seen.max(obs.time);
        track.observations = track.observations.saturating_add(1);

        let track = &self.slots[i as usize];
        let slot = TrackSlot { index: i, generation: self.links[i as usize].generation };
        Ok(TrackUpdate {
            key: &track.key,
            track,
            previous,
            current: match &added {
                Some(fix) => Some(fix.unpack()),
                None => previous,
            },
            fix_added,
            gap_s,
            identity_changed: merge.changed,
            identity_learned: merge.learned,
            new_track,
            slot,
        })
    }

    /// The slot of the track `lookup` names, if live.
    #[inline]
    fn find(&self, lookup: Lookup<'_>) -> Option<u32> {
        match lookup {
            Lookup::Number(n) => self.numbers.get(&n).copied(),
            Lookup::Text(id) => self.texts.get(id).copied(),
        }
    }

    /// The interned number of `source`, interning it if there is room.
    fn intern(&mut self, source: &SourceId) -> Option<u16> {
        if let Some(n) = self.last_source
            && let Some(last) = self.sources.get(usize::from(n))
            && same_text(last.as_str(), source.as_str())
        {
            return Some(n);
        }
        let n = match self.source_numbers.get(source) {
            Some(&n) => n,
            None if self.sources.len() < SOURCES_MAX => {
                let n = u16::try_from(self.sources.len()).ok()?;
                self.sources.push(source.clone());
                self.source_numbers.insert(source.clone(), n);
                n
            }
            None => {
                self.stats.sources_unrecorded += 1;
                return None;
            }
        };
        self.last_source = Some(n);
        Some(n)
    }

    /// Puts a new track in a slot (evicting the least recently updated one if full) at the
    /// front of the update order; returns the slot.
    fn insert(&mut self, key: TrackKey, time: Timestamp) -> u32 {
        self.stats.new_tracks += 1;
        if self.len() >= self.limits.max_tracks && self.tail != NIL {
            let victim = self.tail;
            self.remove(victim);
            self.stats.evicted_full += 1;
        }
        let track = Track::new(key.clone(), time);
        let i = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = track;
                let link = &mut self.links[i as usize];
                link.generation = link.generation.wrapping_add(1);
                i
            }
            None => {
                // Grow by doubling, but never past `max_tracks` slots.
                if self.slots.len() == self.slots.capacity() {
                    let room = self.limits.max_tracks.saturating_sub(self.slots.len());
                    let grow = self.slots.len().max(16).min(room.max(1));
                    self.slots.reserve_exact(grow);
                    self.links.reserve_exact(grow);
                }
                self.slots.push(track);
                self.links.push(Link { prev: NIL, next: NIL, generation: 0, live: false });
                (self.slots.len() - 1) as u32
            }
        };
        match key {
            TrackKey::Local(id) => self.texts.insert(id, i),
            key => self.numbers.insert(number_key(&key), i),
        };
        self.push_front(i);
        i
    }

    /// Removes the track in slot `i` from the index and the update order.
    fn remove(&mut self, i: u32) {
        self.unlink(i);
        self.links[i as usize].live = false;
        let track = &mut self.slots[i as usize];
        match &track.key {
            TrackKey::Local(id) => self.texts.remove(id),
            key => self.numbers.remove(&number_key(key)),
        };
        // Release a local key's heap now rather than when the slot is reused.
        if let TrackKey::Local(_) = track.key {
            track.key = TrackKey::Local(Box::default());
        }
        self.free.push(i);
    }

    /// Moves slot `i` to the front of the update order.
    fn touch(&mut self, i: u32) {
        if self.head != i {
            self.unlink(i);
            self.push_front(i);
        }
    }

    fn unlink(&mut self, i: u32) {
        let Link { prev, next, generation, live } = self.links[i as usize];
        match prev {
            NIL => self.head = next,
            p => self.links[p as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            n => self.links[n as usize].prev = prev,
        }
        self.links[i as usize] = Link { prev: NIL, next: NIL, generation, live };
    }

    fn push_front(&mut self, i: u32) {
        let old = self.head;
        let generation = self.links[i as usize].generation;
        self.links[i as usize] = Link { prev: NIL, next: old, generation, live: true };
        match old {
            NIL => self.tail = i,
            o => self.links[o as usize].prev = i,
        }
        self.head = i;
    }
}

/// How the index finds a track: vessels and aircraft by [`number_key`], local ids by text.
#[derive(Debug, Clone, Copy)]
enum Lookup<'a> {
    Number(u64),
    Text(&'a str),
}

impl<'a> Lookup<'a> {
    /// The lookup of an observation's target; `None` exactly when
    /// [`TrackKey::from_target`] is `None`.
    fn of_target(target: &'a TargetId) -> Option<Self> {
        match target {
            TargetId::Vessel(m) => Some(Self::Number(VESSEL_NUMBERS | u64::from(m.get()))),
            TargetId::Aircraft(a) => Some(Self::Number(AIRCRAFT_NUMBERS | u64::from(a.get()))),
            TargetId::Local(id) if id.len() <= crate::LOCAL_ID_BYTES_MAX => {
                Some(Self::Text(id.as_str()))
            }
            _ => None,
        }
    }

    /// The lookup of a key.
    fn of_key(key: &'a TrackKey) -> Self {
        match key {
            TrackKey::Local(id) => Self::Text(id),
            key => Self::Number(number_key(key)),
        }
    }
}

/// High bits of vessels' [`number_key`]s.
const VESSEL_NUMBERS: u64 = 1 << 32;

/// High bits of aircraft's [`number_key`]s.
const AIRCRAFT_NUMBERS: u64 = 2 << 32;

/// A vessel's or aircraft's key as one number: the kind in the high half, the MMSI or ICAO
/// address in the low half. Local keys are never looked up by number (0, unused).
fn number_key(key: &TrackKey) -> u64 {
    match key {
        TrackKey::Vessel(m) => VESSEL_NUMBERS | u64::from(m.get()),
        TrackKey::Aircraft(a) => AIRCRAFT_NUMBERS | u64::from(a.get()),
        TrackKey::Local(_) => 0,
    }
}

/// Whether two strings are equal. `==` on strings calls the C library's `memcmp`, which for
/// a source id of a dozen bytes costs more than the comparison, and every observation compares
/// its source with the previous one: ids of 8 to 16 bytes are compared as two overlapping
/// eight-byte words (the first and the last eight bytes cover them).
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        let word = |s: &[u8], at: usize| {
            s.get(at..at + 8).and_then(|w| w.try_into().ok()).map(u64::from_ne_bytes)
        };
        return word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8);
    }
    a == b
}

/// A reported value as `f32`, NaN when absent, not finite, or too large for `f32`.
fn finite(v: Option<f64>) -> f32 {
    // A non-finite `f64` converts to a non-finite `f32`, so one test covers both.
    let x = v.map_or(f32::NAN, |x| x as f32);
    if x.is_finite() { x } else { f32::NAN }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_is_string_equality() {
        let words = ["", "a", "ab", "feed-a", "feed-b", "bench-fee", "bench-feed", "bench-feee"];
        let long =
            ["0123456789abcdef", "0123456789abcdeg", "1123456789abcdef", "0123456789abcdef0"];
        let mut all: Vec<String> = words.iter().chain(&long).map(|w| (*w).to_owned()).collect();
        all.push("x".repeat(64));
        all.push(format!("{}y", "x".repeat(63)));
        for a in &all {
            for b in &all {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
