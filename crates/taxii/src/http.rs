//! The HTTP layer: routes, content negotiation, errors, and the handlers that join the store,
//! the policy and the egress guard.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kuroshio_share::policy::visible;
use kuroshio_share::sign::hex;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::admit::{Admission, admit, readable_definition};
use crate::auth::Principal;
use crate::filter::{Filters, parse_filters};
use crate::query::{self, Page, ViewPage};
use crate::store::{Access, Collection, ObjectStore, StoredObject};
use crate::time::format_us;
use crate::{ApiRoot, GUARDS_CACHED_MAX, Shared, TAXII_MEDIA_TYPE, TaxiiState, view_key};

/// A failed request, written as a TAXII error message.
#[derive(Debug)]
pub(crate) struct TaxiiHttpError {
    status: StatusCode,
    title: &'static str,
    description: String,
}

impl TaxiiHttpError {
    fn new(status: StatusCode, title: &'static str, description: impl Into<String>) -> Self {
        TaxiiHttpError { status, title, description: description.into() }
    }
    fn not_found(what: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found", what)
    }
    fn forbidden(what: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", what)
    }
    fn unprocessable(what: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable Entity", what)
    }
    fn internal(what: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", what)
    }
}

impl IntoResponse for TaxiiHttpError {
    fn into_response(self) -> Response {
        let body = json!({
            "title": self.title,
            "description": self.description,
            "http_status": self.status.as_u16().to_string(),
        });
        let mut r = taxii_json(self.status, &body);
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"TAXII\""),
            );
        }
        r
    }
}

impl From<crate::StoreError> for TaxiiHttpError {
    fn from(e: crate::StoreError) -> Self {
        TaxiiHttpError::internal(e.to_string())
    }
}

type HttpResult = Result<Response, TaxiiHttpError>;

fn taxii_json(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, TAXII_MEDIA_TYPE)], body.to_string()).into_response()
}

/// Whether a media type (with parameters) is the TAXII 2.1 one: `application/taxii+json` with
/// `version=2.1` or no version (TAXII 2.1, "Media Types": without a version the latest is meant).
fn is_taxii(media: &str) -> bool {
    let mut parts = media.split(';').map(str::trim);
    if !parts.next().is_some_and(|t| t.eq_ignore_ascii_case("application/taxii+json")) {
        return false;
    }
    parts.all(|p| match p.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("version") => v.trim() == "2.1",
        _ => true,
    })
}

/// Whether an `Accept` header admits the TAXII media type (absent: yes; `*/*` and
/// `application/*` too).
fn acceptable(accept: Option<&HeaderValue>) -> bool {
    let Some(v) = accept else { return true };
    let Ok(v) = v.to_str() else { return false };
    v.split(',').any(|range| {
        let base = range.split(';').next().unwrap_or("").trim();
        is_taxii(range) || base == "*/*" || base.eq_ignore_ascii_case("application/*")
    })
}

/// Sets the principal from HTTP Basic unless an outer layer already did; 401 otherwise.
async fn basic_auth(State(state): State<TaxiiState>, mut request: Request, next: Next) -> Response {
    if request.extensions().get::<Principal>().is_none() {
        let principal = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| state.shared.config.users.authenticate_header(v.as_bytes()));
        match principal {
            Some(p) => {
                request.extensions_mut().insert(p);
            }
            None => {
                return TaxiiHttpError::new(
                    StatusCode::UNAUTHORIZED,
                    "Unauthorized",
                    "valid HTTP Basic credentials are required",
                )
                .into_response();
            }
        }
    }
    next.run(request).await
}

/// 406 when the client does not accept the TAXII media type.
async fn negotiate(request: Request, next: Next) -> Response {
    if !acceptable(request.headers().get(header::ACCEPT)) {
        return TaxiiHttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            "Not Acceptable",
            format!("this server answers in {TAXII_MEDIA_TYPE} only"),
        )
        .into_response();
    }
    next.run(request).await
}

