//! DAC 1 FI 32 (message 6): tidal window, IMO SN.1/Circ.289 Annex (replaces DAC 1 FI 14).
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 |  4 | UTC month | 1-12; n/a 0 |
//! |   4 |  5 | UTC day | 1-31; n/a 0 |
//! |   9 | 88 × n | tidal points, up to 3 | |
//!
//! Each point (offsets within the point):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 25 | longitude | 1/1,000 min, two's complement; n/a 181° |
//! | 25 | 24 | latitude | 1/1,000 min, two's complement; n/a 91° |
//! | 49 |  5 | from UTC hour | 0-23; n/a 24 |
//! | 54 |  6 | from UTC minute | 0-59; n/a 60 |
//! | 60 |  5 | to UTC hour | 0-23; n/a 24 |
//! | 65 |  6 | to UTC minute | 0-59; n/a 60 |
//! | 71 |  9 | predicted current direction | degrees; n/a 360 |
//! | 80 |  8 | predicted current speed | 0.1 kn (251 = 25.1 kn or more); n/a 255 |
//!
//! A point is decoded when its first bit is inside the payload, bits missing from a short
//! payload being read as zero (gpsd does the same, except that it also decodes an all-zero
//! point that would start exactly at the end of the payload).

use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, opt_i32, opt_u8, opt_u16, or_na, put_position_x1000,
    put_scaled, put_u,
};
use crate::bits::Payload;
use crate::json::JsonWriter;

/// SN.1/Circ.289 repeats the tidal point at most three times.
pub const TIDAL_POINTS_289_MAX: usize = 3;

const POINT_BITS: usize = 88;

/// One point of a tidal window (IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalPoint289 {
    /// Longitude, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// Latitude, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
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

/// Tidal window (DAC 1 FI 32, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalWindow289 {
    /// UTC month.
    pub month: Option<u8>,
    /// UTC day.
    pub day: Option<u8>,
    /// The points, at most [`TIDAL_POINTS_289_MAX`].
    pub points: Vec<TidalPoint289>,
}

impl TidalWindow289 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let mut points = Vec::new();
        let mut a = s + 9;
        while a < p.len_bits() && points.len() < TIDAL_POINTS_289_MAX {
            points.push(TidalPoint289 {
                lon_min_x1000: opt_i32(p, a, 25, LON_NA_MIN_X1000),
                lat_min_x1000: opt_i32(p, a + 25, 24, LAT_NA_MIN_X1000),
                from_hour: opt_u8(p, a + 49, 5, 24),
                from_minute: opt_u8(p, a + 54, 6, 60),
                to_hour: opt_u8(p, a + 60, 5, 24),
                to_minute: opt_u8(p, a + 65, 6, 60),
                current_dir_deg: opt_u16(p, a + 71, 9, 360),
                current_speed_knots_x10: opt_u8(p, a + 80, 8, 255),
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
            w.i64("lon", or_na(t.lon_min_x1000, LON_NA_MIN_X1000).into());
            w.i64("lat", or_na(t.lat_min_x1000, LAT_NA_MIN_X1000).into());
            w.u64("from_hour", or_na(t.from_hour, 24).into());
            w.u64("from_min", or_na(t.from_minute, 60).into());
            w.u64("to_hour", or_na(t.to_hour, 24).into());
            w.u64("to_min", or_na(t.to_minute, 60).into());
            w.u64("cdir", or_na(t.current_dir_deg, 360).into());
            w.u64("cspeed", or_na(t.current_speed_knots_x10, 255).into());
            w.end_object();
        }
        w.end_array();
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_tidal_window");
        put_u(w, "month", self.month);
        put_u(w, "day", self.day);
        w.begin_array("points");
        for t in &self.points {
            w.begin_array_object();
            put_position_x1000(w, t.lat_min_x1000, t.lon_min_x1000);
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
