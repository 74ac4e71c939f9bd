//! `kuroshio`: the command-line face of a Kuroshio node.
//!
//! It decodes feeds (`decode`), runs them through tracking and detection (`replay`), keeps them
//! in the node's store (`ingest`, `query`, `store`), lists the zone catalogue (`zones`),
//! generates exercise scenarios (`generate`), runs the node's main job on one (`demo`), and
//! keeps the node's signing key and sends events to partners as signed STIX (`key`, `share`), and
//! serves the node's HTTP API (`serve`). This
//! crate owns the file system, standard streams and process exit codes; everything it runs is a
//! sans-IO library or the store underneath.

mod activity_cmd;
mod audit_cmd;
mod decode;
mod demo;
mod feed;
mod generate;
mod ingest;
mod node;
mod push_cmd;
mod replay;
mod report_cmd;
mod serve;
mod share_cmd;
mod store_cmd;
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
    /// Each INPUT (AIS NMEA, Mode S as AVR/hex/`timestamp,hex` lines or Beast binary, SBS-1,
    /// sensor tracks as NDJSON like `kuroshio generate` writes) is
    /// decoded into observations timed by the input itself (NMEA 4.10 tag blocks, $PGHP headers,
    /// line time stamps, SBS date/time). All inputs are merged in time order, folded into tracks,
    /// and every event (zone entry/exit/dwell, median-line crossing, strait-gate transit, AIS
    /// gap, identity conflict, loitering, encounter) is written as one JSON object per line: id,
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
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// Do not print the summary on standard error.
        #[arg(long, short)]
        quiet: bool,
        /// Recorded inputs (`-` for standard input).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Decode, track and detect recorded feeds like `replay`, and keep everything in the
    /// node's store: positions, the latest picture, events.
    ///
    /// Observations and their events are stored in batches, each made durable before the next;
    /// every batch also stores how far the run got, so running the same command again after a
    /// crash or a kill resumes where it stopped, storing nothing twice.
    #[command(after_help = "Examples:\n  \
        kuroshio ingest --store node-data ais.nmea flights.csv\n  \
        kuroshio ingest --store postgresql://kuroshio@localhost/kuroshio ais.nmea")]
    Ingest {
        /// The store: a directory (embedded store, created if missing) or a
        /// postgres:// or postgresql:// URL (PostgreSQL with PostGIS).
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// Do not print the summary on standard error.
        #[arg(long, short)]
        quiet: bool,
        /// Recorded inputs (`-` for standard input).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Ask the node's store: the latest picture, a target's track and history, positions in a
    /// box and time range, events, shared objects, the audit log. JSON on standard output, one
    /// object per line; times in RFC 3339 UTC.
    ///
    /// Targets are written vessel:MMSI, aircraft:HEX6 or local:ID (a bare 9-digit MMSI or
    /// 6-digit hex address also works). Times are RFC 3339 or YYYY-MM-DD (the day's start, UTC);
    /// ranges include --from and exclude --to. Exit code 1 when a single thing asked for is not
    /// in the store.
    #[command(after_help = "Examples:\n  \
        kuroshio query --store node-data latest --bbox 118,21,123,27\n  \
        kuroshio query --store node-data history vessel:416001234 --from 2024-08-01 --to 2024-08-02\n  \
        kuroshio query --store node-data positions --bbox 119.5,23,120.5,24 --from 2024-08-01T06:00:00Z --to 2024-08-01T07:00:00Z\n  \
        kuroshio query --store node-data events --kind line_crossing --zone median_line")]
    Query {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        #[command(subcommand)]
        query: QueryCmd,
    },
    /// Look after the node's store: integrity check, export of a day's positions, retention.
    Store {
        #[command(subcommand)]
        action: StoreCmd,
    },
    /// Serve the node's HTTP API over its store: the latest picture, track history, events
    /// (with the partner view `as=`), the zone catalogue, /health and /openapi.json.
    ///
    /// Prints the bound address first (`--listen 127.0.0.1:0` picks a free port); SIGINT or
    /// SIGTERM stops it after the requests in flight.
    #[command(after_help = "Examples:\n  \
        kuroshio serve --store node-data\n  \
        kuroshio serve --store postgresql://kuroshio@localhost/kuroshio --listen 0.0.0.0:8080\n  \
        curl 'http://127.0.0.1:8080/api/v1/events?kind=line_crossing&as=JP'")]
    Serve {
        /// The store: a directory (embedded store) or a postgres:// or postgresql:// URL.
        #[arg(long, value_name = "PATH|URL", required_unless_present = "config")]
        store: Option<String>,
        /// Run a federated node from its configuration file (TOML): the API and web map, a
        /// TAXII 2.1 server, and publication of the node's events; the other options are then
        /// taken from the file.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["store", "zones"])]
        config: Option<PathBuf>,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
        listen: String,
        /// The node's partner code (whose view `as=` filters from).
        #[arg(long, default_value = "TW", value_parser = parse_partner)]
        partner: kuroshio_model::PartnerCode,
        /// GeoJSON files of further zones, merged into the built-in catalogue.
        #[arg(long = "zones", value_name = "FILE")]
        zones: Vec<PathBuf>,
    },
    /// The node's TLS identity for mutual TLS between partners' nodes.
    Tls {
        #[command(subcommand)]
        action: TlsCmd,
    },
    /// Users of the node's TAXII server.
    Taxii {
        #[command(subcommand)]
        action: TaxiiCmd,
    },
    /// The node's Ed25519 signing key: every object the node originates is signed with it.
    Key {
        #[command(subcommand)]
        action: KeyCmd,
    },
    /// Send stored events to a partner as a signed STIX 2.1 bundle, or check a bundle.
    ///
    /// Every object goes through the node's one visibility decision for the receiving partner
    /// and, as the bytes to be written, through the independent egress guard; what the guard
    /// refuses is not written. What is sent is recorded in the store's audit log.
    #[command(after_help = "Examples:\n  \
        kuroshio key generate --out tw.key\n  \
        kuroshio share export --store node-data --key tw.key --partner TW --to JP --out to-jp.json\n  \
        kuroshio share check --partner TW --to JP --public-key TW=$(kuroshio key public --key tw.key) to-jp.json")]
    Share {
        #[command(subcommand)]
        action: ShareCmd,
    },
    /// Verify the store's hash-chained audit log (who created, received, sent what, to whom),
    /// or print its head as an anchor to keep elsewhere.
    Audit {
        #[command(subcommand)]
        action: audit_cmd::AuditCmd,
    },
    /// Generate a scenario: regional traffic as AIS sentences and sensor tracks, with the
    /// ground truth of every injected activity.
    ///
    /// Writes into DIR: ais.nmea (!AIVDM with NMEA 4.10 tag blocks), adsb.beast (civil
    /// aircraft's ADS-B as Beast binary with GPS time-of-day stamps: replay it with
    /// --beast-clock gps --beast-date <the scenario's start date>), tracks.ndjson (sensor
    /// tracks), mnd-report.txt (the PLA activity of each 06:00-06:00 UTC+8 day in the form of
    /// Taiwan MND's daily report, English and Chinese) and truth.ndjson (one record per injected
    /// activity or crossing, in the event kinds of `kuroshio replay`). The same scenario file
    /// gives the same bytes.
    #[command(after_help = "Examples:\n  \
        kuroshio generate scenarios/quiet-day.toml --out /tmp/quiet\n  \
        kuroshio generate scenarios/pla-exercise-day.toml --out /tmp/pla --hours 2\n  \
        kuroshio replay --beast-clock gps --beast-date 2026-03-10 /tmp/quiet/*.nmea /tmp/quiet/*.beast")]
    Generate {
        /// Scenario file (TOML; see scenarios/README.md).
        scenario: PathBuf,
        /// Folder to write into (created if missing; files in it are replaced).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Hours to generate instead of the scenario's own length.
        #[arg(long)]
        hours: Option<f64>,
    },
    /// Run the node's main job on a generated scenario: traffic around Taiwan and the southern
    /// Ryukyus, decoded, tracked, checked by the gray-zone detectors and stored, live at an
    /// accelerated clock, with the HTTP API served over the store, until Ctrl-C.
    ///
    /// The generator's output goes through the node's own decoders as AIS sentences and
    /// sensor-track lines. Observations and events are stored in group commits, each durable
    /// before the next; running the same command again on the same store resumes where the
    /// last run stopped. A summary (data time, rates, targets, events by kind, store) and the
    /// latest events are printed every few seconds.
    #[command(after_help = "Examples:\n  \
        kuroshio demo\n  \
        kuroshio demo --speed 600 --store /tmp/demo-store\n  \
        kuroshio demo scenarios/quiet-day.toml --max --hours 2 --no-serve\n  \
        kuroshio demo --listen 127.0.0.1:9000")]
    Demo {
        /// Scenario file (TOML; see scenarios/README.md); the built-in PLA exercise day
        /// (scenarios/pla-exercise-day.toml) when absent.
        scenario: Option<PathBuf>,
        /// The store: a directory (embedded store, created if missing) or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL", default_value = "kuroshio-demo.store")]
        store: String,
        /// Data seconds per wall second.
        #[arg(long, value_name = "N", default_value_t = 60.0, conflicts_with = "max")]
        speed: f64,
        /// As fast as possible instead of paced.
        #[arg(long)]
        max: bool,
        /// Hours of the scenario to run instead of its own length.
        #[arg(long)]
        hours: Option<f64>,
        /// Wall seconds between summaries.
        #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
        every: f64,
        /// GeoJSON files of further zones, merged into the built-in catalogue.
        #[arg(long = "zones", value_name = "FILE")]
        zones: Vec<PathBuf>,
        /// The node's event marking policy (JSON), as for `replay`.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// The node's partner code, originator of every event.
        #[arg(long, default_value = "TW", value_parser = parse_partner)]
        partner: kuroshio_model::PartnerCode,
        /// Detector thresholds (JSON), as for `replay`.
        #[arg(long, value_name = "FILE")]
        detectors: Option<PathBuf>,
        /// Where to serve the HTTP API over the store (127.0.0.1:0 picks a free port).
        #[arg(
            long,
            default_value = "127.0.0.1:8080",
            value_name = "ADDR:PORT",
            conflicts_with = "no_serve"
        )]
        listen: String,
        /// Serve no API, and exit when the scenario ends.
        #[arg(long)]
        no_serve: bool,
    },
    /// Reports and the activity database: `daily`, the day's PLA activity around Taiwan in
    /// MND's categories and Japan's strait terms, as HTML, PDF or JSON in English, Japanese or
    /// Traditional Chinese; `import` of official releases and MND-derived tables; `trends`,
    /// monthly or yearly totals; `hull`, one ship across Japan's releases.
    Report {
        #[command(subcommand)]
        action: report_cmd::ReportCmd,
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
}

/// What `replay` and `ingest` share: the node's zones, policy and detector settings, and how
/// inputs are timed.
#[derive(clap::Args)]
struct PipelineArgs {
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
    /// Detector thresholds (JSON: zone_dwell, ais_gap, identity_conflict, loitering,
    /// encounter); the documented defaults (Global Fishing Watch's definitions for the
    /// behaviours, one hour for dwell) when absent.
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
    #[arg(long, value_parser = store_cmd::parse_date, value_name = "YYYY-MM-DD", conflicts_with = "beast_start")]
    beast_date: Option<(i32, u8, u8)>,
}

impl PipelineArgs {
    /// The replay options these arguments say, or the usage error to print.
    fn options(self, speed: Option<f64>, quiet: bool) -> Result<replay::Options, String> {
        let clock = self.beast_clock.unwrap_or(match self.beast_date {
            Some(_) => BeastClock::Gps,
            None => BeastClock::Counter,
        });
        let beast = match (clock, self.beast_start, self.beast_date) {
            (BeastClock::Counter, _, Some(_)) => {
                return Err("--beast-date goes with --beast-clock gps; the 12 MHz counter needs \
                     --beast-start <RFC 3339 time of the first frame>"
                    .to_owned());
            }
            (BeastClock::Counter, Some(start), None) => replay::BeastTiming::Counter { start },
            (BeastClock::Counter, None, None) => replay::BeastTiming::Missing { gps: false },
            (BeastClock::Gps, _, Some((year, month, day))) => {
                replay::BeastTiming::GpsDate { year, month, day }
            }
            (BeastClock::Gps, Some(near), None) => replay::BeastTiming::GpsNear { near },
            (BeastClock::Gps, None, None) => replay::BeastTiming::Missing { gps: true },
        };
        Ok(replay::Options {
            speed,
            zones: self.zones,
            policy: self.policy,
            partner: self.partner,
            detectors: self.detectors,
            reference: self.reference,
            beast,
            quiet,
        })
    }
}

/// `kuroshio query` subcommands.
#[derive(Subcommand)]
enum QueryCmd {
    /// The latest state of every target, newest first.
    Latest {
        /// Only targets whose latest position is in W,S,E,N (degrees).
        #[arg(long, value_parser = store_cmd::parse_bbox, value_name = "W,S,E,N", allow_hyphen_values = true)]
        bbox: Option<kuroshio_store::BBox>,
        /// Only targets seen at or after this time.
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        since: Option<kuroshio_model::Timestamp>,
        /// Most rows.
        #[arg(long, default_value_t = 1000, value_parser = parse_limit)]
        limit: usize,
    },
    /// One target's latest state.
    Track {
        /// vessel:MMSI, aircraft:HEX6 or local:ID.
        #[arg(value_parser = store_cmd::parse_target)]
        target: kuroshio_model::TargetId,
    },
    /// One target's positions, oldest first.
    History {
        /// vessel:MMSI, aircraft:HEX6 or local:ID.
        #[arg(value_parser = store_cmd::parse_target)]
        target: kuroshio_model::TargetId,
        /// Start of the range (included); the beginning of the store when absent.
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        from: Option<kuroshio_model::Timestamp>,
        /// End of the range (excluded); the end of the store when absent.
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        to: Option<kuroshio_model::Timestamp>,
        /// Most rows.
        #[arg(long, default_value_t = 100_000, value_parser = parse_limit)]
        limit: usize,
    },
    /// Every position in a box and time range, by time.
    Positions {
        /// W,S,E,N in degrees.
        #[arg(long, value_parser = store_cmd::parse_bbox, value_name = "W,S,E,N", allow_hyphen_values = true)]
        bbox: kuroshio_store::BBox,
        /// Start of the range (included).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        from: kuroshio_model::Timestamp,
        /// End of the range (excluded).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        to: kuroshio_model::Timestamp,
        /// Most rows.
        #[arg(long, default_value_t = 100_000, value_parser = parse_limit)]
        limit: usize,
    },
    /// Events by kind, zone, target and time, by time.
    Events {
        /// Only this kind (repeat for several): zone_entry, line_crossing, ais_gap, …
        #[arg(long = "kind", value_parser = store_cmd::parse_kind, value_name = "KIND")]
        kinds: Vec<kuroshio_detect::EventKind>,
        /// Only events involving this zone id (see `kuroshio zones`).
        #[arg(long, value_name = "ID")]
        zone: Option<String>,
        /// Only events about this target.
        #[arg(long, value_parser = store_cmd::parse_target, value_name = "TARGET")]
        target: Option<kuroshio_model::TargetId>,
        /// Start of the range (included).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        from: Option<kuroshio_model::Timestamp>,
        /// End of the range (excluded).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        to: Option<kuroshio_model::Timestamp>,
        /// Most rows.
        #[arg(long, default_value_t = 10_000, value_parser = parse_limit)]
        limit: usize,
    },
    /// One event by id.
    Event {
        /// The event's id.
        id: String,
    },
    /// A shared object: the latest version, or the one given.
    Object {
        /// The object's id (e.g. a STIX id).
        id: String,
        /// The version (for STIX, the `modified` time as written).
        #[arg(long)]
        version: Option<String>,
    },
    /// Every stored version of an object.
    Versions {
        /// The object's id.
        id: String,
    },
    /// Audit log entries in order.
    Audit {
        /// First sequence number (from 1).
        #[arg(long, default_value_t = 1)]
        from_seq: u64,
        /// Most rows.
        #[arg(long, default_value_t = 1000, value_parser = parse_limit)]
        limit: usize,
    },
}

/// `kuroshio tls` subcommands.
#[derive(Subcommand)]
enum TlsCmd {
    /// A new CA for the node (its `ca.pem` is what partners trust) and a node certificate
    /// signed by it for the names given (server and client authentication), with its key.
    Generate {
        /// The node's partner code.
        #[arg(long, value_parser = parse_partner)]
        partner: kuroshio_model::PartnerCode,
        /// DNS names and IP addresses partners reach the node by (repeatable).
        #[arg(long = "name", required = true)]
        names: Vec<String>,
        /// Folder for ca.pem, node.pem and node.key (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
}

/// `kuroshio taxii` subcommands.
#[derive(Subcommand)]
enum TaxiiCmd {
    /// Make a user of the node's TAXII server: prints a new token once (it is not kept) and
    /// the `[[taxii.users]]` lines for the node configuration (a salt and the token's SHA-256).
    User {
        /// The user name (HTTP Basic).
        #[arg(long)]
        name: String,
        /// The partner the user acts for (a partner's node pulling over Basic instead of
        /// mutual TLS); without it, a user of this node.
        #[arg(long, value_parser = parse_partner)]
        partner: Option<kuroshio_model::PartnerCode>,
    },
    /// Push STIX objects to a partner's TAXII collection over mutual TLS, as this node: a
    /// bundle, a TAXII envelope or a JSON list (e.g. what `kuroshio share` wrote, sealed by
    /// this node). Prints how many were stored and refused; exits 1 when any was refused.
    Push {
        /// The node configuration (its `[tls]` identity and the partner's `[[peers]]` entry).
        #[arg(long, value_name = "FILE")]
        config: PathBuf,
        /// The partner whose node receives the objects.
        #[arg(long, value_parser = parse_partner)]
        to: kuroshio_model::PartnerCode,
        /// The file of objects.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The partner's API root.
        #[arg(long, default_value = node::API_ROOT)]
        root: String,
        /// The partner's collection.
        #[arg(long, default_value = node::EVENTS_COLLECTION)]
        collection: String,
    },
}

/// `kuroshio key` subcommands.
#[derive(Subcommand)]
enum KeyCmd {
    /// Create a new key file (64 hex digits of a 32-byte secret from /dev/urandom, mode
    /// 0600); prints the public key. An existing file is never overwritten.
    Generate {
        /// The key file to create.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the public key of a key file (64 hex digits), for partners to verify with.
    Public {
        /// The key file.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
    },
}

/// The federation as `share` sees it.
#[derive(clap::Args)]
struct Federation {
    /// This node's partner code, originator of what it sends.
    #[arg(long, default_value = "TW", value_parser = parse_partner)]
    partner: kuroshio_model::PartnerCode,
    /// The federation's partners (comma-separated codes).
    #[arg(long, value_delimiter = ',', default_value = "JP,US,TW", value_parser = parse_partner)]
    partners: Vec<kuroshio_model::PartnerCode>,
    /// The receiving partner.
    #[arg(long, value_parser = parse_partner)]
    to: kuroshio_model::PartnerCode,
}

/// `kuroshio share` subcommands.
#[derive(Subcommand)]
enum ShareCmd {
    /// Write the stored events the receiving partner may see as a signed STIX 2.1 bundle.
    Export {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        /// The node's key file (`kuroshio key generate`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        #[command(flatten)]
        federation: Federation,
        /// Only this kind (repeat for several).
        #[arg(long = "kind", value_parser = store_cmd::parse_kind, value_name = "KIND")]
        kinds: Vec<kuroshio_detect::EventKind>,
        /// Start of the range (included).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        from: Option<kuroshio_model::Timestamp>,
        /// End of the range (excluded).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME")]
        to_time: Option<kuroshio_model::Timestamp>,
        /// Most events read from the store.
        #[arg(long, default_value_t = 10_000, value_parser = parse_limit)]
        limit: usize,
        /// The bundle file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import STIX from outside the federation (bundles, lists or objects; STIX 2.0 upgraded
    /// to 2.1) into the store, marked for sharing: the object's own TLP (TLP 1.0 mapped to
    /// 2.0) or --tlp, originated by this node, releasable to --releasable-to. Broken objects
    /// (bad ids, missing times, undefined markings) are refused one by one and listed.
    Import {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        /// This node's partner code, originator of the marking.
        #[arg(long, default_value = "TW", value_parser = parse_partner)]
        partner: kuroshio_model::PartnerCode,
        /// TLP for objects that carry none.
        #[arg(long, default_value = "AMBER+STRICT", value_parser = parse_tlp)]
        tlp: kuroshio_model::Tlp,
        /// Partners besides this node that may see the objects (comma-separated).
        #[arg(long, value_delimiter = ',', value_parser = parse_partner)]
        releasable_to: Vec<kuroshio_model::PartnerCode>,
        /// Recipients may not pass the objects on.
        #[arg(long)]
        no_further_sharing: bool,
        /// STIX files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check a bundle: may it go to the receiving partner (the egress guard), and do its
    /// signatures hold (given the originators' public keys)? Exit code 1 when not.
    Check {
        #[command(flatten)]
        federation: Federation,
        /// A partner's public key as CODE=HEX (repeat for several).
        #[arg(long = "public-key", value_parser = share_cmd::parse_public_key, value_name = "CODE=HEX")]
        public_keys: Vec<(kuroshio_model::PartnerCode, [u8; 32])>,
        /// The bundle file.
        bundle: PathBuf,
    },
}

/// `kuroshio store` subcommands.
#[derive(Subcommand)]
enum StoreCmd {
    /// Check the store's integrity (SQLite integrity check, every GeoParquet file, or the
    /// PostgreSQL tables); JSON report on standard output, exit code 1 when unsound.
    Check {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
    },
    /// Write one UTC day's positions to a file: GeoParquet 1.1 (opens in GeoPandas, DuckDB,
    /// QGIS), GeoJSON or CSV.
    Export {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        /// The UTC day.
        #[arg(long, value_parser = store_cmd::parse_date, value_name = "YYYY-MM-DD")]
        day: (i32, u8, u8),
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportAs::Geoparquet)]
        format: ExportAs,
        /// Output file (written under a temporary name, renamed when complete).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Drop position history and events before a time (tracks, objects and the audit log are
    /// kept).
    Retain {
        /// The store: a directory or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        store: String,
        /// Keep what is at or after this time (RFC 3339 or YYYY-MM-DD).
        #[arg(long, value_parser = store_cmd::parse_time, value_name = "TIME", required_unless_present = "keep_days", conflicts_with = "keep_days")]
        before: Option<kuroshio_model::Timestamp>,
        /// The retention horizon: keep the last DAYS days before now (the system clock).
        #[arg(long, value_name = "DAYS", value_parser = parse_days)]
        keep_days: Option<f64>,
    },
}

/// Export formats of `kuroshio store export`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportAs {
    /// GeoParquet 1.1, WKB points, bbox covering column, zstd.
    Geoparquet,
    /// One GeoJSON FeatureCollection of points.
    Geojson,
    /// CSV with a header line.
    Csv,
}

fn parse_days(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(d) if d.is_finite() && (0.0..=36_500.0).contains(&d) => Ok(d),
        _ => Err(format!("`{s}` is not a number of days (0 to 36500)")),
    }
}

fn parse_limit(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|_| format!("`{s}` is not a count"))?;
    if n == 0 || n > kuroshio_store::ROWS_MAX {
        return Err(format!("limit must be 1..={}", kuroshio_store::ROWS_MAX));
    }
    Ok(n)
}

fn run_query(store: &str, query: QueryCmd) -> anyhow::Result<ExitCode> {
    use store_cmd::Query;
    let query = match query {
        QueryCmd::Latest { bbox, since, limit } => Query::Latest { bbox, since, limit },
        QueryCmd::Track { target } => Query::Track { target },
        QueryCmd::History { target, from, to, limit } => {
            Query::History { target, range: store_cmd::time_range(from, to)?, limit }
        }
        QueryCmd::Positions { bbox, from, to, limit } => {
            Query::Positions { bbox, range: store_cmd::time_range(Some(from), Some(to))?, limit }
        }
        QueryCmd::Events { kinds, zone, target, from, to, limit } => {
            let range = if from.is_some() || to.is_some() {
                Some(store_cmd::time_range(from, to)?)
            } else {
                None
            };
            Query::Events(kuroshio_store::EventQuery { kinds, zone, target, range, limit })
        }
        QueryCmd::Event { id } => Query::Event { id },
        QueryCmd::Object { id, version } => Query::Object { id, version },
        QueryCmd::Versions { id } => Query::Versions { id },
        QueryCmd::Audit { from_seq, limit } => Query::Audit { from_seq, limit },
    };
    let store = store_cmd::open(store)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let found = store_cmd::run_query(store.as_ref(), query, &mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(if found { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn run_share(action: ShareCmd) -> anyhow::Result<ExitCode> {
    match action {
        ShareCmd::Export { store, key, federation, kinds, from, to_time, limit, out } => {
            let range = if from.is_some() || to_time.is_some() {
                Some(store_cmd::time_range(from, to_time)?)
            } else {
                None
            };
            share_cmd::export(&share_cmd::ExportOptions {
                store: &store,
                key: &key,
                partner: federation.partner,
                partners: federation.partners,
                to: federation.to,
                query: kuroshio_store::EventQuery { kinds, zone: None, target: None, range, limit },
                out: &out,
            })
        }
        ShareCmd::Import { store, partner, tlp, releasable_to, no_further_sharing, files } => {
            let policy = kuroshio_stix::import::ImportPolicy {
                partner,
                default_tlp: tlp,
                releasable_to,
                further_sharing: if no_further_sharing {
                    kuroshio_model::FurtherSharing::OriginatorOnly
                } else {
                    kuroshio_model::FurtherSharing::Permitted
                },
            };
            share_cmd::import(&store, &policy, &files)
        }
        ShareCmd::Check { federation, public_keys, bundle } => share_cmd::check(
            &bundle,
            federation.partner,
            &federation.partners,
            federation.to,
            &public_keys,
        ),
    }
}

fn run_store(action: StoreCmd) -> anyhow::Result<ExitCode> {
    match action {
        StoreCmd::Check { store } => {
            let store = store_cmd::open(&store)?;
            let sound = store_cmd::check(store.as_ref(), &mut std::io::stdout().lock())?;
            Ok(if sound { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        StoreCmd::Export { store, day, format, out } => {
            let format = match format {
                ExportAs::Geoparquet => kuroshio_archive::ExportFormat::GeoParquet,
                ExportAs::Geojson => kuroshio_archive::ExportFormat::GeoJson,
                ExportAs::Csv => kuroshio_archive::ExportFormat::Csv,
            };
            let rows = store_cmd::export(&store, day, format, &out)?;
            eprintln!("{rows} positions written to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        StoreCmd::Retain { store, before, keep_days } => {
            let before = match (before, keep_days) {
                (Some(t), _) => t,
                (None, Some(days)) => {
                    store_cmd::now().saturating_add_nanos(-((days * 86_400e9) as i64))
                }
                (None, None) => anyhow::bail!("give --before or --keep-days"),
            };
            let mut store = store_cmd::open(&store)?;
            let report = store.retain(before)?;
            eprintln!(
                "removed {} positions and {} events before {before}",
                report.positions, report.events
            );
            Ok(ExitCode::SUCCESS)
        }
    }
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

/// Parses a partner code (`JP`, `US`, `TW`, …).
fn parse_tlp(text: &str) -> Result<kuroshio_model::Tlp, String> {
    text.parse().map_err(|e: kuroshio_model::MarkingError| e.to_string())
}

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
        Command::Zones { files, geojson } => zones::run(&files, geojson),
        Command::Report { action } => report_cmd::run(action),
        Command::Replay { speed, max: _, pipeline, quiet, inputs } => {
            if speed.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
                eprintln!("kuroshio: --speed must be a positive number");
                return ExitCode::from(2);
            }
            match pipeline.options(speed, quiet) {
                Ok(options) => replay::run(&options, &inputs),
                Err(usage) => {
                    eprintln!("kuroshio: {usage}");
                    return ExitCode::from(2);
                }
            }
        }
        Command::Ingest { store, pipeline, quiet, inputs } => match pipeline.options(None, quiet) {
            Ok(options) => ingest::run(&options, &store, &inputs),
            Err(usage) => {
                eprintln!("kuroshio: {usage}");
                return ExitCode::from(2);
            }
        },
        Command::Query { store, query } => run_query(&store, query),
        Command::Generate { scenario, out, hours } => generate::run(&scenario, &out, hours),
        Command::Demo {
            scenario,
            store,
            speed,
            max,
            hours,
            every,
            zones,
            policy,
            partner,
            detectors,
            listen,
            no_serve,
        } => {
            let paced_ok = speed.is_finite() && speed > 0.0;
            if !max && !paced_ok {
                eprintln!("kuroshio: --speed must be a positive number");
                return ExitCode::from(2);
            }
            if !(every.is_finite() && every > 0.0) {
                eprintln!("kuroshio: --every must be a positive number of seconds");
                return ExitCode::from(2);
            }
            demo::run(&demo::Options {
                scenario,
                store,
                speed: (!max).then_some(speed),
                hours,
                every_s: every,
                listen: (!no_serve).then_some(listen),
                pipeline: replay::Options {
                    speed: None,
                    zones,
                    policy,
                    partner,
                    detectors,
                    reference: None,
                    beast: replay::BeastTiming::Missing { gps: false },
                    quiet: true,
                },
            })
        }
        Command::Store { action } => run_store(action),
        Command::Key { action } => match action {
            KeyCmd::Generate { out } => share_cmd::generate_key(&out),
            KeyCmd::Public { key } => share_cmd::public_key(&key),
        },
        Command::Share { action } => run_share(action),
        Command::Audit { action } => return audit_cmd::run(action),
        Command::Serve { config: Some(config), .. } => node::run(&config),
        Command::Serve { store, listen, partner, zones, config: None } => {
            serve::run(store.as_deref().unwrap_or_default(), &listen, partner, &zones)
        }
        Command::Tls { action } => match action {
            TlsCmd::Generate { partner, names, out } => node::generate_tls(partner, &names, &out),
        },
        Command::Taxii { action } => match action {
            TaxiiCmd::User { name, partner } => node::new_user(&name, partner),
            TaxiiCmd::Push { config, to, file, root, collection } => {
                push_cmd::run(&config, to, &file, &root, &collection)
            }
        },
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
