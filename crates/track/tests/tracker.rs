//! Behaviour of the tracker on hand-made observation sequences: ordering, identity merging,
//! history, eviction, staleness, dead reckoning and hostile values.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_model::{
    Icao24, Kinematics, Mmsi, Observation, Position, SourceId, TargetId, Timestamp,
};
use kuroshio_track::{HISTORY_LEN, Rejected, Track, TrackKey, TrackKind, Tracker, TrackerLimits};

const T0_S: i64 = 1_780_000_000;

fn at(seconds: f64) -> Timestamp {
    Timestamp::from_unix_seconds(T0_S).unwrap().saturating_add_nanos((seconds * 1e9) as i64)
}

fn vessel(mmsi: u32) -> TargetId {
    TargetId::Vessel(Mmsi::new(mmsi).unwrap())
}

fn aircraft(icao: u32) -> TargetId {
    TargetId::Aircraft(Icao24::new(icao).unwrap())
}

fn key(target: &TargetId) -> TrackKey {
    TrackKey::from_target(target).unwrap()
}

fn report(target: &TargetId, t_s: f64, lon: f64, lat: f64) -> Observation {
    let mut o = Observation::new(target.clone(), at(t_s), SourceId::parse("feed-a").unwrap());
    o.position = Some(Position::new(lon, lat).unwrap());
    o.kinematics =
        Kinematics { speed_knots: Some(10.0), course_deg: Some(90.0), ..Kinematics::default() };
    o
}

fn identity(target: &TargetId, t_s: f64, name: &str) -> Observation {
    let mut o = Observation::new(target.clone(), at(t_s), SourceId::parse("feed-a").unwrap());
    o.name = Some(name.to_owned());
    o
}

#[test]
fn update_reports_previous_and_current_fix_and_gap() {
    let v = vessel(431_000_001);
    let mut tr = Tracker::new(TrackerLimits::default());
    let u = tr.update(&report(&v, 0.0, 121.0, 24.0), at(0.0)).unwrap();
    assert!(u.new_track && u.fix_added);
    assert_eq!((u.previous, u.gap_s), (None, None));
    assert_eq!(u.current.unwrap().lon_deg, 121.0);
    assert_eq!(u.key, &key(&v));

    let u = tr.update(&report(&v, 30.0, 121.01, 24.0), at(30.0)).unwrap();
    assert!(!u.new_track && u.fix_added);
    assert_eq!(u.gap_s, Some(30.0));
    let (p, c) = (u.previous.unwrap(), u.current.unwrap());
    assert_eq!((p.time, p.lon_deg), (at(0.0), 121.0));
    assert_eq!(
        (c.time, c.lat_deg, c.speed_knots, c.course_deg),
        (at(30.0), 24.0, Some(10.0), Some(90.0))
    );
    assert!((c.lon_deg - 121.01).abs() < 1e-7);

    // An identity-only observation keeps the fix and reports the gap.
    let u = tr.update(&identity(&v, 40.0, "KUROSHIO MARU"), at(40.0)).unwrap();
    assert!(!u.fix_added && u.identity_learned && !u.identity_changed);
    assert_eq!(u.previous, u.current);
    assert_eq!(u.gap_s, Some(10.0));
    assert_eq!(u.track.observation_count(), 3);
    assert_eq!((u.track.first_seen(), u.track.last_seen()), (at(0.0), at(40.0)));
}

