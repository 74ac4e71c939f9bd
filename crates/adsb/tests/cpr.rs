//! CPR position decoding against positions computed by other software, and round trips.
//!
//! - The worked examples of "The 1090 Megahertz Riddle" (J. Sun, 2nd ed., chapters on
//!   airborne and surface positions): global even/odd, local and surface decoding.
//! - pyModeS 3.6.1 (`pyModeS.position.airborne_position_pair`, `surface_position_pair`) run
//!   over `pymodes/sample_data_adsb.csv` and `rs1090-long-flight/long_flight.csv` with the same
//!   pairing rule (latest even and odd frame of an aircraft, at most 10 s apart airborne and
//!   25 s on the surface, surface quadrant from the Toulouse reference 43.3 N 1.35 E): the
//!   number of pairs, of rejected pairs, and sampled positions are listed below as pyModeS
//!   printed them.
//! - Property tests: random positions encoded with [`cpr::encode`] decode back within the CPR
//!   resolution through every decoding, and through [`CprState`] along a random track.
//!
//! The CPR fields are sliced out of the frames here, independently of the crate's decoder.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_adsb::cpr::{
    self, CprLimits, CprPosition, CprReject, CprState, FixMethod, distance_nm, global_airborne,
    global_surface, local_airborne, local_surface, nl,
};
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

/// Bits `from..from+len` (0-indexed from the first bit of the frame) as a number.
fn bits(frame: &[u8], from: usize, len: usize) -> u32 {
    let mut v = 0u64;
    for i in from..from + len {
        v = (v << 1) | u64::from((frame[i / 8] >> (7 - i % 8)) & 1);
    }
    v as u32
}

/// The CRC-24 of Mode S (polynomial 0xFFF409) over the whole frame: 0 when the parity field
/// matches, for DF17/18 (ICAO Annex 10 Vol IV §3.1.2.3.3).
fn crc_residual(frame: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in frame {
        crc ^= u32::from(b) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x100_0000 != 0 {
                crc ^= 0x1FF_F409;
            }
        }
    }
    crc & 0xFF_FFFF
}

/// Type code of an extended squitter (first 5 bits of ME).
fn type_code(frame: &[u8]) -> u32 {
    bits(frame, 32, 5)
}

/// CPR fields of an airborne (TC 9-18, 20-22) or surface (TC 5-8) position message:
/// F at ME bit 22, latitude ME bits 23-39, longitude ME bits 40-56 (DO-260B §2.2.3.2.3).
fn cpr_fields(frame: &[u8]) -> CprPosition {
    let tc = type_code(frame);
    CprPosition {
        odd: bits(frame, 32 + 21, 1) == 1,
        lat_cpr: bits(frame, 32 + 22, 17),
        lon_cpr: bits(frame, 32 + 39, 17),
        surface: (5..=8).contains(&tc),
    }
}

fn icao(frame: &[u8]) -> u32 {
    bits(frame, 8, 24)
}

fn assert_close(got: (f64, f64), want: (f64, f64), tol_deg: f64, what: &str) {
    assert!(
        (got.0 - want.0).abs() <= tol_deg && (got.1 - want.1).abs() <= tol_deg,
        "{what}: got {got:?}, want {want:?}"
    );
}

#[test]
fn riddle_global_airborne_pair() {
    let even = cpr_fields(&hex("8D40621D58C382D690C8AC2863A7"));
    let odd = cpr_fields(&hex("8D40621D58C386435CC412692AD6"));
    assert!(!even.odd && odd.odd && !even.surface);
    assert_eq!(
        (even.lat_cpr, even.lon_cpr, odd.lat_cpr, odd.lon_cpr),
        (93000, 51372, 74158, 50194)
    );
    // The book: lat 52.2572, lon 3.91937 with the even frame newest; pyModeS agrees to the bit.
    let got = global_airborne(&even, &odd, false).unwrap();
    assert_close(got, (52.2572021484375, 3.91937255859375), 1e-12, "even newest");
    let got = global_airborne(&even, &odd, true).unwrap();
    assert_close(got, (52.26578017412606, 3.938912527901786), 1e-12, "odd newest");
}

