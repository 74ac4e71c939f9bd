//! DAC 1 FI 27 (message 8, broadcast) and FI 28 (message 6, addressed): route information,
//! IMO SN.1/Circ.289 Annex.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 10 | message linkage ID | |
//! | 10 |  3 | sender classification | 0 ship, 1 authority, 2-7 reserved |
//! | 13 |  5 | route type | 1 mandatory, 2 recommended, 3 alternative, 4 through ice, 5 ship route plan, 31 cancel; n/a 0 |
//! | 18 | 20 | start date and time | month 4, day 5, hour 5, minute 6; n/a 0, 0, 24, 60 |
//! | 38 | 18 | duration | minutes until the end of validity; 0 = cancel route |
//! | 56 |  5 | number of waypoints | 0-16 |
//! | 61 | 55 × n | waypoints | longitude 28 bits then latitude 27 bits, 1/10,000 min, two's complement |
//!
//! As gpsd does, the stated number of waypoints is read whatever the payload length (missing
//! bits read as zero), but at most [`WAYPOINTS_MAX`] of them.

use super::{MonthDayTime, put_scaled, put_u};
use crate::bits::Payload;
use crate::json::JsonWriter;

/// SN.1/Circ.289 allows at most 16 waypoints (the count's values 17-31 are not used).
pub const WAYPOINTS_MAX: usize = 16;

const WAYPOINT_BITS: usize = 55;

/// A route waypoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waypoint {
    /// Longitude, 1/10,000 minute.
    pub lon_min_x10000: i32,
    /// Latitude, 1/10,000 minute.
    pub lat_min_x10000: i32,
}

/// Route information (DAC 1 FI 27 broadcast, FI 28 addressed; IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// Message linkage ID.
    pub linkage: u16,
    /// Sender classification: 0 ship, 1 authority.
    pub sender: u8,
    /// Route type code (31: cancel the route with this linkage ID).
    pub route_type: Option<u8>,
    /// Start of validity (UTC).
    pub start: MonthDayTime,
    /// Duration of validity, minutes.
    pub duration_min: u32,
    /// Number of waypoints as sent (0-31).
    pub waypoint_count: u8,
    /// The waypoints read, `min(waypoint_count, WAYPOINTS_MAX)` of them.
    pub waypoints: Vec<Waypoint>,
}

impl RouteInfo {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let waypoint_count = p.u(s + 56, 5) as u8;
        let n = usize::from(waypoint_count).min(WAYPOINTS_MAX);
        let waypoints = (0..n)
            .map(|k| {
                let a = s + 61 + WAYPOINT_BITS * k;
                Waypoint {
                    lon_min_x10000: p.i(a, 28) as i32,
                    lat_min_x10000: p.i(a + 28, 27) as i32,
                }
            })
            .collect();
        Some(Self {
            linkage: p.u(s, 10) as u16,
            sender: p.u(s + 10, 3) as u8,
            route_type: Some(p.u(s + 13, 5) as u8).filter(|&t| t != 0),
            start: MonthDayTime::decode(p, s + 18),
            duration_min: p.u(s + 38, 18) as u32,
            waypoint_count,
            waypoints,
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        let rtype = self.route_type.unwrap_or(0);
        w.u64("linkage", self.linkage.into());
        w.u64("sender", self.sender.into());
        w.u64("rtype", rtype.into());
        w.str("rtype_text", route_type_text(rtype));
        w.str("start", self.start.gpsd_z().as_str());
        w.u64("duration", self.duration_min.into());
        w.begin_array("waypoints");
        for wp in &self.waypoints {
            w.begin_array_object();
            w.i64("lon", wp.lon_min_x10000.into());
            w.i64("lat", wp.lat_min_x10000.into());
            w.end_object();
        }
        w.end_array();
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_route_info");
        w.u64("linkage", self.linkage.into());
        w.str(
            "sender",
            if self.sender == 0 {
                "ship"
            } else if self.sender == 1 {
                "authority"
            } else {
                "reserved"
            },
        );
        if let Some(t) = self.route_type {
            w.str("route_type", route_type_text(t));
        }
        self.start.put_ndjson(w, "start");
        put_u(w, "duration_min", Some(self.duration_min));
        w.begin_array("waypoints");
        for wp in &self.waypoints {
            w.begin_array_object();
            put_scaled(w, "lat_deg", Some(wp.lat_min_x10000), 600_000.0, 7);
            put_scaled(w, "lon_deg", Some(wp.lon_min_x10000), 600_000.0, 7);
            w.end_object();
        }
        w.end_array();
    }
}

/// Route type legend, worded as gpsd prints it.
fn route_type_text(code: u8) -> &'static str {
    match code {
        0 => "Undefined (default)",
        1 => "Mandatory",
        2 => "Recommended",
        3 => "Alternative",
        4 => "Recommended route through ice",
        5 => "Ship route plan",
        31 => "Cancel route identified by message linkage",
        _ => "Reserved for future use.",
    }
}
