//! One track: what is known about one target, folded from its observations.
//!
//! A [`Track`] holds the target's key, first and last time seen, the number of observations,
//! a short history of fixes (a ring of [`HISTORY_LEN`]), the latest reported motion, the
//! identity gathered so far ([`Identity`]) and the few sources that reported it last. It is
//! plain data: the [`crate::Tracker`] decides what goes in; the track answers questions about
//! itself (staleness, dead reckoning) with `now` passed in.

use std::num::NonZeroU32;

use kuroshio_model::{Icao24, Mmsi, TargetId, Timestamp};

use crate::fix::{Fix, PackedFix};
use crate::text::InlineStr;

/// Fixes kept per track. 16 covers the last 30-160 s of an aircraft (ADS-B positions every
/// 0.5-10 s) and the last 3-48 min of a vessel (AIS every 10 s to 3 min), enough for the
/// detectors' turn and speed-change rules, at 32 bytes each = 512 bytes a track, which keeps a
/// million tracks well under the 1.5 GB budget. When full, the oldest fix is overwritten.
pub const HISTORY_LEN: usize = 16;

/// Distinct sources remembered per track. Four tells "one receiver" from "several receivers
/// agree" and names the most recent reporters; when full, the least recently seen is dropped.
pub const SOURCES_PER_TRACK: usize = 4;

/// Longest local (manual report, radar) track id accepted, in bytes; longer ids are refused
/// so that a hostile feed cannot grow the key table with huge keys.
pub const LOCAL_ID_BYTES_MAX: usize = 64;

/// What identifies a track: the target's own identity where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackKey {
    /// An AIS station by MMSI.
    Vessel(Mmsi),
    /// An aircraft by ICAO 24-bit address.
    Aircraft(Icao24),
    /// A source-local id (manual report, radar track number), at most [`LOCAL_ID_BYTES_MAX`]
    /// bytes.
    Local(Box<str>),
}

impl TrackKey {
    /// The key for an observation's target; `None` for kinds of target this tracker does not
    /// know and for local ids longer than [`LOCAL_ID_BYTES_MAX`].
    pub fn from_target(target: &TargetId) -> Option<Self> {
        match target {
            TargetId::Vessel(m) => Some(Self::Vessel(*m)),
            TargetId::Aircraft(a) => Some(Self::Aircraft(*a)),
            TargetId::Local(id) if id.len() <= LOCAL_ID_BYTES_MAX => {
                Some(Self::Local(id.as_str().into()))
            }
            _ => None,
        }
    }

    /// The kind of target, which sets staleness and dead-reckoning limits.
    pub const fn kind(&self) -> TrackKind {
        match self {
            Self::Vessel(_) => TrackKind::Vessel,
            Self::Aircraft(_) => TrackKind::Aircraft,
            Self::Local(_) => TrackKind::Local,
        }
    }
}

/// Kinds of target, each with its own time limits ([`KindLimits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrackKind {
    /// AIS stations.
    Vessel,
    /// Aircraft.
    Aircraft,
    /// Local tracks (manual reports, radar).
    Local,
}

/// Time limits of one kind of target, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindLimits {
    /// A track not heard from for longer than this is stale: shown as "last known", not as
    /// live.
    pub stale_after_s: u32,
    /// A track not heard from for longer than this is dropped by [`crate::Tracker::sweep`].
    pub drop_after_s: u32,
    /// Dead reckoning is given at most this long after the last fix.
    pub dead_reckoning_horizon_s: u32,
}

impl TrackKind {
    /// Vessels: stale after 10 min, dropped after 6 h, dead-reckoned up to 30 min. The
    /// slowest regular AIS report is every 3 min (class A at anchor or moored, class B below
    /// 2 knots; ITU-R M.1371-5 tables 1 and 2), so 10 min is three missed reports. Six hours
    /// keeps identity (which arrives every 6 min in message 5) across coverage gaps such as
    /// satellite revisits and coastal shadows. Ships rarely change course and speed much in
    /// 30 min in open water; beyond that a prediction misleads more than it helps.
    pub const VESSEL_LIMITS: KindLimits =
        KindLimits { stale_after_s: 600, drop_after_s: 6 * 3600, dead_reckoning_horizon_s: 1800 };

