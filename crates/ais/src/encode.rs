//! [`AisMessage`] back to payload bits: the inverse of [`crate::decode()`].
//!
//! Every message type 1 to 27 is encoded from the wire integers its struct keeps (see
//! [`crate::message`]), field by field in the order of ITU-R M.1371-5 Annex 8, so that
//! `decode(encode(m)) == m` for every message that a standard-length payload can carry, and
//! a message decoded from a standard-length payload encodes back to the same bits:
//!
//! - `None` is written as the field's "not available" value (heading 511, longitude 181°, …);
//!   `Some` of that very value is refused ([`EncodeError::NotAvailableValue`]), since it
//!   would decode as `None`.
//! - Every other value must fit its bit width, signed fields in two's complement; a value
//!   that does not is [`EncodeError::OutOfRange`]. Out-of-range values that fit (a longitude
//!   of 200°, a second of 63) are written as they are.
//! - Fixed-width text fields are padded with `@` when the text is shorter than the field, so
//!   such a text decodes with the padding (equal by [`crate::AisText::trimmed`]).
//! - Variable-length text (messages 12, 14 and the message 21 name extension) is followed by
//!   zero bits up to the next byte boundary when fewer than six are needed, as ITU-R M.1371-5
//!   Annex 8 asks for byte-aligned messages; six or more would read back as an extra `@`
//!   character, so then the message ends after the text. Message 20 pads its reservations to
//!   a byte boundary (0, 2, 4 or 6 bits, Annex 8 §3.18). Message 15 with two requests to one
//!   station is padded from 110 to 112 bits.
//! - Binary data (messages 6, 8, 17, 25, 26) is written bit for bit as held, with no padding:
//!   the decoder keeps every bit after the fixed part, padding included.
//! - The length of message 1-3 follows [`PositionReport::radio_len_bits`] (163 to 168 bits);
//!   message 24 part A is 168 bits when it holds its trailing spare, else 160.
//!
//! What is not encoded: the decoded application of messages 6 and 8 (`app`; the raw `data`
//! bits are the source of truth), bits that the decoder did not keep (extra bits after a fixed
//! layout, padding after variable text), and combinations the decoder cannot produce (a
//! message 15 whose second station comes without the first station's second request, a
//! message 24 part B mother-ship reference from an MMSI that is not an auxiliary craft's);
//! those are [`EncodeError::Inconsistent`]. Sentence framing is `kuroshio-nmea`'s business
//! (`kuroshio_nmea::writer`).

use crate::bits::{AisText, BitWriter, PAYLOAD_BITS_MAX};
use crate::message::{
    AddressedBinary, AddressedSafety, AidToNavigationReport, AisMessage, AssignmentModeCommand,
    BaseStationReport, BinaryAcknowledge, BinaryBroadcast, BinaryData,
    COURSE_NOT_AVAILABLE_DEG_X10, ChannelManagement, ChannelManagementTarget,
    ClassBExtendedPosition, ClassBPosition, DataLinkManagement, DgnssBroadcast, Dimensions,
    GroupAssignmentCommand, HEADING_NOT_AVAILABLE_DEG, Interrogation, InterrogationRequest,
    LAT_NOT_AVAILABLE_MIN_X10, LAT_NOT_AVAILABLE_MIN_X10000, LON_NOT_AVAILABLE_MIN_X10,
    LON_NOT_AVAILABLE_MIN_X10000, LongRangeBroadcast, MultipleSlotBinary, PositionReport,
    ROT_NOT_AVAILABLE, ReferenceOrMothership, SECOND_NOT_AVAILABLE, SPEED_NOT_AVAILABLE_KNOTS_X10,
    SafetyBroadcast, SarAircraftPosition, SingleSlotBinary, StaticDataReport, StaticDataReportA,
    StaticDataReportB, StaticVoyageData, UtcDateInquiry,
};

/// Shortest communication state of a message 1-3 that the decoder accepts: 163-bit messages
/// (ITU-R M.1371-5 Annex 8 §3.1 sends 19 bits; truncated ones are seen in the wild).
const POSITION_RADIO_BITS_MIN: u8 = 14;
/// Full communication state of a message 1-3 (SOTDMA or ITDMA, Annex 8 §3.1).
const POSITION_RADIO_BITS: u8 = 19;
/// Message 9 altitude "not available", metres (Annex 8 §3.7).
const SAR_ALTITUDE_NOT_AVAILABLE_M: u64 = 4095;
/// Message 9 speed "not available", whole knots (Annex 8 §3.7).
const SAR_SPEED_NOT_AVAILABLE_KNOTS: u64 = 1023;
/// Message 27 speed "not available", whole knots (Annex 8 §3.25).
const LONG_RANGE_SPEED_NOT_AVAILABLE_KNOTS: u64 = 63;
/// Message 27 course "not available", whole degrees (Annex 8 §3.25).
const LONG_RANGE_COURSE_NOT_AVAILABLE_DEG: u64 = 511;
/// An auxiliary craft's MMSI is 98MIDxxxx (ITU-R M.585 Annex 2 §2): its first two of nine
/// digits are 98. Message 24 part B then carries the mother ship's MMSI (Annex 8 §3.22).
const AUXILIARY_CRAFT_MMSI_PREFIX: u32 = 98;
/// Divisor leaving the first two of an MMSI's nine digits.
const AUXILIARY_CRAFT_MMSI_DIVISOR: u32 = 10_000_000;
/// Messages 4, 11 and 5: UTC year, month and day "not available" (Annex 8 §3.2, §3.3).
const DATE_NOT_AVAILABLE: u64 = 0;
/// Messages 4, 11 and 5: UTC hour "not available".
const HOUR_NOT_AVAILABLE: u64 = 24;
/// Messages 4 and 11: UTC minute "not available" (also the message 5 ETA minute).
const MINUTE_NOT_AVAILABLE: u64 = 60;

