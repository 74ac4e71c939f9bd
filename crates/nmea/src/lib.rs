//! Sans-IO NMEA 0183 framing for AIS feeds.
//!
//! This crate turns the bytes of one line of an AIS feed into a structured sentence and joins
//! the fragments of multi-sentence messages into one armored payload, ready for the AIS
//! payload decoder in `kuroshio-ais`. [`parse_line`] recognises `!xxVDM` and `!xxVDO`
//! sentences with any talker, validates the XOR checksum (a mismatch is a typed, countable
//! error, or in lenient mode a flag on the sentence), reads the NMEA 4.10 tag block in front
//! (`s:`, `c:`, `d:`, `g:`, `n:`, `r:`, `t:`, plus the ORBCOMM `q:` and `T:`) with its own
//! checksum, and understands the wrappers real feeds carry: Gatehouse `$PGHP` header lines,
//! USCG-style receiver fields and epoch stamps after the checksum (seconds or exactEarth's
//! milliseconds), a leading epoch prefix, CRLF endings, blank lines, `#` comments, other
//! NMEA sentences mixed in (`$GPGGA`, `$AIALR`, `!AIPWR`, …, returned as skipped), and two
//! sentences run together on one line ([`Sentence::continuation`], [`parse_all`]). Every
//! fault is a [`FrameError`] variant with a stable [`FrameError::kind`] name for counting.
//! Framing is one short pass over the line with no allocation; the result borrows from the
//! line. [`Reassembler`] then joins fragments keyed by station, talker, channel, sequence id
//! and fragment count (or by tag-block group id), so interleaved multi-part messages from
//! several stations come out right; single-fragment sentences pass through without a copy.
//! Its buffers are bounded by named constants, and every group that does not complete —
//! broken, evicted by age or capacity, or left open at end of input — is reported.
//!
//! What it deliberately does not do: it performs no I/O (no files, sockets, clocks or
//! threads; the caller splits the byte stream into lines and feeds them in, and age is
//! counted in sentences, not seconds), it does not decode payloads (six-bit bit counts and
//! message types are `kuroshio-ais`'s business), it does not carry state between lines
//! except inside the [`Reassembler`] (a `$PGHP` header or a stand-alone tag block is returned
//! for the caller to apply to the next sentence), and it does not validate non-AIS
//! sentences. Writing sentences, the inverse direction, is the separate [`writer`] module.
//!
//! ```
//! use kuroshio_nmea::{Line, ParseOptions, Reassembler, parse_line};
//!
//! let mut reassembler = Reassembler::default();
//! let line = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n";
//! let Ok(Line::Sentence(sentence)) = parse_line(line, &ParseOptions::default()) else {
//!     panic!("frames");
//! };
//! let message = reassembler.push(&sentence).unwrap().unwrap();
//! assert_eq!(message.payload, b"15RTgt0PAso;90TKcjM8h6g208CQ");
//! ```

mod error;
mod line;
mod num;
mod reassembly;
mod tag_block;
mod wrapper;
pub mod writer;

pub use error::FrameError;
pub use line::{
    Line, MAX_FRAGMENTS, MAX_LINE_BYTES, ParseAll, ParseOptions, Sentence, Skipped, parse_all,
    parse_line,
};
pub use reassembly::{
    Assembled, IncompleteGroup, IncompleteReason, MAX_ASSEMBLED_PAYLOAD_CHARS,
    MAX_EVICTION_REPORTS, MAX_GROUP_AGE_SENTENCES, MAX_PENDING_GROUPS, Reassembler,
    ReassemblyError, ReassemblyLimits,
};
pub use tag_block::{TagBlock, TagGroup};
pub use wrapper::Pghp;
