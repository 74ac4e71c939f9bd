//! A TAXII 2.1 server for the federation: collections of STIX objects in a durable object store,
//! served to each principal exactly as the sharing policy allows.
//!
//! [`router`] builds an axum `Router` over a [`TaxiiState`] (configuration, the
//! [`store::ObjectStore`], a clock); it owns no socket. Endpoints (TAXII 2.1 OASIS Standard,
//! 10 June 2021, sections "Server Discovery", "API Roots", "Collections"):
//!
//! | path | methods |
//! |---|---|
//! | `/taxii2/` | GET discovery |
//! | `/{root}/` | GET API root information |
//! | `/{root}/collections/` | GET the collections the principal has a grant on |
//! | `/{root}/collections/{id}/` | GET one collection |
//! | `/{root}/collections/{id}/objects/` | GET an envelope, POST an envelope (202 status) |
//! | `/{root}/collections/{id}/objects/{object_id}/` | GET an envelope, DELETE |
//! | `/{root}/collections/{id}/objects/{object_id}/versions/` | GET versions |
//! | `/{root}/collections/{id}/manifest/` | GET manifest records |
//! | `/{root}/status/{status_id}/` | GET a status resource |
//!
//! - **Who**: [`auth`] sets a [`Principal`] on every request (HTTP Basic; a mutual-TLS layer
//!   can set it instead); 401 without one.
//! - **What they see**: every object goes through [`kuroshio_share::visible`] for the
//!   principal's viewer; what it hides does not exist for them — absent from lists, manifests
//!   and versions, 404 by id, never counted in `more` or the date headers ([`query`]). Marking
//!   definitions the sharing rules can read are shown to anyone who may read the collection.
//!   Every objects payload for a partner passes [`kuroshio_share::EgressGuard::check`] before
//!   it is written; a refusal is a 500, logged, with nothing sent.
//! - **How pages are served**: the policy's verdict for every viewer (local users, each
//!   partner) is taken once, when an object is stored, and kept as the store's views
//!   ([`store`]); an objects or manifest page walks the principal's views, so it reads only what
//!   the principal sees, and sends an object seen whole as its stored text. The egress guard
//!   still checks every object of every payload to a partner, on its own reading of the object.
//!   Pages are read on a small pool of read connections, so several are built at once.
//! - **What they may add**: [`admit`] (markings resolved, partners' objects signed).
//! - **Errors** are TAXII error messages `{"title", "description", "http_status"}` with the
//!   status: 401, 403 (no read or write permission), 404, 406 (`Accept` without the TAXII media
//!   type), 413 (body over the root's `max_content_length`), 415 (POST not in the TAXII media
//!   type), 422 (a filter or envelope that does not parse), 500.

pub mod admit;
pub mod auth;
pub mod filter;
mod http;
pub mod query;
pub mod store;
pub mod time;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use kuroshio_model::{PartnerCode, Tlp};
use kuroshio_share::markings::tlp_definition;
use kuroshio_share::policy::{Viewer, visible};
use kuroshio_share::{EgressGuard, GuardConfig, GuardError, Held};
use serde_json::{Map, Value};
use store::{Access, Judge};

pub use auth::{Principal, Users};
pub use filter::{FilterError, Filters, parse_filters};
pub use http::router;
pub use store::{ObjectStore, StoreError};

/// The TAXII media type this server speaks (TAXII 2.1, "Media Types").
pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";

/// Largest page a request gets when it names no `limit` or a larger one: pages are built in
/// memory and checked whole by the egress guard, and a thousand STIX objects stay within a few
/// megabytes.
pub const PAGE_SIZE_MAX: usize = 1_000;

/// Read connections kept for pages besides the store's own (a file store only): one per core
/// of the machine the server was measured on, and one more so a page is built while another
/// waits on its socket.
pub const PAGE_READERS: usize = 3;

/// Collections whose egress guard (with the collection's marking definitions learnt) is kept
/// between pages; the cache is cleared when full.
pub const GUARDS_CACHED_MAX: usize = 1_024;

