//! Incremental, resumable, verified pulls of a partner's collection, and pushes to it.
//!
//! [`pull`] reads one [`SyncSource`] (a partner, an API root, a collection) from the cursor its
//! [`SyncSink`] persisted: `added_after=<cursor>&match[version]=all&limit=<n>`, page after page
//! while the server says `more`, at most [`PullLimits::pages_max`] pages per call. Each object
//! is checked ([`verify_object`]) before the sink sees it: a signed object against its
//! originator's Ed25519 key (the originator is the partner whose identity is its
//! `created_by_ref`); an unsigned one only when it is a marking definition the sharing rules
//! read ([`kuroshio_share::Definition::parse`]); anything else is refused and reported to the
//! sink with the reason. A page's accepted objects and the new cursor (the page's
//! `X-TAXII-Date-Added-Last`) go to the sink in one [`SyncSink::commit`], so a pull stopped at
//! any point resumes after the last page committed, and a page is never skipped.
//!
//! [`StoreSink`] keeps what is pulled in a collection of the node's own TAXII object store,
//! through the server's admission rules ([`kuroshio_taxii::admit::admit`], as the partner that
//! served it), so a version already held is never stored twice; cursors and refusals live in a
//! [`CursorStore`] next to it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use kuroshio_model::PartnerCode;
use kuroshio_share::Definition;
use kuroshio_share::markings::identity_id;
use kuroshio_share::sign::SIGNATURE_PROPERTY;
use kuroshio_taxii::admit::{Admission, admit, readable_definition};
use kuroshio_taxii::{Clock, Principal, TaxiiState};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use crate::client::{ClientError, PageRequest, TaxiiClient};

/// Objects asked for per page by default: the server's own page cap
/// ([`kuroshio_taxii::PAGE_SIZE_MAX`]).
pub const PAGE_LIMIT_DEFAULT: usize = kuroshio_taxii::PAGE_SIZE_MAX;

/// Pages one pull reads at most by default: a pull holds no lock between pages, but bounding
/// it lets a node round-robin its partners and report progress; the next pull continues from
/// the cursor.
pub const PAGES_PER_PULL_MAX: usize = 100;

/// Refusals kept in a [`CursorStore`]; older ones are deleted as new ones are written (a
/// misbehaving peer must not grow the file without bound).
pub const REJECTIONS_RETAINED_MAX: i64 = 10_000;

/// Longest refusal reason kept, characters.
const REASON_CHARS_MAX: usize = 500;

/// One partner collection a node pulls.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SyncSource {
    /// The partner serving it.
    pub partner: PartnerCode,
    /// The API root's path segment.
    pub api_root: String,
    /// The collection's id.
    pub collection: String,
}

impl SyncSource {
    /// The stable text form cursors are kept under: `<CODE>/<api root>/<collection>`.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.partner.as_str(), self.api_root, self.collection)
    }
}

/// How much one pull reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullLimits {
    /// Objects asked for per page (`limit`).
    pub page_limit: usize,
    /// Pages read at most.
    pub pages_max: usize,
}

impl Default for PullLimits {
    fn default() -> PullLimits {
        PullLimits { page_limit: PAGE_LIMIT_DEFAULT, pages_max: PAGES_PER_PULL_MAX }
    }
}

/// What one pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullReport {
    /// Pages read.
    pub pages: usize,
    /// Objects received.
    pub received: usize,
    /// Objects that passed verification and went to the sink.
    pub accepted: usize,
    /// Objects the sink newly stored (what it already held is not counted).
    pub stored: usize,
    /// Objects refused by verification.
    pub rejected: usize,
    /// The cursor after the pull.
    pub cursor: Option<String>,
    /// Whether the collection was read to its end (`false`: stopped at the page bound).
    pub complete: bool,
}

/// An error a sink reports.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// Where pulled objects go, with the cursor that says how far a source has been read.
pub trait SyncSink {
    /// The cursor persisted for `source` (an `X-TAXII-Date-Added-Last` value), `None` before
    /// the first page.
    fn cursor(&mut self, source: &SyncSource) -> Result<Option<String>, SinkError>;

    /// Stores a page's accepted `objects` and the new `cursor` for `source`; returns how many
    /// objects were newly stored. The objects must be durable no later than the cursor (best in
    /// one transaction): a cursor kept without its page's objects would skip them for good,
    /// while objects kept without the cursor are only asked for again.
    fn commit(
        &mut self,
        source: &SyncSource,
        objects: &[Map<String, Value>],
        cursor: &str,
    ) -> Result<usize, SinkError>;

