//! The generator: agents (vessels, aircraft, sensor tracks) moved by simple motion models and
//! reporting on their own schedules, merged into one time-ordered stream of [`Record`]s.
//!
//! Sans-IO and deterministic: [`Generator::new`] builds every agent from the scenario and its
//! seed (each agent draws from its own [`Rng`] stream), and [`Generator::next`] (the
//! `Iterator`) returns the next record in time order, ties broken by agent number, then by
//! message (position before static data). Nothing reads a clock; time is the scenario's.
//!
//! Motion models:
//! - **lane**: along a waypoint list at a constant speed, turning round at the end (the next
//!   voyage back); each vessel sails its own copy of the lane shifted by up to the lane's
//!   `spread_deg`;
//! - **wander**: fishing boats in a box, course and speed drifting at every report, steered
//!   back to the centre when they leave it;
//! - **path**: timed waypoints, straight lines in longitude and latitude between them (the
//!   injected activities).
//!
//! Reporting: AIS Class A and Class B "CS" intervals from [`crate::reporting`], static data
//! every 6 minutes; sensor tracks at the activity's `update_s`; ADS-B as in
//! [`ADSB_POSITION_INTERVAL_MS`] and [`ADSB_IDENTIFICATION_INTERVAL_MS`]; AIS-SARTs and SAR
//! aircraft at [`SART_INTERVAL_MS`] and [`SAR_AIRCRAFT_INTERVAL_MS`].
//!
//! Civil airliners fly the [`geo::AIRWAYS`] between [`geo::AIRPORTS`]: a climb from 1,000 ft
//! after take-off at [`CLIMB_FT_MIN`] and [`CLIMB_SPEED_KNOTS`], a cruise at FL300–FL400 and
//! 430–490 kn, and a descent at [`DESCENT_FT_MIN`] and [`DESCENT_SPEED_KNOTS`] to 1,000 ft on
//! the approach (short hops cruise lower, so that climb and descent fit). Taxiing and surface
//! movement are not modelled. Their ground truth is computed from the positions the engine can
//! decode: every position frame goes through `kuroshio-adsb`'s own [`CprState`] (no receiver
//! reference, as `kuroshio replay` without `--reference`), so the first fix of a flight is the
//! first global even/odd pair, exactly as on replay.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use kuroshio_adsb::cpr::{self, CprState};
use kuroshio_adsb::encode;
use kuroshio_ais::AisMessage;
use kuroshio_ais::AisText;
use kuroshio_ais::message::{
    ClassBPosition, Dimensions, PositionReport, ReferenceOrMothership, SarAircraftPosition,
    StaticDataReport, StaticDataReportA, StaticDataReportB, StaticVoyageData,
};
use kuroshio_model::Timestamp;
use kuroshio_zones::{Catalogue, Crossing, Direction, ZoneIdx, ZoneKind};
use thiserror::Error;

use crate::geo::{self, AIRWAYS, GROUNDS, LANES, Lane};
use crate::identity;
use crate::numeric::round_half_away;
use crate::queue::Agenda;
use crate::report::{Role, Tally};
use crate::reporting::{STATIC_INTERVAL_S, class_a_interval_s, class_b_interval_s};
use crate::rng::Rng;
use crate::scenario::{Activity, SarUnit, Scenario, ScenarioError, SearchPattern};
use crate::track_format::{Domain, TrackPoint};
use crate::truth::{TruthEntity, TruthRecord};

/// Most ground-truth records kept: background crossings of lines and gates grow with the
/// traffic (a few per vessel-day); beyond this limit further records are counted in
/// [`Generator::truth_dropped`] instead of kept.
pub const TRUTH_RECORDS_MAX: usize = 2_000_000;

/// The engine's default zone-dwell threshold, seconds (`kuroshio-detect`'s
/// `DWELL_THRESHOLD_S_DEFAULT`, 1 h): truth `zone_dwell` records use the same.
pub const DWELL_THRESHOLD_S: i64 = 3600;

/// The engine's default loitering duration, seconds (Global Fishing Watch: below 2 kn for
/// 8 h): militia clusters that stay this long get a `loitering` truth record.
pub const LOITERING_MIN_S: i64 = 8 * 3600;

/// Most redraws of an MMSI that clashes with one already given out.
const MMSI_DRAWS_MAX: u32 = 64;

/// ADS-B airborne position interval, milliseconds: one position and, half-way between two,
/// one airborne velocity per second. DO-260B §2.2.3.3.1 has each broadcast twice a second;
/// half that rate keeps a day of a few hundred flights to tens of megabytes and changes
/// nothing the engine computes from them (positions a second apart at 490 kn are 0.14 nm
/// apart).
pub const ADSB_POSITION_INTERVAL_MS: i64 = 1000;

/// ADS-B identification and aircraft status (Mode A code) interval, milliseconds: every 5 s,
/// the identification rate of DO-260B §2.2.3.3.1.
pub const ADSB_IDENTIFICATION_INTERVAL_MS: i64 = 5000;

/// Airliner climb rate, feet per minute (a round figure for jet airliners).
pub const CLIMB_FT_MIN: f64 = 2000.0;
/// Airliner mean ground speed in the climb, knots.
pub const CLIMB_SPEED_KNOTS: f64 = 290.0;
/// Airliner descent rate, feet per minute.
pub const DESCENT_FT_MIN: f64 = 1800.0;
/// Airliner mean ground speed in the descent, knots.
pub const DESCENT_SPEED_KNOTS: f64 = 300.0;
/// Hours before the window that airliner departures start, so that flights are already under
/// way at its start: longer than the longest route (Hong Kong or Manila to Tokyo, about 3.5 h).
pub const AIRLINER_LEAD_H: f64 = 4.0;

/// Altitude at which airliners start and stop transmitting airborne positions, feet.
const AIRBORNE_FT: f64 = 1000.0;

/// ADS-B type code of the airborne positions sent: 11, NIC 8 (within 0.1 nm), barometric
/// altitude (DO-260B Table 2-14).
const POSITION_TC: u8 = 11;

/// AIS-SART reporting interval, milliseconds: one position report a minute. IEC 61097-14
/// has the SART send its report in bursts of eight once a minute; one message of each burst
/// is generated.
pub const SART_INTERVAL_MS: i64 = 60_000;

/// SAR aircraft position report (message 9) interval, milliseconds: 10 s (ITU-R M.1371-5,
/// Annex 1, Table 1, "SAR aircraft").
pub const SAR_AIRCRAFT_INTERVAL_MS: i64 = 10_000;

/// Agents whose memory [`Generator::warm`] reads in one batch: enough outstanding misses to
/// keep the memory system busy (a core tracks a few dozen), few enough that the batch (an
/// agent is about 400 bytes, six or seven cache lines) stays in the first-level cache until it
/// is stepped.
const WARM_AHEAD: usize = 32;

/// Metres in a foot (international foot).
const FEET_TO_METRES: f64 = 0.3048;

/// Leeway of an AIS-SART's life raft: downwind speed as a share of the 10 m wind speed and an
/// offset, m/s. The coefficients of a 4–14 person deep-ballast life raft with canopy and no
/// drogue (downwind slope 3.75 %, offset −2.30 cm/s: Allen and Plourde 1999, US Coast Guard
/// R&D Center report CG-D-08-99, as tabulated in the SAROPS leeway table, category
/// LIFE-RAFT-DB-12); the crosswind component is left out, so the raft drifts straight
/// downwind plus the current.
pub const LEEWAY_DOWNWIND_SLOPE: f64 = 0.0375;
/// Offset of the life raft's downwind leeway, m/s (see [`LEEWAY_DOWNWIND_SLOPE`]).
pub const LEEWAY_DOWNWIND_OFFSET_MS: f64 = -0.023;

/// The zone whose entry the daily report counts as "crossed the median line and entered the
/// ADIZ" (see [`crate::report`]).
pub const ADIZ_EAST_ZONE: &str = "roc_adiz_east_of_median_line";

/// Source named in sensor-track records.
pub const SENSOR_SOURCE: &str = "sim-partner-radar";

/// Why a generator could not be built.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// The scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The built-in zone catalogue could not be loaded.
    #[error("zone catalogue: {0}")]
    Catalogue(String),
    /// An activity names a zone the catalogue does not have, or one that is not an area.
    #[error("activity {activity:?}: {zone:?} is not an area of the zone catalogue")]
    Zone {
        /// Activity id.
        activity: String,
        /// The zone id.
        zone: String,
    },
}

/// An AIS message as received: time, receiving station, radio channel and message.
#[derive(Debug, Clone, PartialEq)]
pub struct AisReport {
    /// Receive time.
    pub time: Timestamp,
    /// Receiving station (tag block `s:`).
    pub station: &'static str,
    /// Radio channel, `A` or `B`.
    pub channel: u8,
    /// The message.
    pub message: AisMessage,
}

/// An ADS-B extended squitter as received: time, signal level and the 14 bytes of the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdsbReport {
    /// Receive time (written as the Beast GPS time stamp).
    pub time: Timestamp,
    /// Signal level byte of the Beast frame.
    pub signal: u8,
    /// The DF 17 frame, parity included.
    pub frame: [u8; encode::LONG_BYTES],
}

/// One output record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Record {
    /// An AIS message.
    Ais(AisReport),
    /// A sensor track update.
    Track(TrackPoint),
    /// An ADS-B frame of a civil aircraft.
    Adsb(AdsbReport),
}

impl Record {
    /// The record's time.
    pub fn time(&self) -> Timestamp {
        match self {
            Record::Ais(a) => a.time,
            Record::Track(t) => t.time,
            Record::Adsb(f) => f.time,
        }
    }
}

/// A vessel as built: its identity and voyage, texts as plain strings.
#[derive(Debug, Clone)]
struct Vessel {
    mmsi: u32,
    imo: Option<u32>,
    name: String,
    call_sign: String,
    ship_type: u8,
    class_b: bool,
    length_m: u16,
    beam_m: u8,
    destination: String,
    /// Navigational status (ITU-R M.1371-5 Table 45): 0 under way using engine, 7 engaged in
    /// fishing, 14 AIS-SART active.
    nav_status: u8,
    kind: VesselKind,
}

/// A vessel as the generator keeps it: [`Vessel`] with its texts already in the six-bit
/// form of the static messages, converted once rather than for every message (and smaller
/// than the strings, so the agent takes fewer cache lines).
#[derive(Debug, Clone)]
struct Station {
    mmsi: u32,
    imo: Option<u32>,
    name: AisText<20>,
    call_sign: AisText<7>,
    ship_type: u8,
    class_b: bool,
    length_m: u16,
    beam_m: u8,
    destination: AisText<20>,
    nav_status: u8,
    kind: VesselKind,
}

impl From<Vessel> for Station {
    fn from(v: Vessel) -> Station {
        Station {
            mmsi: v.mmsi,
            imo: v.imo,
            name: AisText::from_str_lossy(&v.name),
            call_sign: AisText::from_str_lossy(&v.call_sign),
            ship_type: v.ship_type,
            class_b: v.class_b,
            length_m: v.length_m,
            beam_m: v.beam_m,
            destination: AisText::from_str_lossy(&v.destination),
            nav_status: v.nav_status,
            kind: v.kind,
        }
    }
}

