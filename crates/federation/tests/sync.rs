//! Pulls between nodes over mutual TLS: a partner receives exactly what the sharing policy
//! lets the serving node send it, signatures verified, nothing stored twice, resuming from its
//! cursor; a tampered object is refused and reported.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use common::{identity, p, start_mtls, start_plain};
use kuroshio_federation::client::{ClientError, PageRequest, TaxiiClient};
use kuroshio_federation::serve::ServeOptions;
use kuroshio_federation::sync::{
    CursorStore, NodeRules, PullLimits, StoreSink, SyncSource, pull, push,
};
use kuroshio_federation::tls::client_tls;
use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use kuroshio_share::{GranularMarking, Held, NodeKey, SharedObject, Viewer, visible};
use kuroshio_taxii::admit::{Admission, admit, readable_definition};
use kuroshio_taxii::store::{Collection, Permission};
use kuroshio_taxii::{ApiRoot, Clock, ObjectStore, Principal, TaxiiConfig, TaxiiState, router};
use serde_json::{Map, Value, json};

const CODES: [&str; 3] = ["JP", "US", "TW"];
const SHARED: &str = "9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
const PULLED: &str = "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b";
const LOCAL: (&str, &str) = ("analyst", "token-analyst-7c3e9b1d5f2a4e68");
const FIELDS: [&str; 2] = ["x_kuroshio_sensor", "x_kuroshio_note"];

fn partners() -> Vec<PartnerCode> {
    CODES.iter().map(|c| p(c)).collect()
}

fn key(code: PartnerCode) -> NodeKey {
    let i = CODES.iter().position(|c| *c == code.as_str()).unwrap();
    NodeKey::from_secret([i as u8 + 11; 32])
}

fn keys() -> BTreeMap<PartnerCode, [u8; 32]> {
    partners().into_iter().map(|c| (c, key(c).public())).collect()
}

fn clock() -> Clock {
    let now = Arc::new(AtomicI64::new(1_800_000_000_000_000));
    Arc::new(move || now.fetch_add(1, Ordering::SeqCst))
}

/// A node of `holder` with one collection, readable and writable by its partners.
fn node(holder: &str, collection: &str) -> TaxiiState {
    let mut config = TaxiiConfig::new(&format!("Kuroshio {holder}"), p(holder), partners());
    config.api_roots.push(ApiRoot {
        name: "r".into(),
        title: "Federation".into(),
        description: None,
        max_content_length: 4 << 20,
    });
    config.partner_keys = keys();
    config.users.insert_token(LOCAL.0, Principal::Local(LOCAL.0.into()), b"salt", LOCAL.1);
    let mut store = ObjectStore::open_in_memory().unwrap();
    store
        .put_collection(&Collection {
            id: collection.into(),
            api_root: "r".into(),
            title: "Shared".into(),
            description: None,
            media_types: vec!["application/stix+json;version=2.1".into()],
        })
        .unwrap();
    let rw = Permission { can_read: true, can_write: true };
    store.grant(collection, "local:*", rw).unwrap();
    for c in CODES {
        store.grant(collection, &format!("partner:{c}"), rw).unwrap();
    }
    TaxiiState::new(config, store, clock()).unwrap()
}

/// SplitMix64, so every run checks the same objects.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

fn marking(rng: &mut Rng, originator: PartnerCode) -> Marking {
    let to: Vec<PartnerCode> = partners().into_iter().filter(|_| rng.below(2) == 0).collect();
    let further =
        if rng.below(2) == 0 { FurtherSharing::Permitted } else { FurtherSharing::OriginatorOnly };
    Marking::new(originator, Tlp::ALL[rng.below(Tlp::ALL.len())], to, further)
}

fn shared(n: usize, version: usize, rng: &mut Rng, originator: PartnerCode) -> SharedObject {
    let body = json!({
        "type": "sighting",
        "spec_version": "2.1",
        "id": format!("sighting--00000000-0000-4000-8000-{n:012x}"),
        "created": "2026-12-01T00:00:00.000Z",
        "modified": format!("2026-12-0{}T00:00:00.000Z", version + 1),
        "sighting_of_ref": "indicator--00000000-0000-4000-8000-000000000001",
        "count": 1 + rng.below(9),
        "x_kuroshio_sensor": format!("radar-{}", rng.below(20)),
        "x_kuroshio_note": "seen",
    });
    let granular = if rng.below(3) == 0 {
        vec![GranularMarking {
            selectors: vec![FIELDS[rng.below(FIELDS.len())].to_owned()],
            marking: marking(rng, originator),
        }]
    } else {
        Vec::new()
    };
    SharedObject {
        body: body.as_object().unwrap().clone(),
        marking: marking(rng, originator),
        granular,
    }
}

