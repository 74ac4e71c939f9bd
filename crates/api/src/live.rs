//! The live stream: track and event updates pushed to the map as server-sent events.
//!
//! A [`LiveHub`] fans updates out to its subscribers. Whatever writes the store publishes to it
//! — `kuroshio demo` after each group commit, or [`tail`] polling the store for a node whose
//! store another process writes — and `GET /api/v1/live` subscribes. An update is serialised
//! once and shared by every subscriber that may see it: track rows go to the node's own users
//! only (a partner is released events, never raw tracks), events to every viewer
//! [`kuroshio_share::allowed`] lets see them — the same decision `/api/v1/events?as=` and the
//! sharing path take.
//!
//! Each subscriber has a queue of at most [`Limits::pending_max`] updates, keyed by what they
//! are about: a newer update for a track already queued replaces the queued one in place
//! (coalesced), so a client that reads slower than the node writes still gets the newest
//! position of every track, just less often. An update for something not yet queued when the
//! queue is full is dropped; the client is told with a `lagged` message (how many were
//! dropped) before its next updates, and refetches the picture. A client is served only as
//! fast as its socket drains — the stream is polled when the connection has room — so a slow
//! client costs at most its queue, never unbounded memory, and never slows the others. Every
//! coalesced and dropped update is counted ([`LiveStats`], exported at `/metrics`).
//!
//! Messages (`text/event-stream`; every data line is one JSON object):
//! - `update`: `{"tracks": [track…], "events": [event…]}`, at most [`FRAME_UPDATES_MAX`]
//!   items, tracks in the form of `/api/v1/tracks`, events of `/api/v1/events`;
//! - `lagged`: `{"dropped": N}`: updates were dropped since the last message; refetch;
//! - comments (`:`) every [`KEEP_ALIVE`] so that idle connections stay open through proxies.

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use kuroshio_detect::Event;
use kuroshio_model::{Marking, PartnerCode, Timestamp};
use kuroshio_share::Viewer;
use kuroshio_store::{EventQuery, LatestQuery, TrackRow, target_key};
use serde_json::Value;
use tokio::sync::Notify;

use crate::wire;

/// Items in one `update` message: large enough that a burst is sent in few messages, small
/// enough that one message stays a few hundred kB and a browser parses it in one frame.
pub const FRAME_UPDATES_MAX: usize = 2_000;

/// Period of the keep-alive comment on an idle stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How often [`tail`] asks the store what changed.
pub const TAIL_EVERY: Duration = Duration::from_millis(500);

/// Data time [`tail`] looks back for events stored late (a detector's event is stamped with
/// the time of the observation that decided it, which can precede the newest one stored).
pub const TAIL_EVENTS_LATE_S: i64 = 600;

/// Limits of a hub.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Subscribers at once; more are refused (503): each costs a connection and up to a
    /// queue.
    pub clients_max: usize,
    /// Updates queued per subscriber: above the 20,000 tracks of a busy picture, so that a
    /// client that keeps up at all gets every track, coalesced.
    pub pending_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { clients_max: 256, pending_max: 32_768 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Track,
    Event,
}

/// One update, serialised once for every subscriber.
#[derive(Debug, Clone)]
pub struct Update {
    kind: Kind,
    key: Arc<str>,
    marking: Option<Marking>,
    json: Arc<str>,
}

impl Update {
    /// A track's latest state, as `/api/v1/tracks` writes it.
    pub fn track(row: &TrackRow) -> Update {
        Update::track_value(&target_key(&row.target), &wire::track_json(row))
    }

    /// A track's latest state as JSON, keyed by its target (`vessel:MMSI`, …): a newer update
    /// with the same key replaces a queued one.
    pub fn track_value(target: &str, json: &Value) -> Update {
        Update {
            kind: Kind::Track,
            key: target.into(),
            marking: None,
            json: json.to_string().into(),
        }
    }

    /// An event, as `/api/v1/events` writes it; shown to the viewers its marking allows.
    pub fn event(event: &Event) -> Option<Update> {
        let json = serde_json::to_string(event).ok()?;
        Some(Update {
            kind: Kind::Event,
            key: format!("event {}", event.id).into(),
            marking: Some(event.marking.clone()),
            json: json.into(),
        })
    }
}

/// What a hub has done since it was made.
#[derive(Debug, Default)]
pub struct LiveStats {
    /// Updates published.
    pub published: AtomicU64,
    /// Updates queued for a subscriber (one per subscriber that may see it).
    pub queued: AtomicU64,
    /// Updates written to subscribers.
    pub sent: AtomicU64,
    /// Queued updates replaced by a newer one for the same track.
    pub coalesced: AtomicU64,
    /// Updates dropped because a subscriber's queue was full.
    pub dropped: AtomicU64,
    /// Subscriptions accepted.
    pub subscribed: AtomicU64,
    /// Subscriptions refused at [`Limits::clients_max`].
    pub refused: AtomicU64,
}

