//! DAC 1 FI 14 (message 6): tidal window, IMO SN/Circ.236 Annex 2 application 4.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 |  4 | UTC month | 1-12; n/a 0 |
//! |   4 |  5 | UTC day | 1-31; n/a 0 |
//! |   9 | 93 × n | tidal points, up to 3 | |
//!
//! Each point (offsets within the point):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 27 | latitude | 1/10,000 min, two's complement; n/a 91° |
//! | 27 | 28 | longitude | 1/10,000 min, two's complement; n/a 181° |
//! | 55 |  5 | from UTC hour | 0-23; n/a 24 |
//! | 60 |  6 | from UTC minute | 0-59; n/a 60 |
//! | 66 |  5 | to UTC hour | 0-23; n/a 24 |
//! | 71 |  6 | to UTC minute | 0-59; n/a 60 |
//! | 77 |  9 | current direction | degrees; n/a 511 |
//! | 86 |  7 | current speed | 0.1 kn; n/a 127 |
//!
//! A point is decoded when its first bit is inside the payload, bits missing from a short
//! payload being read as zero (gpsd does the same, except that it also decodes an all-zero
//! point that would start exactly at the end of the payload).

use super::{
    LAT_NA_MIN_X10000, LON_NA_MIN_X10000, opt_i32, opt_u8, opt_u16, or_na, put_scaled, put_u,
};
use crate::bits::Payload;
use crate::json::JsonWriter;

/// SN/Circ.236 defines a message of at most three tidal points (376 bits).
pub const TIDAL_POINTS_236_MAX: usize = 3;

const POINT_BITS: usize = 93;

/// One point of a tidal window (IMO SN/Circ.236).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalPoint236 {
    /// Latitude, 1/10,000 minute.
    pub lat_min_x10000: Option<i32>,
    /// Longitude, 1/10,000 minute.
    pub lon_min_x10000: Option<i32>,
    /// Window opens: UTC hour.
    pub from_hour: Option<u8>,
    /// Window opens: UTC minute.
    pub from_minute: Option<u8>,
    /// Window closes: UTC hour.
    pub to_hour: Option<u8>,
    /// Window closes: UTC minute.
    pub to_minute: Option<u8>,
    /// Predicted current direction, degrees.
    pub current_dir_deg: Option<u16>,
    /// Predicted current speed, 0.1 knot.
    pub current_speed_knots_x10: Option<u8>,
}

/// Tidal window (DAC 1 FI 14, IMO SN/Circ.236).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalWindow236 {
    /// UTC month.
    pub month: Option<u8>,
    /// UTC day.
    pub day: Option<u8>,
    /// The points, at most [`TIDAL_POINTS_236_MAX`].
    pub points: Vec<TidalPoint236>,
}

impl TidalWindow236 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let mut points = Vec::new();
        let mut a = s + 9;
        while a < p.len_bits() && points.len() < TIDAL_POINTS_236_MAX {
            points.push(TidalPoint236 {
                lat_min_x10000: opt_i32(p, a, 27, LAT_NA_MIN_X10000),
                lon_min_x10000: opt_i32(p, a + 27, 28, LON_NA_MIN_X10000),
                from_hour: opt_u8(p, a + 55, 5, 24),
                from_minute: opt_u8(p, a + 60, 6, 60),
                to_hour: opt_u8(p, a + 66, 5, 24),
                to_minute: opt_u8(p, a + 71, 6, 60),
                current_dir_deg: opt_u16(p, a + 77, 9, 511),
                current_speed_knots_x10: opt_u8(p, a + 86, 7, 127),
            });
            a += POINT_BITS;
        }
        Some(Self { month: opt_u8(p, s, 4, 0), day: opt_u8(p, s + 4, 5, 0), points })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("month", or_na(self.month, 0).into());
        w.u64("day", or_na(self.day, 0).into());
        w.begin_array("tidals");
        for t in &self.points {
            w.begin_array_object();
            w.i64("lon", or_na(t.lon_min_x10000, LON_NA_MIN_X10000).into());
            w.i64("lat", or_na(t.lat_min_x10000, LAT_NA_MIN_X10000).into());
            w.u64("from_hour", or_na(t.from_hour, 24).into());
            w.u64("from_min", or_na(t.from_minute, 60).into());
            w.u64("to_hour", or_na(t.to_hour, 24).into());
            w.u64("to_min", or_na(t.to_minute, 60).into());
            w.u64("cdir", or_na(t.current_dir_deg, 511).into());
            w.u64("cspeed", or_na(t.current_speed_knots_x10, 127).into());
            w.end_object();
        }
        w.end_array();
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo236_tidal_window");
        put_u(w, "month", self.month);
        put_u(w, "day", self.day);
        w.begin_array("points");
        for t in &self.points {
            w.begin_array_object();
            put_scaled(w, "lat_deg", t.lat_min_x10000, 600_000.0, 7);
            put_scaled(w, "lon_deg", t.lon_min_x10000, 600_000.0, 7);
            put_u(w, "from_hour", t.from_hour);
            put_u(w, "from_minute", t.from_minute);
            put_u(w, "to_hour", t.to_hour);
            put_u(w, "to_minute", t.to_minute);
            put_u(w, "current_dir_deg", t.current_dir_deg.filter(|&d| d < 360));
            put_scaled(w, "current_speed_knots", t.current_speed_knots_x10, 10.0, 1);
            w.end_object();
        }
        w.end_array();
    }
}
