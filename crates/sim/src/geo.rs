//! Geography as data: ports, shipping lanes, fishing grounds, receiving stations, and the few
//! flat-earth helpers the motion models use.
//!
//! Coordinates are `(lon, lat)` in degrees (x, y), as everywhere in Kuroshio.
//!
//! **Ports.** Each port is named with its UN/LOCODE (UNECE, "UN/LOCODE Code List by Country
//! and Territory", <https://unece.org/trade/cefact/unlocode-code-list-country-and-territory>;
//! Taiwan is listed under `TW`, Japan under `JP`). The coordinates given are the harbour
//! entrance a vessel steers for, rounded to about 0.01° (1 km); they are approximate and
//! chosen to lie on open water just outside the breakwaters, which the UN/LOCODE coordinate
//! column (town centres, to the minute) does not give.
//!
//! **Lanes.** Waypoint lists drawn along the routes that the traffic-density layers of public
//! AIS aggregations show (the main north–south routes through the Taiwan Strait, one on each
//! side of the median line; the Bashi Channel between Luzon Strait and the South China Sea;
//! the Miyako Strait between Okinawa and Miyako; and the approaches to the ports). They are
//! Kuroshio's own approximation, good to a few nautical miles. Two properties are checked by
//! tests because the ground truth depends on them: no lane crosses the Taiwan Strait median
//! line of the zone catalogue (the east lanes keep `lon − lat > 95.2`, the west lanes
//! `lon − lat < 94.8`, with room for the per-vessel spread; the catalogue line is `lon − lat = 95` between 23° N and 27° N), and
//! each lane crosses a strait gate only where it is named after that strait.
//!
//! **Fishing grounds.** Boxes over the grounds the fleets work: the Taiwan Bank south-west of
//! Penghu, the grounds north-east of Taiwan, the Zhoushan grounds off Zhejiang, and the
//! waters north of the Yaeyama islands. Boxes stay clear of the median line and the gates.
//!
//! **Airports.** Named by ICAO location indicator (ICAO Doc 7910, "Location Indicators");
//! coordinates are the aerodrome reference points published in each State's AIP, section
//! AD 2.2 (AIP Taiwan (ROC CAA), AIP Japan (JCAB), AIP Hong Kong, AIP Philippines, AIP China,
//! AIP Korea), rounded to 0.01° (about 1 km).
//!
//! **Airways.** Each civil route between two airports is a waypoint list that follows, roughly,
//! the published ATS route named in its `airway` field (AIP Taiwan and AIP Japan, ENR 3.1:
//! A1, M750, R583, G581, B576 and others). The waypoints are Kuroshio's own approximation,
//! good to tens of nautical miles, not the published fixes; climb and descent are flown along
//! the same line.

use kuroshio_model::{METRES_PER_NM, haversine_m};

/// A port a lane starts or ends at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Port {
    /// UN/LOCODE (country and location code without the space).
    pub locode: &'static str,
    /// Name as written in AIS destination fields (upper case, at most 20 characters).
    pub name: &'static str,
    /// Harbour entrance, `(lon, lat)` degrees (approximate; see the module documentation).
    pub entrance: (f64, f64),
}

/// The ports the lanes serve.
pub const PORTS: [Port; 5] = [
    // UN/LOCODE TW KHH; second harbour entrance of Kaohsiung.
    Port { locode: "TWKHH", name: "KAOHSIUNG", entrance: (120.28, 22.55) },
    // UN/LOCODE TW KEL; Keelung harbour entrance.
    Port { locode: "TWKEL", name: "KEELUNG", entrance: (121.75, 25.16) },
    // UN/LOCODE TW TXG; Taichung harbour entrance.
    Port { locode: "TWTXG", name: "TAICHUNG", entrance: (120.48, 24.29) },
    // UN/LOCODE JP NAH; Naha harbour entrance.
    Port { locode: "JPNAH", name: "NAHA", entrance: (127.65, 26.22) },
    // UN/LOCODE JP ISG; Ishigaki harbour entrance.
    Port { locode: "JPISG", name: "ISHIGAKI", entrance: (124.15, 24.32) },
];

