//! Zone dwell: a track that stays inside an area for longer than a threshold.
//!
//! The semantics and thresholds are documented on [`ZoneDwellConfig`], the public face of this
//! module; the state is driven by [`crate::ZoneCrossingDetector`], which owns the crossings.

use std::collections::BTreeMap;

use kuroshio_model::{PartnerCode, Timestamp};
use kuroshio_track::{Fix, TrackKey, TrackSlot, TrackUpdate};
use kuroshio_zones::{Catalogue, ZoneIdx};
use serde::{Deserialize, Serialize};

use crate::detectors::{BoundedMap, seconds_between};
use crate::{Event, EventKind, EventPolicy, GeoPoint, entity_of};

/// Default dwell threshold: 1 h (see [`ZoneDwellConfig`] for why).
pub const DWELL_THRESHOLD_S_DEFAULT: f64 = 3600.0;

/// Default longest silence within a stay: 2 h (see [`ZoneDwellConfig`]).
pub const DWELL_MAX_SILENCE_S_DEFAULT: f64 = 2.0 * 3600.0;

/// Open stays held per track. The built-in catalogue's areas overlap at most six deep outside
/// the FIRs (between Taiwan and Penghu: both parts of the ROC ADIZ and the 12 nm and 24 nm
/// limits of both), seven with an FIR; eight leaves room for a user zone. When full, a further
/// area entered is not followed (counted).
pub const STAYS_PER_TRACK_MAX: usize = 8;

/// Default number of tracks with open stays: the tracks inside the catalogue's areas are a
/// part of a regional picture of tens of thousands; 100,000 entries of under 300 bytes (eight
/// stays of 24 bytes, the key, the recency links and the index entry) bound the table at
/// under 30 MB.
pub const DWELL_MAX_TRACKS_DEFAULT: usize = 100_000;

