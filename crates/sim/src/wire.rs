//! Records to wire bytes: AIS messages as `!AIVDM` sentences behind NMEA 4.10 tag blocks,
//! encoded with `kuroshio-ais` and framed with `kuroshio-nmea`'s writer; sensor tracks as
//! lines of [`crate::track_format`]; ADS-B frames as Beast binary with Radarcape GPS
//! time-of-day time stamps (`kuroshio-adsb`'s `encode`), what `kuroshio replay
//! --beast-clock gps --beast-date <date of the first frame>` reads.
//!
//! Every AIS sentence carries a tag block with `s:` (the receiving station) and `c:` (the
//! receive time, whole Unix seconds). Messages longer than one sentence (message 5) also get a
//! sequential message id (0–9, cycling) and a tag-block group `g:` (cycling 1–9999) so that
//! readers can join the fragments by group.

use kuroshio_adsb::encode::{gps_timestamp, write_beast_long};
use kuroshio_ais::EncodeError;
use kuroshio_ais::encode::encode_to;
use kuroshio_nmea::writer::{
    FRAGMENT_PAYLOAD_CHARS_MAX, SentenceOptions, TagBlockOut, WriteError, write_sentences,
    write_sentences_bytes,
};
use thiserror::Error;

use crate::generator::{AisReport, Record};

/// Largest tag-block group id used before wrapping round: four digits keep the tag blocks
/// short, and no reader keeps 9,999 groups pending.
pub const GROUP_ID_MAX: u32 = 9999;

/// Why a record could not be written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum WireError {
    /// The AIS message could not be encoded.
    #[error("encoding AIS message: {0}")]
    Encode(#[from] EncodeError),
    /// The sentences could not be framed.
    #[error("framing AIS sentences: {0}")]
    Frame(#[from] WriteError),
}

/// Writes AIS reports as sentences, numbering multi-sentence messages.
#[derive(Debug, Default)]
pub struct AisWriter {
    sequence_id: u8,
    group_id: u32,
    /// The options of the report being written, kept from one report to the next so that the
    /// tag block's source string is reused rather than allocated per report.
    opts: SentenceOptions,
    /// The armored payload of the report being written; reused, at most
    /// `kuroshio_ais::bits::PAYLOAD_BITS_MAX / 6` characters.
    payload: Vec<u8>,
}

impl AisWriter {
    /// A writer whose first multi-sentence message gets sequence id 0 and group 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the sentences of one report to `out` and returns how many were written.
    pub fn write(&mut self, report: &AisReport, out: &mut String) -> Result<u8, WireError> {
        let fill_bits = self.prepare(report)?;
        // Armored payloads are ASCII, so this borrows without copying.
        let payload = String::from_utf8_lossy(&self.payload);
        Ok(write_sentences(&payload, fill_bits, &self.opts, out)?)
    }

    /// [`AisWriter::write`] appending to a byte buffer: the same sentences, without an
    /// intermediate `String`.
    pub fn write_bytes(&mut self, report: &AisReport, out: &mut Vec<u8>) -> Result<u8, WireError> {
        let fill_bits = self.prepare(report)?;
        Ok(write_sentences_bytes(&self.payload, fill_bits, &self.opts, out)?)
    }

    /// Encodes the report's message into `self.payload`, numbers it and fills in `self.opts`;
    /// returns the fill bits.
    fn prepare(&mut self, report: &AisReport) -> Result<u8, WireError> {
        self.payload.clear();
        let fill_bits = encode_to(&report.message, &mut self.payload)?;
        let multi = self.payload.len() > FRAGMENT_PAYLOAD_CHARS_MAX;
        let unix_time_s = u64::try_from(report.time.unix_millis().div_euclid(1000)).unwrap_or(0);
        let (sequence_id, group_id) = if multi {
            let s = self.sequence_id;
            self.sequence_id = (self.sequence_id + 1) % 10;
            self.group_id = self.group_id % GROUP_ID_MAX + 1;
            (Some(s), Some(self.group_id))
        } else {
            (None, None)
        };
        let tags = self.opts.tag_block.get_or_insert_with(TagBlockOut::default);
        match &mut tags.source {
            Some(source) if source == report.station => {}
            Some(source) => {
                source.clear();
                source.push_str(report.station);
            }
            None => tags.source = Some(report.station.to_owned()),
        }
        tags.unix_time_s = Some(unix_time_s);
        tags.group_id = group_id;
        self.opts.talker = *b"AI";
        self.opts.own_ship = false;
        self.opts.channel = Some(report.channel);
        self.opts.sequence_id = sequence_id;
        Ok(fill_bits)
    }
}

/// Where one record's bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stream {
    /// `ais.nmea` (text).
    Ais,
    /// `tracks.ndjson` (text).
    Tracks,
    /// `adsb.beast` (binary).
    Beast,
}

/// Appends `record`'s wire bytes to `out` and says which stream they belong to; the number is
/// the sentences, lines or frames written. AIS and track records are UTF-8 text, ADS-B
/// records Beast binary.
pub fn write_record(
    record: &Record,
    ais: &mut AisWriter,
    out: &mut Vec<u8>,
) -> Result<(Stream, u8), WireError> {
    match record {
        Record::Ais(r) => Ok((Stream::Ais, ais.write_bytes(r, out)?)),
        Record::Track(p) => {
            p.write_line_bytes(out);
            Ok((Stream::Tracks, 1))
        }
        Record::Adsb(f) => {
            write_beast_long(gps_timestamp(f.time), f.signal, &f.frame, out);
            Ok((Stream::Beast, 1))
        }
    }
}