/// A shipping lane: a named waypoint list sailed in either direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lane {
    /// Stable id used in scenario files.
    pub id: &'static str,
    /// Waypoints, `(lon, lat)` degrees.
    pub waypoints: &'static [(f64, f64)],
    /// Destination written by vessels sailing the lane forwards (towards the last waypoint).
    pub destination_forward: &'static str,
    /// Destination written by vessels sailing it backwards.
    pub destination_backward: &'static str,
    /// Relative share of lane traffic (merchant ships are spread over the lanes by weight).
    pub weight: u32,
    /// Largest shift, degrees in each axis, applied to a vessel's copy of the waypoints so that
    /// ships spread across the lane's width (small for harbour approaches).
    pub spread_deg: f64,
}

/// The lanes. Ids are referred to by scenario files (`lane = "taiwan_strait_east"`).
pub const LANES: [Lane; 9] = [
    Lane {
        id: "taiwan_strait_east",
        // South China Sea approach, up the Taiwan side of the strait, out to the East China Sea.
        waypoints: &[
            (118.5, 21.5),
            (119.6, 22.6),
            (120.0, 23.5),
            (120.4, 24.6),
            (121.0, 25.6),
            (122.2, 26.6),
            (123.0, 28.0),
        ],
        destination_forward: "SHANGHAI",
        destination_backward: "HONG KONG",
        weight: 30,
        spread_deg: 0.05,
    },
    Lane {
        id: "taiwan_strait_west",
        // Along the Fujian coast, west of the median line.
        waypoints: &[
            (117.0, 22.6),
            (118.3, 23.8),
            (119.2, 24.9),
            (120.0, 26.0),
            (120.9, 27.4),
            (122.0, 29.5),
        ],
        destination_forward: "NINGBO",
        destination_backward: "SHENZHEN",
        weight: 25,
        spread_deg: 0.05,
    },
    Lane {
        id: "bashi_channel",
        // Philippine Sea to the South China Sea through the Bashi Channel.
        waypoints: &[(124.5, 22.0), (122.2, 21.7), (120.9, 21.3), (118.5, 20.5)],
        destination_forward: "SINGAPORE",
        destination_backward: "LOS ANGELES",
        weight: 15,
        spread_deg: 0.05,
    },
    Lane {
        id: "miyako_strait",
        // Philippine Sea to the East China Sea between Okinawa and Miyako.
        waypoints: &[(128.5, 24.5), (126.4, 25.4), (124.5, 27.0), (122.5, 29.5)],
        destination_forward: "SHANGHAI",
        destination_backward: "SYDNEY",
        weight: 10,
        spread_deg: 0.05,
    },
    Lane {
        id: "kaohsiung_approach",
        waypoints: &[(120.28, 22.55), (120.10, 22.35), (119.6, 21.6)],
        destination_forward: "MANILA",
        destination_backward: "KAOHSIUNG",
        weight: 10,
        spread_deg: 0.005,
    },
    Lane {
        id: "keelung_approach",
        waypoints: &[(121.75, 25.16), (121.85, 25.35), (122.3, 25.9), (123.0, 26.5)],
        destination_forward: "BUSAN",
        destination_backward: "KEELUNG",
        weight: 5,
        spread_deg: 0.005,
    },
    Lane {
        id: "taichung_approach",
        waypoints: &[(120.48, 24.29), (120.2, 24.25), (120.0, 24.0), (119.7, 23.4)],
        destination_forward: "HONG KONG",
        destination_backward: "TAICHUNG",
        weight: 5,
        spread_deg: 0.005,
    },
    Lane {
        id: "naha_approach",
        waypoints: &[(127.65, 26.22), (127.3, 26.3), (125.5, 27.5), (123.0, 29.0)],
        destination_forward: "SHANGHAI",
        destination_backward: "NAHA",
        weight: 3,
        spread_deg: 0.005,
    },
    Lane {
        id: "ishigaki_miyako",
        // Inter-island route from Ishigaki towards Miyako, south of the Miyako gate.
        waypoints: &[(124.15, 24.32), (124.4, 24.3), (125.2, 24.6)],
        destination_forward: "MIYAKO",
        destination_backward: "ISHIGAKI",
        weight: 2,
        spread_deg: 0.005,
    },
];