/// Thresholds of the zone dwell detector, which [`crate::ZoneCrossingDetector`] runs.
///
/// Why: for territorial seas and contiguous zones the figure that matters is time spent, not
/// the crossing. The Japan Coast Guard's 11th Regional Headquarters announces China Coast
/// Guard entries into and exits from the territorial sea around the Senkaku Islands to the
/// minute and reports how long each stay lasted (72 h 45 min in December 2022, the longest
/// since 2012; 64 h 17 min in July 2022: Yomiuri Shimbun, 2022-12-26,
/// <https://japannews.yomiuri.co.jp/politics/defense-security/20221226-79812/>; 39 h 23 min in
/// July 2020: Kyodo in The Japan Times, 2020-10-13,
/// <https://www.japantimes.co.jp/news/2020/10/13/national/china-senkakus-record/>), and counts
/// presence in the contiguous zone by days. This detector gives those figures from tracks.
///
/// Events (`zone_dwell`): a track that has been inside an area continuously for at least the
/// area's threshold gets one event per stay, at the first fix at or after entry time plus
/// threshold: time and position of that fix, zone the area's id, details `entered` (RFC 3339),
/// `dwell_s` (from `entered` to this fix), `threshold_s`, and `first_seen_inside: true` when
/// the entry was not observed (the track's first fix was already inside, or the stay resumed
/// after a silence, below): `dwell_s` is then a lower bound. A `zone_exit` that ends a stay
/// this detector followed gains the same `entered`, `dwell_s` (to the interpolated exit
/// time) and `first_seen_inside` details. Leaving and entering again starts a new stay, which
/// can be reported again.
///
/// Observed fixes only: a stay is extended only by fixes that arrive. A track that stops
/// reporting inside an area gets no dwell event however long its silence
/// ([`crate::Detectors::sweep`] does not report dwell), and a silence between two fixes longer
/// than
/// [`ZoneDwellConfig::max_silence_s`] breaks the stay: exits on that segment carry no
/// `dwell_s`, and the areas the track is inside at the fix after the silence start new stays
/// from that fix, marked `first_seen_inside`. Whether a track is inside follows the zone
/// crossings of the straight segments between its fixes (the same rule as `zone_entry` and
/// `zone_exit`, so the three kinds always agree), and, at a track's first fix, the areas that
/// contain it.
///
/// Thresholds ([`ZoneDwellConfig`]):
/// - [`ZoneDwellConfig::threshold_s`], default 1 h ([`DWELL_THRESHOLD_S_DEFAULT`]). A vessel
///   at an ordinary 12 kn crosses a 12 nm territorial-sea belt in 1 h, and an aircraft at
///   300 kn covers 300 nm in that hour: a stay longer than that is more than a passage across
///   the edge of an area. The Japan Coast Guard's reported stays are tens of hours, so 1 h
///   reports every one of those, and the exits give their length. Kuroshio's choice, not a
///   published definition; per-zone thresholds tune it (a territorial sea lower, an ADIZ
///   higher).
/// - [`ZoneDwellConfig::zone_threshold_s`]: per-zone thresholds by zone id; `null` turns dwell
///   off for that zone. The default turns it off for the flight information regions
///   (`fir_taipei`, `fir_fukuoka_oceanic`): being inside an FIR is routine air traffic
///   (an airliner crossing one can take more than an hour), not a behaviour. Giving the key
///   replaces the default map.
/// - [`ZoneDwellConfig::max_silence_s`], default 2 h ([`DWELL_MAX_SILENCE_S_DEFAULT`]): AIS
///   class A at anchor and class B below 2 kn report every 3 min (ITU-R M.1371-5 Annex 1
///   Tables 1 and 2), so 2 h without a fix is not continuous observation (the same bound as
///   the loitering detector's).
/// - [`ZoneDwellConfig::enabled`], default true: false turns the detector off (no state, no
///   `zone_dwell` events, no dwell details on exits).
///
/// State: per track, the open stays in its areas ([`STAYS_PER_TRACK_MAX`] at most, one per
/// area; a further area entered while full is not followed), in a table of at most
/// [`ZoneDwellConfig::max_tracks`] tracks (default [`DWELL_MAX_TRACKS_DEFAULT`]); when full, the
/// track updated least recently is forgotten, and its later exits carry no dwell. A track's
/// entry is dropped when it has no open stay. Stays refer to zones by catalogue index: feed one
/// catalogue throughout. Keyed by track rather than by (track, zone) so that a fix costs one
/// lookup, whatever the number of areas it is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZoneDwellConfig {
    /// Whether dwell is detected at all (default true).
    pub enabled: bool,
    /// Stay length reported, seconds, for zones without their own (default 3600). A value
    /// below 0 turns dwell off for those zones.
    pub threshold_s: f64,
    /// Stay length reported, seconds, by zone id; `null` (or a value below 0) turns dwell off
    /// for that zone (default: off for `fir_taipei` and `fir_fukuoka_oceanic`).
    pub zone_threshold_s: BTreeMap<String, Option<f64>>,
    /// Longest silence between two fixes within a stay, seconds (default 7200).
    pub max_silence_s: f64,
    /// Most tracks with open stays held (default 100,000); the least recently updated is
    /// forgotten when full.
    pub max_tracks: usize,
}

impl Default for ZoneDwellConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            threshold_s: DWELL_THRESHOLD_S_DEFAULT,
            zone_threshold_s: [
                ("fir_taipei".to_owned(), None),
                ("fir_fukuoka_oceanic".to_owned(), None),
            ]
            .into_iter()
            .collect(),
            max_silence_s: DWELL_MAX_SILENCE_S_DEFAULT,
            max_tracks: DWELL_MAX_TRACKS_DEFAULT,
        }
    }
}

/// A threshold in seconds as nanoseconds; `None` (off) when below 0 or not a number.
fn threshold_ns(seconds: f64) -> Option<i64> {
    (seconds >= 0.0).then(|| (seconds * 1e9).round().min(i64::MAX as f64) as i64)
}