/// What kind of AIS station a vessel agent is, which decides its messages and intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
enum VesselKind {
    /// A ship: position reports at the intervals of [`crate::reporting`], static data.
    Ship,
    /// An AIS-SART: message 1 with status 14 every [`SART_INTERVAL_MS`], no static data.
    Sart,
    /// A SAR aircraft at this altitude (metres): message 9 every [`SAR_AIRCRAFT_INTERVAL_MS`],
    /// no static data.
    SarAircraft(u16),
}

#[derive(Debug, Clone)]
struct TrackInfo {
    id: Arc<str>,
    domain: Domain,
    kind: Arc<str>,
    altitude_ft: Option<f64>,
    update_ms: i64,
}

/// A civil flight: identity and the times of its profile (milliseconds).
#[derive(Debug, Clone)]
struct Airliner {
    icao24: u32,
    callsign: String,
    /// Emitter category of set A (3 large, 5 heavy).
    category: u8,
    squawk: u16,
    cruise_ft: f64,
    t_dep: i64,
    t_toc: i64,
    t_tod: i64,
    t_arr: i64,
    /// Whether the next position frame is odd, and the next half-period a velocity.
    odd_next: bool,
    velocity_next: bool,
}

impl Airliner {
    fn altitude_ft(&self, t: i64) -> f64 {
        let span = self.cruise_ft - AIRBORNE_FT;
        let frac = |a: i64, b: i64| (a as f64 / (b.max(1)) as f64).clamp(0.0, 1.0);
        if t < self.t_toc {
            AIRBORNE_FT + span * frac(t - self.t_dep, self.t_toc - self.t_dep)
        } else if t <= self.t_tod {
            self.cruise_ft
        } else {
            AIRBORNE_FT + span * frac(self.t_arr - t, self.t_arr - self.t_tod)
        }
    }

    fn vertical_rate_ft_min(&self, t: i64) -> f64 {
        let span = self.cruise_ft - AIRBORNE_FT;
        let rate = |ms: i64| span / (ms.max(1) as f64 / 60_000.0);
        if t < self.t_toc {
            rate(self.t_toc - self.t_dep)
        } else if t <= self.t_tod {
            0.0
        } else {
            -rate(self.t_arr - self.t_tod)
        }
    }
}

/// What an agent emits. The vessel is kept inline (not boxed) because every report reads it:
/// one cache miss on the agent then brings it along, where a box would cost a second,
/// dependent miss.
#[derive(Debug, Clone)]
enum Output {
    Ais(Station),
    Track(TrackInfo),
    Adsb(Box<Airliner>),
}

impl Output {
    fn ais(v: Vessel) -> Output {
        Output::Ais(Station::from(v))
    }
}

/// How the engine receives an agent's positions, which decides their precision and times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wire {
    Ais,
    Track,
    Adsb,
}

/// One leg of a lane: its ends, length and course, computed once.
#[derive(Debug, Clone, Copy)]
struct Leg {
    from: (f64, f64),
    to: (f64, f64),
    len_nm: f64,
    course_deg: f64,
}

/// A leg of zero length at the origin, for lanes without legs (never built from the tables).
const NO_LEG: Leg = Leg { from: (0.0, 0.0), to: (0.0, 0.0), len_nm: 1e-6, course_deg: 0.0 };

