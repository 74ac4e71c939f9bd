//! Pages of a collection as one principal sees it.
//!
//! The view is built in this order, so that what a principal may not see leaves no trace:
//!
//! 1. `show` (the sharing policy, supplied by the caller) decides for each stored version what
//!    the principal sees of it, or that it does not exist for them;
//! 2. `match[spec_version]` keeps the listed specification versions, or by default the newest
//!    one of each object version;
//! 3. `match[version]` picks among the versions that remain (`last` is the newest version the
//!    principal can see);
//! 4. `added_after`/`next` and `limit` page the result by `date_added`.
//!
//! Because `date_added` is unique and increasing within a collection, the cursor of a page is
//! the `date_added` of its last record: the next page starts strictly after it. A page is
//! filled by scanning on past invisible versions, so a run of objects the principal may not see
//! never looks like the end of the collection, and `more` is true only when a further visible
//! record exists.
//!
//! [`view_page`] builds the same page from the viewer's stored views (the policy's verdicts
//! taken when each object was stored, see [`crate::store`]): it reads only versions the viewer
//! sees, so it never scans past hidden ones, and leaves their wire form as stored text.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::filter::Filters;
use crate::store::{ObjectStore, RawObject, StoreError, StoredObject};

/// Ids whose visible versions one page request remembers; the memo is cleared when full (it
/// only saves repeated lookups of objects with several versions).
pub const VERSION_MEMO_IDS_MAX: usize = 4_096;

/// What a principal sees of a stored version, or `None` when it does not exist for them.
pub type Show<'a> = dyn Fn(&StoredObject) -> Option<Map<String, Value>> + 'a;

/// One record of a page: the stored version and what the principal sees of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The stored version.
    pub object: StoredObject,
    /// The object as shown to the principal.
    pub shown: Map<String, Value>,
}

/// One page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Its records, oldest `date_added` first.
    pub records: Vec<Record>,
    /// Whether more records follow.
    pub more: bool,
}

impl Page {
    /// The cursor of the next page (`next`): the last record's `date_added`, when more follow.
    pub fn next(&self) -> Option<String> {
        if !self.more {
            return None;
        }
        self.records.last().map(|r| r.object.date_added_us.to_string())
    }
}

/// The position a request starts after: the later of `added_after` and `next`; `Err` with a
/// message when `next` is not a cursor this server wrote.
pub fn start_after(f: &Filters) -> Result<i64, String> {
    let next = match &f.next {
        None => None,
        Some(n) => Some(n.parse::<i64>().map_err(|_| format!("next {n:?} is not a cursor"))?),
    };
    Ok(f.added_after_us.unwrap_or(i64::MIN).max(next.unwrap_or(i64::MIN)))
}

/// The `(version_ns, spec_version)` pairs of an object that the principal sees and that pass
/// `match[spec_version]` (by default, the newest specification version of each version).
fn eligible(versions: &[StoredObject], f: &Filters, show: &Show<'_>) -> Vec<(i64, String)> {
    let seen: Vec<(i64, String)> = versions
        .iter()
        .filter(|v| show(v).is_some())
        .map(|v| (v.version_ns, v.spec_version.clone()))
        .collect();
    eligible_keys(seen, f)
}

/// Of the `(version_ns, spec_version)` pairs a principal sees, those that pass
/// `match[spec_version]` (by default, the newest specification version of each version).
fn eligible_keys(mut seen: Vec<(i64, String)>, f: &Filters) -> Vec<(i64, String)> {
    if !f.spec_versions.is_empty() {
        seen.retain(|(_, s)| f.spec_versions.contains(s));
    } else {
        let newest: HashMap<i64, String> = seen.iter().fold(HashMap::new(), |mut m, (n, s)| {
            let e = m.entry(*n).or_insert_with(|| s.clone());
            if s > e {
                e.clone_from(s);
            }
            m
        });
        seen.retain(|(n, s)| newest.get(n) == Some(s));
    }
    seen
}

/// Whether the version `(version_ns, spec)` is selected by `match[version]` among `eligible`.
fn selected(version_ns: i64, spec: &str, eligible: &[(i64, String)], f: &Filters) -> bool {
    if !eligible.iter().any(|(n, s)| *n == version_ns && s == spec) {
        return false;
    }
    let v = &f.versions;
    v.all
        || (v.last && eligible.iter().map(|(n, _)| *n).max() == Some(version_ns))
        || (v.first && eligible.iter().map(|(n, _)| *n).min() == Some(version_ns))
        || v.at_ns.contains(&version_ns)
}

