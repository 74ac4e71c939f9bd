//! Wire data to timed observations, incrementally, one input at a time.
//!
//! A [`FeedDecoder`] holds the decoder state of one input of a known [`FeedKind`] — AIS NMEA
//! (tag-block and `$PGHP` times), Mode S as AVR/hex/`timestamp,hex` lines, SBS-1 lines, Beast
//! binary (timed by the receiver clock the options name, see [`crate::replay`]) or sensor
//! tracks as NDJSON lines — and turns what is pushed into it into [`Observation`]s with
//! absolute times. `kuroshio replay` and `kuroshio ingest` push whole files; `kuroshio demo`
//! pushes the generator's output as it is produced. Bad input is counted, never fatal;
//! observations without an absolute time are counted and left out.

use std::path::Path;

use anyhow::Context;
use kuroshio_adsb::frame::{
    self, BeastDeframer, CounterClock, Frame, FrameTime, GpsDayClock, InputKind,
};
use kuroshio_adsb::stream::{ModeSDecoder, ModeSOptions, SbsDecoder, sbs_observation};
use kuroshio_ais::stream::{StreamDecoder, StreamOptions};
use kuroshio_api::metrics::FeedCounts;
use kuroshio_model::{Observation, SourceId, Timestamp};

use crate::replay::{BeastTiming, UsageError};

/// One Beast input's clock.
enum BeastClock {
    Counter(CounterClock),
    Gps(GpsDayClock),
}

impl BeastClock {
    /// The clock the options ask for; a [`UsageError`] naming the option to add when they do
    /// not say.
    fn new(timing: BeastTiming, path: &Path) -> anyhow::Result<Self> {
        Ok(match timing {
            BeastTiming::Counter { start } => BeastClock::Counter(CounterClock::new(start)),
            BeastTiming::GpsNear { near } => BeastClock::Gps(GpsDayClock::near(near)),
            BeastTiming::GpsDate { year, month, day } => BeastClock::Gps(
                GpsDayClock::on_date(year, month, day)
                    .with_context(|| format!("{year:04}-{month:02}-{day:02} is not a date"))?,
            ),
            BeastTiming::Missing { gps: false } => {
                return Err(UsageError(format!(
                    "{}: Beast binary time stamps are a receiver clock, not a time of day; add \
                     --beast-start <RFC 3339 time of the first frame> for the 12 MHz counter of \
                     dump1090/readsb, or --beast-clock gps --beast-date <YYYY-MM-DD> for GPS \
                     time stamps (Radarcape)",
                    path.display()
                ))
                .into());
            }
            BeastTiming::Missing { gps: true } => {
                return Err(UsageError(format!(
                    "{}: Beast GPS time stamps are a time of day without a date; add \
                     --beast-date <YYYY-MM-DD> (UTC date of the first frame) or --beast-start \
                     <RFC 3339 time near the first frame>",
                    path.display()
                ))
                .into());
            }
        })
    }

    /// The absolute time of a frame stamped `stamp`, if the stamp is usable.
    fn time(&mut self, stamp: u64) -> Option<Timestamp> {
        match self {
            BeastClock::Counter(c) => c.time(stamp),
            BeastClock::Gps(g) => g.time(stamp),
        }
    }

    /// What the clock saw, for the summary.
    fn summary(&self) -> String {
        match self {
            BeastClock::Counter(c) => {
                let s = c.stats();
                format!(
                    "beast 12 MHz counter: frames {}, unusable stamps {}, wraps {}, receiver \
                     restarts {}, late frames {}",
                    s.frames, s.rejected, s.wraps, s.restarts, s.late
                )
            }
            BeastClock::Gps(g) => {
                let s = g.stats();
                format!(
                    "beast GPS time of day: frames {}, unusable stamps {}, midnight rollovers {}, \
                     late across midnight {}",
                    s.frames, s.rejected, s.rollovers, s.late_across_midnight
                )
            }
        }
    }
}

