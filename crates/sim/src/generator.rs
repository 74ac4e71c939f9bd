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
//! every 6 minutes; sensor tracks at the activity's `update_s`.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use kuroshio_ais::AisMessage;
use kuroshio_ais::AisText;
use kuroshio_ais::message::{
    ClassBPosition, Dimensions, PositionReport, ReferenceOrMothership, StaticDataReport,
    StaticDataReportA, StaticDataReportB, StaticVoyageData,
};
use kuroshio_model::Timestamp;
use kuroshio_zones::{Catalogue, Crossing, Direction, ZoneIdx, ZoneKind};
use thiserror::Error;

use crate::geo::{self, GROUNDS, LANES, Lane};
use crate::identity;
use crate::queue::Agenda;
use crate::reporting::{STATIC_INTERVAL_S, class_a_interval_s, class_b_interval_s};
use crate::rng::Rng;
use crate::scenario::{Activity, Scenario, ScenarioError};
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

/// One output record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An AIS message.
    Ais(AisReport),
    /// A sensor track update.
    Track(TrackPoint),
}

impl Record {
    /// The record's time.
    pub fn time(&self) -> Timestamp {
        match self {
            Record::Ais(a) => a.time,
            Record::Track(t) => t.time,
        }
    }
}

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
    /// fishing.
    nav_status: u8,
}

#[derive(Debug, Clone)]
struct TrackInfo {
    id: Arc<str>,
    domain: Domain,
    kind: Arc<str>,
    altitude_ft: Option<f64>,
    update_ms: i64,
}

