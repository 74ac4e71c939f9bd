//! ADS-B extended squitter encoding and Beast binary framing: the inverse of [`crate::decode`]
//! and [`crate::frame::BeastDeframer`], for traffic generators and tests.
//!
//! Every function builds a 14-byte DF 17 frame (Annex 10 Vol IV §3.1.2.8.6: `DF = 17`, the
//! capability `CA`, the 24-bit address `AA`, the 56-bit `ME` field and 24 bits of parity
//! computed with [`crate::crc::crc24`], so that the frame checks to a zero residual). The `ME`
//! layouts are those of DO-260B §2.2.3.2 (and ICAO Doc 9871 Appendix C), bit numbers 1–56 as
//! there:
//!
//! | message | type code | fields |
//! |---|---|---|
//! | [`identification`] | 1–4 | category (6–8), eight 6-bit characters (9–56) |
//! | [`airborne_position`] | 9–18 | surveillance status (6–7), NIC supplement B (8), altitude (9–20, 25 ft steps with the Q bit), time (21), CPR format (22), CPR latitude (23–39), longitude (40–56) |
//! | [`airborne_velocity`] | 19, subtype 1 | east-west and north-south ground speed (sign and magnitude + 1, 1 kt), vertical rate (sign and magnitude / 64 + 1) |
//! | [`aircraft_status`] | 28, subtype 1 | emergency state (9–11), Mode A code (12–24, the interleaved ID layout of Annex 10 Vol IV §3.1.2.6.7.1) |
//!
//! [`write_beast_long`] frames one reply as Beast binary (`0x1a '3'`, six time-stamp bytes, a
//! signal byte and the reply, every `0x1a` doubled), and [`gps_timestamp`] makes the GPS
//! time-of-day time stamp that Radarcape-style receivers put in those six bytes (second of the
//! UTC day in the upper 18 bits, nanosecond in the lower 30; see [`crate::frame::GpsTimeOfDay`]
//! for the sources). Values out of a field's range are clamped to it; nothing here fails.

use kuroshio_model::Timestamp;

use crate::cpr::CprPosition;
use crate::crc::crc24;

/// Bytes of a long Mode S frame.
pub const LONG_BYTES: usize = 14;

/// Downlink format of an ADS-B extended squitter from a Mode S transponder.
const DF_EXTENDED_SQUITTER: u8 = 17;

/// Capability 5: a level 2+ transponder, airborne (Annex 10 Vol IV §3.1.2.5.2.2.1).
pub const CA_AIRBORNE: u8 = 5;

/// The Beast escape and frame-start byte.
const BEAST_ESC: u8 = 0x1a;

/// Beast frame type of a long Mode S reply.
const BEAST_LONG: u8 = b'3';

/// The 6-bit character set of aircraft identification (Annex 10 Vol IV Table 3-9): `A`–`Z`
/// are 1–26, space is 32, `0`–`9` are 48–57; anything else is sent as a space.
fn six_bit(c: u8) -> u64 {
    match c {
        b'A'..=b'Z' => u64::from(c - b'A' + 1),
        b'a'..=b'z' => u64::from(c - b'a' + 1),
        b'0'..=b'9' => u64::from(c),
        _ => 32,
    }
}

/// Sets ME bits `first..first + len` (1-based from the most significant of 56) to `value`.
fn put(me: &mut u64, first: u32, len: u32, value: u64) {
    let shift = 56 - (first - 1) - len;
    let mask = ((1u64 << len) - 1) << shift;
    *me = (*me & !mask) | ((value << shift) & mask);
}

/// A DF 17 frame with capability `ca`, address `icao24` and the 56-bit `me`, with its parity.
pub fn extended_squitter(ca: u8, icao24: u32, me: u64) -> [u8; LONG_BYTES] {
    let mut f = [0u8; LONG_BYTES];
    f[0] = (DF_EXTENDED_SQUITTER << 3) | (ca & 7);
    f[1..4].copy_from_slice(&(icao24 & 0xFF_FFFF).to_be_bytes()[1..]);
    f[4..11].copy_from_slice(&me.to_be_bytes()[1..]);
    let parity = crc24(&f[..11]);
    f[11..].copy_from_slice(&parity.to_be_bytes()[1..]);
    f
}

