//! gpsd's AIS JSON: writes exactly what `gpsdecode -u -j` writes for a message, so that output
//! can be diffed against gpsd's (`{"class":"AIS","device":"stdin","type":1,…,"scaled":false,…}`).
//!
//! Field names, field order and the unscaled integers follow gpsd's `json_aivdm_dump`, as
//! recorded in gpsd's regression file `sample.aivdm.ju.chk`; the crate's conformance test
//! compares every record of that file. Some gpsd behaviours are reproduced on purpose:
//!
//! - Message 24: gpsd stashes part A (the name) and prints nothing; part B is printed only when a
//!   part A from the same MMSI is waiting, as one record with both parts' fields. A part B with
//!   no part A prints nothing. [`GpsdWriter`] keeps the waiting names in a bounded cache.
//! - Binary data is printed as `"data":"<bit count>:<hex>"`, whole bytes in lower-case hex. For
//!   messages 25 and 26 gpsd copies whole bytes before shifting out the destination MMSI, so the
//!   unused low bits of the last hex byte carry the bits that follow the data in the message
//!   (for message 26, the communication state); that is reproduced.
//! - Message 26 prints `"radio":0`: gpsd never fills that field.
//! - Optional parts that a message does not carry (messages 7, 13, 15, 16, 20, 22) print as 0.
//!
//! Deliberately not reproduced: gpsd's scaled output (`-j` without `-u`), its per-channel type 24
//! state (this writer matches by MMSI only), and bits that gpsd would print from padding in the
//! fill bits of the last sentence of messages 6 and 17 (the payload clears fill bits).

use std::collections::VecDeque;

use crate::apps;
use crate::bits::AisText;
use crate::json::JsonWriter;
use crate::message::tables::{
    aid_type_text, epfd_text, nav_status_text, ship_type_text, station_type_text,
};
use crate::message::{
    AisMessage, BinaryData, ChannelManagementTarget, Dimensions, LAT_NOT_AVAILABLE_MIN_X10,
    LAT_NOT_AVAILABLE_MIN_X10000, LON_NOT_AVAILABLE_MIN_X10, LON_NOT_AVAILABLE_MIN_X10000,
    ReferenceOrMothership, StaticDataReport, push_hex_byte,
};

/// How many message 24 part A names wait for their part B.
///
/// Class B units send part B right after part A, so a waiting name is normally matched within
/// seconds; 256 covers the class B traffic of a busy port between the two parts. When full, the
/// oldest waiting name is dropped (its part B, if it ever comes, then prints nothing, as in gpsd
/// when its queue wraps).
pub const TYPE24_PENDING_MAX: usize = 256;

/// The device name gpsdecode prints when it reads standard input.
pub const DEFAULT_DEVICE: &str = "stdin";

/// Writes messages as gpsd JSON lines, holding the message 24 part A names that wait for their
/// part B.
pub struct GpsdWriter {
    device: String,
    /// (MMSI, raw ship name) waiting for part B, oldest first.
    pending: VecDeque<(u32, AisText<20>)>,
    scratch: Vec<u8>,
}

impl Default for GpsdWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl GpsdWriter {
    /// A writer that names the device `"stdin"`, as `gpsdecode` does.
    pub fn new() -> Self {
        Self::with_device(DEFAULT_DEVICE)
    }

    /// A writer that prints `device` in the `"device"` field (omitted when empty, as gpsd does).
    pub fn with_device(device: &str) -> Self {
        Self { device: device.to_owned(), pending: VecDeque::new(), scratch: Vec::new() }
    }

