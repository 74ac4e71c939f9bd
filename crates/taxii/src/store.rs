//! The TAXII server's own durable object store: collections, who may read or write them,
//! object versions with what the sharing policy needs to judge them, and status resources.
//!
//! One SQLite file in WAL mode with `synchronous=FULL`: [`ObjectStore::add`] commits before it
//! returns, so an object whose success a status resource reports survives a crash or power
//! loss. The store does not read a clock (the caller passes `now`) and does not interpret
//! markings: it keeps them ([`Access`]) for the policy to judge.
//!
//! Schema (created by [`ObjectStore::open`]):
//!
//! ```sql
//! collections (id TEXT PRIMARY KEY,            -- UUID
//!              api_root TEXT, title TEXT, description TEXT,
//!              media_types TEXT,               -- JSON list
//!              last_added_us INTEGER)          -- newest date_added, µs since the epoch
//! grants      (collection TEXT, principal TEXT, -- 'local:<user>', 'local:*', 'partner:<CODE>'
//!              can_read INTEGER, can_write INTEGER,
//!              PRIMARY KEY (collection, principal))
//! objects     (collection TEXT, id TEXT,
//!              version TEXT, version_ns INTEGER, -- modified, else created, else date_added
//!              spec_version TEXT, type TEXT,
//!              date_added_us INTEGER,            -- unique per collection
//!              media_type TEXT, wire TEXT,       -- the STIX object as received
//!              access TEXT,                      -- JSON: {"public":true} or {"marking":…,"granular":…}
//!              PRIMARY KEY (collection, id, version_ns, spec_version))
//! UNIQUE INDEX objects_added ON objects (collection, date_added_us)
//! INDEX objects_type ON objects (collection, type, date_added_us)
//! INDEX objects_id ON objects (collection, id, date_added_us)  -- versions of one object
//! status      (id TEXT PRIMARY KEY, api_root TEXT, owner TEXT, seq INTEGER, body TEXT)
//! views       (collection TEXT, viewer TEXT,    -- 'local' or 'partner:<CODE>'
//!              date_added_us INTEGER,           -- the object version seen
//!              whole INTEGER,                   -- 1: seen as stored; 0: with fields redacted
//!              PRIMARY KEY (collection, viewer, date_added_us)) WITHOUT ROWID
//! INDEX views_added ON views (collection, date_added_us)
//! meta        (key TEXT PRIMARY KEY, value TEXT) -- 'views_basis': what the views were judged for
//! ```
//!
//! `objects.multi` is 1 when the collection holds more than one version of the object's id (it
//! is set on every version when a second one arrives and never cleared), so a page can tell a
//! lone version is the newest without looking for its siblings.
//!
//! **Views** are the sharing policy's verdicts, taken when an object is stored: for each viewer
//! the [`Judge`] installed with [`ObjectStore::set_views`] names, whether it sees the object, and
//! whether whole. A page for a viewer then walks that viewer's rows of `views` in `date_added`
//! order and never reads an object it may not see, so its cost does not grow with what is hidden
//! or with the size of the collection. The store does not judge: the judge is the policy,
//! supplied by the server; when its basis (holder, viewers, policy revision) changes, the views
//! are judged again from the stored objects.
//!
//! `date_added` is strictly increasing within a collection at microsecond precision: each new
//! version gets `max(now, last + 1 µs)`, so an `added_after` cursor taken from one page never
//! skips nor repeats a record of the next. A version already held (same id, version and
//! specification version) is not stored again and keeps its first `date_added`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kuroshio_model::Marking;
use kuroshio_share::Held;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::{Map, Value, json};

/// Status resources kept per API root; older ones are deleted as new ones are written (a
/// client polls its status soon after its POST; the table must not grow without bound).
pub const STATUS_RETAINED_MAX: i64 = 10_000;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite refused.
    #[error("{context}: {source}")]
    Sqlite {
        /// What was being done.
        context: &'static str,
        /// The engine's error.
        source: rusqlite::Error,
    },
    /// A stored row does not read back (the file was changed by something else).
    #[error("corrupt row in {table}: {why}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What is wrong.
        why: String,
    },
    /// No such collection.
    #[error("no collection {0}")]
    UnknownCollection(String),
    /// A collection id that is not a UUID (TAXII 2.1, "Collection Resource": `id` is an
    /// identifier "in the form of a UUID").
    #[error("collection id {0:?} is not a UUID")]
    BadCollectionId(String),
}

/// Whether `s` is a UUID in its text form (8-4-4-4-12 hexadecimal digits).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn sql(context: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sqlite { context, source }
}

/// A collection's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// Its id, a UUID.
    pub id: String,
    /// The API root it belongs to (the path segment, e.g. `trustgroup1`).
    pub api_root: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: Option<String>,
    /// Media types of the objects it holds (`application/stix+json;version=2.1`).
    pub media_types: Vec<String>,
}

/// What a principal may do with a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permission {
    /// May read objects, the manifest and versions.
    pub can_read: bool,
    /// May add and delete objects.
    pub can_write: bool,
}

/// How the policy judges a stored object.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// A marking definition the sharing rules can read: shown to anyone who may read the
    /// collection.
    Public,
    /// Judged by the sharing policy with these markings.
    Marked {
        /// The object-level marking.
        marking: Marking,
        /// Granular markings by selector.
        granular: BTreeMap<String, Marking>,
    },
}

impl Access {
    fn to_json(&self) -> Value {
        match self {
            Access::Public => json!({"public": true}),
            Access::Marked { marking, granular } => json!({
                "marking": serde_json::to_value(marking).unwrap_or(Value::Null),
                "granular": serde_json::to_value(granular).unwrap_or(Value::Null),
            }),
        }
    }

