//! `compute` over a small hand-made embedded store: window ends, categories, sectors, events,
//! markings, official records side by side and the 7/30-day comparison, each expected value
//! worked out by hand from the inputs below.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_daily::{Date, Options, compute, to_activity};
use kuroshio_detect::{Entity, Event, EventKind};
use kuroshio_model::{
    FurtherSharing, Marking, Mmsi, Observation, PartnerCode, Position, SourceId, TargetId,
    Timestamp, Tlp,
};
use kuroshio_store::{ActivityRecord, Batch, EmbeddedOptions, EmbeddedStore, Store};
use kuroshio_zones::Catalogue;

fn t(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn fix(target: &TargetId, time: &str, lon: f64, lat: f64, alt: Option<f64>) -> Observation {
    let mut o = Observation::new(target.clone(), t(time), SourceId::parse("test").unwrap());
    o.position = Some(Position::new(lon, lat).unwrap());
    o.kinematics.altitude_ft = alt;
    o
}

fn code(s: &str) -> PartnerCode {
    PartnerCode::parse(s).unwrap()
}

#[test]
fn counts_by_mnd_rules() {
    let dir = std::env::temp_dir().join(format!("kuroshio-daily-compute-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = EmbeddedStore::open(&dir, EmbeddedOptions::default()).unwrap();
    let date = Date::parse("2024-10-15").unwrap();
    let window = date.mnd_window(); // 2024-10-13T22:00Z .. 2024-10-14T22:00Z

    let a1 = TargetId::Local("jrp-north-1".into()); // crosses: northern sector
    let a2 = TargetId::Local("east-1".into()); // eastern sector
    let a3 = TargetId::Local("west-1".into()); // stays west of the line
    let late = TargetId::Local("late-1".into()); // only at the window's end (excluded)
    let plan = TargetId::Local("PLAN-101".into());
    let ccg = TargetId::Vessel(Mmsi::new(413_000_001).unwrap());
    let cargo = TargetId::Vessel(Mmsi::new(538_000_001).unwrap());
    let mut obs = vec![
        fix(&a1, "2024-10-14T01:00:00Z", 119.6, 25.9, Some(24_000.0)),
        fix(&a1, "2024-10-14T01:10:00Z", 121.0, 25.6, Some(24_000.0)),
        fix(&a2, "2024-10-14T03:00:00Z", 122.6, 23.4, Some(30_000.0)),
        fix(&a3, "2024-10-14T04:00:00Z", 118.2, 23.9, Some(20_000.0)),
        fix(&late, "2024-10-14T22:00:00Z", 121.0, 25.6, Some(20_000.0)),
        fix(&plan, "2024-10-14T05:00:00Z", 126.5, 25.2, None),
        fix(&ccg, "2024-10-13T21:59:59Z", 118.6, 24.3, None), // before the window...
        fix(&ccg, "2024-10-13T22:00:00Z", 118.6, 24.3, None), // ...and at its start
        fix(&cargo, "2024-10-14T06:00:00Z", 120.0, 22.0, None),
    ];
    obs[6].ship_type = Some(55);
    obs[7].ship_type = Some(55);
    obs[8].ship_type = Some(70);
    let green =
        Marking::new(code("TW"), Tlp::Green, [code("JP"), code("US")], FurtherSharing::Permitted);
    let strict =
        Marking::new(code("TW"), Tlp::AmberStrict, [code("JP")], FurtherSharing::OriginatorOnly);
    let local = |id: &str| Entity {
        mmsi: None,
        icao24: None,
        report: Some(id.into()),
        name: None,
        callsign: None,
    };
    let events = vec![
        Event::new(
            EventKind::LineCrossing,
            t("2024-10-14T01:05:00Z"),
            local("jrp-north-1"),
            Some("tw_strait_median_line".into()),
            Some("eastward".into()),
            green.clone(),
        ),
        // A civil ship's crossing is not counted (and its marking does not count either).
        Event::new(
            EventKind::GateTransit,
            t("2024-10-14T06:00:00Z"),
            Entity::vessel(Mmsi::new(538_000_001).unwrap()),
            Some("gate_bashi".into()),
            Some("eastbound".into()),
            Marking::originator_only(code("TW")),
        ),
        Event::new(
            EventKind::GateTransit,
            t("2024-10-14T05:00:00Z"),
            local("PLAN-101"),
            Some("gate_miyako".into()),
            Some("south-eastbound".into()),
            green.clone(),
        ),
        Event::new(
            EventKind::AisGap,
            t("2024-10-14T07:00:00Z"),
            Entity::vessel(Mmsi::new(538_000_001).unwrap()),
            None,
            None,
            strict.clone(),
        ),
        // Outside the window.
        Event::new(
            EventKind::Encounter,
            t("2024-10-14T22:00:00Z"),
            Entity::vessel(Mmsi::new(538_000_001).unwrap()),
            None,
            None,
            Marking::originator_only(code("TW")),
        ),
    ];
    store.append(&Batch { observations: &obs, events: &events, cursor: None }).unwrap();
    // An MND record for the day, and earlier node and MND records for the comparison.
    let day = |d: &str| Date::parse(d).unwrap().mnd_window();
    let mnd = |d: &str, aircraft: u64| ActivityRecord {
        source: "mnd".into(),
        document: format!("mnd-{d}"),
        window: day(d),
        hulls: vec![],
        payload: serde_json::json!({"aircraft": aircraft, "crossed": 1, "naval": 2, "official": 1, "balloon_count": 0}),
        raw: String::new(),
    };
    store.put_activity(&mnd("2024-10-15", 153)).unwrap();
    store.put_activity(&mnd("2024-10-14", 10)).unwrap();
    let mut zh = mnd("2024-10-14", 10);
    zh.document = "mnd-2024-10-14-zh".into(); // the same day in Chinese: counted once
    store.put_activity(&zh).unwrap();
    store.put_activity(&mnd("2024-10-01", 40)).unwrap(); // 14 days before: in 30, not in 7
    store.put_activity(&mnd("2024-09-01", 99)).unwrap(); // beyond 30 days

    let catalogue = Catalogue::builtin().unwrap();
    let base =
        Marking::new(code("TW"), Tlp::Clear, [code("JP"), code("US")], FurtherSharing::Permitted);
    let options =
        Options { date, window, partner: code("TW"), base_marking: base, catalogue: &catalogue };
    let r = compute(&store, &options).unwrap();
    // The fixtures' MND payloads hold the figures only, not a daily record of the importer's
    // form: the trends leave them out and name them.
    assert_eq!(r.trends_unreadable.len(), 5, "{:?}", r.trends_unreadable);
    assert!(r.trends_unreadable.iter().all(|n| n.starts_with("mnd/mnd-2024-")));
    assert!(r.trends_monthly.is_empty() && r.trends_yearly.is_empty());
    let f = &r.figures;
    // a1, a2, a3 (late-1 only at the excluded end).
    assert_eq!(f.aircraft, 3, "{:?}", r.targets);
    // a1 (fix at 121.0E 25.6N, east of the line, inside the ADIZ) and a2 (122.6E 23.4N).
    assert_eq!(f.crossed, 2);
    assert_eq!(f.sectors.iter().map(|s| s.name()).collect::<Vec<_>>(), ["northern", "eastern"]);
    assert_eq!((f.naval, f.official), (1, 1));
    assert_eq!(r.median_line.crossings, 1);
    assert_eq!(r.median_line.eastward, 1);
    assert_eq!(r.median_line.aircraft, 1);
    assert_eq!(r.transits.len(), 1, "the civil ship's transit is not counted");
    assert_eq!(r.transits[0].zone, "gate_miyako");
    assert_eq!(r.notable.ais_gap, 1);
    assert_eq!(r.notable.encounter, 0, "the encounter is at the window's (excluded) end");
    // Strictest of CLEAR/JP,US,TW (base), GREEN/JP,US,TW (crossing, transit) and
    // AMBER+STRICT/JP,TW originator-only (gap); the civil ship's transit is not counted.
    assert_eq!(r.marking.tlp(), Tlp::AmberStrict);
    assert_eq!(
        r.marking.releasable_to().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["JP", "TW"]
    );
    assert_eq!(r.marking.further_sharing(), FurtherSharing::OriginatorOnly);
    // The MND record of the day, side by side.
    assert_eq!(r.official.len(), 1);
    assert_eq!(r.official[0].figures.as_ref().unwrap().aircraft, Some(153));
    // Comparison: 7 days has the 14th (once, not twice); 30 days adds the 1st.
    let mnd7 = &r.comparison[0].sources[1];
    assert_eq!((mnd7.source.as_str(), mnd7.days, mnd7.aircraft_mean), ("mnd", 1, Some(10.0)));
    let mnd30 = &r.comparison[1].sources[1];
    assert_eq!((mnd30.days, mnd30.aircraft_mean, mnd30.aircraft_max), (2, Some(25.0), Some(40)));
    assert_eq!(r.comparison[0].sources[0].days, 0, "no node record yet");

    // The node's record of the day feeds the next day's comparison.
    store.put_activity(&to_activity(&r, window)).unwrap();
    let next = Date::parse("2024-10-16").unwrap();
    let r2 =
        compute(&store, &Options { date: next, window: next.mnd_window(), ..options }).unwrap();
    let node7 = &r2.comparison[0].sources[0];
    assert_eq!((node7.days, node7.aircraft_mean, node7.crossed_mean), (1, Some(3.0), Some(2.0)));
    let _ = std::fs::remove_dir_all(&dir);
}
