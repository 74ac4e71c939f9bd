//! The node's HTTP API: everything the map shows, as JSON.
//!
//! [`router`] builds an axum `Router` over a [`ApiState`] — the node's store, its zone
//! catalogue as GeoJSON, its partner and sharing settings. It owns no socket: the binary binds
//! and serves it. Endpoints (all `GET`; the OpenAPI 3.1 description is served at
//! `/openapi.json`):
//!
//! | path | answer |
//! |---|---|
//! | `/health` | `{"status": "ok", "store": {positions, tracks, events, objects, audit}}` |
//! | `/api/v1/tracks?bbox=W,S,E,N&since=T&limit=N` | the latest picture, newest first |
//! | `/api/v1/tracks/{target}` | one target's latest state |
//! | `/api/v1/tracks/{target}/history?from=T&to=T&limit=N` | its positions, oldest first |
//! | `/api/v1/positions?from=T&to=T&bbox=W,S,E,N&every_s=S&limit=N` | every target's positions in a time slice, paged, optionally thinned ([`slice`]) |
//! | `/api/v1/live?as=P` | the live stream: server-sent events ([`live`]) |
//! | `/api/v1/events?kind=K&zone=Z&target=T&from=T&to=T&limit=N&as=P` | events by time |
//! | `/api/v1/zones` | the zone catalogue, a GeoJSON FeatureCollection |
//! | `/api/v1/trends?by=month\|year&from=T&to=T` | monthly or yearly totals of the official activity records (`kuroshio_daily::trends`) |
//! | `/metrics` | Prometheus text: feed counters ([`metrics`]), the live stream, what the store holds, responses by status class |
//! | `/`, other paths | the web map's built files ([`static_files`]) |
//!
//! Events carry their markings; `as=P` shows exactly what partner `P` would be sent —
//! [`kuroshio_share::allowed`], the same decision the sharing path takes; the live stream
//! filters by the same function. Errors are typed
//! JSON, `{"error": {"code": "...", "message": "..."}}`, with the matching status: 400
//! (`bad_request`: a parameter that does not parse, an unknown parameter, a limit over
//! [`LIMIT_MAX`]), 404 (`not_found`), 405 (`method_not_allowed`), 500 (`internal`). Store calls
//! run on the blocking pool, one at a time (the store is behind a mutex).

pub mod live;
pub mod metrics;
pub mod slice;
pub mod static_files;
pub mod wire;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kuroshio_model::{PartnerCode, Timestamp};
use kuroshio_share::Viewer;
use kuroshio_store::{BBox, EventQuery, LatestQuery, Store, TimeRange};
use serde_json::{Value, json};

/// Most rows one request may ask for; larger `limit`s are refused (400), not cut silently.
pub const LIMIT_MAX: usize = 10_000;

/// Rows when a request gives no `limit`.
pub const LIMIT_DEFAULT: usize = 1_000;

/// Longest query string read; longer ones are refused (400).
pub const QUERY_BYTES_MAX: usize = 4_096;

/// The OpenAPI description served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// What the handlers share.
#[derive(Clone)]
pub struct ApiState {
    /// The node's store.
    pub store: Arc<Mutex<Box<dyn Store>>>,
    /// The zone catalogue as GeoJSON text.
    pub zones_geojson: Arc<String>,
    /// The node's partner.
    pub partner: PartnerCode,
    /// Request counters for `/metrics`.
    pub counters: Arc<Counters>,
    /// The live stream's subscribers.
    pub live: Arc<live::LiveHub>,
    /// The pipelines' counters for `/metrics`.
    pub feeds: Arc<metrics::FeedMetrics>,
}

impl ApiState {
    /// The state over `store` for a node of `partner`, with its zone catalogue as GeoJSON text,
    /// a fresh live hub and fresh counters.
    pub fn new(
        store: Arc<Mutex<Box<dyn Store>>>,
        zones_geojson: String,
        partner: PartnerCode,
    ) -> Self {
        ApiState {
            store,
            zones_geojson: Arc::new(zones_geojson),
            partner,
            counters: Default::default(),
            live: Arc::new(live::LiveHub::new(partner)),
            feeds: Default::default(),
        }
    }
}