#[test]
fn riddle_local_airborne() {
    // Reference 52.258 N 3.918 E (the book's example).
    let even = cpr_fields(&hex("8D40621D58C382D690C8AC2863A7"));
    let got = local_airborne(&even, 52.258, 3.918).unwrap();
    assert_close(got, (52.2572021484375, 3.91937255859375), 1e-12, "local even");
    let odd = cpr_fields(&hex("8D40621D58C386435CC412692AD6"));
    let got = local_airborne(&odd, 52.258, 3.918).unwrap();
    assert_close(got, (52.26578017412606, 3.938912527901786), 1e-12, "local odd");
}

#[test]
fn riddle_surface() {
    let even = cpr_fields(&hex("8C4841753AAB238733C8CD4020B1"));
    let odd = cpr_fields(&hex("8C4841753A8A35323FAEBDAC702D"));
    assert!(even.surface && odd.surface && !even.odd && odd.odd);
    assert_eq!(
        (even.lat_cpr, even.lon_cpr, odd.lat_cpr, odd.lon_cpr),
        (115609, 116941, 39199, 110269)
    );
    // Receiver at 51.990 N 4.375 E; the book gives 52.32061 N 4.73473 E (odd newest).
    let got = global_surface(&even, &odd, true, 51.990, 4.375).unwrap();
    assert_close(got, (52.320607072215964, 4.734734671456465), 1e-12, "surface odd newest");
    let got = global_surface(&even, &odd, false, 51.990, 4.375).unwrap();
    assert_close(got, (52.32304000854492, 4.730472564697266), 1e-12, "surface even newest");
    // A reference in another quadrant of the same hemisphere still finds Schiphol while it is
    // within 45°; a southern-hemisphere reference gets the southern solution, whose longitude
    // zones differ (NL 47 instead of 36). Both as pyModeS 3.6.1 computes them.
    let got = global_surface(&even, &odd, true, 20.0, -30.0).unwrap();
    assert_close(got, (52.320607072215964, 4.734734671456465), 1e-12, "far reference");
    let got = global_surface(&even, &odd, true, -30.0, 4.0).unwrap();
    assert_close(got, (-37.679392927784036, 5.55903725002122), 1e-12, "south");
    let got = local_surface(&even, 51.990, 4.375).unwrap();
    assert_close(got, (52.32304000854492, 4.730472564697266), 1e-12, "local surface even");
    let got = local_surface(&odd, 51.990, 4.375).unwrap();
    assert_close(got, (52.320607072215964, 4.734734671456474), 1e-12, "local surface odd");
}

/// Rows of `sample_data_adsb.csv` (0-based) and the position pyModeS decoded there from the
/// latest even/odd pair (every 60th of its 927 pairs).
const SAMPLE_ADSB_PYMODES: [(usize, f64, f64); 16] = [
    (10, 51.145660400390625, 7.244295687288852),
    (144, 51.17971646583686, 7.0386505126953125),
    (281, 51.20942687988281, 6.857844172297297),
    (402, 51.23804641982256, 6.681365966796875),
    (533, 51.269329523636124, 6.48651123046875),
    (661, 51.30326610500529, 6.339111328125),
    (791, 51.33732604980469, 6.209428117081925),
    (920, 51.37001037597656, 6.083382271431588),
    (1049, 51.40557861328125, 5.945459314294763),
    (1176, 51.44078141551906, 5.808563232421875),
    (1306, 51.478363037109375, 5.661522117820946),
    (1434, 51.51242530952065, 5.52734375),
    (1569, 51.55259989075741, 5.3680419921875),
    (1692, 51.589508056640625, 5.220881281672297),
    (1819, 51.62745666503906, 5.068186167124155),
    (1934, 51.667583918167374, 4.905853271484375),
];