/// Why a message cannot be encoded. The encoder writes nothing partial: either the whole
/// message or this error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A field value does not fit its bit width (unsigned, or two's complement when signed).
    #[error("message {msg_type}: {field} = {value} does not fit in {bits} bits")]
    OutOfRange {
        /// The message type.
        msg_type: u8,
        /// The struct field.
        field: &'static str,
        /// The value held.
        value: i64,
        /// The field's width on the wire.
        bits: u8,
    },
    /// `Some` of a field's "not available" value, which the decoder turns into `None`.
    #[error("message {msg_type}: {field} = Some({value}) is the \"not available\" value; use None")]
    NotAvailableValue {
        /// The message type.
        msg_type: u8,
        /// The struct field.
        field: &'static str,
        /// The sentinel value held.
        value: i64,
    },
    /// A value the layout allows only within narrower bounds.
    #[error("message {msg_type}: {field} = {value} is not allowed ({allowed})")]
    InvalidValue {
        /// The message type.
        msg_type: u8,
        /// The struct field.
        field: &'static str,
        /// The value held.
        value: i64,
        /// The values that are allowed.
        allowed: &'static str,
    },
    /// A struct that carries several message types holds a type it does not carry.
    #[error("message type {msg_type} cannot be carried by {variant}")]
    WrongMessageType {
        /// The [`AisMessage`] variant.
        variant: &'static str,
        /// The `msg_type` field held.
        msg_type: u8,
    },
    /// Binary data that declares more bits than its bytes hold.
    #[error("message {msg_type}: {field} declares {len_bits} bits but holds only {bytes} bytes")]
    BinaryDataShort {
        /// The message type.
        msg_type: u8,
        /// The struct field.
        field: &'static str,
        /// The declared number of bits.
        len_bits: usize,
        /// The bytes held.
        bytes: usize,
    },
    /// The message would be longer than the payload limit.
    #[error("message {msg_type} of {len_bits} bits exceeds the {max_bits}-bit payload limit")]
    TooLong {
        /// The message type.
        msg_type: u8,
        /// Bits the message would have.
        len_bits: usize,
        /// [`PAYLOAD_BITS_MAX`].
        max_bits: usize,
    },
    /// Fields that no payload can carry together (see the module documentation).
    #[error("message {msg_type}: {reason}")]
    Inconsistent {
        /// The message type.
        msg_type: u8,
        /// What does not fit together.
        reason: &'static str,
    },
}

impl EncodeError {
    /// A stable snake_case name for the kind of error, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::OutOfRange { .. } => "out_of_range",
            Self::NotAvailableValue { .. } => "not_available_value",
            Self::InvalidValue { .. } => "invalid_value",
            Self::WrongMessageType { .. } => "wrong_message_type",
            Self::BinaryDataShort { .. } => "binary_data_short",
            Self::TooLong { .. } => "too_long",
            Self::Inconsistent { .. } => "inconsistent",
        }
    }
}

/// An encoded message: the armored payload (the fifth field of a `!xxVDM` sentence, before
/// splitting into fragments) and its fill-bit count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The armored six-bit payload.
    pub payload: String,
    /// Bits of padding in the last payload character (0-5).
    pub fill_bits: u8,
    /// Number of message bits.
    pub len_bits: usize,
}

/// Encodes a message into its armored payload and fill bits.
pub fn encode(msg: &AisMessage) -> Result<Encoded, EncodeError> {
    let bits = encode_bits(msg)?;
    let (payload, fill_bits) = bits.armor();
    Ok(Encoded { payload, fill_bits, len_bits: bits.len_bits() })
}

/// Encodes a message and appends its armored payload to `out`, returning the fill-bit count:
/// the payload and fill bits of [`encode()`], for writers that reuse one buffer rather than
/// allocate a `String` per message. On error nothing is appended.
pub fn encode_to(msg: &AisMessage, out: &mut Vec<u8>) -> Result<u8, EncodeError> {
    let mut w = Writer::new(msg.msg_type());
    write_fields(&mut w, msg)?;
    w.check_length()?;
    Ok(w.bits.armor_to(out))
}

/// Encodes a message into its payload bits.
pub fn encode_bits(msg: &AisMessage) -> Result<BitWriter, EncodeError> {
    let mut w = Writer::new(msg.msg_type());
    write_fields(&mut w, msg)?;
    w.finish()
}

/// Writes every field of `msg`, in wire order.
fn write_fields(w: &mut Writer, msg: &AisMessage) -> Res {
    match msg {
        AisMessage::PositionReport(m) => position_report(w, m)?,
        AisMessage::BaseStationReport(m) => base_station_report(w, m)?,
        AisMessage::StaticVoyageData(m) => static_voyage_data(w, m)?,
        AisMessage::AddressedBinary(m) => addressed_binary(w, m)?,
        AisMessage::BinaryAcknowledge(m) => binary_acknowledge(w, m)?,
        AisMessage::BinaryBroadcast(m) => binary_broadcast(w, m)?,
        AisMessage::SarAircraftPosition(m) => sar_aircraft_position(w, m)?,
        AisMessage::UtcDateInquiry(m) => utc_date_inquiry(w, m)?,
        AisMessage::AddressedSafety(m) => addressed_safety(w, m)?,
        AisMessage::SafetyBroadcast(m) => safety_broadcast(w, m)?,
        AisMessage::Interrogation(m) => interrogation(w, m)?,
        AisMessage::AssignmentModeCommand(m) => assignment_mode_command(w, m)?,
        AisMessage::DgnssBroadcast(m) => dgnss_broadcast(w, m)?,
        AisMessage::ClassBPosition(m) => class_b_position(w, m)?,
        AisMessage::ClassBExtendedPosition(m) => class_b_extended_position(w, m)?,
        AisMessage::DataLinkManagement(m) => data_link_management(w, m)?,
        AisMessage::AidToNavigationReport(m) => aid_to_navigation(w, m)?,
        AisMessage::ChannelManagement(m) => channel_management(w, m)?,
        AisMessage::GroupAssignmentCommand(m) => group_assignment(w, m)?,
        AisMessage::StaticDataReport(StaticDataReport::A(m)) => static_data_a(w, m)?,
        AisMessage::StaticDataReport(StaticDataReport::B(m)) => static_data_b(w, m)?,
        AisMessage::SingleSlotBinary(m) => single_slot_binary(w, m)?,
        AisMessage::MultipleSlotBinary(m) => multiple_slot_binary(w, m)?,
        AisMessage::LongRangeBroadcast(m) => long_range_broadcast(w, m)?,
    }
    Ok(())
}

