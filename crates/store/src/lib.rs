//! The node's memory.

mod api;
pub mod audit_chain;
pub mod conformance;
pub mod embedded;
pub mod fold;

pub use api::*;
pub use embedded::{EmbeddedOptions, EmbeddedStore, Fsync};
