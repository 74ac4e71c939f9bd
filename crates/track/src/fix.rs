//! Fixes: where a target was at one instant, and how it was moving; and dead reckoning from one.
//!
//! [`Fix`] is the public, easy-to-use form (degrees as `f64`, kinematics as `Option<f32>`).
//! Tracks store their history as [`PackedFix`], 32 bytes instead of 48, because history is
//! most of a track's memory (see the crate documentation for the budget):
//! - longitude and latitude as `i32` in units of 1e-7 degree (about 1.1 cm): finer than any
//!   source Kuroshio reads (AIS reports 1/10,000 minute ≈ 1.7e-6 degree, ITU-R M.1371-5
//!   table 45; ADS-B CPR about 5 m airborne), and ±180° = ±1.8e9 fits in an `i32`;
//! - speed, course and altitude as `f32`, with NaN meaning "not reported": 24 bits of mantissa
//!   keep 1e-3 knot, 1e-4 degree and 0.01 ft at the largest values they take, well below the
//!   sources' own resolution (0.1 knot, 0.1 degree, 25 ft).
//!
//! Not here: smoothing or filtering (a Kalman filter would belong in a separate stage), and
//! geodesy beyond the spherical formulas documented on [`destination`].

use kuroshio_model::{EARTH_RADIUS_MEAN_M, METRES_PER_NM, Timestamp};

/// Units of 1e-7 degree per degree, the storage unit of packed positions.
const E7: f64 = 1e7;

/// One position of a target at one instant, with the motion reported with it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    /// When the target was there.
    pub time: Timestamp,
    /// Longitude in degrees, east positive (x).
    pub lon_deg: f64,
    /// Latitude in degrees, north positive (y).
    pub lat_deg: f64,
    /// Speed over ground in knots, if reported.
    pub speed_knots: Option<f32>,
    /// Course over ground in degrees true, [0, 360), if reported.
    pub course_deg: Option<f32>,
    /// Altitude in feet, if reported (aircraft).
    pub altitude_ft: Option<f32>,
}

impl Fix {
    /// Where the target will be at `at` if it keeps its course and speed, by great-circle
    /// dead reckoning on the mean sphere ([`destination`]). `None` when `at` is before the fix,
    /// when more than `horizon_s` seconds after it, or when speed (or, for a moving target,
    /// course) is unknown. A target reported at 0 knots stays where it is.
    pub fn predict(&self, at: Timestamp, horizon_s: f64) -> Option<(f64, f64)> {
        let dt_s = at.nanos_since(self.time) as f64 / 1e9;
        if !(0.0..=horizon_s).contains(&dt_s) {
            return None;
        }
        let speed_knots = f64::from(self.speed_knots?);
        if speed_knots == 0.0 {
            return Some((self.lon_deg, self.lat_deg));
        }
        let course_deg = f64::from(self.course_deg?);
        let distance_m = speed_knots * METRES_PER_NM / 3600.0 * dt_s;
        Some(destination(self.lon_deg, self.lat_deg, course_deg, distance_m))
    }
}

/// The point `distance_m` metres from (`lon_deg`, `lat_deg`) along the great circle that
/// leaves it on bearing `course_deg` (degrees true), on a sphere of [`EARTH_RADIUS_MEAN_M`].
/// Returns (longitude, latitude) in degrees, longitude normalised to [-180, 180).
///
/// Over dead-reckoning horizons (tens of kilometres) the sphere is within 0.5 % of the WGS 84
/// ellipsoid and the great circle and the rhumb line differ by metres, far less than the
/// uncertainty of assuming constant course and speed.
pub fn destination(lon_deg: f64, lat_deg: f64, course_deg: f64, distance_m: f64) -> (f64, f64) {
    let delta = distance_m / EARTH_RADIUS_MEAN_M;
    let theta = course_deg.to_radians();
    let (phi1, lambda1) = (lat_deg.to_radians(), lon_deg.to_radians());
    let sin_phi2 = phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * theta.cos();
    let phi2 = sin_phi2.clamp(-1.0, 1.0).asin();
    let lambda2 = lambda1
        + (theta.sin() * delta.sin() * phi1.cos()).atan2(delta.cos() - phi1.sin() * sin_phi2);
    let lon = (lambda2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    (lon, phi2.to_degrees())
}

/// `x.round() as i32` (half away from zero, saturating, NaN to 0) without the call to `round`
/// that `f64::round` becomes on baseline x86-64, where it is a library routine: this runs
/// twice for every fix. `x - trunc(x)` is exact for every `f64`, so the comparison with one
/// half decides exactly as `round` does.
fn round_i32(x: f64) -> i32 {
    let t = x as i64; // truncates; saturates; NaN becomes 0
    let frac = x - t as f64;
    let r = if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    };
    r.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// A [`Fix`] as tracks store it: 32 bytes; see the module documentation for the units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackedFix {
    time: Timestamp,
    lon_e7: i32,
    lat_e7: i32,
    speed_knots: f32,
    course_deg: f32,
    altitude_ft: f32,
}