fn legs_of(points: &[(f64, f64)]) -> Vec<Leg> {
    points
        .windows(2)
        .map(|w| Leg {
            from: w[0],
            to: w[1],
            len_nm: geo::distance_nm(w[0], w[1]).max(1e-6),
            course_deg: geo::bearing_deg(w[0], w[1]),
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Motion {
    Lane {
        legs: Vec<Leg>,
        /// A copy of `legs[leg]`: the only leg touched between waypoints, kept inline so that a
        /// report reads the agent's own memory only.
        cur: Leg,
        leg: usize,
        along_nm: f64,
        forward: bool,
        lane: Option<&'static Lane>,
    },
    Wander {
        min: (f64, f64),
        max: (f64, f64),
        speed_lo: f64,
        speed_hi: f64,
    },
    Path {
        points: Vec<(i64, f64, f64)>,
        seg: usize,
    },
}

#[derive(Debug)]
struct Agent {
    output: Output,
    motion: Motion,
    start_ms: i64,
    end_ms: i64,
    dark: Option<(i64, i64)>,
    rng: Rng,
    lon: f64,
    lat: f64,
    speed_knots: f64,
    course_deg: f64,
    t_ms: i64,
    next_pos_ms: i64,
    next_static_ms: i64,
    last_emit_ms: Option<i64>,
    last_fix: Option<(i64, f64, f64)>,
    /// Index into the activity labels; `None` for background traffic.
    activity: Option<usize>,
    /// Areas whose entries go into the truth.
    areas: Vec<ZoneIdx>,
    /// Areas currently inside: (area, entered at ms, dwell reported).
    inside: Vec<(ZoneIdx, i64, bool)>,
    gap_reported: bool,
}

impl Agent {
    /// A value read from every part of the agent a step uses, including the heap data it
    /// reads (path points, track ids, the airliner): see [`Generator::warm`].
    fn touch(&self) -> u64 {
        let motion = match &self.motion {
            Motion::Lane { cur, along_nm, .. } => cur.len_nm.to_bits() ^ along_nm.to_bits(),
            Motion::Wander { min, .. } => min.0.to_bits(),
            Motion::Path { points, seg } => points.get(*seg + 1).map_or(0, |p| p.0 as u64),
        };
        let output = match &self.output {
            Output::Ais(v) => u64::from(v.mmsi),
            Output::Track(info) => {
                u64::from(info.id.as_bytes().first().copied().unwrap_or(0))
                    ^ u64::from(info.kind.as_bytes().first().copied().unwrap_or(0))
            }
            Output::Adsb(ac) => u64::from(ac.icao24),
        };
        let truth = self.last_fix.map_or(0, |f| f.0 as u64)
            ^ self.dark.map_or(0, |d| d.0 as u64)
            ^ self.last_emit_ms.unwrap_or(0) as u64
            ^ self.activity.unwrap_or(0) as u64
            ^ self.areas.len() as u64
            ^ self.inside.len() as u64;
        motion
            ^ output
            ^ truth
            ^ (self.t_ms ^ self.next_pos_ms ^ self.next_static_ms ^ self.end_ms) as u64
            ^ self.lon.to_bits()
            ^ self.speed_knots.to_bits()
    }
}

/// Counters of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// AIS messages by type (index 1–27).
    pub ais_by_type: [u64; 28],
    /// Sensor track updates.
    pub track_points: u64,
    /// ADS-B frames by type code (index 0–31).
    pub adsb_by_tc: [u64; 32],
    /// Agents built.
    pub agents: u64,
}

/// The scenario generator; see the module documentation.
#[derive(Debug)]
pub struct Generator {
    agents: Vec<Agent>,
    agenda: Agenda,
    pending: VecDeque<Record>,
    start_ms: i64,
    end_ms: i64,
    catalogue: Catalogue,
    zone_kinds: Vec<ZoneKind>,
    crossings: Vec<Crossing>,
    labels: Vec<String>,
    /// What each activity's agents count as in the daily report, by activity label index.
    roles: Vec<Option<Role>>,
    /// The ADIZ east of the median line, for the report's count of aircraft entering it.
    adiz_east: Option<ZoneIdx>,
    tally: Tally,
    truth: Vec<TruthRecord>,
    truth_dropped: u64,
    counts: Counts,
    channel_toggle: bool,
    sensor_source: Arc<str>,
    /// MMSIs handed out, so that no two generated vessels share one by chance (the spoofer
    /// shares one on purpose). Bounded by the agent count.
    used_mmsi: HashSet<u32>,
    /// ICAO addresses handed out, likewise.
    used_icao: HashSet<u32>,
    /// The engine's CPR decoding of every position frame emitted so far (see the module
    /// documentation); bounded by `kuroshio-adsb`'s `CPR_AIRCRAFT_MAX`.
    cpr: CprState,
    /// The agenda second [`Generator::warm`] last worked on, and the lowest index of its
    /// ready entries already brought into the cache.
    warmed: (i64, usize),
}

fn ms_to_ts(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms).unwrap_or(Timestamp::EPOCH)
}

fn hours_ms(h: f64) -> i64 {
    (h * 3_600_000.0).round() as i64
}

impl Generator {
    /// Builds every agent of `scenario`, over `hours` instead of the scenario's own length
    /// when given.
    pub fn new(scenario: &Scenario, hours: Option<f64>) -> Result<Generator, GenerateError> {
        let mut scenario = scenario.clone();
        if let Some(h) = hours {
            scenario.hours = h;
        }
        scenario.validate()?;
        let start = scenario.start_time()?;
        let start_ms = start.unix_millis();
        let end_ms = start_ms + hours_ms(scenario.hours);
        let catalogue =
            Catalogue::builtin().map_err(|e| GenerateError::Catalogue(e.to_string()))?;
        let zone_kinds = catalogue.zones().map(|(_, z)| z.meta.kind).collect();
        let adiz_east = catalogue.get(ADIZ_EAST_ZONE).map(|(idx, _)| idx);
        let mut g = Generator {
            agents: Vec::new(),
            agenda: Agenda::new(start_ms),
            pending: VecDeque::new(),
            start_ms,
            end_ms,
            catalogue,
            zone_kinds,
            crossings: Vec::new(),
            labels: Vec::new(),
            roles: Vec::new(),
            adiz_east: None,
            tally: Tally::new(),
            truth: Vec::new(),
            truth_dropped: 0,
            counts: Counts::default(),
            channel_toggle: false,
            sensor_source: Arc::from(SENSOR_SOURCE),
            used_mmsi: HashSet::new(),
            used_icao: HashSet::new(),
            cpr: CprState::new(),
            warmed: (i64::MIN, 0),
        };
        g.adiz_east = adiz_east;
        g.build_background(&scenario);
        for (i, a) in scenario.activities.iter().enumerate() {
            g.build_activity(&scenario, i, a)?;
        }
        g.counts.agents = g.agents.len() as u64;
        for i in 0..g.agents.len() {
            g.schedule(i);
        }
        Ok(g)
    }

    /// Start of the generated window.
    pub fn start(&self) -> Timestamp {
        ms_to_ts(self.start_ms)
    }

    /// End of the generated window.
    pub fn end(&self) -> Timestamp {
        ms_to_ts(self.end_ms)
    }

    /// What was generated so far.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// The PLA activity generated so far, per MND reporting day (see [`crate::report`]).
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// The MND-style daily report text of the activity generated so far (call it after the
    /// last record), one report per reporting day overlapping the window.
    pub fn daily_report(&self) -> String {
        crate::report::daily_reports(&self.tally, self.start_ms, self.end_ms)
    }

    /// Truth records not kept because [`TRUTH_RECORDS_MAX`] was reached.
    pub fn truth_dropped(&self) -> u64 {
        self.truth_dropped
    }

    /// Takes the ground truth gathered so far, sorted by start time, then kind and entity.
    /// Records of crossings appear as the fixes that make them are generated, so call this
    /// after the last record for the complete truth.
    pub fn take_truth(&mut self) -> Vec<TruthRecord> {
        let mut t = std::mem::take(&mut self.truth);
        t.sort_by(|a, b| {
            (a.start, a.kind, &a.entity, &a.zone).cmp(&(b.start, b.kind, &b.entity, &b.zone))
        });
        t
    }

    fn push_truth(&mut self, r: TruthRecord) {
        if self.truth.len() < TRUTH_RECORDS_MAX {
            self.truth.push(r);
        } else {
            self.truth_dropped += 1;
        }
    }

    // ----- building -----

    /// A ship MMSI of `mid` that no other generated vessel has. Draws again on a clash; after
    /// [`MMSI_DRAWS_MAX`] clashes (a MID with a million numbers nearly used up) the last draw
    /// is kept.
    fn fresh_mmsi(&mut self, rng: &mut Rng, mid: u16) -> u32 {
        let mut mmsi = identity::random_mmsi(rng, mid);
        for _ in 0..MMSI_DRAWS_MAX {
            if !self.used_mmsi.contains(&mmsi) {
                break;
            }
            mmsi = identity::random_mmsi(rng, mid);
        }
        self.used_mmsi.insert(mmsi);
        mmsi
    }

    fn add(
        &mut self,
        output: Output,
        motion: Motion,
        seed: u64,
        window: (i64, i64),
        activity: Option<usize>,
        areas: Vec<ZoneIdx>,
    ) -> usize {
        let index = self.agents.len() as u64;
        let mut agent = Agent {
            output,
            motion,
            start_ms: window.0.max(self.start_ms),
            end_ms: window.1.min(self.end_ms),
            dark: None,
            rng: Rng::derive(seed, 1, index),
            lon: 0.0,
            lat: 0.0,
            speed_knots: 0.0,
            course_deg: 0.0,
            t_ms: window.0.max(self.start_ms),
            next_pos_ms: 0,
            next_static_ms: 0,
            last_emit_ms: None,
            last_fix: None,
            activity,
            areas,
            inside: Vec::new(),
            gap_reported: false,
        };
        let t0 = agent.t_ms;
        init_state(&mut agent, t0);
        self.agents.push(agent);
        self.agents.len() - 1
    }

    fn vessel_on_lane(
        &mut self,
        seed: u64,
        rng: &mut Rng,
        lane: &'static Lane,
        (ship_type, speed, len): (u8, (f64, f64), (f64, f64)),
        activity: Option<usize>,
    ) -> usize {
        let flag = identity::merchant_flag(rng);
        let mid = rng.pick(flag.mids).copied().unwrap_or(351);
        let forward = rng.below(2) == 0;
        let (dx, dy) = (
            rng.range(-lane.spread_deg, lane.spread_deg),
            rng.range(-lane.spread_deg, lane.spread_deg),
        );
        let mut points: Vec<(f64, f64)> =
            lane.waypoints.iter().map(|&(x, y)| (x + dx, y + dy)).collect();
        if !forward {
            points.reverse();
        }
        let legs = legs_of(&points);
        let leg = rng.below(legs.len() as u64) as usize;
        let along_nm = rng.unit() * legs.get(leg).map_or(0.0, |l| l.len_nm);
        let length_m = rng.range(len.0, len.1) as u16;
        let vessel = Vessel {
            mmsi: self.fresh_mmsi(rng, mid),
            imo: Some(identity::random_imo(rng)),
            name: identity::merchant_name(rng),
            call_sign: identity::call_sign(rng, mid),
            ship_type,
            class_b: false,
            length_m,
            beam_m: (f64::from(length_m) / rng.range(6.0, 8.0)) as u8,
            destination: if forward { lane.destination_forward } else { lane.destination_backward }
                .to_owned(),
            nav_status: 0,
            kind: VesselKind::Ship,
        };
        let i = self.add(
            Output::ais(vessel),
            Motion::Lane {
                cur: legs.get(leg).copied().unwrap_or(NO_LEG),
                legs,
                leg,
                along_nm,
                forward,
                lane: Some(lane),
            },
            seed,
            (self.start_ms, self.end_ms),
            activity,
            Vec::new(),
        );
        self.agents[i].speed_knots = rng.range(speed.0, speed.1);
        i
    }

    fn build_background(&mut self, s: &Scenario) {
        let mut rng = Rng::derive(s.seed, 2, 0);
        let lane_weights: Vec<u32> = LANES.iter().map(|l| l.weight).collect();
        let t = &s.traffic;
        for _ in 0..t.cargo {
            let lane = &LANES[rng.weighted(&lane_weights)];
            let ship_type = if rng.below(5) == 0 { 71 + rng.below(4) as u8 } else { 70 };
            self.vessel_on_lane(
                s.seed,
                &mut rng,
                lane,
                (ship_type, (12.0, 20.0), (120.0, 366.0)),
                None,
            );
        }
        for _ in 0..t.tanker {
            let lane = &LANES[rng.weighted(&lane_weights)];
            let ship_type = if rng.below(4) == 0 { 81 + rng.below(4) as u8 } else { 80 };
            self.vessel_on_lane(
                s.seed,
                &mut rng,
                lane,
                (ship_type, (10.0, 15.0), (100.0, 330.0)),
                None,
            );
        }
        let ferry_lanes: Vec<&'static Lane> =
            LANES.iter().filter(|l| l.spread_deg < 0.01).collect();
        for _ in 0..t.passenger {
            let Some(&lane) = rng.pick(&ferry_lanes) else { break };
            let ship_type = if rng.below(3) == 0 { 69 } else { 60 };
            let i = self.vessel_on_lane(
                s.seed,
                &mut rng,
                lane,
                (ship_type, (15.0, 22.0), (60.0, 200.0)),
                None,
            );
            let mid =
                if lane.id.contains("naha") || lane.id.contains("ishigaki") { 431 } else { 416 };
            let mmsi = self.fresh_mmsi(&mut rng, mid);
            let call_sign = identity::call_sign(&mut rng, mid);
            if let Output::Ais(v) = &mut self.agents[i].output {
                // Ferries fly the flag of the waters they serve.
                v.mmsi = mmsi;
                v.call_sign = AisText::from_str_lossy(&call_sign);
            }
        }
        let ground_weights: Vec<u32> = GROUNDS.iter().map(|g| g.weight).collect();
        for _ in 0..t.fishing {
            let ground = &GROUNDS[rng.weighted(&ground_weights)];
            let mid = rng.pick(ground.mids).copied().unwrap_or(416);
            let length_m = rng.range(12.0, 40.0) as u16;
            let vessel = Vessel {
                mmsi: self.fresh_mmsi(&mut rng, mid),
                imo: None,
                name: identity::fishing_name(&mut rng, mid),
                call_sign: identity::call_sign(&mut rng, mid),
                ship_type: 30,
                class_b: true,
                length_m,
                beam_m: (f64::from(length_m) / 4.5) as u8,
                destination: String::new(),
                nav_status: 7,
                kind: VesselKind::Ship,
            };
            let i = self.add(
                Output::ais(vessel),
                Motion::Wander { min: ground.min, max: ground.max, speed_lo: 0.0, speed_hi: 6.0 },
                s.seed,
                (self.start_ms, self.end_ms),
                None,
                Vec::new(),
            );
            let a = &mut self.agents[i];
            a.lon = rng.range(ground.min.0, ground.max.0);
            a.lat = rng.range(ground.min.1, ground.max.1);
            a.speed_knots = rng.range(0.0, 6.0);
            a.course_deg = rng.range(0.0, 360.0);
        }
        let airway_weights: Vec<u32> = AIRWAYS.iter().map(|w| w.weight).collect();
        // `airliners` is a daily rate: departures spread evenly from the lead time before the
        // window to its end.
        let window_h = (self.end_ms - self.start_ms) as f64 / 3_600_000.0;
        let flights = (f64::from(t.airliners) * (window_h + AIRLINER_LEAD_H) / 24.0).round();
        for _ in 0..flights as u64 {
            self.airliner(s.seed, &mut rng, &airway_weights);
        }
        for n in 0..t.aircraft_tracks {
            let a = (rng.range(117.0, 129.0), rng.range(20.0, 31.0));
            let b = (rng.range(117.0, 129.0), rng.range(20.0, 31.0));
            let b = if geo::distance_nm(a, b) < 1.0 { geo::offset(a, 90.0, 100.0) } else { b };
            let legs = legs_of(&[a, b]);
            let info = TrackInfo {
                id: Arc::from(format!("AC-{:05}", n + 1)),
                domain: Domain::Air,
                kind: Arc::from("aircraft"),
                altitude_ft: Some((rng.range(25_000.0, 41_000.0) / 1000.0).round() * 1000.0),
                update_ms: 10_000,
            };
            let along = rng.unit() * legs.first().map_or(0.0, |l| l.len_nm);
            let i = self.add(
                Output::Track(info),
                Motion::Lane {
                    cur: legs.first().copied().unwrap_or(NO_LEG),
                    legs,
                    leg: 0,
                    along_nm: along,
                    forward: true,
                    lane: None,
                },
                s.seed,
                (self.start_ms, self.end_ms),
                None,
                Vec::new(),
            );
            self.agents[i].speed_knots = rng.range(250.0, 480.0);
        }
    }

    /// An ICAO address of `block` that no other generated aircraft has (as [`Self::fresh_mmsi`]).
    fn fresh_icao(&mut self, rng: &mut Rng, block: identity::AddressBlock) -> u32 {
        let mut icao = identity::random_icao24(rng, block);
        for _ in 0..MMSI_DRAWS_MAX {
            if !self.used_icao.contains(&icao) {
                break;
            }
            icao = identity::random_icao24(rng, block);
        }
        self.used_icao.insert(icao);
        icao
    }

    /// One civil flight on an airway drawn by weight, departing at a random time between
    /// [`AIRLINER_LEAD_H`] before the window and its end.
    fn airliner(&mut self, seed: u64, rng: &mut Rng, weights: &[u32]) {
        let way = &AIRWAYS[rng.weighted(weights)];
        let (Some(a), Some(b)) = (geo::airport(way.from), geo::airport(way.to)) else { return };
        let mut points: Vec<(f64, f64)> = Vec::with_capacity(way.via.len() + 2);
        points.push(a.position);
        points.extend_from_slice(way.via);
        points.push(b.position);
        let (from, to) = if rng.below(2) == 0 {
            (a, b)
        } else {
            points.reverse();
            (b, a)
        };
        let countries = [from.country, to.country];
        let airlines: Vec<&identity::Airline> =
            identity::AIRLINES.iter().filter(|l| countries.contains(&l.country)).collect();
        let Some(&airline) = rng.pick(&airlines) else { return };
        let Some(block) = identity::address_block(airline.country) else { return };
        let icao24 = self.fresh_icao(rng, block);
        let callsign = identity::flight_callsign(rng, airline);
        let squawk = identity::random_squawk(rng);
        let category = if rng.below(3) == 0 { 5 } else { 3 };
        let cruise_kt = rng.range(430.0, 490.0);
        let total_nm: f64 = points.windows(2).map(|w| geo::distance_nm(w[0], w[1])).sum();
        // Nautical miles flown per foot of climb and of descent.
        let climb_per_ft = CLIMB_SPEED_KNOTS / (60.0 * CLIMB_FT_MIN);
        let descent_per_ft = DESCENT_SPEED_KNOTS / (60.0 * DESCENT_FT_MIN);
        let mut cruise_ft = 30_000.0 + 1000.0 * rng.below(11) as f64;
        let needed_nm = (cruise_ft - AIRBORNE_FT) * (climb_per_ft + descent_per_ft);
        if needed_nm > 0.8 * total_nm {
            // A short hop: climb and descent take 80 % of it, the cruise is lower.
            let span = 0.8 * total_nm / (climb_per_ft + descent_per_ft);
            cruise_ft = (AIRBORNE_FT + (span / 100.0).round() * 100.0).max(AIRBORNE_FT + 1000.0);
        }
        let climb_nm = (cruise_ft - AIRBORNE_FT) * climb_per_ft;
        let descent_nm = (cruise_ft - AIRBORNE_FT) * descent_per_ft;
        let phases = [
            (climb_nm, CLIMB_SPEED_KNOTS),
            ((total_nm - descent_nm).max(climb_nm), cruise_kt),
            (f64::INFINITY, DESCENT_SPEED_KNOTS),
        ];
        let path = phased_path(&points, &phases);
        let duration_ms = path.last().map_or(0, |p| p.0);
        let h = |nm: f64, kt: f64| (nm / kt * 3_600_000.0).round() as i64;
        let lead_ms = hours_ms(AIRLINER_LEAD_H);
        let span_ms = self.end_ms - self.start_ms + lead_ms;
        let t_dep = self.start_ms - lead_ms + rng.below(span_ms.max(1) as u64) as i64;
        let t_toc = t_dep + h(climb_nm, CLIMB_SPEED_KNOTS);
        let t_tod = t_toc + h((total_nm - descent_nm - climb_nm).max(0.0), cruise_kt);
        let flight = Airliner {
            icao24,
            callsign,
            category,
            squawk,
            cruise_ft,
            t_dep,
            t_toc,
            t_tod,
            t_arr: t_dep + duration_ms,
            odd_next: rng.below(2) == 0,
            velocity_next: false,
        };
        let points = path.into_iter().map(|(t, x, y)| (t + t_dep, (x, y))).collect();
        self.add_path(Output::Adsb(Box::new(flight)), points, seed, None, Vec::new());
    }

    fn areas(&self, activity: &str, zones: &[String]) -> Result<Vec<ZoneIdx>, GenerateError> {
        zones
            .iter()
            .map(|z| match self.catalogue.get(z) {
                Some((idx, zone)) if zone.meta.kind == ZoneKind::Area => Ok(idx),
                _ => Err(GenerateError::Zone { activity: activity.to_owned(), zone: z.clone() }),
            })
            .collect()
    }

    fn build_activity(
        &mut self,
        s: &Scenario,
        index: usize,
        a: &Activity,
    ) -> Result<(), GenerateError> {
        let label = self.labels.len();
        self.labels.push(a.id().to_owned());
        self.roles.push(match a {
            Activity::Sorties { .. } => Some(Role::Aircraft),
            Activity::NavalTransit { .. } => Some(Role::Naval),
            Activity::Patrol { .. } => Some(Role::Official),
            _ => None,
        });
        let mut rng = Rng::derive(s.seed, 3, index as u64);
        let start_ms = self.start_ms;
        let at = move |h: f64| start_ms + hours_ms(h);
        match a {
            Activity::GoDark { id, lane, start_h, gap_h } => {
                let Some(lane) = geo::lane(lane) else {
                    return Err(ScenarioError::Unknown {
                        field: format!("{id}.lane"),
                        what: "lane",
                        name: lane.clone(),
                    }
                    .into());
                };
                let i = self.vessel_on_lane(
                    s.seed,
                    &mut rng,
                    lane,
                    (70, (12.0, 18.0), (150.0, 300.0)),
                    Some(label),
                );
                let from = at(*start_h);
                self.agents[i].dark = Some((from, from + hours_ms(*gap_h)));
            }
            Activity::Encounter { position, start_h, duration_h, .. } => {
                let p = (position[0], position[1]);
                let t0 = at(*start_h);
                let t1 = t0 + hours_ms(*duration_h);
                let approach_ms = hours_ms(2.0);
                let mut mmsis = Vec::new();
                for k in 0..2u32 {
                    let bearing_in = rng.range(0.0, 360.0);
                    let bearing_out = rng.range(0.0, 360.0);
                    // The two ships lie 0.1 nm (185 m) apart, well inside the engine's 500 m,
                    // and drift 0.05 nm over the meeting: below 0.1 kn.
                    let here = geo::offset(p, 90.0, 0.1 * f64::from(k));
                    let drift = geo::offset(here, 45.0, 0.05);
                    let points = vec![
                        (t0 - approach_ms, geo::offset(here, bearing_in, 16.0)),
                        (t0, here),
                        (t1, drift),
                        (t1 + approach_ms, geo::offset(drift, bearing_out, 16.0)),
                    ];
                    let (ship_type, mid) = if k == 0 { (80, 538) } else { (30, 412) };
                    let v = Vessel {
                        mmsi: self.fresh_mmsi(&mut rng, mid),
                        imo: Some(identity::random_imo(&mut rng)),
                        name: if k == 0 {
                            identity::merchant_name(&mut rng)
                        } else {
                            identity::fishing_name(&mut rng, mid)
                        },
                        call_sign: identity::call_sign(&mut rng, mid),
                        ship_type,
                        class_b: false,
                        length_m: if k == 0 { 180 } else { 45 },
                        beam_m: if k == 0 { 30 } else { 9 },
                        destination: String::new(),
                        nav_status: 0,
                        kind: VesselKind::Ship,
                    };
                    mmsis.push(v.mmsi);
                    self.add_path(Output::ais(v), points, s.seed, Some(label), Vec::new());
                }
                // Only a meeting wholly inside the generated window is in the data.
                if t0 < self.start_ms || t1 > self.end_ms {
                    return Ok(());
                }
                let mut r = TruthRecord::new(
                    "encounter",
                    a.id(),
                    TruthEntity::Mmsi(mmsis[0]),
                    ms_to_ts(t0),
                    ms_to_ts(t1),
                );
                r.partner = Some(TruthEntity::Mmsi(mmsis[1]));
                r.lat = Some(p.1);
                r.lon = Some(p.0);
                self.push_truth(r);
            }
            Activity::Spoofer { position, spoof_position, start_h, duration_h, .. } => {
                let t0 = at(*start_h);
                let t1 = t0 + hours_ms(*duration_h);
                let mid = 352;
                let v = Vessel {
                    mmsi: self.fresh_mmsi(&mut rng, mid),
                    imo: Some(identity::random_imo(&mut rng)),
                    name: identity::merchant_name(&mut rng),
                    call_sign: identity::call_sign(&mut rng, mid),
                    ship_type: 70,
                    class_b: false,
                    length_m: 190,
                    beam_m: 30,
                    destination: "KAOHSIUNG".to_owned(),
                    nav_status: 0,
                    kind: VesselKind::Ship,
                };
                let mmsi = v.mmsi;
                let dur_h = (t1 - t0) as f64 / 3_600_000.0;
                for (k, p) in [position, spoof_position].into_iter().enumerate() {
                    let p = (p[0], p[1]);
                    let course = rng.range(0.0, 360.0);
                    let points = vec![(t0, p), (t1, geo::offset(p, course, 10.0 * dur_h))];
                    let mut v = v.clone();
                    if k == 1 {
                        // The copy claims the same identity; only its voyage data differ.
                        v.destination = "NINGBO".to_owned();
                    }
                    self.add_path(Output::ais(v), points, s.seed, Some(label), Vec::new());
                }
                if t0 < self.start_ms || t1 > self.end_ms {
                    return Ok(());
                }
                let mut r = TruthRecord::new(
                    "identity_conflict",
                    a.id(),
                    TruthEntity::Mmsi(mmsi),
                    ms_to_ts(t0),
                    ms_to_ts(t1),
                );
                r.lat = Some(spoof_position[1]);
                r.lon = Some(spoof_position[0]);
                self.push_truth(r);
            }
            Activity::NavalTransit {
                id,
                route,
                ships,
                speed_knots,
                start_h,
                spacing_min,
                ais,
                update_s,
                names,
                zones,
            } => {
                let areas = self.areas(id, zones)?;
                for n in 0..*ships {
                    let t0 = at(*start_h) + (f64::from(n) * spacing_min * 60_000.0) as i64;
                    let points = route_path(route, *speed_knots, t0);
                    let name = names
                        .get(n as usize)
                        .cloned()
                        .unwrap_or_else(|| format!("PLAN-{id}-{}", n + 1));
                    let output = if *ais {
                        let mid = 412;
                        Output::ais(Vessel {
                            mmsi: self.fresh_mmsi(&mut rng, mid),
                            imo: None,
                            name: name.chars().take(20).collect(),
                            call_sign: identity::call_sign(&mut rng, mid),
                            ship_type: 35,
                            class_b: false,
                            length_m: 160,
                            beam_m: 18,
                            destination: String::new(),
                            nav_status: 0,
                            kind: VesselKind::Ship,
                        })
                    } else {
                        Output::Track(TrackInfo {
                            id: Arc::from(name.as_str()),
                            domain: Domain::Sea,
                            kind: Arc::from("warship"),
                            altitude_ft: None,
                            update_ms: (update_s * 1000.0) as i64,
                        })
                    };
                    self.add_path(output, points, s.seed, Some(label), areas.clone());
                }
            }
            Activity::Patrol { id, route, ships, speed_knots, start_h, duration_h, zones } => {
                let areas = self.areas(id, zones)?;
                let t0 = at(*start_h);
                let t1 = t0 + hours_ms(*duration_h);
                let mut ring: Vec<(f64, f64)> = route.iter().map(|p| (p[0], p[1])).collect();
                if ring.first() != ring.last() {
                    if let Some(&first) = ring.first() {
                        ring.push(first);
                    }
                }
                let loop_nm: f64 = ring.windows(2).map(|w| geo::distance_nm(w[0], w[1])).sum();
                for n in 0..*ships {
                    let s0 = loop_nm * f64::from(n) / f64::from((*ships).max(1));
                    let points = loop_path(&ring, *speed_knots, t0, t1, s0);
                    let mid = if n % 2 == 0 { 412 } else { 413 };
                    let v = Vessel {
                        mmsi: self.fresh_mmsi(&mut rng, mid),
                        imo: None,
                        name: format!("HAIJING {}", 2000 + rng.below(8000)),
                        call_sign: identity::call_sign(&mut rng, mid),
                        ship_type: 55,
                        class_b: false,
                        length_m: 100,
                        beam_m: 14,
                        destination: String::new(),
                        nav_status: 0,
                        kind: VesselKind::Ship,
                    };
                    self.add_path(Output::ais(v), points, s.seed, Some(label), areas.clone());
                }
            }
            Activity::Sorties {
                id,
                route,
                aircraft,
                aircraft_kind,
                speed_knots,
                altitude_ft,
                start_h,
                spacing_min,
                loiter_min,
                update_s,
                zones,
            } => {
                let areas = self.areas(id, zones)?;
                for n in 0..*aircraft {
                    let t0 = at(*start_h) + (f64::from(n) * spacing_min * 60_000.0) as i64;
                    let mut pts: Vec<(f64, f64)> = route.iter().map(|p| (p[0], p[1])).collect();
                    // Offset each aircraft slightly so that a formation is not one point.
                    let off = 1.0 * f64::from(n % 4);
                    pts = pts.into_iter().map(|p| geo::offset(p, 0.0, off)).collect();
                    let mut points = route_path_pts(&pts, *speed_knots, t0);
                    if let Some(&(t_end, lon, lat)) = points.last() {
                        // Orbit at the far end: a circle of 8 nm radius, 8 points.
                        let loiter_ms = (loiter_min * 60_000.0) as i64;
                        if loiter_ms > 0 {
                            let centre = geo::offset((lon, lat), 90.0, 8.0);
                            for k in 1..=8 {
                                let ang = 270.0 + 45.0 * f64::from(k);
                                let p = geo::offset(centre, ang, 8.0);
                                points.push((t_end + loiter_ms * i64::from(k) / 8, p.0, p.1));
                            }
                        }
                        let back: Vec<(f64, f64)> = pts.iter().rev().copied().collect();
                        let t_back = points.last().map(|p| p.0).unwrap_or(t_end);
                        let ret = route_path_pts(&back, *speed_knots, t_back);
                        points.extend(ret.into_iter().skip(1));
                    }
                    let info = TrackInfo {
                        id: Arc::from(format!("{id}-{:02}", n + 1)),
                        domain: Domain::Air,
                        kind: Arc::from(aircraft_kind.as_str()),
                        altitude_ft: Some(*altitude_ft),
                        update_ms: (update_s * 1000.0) as i64,
                    };
                    let points = points.into_iter().map(|(t, x, y)| (t, (x, y))).collect();
                    self.add_path(Output::Track(info), points, s.seed, Some(label), areas.clone());
                }
            }
            Activity::Distress { route, speed_knots, start_h, reappear_h, .. } => {
                let t_casualty = at(*start_h);
                let pts: Vec<(f64, f64)> = route.iter().map(|p| (p[0], p[1])).collect();
                let path = route_path_pts(&pts, *speed_knots, 0);
                let run_ms = path.last().map_or(0, |p| p.0);
                let mut points: Vec<(i64, (f64, f64))> =
                    path.into_iter().map(|(t, x, y)| (t + t_casualty - run_ms, (x, y))).collect();
                // After the casualty the vessel lies where it is until the window ends.
                if let Some(&(_, casualty)) = points.last() {
                    points.push((self.end_ms.max(t_casualty + 1), casualty));
                }
                let mid = 416;
                let v = Vessel {
                    mmsi: self.fresh_mmsi(&mut rng, mid),
                    imo: None,
                    name: identity::fishing_name(&mut rng, mid),
                    call_sign: identity::call_sign(&mut rng, mid),
                    ship_type: 30,
                    class_b: false,
                    length_m: 24,
                    beam_m: 6,
                    destination: String::new(),
                    nav_status: 0,
                    kind: VesselKind::Ship,
                };
                let i = self.add_path(Output::ais(v), points, s.seed, Some(label), Vec::new());
                let silent_until = reappear_h.map_or(i64::MAX, |h| t_casualty + hours_ms(h));
                self.agents[i].dark = Some((t_casualty, silent_until));
            }
            Activity::Sart {
                position,
                start_h,
                duration_h,
                wind_from_deg,
                wind_speed_ms,
                current_to_deg,
                current_knots,
                ..
            } => {
                let t0 = at(*start_h);
                let t1 = t0 + hours_ms(*duration_h);
                let (east, north) = sart_drift_knots(
                    *wind_from_deg,
                    *wind_speed_ms,
                    *current_to_deg,
                    *current_knots,
                );
                let p = (position[0], position[1]);
                let speed = east.hypot(north);
                let course = east.atan2(north).to_degrees().rem_euclid(360.0);
                let end = geo::offset(p, course, speed * duration_h);
                // ITU-R M.585-9 Annex 2: AIS-SART identities are 970xxyyyy, xx the
                // manufacturer (01-99), yyyy the sequence number.
                let mmsi =
                    970_000_000 + (1 + rng.below(99) as u32) * 10_000 + rng.below(10_000) as u32;
                self.used_mmsi.insert(mmsi);
                let v = Vessel {
                    mmsi,
                    imo: None,
                    name: String::new(),
                    call_sign: String::new(),
                    ship_type: 0,
                    class_b: false,
                    length_m: 1,
                    beam_m: 1,
                    destination: String::new(),
                    nav_status: 14,
                    kind: VesselKind::Sart,
                };
                self.add_path(
                    Output::ais(v),
                    vec![(t0, p), (t1, end)],
                    s.seed,
                    Some(label),
                    Vec::new(),
                );
            }
            Activity::SarSearch {
                unit,
                units,
                base,
                datum,
                pattern,
                track_spacing_nm,
                area_width_nm,
                area_length_nm,
                first_course_deg,
                speed_knots,
                altitude_ft,
                start_h,
                duration_h,
                ..
            } => {
                let t0 = at(*start_h);
                let t1 = t0 + hours_ms(*duration_h);
                let reach_nm = speed_knots * duration_h;
                for n in 0..*units {
                    // Areas side by side across the first course, centred on the datum.
                    let shift = (f64::from(n) - f64::from(units - 1) / 2.0) * area_width_nm;
                    let centre = geo::offset((datum[0], datum[1]), first_course_deg + 90.0, shift);
                    let mut pts = vec![(base[0], base[1])];
                    match pattern {
                        SearchPattern::ExpandingSquare => pts.extend(expanding_square(
                            centre,
                            *track_spacing_nm,
                            *first_course_deg,
                            reach_nm,
                        )),
                        SearchPattern::ParallelTrack => pts.extend(parallel_track(
                            centre,
                            *track_spacing_nm,
                            (*area_width_nm, *area_length_nm),
                            *first_course_deg,
                        )),
                    }
                    pts.push((base[0], base[1]));
                    let timed = cut_at(route_path_pts(&pts, *speed_knots, t0), t1);
                    let v = match unit {
                        SarUnit::Ship => {
                            let mid = 416;
                            Vessel {
                                mmsi: self.fresh_mmsi(&mut rng, mid),
                                imo: None,
                                name: format!("CGA SAR {}", n + 1),
                                call_sign: identity::call_sign(&mut rng, mid),
                                ship_type: 55,
                                class_b: false,
                                length_m: 60,
                                beam_m: 10,
                                destination: String::new(),
                                nav_status: 0,
                                kind: VesselKind::Ship,
                            }
                        }
                        SarUnit::Aircraft => {
                            // ITU-R M.585-9 Annex 1: SAR aircraft are 111MIDaxx, a = 1 for
                            // fixed-wing aircraft.
                            let mmsi = 111_416_100 + rng.below(100) as u32;
                            self.used_mmsi.insert(mmsi);
                            Vessel {
                                mmsi,
                                imo: None,
                                name: String::new(),
                                call_sign: String::new(),
                                ship_type: 0,
                                class_b: false,
                                length_m: 1,
                                beam_m: 1,
                                destination: String::new(),
                                nav_status: 0,
                                kind: VesselKind::SarAircraft(
                                    (altitude_ft * FEET_TO_METRES).round() as u16,
                                ),
                            }
                        }
                    };
                    let points = timed.into_iter().map(|(t, x, y)| (t, (x, y))).collect();
                    self.add_path(Output::ais(v), points, s.seed, Some(label), Vec::new());
                }
            }
            Activity::Militia { centre, radius_nm, vessels, start_h, duration_h, .. } => {
                let c = (centre[0], centre[1]);
                let t0 = at(*start_h);
                let t1 = t0 + hours_ms(*duration_h);
                let min = geo::offset(geo::offset(c, 180.0, *radius_nm), 270.0, *radius_nm);
                let max = geo::offset(geo::offset(c, 0.0, *radius_nm), 90.0, *radius_nm);
                for _ in 0..*vessels {
                    let mid = 412;
                    let v = Vessel {
                        mmsi: self.fresh_mmsi(&mut rng, mid),
                        imo: None,
                        name: identity::fishing_name(&mut rng, mid),
                        call_sign: identity::call_sign(&mut rng, mid),
                        ship_type: 30,
                        class_b: false,
                        length_m: 50,
                        beam_m: 9,
                        destination: String::new(),
                        nav_status: 7,
                        kind: VesselKind::Ship,
                    };
                    let mmsi = v.mmsi;
                    let i = self.add(
                        Output::ais(v),
                        Motion::Wander { min, max, speed_lo: 0.1, speed_hi: 1.5 },
                        s.seed,
                        (t0, t1),
                        Some(label),
                        Vec::new(),
                    );
                    let ag = &mut self.agents[i];
                    ag.lon = rng.range(min.0, max.0);
                    ag.lat = rng.range(min.1, max.1);
                    ag.speed_knots = rng.range(0.1, 1.5);
                    ag.course_deg = rng.range(0.0, 360.0);
                    let (w0, w1) = (ag.start_ms, ag.end_ms);
                    if w1 - w0 >= LOITERING_MIN_S * 1000 {
                        let mut r = TruthRecord::new(
                            "loitering",
                            a.id(),
                            TruthEntity::Mmsi(mmsi),
                            ms_to_ts(w0),
                            ms_to_ts(w1),
                        );
                        r.lat = Some(c.1);
                        r.lon = Some(c.0);
                        self.push_truth(r);
                    }
                }
            }
        }
        Ok(())
    }

    fn add_path(
        &mut self,
        output: Output,
        points: Vec<(i64, (f64, f64))>,
        seed: u64,
        activity: Option<usize>,
        areas: Vec<ZoneIdx>,
    ) -> usize {
        let window =
            (points.first().map(|p| p.0).unwrap_or(0), points.last().map(|p| p.0).unwrap_or(0));
        let points = points.into_iter().map(|(t, (x, y))| (t, x, y)).collect();
        self.add(output, Motion::Path { points, seg: 0 }, seed, window, activity, areas)
    }

    // ----- scheduling and emission -----

    fn schedule(&mut self, i: usize) {
        let a = &mut self.agents[i];
        if a.start_ms > a.end_ms {
            return;
        }
        let interval = report_interval_ms(a);
        a.next_pos_ms = a.start_ms + a.rng.below(interval as u64) as i64;
        a.next_static_ms = match a.output {
            Output::Ais(ref v) if v.kind != VesselKind::Ship => i64::MAX,
            Output::Ais(_) => a.start_ms + a.rng.below(STATIC_INTERVAL_S as u64 * 1000) as i64,
            Output::Adsb(_) => {
                a.start_ms + a.rng.below(ADSB_IDENTIFICATION_INTERVAL_MS as u64) as i64
            }
            Output::Track(_) => i64::MAX,
        };
        let key = a.next_pos_ms.min(a.next_static_ms);
        if key <= a.end_ms {
            self.agenda.push(key, i as u32);
        }
    }

    /// Reads the memory the next agents will be stepped with, [`WARM_AHEAD`] agents at a
    /// time, in one loop.
    ///
    /// Agents are visited in time order, which is no order in memory, so stepping one
    /// starts with a cache miss on its state. The loads here do not depend on one another, so
    /// the processor has many of those misses outstanding at once, where stepping the agents
    /// one by one waits for each in turn. A batch is read while half the one before is still
    /// to be stepped, so that its loads are done by the time it is.
    fn warm(&mut self) {
        let ready = self.agenda.ready();
        let s = self.agenda.serving_s();
        if self.warmed.0 != s {
            self.warmed = (s, ready.len());
        }
        let lo = self.warmed.1.min(ready.len());
        if ready.len() >= lo + WARM_AHEAD / 2 || lo == 0 {
            return;
        }
        let from = lo.saturating_sub(WARM_AHEAD);
        let mut acc = 0u64;
        for &(_, i) in &ready[from..lo] {
            if let Some(a) = self.agents.get(i as usize) {
                acc = acc.wrapping_add(a.touch());
            }
        }
        std::hint::black_box(acc);
        self.warmed.1 = from;
    }

    fn step(&mut self) -> bool {
        let Some((t, i)) = self.agenda.pop() else { return false };
        self.warm();
        let i = i as usize;
        let channel = if self.channel_toggle { b'B' } else { b'A' };
        self.channel_toggle = !self.channel_toggle;
        let Some(a) = self.agents.get_mut(i) else { return true };
        advance(a, t);
        if matches!(a.output, Output::Adsb(_)) {
            self.step_adsb(i, t);
            return true;
        }
        let dark = a.dark.is_some_and(|(from, to)| t >= from && t < to);
        let mut fix = None;
        if a.next_pos_ms == t {
            if !dark {
                let time = ms_to_ts(t);
                match &a.output {
                    Output::Ais(v) => {
                        let message = position_message(v, a, t);
                        self.counts.ais_by_type[usize::from(message_type(&message))] += 1;
                        let station = geo::nearest_station(a.lon, a.lat);
                        self.pending.push_back(Record::Ais(AisReport {
                            time,
                            station,
                            channel,
                            message,
                        }));
                    }
                    Output::Track(info) => {
                        self.counts.track_points += 1;
                        self.pending.push_back(Record::Track(TrackPoint {
                            time,
                            track: info.id.clone(),
                            lat: a.lat,
                            lon: a.lon,
                            speed_knots: Some(a.speed_knots),
                            course_deg: Some(a.course_deg),
                            altitude_ft: info.altitude_ft,
                            domain: info.domain,
                            kind: info.kind.clone(),
                            source: self.sensor_source.clone(),
                        }));
                    }
                    // Stepped by `step_adsb`.
                    Output::Adsb(_) => {}
                }
                fix = Some((t, a.lon, a.lat));
            }
            a.next_pos_ms = t + report_interval_ms(a);
        }
        if a.next_static_ms == t {
            if !dark {
                if let Output::Ais(v) = &a.output {
                    let station = geo::nearest_station(a.lon, a.lat);
                    for message in static_messages(v, t) {
                        self.counts.ais_by_type[usize::from(message_type(&message))] += 1;
                        self.pending.push_back(Record::Ais(AisReport {
                            time: ms_to_ts(t),
                            station,
                            channel,
                            message,
                        }));
                    }
                    if fix.is_none() {
                        fix = Some((t, f64::NAN, f64::NAN));
                    }
                }
            }
            a.next_static_ms = t + (STATIC_INTERVAL_S * 1000.0) as i64;
        }
        let key = a.next_pos_ms.min(a.next_static_ms);
        if key <= a.end_ms {
            self.agenda.push(key, i as u32);
        }
        if let Some((t, lon, lat)) = fix {
            self.on_emit(i, t, lon, lat);
        }
        true
    }

    /// One step of a civil aircraft: a position or a velocity frame every half position
    /// interval, identification and status every [`ADSB_IDENTIFICATION_INTERVAL_MS`]. Position
    /// frames go through the CPR decoding the engine does, and the positions it yields make
    /// the truth.
    fn step_adsb(&mut self, i: usize, t: i64) {
        let Generator { agents, cpr: cpr_state, pending, counts, agenda, .. } = self;
        let Some(a) = agents.get_mut(i) else { return };
        let Output::Adsb(ac) = &mut a.output else { return };
        let time = ms_to_ts(t);
        let mut decoded = None;
        let mut emit = |frame: [u8; encode::LONG_BYTES], signal: u8| {
            counts.adsb_by_tc[usize::from(frame[4] >> 3)] += 1;
            pending.push_back(Record::Adsb(AdsbReport { time, signal, frame }));
        };
        // Signal level: a plausible spread of RSSI bytes; nothing reads it.
        let signal = 0x30 + a.rng.below(0x90) as u8;
        if a.next_pos_ms == t {
            if ac.velocity_next {
                let vr = ac.vertical_rate_ft_min(t);
                emit(encode::airborne_velocity(ac.icao24, a.speed_knots, a.course_deg, vr), signal);
            } else {
                let position = cpr::encode(a.lat, a.lon, ac.odd_next, false);
                ac.odd_next = !ac.odd_next;
                let alt = ac.altitude_ft(t);
                emit(
                    encode::airborne_position(ac.icao24, POSITION_TC, Some(alt), &position),
                    signal,
                );
                let time_s = time.unix_seconds_f64();
                if let Ok(fix) = cpr_state.decode(ac.icao24, &position, time_s, None) {
                    decoded = Some((fix.lon_deg, fix.lat_deg));
                }
            }
            ac.velocity_next = !ac.velocity_next;
            a.next_pos_ms = t + ADSB_POSITION_INTERVAL_MS / 2;
        }
        if a.next_static_ms == t {
            emit(encode::identification(ac.icao24, 4, ac.category, &ac.callsign), signal);
            emit(encode::aircraft_status(ac.icao24, 0, ac.squawk), signal);
            a.next_static_ms = t + ADSB_IDENTIFICATION_INTERVAL_MS;
        }
        let key = a.next_pos_ms.min(a.next_static_ms);
        if key <= a.end_ms {
            agenda.push(key, i as u32);
        }
        if let Some((lon, lat)) = decoded {
            self.on_emit(i, t, lon, lat);
        }
    }

    /// Ground truth that follows from one emitted message: AIS gaps closing, crossings of
    /// lines and gates, entries into and stays in the activity's areas. `lon`/`lat` are NaN
    /// for a message without a position (static data).
    fn on_emit(&mut self, i: usize, t: i64, lon: f64, lat: f64) {
        let labels = &self.labels;
        let a = &mut self.agents[i];
        let activity = a.activity;
        let label =
            || activity.and_then(|k| labels.get(k).map(String::as_str)).unwrap_or("background");
        // Truth windows in the time the wire carries: AIS tag blocks give whole seconds, so the
        // engine sees a message at the start of its second.
        let wire = match a.output {
            Output::Ais(_) => Wire::Ais,
            Output::Track(_) => Wire::Track,
            Output::Adsb(_) => Wire::Adsb,
        };
        let at = |ms: i64| wire_time(wire, ms);
        let mut out: Vec<TruthRecord> = Vec::new();
        if let (Some((from, _)), Some(last), false, Output::Ais(v)) =
            (a.dark, a.last_emit_ms, a.gap_reported, &a.output)
        {
            if last < from && t >= from {
                a.gap_reported = true;
                let mut r = TruthRecord::new(
                    "ais_gap",
                    label(),
                    TruthEntity::Mmsi(v.mmsi),
                    at(last),
                    at(t),
                );
                r.gap_s = Some((t.div_euclid(1000) - last.div_euclid(1000)) as f64);
                out.push(r);
            }
        }
        a.last_emit_ms = Some(t);
        if lon.is_nan() {
            self.extend_truth(out);
            return;
        }
        let (lon, lat) = engine_position(wire, lon, lat);
        if let Some(role) = activity.and_then(|k| self.roles.get(k).copied().flatten()) {
            let inside = role == Role::Aircraft
                && self.adiz_east.is_some_and(|z| self.catalogue.contains(z, lon, lat));
            let ms = at(t).unix_millis();
            self.tally.observe(role, i as u32, ms, inside, lon, lat);
        }
        let entity = |a: &Agent| match &a.output {
            Output::Ais(v) => TruthEntity::Mmsi(v.mmsi),
            Output::Track(info) => TruthEntity::Track(info.id.to_string()),
            Output::Adsb(ac) => TruthEntity::Icao24(format!("{:06x}", ac.icao24)),
        };
        match a.last_fix {
            None => {
                // First fix: the areas it is already inside (the engine reports these as
                // entries first seen inside).
                for k in 0..a.areas.len() {
                    let area = a.areas[k];
                    if self.catalogue.contains(area, lon, lat) {
                        a.inside.push((area, t, false));
                        let mut r =
                            TruthRecord::new("zone_entry", label(), entity(a), at(t), at(t));
                        r.zone = zone_id(&self.catalogue, area);
                        r.direction = Some(direction_word(
                            self.catalogue.direction_name(area, Direction::Enter),
                        ));
                        r.first_seen_inside = true;
                        r.lat = Some(lat);
                        r.lon = Some(lon);
                        out.push(r);
                    }
                }
            }
            Some((t_prev, lon_prev, lat_prev)) => {
                self.crossings.clear();
                self.catalogue.crossings((lon_prev, lat_prev), (lon, lat), &mut self.crossings);
                for c in &self.crossings {
                    let kind = self.zone_kinds.get(c.zone.index()).copied();
                    let truth_kind = match kind {
                        Some(ZoneKind::Line) => "line_crossing",
                        Some(ZoneKind::Gate) => "gate_transit",
                        Some(ZoneKind::Area) if a.areas.contains(&c.zone) => {
                            if c.direction == Direction::Enter {
                                a.inside.push((c.zone, t, false));
                                "zone_entry"
                            } else {
                                a.inside.retain(|x| x.0 != c.zone);
                                continue;
                            }
                        }
                        _ => continue,
                    };
                    let mut r = TruthRecord::new(truth_kind, label(), entity(a), at(t_prev), at(t));
                    r.zone = zone_id(&self.catalogue, c.zone);
                    r.direction =
                        Some(direction_word(self.catalogue.direction_name(c.zone, c.direction)));
                    r.lat = Some(c.point[1]);
                    r.lon = Some(c.point[0]);
                    out.push(r);
                }
                for k in 0..a.inside.len() {
                    let (area, entered, reported) = a.inside[k];
                    if !reported && t - entered >= DWELL_THRESHOLD_S * 1000 {
                        a.inside[k].2 = true;
                        let mut r =
                            TruthRecord::new("zone_dwell", label(), entity(a), at(entered), at(t));
                        r.zone = zone_id(&self.catalogue, area);
                        r.lat = Some(lat);
                        r.lon = Some(lon);
                        out.push(r);
                    }
                }
            }
        }
        a.last_fix = Some((t, lon, lat));
        self.extend_truth(out);
    }

    fn extend_truth(&mut self, out: Vec<TruthRecord>) {
        for r in out {
            self.push_truth(r);
        }
    }
}

impl Iterator for Generator {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return Some(r);
            }
            if !self.step() {
                return None;
            }
        }
    }
}

