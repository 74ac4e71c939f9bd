//! The behaviours observed from medallion 3.0.0 serving its default data (the fixture's
//! SOURCE.md), checked against this server loaded with the same data, plus the HTTP errors
//! TAXII 2.1 defines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::http::StatusCode;
use common::{Answer, call, get, get_all, p, post, test_clock};
use kuroshio_taxii::admit::{Admission, admit};
use kuroshio_taxii::store::{Collection, Permission};
use kuroshio_taxii::time::{format_us, parse_us};
use kuroshio_taxii::{
    ApiRoot, ObjectStore, Principal, TAXII_MEDIA_TYPE, TaxiiConfig, TaxiiState, router,
};
use serde_json::{Value, json};

const ADMIN: (&str, &str) = ("admin", "token-of-admin-0123456789abcdef");
const HVI: &str = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
const NO_ACCESS: &str = "64993447-4d7e-4f70-b94d-d7f33742ee63";
const WRITE_ONLY: &str = "472c94ae-3113-4e3e-a4dd-a9f4ac7471d4";
const INDICATOR: &str = "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e";

fn fixture() -> Option<Value> {
    let bytes = kuroshio_testdata::read("taxii21-medallion-fixture/default_data.json")?;
    Some(serde_json::from_slice(&bytes).unwrap())
}

/// The server loaded with medallion's default data: its roots, its collections with the
/// permissions medallion gives its test user (granted to `admin`), and its objects with the
/// `date_added` of the collection's manifest, in that order. Two versions added in the same
/// microsecond (the malware) get consecutive microseconds: this store never gives one
/// `date_added` twice in a collection.
fn load(data: &Value, page_size_max: usize) -> (Router, TaxiiState) {
    let mut config = TaxiiConfig::new("Some TAXII Server", p("TW"), vec![p("TW"), p("JP")]);
    config.description = data["/discovery"]["description"].as_str().map(str::to_owned);
    config.contact = data["/discovery"]["contact"].as_str().map(str::to_owned);
    config.default_root = Some("trustgroup1".into());
    config.page_size_max = page_size_max;
    config.users.insert_token(ADMIN.0, Principal::Local("admin".into()), b"salt-admin", ADMIN.1);
    let mut store = ObjectStore::open_in_memory().unwrap();
    let keys = BTreeMap::new();
    for name in ["api1", "api2", "trustgroup1"] {
        let info = &data[name]["information"];
        config.api_roots.push(ApiRoot {
            name: name.into(),
            title: info["title"].as_str().unwrap().into(),
            description: info["description"].as_str().map(str::to_owned),
            max_content_length: info["max_content_length"].as_u64().unwrap() as usize,
        });
        for c in data[name]["collections"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            store
                .put_collection(&Collection {
                    id: id.into(),
                    api_root: name.into(),
                    title: c["title"].as_str().unwrap().into(),
                    description: c["description"].as_str().map(str::to_owned),
                    media_types: serde_json::from_value(c["media_types"].clone()).unwrap(),
                })
                .unwrap();
            let perm = Permission {
                can_read: c["can_read"].as_bool().unwrap(),
                can_write: c["can_write"].as_bool().unwrap(),
            };
            store.grant(id, "local:admin", perm).unwrap();
            let manifest = c["manifest"].as_array().unwrap();
            let mut objects: Vec<(i64, Value)> = Vec::new();
            for o in c["objects"].as_array().unwrap() {
                let version = o.get("modified").or_else(|| o.get("created")).unwrap();
                let m = manifest
                    .iter()
                    .find(|m| m["id"] == o["id"] && m["version"] == *version)
                    .unwrap();
                objects.push((parse_us(m["date_added"].as_str().unwrap()).unwrap(), o.clone()));
            }
            objects.sort_by_key(|(d, _)| *d);
            let ctx = Admission {
                holder: p("TW"),
                partners: &[p("TW")],
                keys: &keys,
                definitions: HashMap::new(),
            };
            for (date_added_us, o) in objects {
                let n = admit(&o, &Principal::Local("admin".into()), &ctx).unwrap();
                store.add(id, &[n], date_added_us).unwrap();
            }
        }
    }
    let (clock, _) = test_clock(parse_us("2026-12-04T00:00:00Z").unwrap());
    let state = TaxiiState::new(config, store, clock).unwrap();
    (router(state.clone()), state)
}

fn objects_uri(collection: &str) -> String {
    format!("/trustgroup1/collections/{collection}/objects/")
}