    /// Aircraft: stale after 60 s, dropped after 5 min, dead-reckoned up to 2 min. Airborne
    /// ADS-B positions come twice a second (DO-260B §2.2.3.3.1), so 60 s of silence means
    /// the aircraft left coverage; 60 s and 300 s are also the limits common ADS-B receiver
    /// software uses for "position stale" and "forget aircraft". An aircraft at 450 knots
    /// covers 15 nm in 2 min, about the widest error worth drawing.
    pub const AIRCRAFT_LIMITS: KindLimits =
        KindLimits { stale_after_s: 60, drop_after_s: 300, dead_reckoning_horizon_s: 120 };

    /// Local tracks (manual sightings, radar tracks): stale after 30 min, dropped after 24 h,
    /// dead-reckoned up to 30 min. Manual reports come minutes to hours apart and are worth
    /// keeping for a watch day.
    pub const LOCAL_LIMITS: KindLimits =
        KindLimits { stale_after_s: 1800, drop_after_s: 24 * 3600, dead_reckoning_horizon_s: 1800 };

    /// This kind's limits.
    pub const fn limits(self) -> KindLimits {
        match self {
            Self::Vessel => Self::VESSEL_LIMITS,
            Self::Aircraft => Self::AIRCRAFT_LIMITS,
            Self::Local => Self::LOCAL_LIMITS,
        }
    }
}

/// Identity gathered over time: for each field the latest non-empty value reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Identity {
    /// Ship name or aircraft flight identity (24 bytes: AIS names are 20 characters).
    pub name: Option<InlineStr<24>>,
    /// Radio call sign (8 bytes: AIS call signs are 7 characters).
    pub callsign: Option<InlineStr<8>>,
    /// IMO number; 0 is "not available" in AIS and is not stored.
    pub imo: Option<NonZeroU32>,
    /// AIS type of ship and cargo (ITU-R M.1371-5 table 53).
    pub ship_type: Option<u8>,
    /// ADS-B emitter category such as `A3`.
    pub aircraft_category: Option<InlineStr<3>>,
}

/// How an observation changed a track's identity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct IdentityMerge {
    /// A field that had a value got a different one.
    pub changed: bool,
    /// A field that had no value got one.
    pub learned: bool,
}

impl IdentityMerge {
    fn field<T: PartialEq>(&mut self, slot: &mut Option<T>, new: Option<T>) {
        let Some(new) = new else { return };
        match slot {
            Some(old) if *old == new => {}
            Some(_) => {
                self.changed = true;
                *slot = Some(new);
            }
            None => {
                self.learned = true;
                *slot = Some(new);
            }
        }
    }
}

impl Identity {
    /// Folds in an observation's identity fields; empty or blank values are ignored.
    pub(crate) fn merge(
        &mut self,
        name: Option<&str>,
        callsign: Option<&str>,
        imo: Option<u32>,
        ship_type: Option<u8>,
        aircraft_category: Option<&str>,
    ) -> IdentityMerge {
        let mut m = IdentityMerge::default();
        m.field(&mut self.name, name.and_then(InlineStr::new));
        m.field(&mut self.callsign, callsign.and_then(InlineStr::new));
        m.field(&mut self.imo, imo.and_then(NonZeroU32::new));
        m.field(&mut self.ship_type, ship_type);
        m.field(&mut self.aircraft_category, aircraft_category.and_then(InlineStr::new));
        m
    }
}

/// Latest reported motion and when, kept apart from fixes because some sources report motion
/// in messages without a position (ADS-B velocity, for one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Motion {
    pub time: Timestamp,
    pub speed_knots: f32,
    pub course_deg: f32,
    pub altitude_ft: f32,
}

/// What is known about one target.
///
/// Laid out for the update path (`repr(C)`, 64-byte aligned, 640 bytes): the first cache line
/// holds everything an update reads and writes except the history entry it appends and,
/// only for observations that carry identity, the identity fields. The history follows, two
/// fixes per cache line, then the rarely touched first-seen time and identity.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct Track {
    pub(crate) key: TrackKey,
    pub(crate) last_seen: Timestamp,
    pub(crate) motion: Motion,
    pub(crate) observations: u32,
    /// Interned source numbers, most recent first; `u16::MAX` is an empty slot.
    pub(crate) sources: [u16; SOURCES_PER_TRACK],
    pub(crate) history_head: u8,
    pub(crate) history_len: u8,
    /// Ring buffer: `history[history_head]` is the newest fix when `history_len > 0`.
    pub(crate) history: [PackedFix; HISTORY_LEN],
    pub(crate) first_seen: Timestamp,
    pub(crate) identity: Identity,
}