/// The time the engine gives a message sent at `ms`: AIS tag blocks carry whole seconds,
/// track lines milliseconds, and ADS-B frames nanoseconds that replay passes through
/// floating-point Unix seconds (`kuroshio-adsb`'s `ModeSDecoder`), which is reproduced here.
fn wire_time(wire: Wire, ms: i64) -> Timestamp {
    match wire {
        Wire::Ais => ms_to_ts(ms.div_euclid(1000) * 1000),
        Wire::Track => ms_to_ts(ms),
        Wire::Adsb => {
            let t = ms_to_ts(ms);
            Timestamp::from_unix_seconds_f64(t.unix_seconds_f64()).unwrap_or(t)
        }
    }
}

/// The position the engine computes with: the wire's precision (AIS 1/10,000 minute, track
/// lines six decimals, ADS-B the CPR decoding already done), then the tracker's storage of
/// 1e-7 degree (`kuroshio-track`'s packed fixes). Truth crossings computed from these agree
/// with the engine's even for a step that grazes a line.
fn engine_position(wire: Wire, lon: f64, lat: f64) -> (f64, f64) {
    let wire = |v: f64| match wire {
        Wire::Ais => f64::from(round_half_away(v * 600_000.0) as i32) / 600_000.0,
        Wire::Track => round_half_away(v * 1e6) / 1e6,
        Wire::Adsb => v,
    };
    let e7 = |v: f64| round_half_away(v * 1e7) / 1e7;
    (e7(wire(lon)), e7(wire(lat)))
}

