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
//! ```
//!
//! `date_added` is strictly increasing within a collection at microsecond precision: each new
//! version gets `max(now, last + 1 µs)`, so an `added_after` cursor taken from one page never
//! skips nor repeats a record of the next. A version already held (same id, version and
//! specification version) is not stored again and keeps its first `date_added`.

use std::collections::BTreeMap;
use std::path::Path;

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

/// The object store.
#[derive(Debug)]
pub struct ObjectStore {
    conn: Connection,
}

impl ObjectStore {
    /// Opens (creating when absent) the store in the SQLite file `path`.
    pub fn open(path: &Path) -> Result<ObjectStore, StoreError> {
        let conn = Connection::open(path).map_err(sql("open"))?;
        ObjectStore::init(conn)
    }

    /// A store in memory, for tests and tools.
    pub fn open_in_memory() -> Result<ObjectStore, StoreError> {
        ObjectStore::init(Connection::open_in_memory().map_err(sql("open"))?)
    }

    fn init(conn: Connection) -> Result<ObjectStore, StoreError> {
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
             CREATE INDEX IF NOT EXISTS status_seq ON status (api_root, seq);",
        )
        .map_err(sql("create schema"))?;
        Ok(ObjectStore { conn })
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
        for (column, list) in [("id", ids), ("type", types)] {
            if list.is_empty() {
                continue;
            }
            let marks: Vec<String> =
                (0..list.len()).map(|i| format!("?{}", args.len() + i + 1)).collect();
            q.push_str(&format!(" AND {column} IN ({})", marks.join(",")));
            args.extend(list.iter().map(|s| SqlValue::Text(s.clone())));
        }
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
