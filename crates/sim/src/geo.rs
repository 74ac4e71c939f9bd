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