#[test]
fn out_of_order_and_future_observations() {
    let v = vessel(431_000_002);
    let mut tr = Tracker::new(TrackerLimits::default());
    tr.update(&report(&v, 100.0, 121.0, 24.0), at(100.0)).unwrap();
    // 20 s older than the last: beyond the 10 s tolerance.
    let err = tr.update(&report(&v, 80.0, 120.0, 24.0), at(100.0)).unwrap_err();
    assert!(
        matches!(err, Rejected::OutOfOrder { behind_ms: 20_000, tolerance_ms: 10_000, .. }),
        "{err}"
    );
    // 3 s older: folded in, but the history keeps time order.
    let u = tr.update(&report(&v, 97.0, 120.5, 24.0), at(100.0)).unwrap();
    assert!(!u.fix_added);
    assert_eq!(u.gap_s, Some(-3.0));
    assert_eq!(u.current.unwrap().lon_deg, 121.0);
    // Two minutes ahead of now: rejected, and no track is created for a new target.
    let w = vessel(431_000_003);
    let err = tr.update(&report(&w, 220.0, 121.0, 24.0), at(100.0)).unwrap_err();
    assert!(matches!(err, Rejected::Future { ahead_ms: 120_000, .. }), "{err}");
    assert!(tr.get(&key(&w)).is_none());
    // The same report heard twice is not stored twice.
    tr.update(&report(&v, 110.0, 121.1, 24.0), at(110.0)).unwrap();
    let u = tr.update(&report(&v, 110.0, 121.1, 24.0), at(110.0)).unwrap();
    assert!(!u.fix_added);
    let s = tr.stats();
    assert_eq!(
        (s.accepted, s.rejected_out_of_order, s.rejected_future, s.late_fixes, s.duplicate_fixes),
        (4, 1, 1, 1, 1)
    );
    assert_eq!(tr.get(&key(&v)).unwrap().history().len(), 2);
}

#[test]
fn identity_fields_merge_and_changes_are_flagged() {
    let v = vessel(431_000_004);
    let mut tr = Tracker::new(TrackerLimits::default());
    tr.update(&report(&v, 0.0, 121.0, 24.0), at(0.0)).unwrap();
    let mut stat = identity(&v, 5.0, "  SHINKAI  ");
    stat.callsign = Some("JD1234".into());
    stat.imo = Some(9_300_000);
    stat.ship_type = Some(70);
    let u = tr.update(&stat, at(5.0)).unwrap();
    assert!(u.identity_learned && !u.identity_changed);
    // A later message without identity, and one with blanks, change nothing.
    let mut blank = identity(&v, 6.0, "   ");
    blank.imo = Some(0);
    let u = tr.update(&blank, at(6.0)).unwrap();
    assert!(!u.identity_learned && !u.identity_changed);
    let u = tr.update(&report(&v, 7.0, 121.0, 24.0), at(7.0)).unwrap();
    assert!(!u.identity_learned && !u.identity_changed);
    let id = *u.track.identity();
    assert_eq!(id.name.unwrap().as_str(), "SHINKAI");
    assert_eq!(id.callsign.unwrap().as_str(), "JD1234");
    assert_eq!(id.imo.map(|n| n.get()), Some(9_300_000));
    assert_eq!(id.ship_type, Some(70));
    // A new name is a change; the other fields stay.
    let u = tr.update(&identity(&v, 8.0, "SHINKAI 2"), at(8.0)).unwrap();
    assert!(u.identity_changed && !u.identity_learned);
    assert_eq!(u.track.identity().name.unwrap().as_str(), "SHINKAI 2");
    assert_eq!(u.track.identity().callsign.unwrap().as_str(), "JD1234");

    let a = aircraft(0x86_d1a3);
    let mut o = Observation::new(a.clone(), at(9.0), SourceId::parse("sbs-naha").unwrap());
    o.aircraft_category = Some("A3".into());
    o.name = Some("JAL123".into());
    let u = tr.update(&o, at(9.0)).unwrap();
    assert_eq!(u.track.identity().aircraft_category.unwrap().as_str(), "A3");
    assert_eq!(u.track.key().kind(), TrackKind::Aircraft);
}

#[test]
fn history_is_a_ring_of_the_newest_fixes() {
    let v = vessel(431_000_005);
    let mut tr = Tracker::new(TrackerLimits::default());
    for i in 0..(HISTORY_LEN + 4) {
        tr.update(&report(&v, i as f64 * 10.0, 121.0 + i as f64 * 0.01, 24.0), at(i as f64 * 10.0))
            .unwrap();
    }
    let t = tr.get(&key(&v)).unwrap();
    let times: Vec<Timestamp> = t.history().map(|f| f.time).collect();
    let want: Vec<Timestamp> = (4..HISTORY_LEN + 4).map(|i| at(i as f64 * 10.0)).collect();
    assert_eq!(times, want);
    assert_eq!(t.last_fix().unwrap().time, at((HISTORY_LEN + 3) as f64 * 10.0));
    assert_eq!(t.history().next_back().unwrap(), t.last_fix().unwrap());
}

