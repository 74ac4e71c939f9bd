//! Real AIS folded through the tracker: recorded feeds decoded by `kuroshio-ais`, and a NOAA
//! MarineCadastre extract decoded by NOAA's own pipeline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_ais::observation::observation;
use kuroshio_ais::stream::{StreamDecoder, StreamOptions};
use kuroshio_model::{Kinematics, Mmsi, Observation, Position, SourceId, TargetId, Timestamp};
use kuroshio_track::{TrackKey, Tracker, TrackerLimits};

/// Decodes a feed into observations in arrival order, timed by its `$PGHP` / tag-block
/// receive times (messages without one are skipped).
fn feed_observations(relative: &str) -> Option<Vec<Observation>> {
    let path = kuroshio_testdata::path(relative)?;
    let data = std::fs::read(path).unwrap();
    let fallback = SourceId::parse("feed").unwrap();
    let mut decoder = StreamDecoder::new(StreamOptions::default());
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        decoder.push_line(line, |d| {
            let Some(time) = d.meta.received_unix_ms.and_then(Timestamp::from_unix_millis) else {
                return;
            };
            let source = d.meta.station.and_then(|s| SourceId::parse(s).ok());
            if let Some(o) = observation(&d.message, time, source.as_ref().unwrap_or(&fallback)) {
                out.push(o);
            }
        });
    }
    Some(out)
}

fn mmsi_of(o: &Observation) -> u32 {
    match &o.target {
        TargetId::Vessel(m) => m.get(),
        other => panic!("not a vessel: {other:?}"),
    }
}

/// Feeds observations with `now` = the newest time seen so far (a live feed's clock).
fn fold(observations: &[Observation]) -> Tracker {
    let mut tracker = Tracker::new(TrackerLimits::default());
    let mut now = Timestamp::EPOCH;
    for o in observations {
        now = now.max(o.time);
        let _ = tracker.update(o, now);
    }
    tracker
}

fn check_feed(relative: &str) {
    let Some(obs) = feed_observations(relative) else { return };
    assert!(obs.len() > 500, "{relative}: {} observations", obs.len());
    let tracker = fold(&obs);
    let stats = *tracker.stats();
    let mmsis: BTreeSet<u32> = obs.iter().map(mmsi_of).collect();
    assert_eq!(tracker.len(), mmsis.len(), "{relative}");
    assert_eq!(stats.new_tracks as usize, mmsis.len());
    // These recordings are in time order to within the 10 s tolerance, so nothing is
    // rejected and the name check below can be exact.
    assert_eq!(stats.accepted, obs.len() as u64, "{relative}: {stats:?}");

    // Identity: the latest non-empty name each vessel reported, among observations the
    // tracker accepted; and at least one vessel whose name came after its first position.
    let mut named_late = 0;
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut first_position: BTreeMap<u32, Timestamp> = BTreeMap::new();
    for o in &obs {
        let m = mmsi_of(o);
        if o.position.is_some() {
            first_position.entry(m).or_insert(o.time);
        }
        if let Some(n) = o.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            if first_position.get(&m).is_some_and(|&t| t < o.time) {
                named_late += 1;
            }
            names.insert(m, n.to_owned());
        }
    }
    assert!(named_late > 0, "{relative}: no vessel named after its first position");
    let mut checked = 0;
    for (m, name) in &names {
        let key = TrackKey::Vessel(Mmsi::new(*m).unwrap());
        let track = tracker.get(&key).unwrap();
        let got = track.identity().name.map(|n| n.as_str().to_owned());
        assert_eq!(got.as_deref(), Some(name.as_str()), "{relative}: MMSI {m}");
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn dma_stream_example_builds_one_track_per_mmsi_with_names() {
    check_feed("dma-aislib/stream_example.txt");
}

#[test]
fn aisdb_tag_block_feed_builds_one_track_per_mmsi_with_names() {
    check_feed("aisdb/test_data_20211101.nm4");
}

/// One NOAA MarineCadastre row (decoded from AIS by NOAA's pipeline).
struct NoaaRow {
    mmsi: u32,
    time: Timestamp,
    lon: f64,
    lat: f64,
    sog: Option<f64>,
    cog: Option<f64>,
    name: String,
    imo: Option<u32>,
    callsign: String,
    vessel_type: Option<u8>,
}

fn noaa_rows() -> Option<Vec<NoaaRow>> {
    let path = kuroshio_testdata::path("aisdb/test_data_noaa_20230101.csv")?;
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        // MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,...
        let f: Vec<&str> = line.split(',').collect();
        rows.push(NoaaRow {
            mmsi: f[0].parse().unwrap(),
            time: Timestamp::parse(&format!("{}Z", f[1])).unwrap(),
            lat: f[2].parse().unwrap(),
            lon: f[3].parse().unwrap(),
            sog: f[4].parse().ok(),
            // MarineCadastre writes the AIS "not available" course (3600) as 360.0.
            cog: f[5].parse().ok().filter(|&c: &f64| c < 360.0),
            name: f[7].to_owned(),
            imo: f[8].strip_prefix("IMO").and_then(|n| n.parse().ok()),
            callsign: f[9].to_owned(),
            vessel_type: f[10].parse().ok(),
        });
    }
    Some(rows)
}