type Res = Result<(), EncodeError>;

/// Bit writer that checks every value against its width and counts the bits it would write,
/// so that an over-long message is an error rather than silently cut by [`BitWriter`].
struct Writer {
    bits: BitWriter,
    len_bits: usize,
    msg_type: u8,
}

impl Writer {
    fn new(msg_type: u8) -> Self {
        Self { bits: BitWriter::new(), len_bits: 0, msg_type }
    }

    fn out_of_range(&self, field: &'static str, value: i64, bits: u8) -> EncodeError {
        EncodeError::OutOfRange { msg_type: self.msg_type, field, value, bits }
    }

    fn inconsistent(&self, reason: &'static str) -> EncodeError {
        EncodeError::Inconsistent { msg_type: self.msg_type, reason }
    }

    fn raw(&mut self, value: u64, len: u8) {
        self.bits.u(value, usize::from(len));
        self.len_bits += usize::from(len);
    }

    /// An unsigned field of `len` bits (at most 32).
    fn u(&mut self, field: &'static str, value: impl Into<u64>, len: u8) -> Res {
        let value = value.into();
        if value >> len != 0 {
            return Err(self.out_of_range(field, value as i64, len));
        }
        self.raw(value, len);
        Ok(())
    }

    /// A signed (two's complement) field of `len` bits (1 to 32).
    fn i(&mut self, field: &'static str, value: impl Into<i64>, len: u8) -> Res {
        let value = value.into();
        let half = 1i64 << (len - 1);
        if value < -half || value >= half {
            return Err(self.out_of_range(field, value, len));
        }
        self.bits.i(value, usize::from(len));
        self.len_bits += usize::from(len);
        Ok(())
    }

    fn flag(&mut self, value: bool) {
        self.raw(u64::from(value), 1);
    }

    /// An unsigned field whose `None` is written as `not_available`.
    fn opt_u<T: Into<u64>>(
        &mut self,
        field: &'static str,
        value: Option<T>,
        not_available: u64,
        len: u8,
    ) -> Res {
        match value.map(Into::into) {
            None => self.u(field, not_available, len),
            Some(v) if v == not_available => Err(EncodeError::NotAvailableValue {
                msg_type: self.msg_type,
                field,
                value: v as i64,
            }),
            Some(v) => self.u(field, v, len),
        }
    }

    /// A signed field whose `None` is written as `not_available`.
    fn opt_i<T: Into<i64>>(
        &mut self,
        field: &'static str,
        value: Option<T>,
        not_available: i64,
        len: u8,
    ) -> Res {
        match value.map(Into::into) {
            None => self.i(field, not_available, len),
            Some(v) if v == not_available => {
                Err(EncodeError::NotAvailableValue { msg_type: self.msg_type, field, value: v })
            }
            Some(v) => self.i(field, v, len),
        }
    }

    /// Exactly `chars` six-bit characters of `text`, padded with `@`. The text's capacity `N`
    /// never exceeds `chars` at the call sites, so nothing is cut.
    fn text<const N: usize>(&mut self, text: &AisText<N>, chars: usize) {
        self.bits.text(text.as_str(), chars);
        self.len_bits += 6 * chars;
    }

    /// Every character of a variable-length text, then zero bits to the next byte boundary
    /// when fewer than six are needed (see the module documentation).
    fn variable_text<const N: usize>(&mut self, text: &AisText<N>) {
        self.text(text, text.len());
        let pad = (8 - self.len_bits % 8) % 8;
        if pad < 6 {
            self.raw(0, pad as u8);
        }
    }

    /// Zero bits to the next byte boundary.
    fn pad_to_byte(&mut self) {
        let pad = (8 - self.len_bits % 8) % 8;
        self.raw(0, pad as u8);
    }

    fn data(&mut self, field: &'static str, data: &BinaryData) -> Res {
        let len_bits = data.len_bits();
        if data.bytes.len() * 8 < len_bits {
            return Err(EncodeError::BinaryDataShort {
                msg_type: self.msg_type,
                field,
                len_bits,
                bytes: data.bytes.len(),
            });
        }
        self.bits.bits(&data.bytes, len_bits);
        self.len_bits += len_bits;
        Ok(())
    }

    fn header(&mut self, repeat: u8, mmsi: u32) -> Res {
        self.raw(u64::from(self.msg_type), 6);
        self.u("repeat", repeat, 2)?;
        self.u("mmsi", mmsi, 30)
    }

    fn dimensions(&mut self, d: &Dimensions) -> Res {
        self.u("dimensions.to_bow_m", d.to_bow_m, 9)?;
        self.u("dimensions.to_stern_m", d.to_stern_m, 9)?;
        self.u("dimensions.to_port_m", d.to_port_m, 6)?;
        self.u("dimensions.to_starboard_m", d.to_starboard_m, 6)
    }