    fn from_json(text: &str) -> Result<Access, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if v.get("public").and_then(Value::as_bool) == Some(true) {
            return Ok(Access::Public);
        }
        let marking = serde_json::from_value(v.get("marking").cloned().unwrap_or(Value::Null))
            .map_err(|e| e.to_string())?;
        let granular = serde_json::from_value(v.get("granular").cloned().unwrap_or(Value::Null))
            .map_err(|e| e.to_string())?;
        Ok(Access::Marked { marking, granular })
    }
}

/// An object to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObject {
    /// The STIX object as received.
    pub wire: Map<String, Value>,
    /// `id`.
    pub id: String,
    /// `type`.
    pub kind: String,
    /// `spec_version` (`2.0` when the object has none).
    pub spec_version: String,
    /// Its version (`modified`, else `created`) as written and as nanoseconds; `None` when it
    /// has neither, and its `date_added` becomes its version.
    pub version: Option<(String, i64)>,
    /// How the policy judges it.
    pub access: Access,
}

impl NewObject {
    /// Reads an object's id, type, specification version and version from its wire form, to
    /// be stored with `access`; why not, when the form is unsound (an id not `type--…`, a
    /// `spec_version` other than 2.0 or 2.1, a `modified`/`created` that is no timestamp).
    pub fn from_wire(wire: Map<String, Value>, access: Access) -> Result<NewObject, String> {
        let text = |k: &str| wire.get(k).and_then(Value::as_str);
        let kind = text("type").ok_or("no type")?.to_owned();
        let id = text("id").ok_or("no id")?.to_owned();
        let valid_kind = !kind.is_empty()
            && kind.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_kind
            || id.strip_prefix(kind.as_str()).and_then(|r| r.strip_prefix("--")).is_none()
        {
            return Err(format!("id {id:?} is not of the form {kind}--<UUID>"));
        }
        let spec_version = match wire.get("spec_version") {
            None => "2.0".to_owned(),
            Some(Value::String(s)) if matches!(s.as_str(), "2.0" | "2.1") => s.clone(),
            Some(_) => return Err("spec_version is not 2.0 or 2.1".into()),
        };
        let version = match text("modified").or_else(|| text("created")) {
            None => None,
            Some(t) => Some((
                t.to_owned(),
                crate::time::parse_ns(t).ok_or("modified/created is not a timestamp")?,
            )),
        };
        Ok(NewObject { wire, id, kind, spec_version, version, access })
    }
}

/// One stored object version.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    /// `id`.
    pub id: String,
    /// The version as written.
    pub version: String,
    /// The version, nanoseconds since the epoch.
    pub version_ns: i64,
    /// `spec_version`.
    pub spec_version: String,
    /// `type`.
    pub kind: String,
    /// When the collection received it, microseconds since the epoch.
    pub date_added_us: i64,
    /// Its media type.
    pub media_type: String,
    /// The STIX object as received.
    pub wire: Map<String, Value>,
    /// How the policy judges it.
    pub access: Access,
}

impl StoredObject {
    /// The object as the sharing policy takes it; `None` for public marking definitions.
    pub fn held(&self) -> Option<Held> {
        match &self.access {
            Access::Public => None,
            Access::Marked { marking, granular } => Some(Held {
                wire: self.wire.clone(),
                marking: marking.clone(),
                granular: granular.clone(),
            }),
        }
    }
}

/// What became of one added object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Its id.
    pub id: String,
    /// Its version as written (its `date_added` when it had none).
    pub version: String,
    /// `false` when this version was already held (not stored again).
    pub fresh: bool,
}

/// The media type of STIX objects of a specification version.
pub fn stix_media_type(spec_version: &str) -> String {
    format!("application/stix+json;version={spec_version}")
}

const OBJECT_COLUMNS: &str =
    "id, version, version_ns, spec_version, type, date_added_us, media_type, wire, access";

/// The sharing policy's verdicts on one object: the viewers (`local`, `partner:<CODE>`) that see
/// it, each with `true` when it sees the object exactly as stored and `false` when some fields
/// are redacted for it. Viewers not listed do not see it.
pub type Judge = Arc<dyn Fn(&Access, &Map<String, Value>) -> Vec<(String, bool)> + Send + Sync>;

/// One stored version as a viewer's page reads it: the wire form still as stored text, so an
/// object seen whole is sent without being parsed and written again.
#[derive(Debug, Clone, PartialEq)]
pub struct RawObject {
    /// `id`.
    pub id: String,
    /// The version as written.
    pub version: String,
    /// The version, nanoseconds since the epoch.
    pub version_ns: i64,
    /// `spec_version`.
    pub spec_version: String,
    /// When the collection received it, microseconds since the epoch.
    pub date_added_us: i64,
    /// Its media type.
    pub media_type: String,
    /// The STIX object as stored: compact JSON, keys in order.
    pub wire: String,
    /// The stored access, JSON.
    access: String,
    /// Whether the viewer sees it as stored (otherwise with fields redacted).
    pub whole: bool,
    /// Whether the collection holds other versions of the same id.
    pub multi: bool,
}

impl RawObject {
    /// The version parsed, for the policy to judge it again.
    pub fn parse(&self) -> Result<StoredObject, StoreError> {
        let o = StoredObject {
            id: self.id.clone(),
            version: self.version.clone(),
            version_ns: self.version_ns,
            spec_version: self.spec_version.clone(),
            kind: String::new(),
            date_added_us: self.date_added_us,
            media_type: self.media_type.clone(),
            wire: Map::new(),
            access: Access::Public,
        };
        finish_object((o, self.wire.clone(), self.access.clone()))
    }
}