/// Runs `f` with a read connection on the blocking pool: one of the pool, else the store's own
/// when the pool is empty (a store in memory). Requests wait for a reader in arrival order
/// (a fair semaphore with a permit per reader), so that under load a page waits about as long
/// as any other instead of losing races for a lock.
async fn reading<T: Send + 'static>(
    state: &TaxiiState,
    f: impl FnOnce(&Shared, &ObjectStore) -> Result<T, TaxiiHttpError> + Send + 'static,
) -> Result<T, TaxiiHttpError> {
    let shared = std::sync::Arc::clone(&state.shared);
    let permit = std::sync::Arc::clone(&shared.reader_turns)
        .acquire_owned()
        .await
        .map_err(|e| TaxiiHttpError::internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let poisoned = || TaxiiHttpError::internal("store lock poisoned");
        for r in &shared.readers {
            if let Ok(store) = r.try_lock() {
                return f(&shared, &store);
            }
        }
        // No pool (a store in memory), or its readers are all taken (cannot happen while
        // every use holds a permit): the store's own connection.
        let store = shared.store.lock().map_err(|_| poisoned())?;
        f(&shared, &store)
    })
    .await
    .map_err(|e| TaxiiHttpError::internal(e.to_string()))?
}

/// Runs `f` with the store on the blocking pool.
async fn blocking<T: Send + 'static>(
    state: &TaxiiState,
    f: impl FnOnce(&Shared, &mut ObjectStore) -> Result<T, TaxiiHttpError> + Send + 'static,
) -> Result<T, TaxiiHttpError> {
    let shared = std::sync::Arc::clone(&state.shared);
    tokio::task::spawn_blocking(move || {
        let mut store =
            shared.store.lock().map_err(|_| TaxiiHttpError::internal("store lock poisoned"))?;
        f(&shared, &mut store)
    })
    .await
    .map_err(|e| TaxiiHttpError::internal(e.to_string()))?
}

fn root<'a>(shared: &'a Shared, name: &str) -> Result<&'a ApiRoot, TaxiiHttpError> {
    shared
        .config
        .api_roots
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| TaxiiHttpError::not_found(format!("no API root {name:?}")))
}

#[derive(Clone, Copy)]
enum Need {
    Nothing,
    Read,
    Write,
    ReadWrite,
}

/// The collection, when it exists for `principal` and it may do what `need` says.
fn collection_for(
    shared: &Shared,
    store: &ObjectStore,
    root_name: &str,
    id: &str,
    principal: &Principal,
    need: Need,
) -> Result<(Collection, crate::store::Permission), TaxiiHttpError> {
    root(shared, root_name)?;
    let missing = || TaxiiHttpError::not_found(format!("no collection {id:?}"));
    let c = store.collection(root_name, id)?.ok_or_else(missing)?;
    let p = store.permission(id, &principal.key())?.ok_or_else(missing)?;
    let ok = match need {
        Need::Nothing => true,
        Need::Read => p.can_read,
        Need::Write => p.can_write,
        Need::ReadWrite => p.can_read && p.can_write,
    };
    if !ok {
        return Err(TaxiiHttpError::forbidden(format!(
            "this principal may not {} collection {id}",
            match need {
                Need::Read => "read",
                Need::Write => "write to",
                _ => "read and write",
            }
        )));
    }
    Ok((c, p))
}

fn collection_json(c: &Collection, p: crate::store::Permission) -> Value {
    let mut o = json!({
        "id": c.id,
        "title": c.title,
        "can_read": p.can_read,
        "can_write": p.can_write,
        "media_types": c.media_types,
    });
    if let Some(d) = &c.description {
        o["description"] = json!(d);
    }
    o
}

/// What `principal` sees of a stored version.
fn show_for(
    shared: &Shared,
    principal: &Principal,
) -> impl Fn(&StoredObject) -> Option<Map<String, Value>> {
    let holder = shared.config.holder;
    let viewer = principal.viewer();
    move |o: &StoredObject| match &o.access {
        Access::Public => Some(o.wire.clone()),
        Access::Marked { .. } => visible(&o.held()?, holder, viewer),
    }
}

fn filters(raw: Option<String>, allowed: &[&str]) -> Result<Filters, TaxiiHttpError> {
    let f = parse_filters(raw.as_deref().unwrap_or(""))
        .map_err(|e| TaxiiHttpError::unprocessable(e.to_string()))?;
    if let Some(bad) = f.present.iter().find(|p| !allowed.contains(p)) {
        return Err(TaxiiHttpError::unprocessable(format!(
            "{bad} is not a filter of this endpoint"
        )));
    }
    Ok(f)
}

