//! End-to-end checks of the generator: determinism, wire validity through the repository's own
//! decoders, reporting intervals, and that every injected activity is really in the data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::PathBuf;

use kuroshio_ais::AisMessage;
use kuroshio_ais::stream::{StreamDecoder, StreamOptions};
use kuroshio_sim::reporting::{class_a_interval_s, class_b_interval_s};
use kuroshio_sim::track_format::parse_point;
use kuroshio_sim::wire::{AisWriter, Stream, write_record};
use kuroshio_sim::{Generator, Scenario, TruthEntity, TruthRecord};
use kuroshio_zones::{Catalogue, ZoneKind};

struct Output {
    ais: String,
    tracks: String,
    beast: Vec<u8>,
    truth: Vec<TruthRecord>,
    report: String,
    tally: kuroshio_sim::report::Tally,
}

fn run(s: &Scenario, hours: Option<f64>) -> Output {
    let mut g = Generator::new(s, hours).unwrap();
    let mut w = AisWriter::new();
    let (mut ais, mut tracks, mut beast, mut buf) =
        (String::new(), String::new(), Vec::new(), Vec::new());
    let mut last = None;
    for r in g.by_ref() {
        if let Some(t) = last {
            assert!(r.time() >= t, "records out of order");
        }
        last = Some(r.time());
        buf.clear();
        match write_record(&r, &mut w, &mut buf).unwrap() {
            (Stream::Ais, _) => ais.push_str(std::str::from_utf8(&buf).unwrap()),
            (Stream::Tracks, _) => tracks.push_str(std::str::from_utf8(&buf).unwrap()),
            (Stream::Beast, _) => beast.extend_from_slice(&buf),
            (other, _) => panic!("unexpected stream {other:?}"),
        }
    }
    let report = g.daily_report();
    Output { ais, tracks, beast, truth: g.take_truth(), report, tally: g.tally().clone() }
}

/// A position or identity decoded from the Beast output the way `kuroshio replay` does it:
/// Beast deframer, GPS time-of-day clock from the scenario's start date, Mode S decoder
/// without a receiver reference.
struct AirFix {
    time: kuroshio_model::Timestamp,
    icao24: u32,
    position: Option<(f64, f64)>,
    callsign: Option<String>,
    altitude_ft: Option<i32>,
    tc: u8,
}

fn decode_beast(beast: &[u8], start: kuroshio_model::Timestamp) -> Vec<AirFix> {
    use kuroshio_adsb::decode::Content;
    use kuroshio_adsb::frame::{BeastDeframer, Frame, FrameTime, GpsDayClock};
    use kuroshio_adsb::stream::{ModeSDecoder, ModeSOptions};
    let (y, mo, d, ..) = start.to_civil();
    let mut clock = GpsDayClock::on_date(y, mo, d).unwrap();
    let mut deframer = BeastDeframer::new();
    let mut dec = ModeSDecoder::new(ModeSOptions::default());
    let mut out = Vec::new();
    let mut rest = beast;
    loop {
        let taken = deframer.push(rest);
        rest = &rest[taken..];
        while let Some(f) = deframer.next_frame() {
            let f = f.unwrap();
            let Some(FrameTime::Mlat12MHz(stamp)) = f.timestamp else { panic!("no stamp") };
            let t = clock.time(stamp).unwrap();
            let timed =
                Frame { timestamp: Some(FrameTime::UnixSeconds(t.unix_seconds_f64())), ..f };
            dec.push_frame(&timed, 0.0, |d| {
                let Content::ExtendedSquitter(es) = &d.message.content else { panic!("not DF17") };
                out.push(AirFix {
                    time: kuroshio_model::Timestamp::from_unix_seconds_f64(d.unix_s.unwrap())
                        .unwrap(),
                    icao24: d.message.icao24.unwrap(),
                    position: d.position.map(|p| (p.lon_deg, p.lat_deg)),
                    callsign: d.message.callsign().map(|c| c.trimmed().to_owned()),
                    altitude_ft: d.message.altitude_ft(),
                    tc: es.tc,
                });
            });
        }
        if rest.is_empty() {
            break;
        }
    }
    assert!(deframer.finish().is_none());
    assert_eq!(deframer.stats().resyncs, 0);
    assert!(dec.stats().errors.is_empty(), "{:?}", dec.stats().errors);
    out
}

/// Every activity early, little background traffic: small enough for a debug build.
const SMALL: &str = r#"
name = "small"
start = "2026-03-10T00:00:00Z"
hours = 4
seed = 7
[traffic]
cargo = 15
tanker = 5
passenger = 3
fishing = 15
aircraft_tracks = 3
airliners = 36

[[activity]]
kind = "go_dark"
id = "dark"
lane = "bashi_channel"
start_h = 1
gap_h = 2

[[activity]]
kind = "encounter"
id = "meet"
position = [123.8, 26.9]
start_h = 1
duration_h = 2.2

