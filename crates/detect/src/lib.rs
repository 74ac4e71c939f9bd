//! Gray-zone events: what the detectors report, and how each report is marked for sharing.
//!
//! An [`Event`] is the record a detector emits when a track does something that matters — enters
//! an ADIZ, crosses the Taiwan Strait median line, transits a strait gate, goes dark. Its JSON
//! form ([`Event::to_json`]) is the stable record `kuroshio replay` writes, one per line. Every
//! event is a marked object: its [`kuroshio_model::Marking`] comes from the node's
//! [`EventPolicy`], per event kind, with the node's partner as originator.
//!
//! Event ids are derived from the event's content (kind, entity, time, zone, direction), so two
//! nodes given the same inputs produce the same events with the same ids: counts are
//! reproducible and duplicates from two feeds collapse.
//!
//! Detectors are pure: track updates (from `kuroshio-track`) and the zone catalogue (from
//! `kuroshio-zones`) in, events out. [`ZoneCrossingDetector`] reports zone entries and exits,
//! line crossings and gate transits, and stays in areas longer than a threshold (`zone_dwell`,
//! [`ZoneDwellConfig`]). Deliberately absent: clocks and I/O.
//!
//! Feed each detector the updates of one [`kuroshio_track::Tracker`]: detectors find a
//! track's state by the slot the update names (see the `detectors` module), which is
//! meaningful within one tracker only.

mod detectors;
mod encounter;
mod event;
mod gap;
mod identity;
mod loitering;
mod policy;
mod zone_crossing;
mod zone_dwell;

pub use detectors::{DetectorConfig, Detectors, is_ship_station};
pub use encounter::{Encounter, EncounterConfig};
pub use event::{Entity, Event, EventKind, GeoPoint};
pub use gap::{AisGap, AisGapConfig, GFW_THRESHOLD_S, WATCH_THRESHOLD_S};
pub use identity::{IdentityConfig, IdentityConflict, invalid_mmsi_rule};
pub use loitering::{Loitering, LoiteringConfig};
pub use policy::{EventPolicy, MarkingRule, PolicyError};
pub use zone_crossing::{ZoneCrossingDetector, entity_of};
pub use zone_dwell::{
    DWELL_MAX_SILENCE_S_DEFAULT, DWELL_MAX_TRACKS_DEFAULT, DWELL_THRESHOLD_S_DEFAULT,
    STAYS_PER_TRACK_MAX, ZoneDwellConfig,
};