fn zone_id(c: &Catalogue, idx: ZoneIdx) -> Option<String> {
    c.zone(idx).map(|z| z.meta.id.clone())
}

/// The first word of a direction name, as the engine writes it (`north-westbound` of
/// `north-westbound (Pacific → East China Sea)`).
fn direction_word(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_owned()
}

fn message_type(m: &AisMessage) -> u8 {
    match m {
        AisMessage::PositionReport(p) => p.msg_type,
        AisMessage::StaticVoyageData(_) => 5,
        AisMessage::ClassBPosition(_) => 18,
        AisMessage::SarAircraftPosition(_) => 9,
        AisMessage::StaticDataReport(_) => 24,
        _ => 0,
    }
}

/// Timed points along `route` at `speed_knots` from `t0_ms`.
fn route_path(route: &[[f64; 2]], speed_knots: f64, t0_ms: i64) -> Vec<(i64, (f64, f64))> {
    let pts: Vec<(f64, f64)> = route.iter().map(|p| (p[0], p[1])).collect();
    route_path_pts(&pts, speed_knots, t0_ms).into_iter().map(|(t, x, y)| (t, (x, y))).collect()
}

fn route_path_pts(pts: &[(f64, f64)], speed_knots: f64, t0_ms: i64) -> Vec<(i64, f64, f64)> {
    let mut out = Vec::with_capacity(pts.len());
    let mut t = t0_ms as f64;
    for (k, &p) in pts.iter().enumerate() {
        if k > 0 {
            t += geo::distance_nm(pts[k - 1], p) / speed_knots.max(0.1) * 3_600_000.0;
        }
        out.push((t.round() as i64, p.0, p.1));
    }
    out
}