impl Track {
    pub(crate) fn new(key: TrackKey, time: Timestamp) -> Self {
        Self {
            key,
            first_seen: time,
            last_seen: time,
            observations: 0,
            history: [PackedFix::EMPTY; HISTORY_LEN],
            history_head: 0,
            history_len: 0,
            motion: Motion {
                time,
                speed_knots: f32::NAN,
                course_deg: f32::NAN,
                altitude_ft: f32::NAN,
            },
            identity: Identity::default(),
            sources: [u16::MAX; SOURCES_PER_TRACK],
        }
    }

    /// The target's key.
    pub fn key(&self) -> &TrackKey {
        &self.key
    }

    /// Time of the first accepted observation.
    pub fn first_seen(&self) -> Timestamp {
        self.first_seen
    }

    /// Time of the newest accepted observation (with or without a position).
    pub fn last_seen(&self) -> Timestamp {
        self.last_seen
    }

    /// Accepted observations folded into this track (saturating).
    pub fn observation_count(&self) -> u32 {
        self.observations
    }

    /// Identity gathered so far.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The newest fix, if any observation carried a position.
    pub fn last_fix(&self) -> Option<Fix> {
        self.last_packed().map(PackedFix::unpack)
    }

    pub(crate) fn last_packed(&self) -> Option<&PackedFix> {
        (self.history_len > 0).then(|| self.history.get(usize::from(self.history_head)))?
    }

    /// The fixes kept, oldest first (at most [`HISTORY_LEN`]).
    pub fn history(&self) -> impl DoubleEndedIterator<Item = Fix> + ExactSizeIterator + '_ {
        let len = usize::from(self.history_len);
        let head = usize::from(self.history_head);
        // `% HISTORY_LEN` keeps every index in bounds.
        (0..len)
            .rev()
            .map(move |back| self.history[(head + HISTORY_LEN - back) % HISTORY_LEN].unpack())
    }

    pub(crate) fn push_fix(&mut self, fix: PackedFix) {
        if self.history_len > 0 {
            self.history_head = ((usize::from(self.history_head) + 1) % HISTORY_LEN) as u8;
        }
        if let Some(slot) = self.history.get_mut(usize::from(self.history_head)) {
            *slot = fix;
        }
        if usize::from(self.history_len) < HISTORY_LEN {
            self.history_len += 1;
        }
    }

    /// Whether no observation has arrived for longer than this kind's
    /// [`KindLimits::stale_after_s`] before `now`.
    pub fn is_stale(&self, now: Timestamp) -> bool {
        let limit_ns = i64::from(self.key.kind().limits().stale_after_s) * 1_000_000_000;
        now.nanos_since(self.last_seen) > limit_ns
    }

    /// Where the target is expected at `at`: dead reckoning from the newest fix along its
    /// course at its speed on a great circle ([`Fix::predict`]), within this kind's
    /// [`KindLimits::dead_reckoning_horizon_s`]. Returns (longitude, latitude) in degrees;
    /// `None` without a fix, before the newest fix, beyond the horizon, or when speed or
    /// course is unknown.
    pub fn predicted_position(&self, at: Timestamp) -> Option<(f64, f64)> {
        let horizon_s = f64::from(self.key.kind().limits().dead_reckoning_horizon_s);
        self.last_fix()?.predict(at, horizon_s)
    }

    /// Interned numbers of the sources that reported this track, most recent first; resolve
    /// them with [`crate::Tracker::source`].
    pub fn source_numbers(&self) -> impl Iterator<Item = u16> + '_ {
        self.sources.iter().copied().take_while(|&s| s != u16::MAX)
    }

    pub(crate) fn note_source(&mut self, source: u16) {
        let pos = self.sources.iter().position(|&s| s == source || s == u16::MAX);
        let end = pos.unwrap_or(SOURCES_PER_TRACK - 1);
        if let Some(window) = self.sources.get_mut(..=end) {
            window.rotate_right(1);
            if let Some(first) = window.first_mut() {
                *first = source;
            }
        }
    }
}