/// Aircraft identification (type code `tc`, 1–4, and emitter `category`, 0–7; e.g. TC 4
/// category 3 for a large aircraft, category 5 for a heavy one) with up to eight characters of
/// `callsign`, padded with spaces.
pub fn identification(icao24: u32, tc: u8, category: u8, callsign: &str) -> [u8; LONG_BYTES] {
    let mut me = 0u64;
    put(&mut me, 1, 5, u64::from(tc.clamp(1, 4)));
    put(&mut me, 6, 3, u64::from(category & 7));
    let bytes = callsign.as_bytes();
    for i in 0..8u32 {
        let c = bytes.get(i as usize).copied().unwrap_or(b' ');
        put(&mut me, 9 + 6 * i, 6, six_bit(c));
    }
    extended_squitter(CA_AIRBORNE, icao24, me)
}

/// The 12-bit altitude field for `altitude_ft` in 25 ft steps (Q bit set), from −1,000 ft to
/// 50,175 ft; `None` gives 0, "no altitude".
fn altitude12(altitude_ft: Option<f64>) -> u64 {
    let Some(ft) = altitude_ft.filter(|v| v.is_finite()) else { return 0 };
    let n = ((ft + 1000.0) / 25.0).round().clamp(0.0, 2047.0) as u64;
    ((n >> 4) << 5) | 0x10 | (n & 0xF)
}

/// Airborne position with barometric altitude (type code `tc`, 9–18; 11 is NIC 8, within
/// 0.1 NM), surveillance status 0 and the CPR fields of `cpr` (see [`crate::cpr::encode`]).
pub fn airborne_position(
    icao24: u32,
    tc: u8,
    altitude_ft: Option<f64>,
    cpr: &CprPosition,
) -> [u8; LONG_BYTES] {
    let mut me = 0u64;
    put(&mut me, 1, 5, u64::from(tc.clamp(9, 18)));
    put(&mut me, 9, 12, altitude12(altitude_ft));
    put(&mut me, 22, 1, u64::from(cpr.odd));
    put(&mut me, 23, 17, u64::from(cpr.lat_cpr & 0x1_FFFF));
    put(&mut me, 40, 17, u64::from(cpr.lon_cpr & 0x1_FFFF));
    extended_squitter(CA_AIRBORNE, icao24, me)
}

/// Airborne velocity, subtype 1 (ground speed, subsonic): `speed_knots` over the ground on
/// `track_deg`, and `vertical_rate_ft_min` (barometric; positive up), with NACv 1 (10 m/s).
/// Components are rounded to whole knots (at most 1,022) and the rate to 64 ft/min (at most
/// 32,640).
pub fn airborne_velocity(
    icao24: u32,
    speed_knots: f64,
    track_deg: f64,
    vertical_rate_ft_min: f64,
) -> [u8; LONG_BYTES] {
    let (s, c) = track_deg.to_radians().sin_cos();
    let east = (speed_knots * s).round();
    let north = (speed_knots * c).round();
    let magnitude = |v: f64| (v.abs().min(1022.0) as u64) + 1;
    let mut me = 0u64;
    put(&mut me, 1, 5, 19);
    put(&mut me, 6, 3, 1);
    put(&mut me, 11, 3, 1);
    put(&mut me, 14, 1, u64::from(east < 0.0));
    put(&mut me, 15, 10, magnitude(east));
    put(&mut me, 25, 1, u64::from(north < 0.0));
    put(&mut me, 26, 10, magnitude(north));
    put(&mut me, 36, 1, 1);
    let vr = if vertical_rate_ft_min.is_finite() { vertical_rate_ft_min } else { 0.0 };
    put(&mut me, 37, 1, u64::from(vr < 0.0));
    put(&mut me, 38, 9, ((vr.abs() / 64.0).round().min(510.0) as u64) + 1);
    extended_squitter(CA_AIRBORNE, icao24, me)
}

