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
//! line crossings and gate transits. Deliberately absent: clocks and I/O.

mod event;
mod policy;
mod zone_crossing;

pub use event::{Entity, Event, EventKind, GeoPoint};
pub use policy::{EventPolicy, MarkingRule, PolicyError};
pub use zone_crossing::{ZoneCrossingDetector, entity_of};