fn read_object(row: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredObject, String, String)> {
    Ok((
        StoredObject {
            id: row.get(0)?,
            version: row.get(1)?,
            version_ns: row.get(2)?,
            spec_version: row.get(3)?,
            kind: row.get(4)?,
            date_added_us: row.get(5)?,
            media_type: row.get(6)?,
            wire: Map::new(),
            access: Access::Public,
        },
        row.get(7)?,
        row.get(8)?,
    ))
}

fn finish_object(
    (mut o, wire, access): (StoredObject, String, String),
) -> Result<StoredObject, StoreError> {
    let corrupt = |why: String| StoreError::Corrupt { table: "objects", why };
    o.wire = serde_json::from_str(&wire).map_err(|e| corrupt(format!("{}: wire: {e}", o.id)))?;
    o.access = Access::from_json(&access).map_err(|e| corrupt(format!("{}: access: {e}", o.id)))?;
    Ok(o)
}

/// Read connections a store file may have besides its own (see [`ObjectStore::reader`]); the
/// server keeps a small pool of them so that pages are built on every core while a POST commits.
pub const READERS_MAX: usize = 8;

/// How much of a store file each connection maps into memory, bytes (SQLite's ceiling).
pub const MMAP_BYTES_MAX: i64 = 0x7fff_0000;

/// The object store.
pub struct ObjectStore {
    conn: Connection,
    /// The file, for opening readers; `None` in memory.
    path: Option<PathBuf>,
    /// The policy's verdicts taken on each added object, when set.
    judge: Option<Judge>,
}

impl std::fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectStore")
            .field("path", &self.path)
            .field("judged", &self.judge.is_some())
            .finish_non_exhaustive()
    }
}

impl ObjectStore {
    /// Opens (creating when absent) the store in the SQLite file `path`.
    pub fn open(path: &Path) -> Result<ObjectStore, StoreError> {
        let conn = Connection::open(path).map_err(sql("open"))?;
        ObjectStore::init(conn, Some(path.to_owned()))
    }

    /// A store in memory, for tests and tools.
    pub fn open_in_memory() -> Result<ObjectStore, StoreError> {
        ObjectStore::init(Connection::open_in_memory().map_err(sql("open"))?, None)
    }

    /// Another connection to the same file, for reading only (pages, manifests); `None` for a
    /// store in memory, whose data no other connection sees. Writes through it fail.
    pub fn reader(&self) -> Option<Result<ObjectStore, StoreError>> {
        let path = self.path.as_ref()?;
        let open = || {
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
                | rusqlite::OpenFlags::SQLITE_OPEN_URI;
            let conn = Connection::open_with_flags(path, flags).map_err(sql("open reader"))?;
            ObjectStore::tune(&conn)?;
            Ok(ObjectStore { conn, path: Some(path.clone()), judge: None })
        };
        Some(open())
    }

    /// Read settings of every connection: the file mapped into memory (pages read without a
    /// copy through SQLite's page cache) and a larger page cache.
    fn tune(conn: &Connection) -> Result<(), StoreError> {
        // Up to SQLite's compiled-in ceiling (SQLITE_MAX_MMAP_SIZE, 0x7fff0000 bytes on 64-bit
        // builds, https://www.sqlite.org/compile.html#max_mmap_size); address space only: the
        // OS keeps in memory what is used.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES_MAX).map_err(sql("mmap_size"))?;
        // Negative: KiB. 32 MiB per connection.
        conn.pragma_update(None, "cache_size", -32_768_i64).map_err(sql("cache_size"))?;
        Ok(())
    }