#[test]
fn pymodes_sample_adsb_through_state() {
    let Some(text) = kuroshio_testdata::read("pymodes/sample_data_adsb.csv") else { return };
    let text = String::from_utf8(text).unwrap();
    let mut state = CprState::new();
    let mut fixes = std::collections::HashMap::new();
    let mut position_rows = 0;
    for (row, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split(',').collect();
        let time_s: f64 = cols[0].parse().unwrap();
        let frame = hex(cols[1].trim_matches('"'));
        let tc = type_code(&frame);
        if !(9..=18).contains(&tc) {
            continue;
        }
        position_rows += 1;
        let pos = cpr_fields(&frame);
        if let Ok(fix) = state.decode(icao(&frame), &pos, time_s, None) {
            fixes.insert(row, fix);
        }
    }
    assert_eq!(position_rows, 937);
    // pyModeS found 927 pairs within 10 s, none rejected: the same frames decode globally.
    assert_eq!(state.stats().global_airborne, 927);
    assert_eq!(state.stats().implausible_speed, 0);
    assert_eq!(state.stats().zone_mismatch, 0);
    for (row, lat, lon) in SAMPLE_ADSB_PYMODES {
        let fix = fixes[&row];
        assert_eq!(fix.method, FixMethod::GlobalAirborne, "row {row}");
        assert_close((fix.lat_deg, fix.lon_deg), (lat, lon), 1e-9, &format!("row {row}"));
    }
}

/// A long-flight line's Mode S frame when it is a DF17/18 extended squitter with a good CRC.
fn long_flight_squitters(text: &str) -> Vec<(usize, f64, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (t, h) = line.split_once(',').unwrap();
        let m = &h[18..];
        if m.len() != 28 {
            continue;
        }
        let frame = hex(m);
        let df = frame[0] >> 3;
        if (df == 17 || df == 18) && crc_residual(&frame) == 0 {
            out.push((i, t.parse().unwrap(), frame));
        }
    }
    out
}

/// Pairs the latest even and odd frame per aircraft within `window_s`, as the pyModeS run
/// did, and calls `decode(even, odd, latest_is_odd)` for each.
fn pairs<F>(frames: &[(usize, f64, Vec<u8>)], surface: bool, window_s: f64, mut decode: F)
where
    F: FnMut(usize, &CprPosition, &CprPosition, bool),
{
    let mut last: std::collections::HashMap<(u32, bool), (f64, CprPosition)> =
        std::collections::HashMap::new();
    for (line, t, frame) in frames {
        let tc = type_code(frame);
        let wanted = if surface {
            (5..=8).contains(&tc)
        } else {
            (9..=18).contains(&tc) || (20..=22).contains(&tc)
        };
        if !wanted {
            continue;
        }
        let pos = cpr_fields(frame);
        let ic = icao(frame);
        last.insert((ic, pos.odd), (*t, pos));
        if let Some((t_other, other)) = last.get(&(ic, !pos.odd)).copied() {
            if (t - t_other).abs() <= window_s {
                let (even, odd) = if pos.odd { (other, pos) } else { (pos, other) };
                decode(*line, &even, &odd, pos.odd);
            }
        }
    }
}

