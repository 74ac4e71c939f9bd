//! What partners get over TAXII is exactly what the sharing policy allows.
//!
//! A generated mix of Kuroshio-marked, signed objects (random originators, TLP levels,
//! releasability, further sharing, granular markings, and second versions under other
//! markings) is posted by a local user; then every viewer pages through the collection in
//! small pages, and what it receives is compared with `visible` called directly on the objects.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use axum::Router;
use axum::http::StatusCode;
use common::{get, get_all, p, post, test_clock};
use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use kuroshio_share::{GranularMarking, Held, NodeKey, SharedObject, Viewer, visible};
use kuroshio_taxii::store::{Access, Collection, NewObject, Permission};
use kuroshio_taxii::{ApiRoot, ObjectStore, Principal, TaxiiConfig, TaxiiState, router};
use serde_json::{Map, Value, json};

const CODES: [&str; 5] = ["TW", "JP", "US", "AU", "PH"];
const FIELDS: [&str; 3] = ["x_kuroshio_sensor", "x_kuroshio_note", "x_kuroshio_detail.band"];
const COLL: &str = "0b8e7f1e-3c36-4c8e-9a43-6d2c3f4b5a61";
const URI: &str = "/r/collections/0b8e7f1e-3c36-4c8e-9a43-6d2c3f4b5a61/";
const LOCAL: (&str, &str) = ("tw-analyst", "token-tw-analyst-5f0c2e7a91b84d36");

/// SplitMix64, so every run checks the same objects.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn partners() -> Vec<PartnerCode> {
    CODES.iter().map(|c| p(c)).collect()
}

fn key(code: PartnerCode) -> NodeKey {
    let i = CODES.iter().position(|c| *c == code.as_str()).unwrap();
    NodeKey::from_secret([i as u8 + 1; 32])
}

fn token(code: &str) -> String {
    format!("token-of-{code}-9d1f0a7c3b5e4d28")
}

fn setup(page_size_max: usize) -> (Router, TaxiiState) {
    setup_on(page_size_max, ObjectStore::open_in_memory().unwrap())
}

/// The server over `store` (the collection and grants are put in place when missing).
fn setup_on(page_size_max: usize, mut store: ObjectStore) -> (Router, TaxiiState) {
    let mut config = TaxiiConfig::new("Kuroshio TW", p("TW"), partners());
    config.page_size_max = page_size_max;
    config.api_roots.push(ApiRoot {
        name: "r".into(),
        title: "Federation".into(),
        description: None,
        max_content_length: 4 << 20,
    });
    for c in partners() {
        config.partner_keys.insert(c, key(c).public());
        config.users.insert_token(
            c.as_str(),
            Principal::Partner(c),
            c.as_str().as_bytes(),
            &token(c.as_str()),
        );
    }
    config.users.insert_token(LOCAL.0, Principal::Local(LOCAL.0.into()), b"salt", LOCAL.1);
    store
        .put_collection(&Collection {
            id: COLL.into(),
            api_root: "r".into(),
            title: "Shared".into(),
            description: None,
            media_types: vec!["application/stix+json;version=2.1".into()],
        })
        .unwrap();
    let rw = Permission { can_read: true, can_write: true };
    store.grant(COLL, "local:*", rw).unwrap();
    for c in CODES {
        store.grant(COLL, &format!("partner:{c}"), rw).unwrap();
    }
    let (clock, _) = test_clock(1_800_000_000_000_000);
    let state = TaxiiState::new(config, store, clock).unwrap();
    (router(state.clone()), state)
}

fn random_marking(rng: &mut Rng, originator: PartnerCode) -> Marking {
    let all = partners();
    let to: Vec<PartnerCode> = all.iter().copied().filter(|_| rng.below(2) == 0).collect();
    let further =
        if rng.below(2) == 0 { FurtherSharing::Permitted } else { FurtherSharing::OriginatorOnly };
    Marking::new(originator, Tlp::ALL[rng.below(Tlp::ALL.len())], to, further)
}

