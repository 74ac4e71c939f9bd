//! Geographic positions on WGS 84.
//!
//! Longitude is x and latitude is y, both in degrees, said once here and kept everywhere.

use serde::{Deserialize, Serialize};

/// Why a position was rejected.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PositionError {
    /// Longitude outside [-180, 180] or not finite.
    #[error("longitude {lon_deg} is outside [-180, 180]")]
    Longitude {
        /// The rejected value.
        lon_deg: f64,
    },
    /// Latitude outside [-90, 90] or not finite.
    #[error("latitude {lat_deg} is outside [-90, 90]")]
    Latitude {
        /// The rejected value.
        lat_deg: f64,
    },
}

/// A point on the WGS 84 ellipsoid: longitude (x) and latitude (y) in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    lon_deg: f64,
    lat_deg: f64,
}

impl Position {
    /// Validates a longitude/latitude pair (x first).
    pub fn new(lon_deg: f64, lat_deg: f64) -> Result<Self, PositionError> {
        if !(-180.0..=180.0).contains(&lon_deg) {
            return Err(PositionError::Longitude { lon_deg });
        }
        if !(-90.0..=90.0).contains(&lat_deg) {
            return Err(PositionError::Latitude { lat_deg });
        }
        Ok(Self { lon_deg, lat_deg })
    }

    /// Longitude in degrees, east positive.
    pub const fn lon_deg(self) -> f64 {
        self.lon_deg
    }

    /// Latitude in degrees, north positive.
    pub const fn lat_deg(self) -> f64 {
        self.lat_deg
    }

    /// Great-circle distance in metres, by [`haversine_m`].
    pub fn haversine_distance_m(self, other: Self) -> f64 {
        haversine_m(self.lat_deg, self.lon_deg, other.lat_deg, other.lon_deg)
    }
}

/// Mean Earth radius (IUGG: R1 = (2a + b) / 3 of WGS 84), metres: the sphere every spherical
/// computation of the project uses.
pub const EARTH_RADIUS_MEAN_M: f64 = 6_371_008.8;

/// Metres in one international nautical mile (exact, by definition).
pub const METRES_PER_NM: f64 = 1852.0;

/// Great-circle distance in metres between two points given in degrees, by the haversine
/// formula on a sphere of [`EARTH_RADIUS_MEAN_M`]: within 0.5 % of the ellipsoidal distance,
/// enough for plausibility checks and detectors; geodesic work belongs to a geometry crate.
/// Takes raw degrees (no validation) because hot paths hold positions in their own forms.
#[inline]
pub fn haversine_m(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    let (p1, p2) = (lat1_deg.to_radians(), lat2_deg.to_radians());
    let dp = p2 - p1;
    let dl = (lon2_deg - lon1_deg).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_MEAN_M * h.clamp(0.0, 1.0).sqrt().asin()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn validates_ranges() {
        assert!(Position::new(121.5, 25.0).is_ok());
        assert!(Position::new(181.0, 25.0).is_err());
        assert!(Position::new(121.0, 91.0).is_err());
        assert!(Position::new(f64::NAN, 0.0).is_err());
        assert!(Position::new(0.0, f64::INFINITY).is_err());
    }

    #[test]
    fn haversine_one_degree_of_latitude() {
        // One degree of arc on the mean sphere: 6,371,008.8 m × π / 180 = 111,195.08 m.
        let d = Position::new(121.0, 24.0)
            .unwrap()
            .haversine_distance_m(Position::new(121.0, 25.0).unwrap());
        assert!((d - 111_195.08).abs() < 0.1, "{d}");
    }
}