fn page_limit(shared: &Shared, f: &Filters) -> usize {
    let max = shared.config.page_size_max.max(1);
    f.limit.unwrap_or(max).min(max)
}

fn start(f: &Filters) -> Result<i64, TaxiiHttpError> {
    query::start_after(f).map_err(TaxiiHttpError::unprocessable)
}

/// Adds `X-TAXII-Date-Added-First`/`-Last` for a non-empty page.
fn date_headers(mut r: Response, page: &Page) -> Response {
    if let (Some(first), Some(last)) = (page.records.first(), page.records.last()) {
        for (name, us) in [
            ("x-taxii-date-added-first", first.object.date_added_us),
            ("x-taxii-date-added-last", last.object.date_added_us),
        ] {
            if let Ok(v) = HeaderValue::from_str(&format_us(us)) {
                r.headers_mut().insert(name, v);
            }
        }
    }
    r
}

fn envelope(page: &Page, items: Vec<Value>, key: &str) -> Value {
    let mut o = Map::new();
    o.insert("more".into(), json!(page.more));
    if let Some(n) = page.next() {
        o.insert("next".into(), json!(n));
    }
    if !items.is_empty() {
        o.insert(key.into(), Value::Array(items));
    }
    Value::Object(o)
}

/// The objects of a page as sent; for a partner, only after the egress guard passes them.
fn release(
    shared: &Shared,
    store: &ObjectStore,
    collection: &str,
    principal: &Principal,
    page: &Page,
) -> Result<Vec<Value>, TaxiiHttpError> {
    let objects: Vec<Value> = page.records.iter().map(|r| Value::Object(r.shown.clone())).collect();
    if let Principal::Partner(peer) = principal {
        guard_check(shared, store, collection, *peer, &objects)?;
    }
    Ok(objects)
}

/// The egress guard of `collection`: the node's, with the collection's marking definitions
/// learnt; kept until a definition is added to or deleted from the collection.
fn guard_of(
    shared: &Shared,
    store: &ObjectStore,
    collection: &str,
) -> Result<std::sync::Arc<kuroshio_share::EgressGuard>, TaxiiHttpError> {
    let stamp = store.definitions_stamp(collection)?;
    let poisoned = || TaxiiHttpError::internal("guard cache lock poisoned");
    if let Some((s, g)) = shared.guards.lock().map_err(|_| poisoned())?.get(collection) {
        if *s == stamp {
            return Ok(std::sync::Arc::clone(g));
        }
    }
    let mut guard = shared.guard.clone();
    for d in store.definitions(collection)? {
        // A definition the guard cannot read is not learnt: objects marked with it fail.
        let _ = guard.learn(&Value::Object(d));
    }
    let guard = std::sync::Arc::new(guard);
    let mut cache = shared.guards.lock().map_err(|_| poisoned())?;
    if cache.len() >= GUARDS_CACHED_MAX {
        cache.clear();
    }
    cache.insert(collection.to_owned(), (stamp, std::sync::Arc::clone(&guard)));
    Ok(guard)
}

/// Passes `objects` (a payload to partner `peer`) through the egress guard and tells the sent
/// hook; an internal error, with nothing to send, when the guard refuses.
fn guard_check(
    shared: &Shared,
    store: &ObjectStore,
    collection: &str,
    peer: kuroshio_model::PartnerCode,
    objects: &[Value],
) -> Result<(), TaxiiHttpError> {
    {
        let guard = guard_of(shared, store, collection)?;
        if let Err(e) = guard.check(objects, peer) {
            shared.guard_refusals.fetch_add(1, Ordering::Relaxed);
            eprintln!(
                "kuroshio-taxii: egress guard refused a page of collection {collection} for {}: {e}",
                peer.as_str()
            );
            return Err(TaxiiHttpError::internal("the egress check refused this payload"));
        }
        if let Some(hook) = shared.on_sent.get() {
            let text = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).map(str::to_owned);
            let sent: Vec<(String, String)> = objects
                .iter()
                .map(|o| {
                    let version =
                        text(o, "modified").or_else(|| text(o, "created")).unwrap_or_default();
                    (text(o, "id").unwrap_or_default(), version)
                })
                .collect();
            hook(peer, collection, &sent);
        }
    }
    Ok(())
}

