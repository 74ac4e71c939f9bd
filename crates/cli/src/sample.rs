//! `kuroshio sample`: a generated AIS feed around Taiwan, written as real NMEA.
//!
//! A small deterministic traffic model — container ships and tankers transiting the Taiwan
//! Strait, fishing boats working the Taiwan Bank, a ferry between Ishigaki and Yonaguni, a
//! coast-guard patrol off Kinmen — advanced in 10-second steps from a fixed start time. Each
//! step every vessel reports its position (message 1, or 18 for Class B); every six minutes it
//! sends its static data (message 5, or 24 A and B). Messages are encoded with `kuroshio-ais`
//! and framed with `kuroshio-nmea` as `!AIVDM` sentences behind NMEA 4.10 tag blocks naming the
//! nearest receiving station and the receive time, so the feed exercises the same path as a
//! real one, multi-sentence messages included.
//!
//! The vessels, names and MMSIs are invented; only the geography is real. The full scenario
//! generator (gray-zone behaviour, Mode S, replay clock) is a separate component.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use kuroshio_ais::message::{
    AisMessage, ClassBPosition, Dimensions, PositionReport, ReferenceOrMothership,
    StaticDataReport, StaticDataReportA, StaticDataReportB, StaticVoyageData,
};
use kuroshio_ais::{AisText, encode};
use kuroshio_model::Timestamp;
use kuroshio_nmea::writer::{SentenceOptions, TagBlockOut, write_sentences};

/// Seconds between position reports (Class A at 14-23 kn reports every 6 s; 10 s keeps the
/// sample small while staying within the standard's range of reporting intervals).
const STEP_S: u64 = 10;
/// Steps between static reports: six minutes, the standard's interval for message 5.
const STATIC_EVERY_STEPS: u64 = 36;
/// Start of the sample: 2026-01-01T00:00:00Z.
const START_UNIX_S: u64 = 1_767_225_600;

/// Receiving stations the feed names, at their (lon, lat) in degrees.
const STATIONS: [(&str, f64, f64); 5] = [
    ("sim-kaohsiung", 120.27, 22.61),
    ("sim-penghu", 119.58, 23.57),
    ("sim-keelung", 121.74, 25.15),
    ("sim-kinmen", 118.37, 24.44),
    ("sim-yonaguni", 123.00, 24.47),
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Container ship or tanker shuttling through the strait between two waypoints.
    Transit { from: (f64, f64), to: (f64, f64) },
    /// Fishing boat wandering inside a box.
    Fishing { min: (f64, f64), max: (f64, f64) },
    /// Patrol circling a point.
    Patrol { centre: (f64, f64), radius_deg: f64 },
}

struct Vessel {
    mmsi: u32,
    name: String,
    call_sign: String,
    ship_type: u8,
    class_b: bool,
    kind: Kind,
    lon: f64,
    lat: f64,
    speed_knots: f64,
    course_deg: f64,
    length_m: u16,
    beam_m: u8,
    destination: &'static str,
}