#[test]
fn full_table_evicts_the_least_recently_updated_track() {
    let mut tr = Tracker::new(TrackerLimits { max_tracks: 3, ..TrackerLimits::default() });
    let ids: Vec<TargetId> = (1..=5).map(|i| vessel(431_000_100 + i)).collect();
    for (i, id) in ids.iter().take(3).enumerate() {
        tr.update(&report(id, i as f64, 121.0, 24.0), at(i as f64)).unwrap();
    }
    // Touch the oldest, so the second becomes least recently updated.
    tr.update(&report(&ids[0], 3.0, 121.0, 24.0), at(3.0)).unwrap();
    let u = tr.update(&report(&ids[3], 4.0, 121.0, 24.0), at(4.0)).unwrap();
    assert!(u.new_track);
    assert_eq!(tr.len(), 3);
    assert!(tr.get(&key(&ids[1])).is_none());
    for i in [0, 2, 3] {
        assert!(tr.get(&key(&ids[i])).is_some(), "{i}");
    }
    tr.update(&report(&ids[4], 5.0, 121.0, 24.0), at(5.0)).unwrap();
    assert!(tr.get(&key(&ids[2])).is_none());
    assert_eq!(tr.stats().evicted_full, 2);
    assert_eq!(tr.tracks().count(), 3);
    // An evicted target comes back as a new track.
    let u = tr.update(&report(&ids[1], 6.0, 121.0, 24.0), at(6.0)).unwrap();
    assert!(u.new_track);
    assert_eq!(u.track.observation_count(), 1);
}

#[test]
fn a_track_keeps_its_slot_and_a_reused_slot_is_a_new_generation() {
    let mut tr = Tracker::new(TrackerLimits { max_tracks: 2, ..TrackerLimits::default() });
    let (a, b, c) = (vessel(431_000_201), vessel(431_000_202), aircraft(0x00ab_cdef));
    let sa = tr.update(&report(&a, 0.0, 121.0, 24.0), at(0.0)).unwrap().slot;
    let sb = tr.update(&report(&b, 1.0, 121.0, 24.0), at(1.0)).unwrap().slot;
    assert_ne!(sa.index(), sb.index());
    assert!(sa.index() < 2 && sb.index() < 2);
    // Updates and identity-only observations keep the slot.
    assert_eq!(tr.update(&report(&a, 2.0, 121.1, 24.0), at(2.0)).unwrap().slot, sa);
    assert_eq!(tr.update(&identity(&a, 3.0, "SHIP A"), at(3.0)).unwrap().slot, sa);
    // C evicts B (least recently updated) and takes its slot, one generation on.
    let sc = tr.update(&report(&c, 4.0, 121.0, 24.0), at(4.0)).unwrap().slot;
    assert_eq!(sc.index(), sb.index());
    assert_eq!(sc.generation(), sb.generation().wrapping_add(1));
    assert_ne!(sc, sb);
    // B comes back as a new track: A is now the least recently updated, so B takes A's slot.
    let sb2 = tr.update(&report(&b, 5.0, 121.0, 24.0), at(5.0)).unwrap().slot;
    assert_eq!(sb2.index(), sa.index());
    assert_eq!(sb2.generation(), sa.generation().wrapping_add(1));
    // A sweep frees slots; the next new track in a freed slot is a new generation too.
    assert_eq!(tr.sweep(at(5.0 + 7.0 * 3600.0)), 2);
    let sa2 = tr.update(&report(&a, 30_000.0, 121.0, 24.0), at(30_000.0)).unwrap().slot;
    assert!(sa2.index() < 2);
    assert!(sa2 != sa && sa2 != sb2, "{sa2:?}");
}