    /// Appends the JSON line for `msg` to `out` (with a trailing newline) and returns true, or
    /// returns false and appends nothing when gpsd prints nothing for it (a message 24 part A,
    /// or a part B without its part A).
    pub fn write(&mut self, msg: &AisMessage, out: &mut Vec<u8>) -> bool {
        // Message 24: stash part A, join part B with it.
        let mut joined_name = None;
        if let AisMessage::StaticDataReport(report) = msg {
            match report {
                StaticDataReport::A(a) => {
                    self.stash(a.mmsi, a.ship_name.clone());
                    return false;
                }
                StaticDataReport::B(b) => match self.take(b.mmsi) {
                    Some(name) => joined_name = Some(name),
                    None => return false,
                },
            }
        }
        let mut w = JsonWriter::object(out);
        w.str("class", "AIS");
        if !self.device.is_empty() {
            w.str("device", &self.device);
        }
        w.u64("type", u64::from(msg.msg_type()));
        w.u64("repeat", u64::from(msg.repeat()));
        w.u64("mmsi", u64::from(msg.mmsi()));
        w.bool("scaled", false);
        let s = &mut self.scratch;
        match msg {
            AisMessage::PositionReport(m) => {
                w.u64("status", u64::from(m.nav_status));
                w.str("status_text", nav_status_text(m.nav_status));
                w.i64("turn", i64::from(m.rot_ais.unwrap_or(-128)));
                w.u64("speed", u64::from(m.speed_knots_x10.unwrap_or(1023)));
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10000.unwrap_or(LON_NOT_AVAILABLE_MIN_X10000)));
                w.i64("lat", i64::from(m.lat_min_x10000.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10000)));
                w.u64("course", u64::from(m.course_deg_x10.unwrap_or(3600)));
                w.u64("heading", u64::from(m.heading_deg.unwrap_or(511)));
                w.u64("second", u64::from(m.utc_second.unwrap_or(60)));
                w.u64("maneuver", u64::from(m.maneuver));
                w.bool("raim", m.raim);
                w.u64("radio", u64::from(m.radio));
            }
            AisMessage::BaseStationReport(m) => {
                s.clear();
                push_padded(s, u64::from(m.year.unwrap_or(0)), 4);
                s.push(b'-');
                push_padded(s, u64::from(m.month.unwrap_or(0)), 2);
                s.push(b'-');
                push_padded(s, u64::from(m.day.unwrap_or(0)), 2);
                s.push(b'T');
                push_padded(s, u64::from(m.hour.unwrap_or(24)), 2);
                s.push(b':');
                push_padded(s, u64::from(m.minute.unwrap_or(60)), 2);
                s.push(b':');
                push_padded(s, u64::from(m.second.unwrap_or(60)), 2);
                s.push(b'Z');
                w.str("timestamp", ascii(s));
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10000.unwrap_or(LON_NOT_AVAILABLE_MIN_X10000)));
                w.i64("lat", i64::from(m.lat_min_x10000.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10000)));
                w.u64("epfd", u64::from(m.epfd));
                w.str("epfd_text", epfd_text(m.epfd));
                w.bool("raim", m.raim);
                w.u64("radio", u64::from(m.radio));
            }
            AisMessage::StaticVoyageData(m) => {
                w.u64("imo", u64::from(m.imo.unwrap_or(0)));
                w.u64("ais_version", u64::from(m.ais_version));
                w.str("callsign", m.call_sign.trimmed());
                w.str("shipname", m.ship_name.trimmed());
                w.u64("shiptype", u64::from(m.ship_type));
                w.str("shiptype_text", ship_type_text(m.ship_type));
                dimensions(&mut w, &m.dimensions);
                w.u64("epfd", u64::from(m.epfd));
                w.str("epfd_text", epfd_text(m.epfd));
                s.clear();
                push_padded(s, u64::from(m.eta_month.unwrap_or(0)), 2);
                s.push(b'-');
                push_padded(s, u64::from(m.eta_day.unwrap_or(0)), 2);
                s.push(b'T');
                push_padded(s, u64::from(m.eta_hour.unwrap_or(24)), 2);
                s.push(b':');
                push_padded(s, u64::from(m.eta_minute.unwrap_or(60)), 2);
                s.push(b'Z');
                w.str("eta", ascii(s));
                w.u64("draught", u64::from(m.draught_m_x10.unwrap_or(0)));
                w.str("destination", m.destination.trimmed());
                w.u64("dte", u64::from(m.dte));
            }
            AisMessage::AddressedBinary(m) => {
                w.u64("seqno", u64::from(m.seq));
                w.u64("dest_mmsi", u64::from(m.dest_mmsi));
                w.bool("retransmit", m.retransmit);
                w.u64("dac", u64::from(m.dac));
                w.u64("fid", u64::from(m.fid));
                match &m.app {
                    Some(app) => apps::write_gpsd(app, &mut w),
                    None => data(&mut w, s, &m.data, 0),
                }
            }
            AisMessage::BinaryAcknowledge(m) => {
                for (k, key) in ["mmsi1", "mmsi2", "mmsi3", "mmsi4"].iter().enumerate() {
                    let mmsi = m.acks.get(k).copied().flatten().map_or(0, |a| a.mmsi);
                    w.u64(key, u64::from(mmsi));
                }
            }
            AisMessage::BinaryBroadcast(m) => {
                w.u64("dac", u64::from(m.dac));
                w.u64("fid", u64::from(m.fid));
                match &m.app {
                    Some(app) => apps::write_gpsd(app, &mut w),
                    None => data(&mut w, s, &m.data, 0),
                }
            }
            AisMessage::SarAircraftPosition(m) => {
                w.u64("alt", u64::from(m.altitude_m.unwrap_or(4095)));
                w.u64("speed", u64::from(m.speed_knots.unwrap_or(1023)));
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10000.unwrap_or(LON_NOT_AVAILABLE_MIN_X10000)));
                w.i64("lat", i64::from(m.lat_min_x10000.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10000)));
                w.u64("course", u64::from(m.course_deg_x10.unwrap_or(3600)));
                w.u64("second", u64::from(m.utc_second.unwrap_or(60)));
                w.u64("regional", u64::from(m.regional()));
                w.u64("dte", u64::from(m.dte));
                w.bool("raim", m.raim);
                w.u64("radio", u64::from(m.radio));
            }
            AisMessage::UtcDateInquiry(m) => {
                w.u64("dest_mmsi", u64::from(m.dest_mmsi));
            }
            AisMessage::AddressedSafety(m) => {
                w.u64("seqno", u64::from(m.seq));
                w.u64("dest_mmsi", u64::from(m.dest_mmsi));
                w.bool("retransmit", m.retransmit);
                w.str("text", m.text.trimmed());
            }
            AisMessage::SafetyBroadcast(m) => {
                w.str("text", m.text.trimmed());
            }
            AisMessage::Interrogation(m) => {
                let r12 = m.request1_2.map_or((0, 0), |r| (r.msg_type, r.slot_offset));
                let (mmsi2, r21) =
                    m.dest2.map_or((0, (0, 0)), |(d, r)| (d, (r.msg_type, r.slot_offset)));
                w.u64("mmsi1", u64::from(m.dest1_mmsi));
                w.u64("type1_1", u64::from(m.request1_1.msg_type));
                w.u64("offset1_1", u64::from(m.request1_1.slot_offset));
                w.u64("type1_2", u64::from(r12.0));
                w.u64("offset1_2", u64::from(r12.1));
                w.u64("mmsi2", u64::from(mmsi2));
                w.u64("type2_1", u64::from(r21.0));
                w.u64("offset2_1", u64::from(r21.1));
            }
            AisMessage::AssignmentModeCommand(m) => {
                w.u64("mmsi1", u64::from(m.a.dest_mmsi));
                w.u64("offset1", u64::from(m.a.offset));
                w.u64("increment1", u64::from(m.a.increment));
                let b = m.b.map_or((0, 0, 0), |b| (b.dest_mmsi, b.offset, b.increment));
                w.u64("mmsi2", u64::from(b.0));
                w.u64("offset2", u64::from(b.1));
                w.u64("increment2", u64::from(b.2));
            }
            AisMessage::DgnssBroadcast(m) => {
                w.i64("lon", i64::from(m.lon_min_x10.unwrap_or(LON_NOT_AVAILABLE_MIN_X10)));
                w.i64("lat", i64::from(m.lat_min_x10.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10)));
                data(&mut w, s, &m.data, 0);
            }
            AisMessage::ClassBPosition(m) => {
                w.u64("reserved", u64::from(m.spare1));
                w.u64("speed", u64::from(m.speed_knots_x10.unwrap_or(1023)));
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10000.unwrap_or(LON_NOT_AVAILABLE_MIN_X10000)));
                w.i64("lat", i64::from(m.lat_min_x10000.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10000)));
                w.u64("course", u64::from(m.course_deg_x10.unwrap_or(3600)));
                w.u64("heading", u64::from(m.heading_deg.unwrap_or(511)));
                w.u64("second", u64::from(m.utc_second.unwrap_or(60)));
                w.u64("regional", u64::from(m.spare2));
                w.bool("cs", m.carrier_sense);
                w.bool("display", m.display);
                w.bool("dsc", m.dsc);
                w.bool("band", m.band);
                w.bool("msg22", m.msg22);
                w.bool("raim", m.raim);
                w.u64("radio", u64::from(m.radio));
            }
            AisMessage::ClassBExtendedPosition(m) => {
                w.u64("reserved", u64::from(m.spare1));
                w.u64("speed", u64::from(m.speed_knots_x10.unwrap_or(1023)));
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10000.unwrap_or(LON_NOT_AVAILABLE_MIN_X10000)));
                w.i64("lat", i64::from(m.lat_min_x10000.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10000)));
                w.u64("course", u64::from(m.course_deg_x10.unwrap_or(3600)));
                w.u64("heading", u64::from(m.heading_deg.unwrap_or(511)));
                w.u64("second", u64::from(m.utc_second.unwrap_or(60)));
                w.u64("regional", u64::from(m.spare2));
                w.str("shipname", m.ship_name.trimmed());
                w.u64("shiptype", u64::from(m.ship_type));
                w.str("shiptype_text", ship_type_text(m.ship_type));
                dimensions(&mut w, &m.dimensions);
                w.u64("epfd", u64::from(m.epfd));
                w.str("epfd_text", epfd_text(m.epfd));
                w.bool("raim", m.raim);
                w.u64("dte", u64::from(m.dte));
                w.bool("assigned", m.assigned);
            }
            AisMessage::DataLinkManagement(m) => {
                const KEYS: [[&str; 4]; 4] = [
                    ["offset1", "number1", "timeout1", "increment1"],
                    ["offset2", "number2", "timeout2", "increment2"],
                    ["offset3", "number3", "timeout3", "increment3"],
                    ["offset4", "number4", "timeout4", "increment4"],
                ];
                for (keys, r) in KEYS.iter().zip(m.reservations.iter()) {
                    let (o, n, t, i) = r
                        .map_or((0, 0, 0, 0), |r| (r.offset, r.number, r.timeout_min, r.increment));
                    w.u64(keys[0], u64::from(o));
                    w.u64(keys[1], u64::from(n));
                    w.u64(keys[2], u64::from(t));
                    w.u64(keys[3], u64::from(i));
                }
            }
            AisMessage::AidToNavigationReport(m) => {
                w.u64("aid_type", u64::from(m.aid_type));
                w.str("aid_type_text", aid_type_text(m.aid_type));
                w.str("name", &m.full_name());
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10000.unwrap_or(LON_NOT_AVAILABLE_MIN_X10000)));
                w.i64("lat", i64::from(m.lat_min_x10000.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10000)));
                dimensions(&mut w, &m.dimensions);
                w.u64("epfd", u64::from(m.epfd));
                w.str("epfd_text", epfd_text(m.epfd));
                w.u64("second", u64::from(m.utc_second.unwrap_or(60)));
                w.u64("regional", u64::from(m.aton_status));
                w.bool("off_position", m.off_position);
                w.bool("raim", m.raim);
                w.bool("virtual_aid", m.virtual_aid);
            }
            AisMessage::ChannelManagement(m) => {
                w.u64("channel_a", u64::from(m.channel_a));
                w.u64("channel_b", u64::from(m.channel_b));
                w.u64("txrx", u64::from(m.txrx_mode));
                w.bool("power", m.power_low);
                let addressed = match m.target {
                    ChannelManagementTarget::Addressed { dest1_mmsi, dest2_mmsi, .. } => {
                        w.u64("dest1", u64::from(dest1_mmsi));
                        w.u64("dest2", u64::from(dest2_mmsi));
                        true
                    }
                    ChannelManagementTarget::Area {
                        ne_lon_min_x10,
                        ne_lat_min_x10,
                        sw_lon_min_x10,
                        sw_lat_min_x10,
                    } => {
                        w.i64("ne_lon", i64::from(ne_lon_min_x10));
                        w.i64("ne_lat", i64::from(ne_lat_min_x10));
                        w.i64("sw_lon", i64::from(sw_lon_min_x10));
                        w.i64("sw_lat", i64::from(sw_lat_min_x10));
                        false
                    }
                };
                w.bool("addressed", addressed);
                w.bool("band_a", m.band_a);
                w.bool("band_b", m.band_b);
                w.u64("zonesize", u64::from(m.zone_size));
            }
            AisMessage::GroupAssignmentCommand(m) => {
                w.i64("ne_lon", i64::from(m.ne_lon_min_x10));
                w.i64("ne_lat", i64::from(m.ne_lat_min_x10));
                w.i64("sw_lon", i64::from(m.sw_lon_min_x10));
                w.i64("sw_lat", i64::from(m.sw_lat_min_x10));
                w.u64("stationtype", u64::from(m.station_type));
                w.str("stationtype_text", station_type_text(m.station_type));
                w.u64("shiptype", u64::from(m.ship_type));
                w.str("shiptype_text", ship_type_text(m.ship_type));
                w.u64("interval", u64::from(m.interval));
                w.u64("quiet", u64::from(m.quiet_min));
            }
            AisMessage::StaticDataReport(StaticDataReport::A(_)) => {}
            AisMessage::StaticDataReport(StaticDataReport::B(m)) => {
                if let Some(name) = &joined_name {
                    w.str("shipname", name.trimmed());
                }
                w.u64("shiptype", u64::from(m.ship_type));
                w.str("shiptype_text", ship_type_text(m.ship_type));
                w.str("vendorid", m.vendor_id_legacy().trimmed());
                w.u64("model", u64::from(m.unit_model));
                w.u64("serial", u64::from(m.serial_number));
                w.str("callsign", m.call_sign.trimmed());
                match &m.reference {
                    ReferenceOrMothership::Mothership { mmsi } => {
                        w.u64("mothership_mmsi", u64::from(*mmsi));
                    }
                    ReferenceOrMothership::Dimensions(d) => dimensions(&mut w, d),
                }
            }
            AisMessage::SingleSlotBinary(m) => {
                w.bool("addressed", m.dest_mmsi.is_some());
                w.bool("structured", m.app_id.is_some());
                w.u64("dest_mmsi", u64::from(m.dest_mmsi.unwrap_or(0)));
                w.u64("app_id", u64::from(m.app_id.unwrap_or(0)));
                data(&mut w, s, &m.data, 0);
            }
            AisMessage::MultipleSlotBinary(m) => {
                w.bool("addressed", m.dest_mmsi.is_some());
                w.bool("structured", m.app_id.is_some());
                w.u64("dest_mmsi", u64::from(m.dest_mmsi.unwrap_or(0)));
                w.u64("app_id", u64::from(m.app_id.unwrap_or(0)));
                // gpsd copies whole bytes from before the destination MMSI and then shifts the
                // MMSI out, so the unused bits of the last data byte show the bits that follow
                // the data (the communication state) as far as the copied bytes reach.
                let len = m.data.len_bits();
                let copied = len + 30 * usize::from(m.dest_mmsi.is_some());
                let unused = len.div_ceil(8) * 8 - len;
                let visible = unused.min(copied.div_ceil(8) * 8 - copied);
                let tail = if visible == 0 {
                    0
                } else {
                    ((m.radio >> (20 - visible)) << (8 - visible)) as u8
                };
                data(&mut w, s, &m.data, tail);
                w.u64("radio", 0);
            }
            AisMessage::LongRangeBroadcast(m) => {
                w.u64("status", u64::from(m.nav_status));
                w.bool("accuracy", m.accuracy);
                w.i64("lon", i64::from(m.lon_min_x10.unwrap_or(LON_NOT_AVAILABLE_MIN_X10)));
                w.i64("lat", i64::from(m.lat_min_x10.unwrap_or(LAT_NOT_AVAILABLE_MIN_X10)));
                w.u64("speed", u64::from(m.speed_knots.unwrap_or(63)));
                w.u64("course", u64::from(m.course_deg.unwrap_or(511)));
                w.bool("raim", m.raim);
                w.bool("gnss", m.not_gnss_position);
            }
        }
        w.finish();
        true
    }

    fn stash(&mut self, mmsi: u32, name: AisText<20>) {
        if let Some(entry) = self.pending.iter_mut().find(|(m, _)| *m == mmsi) {
            entry.1 = name;
            return;
        }
        if self.pending.len() >= TYPE24_PENDING_MAX {
            self.pending.pop_front();
        }
        self.pending.push_back((mmsi, name));
    }

    fn take(&mut self, mmsi: u32) -> Option<AisText<20>> {
        let at = self.pending.iter().position(|(m, _)| *m == mmsi)?;
        self.pending.remove(at).map(|(_, name)| name)
    }
}