/// One stay of a track in one area.
#[derive(Debug, Clone, Copy)]
struct Stay {
    zone: ZoneIdx,
    /// When the stay began (entry crossing, or the fix it was first seen inside at).
    entered: Timestamp,
    /// The area's threshold, nanoseconds.
    threshold_ns: i64,
    /// Whether the entry was not observed.
    first_seen_inside: bool,
    /// Whether this stay's `zone_dwell` was emitted.
    reported: bool,
}

impl Stay {
    const EMPTY: Stay = Stay {
        zone: ZoneIdx(u32::MAX),
        entered: Timestamp::EPOCH,
        threshold_ns: 0,
        first_seen_inside: false,
        reported: false,
    };
}

/// The open stays of one track, inline.
#[derive(Debug, Clone)]
struct Stays {
    len: u8,
    stays: [Stay; STAYS_PER_TRACK_MAX],
}

impl Stays {
    fn new() -> Self {
        Self { len: 0, stays: [Stay::EMPTY; STAYS_PER_TRACK_MAX] }
    }

    fn open(&self) -> &[Stay] {
        self.stays.get(..usize::from(self.len)).unwrap_or_default()
    }

    fn open_mut(&mut self) -> &mut [Stay] {
        self.stays.get_mut(..usize::from(self.len)).unwrap_or_default()
    }

    /// Starts a stay (replacing an open one in the same zone); false when full.
    fn start(&mut self, stay: Stay) -> bool {
        if let Some(s) = self.open_mut().iter_mut().find(|s| s.zone == stay.zone) {
            *s = stay;
            return true;
        }
        match self.stays.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = stay;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// Ends the stay in `zone`, returning it.
    fn end(&mut self, zone: ZoneIdx) -> Option<Stay> {
        let i = self.open().iter().position(|s| s.zone == zone)?;
        let stay = self.stays[i];
        let last = usize::from(self.len) - 1;
        self.stays.swap(i, last);
        self.len -= 1;
        Some(stay)
    }
}

/// What an exit learns about the stay it ends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StayEnded {
    entered: Timestamp,
    first_seen_inside: bool,
}

impl StayEnded {
    /// Adds `entered`, `dwell_s` and `first_seen_inside` to an exit at `exit_time`.
    pub(crate) fn annotate(&self, exit_time: Timestamp, event: &mut Event) {
        annotate(&mut event.details, self.entered, exit_time, self.first_seen_inside);
    }
}

fn annotate(
    details: &mut BTreeMap<String, serde_json::Value>,
    entered: Timestamp,
    until: Timestamp,
    first_seen_inside: bool,
) {
    details.insert("entered".into(), serde_json::Value::String(entered.to_string()));
    details.insert("dwell_s".into(), serde_json::json!(seconds_between(entered, until)));
    if first_seen_inside {
        details.insert("first_seen_inside".into(), serde_json::Value::Bool(true));
    }
}

/// Stays of tracks in areas; driven by [`crate::ZoneCrossingDetector`], which owns the
/// crossings. See [`ZoneDwellConfig`].
#[derive(Debug)]
pub(crate) struct ZoneDwell {
    config: ZoneDwellConfig,
    default_threshold_ns: Option<i64>,
    max_silence_ns: i64,
    tracks: BoundedMap<TrackKey, Stays>,
    /// Stays not followed because their track's stays were full.
    stays_dropped: u64,
}

impl ZoneDwell {
    pub(crate) fn new(config: ZoneDwellConfig) -> Self {
        let default_threshold_ns = threshold_ns(config.threshold_s);
        let max_silence_ns = threshold_ns(config.max_silence_s).unwrap_or(0);
        let tracks = BoundedMap::new(config.max_tracks);
        Self { config, default_threshold_ns, max_silence_ns, tracks, stays_dropped: 0 }
    }

    /// Whether the detector is on.
    pub(crate) fn enabled(&self) -> bool {
        self.config.enabled
    }

    /// Tracks with open stays.
    pub(crate) fn tracks(&self) -> usize {
        self.tracks.len()
    }

