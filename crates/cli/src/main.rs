//! `kuroshio`: the command-line face of a Kuroshio node.
//!
//! Today it decodes AIS feeds (`kuroshio decode`) and writes a generated sample feed
//! (`kuroshio sample`). This crate owns the file system, standard streams and process exit codes;
//! everything it runs is a sans-IO library underneath.

mod decode;
mod sample;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Kuroshio: a shared maritime and air picture for partners, built on open standards.
#[derive(Parser)]
#[command(name = "kuroshio", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode AIS feeds (NMEA 0183 !AIVDM/!AIVDO) into JSON, one object per message.
    ///
    /// Reads each FILE in turn, or standard input when none is given or FILE is `-`. The framing
    /// is detected line by line: plain sentences, NMEA 4.0 tag blocks (\s:...,c:...*hh\),
    /// Gatehouse $PGHP headers, USCG trailing fields and receive-time prefixes or suffixes;
    /// comments, blank lines and non-AIS sentences are skipped. Multi-sentence messages are
    /// reassembled per station, talker, channel and sequence id.
    ///
    /// Writes one JSON object per decoded message to standard output and, at the end, a summary of
    /// messages by type and errors by kind to standard error. Bad input never stops the run.
    #[command(after_help = "Examples:\n  \
        kuroshio decode feed.nmea\n  \
        kuroshio decode --format gpsd feed.nmea | diff - <(gpsdecode -u -j < feed.nmea)\n  \
        nc localhost 10110 | kuroshio decode")]
    Decode {
        /// Output form: `ndjson` is Kuroshio's JSON (degrees, knots, names with units);
        /// `gpsd` is exactly what `gpsdecode -u -j` writes (gpsd's names, unscaled integers).
        #[arg(long, value_enum, default_value_t = Format::Ndjson)]
        format: Format,
        /// Accept sentences whose checksum is wrong (they are decoded and flagged
        /// `"checksum_ok":false` in ndjson output) instead of rejecting them.
        #[arg(long)]
        lenient: bool,
        /// Do not print the summary on standard error.
        #[arg(long, short)]
        quiet: bool,
        /// Input files; `-` or none for standard input.
        files: Vec<PathBuf>,
    },
    /// Write a generated AIS feed: vessels moving in the seas around Taiwan, as real
    /// !AIVDM sentences with NMEA 4.0 tag blocks. Deterministic for a given seed.
    Sample {
        /// Number of sentences to write.
        #[arg(long, default_value_t = 2000)]
        count: u64,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Output format of `kuroshio decode`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Kuroshio's JSON: scaled values, names with units.
    Ndjson,
    /// gpsd's JSON, as `gpsdecode -u -j` writes it.
    Gpsd,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Decode { format, lenient, quiet, files } => {
            decode::run(&decode::Options { format, lenient, quiet }, &files)
        }
        Command::Sample { count, seed } => sample::run(count, seed),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`kuroshio decode big.nmea | head`) is a normal way to stop.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("kuroshio: {e:#}");
            ExitCode::FAILURE
        }
    }
}