    /// 28-bit longitude and 27-bit latitude in 1/10,000 minute (Annex 8 §3.1).
    fn position_x10000(&mut self, lon: Option<i32>, lat: Option<i32>) -> Res {
        self.opt_i("lon_min_x10000", lon, LON_NOT_AVAILABLE_MIN_X10000.into(), 28)?;
        self.opt_i("lat_min_x10000", lat, LAT_NOT_AVAILABLE_MIN_X10000.into(), 27)
    }

    /// 18-bit longitude and 17-bit latitude in 1/10 minute (Annex 8 §3.15, §3.25).
    fn position_x10(&mut self, lon: Option<i32>, lat: Option<i32>) -> Res {
        self.opt_i("lon_min_x10", lon, LON_NOT_AVAILABLE_MIN_X10.into(), 18)?;
        self.opt_i("lat_min_x10", lat, LAT_NOT_AVAILABLE_MIN_X10.into(), 17)
    }

    fn check_length(&self) -> Res {
        if self.len_bits > PAYLOAD_BITS_MAX {
            return Err(EncodeError::TooLong {
                msg_type: self.msg_type,
                len_bits: self.len_bits,
                max_bits: PAYLOAD_BITS_MAX,
            });
        }
        Ok(())
    }

    fn finish(self) -> Result<BitWriter, EncodeError> {
        self.check_length()?;
        Ok(self.bits)
    }
}

/// Messages 1-3 (Annex 8 §3.1).
fn position_report(w: &mut Writer, m: &PositionReport) -> Res {
    if !(1..=3).contains(&m.msg_type) {
        return Err(EncodeError::WrongMessageType {
            variant: "AisMessage::PositionReport",
            msg_type: m.msg_type,
        });
    }
    if !(POSITION_RADIO_BITS_MIN..=POSITION_RADIO_BITS).contains(&m.radio_len_bits) {
        return Err(EncodeError::InvalidValue {
            msg_type: m.msg_type,
            field: "radio_len_bits",
            value: m.radio_len_bits.into(),
            allowed: "14 to 19 (a 163- to 168-bit message)",
        });
    }
    w.header(m.repeat, m.mmsi)?;
    w.u("nav_status", m.nav_status, 4)?;
    w.opt_i("rot_ais", m.rot_ais, ROT_NOT_AVAILABLE.into(), 8)?;
    w.opt_u("speed_knots_x10", m.speed_knots_x10, SPEED_NOT_AVAILABLE_KNOTS_X10.into(), 10)?;
    w.flag(m.accuracy);
    w.position_x10000(m.lon_min_x10000, m.lat_min_x10000)?;
    w.opt_u("course_deg_x10", m.course_deg_x10, COURSE_NOT_AVAILABLE_DEG_X10.into(), 12)?;
    w.opt_u("heading_deg", m.heading_deg, HEADING_NOT_AVAILABLE_DEG.into(), 9)?;
    w.opt_u("utc_second", m.utc_second, SECOND_NOT_AVAILABLE.into(), 6)?;
    w.u("maneuver", m.maneuver, 2)?;
    w.u("spare", m.spare, 3)?;
    w.flag(m.raim);
    w.u("radio", m.radio, m.radio_len_bits)
}

/// Messages 4 and 11 (Annex 8 §3.2, §3.9).
fn base_station_report(w: &mut Writer, m: &BaseStationReport) -> Res {
    if m.msg_type != 4 && m.msg_type != 11 {
        return Err(EncodeError::WrongMessageType {
            variant: "AisMessage::BaseStationReport",
            msg_type: m.msg_type,
        });
    }
    w.header(m.repeat, m.mmsi)?;
    w.opt_u("year", m.year, DATE_NOT_AVAILABLE, 14)?;
    w.opt_u("month", m.month, DATE_NOT_AVAILABLE, 4)?;
    w.opt_u("day", m.day, DATE_NOT_AVAILABLE, 5)?;
    w.opt_u("hour", m.hour, HOUR_NOT_AVAILABLE, 5)?;
    w.opt_u("minute", m.minute, MINUTE_NOT_AVAILABLE, 6)?;
    w.opt_u("second", m.second, SECOND_NOT_AVAILABLE.into(), 6)?;
    w.flag(m.accuracy);
    w.position_x10000(m.lon_min_x10000, m.lat_min_x10000)?;
    w.u("epfd", m.epfd, 4)?;
    w.flag(m.long_range_control);
    w.u("spare", m.spare, 9)?;
    w.flag(m.raim);
    w.u("radio", m.radio, 19)
}

/// Message 5 (Annex 8 §3.3): 424 bits.
fn static_voyage_data(w: &mut Writer, m: &StaticVoyageData) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("ais_version", m.ais_version, 2)?;
    w.opt_u("imo", m.imo, 0, 30)?;
    w.text(&m.call_sign, 7);
    w.text(&m.ship_name, 20);
    w.u("ship_type", m.ship_type, 8)?;
    w.dimensions(&m.dimensions)?;
    w.u("epfd", m.epfd, 4)?;
    w.opt_u("eta_month", m.eta_month, DATE_NOT_AVAILABLE, 4)?;
    w.opt_u("eta_day", m.eta_day, DATE_NOT_AVAILABLE, 5)?;
    w.opt_u("eta_hour", m.eta_hour, HOUR_NOT_AVAILABLE, 5)?;
    w.opt_u("eta_minute", m.eta_minute, MINUTE_NOT_AVAILABLE, 6)?;
    w.opt_u("draught_m_x10", m.draught_m_x10, 0, 8)?;
    w.text(&m.destination, 20);
    w.flag(m.dte);
    w.flag(m.spare);
    Ok(())
}

