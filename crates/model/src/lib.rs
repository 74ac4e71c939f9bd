//! Kuroshio's domain vocabulary: the types every other crate speaks.
//!
//! Time ([`Timestamp`], always UTC), places ([`Position`], longitude = x and latitude = y, in
//! degrees on WGS 84), identities ([`Mmsi`], [`Icao24`], [`PartnerCode`]), what a sensor saw
//! ([`Observation`] with its [`Kinematics`]) and the markings that decide who may see an object
//! ([`Marking`]: originator, TLP 2.0 level, releasable-to partners, further-sharing rule),
//! and the ADIZ sectors Taiwan's daily reports name ([`AdizSector`]).
//!
//! Every identifier is a validated newtype with a `parse`/`new` that rejects what cannot be
//! true, so code that holds one never re-checks it. Units are in names (`speed_knots`,
//! `course_deg`, `altitude_ft`).
//!
//! Deliberately absent: I/O of any kind, clocks (callers pass `now`), wire formats (STIX, CoT,
//! NMEA, database rows each have their own types and explicit conversions), and the policy of
//! who is allowed to see what beyond the marking rules themselves.

mod id;
mod marking;
mod observation;
mod position;
mod sector;
mod time;

pub use id::{Icao24, IdError, Mmsi, PartnerCode, SourceId};
pub use marking::{FurtherSharing, Marking, MarkingError, Partner, PartnerRegistry, Tlp};
pub use observation::{Kinematics, Observation, TargetId};
pub use position::{EARTH_RADIUS_MEAN_M, METRES_PER_NM, Position, PositionError, haversine_m};
pub use sector::AdizSector;
pub use time::{Timestamp, TimestampError};
