//! DAC 200 FI 40 (message 8): signal status, Inland AIS standard.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 28 | longitude of the signal | 1/10,000 min, two's complement; n/a 181° |
//! |  28 | 27 | latitude of the signal | 1/10,000 min, two's complement; n/a 91° |
//! |  55 |  4 | signal form | code table |
//! |  59 |  9 | orientation of the signal | degrees; n/a 511 |
//! |  68 |  3 | direction of impact | 1 upstream, 2 downstream, 3 to left bank, 4 to right bank; 0 unknown |
//! |  71 | 30 | light status | ten 3-bit light codes |
//! | 101 | 11 | spare | |
//!
//! 112 data bits; as gpsd does, only a message of exactly 168 bits is decoded.

use super::{LAT_NA_MIN_X10000, LON_NA_MIN_X10000, opt_i32, opt_u16, or_na, put_scaled, put_u};
use crate::bits::Payload;
use crate::json::JsonWriter;

const DATA_BITS: usize = 112;

/// Signal status (DAC 200 FI 40).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalStatus {
    /// Longitude, 1/10,000 minute.
    pub lon_min_x10000: Option<i32>,
    /// Latitude, 1/10,000 minute.
    pub lat_min_x10000: Option<i32>,
    /// Signal form code.
    pub form: u8,
    /// Orientation of the signal, degrees.
    pub facing_deg: Option<u16>,
    /// Direction of impact code.
    pub direction: u8,
    /// Light status: ten 3-bit light codes, first light in the most significant bits.
    pub status: u32,
}

impl SignalStatus {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        Some(Self {
            lon_min_x10000: opt_i32(p, s, 28, LON_NA_MIN_X10000),
            lat_min_x10000: opt_i32(p, s + 28, 27, LAT_NA_MIN_X10000),
            form: p.u(s + 55, 4) as u8,
            facing_deg: opt_u16(p, s + 59, 9, 511),
            direction: p.u(s + 68, 3) as u8,
            status: p.u(s + 71, 30) as u32,
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.i64("lon", or_na(self.lon_min_x10000, LON_NA_MIN_X10000).into());
        w.i64("lat", or_na(self.lat_min_x10000, LAT_NA_MIN_X10000).into());
        w.u64("form", self.form.into());
        w.u64("facing", or_na(self.facing_deg, 511).into());
        w.u64("direction", self.direction.into());
        w.str("direction_text", direction_text(self.direction));
        w.u64("status", self.status.into());
        w.str("status_text", status_text(self.status));
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_signal_status");
        put_scaled(w, "lat_deg", self.lat_min_x10000, 600_000.0, 7);
        put_scaled(w, "lon_deg", self.lon_min_x10000, 600_000.0, 7);
        w.u64("form", self.form.into());
        put_u(w, "facing_deg", self.facing_deg.filter(|&d| d < 360));
        w.str("direction", direction_text(self.direction));
        w.u64("status", self.status.into());
    }
}

/// Direction of impact legend, worded as gpsd prints it.
fn direction_text(code: u8) -> &'static str {
    match code {
        0 => "Unknown",
        1 => "Upstream",
        2 => "Downstream",
        3 => "To left bank",
        4 => "To right bank",
        _ => "INVALID DIRECTION",
    }
}

/// Light status legend as gpsd prints it (gpsd looks the whole 30-bit field up in a table of
/// eight single-light codes).
fn status_text(code: u32) -> &'static str {
    match code {
        0 => "Unknown",
        1 => "No light",
        2 => "White",
        3 => "Yellow",
        4 => "Green",
        5 => "Red",
        6 => "White flashing",
        7 => "Yellow flashing.",
        _ => "INVALID STATUS",
    }
}