/// Requests answered, by status class, since the router was built.
#[derive(Debug, Default)]
pub struct Counters {
    ok: AtomicU64,
    client_errors: AtomicU64,
    server_errors: AtomicU64,
}

/// A failed request.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn bad_request(message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, code: "bad_request", message: message.into() }
    }
    fn unavailable(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: message.into(),
        }
    }
    fn not_found(message: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into() }
    }
    fn internal(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, [(header::CONTENT_TYPE, "application/json")], body.to_string())
            .into_response()
    }
}

fn json_response(v: &Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Reads a raw query string as the endpoints do: `(name, value)` pairs, percent-decoded, only
/// `allowed` names, at most [`QUERY_BYTES_MAX`] bytes; the error message otherwise.
pub fn parse_query(raw: &str, allowed: &[&str]) -> Result<Vec<(String, String)>, String> {
    params(Some(raw.to_owned()), allowed).map_err(|e| e.message)
}

/// The query string as `(name, value)` pairs, percent-decoded; only `allowed` names.
fn params(raw: Option<String>, allowed: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let raw = raw.unwrap_or_default();
    if raw.len() > QUERY_BYTES_MAX {
        return Err(ApiError::bad_request(format!(
            "query string of {} bytes; at most {QUERY_BYTES_MAX}",
            raw.len()
        )));
    }
    let mut out = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::bad_request(format!(
                "unknown parameter `{k}`; this endpoint takes {}",
                allowed.join(", ")
            )));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// Percent-decoding (`+` is a space) into UTF-8.
fn decode(s: &str) -> Result<String, ApiError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(byte.ok_or_else(|| ApiError::bad_request("bad percent-encoding"))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| ApiError::bad_request("parameters must be UTF-8"))
}

fn one<'a>(p: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ApiError> {
    let mut found = p.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(ApiError::bad_request(format!("`{name}` given twice")));
    }
    Ok(first)
}

fn limit(p: &[(String, String)]) -> Result<usize, ApiError> {
    match one(p, "limit")? {
        None => Ok(LIMIT_DEFAULT),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=LIMIT_MAX).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(format!("limit must be 1 to {LIMIT_MAX}"))),
        },
    }
}

fn time(p: &[(String, String)], name: &str) -> Result<Option<Timestamp>, ApiError> {
    one(p, name)?.map(|v| wire::parse_time(v).map_err(ApiError::bad_request)).transpose()
}

fn range(p: &[(String, String)]) -> Result<Option<TimeRange>, ApiError> {
    let (from, to) = (time(p, "from")?, time(p, "to")?);
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    wire::time_range(from, to).map(Some).ok_or_else(|| ApiError::bad_request("from is after to"))
}

/// Runs a store call on the blocking pool.
pub(crate) async fn with_store<T: Send + 'static>(
    state: &ApiState,
    f: impl FnOnce(&dyn Store) -> Result<T, kuroshio_store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || {
        let guard = store.lock().map_err(|_| ApiError::internal("store lock poisoned"))?;
        f(guard.as_ref()).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
}

async fn health(State(state): State<ApiState>) -> Result<Response, ApiError> {
    let stats = with_store(&state, |s| s.stats()).await?;
    Ok(json_response(&json!({"status": "ok", "partner": state.partner.as_str(), "store": stats})))
}

async fn tracks(
    State(state): State<ApiState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(q, &["bbox", "since", "limit"])?;
    let bbox: Option<BBox> =
        one(&p, "bbox")?.map(|v| wire::parse_bbox(v).map_err(ApiError::bad_request)).transpose()?;
    let query = LatestQuery { bbox, seen_since: time(&p, "since")?, limit: limit(&p)? };
    let rows = with_store(&state, move |s| s.latest(&query)).await?;
    let list: Vec<Value> = rows.iter().map(wire::track_json).collect();
    Ok(json_response(&json!({"tracks": list})))
}

async fn track(
    State(state): State<ApiState>,
    Path(target): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    params(q, &[])?;
    let t = wire::parse_target(&target).map_err(ApiError::bad_request)?;
    match with_store(&state, move |s| s.track(&t)).await? {
        Some(row) => Ok(json_response(&wire::track_json(&row))),
        None => Err(ApiError::not_found(format!("no track for {target}"))),
    }
}

