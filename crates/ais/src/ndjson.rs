//! Kuroshio's own JSON form of a decoded message: one object per message, snake_case names with
//! the unit last (`speed_knots`, `course_deg`, `altitude_m`), values scaled to natural units
//! (positions in decimal degrees, `lon`/`lat`), "not available" values and empty texts omitted,
//! texts trimmed of `@` padding and trailing spaces.
//!
//! [`write_fields`] writes the fields only; the caller opens and closes the object, and may put
//! metadata (reception time, source, channel) before them:
//!
//! ```
//! # use kuroshio_ais::{Payload, decode, json::JsonWriter, ndjson};
//! let msg = decode(&Payload::from_armored(b"15RTgt0PAso;90TKcjM8h6g208CQ", 0).unwrap()).unwrap();
//! let mut out = Vec::new();
//! let mut w = JsonWriter::object(&mut out);
//! w.str("source", "demo");
//! ndjson::write_fields(&msg, &mut w);
//! w.finish();
//! assert!(out.starts_with(br#"{"source":"demo","type":1,"repeat":0,"mmsi":371798000,"#));
//! ```
//!
//! Application data of messages 6 and 8 that [`crate::apps`] decodes is written by
//! [`apps::write_ndjson`] into the same object, after `dac` and `fid`; otherwise the raw data is
//! written as `data_bits` and `data_hex`. The form is stable: names change only on purpose.
//! Deliberately absent: the `*_text` legends of enumerated fields (consumers map the codes) and
//! spare bits.

use crate::apps;
use crate::json::JsonWriter;
use crate::message::{
    AisMessage, BinaryData, ChannelManagementTarget, Dimensions, ReferenceOrMothership,
    StaticDataReport,
};

/// Decimal places kept for positions: 1e-7 degree (1 cm) is finer than the wire's 1/10,000
/// minute (1.7e-6 degree), so no information is lost.
const POSITION_SCALE: f64 = 1e7;