#[test]
fn staleness_and_sweep_follow_the_kind_limits() {
    let v = vessel(431_000_006);
    let a = aircraft(0x86_d1a4);
    let mut tr = Tracker::new(TrackerLimits::default());
    tr.update(&report(&v, 0.0, 121.0, 24.0), at(0.0)).unwrap();
    tr.update(&report(&a, 0.0, 121.0, 24.0), at(0.0)).unwrap();
    let stale = |tr: &Tracker, s: f64| -> Vec<TrackKind> {
        tr.stale(at(s)).map(|t: &Track| t.key().kind()).collect()
    };
    assert!(stale(&tr, 60.0).is_empty());
    assert_eq!(stale(&tr, 61.0), [TrackKind::Aircraft]);
    assert_eq!(stale(&tr, 601.0).len(), 2);
    assert_eq!(tr.sweep(at(300.0)), 0);
    assert_eq!(tr.sweep(at(301.0)), 1);
    assert!(tr.get(&key(&a)).is_none());
    assert_eq!(tr.sweep(at(6.0 * 3600.0)), 0);
    assert_eq!(tr.sweep(at(6.0 * 3600.0 + 1.0)), 1);
    assert!(tr.is_empty());
    assert_eq!(tr.stats().dropped_stale, 2);
    // Swept slots are reused.
    tr.update(&report(&v, 7.0 * 3600.0, 121.0, 24.0), at(7.0 * 3600.0)).unwrap();
    assert_eq!(tr.len(), 1);
}

#[test]
fn dead_reckoning_within_the_horizon() {
    let v = vessel(431_000_007);
    let mut tr = Tracker::new(TrackerLimits::default());
    tr.update(&report(&v, 0.0, 121.0, 24.0), at(0.0)).unwrap();
    let t = tr.get(&key(&v)).unwrap();
    // 10 kt east for 30 min = 5 nm = 5 arc-minutes of a great circle on a sphere where one
    // arc-minute is 1853.25 m: 0.083281° / cos 24° of longitude.
    let (lon, lat) = t.predicted_position(at(1800.0)).unwrap();
    let want = (5.0 * 1852.0 / 6_371_008.8_f64).to_degrees() / 24f64.to_radians().cos();
    assert!((lon - 121.0 - want).abs() < 1e-6, "{lon} {want}");
    assert!((lon - 121.0 - 0.091_163).abs() < 1e-5, "{lon}");
    // The great circle bends towards the equator by about 3 m (2.7e-5°) over 5 nm.
    assert!((24.0 - lat - 2.7e-5).abs() < 1e-6, "{lat}");
    assert!(t.predicted_position(at(1801.0)).is_none());
    let a = aircraft(0x86_d1a5);
    tr.update(&report(&a, 0.0, 121.0, 24.0), at(0.0)).unwrap();
    let t = tr.get(&key(&a)).unwrap();
    assert!(t.predicted_position(at(120.0)).is_some());
    assert!(t.predicted_position(at(121.0)).is_none());
}

#[test]
fn motion_from_a_separate_message_is_carried_into_the_fix() {
    let a = aircraft(0x86_d1a6);
    let mut tr = Tracker::new(TrackerLimits::default());
    let mut vel = Observation::new(a.clone(), at(0.0), SourceId::parse("sbs").unwrap());
    vel.kinematics =
        Kinematics { speed_knots: Some(450.0), course_deg: Some(45.0), ..Kinematics::default() };
    tr.update(&vel, at(0.0)).unwrap();
    let mut pos = Observation::new(a.clone(), at(0.5), SourceId::parse("sbs").unwrap());
    pos.position = Some(Position::new(135.0, 34.5).unwrap());
    pos.kinematics.altitude_ft = Some(35_000.0);
    let c = tr.update(&pos, at(0.5)).unwrap().current.unwrap();
    assert_eq!(
        (c.speed_knots, c.course_deg, c.altitude_ft),
        (Some(450.0), Some(45.0), Some(35_000.0))
    );
    // Twenty seconds later the old velocity is not carried.
    let mut late = pos.clone();
    late.time = at(20.5);
    late.kinematics = Kinematics::default();
    let c = tr.update(&late, at(20.5)).unwrap().current.unwrap();
    assert_eq!((c.speed_knots, c.altitude_ft), (None, None));
}

