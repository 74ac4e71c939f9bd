//! The node's daily report on PLA activity around Taiwan, computed from its own store.
//!
//! Analysts in Japan, Taiwan and the United States compile the same figures every morning from
//! Taiwan MND's daily "PLA activities around Taiwan" release and Japan Joint Staff Office
//! notices. This crate computes them from what the node itself saw, for a reporting window
//! (by default MND's: 06:00 to 06:00 UTC+8, [`window`]):
//!
//! - counts in MND's categories — PLA aircraft, of which crossed the median line and entered
//!   the ADIZ, by sector (`kuroshio_model::AdizSector`, the rule the scenario generator's
//!   MND-style text uses too); PLAN vessels; official ships; balloons ([`report`],
//!   [`classify`]);
//! - median-line crossings and strait transits in the Joint Staff Office's terms (strait,
//!   direction, count), notable events (vessels gone dark, encounters, identity conflicts);
//! - the official activity records the store holds for the same window, side by side, and the
//!   means of the previous 7 and 30 days from the node's own daily records (source `node`,
//!   which [`report::to_activity`] makes) and MND's;
//! - monthly and yearly totals of the official records in the store, charted ([`trends`]);
//! - the report's marking: the strictest combination of what it counts.
//!
//! It renders the report as JSON (the [`report::DailyReport`] serialization, format
//! [`report::FORMAT`]) or as one self-contained HTML page ([`html`]) in English, Japanese or
//! Traditional Chinese ([`i18n`]) with the TLP banner and an SVG map drawn by the node
//! ([`map`]).
//!
//! What it does not do: read files, clocks or the network (the caller passes the store, the
//! catalogue and an optional basemap), print to PDF (the command line drives a browser for
//! that), or store anything (the caller stores [`report::to_activity`]'s record).

pub mod classify;
pub mod html;
pub mod i18n;
pub mod map;
pub mod report;
pub mod trends;
pub mod window;

pub use classify::{Category, categorize};
pub use i18n::Lang;
pub use kuroshio_model::AdizSector as Sector;
pub use map::Basemap;
pub use report::{DailyError, DailyReport, Options, compute, to_activity};
pub use window::Date;
