//! Parsers for official releases about foreign military activity near Japan and Taiwan.
//!
//! - [`jso`]: Japan Joint Staff Office (統合幕僚監部) ship and aircraft movement notices, read
//!   from the plain text of their PDFs into typed records.
//! - [`gazetteer`]: the named islands and capes those notices measure from, and
//!   [`gazetteer::geocode`] to turn "bearing and distance from a place" into a position.
//! - [`mnd`]: Taiwan Ministry of National Defense daily reports on PLA activity around Taiwan,
//!   Chinese and English, every era of the format.
//! - [`navwarn`]: PRC Maritime Safety Administration navigation warnings (exercise and
//!   live-fire areas) into temporary zones with their validity.
//! - [`datasets`]: the MND-derived daily tables and traced maps of public datasets into daily
//!   activity records.
//! - [`trends`]: monthly and yearly totals from daily records and strait notices, and their
//!   bar charts.
//! - [`text`]: the Japanese text helpers (width folding, era dates).

pub mod datasets;
pub mod gazetteer;
pub mod jso;
pub mod mnd;
pub mod navwarn;
pub mod text;
pub mod trends;

pub use gazetteer::{CompassPoint, GeocodeError, Place, geocode};
pub use jso::{DocumentKind, ParseError, Release, parse};
pub use text::JstDate;
