//! The `Detectors` aggregate on a synthetic scenario in the Taiwan Strait, through the
//! tracker, as `kuroshio replay` will run it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_detect::{DetectorConfig, Detectors, Event, EventKind, EventPolicy};
use kuroshio_model::Timestamp;
use kuroshio_model::{Kinematics, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId};
use kuroshio_track::{Tracker, TrackerLimits};
use kuroshio_zones::Catalogue;

fn obs(mmsi: u32, t: i64, lon: f64, lat: f64, speed: f64) -> Observation {
    let mut o = Observation::new(
        TargetId::Vessel(Mmsi::new(mmsi).unwrap()),
        Timestamp::from_unix_seconds(t).unwrap(),
        SourceId::parse("test").unwrap(),
    );
    o.position = Some(Position::new(lon, lat).unwrap());
    o.kinematics = Kinematics { speed_knots: Some(speed), ..Kinematics::default() };
    o
}

struct Run {
    tracker: Tracker,
    detectors: Detectors,
    catalogue: Catalogue,
    policy: EventPolicy,
    tw: PartnerCode,
    out: Vec<Event>,
}

impl Run {
    fn new(config: DetectorConfig) -> Self {
        Self {
            tracker: Tracker::new(TrackerLimits::default()),
            detectors: Detectors::new(config),
            catalogue: Catalogue::builtin().unwrap(),
            policy: EventPolicy::default(),
            tw: PartnerCode::parse("TW").unwrap(),
            out: Vec::new(),
        }
    }

    fn feed(&mut self, o: &Observation) {
        let u = self.tracker.update(o, o.time).unwrap();
        self.detectors.on_update(&u, &self.catalogue, &self.policy, self.tw, &mut self.out);
    }

    fn sweep(&mut self, t: i64) {
        let now = Timestamp::from_unix_seconds(t).unwrap();
        self.detectors.sweep(now, &self.policy, self.tw, &mut self.out);
    }

    fn kinds(&self) -> Vec<EventKind> {
        self.out.iter().map(|e| e.kind).collect()
    }
}

#[test]
fn scenario_through_all_detectors() {
    let mut run = Run::new(DetectorConfig::default());
    // Two vessels 300 m apart, drifting at 0.5 kt, every 3 min for 9 h, west of the median
    // line (24.5°N 119.2°E is on the PRC side: the line is at 119.5°E there).
    for i in 0..=180 {
        let t = i * 180;
        run.feed(&obs(412_000_001, t, 119.2, 24.5, 0.5));
        run.feed(&obs(413_000_002, t + 1, 119.2, 24.5027, 0.5));
    }
    // One goes dark and the sweep notices; it reappears 13 h after its last message, 90 nm
    // away, and on an invalid MMSI a ship reports once.
    let last = 180 * 180 + 1;
    run.sweep(last + 12 * 3600 + 60);
    run.feed(&obs(413_000_002, last + 13 * 3600, 120.8, 24.5, 12.0));
    run.feed(&obs(123_456_789, last + 13 * 3600, 121.5, 21.5, 10.0));
    let kinds = run.kinds();
    let count = |k| kinds.iter().filter(|&&x| x == k).count();
    assert_eq!(count(EventKind::Encounter), 1, "{:#?}", run.out);
    assert_eq!(count(EventKind::Loitering), 2, "{:#?}", run.out);
    // The sweep reports both vessels (both silent since the end of the meeting), the
    // reappearance one more.
    assert_eq!(count(EventKind::AisGap), 3, "{:#?}", run.out);
    assert_eq!(count(EventKind::IdentityConflict), 1, "{:#?}", run.out);
    // The reappearing vessel crossed the median line during its gap (straight segment).
    assert!(count(EventKind::LineCrossing) >= 1, "{:#?}", run.out);
    let reappearance = run
        .out
        .iter()
        .find(|e| e.kind == EventKind::AisGap && !e.details.contains_key("still_dark"))
        .unwrap();
    assert_eq!(reappearance.details["reported_dark"], true);
    assert!(run.out.iter().all(|e| e.marking.originator().as_str() == "TW"));
    // Every record reads back from its JSON form.
    for e in &run.out {
        let back: Event = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!((&back.id, back.kind, back.time), (&e.id, e.kind, e.time));
    }
    // Ids are distinct.
    let mut ids: Vec<_> = run.out.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), run.out.len());
}

#[test]
fn configuration_from_json() {
    let config: DetectorConfig = serde_json::from_str(
        r#"{"ais_gap": {"threshold_s": 600}, "encounter": {"min_duration_s": 1800}}"#,
    )
    .unwrap();
    let mut run = Run::new(config);
    run.feed(&obs(416_000_001, 0, 122.0, 25.0, 8.0));
    run.feed(&obs(416_000_001, 700, 122.01, 25.0, 8.0));
    let kinds = run.kinds();
    let gaps: Vec<_> = run.out.iter().filter(|e| e.kind == EventKind::AisGap).collect();
    assert_eq!(gaps.len(), 1, "{kinds:?}");
    assert_eq!(gaps[0].details["threshold_s"], 600.0);
}

/// A vessel holding position inside the Taiwan 24 nm zone: one `zone_dwell` once it has been
/// inside an hour, none from a sweep after it falls silent (dwell is based on fixes only),
/// and its exit says how long it stayed.
#[test]
fn zone_dwell_through_all_detectors() {
    let mut run = Run::new(DetectorConfig::default());
    // 10 nm off Taichung (24.25°N 120.5°E), inside the Taiwan 12 and 24 nm limits and the
    // ROC ADIZ, every 5 minutes for 50 minutes, at 6 kn (not slow enough to loiter).
    for i in 0..=10 {
        run.feed(&obs(416_000_005, i * 300, 120.3, 24.25, 6.0));
    }
    assert!(run.kinds().iter().all(|&k| k != EventKind::ZoneDwell), "{:#?}", run.out);
    run.feed(&obs(416_000_005, 3600, 120.3, 24.25, 6.0));
    let dwell: Vec<_> = run.out.iter().filter(|e| e.kind == EventKind::ZoneDwell).collect();
    let zones: Vec<_> = dwell.iter().map(|e| e.zone.as_deref().unwrap()).collect();
    assert!(zones.contains(&"taiwan_24nm"), "{zones:?}");
    assert!(!zones.contains(&"fir_taipei"), "FIRs are off by default: {zones:?}");
    assert!(dwell.iter().all(|e| e.details["first_seen_inside"] == true));
    assert!(dwell.iter().all(|e| e.time == Timestamp::from_unix_seconds(3600).unwrap()));
    let before = run.out.len();
    run.sweep(3600 + 13 * 3600);
    assert!(run.out[before..].iter().all(|e| e.kind != EventKind::ZoneDwell), "{:#?}", run.out);
    // Back in 1 h 50 min, heading west out of the 24 nm zone: a silence under the 2 h limit,
    // so the exit carries the stay's length.
    run.feed(&obs(416_000_005, 3600 + 6600, 119.5, 24.25, 6.0));
    let exit = run
        .out
        .iter()
        .find(|e| e.kind == EventKind::ZoneExit && e.zone.as_deref() == Some("taiwan_24nm"))
        .unwrap();
    assert!(exit.details["dwell_s"].as_f64().unwrap() > 3600.0, "{exit:#?}");
    assert_eq!(exit.details["first_seen_inside"], true);
}