impl PackedFix {
    /// A fix with no position, used to fill unused history slots.
    pub(crate) const EMPTY: Self = Self {
        time: Timestamp::EPOCH,
        lon_e7: 0,
        lat_e7: 0,
        speed_knots: f32::NAN,
        course_deg: f32::NAN,
        altitude_ft: f32::NAN,
    };

    /// Packs a fix. Degrees outside ±180 saturate (callers pass validated positions);
    /// non-finite kinematics become "not reported".
    pub fn pack(fix: &Fix) -> Self {
        let opt = |v: Option<f32>| v.filter(|x| x.is_finite()).unwrap_or(f32::NAN);
        Self {
            time: fix.time,
            // Saturating, and NaN becomes 0; positions are validated before they get here.
            lon_e7: round_i32(fix.lon_deg * E7),
            lat_e7: round_i32(fix.lat_deg * E7),
            speed_knots: opt(fix.speed_knots),
            course_deg: opt(fix.course_deg),
            altitude_ft: opt(fix.altitude_ft),
        }
    }

    /// [`PackedFix::pack`] of a fix at `time`, (`lon_deg`, `lat_deg`) with speed, course and
    /// altitude given as `f32`, NaN meaning not reported: the same result, without building
    /// a [`Fix`] on the tracker's update path.
    pub(crate) fn from_parts(
        time: Timestamp,
        lon_deg: f64,
        lat_deg: f64,
        [speed_knots, course_deg, altitude_ft]: [f32; 3],
    ) -> Self {
        let opt = |v: f32| if v.is_finite() { v } else { f32::NAN };
        Self {
            time,
            lon_e7: round_i32(lon_deg * E7),
            lat_e7: round_i32(lat_deg * E7),
            speed_knots: opt(speed_knots),
            course_deg: opt(course_deg),
            altitude_ft: opt(altitude_ft),
        }
    }

    /// The fix in its public form.
    pub fn unpack(&self) -> Fix {
        let opt = |v: f32| (!v.is_nan()).then_some(v);
        Fix {
            time: self.time,
            lon_deg: f64::from(self.lon_e7) / E7,
            lat_deg: f64::from(self.lat_e7) / E7,
            speed_knots: opt(self.speed_knots),
            course_deg: opt(self.course_deg),
            altitude_ft: opt(self.altitude_ft),
        }
    }

    /// When the fix was taken.
    pub const fn time(&self) -> Timestamp {
        self.time
    }