[[activity]]
kind = "spoofer"
id = "spoof"
position = [123.2, 23.0]
spoof_position = [124.0, 21.0]
start_h = 2
duration_h = 1

[[activity]]
kind = "naval_transit"
id = "miyako"
route = [[125.9, 26.2], [126.5, 25.2], [127.5, 24.2]]
ships = 2
speed_knots = 30
start_h = 0
names = ["PLAN-1", "PLAN-2"]

[[activity]]
kind = "sorties"
id = "jrp"
route = [[118.9, 24.5], [119.9, 24.1]]
aircraft = 3
speed_knots = 420
altitude_ft = 20000
start_h = 0.5
loiter_min = 10
zones = ["roc_adiz_east_of_median_line"]

[[activity]]
kind = "patrol"
id = "ccg"
route = [[123.30, 26.30], [123.45, 26.12], [123.85, 26.20], [124.10, 26.25]]
ships = 2
speed_knots = 12
start_h = 0
duration_h = 4
zones = ["senkaku_diaoyu_24nm"]

[[activity]]
kind = "militia"
id = "cluster"
centre = [118.7, 22.6]
radius_nm = 2
vessels = 3
start_h = 0
duration_h = 4
"#;

fn small() -> Scenario {
    Scenario::from_toml(SMALL).unwrap()
}

/// Decodes the AIS text; returns (unix ms, message) in order, asserting no decode errors.
fn decode(ais: &str) -> Vec<(i64, AisMessage)> {
    let mut d = StreamDecoder::new(StreamOptions::default());
    let mut out = Vec::new();
    for line in ais.lines() {
        d.push_line(line.as_bytes(), |m| {
            out.push((m.meta.received_unix_ms.unwrap_or(-1), m.message));
        });
    }
    d.finish();
    assert_eq!(d.stats().error_count(), 0, "{:?}", d.stats().errors);
    assert_eq!(d.stats().tag_checksum_accepted, 0);
    out
}

fn xor(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |a, b| a ^ b)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = run(&small(), Some(1.0));
    let b = run(&small(), Some(1.0));
    assert!(!a.ais.is_empty() && !a.tracks.is_empty());
    assert_eq!(a.ais, b.ais);
    assert_eq!(a.tracks, b.tracks);
    assert!(!a.beast.is_empty());
    assert_eq!(a.beast, b.beast);
    assert_eq!(a.truth, b.truth);
    let mut other = small();
    other.seed = 8;
    let c = run(&other, Some(1.0));
    assert_ne!(a.ais, c.ais);
}

#[test]
fn ais_decodes_with_valid_checksums_and_ordered_tag_times() {
    let out = run(&small(), Some(1.0));
    let mut last_c = 0u64;
    let mut lines = 0;
    for line in out.ais.lines() {
        lines += 1;
        // \tag*hh\!AIVDM,...*hh
        let rest = line.strip_prefix('\\').expect("tag block");
        let (tag, sentence) = rest.split_once('\\').expect("tag block end");
        let (tag_body, tag_sum) = tag.split_once('*').expect("tag checksum");
        assert_eq!(u8::from_str_radix(tag_sum, 16).unwrap(), xor(tag_body.as_bytes()), "{line}");
        let c: u64 =
            tag_body.split(',').find_map(|f| f.strip_prefix("c:")).expect("c:").parse().unwrap();
        assert!(c >= last_c, "tag time went back: {line}");
        last_c = c;
        assert!(tag_body.split(',').any(|f| f.starts_with("s:sim-")), "{line}");
        let body = sentence.strip_prefix('!').expect("!");
        let (body, sum) = body.split_once('*').expect("checksum");
        assert_eq!(u8::from_str_radix(sum, 16).unwrap(), xor(body.as_bytes()), "{line}");
        assert!(sentence.len() <= 82, "{line}");
    }
    assert!(lines > 1000);
    let msgs = decode(&out.ais);
    let types: std::collections::BTreeSet<u8> = msgs
        .iter()
        .map(|(_, m)| match m {
            AisMessage::PositionReport(_) => 1,
            AisMessage::StaticVoyageData(_) => 5,
            AisMessage::ClassBPosition(_) => 18,
            AisMessage::StaticDataReport(_) => 24,
            _ => 0,
        })
        .collect();
    assert_eq!(types.into_iter().collect::<Vec<_>>(), vec![1, 5, 18, 24]);
}

