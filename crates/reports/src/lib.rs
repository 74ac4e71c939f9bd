//! Parsers for official releases about foreign military activity near Japan.
//!
//! - [`jso`]: Japan Joint Staff Office (統合幕僚監部) ship and aircraft movement notices, read
//!   from the plain text of their PDFs into typed records.
//! - [`gazetteer`]: the named islands and capes those notices measure from, and
//!   [`gazetteer::geocode`] to turn "bearing and distance from a place" into a position.
//! - [`text`]: the Japanese text helpers both use (width folding, era dates).

pub mod gazetteer;
pub mod jso;
pub mod text;

pub use gazetteer::{CompassPoint, GeocodeError, Place, geocode};
pub use jso::{DocumentKind, ParseError, Release, parse};
pub use text::JstDate;