/// The revision of the views' judging: bump it when the sharing policy's rules change, so that
/// views stored by an older build are judged again when the server starts.
pub const VIEWS_REVISION: u32 = 1;

/// Request bodies accepted by default, bytes (advertised as `max_content_length`).
pub const MAX_CONTENT_LENGTH_DEFAULT: usize = 10 << 20;

/// One API root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoot {
    /// Its path segment (`trustgroup1` serves `/trustgroup1/`).
    pub name: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// The largest request body accepted, bytes.
    pub max_content_length: usize,
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct TaxiiConfig {
    /// Discovery title.
    pub title: String,
    /// Discovery description.
    pub description: Option<String>,
    /// Discovery contact.
    pub contact: Option<String>,
    /// What API root URLs start with in discovery (`https://node.example`); empty for
    /// server-relative URLs (`/trustgroup1/`).
    pub base_url: String,
    /// The default API root's name.
    pub default_root: Option<String>,
    /// The API roots.
    pub api_roots: Vec<ApiRoot>,
    /// The partner this node belongs to.
    pub holder: PartnerCode,
    /// The federation's partners.
    pub partners: Vec<PartnerCode>,
    /// Ed25519 public keys of originators (the node's own included), to check signatures of
    /// received objects.
    pub partner_keys: BTreeMap<PartnerCode, [u8; 32]>,
    /// The users and their credentials.
    pub users: Users,
    /// Largest page served (at most [`PAGE_SIZE_MAX`] makes sense; smaller for tests).
    pub page_size_max: usize,
}

impl TaxiiConfig {
    /// A configuration with no API roots or users, pages of [`PAGE_SIZE_MAX`].
    pub fn new(title: &str, holder: PartnerCode, partners: Vec<PartnerCode>) -> TaxiiConfig {
        TaxiiConfig {
            title: title.to_owned(),
            description: None,
            contact: None,
            base_url: String::new(),
            default_root: None,
            api_roots: Vec::new(),
            holder,
            partners,
            partner_keys: BTreeMap::new(),
            users: Users::new(),
            page_size_max: PAGE_SIZE_MAX,
        }
    }
}

/// Called with the partner, the collection and the objects (`id`, version) of every payload
/// that passed the egress guard on its way to a partner, before it is written; for the audit
/// log of what was sent to whom.
pub type SentHook = Arc<dyn Fn(PartnerCode, &str, &[(String, String)]) + Send + Sync>;

/// The current time, microseconds since the Unix epoch.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
    })
}

/// Why the server could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TaxiiError {
    /// The egress guard could not be built (the node's partner has no nationality).
    #[error("egress guard: {0}")]
    Guard(#[from] GuardError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The egress guard of one collection with its definitions learnt, and the definitions' stamp
/// ([`ObjectStore::definitions_stamp`]) it was built at.
pub(crate) type CachedGuard = ((i64, i64), Arc<EgressGuard>);

pub(crate) struct Shared {
    pub(crate) config: TaxiiConfig,
    /// Read connections for pages (empty for a store in memory). Declared before `store` so
    /// they close first: the last connection to close, the writer, checkpoints the WAL.
    pub(crate) readers: Vec<Mutex<ObjectStore>>,
    pub(crate) store: Mutex<ObjectStore>,
    /// One permit per reader (one for the store itself when there are none).
    pub(crate) reader_turns: Arc<tokio::sync::Semaphore>,
    /// The viewers whose views the store keeps, by key.
    pub(crate) viewers: Vec<String>,
    /// Egress guards by collection.
    pub(crate) guards: Mutex<HashMap<String, CachedGuard>>,
    pub(crate) clock: Clock,
    /// The guard with the TLP definitions learnt; each request adds the collection's own.
    pub(crate) guard: EgressGuard,
    pub(crate) guard_refusals: AtomicU64,
    pub(crate) status_seq: AtomicU64,
    pub(crate) on_sent: std::sync::OnceLock<SentHook>,
}

/// What the handlers share.
#[derive(Clone)]
pub struct TaxiiState {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for TaxiiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaxiiState")
            .field("title", &self.shared.config.title)
            .finish_non_exhaustive()
    }
}