    /// Tracks forgotten because the table was full.
    pub(crate) fn evicted(&self) -> u64 {
        self.tracks.evicted()
    }

    /// Stays not followed because their track already had [`STAYS_PER_TRACK_MAX`].
    pub(crate) fn stays_dropped(&self) -> u64 {
        self.stays_dropped
    }

    /// The threshold of area `zone`, nanoseconds, or `None` when dwell is off for it.
    fn threshold_of(&self, catalogue: &Catalogue, zone: ZoneIdx) -> Option<i64> {
        if !self.config.enabled {
            return None;
        }
        if self.config.zone_threshold_s.is_empty() {
            return self.default_threshold_ns;
        }
        let id = catalogue.zone(zone).map(|z| z.meta.id.as_str()).unwrap_or_default();
        match self.config.zone_threshold_s.get(id) {
            Some(Some(seconds)) => threshold_ns(*seconds),
            Some(None) => None,
            None => self.default_threshold_ns,
        }
    }

    /// Whether the segment between two fixes is longer than the silence a stay survives.
    pub(crate) fn is_silence(&self, previous: &Fix, current: &Fix) -> bool {
        current.time.nanos_since(previous.time) > self.max_silence_ns
    }

    /// A track's first fix (or its first after being re-created): forgets its old stays and
    /// starts one, first seen inside, in each area of `areas` with dwell on.
    pub(crate) fn first_fix(
        &mut self,
        track: (TrackSlot, &TrackKey),
        time: Timestamp,
        areas: &[ZoneIdx],
        catalogue: &Catalogue,
    ) {
        self.tracks.remove_at(track.0, track.1);
        for &zone in areas {
            self.start(track, zone, time, true, catalogue);
        }
    }

    /// A silence longer than the limit: every open stay of the track starts again at `time`,
    /// its entry unobserved.
    pub(crate) fn resume_after_silence(&mut self, track: (TrackSlot, &TrackKey), time: Timestamp) {
        if let Some(stays) = self.tracks.get_mut_at(track.0, track.1) {
            for s in stays.open_mut() {
                s.entered = time;
                s.first_seen_inside = true;
                s.reported = false;
            }
        }
    }

    /// Starts a stay of `track` in area `zone` at `entered`, if dwell is on for it.
    pub(crate) fn start(
        &mut self,
        track: (TrackSlot, &TrackKey),
        zone: ZoneIdx,
        entered: Timestamp,
        first_seen_inside: bool,
        catalogue: &Catalogue,
    ) {
        let Some(threshold_ns) = self.threshold_of(catalogue, zone) else { return };
        let (stays, _) = self.tracks.touch_at(track.0, track.1, Stays::new);
        let stay = Stay { zone, entered, threshold_ns, first_seen_inside, reported: false };
        if !stays.start(stay) {
            self.stays_dropped += 1;
        }
    }

    /// Ends the stay of `track` in area `zone`, if one was followed.
    pub(crate) fn end(
        &mut self,
        track: (TrackSlot, &TrackKey),
        zone: ZoneIdx,
    ) -> Option<StayEnded> {
        let stays = self.tracks.get_mut_at(track.0, track.1)?;
        let stay = stays.end(zone)?;
        Some(StayEnded { entered: stay.entered, first_seen_inside: stay.first_seen_inside })
    }

    /// At the track's newest fix `current`: appends a `zone_dwell` for each open stay that has
    /// reached its threshold and was not reported, marks the track used, and drops its entry
    /// when no stay is open.
    pub(crate) fn at_fix(
        &mut self,
        update: &TrackUpdate<'_>,
        current: &Fix,
        catalogue: &Catalogue,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        if self.tracks.len() == 0 {
            return; // no track inside an area: skip the lookup
        }
        let Some(stays) = self.tracks.get_touch_at(update.slot, update.key) else { return };
        if stays.len == 0 {
            self.tracks.remove_at(update.slot, update.key);
            return;
        }
        for s in stays.open_mut() {
            if s.reported || current.time.nanos_since(s.entered) < s.threshold_ns {
                continue;
            }
            s.reported = true;
            let Some(zone) = catalogue.zone(s.zone) else { continue };
            out.push(dwell_event(s, &zone.meta.id, update, current, policy, originator));
        }
    }
}