/// Timed points (milliseconds from 0) along `pts`, flown at the speed of each phase: `phases`
/// are `(distance_nm_end, speed_knots)` in order, the distance measured from the first point;
/// a point is inserted wherever a phase ends inside a leg.
fn phased_path(pts: &[(f64, f64)], phases: &[(f64, f64)]) -> Vec<(i64, f64, f64)> {
    let mut out = Vec::with_capacity(pts.len() + phases.len());
    let Some(&first) = pts.first() else { return out };
    out.push((0, first.0, first.1));
    let mut t_ms = 0.0;
    let mut s_nm = 0.0;
    let mut phase = 0;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = geo::distance_nm(a, b);
        let mut along = 0.0;
        // Bounded: each pass ends the leg or a phase, and there are few of either.
        let mut guard = 0;
        while along < len && guard < 64 {
            guard += 1;
            while phase + 1 < phases.len() && phases[phase].0 <= s_nm + along {
                phase += 1;
            }
            let (end_nm, speed) = phases.get(phase).copied().unwrap_or((f64::INFINITY, 450.0));
            let stop = (end_nm - s_nm).min(len);
            t_ms += (stop - along) / speed.max(1.0) * 3_600_000.0;
            along = stop;
            let f = if len > 0.0 { along / len } else { 1.0 };
            out.push((t_ms.round() as i64, a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f));
        }
        s_nm += len;
    }
    out.dedup_by_key(|p| p.0);
    out
}

