//! The air input chain for one feed: frames (or SBS lines) in, decoded replies with positions
//! out, every fault counted by kind.
//!
//! [`ModeSDecoder`] joins parity checking and decoding ([`crate::decode`]) with CPR position
//! decoding ([`crate::cpr::CprState`]) and one more piece of state real receivers need:
//! the set of aircraft addresses confirmed by a checked parity. Replies of downlink formats 0,
//! 4, 5, 16, 20 and 21 carry their address overlaid on the parity, so a corrupted reply yields
//! a wrong address rather than a failed check; like dump1090 and readsb, such replies are only
//! accepted from aircraft already heard in a DF 11/17/18 reply ([`CONFIRMED_ADDRESSES_MAX`]
//! bounds that set).
//!
//! [`SbsDecoder`] does the same for SBS-1 BaseStation lines, whose positions arrive already
//! decoded.
//!
//! Both hand results to a caller's closure and can turn them into the model's
//! [`Observation`]s. Deliberately absent: sockets, files, clocks (a frame's time comes from the
//! input, or from the `arrival_s` the caller passes for inputs without one), and tracking.

use std::collections::{BTreeMap, HashMap};

use kuroshio_model::{Icao24, Kinematics, Observation, Position, SourceId, TargetId, Timestamp};

use crate::cpr::{CprFix, CprState};
use crate::decode::adsb::Adsb;
use crate::decode::{Content, ModeS, Parity, decode};
use crate::frame::{Frame, FrameTime};
use crate::sbs::{SbsLine, SbsMessage};

/// Most aircraft addresses remembered as confirmed by a checked parity.
///
/// A busy receiver hears a few hundred aircraft at once and a few thousand a day; 16,384 holds
/// a day's worth. When full, addresses not heard for [`CONFIRMED_IDLE_S`] are dropped; if none
/// is that old, the new address is not remembered (and its overlay replies are not accepted
/// until it is).
pub const CONFIRMED_ADDRESSES_MAX: usize = 16_384;

/// An address unheard in a checked reply for this long (seconds) stops vouching for
/// address/parity replies: 10 minutes, well beyond the gaps of an aircraft in coverage.
pub const CONFIRMED_IDLE_S: f64 = 600.0;

/// Options of a [`ModeSDecoder`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ModeSOptions {
    /// Receiver position `(lat_deg, lon_deg)`, for local airborne decoding before a global fix
    /// and for surface positions.
    pub reference: Option<(f64, f64)>,
}

/// One decoded reply, with its time and position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodedFrame<'a> {
    /// The reply bytes.
    pub frame: &'a [u8],
    /// The decoded reply.
    pub message: &'a ModeS,
    /// Receive time in Unix seconds, when the input carries one.
    pub unix_s: Option<f64>,
    /// The position decoded from this reply, for airborne and surface position squitters.
    pub position: Option<CprFix>,
}

impl DecodedFrame<'_> {
    /// The observation this reply makes of its aircraft, at `time` through `source`; `None`
    /// when it says nothing about where the aircraft is, how it moves or what it is called.
    pub fn observation(&self, time: Timestamp, source: &SourceId) -> Option<Observation> {
        let icao = Icao24::new(self.message.icao24?).ok()?;
        let mut obs = Observation::new(TargetId::Aircraft(icao), time, source.clone());
        obs.position = self.position.and_then(|f| Position::new(f.lon_deg, f.lat_deg).ok());
        obs.kinematics.altitude_ft = self.message.altitude_ft().map(f64::from);
        if let Some(v) = self.message.velocity() {
            obs.kinematics.speed_knots = v.groundspeed_kt;
            obs.kinematics.course_deg = v.track_deg;
            obs.kinematics.heading_deg = v.heading_deg;
            obs.kinematics.vertical_rate_ft_min = v.vertical_rate_ft_min.map(f64::from);
        }
        if let Content::ExtendedSquitter(es) = &self.message.content {
            match &es.me {
                Adsb::SurfacePosition(s) => {
                    obs.kinematics.speed_knots = s.groundspeed_kt;
                    obs.kinematics.course_deg = s.track_deg;
                }
                // Category sets: TC 4 = A, 3 = B, 2 = C (DO-260B §2.2.3.2.5.2); set D (TC 1)
                // is reserved, and category 0 means "no information".
                Adsb::Identification(id) if id.category != 0 && (2..=4).contains(&id.tc) => {
                    let set = match id.tc {
                        4 => 'A',
                        3 => 'B',
                        _ => 'C',
                    };
                    obs.aircraft_category = Some(format!("{set}{}", id.category));
                }
                _ => {}
            }
        }
        obs.callsign =
            self.message.callsign().map(|c| c.trimmed().to_owned()).filter(|c| !c.is_empty());
        let says_something = obs.position.is_some()
            || obs.callsign.is_some()
            || obs.kinematics != Kinematics::default();
        says_something.then_some(obs)
    }
}