    /// Records that object `id` from `source` was refused, and why.
    fn rejected(&mut self, source: &SyncSource, id: &str, why: &str) -> Result<(), SinkError>;
}

/// Why a pull failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// A request failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The sink failed.
    #[error("sink, {context} for {source_key}: {source}")]
    Sink {
        /// What was being done.
        context: &'static str,
        /// The source's key.
        source_key: String,
        /// The sink's error.
        source: SinkError,
    },
    /// The server answered against the protocol in a way a cursor cannot follow.
    #[error("{source_key}: {why}")]
    Protocol {
        /// The source's key.
        source_key: String,
        /// What is wrong.
        why: String,
    },
}

fn text<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str)
}

/// Checks one received object: signed by its originator (the partner whose identity is its
/// `created_by_ref`, with the key in `keys`), or an unsigned marking definition the sharing
/// rules read. The reason when it is refused.
pub fn verify_object(
    object: &Map<String, Value>,
    keys: &BTreeMap<PartnerCode, [u8; 32]>,
) -> Result<(), String> {
    if object.contains_key(SIGNATURE_PROPERTY) {
        let creator = text(object, "created_by_ref").unwrap_or("");
        let (originator, key) = keys
            .iter()
            .find(|(p, _)| identity_id(**p) == creator)
            .ok_or_else(|| format!("no public key for originator {creator:?}"))?;
        return kuroshio_share::sign::verify(object, key)
            .map_err(|e| format!("signature of {}: {e}", originator.as_str()));
    }
    if text(object, "type") == Some("marking-definition") {
        return Definition::parse(&Value::Object(object.clone())).map(|_| ()).map_err(|e| {
            format!("unsigned marking definition the sharing rules cannot read: {e}")
        });
    }
    Err("unsigned".into())
}

/// Pulls `source` through `client` into `sink`, verifying signatures against `keys`; see the
/// module documentation.
pub fn pull(
    client: &TaxiiClient,
    sink: &mut dyn SyncSink,
    keys: &BTreeMap<PartnerCode, [u8; 32]>,
    source: &SyncSource,
    limits: PullLimits,
) -> Result<PullReport, SyncError> {
    let source_key = source.key();
    let sink_error = |context: &'static str| {
        let source_key = source_key.clone();
        move |e: SinkError| SyncError::Sink { context, source_key, source: e }
    };
    let protocol = |why: String| SyncError::Protocol { source_key: source_key.clone(), why };
    let mut report = PullReport {
        cursor: sink.cursor(source).map_err(sink_error("reading the cursor"))?,
        ..PullReport::default()
    };
    while report.pages < limits.pages_max.max(1) {
        let request = PageRequest {
            added_after: report.cursor.clone(),
            limit: Some(limits.page_limit.max(1)),
            next: None,
            matches: vec![("version".into(), "all".into())],
        };
        let page = client.objects(&source.api_root, &source.collection, &request)?;
        report.pages += 1;
        if page.objects.is_empty() {
            // Nothing after the cursor: read to the end (a `more` with no objects cannot be
            // followed by a cursor either).
            report.complete = true;
            break;
        }
        let last = page
            .date_added_last
            .ok_or_else(|| protocol("a page of objects without X-TAXII-Date-Added-Last".into()))?;
        let last_ns = kuroshio_taxii::time::parse_ns(&last).ok_or_else(|| {
            protocol(format!("X-TAXII-Date-Added-Last {last:?} is not a timestamp"))
        })?;
        if let Some(before) = report.cursor.as_deref().and_then(kuroshio_taxii::time::parse_ns) {
            if last_ns <= before {
                return Err(protocol(format!(
                    "X-TAXII-Date-Added-Last {last} does not move past the cursor"
                )));
            }
        }
        report.received += page.objects.len();
        let mut accepted = Vec::with_capacity(page.objects.len());
        for o in page.objects {
            match verify_object(&o, keys) {
                Ok(()) => accepted.push(o),
                Err(why) => {
                    report.rejected += 1;
                    let id = text(&o, "id").unwrap_or("");
                    sink.rejected(source, id, &why).map_err(sink_error("reporting a refusal"))?;
                }
            }
        }
        report.accepted += accepted.len();
        report.stored +=
            sink.commit(source, &accepted, &last).map_err(sink_error("committing a page"))?;
        report.cursor = Some(last);
        if !page.more {
            report.complete = true;
            break;
        }
    }
    Ok(report)
}