#[derive(Debug, Clone)]
enum Output {
    Ais(Box<Vessel>),
    Track(TrackInfo),
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

/// Counters of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// AIS messages by type (index 1–27).
    pub ais_by_type: [u64; 28],
    /// Sensor track updates.
    pub track_points: u64,
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
    truth: Vec<TruthRecord>,
    truth_dropped: u64,
    counts: Counts,
    channel_toggle: bool,
    sensor_source: Arc<str>,
    /// MMSIs handed out, so that no two generated vessels share one by chance (the spoofer
    /// shares one on purpose). Bounded by the agent count.
    used_mmsi: HashSet<u32>,
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
            truth: Vec::new(),
            truth_dropped: 0,
            counts: Counts::default(),
            channel_toggle: false,
            sensor_source: Arc::from(SENSOR_SOURCE),
            used_mmsi: HashSet::new(),
        };
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
        };
        let i = self.add(
            Output::Ais(Box::new(vessel)),
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
                v.call_sign = call_sign;
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
            };
            let i = self.add(
                Output::Ais(Box::new(vessel)),
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
                    };
                    mmsis.push(v.mmsi);
                    self.add_path(
                        Output::Ais(Box::new(v)),
                        points,
                        s.seed,
                        Some(label),
                        Vec::new(),
                    );
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
                    self.add_path(
                        Output::Ais(Box::new(v)),
                        points,
                        s.seed,
                        Some(label),
                        Vec::new(),
                    );
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
                        Output::Ais(Box::new(Vessel {
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
                        }))
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
                    };
                    self.add_path(
                        Output::Ais(Box::new(v)),
                        points,
                        s.seed,
                        Some(label),
                        areas.clone(),
                    );
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
                    };
                    let mmsi = v.mmsi;
                    let i = self.add(
                        Output::Ais(Box::new(v)),
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
        a.next_static_ms = if matches!(a.output, Output::Ais(_)) {
            a.start_ms + a.rng.below(STATIC_INTERVAL_S as u64 * 1000) as i64
        } else {
            i64::MAX
        };
        let key = a.next_pos_ms.min(a.next_static_ms);
        if key <= a.end_ms {
            self.agenda.push(key, i as u32);
        }
    }

    fn step(&mut self) -> bool {
        let Some((t, i)) = self.agenda.pop() else { return false };
        let i = i as usize;
        let channel = if self.channel_toggle { b'B' } else { b'A' };
        self.channel_toggle = !self.channel_toggle;
        let Some(a) = self.agents.get_mut(i) else { return true };
        advance(a, t);
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
        let is_ais = matches!(a.output, Output::Ais(_));
        let at = |ms: i64| ms_to_ts(if is_ais { ms.div_euclid(1000) * 1000 } else { ms });
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
        let (lon, lat) = engine_position(is_ais, lon, lat);
        let entity = |a: &Agent| match &a.output {
            Output::Ais(v) => TruthEntity::Mmsi(v.mmsi),
            Output::Track(info) => TruthEntity::Track(info.id.to_string()),
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

/// The position the engine computes with: the wire's precision (AIS 1/10,000 minute, track
/// lines six decimals), then the tracker's storage of 1e-7 degree (`kuroshio-track`'s packed
/// fixes). Truth crossings computed from these agree with the engine's even for a step that
/// grazes a line.
fn engine_position(is_ais: bool, lon: f64, lat: f64) -> (f64, f64) {
    let wire = |v: f64| {
        if is_ais {
            f64::from((v * 600_000.0).round() as i32) / 600_000.0
        } else {
            (v * 1e6).round() / 1e6
        }
    };
    let e7 = |v: f64| (v * 1e7).round() / 1e7;
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
        Output::Ais(v) if v.class_b => (class_b_interval_s(a.speed_knots) * 1000.0) as i64,
        Output::Ais(v) => {
            (class_a_interval_s(a.speed_knots, matches!(v.nav_status, 1 | 5)) * 1000.0) as i64
        }
        Output::Track(info) => info.update_ms.max(1000),
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
                            v.destination = if *forward {
                                l.destination_forward
                            } else {
                                l.destination_backward
                            }
                            .to_owned();
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
    (deg * 600_000.0).round() as i32
}

fn position_message(v: &Vessel, a: &Agent, t: i64) -> AisMessage {
    let second = (t.div_euclid(1000) % 60) as u8;
    let speed = Some(((a.speed_knots * 10.0).round() as u16).min(1022));
    let course = Some(((a.course_deg * 10.0).round() as u16) % 3600);
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
            heading_deg: Some((a.course_deg.round() as u16) % 360),
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

fn dimensions(v: &Vessel) -> Dimensions {
    let bow = v.length_m * 2 / 3;
    Dimensions {
        to_bow_m: bow.min(511),
        to_stern_m: (v.length_m - bow).min(511),
        to_port_m: (v.beam_m / 2).min(63),
        to_starboard_m: (v.beam_m - v.beam_m / 2).min(63),
    }
}

fn static_messages(v: &Vessel, t: i64) -> Vec<AisMessage> {
    if v.class_b {
        vec![
            AisMessage::StaticDataReport(StaticDataReport::A(StaticDataReportA {
                repeat: 0,
                mmsi: v.mmsi,
                ship_name: AisText::from_str_lossy(&v.name),
                spare: Some(0),
            })),
            AisMessage::StaticDataReport(StaticDataReport::B(StaticDataReportB {
                repeat: 0,
                mmsi: v.mmsi,
                ship_type: v.ship_type,
                vendor_id: AisText::from_str_lossy("KSM"),
                unit_model: 1,
                serial_number: v.mmsi % 1_000_000,
                call_sign: AisText::from_str_lossy(&v.call_sign),
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
            call_sign: AisText::from_str_lossy(&v.call_sign),
            ship_name: AisText::from_str_lossy(&v.name),
            ship_type: v.ship_type,
            dimensions: dimensions(v),
            epfd: 1,
            eta_month: if v.destination.is_empty() { None } else { Some(month) },
            eta_day: if v.destination.is_empty() { None } else { Some(day) },
            eta_hour: if v.destination.is_empty() { None } else { Some(8) },
            eta_minute: if v.destination.is_empty() { None } else { Some(0) },
            draught_m_x10: Some(if v.length_m > 100 { 105 } else { 40 }),
            destination: AisText::from_str_lossy(&v.destination),
            dte: false,
            spare: false,
        })]
    }
}