/// What one input gave, for the summary.
#[derive(Debug, Default)]
pub struct InputCount {
    /// Timed observations produced.
    pub observations: u64,
    /// Decoded messages without an absolute time, left out.
    pub untimed: u64,
    /// Sensor-track lines that could not be read.
    pub malformed: u64,
    /// What a Beast input's clock saw.
    pub clock: Option<String>,
    /// The decoder's counters for `/metrics`: its format's name and [`FeedDecoder::counts`].
    pub feed: Option<(&'static str, FeedCounts)>,
}

/// The source id of an input: its file name without extension, made printable.
pub fn source_name(path: &Path) -> anyhow::Result<SourceId> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let mut clean: String = stem
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '_' })
        .take(SourceId::LEN_MAX)
        .collect();
    if clean.is_empty() || clean == "-" {
        clean = "stdin".to_owned();
    }
    SourceId::parse(&clean).with_context(|| format!("source name for {}", path.display()))
}

/// The format of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// AIS NMEA 0183 sentences.
    Nmea,
    /// Mode S frames as AVR, plain hex or `timestamp,hex` lines.
    ModeSLines,
    /// SBS-1 BaseStation lines.
    Sbs,
    /// Beast binary.
    Beast,
    /// Sensor tracks, one JSON object per line (`kuroshio_sim::TrackPoint`).
    Tracks,
}

impl FeedKind {
    /// The kind of an input from its first bytes: sensor tracks start with `{`, which none of
    /// the wire formats does; otherwise [`frame::detect`] decides, AIS NMEA when it cannot.
    pub fn detect(bytes: &[u8]) -> FeedKind {
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            return FeedKind::Tracks;
        }
        match frame::detect(bytes).unwrap_or(InputKind::Nmea) {
            InputKind::Nmea => FeedKind::Nmea,
            InputKind::Avr | InputKind::Hex => FeedKind::ModeSLines,
            InputKind::Sbs => FeedKind::Sbs,
            InputKind::Beast => FeedKind::Beast,
        }
    }
}

enum State {
    Nmea(Box<StreamDecoder>),
    ModeSLines { dec: Box<ModeSDecoder>, line: u64 },
    Sbs(Box<SbsDecoder>),
    Beast { clock: BeastClock, deframer: Box<BeastDeframer>, dec: Box<ModeSDecoder>, last_s: f64 },
    Tracks,
}

/// The decoder state of one input.
pub struct FeedDecoder {
    state: State,
    source: SourceId,
    count: InputCount,
}

impl FeedDecoder {
    /// A decoder for an input of `kind` whose observations name `source`. Beast inputs need
    /// their clock from `beast` (a [`UsageError`] naming the option to add when it does not
    /// say); `reference` is the receiver position for Mode S.
    pub fn new(
        kind: FeedKind,
        source: SourceId,
        beast: BeastTiming,
        reference: Option<(f64, f64)>,
        path: &Path,
    ) -> anyhow::Result<FeedDecoder> {
        let state = match kind {
            FeedKind::Nmea => State::Nmea(Box::new(StreamDecoder::new(StreamOptions::default()))),
            FeedKind::ModeSLines => State::ModeSLines {
                dec: Box::new(ModeSDecoder::new(ModeSOptions { reference })),
                line: 0,
            },
            FeedKind::Sbs => State::Sbs(Box::new(SbsDecoder::new())),
            FeedKind::Beast => State::Beast {
                clock: BeastClock::new(beast, path)?,
                deframer: Box::new(BeastDeframer::new()),
                dec: Box::new(ModeSDecoder::new(ModeSOptions { reference })),
                last_s: 0.0,
            },
            FeedKind::Tracks => State::Tracks,
        };
        Ok(FeedDecoder { state, source, count: InputCount::default() })
    }

