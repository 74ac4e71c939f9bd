//! `kuroshio serve --config node.toml`: a federated node.
//!
//! One process serves, on the local address, the HTTP API and web map together with a TAXII 2.1
//! server for the node's own users (HTTP Basic), and keeps the node's TAXII collection up to
//! date: every event the node originates is mapped to STIX, sealed (marked and signed with the
//! node's key) and added to the collection [`EVENTS_COLLECTION`] of the API root [`API_ROOT`],
//! where the sharing policy decides, per reader, what each may see. Adding is idempotent (a
//! sealed object's id and version follow from the event), so a restart publishes nothing twice.
//!
//! The configuration (TOML; relative paths are taken from the configuration file's folder):
//!
//! ```toml
//! partner = "JP"                       # whose node this is
//! partners = ["JP", "US", "TW"]        # the federation
//! store = "store"                      # embedded store folder, or a postgres:// URL
//! key = "node.key"                     # Ed25519 signing key (`kuroshio key generate`)
//! zones = []                           # further zone files, as for `kuroshio serve`
//!
//! [listen]
//! local = "127.0.0.1:8080"             # API, web map, TAXII for local users
//!
//! [taxii]
//! objects = "taxii.sqlite"             # the TAXII object store
//! publish_interval_s = 5
//! [[taxii.users]]                      # from `kuroshio taxii user --name analyst`
//! name = "analyst"
//! salt = "…hex…"
//! token_sha256 = "…hex…"
//! # partner = "US"                     # a user acting for a partner (default: a local user)
//!
//! [public_keys]                        # originators' Ed25519 public keys, to verify objects
//! US = "…hex…"
//!
//! # Partners: mutual TLS (`kuroshio tls generate`), served and pulled.
//! [tls]
//! ca = "tls/ca.pem"                    # the node's CA: what partners are given to trust
//! cert = "tls/node.pem"
//! key = "tls/node.key"
//! [sync]
//! cursors = "sync.sqlite"              # how far each partner's collection has been pulled
//! [[peers]]
//! partner = "US"
//! url = "https://127.0.0.1:9443"       # the partner's `listen.partners`
//! ca = "../us/tls/ca.pem"              # the partner's CA
//! pull_interval_s = 5
//! ```
//!
//! With `listen.partners` set, the TAXII server is also served there over mutual TLS: a client
//! certificate from a peer's CA makes the request the peer's (`Principal::Partner`), and the
//! sharing policy decides what it sees. Each peer's events collection is pulled every
//! `pull_interval_s` ([`kuroshio_federation::pull`]): signatures verified against the
//! originators' keys, objects admitted as the peer's, duplicates never stored, the cursor kept
//! in `sync.cursors` so a restarted node resumes. Each pull that stores something is audited as
//! received from the peer, and every object the TAXII server sends a partner as sent to it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use kuroshio_api::{ApiState, router};
use kuroshio_model::{PartnerCode, Timestamp};
use kuroshio_share::sign::unhex;
use kuroshio_share::{NodeKey, SharedObject};
use kuroshio_store::{AuditEntry, EventQuery, Store};
use kuroshio_taxii::auth::Credential;
use kuroshio_taxii::store::{Access, Collection, NewObject, Permission};
use kuroshio_taxii::{ApiRoot, ObjectStore, Principal, TaxiiConfig, TaxiiState, Users};
use serde::Deserialize;
use serde_json::Value;

/// The API root every Kuroshio node serves its collections under (`/kuroshio/`).
pub const API_ROOT: &str = "kuroshio";

/// The collection of events and what they refer to, with the same id on every node so that a
/// partner's node knows where to pull from.
pub const EVENTS_COLLECTION: &str = "ee3f94c5-796c-4c5b-b0fc-a5cc7fed9294";

/// Most events read from the store in one publication pass; a pass that fills it is followed
/// by another at once, from the last event's time.
const PUBLISH_BATCH_MAX: usize = 10_000;

