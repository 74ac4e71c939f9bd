//! Payload to [`AisMessage`]: reads the message type and hands the bits to the decoder of that
//! message (one per file in [`crate::message`]).
//!
//! Length policy, following what robust decoders (gpsd foremost) accept from real feeds: every
//! message needs the bits of its fixed part; longer messages decode and the extra bits are
//! ignored; a few well-known short forms are accepted (message 1-3 from 163 bits, message 5 from
//! 420 bits, variable-length messages 7, 13, 15, 16, 20 with their optional parts absent). Short
//! payloads never read as zeros silently: they are [`DecodeError::TooShort`].
//!
//! Decoding never panics and allocates only for the boxed message kinds (binary data, text
//! messages and the rarer station messages); messages 1-5, 18, 19, 24 and 27 are built on the
//! stack.

use crate::bits::Payload;
use crate::message::{self, AisMessage};

/// Bits every message has: type (6), repeat indicator (2) and MMSI (30).
pub const HEADER_BITS: usize = 38;

/// Why a payload is not a decodable AIS message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer than 6 bits: not even a message type.
    #[error("payload of {bits} bits holds no message type")]
    Empty {
        /// Bits in the payload.
        bits: usize,
    },
    /// Message type 0 or 28-63, which ITU-R M.1371-5 does not define.
    #[error("message type {msg_type} is not defined by ITU-R M.1371-5")]
    UnknownType {
        /// The 6-bit message type.
        msg_type: u8,
    },
    /// The payload is shorter than the message type needs.
    #[error("message type {msg_type} needs at least {needed_bits} bits, payload has {bits}")]
    TooShort {
        /// The message type.
        msg_type: u8,
        /// Bits in the payload.
        bits: usize,
        /// Bits the message needs.
        needed_bits: usize,
    },
    /// Message 24 with part number 2 or 3 (only 0 = part A and 1 = part B exist).
    #[error("message 24 part number {part} is not defined (0 = part A, 1 = part B)")]
    InvalidPartNumber {
        /// The 2-bit part number.
        part: u8,
    },
}

impl DecodeError {
    /// A stable snake_case name for the kind of error, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Empty { .. } => "empty",
            Self::UnknownType { .. } => "unknown_type",
            Self::TooShort { .. } => "too_short",
            Self::InvalidPartNumber { .. } => "invalid_part_number",
        }
    }
}

/// Decodes one AIS message from its unpacked payload.
pub fn decode(payload: &Payload) -> Result<AisMessage, DecodeError> {
    let bits = payload.len_bits();
    if bits < 6 {
        return Err(DecodeError::Empty { bits });
    }
    let msg_type = payload.u(0, 6) as u8;
    if msg_type == 0 || msg_type > 27 {
        return Err(DecodeError::UnknownType { msg_type });
    }
    if bits < HEADER_BITS {
        return Err(DecodeError::TooShort { msg_type, bits, needed_bits: HEADER_BITS });
    }
    let p = payload;
    Ok(match msg_type {
        1..=3 => AisMessage::PositionReport(message::decode_1_3(p, msg_type)?),
        4 | 11 => AisMessage::BaseStationReport(message::decode_4_11(p, msg_type)?),
        5 => AisMessage::StaticVoyageData(message::decode_5(p)?),
        6 => AisMessage::AddressedBinary(Box::new(message::decode_6(p)?)),
        7 | 13 => AisMessage::BinaryAcknowledge(message::decode_7_13(p, msg_type)?),
        8 => AisMessage::BinaryBroadcast(Box::new(message::decode_8(p)?)),
        9 => AisMessage::SarAircraftPosition(message::decode_9(p)?),
        10 => AisMessage::UtcDateInquiry(message::decode_10(p)?),
        12 => AisMessage::AddressedSafety(Box::new(message::decode_12(p)?)),
        14 => AisMessage::SafetyBroadcast(Box::new(message::decode_14(p)?)),
        15 => AisMessage::Interrogation(message::decode_15(p)?),
        16 => AisMessage::AssignmentModeCommand(message::decode_16(p)?),
        17 => AisMessage::DgnssBroadcast(Box::new(message::decode_17(p)?)),
        18 => AisMessage::ClassBPosition(message::decode_18(p)?),
        19 => AisMessage::ClassBExtendedPosition(message::decode_19(p)?),
        20 => AisMessage::DataLinkManagement(Box::new(message::decode_20(p)?)),
        21 => AisMessage::AidToNavigationReport(Box::new(message::decode_21(p)?)),
        22 => AisMessage::ChannelManagement(Box::new(message::decode_22(p)?)),
        23 => AisMessage::GroupAssignmentCommand(Box::new(message::decode_23(p)?)),
        24 => AisMessage::StaticDataReport(message::decode_24(p)?),
        25 => AisMessage::SingleSlotBinary(Box::new(message::decode_25(p)?)),
        26 => AisMessage::MultipleSlotBinary(Box::new(message::decode_26(p)?)),
        _ => AisMessage::LongRangeBroadcast(message::decode_27(p)?),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::message::*;

    /// The enum stays small enough to pass around by value in the hot path.
    #[test]
    fn message_sizes() {
        let sizes = [
            ("AisMessage", size_of::<AisMessage>()),
            ("PositionReport", size_of::<PositionReport>()),
            ("StaticVoyageData", size_of::<StaticVoyageData>()),
            ("ClassBExtendedPosition", size_of::<ClassBExtendedPosition>()),
            ("StaticDataReport", size_of::<StaticDataReport>()),
        ];
        eprintln!("{sizes:?}");
        assert!(size_of::<AisMessage>() <= 96, "{sizes:?}");
    }

    #[test]
    fn errors_carry_context_and_kind() {
        let cases: [(&[u8], u8, DecodeError); 5] = [
            (b"", 0, DecodeError::Empty { bits: 0 }),
            (b"0", 0, DecodeError::UnknownType { msg_type: 0 }),
            (b"T", 0, DecodeError::UnknownType { msg_type: 36 }),
            (b"15RTgt", 0, DecodeError::TooShort { msg_type: 1, bits: 36, needed_bits: 38 }),
            (
                b"15RTgt0PAso;90TKcjM8h6g208C",
                0,
                DecodeError::TooShort { msg_type: 1, bits: 162, needed_bits: 163 },
            ),
        ];
        for (armored, fill, want) in cases {
            let p = Payload::from_armored(armored, fill).unwrap();
            assert_eq!(decode(&p).unwrap_err(), want);
        }
        // Message 24 with part number 2.
        let mut w = crate::bits::BitWriter::new();
        w.u(24, 6);
        w.u(0, 32);
        w.u(2, 2);
        w.u(0, 64);
        w.u(0, 64);
        let (armored, fill) = w.armor();
        let err = decode(&Payload::from_armored(armored.as_bytes(), fill).unwrap()).unwrap_err();
        assert_eq!(err, DecodeError::InvalidPartNumber { part: 2 });
        assert_eq!(err.kind(), "invalid_part_number");
        assert_eq!(
            DecodeError::TooShort { msg_type: 1, bits: 1, needed_bits: 2 }.kind(),
            "too_short"
        );
        assert_eq!(
            DecodeError::TooShort { msg_type: 5, bits: 400, needed_bits: 420 }.to_string(),
            "message type 5 needs at least 420 bits, payload has 400"
        );
    }
}