    fn init(conn: Connection, path: Option<PathBuf>) -> Result<ObjectStore, StoreError> {
        // WAL with synchronous=FULL: a committed transaction is on disk before commit returns.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql("journal_mode"))?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql("synchronous"))?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS collections (
                 id TEXT PRIMARY KEY, api_root TEXT NOT NULL, title TEXT NOT NULL,
                 description TEXT, media_types TEXT NOT NULL,
                 last_added_us INTEGER NOT NULL DEFAULT -9223372036854775807);
             CREATE TABLE IF NOT EXISTS grants (
                 collection TEXT NOT NULL, principal TEXT NOT NULL,
                 can_read INTEGER NOT NULL, can_write INTEGER NOT NULL,
                 PRIMARY KEY (collection, principal));
             CREATE TABLE IF NOT EXISTS objects (
                 collection TEXT NOT NULL, id TEXT NOT NULL,
                 version TEXT NOT NULL, version_ns INTEGER NOT NULL,
                 spec_version TEXT NOT NULL, type TEXT NOT NULL,
                 date_added_us INTEGER NOT NULL, media_type TEXT NOT NULL,
                 wire TEXT NOT NULL, access TEXT NOT NULL,
                 PRIMARY KEY (collection, id, version_ns, spec_version));
             CREATE UNIQUE INDEX IF NOT EXISTS objects_added ON objects (collection, date_added_us);
             CREATE INDEX IF NOT EXISTS objects_type ON objects (collection, type, date_added_us);
             CREATE INDEX IF NOT EXISTS objects_id ON objects (collection, id, date_added_us);
             CREATE TABLE IF NOT EXISTS status (
                 id TEXT PRIMARY KEY, api_root TEXT NOT NULL, owner TEXT NOT NULL,
                 seq INTEGER NOT NULL, body TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS status_seq ON status (api_root, seq);
             CREATE TABLE IF NOT EXISTS views (
                 collection TEXT NOT NULL, viewer TEXT NOT NULL, date_added_us INTEGER NOT NULL,
                 whole INTEGER NOT NULL,
                 PRIMARY KEY (collection, viewer, date_added_us)) WITHOUT ROWID;
             CREATE INDEX IF NOT EXISTS views_added ON views (collection, date_added_us);
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )
        .map_err(sql("create schema"))?;
        // Files written before `multi` existed: add it, and mark the ids with several versions.
        let has_multi: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM pragma_table_info('objects') WHERE name = 'multi')",
                [],
                |r| r.get(0),
            )
            .map_err(sql("read schema"))?;
        if !has_multi {
            conn.execute_batch(
                "ALTER TABLE objects ADD COLUMN multi INTEGER NOT NULL DEFAULT 0;
                 UPDATE objects SET multi = 1 WHERE (collection, id) IN (
                     SELECT collection, id FROM objects GROUP BY collection, id
                     HAVING COUNT(*) > 1);",
            )
            .map_err(sql("add multi"))?;
        }
        ObjectStore::tune(&conn)?;
        Ok(ObjectStore { conn, path, judge: None })
    }

    /// Installs the policy's judge: every object added from now on gets its views. When the
    /// views on file were judged on another `basis` (or never), they are judged again for every
    /// stored object, in one transaction.
    pub fn set_views(&mut self, basis: &str, judge: Judge) -> Result<(), StoreError> {
        self.judge = Some(Arc::clone(&judge));
        if self.views_basis()?.as_deref() == Some(basis) {
            return Ok(());
        }
        let tx = self.conn.transaction().map_err(sql("begin views"))?;
        tx.execute("DELETE FROM views", []).map_err(sql("clear views"))?;
        {
            let mut read = tx
                .prepare("SELECT collection, date_added_us, id, wire, access FROM objects")
                .map_err(sql("read objects for views"))?;
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO views (collection, viewer, date_added_us, whole)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sql("write views"))?;
            let mut rows = read.query([]).map_err(sql("read objects for views"))?;
            while let Some(row) = rows.next().map_err(sql("read objects for views"))? {
                let collection: String = row.get(0).map_err(sql("read objects for views"))?;
                let added: i64 = row.get(1).map_err(sql("read objects for views"))?;
                let id: String = row.get(2).map_err(sql("read objects for views"))?;
                let wire: String = row.get(3).map_err(sql("read objects for views"))?;
                let access: String = row.get(4).map_err(sql("read objects for views"))?;
                let corrupt = |why: String| StoreError::Corrupt { table: "objects", why };
                let wire: Map<String, Value> =
                    serde_json::from_str(&wire).map_err(|e| corrupt(format!("{id}: wire: {e}")))?;
                let access = Access::from_json(&access)
                    .map_err(|e| corrupt(format!("{id}: access: {e}")))?;
                for (viewer, whole) in judge(&access, &wire) {
                    insert
                        .execute(params![collection, viewer, added, whole])
                        .map_err(sql("write views"))?;
                }
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('views_basis', ?1)
             ON CONFLICT (key) DO UPDATE SET value = ?1",
            params![basis],
        )
        .map_err(sql("write views basis"))?;
        tx.commit().map_err(sql("commit views"))?;
        Ok(())
    }

    /// What the views on file were judged for, if they were.
    pub fn views_basis(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'views_basis'", [], |r| r.get(0))
            .optional()
            .map_err(sql("read views basis"))
    }

    /// Creates a collection, or updates its description (its objects stay).
    pub fn put_collection(&mut self, c: &Collection) -> Result<(), StoreError> {
        if !is_uuid(&c.id) {
            return Err(StoreError::BadCollectionId(c.id.clone()));
        }
        let media = serde_json::to_string(&c.media_types).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO collections (id, api_root, title, description, media_types)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET api_root = ?2, title = ?3, description = ?4,
                     media_types = ?5",
                params![c.id, c.api_root, c.title, c.description, media],
            )
            .map_err(sql("put collection"))?;
        Ok(())
    }

    fn read_collection(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Collection, String)> {
        Ok((
            Collection {
                id: row.get(0)?,
                api_root: row.get(1)?,
                title: row.get(2)?,
                description: row.get(3)?,
                media_types: Vec::new(),
            },
            row.get(4)?,
        ))
    }

    fn finish_collection((mut c, media): (Collection, String)) -> Result<Collection, StoreError> {
        c.media_types = serde_json::from_str(&media)
            .map_err(|e| StoreError::Corrupt { table: "collections", why: e.to_string() })?;
        Ok(c)
    }

    /// The collection `id` of API root `api_root`.
    pub fn collection(&self, api_root: &str, id: &str) -> Result<Option<Collection>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, api_root, title, description, media_types FROM collections
                 WHERE api_root = ?1 AND id = ?2",
                params![api_root, id],
                ObjectStore::read_collection,
            )
            .optional()
            .map_err(sql("read collection"))?;
        row.map(ObjectStore::finish_collection).transpose()
    }

    /// The collections of `api_root`, by id.
    pub fn collections(&self, api_root: &str) -> Result<Vec<Collection>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, api_root, title, description, media_types FROM collections
                 WHERE api_root = ?1 ORDER BY id",
            )
            .map_err(sql("list collections"))?;
        let rows = stmt
            .query_map(params![api_root], ObjectStore::read_collection)
            .map_err(sql("list collections"))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(ObjectStore::finish_collection(r.map_err(sql("list collections"))?)?);
        }
        Ok(out)
    }

    /// Sets what `principal_key` ([`crate::Principal::key`], or `local:*` for every local user)
    /// may do with collection `collection`.
    pub fn grant(
        &mut self,
        collection: &str,
        principal_key: &str,
        permission: Permission,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO grants (collection, principal, can_read, can_write)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (collection, principal) DO UPDATE SET can_read = ?3, can_write = ?4",
                params![collection, principal_key, permission.can_read, permission.can_write],
            )
            .map_err(sql("grant"))?;
        Ok(())
    }

    /// What `principal_key` may do with `collection`; for a local user without a grant of its
    /// own, the `local:*` grant. `None` when nothing is granted: the collection does not exist
    /// for that principal.
    pub fn permission(
        &self,
        collection: &str,
        principal_key: &str,
    ) -> Result<Option<Permission>, StoreError> {
        let mut keys = vec![principal_key];
        if principal_key.starts_with("local:") {
            keys.push("local:*");
        }
        for k in keys {
            let p = self
                .conn
                .query_row(
                    "SELECT can_read, can_write FROM grants WHERE collection = ?1 AND principal = ?2",
                    params![collection, k],
                    |r| Ok(Permission { can_read: r.get(0)?, can_write: r.get(1)? }),
                )
                .optional()
                .map_err(sql("read grant"))?;
            if p.is_some() {
                return Ok(p);
            }
        }
        Ok(None)
    }

    /// Adds objects to `collection` in one transaction, durable when this returns; `now_us` is
    /// the current time, microseconds since the epoch.
    pub fn add(
        &mut self,
        collection: &str,
        objects: &[NewObject],
        now_us: i64,
    ) -> Result<Vec<Added>, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin add"))?;
        let mut last: i64 = tx
            .query_row(
                "SELECT last_added_us FROM collections WHERE id = ?1",
                params![collection],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql("read collection clock"))?
            .ok_or_else(|| StoreError::UnknownCollection(collection.to_owned()))?;
        let mut out = Vec::with_capacity(objects.len());
        for o in objects {
            let date_added_us = now_us.max(last.saturating_add(1));
            let (version, version_ns) = match &o.version {
                Some((text, ns)) => (text.clone(), *ns),
                None => {
                    (crate::time::format_us(date_added_us), date_added_us.saturating_mul(1_000))
                }
            };
            let held: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM objects WHERE collection = ?1 AND id = ?2
                         AND version_ns = ?3 AND spec_version = ?4)",
                    params![collection, o.id, version_ns, o.spec_version],
                    |r| r.get(0),
                )
                .map_err(sql("look up version"))?;
            if held {
                out.push(Added { id: o.id.clone(), version, fresh: false });
                continue;
            }
            let wire = Value::Object(o.wire.clone()).to_string();
            tx.execute(
                "INSERT INTO objects (collection, id, version, version_ns, spec_version, type,
                     date_added_us, media_type, wire, access)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    collection,
                    o.id,
                    version,
                    version_ns,
                    o.spec_version,
                    o.kind,
                    date_added_us,
                    stix_media_type(&o.spec_version),
                    wire,
                    o.access.to_json().to_string()
                ],
            )
            .map_err(sql("insert object"))?;
            let versions: i64 = tx
                .prepare_cached("SELECT COUNT(*) FROM objects WHERE collection = ?1 AND id = ?2")
                .and_then(|mut st| st.query_row(params![collection, o.id], |r| r.get(0)))
                .map_err(sql("count versions"))?;
            if versions > 1 {
                tx.execute(
                    "UPDATE objects SET multi = 1 WHERE collection = ?1 AND id = ?2 AND multi = 0",
                    params![collection, o.id],
                )
                .map_err(sql("mark versions"))?;
            }
            if let Some(judge) = &self.judge {
                let mut insert = tx
                    .prepare_cached(
                        "INSERT OR REPLACE INTO views (collection, viewer, date_added_us, whole)
                         VALUES (?1, ?2, ?3, ?4)",
                    )
                    .map_err(sql("write views"))?;
                for (viewer, whole) in judge(&o.access, &o.wire) {
                    insert
                        .execute(params![collection, viewer, date_added_us, whole])
                        .map_err(sql("write views"))?;
                }
            }
            last = date_added_us;
            out.push(Added { id: o.id.clone(), version, fresh: true });
        }
        tx.execute(
            "UPDATE collections SET last_added_us = ?2 WHERE id = ?1",
            params![collection, last],
        )
        .map_err(sql("advance collection clock"))?;
        tx.commit().map_err(sql("commit add"))?;
        Ok(out)
    }

    /// Calls `each` with the versions in `collection` added after `after_us`, oldest first,
    /// restricted to `ids` and `types` when they are not empty, until it returns `false`.
    pub fn scan(
        &self,
        collection: &str,
        after_us: i64,
        ids: &[String],
        types: &[String],
        each: &mut dyn FnMut(StoredObject) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut q = format!(
            "SELECT {OBJECT_COLUMNS} FROM objects WHERE collection = ?1 AND date_added_us > ?2"
        );
        let mut args: Vec<SqlValue> =
            vec![SqlValue::Text(collection.to_owned()), SqlValue::Integer(after_us)];
        push_in_filters(&mut q, &mut args, [("id", ids), ("type", types)]);
        q.push_str(" ORDER BY date_added_us");
        let mut stmt = self.conn.prepare(&q).map_err(sql("scan"))?;
        let mut rows = stmt.query(params_from_iter(args)).map_err(sql("scan"))?;
        while let Some(row) = rows.next().map_err(sql("scan"))? {
            let o = finish_object(read_object(row).map_err(sql("scan"))?)?;
            if !each(o)? {
                break;
            }
        }
        Ok(())
    }

    /// Calls `each` with the versions in `collection` that `viewer` sees (its views), added
    /// after `after_us`, oldest first, restricted to `ids` and `types` when they are not empty,
    /// until it returns `false`. Versions the viewer does not see are never read.
    pub fn scan_view(
        &self,
        collection: &str,
        viewer: &str,
        after_us: i64,
        ids: &[String],
        types: &[String],
        each: &mut dyn FnMut(RawObject) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut q = String::from(
            "SELECT o.id, o.version, o.version_ns, o.spec_version, o.date_added_us, o.media_type,
                 o.wire, o.access, v.whole, o.multi
             FROM views v JOIN objects o
                 ON o.collection = v.collection AND o.date_added_us = v.date_added_us
             WHERE v.collection = ?1 AND v.viewer = ?2 AND v.date_added_us > ?3",
        );
        let mut args: Vec<SqlValue> = vec![
            SqlValue::Text(collection.to_owned()),
            SqlValue::Text(viewer.to_owned()),
            SqlValue::Integer(after_us),
        ];
        push_in_filters(&mut q, &mut args, [("o.id", ids), ("o.type", types)]);
        q.push_str(" ORDER BY v.date_added_us");
        let mut stmt = self.conn.prepare_cached(&q).map_err(sql("scan view"))?;
        let mut rows = stmt.query(params_from_iter(args)).map_err(sql("scan view"))?;
        while let Some(row) = rows.next().map_err(sql("scan view"))? {
            let o = RawObject {
                id: row.get(0).map_err(sql("scan view"))?,
                version: row.get(1).map_err(sql("scan view"))?,
                version_ns: row.get(2).map_err(sql("scan view"))?,
                spec_version: row.get(3).map_err(sql("scan view"))?,
                date_added_us: row.get(4).map_err(sql("scan view"))?,
                media_type: row.get(5).map_err(sql("scan view"))?,
                wire: row.get(6).map_err(sql("scan view"))?,
                access: row.get(7).map_err(sql("scan view"))?,
                whole: row.get(8).map_err(sql("scan view"))?,
                multi: row.get(9).map_err(sql("scan view"))?,
            };
            if !each(o)? {
                break;
            }
        }
        Ok(())
    }

    /// The `(version_ns, spec_version)` of every version of object `id` in `collection` that
    /// `viewer` sees (its views).
    pub fn visible_versions(
        &self,
        collection: &str,
        viewer: &str,
        id: &str,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT o.version_ns, o.spec_version FROM objects o JOIN views v
                     ON v.collection = o.collection AND v.date_added_us = o.date_added_us
                     AND v.viewer = ?3
                 WHERE o.collection = ?1 AND o.id = ?2",
            )
            .map_err(sql("visible versions"))?;
        let rows = stmt
            .query_map(params![collection, id, viewer], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql("visible versions"))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(sql("visible versions"))
    }

    /// What changes when a marking definition of `collection` is added or deleted: their
    /// number and the newest `date_added` (to know when definitions learnt earlier are stale).
    pub fn definitions_stamp(&self, collection: &str) -> Result<(i64, i64), StoreError> {
        self.conn
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(MAX(date_added_us), 0) FROM objects
                 WHERE collection = ?1 AND type = 'marking-definition'",
            )
            .and_then(|mut st| st.query_row(params![collection], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(sql("definitions stamp"))
    }

    /// Every stored version of object `id` in `collection`, by `date_added`.
    pub fn versions(&self, collection: &str, id: &str) -> Result<Vec<StoredObject>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {OBJECT_COLUMNS} FROM objects WHERE collection = ?1 AND id = ?2
                 ORDER BY date_added_us"
            ))
            .map_err(sql("versions"))?;
        let rows = stmt.query_map(params![collection, id], read_object).map_err(sql("versions"))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(finish_object(r.map_err(sql("versions"))?)?);
        }
        Ok(out)
    }

    /// The public marking definitions of `collection`.
    pub fn definitions(&self, collection: &str) -> Result<Vec<Map<String, Value>>, StoreError> {
        let mut out = Vec::new();
        let types = ["marking-definition".to_owned()];
        self.scan(collection, i64::MIN, &[], &types, &mut |o| {
            if o.access == Access::Public {
                out.push(o.wire);
            }
            Ok(true)
        })?;
        Ok(out)
    }

    /// Deletes the given versions `(id, version_ns, spec_version)` of `collection`; the number
    /// deleted.
    pub fn delete(
        &mut self,
        collection: &str,
        versions: &[(String, i64, String)],
    ) -> Result<usize, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin delete"))?;
        let mut n = 0;
        for (id, version_ns, spec) in versions {
            tx.execute(
                "DELETE FROM views WHERE collection = ?1 AND date_added_us IN (
                     SELECT date_added_us FROM objects WHERE collection = ?1 AND id = ?2
                         AND version_ns = ?3 AND spec_version = ?4)",
                params![collection, id, version_ns, spec],
            )
            .map_err(sql("delete views"))?;
            n += tx
                .execute(
                    "DELETE FROM objects WHERE collection = ?1 AND id = ?2 AND version_ns = ?3
                         AND spec_version = ?4",
                    params![collection, id, version_ns, spec],
                )
                .map_err(sql("delete"))?;
        }
        tx.commit().map_err(sql("commit delete"))?;
        Ok(n)
    }

    /// Stores a status resource of `api_root` owned by `owner` (a principal key), keeping the
    /// newest [`STATUS_RETAINED_MAX`] of the root.
    pub fn put_status(
        &mut self,
        api_root: &str,
        owner: &str,
        status: &Value,
    ) -> Result<(), StoreError> {
        let id = status.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let tx = self.conn.transaction().map_err(sql("begin status"))?;
        let seq: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM status", [], |r| r.get(0))
            .map_err(sql("status sequence"))?;
        tx.execute(
            "INSERT OR REPLACE INTO status (id, api_root, owner, seq, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, api_root, owner, seq, status.to_string()],
        )
        .map_err(sql("put status"))?;
        tx.execute(
            "DELETE FROM status WHERE api_root = ?1 AND seq <= (
                 SELECT seq FROM status WHERE api_root = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)",
            params![api_root, STATUS_RETAINED_MAX],
        )
        .map_err(sql("trim status"))?;
        tx.commit().map_err(sql("commit status"))?;
        Ok(())
    }

    /// The status resource `id` of `api_root` with its owner's principal key.
    pub fn status(&self, api_root: &str, id: &str) -> Result<Option<(String, Value)>, StoreError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT owner, body FROM status WHERE api_root = ?1 AND id = ?2",
                params![api_root, id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sql("read status"))?;
        row.map(|(owner, body)| {
            serde_json::from_str(&body)
                .map(|v| (owner, v))
                .map_err(|e| StoreError::Corrupt { table: "status", why: e.to_string() })
        })
        .transpose()
    }
}

