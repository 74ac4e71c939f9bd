//! Encounters: two vessels close together and slow for long enough (a possible transfer at
//! sea).
//!
//! Reference: Global Fishing Watch's encounter definition (Miller et al. 2018, "Identifying
//! Global Patterns of Transshipment Behavior", Frontiers in Marine Science 5:240): two vessels
//! within 500 m of each other for at least 2 hours while travelling below 2 knots, at least
//! 10 km from a coastal anchorage. Defaults here are those numbers
//! ([`EncounterConfig::max_distance_m`] 500 m, [`EncounterConfig::min_duration_s`] 2 h,
//! [`EncounterConfig::max_speed_knots`] 2 kt); the anchorage exclusion is not applied (no
//! anchorage list), so vessels moored side by side in port count too.
//!
//! Only ship-station MMSIs are considered (see [`crate::is_ship_station`]).
//!
//! How: a fix is slow when its reported speed over ground is below the limit (a fix without
//! one is not slow: speed is what separates a meeting from a crossing). Every slow vessel fix
//! goes into a grid of [`CELL_DEG`]-degree cells (a hash of cell → vessels), and a vessel's
//! fast fix takes it out, so the grid holds the vessels whose latest fix was slow. A slow fix
//! is compared with the vessels in its own and neighbouring cells whose latest fix is at most
//! [`EncounterConfig::max_age_s`] old (default 10 min: AIS class A at anchor and class B
//! below 2 kt report every 3 min, ITU-R M.1371-5 Annex 1 Tables 1 and 2). Each close pair,
//! keyed by (smaller MMSI, larger MMSI), has a spell: it starts at the first close
//! observation, continues while the pair is seen close again within `max_age_s`, and when its
//! length first reaches the duration one `encounter` event is emitted for the spell: entity the
//! vessel whose update completed it, details `partner_mmsi`, `duration_s`, `min_distance_m`,
//! `mean_position` (`lat`, `lon`, also the event position), `observations`.
//!
//! State bounds: the grid holds at most [`EncounterConfig::max_vessels`] vessels (default
//! [`MAX_VESSELS_DEFAULT`]; least recently updated forgotten when full) and at most
//! [`CELL_VESSELS_MAX`] per cell (the oldest in the cell dropped when full); pair spells at
//! most [`EncounterConfig::max_pairs`] (default [`MAX_PAIRS_DEFAULT`]; least recently seen
//! dropped when full).

use kuroshio_model::{Mmsi, PartnerCode, Timestamp};
use kuroshio_track::{Fix, TrackKey, TrackUpdate};
use serde::{Deserialize, Serialize};

use crate::detectors::{BoundedMap, FastHashMap, distance_m, is_ship_station, seconds_between};
use crate::{Event, EventKind, EventPolicy, GeoPoint, entity_of};

/// Grid cell size, degrees: 0.01° is 1.1 km of latitude, at least twice the 500 m distance
/// up to 63° latitude, so neighbouring cells cover any close partner there; nearer the poles
/// more cells in longitude are searched (up to [`LON_CELLS_MAX`] each side).
pub const CELL_DEG: f64 = 0.01;

/// Most cells searched on each side, in latitude and in longitude (covers 500 m up to about
/// 87° latitude; a configured distance beyond 16 cells, about 17 km, is searched only that far).
pub const LON_CELLS_MAX: i64 = 16;

/// Most vessels indexed in one cell: a crowded anchorage has a few dozen vessels per
/// square kilometre; 64 keeps a lookup bounded. When full, the cell's oldest entry is dropped.
pub const CELL_VESSELS_MAX: usize = 64;

/// Default number of vessels in the grid (about 10 MB).
pub const MAX_VESSELS_DEFAULT: usize = 200_000;

/// Default number of open pair spells (about 10 MB).
pub const MAX_PAIRS_DEFAULT: usize = 100_000;

/// Thresholds of the encounter detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EncounterConfig {
    /// Largest distance between the two vessels, metres (default 500, GFW).
    pub max_distance_m: f64,
    /// Speed both must be below, knots (default 2, GFW).
    pub max_speed_knots: f64,
    /// Spell length reported, seconds (default 2 h, GFW).
    pub min_duration_s: f64,
    /// Oldest partner fix compared, and longest break in a spell, seconds (default 600).
    pub max_age_s: f64,
    /// Most vessels in the grid (default 200,000).
    pub max_vessels: usize,
    /// Most open pair spells (default 100,000).
    pub max_pairs: usize,
}

impl Default for EncounterConfig {
    fn default() -> Self {
        Self {
            max_distance_m: 500.0,
            max_speed_knots: 2.0,
            min_duration_s: 2.0 * 3600.0,
            max_age_s: 600.0,
            max_vessels: MAX_VESSELS_DEFAULT,
            max_pairs: MAX_PAIRS_DEFAULT,
        }
    }
}