/// One page of the objects (or manifest) view of `collection`: at most `limit` records after
/// position `after_us`.
pub fn objects_page(
    store: &ObjectStore,
    collection: &str,
    f: &Filters,
    after_us: i64,
    limit: usize,
    show: &Show<'_>,
) -> Result<Page, StoreError> {
    let mut page = Page::default();
    let mut memo: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    // With `all` and explicit spec versions each row stands alone: no look at its siblings.
    let alone = f.versions.all && !f.spec_versions.is_empty();
    store.scan(collection, after_us, &f.ids, &f.types, &mut |o| {
        if !f.spec_versions.is_empty() && !f.spec_versions.contains(&o.spec_version) {
            return Ok(true);
        }
        let Some(shown) = show(&o) else { return Ok(true) };
        if !alone {
            if !memo.contains_key(&o.id) {
                if memo.len() >= VERSION_MEMO_IDS_MAX {
                    memo.clear();
                }
                let versions = store.versions(collection, &o.id)?;
                memo.insert(o.id.clone(), eligible(&versions, f, show));
            }
            let e = memo.get(&o.id).map_or(&[][..], Vec::as_slice);
            if !selected(o.version_ns, &o.spec_version, e, f) {
                return Ok(true);
            }
        }
        if page.records.len() == limit {
            page.more = true;
            return Ok(false);
        }
        page.records.push(Record { object: o, shown });
        Ok(true)
    })?;
    Ok(page)
}

/// One page of a viewer's views ([`view_page`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewPage {
    /// Its records, oldest `date_added` first.
    pub records: Vec<RawObject>,
    /// Whether more records follow.
    pub more: bool,
}

impl ViewPage {
    /// The cursor of the next page (`next`): the last record's `date_added`, when more follow.
    pub fn next(&self) -> Option<String> {
        if !self.more {
            return None;
        }
        self.records.last().map(|r| r.date_added_us.to_string())
    }
}

/// One page of the objects (or manifest) view of `collection` for `viewer` (`local` or
/// `partner:<CODE>`), from its stored views: the same records as [`objects_page`] with the
/// policy as `show`, read without touching a version the viewer does not see.
pub fn view_page(
    store: &ObjectStore,
    collection: &str,
    viewer: &str,
    f: &Filters,
    after_us: i64,
    limit: usize,
) -> Result<ViewPage, StoreError> {
    let mut page = ViewPage::default();
    let mut memo: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    let alone = f.versions.all && !f.spec_versions.is_empty();
    store.scan_view(collection, viewer, after_us, &f.ids, &f.types, &mut |o| {
        if !f.spec_versions.is_empty() && !f.spec_versions.contains(&o.spec_version) {
            return Ok(true);
        }
        if !alone {
            let keep = if o.multi {
                if !memo.contains_key(&o.id) {
                    if memo.len() >= VERSION_MEMO_IDS_MAX {
                        memo.clear();
                    }
                    let seen = store.visible_versions(collection, viewer, &o.id)?;
                    memo.insert(o.id.clone(), eligible_keys(seen, f));
                }
                let e = memo.get(&o.id).map_or(&[][..], Vec::as_slice);
                selected(o.version_ns, &o.spec_version, e, f)
            } else {
                // The only version of its id, and the viewer sees it.
                let e = [(o.version_ns, o.spec_version.clone())];
                selected(o.version_ns, &o.spec_version, &e, f)
            };
            if !keep {
                return Ok(true);
            }
        }
        if page.records.len() == limit {
            page.more = true;
            return Ok(false);
        }
        page.records.push(o);
        Ok(true)
    })?;
    Ok(page)
}

/// One page of the versions of object `id` (the versions endpoint): `match[spec_version]`
/// applies, `match[version]` does not.
pub fn versions_page(
    store: &ObjectStore,
    collection: &str,
    id: &str,
    f: &Filters,
    after_us: i64,
    limit: usize,
    show: &Show<'_>,
) -> Result<Page, StoreError> {
    let versions = store.versions(collection, id)?;
    let e = eligible(&versions, f, show);
    let mut page = Page::default();
    for o in versions {
        if o.date_added_us <= after_us || !e.contains(&(o.version_ns, o.spec_version.clone())) {
            continue;
        }
        let Some(shown) = show(&o) else { continue };
        if page.records.len() == limit {
            page.more = true;
            break;
        }
        page.records.push(Record { object: o, shown });
    }
    Ok(page)
}

/// Whether the principal sees any version of object `id`.
pub fn exists(
    store: &ObjectStore,
    collection: &str,
    id: &str,
    show: &Show<'_>,
) -> Result<bool, StoreError> {
    Ok(store.versions(collection, id)?.iter().any(|o| show(o).is_some()))
}