/// Publication passes one cycle may run back to back before it sleeps (a store with a large
/// backlog is published over several cycles).
const PUBLISH_PASSES_MAX: usize = 20;

/// How far before the newest published event a pass looks again: events are appended roughly
/// in time order, but a feed replayed late may add events somewhat older than the newest.
const LATE_EVENTS: Duration = Duration::from_secs(3_600);

/// The node's configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeConfig {
    /// Whose node this is.
    pub partner: String,
    /// The federation's partners.
    pub partners: Vec<String>,
    /// The store: a folder or a PostgreSQL URL.
    pub store: String,
    /// The node's Ed25519 signing key file.
    pub key: PathBuf,
    /// Further zone files.
    #[serde(default)]
    pub zones: Vec<PathBuf>,
    /// Where to listen.
    pub listen: Listen,
    /// The TAXII server.
    pub taxii: TaxiiSection,
    /// Public keys of originators, by partner code (hex).
    #[serde(default)]
    pub public_keys: BTreeMap<String, String>,
    /// The node's TLS identity, for partners.
    #[serde(default)]
    pub tls: Option<TlsSection>,
    /// Pull state.
    #[serde(default)]
    pub sync: Option<SyncSection>,
    /// Partners' nodes to pull from (and to accept over mutual TLS).
    #[serde(default)]
    pub peers: Vec<PeerSection>,
}

/// `[tls]`: PEM files from `kuroshio tls generate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSection {
    /// The node's CA certificate.
    pub ca: PathBuf,
    /// The node certificate.
    pub cert: PathBuf,
    /// Its private key.
    pub key: PathBuf,
}

/// `[sync]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSection {
    /// The cursor file.
    pub cursors: PathBuf,
}

/// One `[[peers]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerSection {
    /// The partner.
    pub partner: String,
    /// Its node's partner address (`https://host:port`).
    pub url: String,
    /// Its CA certificate.
    pub ca: PathBuf,
    /// Seconds between pulls.
    #[serde(default = "default_pull_interval_s")]
    pub pull_interval_s: u64,
}

fn default_pull_interval_s() -> u64 {
    5
}

/// A peer, read.
pub struct Peer {
    /// The partner.
    pub partner: PartnerCode,
    /// Its partner address.
    pub url: String,
    /// Its CA certificate (PEM).
    pub ca_pem: String,
    /// Time between pulls.
    pub pull_interval: Duration,
}

/// `[listen]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listen {
    /// The local address: API, web map and TAXII for the node's users.
    pub local: String,
    /// The partners' address: TAXII over mutual TLS.
    #[serde(default)]
    pub partners: Option<String>,
}

/// `[taxii]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxiiSection {
    /// The TAXII object store file.
    pub objects: PathBuf,
    /// Discovery title.
    #[serde(default)]
    pub title: Option<String>,
    /// Seconds between publication cycles.
    #[serde(default = "default_publish_interval_s")]
    pub publish_interval_s: u64,
    /// Users of the TAXII server.
    #[serde(default)]
    pub users: Vec<UserSection>,
}

fn default_publish_interval_s() -> u64 {
    5
}

/// One `[[taxii.users]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSection {
    /// User name.
    pub name: String,
    /// The partner the user acts for; a local user when absent.
    #[serde(default)]
    pub partner: Option<String>,
    /// Salt, hex.
    pub salt: String,
    /// SHA-256 of salt and token, hex.
    pub token_sha256: String,
}

fn partner(code: &str) -> anyhow::Result<PartnerCode> {
    PartnerCode::parse(code).with_context(|| format!("{code:?} is not a partner code"))
}

fn hex_bytes<const N: usize>(text: &str, what: &str) -> anyhow::Result<[u8; N]> {
    unhex(text.trim())
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .with_context(|| format!("{what}: not {} hex digits", 2 * N))
}