/// A fishing ground: a box the fishing fleet of one flag works.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ground {
    /// Stable id.
    pub id: &'static str,
    /// South-west corner, `(lon, lat)`.
    pub min: (f64, f64),
    /// North-east corner, `(lon, lat)`.
    pub max: (f64, f64),
    /// MIDs of the boats working it (see [`crate::identity`]).
    pub mids: &'static [u16],
    /// Relative share of the fishing fleet.
    pub weight: u32,
}

/// The fishing grounds.
pub const GROUNDS: [Ground; 4] = [
    // Taiwan Bank, kept south of 23° N where the median line of the catalogue starts.
    Ground {
        id: "taiwan_bank",
        min: (118.2, 22.2),
        max: (119.3, 22.9),
        mids: &[412, 413, 416],
        weight: 35,
    },
    Ground {
        id: "northeast_taiwan",
        min: (122.0, 25.2),
        max: (122.8, 25.8),
        mids: &[416],
        weight: 25,
    },
    Ground {
        id: "zhoushan",
        min: (122.3, 28.5),
        max: (123.5, 30.0),
        mids: &[412, 413],
        weight: 30,
    },
    Ground {
        id: "north_yaeyama",
        min: (122.6, 24.8),
        max: (123.6, 25.4),
        mids: &[416, 431],
        weight: 10,
    },
];

/// An airport civil traffic flies between.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Airport {
    /// ICAO location indicator.
    pub icao: &'static str,
    /// ISO 3166 alpha-2 code of the State or territory, which decides the airlines serving it.
    pub country: &'static str,
    /// Aerodrome reference point, `(lon, lat)` degrees (AIP AD 2.2, rounded to 0.01°).
    pub position: (f64, f64),
}

/// The airports of [`AIRWAYS`].
pub const AIRPORTS: [Airport; 13] = [
    // AIP Taiwan AD 2 RCTP: ARP 25°04'35"N 121°13'26"E.
    Airport { icao: "RCTP", country: "TW", position: (121.22, 25.08) },
    // AIP Taiwan AD 2 RCSS: ARP 25°04'11"N 121°33'08"E.
    Airport { icao: "RCSS", country: "TW", position: (121.55, 25.07) },
    // AIP Taiwan AD 2 RCKH: ARP 22°34'38"N 120°21'00"E.
    Airport { icao: "RCKH", country: "TW", position: (120.35, 22.58) },
    // AIP Japan AD 2 ROAH: ARP 26°11'44"N 127°38'45"E.
    Airport { icao: "ROAH", country: "JP", position: (127.65, 26.20) },
    // AIP Japan AD 2 ROIG: ARP 24°23'47"N 124°14'42"E.
    Airport { icao: "ROIG", country: "JP", position: (124.25, 24.40) },
    // AIP Japan AD 2 ROMY: ARP 24°46'58"N 125°17'42"E.
    Airport { icao: "ROMY", country: "JP", position: (125.30, 24.78) },
    // AIP Japan AD 2 RJAA: ARP 35°45'53"N 140°23'11"E.
    Airport { icao: "RJAA", country: "JP", position: (140.39, 35.76) },
    // AIP Hong Kong AD 2 VHHH: ARP 22°18'32"N 113°54'52"E.
    Airport { icao: "VHHH", country: "HK", position: (113.91, 22.31) },
    // AIP Philippines AD 2 RPLL: ARP 14°30'31"N 121°01'10"E.
    Airport { icao: "RPLL", country: "PH", position: (121.02, 14.51) },
    // AIP China AD 2 ZSPD: ARP 31°08'36"N 121°48'19"E.
    Airport { icao: "ZSPD", country: "CN", position: (121.81, 31.14) },
    // AIP China AD 2 ZSAM: ARP 24°32'38"N 118°07'40"E.
    Airport { icao: "ZSAM", country: "CN", position: (118.13, 24.54) },
    // AIP China AD 2 ZSFZ: ARP 25°56'06"N 119°39'47"E.
    Airport { icao: "ZSFZ", country: "CN", position: (119.66, 25.94) },
    // AIP Korea AD 2 RKSI: ARP 37°27'49"N 126°26'25"E.
    Airport { icao: "RKSI", country: "KR", position: (126.44, 37.46) },
];