/// Objects of mixed originators and markings (some in two versions), sealed, and their
/// marking definitions.
fn generate(seed: u64, n: usize) -> (Vec<Held>, BTreeMap<String, Value>) {
    let mut rng = Rng(seed);
    let (mut held, mut defs) = (Vec::new(), BTreeMap::new());
    for i in 0..n {
        let originator = partners()[rng.below(CODES.len())];
        for version in 0..1 + rng.below(2) {
            let s = shared(i, version, &mut rng, originator);
            defs.extend(s.definitions().unwrap());
            held.push(s.seal(&key(originator)).unwrap());
        }
    }
    (held, defs)
}

/// Adds `objects` to `collection` of JP's `state` as the node's own user would post them; the
/// number of versions admitted.
fn load(state: &TaxiiState, collection: &str, objects: &[Value]) -> usize {
    state
        .with_store(|store| {
            let mut definitions = HashMap::new();
            for d in objects.iter().filter_map(Value::as_object) {
                if let Some((id, def)) = readable_definition(d) {
                    definitions.insert(id, def);
                }
            }
            let keys = keys();
            let partners = partners();
            let ctx = Admission { holder: p("JP"), partners: &partners, keys: &keys, definitions };
            let admitted: Vec<_> = objects
                .iter()
                .filter_map(|o| admit(o, &Principal::Local("loader".into()), &ctx).ok())
                .collect();
            store.add(collection, &admitted, 1_700_000_000_000_000).unwrap().len()
        })
        .unwrap()
}

type Objects = Vec<Map<String, Value>>;

/// Every version stored in `collection`: (marking definitions, other objects).
fn stored(state: &TaxiiState, collection: &str) -> (Objects, Objects) {
    let mut all = Vec::new();
    state
        .with_store(|s| {
            s.scan(collection, i64::MIN, &[], &[], &mut |o| {
                all.push(o.wire);
                Ok(true)
            })
        })
        .unwrap()
        .unwrap();
    all.into_iter().partition(|o| o["type"] == "marking-definition")
}

fn id_version(o: &Map<String, Value>) -> (String, String) {
    (o["id"].as_str().unwrap().to_owned(), o["modified"].as_str().unwrap().to_owned())
}

fn sorted(mut v: Vec<Map<String, Value>>) -> Vec<Map<String, Value>> {
    v.sort_by_key(id_version);
    v
}

fn us_sink(us: &TaxiiState, cursors: CursorStore) -> StoreSink {
    let rules = NodeRules { holder: p("US"), partners: partners(), keys: keys() };
    StoreSink::new(us.clone(), PULLED, rules, cursors, clock())
}