fn body(n: usize, version: usize, rng: &mut Rng) -> Map<String, Value> {
    json!({
        "type": "sighting",
        "spec_version": "2.1",
        "id": format!("sighting--00000000-0000-4000-8000-{n:012x}"),
        "created": "2026-12-01T00:00:00.000Z",
        "modified": format!("2026-12-0{}T00:00:00.000Z", version + 1),
        "sighting_of_ref": "indicator--00000000-0000-4000-8000-000000000001",
        "count": 1 + rng.below(9),
        "x_kuroshio_sensor": format!("radar-{}", rng.below(20)),
        "x_kuroshio_note": "seen",
        "x_kuroshio_detail": {"band": "S", "range_nm": rng.below(200)},
    })
    .as_object()
    .unwrap()
    .clone()
}

/// Objects (some with two versions), sealed by their originators, and the marking definitions
/// they need.
fn generate(seed: u64, n: usize) -> (Vec<Held>, BTreeMap<String, Value>) {
    let mut rng = Rng(seed);
    let mut held = Vec::new();
    let mut defs = BTreeMap::new();
    for i in 0..n {
        let originator =
            if rng.below(2) == 0 { p("TW") } else { partners()[rng.below(CODES.len())] };
        for version in 0..1 + rng.below(2) {
            // Selectors may repeat: a field under several markings travels marked by their
            // combination.
            let mut granular = Vec::new();
            for _ in 0..rng.below(4) {
                granular.push(GranularMarking {
                    selectors: vec![FIELDS[rng.below(FIELDS.len())].to_owned()],
                    marking: random_marking(&mut rng, originator),
                });
            }
            let shared = SharedObject {
                body: body(i, version, &mut rng),
                marking: random_marking(&mut rng, originator),
                granular,
            };
            defs.extend(shared.definitions().unwrap());
            held.push(shared.seal(&key(originator)).unwrap());
        }
    }
    (held, defs)
}

fn id_version(o: &Map<String, Value>) -> (String, String) {
    (o["id"].as_str().unwrap().to_owned(), o["modified"].as_str().unwrap().to_owned())
}

fn sorted(mut v: Vec<Map<String, Value>>) -> Vec<Map<String, Value>> {
    v.sort_by_key(id_version);
    v
}

/// What `viewer` should get: every visible version, or the newest visible version of each id.
fn expected(stored: &[Held], viewer: Viewer, all_versions: bool) -> Vec<Map<String, Value>> {
    let seen: Vec<Map<String, Value>> =
        stored.iter().filter_map(|h| visible(h, p("TW"), viewer)).collect();
    if all_versions {
        return sorted(seen);
    }
    let mut newest: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for o in seen {
        let (id, v) = id_version(&o);
        if newest.get(&id).is_none_or(|x| id_version(x).1 < v) {
            newest.insert(id, o);
        }
    }
    sorted(newest.into_values().collect())
}

#[tokio::test]
async fn every_viewer_gets_exactly_what_visible_allows() {
    let (app, state) = setup(3);
    let (held, defs, stored) = post_generated(&app).await;
    every_viewer_sees(&app, &state, &held, &defs, &stored).await;
}

/// On a file, pages are read on the pool of read connections; reopened, the views on file are
/// used as they are; judged on another basis, they are judged again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_on_file_serve_the_same_and_are_judged_again_when_stale() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taxii.sqlite");
    let (app, state) = setup_on(3, ObjectStore::open(&path).unwrap());
    let (held, defs, stored) = post_generated(&app).await;
    every_viewer_sees(&app, &state, &held, &defs, &stored).await;
    drop((app, state));
    let (app, state) = setup_on(3, ObjectStore::open(&path).unwrap());
    every_viewer_sees(&app, &state, &held, &defs, &stored).await;
    drop((app, state));
    // Views judged by something else (that shows nothing to anyone) on another basis.
    let mut s = ObjectStore::open(&path).unwrap();
    s.set_views("another policy", std::sync::Arc::new(|_, _| Vec::new())).unwrap();
    assert_eq!(s.views_basis().unwrap().as_deref(), Some("another policy"));
    let (app, state) = setup_on(3, s);
    every_viewer_sees(&app, &state, &held, &defs, &stored).await;
}