async fn history(
    State(state): State<ApiState>,
    Path(target): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(q, &["from", "to", "limit"])?;
    let t = wire::parse_target(&target).map_err(ApiError::bad_request)?;
    let r = match range(&p)? {
        Some(r) => r,
        None => wire::time_range(None, None).ok_or_else(|| ApiError::internal("empty range"))?,
    };
    let n = limit(&p)?;
    let rows = with_store(&state, move |s| s.history(&t, r, n)).await?;
    let list: Vec<Value> = rows.iter().map(wire::row_json).collect();
    Ok(json_response(&json!({"target": target, "positions": list})))
}

/// The viewer `as=P` names; the node's own users when absent.
fn viewer(p: &[(String, String)]) -> Result<Viewer, ApiError> {
    Ok(match one(p, "as")? {
        None => Viewer::Local,
        Some(v) => Viewer::Partner(
            PartnerCode::parse(v).map_err(|e| ApiError::bad_request(e.to_string()))?,
        ),
    })
}

/// Every target's positions in `[from, to)` (both required) and a box, ordered by time then
/// target, a page of at most `limit`; with `every_s=S`, the first position of each target in
/// each `S`-second bucket only. When more remain, `next_from` is the time to ask from next
/// ([`slice`]).
async fn positions(
    State(state): State<ApiState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(q, &["bbox", "from", "to", "limit", "every_s"])?;
    let bbox = match one(&p, "bbox")? {
        Some(v) => wire::parse_bbox(v).map_err(ApiError::bad_request)?,
        None => BBox::WORLD,
    };
    let (Some(from), Some(to)) = (time(&p, "from")?, time(&p, "to")?) else {
        return Err(ApiError::bad_request("from and to are both required"));
    };
    let r = wire::time_range(Some(from), Some(to))
        .ok_or_else(|| ApiError::bad_request("from is after to"))?;
    let n = limit(&p)?;
    let every_ns = match one(&p, "every_s")? {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(s) if (1..=EVERY_S_MAX).contains(&s) => Some(s * 1_000_000_000),
            _ => {
                return Err(ApiError::bad_request(format!("every_s must be 1 to {EVERY_S_MAX}")));
            }
        },
    };
    let store = Arc::clone(&state.store);
    let page = tokio::task::spawn_blocking(move || {
        // The store is locked for each read, not for the page, so that writers go between.
        let fetch = |range: TimeRange, rows: usize| {
            let guard = store.lock().map_err(|_| ApiError::internal("store lock poisoned"))?;
            guard.positions(bbox, range, rows).map_err(|e| ApiError::internal(e.to_string()))
        };
        slice::page(fetch, r, n, every_ns)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))??;
    let list: Vec<Value> = page.rows.iter().map(wire::row_json).collect();
    let mut body = json!({"positions": list});
    if let Some(t) = page.next_from {
        body["next_from"] = wire::time_json(t);
    }
    Ok(json_response(&body))
}

/// Largest `every_s` of a time slice: an hour.
pub const EVERY_S_MAX: i64 = 3_600;

/// The live stream ([`live`]) as `as=P` may see it.
async fn live_stream(
    State(state): State<ApiState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(q, &["as"])?;
    let viewer = viewer(&p)?;
    live::respond(&state.live, viewer)
        .ok_or_else(|| ApiError::unavailable("the live stream is full or closing; try again later"))
}

async fn events(
    State(state): State<ApiState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = params(q, &["kind", "zone", "target", "from", "to", "limit", "as"])?;
    let mut kinds = Vec::new();
    for (_, v) in p.iter().filter(|(k, _)| k == "kind") {
        kinds.push(wire::parse_kind(v).map_err(ApiError::bad_request)?);
    }
    let target = one(&p, "target")?
        .map(|v| wire::parse_target(v).map_err(ApiError::bad_request))
        .transpose()?;
    let viewer = viewer(&p)?;
    let query = EventQuery {
        kinds,
        zone: one(&p, "zone")?.map(str::to_owned),
        target,
        range: range(&p)?,
        limit: limit(&p)?,
    };
    let found = with_store(&state, move |s| s.events(&query)).await?;
    let holder = state.partner;
    let list: Vec<Value> = found
        .iter()
        .filter(|e| kuroshio_share::allowed(&e.marking, holder, viewer))
        .filter_map(|e| serde_json::to_value(e).ok())
        .collect();
    Ok(json_response(&json!({"events": list})))
}