#[tokio::test]
async fn discovery_api_root_and_collections() {
    let Some(data) = fixture() else { return };
    let (app, _) = load(&data, 3);
    let d = get(&app, "/taxii2/", ADMIN).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.header("content-type"), Some(TAXII_MEDIA_TYPE));
    assert_eq!(d.body["title"], "Some TAXII Server");
    assert_eq!(d.body["default"], "/trustgroup1/");
    assert_eq!(d.body["api_roots"], json!(["/api1/", "/api2/", "/trustgroup1/"]));

    let r = get(&app, "/trustgroup1/", ADMIN).await;
    assert_eq!(r.body["title"], "Malware Research Group");
    assert_eq!(r.body["versions"], json!([TAXII_MEDIA_TYPE]));
    assert_eq!(r.body["max_content_length"], 9_765_625);

    let c = get(&app, "/trustgroup1/collections/", ADMIN).await;
    let list = c.body["collections"].as_array().unwrap();
    assert_eq!(list.len(), 5);
    let hvi = list.iter().find(|c| c["id"] == HVI).unwrap();
    assert_eq!(hvi["title"], "High Value Indicator Collection");
    assert_eq!((hvi["can_read"].as_bool(), hvi["can_write"].as_bool()), (Some(true), Some(true)));
    let one = get(&app, &format!("/trustgroup1/collections/{WRITE_ONLY}/"), ADMIN).await;
    assert_eq!(
        (one.body["can_read"].as_bool(), one.body["can_write"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(get(&app, "/api1/collections/", ADMIN).await.body, json!({}));
}

#[tokio::test]
async fn pages_with_limit_next_and_date_headers() {
    let Some(data) = fixture() else { return };
    let (app, _) = load(&data, 3);
    let first = get(&app, &format!("{}?limit=2", objects_uri(HVI)), ADMIN).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("content-type"), Some(TAXII_MEDIA_TYPE));
    assert_eq!(first.body["more"], true);
    assert!(first.body["next"].is_string());
    assert_eq!(first.body["objects"].as_array().unwrap().len(), 2);
    assert_eq!(first.header("x-taxii-date-added-first"), Some("2014-05-08T09:00:00.000000Z"));
    assert_eq!(first.header("x-taxii-date-added-last"), Some("2016-11-01T03:04:05.000000Z"));

    // The default is the last version of each object; pages of 2 (and the server's cap of 3).
    let (all, pages) =
        get_all(&app, &format!("{}?limit=2", objects_uri(HVI)), ADMIN, "objects").await;
    assert_eq!(pages.len(), 3);
    let ids: Vec<&str> = all.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "relationship--2f9a9aa9-108a-4333-83e2-4fb25add0463",
            "indicator--cd981c25-8042-4166-8945-51178443bdac",
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
            "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec",
            INDICATOR,
        ]
    );
    let last = all.iter().find(|o| o["id"] == INDICATOR).unwrap();
    assert_eq!(last["modified"], "2017-01-27T13:49:53.935Z");
    let capped = get(&app, &format!("{}?limit=50", objects_uri(HVI)), ADMIN).await;
    assert_eq!(capped.body["objects"].as_array().unwrap().len(), 3);
    // An added_after cursor from the header gives the rest.
    let after = first.header("x-taxii-date-added-last").unwrap();
    let rest = get(&app, &format!("{}?added_after={after}", objects_uri(HVI)), ADMIN).await;
    assert_eq!(
        rest.body["objects"][0]["id"],
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
    );
}

