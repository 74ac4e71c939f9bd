//! Test support: in-process requests, users, a settable clock.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use kuroshio_share::{NodeKey, SharedObject};
use kuroshio_taxii::{Clock, TAXII_MEDIA_TYPE};
use serde_json::{Value, json};
use tower::ServiceExt;

pub fn p(s: &str) -> PartnerCode {
    PartnerCode::parse(s).unwrap()
}

/// A clock the test sets, microseconds.
pub fn test_clock(start_us: i64) -> (Clock, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(start_us));
    let n = Arc::clone(&now);
    (Arc::new(move || n.load(Ordering::SeqCst)), now)
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

pub fn basic(user: &str, token: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{token}").as_bytes()))
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A request to `app`: `auth` is `(user, token)`, `headers` extra headers; Accept defaults to
/// the TAXII media type.
pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    auth: Option<(&str, &str)>,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Answer {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some((u, t)) = auth {
        b = b.header("authorization", basic(u, t));
    }
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("accept")) {
        b = b.header("accept", TAXII_MEDIA_TYPE);
    }
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b.body(body.map_or_else(Body::empty, Body::from)).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    if status.is_client_error() || status.is_server_error() {
        assert_eq!(body["http_status"], status.as_u16().to_string(), "{body}");
        assert!(body["title"].is_string());
    }
    Answer { status, headers, body }
}

pub async fn get(app: &Router, uri: &str, auth: (&str, &str)) -> Answer {
    call(app, "GET", uri, Some(auth), &[], None).await
}

pub async fn post(app: &Router, uri: &str, auth: (&str, &str), envelope: &Value) -> Answer {
    call(
        app,
        "POST",
        uri,
        Some(auth),
        &[("content-type", TAXII_MEDIA_TYPE)],
        Some(envelope.to_string().into_bytes()),
    )
    .await
}

/// Every page of a listing (`objects`, `versions`), following `next`; the pages' answers too.
pub async fn get_all(
    app: &Router,
    uri: &str,
    auth: (&str, &str),
    key: &str,
) -> (Vec<Value>, Vec<Answer>) {
    let mut items = Vec::new();
    let mut pages = Vec::new();
    let sep = if uri.contains('?') { '&' } else { '?' };
    let mut next: Option<String> = None;
    loop {
        let u = match &next {
            None => uri.to_owned(),
            Some(n) => format!("{uri}{sep}next={n}"),
        };
        let a = get(app, &u, auth).await;
        assert_eq!(a.status, StatusCode::OK, "{u}: {}", a.body);
        let list = a.body[key].as_array().cloned().unwrap_or_default();
        let more = a.body["more"].as_bool().unwrap_or(false);
        if more {
            assert!(!list.is_empty(), "a page with more=true is empty: {u}");
        }
        items.extend(list);
        next = a.body["next"].as_str().map(str::to_owned);
        pages.push(a);
        if !more {
            assert!(next.is_none());
            break;
        }
        assert!(pages.len() < 10_000, "paging does not end");
    }
    (items, pages)
}

/// The signing key of the benchmarks' originating node (TW).
pub fn bench_key() -> NodeKey {
    NodeKey::from_secret([1; 32])
}

/// The signed `sighting`s `from..to`, originated by TW ([`bench_key`]), even ones releasable
/// to JP and odd ones to US, and the marking definitions they use.
pub fn sealed_sightings(from: usize, to: usize) -> (Vec<Value>, Vec<Value>) {
    let tw = bench_key();
    let mut defs = std::collections::BTreeMap::new();
    let mut out = Vec::with_capacity(to.saturating_sub(from));
    for i in from..to {
        let peer = if i % 2 == 0 { p("JP") } else { p("US") };
        let body = json!({"type": "sighting", "spec_version": "2.1",
            "id": format!("sighting--00000000-0000-4000-8000-{i:012x}"),
            "created": "2026-12-01T00:00:00.000Z", "modified": "2026-12-01T00:00:00.000Z",
            "sighting_of_ref": "indicator--00000000-0000-4000-8000-000000000001", "count": 1});
        let s = SharedObject {
            body: body.as_object().unwrap().clone(),
            marking: Marking::new(p("TW"), Tlp::Green, [peer], FurtherSharing::Permitted),
            granular: vec![],
        };
        defs.extend(s.definitions().unwrap());
        out.push(Value::Object(s.seal(&tw).unwrap().wire));
    }
    (defs.into_values().collect(), out)
}