#[test]
fn reporting_intervals_follow_the_table() {
    let out = run(&small(), Some(1.0));
    let msgs = decode(&out.ais);
    // Per MMSI: (time, speed, class B) of the previous position report.
    let mut last: HashMap<u32, (i64, f64)> = HashMap::new();
    let mut checked = 0;
    let spoofed = spoofed_mmsis(&out.truth);
    for (t, m) in &msgs {
        let (mmsi, speed, class_b) = match m {
            AisMessage::PositionReport(p) => (p.mmsi, p.speed_knots_x10, false),
            AisMessage::ClassBPosition(p) => (p.mmsi, p.speed_knots_x10, true),
            _ => continue,
        };
        if spoofed.contains(&mmsi) {
            continue;
        }
        let speed = f64::from(speed.unwrap()) / 10.0;
        if let Some((t0, s0)) = last.get(&mmsi) {
            // Reported speeds are rounded to 0.1 kn: skip reports at a threshold.
            let near = [2.0, 3.0, 14.0, 23.0].iter().any(|x| (s0 - x).abs() <= 0.06);
            let gap_s = ((t - t0) as f64 / 1000.0).round();
            let expected =
                if class_b { class_b_interval_s(*s0) } else { class_a_interval_s(*s0, false) };
            // Tag block times are whole seconds; a 10 s interval shows as 9-11 s.
            if !near && gap_s < 3600.0 {
                assert!(
                    (gap_s - expected).abs() <= 1.0,
                    "mmsi {mmsi}: {gap_s} s after a report at {s0} kn, expected {expected}"
                );
                checked += 1;
            }
        }
        last.insert(mmsi, (*t, speed));
    }
    assert!(checked > 10_000, "{checked}");
}