#[derive(Default)]
struct Queue {
    order: VecDeque<Arc<str>>,
    pending: HashMap<Arc<str>, (Kind, Arc<str>)>,
    dropped_unreported: u64,
}

struct Client {
    viewer: Viewer,
    queue: Mutex<Queue>,
    wake: Notify,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while a queue was held leaves it consistent (every change is one insert or
    // remove), so a poisoned lock is used as it is.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The fan-out of live updates to subscribers. See the module documentation.
pub struct LiveHub {
    holder: PartnerCode,
    limits: Limits,
    clients: Mutex<Vec<Arc<Client>>>,
    closed: AtomicBool,
    stats: LiveStats,
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub").field("clients", &self.clients()).finish_non_exhaustive()
    }
}

impl LiveHub {
    /// A hub of a node of partner `holder`, with the default [`Limits`].
    pub fn new(holder: PartnerCode) -> LiveHub {
        LiveHub::with_limits(holder, Limits::default())
    }

    /// A hub with the given limits.
    pub fn with_limits(holder: PartnerCode, limits: Limits) -> LiveHub {
        LiveHub {
            holder,
            limits,
            clients: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            stats: LiveStats::default(),
        }
    }

    /// Subscribers now.
    pub fn clients(&self) -> usize {
        lock(&self.clients).len()
    }

    /// The hub's counters.
    pub fn stats(&self) -> &LiveStats {
        &self.stats
    }

    /// Updates queued for subscribers now, summed: at most `clients × pending_max`.
    pub fn queued_now(&self) -> usize {
        let clients = lock(&self.clients).clone();
        clients.iter().map(|c| lock(&c.queue).order.len()).sum()
    }

    /// Ends every stream and refuses new subscribers (a server shutting down waits for
    /// responses in flight, and a stream never ends by itself).
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        for c in lock(&self.clients).iter() {
            c.wake.notify_one();
        }
    }

    fn wants(&self, viewer: Viewer, u: &Update) -> bool {
        match (u.kind, &u.marking) {
            (Kind::Track, _) => viewer == Viewer::Local,
            (Kind::Event, Some(m)) => kuroshio_share::allowed(m, self.holder, viewer),
            (Kind::Event, None) => false,
        }
    }

    /// Queues `updates` for every subscriber that may see them.
    pub fn publish(&self, updates: &[Update]) {
        if updates.is_empty() {
            return;
        }
        self.stats.published.fetch_add(updates.len() as u64, Ordering::Relaxed);
        let clients = lock(&self.clients).clone();
        let (mut queued, mut coalesced, mut dropped) = (0u64, 0u64, 0u64);
        for c in &clients {
            let mut any = false;
            {
                let mut q = lock(&c.queue);
                for u in updates.iter().filter(|u| self.wants(c.viewer, u)) {
                    any = true;
                    if let Some(slot) = q.pending.get_mut(&u.key) {
                        *slot = (u.kind, Arc::clone(&u.json));
                        coalesced += 1;
                    } else if q.order.len() >= self.limits.pending_max {
                        q.dropped_unreported += 1;
                        dropped += 1;
                    } else {
                        q.pending.insert(Arc::clone(&u.key), (u.kind, Arc::clone(&u.json)));
                        q.order.push_back(Arc::clone(&u.key));
                        queued += 1;
                    }
                }
            }
            if any {
                c.wake.notify_one();
            }
        }
        self.stats.queued.fetch_add(queued, Ordering::Relaxed);
        self.stats.coalesced.fetch_add(coalesced, Ordering::Relaxed);
        self.stats.dropped.fetch_add(dropped, Ordering::Relaxed);
    }

    fn subscribe(self: &Arc<Self>, viewer: Viewer) -> Option<Subscription> {
        let mut clients = lock(&self.clients);
        if self.closed.load(Ordering::SeqCst) || clients.len() >= self.limits.clients_max {
            self.stats.refused.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        let client =
            Arc::new(Client { viewer, queue: Mutex::new(Queue::default()), wake: Notify::new() });
        clients.push(Arc::clone(&client));
        self.stats.subscribed.fetch_add(1, Ordering::Relaxed);
        Some(Subscription { hub: Arc::clone(self), client })
    }
}

/// One subscriber's end of the hub; leaving it (the stream dropped when the client goes)
/// unsubscribes.
struct Subscription {
    hub: Arc<LiveHub>,
    client: Arc<Client>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        lock(&self.hub.clients).retain(|c| !Arc::ptr_eq(c, &self.client));
    }
}