#[test]
fn pymodes_long_flight_airborne_pairs() {
    let Some(text) = kuroshio_testdata::read("rs1090-long-flight/long_flight.csv") else { return };
    let frames = long_flight_squitters(&String::from_utf8(text).unwrap());
    // (line, icao, pyModeS position), every 1,500th pair; and the ten pairs pyModeS rejects
    // for an NL mismatch.
    let expected: [(usize, f64, f64); 7] = [
        (26678, 43.621124267578125, 1.369841819585756),
        (44108, 44.73207092285156, 1.10137939453125),
        (60948, 46.27166748046875, 0.8328323364257812),
        (83593, 47.91212178893008, 1.2041297325721152),
        (106454, 49.470923472259, 2.1510933540962838),
        (133203, 50.99239026085805, 3.4418487548828125),
        (153337, 52.18235778808594, 4.3243408203125),
    ];
    let rejected = [38443, 38450, 52661, 69355, 69368, 86724, 105731, 127974, 148004, 148018];
    let mut n = 0;
    let mut got_rejected = Vec::new();
    let mut got = std::collections::HashMap::new();
    pairs(&frames, false, 10.0, |line, even, odd, latest_odd| {
        n += 1;
        match global_airborne(even, odd, latest_odd) {
            Some(p) => {
                got.insert(line, p);
            }
            None => got_rejected.push(line),
        }
    });
    assert_eq!(n, 10_405);
    assert_eq!(got_rejected, rejected);
    for (line, lat, lon) in expected {
        assert_close(got[&line], (lat, lon), 1e-9, &format!("line {line}"));
    }
}

#[test]
fn pymodes_long_flight_surface_pairs() {
    let Some(text) = kuroshio_testdata::read("rs1090-long-flight/long_flight.csv") else { return };
    let frames = long_flight_squitters(&String::from_utf8(text).unwrap());
    // Every 150th of the 2,515 pairs pyModeS decoded (none rejected): Toulouse-Blagnac at the
    // start, Amsterdam-Schiphol at the end, both resolved from the Toulouse reference.
    let expected: [(usize, f64, f64); 17] = [
        (137, 43.626464585126456, 1.374762398856035),
        (2361, 43.62957194700079, 1.371917724609375),
        (5205, 43.62797753285553, 1.3739449637276664),
        (8818, 43.62614822387695, 1.3743609051371664),
        (17794, 43.62875747680664, 1.373306984125179),
        (23019, 43.62878055895789, 1.37278420584542),
        (25351, 43.62495163739737, 1.371950422014521),
        (26271, 43.6246141336732, 1.368746076311396),
        (27720, 43.62440872192383, 1.3670792690543294),
        (169887, 52.332280045848776, 4.712467738560264),
        (170274, 52.32705455715373, 4.7208251953125),
        (170592, 52.32260513305664, 4.73114013671875),
        (171042, 52.31440398652675, 4.734224591936396),
        (171415, 52.30694399041644, 4.733537946428584),
        (171724, 52.29912321446305, 4.735146658761153),
        (171990, 52.300589609954315, 4.745348249162959),
        (172241, 52.3007926940918, 4.755744934082031),
    ];
    let mut n = 0;
    let mut got = std::collections::HashMap::new();
    pairs(&frames, true, 25.0, |line, even, odd, latest_odd| {
        n += 1;
        got.insert(line, global_surface(even, odd, latest_odd, 43.3, 1.35).unwrap());
    });
    assert_eq!(n, 2_515);
    for (line, lat, lon) in expected {
        assert_close(got[&line], (lat, lon), 1e-9, &format!("line {line}"));
    }
}

