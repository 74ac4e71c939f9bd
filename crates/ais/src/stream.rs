//! The whole AIS input chain for one feed: lines in, decoded messages with their reception
//! metadata out, every fault counted by kind.
//!
//! [`StreamDecoder`] joins `kuroshio-nmea` framing and reassembly with payload decoding. It
//! carries the little state real feeds need across lines: pending multi-sentence groups, and a
//! Gatehouse `$PGHP` header or stand-alone tag block whose time and station apply to the next
//! sentence. Decoded messages are handed to a caller's closure while they still borrow the
//! line, so nothing is copied or allocated for the common single-sentence case.
//!
//! Deliberately absent: reading files or sockets and splitting bytes into lines (the caller
//! does; see the `kuroshio` CLI), clocks (the receive time is whatever the feed carries), and
//! any interpretation beyond one message (tracks are built downstream).

use std::collections::BTreeMap;

use kuroshio_nmea::{IncompleteGroup, Line, ParseOptions, Reassembler, Skipped, parse_all};

use crate::bits::Payload;
use crate::json::JsonWriter;
use crate::message::AisMessage;

/// How strict the stream is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamOptions {
    /// Accept sentences with wrong checksums, flagged `checksum_ok == false`, instead of
    /// counting them as errors. (Tag blocks with wrong checksums are always accepted and
    /// flagged, since the sentence they carry has its own checksum.)
    pub lenient_checksum: bool,
}

/// Where and when a message was received, as far as the feed says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta<'a> {
    /// 1-based number of the line that completed the message.
    pub line: u64,
    /// Talker of the (first) sentence, e.g. `AI`, `AB`, `BS`.
    pub talker: [u8; 2],
    /// `true` for `VDO` (the receiver's own ship).
    pub own_ship: bool,
    /// Radio channel as written (`A`, `B`, `1`, `2`).
    pub channel: Option<u8>,
    /// Receiving station (tag block `s:`, USCG station field, or `$PGHP` source).
    pub station: Option<&'a str>,
    /// Receive time in Unix milliseconds, from the tag block, wrappers or `$PGHP` header.
    pub received_unix_ms: Option<i64>,
    /// Whether all checksums matched (always `true` unless lenient).
    pub checksum_ok: bool,
    /// Number of sentences the message was carried in.
    pub fragments: u8,
}

/// One decoded message and its reception metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    /// The message.
    pub message: AisMessage,
    /// Where and when it was received.
    pub meta: Meta<'a>,
}

impl Decoded<'_> {
    /// Writes the metadata and then the message's fields in Kuroshio's JSON form into an open
    /// object.
    pub fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        if let Some(ms) = self.meta.received_unix_ms {
            w.f64_fixed("received", ms as f64 / 1000.0, 3);
        }
        if let Some(station) = self.meta.station {
            w.str("station", station);
        }
        if let Some(ch) = self.meta.channel {
            let buf = [ch];
            w.str("channel", std::str::from_utf8(&buf).unwrap_or("?"));
        }
        if self.meta.own_ship {
            w.bool("own_ship", true);
        }
        if !self.meta.checksum_ok {
            w.bool("checksum_ok", false);
        }
        crate::ndjson::write_fields(&self.message, w);
    }
}

/// Counters of one stream: what came in, what was decoded, what failed and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lines pushed.
    pub lines: u64,
    /// AIS sentences framed (fragments included).
    pub sentences: u64,
    /// Messages decoded.
    pub messages: u64,
    /// Messages decoded, by message type (index 1-27; 0 unused).
    pub messages_by_type: [u64; 28],
    /// Faults by kind: framing (`bad_checksum`, …), reassembly (`orphan_fragment`,
    /// `incomplete_aged_out`, …), payload (`bad_armoring`, …) and decoding (`too_short`, …).
    pub errors: BTreeMap<&'static str, u64>,
    /// Lines without an AIS sentence, by kind (`comment`, `blank`, `other_nmea`, `pghp`, …).
    pub skipped: BTreeMap<&'static str, u64>,
    /// Sentences accepted despite a wrong checksum (lenient mode only).
    pub checksum_accepted: u64,
    /// Sentences accepted whose tag block had a wrong or missing checksum (the sentence's own
    /// checksum was right).
    pub tag_checksum_accepted: u64,
}

impl Stats {
    fn error(&mut self, kind: &'static str) {
        *self.errors.entry(kind).or_insert(0) += 1;
    }

    fn incomplete(&mut self, group: &IncompleteGroup) {
        let kind = match group.reason.kind() {
            "aged_out" => "incomplete_aged_out",
            "capacity_full" => "incomplete_capacity_full",
            "interrupted" => "incomplete_interrupted",
            "out_of_order" => "incomplete_out_of_order",
            "end_of_input" => "incomplete_end_of_input",
            _ => "incomplete_other",
        };
        self.error(kind);
    }