/// A civil air route between two airports, flown in either direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Airway {
    /// The published ATS route it roughly follows (see the module documentation).
    pub airway: &'static str,
    /// ICAO indicator of one end.
    pub from: &'static str,
    /// ICAO indicator of the other end.
    pub to: &'static str,
    /// Waypoints between the two airports, `(lon, lat)` degrees.
    pub via: &'static [(f64, f64)],
    /// Relative share of the flights.
    pub weight: u32,
}

/// The civil routes (approximate; see the module documentation).
pub const AIRWAYS: [Airway; 18] = [
    // Hong Kong - Taipei, south of Penghu then up the west coast.
    Airway {
        airway: "A1",
        from: "VHHH",
        to: "RCTP",
        via: &[(117.5, 21.7), (119.6, 22.6), (120.0, 23.6)],
        weight: 12,
    },
    Airway { airway: "A1", from: "VHHH", to: "RCKH", via: &[(117.8, 21.9)], weight: 5 },
    // Taipei - Okinawa - Tokyo.
    Airway { airway: "A1", from: "RCTP", to: "ROAH", via: &[(122.5, 25.7)], weight: 6 },
    Airway {
        airway: "A1",
        from: "RCTP",
        to: "RJAA",
        via: &[(123.3, 26.2), (127.0, 28.2), (133.0, 32.0)],
        weight: 10,
    },
    Airway {
        airway: "G581",
        from: "RCTP",
        to: "RKSI",
        via: &[(123.0, 27.6), (124.6, 32.5)],
        weight: 7,
    },
    Airway {
        airway: "G581",
        from: "RCSS",
        to: "RKSI",
        via: &[(123.0, 27.6), (124.6, 32.5)],
        weight: 2,
    },
    // Cross-strait routes to Shanghai, Xiamen and Fuzhou.
    Airway {
        airway: "R596",
        from: "RCTP",
        to: "ZSPD",
        via: &[(122.3, 26.2), (122.6, 29.0)],
        weight: 5,
    },
    Airway {
        airway: "R596",
        from: "RCSS",
        to: "ZSPD",
        via: &[(122.3, 26.2), (122.6, 29.0)],
        weight: 3,
    },
    Airway { airway: "W121", from: "RCTP", to: "ZSAM", via: &[(120.5, 24.9)], weight: 2 },
    Airway { airway: "W121", from: "RCSS", to: "ZSFZ", via: &[(120.6, 25.6)], weight: 2 },
    // Taiwan - Manila over the Bashi Channel.
    Airway {
        airway: "B576",
        from: "RCTP",
        to: "RPLL",
        via: &[(120.3, 23.2), (120.6, 20.5)],
        weight: 5,
    },
    Airway { airway: "B576", from: "RCKH", to: "RPLL", via: &[(120.9, 20.5)], weight: 3 },
    // Overflights: Hong Kong and Manila to Tokyo east of Taiwan, Seoul to Hong Kong over
    // the strait.
    Airway {
        airway: "M750",
        from: "VHHH",
        to: "RJAA",
        via: &[(118.5, 21.0), (121.0, 21.3), (123.0, 23.5), (127.0, 27.0), (133.0, 32.0)],
        weight: 6,
    },
    Airway {
        airway: "M750",
        from: "RPLL",
        to: "RJAA",
        via: &[(122.5, 19.5), (124.5, 23.0), (128.0, 28.0), (133.5, 32.5)],
        weight: 4,
    },
    Airway {
        airway: "R583",
        from: "RKSI",
        to: "VHHH",
        via: &[(124.0, 31.0), (122.0, 27.3), (119.8, 24.5), (117.0, 22.5)],
        weight: 5,
    },
    // The coast of China, west of the median line.
    Airway {
        airway: "A470",
        from: "ZSAM",
        to: "ZSPD",
        via: &[(119.3, 25.2), (121.0, 28.0)],
        weight: 5,
    },
    // Okinawa and the southern islands.
    Airway { airway: "direct", from: "ROAH", to: "ROIG", via: &[(126.0, 25.3)], weight: 4 },
    Airway { airway: "direct", from: "ROAH", to: "ROMY", via: &[], weight: 3 },
];