    /// Decodes one line of a line-based input (without its `\n`); bytes pushed into a Beast
    /// decoder this way are taken as a piece of the binary stream.
    pub fn push_line(&mut self, line: &[u8], out: &mut Vec<Observation>) {
        let (source, count) = (&self.source, &mut self.count);
        match &mut self.state {
            State::Nmea(dec) => dec.push_line(line, |d| {
                let Some(ms) = d.meta.received_unix_ms else {
                    count.untimed += 1;
                    return;
                };
                let Some(t) = Timestamp::from_unix_millis(ms) else { return };
                if let Some(o) = kuroshio_ais::observation::observation(&d.message, t, source) {
                    out.push(o);
                    count.observations += 1;
                }
            }),
            State::ModeSLines { dec, line: n } => {
                let mut scratch = [0u8; frame::MODE_S_LONG_BYTES];
                let i = *n;
                *n += 1;
                let Ok(Some(f)) = frame::parse_line(line, &mut scratch) else { return };
                // Untimed frames still go through the decoder (address confirmation, CPR),
                // ordered by the recording.
                dec.push_frame(&f, i as f64 * 0.01, |d| {
                    let Some(t) = d.unix_s.and_then(Timestamp::from_unix_seconds_f64) else {
                        count.untimed += 1;
                        return;
                    };
                    if let Some(o) = d.observation(t, source) {
                        out.push(o);
                        count.observations += 1;
                    }
                });
            }
            State::Sbs(dec) => dec.push_line(line, |m| {
                if m.generated_unix_s.or(m.logged_unix_s).is_none() {
                    count.untimed += 1;
                    return;
                }
                if let Some(o) = sbs_observation(m, Timestamp::EPOCH, source) {
                    out.push(o);
                    count.observations += 1;
                }
            }),
            State::Beast { .. } => self.push_bytes(line, out),
            State::Tracks => {
                if line.iter().all(u8::is_ascii_whitespace) {
                    return;
                }
                match kuroshio_sim::parse_track_line(line) {
                    Ok(o) => {
                        out.push(o);
                        count.observations += 1;
                    }
                    Err(_) => count.malformed += 1,
                }
            }
        }
    }

    /// Decodes a piece of input: a piece of the binary stream for Beast, whole lines
    /// separated by `\n` otherwise.
    pub fn push_bytes(&mut self, bytes: &[u8], out: &mut Vec<Observation>) {
        let (source, count) = (&self.source, &mut self.count);
        let State::Beast { clock, deframer, dec, last_s } = &mut self.state else {
            for line in bytes.split(|&b| b == b'\n') {
                self.push_line(line, out);
            }
            return;
        };
        let mut rest = bytes;
        loop {
            let taken = deframer.push(rest);
            rest = &rest[taken..];
            while let Some(next) = deframer.next_frame() {
                let Ok(f) = next else { continue };
                let time = match f.timestamp {
                    Some(FrameTime::Mlat12MHz(stamp)) => clock.time(stamp),
                    _ => None,
                };
                if let Some(t) = time {
                    *last_s = t.unix_seconds_f64();
                }
                let timed = Frame {
                    timestamp: time.map(|t| FrameTime::UnixSeconds(t.unix_seconds_f64())),
                    ..f
                };
                // Frames without a usable stamp still go through the decoder (address
                // confirmation, CPR) at the last known time.
                dec.push_frame(&timed, *last_s, |d| {
                    let Some(t) = d.unix_s.and_then(Timestamp::from_unix_seconds_f64) else {
                        count.untimed += 1;
                        return;
                    };
                    if let Some(o) = d.observation(t, source) {
                        out.push(o);
                        count.observations += 1;
                    }
                });
            }
            if rest.is_empty() {
                break;
            }
        }
    }