/// Counters of a [`ModeSDecoder`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModeSStats {
    /// Frames pushed (Mode S and Mode A/C).
    pub frames: u64,
    /// Replies decoded and accepted.
    pub decoded: u64,
    /// Accepted replies by downlink format (index = DF, 0-24).
    pub by_df: [u64; 25],
    /// Positions decoded.
    pub positions: u64,
    /// Faults by kind: decoding (`crc_mismatch`, `unknown_df`, …), `unconfirmed_address`
    /// (address/parity reply from an aircraft not heard in a checked reply), `mode_ac`
    /// (Mode A/C replies, which carry no address and are not decoded here).
    pub errors: BTreeMap<&'static str, u64>,
}

impl ModeSStats {
    fn error(&mut self, kind: &'static str) {
        *self.errors.entry(kind).or_insert(0) += 1;
    }
}

/// Decodes the Mode S replies of one receiver; see the module documentation.
#[derive(Debug, Default)]
pub struct ModeSDecoder {
    options: ModeSOptions,
    cpr: CprState,
    /// Address → last time (seconds, the decoder's clock) it was heard in a checked reply.
    confirmed: HashMap<u32, f64>,
    stats: ModeSStats,
}

impl ModeSDecoder {
    /// A decoder for one receiver.
    pub fn new(options: ModeSOptions) -> Self {
        Self { options, ..Self::default() }
    }

    /// The counters so far.
    pub fn stats(&self) -> &ModeSStats {
        &self.stats
    }

    /// Counts a fault found before decoding (framing), so that one summary lists all faults.
    pub fn count_error(&mut self, kind: &'static str) {
        self.stats.error(kind);
    }

    /// The CPR state (its counters say how positions were obtained or why not).
    pub fn cpr(&self) -> &CprState {
        &self.cpr
    }

    /// Decodes one frame. `arrival_s` is the time (seconds, any epoch, non-decreasing) to use
    /// when the frame carries none; Beast and `@` AVR frames carry a 12 MHz counter, used
    /// instead so that pairing and speed checks see the receiver's own timing.
    pub fn push_frame(
        &mut self,
        frame: &Frame<'_>,
        arrival_s: f64,
        mut sink: impl FnMut(DecodedFrame<'_>),
    ) {
        self.stats.frames += 1;
        if frame.data.len() == crate::frame::MODE_AC_BYTES {
            self.stats.error("mode_ac");
            return;
        }
        let message = match decode(frame.data) {
            Ok(m) => m,
            Err(e) => {
                self.stats.error(e.kind());
                return;
            }
        };
        let (unix_s, time_s) = match frame.timestamp {
            Some(FrameTime::UnixSeconds(t)) => (Some(t), t),
            Some(FrameTime::Mlat12MHz(ticks)) => (None, ticks as f64 / 12.0e6),
            None => (None, arrival_s),
        };
        let Some(icao) = message.icao24 else {
            self.stats.error("no_address");
            return;
        };
        match message.parity {
            Parity::Checked | Parity::Interrogator(_) => self.confirm(icao, time_s),
            Parity::AddressOverlay => {
                let fresh = self
                    .confirmed
                    .get(&icao)
                    .is_some_and(|&seen| (time_s - seen).abs() <= CONFIRMED_IDLE_S);
                if !fresh {
                    self.stats.error("unconfirmed_address");
                    return;
                }
            }
        }
        let position = message
            .cpr()
            .and_then(|pos| self.cpr.decode(icao, pos, time_s, self.options.reference).ok());
        self.stats.decoded += 1;
        if let Some(n) = self.stats.by_df.get_mut(usize::from(message.df)) {
            *n += 1;
        }
        if position.is_some() {
            self.stats.positions += 1;
        }
        sink(DecodedFrame { frame: frame.data, message: &message, unix_s, position });
    }

    fn confirm(&mut self, icao: u32, time_s: f64) {
        if self.confirmed.len() >= CONFIRMED_ADDRESSES_MAX && !self.confirmed.contains_key(&icao) {
            self.confirmed.retain(|_, &mut seen| (time_s - seen).abs() <= CONFIRMED_IDLE_S);
            if self.confirmed.len() >= CONFIRMED_ADDRESSES_MAX {
                return;
            }
        }
        self.confirmed.insert(icao, time_s);
    }
}

/// Counters of an [`SbsDecoder`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SbsStats {
    /// Lines pushed.
    pub lines: u64,
    /// `MSG` records accepted, by transmission type (index 1-8).
    pub by_type: [u64; 9],
    /// Records of other types and blank lines, by kind (`SEL`, `ID`, `AIR`, `STA`, `CLK`,
    /// `blank`).
    pub skipped: BTreeMap<&'static str, u64>,
    /// Faults by kind (`too_few_fields`, `bad_hex_ident`, …; `no_address` for `MSG` records
    /// with an empty or `000000` address).
    pub errors: BTreeMap<&'static str, u64>,
}