/// The drift of a life raft, `(east, north)` knots: the current plus the downwind leeway of
/// [`LEEWAY_DOWNWIND_SLOPE`] and [`LEEWAY_DOWNWIND_OFFSET_MS`].
pub fn sart_drift_knots(
    wind_from_deg: f64,
    wind_speed_ms: f64,
    current_to_deg: f64,
    current_knots: f64,
) -> (f64, f64) {
    let leeway_ms = (LEEWAY_DOWNWIND_SLOPE * wind_speed_ms + LEEWAY_DOWNWIND_OFFSET_MS).max(0.0);
    let leeway_knots = leeway_ms * 3600.0 / 1852.0;
    let (ws, wc) = (wind_from_deg + 180.0).to_radians().sin_cos();
    let (cs, cc) = current_to_deg.to_radians().sin_cos();
    (leeway_knots * ws + current_knots * cs, leeway_knots * wc + current_knots * cc)
}

/// Most legs of a generated search pattern: an expanding square of 2,000 legs covers
/// a million track spacings, far beyond any search.
const SEARCH_LEGS_MAX: usize = 2_000;

/// The turning points of an IAMSAR expanding square search (IAMSAR Manual Vol II, Chapter 5):
/// from the datum, legs of 1, 1, 2, 2, 3, 3, … track spacings, each turned 90° right of the
/// one before, the first on `first_course_deg`, until `reach_nm` are flown.
fn expanding_square(
    datum: (f64, f64),
    spacing_nm: f64,
    first_course_deg: f64,
    reach_nm: f64,
) -> Vec<(f64, f64)> {
    let mut out = vec![datum];
    let mut p = datum;
    let mut flown = 0.0;
    for k in 1..=SEARCH_LEGS_MAX {
        if flown >= reach_nm {
            break;
        }
        let len = spacing_nm * k.div_ceil(2) as f64;
        p = geo::offset(p, first_course_deg + 90.0 * (k - 1) as f64, len);
        out.push(p);
        flown += len;
    }
    out
}

/// The turning points of an IAMSAR parallel sweep search (IAMSAR Manual Vol II, Chapter 5)
/// over the area `(width_nm, length_nm)` centred on `centre`: legs along `first_course_deg`
/// the length of the area, one track spacing apart, starting half a spacing inside its corner.
fn parallel_track(
    centre: (f64, f64),
    spacing_nm: f64,
    (width_nm, length_nm): (f64, f64),
    first_course_deg: f64,
) -> Vec<(f64, f64)> {
    let across = first_course_deg + 90.0;
    let legs = ((width_nm / spacing_nm).floor() as usize).clamp(1, SEARCH_LEGS_MAX);
    let corner = geo::offset(
        geo::offset(centre, first_course_deg + 180.0, length_nm / 2.0),
        across + 180.0,
        width_nm / 2.0 - spacing_nm / 2.0,
    );
    let mut out = Vec::with_capacity(2 * legs);
    for j in 0..legs {
        let near = geo::offset(corner, across, spacing_nm * j as f64);
        let far = geo::offset(near, first_course_deg, length_nm);
        if j % 2 == 0 {
            out.extend([near, far]);
        } else {
            out.extend([far, near]);
        }
    }
    out
}

/// The timed points up to `t_end`, the last one interpolated at `t_end` when it falls inside
/// a segment.
fn cut_at(points: Vec<(i64, f64, f64)>, t_end: i64) -> Vec<(i64, f64, f64)> {
    let mut out: Vec<(i64, f64, f64)> = Vec::with_capacity(points.len());
    for p in points {
        if p.0 <= t_end {
            out.push(p);
            continue;
        }
        if let Some(&(t0, x0, y0)) = out.last() {
            let f = (t_end - t0) as f64 / (p.0 - t0).max(1) as f64;
            out.push((t_end, x0 + (p.1 - x0) * f, y0 + (p.2 - y0) * f));
        }
        break;
    }
    out
}

/// Timed points around the closed `ring` at `speed_knots`, starting `s0_nm` along it at
/// `t0_ms`, until `t1_ms`.
fn loop_path(
    ring: &[(f64, f64)],
    speed_knots: f64,
    t0_ms: i64,
    t1_ms: i64,
    s0_nm: f64,
) -> Vec<(i64, (f64, f64))> {
    let legs: Vec<f64> = ring.windows(2).map(|w| geo::distance_nm(w[0], w[1])).collect();
    let total: f64 = legs.iter().sum();
    if legs.is_empty() || total <= 0.0 {
        return vec![
            (t0_ms, ring.first().copied().unwrap_or((0.0, 0.0))),
            (t1_ms, ring.first().copied().unwrap_or((0.0, 0.0))),
        ];
    }
    // Find the starting leg and point.
    let mut s = s0_nm % total;
    let mut leg = 0;
    while s > legs[leg] && leg + 1 < legs.len() {
        s -= legs[leg];
        leg += 1;
    }
    let frac = if legs[leg] > 0.0 { s / legs[leg] } else { 0.0 };
    let (a, b) = (ring[leg], ring[leg + 1]);
    let start = (a.0 + (b.0 - a.0) * frac, a.1 + (b.1 - a.1) * frac);
    let mut out = vec![(t0_ms, start)];
    let ms_per_nm = 3_600_000.0 / speed_knots.max(0.1);
    let mut t = t0_ms as f64 + (legs[leg] - s) * ms_per_nm;
    let mut next = leg + 1;
    // Bounded: a patrol of a week at 60 kn around a 1 nm loop is about 10,000 legs.
    let mut guard = 0;
    while (t as i64) < t1_ms && guard < 1_000_000 {
        out.push((t as i64, ring[next]));
        let l = next % legs.len();
        t += legs[l] * ms_per_nm;
        next = l + 1;
        guard += 1;
    }
    // Last point: interpolate to t1 on the current leg.
    if let Some(&(tl, pl)) = out.last() {
        if tl < t1_ms {
            let l = (next - 1) % legs.len();
            let target = ring[l + 1];
            let span = t - tl as f64;
            let f = if span > 0.0 { (t1_ms - tl) as f64 / span } else { 0.0 };
            out.push((t1_ms, (pl.0 + (target.0 - pl.0) * f, pl.1 + (target.1 - pl.1) * f)));
        }
    }
    out
}

