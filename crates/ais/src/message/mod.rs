//! Typed AIS messages: one struct per message of ITU-R M.1371-5 Annex 8 (messages 1 to 27),
//! gathered in [`AisMessage`].
//!
//! Every struct keeps the exact wire integers, so that an encoder can write back the bits it was
//! decoded from:
//!
//! - Field names carry the wire unit and scale last: `speed_knots_x10` is knots × 10 (the wire's
//!   1/10 knot), `lon_min_x10000` is minutes of arc × 10,000 (the wire's 1/10,000 minute),
//!   `heading_deg` is whole degrees. Accessors named with a natural unit (`lon_deg()`,
//!   `speed_knots()`, `course_deg()`) convert.
//! - A "not available" value that the standard defines for a field (heading 511, speed 1023,
//!   rate of turn -128, longitude 181°, latitude 91°, course 3600, UTC second 60, …) becomes
//!   `None`; every other value, including out-of-range ones, stays `Some(raw)`. Each sentinel is
//!   a single wire value, so `None` maps back to exactly one bit pattern.
//! - Text fields hold every six-bit character the message carries, `@` padding included, so the
//!   bits can be rebuilt; [`AisText::trimmed`](crate::bits::AisText::trimmed) gives the text as
//!   people read it.
//! - Spare bits inside fixed layouts are kept (`spare`), since real transmitters set them.
//!
//! What does not survive a decode/encode round trip: lengths that are not the standard's (a
//! 424-bit message 5 sent as 490 bits, extra bits after a fixed layout), text beyond the field
//! capacities below, and the padding bits after variable-length text or binary data (the encoder
//! pads to a byte boundary, as the standard asks).
//!
//! Deliberately absent: application-specific payloads of messages 6 and 8 (see
//! [`crate::apps`]), and anything about framing or time of reception.

mod aid_to_navigation;
mod assignment_mode_command;
mod base_station_report;
mod binary_acknowledge;
mod binary_addressed;
mod binary_broadcast;
mod channel_management;
mod class_b_extended_position;
mod class_b_position;
mod data_link_management;
mod dgnss_broadcast;
mod group_assignment;
mod interrogation;
mod long_range_broadcast;
mod multiple_slot_binary;
mod position_report;
mod safety_addressed;
mod safety_broadcast;
mod sar_aircraft_position;
mod single_slot_binary;
mod static_data_report;
mod static_voyage_data;
pub mod tables;
mod utc_date_inquiry;

use std::fmt;

pub use aid_to_navigation::{AidToNavigationReport, NAME_EXTENSION_CHARS_MAX};
pub use assignment_mode_command::{Assignment, AssignmentModeCommand};
pub use base_station_report::BaseStationReport;
pub use binary_acknowledge::{Acknowledgement, BinaryAcknowledge};
pub use binary_addressed::AddressedBinary;
pub use binary_broadcast::BinaryBroadcast;
pub use channel_management::{ChannelManagement, ChannelManagementTarget};
pub use class_b_extended_position::ClassBExtendedPosition;
pub use class_b_position::ClassBPosition;
pub use data_link_management::{DataLinkManagement, SlotReservation};
pub use dgnss_broadcast::DgnssBroadcast;
pub use group_assignment::GroupAssignmentCommand;
pub use interrogation::{Interrogation, InterrogationRequest};
pub use long_range_broadcast::LongRangeBroadcast;
pub use multiple_slot_binary::MultipleSlotBinary;
pub use position_report::PositionReport;
pub use safety_addressed::{ADDRESSED_SAFETY_TEXT_CHARS_MAX, AddressedSafety};
pub use safety_broadcast::{SAFETY_BROADCAST_TEXT_CHARS_MAX, SafetyBroadcast};
pub use sar_aircraft_position::SarAircraftPosition;
pub use single_slot_binary::SingleSlotBinary;
pub use static_data_report::{
    ReferenceOrMothership, StaticDataReport, StaticDataReportA, StaticDataReportB,
    is_auxiliary_craft,
};
pub use static_voyage_data::StaticVoyageData;
pub use utc_date_inquiry::UtcDateInquiry;

