//! The whole of rs1090's long-flight recording (a two-hour flight received by one station,
//! 172,432 timestamped frames) through framing, decoding and CPR: the flight must come out as
//! one continuous, physically plausible trajectory.

use std::collections::HashMap;

use kuroshio_adsb::frame::parse_line;
use kuroshio_adsb::stream::{ModeSDecoder, ModeSOptions};

/// Great-circle distance in nautical miles (mean Earth radius 3,440.065 NM).
fn distance_nm(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dl = (b.1 - a.1).to_radians();
    let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 3_440.065 * h.sqrt().min(1.0).asin()
}

#[test]
fn long_flight_is_one_plausible_trajectory() {
    let Some(bytes) = kuroshio_testdata::read("rs1090-long-flight/long_flight.csv") else {
        return;
    };
    // The receiver is at Toulouse (SOURCE.md: the reference position rs1090's benchmarks use);
    // the flight starts and ends on the ground, where CPR needs a reference.
    let mut decoder = ModeSDecoder::new(ModeSOptions { reference: Some((43.3, 1.35)) });
    // Per aircraft: (time, lat, lon, airborne) of every decoded position.
    let mut tracks: HashMap<u32, Vec<(f64, f64, f64, bool)>> = HashMap::new();
    let mut position_frames: HashMap<u32, usize> = HashMap::new();
    let mut scratch = [0u8; 14];
    let mut lines = 0;
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        lines += 1;
        let Ok(Some(frame)) = parse_line(line, &mut scratch) else {
            panic!("line {lines} does not frame");
        };
        decoder.push_frame(&frame, 0.0, |d| {
            let icao = d.message.icao24.unwrap();
            if let Some(cpr) = d.message.cpr() {
                *position_frames.entry(icao).or_default() += 1;
                if let Some(p) = d.position {
                    tracks.entry(icao).or_default().push((
                        d.unix_s.unwrap(),
                        p.lat_deg,
                        p.lon_deg,
                        !cpr.surface,
                    ));
                }
            }
        });
    }
    assert_eq!(lines, 172_432);
    // The recorded flight is the aircraft with the most positions.
    let (&icao, track) = tracks.iter().max_by_key(|(_, t)| t.len()).unwrap();
    let sent = position_frames[&icao];
    eprintln!("aircraft {icao:06x}: {} positions from {sent} position frames", track.len());
    // Every position frame after the first pair yields a position.
    assert!(track.len() + 2 >= sent, "{} positions from {sent} frames", track.len());
    let duration_s = track.last().unwrap().0 - track[0].0;
    assert!(duration_s > 1.5 * 3600.0, "track lasts only {duration_s} s");
    let mut max_gap_s = 0.0f64;
    for w in track.windows(2) {
        let dt = w[1].0 - w[0].0;
        assert!(dt >= 0.0, "time goes backwards at {}", w[1].0);
        max_gap_s = max_gap_s.max(dt);
    }
    // Speed over steps of at least 10 s, so that the CPR resolution (about 5 m airborne) and
    // whole-frame timing do not dominate.
    let mut max_speed_kt = 0.0f64;
    let mut j = 0;
    for i in 0..track.len() {
        while j < track.len() && track[j].0 - track[i].0 < 10.0 {
            j += 1;
        }
        if j == track.len() {
            break;
        }
        let (a, b) = (track[i], track[j]);
        let speed_kt = distance_nm((a.1, a.2), (b.1, b.2)) / ((b.0 - a.0) / 3600.0);
        max_speed_kt = max_speed_kt.max(speed_kt);
    }
    eprintln!("largest gap {max_gap_s:.1} s, fastest 10-second step {max_speed_kt:.0} kt");
    // An airliner in cruise (the test fails if positions freeze or crawl)...
    assert!(max_speed_kt > 350.0, "fastest step only {max_speed_kt:.0} kt");
    // ...but nothing faster than 700 kt over the ground.
    assert!(max_speed_kt < 700.0, "position jump at {max_speed_kt:.0} kt");
    // Continuous: the trajectory never loses the aircraft for more than a few minutes.
    assert!(max_gap_s < 300.0, "gap of {max_gap_s:.0} s");
    // And no other aircraft's track jumps either.
    for (other, t) in &tracks {
        for w in t.windows(2) {
            let dt = (w[1].0 - w[0].0).max(0.5);
            let d = distance_nm((w[0].1, w[0].2), (w[1].1, w[1].2));
            let limit_kt = if w[1].3 { 1_000.0 } else { 250.0 };
            assert!(
                (d - 0.5).max(0.0) / (dt / 3600.0) <= limit_kt,
                "{other:06x} jumps {d:.1} NM in {dt} s"
            );
        }
    }
}