fn report_interval_ms(a: &Agent) -> i64 {
    match &a.output {
        Output::Ais(v) if v.kind == VesselKind::Sart => SART_INTERVAL_MS,
        Output::Ais(v) if matches!(v.kind, VesselKind::SarAircraft(_)) => SAR_AIRCRAFT_INTERVAL_MS,
        Output::Ais(v) if v.class_b => (class_b_interval_s(a.speed_knots) * 1000.0) as i64,
        Output::Ais(v) => {
            (class_a_interval_s(a.speed_knots, matches!(v.nav_status, 1 | 5)) * 1000.0) as i64
        }
        Output::Track(info) => info.update_ms.max(1000),
        Output::Adsb(_) => ADSB_POSITION_INTERVAL_MS / 2,
    }
}

/// Sets the agent's position at `t` without drawing random numbers.
fn init_state(a: &mut Agent, t: i64) {
    match &a.motion {
        Motion::Lane { .. } => {
            a.t_ms = t;
            lane_position(a);
        }
        Motion::Path { .. } => {
            a.t_ms = t;
            path_position(a, t);
        }
        Motion::Wander { .. } => {}
    }
}

fn lane_position(a: &mut Agent) {
    if let Motion::Lane { cur: l, along_nm, .. } = &a.motion {
        let f = (along_nm / l.len_nm).clamp(0.0, 1.0);
        a.lon = l.from.0 + (l.to.0 - l.from.0) * f;
        a.lat = l.from.1 + (l.to.1 - l.from.1) * f;
        a.course_deg = l.course_deg;
    }
}

fn path_position(a: &mut Agent, t: i64) {
    if let Motion::Path { points, seg } = &mut a.motion {
        while *seg + 2 < points.len() && points[*seg + 1].0 <= t {
            *seg += 1;
        }
        let Some(&(t0, x0, y0)) = points.get(*seg) else { return };
        let Some(&(t1, x1, y1)) = points.get(*seg + 1) else {
            a.lon = x0;
            a.lat = y0;
            a.speed_knots = 0.0;
            return;
        };
        let span = (t1 - t0).max(1) as f64;
        let f = ((t - t0) as f64 / span).clamp(0.0, 1.0);
        a.lon = x0 + (x1 - x0) * f;
        a.lat = y0 + (y1 - y0) * f;
        let d = geo::distance_nm((x0, y0), (x1, y1));
        a.speed_knots = d / (span / 3_600_000.0);
        if d > 1e-6 {
            a.course_deg = geo::bearing_deg((x0, y0), (x1, y1));
        }
    }
}

/// Moves the agent to time `t`.
fn advance(a: &mut Agent, t: i64) {
    let dt_ms = t - a.t_ms;
    if dt_ms <= 0 && !matches!(a.motion, Motion::Path { .. }) {
        return;
    }
    a.t_ms = t;
    match &mut a.motion {
        Motion::Lane { legs, cur, leg, along_nm, forward, lane } => {
            let mut dist = a.speed_knots * dt_ms as f64 / 3_600_000.0;
            // Bounded: a leg is at least a few miles and a step at most hours.
            let mut guard = 0;
            while dist > 0.0 && guard < 10_000 && !legs.is_empty() {
                guard += 1;
                let remaining = cur.len_nm - *along_nm;
                if dist < remaining {
                    *along_nm += dist;
                    dist = 0.0;
                } else {
                    dist -= remaining.max(0.0);
                    *leg += 1;
                    *along_nm = 0.0;
                    if *leg >= legs.len() {
                        // The next voyage: the same lane the other way.
                        legs.reverse();
                        for l in legs.iter_mut() {
                            std::mem::swap(&mut l.from, &mut l.to);
                            l.course_deg = (l.course_deg + 180.0).rem_euclid(360.0);
                        }
                        *leg = 0;
                        *forward = !*forward;
                        if let (Some(l), Output::Ais(v)) = (*lane, &mut a.output) {
                            v.destination = AisText::from_str_lossy(if *forward {
                                l.destination_forward
                            } else {
                                l.destination_backward
                            });
                        }
                    }
                    *cur = legs[*leg];
                }
            }
            lane_position(a);
        }
        Motion::Wander { min, max, speed_lo, speed_hi } => {
            let (min, max, lo, hi) = (*min, *max, *speed_lo, *speed_hi);
            let dist = a.speed_knots * dt_ms as f64 / 3_600_000.0;
            let p = geo::offset((a.lon, a.lat), a.course_deg, dist);
            a.lon = p.0;
            a.lat = p.1;
            if a.lon < min.0 || a.lon > max.0 || a.lat < min.1 || a.lat > max.1 {
                let centre = ((min.0 + max.0) / 2.0, (min.1 + max.1) / 2.0);
                a.course_deg = geo::bearing_deg((a.lon, a.lat), centre);
            } else {
                a.course_deg = (a.course_deg + a.rng.range(-20.0, 20.0)).rem_euclid(360.0);
            }
            // A random walk pulled back to the middle of the range: boats work at their
            // usual speed and slow down for a while, rather than drifting for hours by
            // chance (which the engine would rightly call loitering).
            let mid = (lo + hi) / 2.0;
            a.speed_knots = (a.speed_knots + a.rng.range(-0.5, 0.5) + 0.1 * (mid - a.speed_knots))
                .clamp(lo, hi);
        }
        Motion::Path { .. } => path_position(a, t),
    }
}

fn min_x10000(deg: f64) -> i32 {
    round_half_away(deg * 600_000.0) as i32
}

fn position_message(v: &Station, a: &Agent, t: i64) -> AisMessage {
    let second = (t.div_euclid(1000) % 60) as u8;
    let speed = Some((round_half_away(a.speed_knots * 10.0) as u16).min(1022));
    let course = Some((round_half_away(a.course_deg * 10.0) as u16) % 3600);
    if let VesselKind::SarAircraft(altitude_m) = v.kind {
        return AisMessage::SarAircraftPosition(SarAircraftPosition {
            repeat: 0,
            mmsi: v.mmsi,
            altitude_m: Some(altitude_m.min(4094)),
            speed_knots: Some((round_half_away(a.speed_knots) as u16).min(1022)),
            accuracy: true,
            lon_min_x10000: Some(min_x10000(a.lon)),
            lat_min_x10000: Some(min_x10000(a.lat)),
            course_deg_x10: course,
            utc_second: Some(second),
            altitude_barometric: false,
            spare1: 0,
            dte: false,
            spare2: 0,
            assigned: false,
            raim: false,
            // SOTDMA communication state, as for message 1 below.
            radio: (2 << 14) | (u32::from(second) * 2250 / 60),
        });
    }
    if v.class_b {
        AisMessage::ClassBPosition(ClassBPosition {
            repeat: 0,
            mmsi: v.mmsi,
            spare1: 0,
            speed_knots_x10: speed,
            accuracy: false,
            lon_min_x10000: Some(min_x10000(a.lon)),
            lat_min_x10000: Some(min_x10000(a.lat)),
            course_deg_x10: course,
            heading_deg: None,
            utc_second: Some(second),
            spare2: 0,
            carrier_sense: true,
            display: false,
            dsc: false,
            band: true,
            msg22: true,
            assigned: false,
            raim: false,
            // The communication state Class B "CS" units commonly send: the selector flag set
            // (ITDMA) and a fixed pattern (IEC 62287-1 leaves the field to the unit).
            radio: 0b1100_0000_0000_0000_0110,
        })
    } else {
        AisMessage::PositionReport(PositionReport {
            msg_type: 1,
            repeat: 0,
            mmsi: v.mmsi,
            nav_status: v.nav_status,
            rot_ais: Some(0),
            speed_knots_x10: speed,
            accuracy: true,
            lon_min_x10000: Some(min_x10000(a.lon)),
            lat_min_x10000: Some(min_x10000(a.lat)),
            course_deg_x10: course,
            heading_deg: Some((round_half_away(a.course_deg) as u16) % 360),
            utc_second: Some(second),
            maneuver: 0,
            spare: 0,
            raim: false,
            // SOTDMA communication state (ITU-R M.1371-5 Annex 2): sync state 0 (UTC direct),
            // slot time-out 2, whose sub-message is the slot number: 2,250 slots a minute.
            radio: (2 << 14) | (u32::from(second) * 2250 / 60),
            radio_len_bits: 19,
        })
    }
}

fn dimensions(v: &Station) -> Dimensions {
    let bow = v.length_m * 2 / 3;
    Dimensions {
        to_bow_m: bow.min(511),
        to_stern_m: (v.length_m - bow).min(511),
        to_port_m: (v.beam_m / 2).min(63),
        to_starboard_m: (v.beam_m - v.beam_m / 2).min(63),
    }
}

fn static_messages(v: &Station, t: i64) -> Vec<AisMessage> {
    if v.class_b {
        vec![
            AisMessage::StaticDataReport(StaticDataReport::A(StaticDataReportA {
                repeat: 0,
                mmsi: v.mmsi,
                ship_name: v.name.clone(),
                spare: Some(0),
            })),
            AisMessage::StaticDataReport(StaticDataReport::B(StaticDataReportB {
                repeat: 0,
                mmsi: v.mmsi,
                ship_type: v.ship_type,
                vendor_id: AisText::from_str_lossy("KSM"),
                unit_model: 1,
                serial_number: v.mmsi % 1_000_000,
                call_sign: v.call_sign.clone(),
                reference: ReferenceOrMothership::Dimensions(dimensions(v)),
                epfd: 1,
                spare: 0,
            })),
        ]
    } else {
        // ETA: two days after the report, at 08:00 UTC.
        let (_, month, day, _, _, _, _) = ms_to_ts(t + 2 * 86_400_000).to_civil();
        vec![AisMessage::StaticVoyageData(StaticVoyageData {
            repeat: 0,
            mmsi: v.mmsi,
            ais_version: 2,
            imo: v.imo,
            call_sign: v.call_sign.clone(),
            ship_name: v.name.clone(),
            ship_type: v.ship_type,
            dimensions: dimensions(v),
            epfd: 1,
            eta_month: if v.destination.is_empty() { None } else { Some(month) },
            eta_day: if v.destination.is_empty() { None } else { Some(day) },
            eta_hour: if v.destination.is_empty() { None } else { Some(8) },
            eta_minute: if v.destination.is_empty() { None } else { Some(0) },
            draught_m_x10: Some(if v.length_m > 100 { 105 } else { 40 }),
            destination: v.destination.clone(),
            dte: false,
            spare: false,
        })]
    }
}
