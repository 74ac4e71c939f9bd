//! Named reference places of Japan Joint Staff Office releases and bearing/distance geocoding.
//!
//! Releases give a sighting as "bearing and distance from a named island or cape"
//! (`宮古島の北東約100km`). [`lookup`] finds the place, and [`geocode`] turns the
//! triple into a latitude/longitude with the spherical destination-point formula on the
//! project's mean Earth sphere ([`kuroshio_model::EARTH_RADIUS_MEAN_M`]).
//!
//! Coordinates are the centre of an island (or the tip of a cape) as given in the coordinate
//! box of its Wikipedia article; each entry names its source in [`Place::source`]. Entries
//! marked [`APPROXIMATE`] have not been checked against a published coordinate yet.

use kuroshio_model::{EARTH_RADIUS_MEAN_M, Position};
use serde::{Deserialize, Serialize};

/// The sixteen points of the compass, as used for bearings (`北東`) and headings (`北東進`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CompassPoint {
    /// 北
    N,
    /// 北北東
    Nne,
    /// 北東
    Ne,
    /// 東北東
    Ene,
    /// 東
    E,
    /// 東南東
    Ese,
    /// 南東
    Se,
    /// 南南東
    Sse,
    /// 南
    S,
    /// 南南西
    Ssw,
    /// 南西
    Sw,
    /// 西南西
    Wsw,
    /// 西
    W,
    /// 西北西
    Wnw,
    /// 北西
    Nw,
    /// 北北西
    Nnw,
}

/// Japanese spelling of each point, longest first so that a prefix match picks `北北東`
/// before `北東` before `北`.
const COMPASS_WORDS: [(&str, CompassPoint); 16] = [
    ("北北東", CompassPoint::Nne),
    ("東北東", CompassPoint::Ene),
    ("東南東", CompassPoint::Ese),
    ("南南東", CompassPoint::Sse),
    ("南南西", CompassPoint::Ssw),
    ("西南西", CompassPoint::Wsw),
    ("西北西", CompassPoint::Wnw),
    ("北北西", CompassPoint::Nnw),
    ("北東", CompassPoint::Ne),
    ("南東", CompassPoint::Se),
    ("南西", CompassPoint::Sw),
    ("北西", CompassPoint::Nw),
    ("北", CompassPoint::N),
    ("東", CompassPoint::E),
    ("南", CompassPoint::S),
    ("西", CompassPoint::W),
];

impl CompassPoint {
    /// True bearing of the point in degrees clockwise from north.
    pub fn degrees(self) -> f64 {
        let index = match self {
            Self::N => 0,
            Self::Nne => 1,
            Self::Ne => 2,
            Self::Ene => 3,
            Self::E => 4,
            Self::Ese => 5,
            Self::Se => 6,
            Self::Sse => 7,
            Self::S => 8,
            Self::Ssw => 9,
            Self::Sw => 10,
            Self::Wsw => 11,
            Self::W => 12,
            Self::Wnw => 13,
            Self::Nw => 14,
            Self::Nnw => 15,
        };
        f64::from(index) * 22.5
    }

    /// The point spelled exactly by `word` (`"北東"` → [`CompassPoint::Ne`]).
    pub fn from_japanese(word: &str) -> Option<Self> {
        COMPASS_WORDS.iter().find(|(w, _)| *w == word).map(|(_, p)| *p)
    }

    /// The longest compass word at the start of `text`, with its length in bytes.
    pub fn prefix_of(text: &str) -> Option<(Self, usize)> {
        COMPASS_WORDS.iter().find(|(w, _)| text.starts_with(w)).map(|(w, p)| (*p, w.len()))
    }
}

/// One named reference place.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Place {
    /// Name as written in the releases.
    pub name: &'static str,
    /// Romanised name.
    pub name_en: &'static str,
    /// Latitude of the centre (cape: tip), degrees north.
    pub lat_deg: f64,
    /// Longitude of the centre (cape: tip), degrees east.
    pub lon_deg: f64,
    /// Where the coordinates come from: a Wikipedia article's coordinate box (language
    /// edition and the value given there), or [`APPROXIMATE`].
    pub source: &'static str,
}

/// Source marker of an entry whose coordinates were placed from the island's known extent and
/// are not yet checked against a published coordinate (good to a few km at best).
pub const APPROXIMATE: &str = "approximate, not checked against a published coordinate";