/// Writes the message's fields into the open object `w`.
pub fn write_fields(msg: &AisMessage, w: &mut JsonWriter<'_>) {
    w.u64("type", u64::from(msg.msg_type()));
    w.u64("repeat", u64::from(msg.repeat()));
    w.u64("mmsi", u64::from(msg.mmsi()));
    match msg {
        AisMessage::PositionReport(m) => {
            w.u64("nav_status", u64::from(m.nav_status));
            match m.rot_ais {
                Some(127) => w.str("turn_direction", "starboard"),
                Some(-127) => w.str("turn_direction", "port"),
                _ => {
                    let rate = m.turn_rate_deg_min().map(|r| round(r, 100.0));
                    opt_f64(w, "turn_rate_deg_min", rate);
                }
            }
            opt_f64(w, "speed_knots", m.speed_knots());
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            opt_f64(w, "course_deg", m.course_deg());
            opt_u64(w, "heading_deg", m.heading_deg);
            opt_u64(w, "utc_second", m.utc_second);
            w.u64("maneuver", u64::from(m.maneuver));
            w.bool("raim", m.raim);
            w.u64("radio", u64::from(m.radio));
        }
        AisMessage::BaseStationReport(m) => {
            opt_u64(w, "utc_year", m.year);
            opt_u64(w, "utc_month", m.month);
            opt_u64(w, "utc_day", m.day);
            opt_u64(w, "utc_hour", m.hour);
            opt_u64(w, "utc_minute", m.minute);
            opt_u64(w, "utc_second", m.second);
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            w.u64("epfd", u64::from(m.epfd));
            w.bool("long_range_control", m.long_range_control);
            w.bool("raim", m.raim);
            w.u64("radio", u64::from(m.radio));
        }
        AisMessage::StaticVoyageData(m) => {
            opt_u64(w, "imo", m.imo);
            w.u64("ais_version", u64::from(m.ais_version));
            text(w, "call_sign", m.call_sign.trimmed());
            text(w, "ship_name", m.ship_name.trimmed());
            w.u64("ship_type", u64::from(m.ship_type));
            dimensions(w, &m.dimensions);
            w.u64("epfd", u64::from(m.epfd));
            opt_u64(w, "eta_month", m.eta_month);
            opt_u64(w, "eta_day", m.eta_day);
            opt_u64(w, "eta_hour", m.eta_hour);
            opt_u64(w, "eta_minute", m.eta_minute);
            opt_f64(w, "draught_m", m.draught_m());
            text(w, "destination", m.destination.trimmed());
            w.bool("dte_available", !m.dte);
        }
        AisMessage::AddressedBinary(m) => {
            w.u64("seq", u64::from(m.seq));
            w.u64("dest_mmsi", u64::from(m.dest_mmsi));
            w.bool("retransmit", m.retransmit);
            w.u64("dac", u64::from(m.dac));
            w.u64("fid", u64::from(m.fid));
            match &m.app {
                Some(app) => apps::write_ndjson(app, w),
                None => data(w, &m.data),
            }
        }
        AisMessage::BinaryAcknowledge(m) => {
            w.begin_array("acks");
            for ack in m.acks.iter().flatten() {
                w.begin_array_object();
                w.u64("mmsi", u64::from(ack.mmsi));
                w.u64("seq", u64::from(ack.seq));
                w.end_object();
            }
            w.end_array();
        }
        AisMessage::BinaryBroadcast(m) => {
            w.u64("dac", u64::from(m.dac));
            w.u64("fid", u64::from(m.fid));
            match &m.app {
                Some(app) => apps::write_ndjson(app, w),
                None => data(w, &m.data),
            }
        }
        AisMessage::SarAircraftPosition(m) => {
            opt_u64(w, "altitude_m", m.altitude_m);
            opt_u64(w, "speed_knots", m.speed_knots);
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            opt_f64(w, "course_deg", m.course_deg());
            opt_u64(w, "utc_second", m.utc_second);
            w.bool("altitude_barometric", m.altitude_barometric);
            w.bool("dte_available", !m.dte);
            w.bool("assigned", m.assigned);
            w.bool("raim", m.raim);
            w.u64("radio", u64::from(m.radio));
        }
        AisMessage::UtcDateInquiry(m) => w.u64("dest_mmsi", u64::from(m.dest_mmsi)),
        AisMessage::AddressedSafety(m) => {
            w.u64("seq", u64::from(m.seq));
            w.u64("dest_mmsi", u64::from(m.dest_mmsi));
            w.bool("retransmit", m.retransmit);
            text(w, "text", m.text.trimmed());
        }
        AisMessage::SafetyBroadcast(m) => text(w, "text", m.text.trimmed()),
        AisMessage::Interrogation(m) => {
            w.begin_array("requests");
            let mut request = |dest: u32, msg_type: u8, slot_offset: u16| {
                w.begin_array_object();
                w.u64("dest_mmsi", u64::from(dest));
                w.u64("msg_type", u64::from(msg_type));
                w.u64("slot_offset", u64::from(slot_offset));
                w.end_object();
            };
            request(m.dest1_mmsi, m.request1_1.msg_type, m.request1_1.slot_offset);
            if let Some(r) = m.request1_2 {
                request(m.dest1_mmsi, r.msg_type, r.slot_offset);
            }
            if let Some((dest, r)) = m.dest2 {
                request(dest, r.msg_type, r.slot_offset);
            }
            w.end_array();
        }
        AisMessage::AssignmentModeCommand(m) => {
            w.begin_array("assignments");
            for a in std::iter::once(&m.a).chain(m.b.as_ref()) {
                w.begin_array_object();
                w.u64("dest_mmsi", u64::from(a.dest_mmsi));
                w.u64("offset", u64::from(a.offset));
                w.u64("increment", u64::from(a.increment));
                w.end_object();
            }
            w.end_array();
        }
        AisMessage::DgnssBroadcast(m) => {
            position(w, m.lon_deg(), m.lat_deg());
            data(w, &m.data);
        }
        AisMessage::ClassBPosition(m) => {
            opt_f64(w, "speed_knots", m.speed_knots());
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            opt_f64(w, "course_deg", m.course_deg());
            opt_u64(w, "heading_deg", m.heading_deg);
            opt_u64(w, "utc_second", m.utc_second);
            w.bool("carrier_sense", m.carrier_sense);
            w.bool("display", m.display);
            w.bool("dsc", m.dsc);
            w.bool("band", m.band);
            w.bool("msg22", m.msg22);
            w.bool("assigned", m.assigned);
            w.bool("raim", m.raim);
            w.u64("radio", u64::from(m.radio));
        }
        AisMessage::ClassBExtendedPosition(m) => {
            opt_f64(w, "speed_knots", m.speed_knots());
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            opt_f64(w, "course_deg", m.course_deg());
            opt_u64(w, "heading_deg", m.heading_deg);
            opt_u64(w, "utc_second", m.utc_second);
            text(w, "ship_name", m.ship_name.trimmed());
            w.u64("ship_type", u64::from(m.ship_type));
            dimensions(w, &m.dimensions);
            w.u64("epfd", u64::from(m.epfd));
            w.bool("raim", m.raim);
            w.bool("dte_available", !m.dte);
            w.bool("assigned", m.assigned);
        }
        AisMessage::DataLinkManagement(m) => {
            w.begin_array("reservations");
            for r in m.reservations.iter().flatten() {
                w.begin_array_object();
                w.u64("offset", u64::from(r.offset));
                w.u64("number", u64::from(r.number));
                w.u64("timeout_min", u64::from(r.timeout_min));
                w.u64("increment", u64::from(r.increment));
                w.end_object();
            }
            w.end_array();
        }
        AisMessage::AidToNavigationReport(m) => {
            w.u64("aid_type", u64::from(m.aid_type));
            text(w, "name", &m.full_name());
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            dimensions(w, &m.dimensions);
            w.u64("epfd", u64::from(m.epfd));
            opt_u64(w, "utc_second", m.utc_second);
            w.bool("off_position", m.off_position);
            w.u64("aton_status", u64::from(m.aton_status));
            w.bool("raim", m.raim);
            w.bool("virtual_aid", m.virtual_aid);
            w.bool("assigned", m.assigned);
        }
        AisMessage::ChannelManagement(m) => {
            w.u64("channel_a", u64::from(m.channel_a));
            w.u64("channel_b", u64::from(m.channel_b));
            w.u64("txrx_mode", u64::from(m.txrx_mode));
            w.bool("power_low", m.power_low);
            match m.target {
                ChannelManagementTarget::Addressed { dest1_mmsi, dest2_mmsi, .. } => {
                    w.u64("dest1_mmsi", u64::from(dest1_mmsi));
                    w.u64("dest2_mmsi", u64::from(dest2_mmsi));
                }
                ChannelManagementTarget::Area {
                    ne_lon_min_x10,
                    ne_lat_min_x10,
                    sw_lon_min_x10,
                    sw_lat_min_x10,
                } => area(w, [ne_lon_min_x10, ne_lat_min_x10, sw_lon_min_x10, sw_lat_min_x10]),
            }
            w.bool("band_a", m.band_a);
            w.bool("band_b", m.band_b);
            w.u64("zone_size_nm", u64::from(m.zone_size) + 1);
        }
        AisMessage::GroupAssignmentCommand(m) => {
            area(w, [m.ne_lon_min_x10, m.ne_lat_min_x10, m.sw_lon_min_x10, m.sw_lat_min_x10]);
            w.u64("station_type", u64::from(m.station_type));
            w.u64("ship_type", u64::from(m.ship_type));
            w.u64("txrx_mode", u64::from(m.txrx_mode));
            w.u64("interval", u64::from(m.interval));
            w.u64("quiet_min", u64::from(m.quiet_min));
        }
        AisMessage::StaticDataReport(StaticDataReport::A(m)) => {
            w.str("part", "A");
            text(w, "ship_name", m.ship_name.trimmed());
        }
        AisMessage::StaticDataReport(StaticDataReport::B(m)) => {
            w.str("part", "B");
            w.u64("ship_type", u64::from(m.ship_type));
            text(w, "vendor_id", m.vendor_id.trimmed());
            w.u64("unit_model", u64::from(m.unit_model));
            w.u64("serial_number", u64::from(m.serial_number));
            text(w, "call_sign", m.call_sign.trimmed());
            match &m.reference {
                ReferenceOrMothership::Dimensions(d) => dimensions(w, d),
                ReferenceOrMothership::Mothership { mmsi } => {
                    w.u64("mothership_mmsi", u64::from(*mmsi));
                }
            }
            w.u64("epfd", u64::from(m.epfd));
        }
        AisMessage::SingleSlotBinary(m) => {
            opt_u64(w, "dest_mmsi", m.dest_mmsi);
            app_id(w, m.app_id);
            data(w, &m.data);
        }
        AisMessage::MultipleSlotBinary(m) => {
            opt_u64(w, "dest_mmsi", m.dest_mmsi);
            app_id(w, m.app_id);
            data(w, &m.data);
            w.u64("radio", u64::from(m.radio));
        }
        AisMessage::LongRangeBroadcast(m) => {
            w.u64("nav_status", u64::from(m.nav_status));
            w.bool("accuracy", m.accuracy);
            position(w, m.lon_deg(), m.lat_deg());
            opt_u64(w, "speed_knots", m.speed_knots);
            opt_u64(w, "course_deg", m.course_deg);
            w.bool("gnss_position", !m.not_gnss_position);
            w.bool("raim", m.raim);
        }
    }
}