/// A configuration read and checked, paths resolved.
pub struct Node {
    /// The node's partner.
    pub partner: PartnerCode,
    /// The federation.
    pub partners: Vec<PartnerCode>,
    /// The store spec, with a relative folder resolved.
    pub store: String,
    /// The signing key.
    pub key: Arc<NodeKey>,
    /// Further zone files.
    pub zones: Vec<PathBuf>,
    /// The local listen address.
    pub listen_local: String,
    /// The partners' listen address (mutual TLS).
    pub listen_partners: Option<String>,
    /// The node's TLS identity.
    pub identity: Option<kuroshio_federation::Identity>,
    /// The peers.
    pub peers: Vec<Peer>,
    /// The pull cursor file.
    pub cursors: PathBuf,
    /// The TAXII object store file.
    pub objects: PathBuf,
    /// Discovery title.
    pub title: String,
    /// Seconds between publication cycles.
    pub publish_interval: Duration,
    /// TAXII users.
    pub users: Users,
    /// Originators' public keys, the node's own included.
    pub keys: BTreeMap<PartnerCode, [u8; 32]>,
}

/// Reads `path`.
pub fn load(path: &Path) -> anyhow::Result<Node> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the node configuration {}", path.display()))?;
    let c: NodeConfig = toml::from_str(&text)
        .with_context(|| format!("{}: not a node configuration", path.display()))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolve = |p: &Path| if p.is_absolute() { p.to_path_buf() } else { base.join(p) };
    let me = partner(&c.partner)?;
    let mut partners = c.partners.iter().map(|p| partner(p)).collect::<anyhow::Result<Vec<_>>>()?;
    if !partners.contains(&me) {
        partners.push(me);
    }
    let key = crate::share_cmd::read_key(&resolve(&c.key))?;
    let mut keys = BTreeMap::new();
    keys.insert(me, key.public());
    for (code, hex) in &c.public_keys {
        let p = partner(code)?;
        if !partners.contains(&p) {
            anyhow::bail!("public key for {p}, which is not one of the partners");
        }
        keys.insert(p, hex_bytes::<32>(hex, &format!("public key of {p}"))?);
    }
    let mut users = Users::new();
    for u in &c.taxii.users {
        let principal = match &u.partner {
            Some(p) => Principal::Partner(partner(p)?),
            None => Principal::Local(u.name.clone()),
        };
        let salt =
            unhex(u.salt.trim()).with_context(|| format!("user {}: salt is not hex", u.name))?;
        let digest = hex_bytes::<32>(&u.token_sha256, &format!("user {}: token_sha256", u.name))?;
        users.insert(&u.name, Credential { principal, salt, digest });
    }
    let store = if crate::store_cmd::is_url(&c.store) {
        c.store.clone()
    } else {
        resolve(Path::new(&c.store)).to_string_lossy().into_owned()
    };
    let read = |p: &Path| {
        let p = resolve(p);
        std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))
    };
    let identity = match &c.tls {
        Some(t) => Some(kuroshio_federation::Identity {
            partner: me,
            ca_pem: read(&t.ca)?,
            cert_pem: read(&t.cert)?,
            key_pem: read(&t.key)?,
        }),
        None => None,
    };
    let mut peers = Vec::new();
    for p in &c.peers {
        let code = partner(&p.partner)?;
        if code == me || !partners.contains(&code) {
            anyhow::bail!("peer {code} is this node or not one of the partners");
        }
        peers.push(Peer {
            partner: code,
            url: p.url.trim_end_matches('/').to_owned(),
            ca_pem: read(&p.ca)?,
            pull_interval: Duration::from_secs(p.pull_interval_s.max(1)),
        });
    }
    if (c.listen.partners.is_some() || !peers.is_empty()) && identity.is_none() {
        anyhow::bail!("listen.partners and peers need the node's [tls] identity");
    }
    Ok(Node {
        listen_partners: c.listen.partners.clone(),
        identity,
        peers,
        cursors: resolve(
            &c.sync.as_ref().map_or_else(|| PathBuf::from("sync.sqlite"), |s| s.cursors.clone()),
        ),
        partner: me,
        partners,
        store,
        key: Arc::new(key),
        zones: c.zones.iter().map(|z| resolve(z)).collect(),
        listen_local: c.listen.local.clone(),
        objects: resolve(&c.taxii.objects),
        title: c.taxii.title.clone().unwrap_or_else(|| format!("Kuroshio node {me}")),
        publish_interval: Duration::from_secs(c.taxii.publish_interval_s.max(1)),
        users,
        keys,
    })
}