/// Posts `objects` to a partner's collection; the status resource the server answers with.
pub fn push(
    client: &TaxiiClient,
    api_root: &str,
    collection: &str,
    objects: &[Value],
) -> Result<Value, ClientError> {
    client.add(api_root, collection, objects)
}

/// Why the cursor store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
#[error("cursor store, {context}: {source}")]
pub struct CursorError {
    /// What was being done.
    pub context: &'static str,
    /// SQLite's error.
    pub source: rusqlite::Error,
}

fn cursor_error(context: &'static str) -> impl Fn(rusqlite::Error) -> CursorError {
    move |source| CursorError { context, source }
}

/// Pull cursors and refusals, durable, in their own SQLite file.
///
/// ```sql
/// cursors    (source TEXT PRIMARY KEY,       -- SyncSource::key
///             cursor TEXT NOT NULL, updated_us INTEGER NOT NULL)
/// rejections (seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT, id TEXT, why TEXT,
///             at_us INTEGER)                  -- the newest REJECTIONS_RETAINED_MAX kept
/// ```
#[derive(Debug)]
pub struct CursorStore {
    conn: Connection,
}

/// One recorded refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The source's key.
    pub source: String,
    /// The object's id as received.
    pub id: String,
    /// Why it was refused.
    pub why: String,
    /// When, microseconds since the epoch.
    pub at_us: i64,
}

impl CursorStore {
    /// Opens (creating when absent) the store in the SQLite file `path`.
    pub fn open(path: &Path) -> Result<CursorStore, CursorError> {
        CursorStore::init(Connection::open(path).map_err(cursor_error("open"))?)
    }

    /// A store in memory, for tests and tools.
    pub fn open_in_memory() -> Result<CursorStore, CursorError> {
        CursorStore::init(Connection::open_in_memory().map_err(cursor_error("open"))?)
    }

    fn init(conn: Connection) -> Result<CursorStore, CursorError> {
        // A committed cursor is on disk before commit returns, like the object store's objects.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(cursor_error("journal_mode"))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(cursor_error("synchronous"))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS cursors (
                 source TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_us INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS rejections (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, id TEXT NOT NULL,
                 why TEXT NOT NULL, at_us INTEGER NOT NULL);",
        )
        .map_err(cursor_error("create tables"))?;
        Ok(CursorStore { conn })
    }

    /// The cursor kept for `source_key`.
    pub fn cursor(&self, source_key: &str) -> Result<Option<String>, CursorError> {
        self.conn
            .query_row("SELECT cursor FROM cursors WHERE source = ?1", params![source_key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(cursor_error("read cursor"))
    }

    /// Sets the cursor of `source_key`.
    pub fn set_cursor(
        &mut self,
        source_key: &str,
        cursor: &str,
        now_us: i64,
    ) -> Result<(), CursorError> {
        self.conn
            .execute(
                "INSERT INTO cursors (source, cursor, updated_us) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source) DO UPDATE SET cursor = ?2, updated_us = ?3",
                params![source_key, cursor, now_us],
            )
            .map_err(cursor_error("write cursor"))?;
        Ok(())
    }

    /// Records a refusal, dropping the oldest beyond [`REJECTIONS_RETAINED_MAX`].
    pub fn reject(
        &mut self,
        source_key: &str,
        id: &str,
        why: &str,
        now_us: i64,
    ) -> Result<(), CursorError> {
        let why: String = why.chars().take(REASON_CHARS_MAX).collect();
        let id: String = id.chars().take(REASON_CHARS_MAX).collect();
        let tx = self.conn.transaction().map_err(cursor_error("begin refusal"))?;
        tx.execute(
            "INSERT INTO rejections (source, id, why, at_us) VALUES (?1, ?2, ?3, ?4)",
            params![source_key, id, why, now_us],
        )
        .map_err(cursor_error("write refusal"))?;
        tx.execute(
            "DELETE FROM rejections WHERE seq <= (SELECT MAX(seq) FROM rejections) - ?1",
            params![REJECTIONS_RETAINED_MAX],
        )
        .map_err(cursor_error("trim refusals"))?;
        tx.commit().map_err(cursor_error("commit refusal"))
    }

    /// The newest `n` refusals, newest first.
    pub fn rejections(&self, n: usize) -> Result<Vec<Rejection>, CursorError> {
        let mut stmt = self
            .conn
            .prepare("SELECT source, id, why, at_us FROM rejections ORDER BY seq DESC LIMIT ?1")
            .map_err(cursor_error("read refusals"))?;
        let rows = stmt
            .query_map(params![i64::try_from(n).unwrap_or(i64::MAX)], |r| {
                Ok(Rejection { source: r.get(0)?, id: r.get(1)?, why: r.get(2)?, at_us: r.get(3)? })
            })
            .map_err(cursor_error("read refusals"))?;
        rows.collect::<Result<_, _>>().map_err(cursor_error("read refusals"))
    }
}

/// What admission into the node's store needs to know about the federation.
#[derive(Debug, Clone)]
pub struct NodeRules {
    /// The node's partner.
    pub holder: PartnerCode,
    /// The federation's partners.
    pub partners: Vec<PartnerCode>,
    /// Originators' Ed25519 public keys.
    pub keys: BTreeMap<PartnerCode, [u8; 32]>,
}

/// A [`SyncSink`] over the node's TAXII object store: pulled objects go into `collection`
/// through the server's admission rules as the partner that served them; cursors and
/// refusals go to a [`CursorStore`].
///
/// A page's objects are committed to the object store before its cursor is written: after a
/// crash between the two, the next pull asks for the page again and the store, holding those
/// versions already, does not store them twice.
pub struct StoreSink {
    state: TaxiiState,
    collection: String,
    rules: NodeRules,
    cursors: CursorStore,
    clock: Clock,
}

impl std::fmt::Debug for StoreSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreSink").field("collection", &self.collection).finish_non_exhaustive()
    }
}