    /// Total of all errors.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Wrapper data from a line that applies to the sentence on the next line.
#[derive(Debug, Clone, Default)]
struct Carry {
    station: Option<Box<str>>,
    received_unix_ms: Option<i64>,
}

/// Longest station name carried from a `$PGHP` or tag-block-only line to the next sentence;
/// longer names are cut (station ids are short: MMSIs, `rORBCOMM008`).
const CARRIED_STATION_BYTES_MAX: usize = 64;

/// Decodes one AIS feed line by line; see the module documentation.
#[derive(Debug)]
pub struct StreamDecoder {
    parse: ParseOptions,
    reassembler: Reassembler,
    stats: Stats,
    carry: Option<Carry>,
}

impl StreamDecoder {
    /// A decoder for one feed.
    pub fn new(options: StreamOptions) -> Self {
        // A tag block with a wrong checksum does not cost the sentence behind it, whose own
        // checksum still holds: some receivers write `*00` on every tag block. Such messages are
        // decoded, counted in `tag_checksum_accepted` and flagged `checksum_ok == false`.
        let parse =
            ParseOptions { lenient_checksum: options.lenient_checksum, lenient_tag_checksum: true };
        Self { parse, reassembler: Reassembler::default(), stats: Stats::default(), carry: None }
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Pushes one line (with or without its terminator) and calls `sink` for every message it
    /// completes (usually zero or one; more when several sentences share a line).
    pub fn push_line(&mut self, line: &[u8], mut sink: impl FnMut(Decoded<'_>)) {
        self.stats.lines += 1;
        let line_no = self.stats.lines;
        for framed in parse_all(line, &self.parse) {
            let sentence = match framed {
                Ok(Line::Sentence(s)) => s,
                Ok(Line::Skipped(skipped)) => {
                    *self.stats.skipped.entry(skipped.kind()).or_insert(0) += 1;
                    self.carry = match skipped {
                        Skipped::Pghp(h) => Some(Carry {
                            station: (!h.source.is_empty())
                                .then(|| cut(h.source, CARRIED_STATION_BYTES_MAX).into()),
                            received_unix_ms: h.unix_time_ms.or(h.trailing_unix_ms),
                        }),
                        Skipped::TagBlockOnly(t) => Some(Carry {
                            station: t.source.map(|s| cut(s, CARRIED_STATION_BYTES_MAX).into()),
                            received_unix_ms: t.unix_time_ms,
                        }),
                        _ => self.carry.take(),
                    };
                    continue;
                }
                Err(e) => {
                    self.stats.error(e.kind());
                    continue;
                }
            };
            self.stats.sentences += 1;
            if !sentence.checksum_ok {
                self.stats.checksum_accepted += 1;
            }
            if sentence.tags.is_some_and(|t| !t.checksum_ok) {
                self.stats.tag_checksum_accepted += 1;
            }
            // Wrapper data from the line before ($PGHP, a lone tag block) describes this
            // sentence; folding it into the sentence lets the reassembler keep it with the
            // group when this is the first of several fragments.
            let carry = self.carry.take();
            let mut sentence = sentence;
            if let Some(c) = &carry {
                sentence.received_unix_ms = sentence.received_unix_ms.or(c.received_unix_ms);
                sentence.station = sentence.station.or(c.station.as_deref());
            }
            let assembled = match self.reassembler.push(&sentence) {
                Ok(Some(a)) => a,
                Ok(None) => continue,
                Err(e) => {
                    self.stats.error(e.kind());
                    continue;
                }
            };
            let payload = match Payload::from_armored(assembled.payload, assembled.fill_bits) {
                Ok(p) => p,
                Err(e) => {
                    self.stats.error(e.kind());
                    continue;
                }
            };
            match crate::decode::decode(&payload) {
                Ok(message) => {
                    self.stats.messages += 1;
                    let t = usize::from(message.msg_type());
                    if let Some(n) = self.stats.messages_by_type.get_mut(t) {
                        *n += 1;
                    }
                    let meta = Meta {
                        line: line_no,
                        talker: assembled.talker,
                        own_ship: assembled.own_ship,
                        channel: assembled.channel,
                        station: assembled.station,
                        received_unix_ms: assembled.received_unix_ms,
                        checksum_ok: assembled.checksum_ok,
                        fragments: assembled.fragment_count,
                    };
                    sink(Decoded { message, meta });
                }
                Err(e) => self.stats.error(e.kind()),
            }
        }
        // Groups evicted by age or capacity while this line was pushed.
        while let Some(group) = self.reassembler.pop_evicted() {
            self.stats.incomplete(&group);
        }
    }

    /// Ends the input: every multi-sentence group still waiting is counted as incomplete.
    pub fn finish(&mut self) {
        for group in self.reassembler.drain_incomplete() {
            self.stats.incomplete(&group);
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
