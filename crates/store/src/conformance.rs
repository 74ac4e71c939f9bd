//! The conformance suite: the behaviour every [`Store`] implementation must show, checked the
//! same way for each.
//!
//! [`run_all`] builds a fresh store for every check through the caller's factory and runs the
//! checks in turn; the first failure comes back as a message naming the check and what
//! differed. The expected answers are computed here from the inputs by brute force (filters
//! applied to plain vectors), never taken from a store, so an implementation cannot agree with
//! itself by accident.
//!
//! The data are synthetic and seeded (SplitMix64), so a failure reproduces exactly.
//!
//! [`run_audit_chain`] checks the audit log's hash chain ([`crate::audit_chain`]) the same
//! way. Those checks change stored rows behind the store's back, which only the backend's own
//! tests know how to do, so their factory hands out an [`AuditTamper`] with each store.

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_detect::{Entity, Event, EventKind, GeoPoint};
use kuroshio_model::{
    FurtherSharing, Icao24, Marking, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId,
    Timestamp, Tlp,
};

use crate::api::{
    ActivityOutcome, ActivityQuery, ActivityRecord, AuditEntry, BBox, Batch, Cursor, EventQuery,
    LatestQuery, PositionRow, PutOutcome, Store, StoreError, StoredObject, TimeRange, event_target,
    target_key,
};

/// A check's verdict: `Err` carries what differed.
pub type Outcome = Result<(), String>;

/// Makes a fresh, empty store for one check.
pub type Factory<'a> = dyn FnMut() -> Box<dyn Store> + 'a;

/// One check of the suite.
pub type Check = fn(&mut Factory<'_>) -> Outcome;

/// Every check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    ("append_receipt", append_receipt),
    ("latest_picture", latest_picture),
    ("history_of_one_target", history_of_one_target),
    ("positions_in_box_and_range", positions_in_box_and_range),
    ("events_by_filter", events_by_filter),
    ("objects_by_id_and_version", objects_by_id_and_version),
    ("activity_records", activity_records),
    ("audit_log_in_order", audit_log_in_order),
    ("cursor_committed_with_batch", cursor_committed_with_batch),
    ("retention_drops_old_history", retention_drops_old_history),
    ("invalid_requests_refused", invalid_requests_refused),
    ("check_and_stats", check_and_stats),
];

/// Changes a store's audit rows directly in its database, bypassing the store and its
/// append-only guards, as someone with access to the database files or server could.
pub trait AuditTamper {
    /// Overwrites one field of the record `seq`.
    fn edit(&mut self, seq: u64, edit: &AuditEdit) -> Result<(), String>;
    /// Removes the record `seq`.
    fn delete(&mut self, seq: u64) -> Result<(), String>;
}

/// A field overwritten by [`AuditTamper::edit`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AuditEdit {
    /// The `detail` column, as JSON text.
    DetailJson(String),
    /// The `actor` column.
    Actor(String),
    /// The `time_ns` column.
    TimeNs(i64),
}

/// Makes a fresh, empty store for one chain check, with a way to tamper with its audit rows.
pub type TamperFactory<'a> = dyn FnMut() -> (Box<dyn Store>, Box<dyn AuditTamper>) + 'a;

