//! The latest picture of one target as the `tracks` table holds it, and how a batch folds in.
//!
//! Every optional field is kept with the time of the observation it came from, so a late
//! arrival (an observation older than what is stored) does not overwrite a newer value, and an
//! observation that does not report a field never clears it. On equal times the later arrival
//! wins. `last_seen` and `source` follow the newest observation; `first_seen` the oldest.

use kuroshio_model::{Observation, Position, SourceId, TargetId, Timestamp};
use kuroshio_store::TrackRow;

/// One field's newest reported value with the time of the observation that reported it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stamped<T> {
    /// The value and its time, `None` until some observation reported it.
    pub slot: Option<(T, i64)>,
}

impl<T> Stamped<T> {
    /// Nothing reported yet.
    pub fn none() -> Self {
        Stamped { slot: None }
    }

    /// From a stored value column and its time column; both must be non-NULL to count.
    pub fn from_columns(value: Option<T>, time_ns: Option<i64>) -> Self {
        Stamped { slot: value.zip(time_ns) }
    }

    /// Takes `value` when reported at `time_ns` no earlier than the value held.
    pub fn fold(&mut self, value: Option<T>, time_ns: i64) {
        let Some(v) = value else { return };
        if self.slot.as_ref().is_none_or(|(_, held_ns)| time_ns >= *held_ns) {
            self.slot = Some((v, time_ns));
        }
    }

    /// The value, if any.
    pub fn value(&self) -> Option<&T> {
        self.slot.as_ref().map(|(v, _)| v)
    }

    /// The time column: NULL when never reported.
    pub fn time_ns(&self) -> Option<i64> {
        self.slot.as_ref().map(|(_, t)| *t)
    }
}

/// The folded state of one target: a `tracks` row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TrackState {
    /// Who.
    pub target: TargetId,
    /// Oldest observation time, ns since the epoch.
    pub first_seen_ns: i64,
    /// Newest observation time, ns since the epoch.
    pub last_seen_ns: i64,
    /// Source of the newest observation.
    pub source: SourceId,
    /// Newest position.
    pub position: Stamped<Position>,
    /// Newest speed over ground, knots.
    pub speed_knots: Stamped<f64>,
    /// Newest course over ground, degrees true.
    pub course_deg: Stamped<f64>,
    /// Newest heading, degrees true.
    pub heading_deg: Stamped<f64>,
    /// Newest altitude, feet.
    pub altitude_ft: Stamped<f64>,
    /// Newest name.
    pub name: Stamped<String>,
    /// Newest call sign.
    pub callsign: Stamped<String>,
    /// Newest IMO number.
    pub imo: Stamped<u32>,
    /// Newest AIS ship type.
    pub ship_type: Stamped<u8>,
    /// Newest ADS-B emitter category.
    pub aircraft_category: Stamped<String>,
    /// Observations folded in.
    pub observations: u64,
}

impl TrackState {
    /// The state of a target seen for the first time, before `obs` is folded in.
    pub fn empty(obs: &Observation) -> Self {
        let t = obs.time.unix_nanos();
        TrackState {
            target: obs.target.clone(),
            first_seen_ns: t,
            last_seen_ns: t,
            source: obs.source.clone(),
            position: Stamped::none(),
            speed_knots: Stamped::none(),
            course_deg: Stamped::none(),
            heading_deg: Stamped::none(),
            altitude_ft: Stamped::none(),
            name: Stamped::none(),
            callsign: Stamped::none(),
            imo: Stamped::none(),
            ship_type: Stamped::none(),
            aircraft_category: Stamped::none(),
            observations: 0,
        }
    }

    /// Folds one observation of this target in, after everything already folded.
    pub fn fold(&mut self, obs: &Observation) {
        let t = obs.time.unix_nanos();
        self.first_seen_ns = self.first_seen_ns.min(t);
        if t >= self.last_seen_ns {
            self.last_seen_ns = t;
            self.source = obs.source.clone();
        }
        let k = &obs.kinematics;
        self.position.fold(obs.position, t);
        self.speed_knots.fold(k.speed_knots, t);
        self.course_deg.fold(k.course_deg, t);
        self.heading_deg.fold(k.heading_deg, t);
        self.altitude_ft.fold(k.altitude_ft, t);
        self.name.fold(obs.name.clone(), t);
        self.callsign.fold(obs.callsign.clone(), t);
        self.imo.fold(obs.imo, t);
        self.ship_type.fold(obs.ship_type, t);
        self.aircraft_category.fold(obs.aircraft_category.clone(), t);
        self.observations = self.observations.saturating_add(1);
    }

    /// The row the API returns.
    pub fn to_row(&self) -> TrackRow {
        TrackRow {
            target: self.target.clone(),
            first_seen: Timestamp::from_unix_nanos(self.first_seen_ns),
            last_seen: Timestamp::from_unix_nanos(self.last_seen_ns),
            source: self.source.clone(),
            position: self.position.value().copied(),
            position_time: self.position.time_ns().map(Timestamp::from_unix_nanos),
            speed_knots: self.speed_knots.value().copied(),
            course_deg: self.course_deg.value().copied(),
            heading_deg: self.heading_deg.value().copied(),
            altitude_ft: self.altitude_ft.value().copied(),
            name: self.name.value().cloned(),
            callsign: self.callsign.value().cloned(),
            imo: self.imo.value().copied(),
            ship_type: self.ship_type.value().copied(),
            aircraft_category: self.aircraft_category.value().cloned(),
            observations: self.observations,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kuroshio_model::Mmsi;

    fn obs(t_s: i64, speed_knots: Option<f64>, name: Option<&str>) -> Observation {
        let mut o = Observation::new(
            TargetId::Vessel(Mmsi::new(416_000_001).unwrap()),
            Timestamp::from_unix_seconds(t_s).unwrap(),
            SourceId::parse(&format!("src-{t_s}")).unwrap(),
        );
        o.kinematics.speed_knots = speed_knots;
        o.name = name.map(str::to_owned);
        o
    }

    #[test]
    fn late_arrivals_do_not_overwrite_newer_values() {
        let first = obs(100, Some(10.0), None);
        let mut s = TrackState::empty(&first);
        s.fold(&first);
        s.fold(&obs(200, None, Some("NEW")));
        s.fold(&obs(150, Some(7.0), Some("OLD")));
        s.fold(&obs(50, Some(1.0), None));
        let r = s.to_row();
        assert_eq!(r.speed_knots, Some(7.0));
        assert_eq!(r.name.as_deref(), Some("NEW"));
        assert_eq!(r.first_seen, Timestamp::from_unix_seconds(50).unwrap());
        assert_eq!(r.last_seen, Timestamp::from_unix_seconds(200).unwrap());
        assert_eq!(r.source.as_str(), "src-200");
        assert_eq!(r.observations, 4);
    }

    #[test]
    fn equal_times_take_the_later_arrival() {
        let a = obs(100, Some(10.0), Some("A"));
        let mut s = TrackState::empty(&a);
        s.fold(&a);
        s.fold(&obs(100, Some(11.0), Some("B")));
        assert_eq!(s.speed_knots.value(), Some(&11.0));
        assert_eq!(s.name.value().map(String::as_str), Some("B"));
    }
}
