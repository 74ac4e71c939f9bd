//! `kuroshio`: the command-line face of a Kuroshio node.
//!
//! Today it decodes AIS feeds (`kuroshio decode`) and writes a generated sample feed
//! (`kuroshio sample`). This crate owns the file system, standard streams and process exit codes;
//! everything it runs is a sans-IO library underneath.

mod decode;
mod replay;
mod sample;
mod zones;

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
    /// Decode AIS and Mode S / ADS-B feeds into JSON, one object per message.
    ///
    /// Reads each FILE in turn, or standard input when none is given or FILE is `-`. Each
    /// input's format is detected from its first bytes unless --input says it:
    ///
    /// AIS (nmea): NMEA 0183 !AIVDM/!AIVDO sentences, plain or behind NMEA 4.10 tag blocks
    /// (\s:...,c:...*hh\), Gatehouse $PGHP headers, USCG trailing fields, receive-time prefixes
    /// or suffixes; comments, blank lines and other sentences are skipped. Multi-sentence
    /// messages are reassembled per station, talker, channel and sequence id.
    ///
    /// Mode S (beast, avr, hex): dump1090/readsb Beast binary (port 30005), AVR text (port
    /// 30002: *8d...; or @<time>8d...;), plain hex lines or `unix_time,hex` recordings. Written
    /// with the field names of the traffic/rs1090 tools (icao24, altitude, callsign, latitude,
    /// longitude, groundspeed, track, vertical_rate, squawk). Positions come from CPR decoding
    /// of even/odd pairs per aircraft; give --reference for surface positions and for local
    /// decoding before the first pair.
    ///
    /// SBS-1 (sbs): BaseStation CSV (port 30003), MSG lines, written with the same names.
    ///
    /// At the end a summary of messages by type and errors by kind goes to standard error. Bad
    /// input never stops the run.
    #[command(after_help = "Examples:\n  \
        kuroshio decode feed.nmea\n  \
        kuroshio decode --format gpsd feed.nmea | diff - <(gpsdecode -u -j < feed.nmea)\n  \
        nc localhost 10110 | kuroshio decode\n  \
        nc localhost 30005 | kuroshio decode --reference 34.43,135.23\n  \
        kuroshio decode --input sbs basestation.csv")]
    Decode {
        /// Output form: `ndjson` is Kuroshio's JSON (degrees, knots, names with units);
        /// `gpsd` is exactly what `gpsdecode -u -j` writes (gpsd's names, unscaled integers).
        #[arg(long, value_enum, default_value_t = Format::Ndjson)]
        format: Format,
        /// Input format; `auto` decides from the first bytes of each input.
        #[arg(long, value_enum, default_value_t = Input::Auto)]
        input: Input,
        /// Receiver position as LAT,LON in degrees (e.g. 25.08,121.23), for Mode S surface
        /// positions and local decoding before an aircraft's first even/odd pair.
        #[arg(long, value_parser = parse_reference, value_name = "LAT,LON")]
        reference: Option<(f64, f64)>,
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
    /// Replay recorded feeds through tracking and gray-zone detection; events as NDJSON.
    ///
    /// Each INPUT (AIS NMEA, Mode S as AVR/hex/`timestamp,hex` lines or Beast binary, SBS-1) is
    /// decoded into observations timed by the input itself (NMEA 4.10 tag blocks, $PGHP headers,
    /// line time stamps, SBS date/time). All inputs are merged in time order, folded into tracks,
    /// and every event (zone entry/exit, median-line crossing, strait-gate transit, AIS gap,
    /// identity conflict, loitering, encounter) is written as one JSON object per line: id,
    /// kind, time, entity, zone, direction, position, details, marking.
    ///
    /// Beast binary (dump1090/readsb port 30005 recordings) stamps each frame with a receiver
    /// clock, not a time of day: give --beast-start for the 12 MHz counter of dump1090, readsb
    /// and modesdeco, or --beast-clock gps with --beast-date for the GPS time stamps of a
    /// Radarcape. Counter wraps, receiver restarts (the counter falling back: the new count
    /// continues from the last frame's time) and midnight rollovers are counted in the summary.
    #[command(after_help = "Examples:\n  \
        kuroshio replay ais.nmea flights.csv\n  \
        kuroshio replay --beast-start 2026-01-01T08:00:00Z --reference 25.08,121.23 feed.bin\n  \
        kuroshio replay --beast-clock gps --beast-date 2026-01-01 radarcape.bin")]
    Replay {
        /// Pace the replay at N times the recorded speed (default: as fast as possible).
        #[arg(long, value_name = "N", conflicts_with = "max")]
        speed: Option<f64>,
        /// As fast as possible (the default).
        #[arg(long)]
        max: bool,
        /// GeoJSON files of further zones, merged into the built-in catalogue.
        #[arg(long = "zones", value_name = "FILE")]
        zones: Vec<PathBuf>,
        /// The node's event marking policy (JSON: default and per-kind TLP and releasable-to);
        /// without it events are TLP:AMBER+STRICT and releasable to no other partner.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// The node's partner code, originator of every event.
        #[arg(long, default_value = "TW", value_parser = parse_partner)]
        partner: kuroshio_model::PartnerCode,
        /// Detector thresholds (JSON: ais_gap, identity_conflict, loitering, encounter); the
        /// documented defaults (Global Fishing Watch's definitions) when absent.
        #[arg(long, value_name = "FILE")]
        detectors: Option<PathBuf>,
        /// Receiver position LAT,LON for Mode S inputs.
        #[arg(long, value_parser = parse_reference, value_name = "LAT,LON")]
        reference: Option<(f64, f64)>,
        /// What the 48-bit time stamp of Beast binary frames is: `counter`, the 12 MHz
        /// free-running counter of dump1090, readsb and modesdeco (needs --beast-start), or
        /// `gps`, GPS time of day of a Radarcape or Mode-S Beast in GPS timestamp mode (needs
        /// --beast-date or --beast-start). Default: `gps` with --beast-date, else `counter`.
        #[arg(long, value_enum, value_name = "CLOCK")]
        beast_clock: Option<BeastClock>,
        /// Receive time of the first frame of each Beast binary input, RFC 3339 (e.g.
        /// 2026-01-01T08:00:00Z). With the counter, later frames are this plus the counter's
        /// advance at 12 MHz; with gps, it picks the date (the first frame within 12 hours of it).
        #[arg(long, value_parser = parse_time, value_name = "RFC3339")]
        beast_start: Option<kuroshio_model::Timestamp>,
        /// UTC date of the first frame of each Beast binary input with GPS time stamps; the date
        /// advances at each midnight rollover. Implies --beast-clock gps.
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD", conflicts_with = "beast_start")]
        beast_date: Option<(i32, u8, u8)>,
        /// Do not print the summary on standard error.
        #[arg(long, short)]
        quiet: bool,
        /// Recorded inputs (`-` for standard input).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// List the zone catalogue (lines, areas and gates with their status and source), or
    /// export it as GeoJSON.
    ///
    /// The built-in catalogue covers the Taiwan Strait median line, the ROC, PRC and Japanese
    /// ADIZs as far as they are known, the PRC 2012 baselines around the Senkaku/Diaoyu
    /// islands (a claim), 12 and 24 nm limits around the islands that matter, strait gates and
    /// the Taipei and Fukuoka FIRs. Files given with --zones add zones or replace built-in ones
    /// with the same id.
    Zones {
        /// GeoJSON files of further zones (FeatureCollection; each feature with `id`, `kind`,
        /// `status`, `source` and names).
        #[arg(long = "zones", value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write the whole catalogue as one GeoJSON FeatureCollection instead of a listing.
        #[arg(long)]
        geojson: bool,
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

/// Input format of `kuroshio decode`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Input {
    /// Detect from the first bytes of each input.
    Auto,
    /// AIS as NMEA 0183 sentences.
    Nmea,
    /// Mode S in Beast binary.
    Beast,
    /// Mode S as AVR text.
    Avr,
    /// Mode S as hex lines, optionally `unix_time,hex`.
    Hex,
    /// SBS-1 BaseStation CSV.
    Sbs,
}

/// What the time stamp of Beast binary frames is, for `kuroshio replay`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BeastClock {
    /// The 12 MHz free-running counter (dump1090, readsb, modesdeco).
    Counter,
    /// GPS time of day: UTC second of day and nanosecond (Radarcape GPS timestamps).
    Gps,
}

/// Parses an RFC 3339 time (`2026-01-01T08:00:00Z`, `2026-01-01T16:00:00+08:00`).
fn parse_time(text: &str) -> Result<kuroshio_model::Timestamp, String> {
    kuroshio_model::Timestamp::parse(text).map_err(|e| e.to_string())
}

/// Parses a date `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<(i32, u8, u8), String> {
    let bad = || format!("{text:?} is not a date YYYY-MM-DD, e.g. 2026-01-01");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return Err(bad());
    };
    kuroshio_model::Timestamp::from_civil(y, m, d, 0, 0, 0, 0).ok_or_else(bad)?;
    Ok((y, m, d))
}