/// What one message carries, taken from the queue.
enum Next {
    Lagged(u64),
    Update(String, u64),
    Empty,
}

impl Subscription {
    fn take(&self) -> Next {
        let mut q = lock(&self.client.queue);
        if q.dropped_unreported > 0 {
            let n = std::mem::take(&mut q.dropped_unreported);
            return Next::Lagged(n);
        }
        if q.order.is_empty() {
            return Next::Empty;
        }
        let (mut tracks, mut events) = (String::new(), String::new());
        let mut n = 0u64;
        while n < FRAME_UPDATES_MAX as u64 {
            let Some(key) = q.order.pop_front() else { break };
            let Some((kind, json)) = q.pending.remove(&key) else { continue };
            let out = if kind == Kind::Track { &mut tracks } else { &mut events };
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(&json);
            n += 1;
        }
        drop(q);
        Next::Update(format!("{{\"tracks\":[{tracks}],\"events\":[{events}]}}"), n)
    }

    /// The next message, waiting for one; `None` when the hub closes.
    async fn next(&self) -> Option<SseEvent> {
        loop {
            if self.hub.closed.load(Ordering::SeqCst) {
                return None;
            }
            match self.take() {
                Next::Lagged(n) => {
                    return Some(
                        SseEvent::default().event("lagged").data(format!("{{\"dropped\":{n}}}")),
                    );
                }
                Next::Update(data, n) => {
                    self.hub.stats.sent.fetch_add(n, Ordering::Relaxed);
                    return Some(SseEvent::default().event("update").data(data));
                }
                Next::Empty => self.client.wake.notified().await,
            }
        }
    }
}

/// The response to `GET /api/v1/live` for `viewer`; `None` when the hub is full or closed.
pub(crate) fn respond(hub: &Arc<LiveHub>, viewer: Viewer) -> Option<axum::response::Response> {
    use axum::response::IntoResponse as _;
    let sub = hub.subscribe(viewer)?;
    let stream = futures_util::stream::unfold(sub, |sub| async move {
        let event = sub.next().await?;
        Some((Ok::<_, Infallible>(event), sub))
    });
    let mut response =
        Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // No buffering proxy should hold updates back (nginx honours this header).
    response.headers_mut().insert("x-accel-buffering", axum::http::HeaderValue::from_static("no"));
    Some(response)
}

/// Publishes what changes in `state`'s store to its hub, every [`TAIL_EVERY`], while the hub
/// has subscribers, until the hub closes: track rows seen since the last look, and events of
/// the last [`TAIL_EVENTS_LATE_S`] of data time not published yet. For a node whose store is
/// written by another process; a pipeline in the same process publishes directly. Each look
/// reads at most [`crate::LIMIT_MAX`] tracks and events: a store that takes more in half a
/// second streams the newest tracks and the oldest events of the look-back.
pub async fn tail(state: crate::ApiState) {
    let hub = Arc::clone(&state.live);
    // Newest `last_seen` published, and the targets published at exactly that time.
    let mut since: Option<(Timestamp, HashSet<String>)> = None;
    // Events published, by id, with their time, forgotten once older than the look-back.
    let mut sent_events: HashMap<String, Timestamp> = HashMap::new();
    while !hub.closed.load(Ordering::SeqCst) {
        tokio::time::sleep(TAIL_EVERY).await;
        if hub.clients() == 0 {
            since = None;
            continue;
        }
        let from = since.as_ref().map(|(t, _)| *t);
        let Ok(rows) = crate::with_store(&state, move |s| {
            s.latest(&LatestQuery { bbox: None, seen_since: from, limit: crate::LIMIT_MAX })
        })
        .await
        else {
            continue;
        };
        let newest = rows.iter().map(|r| r.last_seen).max();
        let Some(newest) = newest else { continue };
        let Some((since_t, at_since)) = since.as_mut() else {
            // First look: the subscribers fetched the picture; start from here.
            let at: HashSet<String> = rows
                .iter()
                .filter(|r| r.last_seen == newest)
                .map(|r| target_key(&r.target))
                .collect();
            since = Some((newest, at));
            let cut = Timestamp::from_unix_nanos(
                newest.unix_nanos().saturating_sub(TAIL_EVENTS_LATE_S * 1_000_000_000),
            );
            if let Ok(evs) = events_from(&state, cut).await {
                sent_events.extend(evs.into_iter().map(|e| (e.id, e.time)));
            }
            continue;
        };
        let fresh: Vec<Update> = rows
            .iter()
            .filter(|r| r.last_seen > *since_t || !at_since.contains(&target_key(&r.target)))
            .map(Update::track)
            .collect();
        if newest > *since_t {
            at_since.clear();
            *since_t = newest;
        }
        at_since
            .extend(rows.iter().filter(|r| r.last_seen == newest).map(|r| target_key(&r.target)));
        hub.publish(&fresh);

        let cut = Timestamp::from_unix_nanos(
            newest.unix_nanos().saturating_sub(TAIL_EVENTS_LATE_S * 1_000_000_000),
        );
        sent_events.retain(|_, t| *t >= cut);
        if let Ok(evs) = events_from(&state, cut).await {
            let new: Vec<Update> = evs
                .iter()
                .filter(|e| !sent_events.contains_key(&e.id))
                .filter_map(Update::event)
                .collect();
            sent_events.extend(evs.into_iter().map(|e| (e.id, e.time)));
            hub.publish(&new);
        }
    }
}