pub(crate) use aid_to_navigation::decode as decode_21;
pub(crate) use assignment_mode_command::decode as decode_16;
pub(crate) use base_station_report::decode as decode_4_11;
pub(crate) use binary_acknowledge::decode as decode_7_13;
pub(crate) use binary_addressed::decode as decode_6;
pub(crate) use binary_broadcast::decode as decode_8;
pub(crate) use channel_management::decode as decode_22;
pub(crate) use class_b_extended_position::decode as decode_19;
pub(crate) use class_b_position::decode as decode_18;
pub(crate) use data_link_management::decode as decode_20;
pub(crate) use dgnss_broadcast::decode as decode_17;
pub(crate) use group_assignment::decode as decode_23;
pub(crate) use interrogation::decode as decode_15;
pub(crate) use long_range_broadcast::decode as decode_27;
pub(crate) use multiple_slot_binary::decode as decode_26;
pub(crate) use position_report::decode as decode_1_3;
pub(crate) use safety_addressed::decode as decode_12;
pub(crate) use safety_broadcast::decode as decode_14;
pub(crate) use sar_aircraft_position::decode as decode_9;
pub(crate) use single_slot_binary::decode as decode_25;
pub(crate) use static_data_report::decode as decode_24;
pub(crate) use static_voyage_data::decode as decode_5;
pub(crate) use utc_date_inquiry::decode as decode_10;

use crate::bits::Payload;
use crate::decode::DecodeError;

/// Longitude "not available" (181°) in 1/10,000 minute, for the 28-bit positions of messages 1-4,
/// 9, 11, 18, 19 and 21 (ITU-R M.1371-5 Annex 8 §3.1).
pub const LON_NOT_AVAILABLE_MIN_X10000: i32 = 181 * 600_000;
/// Latitude "not available" (91°) in 1/10,000 minute, for the 27-bit positions.
pub const LAT_NOT_AVAILABLE_MIN_X10000: i32 = 91 * 600_000;
/// Longitude "not available" (181°) in 1/10 minute, for the 18-bit positions of messages 17
/// and 27 (ITU-R M.1371-5 Annex 8 §3.15, §3.25).
pub const LON_NOT_AVAILABLE_MIN_X10: i32 = 181 * 600;
/// Latitude "not available" (91°) in 1/10 minute, for the 17-bit positions of messages 17 and 27.
pub const LAT_NOT_AVAILABLE_MIN_X10: i32 = 91 * 600;
/// Speed over ground "not available" in 1/10 knot (messages 1-3, 18, 19).
pub const SPEED_NOT_AVAILABLE_KNOTS_X10: u16 = 1023;
/// Course over ground "not available" in 1/10 degree (messages 1-3, 9, 18, 19).
pub const COURSE_NOT_AVAILABLE_DEG_X10: u16 = 3600;
/// True heading "not available" in degrees (messages 1-3, 18, 19).
pub const HEADING_NOT_AVAILABLE_DEG: u16 = 511;
/// Rate of turn "not available" (ROT_AIS, messages 1-3).
pub const ROT_NOT_AVAILABLE: i8 = -128;
/// UTC second "not available" (time stamp field); 61-63 carry other meanings and are kept.
pub const SECOND_NOT_AVAILABLE: u8 = 60;

/// Minutes of arc × 10,000 per degree.
const MIN_X10000_PER_DEG: f64 = 600_000.0;
/// Minutes of arc × 10 per degree.
const MIN_X10_PER_DEG: f64 = 600.0;