/// A vessel's latest slow fix.
#[derive(Debug, Clone, Copy)]
struct Seen {
    cell: (i64, i64),
    lat: f64,
    lon: f64,
    time: Timestamp,
}

#[derive(Debug, Clone, Copy)]
struct PairSpell {
    start: Timestamp,
    last: Timestamp,
    min_distance_m: f64,
    sum_lat: f64,
    sum_lon: f64,
    observations: u32,
    reported: bool,
}

/// Reports encounters; see the module documentation.
#[derive(Debug)]
pub struct Encounter {
    config: EncounterConfig,
    vessels: BoundedMap<Mmsi, Seen>,
    grid: FastHashMap<(i64, i64), Vec<Mmsi>>,
    pairs: BoundedMap<(Mmsi, Mmsi), PairSpell>,
    near: Vec<(Mmsi, f64, f64, f64)>,
}

fn cell_of(lat: f64, lon: f64) -> (i64, i64) {
    (floor_i64(lat / CELL_DEG), floor_i64(lon / CELL_DEG))
}

/// `x.floor() as i64` without the libm call `f64::floor` becomes on baseline x86-64 (it runs
/// for every fix): truncate, then step down for negative non-integers. Same result for every
/// input, NaN (0) and out-of-range values (saturated) included.
fn floor_i64(x: f64) -> i64 {
    let t = x as i64;
    if (t as f64) > x { t.saturating_sub(1) } else { t }
}

impl Encounter {
    /// A detector with these thresholds.
    pub fn new(config: EncounterConfig) -> Self {
        Self {
            vessels: BoundedMap::new(config.max_vessels),
            pairs: BoundedMap::new(config.max_pairs),
            grid: FastHashMap::default(),
            near: Vec::new(),
            config,
        }
    }

    /// Vessels in the grid.
    pub fn vessels(&self) -> usize {
        self.vessels.len()
    }

    /// Open pair spells.
    pub fn pairs(&self) -> usize {
        self.pairs.len()
    }

    fn unindex(&mut self, mmsi: Mmsi, cell: (i64, i64)) {
        if let Some(list) = self.grid.get_mut(&cell) {
            list.retain(|&m| m != mmsi);
            if list.is_empty() {
                self.grid.remove(&cell);
            }
        }
    }

    /// Appends to `out` the encounter this update completes, if any.
    pub fn on_update(
        &mut self,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let TrackKey::Vessel(mmsi) = update.key else { return };
        if !is_ship_station(*mmsi) {
            return;
        }
        self.on_ship_update(*mmsi, update, policy, originator, out);
    }

    /// [`Encounter::on_update`] of a ship station's (`mmsi`) track, checked by the caller.
    /// Inline: most fixes are not slow and end here.
    #[inline]
    pub(crate) fn on_ship_update(
        &mut self,
        mmsi: Mmsi,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        if !update.fix_added {
            return;
        }
        let Some(f) = &update.current else { return };
        let slow = f.speed_knots.is_some_and(|s| f64::from(s) < self.config.max_speed_knots);
        if !slow {
            // Only slow vessels can be partners: a fast fix takes the vessel out of the grid
            // (a hint or one lookup, a miss for a vessel under way), which keeps the grid to
            // the slow.
            if let Some(s) = self.vessels.remove_at(update.slot, &mmsi) {
                self.unindex(mmsi, s.cell);
            }
            return;
        }
        self.slow_fix(mmsi, f, update, policy, originator, out);
    }