/// SplitMix64: small, fast and reproducible across platforms.
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
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn fleet(rng: &mut Rng) -> Vec<Vessel> {
    // Strait lanes: south-west entrance near Penghu channel to the north-east exit off Keelung.
    let south = (119.9, 22.4);
    let north = (121.2, 25.7);
    let mut out = Vec::new();
    let mids = [416u32, 431, 477, 353, 636, 413, 563, 440];
    let ports: [&'static str; 7] =
        ["KAOHSIUNG", "KEELUNG", "NAHA", "SHANGHAI", "HONG KONG", "BUSAN", "MANILA"];
    for i in 0..40u32 {
        let northbound = i % 2 == 0;
        let (from, to) = if northbound { (south, north) } else { (north, south) };
        let t = rng.unit();
        let tanker = i % 5 == 0;
        out.push(Vessel {
            mmsi: rng.pick(&mids) * 1_000_000 + 100_000 + i,
            name: format!("{} {}", if tanker { "SIM TANKER" } else { "SIM CARRIER" }, i + 1),
            call_sign: format!("S{:05}", 1000 + i),
            ship_type: if tanker { 80 } else { 70 },
            class_b: false,
            kind: Kind::Transit { from, to },
            lon: from.0 + (to.0 - from.0) * t + rng.range(-0.15, 0.15),
            lat: from.1 + (to.1 - from.1) * t + rng.range(-0.1, 0.1),
            speed_knots: rng.range(11.0, 19.0),
            course_deg: 0.0,
            length_m: rng.range(120.0, 330.0) as u16,
            beam_m: rng.range(20.0, 48.0) as u8,
            destination: ports[(rng.next() % ports.len() as u64) as usize],
        });
    }
    for i in 0..30u32 {
        out.push(Vessel {
            mmsi: if i % 3 == 0 { 412_400_000 } else { 416_400_000 } + i,
            name: format!("SIM FISHER {}", i + 1),
            call_sign: format!("F{:05}", 2000 + i),
            ship_type: 30,
            class_b: true,
            kind: Kind::Fishing { min: (119.3, 22.3), max: (120.3, 23.2) },
            lon: rng.range(119.3, 120.3),
            lat: rng.range(22.3, 23.2),
            speed_knots: rng.range(1.0, 6.0),
            course_deg: rng.range(0.0, 360.0),
            length_m: rng.range(12.0, 40.0) as u16,
            beam_m: rng.range(4.0, 9.0) as u8,
            destination: "",
        });
    }
    out.push(Vessel {
        mmsi: 431_999_001,
        name: "SIM FERRY YAEYAMA".into(),
        call_sign: "JS9001".into(),
        ship_type: 60,
        class_b: false,
        kind: Kind::Transit { from: (124.16, 24.33), to: (123.01, 24.46) },
        lon: 124.0,
        lat: 24.35,
        speed_knots: 20.0,
        course_deg: 0.0,
        length_m: 70,
        beam_m: 12,
        destination: "YONAGUNI",
    });
    out.push(Vessel {
        mmsi: 416_999_002,
        name: "SIM CGA PATROL".into(),
        call_sign: "BP9002".into(),
        ship_type: 55,
        class_b: false,
        kind: Kind::Patrol { centre: (118.45, 24.35), radius_deg: 0.12 },
        lon: 118.57,
        lat: 24.35,
        speed_knots: 14.0,
        course_deg: 0.0,
        length_m: 60,
        beam_m: 10,
        destination: "KINMEN",
    });
    out
}

/// Initial bearing from `a` to `b` (lon, lat in degrees) on a local flat approximation, degrees
/// true; good enough over the few hundred kilometres of this sample.
fn bearing_deg(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dx = (b.0 - a.0) * a.1.to_radians().cos();
    let dy = b.1 - a.1;
    dx.atan2(dy).to_degrees().rem_euclid(360.0)
}

fn advance(v: &mut Vessel, rng: &mut Rng) {
    match v.kind {
        Kind::Transit { from, to } => {
            if (v.lon - to.0).abs() < 0.02 && (v.lat - to.1).abs() < 0.02 {
                v.kind = Kind::Transit { from: to, to: from };
            }
            if let Kind::Transit { to, .. } = v.kind {
                v.course_deg = bearing_deg((v.lon, v.lat), to);
            }
        }
        Kind::Fishing { min, max } => {
            v.course_deg = (v.course_deg + rng.range(-20.0, 20.0)).rem_euclid(360.0);
            if v.lon < min.0 || v.lon > max.0 || v.lat < min.1 || v.lat > max.1 {
                let centre = ((min.0 + max.0) / 2.0, (min.1 + max.1) / 2.0);
                v.course_deg = bearing_deg((v.lon, v.lat), centre);
            }
            v.speed_knots = (v.speed_knots + rng.range(-0.5, 0.5)).clamp(0.0, 8.0);
        }
        Kind::Patrol { centre, .. } => {
            // Keep the centre on the port side: course is the radial bearing plus 90°.
            v.course_deg = (bearing_deg(centre, (v.lon, v.lat)) + 90.0).rem_euclid(360.0);
        }
    }
    let dist_nm = v.speed_knots * STEP_S as f64 / 3600.0;
    let c = v.course_deg.to_radians();
    v.lat += dist_nm * c.cos() / 60.0;
    v.lon += dist_nm * c.sin() / (60.0 * v.lat.to_radians().cos());
    if let Kind::Patrol { centre, radius_deg } = v.kind {
        // Pull back onto the circle so rounding does not spiral the patrol away.
        let (dx, dy) = (v.lon - centre.0, v.lat - centre.1);
        let r = (dx * dx + dy * dy).sqrt().max(1e-9);
        v.lon = centre.0 + dx / r * radius_deg;
        v.lat = centre.1 + dy / r * radius_deg;
    }
}

fn station_for(lon: f64, lat: f64) -> &'static str {
    let mut best = STATIONS[0];
    let d = |s: &(&str, f64, f64)| (s.1 - lon).powi(2) + (s.2 - lat).powi(2);
    for s in &STATIONS {
        if d(s) < d(&best) {
            best = *s;
        }
    }
    best.0
}

fn min_x10000(deg: f64) -> i32 {
    (deg * 600_000.0).round() as i32
}