/// The 13-bit ID field of Mode A `squawk` (four octal digits written as hexadecimal, `0x7700`
/// for 7700): the interleaved layout C1 A1 C2 A2 C4 A4 X B1 D1 B2 D2 B4 D4 of Annex 10 Vol IV
/// §3.1.2.6.7.1.
pub fn id13(squawk: u16) -> u32 {
    let digit = |shift: u16| u32::from((squawk >> shift) & 7);
    let (a, b, c, d) = (digit(12), digit(8), digit(4), digit(0));
    let bit = |v: u32, k: u32, mask: u32| if v & k != 0 { mask } else { 0 };
    bit(a, 4, 0x80)
        | bit(a, 2, 0x200)
        | bit(a, 1, 0x800)
        | bit(b, 4, 0x02)
        | bit(b, 2, 0x08)
        | bit(b, 1, 0x20)
        | bit(c, 4, 0x100)
        | bit(c, 2, 0x400)
        | bit(c, 1, 0x1000)
        | bit(d, 4, 0x01)
        | bit(d, 2, 0x04)
        | bit(d, 1, 0x10)
}

/// Aircraft status, subtype 1 (emergency/priority status and Mode A code): `emergency` 0 for
/// none, and the Mode A code `squawk` (octal digits written as hexadecimal).
pub fn aircraft_status(icao24: u32, emergency: u8, squawk: u16) -> [u8; LONG_BYTES] {
    let mut me = 0u64;
    put(&mut me, 1, 5, 28);
    put(&mut me, 6, 3, 1);
    put(&mut me, 9, 3, u64::from(emergency & 7));
    put(&mut me, 12, 13, u64::from(id13(squawk)));
    extended_squitter(CA_AIRBORNE, icao24, me)
}

/// The Radarcape GPS time stamp of `time`: second of the UTC day in the upper 18 bits,
/// nanosecond within it in the lower 30 (what [`crate::frame::GpsTimeOfDay::from_beast`]
/// reads).
pub fn gps_timestamp(time: Timestamp) -> u64 {
    let ns = time.unix_nanos();
    let second_of_day = ns.div_euclid(1_000_000_000).rem_euclid(86_400) as u64;
    let nanos = ns.rem_euclid(1_000_000_000) as u64;
    (second_of_day << 30) | nanos
}