async fn events_from(
    state: &crate::ApiState,
    from: Timestamp,
) -> Result<Vec<Event>, crate::ApiError> {
    let range = wire::time_range(Some(from), None);
    crate::with_store(state, move |s| {
        s.events(&EventQuery { range, limit: crate::LIMIT_MAX, ..Default::default() })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::{FurtherSharing, Tlp};

    fn code(c: &str) -> PartnerCode {
        PartnerCode::parse(c).unwrap()
    }

    fn track(key: &str, n: u32) -> Update {
        Update::track_value(key, &serde_json::json!({"target": key, "n": n}))
    }

    #[tokio::test]
    async fn a_full_queue_coalesces_tracks_and_drops_the_rest() {
        let hub =
            Arc::new(LiveHub::with_limits(code("TW"), Limits { clients_max: 1, pending_max: 3 }));
        let sub = hub.subscribe(Viewer::Local).unwrap();
        assert!(hub.subscribe(Viewer::Local).is_none(), "the second subscriber is refused");
        let a: Vec<Update> = (0..3).map(|i| track(&format!("vessel:41600000{i}"), 1)).collect();
        hub.publish(&a);
        // Same targets again: replaced in place, not queued twice.
        let b: Vec<Update> = (0..3).map(|i| track(&format!("vessel:41600000{i}"), 2)).collect();
        hub.publish(&b);
        // A fourth target does not fit.
        hub.publish(&[track("vessel:416000009", 1)]);
        let s = hub.stats();
        assert_eq!(s.queued.load(Ordering::Relaxed), 3);
        assert_eq!(s.coalesced.load(Ordering::Relaxed), 3);
        assert_eq!(s.dropped.load(Ordering::Relaxed), 1);
        assert_eq!(hub.queued_now(), 3);
        let Next::Lagged(1) = sub.take() else { panic!("the drop is reported first") };
        let Next::Update(data, 3) = sub.take() else { panic!("three updates") };
        let v: Value = serde_json::from_str(&data).unwrap();
        let ns: Vec<u64> =
            v["tracks"].as_array().unwrap().iter().map(|t| t["n"].as_u64().unwrap()).collect();
        assert_eq!(ns, [2, 2, 2], "{data}");
        assert!(matches!(sub.take(), Next::Empty));
        drop(sub);
        assert_eq!(hub.clients(), 0);
    }

    #[tokio::test]
    async fn partners_get_released_events_and_no_tracks() {
        let hub = Arc::new(LiveHub::new(code("TW")));
        let local = hub.subscribe(Viewer::Local).unwrap();
        let us = hub.subscribe(Viewer::Partner(code("US"))).unwrap();
        let jp = hub.subscribe(Viewer::Partner(code("JP"))).unwrap();
        let mark = |to: &[&str]| {
            Marking::new(
                code("TW"),
                Tlp::Amber,
                to.iter().map(|c| code(c)),
                FurtherSharing::default(),
            )
        };
        let event = |mmsi: u32, m: Marking| {
            let entity = kuroshio_detect::Entity::vessel(kuroshio_model::Mmsi::new(mmsi).unwrap());
            let t = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
            Event::new(kuroshio_detect::EventKind::ZoneEntry, t, entity, None, None, m)
        };
        let to_us = event(416_000_001, mark(&["US"]));
        let tw_only = event(416_000_002, mark(&[]));
        let mut updates = vec![track("vessel:416000001", 1)];
        updates.extend([&to_us, &tw_only].into_iter().filter_map(Update::event));
        hub.publish(&updates);
        let body = |s: &Subscription| match s.take() {
            Next::Update(d, _) => d,
            _ => String::new(),
        };
        let (l, u, j) = (body(&local), body(&us), body(&jp));
        assert!(l.contains("\"n\":1") && l.contains(&to_us.id) && l.contains(&tw_only.id), "{l}");
        assert!(u.contains(&to_us.id) && !u.contains(&tw_only.id) && !u.contains("\"n\":1"), "{u}");
        assert!(j.is_empty(), "JP is released nothing: {j}");
    }
}