impl StoreSink {
    /// A sink adding to `collection` of `state`'s store, judged by `rules`, with cursors in
    /// `cursors` and time from `clock`.
    pub fn new(
        state: TaxiiState,
        collection: &str,
        rules: NodeRules,
        cursors: CursorStore,
        clock: Clock,
    ) -> StoreSink {
        StoreSink { state, collection: collection.to_owned(), rules, cursors, clock }
    }

    /// The cursor store (refusals can be read from it).
    pub fn cursors(&self) -> &CursorStore {
        &self.cursors
    }
}

impl SyncSink for StoreSink {
    fn cursor(&mut self, source: &SyncSource) -> Result<Option<String>, SinkError> {
        Ok(self.cursors.cursor(&source.key())?)
    }

    fn commit(
        &mut self,
        source: &SyncSource,
        objects: &[Map<String, Value>],
        cursor: &str,
    ) -> Result<usize, SinkError> {
        let now_us = (self.clock)();
        let rules = &self.rules;
        let collection = &self.collection;
        let principal = Principal::Partner(source.partner);
        let (stored, refused) = self.state.with_store(|store| {
            let known = store.definitions(collection)?;
            let mut definitions = HashMap::new();
            for d in known.iter().chain(objects) {
                if let Some((id, def)) = readable_definition(d) {
                    definitions.insert(id, def);
                }
            }
            let ctx = Admission {
                holder: rules.holder,
                partners: &rules.partners,
                keys: &rules.keys,
                definitions,
            };
            let mut admitted = Vec::with_capacity(objects.len());
            let mut refused = Vec::new();
            for o in objects {
                match admit(&Value::Object(o.clone()), &principal, &ctx) {
                    Ok(n) => admitted.push(n),
                    Err(why) => refused.push((text(o, "id").unwrap_or("").to_owned(), why)),
                }
            }
            let added = store.add(collection, &admitted, now_us)?;
            Ok::<_, kuroshio_taxii::StoreError>((added.iter().filter(|a| a.fresh).count(), refused))
        })??;
        let key = source.key();
        for (id, why) in refused {
            self.cursors.reject(&key, &id, &format!("not admitted: {why}"), now_us)?;
        }
        self.cursors.set_cursor(&key, cursor, now_us)?;
        Ok(stored)
    }

    fn rejected(&mut self, source: &SyncSource, id: &str, why: &str) -> Result<(), SinkError> {
        Ok(self.cursors.reject(&source.key(), id, why, (self.clock)())?)
    }
}