fn round(v: f64, scale: f64) -> f64 {
    (v * scale).round() / scale
}

fn position(w: &mut JsonWriter<'_>, lon: Option<f64>, lat: Option<f64>) {
    opt_f64(w, "lon", lon);
    opt_f64(w, "lat", lat);
}

/// The corners of a rectangle given in minutes × 10 (messages 22 and 23).
fn area(w: &mut JsonWriter<'_>, [ne_lon, ne_lat, sw_lon, sw_lat]: [i32; 4]) {
    let deg = |v: i32| round(f64::from(v) / 600.0, POSITION_SCALE);
    w.f64_fixed("ne_lon", deg(ne_lon), DECIMALS);
    w.f64_fixed("ne_lat", deg(ne_lat), DECIMALS);
    w.f64_fixed("sw_lon", deg(sw_lon), DECIMALS);
    w.f64_fixed("sw_lat", deg(sw_lat), DECIMALS);
}

fn dimensions(w: &mut JsonWriter<'_>, d: &Dimensions) {
    let m = |v: u16| (v != 0).then_some(v);
    opt_u64(w, "to_bow_m", m(d.to_bow_m));
    opt_u64(w, "to_stern_m", m(d.to_stern_m));
    opt_u64(w, "to_port_m", m(u16::from(d.to_port_m)));
    opt_u64(w, "to_starboard_m", m(u16::from(d.to_starboard_m)));
}