    /// The format's name for metrics: `nmea`, `modes`, `sbs`, `beast` or `tracks`.
    pub fn format_name(&self) -> &'static str {
        match &self.state {
            State::Nmea(_) => "nmea",
            State::ModeSLines { .. } => "modes",
            State::Sbs(_) => "sbs",
            State::Beast { .. } => "beast",
            State::Tracks => "tracks",
        }
    }

    /// What the decoders counted so far, as `/metrics` reports it: received are lines (frames
    /// for Beast), decoded are messages, errors the decoders' faults by kind, dropped the
    /// messages left out for want of an absolute time.
    pub fn counts(&self) -> FeedCounts {
        let named =
            |m: &std::collections::BTreeMap<&'static str, u64>| -> std::collections::BTreeMap<String, u64> {
                m.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
            };
        let c = &self.count;
        let mut out = FeedCounts { observations: c.observations, ..Default::default() };
        if c.untimed > 0 {
            out.dropped.insert("untimed".to_owned(), c.untimed);
        }
        match &self.state {
            State::Nmea(dec) => {
                let s = dec.stats();
                out.received = s.lines;
                out.decoded = s.messages;
                out.errors = named(&s.errors);
            }
            State::ModeSLines { dec, line } => {
                let s = dec.stats();
                out.received = *line;
                out.decoded = s.decoded;
                out.errors = named(&s.errors);
            }
            State::Sbs(dec) => {
                let s = dec.stats();
                out.received = s.lines;
                out.decoded = s.by_type.iter().sum();
                out.errors = named(&s.errors);
            }
            State::Beast { deframer, dec, .. } => {
                let b = deframer.stats();
                let s = dec.stats();
                out.received = b.mode_ac + b.mode_s_short + b.mode_s_long;
                out.decoded = s.decoded;
                out.errors = named(&s.errors);
                for (kind, n) in [("beast_resync", b.resyncs), ("beast_truncated", b.truncated)] {
                    if n > 0 {
                        out.errors.insert(kind.to_owned(), n);
                    }
                }
            }
            State::Tracks => {
                out.received = c.observations + c.malformed;
                out.decoded = c.observations;
                if c.malformed > 0 {
                    out.errors.insert("malformed".to_owned(), c.malformed);
                }
            }
        }
        out
    }

    /// Ends the input and returns what it gave.
    pub fn finish(mut self) -> InputCount {
        if let State::Beast { clock, deframer, .. } = &mut self.state {
            let _ = deframer.finish();
            self.count.clock = Some(clock.summary());
        }
        self.count.feed = Some((self.format_name(), self.counts()));
        self.count
    }
}

/// Decodes one whole input into timed observations.
pub fn decode_all(
    path: &Path,
    bytes: &[u8],
    beast: BeastTiming,
    reference: Option<(f64, f64)>,
    out: &mut Vec<Observation>,
) -> anyhow::Result<InputCount> {
    let kind = FeedKind::detect(bytes);
    let mut dec = FeedDecoder::new(kind, source_name(path)?, beast, reference, path)?;
    dec.push_bytes(bytes, out);
    Ok(dec.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gfw-ais-tools' `errors.nmea` (provenance in the data set's `SOURCE.md`): sentences
    /// cut short behind the checksum of the whole one. The decoder's counters must match what
    /// an independent check of each line's NMEA checksum finds.
    #[test]
    fn broken_nmea_moves_the_error_counters() {
        let Some(path) = kuroshio_testdata::path("gfw-ais-tools/errors.nmea") else { return };
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        // XOR of the bytes between `!` and `*` against the two hex digits after `*`.
        let (mut good, mut bad) = (0u64, 0u64);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let s = &line[line.rfind('!').unwrap() + 1..];
            let (body, sum) = s.split_once('*').unwrap();
            let x = body.bytes().fold(0u8, |a, b| a ^ b);
            if u8::from_str_radix(&sum[..2], 16).unwrap() == x { good += 1 } else { bad += 1 }
        }
        assert!(good > 0 && bad > 0, "the file has both kinds");
        let source = SourceId::parse("errors").unwrap();
        let none = BeastTiming::Missing { gps: false };
        let mut dec = FeedDecoder::new(FeedKind::Nmea, source, none, None, &path).unwrap();
        let mut out = Vec::new();
        dec.push_bytes(&bytes, &mut out);
        let c = dec.counts();
        assert_eq!(dec.format_name(), "nmea");
        assert_eq!(c.received, text.lines().count() as u64);
        assert_eq!(c.decoded, good);
        assert_eq!(c.errors.get("bad_checksum").copied(), Some(bad), "{c:?}");
        assert_eq!(c.observations, out.len() as u64);
        assert_eq!(dec.finish().feed, Some(("nmea", c)));
    }
}
