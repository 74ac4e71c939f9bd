//! DAC 1 FI 20 (message 6): berthing data, IMO SN.1/Circ.289 Annex.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 10 | message linkage ID | |
//! |  10 |  9 | berth length | m, 1-510 (511 = 511 m or more); n/a 0 |
//! |  19 |  8 | water depth at berth | 0.1 m; n/a 0 |
//! |  27 |  3 | mooring position | 1 port-side to, 2 starboard-side to, 3 Mediterranean, 4 buoy, 5 anchorage; n/a 0 |
//! |  30 | 20 | date and time of berthing | month 4, day 5, hour 5, minute 6; n/a 0, 0, 24, 60 |
//! |  50 |  1 | services availability | 1 = the following 26 service statuses are valid |
//! |  51 | 2 × 26 | service statuses | 0 n/a or unknown, 1 available, 2 not available, 3 reserved |
//! | 103 | 120 | name of berth | 20 six-bit characters |
//! | 223 | 25 | longitude of berth | 1/1,000 min, two's complement; n/a 181° |
//! | 248 | 24 | latitude of berth | 1/1,000 min, two's complement; n/a 91° |
//!
//! The 26 services, in wire order: agent, fuel, chandler, stevedore, electrical, water,
//! customs, cartage, crane, lift, medical, navigation repair, provisions, ship repair,
//! surveyor, steam, tugs, solid waste, liquid waste, hazardous waste, ballast, additional,
//! regional 1, regional 2, future 1, future 2.
//!
//! 272 data bits (360-bit message). Like gpsd, a shorter payload is decoded with the missing
//! bits read as zero.

use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, MonthDayTime, opt_i32, opt_u8, opt_u16, or_na,
    put_position_x1000, put_scaled, put_text, put_u,
};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// Number of service status fields.
pub const SERVICES: usize = 26;

/// Service names, in wire order, as gpsd names the JSON fields.
const SERVICE_NAMES: [&str; SERVICES] = [
    "agent",
    "fuel",
    "chandler",
    "stevedore",
    "electrical",
    "water",
    "customs",
    "cartage",
    "crane",
    "lift",
    "medical",
    "navrepair",
    "provisions",
    "shiprepair",
    "surveyor",
    "steam",
    "tugs",
    "solidwaste",
    "liquidwaste",
    "hazardouswaste",
    "ballast",
    "additional",
    "regional1",
    "regional2",
    "future1",
    "future2",
];

/// Status of the 26 port services, in wire order (see the module documentation); each 0 not
/// available or unknown, 1 available, 2 not available, 3 reserved.
pub type BerthingServices = [u8; SERVICES];

/// Berthing data (DAC 1 FI 20, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BerthingData {
    /// Message linkage ID.
    pub linkage: u16,
    /// Berth length, metres.
    pub berth_length_m: Option<u16>,
    /// Water depth at berth, 0.1 m.
    pub berth_depth_m_x10: Option<u8>,
    /// Mooring position code.
    pub mooring_position: Option<u8>,
    /// Date and time of berthing (UTC).
    pub berthing: MonthDayTime,
    /// The service statuses are valid.
    pub services_available: bool,
    /// Service statuses.
    pub services: BerthingServices,
    /// Name of the berth.
    pub berth_name: AisText<20>,
    /// Longitude of the berth, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// Latitude of the berth, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
}

impl BerthingData {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let mut services = [0u8; SERVICES];
        for (k, v) in services.iter_mut().enumerate() {
            *v = p.u(s + 51 + 2 * k, 2) as u8;
        }
        Some(Self {
            linkage: p.u(s, 10) as u16,
            berth_length_m: opt_u16(p, s + 10, 9, 0),
            berth_depth_m_x10: opt_u8(p, s + 19, 8, 0),
            mooring_position: opt_u8(p, s + 27, 3, 0),
            berthing: MonthDayTime::decode(p, s + 30),
            services_available: p.flag(s + 50),
            services,
            berth_name: p.text(s + 103, 20),
            lon_min_x1000: opt_i32(p, s + 223, 25, LON_NA_MIN_X1000),
            lat_min_x1000: opt_i32(p, s + 248, 24, LAT_NA_MIN_X1000),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        let position = or_na(self.mooring_position, 0);
        w.u64("linkage", self.linkage.into());
        w.u64("berth_length", or_na(self.berth_length_m, 0).into());
        w.u64("position", position.into());
        w.str("position_text", position_text(position));
        w.str("arrival", self.berthing.gpsd_plain().as_str());
        w.u64("availability", u64::from(self.services_available));
        for (name, v) in SERVICE_NAMES.iter().zip(self.services) {
            w.u64(name, v.into());
        }
        w.str("berth_name", self.berth_name.as_str());
        w.i64("berth_lon", or_na(self.lon_min_x1000, LON_NA_MIN_X1000).into());
        w.i64("berth_lat", or_na(self.lat_min_x1000, LAT_NA_MIN_X1000).into());
        w.u64("berth_depth", or_na(self.berth_depth_m_x10, 0).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_berthing_data");
        w.u64("linkage", self.linkage.into());
        put_u(w, "berth_length_m", self.berth_length_m);
        put_scaled(w, "berth_depth_m", self.berth_depth_m_x10, 10.0, 1);
        if let Some(pos) = self.mooring_position {
            w.str("mooring_position", position_text(pos));
        }
        self.berthing.put_ndjson(w, "berthing");
        put_text(w, "berth_name", self.berth_name.as_str());
        put_position_x1000(w, self.lat_min_x1000, self.lon_min_x1000);
        if self.services_available {
            w.begin_object("services");
            for (name, v) in SERVICE_NAMES.iter().zip(self.services) {
                match v {
                    1 => w.bool(name, true),
                    2 => w.bool(name, false),
                    _ => {}
                }
            }
            w.end_object();
        }
    }
}

/// Mooring position legend, worded as gpsd prints it.
fn position_text(code: u8) -> &'static str {
    match code {
        0 => "Not available",
        1 => "Port-side to",
        2 => "Starboard-side to",
        3 => "Mediterranean (end-on) mooring",
        4 => "Mooring buoy",
        5 => "Anchorage",
        _ => "Reserved for future use",
    }
}