/// Message 6 (Annex 8 §3.4): 88 bits and the data.
fn addressed_binary(w: &mut Writer, m: &AddressedBinary) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("seq", m.seq, 2)?;
    w.u("dest_mmsi", m.dest_mmsi, 30)?;
    w.flag(m.retransmit);
    w.flag(m.spare);
    w.u("dac", m.dac, 10)?;
    w.u("fid", m.fid, 6)?;
    w.data("data", &m.data)
}

/// Messages 7 and 13 (Annex 8 §3.5, §3.11): 72, 104, 136 or 168 bits.
fn binary_acknowledge(w: &mut Writer, m: &BinaryAcknowledge) -> Res {
    if m.msg_type != 7 && m.msg_type != 13 {
        return Err(EncodeError::WrongMessageType {
            variant: "AisMessage::BinaryAcknowledge",
            msg_type: m.msg_type,
        });
    }
    w.header(m.repeat, m.mmsi)?;
    w.u("spare", m.spare, 2)?;
    let present = m.acks.iter().take_while(|a| a.is_some()).count();
    if present == 0 {
        return Err(w.inconsistent("the first acknowledgement is missing"));
    }
    if m.acks.iter().skip(present).any(Option::is_some) {
        return Err(w.inconsistent("an acknowledgement follows a missing one"));
    }
    for ack in m.acks.iter().flatten() {
        w.u("acks.mmsi", ack.mmsi, 30)?;
        w.u("acks.seq", ack.seq, 2)?;
    }
    Ok(())
}

/// Message 8 (Annex 8 §3.6): 56 bits and the data.
fn binary_broadcast(w: &mut Writer, m: &BinaryBroadcast) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare", m.spare, 2)?;
    w.u("dac", m.dac, 10)?;
    w.u("fid", m.fid, 6)?;
    w.data("data", &m.data)
}

/// Message 9 (Annex 8 §3.7): 168 bits.
fn sar_aircraft_position(w: &mut Writer, m: &SarAircraftPosition) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.opt_u("altitude_m", m.altitude_m, SAR_ALTITUDE_NOT_AVAILABLE_M, 12)?;
    w.opt_u("speed_knots", m.speed_knots, SAR_SPEED_NOT_AVAILABLE_KNOTS, 10)?;
    w.flag(m.accuracy);
    w.position_x10000(m.lon_min_x10000, m.lat_min_x10000)?;
    w.opt_u("course_deg_x10", m.course_deg_x10, COURSE_NOT_AVAILABLE_DEG_X10.into(), 12)?;
    w.opt_u("utc_second", m.utc_second, SECOND_NOT_AVAILABLE.into(), 6)?;
    w.flag(m.altitude_barometric);
    w.u("spare1", m.spare1, 7)?;
    w.flag(m.dte);
    w.u("spare2", m.spare2, 3)?;
    w.flag(m.assigned);
    w.flag(m.raim);
    w.u("radio", m.radio, 20)
}

/// Message 10 (Annex 8 §3.8): 72 bits.
fn utc_date_inquiry(w: &mut Writer, m: &UtcDateInquiry) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 2)?;
    w.u("dest_mmsi", m.dest_mmsi, 30)?;
    w.u("spare2", m.spare2, 2)
}

/// Message 12 (Annex 8 §3.10): 72 bits and the text.
fn addressed_safety(w: &mut Writer, m: &AddressedSafety) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("seq", m.seq, 2)?;
    w.u("dest_mmsi", m.dest_mmsi, 30)?;
    w.flag(m.retransmit);
    w.flag(m.spare);
    w.variable_text(&m.text);
    Ok(())
}

/// Message 14 (Annex 8 §3.12): 40 bits and the text.
fn safety_broadcast(w: &mut Writer, m: &SafetyBroadcast) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare", m.spare, 2)?;
    w.variable_text(&m.text);
    Ok(())
}

fn interrogation_request(w: &mut Writer, r: &InterrogationRequest) -> Res {
    w.u("request.msg_type", r.msg_type, 6)?;
    w.u("request.slot_offset", r.slot_offset, 12)
}

/// Message 15 (Annex 8 §3.13): 88 bits (one request), 112 (two requests to one station) or
/// 160 (two stations).
fn interrogation(w: &mut Writer, m: &Interrogation) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 2)?;
    w.u("dest1_mmsi", m.dest1_mmsi, 30)?;
    interrogation_request(w, &m.request1_1)?;
    let Some(request1_2) = &m.request1_2 else {
        if m.dest2.is_some() {
            return Err(w.inconsistent(
                "a second station needs the first station's second request (zero when unused)",
            ));
        }
        if m.spare2 != 0 || m.spare3 != 0 || m.spare4 != 0 {
            return Err(w.inconsistent("spare bits are set past the end of an 88-bit message"));
        }
        return Ok(());
    };
    w.u("spare2", m.spare2, 2)?;
    interrogation_request(w, request1_2)?;
    w.u("spare3", m.spare3, 2)?;
    let Some((dest2_mmsi, request2)) = &m.dest2 else {
        if m.spare4 != 0 {
            return Err(w.inconsistent("spare4 is set but the message has no second station"));
        }
        // 110 bits, padded to the byte boundary.
        w.pad_to_byte();
        return Ok(());
    };
    w.u("dest2_mmsi", *dest2_mmsi, 30)?;
    interrogation_request(w, request2)?;
    w.u("spare4", m.spare4, 2)
}