fn spoofed_mmsis(truth: &[TruthRecord]) -> Vec<u32> {
    truth
        .iter()
        .filter(|r| r.kind == "identity_conflict")
        .filter_map(|r| match r.entity {
            TruthEntity::Mmsi(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn find<'a>(truth: &'a [TruthRecord], kind: &str, activity: &str) -> Vec<&'a TruthRecord> {
    truth.iter().filter(|r| r.kind == kind && r.activity == activity).collect()
}

fn mmsi_of(r: &TruthRecord) -> u32 {
    match r.entity {
        TruthEntity::Mmsi(m) => m,
        _ => panic!("not a vessel: {r:?}"),
    }
}

fn position_of(m: &AisMessage) -> Option<(u32, f64, f64, f64)> {
    match m {
        AisMessage::PositionReport(p) => Some((
            p.mmsi,
            f64::from(p.lon_min_x10000?) / 600_000.0,
            f64::from(p.lat_min_x10000?) / 600_000.0,
            f64::from(p.speed_knots_x10?) / 10.0,
        )),
        AisMessage::ClassBPosition(p) => Some((
            p.mmsi,
            f64::from(p.lon_min_x10000?) / 600_000.0,
            f64::from(p.lat_min_x10000?) / 600_000.0,
            f64::from(p.speed_knots_x10?) / 10.0,
        )),
        _ => None,
    }
}

fn mmsi_of_msg(m: &AisMessage) -> u32 {
    match m {
        AisMessage::PositionReport(p) => p.mmsi,
        AisMessage::ClassBPosition(p) => p.mmsi,
        AisMessage::StaticVoyageData(p) => p.mmsi,
        AisMessage::StaticDataReport(kuroshio_ais::message::StaticDataReport::A(p)) => p.mmsi,
        AisMessage::StaticDataReport(kuroshio_ais::message::StaticDataReport::B(p)) => p.mmsi,
        _ => 0,
    }
}

#[test]
fn injected_activities_are_in_the_data() {
    let out = run(&small(), None);
    let msgs = decode(&out.ais);
    let start_ms = small().start_time().unwrap().unix_millis();

    // The dark vessel sends nothing during its gap, and the gap is as long as scheduled.
    let gap = find(&out.truth, "ais_gap", "dark");
    assert_eq!(gap.len(), 1, "{gap:?}");
    let (g0, g1) = (gap[0].start.unix_millis(), gap[0].end.unix_millis());
    let dark = mmsi_of(gap[0]);
    assert!(g0 <= start_ms + 3_600_000 && g1 >= start_ms + 3 * 3_600_000, "{gap:?}");
    let during = msgs
        .iter()
        .filter(|(t, m)| mmsi_of_msg(m) == dark && *t > g0 / 1000 * 1000 && *t < g1 / 1000 * 1000)
        .count();
    assert_eq!(during, 0);
    assert!(msgs.iter().any(|(t, m)| mmsi_of_msg(m) == dark && *t >= g1 / 1000 * 1000));

    // The encounter: both vessels slow and within 500 m throughout the window.
    let enc = find(&out.truth, "encounter", "meet");
    assert_eq!(enc.len(), 1);
    let a = mmsi_of(enc[0]);
    let Some(TruthEntity::Mmsi(b)) = enc[0].partner else { panic!() };
    let (e0, e1) = (enc[0].start.unix_millis(), enc[0].end.unix_millis());
    let mut pa = None;
    let mut close = 0;
    for (t, m) in &msgs {
        // Tag-block times are whole seconds: keep clear of the window's ends.
        if *t <= e0 + 1000 || *t >= e1 - 1000 {
            continue;
        }
        if let Some((mmsi, lon, lat, speed)) = position_of(m) {
            if mmsi == a {
                assert!(speed < 2.0);
                pa = Some((lon, lat));
            } else if mmsi == b {
                assert!(speed < 2.0);
                if let Some((alon, alat)) = pa {
                    assert!(kuroshio_model::haversine_m(lat, lon, alat, alon) < 500.0);
                    close += 1;
                }
            }
        }
    }
    assert!(close > 100, "{close}");

    // The spoofer: one MMSI in two places more than 100 nm apart within minutes.
    let spoof = find(&out.truth, "identity_conflict", "spoof");
    assert_eq!(spoof.len(), 1);
    let m = mmsi_of(spoof[0]);
    let fixes: Vec<(f64, f64)> = msgs
        .iter()
        .filter_map(|(_, msg)| position_of(msg))
        .filter(|p| p.0 == m)
        .map(|p| (p.1, p.2))
        .collect();
    let far = fixes
        .windows(2)
        .filter(|w| kuroshio_model::haversine_m(w[0].1, w[0].0, w[1].1, w[1].0) > 185_200.0)
        .count();
    assert!(far > 10, "{far}");

    // The militia cluster: one loitering record per boat.
    assert_eq!(find(&out.truth, "loitering", "cluster").len(), 0, "4 h is below the 8 h threshold");

    // Coast guard in the contiguous zone long enough for a dwell.
    assert!(!find(&out.truth, "zone_entry", "ccg").is_empty());
    assert!(!find(&out.truth, "zone_dwell", "ccg").is_empty());
    // Sorties cross the median line both ways and enter the area east of it.
    let lc = find(&out.truth, "line_crossing", "jrp");
    assert_eq!(
        lc.iter().filter(|r| r.zone.as_deref() == Some("tw_strait_median_line")).count(),
        6,
        "{lc:?}"
    );
    assert!(lc.iter().any(|r| r.direction.as_deref() == Some("eastward")));
    assert!(lc.iter().any(|r| r.direction.as_deref() == Some("westward")));
    assert_eq!(find(&out.truth, "zone_entry", "jrp").len(), 3);
}

/// Recomputes every line crossing and gate transit from the wire output (decoded AIS per MMSI,
/// parsed track lines per id) and compares with the truth: the counts must be equal.
#[test]
fn truth_crossings_match_the_wire_data_exactly() {
    let out = run(&small(), None);
    let cat = Catalogue::builtin().unwrap();
    let kinds: Vec<ZoneKind> = cat.zones().map(|(_, z)| z.meta.kind).collect();
    let spoofed = spoofed_mmsis(&out.truth);
    let mut last: HashMap<String, (f64, f64)> = HashMap::new();
    let mut found: HashMap<(String, String, &'static str), usize> = HashMap::new();
    let mut buf = Vec::new();
    let mut step = |key: String,
                    lon: f64,
                    lat: f64,
                    found: &mut HashMap<(String, String, &'static str), usize>| {
        if let Some(&prev) = last.get(&key) {
            buf.clear();
            cat.crossings(prev, (lon, lat), &mut buf);
            for c in &buf {
                let kind = match kinds[c.zone.index()] {
                    ZoneKind::Line => "line_crossing",
                    ZoneKind::Gate => "gate_transit",
                    ZoneKind::Area => continue,
                };
                let id = cat.zone(c.zone).unwrap().meta.id.clone();
                *found.entry((key.clone(), id, kind)).or_default() += 1;
            }
        }
        last.insert(key, (lon, lat));
    };
    for (_, m) in decode(&out.ais) {
        if let Some((mmsi, lon, lat, _)) = position_of(&m) {
            if !spoofed.contains(&mmsi) {
                step(format!("mmsi:{mmsi}"), lon, lat, &mut found);
            }
        }
    }
    for line in out.tracks.lines() {
        let p = parse_point(line.as_bytes()).unwrap();
        step(format!("track:{}", p.track), p.lon, p.lat, &mut found);
    }
    let start = small().start_time().unwrap();
    for f in decode_beast(&out.beast, start) {
        if let Some((lon, lat)) = f.position {
            let e7 = |v: f64| (v * 1e7).round() / 1e7;
            step(format!("icao24:{:06x}", f.icao24), e7(lon), e7(lat), &mut found);
        }
    }
    assert!(found.keys().any(|k| k.0.starts_with("icao24:")), "no airliner crossed anything");
    let mut expected: HashMap<(String, String, &'static str), usize> = HashMap::new();
    for r in &out.truth {
        if r.kind != "line_crossing" && r.kind != "gate_transit" {
            continue;
        }
        let key = match &r.entity {
            TruthEntity::Mmsi(m) if spoofed.contains(m) => continue,
            TruthEntity::Mmsi(m) => format!("mmsi:{m}"),
            TruthEntity::Track(t) => format!("track:{t}"),
            TruthEntity::Icao24(a) => format!("icao24:{a}"),
        };
        *expected.entry((key, r.zone.clone().unwrap(), r.kind)).or_default() += 1;
    }
    assert_eq!(found, expected);
    // The PLAN column transits the Miyako gate, south-eastbound.
    for ship in ["PLAN-1", "PLAN-2"] {
        let t: Vec<_> = out
            .truth
            .iter()
            .filter(|r| r.kind == "gate_transit" && r.entity == TruthEntity::Track(ship.into()))
            .collect();
        assert_eq!(t.len(), 1, "{ship}: {t:?}");
        assert_eq!(t[0].zone.as_deref(), Some("gate_miyako"));
        assert_eq!(t[0].direction.as_deref(), Some("south-eastbound"));
    }
}

#[test]
fn track_lines_parse_back() {
    let out = run(&small(), Some(1.0));
    let mut n = 0;
    for line in out.tracks.lines() {
        let o = kuroshio_sim::parse_track_line(line.as_bytes()).unwrap();
        assert!(matches!(o.target, kuroshio_model::TargetId::Local(_)));
        n += 1;
    }
    assert!(n > 100);
}

fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[test]
fn shipped_scenarios_read_and_generate() {
    let mut seen = 0;
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let s = Scenario::from_toml(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let out = run(&s, Some(0.25));
        assert!(!out.ais.is_empty(), "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 2);
}

#[test]
fn static_data_carries_valid_imo_numbers_and_real_mids() {
    let out = run(&small(), Some(0.5));
    let mut mids: Vec<u32> = kuroshio_sim::identity::MERCHANT_FLAGS
        .iter()
        .flat_map(|f| f.mids.iter().map(|&m| u32::from(m)))
        .collect();
    mids.extend(
        kuroshio_sim::geo::GROUNDS.iter().flat_map(|g| g.mids.iter().map(|&m| u32::from(m))),
    );
    let mut type5 = 0;
    let mut names: HashMap<u32, std::collections::BTreeSet<String>> = HashMap::new();
    for (_, m) in decode(&out.ais) {
        let mmsi = mmsi_of_msg(&m);
        let name = match &m {
            AisMessage::StaticVoyageData(v) => Some(v.ship_name.trimmed().to_owned()),
            AisMessage::StaticDataReport(kuroshio_ais::message::StaticDataReport::A(a)) => {
                Some(a.ship_name.trimmed().to_owned())
            }
            _ => None,
        };
        if let Some(name) = name {
            names.entry(mmsi).or_default().insert(name);
        }
        assert!(mids.contains(&(mmsi / 1_000_000)), "MMSI {mmsi} has no MID of the table");
        if let AisMessage::StaticVoyageData(v) = m {
            if let Some(imo) = v.imo {
                assert!(kuroshio_sim::identity::imo_is_valid(imo), "IMO {imo}");
            }
            assert!(!v.ship_name.trimmed().is_empty());
            type5 += 1;
        }
    }
    assert!(type5 > 50, "{type5}");
    // No two vessels share an MMSI (the spoofer's two transmitters send the same name).
    for (mmsi, n) in &names {
        assert_eq!(n.len(), 1, "MMSI {mmsi} names {n:?}");
    }
}

#[test]
fn militia_cluster_loiters_and_patrol_enters_kinmen_waters() {
    let s = Scenario::from_toml(
        r#"
name = "cluster"
start = "2026-03-10T00:00:00Z"
hours = 9
seed = 3
[[activity]]
kind = "militia"
id = "cluster"
centre = [118.7, 22.6]
radius_nm = 2
vessels = 3
start_h = 0
duration_h = 8.5
[[activity]]
kind = "patrol"
id = "ccg-kinmen"
route = [[118.85, 24.05], [118.62, 24.28], [118.55, 24.33], [118.70, 24.20]]
ships = 2
speed_knots = 10
start_h = 0
duration_h = 6
zones = ["kinmen_12nm"]
"#,
    )
    .unwrap();
    let out = run(&s, None);
    let loiter = find(&out.truth, "loitering", "cluster");
    assert_eq!(loiter.len(), 3);
    let boats: Vec<u32> = loiter.iter().map(|r| mmsi_of(r)).collect();
    let mut fixes = 0;
    for (_, m) in decode(&out.ais) {
        if let Some((mmsi, lon, lat, speed)) = position_of(&m) {
            if boats.contains(&mmsi) {
                assert!(speed < 2.0, "{speed}");
                // Inside the 2 nm half-side square, with a step of drift to spare.
                assert!(kuroshio_model::haversine_m(lat, lon, 22.6, 118.7) < 2.0 * 1852.0 * 1.5);
                fixes += 1;
            }
        }
    }
    assert!(fixes > 3 * 2000, "{fixes}");
    let entries = find(&out.truth, "zone_entry", "ccg-kinmen");
    assert!(entries.iter().all(|r| r.zone.as_deref() == Some("kinmen_12nm")));
    assert!(entries.iter().filter(|r| !r.first_seen_inside).count() >= 2, "{entries:?}");
}

/// The shipped exercise day does what its description says (background traffic left out to
/// keep the test fast; activities do not depend on it).
#[test]
fn pla_exercise_day_matches_its_description() {
    let path = scenarios_dir().join("pla-exercise-day.toml");
    let mut s = Scenario::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap();
    s.traffic = kuroshio_sim::Traffic::default();
    let out = run(&s, None);
    let count = |kind: &str, activity: &str, zone: &str, direction: Option<&str>| {
        let mut entities: Vec<&TruthEntity> = out
            .truth
            .iter()
            .filter(|r| r.kind == kind && r.activity == activity && r.zone.as_deref() == Some(zone))
            .filter(|r| direction.is_none() || r.direction.as_deref() == direction)
            .map(|r| &r.entity)
            .collect();
        entities.sort();
        entities.dedup();
        entities.len()
    };
    let median = "tw_strait_median_line";
    // 70 aircraft cross the median line eastward and back, 42 stay west of it.
    assert_eq!(count("line_crossing", "jrp-north", median, Some("eastward")), 30);
    assert_eq!(count("line_crossing", "jrp-north", median, Some("westward")), 30);
    assert_eq!(count("line_crossing", "jrp-centre", median, Some("eastward")), 40);
    assert_eq!(count("line_crossing", "west-of-line", median, None), 0);
    // 41 enter the ROC ADIZ from outside it: 30 in the south-west, 11 in the east.
    let entered = |activity: &str| {
        out.truth
            .iter()
            .filter(|r| r.kind == "zone_entry" && r.activity == activity && !r.first_seen_inside)
            .count()
    };
    assert_eq!(entered("sw-adiz"), 30);
    assert_eq!(entered("east-via-bashi"), 11);
    // PLAN transits of the two gaps.
    assert_eq!(count("gate_transit", "plan-miyako", "gate_miyako", Some("south-eastbound")), 4);
    assert_eq!(
        count("gate_transit", "plan-yonaguni", "gate_yonaguni_taiwan", Some("southbound")),
        3
    );
    // Coast guard stays in the Senkaku/Diaoyu contiguous zone, near Kinmen and Matsu.
    assert_eq!(count("zone_dwell", "ccg-senkaku-cz", "senkaku_diaoyu_24nm", None), 4);
    assert!(count("zone_entry", "ccg-kinmen", "kinmen_12nm", None) >= 2);
    assert!(count("zone_entry", "ccg-matsu", "matsu_12nm", None) >= 2);
    // The anomalies.
    assert_eq!(find(&out.truth, "ais_gap", "dark-cargo").len(), 1);
    assert_eq!(find(&out.truth, "encounter", "sts-transfer").len(), 1);
    assert_eq!(find(&out.truth, "identity_conflict", "mmsi-spoof").len(), 1);
    assert_eq!(find(&out.truth, "loitering", "taiwan-bank-cluster").len(), 20);
    // 153 aircraft tracks in all.
    let mut tracks: Vec<String> = out
        .tracks
        .lines()
        .map(|l| parse_point(l.as_bytes()).unwrap())
        .filter(|p| p.domain == kuroshio_sim::Domain::Air)
        .map(|p| p.track.to_string())
        .collect();
    tracks.sort();
    tracks.dedup();
    assert_eq!(tracks.len(), 153);

    // The MND-style report of the day: the numbers MND published for it, and the same numbers
    // recounted from the truth and the track lines.
    let day = kuroshio_sim::report::day_start_ms(s.start_time().unwrap().unix_millis());
    let c = out.tally.day(day);
    let sorties = ["jrp-north", "jrp-centre", "sw-adiz", "east-via-bashi", "west-of-line"];
    let crossed: std::collections::BTreeSet<&TruthEntity> = out
        .truth
        .iter()
        .filter(|r| sorties.contains(&r.activity.as_str()))
        .filter(|r| {
            (r.kind == "line_crossing" && r.zone.as_deref() == Some(median))
                || (r.kind == "zone_entry"
                    && matches!(
                        r.zone.as_deref(),
                        Some("roc_adiz" | "roc_adiz_east_of_median_line")
                    ))
        })
        .map(|r| &r.entity)
        .collect();
    assert_eq!(c.crossed.len(), crossed.len());
    assert_eq!(c.aircraft.len(), tracks.len());
    let ships: std::collections::BTreeSet<String> = out
        .tracks
        .lines()
        .map(|l| parse_point(l.as_bytes()).unwrap())
        .filter(|p| p.domain == kuroshio_sim::Domain::Sea)
        .map(|p| p.track.to_string())
        .collect();
    assert_eq!(c.naval.len(), ships.len());
    let ccg: std::collections::BTreeSet<&TruthEntity> =
        out.truth.iter().filter(|r| r.activity.starts_with("ccg-")).map(|r| &r.entity).collect();
    assert_eq!(c.official.len(), ccg.len());
    assert_eq!(
        (c.aircraft.len(), c.crossed.len(), c.naval.len(), c.official.len()),
        (153, 111, 14, 12)
    );
    assert_eq!(out.report.matches("== ").count(), 1, "{}", out.report);
    assert!(out.report.contains("== 2024-10-15: 2024-10-14 06:00 to 2024-10-15 06:00 (UTC+8) =="));
    assert!(
        out.report.contains(
            "153 PLA aircraft, 14 PLAN vessels and 12 official ships operating around Taiwan \
             were detected up until 6 a.m. (UTC+8) today. 111 out of 153 sorties crossed the \
             median line and entered Taiwan's northern, central, southwestern and eastern ADIZ."
        ),
        "{}",
        out.report
    );
    assert!(
        out.report.contains(
            "偵獲共機153架次（其中逾越海峽中線進入北部、中部、西南及東部空域111架次）、共艦14艘及公務船12艘，"
        ),
        "{}",
        out.report
    );
}

/// The airliners' Beast output decodes frame by frame (parity, GPS time stamps in order,
/// identification every 5 s, a position and a velocity each second), their addresses lie in
/// the blocks of their airlines' States, they climb to FL300-FL400 on the long routes, and
/// the truth's crossings fall between the decoded fixes around them.
#[test]
fn airliners_broadcast_ads_b_as_specified() {
    let out = run(&small(), None);
    let start = small().start_time().unwrap();
    let fixes = decode_beast(&out.beast, start);
    assert!(fixes.len() > 10_000, "{}", fixes.len());
    let mut last_time = start;
    let mut per: HashMap<u32, Vec<&AirFix>> = HashMap::new();
    for f in &fixes {
        assert!(f.time >= last_time && f.time >= start, "frames out of order");
        last_time = f.time;
        per.entry(f.icao24).or_default().push(f);
    }
    assert!(per.len() >= 8, "{} aircraft", per.len());
    let mut cruising = 0;
    for (icao, frames) in &per {
        let callsign = frames.iter().find_map(|f| f.callsign.clone()).unwrap();
        let airline = kuroshio_sim::identity::AIRLINES
            .iter()
            .find(|a| callsign.starts_with(a.designator))
            .unwrap_or_else(|| panic!("{callsign}"));
        let block = kuroshio_sim::identity::address_block(airline.country).unwrap();
        assert!((block.first..=block.last).contains(icao), "{icao:06x} {callsign}");
        let span_s = frames.last().unwrap().time.nanos_since(frames[0].time) as f64 / 1e9;
        if span_s < 600.0 {
            continue;
        }
        let count = |tc: u8| frames.iter().filter(|f| f.tc == tc).count() as f64;
        // One position and one velocity a second, identification and status every 5 s.
        assert!((count(11) / span_s - 1.0).abs() < 0.01, "{callsign}: {}", count(11) / span_s);
        assert!((count(19) / span_s - 1.0).abs() < 0.01, "{callsign}");
        assert!((count(4) / span_s - 0.2).abs() < 0.01, "{callsign}");
        assert!((count(28) / span_s - 0.2).abs() < 0.01, "{callsign}");
        // Every position frame after the first even/odd pair decodes.
        let decoded = frames.iter().filter(|f| f.position.is_some()).count() as f64;
        assert!(decoded >= count(11) - 1.0, "{callsign}: {decoded} of {}", count(11));
        let top = frames.iter().filter_map(|f| f.altitude_ft).max().unwrap();
        assert!(top <= 40_000, "{callsign}: {top}");
        if top >= 30_000 {
            cruising += 1;
        }
    }
    assert!(cruising >= 3, "{cruising}");
    // Crossing windows: each ADS-B truth crossing lies between two decoded fixes of its
    // aircraft, the window's ends.
    let mut n = 0;
    for r in out.truth.iter().filter(|r| matches!(r.entity, TruthEntity::Icao24(_))) {
        let TruthEntity::Icao24(a) = &r.entity else { unreachable!() };
        let icao = u32::from_str_radix(a, 16).unwrap();
        let times: Vec<_> =
            per[&icao].iter().filter(|f| f.position.is_some()).map(|f| f.time).collect();
        assert!(times.contains(&r.start) && times.contains(&r.end), "{r:?}");
        assert_eq!(r.activity, "background");
        n += 1;
    }
    assert!(n > 0);
}

/// The shipped SAR exercise (background traffic left out): the distress vessel falls silent
/// at the casualty position for good, the AIS-SART reports once a minute with status 14 and
/// drifts at the computed leeway and current, the SAR aircraft sends message 9 every 10 s
/// turning 90° right between ever longer legs, and the coast guard ships search in parallel
/// legs one track spacing apart.
#[test]
fn sar_exercise_matches_its_description() {
    use kuroshio_sim::Activity;
    let path = scenarios_dir().join("sar-exercise.toml");
    let mut s = Scenario::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap();
    s.traffic = kuroshio_sim::Traffic::default();
    let start_ms = s.start_time().unwrap().unix_millis();
    let out = run(&s, None);
    let msgs = decode(&out.ais);
    let (casualty, t_casualty) = match &s.activities[0] {
        Activity::Distress { route, start_h, .. } => {
            (*route.last().unwrap(), start_ms + (start_h * 3_600_000.0) as i64)
        }
        other => panic!("{other:?}"),
    };
    // The vessel in distress: a Class A fishing vessel of MID 416, last heard at the casualty.
    let fishing: Vec<u32> = msgs
        .iter()
        .filter_map(|(_, m)| match m {
            AisMessage::StaticVoyageData(v) if v.ship_type == 30 => Some(v.mmsi),
            _ => None,
        })
        .collect();
    let vessel = fishing[0];
    assert!(fishing.iter().all(|&m| m == vessel) && vessel / 1_000_000 == 416);
    let (t_last, last) = msgs
        .iter()
        .filter(|(_, m)| mmsi_of_msg(m) == vessel)
        .filter_map(|(t, m)| position_of(m).map(|p| (*t, (p.1, p.2))))
        .next_back()
        .unwrap();
    assert!(t_last <= t_casualty && t_last > t_casualty - 60_000, "{t_last} {t_casualty}");
    assert!(kuroshio_model::haversine_m(last.1, last.0, casualty[1], casualty[0]) < 200.0);
    assert!(find(&out.truth, "ais_gap", "fv-casualty").is_empty());

    // The AIS-SART.
    let sart: Vec<(i64, kuroshio_ais::message::PositionReport)> = msgs
        .iter()
        .filter_map(|(t, m)| match m {
            AisMessage::PositionReport(p) if p.mmsi / 1_000_000 == 970 => Some((*t, *p)),
            _ => None,
        })
        .collect();
    assert!(sart.len() > 500, "{}", sart.len());
    assert!(sart.iter().all(|(_, p)| p.nav_status == 14 && p.msg_type == 1));
    assert!(sart.windows(2).all(|w| (w[1].0 - w[0].0 - 60_000).abs() <= 1000));
    let (east, north) = kuroshio_sim::generator::sart_drift_knots(225.0, 8.0, 20.0, 0.8);
    let speed = east.hypot(north);
    let lonlat = |p: &kuroshio_ais::message::PositionReport| {
        (
            f64::from(p.lon_min_x10000.unwrap()) / 600_000.0,
            f64::from(p.lat_min_x10000.unwrap()) / 600_000.0,
        )
    };
    let (a, b) = (lonlat(&sart[0].1), lonlat(&sart.last().unwrap().1));
    let hours = (sart.last().unwrap().0 - sart[0].0) as f64 / 3_600_000.0;
    let drift_nm = kuroshio_model::haversine_m(a.1, a.0, b.1, b.0) / 1852.0;
    assert!((drift_nm / hours - speed).abs() < 0.02, "{drift_nm} nm in {hours} h, {speed} kn");
    // 8 m/s of wind gives 0.28 m/s of leeway (0.54 kn) towards the north-east.
    assert!((speed - 1.31).abs() < 0.01, "{speed}");

    // The SAR aircraft: message 9 every 10 s, from a 111MIDaxx MMSI.
    let sar: Vec<(i64, kuroshio_ais::message::SarAircraftPosition)> = msgs
        .iter()
        .filter_map(|(t, m)| match m {
            AisMessage::SarAircraftPosition(p) => Some((*t, *p)),
            _ => None,
        })
        .collect();
    assert_eq!(sar.len(), 3 * 360, "three hours of reports");
    assert!(sar.iter().all(|(_, p)| p.mmsi / 1000 == 111_416 && p.altitude_m == Some(305)));
    assert!(sar.windows(2).all(|w| (w[1].0 - w[0].0 - 10_000).abs() <= 1000));
    // Courses on the square: 30, 120, 210, 300 degrees, each held over a leg.
    let mut legs: Vec<u16> = sar
        .iter()
        .filter(|(_, p)| p.speed_knots == Some(140))
        .map(|(_, p)| p.course_deg_x10.unwrap())
        .collect();
    legs.dedup();
    let square: Vec<u16> = legs.iter().copied().filter(|c| c % 900 == 300).collect();
    assert!(square.len() >= 8, "{legs:?}");
    assert!(square.windows(2).all(|w| (w[1] + 3600 - w[0]) % 3600 == 900), "{square:?}");

    // The coast guard ships: type 55, Taiwanese MID, legs 1 nm apart on courses 30 and 210.
    let cga: std::collections::BTreeSet<u32> = msgs
        .iter()
        .filter_map(|(_, m)| match m {
            AisMessage::StaticVoyageData(v) if v.ship_type == 55 => Some(v.mmsi),
            _ => None,
        })
        .collect();
    assert_eq!(cga.len(), 2);
    assert!(cga.iter().all(|m| m / 1_000_000 == 416));
    for &ship in &cga {
        let courses: std::collections::BTreeSet<u16> = msgs
            .iter()
            .filter_map(|(_, m)| match m {
                AisMessage::PositionReport(p) if p.mmsi == ship => p.course_deg_x10,
                _ => None,
            })
            .collect();
        for c in [300, 2100, 1200] {
            assert!(courses.contains(&c), "{ship}: {courses:?}");
        }
    }
}