/// The places releases measure from or name as strait sides, rounded to 0.01° (about 1 km;
/// the releases themselves round distances to 10 km).
pub const PLACES: &[Place] = &[
    place("対馬", "Tsushima", 34.42, 129.33, "en/ja.wikipedia 対馬: 34°25'N 129°20'E"),
    place(
        "礼文島",
        "Rebun Island",
        45.37,
        141.02,
        "en.wikipedia Rebun Island: 45°22'07\"N 141°00'55\"E",
    ),
    place("宗谷岬", "Cape Soya", 45.52, 141.94, "de.wikipedia Kap Sōya: 45°31'22\"N 141°56'12\"E"),
    place("久米島", "Kume Island", 26.35, 126.77, "ja.wikipedia 久米島: 26°21'16\"N 126°46'15\"E"),
    place(
        "沖ノ鳥島",
        "Okinotorishima",
        20.43,
        136.08,
        "ja.wikipedia 沖ノ鳥島: 20°25'32\"N 136°04'52\"E",
    ),
    place("宮古島", "Miyako Island", 24.77, 125.32, "en.wikipedia Miyako-jima: 24°46'N 125°19'E"),
    place(
        "与那国島",
        "Yonaguni Island",
        24.47,
        123.00,
        "ja.wikipedia 与那国島: 24°28'06\"N 123°00'17\"E",
    ),
    place(
        "五島列島",
        "Goto Islands",
        32.82,
        128.93,
        "en.wikipedia Gotō Islands (centre near Naru): 32°49'N 128°56'E",
    ),
    place(
        "横当島",
        "Yokoate Island",
        28.80,
        129.00,
        "en.wikipedia Yokoate-jima: 28°47'58\"N 128°59'46\"E",
    ),
    place(
        "口永良部島",
        "Kuchinoerabu Island",
        30.47,
        130.18,
        "en.wikipedia Kuchinoerabu-jima: 30°28'N 130°11'E",
    ),
    place(
        "西表島",
        "Iriomote Island",
        24.34,
        123.81,
        "en.wikipedia Iriomote-jima: 24°20'24\"N 123°48'36\"E",
    ),
    place(
        "龍飛崎",
        "Cape Tappi",
        41.26,
        140.34,
        "en.wikipedia Cape Tappi: 41°15'34\"N 140°20'34\"E",
    ),
    place(
        "沖縄本島",
        "Okinawa Island",
        26.48,
        127.93,
        "zh.wikipedia 沖繩島: 26°28'46\"N 127°55'40\"E",
    ),
    place(
        "奄美大島",
        "Amami Oshima",
        28.33,
        129.37,
        "en.wikipedia Amami Ōshima: 28°19'35\"N 129°22'29\"E",
    ),
    place(
        "南硫黄島",
        "Minami-Iwo Jima",
        24.23,
        141.46,
        "de.wikipedia Minami-Iwojima: 24°14'05\"N 141°27'45\"E",
    ),
    place("草垣群島", "Kusagaki Islands", 30.83, 129.45, APPROXIMATE),
    place("波照間島", "Hateruma Island", 24.06, 123.78, APPROXIMATE),
    place("種子島", "Tanegashima", 30.58, 130.98, APPROXIMATE),
    place("屋久島", "Yakushima", 30.34, 130.53, APPROXIMATE),
    place("硫黄島", "Iwo Jima", 24.78, 141.32, APPROXIMATE),
    place("尖閣諸島", "Senkaku Islands (Uotsuri-jima)", 25.74, 123.47, APPROXIMATE),
    place("喜界島", "Kikai Island", 28.32, 129.95, APPROXIMATE),
    place("犬吠埼", "Cape Inubo", 35.71, 140.87, APPROXIMATE),
    place("納沙布岬", "Cape Nosappu", 43.39, 145.82, APPROXIMATE),
    place("男女群島", "Danjo Islands", 31.99, 128.36, APPROXIMATE),
    place("大隅海峡", "Osumi Strait (mid-strait)", 30.90, 130.80, APPROXIMATE),
];

const fn place(
    name: &'static str,
    name_en: &'static str,
    lat_deg: f64,
    lon_deg: f64,
    source: &'static str,
) -> Place {
    Place { name, name_en, lat_deg, lon_deg, source }
}

/// The place named exactly `name`, if listed.
pub fn lookup(name: &str) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.name == name)
}

/// Why a bearing/distance could not be geocoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeocodeError {
    /// The place is not in [`PLACES`].
    #[error("place {name:?} is not in the gazetteer")]
    UnknownPlace {
        /// The name looked up.
        name: String,
    },
    /// The distance is negative, not finite or longer than half the Earth's circumference.
    #[error("distance {distance_km} km is not a usable distance")]
    Distance {
        /// The rejected distance.
        distance_km: f64,
    },
}