#[test]
fn long_flight_through_state_is_continuous() {
    let Some(text) = kuroshio_testdata::read("rs1090-long-flight/long_flight.csv") else { return };
    let frames = long_flight_squitters(&String::from_utf8(text).unwrap());
    let mut state = CprState::new();
    let mut last: std::collections::HashMap<u32, (f64, f64, f64)> = Default::default();
    let mut fixes = 0;
    for (line, t, frame) in &frames {
        let tc = type_code(frame);
        if !((5..=18).contains(&tc) || (20..=22).contains(&tc)) {
            continue;
        }
        let ic = icao(frame);
        if let Some((lat, lon)) = state.update(ic, &cpr_fields(frame), *t, Some((43.3, 1.35))) {
            fixes += 1;
            // Every fix lies near Toulouse, Amsterdam or on the way between.
            assert!((42.0..54.0).contains(&lat) && (-1.0..8.0).contains(&lon), "line {line}");
            if let Some((lat0, lon0, t0)) = last.get(&ic) {
                let kt = distance_nm(*lat0, *lon0, lat, lon) / ((t - t0).max(1.0) / 3600.0);
                assert!(kt < 700.0, "line {line}: {kt} kt");
            }
            last.insert(ic, (lat, lon, *t));
        }
    }
    let s = *state.stats();
    // The pairs pyModeS decodes (10,405 airborne less its 10 NL rejections, and 2,515
    // surface) decode globally here too; the 10 rejected pairs fall back to local decoding
    // against the last position, as do a few unpaired frames.
    assert_eq!(s.global_airborne, 10_395, "{s:?}");
    assert_eq!(s.global_surface, 2_515, "{s:?}");
    assert_eq!(s.zone_mismatch, 0, "{s:?}");
    assert!(s.local_last >= 10, "{s:?}");
    assert_eq!(fixes, s.global_airborne + s.global_surface + s.local_last + s.local_receiver);
    assert_eq!(s.implausible_speed, 0, "{s:?}");
}

#[test]
fn zone_band_crossing_falls_back_to_local() {
    // Northbound across the NL 37/36 boundary at 51.8934° (1090 Riddle table), one frame a
    // second, alternating formats, 0.002° (220 m) per second.
    let mut state = CprState::new();
    let mut methods = Vec::new();
    for k in 0..40 {
        let lat = 51.86 + 0.002 * f64::from(k);
        let pos = cpr::encode(lat, 4.5, k % 2 == 1, false);
        let fix = state.decode(0x40621D, &pos, f64::from(k), None);
        if k > 0 {
            let fix = fix.unwrap();
            assert_close((fix.lat_deg, fix.lon_deg), (lat, 4.5), 1e-4, &format!("k {k}"));
            methods.push(fix.method);
        }
    }
    assert_eq!(state.stats().zone_mismatch, 0);
    assert!(methods.contains(&FixMethod::LocalLast), "{methods:?}");
    assert!(methods.iter().filter(|m| **m == FixMethod::GlobalAirborne).count() > 30);
}

#[test]
fn zone_band_crossing_without_reference_is_rejected() {
    let mut state = CprState::new();
    let t = 51.893_424_691_687_68;
    state.update(1, &cpr::encode(t - 0.001, 4.5, false, false), 0.0, None);
    let r = state.decode(1, &cpr::encode(t + 0.001, 4.5, true, false), 1.0, None);
    assert_eq!(r, Err(CprReject::ZoneMismatch));
    assert_eq!(CprReject::ZoneMismatch.kind(), "zone_mismatch");
}

#[test]
fn speed_check_rejects_and_reinitialises() {
    let mut state = CprState::new();
    let e = cpr::encode(50.0, 5.0, false, false);
    let o = cpr::encode(50.0, 5.0, true, false);
    assert_eq!(state.decode(7, &e, 0.0, None), Err(CprReject::Waiting));
    assert!(state.update(7, &o, 1.0, None).is_some());
    // 2° of latitude (120 NM) in one second: rejected, state cleared.
    let bad = cpr::encode(52.0, 5.0, false, false);
    assert_eq!(state.decode(7, &bad, 2.0, None), Err(CprReject::ImplausibleSpeed));
    assert_eq!(state.stats().implausible_speed, 1);
    assert_eq!(state.last_position(7), None);
    // The next frame waits (no pair, no last position) and the one after forms a new pair.
    assert_eq!(state.decode(7, &o, 3.0, None), Err(CprReject::Waiting));
    let fix = state.decode(7, &e, 4.0, None).unwrap();
    assert_eq!(fix.method, FixMethod::GlobalAirborne);
    assert_close((fix.lat_deg, fix.lon_deg), (50.0, 5.0), 1e-4, "re-initialised");
}