/// A decoded AIS message, one variant per message family of ITU-R M.1371-5 Annex 8.
///
/// Large and rare variants are boxed so that the enum stays small (see the crate tests for its
/// size); the frequent ones (1-5, 18, 19, 24, 27) are inline and decode without allocating.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AisMessage {
    /// Messages 1, 2, 3: Class A position report.
    PositionReport(PositionReport),
    /// Messages 4 and 11: base station report, UTC/date response.
    BaseStationReport(BaseStationReport),
    /// Message 5: Class A static and voyage related data.
    StaticVoyageData(StaticVoyageData),
    /// Message 6: addressed binary message.
    AddressedBinary(Box<AddressedBinary>),
    /// Messages 7 and 13: binary and safety related acknowledgement.
    BinaryAcknowledge(BinaryAcknowledge),
    /// Message 8: binary broadcast message.
    BinaryBroadcast(Box<BinaryBroadcast>),
    /// Message 9: standard SAR aircraft position report.
    SarAircraftPosition(SarAircraftPosition),
    /// Message 10: UTC and date inquiry.
    UtcDateInquiry(UtcDateInquiry),
    /// Message 12: addressed safety related message.
    AddressedSafety(Box<AddressedSafety>),
    /// Message 14: safety related broadcast message.
    SafetyBroadcast(Box<SafetyBroadcast>),
    /// Message 15: interrogation.
    Interrogation(Interrogation),
    /// Message 16: assigned mode command.
    AssignmentModeCommand(AssignmentModeCommand),
    /// Message 17: GNSS broadcast binary message (DGNSS corrections).
    DgnssBroadcast(Box<DgnssBroadcast>),
    /// Message 18: standard Class B equipment position report.
    ClassBPosition(ClassBPosition),
    /// Message 19: extended Class B equipment position report.
    ClassBExtendedPosition(ClassBExtendedPosition),
    /// Message 20: data link management.
    DataLinkManagement(Box<DataLinkManagement>),
    /// Message 21: aids-to-navigation report.
    AidToNavigationReport(Box<AidToNavigationReport>),
    /// Message 22: channel management.
    ChannelManagement(Box<ChannelManagement>),
    /// Message 23: group assignment command.
    GroupAssignmentCommand(Box<GroupAssignmentCommand>),
    /// Message 24: static data report, part A or part B.
    StaticDataReport(StaticDataReport),
    /// Message 25: single slot binary message.
    SingleSlotBinary(Box<SingleSlotBinary>),
    /// Message 26: multiple slot binary message with communications state.
    MultipleSlotBinary(Box<MultipleSlotBinary>),
    /// Message 27: position report for long-range applications.
    LongRangeBroadcast(LongRangeBroadcast),
}

impl AisMessage {
    /// The message type (1 to 27).
    pub fn msg_type(&self) -> u8 {
        match self {
            Self::PositionReport(m) => m.msg_type,
            Self::BaseStationReport(m) => m.msg_type,
            Self::StaticVoyageData(_) => 5,
            Self::AddressedBinary(_) => 6,
            Self::BinaryAcknowledge(m) => m.msg_type,
            Self::BinaryBroadcast(_) => 8,
            Self::SarAircraftPosition(_) => 9,
            Self::UtcDateInquiry(_) => 10,
            Self::AddressedSafety(_) => 12,
            Self::SafetyBroadcast(_) => 14,
            Self::Interrogation(_) => 15,
            Self::AssignmentModeCommand(_) => 16,
            Self::DgnssBroadcast(_) => 17,
            Self::ClassBPosition(_) => 18,
            Self::ClassBExtendedPosition(_) => 19,
            Self::DataLinkManagement(_) => 20,
            Self::AidToNavigationReport(_) => 21,
            Self::ChannelManagement(_) => 22,
            Self::GroupAssignmentCommand(_) => 23,
            Self::StaticDataReport(_) => 24,
            Self::SingleSlotBinary(_) => 25,
            Self::MultipleSlotBinary(_) => 26,
            Self::LongRangeBroadcast(_) => 27,
        }
    }

    /// The repeat indicator (0 to 3).
    pub fn repeat(&self) -> u8 {
        self.header().0
    }

    /// The MMSI of the transmitting station, as the 30-bit wire value (it may exceed the nine
    /// decimal digits of a valid MMSI in corrupted messages).
    pub fn mmsi(&self) -> u32 {
        self.header().1
    }

