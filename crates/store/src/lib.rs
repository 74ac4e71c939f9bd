//! The node's memory.

mod api;
pub mod conformance;
pub mod embedded;

pub use api::*;
pub use embedded::{EmbeddedOptions, EmbeddedStore, Fsync};
