//! DAC 1 FI 19 (message 8): marine traffic signal, IMO SN.1/Circ.289 Annex.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 10 | message linkage ID | |
//! |  10 | 120 | name of signal station | 20 six-bit characters |
//! | 130 | 25 | longitude | 1/1,000 min, two's complement; n/a 181° |
//! | 155 | 24 | latitude | 1/1,000 min, two's complement; n/a 91° |
//! | 179 |  2 | status of signal | 1 in regular service, 2 irregular; n/a 0 |
//! | 181 |  5 | signal in service | 1-14 (code table); n/a 0 |
//! | 186 |  5 | UTC hour of next shift | 0-23; n/a 24 |
//! | 191 |  6 | UTC minute of next shift | 0-59; n/a 60 |
//! | 197 |  5 | expected next signal | as signal in service |
//! | 202 | 102 | spare | |
//!
//! 304 data bits (360-bit message; some stations omit the spare). Like gpsd, a shorter payload
//! is decoded with the missing bits read as zero. gpsd's own output for this application is
//! not valid JSON (a comma is missing) and prints the position in degrees even when unscaled;
//! this writer keeps gpsd's names and order, with the unscaled position.

use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, opt_i32, opt_u8, or_na, put_position_x1000, put_text, put_u,
};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// Marine traffic signal (DAC 1 FI 19, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficSignal {
    /// Message linkage ID.
    pub linkage: u16,
    /// Name of the signal station.
    pub station: AisText<20>,
    /// Longitude, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// Latitude, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
    /// Status: 1 in regular service, 2 irregular service.
    pub status: Option<u8>,
    /// Signal in service (code 1-14).
    pub signal: Option<u8>,
    /// UTC hour of the next shift.
    pub next_hour: Option<u8>,
    /// UTC minute of the next shift.
    pub next_minute: Option<u8>,
    /// Expected next signal (code 1-14).
    pub next_signal: Option<u8>,
}

impl TrafficSignal {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        Some(Self {
            linkage: p.u(s, 10) as u16,
            station: p.text(s + 10, 20),
            lon_min_x1000: opt_i32(p, s + 130, 25, LON_NA_MIN_X1000),
            lat_min_x1000: opt_i32(p, s + 155, 24, LAT_NA_MIN_X1000),
            status: opt_u8(p, s + 179, 2, 0),
            signal: opt_u8(p, s + 181, 5, 0),
            next_hour: opt_u8(p, s + 186, 5, 24),
            next_minute: opt_u8(p, s + 191, 6, 60),
            next_signal: opt_u8(p, s + 197, 5, 0),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        let signal = or_na(self.signal, 0);
        let next = or_na(self.next_signal, 0);
        w.u64("linkage", self.linkage.into());
        w.str("station", self.station.as_str());
        w.i64("lon", or_na(self.lon_min_x1000, LON_NA_MIN_X1000).into());
        w.i64("lat", or_na(self.lat_min_x1000, LAT_NA_MIN_X1000).into());
        w.u64("status", or_na(self.status, 0).into());
        w.u64("signal", signal.into());
        w.str("signal_text", signal_text(signal));
        w.u64("hour", or_na(self.next_hour, 24).into());
        w.u64("minute", or_na(self.next_minute, 60).into());
        w.u64("nextsignal", next.into());
        w.str("nextsignal_text", signal_text(next));
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_traffic_signal");
        w.u64("linkage", self.linkage.into());
        put_text(w, "station", self.station.as_str());
        put_position_x1000(w, self.lat_min_x1000, self.lon_min_x1000);
        put_u(w, "status", self.status);
        if let Some(sig) = self.signal {
            w.u64("signal", sig.into());
            w.str("signal_text", signal_text(sig));
        }
        put_u(w, "next_hour", self.next_hour);
        put_u(w, "next_minute", self.next_minute);
        if let Some(sig) = self.next_signal {
            w.u64("next_signal", sig.into());
            w.str("next_signal_text", signal_text(sig));
        }
    }
}

/// Signal legend (IMO SN.1/Circ.289 marine traffic signal code table), worded as gpsd prints it.
fn signal_text(code: u8) -> &'static str {
    match code {
        0 => "N/A",
        1 => "Serious emergency \u{2013} stop or divert according to instructions.",
        2 => "Vessels shall not proceed.",
        3 => "Vessels may proceed. One way traffic.",
        4 => "Vessels may proceed. Two way traffic.",
        5 => "Vessels shall proceed on specific orders only.",
        6 => "Vessels in main channel shall not proceed.",
        7 | 8 => "Vessels in main channel shall proceed on specific orders only.",
        9 => "I = \"in-bound\" only acceptable.",
        10 => "O = \"out-bound\" only acceptable.",
        11 => "F = both \"in- and out-bound\" acceptable.",
        12 => "XI = Code will shift to \"I\" in due time.",
        13 => "XO = Code will shift to \"O\" in due time.",
        14 => "X = Vessels shall proceed only on direction.",
        _ => "INVALID SIGNAL TYPE",
    }
}