    /// A slow fix: re-indexes the vessel and follows its close pairs.
    #[inline(never)]
    fn slow_fix(
        &mut self,
        mmsi: Mmsi,
        f: &Fix,
        update: &TrackUpdate<'_>,
        policy: &EventPolicy,
        originator: PartnerCode,
        out: &mut Vec<Event>,
    ) {
        let f = *f;
        let cell = cell_of(f.lat_deg, f.lon_deg);
        let here = Seen { cell, lat: f.lat_deg, lon: f.lon_deg, time: f.time };

        // Re-index this vessel (one table lookup: `touch` hands back the previous entry).
        let mut created = false;
        let (seen, evicted) = self.vessels.touch_at(update.slot, &mmsi, || {
            created = true;
            here
        });
        let old = (!created).then_some(seen.cell);
        *seen = here;
        if let Some((gone, s)) = evicted {
            self.unindex(gone, s.cell);
        }
        if let Some(old_cell) = old.filter(|&c| c != cell) {
            self.unindex(mmsi, old_cell);
        }
        if old != Some(cell) {
            let list = self.grid.entry(cell).or_default();
            if list.len() >= CELL_VESSELS_MAX {
                // Drop the cell's oldest entry from the index and the vessel table.
                let oldest = list
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, m)| self.vessels.get(m).map(|s| s.time))
                    .map(|(i, m)| (i, *m));
                if let Some((i, m)) = oldest {
                    list.swap_remove(i);
                    self.vessels.remove(&m);
                }
            }
            list.push(mmsi);
        }
        // Slow, fresh neighbours within the distance.
        let c = &self.config;
        let lat_m_per_cell = CELL_DEG * 111_195.0;
        let lon_m_per_cell = lat_m_per_cell * f.lat_deg.to_radians().cos().abs();
        let lat_span = ((c.max_distance_m / lat_m_per_cell).ceil() as i64).clamp(1, LON_CELLS_MAX);
        let lon_span = if lon_m_per_cell > 0.0 {
            ((c.max_distance_m / lon_m_per_cell).ceil() as i64).clamp(1, LON_CELLS_MAX)
        } else {
            LON_CELLS_MAX
        };
        self.near.clear();
        for di in -lat_span..=lat_span {
            for dj in -lon_span..=lon_span {
                let Some(list) = self.grid.get(&(cell.0 + di, cell.1 + dj)) else { continue };
                for &other in list {
                    if other == mmsi {
                        continue;
                    }
                    let Some(s) = self.vessels.get(&other) else { continue };
                    let age = seconds_between(s.time, f.time).abs();
                    if age > c.max_age_s {
                        continue;
                    }
                    let d = distance_m(f.lat_deg, f.lon_deg, s.lat, s.lon);
                    if d <= c.max_distance_m {
                        self.near.push((
                            other,
                            d,
                            (f.lat_deg + s.lat) / 2.0,
                            (f.lon_deg + s.lon) / 2.0,
                        ));
                    }
                }
            }
        }

        let (max_age_s, min_duration_s) = (c.max_age_s, c.min_duration_s);
        for &(other, d, lat, lon) in &self.near {
            let key = if mmsi < other { (mmsi, other) } else { (other, mmsi) };
            let fresh = || PairSpell {
                start: f.time,
                last: f.time,
                min_distance_m: d,
                sum_lat: 0.0,
                sum_lon: 0.0,
                observations: 0,
                reported: false,
            };
            let (p, _) = self.pairs.touch(&key, fresh);
            if seconds_between(p.last, f.time) > max_age_s {
                *p = fresh();
            }
            p.last = p.last.max(f.time);
            p.min_distance_m = p.min_distance_m.min(d);
            p.sum_lat += lat;
            p.sum_lon += lon;
            p.observations += 1;
            let duration_s = seconds_between(p.start, p.last);
            if p.reported || duration_s < min_duration_s {
                continue;
            }
            p.reported = true;
            let n = f64::from(p.observations);
            let mean = GeoPoint { lat: p.sum_lat / n, lon: p.sum_lon / n };
            let mut e = Event::new(
                EventKind::Encounter,
                f.time,
                entity_of(update),
                None,
                None,
                policy.marking(EventKind::Encounter, originator),
            );
            e.position = Some(mean);
            e.details.insert("partner_mmsi".into(), serde_json::json!(other.get()));
            e.details.insert("duration_s".into(), serde_json::json!(duration_s));
            e.details.insert("min_distance_m".into(), serde_json::json!(p.min_distance_m));
            e.details.insert(
                "mean_position".into(),
                serde_json::json!({"lat": mean.lat, "lon": mean.lon}),
            );
            e.details.insert("observations".into(), serde_json::json!(p.observations));
            e.details.insert("since".into(), serde_json::json!(p.start.to_string()));
            out.push(e);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn floor_i64_matches_the_standard_floor() {
        for x in [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2499.999, -2499.999, -12_000.0, 1e300, -1e300] {
            assert_eq!(floor_i64(x), x.floor() as i64, "{x}");
        }
        assert_eq!(floor_i64(f64::NAN), f64::NAN.floor() as i64);
    }
    use crate::detectors::test_support::{obs, vessel};
    use kuroshio_track::{Tracker, TrackerLimits};

    /// (mmsi, t, lon, lat, speed) fixes, fed in order.
    fn run(
        config: EncounterConfig,
        fixes: &[(u32, i64, f64, f64, f64)],
    ) -> (Vec<Event>, Encounter) {
        let mut tracker = Tracker::new(TrackerLimits::default());
        let mut det = Encounter::new(config);
        let tw = PartnerCode::parse("TW").unwrap();
        let mut out = Vec::new();
        for &(m, t, lon, lat, speed) in fixes {
            let o = obs(vessel(m), t, Some((lon, lat)), Some(speed));
            if let Ok(u) = tracker.update(&o, o.time) {
                det.on_update(&u, &EventPolicy::default(), tw, &mut out);
            }
        }
        (out, det)
    }

    /// Two vessels reporting every 3 min for `minutes`, `sep_deg` of latitude apart, at speed.
    fn pair(minutes: i64, sep_deg: f64, speed: f64) -> Vec<(u32, i64, f64, f64, f64)> {
        let mut v = Vec::new();
        for i in 0..=minutes / 3 {
            v.push((416_000_002, i * 180, 122.0, 25.0, speed));
            v.push((412_000_001, i * 180 + 5, 122.0, 25.0 + sep_deg, speed));
        }
        v
    }

    #[test]
    fn two_hours_close_and_slow_is_one_encounter() {
        // 0.004° of latitude = 445 m.
        let (out, _) = run(EncounterConfig::default(), &pair(180, 0.004, 0.5));
        assert_eq!(out.len(), 1, "{out:#?}");
        let e = &out[0];
        assert_eq!(e.kind, EventKind::Encounter);
        // First close observation at 5 s (the second vessel's first fix); 2 h later at 7205 s
        // (the first vessel's fix at 7200 s is 7195 s in).
        assert_eq!(e.time, Timestamp::from_unix_seconds(7205).unwrap());
        assert_eq!(e.details["duration_s"], 7200.0);
        assert_eq!(e.entity.mmsi.unwrap().get(), 412_000_001);
        assert_eq!(e.details["partner_mmsi"], 416_000_002);
        let d = e.details["min_distance_m"].as_f64().unwrap();
        assert!((d - 444.8).abs() < 0.5, "{d}");
        let p = e.position.unwrap();
        assert!((p.lat - 25.002).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn too_far_too_fast_or_too_short_is_nothing() {
        // 0.005° = 556 m.
        assert!(run(EncounterConfig::default(), &pair(180, 0.005, 0.5)).0.is_empty());
        // Exactly 2 kt is not below 2 kt.
        assert!(run(EncounterConfig::default(), &pair(180, 0.004, 2.0)).0.is_empty());
        // 1 h 57 min.
        assert!(run(EncounterConfig::default(), &pair(117, 0.004, 0.5)).0.is_empty());
    }

    #[test]
    fn zero_distance_and_across_a_cell_boundary() {
        // Same position (distance 0) for both.
        assert_eq!(run(EncounterConfig::default(), &pair(180, 0.0, 0.5)).0.len(), 1);
        // Straddling the 25.00° cell boundary: 24.9999 and 25.0039.
        let fixes: Vec<_> = pair(180, 0.004, 0.5)
            .into_iter()
            .map(|(m, t, lon, lat, s)| (m, t, lon, lat - 0.0001, s))
            .collect();
        assert_eq!(run(EncounterConfig::default(), &fixes).0.len(), 1);
    }

    #[test]
    fn a_break_longer_than_max_age_restarts_the_spell() {
        let mut fixes = pair(180, 0.004, 0.5);
        // Second vessel silent from 60 to 80 min (20 min > 10 min).
        fixes.retain(|f| !(f.0 == 412_000_001 && (3600..=4800).contains(&f.1)));
        assert!(run(EncounterConfig::default(), &fixes).0.is_empty());
    }

    #[test]
    fn bounded_grid_and_pairs() {
        let config = EncounterConfig { max_vessels: 3, max_pairs: 1, ..Default::default() };
        let fixes: Vec<_> =
            (0..5).map(|i| (416_000_001 + i, 0, 122.0, 25.0 + f64::from(i) * 0.001, 0.5)).collect();
        let (_, det) = run(config, &fixes);
        assert_eq!(det.vessels(), 3);
        assert_eq!(det.pairs(), 1);
        let indexed: usize = det.grid.values().map(Vec::len).sum();
        assert_eq!(indexed, 3, "evicted vessels leave the grid too");
    }

    #[test]
    fn only_slow_vessels_are_in_the_grid() {
        let mut fixes = pair(30, 0.004, 0.5);
        // The first vessel gets under way; the second stays.
        fixes.push((416_000_002, 1900, 122.01, 25.0, 8.0));
        let (_, det) = run(EncounterConfig::default(), &fixes);
        assert_eq!(det.vessels(), 1);
        let indexed: Vec<Mmsi> = det.grid.values().flatten().copied().collect();
        assert_eq!(indexed, vec![Mmsi::new(412_000_001).unwrap()]);
        // Fast from the start: never indexed.
        let (_, det) = run(EncounterConfig::default(), &pair(30, 0.004, 12.0));
        assert_eq!(det.vessels(), 0);
        assert!(det.grid.is_empty());
    }
}