/// Reads SBS-1 BaseStation lines of one feed.
#[derive(Debug, Default)]
pub struct SbsDecoder {
    stats: SbsStats,
}

impl SbsDecoder {
    /// A decoder for one feed.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counters so far.
    pub fn stats(&self) -> &SbsStats {
        &self.stats
    }

    /// Parses one line and hands a `MSG` record with an address to `sink`.
    pub fn push_line(&mut self, line: &[u8], mut sink: impl FnMut(&SbsMessage<'_>)) {
        self.stats.lines += 1;
        match crate::sbs::parse_line(line) {
            Ok(SbsLine::Message(m)) => {
                if m.hex_ident.is_none() {
                    *self.stats.errors.entry("no_address").or_insert(0) += 1;
                    return;
                }
                if let Some(n) = self.stats.by_type.get_mut(usize::from(m.transmission_type)) {
                    *n += 1;
                }
                sink(&m);
            }
            Ok(SbsLine::Skipped(r)) => *self.stats.skipped.entry(r.name()).or_insert(0) += 1,
            Ok(SbsLine::Blank) => *self.stats.skipped.entry("blank").or_insert(0) += 1,
            Err(e) => *self.stats.errors.entry(e.kind()).or_insert(0) += 1,
        }
    }
}

/// The observation an SBS `MSG` record makes, through `source`. Its time is the record's
/// generated time (read as UTC), else `fallback`.
pub fn sbs_observation(
    m: &SbsMessage<'_>,
    fallback: Timestamp,
    source: &SourceId,
) -> Option<Observation> {
    let icao = Icao24::new(m.hex_ident?).ok()?;
    let time = m
        .generated_unix_s
        .or(m.logged_unix_s)
        .and_then(Timestamp::from_unix_seconds_f64)
        .unwrap_or(fallback);
    let mut obs = Observation::new(TargetId::Aircraft(icao), time, source.clone());
    obs.position = match (m.lon_deg, m.lat_deg) {
        (Some(lon), Some(lat)) => Position::new(lon, lat).ok(),
        _ => None,
    };
    obs.kinematics = Kinematics {
        speed_knots: m.ground_speed_kt,
        course_deg: m.track_deg,
        altitude_ft: m.altitude_ft.map(f64::from),
        vertical_rate_ft_min: m.vertical_rate_fpm.map(f64::from),
        ..Kinematics::default()
    };
    obs.callsign = m.callsign.map(str::to_owned).filter(|c| !c.is_empty());
    let says_something =
        obs.position.is_some() || obs.callsign.is_some() || obs.kinematics != Kinematics::default();
    says_something.then_some(obs)
}

pub use crate::json::write_sbs as write_sbs_json;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::parse_line;