#[test]
fn a_partner_pulls_exactly_what_the_policy_releases_to_it_once_and_resumably() {
    let (held, defs) = generate(11, 40);
    let jp_state = node("JP", SHARED);
    let mut objects: Vec<Value> = defs.values().cloned().collect();
    objects.extend(held.iter().map(|h| Value::Object(h.wire.clone())));
    load(&jp_state, SHARED, &objects);
    // What JP holds: what is releasable to it.
    let at_jp: Vec<Held> = held.iter().filter(|h| h.marking.permits(p("JP"))).cloned().collect();
    let want: Vec<Map<String, Value>> = sorted(
        at_jp.iter().filter_map(|h| visible(h, p("JP"), Viewer::Partner(p("US")))).collect(),
    );
    assert!(want.len() >= 5 && want.len() < held.len(), "{} of {}", want.len(), held.len());
    assert!(
        want.iter()
            .any(|o| o["created_by_ref"] != json!(kuroshio_share::markings::identity_id(p("JP")))),
        "no relayed object in the mix"
    );

    let (jp, us) = (identity("JP"), identity("US"));
    let server = start_mtls(
        &jp,
        vec![(p("US"), us.ca_pem.clone())],
        router(jp_state.clone()),
        Principal::Partner,
        ServeOptions::default(),
    );
    let client = TaxiiClient::mtls(&server.https(), client_tls(&us, &jp.ca_pem).unwrap());
    let source = SyncSource { partner: p("JP"), api_root: "r".into(), collection: SHARED.into() };
    let us_state = node("US", PULLED);
    let dir = tempfile::tempdir().unwrap();
    let cursor_file = dir.path().join("cursors.sqlite");

    // Stopped after two pages of one object.
    {
        let mut sink = us_sink(&us_state, CursorStore::open(&cursor_file).unwrap());
        let limits = PullLimits { page_limit: 1, pages_max: 2 };
        let r = pull(&client, &mut sink, &keys(), &source, limits).unwrap();
        assert_eq!((r.pages, r.received, r.rejected, r.complete), (2, 2, 0, false), "{r:?}");
        assert!(r.cursor.is_some());
    }
    let after_two = stored(&us_state, PULLED);
    assert_eq!(after_two.0.len() + after_two.1.len(), 2);
    // Restarted: continues from the persisted cursor to the end.
    let mut sink = us_sink(&us_state, CursorStore::open(&cursor_file).unwrap());
    let limits = PullLimits { page_limit: 3, pages_max: 1_000 };
    let r = pull(&client, &mut sink, &keys(), &source, limits).unwrap();
    assert!(r.complete && r.rejected == 0, "{r:?}");
    let (definitions, got) = stored(&us_state, PULLED);
    assert_eq!(sorted(got.clone()), want, "US holds exactly what JP may send it");
    // Every object verified by its originator's key; the definitions it needs are there.
    for o in &got {
        let creator = o["created_by_ref"].as_str().unwrap();
        let origin = partners()
            .into_iter()
            .find(|c| kuroshio_share::markings::identity_id(*c) == creator)
            .unwrap();
        kuroshio_share::sign::verify(o, &key(origin).public()).unwrap();
    }
    assert!(!definitions.is_empty());
    // Pulled again: nothing new, nothing stored twice.
    let again = pull(&client, &mut sink, &keys(), &source, PullLimits::default()).unwrap();
    assert_eq!((again.received, again.stored, again.complete), (0, 0, true), "{again:?}");
    let versions: BTreeSet<(String, String)> = got.iter().map(id_version).collect();
    assert_eq!(versions.len(), got.len());
    // From the start again (a lost cursor): every object comes back, none is stored again.
    let mut fresh = us_sink(&us_state, CursorStore::open_in_memory().unwrap());
    let replay = pull(&client, &mut fresh, &keys(), &source, PullLimits::default()).unwrap();
    assert_eq!(replay.received, definitions.len() + got.len());
    assert_eq!(replay.stored, 0);
    assert_eq!(stored(&us_state, PULLED).1.len(), got.len());
    assert!(sink.cursors().rejections(10).unwrap().is_empty());
    assert_eq!(jp_state.guard_refusals(), 0);
}

#[test]
fn a_node_pushes_its_objects_to_a_partner() {
    let (jp, us) = (identity("JP"), identity("US"));
    let jp_state = node("JP", SHARED);
    let server = start_mtls(
        &jp,
        vec![(p("US"), us.ca_pem.clone())],
        router(jp_state.clone()),
        Principal::Partner,
        ServeOptions::default(),
    );
    let client = TaxiiClient::mtls(&server.https(), client_tls(&us, &jp.ca_pem).unwrap());
    let s = SharedObject {
        marking: Marking::new(p("US"), Tlp::Green, [p("JP")], FurtherSharing::Permitted),
        ..shared(500, 0, &mut Rng(3), p("US"))
    };
    let mut objects: Vec<Value> = s.definitions().unwrap().into_values().collect();
    let sealed = s.seal(&key(p("US"))).unwrap();
    objects.push(Value::Object(sealed.wire.clone()));
    let status = push(&client, "r", SHARED, &objects).unwrap();
    assert_eq!(status["failure_count"], 0, "{status}");
    assert_eq!(status["success_count"].as_u64(), Some(objects.len() as u64));
    let again = client.status("r", status["id"].as_str().unwrap()).unwrap();
    assert_eq!(again["id"], status["id"]);
    assert!(stored(&jp_state, SHARED).1.contains(&sealed.wire));
}