impl TaxiiState {
    /// The server's state over `store`, reading time from `clock`. Installs the sharing policy
    /// as the store's judge; views stored for another holder, other partners or an older
    /// [`VIEWS_REVISION`] are judged again first (a pass over every stored object).
    pub fn new(
        config: TaxiiConfig,
        mut store: ObjectStore,
        clock: Clock,
    ) -> Result<TaxiiState, TaxiiError> {
        let mut viewers = vec![Viewer::Local];
        for p in &config.partners {
            if !viewers.contains(&Viewer::Partner(*p)) {
                viewers.push(Viewer::Partner(*p));
            }
        }
        let keys: Vec<String> = viewers.iter().map(|v| view_key(*v)).collect();
        let basis = format!(
            "revision={VIEWS_REVISION} holder={} viewers={}",
            config.holder.as_str(),
            keys.join(",")
        );
        store.set_views(&basis, judge(config.holder, viewers))?;
        let mut readers = Vec::new();
        for _ in 0..PAGE_READERS {
            match store.reader() {
                Some(r) => readers.push(Mutex::new(r?)),
                None => break,
            }
        }
        let mut guard = EgressGuard::new(&GuardConfig {
            holder: config.holder,
            partners: config.partners.clone(),
            require_signature: true,
            public_ids: Default::default(),
        })?;
        for t in Tlp::ALL {
            guard.learn(&tlp_definition(t))?;
        }
        Ok(TaxiiState {
            shared: Arc::new(Shared {
                config,
                reader_turns: Arc::new(tokio::sync::Semaphore::new(readers.len().max(1))),
                readers,
                store: Mutex::new(store),
                viewers: keys,
                guards: Mutex::new(HashMap::new()),
                clock,
                guard,
                guard_refusals: AtomicU64::new(0),
                status_seq: AtomicU64::new(0),
                on_sent: std::sync::OnceLock::new(),
            }),
        })
    }

    /// Payloads the egress guard has refused since the state was built.
    pub fn guard_refusals(&self) -> u64 {
        self.shared.guard_refusals.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sets the hook told of every payload sent to a partner (once; `false` when one is set).
    pub fn on_sent(&self, hook: SentHook) -> bool {
        self.shared.on_sent.set(hook).is_ok()
    }

    /// Runs `f` on the store (administration: collections and grants), holding its lock.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut ObjectStore) -> T) -> Result<T, StoreError> {
        let mut s = self
            .shared
            .store
            .lock()
            .map_err(|_| StoreError::Corrupt { table: "-", why: "store lock poisoned".into() })?;
        Ok(f(&mut s))
    }
}

/// The key of `viewer`'s views in the store.
pub(crate) fn view_key(viewer: Viewer) -> String {
    match viewer {
        Viewer::Local => "local".to_owned(),
        Viewer::Partner(p) => format!("partner:{}", p.as_str()),
    }
}

/// The sharing policy as the store's judge: for each of `viewers`, what
/// [`kuroshio_share::visible`] shows it on a node of `holder`. Public marking definitions are seen
/// whole by everyone (as the pages show them).
fn judge(holder: PartnerCode, viewers: Vec<Viewer>) -> Judge {
    Arc::new(move |access: &Access, wire: &Map<String, Value>| match access {
        Access::Public => viewers.iter().map(|v| (view_key(*v), true)).collect(),
        Access::Marked { marking, granular } => {
            let held =
                Held { wire: wire.clone(), marking: marking.clone(), granular: granular.clone() };
            viewers
                .iter()
                .filter_map(|v| visible(&held, holder, *v).map(|m| (view_key(*v), &m == wire)))
                .collect()
        }
    })
}