fn app_id(w: &mut JsonWriter<'_>, app_id: Option<u16>) {
    if let Some(id) = app_id {
        w.u64("dac", u64::from(id >> 6));
        w.u64("fid", u64::from(id & 0x3f));
    }
}

/// `"data_bits"` and `"data_hex"` (lower-case hex, whole bytes, unused low bits zero).
fn data(w: &mut JsonWriter<'_>, d: &BinaryData) {
    w.u64("data_bits", u64::from(d.len_bits));
    let mut hex = Vec::with_capacity(d.bytes.len() * 2);
    d.write_hex(&mut hex);
    w.str("data_hex", std::str::from_utf8(&hex).unwrap_or(""));
}

fn text(w: &mut JsonWriter<'_>, key: &str, v: &str) {
    if !v.is_empty() {
        w.str(key, v);
    }
}

fn opt_u64<T: Into<u64>>(w: &mut JsonWriter<'_>, key: &str, v: Option<T>) {
    if let Some(v) = v {
        w.u64(key, v.into());
    }
}

/// Decimal places written for scaled values: enough for the finest wire unit (1/10,000 minute
/// of arc is 1.7e-6 degree; speeds and courses are tenths), fixed so that formatting is integer
/// arithmetic rather than shortest-float search.
const DECIMALS: usize = 7;