/// The principal's views key, when the store keeps views for it.
fn viewed(shared: &Shared, principal: &Principal) -> Option<String> {
    let key = view_key(principal.viewer());
    shared.viewers.contains(&key).then_some(key)
}

/// The texts of a views page as sent to `principal`: stored text for an object seen whole, the
/// policy's redaction otherwise; for a partner, only after the egress guard passes them, each
/// read on its own from the text.
fn release_view(
    shared: &Shared,
    store: &ObjectStore,
    collection: &str,
    principal: &Principal,
    page: &ViewPage,
) -> Result<Vec<String>, TaxiiHttpError> {
    let mut texts = Vec::with_capacity(page.records.len());
    for r in &page.records {
        if r.whole {
            texts.push(r.wire.clone());
            continue;
        }
        let o = r.parse()?;
        let Some(held) = o.held() else {
            texts.push(r.wire.clone());
            continue;
        };
        let shown = visible(&held, shared.config.holder, principal.viewer()).ok_or_else(|| {
            TaxiiHttpError::internal(format!("the stored views of {} are out of date", r.id))
        })?;
        texts.push(Value::Object(shown).to_string());
    }
    if let Principal::Partner(peer) = principal {
        let objects = texts
            .iter()
            .map(|t| serde_json::from_str::<Value>(t))
            .collect::<Result<Vec<Value>, _>>()
            .map_err(|e| TaxiiHttpError::internal(format!("a stored object does not read: {e}")))?;
        guard_check(shared, store, collection, *peer, &objects)?;
    }
    Ok(texts)
}

/// An objects envelope from object texts, written as [`envelope`] writes it (keys in order).
fn envelope_text(page: &ViewPage, texts: &[String]) -> String {
    let size: usize = texts.iter().map(|t| t.len() + 1).sum();
    let mut body = String::with_capacity(size + 64);
    body.push_str(if page.more { "{\"more\":true" } else { "{\"more\":false" });
    if let Some(n) = page.next() {
        body.push_str(",\"next\":");
        body.push_str(&Value::String(n).to_string());
    }
    if !texts.is_empty() {
        body.push_str(",\"objects\":[");
        for (i, t) in texts.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(t);
        }
        body.push(']');
    }
    body.push('}');
    body
}

/// Adds `X-TAXII-Date-Added-First`/`-Last` for a non-empty views page.
fn view_date_headers(mut r: Response, page: &ViewPage) -> Response {
    if let (Some(first), Some(last)) = (page.records.first(), page.records.last()) {
        for (name, us) in [
            ("x-taxii-date-added-first", first.date_added_us),
            ("x-taxii-date-added-last", last.date_added_us),
        ] {
            if let Ok(v) = HeaderValue::from_str(&format_us(us)) {
                r.headers_mut().insert(name, v);
            }
        }
    }
    r
}

async fn discovery(State(state): State<TaxiiState>) -> Response {
    let c = &state.shared.config;
    let url = |name: &str| format!("{}/{name}/", c.base_url);
    let mut o = json!({
        "title": c.title,
        "api_roots": c.api_roots.iter().map(|r| url(&r.name)).collect::<Vec<_>>(),
    });
    if let Some(d) = &c.description {
        o["description"] = json!(d);
    }
    if let Some(d) = &c.contact {
        o["contact"] = json!(d);
    }
    if let Some(d) = &c.default_root {
        o["default"] = json!(url(d));
    }
    taxii_json(StatusCode::OK, &o)
}

async fn api_root(State(state): State<TaxiiState>, Path(name): Path<String>) -> HttpResult {
    let r = root(&state.shared, &name)?;
    let mut o = json!({
        "title": r.title,
        "versions": [TAXII_MEDIA_TYPE],
        "max_content_length": r.max_content_length,
    });
    if let Some(d) = &r.description {
        o["description"] = json!(d);
    }
    Ok(taxii_json(StatusCode::OK, &o))
}

