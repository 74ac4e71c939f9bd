//! The live stream and the time-slice endpoint over a real socket: updates arrive as
//! server-sent events, a partner's stream carries only what the sharing policy releases to it,
//! a client that does not read is limited and counted while the others are served, and the
//! pages of `/api/v1/positions` put together are exactly the store's history of every target.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kuroshio_api::live::{Limits, LiveHub, Update};
use kuroshio_api::{ApiState, router};
use kuroshio_detect::{Entity, Event, EventKind};
use kuroshio_model::{
    FurtherSharing, Marking, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId,
    Timestamp, Tlp,
};
use kuroshio_store::{Batch, EmbeddedStore, TimeRange};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn code(c: &str) -> PartnerCode {
    PartnerCode::parse(c).unwrap()
}

fn t(s: i64) -> Timestamp {
    Timestamp::from_unix_nanos(1_767_225_600_000_000_000 + s * 1_000_000_000)
}

/// Serves `state` on a free loopback port; its address.
async fn serve(state: ApiState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });
    addr
}

fn state_over(dir: &std::path::Path, hub: Option<LiveHub>) -> ApiState {
    let store = EmbeddedStore::open(&dir.join("store"), Default::default()).unwrap();
    let mut state = ApiState::new(
        Arc::new(Mutex::new(Box::new(store))),
        "{\"type\":\"FeatureCollection\",\"features\":[]}".into(),
        code("TW"),
    );
    if let Some(h) = hub {
        state.live = Arc::new(h);
    }
    state
}

/// Opens the stream at `path` (HTTP/1.0, so the body is not chunked) and reads the response
/// head.
async fn open(addr: &str, path: &str) -> (TcpStream, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before the head");
        got.extend_from_slice(&buf[..n]);
    }
    (s, String::from_utf8_lossy(&got).into_owned())
}

/// Reads the stream until `done` holds for the text read so far (at most 10 s).
async fn read_until(s: &mut TcpStream, mut text: String, done: impl Fn(&str) -> bool) -> String {
    let mut buf = vec![0u8; 1 << 16];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done(&text) {
        let n = tokio::time::timeout_at(deadline, s.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("timed out; read so far: …{}", tail(&text)))
            .unwrap();
        assert!(n > 0, "stream closed; read so far: …{}", tail(&text));
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    text
}

/// The last 300 bytes of `text` or so, for messages.
fn tail(text: &str) -> &str {
    let mut cut = text.len().saturating_sub(300);
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    &text[cut..]
}

/// The `data:` of every `update` message in `text`.
fn updates(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut kind = "";
    for line in text.lines() {
        if let Some(k) = line.strip_prefix("event: ") {
            kind = k;
        } else if let Some(d) = line.strip_prefix("data: ") {
            if kind == "update" {
                out.push(serde_json::from_str(d).unwrap());
            }
        }
    }
    out
}

async fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.split(' ').nth(1).unwrap().parse().unwrap(), body.to_owned())
}

fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("{name} missing from {text}"))
        .parse()
        .unwrap()
}

fn event(mmsi: u32, released_to: &[&str]) -> Event {
    event_at(mmsi, released_to, 0)
}