#[inline]
fn opt_f64(w: &mut JsonWriter<'_>, key: &str, v: Option<f64>) {
    if let Some(v) = v {
        w.f64_fixed(key, v, DECIMALS);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::{Payload, decode};
    use serde_json::{Value, json};

    fn ndjson(armored: &str, fill: u8) -> Value {
        let msg = decode(&Payload::from_armored(armored.as_bytes(), fill).unwrap()).unwrap();
        let mut out = Vec::new();
        let mut w = JsonWriter::object(&mut out);
        write_fields(&msg, &mut w);
        w.finish();
        serde_json::from_slice(&out).unwrap()
    }

    /// Values from gpsd's scaled output for the same sentences (`sample.aivdm.js.chk`):
    /// `"turn":"fastleft","speed":12.3,"lon":-123.3953833,"lat":48.3816333,"course":224.0`.
    #[test]
    fn position_report_in_natural_units() {
        assert_eq!(
            ndjson("15RTgt0PAso;90TKcjM8h6g208CQ", 0),
            json!({"type":1,"repeat":0,"mmsi":371798000,"nav_status":0,"turn_direction":"port",
                   "speed_knots":12.3,"accuracy":true,"lon":-123.3953833,"lat":48.3816333,
                   "course_deg":224.0,"heading_deg":215,"utc_second":33,"maneuver":0,
                   "raim":false,"radio":34017})
        );
        // Heading 511 and ROT -128 are "not available": omitted.
        let v = ndjson("16SteH0P00Jt63hHaa6SagvJ087r", 0);
        assert_eq!(v["speed_knots"], 0.0);
        assert_eq!(v["course_deg"], 93.4);
        assert!(v.get("heading_deg").is_none() && v.get("turn_rate_deg_min").is_none());
    }

    #[test]
    fn not_available_values_are_omitted() {
        // Base station with date, time and position not available (gpsd:
        // "timestamp":"0000-00-00T24:60:60Z","lon":181.0,"lat":91.0).
        let v = ndjson("402Fha0000Htt<tSF0l4Q@000d20", 0);
        for key in ["lon", "lat", "utc_year", "utc_month", "utc_day", "utc_hour", "utc_second"] {
            assert!(v.get(key).is_none(), "{key} in {v}");
        }
        assert_eq!(v["epfd"], 0);
    }

    #[test]
    fn static_data_trimmed_and_scaled() {
        // gpsd scaled: "callsign":"3FOF8","shipname":"EVER DIADEM","draught":12.2,
        // "destination":"NEW YORK".
        let v =
            ndjson("55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880", 2);
        assert_eq!(v["call_sign"], "3FOF8");
        assert_eq!(v["ship_name"], "EVER DIADEM");
        assert_eq!(v["destination"], "NEW YORK");
        assert_eq!(v["draught_m"], 12.2);
        assert_eq!(v["to_bow_m"], 225);
        assert_eq!(v["eta_month"], 5);
    }

    #[test]
    fn long_range_positions_in_degrees() {
        // gpsd scaled: "lon":137.0233,"lat":4.8400,"speed":57,"course":167.
        let v = ndjson("KC5E2b@U19PFdLbMuc5=ROv62<7m", 0);
        assert!((v["lon"].as_f64().unwrap() - 137.0233).abs() < 5e-5);
        assert_eq!(v["lat"], 4.84);
        assert_eq!(v["speed_knots"], 57);
        assert_eq!(v["course_deg"], 167);
    }
}
