//! `kuroshio decode`: files or standard input through the AIS, Mode S or SBS decoders to JSON
//! lines.
//!
//! Each input's format is taken from `--input` or detected from its first bytes
//! ([`kuroshio_adsb::frame::detect`]). Text inputs are read in large blocks and split into
//! lines here; Beast binary goes through its own deframer. Decoded messages are appended to an
//! output buffer that is flushed in blocks. A line longer than [`LINE_BYTES_MAX`] is counted as
//! an error and skipped rather than buffered without bound.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use kuroshio_adsb::frame::{self, BeastDeframer, InputKind};
use kuroshio_adsb::stream::{ModeSDecoder, ModeSOptions, SbsDecoder, write_sbs_json};
use kuroshio_ais::gpsd::GpsdWriter;
use kuroshio_ais::json::JsonWriter;
use kuroshio_ais::stream::{Stats, StreamDecoder, StreamOptions};

use crate::{Format, Input};

/// Size of one read from the input.
const READ_BYTES: usize = 1 << 20;
/// Output is flushed when the buffer grows past this.
const WRITE_BYTES: usize = 1 << 20;
/// Longest line kept; NMEA limits a sentence to 82 characters, and tag blocks and wrappers
/// add a few hundred at most. Longer lines are garbage or binary data: counted and dropped.
pub const LINE_BYTES_MAX: usize = 4096;

/// What `kuroshio decode` was asked to do.
pub struct Options {
    /// Output format.
    pub format: Format,
    /// Input format, or auto-detection.
    pub input: Input,
    /// Receiver position `(lat_deg, lon_deg)` for Mode S local and surface decoding.
    pub reference: Option<(f64, f64)>,
    /// Accept bad checksums.
    pub lenient: bool,
    /// No summary.
    pub quiet: bool,
}

struct Run<'o> {
    options: &'o Options,
    ais: StreamDecoder,
    gpsd: GpsdWriter,
    modes: ModeSDecoder,
    sbs: SbsDecoder,
    /// Kinds of input seen, for the summary.
    seen: [bool; 5],
    out: Vec<u8>,
    stdout: io::StdoutLock<'static>,
    long_lines: u64,
    /// Arrival time of the current block, for frames without a time of their own read from
    /// standard input (a live receiver).
    arrival_s: f64,
    /// For frames without a time of their own read from a file: a clock that advances
    /// [`UNTIMED_FRAME_S`] per frame, so that CPR pairing follows the order of the recording
    /// rather than the (meaningless) time at which the file is read.
    file_clock_s: Option<f64>,
}

/// Time assumed between two untimed frames of a recorded file: 10 ms, the frame rate of a
/// modest receiver (100 frames/s). Even/odd CPR frames further apart than the 10 s pairing
/// window (1,000 frames) are then not combined: a busy recording pairs less, never wrongly.
const UNTIMED_FRAME_S: f64 = 0.01;

fn kind_index(kind: InputKind) -> usize {
    match kind {
        InputKind::Nmea => 0,
        InputKind::Beast => 1,
        InputKind::Avr => 2,
        InputKind::Hex => 3,
        InputKind::Sbs => 4,
    }
}

fn now_s() -> f64 {
    crate::store_cmd::now().unix_seconds_f64()
}

