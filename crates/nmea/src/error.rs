//! The typed faults of line framing ([`FrameError`]).
//!
//! Every way a line can fail to frame is one variant carrying the facts needed to explain it,
//! and [`FrameError::kind`] gives a stable short name so a stream decoder can count faults by
//! kind without formatting strings. This module only names faults; it does not decide policy
//! (whether a fault is fatal, logged or counted is the caller's choice).

use thiserror::Error;

/// Why one line (or one sentence within a line) could not be framed.
///
/// Checksum faults are reported before field faults: a sentence whose checksum does not match
/// is corrupt, and whatever field looks wrong in it is a symptom, not the cause.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The line is longer than [`crate::MAX_LINE_BYTES`].
    #[error("line of {len} bytes exceeds the {max}-byte limit")]
    LineTooLong {
        /// Length of the line in bytes.
        len: usize,
        /// The limit it exceeded.
        max: usize,
    },
    /// The line is neither an NMEA sentence, a tag block, a comment nor blank.
    #[error("line is not an NMEA sentence, tag block or comment")]
    UnrecognizedLine,
    /// A `VDM`/`VDO` sentence without a `*` checksum delimiter (usually a truncated line).
    #[error("sentence has no '*' checksum delimiter")]
    MissingChecksum,
    /// The `*` is not followed by two hexadecimal digits.
    #[error("checksum after '*' is not two hexadecimal digits")]
    MalformedChecksum,
    /// The checksum written in the sentence does not match its bytes (strict mode only).
    #[error("checksum mismatch: computed {expected:02X}, sentence says {found:02X}")]
    BadChecksum {
        /// The XOR of the bytes between `!` and `*`.
        expected: u8,
        /// The value written after `*`.
        found: u8,
    },
    /// The talker identifier (the two bytes after `!`) is not printable ASCII.
    #[error("talker identifier is not two printable ASCII characters")]
    BadTalker,
    /// Fewer than the six data fields a `VDM`/`VDO` sentence has.
    #[error("sentence has {found} data fields, VDM/VDO needs 6")]
    TooFewFields {
        /// Number of comma-separated fields after the address.
        found: usize,
    },
    /// More than the six data fields a `VDM`/`VDO` sentence has.
    #[error("sentence has more than the 6 data fields of VDM/VDO")]
    TooManyFields,
    /// The fragment count is not a number from 1 to [`crate::MAX_FRAGMENTS`].
    #[error("fragment count is not a number from 1 to {max}", max = crate::MAX_FRAGMENTS)]
    BadFragmentCount,
    /// The fragment number is not a number from 1 to the fragment count.
    #[error("fragment number {number} is not within 1..={count}")]
    BadFragmentNumber {
        /// The fragment number as written (0 when it is not a number).
        number: u8,
        /// The fragment count of the sentence.
        count: u8,
    },
    /// The sequential message identifier is neither empty nor a number from 0 to 99.
    #[error("sequential message id is not empty or a number 0..=99")]
    BadSequenceId,
    /// The radio channel is neither empty nor one letter or digit.
    #[error("radio channel is not empty or one letter or digit")]
    BadChannel,
    /// The payload field is empty.
    #[error("payload field is empty")]
    EmptyPayload,
    /// A payload byte is outside the six-bit armoring alphabet (`0`..=`W`, `` ` ``..=`w`).
    #[error("payload byte 0x{byte:02X} at offset {offset} is not six-bit armor")]
    BadPayloadChar {
        /// Offset of the byte within the payload field.
        offset: usize,
        /// The offending byte.
        byte: u8,
    },
    /// The fill-bit field is not one digit from 0 to 5.
    #[error("fill-bit field is not a digit 0..=5")]
    BadFillBits,
    /// A tag block opened with `\` is never closed.
    #[error("tag block has no closing '\\'")]
    UnterminatedTagBlock,
    /// A tag-block field that the framing relies on is malformed.
    #[error("tag block field '{key}': {reason}")]
    BadTagBlock {
        /// The field's key letter (`'?'` when the fault is not in one field).
        key: char,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The tag block has no `*hh` checksum, or its checksum is not two hexadecimal digits
    /// (strict mode only).
    #[error("tag block has no two-digit '*hh' checksum")]
    MissingTagBlockChecksum,
    /// The tag block's checksum does not match its bytes (strict mode only).
    #[error("tag block checksum mismatch: computed {expected:02X}, tag block says {found:02X}")]
    TagBlockChecksum {
        /// The XOR of the bytes between `\` and `*`.
        expected: u8,
        /// The value written after `*`.
        found: u8,
    },
    /// A tag block or `$PGHP` header is not valid UTF-8 (NMEA text is ASCII).
    #[error("tag block or $PGHP header is not valid UTF-8")]
    NotUtf8,
    /// A Gatehouse `$PGHP` header is malformed.
    #[error("Gatehouse $PGHP header field '{field}' is malformed")]
    BadPghp {
        /// Name of the malformed field.
        field: &'static str,
    },
}

impl FrameError {
    /// A stable short `snake_case` name of the fault, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            FrameError::LineTooLong { .. } => "line_too_long",
            FrameError::UnrecognizedLine => "unrecognized_line",
            FrameError::MissingChecksum => "missing_checksum",
            FrameError::MalformedChecksum => "malformed_checksum",
            FrameError::BadChecksum { .. } => "bad_checksum",
            FrameError::BadTalker => "bad_talker",
            FrameError::TooFewFields { .. } => "too_few_fields",
            FrameError::TooManyFields => "too_many_fields",
            FrameError::BadFragmentCount => "bad_fragment_count",
            FrameError::BadFragmentNumber { .. } => "bad_fragment_number",
            FrameError::BadSequenceId => "bad_sequence_id",
            FrameError::BadChannel => "bad_channel",
            FrameError::EmptyPayload => "empty_payload",
            FrameError::BadPayloadChar { .. } => "bad_payload_char",
            FrameError::BadFillBits => "bad_fill_bits",
            FrameError::UnterminatedTagBlock => "unterminated_tag_block",
            FrameError::BadTagBlock { .. } => "bad_tag_block",
            FrameError::MissingTagBlockChecksum => "missing_tag_block_checksum",
            FrameError::TagBlockChecksum { .. } => "tag_block_checksum",
            FrameError::NotUtf8 => "not_utf8",
            FrameError::BadPghp { .. } => "bad_pghp",
        }
    }
}