fn position_message(v: &Vessel, second: u8) -> AisMessage {
    let speed = Some((v.speed_knots * 10.0).round() as u16);
    let course = Some(((v.course_deg * 10.0).round() as u16) % 3600);
    let heading = Some((v.course_deg.round() as u16) % 360);
    if v.class_b {
        AisMessage::ClassBPosition(ClassBPosition {
            repeat: 0,
            mmsi: v.mmsi,
            spare1: 0,
            speed_knots_x10: speed,
            accuracy: false,
            lon_min_x10000: Some(min_x10000(v.lon)),
            lat_min_x10000: Some(min_x10000(v.lat)),
            course_deg_x10: course,
            heading_deg: None,
            utc_second: Some(second),
            spare2: 0,
            carrier_sense: true,
            display: false,
            dsc: false,
            band: true,
            msg22: true,
            assigned: false,
            raim: false,
            radio: 0b1100_0000_0000_0000_0110,
        })
    } else {
        AisMessage::PositionReport(PositionReport {
            msg_type: 1,
            repeat: 0,
            mmsi: v.mmsi,
            nav_status: 0,
            rot_ais: Some(0),
            speed_knots_x10: speed,
            accuracy: true,
            lon_min_x10000: Some(min_x10000(v.lon)),
            lat_min_x10000: Some(min_x10000(v.lat)),
            course_deg_x10: course,
            heading_deg: heading,
            utc_second: Some(second),
            maneuver: 0,
            spare: 0,
            raim: false,
            radio: 0x2_0000 | u32::from(second),
            radio_len_bits: 19,
        })
    }
}

fn dimensions(v: &Vessel) -> Dimensions {
    Dimensions {
        to_bow_m: v.length_m * 2 / 3,
        to_stern_m: v.length_m - v.length_m * 2 / 3,
        to_port_m: v.beam_m / 2,
        to_starboard_m: v.beam_m - v.beam_m / 2,
    }
}

fn static_messages(v: &Vessel, day_of_month: u8) -> Vec<AisMessage> {
    if v.class_b {
        vec![
            AisMessage::StaticDataReport(StaticDataReport::A(StaticDataReportA {
                repeat: 0,
                mmsi: v.mmsi,
                ship_name: AisText::from_str_lossy(&v.name),
                spare: Some(0),
            })),
            AisMessage::StaticDataReport(StaticDataReport::B(StaticDataReportB {
                repeat: 0,
                mmsi: v.mmsi,
                ship_type: v.ship_type,
                vendor_id: AisText::from_str_lossy("KSM"),
                unit_model: 1,
                serial_number: v.mmsi % 1_000_000,
                call_sign: AisText::from_str_lossy(&v.call_sign),
                reference: ReferenceOrMothership::Dimensions(dimensions(v)),
                epfd: 1,
                spare: 0,
            })),
        ]
    } else {
        vec![AisMessage::StaticVoyageData(StaticVoyageData {
            repeat: 0,
            mmsi: v.mmsi,
            ais_version: 2,
            imo: Some(9_000_000 + v.mmsi % 1_000_000),
            call_sign: AisText::from_str_lossy(&v.call_sign),
            ship_name: AisText::from_str_lossy(&v.name),
            ship_type: v.ship_type,
            dimensions: dimensions(v),
            epfd: 1,
            eta_month: Some(1),
            eta_day: Some(day_of_month.saturating_add(1).min(28)),
            eta_hour: Some(8),
            eta_minute: Some(0),
            draught_m_x10: Some(if v.length_m > 100 { 105 } else { 40 }),
            destination: AisText::from_str_lossy(v.destination),
            dte: false,
            spare: false,
        })]
    }
}

/// Writes `count` sentences of the sample feed to standard output.
pub fn run(count: u64, seed: u64) -> anyhow::Result<ExitCode> {
    let mut rng = Rng(seed);
    let mut vessels = fleet(&mut rng);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut text = String::new();
    let mut written = 0u64;
    let mut sequence_id = 0u8;
    let mut group_id = 1u32;
    'steps: for step in 0u64.. {
        let now_s = START_UNIX_S + step * STEP_S;
        let (_, _, day, _, _, second, _) =
            Timestamp::from_unix_seconds(now_s as i64).unwrap_or(Timestamp::EPOCH).to_civil();
        for v in &mut vessels {
            advance(v, &mut rng);
            let mut messages = vec![position_message(v, second)];
            if (step + u64::from(v.mmsi)) % STATIC_EVERY_STEPS == 0 {
                messages.extend(static_messages(v, day));
            }
            for m in &messages {
                let encoded = encode(m).context("encoding a generated message")?;
                let multi = encoded.payload.len() > 60;
                let opts = SentenceOptions {
                    talker: *b"AI",
                    own_ship: false,
                    channel: Some(if (v.mmsi + step as u32) % 2 == 0 { b'A' } else { b'B' }),
                    sequence_id: multi.then_some(sequence_id),
                    tag_block: Some(TagBlockOut {
                        source: Some(station_for(v.lon, v.lat).to_owned()),
                        unix_time_s: Some(now_s),
                        group_id: multi.then_some(group_id),
                    }),
                };
                if multi {
                    sequence_id = (sequence_id + 1) % 10;
                    group_id = group_id % 9999 + 1;
                }
                text.clear();
                let n = write_sentences(&encoded.payload, encoded.fill_bits, &opts, &mut text)
                    .context("framing a generated message")?;
                out.write_all(text.as_bytes())?;
                written += u64::from(n);
                if written >= count {
                    break 'steps;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