/// Half the circumference of the mean sphere, km: the farthest any point can be.
const MAX_DISTANCE_KM: f64 = std::f64::consts::PI * EARTH_RADIUS_MEAN_M / 1000.0;

/// The point `distance_km` from the named place along the initial true bearing `bearing`.
pub fn geocode(
    place: &str,
    bearing: CompassPoint,
    distance_km: f64,
) -> Result<Position, GeocodeError> {
    let from = lookup(place).ok_or_else(|| GeocodeError::UnknownPlace { name: place.into() })?;
    destination(from.lat_deg, from.lon_deg, bearing.degrees(), distance_km)
}

/// Spherical destination point: start at (`lat_deg`, `lon_deg`), travel `distance_km` along
/// the great circle whose initial true bearing is `bearing_deg`. Sphere radius
/// [`EARTH_RADIUS_MEAN_M`]; against the ellipsoid the error stays below 0.5 % of the distance.
pub fn destination(
    lat_deg: f64,
    lon_deg: f64,
    bearing_deg: f64,
    distance_km: f64,
) -> Result<Position, GeocodeError> {
    if !distance_km.is_finite() || !(0.0..=MAX_DISTANCE_KM).contains(&distance_km) {
        return Err(GeocodeError::Distance { distance_km });
    }
    let delta = distance_km * 1000.0 / EARTH_RADIUS_MEAN_M;
    let theta = bearing_deg.to_radians();
    let phi1 = lat_deg.to_radians();
    let lambda1 = lon_deg.to_radians();
    let sin_phi2 =
        (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * theta.cos()).clamp(-1.0, 1.0);
    let phi2 = sin_phi2.asin();
    let lambda2 = lambda1
        + (theta.sin() * delta.sin() * phi1.cos()).atan2(delta.cos() - phi1.sin() * sin_phi2);
    let lon = (lambda2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    Position::new(lon, phi2.to_degrees().clamp(-90.0, 90.0))
        .map_err(|_| GeocodeError::Distance { distance_km })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::haversine_m;

    #[test]
    fn compass_words_parse_longest_first() {
        assert_eq!(CompassPoint::prefix_of("北東約"), Some((CompassPoint::Ne, "北東".len())));
        assert_eq!(CompassPoint::prefix_of("北北東約"), Some((CompassPoint::Nne, "北北東".len())));
        assert_eq!(CompassPoint::prefix_of("南約"), Some((CompassPoint::S, "南".len())));
        assert_eq!(CompassPoint::from_japanese("南西"), Some(CompassPoint::Sw));
        assert_eq!(CompassPoint::Sw.degrees(), 225.0);
        assert_eq!(CompassPoint::prefix_of("約"), None);
    }

    #[test]
    fn geocode_moves_the_stated_distance_in_the_stated_direction() {
        let origin = lookup("宮古島").unwrap();
        let p = geocode("宮古島", CompassPoint::Ne, 100.0).unwrap();
        let d_m = haversine_m(origin.lat_deg, origin.lon_deg, p.lat_deg(), p.lon_deg());
        assert!((d_m - 100_000.0).abs() < 1.0, "{d_m}");
        assert!(p.lat_deg() > origin.lat_deg && p.lon_deg() > origin.lon_deg);
        // Due north 111.2 km is one degree of latitude on the mean sphere.
        let n = destination(0.0, 0.0, 0.0, 111.195).unwrap();
        assert!((n.lat_deg() - 1.0).abs() < 1e-3 && n.lon_deg().abs() < 1e-9);
        // Due west across the antimeridian wraps the longitude.
        let w = destination(0.0, -179.5, 270.0, 111.195).unwrap();
        assert!((w.lon_deg() - 179.5).abs() < 1e-3, "{}", w.lon_deg());
    }

    #[test]
    fn geocode_rejects_unknown_places_and_bad_distances() {
        assert!(matches!(
            geocode("どこか島", CompassPoint::N, 1.0),
            Err(GeocodeError::UnknownPlace { .. })
        ));
        assert!(matches!(
            geocode("対馬", CompassPoint::N, -1.0),
            Err(GeocodeError::Distance { .. })
        ));
        assert!(matches!(
            geocode("対馬", CompassPoint::N, f64::NAN),
            Err(GeocodeError::Distance { .. })
        ));
    }

    #[test]
    fn gazetteer_names_are_unique_and_in_the_region() {
        for (i, p) in PLACES.iter().enumerate() {
            assert!(PLACES[..i].iter().all(|q| q.name != p.name), "{} twice", p.name);
            assert!((20.0..46.0).contains(&p.lat_deg) && (122.0..146.0).contains(&p.lon_deg));
        }
    }
}