#[test]
fn sources_are_bounded_per_track() {
    let v = vessel(431_000_008);
    let mut tr = Tracker::new(TrackerLimits::default());
    for (i, s) in ["a", "b", "c", "d", "e", "b"].iter().enumerate() {
        let mut o = report(&v, i as f64, 121.0, 24.0);
        o.source = SourceId::parse(s).unwrap();
        tr.update(&o, at(i as f64)).unwrap();
    }
    let t = tr.get(&key(&v)).unwrap();
    let names: Vec<&str> = t.source_numbers().map(|n| tr.source(n).unwrap().as_str()).collect();
    assert_eq!(names, ["b", "e", "d", "c"]);
}

#[test]
fn hostile_values_are_rejected_or_ignored_without_panicking() {
    let mut tr = Tracker::new(TrackerLimits { max_tracks: 0, ..TrackerLimits::default() });
    assert_eq!(tr.limits().max_tracks, 1);
    let long = TargetId::Local("x".repeat(65));
    let o = Observation::new(long, at(0.0), SourceId::parse("m").unwrap());
    assert!(matches!(tr.update(&o, at(0.0)), Err(Rejected::UnsupportedTarget { .. })));
    let v = vessel(431_000_009);
    let mut o = report(&v, 0.0, 121.0, 24.0);
    o.kinematics = Kinematics {
        speed_knots: Some(f64::NAN),
        course_deg: Some(f64::INFINITY),
        altitude_ft: Some(1e300),
        ..Kinematics::default()
    };
    let c = tr.update(&o, at(0.0)).unwrap().current.unwrap();
    assert_eq!((c.speed_knots, c.course_deg, c.altitude_ft), (None, None, None));
    assert!(tr.get(&key(&v)).unwrap().predicted_position(at(10.0)).is_none());
    // Negative speed and a course of 360 are out of range.
    o.kinematics =
        Kinematics { speed_knots: Some(-1.0), course_deg: Some(360.0), ..Kinematics::default() };
    o.time = at(1.0);
    let c = tr.update(&o, at(1.0)).unwrap().current.unwrap();
    assert_eq!((c.speed_knots, c.course_deg), (None, None));
    // Extreme instants saturate instead of overflowing.
    for (t, now) in
        [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (i64::MIN, i64::MIN), (i64::MAX, i64::MAX)]
    {
        let mut o = report(&vessel(431_000_010), 0.0, 0.0, 0.0);
        o.time = Timestamp::from_unix_nanos(t);
        let _ = tr.update(&o, Timestamp::from_unix_nanos(now));
        tr.sweep(Timestamp::from_unix_nanos(now));
        for t in tr.tracks() {
            let _ = (
                t.is_stale(Timestamp::from_unix_nanos(now)),
                t.predicted_position(Timestamp::from_unix_nanos(now)),
            );
        }
    }
    // Local ids are tracked like any other.
    let local = TargetId::Local("sighting-17".into());
    let mut o = Observation::new(local.clone(), at(0.0), SourceId::parse("m").unwrap());
    o.position = Some(Position::new(122.0, 25.0).unwrap());
    assert!(tr.update(&o, at(0.0)).unwrap().new_track);
    assert_eq!(tr.get(&key(&local)).unwrap().key().kind(), TrackKind::Local);
}

/// One million tracks must fit in 1.5 GB: at most 1,500 bytes a track, all included, even
/// right after the slab has doubled; with `max_tracks` reached the slab is exactly full and a
/// track costs its slot plus its index entry.
#[test]
fn per_track_memory_stays_within_budget() {
    let track_bytes = size_of::<Track>();
    assert!(track_bytes <= 640, "size_of::<Track>() = {track_bytes}");
    let n = 20_000;
    let fill = |max_tracks: usize| {
        let mut tr = Tracker::new(TrackerLimits { max_tracks, ..TrackerLimits::default() });
        for i in 0..n {
            let o = report(&vessel(200_000_000 + i), 0.0, 121.0, 24.0);
            tr.update(&o, at(0.0)).unwrap();
        }
        assert_eq!(tr.len(), n as usize);
        tr.memory_bytes() / tr.len()
    };
    let full = fill(n as usize);
    assert!((track_bytes..=track_bytes + 100).contains(&full), "{full} bytes a track when full");
    let growing = fill(1_000_000);
    assert!(growing <= 1_500, "{growing} bytes a track while growing");
}