/// The `zone_dwell` event of stay `s` in the zone `zone_id`, at fix `current`. Apart from
/// [`ZoneDwell::at_fix`], which runs for every fix, because few fixes report one.
#[cold]
#[inline(never)]
fn dwell_event(
    s: &Stay,
    zone_id: &str,
    update: &TrackUpdate<'_>,
    current: &Fix,
    policy: &EventPolicy,
    originator: PartnerCode,
) -> Event {
    let mut e = Event::new(
        EventKind::ZoneDwell,
        current.time,
        entity_of(update),
        Some(zone_id.to_owned()),
        None,
        policy.marking(EventKind::ZoneDwell, originator),
    );
    e.position = Some(GeoPoint { lat: current.lat_deg, lon: current.lon_deg });
    annotate(&mut e.details, s.entered, current.time, s.first_seen_inside);
    e.details.insert("threshold_s".into(), serde_json::json!(s.threshold_ns as f64 / 1e9));
    e
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::ZoneCrossingDetector;
    use crate::detectors::test_support::{obs, vessel};
    use kuroshio_track::{Tracker, TrackerLimits};

    /// An area feature: the box `lon0..lon1` × `lat0..lat1`.
    fn area(id: &str, lon0: f64, lon1: f64, lat0: f64, lat1: f64) -> String {
        format!(
            r#"{{"type": "Feature", "properties": {{"id": "{id}", "kind": "area",
                "status": "approximate", "name_en": "{id}", "name_ja": "{id}",
                "name_zh_hant": "{id}", "source": "test"}},
              "geometry": {{"type": "Polygon", "coordinates": [[[{lon0}, {lat0}], [{lon1}, {lat0}],
                [{lon1}, {lat1}], [{lon0}, {lat1}], [{lon0}, {lat0}]]]}}}}"#
        )
    }

    /// Box A is 130–131°E, box B 130.5–132°E, both 10–11°N, far from the built-in zones.
    fn catalogue(extra: &[String]) -> Catalogue {
        let mut features = vec![area("box_a", 130.0, 131.0, 10.0, 11.0)];
        features.push(area("box_b", 130.5, 132.0, 10.0, 11.0));
        features.extend_from_slice(extra);
        let text =
            format!(r#"{{"type": "FeatureCollection", "features": [{}]}}"#, features.join(","));
        Catalogue::from_geojson(&text).unwrap()
    }

    struct Rig {
        tracker: Tracker,
        det: ZoneCrossingDetector,
        catalogue: Catalogue,
        out: Vec<Event>,
    }

    impl Rig {
        fn new(config: ZoneDwellConfig) -> Self {
            Self::with_catalogue(config, catalogue(&[]))
        }
        fn with_catalogue(config: ZoneDwellConfig, catalogue: Catalogue) -> Self {
            Self {
                tracker: Tracker::new(TrackerLimits::default()),
                det: ZoneCrossingDetector::with_dwell(config),
                catalogue,
                out: Vec::new(),
            }
        }
        /// A fix of vessel `mmsi` at `t` seconds on the 10.5°N parallel.
        fn feed(&mut self, mmsi: u32, t: i64, lon: f64) {
            let o = obs(vessel(mmsi), t, Some((lon, 10.5)), Some(10.0));
            let u = self.tracker.update(&o, o.time).unwrap();
            let tw = PartnerCode::parse("TW").unwrap();
            self.det.on_update(&u, &self.catalogue, &EventPolicy::default(), tw, &mut self.out);
        }
        /// Fixes every 10 minutes from `from` to `to` seconds (inclusive), at one place.
        fn stay(&mut self, mmsi: u32, from: i64, to: i64, lon: f64) {
            for t in (from..=to).step_by(600) {
                self.feed(mmsi, t, lon);
            }
        }
        fn of(&self, kind: EventKind, zone: &str) -> Vec<&Event> {
            self.out.iter().filter(|e| e.kind == kind && e.zone.as_deref() == Some(zone)).collect()
        }
    }

    fn at(t: i64) -> Timestamp {
        Timestamp::from_unix_seconds(t).unwrap()
    }

    #[test]
    fn entry_then_dwell_then_exit() {
        let mut r = Rig::new(ZoneDwellConfig::default());
        r.feed(416_000_001, 0, 129.9);
        // Crosses 130°E halfway between the fixes: entry at t = 300.
        r.feed(416_000_001, 600, 130.1);
        r.stay(416_000_001, 1200, 3600, 130.2);
        assert!(r.of(EventKind::ZoneDwell, "box_a").is_empty(), "3300 s inside: {:#?}", r.out);
        // 300 + 3600 = 3900: the first fix at or after it is at 4200.
        r.stay(416_000_001, 4200, 5400, 130.2);
        let dwell = r.of(EventKind::ZoneDwell, "box_a");
        assert_eq!(dwell.len(), 1, "{:#?}", r.out);
        let d = dwell[0].clone();
        assert_eq!(d.time, at(4200));
        assert_eq!(d.position, Some(GeoPoint { lat: 10.5, lon: 130.2 }));
        assert_eq!(d.details["entered"], at(300).to_string());
        assert_eq!(d.details["dwell_s"], 3900.0);
        assert_eq!(d.details["threshold_s"], 3600.0);
        assert!(!d.details.contains_key("first_seen_inside"));
        assert!(d.direction.is_none());
        assert_eq!(d.entity.mmsi.unwrap().get(), 416_000_001);
        // Out again: 130.2 → 129.8 crosses 130°E halfway, at 5400 + 300.
        r.feed(416_000_001, 6000, 129.8);
        let exits = r.of(EventKind::ZoneExit, "box_a");
        assert_eq!(exits.len(), 1);
        assert_eq!(exits[0].time, at(5700));
        assert_eq!(exits[0].details["dwell_s"], 5400.0);
        assert_eq!(exits[0].details["entered"], at(300).to_string());
        assert!(!exits[0].details.contains_key("first_seen_inside"));
        // Box B was never entered; the stay is over, so the table is empty again.
        assert!(r.of(EventKind::ZoneDwell, "box_b").is_empty());
        assert_eq!(r.det.dwell_tracks(), 0);
        // Ids are content hashes: distinct, and the dwell's is that of its content.
        let id = Event::derive_id(EventKind::ZoneDwell, at(4200), &d.entity, Some("box_a"), None);
        assert_eq!(d.id, id);
    }

    #[test]
    fn exit_before_the_threshold_is_no_dwell() {
        let mut r = Rig::new(ZoneDwellConfig::default());
        r.feed(416_000_001, 0, 129.9);
        r.stay(416_000_001, 600, 3000, 130.1);
        r.feed(416_000_001, 3600, 129.9);
        assert!(r.out.iter().all(|e| e.kind != EventKind::ZoneDwell), "{:#?}", r.out);
        let exits = r.of(EventKind::ZoneExit, "box_a");
        assert_eq!(exits.len(), 1);
        // Entered at 300, left at 3300.
        assert_eq!(exits[0].details["dwell_s"], 3000.0);
    }

    #[test]
    fn first_seen_inside_counts_from_the_first_fix() {
        let mut r = Rig::new(ZoneDwellConfig::default());
        r.stay(416_000_001, 0, 3600, 130.7);
        // Inside both boxes from the first fix; one dwell each, at exactly the threshold.
        for zone in ["box_a", "box_b"] {
            let dwell = r.of(EventKind::ZoneDwell, zone);
            assert_eq!(dwell.len(), 1, "{zone}: {:#?}", r.out);
            assert_eq!(dwell[0].time, at(3600));
            assert_eq!(dwell[0].details["first_seen_inside"], true);
            assert_eq!(dwell[0].details["entered"], at(0).to_string());
        }
        // Leaving box A westward: its exit says the entry was not observed.
        r.feed(416_000_001, 4200, 129.5);
        let exits = r.of(EventKind::ZoneExit, "box_a");
        assert_eq!(exits.len(), 1);
        assert_eq!(exits[0].details["first_seen_inside"], true);
        assert!(exits[0].details["dwell_s"].as_f64().unwrap() > 3600.0);
    }

    #[test]
    fn re_entry_starts_a_new_stay() {
        let mut r = Rig::new(ZoneDwellConfig::default());
        r.feed(416_000_001, 0, 129.9);
        r.stay(416_000_001, 600, 1800, 130.1); // entered at 300
        r.feed(416_000_001, 2400, 129.9); // left at 2100
        r.stay(416_000_001, 3000, 4800, 130.1); // entered again at 2700
        // 4800 is 4500 s after the first entry but 2100 s after the second: no dwell.
        assert!(r.of(EventKind::ZoneDwell, "box_a").is_empty(), "{:#?}", r.out);
        r.stay(416_000_001, 5400, 7200, 130.1);
        let dwell = r.of(EventKind::ZoneDwell, "box_a");
        assert_eq!(dwell.len(), 1, "{:#?}", r.out);
        assert_eq!(dwell[0].time, at(6600));
        assert_eq!(dwell[0].details["entered"], at(2700).to_string());
    }

    #[test]
    fn per_zone_threshold_and_zone_turned_off() {
        let config = ZoneDwellConfig {
            zone_threshold_s: [("box_a".to_owned(), Some(600.0)), ("box_b".to_owned(), None)]
                .into_iter()
                .collect(),
            ..ZoneDwellConfig::default()
        };
        let mut r = Rig::new(config);
        r.stay(416_000_001, 0, 7200, 130.7);
        let dwell = r.of(EventKind::ZoneDwell, "box_a");
        assert_eq!(dwell.len(), 1, "{:#?}", r.out);
        assert_eq!(dwell[0].time, at(600));
        assert_eq!(dwell[0].details["threshold_s"], 600.0);
        assert!(r.of(EventKind::ZoneDwell, "box_b").is_empty());
        // Box B is not followed, so its exit has no dwell.
        r.feed(416_000_001, 7800, 132.5);
        let exits = r.of(EventKind::ZoneExit, "box_b");
        assert_eq!(exits.len(), 1);
        assert!(!exits[0].details.contains_key("dwell_s"));
    }

    #[test]
    fn disabled_detects_nothing_and_keeps_no_state() {
        let mut r = Rig::new(ZoneDwellConfig { enabled: false, ..ZoneDwellConfig::default() });
        r.stay(416_000_001, 0, 7200, 130.7);
        r.feed(416_000_001, 7800, 129.5);
        assert!(r.out.iter().all(|e| e.kind != EventKind::ZoneDwell), "{:#?}", r.out);
        assert_eq!(r.of(EventKind::ZoneExit, "box_a").len(), 1);
        assert!(r.out.iter().all(|e| !e.details.contains_key("dwell_s")));
        assert_eq!(r.det.dwell_tracks(), 0);
        // A negative default threshold turns it off too, zone by zone overrides aside.
        let mut r = Rig::new(ZoneDwellConfig { threshold_s: -1.0, ..ZoneDwellConfig::default() });
        r.stay(416_000_001, 0, 7200, 130.7);
        assert!(r.out.iter().all(|e| e.kind != EventKind::ZoneDwell), "{:#?}", r.out);
    }

    #[test]
    fn a_long_silence_breaks_the_stay() {
        let mut r = Rig::new(ZoneDwellConfig::default());
        r.stay(416_000_001, 0, 1800, 130.1);
        // Silent for 3 h (more than the 2 h limit), then heard inside again: no dwell yet.
        r.feed(416_000_001, 1800 + 3 * 3600, 130.2);
        assert!(r.of(EventKind::ZoneDwell, "box_a").is_empty(), "{:#?}", r.out);
        // The new stay counts from the fix after the silence, entry unobserved.
        let resumed = 1800 + 3 * 3600;
        r.stay(416_000_001, resumed + 600, resumed + 3600, 130.2);
        let dwell = r.of(EventKind::ZoneDwell, "box_a");
        assert_eq!(dwell.len(), 1, "{:#?}", r.out);
        assert_eq!(dwell[0].time, at(resumed + 3600));
        assert_eq!(dwell[0].details["entered"], at(resumed).to_string());
        assert_eq!(dwell[0].details["first_seen_inside"], true);
        // An exit across a long silence carries no dwell: when it left is not known.
        r.feed(416_000_001, resumed + 3600 + 3 * 3600, 129.5);
        let exits = r.of(EventKind::ZoneExit, "box_a");
        assert_eq!(exits.len(), 1);
        assert!(!exits[0].details.contains_key("dwell_s"), "{:#?}", exits[0]);
    }

    #[test]
    fn tracks_and_stays_are_bounded() {
        let mut r = Rig::new(ZoneDwellConfig { max_tracks: 1, ..ZoneDwellConfig::default() });
        r.feed(416_000_001, 0, 130.1);
        r.feed(416_000_002, 10, 130.1);
        assert_eq!(r.det.dwell_tracks(), 1);
        assert_eq!(r.det.dwell_evicted(), 1);
        // The forgotten track's exit carries no dwell; the remembered one's does.
        r.feed(416_000_001, 600, 129.9);
        r.feed(416_000_002, 610, 129.9);
        let exits = r.of(EventKind::ZoneExit, "box_a");
        assert_eq!(exits.len(), 2);
        assert!(!exits[0].details.contains_key("dwell_s"));
        assert_eq!(exits[1].details["dwell_s"], 300.0);

        // Nine more boxes around 140°E: eleven areas in all, a point in nine of them.
        let boxes: Vec<String> = (0..9)
            .map(|i| area(&format!("nest_{i}"), 139.0 - f64::from(i) * 0.1, 141.0, 10.0, 11.0))
            .collect();
        let mut r = Rig::with_catalogue(ZoneDwellConfig::default(), catalogue(&boxes));
        r.stay(416_000_003, 0, 3600, 140.0);
        assert_eq!(r.det.dwell_stays_dropped(), 9 - STAYS_PER_TRACK_MAX as u64);
        let dwells = r.out.iter().filter(|e| e.kind == EventKind::ZoneDwell).count();
        assert_eq!(dwells, STAYS_PER_TRACK_MAX);
    }

    #[test]
    fn config_reads_json_with_defaults() {
        let c: ZoneDwellConfig = serde_json::from_str(
            r#"{"threshold_s": 7200,
                "zone_threshold_s": {"senkaku_diaoyu_12nm": 1800, "fir_taipei": null}}"#,
        )
        .unwrap();
        assert_eq!(c.threshold_s, 7200.0);
        assert_eq!(c.zone_threshold_s["senkaku_diaoyu_12nm"], Some(1800.0));
        assert_eq!(c.zone_threshold_s["fir_taipei"], None);
        // Giving the map replaces the default one.
        assert!(!c.zone_threshold_s.contains_key("fir_fukuoka_oceanic"));
        assert!(c.enabled);
        assert_eq!(c.max_silence_s, DWELL_MAX_SILENCE_S_DEFAULT);
        let d = ZoneDwellConfig::default();
        assert_eq!(d.zone_threshold_s["fir_taipei"], None);
        assert_eq!(d.zone_threshold_s["fir_fukuoka_oceanic"], None);
        let back: ZoneDwellConfig =
            serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        assert!(serde_json::from_str::<ZoneDwellConfig>(r#"{"threshold": 1}"#).is_err());
    }
}