#[test]
fn after_a_reset_the_receiver_reference_is_not_enough() {
    let receiver = Some((51.99, 4.375));
    let mut state = CprState::new();
    let p = cpr::encode(52.2, 4.0, false, false);
    assert_eq!(state.decode(5, &p, 0.0, receiver).unwrap().method, FixMethod::LocalReceiver);
    // A jump of 1° in a second: rejected, and the receiver no longer decodes this aircraft…
    let jump = cpr::encode(53.2, 4.0, true, false);
    assert_eq!(state.decode(5, &jump, 1.0, receiver), Err(CprReject::ImplausibleSpeed));
    let p = cpr::encode(52.21, 4.0, true, false);
    assert_eq!(state.decode(5, &p, 2.0, receiver), Err(CprReject::Waiting));
    // …until a global pair re-initialises it; then local decoding resumes.
    let p = cpr::encode(52.215, 4.0, false, false);
    assert_eq!(state.decode(5, &p, 3.0, receiver).unwrap().method, FixMethod::GlobalAirborne);
    let p = cpr::encode(52.22, 4.0, true, false);
    assert_eq!(state.decode(5, &p, 30.0, receiver).unwrap().method, FixMethod::LocalLast);
}

#[test]
fn pair_window_is_enforced() {
    let mut state = CprState::new();
    let e = cpr::encode(50.0, 5.0, false, false);
    let o = cpr::encode(50.0, 5.0, true, false);
    state.update(1, &e, 0.0, None);
    assert_eq!(state.decode(1, &o, 10.5, None), Err(CprReject::Waiting));
    assert!(state.update(1, &e, 20.0, None).is_some());
    // Surface pairs may be 25 s apart but need a reference.
    let se = cpr::encode(52.3, 4.76, false, true);
    let so = cpr::encode(52.3, 4.76, true, true);
    state.update(2, &se, 0.0, None);
    assert_eq!(state.decode(2, &so, 20.0, None), Err(CprReject::Waiting));
    let fix = state.decode(2, &se, 40.0, Some((51.99, 4.375))).unwrap();
    assert_eq!(fix.method, FixMethod::GlobalSurface);
    assert_close((fix.lat_deg, fix.lon_deg), (52.3, 4.76), 1e-5, "surface");
    // Stale beyond 25 s.
    let mut state = CprState::new();
    state.update(3, &se, 0.0, Some((51.99, 4.375)));
    assert_eq!(state.decode(3, &so, 26.0, Some((51.99, 4.375))), Err(CprReject::Waiting));
}

#[test]
fn receiver_reference_decodes_first_frame() {
    let mut state = CprState::new();
    let p = cpr::encode(52.2572, 3.9194, false, false);
    let fix = state.decode(9, &p, 0.0, Some((51.99, 4.375))).unwrap();
    assert_eq!(fix.method, FixMethod::LocalReceiver);
    assert_close((fix.lat_deg, fix.lon_deg), (52.2572, 3.9194), 1e-4, "receiver local");
    // Then local from the last fix, not the receiver.
    let p = cpr::encode(52.26, 3.93, false, false);
    assert_eq!(
        state.decode(9, &p, 1.0, Some((51.99, 4.375))).unwrap().method,
        FixMethod::LocalLast
    );
    // An aircraft decoded against a receiver 190 NM away is out of range... or wrong; the
    // range limit rejects what lands beyond it.
    let limits = CprLimits { receiver_range_nm_max: 10.0, ..CprLimits::default() };
    let mut state = CprState::with_limits(limits);
    let p = cpr::encode(52.5, 3.9, false, false);
    assert_eq!(state.decode(9, &p, 0.0, Some((51.99, 4.375))), Err(CprReject::OutOfRange));
}