/// Message 16 (Annex 8 §3.14): 96 bits (one station) or 144 (two stations).
fn assignment_mode_command(w: &mut Writer, m: &AssignmentModeCommand) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 2)?;
    w.u("a.dest_mmsi", m.a.dest_mmsi, 30)?;
    w.u("a.offset", m.a.offset, 12)?;
    w.u("a.increment", m.a.increment, 10)?;
    if let Some(b) = &m.b {
        w.u("b.dest_mmsi", b.dest_mmsi, 30)?;
        w.u("b.offset", b.offset, 12)?;
        w.u("b.increment", b.increment, 10)?;
    }
    if m.b.is_none() {
        w.u("spare2", m.spare2, 4)
    } else if m.spare2 != 0 {
        Err(w.inconsistent("spare2 exists only when station B is absent"))
    } else {
        Ok(())
    }
}

/// Message 17 (Annex 8 §3.15): 80 bits and the correction data.
fn dgnss_broadcast(w: &mut Writer, m: &DgnssBroadcast) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 2)?;
    w.position_x10(m.lon_min_x10, m.lat_min_x10)?;
    w.u("spare2", m.spare2, 5)?;
    w.data("data", &m.data)
}

/// Message 18 (Annex 8 §3.16): 168 bits.
fn class_b_position(w: &mut Writer, m: &ClassBPosition) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 8)?;
    w.opt_u("speed_knots_x10", m.speed_knots_x10, SPEED_NOT_AVAILABLE_KNOTS_X10.into(), 10)?;
    w.flag(m.accuracy);
    w.position_x10000(m.lon_min_x10000, m.lat_min_x10000)?;
    w.opt_u("course_deg_x10", m.course_deg_x10, COURSE_NOT_AVAILABLE_DEG_X10.into(), 12)?;
    w.opt_u("heading_deg", m.heading_deg, HEADING_NOT_AVAILABLE_DEG.into(), 9)?;
    w.opt_u("utc_second", m.utc_second, SECOND_NOT_AVAILABLE.into(), 6)?;
    w.u("spare2", m.spare2, 2)?;
    for flag in [m.carrier_sense, m.display, m.dsc, m.band, m.msg22, m.assigned, m.raim] {
        w.flag(flag);
    }
    w.u("radio", m.radio, 20)
}

/// Message 19 (Annex 8 §3.17): 312 bits.
fn class_b_extended_position(w: &mut Writer, m: &ClassBExtendedPosition) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 8)?;
    w.opt_u("speed_knots_x10", m.speed_knots_x10, SPEED_NOT_AVAILABLE_KNOTS_X10.into(), 10)?;
    w.flag(m.accuracy);
    w.position_x10000(m.lon_min_x10000, m.lat_min_x10000)?;
    w.opt_u("course_deg_x10", m.course_deg_x10, COURSE_NOT_AVAILABLE_DEG_X10.into(), 12)?;
    w.opt_u("heading_deg", m.heading_deg, HEADING_NOT_AVAILABLE_DEG.into(), 9)?;
    w.opt_u("utc_second", m.utc_second, SECOND_NOT_AVAILABLE.into(), 6)?;
    w.u("spare2", m.spare2, 4)?;
    w.text(&m.ship_name, 20);
    w.u("ship_type", m.ship_type, 8)?;
    w.dimensions(&m.dimensions)?;
    w.u("epfd", m.epfd, 4)?;
    w.flag(m.raim);
    w.flag(m.dte);
    w.flag(m.assigned);
    w.u("spare3", m.spare3, 4)
}

/// Message 20 (Annex 8 §3.18): 72, 104, 136 or 160 bits.
fn data_link_management(w: &mut Writer, m: &DataLinkManagement) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare", m.spare, 2)?;
    let present = m.reservations.iter().take_while(|r| r.is_some()).count();
    if present == 0 {
        return Err(w.inconsistent("the first reservation is missing"));
    }
    if m.reservations.iter().skip(present).any(Option::is_some) {
        return Err(w.inconsistent("a reservation follows a missing one"));
    }
    for r in m.reservations.iter().flatten() {
        w.u("reservations.offset", r.offset, 12)?;
        w.u("reservations.number", r.number, 4)?;
        w.u("reservations.timeout_min", r.timeout_min, 3)?;
        w.u("reservations.increment", r.increment, 11)?;
    }
    w.pad_to_byte();
    Ok(())
}

/// Message 21 (Annex 8 §3.19): 272 bits and the name extension.
fn aid_to_navigation(w: &mut Writer, m: &AidToNavigationReport) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("aid_type", m.aid_type, 5)?;
    w.text(&m.name, 20);
    w.flag(m.accuracy);
    w.position_x10000(m.lon_min_x10000, m.lat_min_x10000)?;
    w.dimensions(&m.dimensions)?;
    w.u("epfd", m.epfd, 4)?;
    w.opt_u("utc_second", m.utc_second, SECOND_NOT_AVAILABLE.into(), 6)?;
    w.flag(m.off_position);
    w.u("aton_status", m.aton_status, 8)?;
    w.flag(m.raim);
    w.flag(m.virtual_aid);
    w.flag(m.assigned);
    w.flag(m.spare);
    w.variable_text(&m.name_extension);
    Ok(())
}

/// Message 22 (Annex 8 §3.20): 168 bits.
fn channel_management(w: &mut Writer, m: &ChannelManagement) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 2)?;
    w.u("channel_a", m.channel_a, 12)?;
    w.u("channel_b", m.channel_b, 12)?;
    w.u("txrx_mode", m.txrx_mode, 4)?;
    w.flag(m.power_low);
    let addressed = match m.target {
        ChannelManagementTarget::Area {
            ne_lon_min_x10,
            ne_lat_min_x10,
            sw_lon_min_x10,
            sw_lat_min_x10,
        } => {
            w.i("target.ne_lon_min_x10", ne_lon_min_x10, 18)?;
            w.i("target.ne_lat_min_x10", ne_lat_min_x10, 17)?;
            w.i("target.sw_lon_min_x10", sw_lon_min_x10, 18)?;
            w.i("target.sw_lat_min_x10", sw_lat_min_x10, 17)?;
            false
        }
        ChannelManagementTarget::Addressed { dest1_mmsi, spare1, dest2_mmsi, spare2 } => {
            w.u("target.dest1_mmsi", dest1_mmsi, 30)?;
            w.u("target.spare1", spare1, 5)?;
            w.u("target.dest2_mmsi", dest2_mmsi, 30)?;
            w.u("target.spare2", spare2, 5)?;
            true
        }
    };
    w.flag(addressed);
    w.flag(m.band_a);
    w.flag(m.band_b);
    w.u("zone_size", m.zone_size, 3)?;
    w.u("spare2", m.spare2, 23)
}

