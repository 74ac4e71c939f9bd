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
//! | `/api/v1/events?kind=K&zone=Z&target=T&from=T&to=T&limit=N&as=P` | events by time |
//! | `/api/v1/zones` | the zone catalogue, a GeoJSON FeatureCollection |
//! | `/metrics` | Prometheus text: what the store holds, responses by status class |
//!
//! Events carry their markings; `as=P` shows exactly what partner `P` would be sent —
//! [`kuroshio_share::allowed`], the same decision the sharing path takes. Errors are typed
//! JSON, `{"error": {"code": "...", "message": "..."}}`, with the matching status: 400
//! (`bad_request`: a parameter that does not parse, an unknown parameter, a limit over
//! [`LIMIT_MAX`]), 404 (`not_found`), 405 (`method_not_allowed`), 500 (`internal`). Store calls
//! run on the blocking pool, one at a time (the store is behind a mutex).

pub mod wire;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
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
async fn with_store<T: Send + 'static>(
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
    let viewer = match one(&p, "as")? {
        None => Viewer::Local,
        Some(v) => Viewer::Partner(
            PartnerCode::parse(v).map_err(|e| ApiError::bad_request(e.to_string()))?,
        ),
    };
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

async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: "only GET is served".into(),
    }
}

/// The API's router over `state`.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/api/v1/tracks", get(tracks))
        .route("/api/v1/tracks/{target}", get(track))
        .route("/api/v1/tracks/{target}/history", get(history))
        .route("/api/v1/events", get(events))
        .route("/api/v1/zones", get(zones))
        .route("/metrics", get(metrics))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
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
}