async fn collections(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path(name): Path<String>,
) -> HttpResult {
    blocking(&state, move |shared, store| {
        root(shared, &name)?;
        let mut list = Vec::new();
        for c in store.collections(&name)? {
            if let Some(p) = store.permission(&c.id, &principal.key())? {
                list.push(collection_json(&c, p));
            }
        }
        let body = if list.is_empty() { json!({}) } else { json!({"collections": list}) };
        Ok(taxii_json(StatusCode::OK, &body))
    })
    .await
}

async fn collection(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id)): Path<(String, String)>,
) -> HttpResult {
    blocking(&state, move |shared, store| {
        let (c, p) = collection_for(shared, store, &name, &id, &principal, Need::Nothing)?;
        Ok(taxii_json(StatusCode::OK, &collection_json(&c, p)))
    })
    .await
}

const OBJECTS_FILTERS: [&str; 7] = [
    "added_after",
    "limit",
    "next",
    "match[id]",
    "match[type]",
    "match[version]",
    "match[spec_version]",
];

async fn get_objects(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> HttpResult {
    let f = filters(q, &OBJECTS_FILTERS)?;
    reading(&state, move |shared, store| {
        collection_for(shared, store, &name, &id, &principal, Need::Read)?;
        if let Some(viewer) = viewed(shared, &principal) {
            let limit = page_limit(shared, &f);
            let page = query::view_page(store, &id, &viewer, &f, start(&f)?, limit)?;
            let texts = release_view(shared, store, &id, &principal, &page)?;
            let body = envelope_text(&page, &texts);
            let r = (StatusCode::OK, [(header::CONTENT_TYPE, TAXII_MEDIA_TYPE)], body);
            return Ok(view_date_headers(r.into_response(), &page));
        }
        let show = show_for(shared, &principal);
        let page = query::objects_page(store, &id, &f, start(&f)?, page_limit(shared, &f), &show)?;
        let objects = release(shared, store, &id, &principal, &page)?;
        let body = envelope(&page, objects, "objects");
        Ok(date_headers(taxii_json(StatusCode::OK, &body), &page))
    })
    .await
}

async fn get_manifest(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> HttpResult {
    let f = filters(q, &OBJECTS_FILTERS)?;
    reading(&state, move |shared, store| {
        collection_for(shared, store, &name, &id, &principal, Need::Read)?;
        if let Some(viewer) = viewed(shared, &principal) {
            let limit = page_limit(shared, &f);
            let page = query::view_page(store, &id, &viewer, &f, start(&f)?, limit)?;
            let mut body = Map::new();
            body.insert("more".into(), json!(page.more));
            if let Some(n) = page.next() {
                body.insert("next".into(), json!(n));
            }
            if !page.records.is_empty() {
                let rows = page.records.iter().map(|r| {
                    json!({
                        "id": r.id,
                        "date_added": format_us(r.date_added_us),
                        "version": r.version,
                        "media_type": r.media_type,
                    })
                });
                body.insert("objects".into(), Value::Array(rows.collect()));
            }
            let r = taxii_json(StatusCode::OK, &Value::Object(body));
            return Ok(view_date_headers(r, &page));
        }
        let show = show_for(shared, &principal);
        let page = query::objects_page(store, &id, &f, start(&f)?, page_limit(shared, &f), &show)?;
        let rows = page
            .records
            .iter()
            .map(|r| {
                json!({
                    "id": r.object.id,
                    "date_added": format_us(r.object.date_added_us),
                    "version": r.object.version,
                    "media_type": r.object.media_type,
                })
            })
            .collect();
        let body = envelope(&page, rows, "objects");
        Ok(date_headers(taxii_json(StatusCode::OK, &body), &page))
    })
    .await
}

async fn get_object(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id, object_id)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> HttpResult {
    let mut f =
        filters(q, &["added_after", "limit", "next", "match[version]", "match[spec_version]"])?;
    blocking(&state, move |shared, store| {
        collection_for(shared, store, &name, &id, &principal, Need::Read)?;
        let show = show_for(shared, &principal);
        if !query::exists(store, &id, &object_id, &show)? {
            return Err(TaxiiHttpError::not_found(format!("no object {object_id:?}")));
        }
        f.ids = vec![object_id];
        let page = query::objects_page(store, &id, &f, start(&f)?, page_limit(shared, &f), &show)?;
        let objects = release(shared, store, &id, &principal, &page)?;
        let body = envelope(&page, objects, "objects");
        Ok(date_headers(taxii_json(StatusCode::OK, &body), &page))
    })
    .await
}

async fn delete_object(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id, object_id)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> HttpResult {
    let mut f = filters(q, &["match[version]", "match[spec_version]"])?;
    blocking(&state, move |shared, store| {
        collection_for(shared, store, &name, &id, &principal, Need::ReadWrite)?;
        let show = show_for(shared, &principal);
        if !query::exists(store, &id, &object_id, &show)? {
            return Err(TaxiiHttpError::not_found(format!("no object {object_id:?}")));
        }
        f.ids = vec![object_id];
        let page = query::objects_page(store, &id, &f, i64::MIN, usize::MAX, &show)?;
        let keys: Vec<(String, i64, String)> = page
            .records
            .into_iter()
            .map(|r| (r.object.id, r.object.version_ns, r.object.spec_version))
            .collect();
        store.delete(&id, &keys)?;
        Ok((StatusCode::OK, [(header::CONTENT_TYPE, TAXII_MEDIA_TYPE)]).into_response())
    })
    .await
}

async fn get_versions(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id, object_id)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
) -> HttpResult {
    let f = filters(q, &["added_after", "limit", "next", "match[spec_version]"])?;
    blocking(&state, move |shared, store| {
        collection_for(shared, store, &name, &id, &principal, Need::Read)?;
        let show = show_for(shared, &principal);
        if !query::exists(store, &id, &object_id, &show)? {
            return Err(TaxiiHttpError::not_found(format!("no object {object_id:?}")));
        }
        let page = query::versions_page(
            store,
            &id,
            &object_id,
            &f,
            start(&f)?,
            page_limit(shared, &f),
            &show,
        )?;
        let versions = page.records.iter().map(|r| json!(r.object.version)).collect();
        let body = envelope(&page, versions, "versions");
        Ok(date_headers(taxii_json(StatusCode::OK, &body), &page))
    })
    .await
}

async fn get_status(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, status_id)): Path<(String, String)>,
) -> HttpResult {
    blocking(&state, move |shared, store| {
        root(shared, &name)?;
        match store.status(&name, &status_id)? {
            Some((owner, body)) if owner == principal.key() => {
                Ok(taxii_json(StatusCode::OK, &body))
            }
            _ => Err(TaxiiHttpError::not_found(format!("no status {status_id:?}"))),
        }
    })
    .await
}