/// One check of the hash-chain suite.
pub type ChainCheck = fn(&mut TamperFactory<'_>) -> Outcome;

/// Every hash-chain check, by name.
pub const CHAIN_CHECKS: &[(&str, ChainCheck)] = &[
    ("chain_intact_after_many_appends", chain_intact_after_many_appends),
    ("first_hash_is_the_documented_one", first_hash_is_the_documented_one),
    ("edited_record_found", edited_record_found),
    ("removed_record_found", removed_record_found),
    ("removed_tail_found_with_anchor", removed_tail_found_with_anchor),
];

/// Runs every hash-chain check, each on a fresh store from `make`; stops at the first failure.
pub fn run_audit_chain(make: &mut TamperFactory<'_>) -> Outcome {
    for (name, check) in CHAIN_CHECKS {
        check(make).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Runs every check, each on a fresh store from `make`; stops at the first failure.
pub fn run_all(make: &mut Factory<'_>) -> Outcome {
    for (name, check) in CHECKS {
        check(make).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Base time of the synthetic data: 2024-08-01T00:00:00Z.
const T0_S: i64 = 1_722_470_400;

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_unix_nanos((T0_S + seconds) * 1_000_000_000)
}

fn range(from_s: i64, to_s: i64) -> TimeRange {
    TimeRange { from: t(from_s), to: t(to_s) }
}

fn err(e: StoreError) -> String {
    e.to_string()
}

/// SplitMix64, for reproducible data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn source(name: &str) -> Result<SourceId, String> {
    SourceId::parse(name).map_err(|e| e.to_string())
}

fn partner(code: &str) -> Result<PartnerCode, String> {
    PartnerCode::parse(code).map_err(|e| e.to_string())
}

fn vessel(i: u32) -> Result<TargetId, String> {
    Mmsi::new(416_000_000 + i).map(TargetId::Vessel).map_err(|e| e.to_string())
}

fn aircraft(i: u32) -> Result<TargetId, String> {
    Icao24::new(0x89_9000 + i).map(TargetId::Aircraft).map_err(|e| e.to_string())
}

fn marking(tlp: Tlp) -> Result<Marking, String> {
    Ok(Marking::new(partner("TW")?, tlp, [partner("JP")?], FurtherSharing::Permitted))
}

/// An observation at a place and time with speed and course.
fn observation(
    target: &TargetId,
    at_s: i64,
    lon: f64,
    lat: f64,
    src: &SourceId,
) -> Result<Observation, String> {
    let mut o = Observation::new(target.clone(), t(at_s), src.clone());
    o.position = Some(Position::new(lon, lat).map_err(|e| e.to_string())?);
    o.kinematics.speed_knots = Some(12.5);
    o.kinematics.course_deg = Some(45.0);
    Ok(o)
}

/// A random stream: `targets` targets (vessels and aircraft, a few local tracks) over
/// `seconds`, positions around Taiwan, some observations without a position.
fn random_stream(rng: &mut Rng, count: usize, seconds: i64) -> Result<Vec<Observation>, String> {
    let src = [source("ais-keelung")?, source("adsb-naha")?, source("radar-tw")?];
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let which = rng.below(40) as u32;
        let target = match which % 4 {
            0 | 1 => vessel(which)?,
            2 => aircraft(which)?,
            _ => TargetId::Local(format!("TW-{which:03}-軌跡")),
        };
        let at = rng.below(seconds as u64) as i64;
        let s = &src[(which % 3) as usize];
        let mut o = Observation::new(target, t(at), s.clone());
        if rng.below(10) != 0 {
            let lon = 116.0 + rng.unit() * 12.0;
            let lat = 18.0 + rng.unit() * 12.0;
            o.position = Some(Position::new(lon, lat).map_err(|e| e.to_string())?);
            if rng.below(2) == 0 {
                o.kinematics.speed_knots = Some((rng.unit() * 300.0 * 10.0).round() / 10.0);
                o.kinematics.course_deg = Some((rng.unit() * 3599.0).round() / 10.0);
            }
            if which % 4 == 2 {
                o.kinematics.altitude_ft = Some(25_000.0);
            }
        } else {
            o.name = Some(format!("NAME {which}"));
        }
        out.push(o);
    }
    Ok(out)
}

fn event(
    kind: EventKind,
    at_s: i64,
    target: &TargetId,
    zone: Option<&str>,
) -> Result<Event, String> {
    let entity = match target {
        TargetId::Vessel(m) => Entity::vessel(*m),
        TargetId::Aircraft(a) => Entity::aircraft(*a),
        TargetId::Local(id) => Entity {
            mmsi: None,
            icao24: None,
            report: Some(id.clone()),
            name: None,
            callsign: None,
        },
        #[allow(unreachable_patterns)]
        _ => return Err("unknown target kind".to_owned()),
    };
    let mut e =
        Event::new(kind, t(at_s), entity, zone.map(str::to_owned), None, marking(Tlp::Amber)?);
    e.position = Some(GeoPoint { lat: 24.5, lon: 121.0 });
    e.details.insert("at_s".to_owned(), serde_json::json!(at_s));
    Ok(e)
}

/// Rows the store should hold for these observations, sorted by time then target key.
fn expected_rows(obs: &[Observation]) -> Vec<PositionRow> {
    let mut rows: Vec<PositionRow> = obs.iter().filter_map(PositionRow::from_observation).collect();
    sort_rows(&mut rows);
    rows
}

fn sort_rows(rows: &mut [PositionRow]) {
    rows.sort_by(|a, b| {
        (a.time, target_key(&a.target))
            .cmp(&(b.time, target_key(&b.target)))
            .then(a.lon.total_cmp(&b.lon))
            .then(a.lat.total_cmp(&b.lat))
    });
}

/// Compares two row lists as multisets in the documented order (time, then target); rows
/// with equal time and target may come in any order, so both sides are sorted fully.
fn same_rows(what: &str, got: &[PositionRow], want: &[PositionRow]) -> Outcome {
    let mut got = got.to_vec();
    let mut want = want.to_vec();
    for w in got.windows(2) {
        if (w[0].time, target_key(&w[0].target)) > (w[1].time, target_key(&w[1].target)) {
            return Err(format!("{what}: rows out of order at {:?}", w[1]));
        }
    }
    sort_rows(&mut got);
    sort_rows(&mut want);
    if got.len() != want.len() {
        return Err(format!("{what}: {} rows, expected {}", got.len(), want.len()));
    }
    for (g, w) in got.iter().zip(&want) {
        if g != w {
            return Err(format!("{what}: got {g:?}, expected {w:?}"));
        }
    }
    Ok(())
}

fn ensure(cond: bool, what: impl FnOnce() -> String) -> Outcome {
    if cond { Ok(()) } else { Err(what()) }
}

fn append_receipt(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let src = source("ais-keelung")?;
    let v = vessel(1)?;
    let mut no_pos = Observation::new(v.clone(), t(5), src.clone());
    no_pos.name = Some("HAI XUN 06".to_owned());
    let obs = vec![
        observation(&v, 0, 121.0, 25.0, &src)?,
        no_pos,
        observation(&v, 10, 121.1, 25.0, &src)?,
    ];
    let e1 = event(EventKind::ZoneEntry, 3, &v, Some("roc_adiz"))?;
    let e2 = event(EventKind::LineCrossing, 4, &v, Some("median_line"))?;
    let r = store
        .append(&Batch { observations: &obs, events: &[e1.clone(), e2.clone()], cursor: None })
        .map_err(err)?;
    ensure(
        r.positions == 2 && r.without_position == 1 && r.events == 2 && r.duplicate_events == 0,
        || format!("first receipt {r:?}"),
    )?;
    let r = store
        .append(&Batch { observations: &[], events: &[e2.clone(), e1.clone()], cursor: None })
        .map_err(err)?;
    ensure(r.events == 0 && r.duplicate_events == 2, || format!("duplicate receipt {r:?}"))?;
    let all = store.events(&EventQuery { limit: 10, ..EventQuery::default() }).map_err(err)?;
    ensure(all == vec![e1.clone(), e2.clone()], || format!("events after duplicates: {all:?}"))?;
    let got = store.event(&e2.id).map_err(err)?;
    ensure(got.as_ref() == Some(&e2), || format!("event by id: {got:?}"))?;
    ensure(store.event("no-such-id").map_err(err)?.is_none(), || {
        "unknown event id found".to_owned()
    })?;
    let empty = store.append(&Batch::default()).map_err(err)?;
    ensure(empty == Default::default(), || format!("empty batch receipt {empty:?}"))
}

fn latest_picture(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let src = source("ais-keelung")?;
    let other = source("ais-naha")?;
    let v = vessel(7)?;
    let a = aircraft(3)?;
    // Out of order across batches: the latest by observation time wins, not the last written.
    let mut named = observation(&v, 100, 121.5, 25.2, &src)?;
    named.name = Some("MIN JIN 3".to_owned());
    named.imo = Some(9_123_456);
    named.ship_type = Some(30);
    store.append(&Batch { observations: &[named], events: &[], cursor: None }).map_err(err)?;
    let older = observation(&v, 50, 121.0, 25.0, &other)?;
    let mut identity_only = Observation::new(v.clone(), t(120), other.clone());
    identity_only.callsign = Some("BVZK".to_owned());
    let mut plane = observation(&a, 110, 123.5, 22.0, &src)?;
    plane.kinematics.altitude_ft = Some(31_000.0);
    plane.aircraft_category = Some("A3".to_owned());
    store
        .append(&Batch { observations: &[older, identity_only, plane], events: &[], cursor: None })
        .map_err(err)?;

    let tr = store.track(&v).map_err(err)?.ok_or("vessel track missing")?;
    ensure(tr.first_seen == t(50) && tr.last_seen == t(120), || format!("times {tr:?}"))?;
    ensure(tr.position_time == Some(t(100)), || format!("position time {tr:?}"))?;
    let p = tr.position.ok_or("no position")?;
    ensure(p.lon_deg() == 121.5 && p.lat_deg() == 25.2, || format!("position {tr:?}"))?;
    ensure(tr.source == other, || format!("source of latest observation {tr:?}"))?;
    ensure(
        tr.name.as_deref() == Some("MIN JIN 3") && tr.callsign.as_deref() == Some("BVZK"),
        || format!("identity {tr:?}"),
    )?;
    ensure(tr.imo == Some(9_123_456) && tr.ship_type == Some(30), || format!("static {tr:?}"))?;
    ensure(tr.speed_knots == Some(12.5) && tr.course_deg == Some(45.0), || {
        format!("kinematics {tr:?}")
    })?;
    ensure(tr.observations == 3, || format!("count {tr:?}"))?;
    let tp = store.track(&a).map_err(err)?.ok_or("aircraft track missing")?;
    ensure(
        tp.altitude_ft == Some(31_000.0) && tp.aircraft_category.as_deref() == Some("A3"),
        || format!("aircraft {tp:?}"),
    )?;
    ensure(store.track(&vessel(99)?).map_err(err)?.is_none(), || "unknown track found".to_owned())?;

    let all = store.latest(&LatestQuery { limit: 10, ..LatestQuery::default() }).map_err(err)?;
    let order: Vec<_> = all.iter().map(|r| r.target.clone()).collect();
    ensure(order == vec![v.clone(), a.clone()], || format!("latest order {order:?}"))?;
    let boxed = store
        .latest(&LatestQuery {
            bbox: BBox::new(123.0, 21.0, 124.0, 23.0),
            limit: 10,
            ..LatestQuery::default()
        })
        .map_err(err)?;
    ensure(boxed.len() == 1 && boxed[0].target == a, || format!("latest in box {boxed:?}"))?;
    let recent = store
        .latest(&LatestQuery { seen_since: Some(t(115)), limit: 10, ..LatestQuery::default() })
        .map_err(err)?;
    ensure(recent.len() == 1 && recent[0].target == v, || format!("latest since {recent:?}"))?;
    let one = store.latest(&LatestQuery { limit: 1, ..LatestQuery::default() }).map_err(err)?;
    ensure(one.len() == 1, || format!("latest limit {one:?}"))
}

fn history_of_one_target(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let mut rng = Rng(7);
    let obs = random_stream(&mut rng, 3_000, 86_400 * 2)?;
    for chunk in obs.chunks(700) {
        store.append(&Batch { observations: chunk, events: &[], cursor: None }).map_err(err)?;
    }
    let rows = expected_rows(&obs);
    for target in [vessel(0)?, aircraft(2)?, TargetId::Local("TW-003-軌跡".to_owned()), vessel(38)?]
    {
        for (from, to) in [(0, 86_400 * 2), (3_600, 90_000), (50_000, 50_000)] {
            let want: Vec<_> = rows
                .iter()
                .filter(|r| r.target == target && range(from, to).contains(r.time))
                .cloned()
                .collect();
            let got = store.history(&target, range(from, to), 100_000).map_err(err)?;
            same_rows(&format!("history {target:?} {from}..{to}"), &got, &want)?;
            if want.len() > 3 {
                let got = store.history(&target, range(from, to), 3).map_err(err)?;
                same_rows("history limit", &got, &want[..3])?;
            }
        }
    }
    Ok(())
}

fn positions_in_box_and_range(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let mut rng = Rng(11);
    let obs = random_stream(&mut rng, 5_000, 86_400 * 3)?;
    for chunk in obs.chunks(1_000) {
        store.append(&Batch { observations: chunk, events: &[], cursor: None }).map_err(err)?;
    }
    let rows = expected_rows(&obs);
    for _ in 0..20 {
        let w = 116.0 + rng.unit() * 10.0;
        let s = 18.0 + rng.unit() * 10.0;
        let bbox = BBox::new(w, s, w + rng.unit() * 5.0, s + rng.unit() * 5.0).ok_or("bad box")?;
        let from = rng.below(86_400 * 3) as i64;
        let to = from + rng.below(86_400) as i64;
        let want: Vec<_> = rows
            .iter()
            .filter(|r| bbox.contains(r.lon, r.lat) && range(from, to).contains(r.time))
            .cloned()
            .collect();
        let got = store.positions(bbox, range(from, to), 1_000_000).map_err(err)?;
        same_rows(&format!("positions {bbox:?} {from}..{to}"), &got, &want)?;
        if want.len() > 5 {
            let got = store.positions(bbox, range(from, to), 5).map_err(err)?;
            same_rows("positions limit", &got, &want[..5])?;
        }
    }
    // Edges of the box belong to it; the end of the range does not.
    let src = source("radar-tw")?;
    let v = vessel(500)?;
    let edge = [
        observation(&v, 86_400 * 5, 120.0, 24.0, &src)?,
        observation(&v, 86_400 * 5 + 10, 121.0, 25.0, &src)?,
    ];
    store.append(&Batch { observations: &edge, events: &[], cursor: None }).map_err(err)?;
    let bbox = BBox::new(120.0, 24.0, 121.0, 25.0).ok_or("bad box")?;
    let got = store.positions(bbox, range(86_400 * 5, 86_400 * 5 + 10), 10).map_err(err)?;
    same_rows("box edges, range end", &got, &expected_rows(&edge[..1]))
}

fn events_by_filter(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let mut rng = Rng(23);
    let kinds =
        [EventKind::ZoneEntry, EventKind::LineCrossing, EventKind::AisGap, EventKind::Encounter];
    let zones = [Some("median_line"), Some("roc_adiz"), None];
    let targets = [vessel(1)?, vessel(2)?, aircraft(5)?, TargetId::Local("JP-77".to_owned())];
    let mut events = Vec::new();
    for i in 0..400 {
        let e = event(
            kinds[rng.below(4) as usize],
            rng.below(86_400 * 2) as i64,
            &targets[rng.below(4) as usize],
            zones[rng.below(3) as usize],
        )?;
        if i % 50 == 0 {
            events.push(e.clone());
        }
        events.push(e);
    }
    for chunk in events.chunks(90) {
        store.append(&Batch { observations: &[], events: chunk, cursor: None }).map_err(err)?;
    }
    let mut unique: BTreeMap<String, Event> = BTreeMap::new();
    for e in &events {
        unique.entry(e.id.clone()).or_insert_with(|| e.clone());
    }
    let mut all: Vec<Event> = unique.into_values().collect();
    all.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
    let queries = [
        EventQuery { limit: 10_000, ..EventQuery::default() },
        EventQuery { kinds: vec![EventKind::LineCrossing], limit: 10_000, ..EventQuery::default() },
        EventQuery {
            kinds: vec![EventKind::AisGap, EventKind::Encounter],
            limit: 10_000,
            ..EventQuery::default()
        },
        EventQuery { zone: Some("roc_adiz".to_owned()), limit: 10_000, ..EventQuery::default() },
        EventQuery { target: Some(aircraft(5)?), limit: 10_000, ..EventQuery::default() },
        EventQuery {
            target: Some(TargetId::Local("JP-77".to_owned())),
            limit: 10_000,
            ..EventQuery::default()
        },
        EventQuery { range: Some(range(3_600, 50_000)), limit: 10_000, ..EventQuery::default() },
        EventQuery {
            kinds: vec![EventKind::ZoneEntry],
            zone: Some("median_line".to_owned()),
            target: Some(vessel(2)?),
            range: Some(range(0, 86_400)),
            limit: 10_000,
        },
        EventQuery { kinds: vec![EventKind::LineCrossing], limit: 7, ..EventQuery::default() },
    ];
    for q in &queries {
        let want: Vec<_> = all
            .iter()
            .filter(|e| q.kinds.is_empty() || q.kinds.contains(&e.kind))
            .filter(|e| q.zone.is_none() || e.zone == q.zone)
            .filter(|e| q.target.is_none() || event_target(e) == q.target)
            .filter(|e| q.range.is_none_or(|r| r.contains(e.time)))
            .take(q.limit)
            .cloned()
            .collect();
        let got = store.events(q).map_err(err)?;
        if got != want {
            return Err(format!("query {q:?}: {} events, expected {}", got.len(), want.len()));
        }
    }
    Ok(())
}

fn objects_by_id_and_version(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let object = |version: &str, body: &str| -> Result<StoredObject, String> {
        Ok(StoredObject {
            id: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f".to_owned(),
            version: version.to_owned(),
            kind: "indicator".to_owned(),
            marking: marking(Tlp::Green)?,
            received_from: Some(partner("US")?),
            body: body.to_owned(),
        })
    };
    let v1 = object("2024-08-01T00:00:00.000Z", r#"{"type":"indicator","name":"一"}"#)?;
    let v2 = object("2024-08-02T00:00:00.000Z", r#"{"type":"indicator",  "name":"二"}"#)?;
    ensure(store.put_object(&v2).map_err(err)? == PutOutcome::Stored, || {
        "v2 not stored".to_owned()
    })?;
    ensure(store.put_object(&v1).map_err(err)? == PutOutcome::Stored, || {
        "v1 not stored".to_owned()
    })?;
    let mut changed = v1.clone();
    changed.body = r#"{"changed":true}"#.to_owned();
    ensure(store.put_object(&changed).map_err(err)? == PutOutcome::Duplicate, || {
        "duplicate stored".to_owned()
    })?;
    let latest = store.object(&v1.id, None).map_err(err)?;
    ensure(latest.as_ref() == Some(&v2), || format!("latest object {latest:?}"))?;
    let first = store.object(&v1.id, Some(&v1.version)).map_err(err)?;
    ensure(first.as_ref() == Some(&v1), || format!("object by version {first:?}"))?;
    let versions = store.object_versions(&v1.id).map_err(err)?;
    ensure(versions == vec![v1.version.clone(), v2.version.clone()], || {
        format!("versions {versions:?}")
    })?;
    ensure(store.object("indicator--none", None).map_err(err)?.is_none(), || {
        "unknown object".to_owned()
    })?;
    ensure(store.object(&v1.id, Some("1999")).map_err(err)?.is_none(), || {
        "unknown version".to_owned()
    })?;
    ensure(store.object_versions("x--none").map_err(err)?.is_empty(), || {
        "versions of unknown".to_owned()
    })
}

/// Activity records: stored, duplicated and replaced by key; queried by window overlap,
/// source and hull number, each answer compared with [`ActivityQuery::matches`] over every
/// record stored.
fn activity_records(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let mut rng = Rng(19);
    let sources = ["mnd", "jso", "node"];
    let hulls = ["101", "102", "117", "553", "1303"];
    let day = 86_400;
    let mut all: Vec<ActivityRecord> = Vec::new();
    for i in 0..120u64 {
        let from = rng.below(40) as i64 * day / 2 + 1_700_000_000;
        // Daily windows, instants (a release at one time) and multi-day spans.
        let len = [day, 0, 3 * day][rng.below(3) as usize];
        let named: Vec<String> =
            hulls.iter().filter(|_| rng.below(4) == 0).map(|h| (*h).to_owned()).collect();
        all.push(ActivityRecord {
            source: sources[rng.below(3) as usize].to_owned(),
            document: format!("doc-{i:03}"),
            window: range(from, from + len),
            hulls: named,
            payload: serde_json::json!({"aircraft": rng.below(60), "note": "共機", "i": i}),
            raw: format!("中共解放軍臺海周邊海、空域動態 {i}\n"),
        });
    }
    for r in &all {
        let got = store.put_activity(r).map_err(err)?;
        ensure(got == ActivityOutcome::Stored, || format!("{}: {got:?}", r.document))?;
    }
    let again = store.put_activity(&all[5]).map_err(err)?;
    ensure(again == ActivityOutcome::Duplicate, || format!("same record again: {again:?}"))?;
    let mut corrected = all[7].clone();
    corrected.payload = serde_json::json!({"aircraft": 999, "corrected": true});
    corrected.hulls = vec!["9999".to_owned()];
    let replaced = store.put_activity(&corrected).map_err(err)?;
    ensure(replaced == ActivityOutcome::Replaced, || format!("corrected record: {replaced:?}"))?;
    all[7] = corrected;
    let key = |r: &ActivityRecord| (r.window.from, r.source.clone(), r.document.clone());
    all.sort_by_key(key);
    for q in 0..60u64 {
        let from = rng.below(44) as i64 * day / 2 + 1_700_000_000 - day;
        let query = ActivityQuery {
            range: range(from, from + rng.below(4) as i64 * day),
            source: (q % 3 == 0).then(|| sources[rng.below(3) as usize].to_owned()),
            hull: (q % 4 == 1).then(|| ["117", "9999", "553"][rng.below(3) as usize].to_owned()),
            limit: if q % 7 == 0 { 3 } else { 1000 },
        };
        let want: Vec<&ActivityRecord> =
            all.iter().filter(|r| query.matches(r)).take(query.limit).collect();
        let got = store.activities(&query).map_err(err)?;
        ensure(got.iter().eq(want.iter().copied()), || {
            let names = |v: &mut dyn Iterator<Item = &ActivityRecord>| {
                v.map(|r| r.document.clone()).collect::<Vec<_>>()
            };
            format!(
                "query {query:?}: got {:?}, want {:?}",
                names(&mut got.iter()),
                names(&mut want.iter().copied())
            )
        })?;
    }
    let mut bad = all[0].clone();
    bad.document = String::new();
    ensure(matches!(store.put_activity(&bad), Err(StoreError::Invalid(_))), || {
        "an empty document id was accepted".to_owned()
    })?;
    bad.document = "x".repeat(crate::api::ACTIVITY_NAME_MAX + 1);
    ensure(matches!(store.put_activity(&bad), Err(StoreError::Invalid(_))), || {
        "an over-long document id was accepted".to_owned()
    })
}

fn audit_log_in_order(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let mut entries = Vec::new();
    for i in 0..25i64 {
        let mut detail = BTreeMap::new();
        detail.insert("n".to_owned(), serde_json::json!(i));
        let entry = AuditEntry {
            time: t(i),
            actor: if i % 2 == 0 { "node".to_owned() } else { "peer:JP".to_owned() },
            action: ["created", "sent", "received"][(i % 3) as usize].to_owned(),
            object_id: (i % 4 != 0).then(|| format!("sighting--{i}")),
            peer: if i % 5 == 0 { None } else { Some(partner("JP")?) },
            detail,
        };
        let seq = store.audit_append(&entry).map_err(err)?;
        ensure(seq == i as u64 + 1, || format!("seq {seq} for entry {i}"))?;
        entries.push(entry);
    }
    let all = store.audit(1, 100).map_err(err)?;
    ensure(all.len() == 25, || format!("{} audit records", all.len()))?;
    for (i, r) in all.iter().enumerate() {
        ensure(r.seq == i as u64 + 1 && r.entry == entries[i], || format!("record {i}: {r:?}"))?;
    }
    let mut prev = crate::audit_chain::GENESIS_HASH;
    for r in &all {
        let want = crate::audit_chain::chain_hash(&prev, r.seq, &r.entry);
        ensure(r.hash == want, || format!("record {} hash is not chained", r.seq))?;
        prev = r.hash;
    }
    let page = store.audit(10, 5).map_err(err)?;
    let seqs: Vec<u64> = page.iter().map(|r| r.seq).collect();
    ensure(seqs == vec![10, 11, 12, 13, 14], || format!("page {seqs:?}"))?;
    ensure(store.audit(26, 5).map_err(err)?.is_empty(), || "records past the end".to_owned())
}

fn cursor_committed_with_batch(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    ensure(store.cursor("feed-a").map_err(err)?.is_none(), || {
        "cursor before any batch".to_owned()
    })?;
    let src = source("ais-keelung")?;
    let obs = [observation(&vessel(3)?, 1, 121.0, 25.0, &src)?];
    store
        .append(&Batch {
            observations: &obs,
            events: &[],
            cursor: Some(Cursor { stream: "feed-a", offset: 4_096 }),
        })
        .map_err(err)?;
    store
        .append(&Batch {
            observations: &[],
            events: &[],
            cursor: Some(Cursor { stream: "/data/ais 2024-08-01.nmea", offset: 7 }),
        })
        .map_err(err)?;
    store
        .append(&Batch {
            observations: &obs,
            events: &[],
            cursor: Some(Cursor { stream: "feed-a", offset: 8_192 }),
        })
        .map_err(err)?;
    let a = store.cursor("feed-a").map_err(err)?;
    let b = store.cursor("/data/ais 2024-08-01.nmea").map_err(err)?;
    ensure(a == Some(8_192) && b == Some(7), || format!("cursors {a:?} {b:?}"))?;
    let long = "x".repeat(crate::api::STREAM_NAME_LEN_MAX + 1);
    let refused = store.append(&Batch {
        observations: &obs,
        events: &[],
        cursor: Some(Cursor { stream: &long, offset: 1 }),
    });
    ensure(matches!(refused, Err(StoreError::Invalid(_))), || {
        format!("over-long stream name: {refused:?}")
    })?;
    let h = store.history(&vessel(3)?, range(0, 10), 10).map_err(err)?;
    ensure(h.len() == 2, || format!("a refused batch left rows: {} rows", h.len()))
}

fn retention_drops_old_history(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let src = source("ais-keelung")?;
    let v = vessel(9)?;
    let mut obs = Vec::new();
    let mut events = Vec::new();
    for day in 0..4i64 {
        for k in 0..10i64 {
            obs.push(observation(&v, day * 86_400 + k * 600, 121.0 + k as f64 * 0.01, 25.0, &src)?);
        }
        events.push(event(EventKind::ZoneExit, day * 86_400 + 5, &v, Some("roc_adiz"))?);
    }
    for (chunk, ev) in obs.chunks(10).zip(events.chunks(1)) {
        store.append(&Batch { observations: chunk, events: ev, cursor: None }).map_err(err)?;
    }
    let report = store.retain(t(2 * 86_400)).map_err(err)?;
    ensure(report.positions == 20 && report.events == 2, || {
        format!("retention report {report:?}")
    })?;
    let left = store.history(&v, range(0, 4 * 86_400), 100).map_err(err)?;
    same_rows("history after retention", &left, &expected_rows(&obs[20..]))?;
    let ev = store.events(&EventQuery { limit: 100, ..EventQuery::default() }).map_err(err)?;
    ensure(ev == events[2..], || format!("events after retention: {ev:?}"))?;
    let tr = store.track(&v).map_err(err)?;
    ensure(tr.is_some_and(|r| r.observations == 40), || "track changed by retention".to_owned())
}

fn invalid_requests_refused(make: &mut Factory<'_>) -> Outcome {
    let store = make();
    let v = vessel(1)?;
    let zero = store.history(&v, range(0, 10), 0);
    ensure(matches!(zero, Err(StoreError::Invalid(_))), || format!("limit 0: {zero:?}"))?;
    let huge = store.positions(BBox::WORLD, range(0, 10), crate::api::ROWS_MAX + 1);
    ensure(matches!(huge, Err(StoreError::Invalid(_))), || format!("limit over max: {huge:?}"))?;
    let ev = store.events(&EventQuery::default());
    ensure(matches!(ev, Err(StoreError::Invalid(_))), || format!("events limit 0: {ev:?}"))?;
    let audit = store.audit(1, 0);
    ensure(matches!(audit, Err(StoreError::Invalid(_))), || format!("audit limit 0: {audit:?}"))
}

fn check_and_stats(make: &mut Factory<'_>) -> Outcome {
    let mut store = make();
    let mut rng = Rng(31);
    let obs = random_stream(&mut rng, 2_000, 86_400)?;
    let v = vessel(1)?;
    let events =
        [event(EventKind::Loitering, 10, &v, None)?, event(EventKind::Encounter, 20, &v, None)?];
    store.append(&Batch { observations: &obs, events: &events, cursor: None }).map_err(err)?;
    store
        .audit_append(&AuditEntry {
            time: t(1),
            actor: "node".to_owned(),
            action: "created".to_owned(),
            object_id: None,
            peer: None,
            detail: BTreeMap::new(),
        })
        .map_err(err)?;
    let report = store.check().map_err(err)?;
    ensure(report.is_sound() && !report.checked.is_empty(), || format!("check {report:?}"))?;
    let stats = store.stats().map_err(err)?;
    let positions = obs.iter().filter(|o| o.position.is_some()).count() as u64;
    let tracks = obs.iter().map(|o| target_key(&o.target)).collect::<BTreeSet<_>>().len() as u64;
    ensure(
        stats.positions == positions
            && stats.tracks == tracks
            && stats.events == 2
            && stats.audit == 1
            && stats.objects == 0,
        || format!("stats {stats:?}, expected {positions} positions and {tracks} tracks"),
    )
}

/// An audit entry with a varied detail: nested objects, arrays, negative and fractional
/// numbers, non-ASCII text.
fn varied_entry(i: u64) -> Result<AuditEntry, String> {
    let mut detail = BTreeMap::new();
    detail.insert("n".to_owned(), serde_json::json!(i));
    if i % 3 == 0 {
        detail.insert("file".to_owned(), serde_json::json!(format!("to-JP-{i}.json")));
    }
    if i % 4 == 1 {
        detail.insert(
            "nested".to_owned(),
            serde_json::json!({"z": [1, -2, 0.25, null, true], "a": {"k": "黒潮 \u{1}\"\\"}}),
        );
    }
    if i % 5 == 2 {
        detail.insert("ratio".to_owned(), serde_json::json!(i as f64 / 7.0));
        detail.insert("big".to_owned(), serde_json::json!(u64::MAX - i));
        detail.insert("neg".to_owned(), serde_json::json!(-(i as i64) - 1));
    }
    Ok(AuditEntry {
        time: Timestamp::from_unix_nanos((T0_S + i as i64) * 1_000_000_000 + (i as i64 % 997)),
        actor: if i % 2 == 0 { "node".to_owned() } else { format!("analyst-{i}") },
        action: ["created", "sent", "received", "imported"][(i % 4) as usize].to_owned(),
        object_id: (i % 3 != 1).then(|| format!("sighting--{i:08}")),
        peer: if i % 5 == 0 { None } else { Some(partner(["JP", "US", "AU"][(i % 3) as usize])?) },
        detail,
    })
}

/// Appends `n` varied entries; returns the store.
fn fill_audit(store: &mut dyn Store, n: u64) -> Outcome {
    for i in 1..=n {
        let seq = store.audit_append(&varied_entry(i)?).map_err(err)?;
        ensure(seq == i, || format!("seq {seq} for entry {i}"))?;
    }
    Ok(())
}

/// The verdict of a verification with pages of 7 records (to cross page boundaries).
fn verdict(
    store: &dyn Store,
    anchor: Option<&crate::audit_chain::Anchor>,
) -> Result<crate::audit_chain::Verdict, String> {
    crate::audit_chain::verify_paged(store, anchor, 7).map_err(err)
}

/// The anchor of record `seq` as stored now.
fn anchor_of(store: &dyn Store, seq: u64) -> Result<crate::audit_chain::Anchor, String> {
    let r = store.audit(seq, 1).map_err(err)?;
    match r.first() {
        Some(r) if r.seq == seq => Ok(crate::audit_chain::Anchor { seq, hash: r.hash }),
        _ => Err(format!("record {seq} not found")),
    }
}

fn chain_intact_after_many_appends(make: &mut TamperFactory<'_>) -> Outcome {
    use crate::audit_chain::{ChainHead, Verdict, verify};
    let (mut store, _tamper) = make();
    match verify(&*store, None).map_err(err)? {
        Verdict::Intact(ChainHead { count: 0, head: None }) => {}
        v => return Err(format!("empty log: {v:?}")),
    }
    let n = 150;
    fill_audit(&mut *store, n)?;
    let head = anchor_of(&*store, n)?;
    let want = Verdict::Intact(ChainHead { count: n, head: Some(head) });
    for got in [verdict(&*store, None)?, verify(&*store, None).map_err(err)?] {
        ensure(got == want, || format!("verdict {got:?}, expected {want:?}"))?;
    }
    let mid = anchor_of(&*store, 40)?;
    for a in [head, mid] {
        let got = verdict(&*store, Some(&a))?;
        ensure(got == want, || format!("with anchor {a}: {got:?}"))?;
    }
    // Every record read back equals what was appended, and hashes are distinct.
    let all = store.audit(1, 1_000).map_err(err)?;
    for r in &all {
        let e = varied_entry(r.seq)?;
        ensure(r.entry == e, || format!("record {} read back as {:?}", r.seq, r.entry))?;
    }
    let distinct: BTreeSet<_> = all.iter().map(|r| r.hash).collect();
    ensure(distinct.len() == all.len(), || "repeated hashes".to_owned())
}

/// Record 1's hash, computed here from the documented layout with SHA-256 directly.
fn first_hash_is_the_documented_one(make: &mut TamperFactory<'_>) -> Outcome {
    use sha2::{Digest, Sha256};
    let (mut store, _tamper) = make();
    let time_ns = T0_S * 1_000_000_000;
    let entry = AuditEntry {
        time: Timestamp::from_unix_nanos(time_ns),
        actor: "node".to_owned(),
        action: "sent".to_owned(),
        object_id: Some("sighting--0a".to_owned()),
        peer: Some(partner("JP")?),
        detail: BTreeMap::from([
            ("x".to_owned(), serde_json::json!(-0.5)),
            ("n".to_owned(), serde_json::json!(7)),
            ("file".to_owned(), serde_json::json!("to-JP.json")),
        ]),
    };
    ensure(store.audit_append(&entry).map_err(err)? == 1, || "first seq".to_owned())?;
    let text = |b: &mut Vec<u8>, s: &str| {
        b.extend_from_slice(&(s.len() as u64).to_be_bytes());
        b.extend_from_slice(s.as_bytes());
    };
    let mut bytes = vec![0u8; 32];
    bytes.extend_from_slice(&1u64.to_be_bytes());
    bytes.extend_from_slice(&time_ns.to_be_bytes());
    text(&mut bytes, "node");
    text(&mut bytes, "sent");
    bytes.push(1);
    text(&mut bytes, "sighting--0a");
    bytes.push(1);
    text(&mut bytes, "JP");
    bytes.extend_from_slice(&3u64.to_be_bytes());
    text(&mut bytes, "file");
    bytes.push(6);
    text(&mut bytes, "to-JP.json");
    text(&mut bytes, "n");
    bytes.push(3);
    bytes.extend_from_slice(&7u64.to_be_bytes());
    text(&mut bytes, "x");
    bytes.push(5);
    bytes.extend_from_slice(&(-0.5f64).to_bits().to_be_bytes());
    let want: [u8; 32] = Sha256::digest(&bytes).into();
    // The same value from Python's hashlib over the same bytes (see the module docs of
    // `audit_chain` for the layout).
    let pinned = "3903c79f0cdf1800cbaedc0f829251a270b92dfde58d030a831ebe4862285ead";
    let got = anchor_of(&*store, 1)?.hash;
    let got_hex = crate::audit_chain::to_hex(&got);
    ensure(got == want && got_hex == pinned, || {
        format!("record 1 hash {got_hex}, expected {pinned}")
    })
}

fn edited_record_found(make: &mut TamperFactory<'_>) -> Outcome {
    use crate::audit_chain::{Tamper, Verdict};
    let edits = [
        AuditEdit::DetailJson(r#"{"n":8}"#.to_owned()),
        AuditEdit::DetailJson(r#"{"n":7,"extra":true}"#.to_owned()),
        AuditEdit::Actor("someone-else".to_owned()),
        AuditEdit::TimeNs(T0_S * 1_000_000_000 + 1),
    ];
    for edit in &edits {
        let (mut store, mut tamper) = make();
        fill_audit(&mut *store, 20)?;
        let head = anchor_of(&*store, 20)?;
        tamper.edit(7, edit)?;
        for anchor in [None, Some(&head)] {
            match verdict(&*store, anchor)? {
                Verdict::Tampered(Tamper::HashMismatch { seq: 7, .. }) => {}
                v => return Err(format!("after {edit:?} (anchor {anchor:?}): {v:?}")),
            }
        }
        let report = store.check().map_err(err)?;
        ensure(report.problems.iter().any(|p| p.contains("audit hash chain: record 7")), || {
            format!("check() after {edit:?}: {report:?}")
        })?;
    }
    Ok(())
}

fn removed_record_found(make: &mut TamperFactory<'_>) -> Outcome {
    use crate::audit_chain::{Tamper, Verdict};
    for (removed, next) in [(10u64, 11u64), (1, 2)] {
        let (mut store, mut tamper) = make();
        fill_audit(&mut *store, 20)?;
        tamper.delete(removed)?;
        let got = verdict(&*store, None)?;
        let want = Verdict::Tampered(Tamper::Gap { expected: removed, found: next });
        ensure(got == want, || format!("after removing {removed}: {got:?}"))?;
    }
    Ok(())
}

fn removed_tail_found_with_anchor(make: &mut TamperFactory<'_>) -> Outcome {
    use crate::audit_chain::{Anchor, ChainHead, Tamper, Verdict};
    let (mut store, mut tamper) = make();
    fill_audit(&mut *store, 20)?;
    let head = anchor_of(&*store, 20)?;
    let before = anchor_of(&*store, 19)?;
    tamper.delete(20)?;
    // The chain alone still holds.
    let got = verdict(&*store, None)?;
    let want = Verdict::Intact(ChainHead { count: 19, head: Some(before) });
    ensure(got == want, || format!("without an anchor: {got:?}"))?;
    let got = verdict(&*store, Some(&head))?;
    let want = Verdict::Tampered(Tamper::AnchorMissing { anchor: head, last_seq: 19 });
    ensure(got == want, || format!("with the anchor: {got:?}"))?;
    // A new record 20 in place of the removed one does not match the anchor.
    store.audit_append(&varied_entry(99)?).map_err(err)?;
    let now = anchor_of(&*store, 20)?;
    let got = verdict(&*store, Some(&head))?;
    let want = Verdict::Tampered(Tamper::AnchorMismatch { anchor: head, stored: now.hash });
    ensure(got == want, || format!("with a replaced record 20: {got:?}"))?;
    // An anchor with a wrong hash for a record that is there.
    let wrong = Anchor { seq: 5, hash: [7; 32] };
    let got = verdict(&*store, Some(&wrong))?;
    ensure(matches!(got, Verdict::Tampered(Tamper::AnchorMismatch { .. })), || {
        format!("wrong anchor hash: {got:?}")
    })
}