/// The TAXII server's state for `node`, with the events collection and its grants in place:
/// the node's users may read and write; every partner may read (what it sees is the policy's
/// decision) and write (what it may add is admission's).
pub fn taxii_state(node: &Node) -> anyhow::Result<TaxiiState> {
    let mut config = TaxiiConfig::new(&node.title, node.partner, node.partners.clone());
    config.default_root = Some(API_ROOT.to_owned());
    config.api_roots = vec![ApiRoot {
        name: API_ROOT.to_owned(),
        title: format!("Kuroshio {}", node.partner),
        description: Some(
            "Events and tracks of the node, as the sharing policy releases them".into(),
        ),
        max_content_length: kuroshio_taxii::MAX_CONTENT_LENGTH_DEFAULT,
    }];
    config.partner_keys = node.keys.clone();
    config.users = node.users.clone();
    let mut objects = ObjectStore::open(&node.objects)
        .with_context(|| format!("opening the TAXII object store {}", node.objects.display()))?;
    objects.put_collection(&Collection {
        id: EVENTS_COLLECTION.to_owned(),
        api_root: API_ROOT.to_owned(),
        title: "Events".into(),
        description: Some(
            "Gray-zone events with their tracks and sightings, signed at origin".into(),
        ),
        media_types: vec![kuroshio_taxii::store::stix_media_type("2.1")],
    })?;
    let all = Permission { can_read: true, can_write: true };
    objects.grant(EVENTS_COLLECTION, "local:*", all)?;
    for p in &node.partners {
        if *p != node.partner {
            objects.grant(EVENTS_COLLECTION, &Principal::Partner(*p).key(), all)?;
        }
    }
    TaxiiState::new(config, objects, kuroshio_taxii::system_clock()).context("TAXII server")
}

/// The local listener's routes: TAXII discovery and the API root go to the TAXII server,
/// everything else to the API and web map. Requests are handed over whole, by path prefix, so
/// each router sees the path it matches on.
pub fn local_router(api: ApiState, taxii: TaxiiState) -> Router {
    let taxii = kuroshio_taxii::router(taxii);
    let api = router(api);
    let prefix = format!("/{API_ROOT}/");
    let dispatch = tower::service_fn(move |req: axum::extract::Request| {
        let path = req.uri().path();
        let to_taxii = path == "/taxii2/" || path.starts_with(&prefix);
        let app = if to_taxii { taxii.clone() } else { api.clone() };
        tower::ServiceExt::oneshot(app, req)
    });
    Router::new().fallback_service(dispatch)
}

/// What one publication cycle did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Events of this node read from the store.
    pub events: usize,
    /// Objects newly added to the collection.
    pub added: usize,
}

/// Publishes the node's own events into its TAXII collection, from a watermark kept between
/// cycles.
pub struct Publisher {
    partner: PartnerCode,
    partners: Vec<PartnerCode>,
    key: Arc<NodeKey>,
    /// The newest event time published.
    watermark: Option<Timestamp>,
    identity_published: bool,
}

impl Publisher {
    /// A publisher for `node` that starts from the beginning of the store.
    pub fn new(node: &Node) -> Publisher {
        Publisher {
            partner: node.partner,
            partners: node.partners.clone(),
            key: Arc::clone(&node.key),
            watermark: None,
            identity_published: false,
        }
    }

