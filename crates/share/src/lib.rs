//! Kuroshio's sharing rules: who may see what, checked twice, and proof of where it came from.
//!
//! - [`policy::visible`] is the one function that decides what a viewer — a user of this node,
//!   or a partner — may see of an object, down to single fields under granular markings.
//! - [`guard::EgressGuard`] re-checks every outgoing payload from its wire form alone and fails
//!   closed.
//! - [`markings`] writes and reads markings as STIX 2.1 marking definitions: the fixed TLP 2.0
//!   ones and ISA ACS 3.0 releasability (permitted nationalities, further sharing), with ids
//!   that are the same on every node.
//! - [`sign`] signs objects at origin (Ed25519 over RFC 8785 canonical JSON) in a way that
//!   survives the removal of granular-marked fields, and verifies them on receipt.
//! - [`object`] holds objects with their markings resolved.
//!
//! The crate is sans-IO: keys, definitions and objects come in as values; nothing here reads a
//! file, a socket or a clock. It does not map events and tracks to STIX (that is the mapping's
//! job), serve TAXII or keep the audit log.

pub mod guard;
pub mod markings;
pub mod nationality;
pub mod object;
pub mod path;
pub mod policy;
pub mod sign;

pub use guard::{EgressGuard, GuardConfig, GuardError};
pub use object::{Definition, GranularMarking, Held, SharedObject};
pub use policy::{Viewer, allowed, visible};
pub use sign::{NodeKey, SignatureError};

use kuroshio_model::PartnerCode;

/// Why an object could not be marked, sealed or accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShareError {
    /// A partner has no ISO 3166-1 nationality, so no releasability marking can name it.
    #[error("partner {partner} has no ISO 3166-1 nationality")]
    NoNationality {
        /// The partner.
        partner: PartnerCode,
    },
    /// A marking definition could not be read.
    #[error("marking definition {id:?}: {why}")]
    BadDefinition {
        /// Its id.
        id: String,
        /// What is wrong.
        why: String,
    },
    /// A granular selector is not a plain property path of the object, or names a property
    /// STIX requires.
    #[error("object {object}: granular selector {selector:?} is not a removable property")]
    Selector {
        /// The object's id.
        object: String,
        /// The selector.
        selector: String,
    },
    /// A received object is refused.
    #[error("object {object}: {why}")]
    Refused {
        /// The object's id.
        object: String,
        /// Why.
        why: String,
    },
    /// Something the node does not support.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Canonical JSON could not be written.
    #[error("canonical JSON: {0}")]
    Canonical(String),
    /// Signing failed.
    #[error(transparent)]
    Signature(#[from] SignatureError),
}