/// The airport with ICAO indicator `icao`.
pub fn airport(icao: &str) -> Option<&'static Airport> {
    AIRPORTS.iter().find(|a| a.icao == icao)
}

/// Shore AIS receiving stations named in tag blocks (`s:`): the nearest station to the vessel
/// is named. Positions are the towns the names say; coverage is not modelled (every message
/// is received).
pub const STATIONS: [(&str, f64, f64); 10] = [
    ("sim-kaohsiung", 120.27, 22.61),
    ("sim-penghu", 119.58, 23.57),
    ("sim-taichung", 120.50, 24.28),
    ("sim-keelung", 121.74, 25.15),
    ("sim-kinmen", 118.37, 24.44),
    ("sim-matsu", 119.95, 26.16),
    ("sim-yonaguni", 123.00, 24.47),
    ("sim-ishigaki", 124.16, 24.34),
    ("sim-naha", 127.68, 26.21),
    ("sim-zhoushan", 122.20, 30.00),
];

/// The station nearest to `(lon, lat)` (equirectangular distance, enough to pick a name).
pub fn nearest_station(lon: f64, lat: f64) -> &'static str {
    let mut best = STATIONS[0].0;
    let mut best_d = f64::INFINITY;
    let k = lat.to_radians().cos();
    for (name, slon, slat) in STATIONS {
        let d = ((slon - lon) * k).powi(2) + (slat - lat).powi(2);
        if d < best_d {
            best_d = d;
            best = name;
        }
    }
    best
}

/// Great-circle distance in nautical miles (the model's haversine on the mean radius).
pub fn distance_nm(a: (f64, f64), b: (f64, f64)) -> f64 {
    haversine_m(a.1, a.0, b.1, b.0) / METRES_PER_NM
}

/// Initial course from `a` to `b`, degrees true in [0, 360), on a local flat approximation
/// (good to a fraction of a degree over the tens of miles of a leg).
pub fn bearing_deg(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dx = (b.0 - a.0) * ((a.1 + b.1) / 2.0).to_radians().cos();
    let dy = b.1 - a.1;
    dx.atan2(dy).to_degrees().rem_euclid(360.0)
}

/// The point `distance_nm` from `p` on `course_deg`, flat approximation (one minute of
/// latitude is one nautical mile).
pub fn offset(p: (f64, f64), course_deg: f64, distance_nm: f64) -> (f64, f64) {
    let c = course_deg.to_radians();
    let lat = p.1 + distance_nm * c.cos() / 60.0;
    let k = ((p.1 + lat) / 2.0).to_radians().cos().max(1e-6);
    (p.0 + distance_nm * c.sin() / (60.0 * k), lat)
}

/// The lane with this id.
pub fn lane(id: &str) -> Option<&'static Lane> {
    LANES.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airways_join_known_airports() {
        for w in &AIRWAYS {
            assert!(airport(w.from).is_some() && airport(w.to).is_some(), "{w:?}");
            assert_ne!(w.from, w.to);
        }
    }

    #[test]
    fn bearings_and_offsets_agree() {
        let p = (121.0, 24.0);
        for course in [0.0, 45.0, 90.0, 200.0, 315.0] {
            let q = offset(p, course, 10.0);
            assert!((distance_nm(p, q) - 10.0).abs() < 0.05, "{course}");
            let b = bearing_deg(p, q);
            let diff = (b - course + 540.0).rem_euclid(360.0) - 180.0;
            assert!(diff.abs() < 0.2, "{course} {b}");
        }
    }

    #[test]
    fn nearest_station_is_nearest() {
        assert_eq!(nearest_station(121.8, 25.2), "sim-keelung");
        assert_eq!(nearest_station(127.0, 26.0), "sim-naha");
    }

    #[test]
    fn lanes_keep_their_side_of_the_median_line() {
        for lane in &LANES {
            for &(lon, lat) in lane.waypoints {
                if (23.0..=27.0).contains(&lat) {
                    let d = lon - lat;
                    assert!(!(94.8..=95.2).contains(&d), "{} ({lon}, {lat})", lane.id);
                }
            }
        }
    }
}