impl Run<'_> {
    fn ais_line(&mut self, line: &[u8]) {
        let format = self.options.format;
        let (out, gpsd) = (&mut self.out, &mut self.gpsd);
        self.ais.push_line(line, |decoded| match format {
            Format::Gpsd => {
                gpsd.write(&decoded.message, out);
            }
            Format::Ndjson => {
                let mut w = JsonWriter::object(out);
                decoded.write_ndjson(&mut w);
                w.finish();
            }
        });
    }

    fn modes_frame(&mut self, f: &frame::Frame<'_>) {
        let arrival_s = match &mut self.file_clock_s {
            Some(t) => {
                *t += UNTIMED_FRAME_S;
                *t
            }
            None => self.arrival_s,
        };
        let out = &mut self.out;
        self.modes.push_frame(f, arrival_s, |d| {
            kuroshio_adsb::json::write_frame(
                out,
                d.message,
                d.frame,
                d.unix_s,
                d.position.map(|p| (p.lat_deg, p.lon_deg)),
            );
            out.push(b'\n');
        });
    }

    fn text_line(&mut self, kind: InputKind, line: &[u8]) {
        match kind {
            InputKind::Nmea => self.ais_line(line),
            InputKind::Sbs => {
                let out = &mut self.out;
                self.sbs.push_line(line, |m| write_sbs_json(m, out));
            }
            InputKind::Avr | InputKind::Hex | InputKind::Beast => {
                let mut scratch = [0u8; frame::MODE_S_LONG_BYTES];
                match frame::parse_line(line, &mut scratch) {
                    Ok(Some(f)) => self.modes_frame(&f),
                    Ok(None) => {}
                    Err(e) => self.modes.count_error(e.kind()),
                }
            }
        }
    }

    fn flush_if_full(&mut self) -> io::Result<()> {
        if self.out.len() >= WRITE_BYTES { self.flush() } else { Ok(()) }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stdout.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }

    /// Reads one input to its end, given its first block.
    fn read_all(
        &mut self,
        first: Vec<u8>,
        mut input: impl Read,
        from_file: bool,
    ) -> anyhow::Result<()> {
        self.file_clock_s = from_file.then_some(0.0);
        let kind = match self.options.input {
            Input::Auto => frame::detect(&first).unwrap_or(InputKind::Nmea),
            Input::Nmea => InputKind::Nmea,
            Input::Beast => InputKind::Beast,
            Input::Avr => InputKind::Avr,
            Input::Hex => InputKind::Hex,
            Input::Sbs => InputKind::Sbs,
        };
        if self.options.format == Format::Gpsd && kind != InputKind::Nmea {
            bail!("--format gpsd is gpsd's AIS JSON; this input is {} (use ndjson)", kind.name());
        }
        self.seen[kind_index(kind)] = true;
        if kind == InputKind::Beast {
            return self.read_beast(first, input);
        }
        let mut buf = vec![0u8; READ_BYTES];
        // Bytes of a line that started in an earlier block.
        let mut carry: Vec<u8> = Vec::new();
        let mut skipping_long = false;
        let mut block = first;
        loop {
            self.arrival_s = now_s();
            let mut rest = &block[..];
            while let Some(pos) = memchr::memchr(b'\n', rest) {
                let piece = &rest[..pos];
                rest = &rest[pos + 1..];
                if skipping_long {
                    skipping_long = false;
                    carry.clear();
                    continue;
                }
                if carry.is_empty() {
                    self.text_line(kind, piece);
                } else {
                    carry.extend_from_slice(piece);
                    let line = std::mem::take(&mut carry);
                    self.text_line(kind, &line);
                }
            }
            self.flush_if_full()?;
            if !skipping_long {
                carry.extend_from_slice(rest);
                if carry.len() > LINE_BYTES_MAX {
                    self.long_lines += 1;
                    skipping_long = true;
                    carry.clear();
                }
            }
            let n = read_block(&mut input, &mut buf)?;
            if n == 0 {
                break;
            }
            block.clear();
            block.extend_from_slice(&buf[..n]);
        }
        if !carry.is_empty() && !skipping_long {
            let line = std::mem::take(&mut carry);
            self.text_line(kind, &line);
        }
        Ok(())
    }

    fn read_beast(&mut self, first: Vec<u8>, mut input: impl Read) -> anyhow::Result<()> {
        let mut deframer = BeastDeframer::new();
        let mut buf = vec![0u8; READ_BYTES];
        let mut pending: Vec<u8> = first;
        loop {
            self.arrival_s = now_s();
            let mut offset = 0;
            while offset < pending.len() {
                offset += deframer.push(&pending[offset..]);
                while let Some(result) = deframer.next_frame() {
                    match result {
                        Ok(f) => self.modes_frame(&f),
                        Err(e) => self.modes.count_error(e.kind()),
                    }
                }
            }
            self.flush_if_full()?;
            let n = read_block(&mut input, &mut buf)?;
            if n == 0 {
                break;
            }
            pending.clear();
            pending.extend_from_slice(&buf[..n]);
        }
        if let Some(e) = deframer.finish() {
            self.modes.count_error(e.kind());
        }
        Ok(())
    }
}