/// Half the CPR step in latitude and longitude (degrees) at `lat` for a frame format: the
/// most a decoded position may differ from the encoded one.
fn resolution(lat: f64, odd: bool, surface: bool) -> (f64, f64) {
    let span = if surface { 90.0 } else { 360.0 };
    let dlat = span / if odd { 59.0 } else { 60.0 };
    // The longitude zone may be the one of either side of a transition near `lat`.
    let ni = |l: f64| (i64::from(nl(l)) - i64::from(odd)).max(1) as f64;
    let ni_min = ni(lat - 1e-3).min(ni(lat + 1e-3));
    (0.5 * dlat / 131_072.0 + 1e-9, 0.5 * span / ni_min / 131_072.0 + 1e-9)
}

fn lon_err(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

fn near_transition(lat: f64) -> bool {
    (nl(lat - 1e-3) != nl(lat + 1e-3)) || lat.abs() > 89.99
}

proptest! {
    #[test]
    fn global_airborne_round_trip(lat in -90.0f64..=90.0, lon in -180.0f64..180.0, latest_odd: bool) {
        let even = cpr::encode(lat, lon, false, false);
        let odd = cpr::encode(lat, lon, true, false);
        match global_airborne(&even, &odd, latest_odd) {
            Some((dlat, dlon)) => {
                let (rl, ro) = resolution(lat, latest_odd, false);
                prop_assert!((dlat - lat).abs() <= rl, "lat {lat} -> {dlat}");
                if lat.abs() < 90.0 {
                    prop_assert!(lon_err(dlon, lon) <= ro, "lon {lon} -> {dlon}");
                }
            }
            None => prop_assert!(near_transition(lat), "rejected at {lat}"),
        }
    }

    #[test]
    fn local_airborne_round_trip(
        lat in -87.0f64..87.0, lon in -180.0f64..180.0, odd: bool,
        ulat in -1.0f64..1.0, ulon in -1.0f64..1.0,
    ) {
        // Reference anywhere within 0.45 of a zone of the true position.
        let ni = (i64::from(nl(lat)) - i64::from(odd)).max(1) as f64;
        let ref_lat = (lat + ulat * 0.45 * 6.0).clamp(-90.0, 90.0);
        let ref_lon = lon + ulon * 0.45 * 360.0 / ni.max(f64::from(nl(ref_lat)));
        let pos = cpr::encode(lat, lon, odd, false);
        let (dlat, dlon) = local_airborne(&pos, ref_lat, ref_lon).unwrap();
        let (rl, ro) = resolution(lat, odd, false);
        prop_assert!((dlat - lat).abs() <= rl, "lat {lat} -> {dlat}");
        prop_assert!(lon_err(dlon, lon) <= ro, "lon {lon} -> {dlon}");
    }

    #[test]
    fn global_surface_round_trip(
        lat in -89.0f64..89.0, lon in -180.0f64..180.0, latest_odd: bool,
        ulat in -1.0f64..1.0, ulon in -1.0f64..1.0,
    ) {
        let even = cpr::encode(lat, lon, false, true);
        let odd = cpr::encode(lat, lon, true, true);
        let ref_lat = (lat + 40.0 * ulat).clamp(-90.0, 90.0);
        let ref_lon = lon + 40.0 * ulon;
        match global_surface(&even, &odd, latest_odd, ref_lat, ref_lon) {
            Some((dlat, dlon)) => {
                let (rl, ro) = resolution(lat, latest_odd, true);
                prop_assert!((dlat - lat).abs() <= rl, "lat {lat} -> {dlat}");
                prop_assert!(lon_err(dlon, lon) <= ro, "lon {lon} -> {dlon}");
            }
            None => prop_assert!(near_transition(lat), "rejected at {lat}"),
        }
    }

    #[test]
    fn local_surface_round_trip(
        lat in -87.0f64..87.0, lon in -180.0f64..180.0, odd: bool,
        ulat in -1.0f64..1.0, ulon in -1.0f64..1.0,
    ) {
        let ni = (i64::from(nl(lat)) - i64::from(odd)).max(1) as f64;
        let ref_lat = (lat + ulat * 0.45 * 1.5).clamp(-90.0, 90.0);
        let ref_lon = lon + ulon * 0.45 * 90.0 / ni.max(f64::from(nl(ref_lat)));
        let pos = cpr::encode(lat, lon, odd, true);
        let (dlat, dlon) = local_surface(&pos, ref_lat, ref_lon).unwrap();
        let (rl, ro) = resolution(lat, odd, true);
        prop_assert!((dlat - lat).abs() <= rl, "lat {lat} -> {dlat}");
        prop_assert!(lon_err(dlon, lon) <= ro, "lon {lon} -> {dlon}");
    }

    /// A straight track at a random heading and 480 kt, one frame every 0.5 s alternating
    /// formats: every frame after the first decodes, within the resolution, with no speed
    /// rejection, whatever zone bands it crosses. The one exception is the opening pair: when
    /// its two frames lie in different longitude-zone bands there is no global position yet,
    /// so that frame is a zone mismatch and the next pair starts the track.
    #[test]
    fn state_follows_a_track(
        lat0 in -80.0f64..80.0, lon0 in -180.0f64..180.0, heading in 0.0f64..360.0,
    ) {
        let mut state = CprState::new();
        let step_deg = 480.0 / 3600.0 * 0.5 / 60.0;
        let (s, c) = heading.to_radians().sin_cos();
        let mut fixed = false;
        for k in 0..200 {
            let lat = lat0 + c * step_deg * f64::from(k);
            let lon = lon0 + s * step_deg * f64::from(k) / lat.to_radians().cos();
            let odd = k % 2 == 1;
            let r = state.decode(0xABCDEF, &cpr::encode(lat, lon, odd, false), 0.5 * f64::from(k), None);
            if k == 0 {
                prop_assert_eq!(r, Err(CprReject::Waiting));
                continue;
            }
            if !fixed && r == Err(CprReject::ZoneMismatch) {
                let prev = lat - c * step_deg;
                let (lo, hi) = (lat.min(prev) - 1e-3, lat.max(prev) + 1e-3);
                prop_assert!(k == 1 && nl(lo) != nl(hi), "k {} mismatch at {} without a band edge", k, lat);
                continue;
            }
            fixed = true;
            let fix = r.unwrap();
            let (rl, ro) = resolution(lat, odd, false);
            prop_assert!((fix.lat_deg - lat).abs() <= rl, "k {} lat {} -> {}", k, lat, fix.lat_deg);
            prop_assert!(lon_err(fix.lon_deg, lon) <= ro, "k {} lon {} -> {}", k, lon, fix.lon_deg);
        }
        prop_assert_eq!(state.stats().implausible_speed, 0);
    }
}

/// The case that showed the exception above: an opening pair straddling the NL 18/17 band edge
/// near 72.46 S is refused, and the track starts from the next pair.
#[test]
fn opening_pair_across_a_band_edge_waits_for_the_next() {
    let step_deg = 480.0 / 3600.0 * 0.5 / 60.0;
    let (s, c) = 207.889_530_542_925_14_f64.to_radians().sin_cos();
    let (lat0, lon0) = (-72.458_246_631_066_44, 0.0);
    let mut state = CprState::new();
    let mut out = Vec::new();
    for k in 0..4 {
        let lat = lat0 + c * step_deg * f64::from(k);
        let lon = lon0 + s * step_deg * f64::from(k) / lat.to_radians().cos();
        let r =
            state.decode(1, &cpr::encode(lat, lon, k % 2 == 1, false), 0.5 * f64::from(k), None);
        out.push(r.map(|f| f.method));
    }
    assert_eq!(
        out,
        vec![
            Err(CprReject::Waiting),
            Err(CprReject::ZoneMismatch),
            Ok(FixMethod::GlobalAirborne),
            Ok(FixMethod::GlobalAirborne)
        ]
    );
}