/// Appends one long Mode S reply as a Beast binary frame: `0x1a`, `'3'`, the 48-bit
/// `timestamp` (big-endian), the `signal` byte and the 14 reply bytes, every `0x1a` among the
/// last 21 bytes doubled.
pub fn write_beast_long(timestamp: u64, signal: u8, frame: &[u8; LONG_BYTES], out: &mut Vec<u8>) {
    out.push(BEAST_ESC);
    out.push(BEAST_LONG);
    let ts = timestamp.to_be_bytes();
    for &b in ts[2..].iter().chain(std::iter::once(&signal)).chain(frame.iter()) {
        out.push(b);
        if b == BEAST_ESC {
            out.push(BEAST_ESC);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::cpr::{self, CprState};
    use crate::decode::{Adsb, Content, Parity, decode};
    use crate::frame::{BeastDeframer, FrameTime, GpsDayClock};

    fn hex(f: &[u8]) -> String {
        f.iter().map(|b| format!("{b:02X}")).collect()
    }

    fn es(f: &[u8]) -> Adsb {
        let m = decode(f).unwrap();
        assert_eq!(m.parity, Parity::Checked);
        match m.content {
            Content::ExtendedSquitter(es) => es.me,
            other => panic!("not an extended squitter: {other:?}"),
        }
    }

    #[test]
    fn reproduces_published_frames() {
        // The worked examples of "The 1090 MHz Riddle" (J. Sun, 2021, chapters on
        // identification and airborne position), which pyModeS's tests use too: the
        // identification of 4840D6 "KLM1023", and the even/odd airborne positions of 40621D
        // at 38,000 ft (CPR 93000/51372 and 74158/50194).
        let f = extended_squitter(5, 0x4840D6, 0);
        assert_eq!(f[0], 0x8D);
        let mut id = identification(0x4840D6, 4, 0, "KLM1023");
        assert_eq!(hex(&id), "8D4840D6202CC371C32CE0576098");
        id[12] ^= 1;
        assert!(decode(&id).is_err());
        let even = cpr::CprPosition { lat_cpr: 93000, lon_cpr: 51372, odd: false, surface: false };
        let odd = cpr::CprPosition { lat_cpr: 74158, lon_cpr: 50194, odd: true, surface: false };
        assert_eq!(
            hex(&airborne_position(0x40621D, 11, Some(38000.0), &even)),
            "8D40621D58C382D690C8AC2863A7"
        );
        assert_eq!(
            hex(&airborne_position(0x40621D, 11, Some(38000.0), &odd)),
            "8D40621D58C386435CC412692AD6"
        );
    }

    #[test]
    fn identification_round_trips() {
        let f = identification(0x8990AB, 4, 3, "EVA123");
        let m = decode(&f).unwrap();
        assert_eq!(m.icao24, Some(0x8990AB));
        assert_eq!(m.callsign().unwrap().trimmed(), "EVA123");
        match es(&f) {
            Adsb::Identification(id) => assert_eq!((id.tc, id.category), (4, 3)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn position_round_trips_through_cpr() {
        let (lat, lon) = (24.812_345, 121.456_789);
        let mut state = CprState::new();
        let mut last = None;
        for (k, odd) in [false, true].into_iter().enumerate() {
            let f =
                airborne_position(0x8990AB, 11, Some(35_025.0), &cpr::encode(lat, lon, odd, false));
            let m = decode(&f).unwrap();
            assert_eq!(m.altitude_ft(), Some(35_025));
            last = state.update(0x8990AB, m.cpr().unwrap(), k as f64, None);
        }
        let (dlat, dlon) = last.unwrap();
        assert!((dlat - lat).abs() < 1e-4 && (dlon - lon).abs() < 1e-4, "{dlat} {dlon}");
    }

    #[test]
    fn velocity_round_trips() {
        for (speed, track, vr) in
            [(455.0, 47.0, 0.0), (300.0, 230.0, -1792.0), (250.0, 0.0, 2048.0)]
        {
            let f = airborne_velocity(0x780001, speed, track, vr);
            let v = *decode(&f).unwrap().velocity().unwrap();
            assert_eq!(v.subtype, 1);
            assert!((v.groundspeed_kt.unwrap() - speed).abs() < 1.0, "{v:?}");
            let dt = (v.track_deg.unwrap() - track + 540.0) % 360.0 - 180.0;
            assert!(dt.abs() < 0.3, "{v:?}");
            assert_eq!(v.vertical_rate_ft_min, Some(vr as i32));
        }
    }

    #[test]
    fn status_carries_the_squawk() {
        for code in [0x7700u16, 0x1234, 0x0224, 0x7726, 0x0000, 0x5371] {
            let f = aircraft_status(0x840123, 0, code);
            let m = decode(&f).unwrap();
            assert_eq!(m.squawk().unwrap().0, code);
        }
    }

    #[test]
    fn beast_frames_deframe_with_their_gps_time() {
        // A time stamp, signal and reply holding 0x1a bytes, which must be escaped.
        let t = Timestamp::parse("2024-10-14T23:59:59.25Z").unwrap();
        let t2 = Timestamp::parse("2024-10-15T00:00:01.5Z").unwrap();
        let frames = [
            identification(0x1a1a1a, 4, 3, "CAL502"),
            airborne_velocity(0x899001, 450.0, 10.0, 0.0),
        ];
        let mut wire = Vec::new();
        write_beast_long(gps_timestamp(t), 0x1a, &frames[0], &mut wire);
        write_beast_long(gps_timestamp(t2), 0x80, &frames[1], &mut wire);
        let mut d = BeastDeframer::new();
        assert_eq!(d.push(&wire), wire.len());
        let mut clock = GpsDayClock::on_date(2024, 10, 14).unwrap();
        let mut got = Vec::new();
        while let Some(f) = d.next_frame() {
            let f = f.unwrap();
            let Some(FrameTime::Mlat12MHz(stamp)) = f.timestamp else { panic!() };
            got.push((clock.time(stamp).unwrap(), f.signal, f.data.to_vec()));
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (t, Some(0x1a), frames[0].to_vec()));
        assert_eq!(got[1], (t2, Some(0x80), frames[1].to_vec()));
        assert_eq!(d.stats().resyncs, 0);
    }
}