/// `"to_bow"`, `"to_stern"`, `"to_port"`, `"to_starboard"`.
fn dimensions(w: &mut JsonWriter<'_>, d: &Dimensions) {
    w.u64("to_bow", u64::from(d.to_bow_m));
    w.u64("to_stern", u64::from(d.to_stern_m));
    w.u64("to_port", u64::from(d.to_port_m));
    w.u64("to_starboard", u64::from(d.to_starboard_m));
}

/// `"data":"<bits>:<hex>"`, with `tail` (the message bits that follow the data, MSB first)
/// filling the unused low bits of the last byte.
fn data(w: &mut JsonWriter<'_>, s: &mut Vec<u8>, d: &BinaryData, tail: u8) {
    s.clear();
    s.extend_from_slice(itoa::Buffer::new().format(d.len_bits).as_bytes());
    s.push(b':');
    let used = d.len_bits() % 8;
    let last = d.bytes.len().saturating_sub(1);
    for (k, &b) in d.bytes.iter().enumerate() {
        let b = if k == last && used != 0 { b | (tail >> used) } else { b };
        push_hex_byte(s, b);
    }
    w.str("data", ascii(s));
}

/// Appends `v` in decimal, zero-padded to at least `width` digits (C's `%0Nu`).
fn push_padded(s: &mut Vec<u8>, v: u64, width: usize) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(v).as_bytes();
    for _ in digits.len()..width {
        s.push(b'0');
    }
    s.extend_from_slice(digits);
}

/// The scratch buffer as text; it only ever holds ASCII digits, hex and punctuation.
fn ascii(s: &[u8]) -> &str {
    std::str::from_utf8(s).unwrap_or("")
}