    fn header(&self) -> (u8, u32) {
        match self {
            Self::PositionReport(m) => (m.repeat, m.mmsi),
            Self::BaseStationReport(m) => (m.repeat, m.mmsi),
            Self::StaticVoyageData(m) => (m.repeat, m.mmsi),
            Self::AddressedBinary(m) => (m.repeat, m.mmsi),
            Self::BinaryAcknowledge(m) => (m.repeat, m.mmsi),
            Self::BinaryBroadcast(m) => (m.repeat, m.mmsi),
            Self::SarAircraftPosition(m) => (m.repeat, m.mmsi),
            Self::UtcDateInquiry(m) => (m.repeat, m.mmsi),
            Self::AddressedSafety(m) => (m.repeat, m.mmsi),
            Self::SafetyBroadcast(m) => (m.repeat, m.mmsi),
            Self::Interrogation(m) => (m.repeat, m.mmsi),
            Self::AssignmentModeCommand(m) => (m.repeat, m.mmsi),
            Self::DgnssBroadcast(m) => (m.repeat, m.mmsi),
            Self::ClassBPosition(m) => (m.repeat, m.mmsi),
            Self::ClassBExtendedPosition(m) => (m.repeat, m.mmsi),
            Self::DataLinkManagement(m) => (m.repeat, m.mmsi),
            Self::AidToNavigationReport(m) => (m.repeat, m.mmsi),
            Self::ChannelManagement(m) => (m.repeat, m.mmsi),
            Self::GroupAssignmentCommand(m) => (m.repeat, m.mmsi),
            Self::StaticDataReport(StaticDataReport::A(m)) => (m.repeat, m.mmsi),
            Self::StaticDataReport(StaticDataReport::B(m)) => (m.repeat, m.mmsi),
            Self::SingleSlotBinary(m) => (m.repeat, m.mmsi),
            Self::MultipleSlotBinary(m) => (m.repeat, m.mmsi),
            Self::LongRangeBroadcast(m) => (m.repeat, m.mmsi),
        }
    }
}

/// Ship dimensions from the reference point for the reported position (ITU-R M.1371-5 Annex 8
/// §3.3, Fig. 42), in metres as on the wire: 0 means "not available" for that side, 511 (bow,
/// stern) or 63 (port, starboard) means "that many metres or more".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dimensions {
    /// A: reference point to bow, metres (9 bits).
    pub to_bow_m: u16,
    /// B: reference point to stern, metres (9 bits).
    pub to_stern_m: u16,
    /// C: reference point to port side, metres (6 bits).
    pub to_port_m: u8,
    /// D: reference point to starboard side, metres (6 bits).
    pub to_starboard_m: u8,
}

impl Dimensions {
    /// Number of bits the four dimensions occupy.
    pub const BITS: usize = 30;

    pub(crate) fn read(p: &Payload, start: usize) -> Self {
        Self {
            to_bow_m: p.u(start, 9) as u16,
            to_stern_m: p.u(start + 9, 9) as u16,
            to_port_m: p.u(start + 18, 6) as u8,
            to_starboard_m: p.u(start + 24, 6) as u8,
        }
    }

    /// Overall length (bow + stern) in metres, when both are reported.
    pub fn length_m(&self) -> Option<u16> {
        (self.to_bow_m != 0 && self.to_stern_m != 0).then(|| self.to_bow_m + self.to_stern_m)
    }

    /// Overall beam (port + starboard) in metres, when both are reported.
    pub fn beam_m(&self) -> Option<u16> {
        (self.to_port_m != 0 && self.to_starboard_m != 0)
            .then(|| u16::from(self.to_port_m) + u16::from(self.to_starboard_m))
    }
}

/// Raw binary data carried by messages 6, 8, 17, 25 and 26: `len_bits` bits, MSB first, in
/// `bytes` (the unused low bits of the last byte are zero).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct BinaryData {
    /// The bits, packed MSB first.
    pub bytes: Box<[u8]>,
    /// Number of valid bits in `bytes`.
    pub len_bits: u16,
}