fn read_block(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Reads the first block of an input (for format detection).
fn first_block(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; READ_BYTES];
    let n = read_block(input, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// Runs the command over `files` (standard input when empty or `-`).
pub fn run(options: &Options, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut run = Run {
        options,
        ais: StreamDecoder::new(StreamOptions { lenient_checksum: options.lenient }),
        gpsd: GpsdWriter::new(),
        modes: ModeSDecoder::new(ModeSOptions { reference: options.reference }),
        sbs: SbsDecoder::new(),
        seen: [false; 5],
        out: Vec::with_capacity(WRITE_BYTES + 4096),
        stdout: io::stdout().lock(),
        long_lines: 0,
        arrival_s: 0.0,
        file_clock_s: None,
    };
    let stdin_only = [PathBuf::from("-")];
    let inputs = if files.is_empty() { &stdin_only[..] } else { files };
    let mut failed = false;
    for path in inputs {
        if path == Path::new("-") {
            let mut stdin = io::stdin().lock();
            let first = first_block(&mut stdin).context("reading standard input")?;
            run.read_all(first, stdin, false).context("reading standard input")?;
        } else {
            match File::open(path) {
                Ok(mut f) => {
                    let first = first_block(&mut f)
                        .with_context(|| format!("reading {}", path.display()))?;
                    run.read_all(first, f, true)
                        .with_context(|| format!("reading {}", path.display()))?;
                }
                Err(e) => {
                    // Keep going with the other files; report and fail at the end.
                    eprintln!("kuroshio: cannot open {}: {e}", path.display());
                    failed = true;
                }
            }
        }
    }
    run.ais.finish();
    run.flush().context("writing standard output")?;
    run.stdout.flush().context("writing standard output")?;
    if !options.quiet {
        eprint!("{}", summary(&run));
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn counts<'a>(items: impl IntoIterator<Item = (&'a &'static str, &'a u64)>) -> String {
    items.into_iter().map(|(k, n)| format!("{k}:{n}")).collect::<Vec<_>>().join(" ")
}

/// Appends `label: i:n i:n …` for the non-zero entries of a counter indexed by number
/// (message type, downlink format), or nothing when all are zero.
fn indexed_counts(s: &mut String, label: &str, by_index: &[u64]) {
    use std::fmt::Write as _;
    let items: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(i, n)| format!("{i}:{n}"))
        .collect();
    if !items.is_empty() {
        let _ = writeln!(s, "{label}: {}", items.join(" "));
    }
}

/// The end-of-run summary: what came in, what was decoded by type, what failed by kind.
fn summary(run: &Run<'_>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    if run.seen[0] || run.seen.iter().all(|&k| !k) {
        s.push_str(&ais_summary(run.ais.stats(), run.long_lines));
    }
    if run.seen[1] || run.seen[2] || run.seen[3] {
        let m = run.modes.stats();
        let errors: u64 = m.errors.values().sum();
        let _ = writeln!(
            s,
            "frames {}, decoded {}, positions {}, errors {}",
            m.frames, m.decoded, m.positions, errors
        );
        indexed_counts(&mut s, "decoded by downlink format", &m.by_df);
        if !m.errors.is_empty() {
            let _ = writeln!(s, "errors by kind: {}", counts(&m.errors));
        }
        let c = run.modes.cpr().stats();
        let _ = writeln!(
            s,
            "positions: global airborne {}, global surface {}, local {}, from receiver {}; \
             rejected: implausible speed {}, zone mismatch {}, out of range {}",
            c.global_airborne,
            c.global_surface,
            c.local_last,
            c.local_receiver,
            c.implausible_speed,
            c.zone_mismatch,
            c.out_of_range
        );
    }
    if run.seen[4] {
        let b = run.sbs.stats();
        let msgs: u64 = b.by_type.iter().sum();
        let errors: u64 = b.errors.values().sum();
        let _ = writeln!(s, "lines {}, messages {msgs}, errors {errors}", b.lines);
        indexed_counts(&mut s, "messages by transmission type", &b.by_type);
        if !b.errors.is_empty() {
            let _ = writeln!(s, "errors by kind: {}", counts(&b.errors));
        }
        if !b.skipped.is_empty() {
            let _ = writeln!(s, "skipped records: {}", counts(&b.skipped));
        }
    }
    s
}

fn ais_summary(stats: &Stats, long_lines: u64) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "lines {}, sentences {}, messages {}, errors {}",
        stats.lines,
        stats.sentences,
        stats.messages,
        stats.errors.values().sum::<u64>() + long_lines
    );
    indexed_counts(&mut s, "messages by type", &stats.messages_by_type);
    let mut errors: Vec<String> = stats.errors.iter().map(|(k, n)| format!("{k}:{n}")).collect();
    if long_lines > 0 {
        errors.push(format!("line_too_long:{long_lines}"));
    }
    if !errors.is_empty() {
        let _ = writeln!(s, "errors by kind: {}", errors.join(" "));
    }
    let mut accepted = Vec::new();
    if stats.checksum_accepted > 0 {
        accepted.push(format!("bad_checksum:{}", stats.checksum_accepted));
    }
    if stats.tag_checksum_accepted > 0 {
        accepted.push(format!("bad_tag_block_checksum:{}", stats.tag_checksum_accepted));
    }
    if !accepted.is_empty() {
        let _ = writeln!(s, "accepted with flags: {}", accepted.join(" "));
    }
    if !stats.skipped.is_empty() {
        let _ = writeln!(s, "skipped lines: {}", counts(&stats.skipped));
    }
    s
}
