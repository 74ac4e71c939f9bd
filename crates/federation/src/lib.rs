//! Between partner nodes: who is calling (mutual TLS), how to ask (a TAXII 2.1 client), and
//! what to keep (incremental, resumable, verified pulls).
//!
//! - [`tls`]: a per-node certificate authority and node certificate ([`tls::generate`]);
//!   partners exchange CA certificates. A node's server requires a client certificate from a
//!   partner's CA ([`tls::server_config`]) and learns which partner it is
//!   ([`tls::PeerIdentifier`]); its client presents its own certificate and trusts only the
//!   called partner's CA ([`tls::client_tls`]).
//! - [`serve`]: [`serve::serve_mtls`] serves an axum app (the TAXII server) over mutual TLS,
//!   setting a per-partner request extension (the TAXII `Principal`) on every request.
//! - [`client`]: [`client::TaxiiClient`], blocking, over mutual TLS or HTTP Basic.
//! - [`sync`]: [`sync::pull`] reads a partner's collection from a persisted cursor, verifies
//!   each object's origin signature, and commits each page with its cursor to a
//!   [`sync::SyncSink`]; [`sync::StoreSink`] keeps pulled objects in the node's TAXII object
//!   store. [`sync::push`] posts objects to a partner.

pub mod client;
pub mod serve;
pub mod sync;
pub mod tls;

pub use client::{ClientError, ObjectsPage, PageRequest, TaxiiClient};
pub use serve::{MtlsStats, ServeOptions, serve_mtls};
pub use sync::{
    CursorStore, NodeRules, PullLimits, PullReport, StoreSink, SyncError, SyncSink, SyncSource,
    pull, push,
};
pub use tls::{Identity, PeerIdentifier, TlsError, client_tls, generate, server_config};