    /// One cycle: events from the watermark (less [`LATE_EVENTS`]) are sealed and added.
    pub fn cycle(
        &mut self,
        store: &Mutex<Box<dyn Store>>,
        taxii: &TaxiiState,
        now: Timestamp,
    ) -> anyhow::Result<Published> {
        let mut done = Published::default();
        for _ in 0..PUBLISH_PASSES_MAX {
            let from = self.watermark.map(|w| {
                let late = i64::try_from(LATE_EVENTS.as_nanos()).unwrap_or(i64::MAX);
                Timestamp::from_unix_nanos(w.unix_nanos().saturating_sub(late))
            });
            let query = EventQuery {
                kinds: Vec::new(),
                zone: None,
                target: None,
                range: Some(crate::store_cmd::time_range(from, None)?),
                limit: PUBLISH_BATCH_MAX,
            };
            let events =
                store.lock().map_err(|_| anyhow::anyhow!("store lock poisoned"))?.events(&query)?;
            let full = events.len() == PUBLISH_BATCH_MAX;
            let mut shared: Vec<SharedObject> = Vec::new();
            if !self.identity_published {
                shared.push(kuroshio_stix::partner_identity(
                    self.partner,
                    &format!("{} node", self.partner),
                    &self.partners,
                ));
            }
            let mut newest = self.watermark;
            for e in &events {
                newest = newest.max(Some(e.time));
                // Relayed events keep their origin's signature and arrive by sync, not here.
                if e.marking.originator() != self.partner {
                    continue;
                }
                done.events += 1;
                shared.extend(
                    kuroshio_stix::event_objects(e)
                        .with_context(|| format!("mapping event {}", e.id))?,
                );
            }
            let added = self.add(&shared, store, taxii, now)?;
            done.added += added;
            self.identity_published = true;
            let advanced = newest != self.watermark;
            self.watermark = newest;
            if !full || !advanced {
                break;
            }
        }
        Ok(done)
    }

    /// Seals `shared` and adds it with its marking definitions; the number of new objects.
    /// Each new object is recorded in the audit log as created.
    fn add(
        &self,
        shared: &[SharedObject],
        store: &Mutex<Box<dyn Store>>,
        taxii: &TaxiiState,
        now: Timestamp,
    ) -> anyhow::Result<usize> {
        if shared.is_empty() {
            return Ok(0);
        }
        let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
        let mut objects = Vec::with_capacity(shared.len() + 8);
        for s in shared {
            definitions.extend(s.definitions()?);
            let held = s.seal(&self.key).context("sealing an object")?;
            objects.push(new_object(
                held.wire,
                Access::Marked { marking: held.marking, granular: held.granular },
            )?);
        }
        let mut defs = Vec::with_capacity(definitions.len());
        for d in definitions.into_values() {
            let Value::Object(d) = d else { continue };
            defs.push(new_object(d, Access::Public)?);
        }
        defs.extend(objects);
        let now_us = now.unix_nanos() / 1_000;
        let added = taxii.with_store(|s| s.add(EVENTS_COLLECTION, &defs, now_us))??;
        let fresh: Vec<&kuroshio_taxii::store::Added> = added.iter().filter(|a| a.fresh).collect();
        let created: BTreeSet<&str> = defs
            .iter()
            .filter(|o| !matches!(o.access, Access::Public))
            .map(|o| o.id.as_str())
            .collect();
        let mut st = store.lock().map_err(|_| anyhow::anyhow!("store lock poisoned"))?;
        for a in &fresh {
            if !created.contains(a.id.as_str()) {
                continue;
            }
            let mut detail = BTreeMap::new();
            detail.insert("version".to_owned(), Value::String(a.version.clone()));
            detail.insert("collection".to_owned(), Value::String(EVENTS_COLLECTION.to_owned()));
            st.audit_append(&AuditEntry {
                time: now,
                actor: "node".into(),
                action: "created".into(),
                object_id: Some(a.id.clone()),
                peer: None,
                detail,
            })?;
        }
        Ok(fresh.len())
    }
}