/// Message 23 (Annex 8 §3.21): 160 bits.
fn group_assignment(w: &mut Writer, m: &GroupAssignmentCommand) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.u("spare1", m.spare1, 2)?;
    w.i("ne_lon_min_x10", m.ne_lon_min_x10, 18)?;
    w.i("ne_lat_min_x10", m.ne_lat_min_x10, 17)?;
    w.i("sw_lon_min_x10", m.sw_lon_min_x10, 18)?;
    w.i("sw_lat_min_x10", m.sw_lat_min_x10, 17)?;
    w.u("station_type", m.station_type, 4)?;
    w.u("ship_type", m.ship_type, 8)?;
    w.u("spare2", m.spare2, 22)?;
    w.u("txrx_mode", m.txrx_mode, 2)?;
    w.u("interval", m.interval, 4)?;
    w.u("quiet_min", m.quiet_min, 4)?;
    w.u("spare3", m.spare3, 6)
}

/// Message 24 part A (Annex 8 §3.22): 160 bits, or 168 with the trailing spare.
fn static_data_a(w: &mut Writer, m: &StaticDataReportA) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.raw(0, 2);
    w.text(&m.ship_name, 20);
    if let Some(spare) = m.spare {
        w.u("spare", spare, 8)?;
    }
    Ok(())
}

/// Message 24 part B (Annex 8 §3.22): 168 bits.
fn static_data_b(w: &mut Writer, m: &StaticDataReportB) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.raw(1, 2);
    w.u("ship_type", m.ship_type, 8)?;
    w.text(&m.vendor_id, 3);
    w.u("unit_model", m.unit_model, 4)?;
    w.u("serial_number", m.serial_number, 20)?;
    w.text(&m.call_sign, 7);
    let auxiliary = m.mmsi / AUXILIARY_CRAFT_MMSI_DIVISOR == AUXILIARY_CRAFT_MMSI_PREFIX;
    match &m.reference {
        ReferenceOrMothership::Dimensions(d) if !auxiliary => w.dimensions(d)?,
        ReferenceOrMothership::Mothership { mmsi } if auxiliary => {
            w.u("reference.mmsi", *mmsi, 30)?;
        }
        ReferenceOrMothership::Dimensions(_) => {
            return Err(w.inconsistent(
                "an auxiliary craft (MMSI 98MIDxxxx) reports its mother ship, not dimensions",
            ));
        }
        ReferenceOrMothership::Mothership { .. } => {
            return Err(
                w.inconsistent("only an auxiliary craft (MMSI 98MIDxxxx) reports a mother ship")
            );
        }
    }
    w.u("epfd", m.epfd, 4)?;
    w.u("spare", m.spare, 2)
}

/// Destination indicator, binary data flag, destination and application identifier of
/// messages 25 and 26 (Annex 8 §3.23, §3.24).
fn slot_binary_head(w: &mut Writer, dest_mmsi: Option<u32>, app_id: Option<u16>) -> Res {
    w.flag(dest_mmsi.is_some());
    w.flag(app_id.is_some());
    if let Some(dest) = dest_mmsi {
        w.u("dest_mmsi", dest, 30)?;
    }
    if let Some(app_id) = app_id {
        w.u("app_id", app_id, 16)?;
    }
    Ok(())
}

/// Message 25 (Annex 8 §3.23).
fn single_slot_binary(w: &mut Writer, m: &SingleSlotBinary) -> Res {
    w.header(m.repeat, m.mmsi)?;
    slot_binary_head(w, m.dest_mmsi, m.app_id)?;
    w.data("data", &m.data)
}

/// Message 26 (Annex 8 §3.24).
fn multiple_slot_binary(w: &mut Writer, m: &MultipleSlotBinary) -> Res {
    w.header(m.repeat, m.mmsi)?;
    slot_binary_head(w, m.dest_mmsi, m.app_id)?;
    w.data("data", &m.data)?;
    w.u("radio", m.radio, 20)
}