#[test]
fn the_client_speaks_taxii_over_http_basic() {
    let state = node("JP", SHARED);
    let server = start_plain(router(state));
    let client = TaxiiClient::basic(&server.http(), LOCAL.0, LOCAL.1);
    let discovery = client.discovery().unwrap();
    assert_eq!(discovery["title"], "Kuroshio JP");
    assert_eq!(client.api_root("r").unwrap()["title"], "Federation");
    let collections = client.collections("r").unwrap();
    assert_eq!(collections.len(), 1);
    assert_eq!(collections[0]["id"], SHARED);
    let (held, defs) = generate(5, 6);
    let mut objects: Vec<Value> = defs.values().cloned().collect();
    objects.extend(held.iter().map(|h| Value::Object(h.wire.clone())));
    let status = client.add("r", SHARED, &objects).unwrap();
    let ok = status["success_count"].as_u64().unwrap() as usize;
    assert!(ok > defs.len(), "{status}");
    // Paged in twos with every version: the pages cover what was added, in order.
    let mut request = PageRequest {
        limit: Some(2),
        matches: vec![("version".into(), "all".into())],
        ..PageRequest::default()
    };
    let mut seen = 0;
    loop {
        let page = client.objects("r", SHARED, &request).unwrap();
        assert!(page.objects.len() <= 2);
        assert!(page.date_added_first <= page.date_added_last);
        seen += page.objects.len();
        if !page.more {
            break;
        }
        request.added_after = page.date_added_last;
    }
    assert_eq!(seen, ok);
    let wrong = TaxiiClient::basic(&server.http(), LOCAL.0, "not-the-token");
    match wrong.collections("r") {
        Err(ClientError::Status { status: 401, title, .. }) => assert!(!title.is_empty()),
        other => panic!("{other:?}"),
    }
    match client.collections("nope") {
        Err(ClientError::Status { status: 404, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn tampered_unsigned_and_unknown_objects_are_refused_and_reported() {
    let s = SharedObject {
        marking: Marking::new(p("JP"), Tlp::Green, [p("US")], FurtherSharing::Permitted),
        granular: Vec::new(),
        ..shared(900, 0, &mut Rng(9), p("JP"))
    };
    let good = s.seal(&key(p("JP"))).unwrap().wire;
    let mut tampered = s.seal(&key(p("JP"))).unwrap().wire;
    tampered.insert("id".into(), json!("sighting--00000000-0000-4000-8000-0000000000aa"));
    let mut forged = s.seal(&key(p("TW"))).unwrap().wire;
    forged.insert("id".into(), json!("sighting--00000000-0000-4000-8000-0000000000bb"));
    let mut unsigned = good.clone();
    unsigned.remove(kuroshio_share::sign::SIGNATURE_PROPERTY);
    unsigned.insert("id".into(), json!("sighting--00000000-0000-4000-8000-0000000000cc"));
    let mut objects: Vec<Value> = s.definitions().unwrap().into_values().collect();
    let n_defs = objects.len();
    objects.extend([good.clone(), tampered, forged, unsigned].map(Value::Object));
    let envelope = json!({"more": false, "objects": objects}).to_string();
    let fake = Router::new().route(
        "/r/collections/{id}/objects/",
        get(move || {
            let body = envelope.clone();
            async move {
                (
                    [
                        (CONTENT_TYPE.as_str(), kuroshio_taxii::TAXII_MEDIA_TYPE),
                        ("x-taxii-date-added-first", "2026-12-01T00:00:00.000001Z"),
                        ("x-taxii-date-added-last", "2026-12-01T00:00:00.000009Z"),
                    ],
                    body,
                )
            }
        }),
    );
    let server = start_plain(fake);
    let client = TaxiiClient::basic(&server.http(), "x", "y");
    let us_state = node("US", PULLED);
    let mut sink = us_sink(&us_state, CursorStore::open_in_memory().unwrap());
    let source = SyncSource { partner: p("JP"), api_root: "r".into(), collection: SHARED.into() };
    let r = pull(&client, &mut sink, &keys(), &source, PullLimits::default()).unwrap();
    assert_eq!(
        (r.received, r.accepted, r.rejected, r.stored),
        (n_defs + 4, n_defs + 1, 3, n_defs + 1),
        "{r:?}"
    );
    assert_eq!(r.cursor.as_deref(), Some("2026-12-01T00:00:00.000009Z"));
    let rejections = sink.cursors().rejections(10).unwrap();
    let why =
        |id: &str| rejections.iter().find(|x| x.id.ends_with(id)).map(|x| x.why.clone()).unwrap();
    assert!(why("0000000000aa").contains("signature"), "{rejections:?}");
    assert!(why("0000000000bb").contains("signature"), "{rejections:?}");
    assert_eq!(why("0000000000cc"), "unsigned");
    assert_eq!(stored(&us_state, PULLED).1, vec![good]);
    // A server whose cursor does not advance is not followed around in circles.
    let err = pull(&client, &mut sink, &keys(), &source, PullLimits::default()).unwrap_err();
    assert!(err.to_string().contains("does not move past"), "{err}");
}