/// A STIX object as the TAXII store takes it.
fn new_object(wire: serde_json::Map<String, Value>, access: Access) -> anyhow::Result<NewObject> {
    NewObject::from_wire(wire, access).map_err(|why| anyhow::anyhow!("a sealed object: {why}"))
}

/// Runs `kuroshio serve --config`.
pub fn run(config: &Path) -> anyhow::Result<ExitCode> {
    let node = load(config)?;
    let catalogue = crate::zones::load(&node.zones)?;
    let store: Arc<Mutex<Box<dyn Store>>> =
        Arc::new(Mutex::new(crate::store_cmd::open(&node.store)?));
    let api = ApiState::new(Arc::clone(&store), catalogue.to_geojson(), node.partner);
    let taxii = taxii_state(&node)?;
    audit_sent(&taxii, &store);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the Ctrl-C handler")?;
    }
    let (addr, server) = crate::serve::spawn_router(
        local_router(api.clone(), taxii.clone()),
        &api,
        crate::serve::Live::Tail,
        &node.listen_local,
    )?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "kuroshio serve: http://{addr} (node {}, store {}, TAXII /taxii2/); Ctrl-C stops",
            node.partner, node.store
        )?;
        out.flush()?;
    }
    let partners_server = match (&node.listen_partners, &node.identity) {
        (Some(listen), Some(identity)) => {
            let (addr, server) = spawn_partners(&node, identity, listen, taxii.clone())?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "kuroshio serve: partners https://{addr} (mutual TLS)")?;
            out.flush()?;
            Some(server)
        }
        _ => None,
    };
    let mut pullers = Vec::new();
    if let Some(identity) = &node.identity {
        for peer in &node.peers {
            pullers.push(Puller::new(&node, identity, peer, &taxii, Arc::clone(&api.feeds))?);
        }
    }
    let mut publisher = Publisher::new(&node);
    let mut next_publish = std::time::Instant::now();
    while !stop.load(Ordering::Relaxed) {
        for p in &mut pullers {
            p.maybe_pull(&store);
        }
        if std::time::Instant::now() >= next_publish {
            let cycle = publisher.cycle(&store, &taxii, crate::store_cmd::now());
            if let Ok(p) = &cycle {
                api.feeds.add_counter(
                    "kuroshio_sync_published_total",
                    "Sealed objects the node added to its own collection.",
                    "",
                    p.added as u64,
                );
            }
            match cycle {
                Ok(p) if p.added > 0 => {
                    eprintln!(
                        "kuroshio serve: published {} objects ({} events)",
                        p.added, p.events
                    );
                }
                Ok(_) => {}
                Err(e) => eprintln!("kuroshio serve: publishing: {e:#}"),
            }
            next_publish = std::time::Instant::now() + node.publish_interval;
        }
        std::thread::sleep(STOP_POLL);
    }
    server.stop();
    if let Some(s) = partners_server {
        s.stop();
    }
    Ok(ExitCode::SUCCESS)
}

/// Records in the audit log every object the TAXII server sends to a partner (marking
/// definitions, which are public, aside).
fn audit_sent(taxii: &TaxiiState, store: &Arc<Mutex<Box<dyn Store>>>) {
    let store = Arc::clone(store);
    taxii.on_sent(Arc::new(move |peer, collection, objects| {
        let Ok(mut st) = store.lock() else { return };
        let time = crate::store_cmd::now();
        for (id, version) in objects {
            if id.starts_with("marking-definition--") {
                continue;
            }
            let mut detail = BTreeMap::new();
            detail.insert("version".to_owned(), Value::String(version.clone()));
            detail.insert("collection".to_owned(), Value::String(collection.to_owned()));
            let entry = AuditEntry {
                time,
                actor: "node".into(),
                action: "sent".into(),
                object_id: Some(id.clone()),
                peer: Some(peer),
                detail,
            };
            if let Err(e) = st.audit_append(&entry) {
                eprintln!("kuroshio serve: audit: {e}");
            }
        }
    }));
}