#[tokio::test]
async fn versions_manifest_and_match_version_all() {
    let Some(data) = fixture() else { return };
    let (app, _) = load(&data, 3);
    let uri = format!("{}?match[id]={INDICATOR}&match[version]=all", objects_uri(HVI));
    let all = get(&app, &uri, ADMIN).await;
    let versions: Vec<&str> = all.body["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["modified"].as_str().unwrap())
        .collect();
    assert_eq!(
        versions,
        ["2016-11-03T12:30:59.000Z", "2016-12-25T12:30:59.444Z", "2017-01-27T13:49:53.935Z"]
    );
    let firsts = get(
        &app,
        &format!("{}?match[id]={INDICATOR}&match[version]=first", objects_uri(HVI)),
        ADMIN,
    )
    .await;
    assert_eq!(firsts.body["objects"][0]["modified"], "2016-11-03T12:30:59.000Z");
    let at = get(
        &app,
        &format!(
            "{}?match[id]={INDICATOR}&match[version]=2016-12-25T12:30:59.444Z",
            objects_uri(HVI)
        ),
        ADMIN,
    )
    .await;
    assert_eq!(at.body["objects"].as_array().unwrap().len(), 1);
    assert_eq!(at.body["objects"][0]["modified"], "2016-12-25T12:30:59.444Z");

    // Versions endpoint.
    let v = get(&app, &format!("{}{INDICATOR}/versions/", objects_uri(HVI)), ADMIN).await;
    assert_eq!(v.status, StatusCode::OK);
    assert_eq!(v.body["more"], false);
    assert_eq!(
        v.body["versions"],
        json!(["2016-11-03T12:30:59.000Z", "2016-12-25T12:30:59.444Z", "2017-01-27T13:49:53.935Z"])
    );
    assert_eq!(v.header("x-taxii-date-added-last"), Some("2017-12-31T13:49:53.935000Z"));

    // Manifest of every version: medallion's manifest rows, one microsecond apart where two
    // were added in the same microsecond.
    let (rows, _) = get_all(
        &app,
        &format!("/trustgroup1/collections/{HVI}/manifest/?match[version]=all"),
        ADMIN,
        "objects",
    )
    .await;
    let expected = data["trustgroup1"]["collections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == HVI)
        .unwrap()["manifest"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), expected.len());
    let mut seen_dates = std::collections::BTreeSet::new();
    for e in &expected {
        let r = rows.iter().find(|r| r["id"] == e["id"] && r["version"] == e["version"]).unwrap();
        assert_eq!(r["media_type"], e["media_type"], "{r}");
        let (got, want) = (
            parse_us(r["date_added"].as_str().unwrap()).unwrap(),
            parse_us(e["date_added"].as_str().unwrap()).unwrap(),
        );
        assert!(got == want || got == want + 1, "{r} vs {e}");
        assert!(seen_dates.insert(got), "date_added given twice");
        assert_eq!(r.as_object().unwrap().len(), 4);
    }
}

#[tokio::test]
async fn credentials_negotiation_and_permissions() {
    let Some(data) = fixture() else { return };
    let (app, _) = load(&data, 3);
    let none = call(&app, "GET", "/taxii2/", None, &[], None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.header("www-authenticate"), Some("Basic realm=\"TAXII\""));
    let bad = get(&app, "/taxii2/", ("admin", "not-the-token")).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let json_only =
        call(&app, "GET", "/taxii2/", Some(ADMIN), &[("accept", "application/json")], None).await;
    assert_eq!(json_only.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(get(&app, &objects_uri(NO_ACCESS), ADMIN).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &objects_uri(WRITE_ONLY), ADMIN).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get(&app, &format!("/trustgroup1/collections/{WRITE_ONLY}/manifest/"), ADMIN).await.status,
        StatusCode::FORBIDDEN
    );
    let envelope = json!({"objects": [{"type": "indicator", "spec_version": "2.1",
        "id": "indicator--aaaaaaaa-0fd8-471a-ab8c-1c658a46574e", "created": "2026-01-01T00:00:00.000Z",
        "modified": "2026-01-01T00:00:00.000Z", "name": "x", "pattern": "[url:value = 'http://example.com/']",
        "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}]});
    let w = post(&app, &objects_uri(WRITE_ONLY), ADMIN, &envelope).await;
    assert_eq!(w.status, StatusCode::ACCEPTED, "{}", w.body);
    assert_eq!(
        (w.body["status"].as_str(), w.body["success_count"].as_u64()),
        (Some("complete"), Some(1))
    );
    let s =
        get(&app, &format!("/trustgroup1/status/{}/", w.body["id"].as_str().unwrap()), ADMIN).await;
    assert_eq!(s.status, StatusCode::OK);
    assert_eq!(s.body, w.body);
    assert_eq!(
        post(&app, &objects_uri(NO_ACCESS), ADMIN, &envelope).await.status,
        StatusCode::FORBIDDEN
    );
    for missing in [
        "/nowhere/".to_owned(),
        "/nowhere/collections/".to_owned(),
        "/trustgroup1/collections/00000000-0000-0000-0000-000000000000/objects/".to_owned(),
        format!("{}indicator--00000000-0000-4000-8000-000000000000/", objects_uri(HVI)),
        format!("{}indicator--00000000-0000-4000-8000-000000000000/versions/", objects_uri(HVI)),
        "/trustgroup1/status/00000000-0000-0000-0000-000000000000/".to_owned(),
        "/trustgroup1/collections/x/objects/y/z/".to_owned(),
    ] {
        assert_eq!(get(&app, &missing, ADMIN).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

async fn post_raw(app: &Router, collection: &str, content_type: &str, body: Vec<u8>) -> Answer {
    call(
        app,
        "POST",
        &objects_uri(collection),
        Some(ADMIN),
        &[("content-type", content_type)],
        Some(body),
    )
    .await
}

#[tokio::test]
async fn bad_requests_413_415_422_and_delete() {
    let Some(data) = fixture() else { return };
    let (app, _) = load(&data, 3);
    let small = json!({"objects": []}).to_string().into_bytes();
    assert_eq!(
        post_raw(&app, HVI, "application/json", small.clone()).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(post_raw(&app, HVI, TAXII_MEDIA_TYPE, small).await.status, StatusCode::ACCEPTED);
    let huge = vec![b' '; 9_765_626];
    assert_eq!(
        post_raw(&app, HVI, TAXII_MEDIA_TYPE, huge).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        post_raw(&app, HVI, TAXII_MEDIA_TYPE, b"{\"objects\": 3}".to_vec()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post_raw(&app, HVI, TAXII_MEDIA_TYPE, b"not json".to_vec()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    for q in [
        "limit=0",
        "match[version]=newest",
        "match[colour]=red",
        "next=abc",
        "added_after=yesterday",
    ] {
        let a = get(&app, &format!("{}?{q}", objects_uri(HVI)), ADMIN).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
    let versions_by_id =
        get(&app, &format!("{}{INDICATOR}/?match[type]=indicator", objects_uri(HVI)), ADMIN).await;
    assert_eq!(versions_by_id.status, StatusCode::UNPROCESSABLE_ENTITY);

    // One object and its versions by id; then DELETE of one version and of the rest.
    let by_id = get(&app, &format!("{}{INDICATOR}/", objects_uri(HVI)), ADMIN).await;
    assert_eq!(by_id.body["objects"].as_array().unwrap().len(), 1);
    let del = call(
        &app,
        "DELETE",
        &format!("{}{INDICATOR}/?match[version]=first", objects_uri(HVI)),
        Some(ADMIN),
        &[],
        None,
    )
    .await;
    assert_eq!(del.status, StatusCode::OK);
    let v = get(&app, &format!("{}{INDICATOR}/versions/", objects_uri(HVI)), ADMIN).await;
    assert_eq!(v.body["versions"].as_array().unwrap().len(), 2);
    let del = call(
        &app,
        "DELETE",
        &format!("{}{INDICATOR}/?match[version]=all", objects_uri(HVI)),
        Some(ADMIN),
        &[],
        None,
    )
    .await;
    assert_eq!(del.status, StatusCode::OK);
    assert_eq!(
        get(&app, &format!("{}{INDICATOR}/", objects_uri(HVI)), ADMIN).await.status,
        StatusCode::NOT_FOUND
    );
    let put = call(&app, "PUT", &objects_uri(HVI), Some(ADMIN), &[], None).await;
    assert_eq!(put.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_reposted_version_is_not_a_duplicate() {
    let Some(data) = fixture() else { return };
    let (app, _) = load(&data, 3);
    let coll = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";
    let o = json!({"type": "malware", "spec_version": "2.1", "id": "malware--aaaaaaaa-c75e-47e5-9036-78fabc95d4ec",
        "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "x", "is_family": false});
    let no_version = json!({"type": "x-thing", "id": "x-thing--aaaaaaaa-c75e-47e5-9036-78fabc95d4ec", "spec_version": "2.1"});
    let first = post(&app, &objects_uri(coll), ADMIN, &json!({"objects": [o, no_version]})).await;
    assert_eq!(first.body["success_count"], 2);
    let again =
        post(&app, &objects_uri(coll), ADMIN, &json!({"objects": [o, {"type": "bad"}]})).await;
    assert_eq!(
        (again.body["success_count"].as_u64(), again.body["failure_count"].as_u64()),
        (Some(1), Some(1))
    );
    let (all, _) =
        get_all(&app, &format!("{}?match[version]=all", objects_uri(coll)), ADMIN, "objects").await;
    assert_eq!(all.len(), 2);
    // The object without created/modified has its date_added as version.
    let m =
        get(&app, &format!("/trustgroup1/collections/{coll}/manifest/?match[type]=x-thing"), ADMIN)
            .await;
    assert_eq!(m.body["objects"][0]["version"], m.body["objects"][0]["date_added"]);
    assert_eq!(
        m.body["objects"][0]["date_added"],
        format_us(parse_us("2026-12-04T00:00:00Z").unwrap() + 1)
    );
}