/// Posts generated objects as the local user; what was generated, the definitions, and what
/// the node stored (what is releasable to it).
async fn post_generated(app: &Router) -> (Vec<Held>, BTreeMap<String, Value>, Vec<Held>) {
    let (held, defs) = generate(7, 60);
    let mut objects: Vec<Value> = defs.values().cloned().collect();
    objects.extend(held.iter().map(|h| Value::Object(h.wire.clone())));
    let status = post(app, &format!("{URI}objects/"), LOCAL, &json!({"objects": objects})).await;
    assert_eq!(status.status, StatusCode::ACCEPTED);
    // What is not releasable to this node is refused; the rest is held.
    let stored: Vec<Held> = held.iter().filter(|h| h.marking.permits(p("TW"))).cloned().collect();
    assert!(stored.len() > 20 && stored.len() < held.len(), "{} of {}", stored.len(), held.len());
    assert_eq!(
        status.body["failure_count"].as_u64(),
        Some((held.len() - stored.len()) as u64),
        "{}",
        status.body["failures"]
    );
    assert_eq!(status.body["success_count"].as_u64(), Some((defs.len() + stored.len()) as u64));

    (held, defs, stored)
}

/// Every viewer gets exactly what `visible` allows of `stored`, by pages, manifest and id.
async fn every_viewer_sees(
    app: &Router,
    state: &TaxiiState,
    held: &[Held],
    defs: &BTreeMap<String, Value>,
    stored: &[Held],
) {
    let mut viewers: Vec<(Viewer, (String, String))> =
        vec![(Viewer::Local, (LOCAL.0.to_owned(), LOCAL.1.to_owned()))];
    for c in CODES {
        viewers.push((Viewer::Partner(p(c)), (c.to_owned(), token(c))));
    }
    let mut partner_saw_something = false;
    for (viewer, (user, tok)) in &viewers {
        let auth = (user.as_str(), tok.as_str());
        for all_versions in [true, false] {
            let q = if all_versions { "?match[version]=all" } else { "" };
            let (got, _) = get_all(app, &format!("{URI}objects/{q}"), auth, "objects").await;
            let (definitions, got): (Vec<Value>, Vec<Value>) =
                got.into_iter().partition(|o| o["type"] == "marking-definition");
            assert_eq!(definitions.len(), defs.len(), "{viewer:?} sees every marking definition");
            let got = sorted(got.into_iter().map(|o| o.as_object().unwrap().clone()).collect());
            let want = expected(stored, *viewer, all_versions);
            assert_eq!(got, want, "{viewer:?} all={all_versions}");
            if matches!(viewer, Viewer::Partner(c) if *c != p("TW")) && !want.is_empty() {
                partner_saw_something = true;
            }
            let (rows, _) = get_all(app, &format!("{URI}manifest/{q}"), auth, "objects").await;
            assert_eq!(rows.len(), want.len() + defs.len());
        }
        // By id: 404 exactly when nothing of the object is visible; versions likewise.
        for h in held.iter().step_by(3) {
            let id = h.wire["id"].as_str().unwrap();
            let any = stored
                .iter()
                .any(|s| s.wire["id"] == h.wire["id"] && visible(s, p("TW"), *viewer).is_some());
            let one = get(app, &format!("{URI}objects/{id}/"), auth).await;
            let versions = get(app, &format!("{URI}objects/{id}/versions/"), auth).await;
            let want = if any { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!((one.status, versions.status), (want, want), "{viewer:?} {id}");
        }
    }
    assert!(partner_saw_something, "the generated mix shows partners nothing");
    assert_eq!(state.guard_refusals(), 0);
}

fn signed_by(
    originator: PartnerCode,
    signer: PartnerCode,
    n: usize,
) -> (Value, BTreeMap<String, Value>) {
    let mut rng = Rng(n as u64);
    let shared = SharedObject {
        body: body(1000 + n, 0, &mut rng),
        marking: Marking::new(
            originator,
            Tlp::Green,
            [p("TW"), p("JP")],
            FurtherSharing::Permitted,
        ),
        granular: Vec::new(),
    };
    let held = shared.seal(&key(signer)).unwrap();
    (Value::Object(held.wire), shared.definitions().unwrap())
}

#[tokio::test]
async fn a_partner_post_needs_its_originators_signature() {
    let (app, _) = setup(10);
    let jp = ("JP", token("JP"));
    let jp = (jp.0, jp.1.as_str());
    let (good, defs) = signed_by(p("JP"), p("JP"), 1);
    let (wrong_key, _) = signed_by(p("JP"), p("US"), 2);
    let (mut tampered, _) = signed_by(p("JP"), p("JP"), 3);
    tampered["count"] = json!(99);
    let (mut unsigned, _) = signed_by(p("JP"), p("JP"), 4);
    unsigned.as_object_mut().unwrap().remove(kuroshio_share::sign::SIGNATURE_PROPERTY);
    let plain = json!({"type": "note", "spec_version": "2.1", "id": "note--00000000-0000-4000-8000-000000000001",
        "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z", "content": "x", "object_refs": []});
    let mut objects: Vec<Value> = defs.values().cloned().collect();
    objects.extend([good.clone(), wrong_key.clone(), tampered.clone(), unsigned.clone(), plain]);
    let s = post(&app, &format!("{URI}objects/"), jp, &json!({"objects": objects})).await;
    assert_eq!(s.status, StatusCode::ACCEPTED);
    assert_eq!(s.body["success_count"].as_u64(), Some(defs.len() as u64 + 1), "{}", s.body);
    assert_eq!(s.body["failure_count"], 4);
    let failures = s.body["failures"].as_array().unwrap();
    assert!(failures.iter().any(
        |f| f["id"] == wrong_key["id"] && f["message"].as_str().unwrap().contains("signature")
    ));
    for refused in [&wrong_key, &tampered, &unsigned] {
        let id = refused["id"].as_str().unwrap();
        assert_eq!(
            get(&app, &format!("{URI}objects/{id}/"), LOCAL).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let id = good["id"].as_str().unwrap();
    let back = get(&app, &format!("{URI}objects/{id}/"), jp).await;
    assert_eq!(back.body["objects"][0], good);
    // Status resources are their poster's only.
    let sid = s.body["id"].as_str().unwrap();
    assert_eq!(get(&app, &format!("/r/status/{sid}/"), jp).await.status, StatusCode::OK);
    assert_eq!(get(&app, &format!("/r/status/{sid}/"), LOCAL).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_guard_stops_what_the_stored_markings_would_let_through() {
    let (app, state) = setup(10);
    // Stored markings that disagree with the wire form (a bug elsewhere, or a tampered file):
    // the policy, reading the stored markings, would show it to JP; the guard reads the wire.
    let shared = SharedObject {
        body: body(7, 0, &mut Rng(1)),
        marking: Marking::new(p("TW"), Tlp::Amber, [p("US")], FurtherSharing::Permitted),
        granular: Vec::new(),
    };
    let held = shared.seal(&key(p("TW"))).unwrap();
    let loose = Marking::new(p("TW"), Tlp::Green, [p("JP"), p("US")], FurtherSharing::Permitted);
    let defs: Vec<Value> = shared.definitions().unwrap().into_values().collect();
    let id = held.wire["id"].as_str().unwrap().to_owned();
    let local = post(&app, &format!("{URI}objects/"), LOCAL, &json!({"objects": defs})).await;
    assert_eq!(local.body["failure_count"], 0);
    state
        .with_store(|s| {
            s.add(
                COLL,
                &[NewObject {
                    wire: held.wire.clone(),
                    id: id.clone(),
                    kind: "sighting".into(),
                    spec_version: "2.1".into(),
                    version: Some(("2026-12-01T00:00:00.000Z".into(), 0)),
                    access: Access::Marked { marking: loose, granular: BTreeMap::new() },
                }],
                1_900_000_000_000_000,
            )
        })
        .unwrap()
        .unwrap();
    let jp = token("JP");
    let a = get(&app, &format!("{URI}objects/"), ("JP", &jp)).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(a.body.get("objects").is_none());
    assert!(!a.body.to_string().contains(&id));
    assert_eq!(state.guard_refusals(), 1);
    // The node's own users are not behind the guard.
    assert_eq!(get(&app, &format!("{URI}objects/{id}/"), LOCAL).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_outer_layer_may_set_the_principal_instead_of_basic() {
    use axum::extract::Request;
    use axum::middleware::{self, Next};
    // What a mutual-TLS layer would do after mapping the client certificate to a partner.
    async fn as_jp(mut request: Request, next: Next) -> axum::response::Response {
        request.extensions_mut().insert(Principal::Partner(p("JP")));
        next.run(request).await
    }
    let (app, _) = setup(10);
    let app = app.layer(middleware::from_fn(as_jp));
    let a = common::call(&app, "GET", &format!("{URI}objects/"), None, &[], None).await;
    assert_eq!(a.status, StatusCode::OK);
    let c = common::call(&app, "GET", "/r/collections/", None, &[], None).await;
    assert_eq!(c.body["collections"][0]["id"], COLL);
}