/// Adds `AND column IN (?, …)` to `q` for every non-empty list, with its values to `args`.
fn push_in_filters(q: &mut String, args: &mut Vec<SqlValue>, lists: [(&str, &[String]); 2]) {
    for (column, list) in lists {
        if list.is_empty() {
            continue;
        }
        let marks: Vec<String> =
            (0..list.len()).map(|i| format!("?{}", args.len() + i + 1)).collect();
        q.push_str(&format!(" AND {column} IN ({})", marks.join(",")));
        args.extend(list.iter().map(|s| SqlValue::Text(s.clone())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::PartnerCode;

    const C: &str = "0b8e7f1e-3c36-4c8e-9a43-6d2c3f4b5a61";

    fn obj(id: &str, modified: Option<(&str, i64)>) -> NewObject {
        NewObject {
            wire: json!({"type": "note", "id": id}).as_object().cloned().unwrap(),
            id: id.into(),
            kind: "note".into(),
            spec_version: "2.1".into(),
            version: modified.map(|(t, n)| (t.to_owned(), n)),
            access: Access::Marked {
                marking: Marking::originator_only(PartnerCode::parse("TW").unwrap()),
                granular: BTreeMap::new(),
            },
        }
    }

    #[test]
    fn date_added_strictly_increases_and_duplicates_are_not_stored() {
        let mut s = ObjectStore::open_in_memory().unwrap();
        let c = Collection {
            id: C.into(),
            api_root: "r".into(),
            title: "t".into(),
            description: None,
            media_types: vec![stix_media_type("2.1")],
        };
        s.put_collection(&c).unwrap();
        let a = obj("note--a", Some(("2020-01-01T00:00:00Z", 1)));
        let b = obj("note--b", None);
        let added = s.add(C, &[a.clone(), b, a.clone()], 1_000).unwrap();
        assert_eq!(added.iter().map(|x| x.fresh).collect::<Vec<_>>(), [true, true, false]);
        // The clock went backwards: dates still increase.
        let again = s.add(C, &[obj("note--c", None)], 10).unwrap();
        assert!(again[0].fresh);
        let mut dates = Vec::new();
        s.scan(C, i64::MIN, &[], &[], &mut |o| {
            dates.push(o.date_added_us);
            Ok(true)
        })
        .unwrap();
        assert_eq!(dates, [1_000, 1_001, 1_002]);
        assert_eq!(s.versions(C, "note--b").unwrap()[0].version, crate::time::format_us(1_001));
        assert!(matches!(s.add("nope", &[a], 0), Err(StoreError::UnknownCollection(_))));
        let bad = Collection { id: "c".into(), ..c };
        assert!(matches!(s.put_collection(&bad), Err(StoreError::BadCollectionId(_))));
        assert!(is_uuid(C) && !is_uuid("0b8e7f1e-3c36-4c8e-9a43-6d2c3f4b5a6g"));
        assert_eq!(s.delete(C, &[("note--a".into(), 1, "2.1".into())]).unwrap(), 1);
        assert_eq!(s.versions(C, "note--a").unwrap().len(), 0);
    }

    #[test]
    fn the_file_is_durable_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taxii.sqlite");
        {
            let mut s = ObjectStore::open(&path).unwrap();
            let mode: String =
                s.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
            let sync: i64 = s.conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
            assert_eq!((mode.as_str(), sync), ("wal", 2));
            let c = Collection {
                id: C.into(),
                api_root: "r".into(),
                title: "t".into(),
                description: Some("d".into()),
                media_types: vec![stix_media_type("2.1")],
            };
            s.put_collection(&c).unwrap();
            s.add(C, &[obj("note--a", None)], 5).unwrap();
            s.put_status("r", "local:ann", &json!({"id": "s1", "status": "complete"})).unwrap();
        }
        let s = ObjectStore::open(&path).unwrap();
        assert_eq!(s.collection("r", C).unwrap().unwrap().description.as_deref(), Some("d"));
        assert_eq!(s.versions(C, "note--a").unwrap()[0].date_added_us, 5);
        assert_eq!(s.status("r", "s1").unwrap().unwrap().0, "local:ann");
        // The collection's clock survives too.
        let mut s = s;
        s.add(C, &[obj("note--b", None)], 0).unwrap();
        assert_eq!(s.versions(C, "note--b").unwrap()[0].date_added_us, 6);
    }

    fn seen(s: &ObjectStore, viewer: &str) -> Vec<(String, i64, bool, bool)> {
        let mut out = Vec::new();
        s.scan_view(C, viewer, i64::MIN, &[], &[], &mut |o| {
            out.push((o.id.clone(), o.version_ns, o.whole, o.multi));
            Ok(true)
        })
        .unwrap();
        out
    }

    fn row(id: &str, ns: i64, whole: bool, multi: bool) -> (String, i64, bool, bool) {
        (id.to_owned(), ns, whole, multi)
    }

    #[test]
    fn views_follow_adds_deletes_and_a_new_basis() {
        let mut s = ObjectStore::open_in_memory().unwrap();
        assert!(s.reader().is_none(), "no other connection sees a store in memory");
        let c = Collection {
            id: C.into(),
            api_root: "r".into(),
            title: "t".into(),
            description: None,
            media_types: vec![],
        };
        s.put_collection(&c).unwrap();
        // `note--a` is seen whole locally and redacted by JP; the rest locally only.
        let judge: Judge = Arc::new(|_, wire| {
            let mut v = vec![("local".to_owned(), true)];
            if wire.get("id").and_then(Value::as_str) == Some("note--a") {
                v.push(("partner:JP".to_owned(), false));
            }
            v
        });
        s.set_views("b1", judge).unwrap();
        assert_eq!(s.views_basis().unwrap().as_deref(), Some("b1"));
        let a1 = obj("note--a", Some(("2020-01-01T00:00:00Z", 1)));
        s.add(C, &[a1, obj("note--b", Some(("2020-01-01T00:00:00Z", 5)))], 1_000).unwrap();
        assert_eq!(
            seen(&s, "local"),
            [row("note--a", 1, true, false), row("note--b", 5, true, false)]
        );
        assert_eq!(seen(&s, "partner:JP"), [row("note--a", 1, false, false)]);
        assert!(seen(&s, "partner:US").is_empty());
        // A second version marks every version of its id.
        s.add(C, &[obj("note--a", Some(("2020-01-02T00:00:00Z", 2)))], 0).unwrap();
        assert_eq!(
            seen(&s, "local"),
            [
                row("note--a", 1, true, true),
                row("note--b", 5, true, false),
                row("note--a", 2, true, true)
            ]
        );
        let mut v = s.visible_versions(C, "partner:JP", "note--a").unwrap();
        v.sort();
        assert_eq!(v, [(1, "2.1".to_owned()), (2, "2.1".to_owned())]);
        // A page starts after its cursor.
        let mut after = Vec::new();
        s.scan_view(C, "local", 1_000, &[], &["note".into()], &mut |o| {
            after.push(o.date_added_us);
            Ok(true)
        })
        .unwrap();
        assert_eq!(after, [1_001, 1_002]);
        // Deleting a version deletes its views.
        assert_eq!(s.delete(C, &[("note--a".into(), 1, "2.1".into())]).unwrap(), 1);
        assert_eq!(seen(&s, "partner:JP"), [row("note--a", 2, false, true)]);
        // The stored text reads back as the object.
        let mut parsed = Vec::new();
        s.scan_view(C, "partner:JP", i64::MIN, &[], &[], &mut |o| {
            parsed.push(o.parse()?);
            Ok(true)
        })
        .unwrap();
        assert_eq!(parsed[0].wire["id"], "note--a");
        // Another basis: everything judged again; the same basis again: nothing is.
        s.set_views("b2", Arc::new(|_, _| vec![("partner:US".to_owned(), true)])).unwrap();
        assert!(seen(&s, "local").is_empty());
        assert_eq!(seen(&s, "partner:US").len(), 2);
        s.set_views("b2", Arc::new(|_, _| Vec::new())).unwrap();
        assert_eq!(seen(&s, "partner:US").len(), 2);
        assert_eq!(s.definitions_stamp(C).unwrap(), (0, 0));
    }

    #[test]
    fn a_reader_sees_what_the_writer_committed_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ObjectStore::open(&dir.path().join("t.sqlite")).unwrap();
        let c = Collection {
            id: C.into(),
            api_root: "r".into(),
            title: "t".into(),
            description: None,
            media_types: vec![],
        };
        s.put_collection(&c).unwrap();
        s.set_views("b", Arc::new(|_, _| vec![("local".to_owned(), true)])).unwrap();
        let mut r = s.reader().unwrap().unwrap();
        s.add(C, &[obj("note--a", None)], 7).unwrap();
        assert_eq!(seen(&r, "local").len(), 1);
        assert!(r.put_collection(&c).is_err());
    }

    #[test]
    fn grants_fall_back_to_every_local_user() {
        let mut s = ObjectStore::open_in_memory().unwrap();
        let all = Permission { can_read: true, can_write: false };
        s.grant("c", "local:*", all).unwrap();
        assert_eq!(s.permission("c", "local:ann").unwrap(), Some(all));
        assert_eq!(s.permission("c", "partner:JP").unwrap(), None);
        let rw = Permission { can_read: true, can_write: true };
        s.grant("c", "local:ann", rw).unwrap();
        assert_eq!(s.permission("c", "local:ann").unwrap(), Some(rw));
    }
}