/// Message 27 (Annex 8 §3.25): 96 bits.
fn long_range_broadcast(w: &mut Writer, m: &LongRangeBroadcast) -> Res {
    w.header(m.repeat, m.mmsi)?;
    w.flag(m.accuracy);
    w.flag(m.raim);
    w.u("nav_status", m.nav_status, 4)?;
    w.position_x10(m.lon_min_x10, m.lat_min_x10)?;
    w.opt_u("speed_knots", m.speed_knots, LONG_RANGE_SPEED_NOT_AVAILABLE_KNOTS, 6)?;
    w.opt_u("course_deg", m.course_deg, LONG_RANGE_COURSE_NOT_AVAILABLE_DEG, 9)?;
    w.flag(m.not_gnss_position);
    w.flag(m.spare);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::bits::Payload;
    use crate::message::{Acknowledgement, SlotReservation};

    fn round_trip(m: &AisMessage) -> usize {
        let e = encode(m).unwrap();
        // The buffer writer appends the same payload and fill bits.
        let mut bytes = b"kept".to_vec();
        assert_eq!(encode_to(m, &mut bytes).unwrap(), e.fill_bits);
        assert_eq!(&bytes[4..], e.payload.as_bytes());
        let p = Payload::from_armored(e.payload.as_bytes(), e.fill_bits).unwrap();
        assert_eq!(&crate::decode(&p).unwrap(), m);
        e.len_bits
    }

    fn safety(chars: usize) -> AisMessage {
        AisMessage::AddressedSafety(Box::new(AddressedSafety {
            repeat: 0,
            mmsi: 1,
            seq: 1,
            dest_mmsi: 2,
            retransmit: false,
            spare: false,
            text: AisText::from_str_lossy(&"A".repeat(chars)),
        }))
    }

    #[test]
    fn variable_text_pads_to_a_byte_only_below_six_bits() {
        // 72 + 6n bits: pads of 0, 2, 4 bits are written; a pad of 6 would read as a '@'.
        assert_eq!(round_trip(&safety(0)), 72);
        assert_eq!(round_trip(&safety(1)), 80);
        assert_eq!(round_trip(&safety(2)), 88);
        assert_eq!(round_trip(&safety(3)), 90);
        assert_eq!(round_trip(&safety(4)), 96);
    }

    #[test]
    fn interrogation_forms() {
        let request = InterrogationRequest { msg_type: 5, slot_offset: 0 };
        let one = Interrogation {
            repeat: 0,
            mmsi: 1,
            spare1: 0,
            dest1_mmsi: 2,
            request1_1: request,
            spare2: 0,
            request1_2: None,
            spare3: 0,
            dest2: None,
            spare4: 0,
        };
        assert_eq!(round_trip(&AisMessage::Interrogation(one)), 88);
        let two = Interrogation { request1_2: Some(request), spare3: 1, ..one };
        assert_eq!(round_trip(&AisMessage::Interrogation(two)), 112);
        let stations = Interrogation { dest2: Some((3, request)), spare4: 2, ..two };
        assert_eq!(round_trip(&AisMessage::Interrogation(stations)), 160);
        let hole = Interrogation { dest2: Some((3, request)), ..one };
        assert_eq!(encode(&AisMessage::Interrogation(hole)).unwrap_err().kind(), "inconsistent");
        let lost_spare = Interrogation { spare2: 1, ..one };
        assert_eq!(
            encode(&AisMessage::Interrogation(lost_spare)).unwrap_err().kind(),
            "inconsistent"
        );
    }

    #[test]
    fn lists_must_not_have_holes() {
        let ack = Some(Acknowledgement { mmsi: 5, seq: 1 });
        let m = |acks| {
            AisMessage::BinaryAcknowledge(BinaryAcknowledge {
                msg_type: 13,
                repeat: 0,
                mmsi: 1,
                spare: 0,
                acks,
            })
        };
        assert_eq!(round_trip(&m([ack, ack, None, None])), 104);
        assert_eq!(encode(&m([ack, None, ack, None])).unwrap_err().kind(), "inconsistent");
        assert_eq!(encode(&m([None; 4])).unwrap_err().kind(), "inconsistent");

        let r = Some(SlotReservation { offset: 1, number: 2, timeout_min: 3, increment: 4 });
        let d = |reservations| {
            AisMessage::DataLinkManagement(Box::new(DataLinkManagement {
                repeat: 0,
                mmsi: 1,
                spare: 0,
                reservations,
            }))
        };
        assert_eq!(round_trip(&d([r, r, r, None])), 136);
        assert_eq!(encode(&d([r, None, r, None])).unwrap_err().kind(), "inconsistent");
    }

    fn broadcast(data: BinaryData) -> AisMessage {
        AisMessage::BinaryBroadcast(Box::new(BinaryBroadcast {
            repeat: 0,
            mmsi: 1,
            spare: 0,
            dac: 200,
            fid: 40,
            data,
            app: None,
        }))
    }

    #[test]
    fn binary_data_is_checked_and_bounded() {
        let short = BinaryData { bytes: vec![0xff].into_boxed_slice(), len_bits: 9 };
        assert_eq!(
            encode(&broadcast(short)).unwrap_err(),
            EncodeError::BinaryDataShort { msg_type: 8, field: "data", len_bits: 9, bytes: 1 }
        );
        let bits = PAYLOAD_BITS_MAX - 56 + 1;
        let long = BinaryData {
            bytes: vec![0xa5; bits.div_ceil(8)].into_boxed_slice(),
            len_bits: bits as u16,
        };
        assert_eq!(
            encode(&broadcast(long)).unwrap_err(),
            EncodeError::TooLong { msg_type: 8, len_bits: PAYLOAD_BITS_MAX + 1, max_bits: 2048 }
        );
        // Data is written bit for bit, without padding: 56 + 13 bits.
        let odd = BinaryData { bytes: vec![0xab, 0xc8].into_boxed_slice(), len_bits: 13 };
        assert_eq!(encode(&broadcast(odd)).unwrap().len_bits, 69);
    }

    #[test]
    fn assignment_spare_exists_only_with_one_station() {
        let a = crate::message::Assignment { dest_mmsi: 7, offset: 10, increment: 20 };
        let one = AssignmentModeCommand { repeat: 0, mmsi: 1, spare1: 0, a, b: None, spare2: 9 };
        assert_eq!(round_trip(&AisMessage::AssignmentModeCommand(one)), 96);
        let two = AssignmentModeCommand { b: Some(a), spare2: 0, ..one };
        assert_eq!(round_trip(&AisMessage::AssignmentModeCommand(two)), 144);
        let lost = AssignmentModeCommand { spare2: 1, ..two };
        assert_eq!(
            encode(&AisMessage::AssignmentModeCommand(lost)).unwrap_err().kind(),
            "inconsistent"
        );
    }
}
