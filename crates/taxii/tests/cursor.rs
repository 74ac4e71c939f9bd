//! `added_after` cursors never skip nor repeat: over random interleavings of POSTs (new objects,
//! new versions, re-posted versions, a clock that stalls or steps back) and paged reads, a
//! reader that resumes from the `X-TAXII-Date-Added-Last` header of each page, and one that
//! follows `next`, each receive every stored version exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use common::{get, p, post, test_clock};
use kuroshio_taxii::store::{Collection, Permission};
use kuroshio_taxii::{ApiRoot, ObjectStore, Principal, TaxiiConfig, TaxiiState, router};
use proptest::prelude::*;
use serde_json::{Value, json};

const USER: (&str, &str) = ("writer", "token-writer-0a1b2c3d4e5f60718293");
const URI: &str = "/r/collections/5f1d2c3b-4a59-4e8f-8c7d-6b5a49382716/objects/";

#[derive(Debug, Clone)]
enum Op {
    /// Post objects `(id number, version number)`, with the clock moved by `step_us` first.
    Post { objects: Vec<(u8, u8)>, step_us: i64 },
    /// Read pages of `limit` from each reader's cursor until `more` is false.
    Read { limit: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (prop::collection::vec((0u8..12, 0u8..3), 1..6), -3i64..4)
            .prop_map(|(objects, step_us)| Op::Post { objects, step_us }),
        (1usize..5).prop_map(|limit| Op::Read { limit }),
    ]
}

fn object(n: u8, v: u8) -> Value {
    json!({"type": "note", "spec_version": "2.1", "id": format!("note--00000000-0000-4000-8000-{n:012}"),
        "created": "2026-01-01T00:00:00.000Z", "modified": format!("2026-01-01T00:00:0{v}.000Z"),
        "content": "c", "object_refs": ["note--00000000-0000-4000-8000-000000000000"]})
}

struct Reader {
    by_header: Option<String>,
    by_next: Option<String>,
    seen_header: BTreeMap<(String, String), usize>,
    seen_next: BTreeMap<(String, String), usize>,
}

fn key(o: &Value) -> (String, String) {
    (o["id"].as_str().unwrap().to_owned(), o["modified"].as_str().unwrap().to_owned())
}

async fn drain(app: &axum::Router, r: &mut Reader, limit: usize) {
    // Resuming from the last page's header.
    loop {
        let after = r.by_header.as_ref().map_or(String::new(), |a| format!("&added_after={a}"));
        let a = get(app, &format!("{URI}?match[version]=all&limit={limit}{after}"), USER).await;
        assert_eq!(a.status, StatusCode::OK);
        for o in a.body["objects"].as_array().cloned().unwrap_or_default() {
            *r.seen_header.entry(key(&o)).or_default() += 1;
        }
        if let Some(last) = a.header("x-taxii-date-added-last") {
            r.by_header = Some(last.to_owned());
        }
        if a.body["more"] != true {
            break;
        }
    }
    // Following `next`, the cursor kept between reads as the `next` of the last page seen.
    loop {
        let next = r.by_next.as_ref().map_or(String::new(), |n| format!("&next={n}"));
        let a = get(app, &format!("{URI}?match[version]=all&limit={limit}{next}"), USER).await;
        let objects = a.body["objects"].as_array().cloned().unwrap_or_default();
        for o in &objects {
            *r.seen_next.entry(key(o)).or_default() += 1;
        }
        // A page that ends the listing carries no `next`; its last record is the cursor.
        if let Some(d) = a.header("x-taxii-date-added-last") {
            let us = kuroshio_taxii::time::parse_us(d).unwrap();
            r.by_next = Some(a.body["next"].as_str().map_or(us.to_string(), str::to_owned));
        }
        if a.body["more"] != true {
            break;
        }
    }
}

fn run(ops: &[Op]) {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut config = TaxiiConfig::new("t", p("TW"), vec![p("TW")]);
        config.page_size_max = 4;
        config.api_roots.push(ApiRoot {
            name: "r".into(),
            title: "r".into(),
            description: None,
            max_content_length: 1 << 20,
        });
        config.users.insert_token(USER.0, Principal::Local(USER.0.into()), b"s", USER.1);
        let mut store = ObjectStore::open_in_memory().unwrap();
        let coll = "5f1d2c3b-4a59-4e8f-8c7d-6b5a49382716";
        store
            .put_collection(&Collection {
                id: coll.into(),
                api_root: "r".into(),
                title: "c".into(),
                description: None,
                media_types: vec![],
            })
            .unwrap();
        store.grant(coll, "local:writer", Permission { can_read: true, can_write: true }).unwrap();
        let (clock, now) = test_clock(1_700_000_000_000_000);
        let app = router(TaxiiState::new(config, store, clock).unwrap());
        let mut posted = std::collections::BTreeSet::new();
        let mut r = Reader {
            by_header: None,
            by_next: None,
            seen_header: BTreeMap::new(),
            seen_next: BTreeMap::new(),
        };
        for o in ops {
            match o {
                Op::Post { objects, step_us } => {
                    now.fetch_add(*step_us, Ordering::SeqCst);
                    let list: Vec<Value> = objects.iter().map(|(n, v)| object(*n, *v)).collect();
                    for x in &list {
                        posted.insert(key(x));
                    }
                    let s = post(&app, URI, USER, &json!({"objects": list})).await;
                    assert_eq!(s.body["success_count"].as_u64(), Some(objects.len() as u64));
                }
                Op::Read { limit } => drain(&app, &mut r, *limit).await,
            }
        }
        drain(&app, &mut r, 3).await;
        for seen in [&r.seen_header, &r.seen_next] {
            assert_eq!(seen.keys().cloned().collect::<std::collections::BTreeSet<_>>(), posted);
            assert!(seen.values().all(|&n| n == 1), "a version was delivered twice: {seen:?}");
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn cursors_deliver_every_version_exactly_once(ops in prop::collection::vec(op(), 1..16)) {
        run(&ops);
    }
}
