//! `kuroshio decode`: files or standard input through the AIS stream decoder to JSON lines.
//!
//! Input is read in large blocks and split into lines here; each line goes through
//! [`StreamDecoder`], and each decoded message is appended to an output buffer that is flushed
//! in blocks. A line longer than [`LINE_BYTES_MAX`] is counted as an error and skipped rather
//! than buffered without bound.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use kuroshio_ais::gpsd::GpsdWriter;
use kuroshio_ais::json::JsonWriter;
use kuroshio_ais::stream::{Stats, StreamDecoder, StreamOptions};

use crate::Format;

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
    /// Accept bad checksums.
    pub lenient: bool,
    /// No summary.
    pub quiet: bool,
}

struct Run<'o> {
    options: &'o Options,
    decoder: StreamDecoder,
    gpsd: GpsdWriter,
    out: Vec<u8>,
    stdout: io::StdoutLock<'static>,
    long_lines: u64,
}

impl Run<'_> {
    fn line(&mut self, line: &[u8]) -> io::Result<()> {
        let format = self.options.format;
        let (out, gpsd) = (&mut self.out, &mut self.gpsd);
        self.decoder.push_line(line, |decoded| match format {
            Format::Gpsd => {
                gpsd.write(&decoded.message, out);
            }
            Format::Ndjson => {
                let mut w = JsonWriter::object(out);
                decoded.write_ndjson(&mut w);
                w.finish();
            }
        });
        if self.out.len() >= WRITE_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stdout.write_all(&self.out)?;
        self.out.clear();
        Ok(())
    }

    fn read_all(&mut self, mut input: impl Read) -> io::Result<()> {
        let mut buf = vec![0u8; READ_BYTES];
        // Bytes of a line that started in an earlier block.
        let mut carry: Vec<u8> = Vec::new();
        let mut skipping_long = false;
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let mut rest = &buf[..n];
            while let Some(pos) = memchr::memchr(b'\n', rest) {
                let piece = &rest[..pos];
                rest = &rest[pos + 1..];
                if skipping_long {
                    skipping_long = false;
                    carry.clear();
                    continue;
                }
                if carry.is_empty() {
                    self.line(piece)?;
                } else {
                    carry.extend_from_slice(piece);
                    let line = std::mem::take(&mut carry);
                    self.line(&line)?;
                }
            }
            if !skipping_long {
                carry.extend_from_slice(rest);
                if carry.len() > LINE_BYTES_MAX {
                    self.long_lines += 1;
                    skipping_long = true;
                    carry.clear();
                }
            }
        }
        if !carry.is_empty() && !skipping_long {
            let line = std::mem::take(&mut carry);
            self.line(&line)?;
        }
        Ok(())
    }
}

/// Runs the command over `files` (standard input when empty or `-`).
pub fn run(options: &Options, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut run = Run {
        options,
        decoder: StreamDecoder::new(StreamOptions { lenient_checksum: options.lenient }),
        gpsd: GpsdWriter::new(),
        out: Vec::with_capacity(WRITE_BYTES + 4096),
        stdout: io::stdout().lock(),
        long_lines: 0,
    };
    let stdin_only = [PathBuf::from("-")];
    let inputs = if files.is_empty() { &stdin_only[..] } else { files };
    let mut failed = false;
    for path in inputs {
        let result = if path == Path::new("-") {
            run.read_all(io::stdin().lock()).context("reading standard input")
        } else {
            match File::open(path) {
                Ok(f) => run.read_all(f).with_context(|| format!("reading {}", path.display())),
                Err(e) => {
                    // Keep going with the other files; report and fail at the end.
                    eprintln!("kuroshio: cannot open {}: {e}", path.display());
                    failed = true;
                    Ok(())
                }
            }
        };
        result?;
    }
    run.decoder.finish();
    run.flush().context("writing standard output")?;
    run.stdout.flush().context("writing standard output")?;
    if !options.quiet {
        eprint!("{}", summary(run.decoder.stats(), run.long_lines));
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The end-of-run summary: what came in, what was decoded by type, what failed by kind.
fn summary(stats: &Stats, long_lines: u64) -> String {
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
    let types: Vec<String> = stats
        .messages_by_type
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(t, n)| format!("{t}:{n}"))
        .collect();
    if !types.is_empty() {
        let _ = writeln!(s, "messages by type: {}", types.join(" "));
    }
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
    let skipped: Vec<String> = stats.skipped.iter().map(|(k, n)| format!("{k}:{n}")).collect();
    if !skipped.is_empty() {
        let _ = writeln!(s, "skipped lines: {}", skipped.join(" "));
    }
    s
}
