//! Kuroshio's scenario generator: realistic regional traffic around Taiwan and the southern
//! Ryukyus, emitted as the bytes real receivers produce, with the ground truth alongside.
//!
//! A [`Scenario`] (a TOML file; format below) says when, how much background traffic, and
//! which activities to inject. [`Generator`] turns it into a time-ordered stream of
//! [`Record`]s — AIS messages with their receiving station and channel, sensor-track updates,
//! and ADS-B frames of civil aircraft — and gathers [`TruthRecord`]s in the monitoring
//! engine's event kinds. [`wire`] writes the records as `!AIVDM` sentences with NMEA 4.10 tag
//! blocks (through `kuroshio-ais`'s encoder and `kuroshio-nmea`'s writer), as lines of the
//! plain track format of [`track_format`] (which also reads that format back into
//! `Observation`s), and as Beast binary frames with GPS time-of-day time stamps (through
//! `kuroshio-adsb`'s `encode`). [`report`] sums the PLA activity of each day into the text of
//! the ROC MND's daily release.
//!
//! The crate is sans-IO: no files, no clock, no global random generator. The same scenario and
//! seed give the same records, byte for byte (see `tests/generate.rs`).
//!
//! # Scenario format
//!
//! ```toml
//! name = "quiet-day"                  # short name, used in summaries
//! description = "…"                   # free text: what it shows, what it is patterned on
//! start = "2026-03-10T00:00:00Z"      # RFC 3339 start of the window
//! hours = 24                          # length of the window, 0 < hours <= 168
//! seed = 20260310                     # every random choice derives from it
//!
//! [traffic]                           # background traffic; every field defaults to 0
//! cargo = 300                         # Class A cargo ships (type 70-74) on the lanes, 12-20 kn
//! tanker = 80                         # Class A tankers (type 80-84) on the lanes, 10-15 kn
//! passenger = 20                      # Class A ferries (type 60/69) on the port approaches, 15-22 kn
//! fishing = 200                       # Class B "CS" fishing boats (type 30) on the grounds, 0-6 kn
//! aircraft_tracks = 0                 # aircraft as sensor tracks, straight legs, 250-480 kn
//! airliners = 240                     # civil flights a day with ADS-B on the airways
//!
//! [[activity]]                        # any number of activities (at most 1,000)
//! kind = "go_dark"                    # selects the activity; see below
//! id = "dark-1"                       # label written in the ground truth
//! # … the kind's own fields
//! ```
//!
//! Times of activities are hours after `start` (`start_h`); positions are `[lon, lat]`
//! degrees; routes are lists of positions. The kinds and their fields:
//!
//! | `kind` | fields | what is generated | truth |
//! |---|---|---|---|
//! | `go_dark` | `lane` (a lane id of [`geo::LANES`]), `start_h`, `gap_h` | a cargo ship on the lane that transmits nothing from `start_h` for `gap_h` | `ais_gap` from its last message before to its first after |
//! | `encounter` | `position`, `start_h`, `duration_h` | a tanker and a fishing vessel arrive from 16 nm away, lie 185 m apart drifting below 0.1 kn for `duration_h`, then leave | `encounter` (entity and `partner`) over the meeting |
//! | `spoofer` | `position`, `spoof_position`, `start_h`, `duration_h` | one MMSI reported by two transmitters at the two places, each moving at 10 kn | `identity_conflict` over the window |
//! | `naval_transit` | `route`, `ships`, `speed_knots`, `start_h`, `spacing_min` (5), `ais` (false), `update_s` (30), `names` ([]), `zones` ([]) | ships in column along the route: sensor tracks (`domain = "sea"`, `kind = "warship"`), or AIS Class A type 35 when `ais = true` | `gate_transit`/`line_crossing` for every crossing; `zone_entry`/`zone_dwell` for the areas in `zones` |
//! | `patrol` | `route` (closed loop), `ships`, `speed_knots`, `start_h`, `duration_h`, `zones` ([]) | coast guard ships (AIS Class A type 55, Chinese MIDs, `HAIJING nnnn`) circling the loop, spread along it | as `naval_transit` |
//! | `sorties` | `route`, `aircraft`, `aircraft_kind` ("fighter"), `speed_knots`, `altitude_ft`, `start_h`, `spacing_min` (5), `loiter_min` (0), `update_s` (10), `zones` ([]) | aircraft as sensor tracks (`domain = "air"`, no ADS-B) flying the route, orbiting `loiter_min` at its end, and flying it back; track ids `<id>-01`, `<id>-02`, … | as `naval_transit` |
//! | `militia` | `centre`, `radius_nm`, `vessels`, `start_h`, `duration_h` | Class A fishing vessels (type 30, MID 412, status 7) drifting at 0.1–1.5 kn inside the square of half-side `radius_nm` | `loitering` per vessel when `duration_h >= 8` |
//! | `distress` | `route`, `speed_knots` (8), `start_h`, `reappear_h` (none) | a Class A fishing vessel (type 30, MID 416) sailing the route, silent from its arrival at the last point (the casualty) at `start_h`, for good or for `reappear_h` | `ais_gap` when it is heard again; none otherwise |
//! | `sart` | `position`, `start_h`, `duration_h`, `wind_from_deg` (0), `wind_speed_ms` (0), `current_to_deg` (0), `current_knots` (0) | an AIS-SART (MMSI `970xxyyyy`, message 1, status 14, one report a minute) drifting with the current and a life raft's downwind leeway ([`generator::LEEWAY_DOWNWIND_SLOPE`]) | crossings only |
//! | `sar_search` | `unit` (`ship`/`aircraft`), `units` (1), `base`, `datum`, `pattern` (`expanding_square`/`parallel_track`), `track_spacing_nm`, `area_width_nm` (10), `area_length_nm` (10), `first_course_deg` (0), `speed_knots`, `altitude_ft` (1000), `start_h`, `duration_h` | coast guard ships (Class A type 55, MID 416) or a SAR aircraft (message 9 every 10 s, MMSI `111416axx`) flying from `base` to the datum and searching in the IAMSAR pattern (IAMSAR Manual Vol II, Chapter 5), each unit its own area side by side, then back | crossings only |
//!
//! Values in parentheses are defaults. Zone ids are those of `kuroshio zones` (the built-in
//! catalogue, `crates/zones/data`); a `zones` entry must be an area.
//!
//! # Output
//!
//! - AIS: every message as it is received, behind a tag block naming the nearest shore
//!   station of [`geo::STATIONS`] (coverage is not modelled) and the Unix second; Class A
//!   position reports (message 1) and static and voyage data (message 5, every 6 min), Class
//!   B "CS" position reports (message 18) and static data (message 24 A and B), at the
//!   intervals of [`reporting`].
//! - Sensor tracks: [`track_format`], one line per update, source `sim-partner-radar`.
//! - ADS-B: civil airliners on the airways of [`geo::AIRWAYS`] (climb, cruise at FL300–FL400
//!   and 430–490 kn, descent), ICAO addresses from the blocks of their airlines' States
//!   ([`identity`]), as DF 17 extended squitters with real parity: one airborne position
//!   (type code 11, barometric altitude, CPR even and odd alternating) and one airborne
//!   velocity (type code 19) a second — half the DO-260B rates, see
//!   [`generator::ADSB_POSITION_INTERVAL_MS`] — and identification (type code 4) and
//!   aircraft status with the Mode A code (type code 28) every 5 s; written as Beast binary
//!   with Radarcape GPS time-of-day stamps, one receiver, coverage not modelled.
//! - Daily report: [`report`], the MND-style text of each 06:00–06:00 (UTC+8) day.
//! - Ground truth: [`truth`].
//!
//! What is not generated yet: Cursor-on-Target, balloons in the daily report, AIS-SART
//! safety messages (message 14 "SART ACTIVE"), and surface movement of aircraft.

pub mod generator;
pub mod geo;
pub mod identity;
mod numeric;
pub mod queue;
pub mod report;
pub mod reporting;
pub mod rng;
pub mod scenario;
pub mod track_format;
pub mod truth;
pub mod wire;

pub use generator::{AdsbReport, AisReport, Counts, GenerateError, Generator, Record};
pub use scenario::{Activity, SarUnit, Scenario, ScenarioError, SearchPattern, Traffic};
pub use track_format::{Domain, TrackLineError, TrackPoint, parse_line as parse_track_line};
pub use truth::{TruthEntity, TruthRecord};