/// Parses a partner code (`JP`, `US`, `TW`, …).
fn parse_partner(text: &str) -> Result<kuroshio_model::PartnerCode, String> {
    kuroshio_model::PartnerCode::parse(text).map_err(|e| e.to_string())
}

/// Parses `LAT,LON` in degrees.
fn parse_reference(text: &str) -> Result<(f64, f64), String> {
    let (lat, lon) = text.split_once(',').ok_or("expected LAT,LON, e.g. 25.08,121.23")?;
    let lat: f64 = lat.trim().parse().map_err(|_| format!("latitude {lat:?} is not a number"))?;
    let lon: f64 = lon.trim().parse().map_err(|_| format!("longitude {lon:?} is not a number"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("{lat},{lon} is not a position (latitude ±90, longitude ±180)"));
    }
    Ok((lat, lon))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Decode { format, input, reference, lenient, quiet, files } => {
            decode::run(&decode::Options { format, input, reference, lenient, quiet }, &files)
        }
        Command::Sample { count, seed } => sample::run(count, seed),
        Command::Zones { files, geojson } => zones::run(&files, geojson),
        Command::Replay {
            speed,
            max: _,
            zones,
            policy,
            partner,
            detectors,
            reference,
            beast_clock,
            beast_start,
            beast_date,
            quiet,
            inputs,
        } => {
            if speed.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                eprintln!("kuroshio: --speed must be a positive number");
                return ExitCode::from(2);
            }
            let clock = beast_clock.unwrap_or(match beast_date {
                Some(_) => BeastClock::Gps,
                None => BeastClock::Counter,
            });
            let beast = match (clock, beast_start, beast_date) {
                (BeastClock::Counter, _, Some(_)) => {
                    eprintln!(
                        "kuroshio: --beast-date goes with --beast-clock gps; the 12 MHz counter \
                         needs --beast-start <RFC 3339 time of the first frame>"
                    );
                    return ExitCode::from(2);
                }
                (BeastClock::Counter, Some(start), None) => replay::BeastTiming::Counter { start },
                (BeastClock::Counter, None, None) => replay::BeastTiming::Missing { gps: false },
                (BeastClock::Gps, _, Some((year, month, day))) => {
                    replay::BeastTiming::GpsDate { year, month, day }
                }
                (BeastClock::Gps, Some(near), None) => replay::BeastTiming::GpsNear { near },
                (BeastClock::Gps, None, None) => replay::BeastTiming::Missing { gps: true },
            };
            replay::run(
                &replay::Options {
                    speed,
                    zones,
                    policy,
                    partner,
                    detectors,
                    reference,
                    beast,
                    quiet,
                },
                &inputs,
            )
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A missing option found only once the input was read is still a usage error.
            if let Some(usage) = e.downcast_ref::<replay::UsageError>() {
                eprintln!("kuroshio: {usage}");
                return ExitCode::from(2);
            }
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