impl BinaryData {
    /// Copies `len_bits` bits of `p` starting at bit `start`.
    pub fn from_payload(p: &Payload, start: usize, len_bits: usize) -> Self {
        let n = len_bits.div_ceil(8);
        let mut bytes = vec![0u8; n];
        for (k, b) in bytes.iter_mut().enumerate() {
            let take = (len_bits - 8 * k).min(8);
            *b = (p.u(start + 8 * k, take) << (8 - take)) as u8;
        }
        Self { bytes: bytes.into_boxed_slice(), len_bits: len_bits as u16 }
    }

    /// Number of bits.
    pub fn len_bits(&self) -> usize {
        usize::from(self.len_bits)
    }

    /// Bit `i` (MSB first); `false` past the end.
    pub fn bit(&self, i: usize) -> bool {
        i < self.len_bits() && self.bytes.get(i / 8).is_some_and(|b| (b >> (7 - i % 8)) & 1 == 1)
    }

    /// Appends the bytes as lower-case hexadecimal (two digits per byte, the last byte included
    /// whole).
    pub fn write_hex(&self, out: &mut Vec<u8>) {
        for &b in self.bytes.iter() {
            push_hex_byte(out, b);
        }
    }
}

impl fmt::Debug for BinaryData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut hex = Vec::with_capacity(self.bytes.len() * 2);
        self.write_hex(&mut hex);
        write!(f, "BinaryData({}:{})", self.len_bits, String::from_utf8_lossy(&hex))
    }
}

pub(crate) fn push_hex_byte(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(HEX[usize::from(b >> 4)]);
    out.push(HEX[usize::from(b & 0xf)]);
}

/// Fails with [`DecodeError::TooShort`] when the payload has fewer than `needed_bits` bits.
#[inline]
pub(crate) fn need(p: &Payload, msg_type: u8, needed_bits: usize) -> Result<(), DecodeError> {
    let bits = p.len_bits();
    if bits < needed_bits {
        Err(DecodeError::TooShort { msg_type, bits, needed_bits })
    } else {
        Ok(())
    }
}

/// Repeat indicator and MMSI, common to every message.
#[inline]
pub(crate) fn header(p: &Payload) -> (u8, u32) {
    (p.u(6, 2) as u8, p.u(8, 30) as u32)
}

#[inline]
pub(crate) fn avail_u8(raw: u64, not_available: u8) -> Option<u8> {
    let v = raw as u8;
    (v != not_available).then_some(v)
}

#[inline]
pub(crate) fn avail_u16(raw: u64, not_available: u16) -> Option<u16> {
    let v = raw as u16;
    (v != not_available).then_some(v)
}

#[inline]
pub(crate) fn avail_u32(raw: u64, not_available: u32) -> Option<u32> {
    let v = raw as u32;
    (v != not_available).then_some(v)
}

#[inline]
pub(crate) fn avail_i32(raw: i64, not_available: i32) -> Option<i32> {
    let v = raw as i32;
    (v != not_available).then_some(v)
}

/// Degrees from 1/10,000 minute.
#[inline]
pub(crate) fn deg_from_min_x10000(v: Option<i32>) -> Option<f64> {
    v.map(|v| f64::from(v) / MIN_X10000_PER_DEG)
}

/// Degrees from 1/10 minute.
#[inline]
pub(crate) fn deg_from_min_x10(v: Option<i32>) -> Option<f64> {
    v.map(|v| f64::from(v) / MIN_X10_PER_DEG)
}

/// A tenth-unit wire value in whole units.
#[inline]
pub(crate) fn tenths(v: Option<u16>) -> Option<f64> {
    v.map(|v| f64::from(v) / 10.0)
}

/// Rate of turn in degrees per minute from ROT_AIS (ITU-R M.1371-5 Annex 8 §3.1, message 1
/// table): ROT_AIS = 4.733 √ROT, signed (positive to starboard). ±127 (turning faster than
/// 5°/30 s without a turn indicator) and -128 (not available) have no rate.
pub fn rot_deg_min(rot_ais: Option<i8>) -> Option<f64> {
    let raw = rot_ais?;
    if raw.unsigned_abs() >= 127 {
        return None;
    }
    let r = f64::from(raw) / 4.733;
    Some(r * r * f64::from(raw.signum()))
}