    /// Whether two fixes put the target at the same place at the same instant (the same
    /// report heard by two receivers).
    pub(crate) fn same_place_and_time(&self, other: &Self) -> bool {
        self.time == other.time && self.lon_e7 == other.lon_e7 && self.lat_e7 == other.lat_e7
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fix(lon_deg: f64, lat_deg: f64, speed: f32, course: f32) -> Fix {
        Fix {
            time: Timestamp::from_unix_seconds(1_700_000_000).unwrap(),
            lon_deg,
            lat_deg,
            speed_knots: Some(speed),
            course_deg: Some(course),
            altitude_ft: None,
        }
    }

    fn hours(f: &Fix, h: f64) -> Timestamp {
        f.time.saturating_add_nanos((h * 3.6e12) as i64)
    }

    /// 10 knots due east for one hour is 10 nm, i.e. 10 arc-minutes of a great circle; on the
    /// mean sphere one arc-minute is 1853.2 m, so 10 nm is 9.9937' = 0.166561°. At latitude φ
    /// that is 0.166561° / cos φ of longitude (to first order: the great circle bends
    /// towards the equator by metres only).
    #[test]
    fn ten_knots_east_for_an_hour() {
        let expected_deg = 10.0 * 1852.0 / EARTH_RADIUS_MEAN_M * 180.0 / std::f64::consts::PI;
        assert!((expected_deg - 1.0 / 6.0).abs() < 2e-4, "{expected_deg}");
        for lat in [0.0_f64, 24.0, 60.0] {
            let f = fix(121.0, lat, 10.0, 90.0);
            let (lon, lat2) = f.predict(hours(&f, 1.0), 3600.0).unwrap();
            let dlon = lon - 121.0;
            let want = expected_deg / lat.to_radians().cos();
            assert!((dlon - want).abs() < 1e-5 * want.max(1.0), "lat {lat}: {dlon} vs {want}");
            // A great circle leaving due east is at its vertex, so it bends towards the
            // equator by (d/R)²·tan φ / 2 radians to second order: 12 m at 24° N, 47 m at 60° N.
            let delta = 10.0 * 1852.0 / EARTH_RADIUS_MEAN_M;
            let want_lat = lat - (delta * delta / 2.0 * lat.to_radians().tan()).to_degrees();
            assert!((lat2 - want_lat).abs() < 1e-8, "lat {lat}: {lat2} vs {want_lat}");
        }
    }

    #[test]
    fn north_and_across_the_antimeridian() {
        let f = fix(179.95, 10.0, 20.0, 0.0);
        let (lon, lat) = f.predict(hours(&f, 0.5), 3600.0).unwrap();
        assert!((lon - 179.95).abs() < 1e-9);
        // 10 nm north = 0.166561° of latitude.
        assert!((lat - 10.166_561).abs() < 1e-5, "{lat}");
        let f = fix(179.95, 0.0, 20.0, 90.0);
        let (lon, _) = f.predict(hours(&f, 0.5), 3600.0).unwrap();
        // 179.95 + 0.166561 = 180.116561, i.e. -179.883439.
        assert!((lon - -179.883_439).abs() < 1e-5, "{lon}");
    }

    #[test]
    fn horizon_and_missing_motion() {
        let f = fix(121.0, 24.0, 10.0, 90.0);
        assert!(f.predict(hours(&f, 0.6), 1800.0).is_none());
        assert!(f.predict(hours(&f, -0.01), 1800.0).is_none());
        let still = fix(121.0, 24.0, 0.0, f32::NAN);
        assert_eq!(still.predict(hours(&still, 0.1), 1800.0), Some((121.0, 24.0)));
        let mut no_course = f;
        no_course.course_deg = None;
        assert!(no_course.predict(hours(&f, 0.1), 1800.0).is_none());
    }

    #[test]
    fn round_i32_is_round_as_i32() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            1_799_999_999.5,
            -1_799_999_999.5,
            2_147_483_647.4,
            2_147_483_647.5,
            -2_147_483_648.5,
            4.5e15 + 0.5,
            9.3e18,
            -9.3e18,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        // And a spread of degrees × 1e7 with every fraction, from a fixed-seed LCG.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            values.push((unit - 0.5) * 2.0 * 180.0 * E7);
            values.push(f64::from_bits(state));
        }
        for x in values {
            assert_eq!(round_i32(x), x.round() as i32, "{x:?}");
        }
    }

    #[test]
    fn packing_round_trips_within_a_centimetre() {
        let f =
            Fix { altitude_ft: Some(35_000.0), ..fix(-179.999_999_9, -89.123_456_7, 5.5, 359.9) };
        let p = PackedFix::pack(&f);
        let u = p.unpack();
        assert!((u.lon_deg - f.lon_deg).abs() <= 0.5e-7);
        assert!((u.lat_deg - f.lat_deg).abs() <= 0.5e-7);
        assert_eq!(
            (u.speed_knots, u.course_deg, u.altitude_ft),
            (Some(5.5), Some(359.9), Some(35_000.0))
        );
        let none = PackedFix::pack(&Fix { speed_knots: Some(f32::NAN), course_deg: None, ..f });
        assert_eq!(none.unpack().speed_knots, None);
        // Built from parts, the same bytes as packed from a `Fix`.
        let parts = PackedFix::from_parts(f.time, f.lon_deg, f.lat_deg, [5.5, 359.9, 35_000.0]);
        assert_eq!(parts, p);
        let parts =
            PackedFix::from_parts(f.time, f.lon_deg, f.lat_deg, [f32::NAN, f32::INFINITY, 1.0]);
        let packed = PackedFix::pack(&Fix {
            speed_knots: None,
            course_deg: Some(f32::INFINITY),
            altitude_ft: Some(1.0),
            ..f
        });
        assert_eq!(parts.unpack(), packed.unpack());
        assert_eq!(std::mem::size_of::<PackedFix>(), 32);
    }
}
