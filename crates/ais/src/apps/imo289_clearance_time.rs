//! DAC 1 FI 18 (message 6): clearance time to enter port, IMO SN.1/Circ.289 Annex.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 10 | message linkage ID | |
//! |  10 | 20 | time of clearance | month 4, day 5, hour 5, minute 6; n/a 0, 0, 24, 60 |
//! |  30 | 120 | name of port and berth | 20 six-bit characters |
//! | 150 | 30 | destination | 5 six-bit characters (UN/LOCODE) |
//! | 180 | 25 | longitude | 1/1,000 min, two's complement; n/a 181° |
//! | 205 | 24 | latitude | 1/1,000 min, two's complement; n/a 91° |
//! | 229 | 43 | spare | |
//!
//! 272 data bits (360-bit message). Like gpsd, a shorter payload is decoded with the missing
//! bits read as zero.

use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, MonthDayTime, opt_i32, or_na, put_position_x1000, put_text,
};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// Clearance time to enter port (DAC 1 FI 18, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearanceTime {
    /// Message linkage ID, tying related messages together.
    pub linkage: u16,
    /// Time of clearance to enter port (UTC).
    pub clearance: MonthDayTime,
    /// Name of port and berth.
    pub port_name: AisText<20>,
    /// Destination (UN/LOCODE).
    pub destination: AisText<5>,
    /// Longitude of the berth, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// Latitude of the berth, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
}

impl ClearanceTime {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        Some(Self {
            linkage: p.u(s, 10) as u16,
            clearance: MonthDayTime::decode(p, s + 10),
            port_name: p.text(s + 30, 20),
            destination: p.text(s + 150, 5),
            lon_min_x1000: opt_i32(p, s + 180, 25, LON_NA_MIN_X1000),
            lat_min_x1000: opt_i32(p, s + 205, 24, LAT_NA_MIN_X1000),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.u64("linkage", self.linkage.into());
        w.str("arrival", self.clearance.gpsd_z().as_str());
        w.str("portname", self.port_name.as_str());
        w.str("destination", self.destination.as_str());
        w.i64("lon", or_na(self.lon_min_x1000, LON_NA_MIN_X1000).into());
        w.i64("lat", or_na(self.lat_min_x1000, LAT_NA_MIN_X1000).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_clearance_time");
        w.u64("linkage", self.linkage.into());
        self.clearance.put_ndjson(w, "clearance");
        put_text(w, "port_name", self.port_name.as_str());
        put_text(w, "destination", self.destination.as_str());
        put_position_x1000(w, self.lat_min_x1000, self.lon_min_x1000);
    }
}