/// `GET /api/v1/trends?by=month|year&from=T&to=T`: monthly or yearly totals of the official
/// activity records in the store (MND's daily figures, Japan's strait transits). They are
/// public releases, so every viewer gets the same answer.
async fn trends(
    State(state): State<ApiState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    use kuroshio_reports::trends::Period;
    let p = params(q, &["by", "from", "to"])?;
    let period = match one(&p, "by")? {
        None | Some("month") => Period::Month,
        Some("year") => Period::Year,
        Some(other) => {
            return Err(ApiError::bad_request(format!("by={other:?}: month or year")));
        }
    };
    let range = range(&p)?.ok_or_else(|| ApiError::bad_request("from and to are required"))?;
    let t =
        with_store(&state, move |s| kuroshio_daily::trends::from_store(s, range, period)).await?;
    Ok(json_response(&json!({"by": period, "totals": t.totals, "unreadable": t.unreadable})))
}

/// Counts every answer by status class.
async fn count(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let c = &state.counters;
    let counter = match response.status().as_u16() {
        500.. => &c.server_errors,
        400..=499 => &c.client_errors,
        _ => &c.ok,
    };
    counter.fetch_add(1, Ordering::Relaxed);
    response
}

/// Prometheus text exposition (format 0.0.4): what the store holds, and requests answered.
async fn metrics(State(state): State<ApiState>) -> Result<Response, ApiError> {
    use std::fmt::Write as _;
    let stats = with_store(&state, |s| s.stats()).await?;
    let mut t = String::new();
    for (name, help, v) in [
        ("kuroshio_store_positions", "Position rows in history.", stats.positions),
        ("kuroshio_store_tracks", "Targets in the latest picture.", stats.tracks),
        ("kuroshio_store_events", "Events stored.", stats.events),
        ("kuroshio_store_objects", "Shared object versions stored.", stats.objects),
        ("kuroshio_store_audit_entries", "Audit log entries.", stats.audit),
    ] {
        let _ = writeln!(t, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    }
    let c = &state.counters;
    let _ = writeln!(
        t,
        "# HELP kuroshio_http_responses_total HTTP responses by status class.\n\
         # TYPE kuroshio_http_responses_total counter"
    );
    for (class, n) in [("2xx", &c.ok), ("4xx", &c.client_errors), ("5xx", &c.server_errors)] {
        let _ = writeln!(
            t,
            "kuroshio_http_responses_total{{class=\"{class}\"}} {}",
            n.load(Ordering::Relaxed)
        );
    }
    state.feeds.render(&mut t);
    let l = state.live.stats();
    let _ = writeln!(
        t,
        "# HELP kuroshio_live_clients Live stream subscribers now.\n\
         # TYPE kuroshio_live_clients gauge\nkuroshio_live_clients {}\n\
         # HELP kuroshio_live_queued Updates queued for live subscribers now.\n\
         # TYPE kuroshio_live_queued gauge\nkuroshio_live_queued {}",
        state.live.clients(),
        state.live.queued_now()
    );
    for (name, help, v) in [
        ("kuroshio_live_published_total", "Live updates published.", &l.published),
        ("kuroshio_live_sent_total", "Live updates written to subscribers.", &l.sent),
        (
            "kuroshio_live_coalesced_total",
            "Live updates replaced in a subscriber's queue by a newer one for the same track.",
            &l.coalesced,
        ),
        (
            "kuroshio_live_dropped_total",
            "Live updates dropped at a subscriber's queue limit.",
            &l.dropped,
        ),
        ("kuroshio_live_subscribed_total", "Live stream subscriptions accepted.", &l.subscribed),
        (
            "kuroshio_live_refused_total",
            "Live stream subscriptions refused at the limit.",
            &l.refused,
        ),
    ] {
        let _ = writeln!(
            t,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
            v.load(Ordering::Relaxed)
        );
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], t).into_response())
}