/// A status id: a UUID (version 8, RFC 9562 "custom") from a digest of the request's context.
fn status_id(shared: &Shared, collection: &str, principal: &Principal, now_us: i64) -> String {
    let seq = shared.status_seq.fetch_add(1, Ordering::Relaxed);
    let mut h = Sha256::new();
    for part in [
        collection.as_bytes(),
        principal.key().as_bytes(),
        &now_us.to_be_bytes(),
        &seq.to_be_bytes(),
    ] {
        h.update(part);
        h.update([0]);
    }
    let mut b: [u8; 32] = h.finalize().into();
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex(&b[..16]);
    format!("{}-{}-{}-{}-{}", &x[..8], &x[8..12], &x[12..16], &x[16..20], &x[20..32])
}

async fn post_objects(
    State(state): State<TaxiiState>,
    Extension(principal): Extension<Principal>,
    Path((name, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> HttpResult {
    filters(q, &[])?;
    let max = root(&state.shared, &name)?.max_content_length;
    // Permission before reading the body: a writer without rights learns no more than that.
    {
        let (n, i, p) = (name.clone(), id.clone(), principal.clone());
        blocking(&state, move |shared, store| {
            collection_for(shared, store, &n, &i, &p, Need::Write).map(|_| ())
        })
        .await?;
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if !content_type.is_some_and(is_taxii) {
        return Err(TaxiiHttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            format!("POST a {TAXII_MEDIA_TYPE} envelope"),
        ));
    }
    let too_large = || {
        TaxiiHttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request Entity Too Large",
            format!("the body is over max_content_length ({max} bytes)"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large());
    }
    let bytes: Bytes = axum::body::to_bytes(body, max).await.map_err(|_| too_large())?;
    let envelope: Value = serde_json::from_slice(&bytes)
        .map_err(|e| TaxiiHttpError::unprocessable(format!("the body is not JSON: {e}")))?;
    let objects = match envelope.get("objects") {
        Some(Value::Array(a)) => a.clone(),
        _ => return Err(TaxiiHttpError::unprocessable("the envelope has no objects list")),
    };
    let clock = std::sync::Arc::clone(&state.shared.clock);
    blocking(&state, move |shared, store| {
        let now_us = clock();
        collection_for(shared, store, &name, &id, &principal, Need::Write)?;
        let mut definitions = HashMap::new();
        let known = store.definitions(&id)?;
        let sent = objects.iter().filter_map(Value::as_object);
        for d in known.iter().chain(sent) {
            if let Some((did, def)) = readable_definition(d) {
                definitions.insert(did, def);
            }
        }
        let ctx = Admission {
            holder: shared.config.holder,
            partners: &shared.config.partners,
            keys: &shared.config.partner_keys,
            definitions,
        };
        let mut failures = Vec::new();
        let mut admitted = Vec::new();
        for o in &objects {
            match admit(o, &principal, &ctx) {
                Ok(n) => admitted.push(n),
                Err(why) => {
                    let mut f = json!({"id": o.get("id").and_then(Value::as_str).unwrap_or(""), "message": why});
                    if let Some(v) = o.get("modified").or_else(|| o.get("created")) {
                        f["version"] = v.clone();
                    }
                    failures.push(f);
                }
            }
        }
        let added = store.add(&id, &admitted, now_us)?;
        let successes: Vec<Value> = added
            .iter()
            .map(|a| {
                let message = if a.fresh { "added" } else { "already held; not stored again" };
                json!({"id": a.id, "version": a.version, "message": message})
            })
            .collect();
        let status = json!({
            "id": status_id(shared, &id, &principal, now_us),
            "status": "complete",
            "request_timestamp": format_us(now_us),
            "total_count": objects.len(),
            "success_count": successes.len(),
            "successes": successes,
            "failure_count": failures.len(),
            "failures": failures,
            "pending_count": 0,
            "pendings": [],
        });
        store.put_status(&name, &principal.key(), &status)?;
        Ok(taxii_json(StatusCode::ACCEPTED, &status))
    })
    .await
}

async fn not_found() -> TaxiiHttpError {
    TaxiiHttpError::not_found("no such TAXII endpoint")
}

async fn method_not_allowed() -> TaxiiHttpError {
    TaxiiHttpError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Method Not Allowed",
        "method not served here",
    )
}

/// The TAXII server's router over `state`.
pub fn router(state: TaxiiState) -> Router {
    Router::new()
        .route("/taxii2/", get(discovery))
        .route("/{root}/", get(api_root))
        .route("/{root}/collections/", get(collections))
        .route("/{root}/collections/{id}/", get(collection))
        .route("/{root}/collections/{id}/objects/", get(get_objects).post(post_objects))
        .route(
            "/{root}/collections/{id}/objects/{object_id}/",
            get(get_object).delete(delete_object),
        )
        .route("/{root}/collections/{id}/objects/{object_id}/versions/", get(get_versions))
        .route("/{root}/collections/{id}/manifest/", get(get_manifest))
        .route("/{root}/status/{status_id}/", get(get_status))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(middleware::from_fn(negotiate))
        .layer(middleware::from_fn_with_state(state.clone(), basic_auth))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_negotiated() {
        assert!(is_taxii("application/taxii+json;version=2.1"));
        assert!(is_taxii("application/taxii+json; version=2.1"));
        assert!(is_taxii("application/taxii+json"));
        assert!(!is_taxii("application/taxii+json;version=2.0"));
        assert!(!is_taxii("application/json"));
        let h = |s: &'static str| HeaderValue::from_static(s);
        assert!(acceptable(None));
        assert!(acceptable(Some(&h("application/json, application/taxii+json;version=2.1"))));
        assert!(acceptable(Some(&h("*/*"))));
        assert!(!acceptable(Some(&h("application/json"))));
        assert!(!acceptable(Some(&h("application/taxii+json;version=2.0"))));
    }
}