fn event_at(mmsi: u32, released_to: &[&str], s: i64) -> Event {
    let m = Marking::new(
        code("TW"),
        Tlp::Amber,
        released_to.iter().map(|c| code(c)),
        FurtherSharing::Permitted,
    );
    Event::new(
        EventKind::ZoneEntry,
        t(s),
        Entity::vessel(Mmsi::new(mmsi).unwrap()),
        Some("tw-adiz".into()),
        None,
        m,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_arrive_and_a_partner_sees_only_what_is_released_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = state_over(dir.path(), None);
    let hub = Arc::clone(&state.live);
    let addr = serve(state).await;

    let (mut local, head) = open(&addr, "/api/v1/live").await;
    assert!(head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/event-stream"), "{head}");
    let (mut us, _) = open(&addr, "/api/v1/live?as=US").await;
    let (status, body) = get(&addr, "/api/v1/live?as=X1").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(hub.clients(), 2);

    let to_us = event(416_000_001, &["US"]);
    let tw_only = event(416_000_002, &[]);
    let mut batch = vec![Update::track_value(
        "vessel:416000001",
        &serde_json::json!({"target": "vessel:416000001", "position": {"lat": 24.0, "lon": 121.0}}),
    )];
    batch.extend([&to_us, &tw_only].into_iter().filter_map(Update::event));
    hub.publish(&batch);
    // A marker event both may see ends each reader's wait.
    let marker = event(416_000_003, &["US", "JP"]);
    hub.publish(&[Update::event(&marker).unwrap()]);

    let done = |text: &str| text.contains(&marker.id);
    let local_text = read_until(&mut local, String::new(), done).await;
    let us_text = read_until(&mut us, String::new(), done).await;
    let local_ids: Vec<String> = updates(&local_text)
        .iter()
        .flat_map(|u| u["events"].as_array().unwrap().clone())
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(local_ids, [to_us.id.clone(), tw_only.id.clone(), marker.id.clone()]);
    let local_tracks: usize =
        updates(&local_text).iter().map(|u| u["tracks"].as_array().unwrap().len()).sum();
    assert_eq!(local_tracks, 1);
    let us_updates = updates(&us_text);
    let us_ids: Vec<&str> = us_updates
        .iter()
        .flat_map(|u| u["events"].as_array().unwrap())
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(us_ids, [to_us.id.as_str(), marker.id.as_str()], "{us_text}");
    assert!(us_updates.iter().all(|u| u["tracks"].as_array().unwrap().is_empty()), "{us_text}");
    // What the stream released to US is what /api/v1/events?as=US releases: the same function.
    assert!(!us_text.contains(&tw_only.id));

    // Leaving unsubscribes.
    drop(local);
    drop(us);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while hub.clients() > 0 {
        hub.publish(&[Update::event(&marker).unwrap()]);
        assert!(tokio::time::Instant::now() < deadline, "clients never left");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Closing ends a stream, so that a graceful shutdown is not held up.
    let (mut last, _) = open(&addr, "/api/v1/live").await;
    hub.close();
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), last.read_to_end(&mut rest))
        .await
        .expect("the stream ends when the hub closes")
        .unwrap();
    let (status, _) = get(&addr, "/api/v1/live").await;
    assert_eq!(status, 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_read_is_limited_and_counted_and_the_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let pending_max = 64;
    let hub = LiveHub::with_limits(code("TW"), Limits { clients_max: 2, pending_max });
    let state = state_over(dir.path(), Some(hub));
    let hub = Arc::clone(&state.live);
    let addr = serve(state).await;
    let (_stalled, _) = open(&addr, "/api/v1/live").await;
    let (mut reader, _) = open(&addr, "/api/v1/live").await;
    let (status, body) = get(&addr, "/api/v1/live").await;
    assert_eq!(status, 503, "a third client is over the limit: {body}");
    assert!(body.contains("\"unavailable\""), "{body}");

    // Distinct tracks with 4 kB rows: the stalled client's socket buffers fill, then its queue.
    let pad = "x".repeat(4096);
    let reader_task = tokio::spawn(async move {
        let text =
            read_until(&mut reader, String::new(), |text| text.contains("vessel:999999999")).await;
        (reader, text)
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut i = 0u64;
    while hub.stats().dropped.load(std::sync::atomic::Ordering::Relaxed) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "nothing was ever dropped");
        let batch: Vec<Update> = (0..256)
            .map(|_| {
                i += 1;
                let key = format!("local:{i}");
                Update::track_value(&key, &serde_json::json!({"target": key, "pad": pad}))
            })
            .collect();
        hub.publish(&batch);
        tokio::time::sleep(Duration::from_millis(5)).await;
        // Memory stays bounded by the queues whatever the rate.
        assert!(hub.queued_now() <= 2 * pending_max, "{}", hub.queued_now());
    }
    let last = serde_json::json!({"target": "vessel:999999999"});
    hub.publish(&[Update::track_value("vessel:999999999", &last)]);
    // The reading client got the final update; it may have been told it lagged too (it reads
    // a test's burst no faster than the stalled one is stuck), but it was never cut off.
    let (_reader, text) =
        tokio::time::timeout(Duration::from_secs(20), reader_task).await.unwrap().unwrap();
    assert!(text.contains("vessel:999999999"));

    let (_, m) = get(&addr, "/metrics").await;
    let dropped = metric(&m, "kuroshio_live_dropped_total");
    assert!(dropped > 0, "{m}");
    assert_eq!(metric(&m, "kuroshio_live_clients"), 2);
    assert_eq!(metric(&m, "kuroshio_live_refused_total"), 1);
    assert!(metric(&m, "kuroshio_live_queued") <= 2 * pending_max as u64);
    assert!(metric(&m, "kuroshio_live_sent_total") > 0);
}

fn obs(vessel: u32, s: i64) -> Observation {
    let target = TargetId::Vessel(Mmsi::new(vessel).unwrap());
    let mut o = Observation::new(target, t(s), SourceId::parse("ais-test").unwrap());
    o.position = Some(
        Position::new(120.0 + f64::from(vessel % 100) * 0.01, 23.0 + s as f64 * 1e-4).unwrap(),
    );
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_slice_pages_put_together_are_the_stores_history() {
    let dir = tempfile::tempdir().unwrap();
    let state = state_over(dir.path(), None);
    // Five vessels every 10 s for ten minutes, reported at the same instants, so pages end in
    // the middle of a time stamp's rows.
    let vessels: Vec<u32> = (0..5).map(|i| 416_000_010 + i).collect();
    let mut all = Vec::new();
    for s in (0..600).step_by(10) {
        all.extend(vessels.iter().map(|v| obs(*v, s)));
    }
    state
        .store
        .lock()
        .unwrap()
        .append(&Batch { observations: &all, events: &[], cursor: None })
        .unwrap();
    let store = Arc::clone(&state.store);
    let addr = serve(state).await;

    let (from, to) = (t(95), t(405));
    let mut paged: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut next = Some(from.to_string());
    let mut pages = 0;
    while let Some(f) = next.take() {
        let path = format!("/api/v1/positions?from={f}&to={to}&limit=7&bbox=119,22,122,25");
        let (status, body) = get(&addr, &path).await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        for p in v["positions"].as_array().unwrap() {
            let times = paged.entry(p["target"].as_str().unwrap().to_owned()).or_default();
            times.push(p["time"].as_str().unwrap().to_owned());
        }
        next = v["next_from"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages < 100, "paging does not end");
    }
    assert!(pages > 20, "{pages} pages");
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    {
        let s = store.lock().unwrap();
        for v in &vessels {
            let target = TargetId::Vessel(Mmsi::new(*v).unwrap());
            let rows = s.history(&target, TimeRange::new(from, to).unwrap(), 10_000).unwrap();
            expected.insert(
                kuroshio_store::target_key(&target),
                rows.iter().map(|r| r.time.to_string()).collect(),
            );
        }
    }
    assert_eq!(paged, expected);
    assert_eq!(expected.values().map(Vec::len).sum::<usize>(), 5 * 31);

    // Thinned: the first fix of each target in each minute, across pages of 7 (a page holds
    // whole minutes; here one minute has 5 targets' fixes).
    let mut thinned: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut next = Some(from.to_string());
    while let Some(f) = next.take() {
        let path = format!("/api/v1/positions?from={f}&to={to}&limit=7&every_s=60");
        let (status, body) = get(&addr, &path).await;
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        for p in v["positions"].as_array().unwrap() {
            let times = thinned.entry(p["target"].as_str().unwrap().to_owned()).or_default();
            times.push(p["time"].as_str().unwrap().to_owned());
        }
        next = v["next_from"].as_str().map(str::to_owned);
    }
    let first_of_minute: BTreeMap<String, Vec<String>> = expected
        .iter()
        .map(|(k, times)| {
            let mut last_minute = None;
            let firsts = times
                .iter()
                .filter(|t| {
                    let minute =
                        Timestamp::parse(t).unwrap().unix_nanos().div_euclid(60_000_000_000);
                    last_minute.replace(minute) != Some(minute)
                })
                .cloned()
                .collect();
            (k.clone(), firsts)
        })
        .collect();
    assert_eq!(thinned, first_of_minute);
    assert_eq!(first_of_minute.values().map(Vec::len).sum::<usize>(), 5 * 6);

    for bad in [
        "/api/v1/positions?from=2026-01-01&to=2026-01-02&every_s=0",
        "/api/v1/positions?from=2026-01-01",
        "/api/v1/positions?from=2026-01-02&to=2026-01-01",
        "/api/v1/positions?from=2026-01-01&to=2026-01-02&limit=0",
        "/api/v1/positions?from=2026-01-01&to=2026-01-02&bbox=1,2,3",
    ] {
        let (status, body) = get(&addr, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_tail_streams_what_another_writer_stores() {
    let dir = tempfile::tempdir().unwrap();
    let state = state_over(dir.path(), None);
    let store = Arc::clone(&state.store);
    let hub = Arc::clone(&state.live);
    tokio::spawn(kuroshio_api::live::tail(state.clone()));
    let addr = serve(state).await;
    let (mut local, _) = open(&addr, "/api/v1/live").await;
    let (mut us, _) = open(&addr, "/api/v1/live?as=US").await;
    let append = |obs: &[Observation], events: &[Event]| {
        store.lock().unwrap().append(&Batch { observations: obs, events, cursor: None }).unwrap();
    };
    // What was there before the first look is the picture clients fetch, not an update.
    append(&[obs(416_000_020, 0)], &[]);
    tokio::time::sleep(kuroshio_api::live::TAIL_EVERY * 3).await;
    let to_us = event_at(416_000_021, &["US"], 10);
    let tw_only = event_at(416_000_022, &[], 10);
    append(&[obs(416_000_021, 10), obs(416_000_022, 10)], &[to_us.clone(), tw_only.clone()]);
    let local_text = read_until(&mut local, String::new(), |t| {
        t.contains("vessel:416000022") && t.contains(&tw_only.id)
    })
    .await;
    assert!(!local_text.contains("vessel:416000020"), "the old picture was streamed again");
    let us_text = read_until(&mut us, String::new(), |t| t.contains(&to_us.id)).await;
    assert!(!us_text.contains(&tw_only.id) && !us_text.contains("\"tracks\":[{"), "{us_text}");
    // The next look finds nothing new: nothing is streamed twice.
    let sent = hub.stats().published.load(std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(kuroshio_api::live::TAIL_EVERY * 3).await;
    assert_eq!(hub.stats().published.load(std::sync::atomic::Ordering::Relaxed), sent);
    hub.close();
}