async fn zones(State(state): State<ApiState>) -> Response {
    ([(header::CONTENT_TYPE, "application/geo+json")], state.zones_geojson.as_str().to_owned())
        .into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; see /openapi.json")
}

/// Paths no route claims: the web map's files for `GET`/`HEAD` outside `/api/`, else 404.
async fn web_or_not_found(
    State(web): State<Arc<static_files::WebRoot>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let path = uri.path();
    if path.starts_with("/api/") || (method != Method::GET && method != Method::HEAD) {
        return Err(not_found().await);
    }
    let web = Arc::clone(&web);
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || static_files::respond(&web, &path, &headers))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(|e| ApiError::not_found(e.to_string()))
}

async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: "only GET is served".into(),
    }
}

/// The API's router over `state`, with the web map from [`static_files::WebRoot::locate`].
pub fn router(state: ApiState) -> Router {
    router_with_web(state, static_files::WebRoot::locate())
}

/// The API's router over `state`, serving the web map's files from `web`.
pub fn router_with_web(state: ApiState, web: static_files::WebRoot) -> Router {
    let web_files = Router::new().fallback(web_or_not_found).with_state(Arc::new(web));
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/api/v1/tracks", get(tracks))
        .route("/api/v1/tracks/{target}", get(track))
        .route("/api/v1/tracks/{target}/history", get(history))
        .route("/api/v1/positions", get(positions))
        .route("/api/v1/live", get(live_stream))
        .route("/api/v1/events", get(events))
        .route("/api/v1/trends", get(trends))
        .route("/api/v1/zones", get(zones))
        .route("/metrics", get(metrics))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback_service(web_files)
        .layer(middleware::from_fn_with_state(state.clone(), count))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_decode_and_refuse_strangers() {
        let p =
            params(Some("bbox=119%2C23%2C121%2C25&limit=5".into()), &["bbox", "limit"]).unwrap();
        assert_eq!(p[0], ("bbox".to_owned(), "119,23,121,25".to_owned()));
        assert_eq!(limit(&p).unwrap(), 5);
        assert!(params(Some("x=1".into()), &["bbox"]).is_err());
        assert!(params(Some("bbox=%zz".into()), &["bbox"]).is_err());
        assert!(params(Some("a".repeat(QUERY_BYTES_MAX + 1)), &["a"]).is_err());
        let twice = params(Some("limit=1&limit=2".into()), &["limit"]).unwrap();
        assert!(limit(&twice).is_err());
        let big = params(Some(format!("limit={}", LIMIT_MAX + 1)), &["limit"]).unwrap();
        assert!(limit(&big).is_err());
        let serde_ok: Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(serde_ok["openapi"], "3.1.0");
    }

    /// A router over an empty store in `dir`, serving the web map from `dir/web`.
    fn web_router(dir: &std::path::Path) -> Router {
        let store =
            kuroshio_store::EmbeddedStore::open(&dir.join("store"), Default::default()).unwrap();
        let state = ApiState::new(
            Arc::new(Mutex::new(Box::new(store))),
            "{\"type\":\"FeatureCollection\",\"features\":[]}".into(),
            PartnerCode::parse("TW").unwrap(),
        );
        router_with_web(state, static_files::WebRoot::new(dir.join("web")))
    }

    async fn get(
        router: &Router,
        path: &str,
        etag: Option<&str>,
    ) -> (StatusCode, HeaderMap, String) {
        use tower::ServiceExt as _;
        let mut req = axum::http::Request::get(path);
        if let Some(e) = etag {
            req = req.header(header::IF_NONE_MATCH, e);
        }
        let res =
            router.clone().oneshot(req.body(axum::body::Body::empty()).unwrap()).await.unwrap();
        let (parts, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn trends_sum_the_official_records() {
        use kuroshio_reports::datasets::{DailyActivity, Source};
        use kuroshio_reports::mnd::{AircraftScope, TaipeiDate, Window};
        use kuroshio_store::ActivityRecord;
        let dir = tempfile::tempdir().unwrap();
        {
            let mut store =
                kuroshio_store::EmbeddedStore::open(&dir.path().join("store"), Default::default())
                    .unwrap();
            for (i, (y, m, d, aircraft)) in
                [(2023, 12, 31, 10), (2024, 1, 1, 20), (2024, 2, 1, 30)].into_iter().enumerate()
            {
                let date = TaipeiDate::new(y, m, d).unwrap();
                let window = Window::reporting_day(date).unwrap();
                let day = DailyActivity {
                    date,
                    window,
                    aircraft: Some(aircraft),
                    aircraft_scope: AircraftScope::AroundTaiwan,
                    crossed_median_line: None,
                    naval: Some(2),
                    official: None,
                    balloons: None,
                    map_features: None,
                    source: Source::DashboardDaily,
                    raw: String::new(),
                };
                store
                    .put_activity(&ActivityRecord {
                        source: "dashboard".into(),
                        document: format!("row-{i}"),
                        window: TimeRange::new(window.start, window.end).unwrap(),
                        hulls: vec![],
                        payload: serde_json::to_value(&day).unwrap(),
                        raw: String::new(),
                    })
                    .unwrap();
            }
        }
        let r = web_router(dir.path());
        let (status, _, body) =
            get(&r, "/api/v1/trends?by=year&from=2023-01-01&to=2025-01-01", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["by"], "year");
        let totals = v["totals"].as_array().unwrap();
        assert_eq!(totals.len(), 2, "{body}");
        assert_eq!(totals[0]["period"], "2023");
        assert_eq!(totals[0]["aircraft_around_taiwan"]["total"], 10);
        assert_eq!(totals[1]["aircraft_around_taiwan"]["total"], 50);
        assert_eq!(totals[1]["naval"]["days"], 2);
        let (status, _, body) = get(&r, "/api/v1/trends?from=2024-01-15&to=2024-03-01", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let periods: Vec<&str> =
            v["totals"].as_array().unwrap().iter().map(|t| t["period"].as_str().unwrap()).collect();
        assert_eq!(periods, ["2024-02"]);
        for bad in
            ["/api/v1/trends?by=week&from=2024-01-01&to=2025-01-01", "/api/v1/trends?by=year"]
        {
            let (status, _, body) = get(&r, bad, None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        }
    }

    #[tokio::test]
    async fn web_map_files_are_served_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let web = dir.path().join("web");
        std::fs::create_dir_all(web.join("basemap")).unwrap();
        std::fs::write(web.join("index.html"), "<!doctype html>map").unwrap();
        std::fs::write(web.join("app.js"), "console.log(1)").unwrap();
        std::fs::write(web.join("basemap/land.geojson"), "{}").unwrap();
        std::fs::write(web.join(".hidden"), "no").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), web.join("link.txt")).unwrap();
        let r = web_router(dir.path());

        let (status, headers, body) = get(&r, "/", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "<!doctype html>map");
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let etag = headers[header::ETAG].to_str().unwrap().to_owned();
        let (status, _, body) = get(&r, "/", Some(&etag)).await;
        assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
        let (status, _, _) = get(&r, "/", Some("\"other\"")).await;
        assert_eq!(status, StatusCode::OK);

        let (status, headers, _) = get(&r, "/app.js", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
        let (status, headers, _) = get(&r, "/basemap/land.geojson", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "application/geo+json");

        for path in [
            "/missing.js",
            "/basemap",
            "/../secret.txt",
            "/basemap/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/.hidden",
            "/link.txt",
            "/api/v1/nothing",
        ] {
            let (status, headers, body) = get(&r, path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
            assert!(body.contains("\"not_found\""), "{path}: {body}");
            assert!(!body.contains("outside"), "{path}: {body}");
        }
        // The API still answers beside the files.
        let (status, _, body) = get(&r, "/api/v1/zones", None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("FeatureCollection"));
    }

    #[tokio::test]
    async fn missing_web_map_says_how_to_build_it() {
        let dir = tempfile::tempdir().unwrap();
        let r = web_router(dir.path());
        let (status, _, body) = get(&r, "/", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("scripts/build-web"), "{body}");
        let (status, _, _) = get(&r, "/health", None).await;
        assert_eq!(status, StatusCode::OK);
    }
}