/// Serves the TAXII server to partners over mutual TLS on `listen`, on a thread of its own.
fn spawn_partners(
    node: &Node,
    identity: &kuroshio_federation::Identity,
    listen: &str,
    taxii: TaxiiState,
) -> anyhow::Result<(std::net::SocketAddr, crate::serve::Background)> {
    let cas: Vec<(PartnerCode, String)> =
        node.peers.iter().map(|p| (p.partner, p.ca_pem.clone())).collect();
    let config = kuroshio_federation::tls::server_config(identity, &cas)
        .context("the partners' TLS configuration")?;
    let identifier = kuroshio_federation::tls::PeerIdentifier::new(&cas)
        .context("the partners' certificate authorities")?;
    let std_listener = std::net::TcpListener::bind(listen)
        .with_context(|| format!("binding {listen} for partners"))?;
    std_listener.set_nonblocking(true).context("configuring the partners' socket")?;
    let addr = std_listener.local_addr().context("reading the bound address")?;
    let app = kuroshio_taxii::router(taxii);
    crate::serve::spawn_task("partners", move |shutdown| async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else { return };
        kuroshio_federation::serve::serve_mtls(
            listener,
            config,
            identifier,
            app,
            Principal::Partner,
            shutdown,
            kuroshio_federation::serve::ServeOptions::default(),
        )
        .await;
    })
    .map(|b| (addr, b))
}

/// Pulls one peer's events collection at its interval.
struct Puller {
    peer: PartnerCode,
    client: kuroshio_federation::TaxiiClient,
    sink: kuroshio_federation::sync::StoreSink,
    keys: BTreeMap<PartnerCode, [u8; 32]>,
    interval: Duration,
    next: std::time::Instant,
    metrics: Arc<kuroshio_api::metrics::FeedMetrics>,
}

impl Puller {
    fn new(
        node: &Node,
        identity: &kuroshio_federation::Identity,
        peer: &Peer,
        taxii: &TaxiiState,
        metrics: Arc<kuroshio_api::metrics::FeedMetrics>,
    ) -> anyhow::Result<Puller> {
        let tls = kuroshio_federation::tls::client_tls(identity, &peer.ca_pem)
            .with_context(|| format!("TLS to {}", peer.partner))?;
        let cursors = kuroshio_federation::sync::CursorStore::open(&node.cursors)
            .with_context(|| format!("opening {}", node.cursors.display()))?;
        let rules = kuroshio_federation::sync::NodeRules {
            holder: node.partner,
            partners: node.partners.clone(),
            keys: node.keys.clone(),
        };
        Ok(Puller {
            peer: peer.partner,
            client: kuroshio_federation::TaxiiClient::mtls(&peer.url, tls),
            sink: kuroshio_federation::sync::StoreSink::new(
                taxii.clone(),
                EVENTS_COLLECTION,
                rules,
                cursors,
                kuroshio_taxii::system_clock(),
            ),
            keys: node.keys.clone(),
            interval: peer.pull_interval,
            next: std::time::Instant::now(),
            metrics,
        })
    }

