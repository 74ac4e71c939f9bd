//! POST and paged GET through the whole router, in process, on a SQLite file.
//!
//! `--objects N` (default 5,000) signed `sighting`s, originated by this node (TW), half
//! releasable to JP and half to US, are POSTed by a local user in one envelope (each object's
//! markings resolved and its Ed25519 signature checked, one durable commit). Then partner JP
//! pages through the collection (it sees half: the other half must be scanned past without
//! showing), and a local user pages through every version; pages of 1,000 (the server's
//! largest). Wall clock, one pass each; objects per second.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use kuroshio_taxii::store::{Collection, Permission};
use kuroshio_taxii::{
    ApiRoot, ObjectStore, Principal, TAXII_MEDIA_TYPE, TaxiiConfig, TaxiiState, router,
};
use serde_json::{Value, json};
use tower::ServiceExt;

#[path = "../tests/common/mod.rs"]
mod common;
use common::{bench_key, p, sealed_sightings};

const COLL: &str = "0b8e7f1e-3c36-4c8e-9a43-6d2c3f4b5a61";

/// `Basic base64(user:t)` for the one-letter users below.
fn basic(user: &str) -> &'static str {
    match user {
        "a" => "Basic YTp0",
        _ => "Basic anA6dA==",
    }
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    user: &str,
    body: Option<String>,
) -> Value {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", basic(user))
        .header("accept", TAXII_MEDIA_TYPE)
        .header("content-type", TAXII_MEDIA_TYPE)
        .body(body.map_or_else(Body::empty, Body::from))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn page_through(app: &axum::Router, uri: &str, user: &str) -> (usize, usize) {
    let (mut n, mut pages, mut next) = (0, 0, None::<String>);
    loop {
        let sep = if uri.contains('?') { '&' } else { '?' };
        let u = next.as_ref().map_or(uri.to_owned(), |x| format!("{uri}{sep}next={x}"));
        let v = call(app, "GET", &u, user, None).await;
        n += v["objects"].as_array().map_or(0, Vec::len);
        pages += 1;
        next = v["next"].as_str().map(str::to_owned);
        if next.is_none() {
            return (n, pages);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .iter()
        .position(|a| a == "--objects")
        .and_then(|i| args.get(i + 1))
        .map_or(5_000, |v| v.parse().unwrap());
    let tw = bench_key();
    let mut config = TaxiiConfig::new("bench", p("TW"), vec![p("TW"), p("JP"), p("US")]);
    config.partner_keys.insert(p("TW"), tw.public());
    config.api_roots.push(ApiRoot {
        name: "r".into(),
        title: "r".into(),
        description: None,
        max_content_length: 256 << 20,
    });
    config.users.insert_token("a", Principal::Local("a".into()), b"s", "t");
    config.users.insert_token("jp", Principal::Partner(p("JP")), b"s", "t");
    let dir = std::env::temp_dir().join(format!("kuroshio-taxii-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = ObjectStore::open(&dir.join("taxii.sqlite")).unwrap();
    store
        .put_collection(&Collection {
            id: COLL.into(),
            api_root: "r".into(),
            title: "c".into(),
            description: None,
            media_types: vec![],
        })
        .unwrap();
    store.grant(COLL, "local:*", Permission { can_read: true, can_write: true }).unwrap();
    store.grant(COLL, "partner:JP", Permission { can_read: true, can_write: false }).unwrap();
    let app = router(TaxiiState::new(config, store, kuroshio_taxii::system_clock()).unwrap());

    let (mut all, objects) = sealed_sightings(0, n);
    all.extend(objects);
    let envelope = json!({ "objects": all }).to_string();
    let envelope_mb = envelope.len() as f64 / 1e6;
    let uri = format!("/r/collections/{COLL}/objects/");

    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let t = Instant::now();
        let s = call(&app, "POST", &uri, "a", Some(envelope)).await;
        let d = t.elapsed().as_secs_f64();
        let ok = s["success_count"].as_u64().unwrap_or(0);
        println!(
            "POST {ok} objects ({envelope_mb:.1} MB): {d:.3} s, {:.0} objects/s",
            ok as f64 / d
        );
        for (who, q) in [("jp", ""), ("a", "?match[version]=all")] {
            let t = Instant::now();
            let (got, pages) = page_through(&app, &format!("{uri}{q}"), who).await;
            let d = t.elapsed().as_secs_f64();
            println!(
                "GET as {who}: {got} objects in {pages} pages: {d:.3} s, {:.0} objects/s",
                got as f64 / d
            );
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
}