    fn source() -> SourceId {
        SourceId::parse("test-receiver").unwrap()
    }

    /// Feeds hex lines (with `unix,hex` times) and collects observations.
    fn observations(lines: &[&str]) -> Vec<Observation> {
        let mut dec = ModeSDecoder::new(ModeSOptions::default());
        let mut out = Vec::new();
        let mut scratch = [0u8; 14];
        for line in lines {
            let frame = parse_line(line.as_bytes(), &mut scratch).unwrap().unwrap();
            dec.push_frame(&frame, 0.0, |d| {
                let t = Timestamp::from_unix_seconds_f64(d.unix_s.unwrap()).unwrap();
                out.extend(d.observation(t, &source()));
            });
        }
        out
    }

    /// The even/odd pair of "The 1090 Megahertz Riddle" (J. Sun), whose decoded position the
    /// book gives as 52.2572°N, 3.91937°E with the even frame the more recent, becomes a
    /// positioned aircraft observation; the identification squitter of the same book gives its
    /// callsign.
    #[test]
    fn position_and_identity_observations() {
        let obs = observations(&[
            "1.0,8D40621D58C386435CC412692AD6",
            "2.0,8D40621D58C382D690C8AC2863A7",
            "3.0,8D4840D6202CC371C32CE0576098",
        ]);
        let positioned: Vec<_> = obs.iter().filter(|o| o.position.is_some()).collect();
        assert_eq!(positioned.len(), 1);
        let p = positioned[0].position.unwrap();
        assert!((p.lat_deg() - 52.2572).abs() < 1e-3 && (p.lon_deg() - 3.91937).abs() < 1e-3);
        assert_eq!(positioned[0].target, TargetId::Aircraft(Icao24::new(0x40621d).unwrap()));
        assert_eq!(positioned[0].kinematics.altitude_ft, Some(38_000.0));
        assert_eq!(positioned[0].time, Timestamp::from_unix_seconds(2).unwrap());
        let named: Vec<_> = obs.iter().filter_map(|o| o.callsign.as_deref()).collect();
        assert_eq!(named, ["KLM1023"]);
        // The book decodes this identification as TC 4 (set A), category 0: no information.
        assert!(obs.iter().all(|o| o.aircraft_category.is_none()));
    }

    /// Address/parity replies count only for aircraft confirmed by a checked reply.
    #[test]
    fn overlay_addresses_need_confirmation() {
        // A DF 4 altitude reply from an aircraft never heard in a DF 11/17/18 reply.
        let mut dec = ModeSDecoder::new(ModeSOptions::default());
        let mut scratch = [0u8; 14];
        let f = parse_line(b"20001838CA3E51", &mut scratch).unwrap().unwrap();
        let mut n = 0;
        dec.push_frame(&f, 0.0, |_| n += 1);
        assert_eq!(n, 0);
        assert_eq!(dec.stats().errors.get("unconfirmed_address"), Some(&1));
    }

    #[test]
    fn sbs_record_becomes_observation() {
        // A line of the shared Kansai recording's shape.
        let line = b"MSG,3,111,11111,789252,111111,2022/01/08,22:42:15.605,2022/01/08,22:42:15.566,,28000,,,34.43697,136.04449,,,,,,0";
        let mut dec = SbsDecoder::new();
        let mut obs = Vec::new();
        dec.push_line(line, |m| obs.extend(sbs_observation(m, Timestamp::EPOCH, &source())));
        assert_eq!(obs.len(), 1);
        let o = &obs[0];
        assert_eq!(o.target, TargetId::Aircraft(Icao24::new(0x789252).unwrap()));
        assert_eq!(o.kinematics.altitude_ft, Some(28_000.0));
        let p = o.position.unwrap();
        assert_eq!((p.lat_deg(), p.lon_deg()), (34.43697, 136.04449));
        // 2022-01-08T22:42:15.605Z, read as UTC.
        assert_eq!(o.time.to_string(), "2022-01-08T22:42:15.605Z");
        let mut out = Vec::new();
        dec.push_line(line, |m| write_sbs_json(m, &mut out));
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["icao24"], "789252");
        assert_eq!(v["altitude"], 28000);
    }
}