#[test]
fn noaa_marinecadastre_rows_become_tracks_with_their_identity_and_last_fix() {
    let Some(rows) = noaa_rows() else { return };
    assert_eq!(rows.len(), 1000);
    let source = SourceId::parse("noaa-marinecadastre").unwrap();
    let mut sorted: Vec<&NoaaRow> = rows.iter().collect();
    sorted.sort_by_key(|r| r.time);
    let obs: Vec<Observation> = sorted
        .iter()
        .map(|r| {
            let mut o = Observation::new(
                TargetId::Vessel(Mmsi::new(r.mmsi).unwrap()),
                r.time,
                source.clone(),
            );
            o.position = Some(Position::new(r.lon, r.lat).unwrap());
            o.kinematics =
                Kinematics { speed_knots: r.sog, course_deg: r.cog, ..Kinematics::default() };
            o.name = Some(r.name.clone());
            o.callsign = Some(r.callsign.clone());
            o.imo = r.imo;
            o.ship_type = r.vessel_type;
            o
        })
        .collect();
    let mut tracker = fold(&obs);
    let mmsis: BTreeSet<u32> = rows.iter().map(|r| r.mmsi).collect();
    assert_eq!(tracker.len(), mmsis.len());

    // The newest row of each MMSI is its track's last fix and identity.
    let mut newest: BTreeMap<u32, &NoaaRow> = BTreeMap::new();
    for r in &rows {
        let e = newest.entry(r.mmsi).or_insert(r);
        if r.time >= e.time {
            *e = r;
        }
    }
    for (m, r) in &newest {
        let t = tracker.get(&TrackKey::Vessel(Mmsi::new(*m).unwrap())).unwrap();
        let f = t.last_fix().unwrap();
        assert_eq!(f.time, r.time);
        assert!((f.lon_deg - r.lon).abs() < 1e-7 && (f.lat_deg - r.lat).abs() < 1e-7, "{m}");
        assert_eq!(f.speed_knots, r.sog.map(|v| v as f32), "{m}");
        assert_eq!(f.course_deg, r.cog.map(|v| v as f32), "{m}");
        let id = t.identity();
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        assert_eq!(id.name.map(|n| n.to_string()), text(&r.name), "{m}");
        assert_eq!(id.callsign.map(|n| n.to_string()), text(&r.callsign), "{m}");
        assert_eq!(id.imo.map(|n| n.get()), r.imo.filter(|&n| n != 0), "{m}");
        assert_eq!(id.ship_type, r.vessel_type, "{m}");
    }

    // At the end of the day: stale after 10 min, dropped after 6 h, counted from the rows.
    let end = rows.iter().map(|r| r.time).max().unwrap();
    let older_than =
        |s: i64| newest.values().filter(|r| end.nanos_since(r.time) > s * 1_000_000_000).count();
    let stale = older_than(600);
    assert!(stale > 0 && stale < newest.len());
    assert_eq!(tracker.stale(end).count(), stale);
    let old = older_than(6 * 3600);
    assert!(old > 0);
    assert_eq!(tracker.sweep(end), old);
    assert_eq!(tracker.len(), newest.len() - old);
}
