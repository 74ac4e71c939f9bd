//! Tracks: folds observations of vessels, aircraft and locally reported targets into live
//! tracks, in memory, with `now` always an argument.
//!
//! A [`Tracker`] keys tracks by [`TrackKey`] (MMSI, ICAO address, or a source-local id). Each
//! [`Tracker::update`] folds one [`kuroshio_model::Observation`] into its track and returns a
//! [`TrackUpdate`]: the track's previous and new newest fix, the gap since the track was last
//! heard, whether identity changed, and the track's slot in the tracker ([`TrackSlot`], fixed
//! for the track's life, so detectors can keep per-track state by it) — the input the
//! detectors consume. Each [`Track`] keeps
//! its newest [`HISTORY_LEN`] fixes in a ring, the latest non-empty identity fields
//! ([`Identity`]: name, call sign, IMO, ship type, aircraft category), first and last time seen,
//! an observation count and its last [`SOURCES_PER_TRACK`] sources. A track answers
//! [`Track::is_stale`] and [`Track::predicted_position`] (great-circle dead reckoning within a
//! per-kind horizon) for a given time.
//!
//! Memory is bounded: at most [`TrackerLimits::max_tracks`] tracks; when full, the least
//! recently updated track is evicted. [`Tracker::sweep`] drops tracks silent for longer than
//! their kind's [`KindLimits::drop_after_s`]. Identity strings are stored inline
//! ([`InlineStr`]) and fixes packed ([`PackedFix`], 32 bytes), so a [`Track`] is 640 bytes with
//! no heap allocation of its own (except a local id's text); with its index entry and
//! update-order link a live track costs about 700-760 bytes, so a million tracks take about
//! 0.75 GB (measured by `benches/update.rs`; bounded by a test).
//!
//! Deliberately absent: I/O, clocks, threads, persistence, track-to-track association
//! (one target id is one track; fusing an AIS track with a radar track is a later stage) and
//! judging whether an update is suspicious (detectors do that from [`TrackUpdate`]s).

mod fix;
mod text;
mod track;
mod tracker;

pub use fix::{Fix, PackedFix, destination};
pub use text::InlineStr;
pub use track::{
    HISTORY_LEN, Identity, KindLimits, LOCAL_ID_BYTES_MAX, SOURCES_PER_TRACK, Track, TrackKey,
    TrackKind,
};
pub use tracker::{
    Rejected, SOURCES_MAX, TRACKS_MAX, TrackSlot, TrackUpdate, Tracker, TrackerLimits, TrackerStats,
};