    /// Pulls when due; what was stored is audited as received from the peer.
    fn maybe_pull(&mut self, store: &Mutex<Box<dyn Store>>) {
        if std::time::Instant::now() < self.next {
            return;
        }
        self.next = std::time::Instant::now() + self.interval;
        let source = kuroshio_federation::SyncSource {
            partner: self.peer,
            api_root: API_ROOT.to_owned(),
            collection: EVENTS_COLLECTION.to_owned(),
        };
        let result = kuroshio_federation::pull(
            &self.client,
            &mut self.sink,
            &self.keys,
            &source,
            kuroshio_federation::PullLimits::default(),
        );
        let labels = format!("peer=\"{}\"", kuroshio_api::metrics::escape(self.peer.as_str()));
        let m = &self.metrics;
        m.add_counter("kuroshio_sync_pulls_total", "Pulls of a peer's collection.", &labels, 1);
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                m.add_counter(
                    "kuroshio_sync_pull_errors_total",
                    "Pulls of a peer's collection that failed.",
                    &labels,
                    1,
                );
                eprintln!("kuroshio serve: pulling from {}: {e}", self.peer);
                return;
            }
        };
        for (name, help, v) in [
            ("kuroshio_sync_received_total", "Objects received from a peer.", report.received),
            ("kuroshio_sync_stored_total", "Objects from a peer stored.", report.stored),
            ("kuroshio_sync_rejected_total", "Objects from a peer rejected.", report.rejected),
        ] {
            m.add_counter(name, help, &labels, v as u64);
        }
        if report.stored == 0 && report.rejected == 0 {
            return;
        }
        eprintln!(
            "kuroshio serve: from {}: {} received, {} stored, {} rejected",
            self.peer, report.received, report.stored, report.rejected
        );
        let mut detail = BTreeMap::new();
        detail.insert("received".to_owned(), Value::from(report.received));
        detail.insert("stored".to_owned(), Value::from(report.stored));
        detail.insert("rejected".to_owned(), Value::from(report.rejected));
        detail.insert("cursor".to_owned(), Value::from(report.cursor.clone()));
        if let Ok(mut st) = store.lock() {
            let entry = AuditEntry {
                time: crate::store_cmd::now(),
                actor: format!("node:{}", self.peer),
                action: "received".into(),
                object_id: None,
                peer: Some(self.peer),
                detail,
            };
            if let Err(e) = st.audit_append(&entry) {
                eprintln!("kuroshio serve: audit: {e}");
            }
        }
    }
}

/// `kuroshio tls generate`: the node's CA, node certificate and key, written to `out`.
pub fn generate_tls(
    for_partner: PartnerCode,
    names: &[String],
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let now_s = crate::store_cmd::now().unix_nanos() / 1_000_000_000;
    let id = kuroshio_federation::tls::generate(for_partner, names, now_s)
        .context("generating the TLS identity")?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (name, text) in
        [("ca.pem", &id.ca_pem), ("node.pem", &id.cert_pem), ("node.key", &id.key_pem)]
    {
        let path = out.join(name);
        if path.exists() {
            anyhow::bail!("{} exists; TLS files are never overwritten", path.display());
        }
        let mut f = std::fs::OpenOptions::new();
        f.write(true).create_new(true);
        // The private key is readable by its owner only.
        std::os::unix::fs::OpenOptionsExt::mode(
            &mut f,
            if name == "node.key" { 0o600 } else { 0o644 },
        );
        f.open(&path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    writeln!(
        std::io::stdout().lock(),
        "{}: ca.pem (give it to the partners), node.pem, node.key",
        out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// How often the node looks for SIGINT or SIGTERM.
const STOP_POLL: Duration = Duration::from_millis(100);

/// `kuroshio taxii user`: a new user's token (printed once, never stored) and the lines to
/// add to the node configuration (a salt and the token's digest).
pub fn new_user(name: &str, for_partner: Option<PartnerCode>) -> anyhow::Result<ExitCode> {
    let mut random = [0u8; 48];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut random))
        .context("reading /dev/urandom")?;
    let (salt, token_bytes) = random.split_at(16);
    let token = kuroshio_share::sign::hex(token_bytes);
    let digest = kuroshio_taxii::auth::token_digest(salt, token.as_bytes());
    let mut out = std::io::stdout().lock();
    writeln!(out, "# token for {name} (give it to the user; it is not kept): {token}")?;
    writeln!(out, "[[taxii.users]]")?;
    writeln!(out, "name = {:?}", name)?;
    if let Some(p) = for_partner {
        writeln!(out, "partner = {:?}", p.as_str())?;
    }
    writeln!(out, "salt = {:?}", kuroshio_share::sign::hex(salt))?;
    writeln!(out, "token_sha256 = {:?}", kuroshio_share::sign::hex(&digest))?;
    Ok(ExitCode::SUCCESS)
}
