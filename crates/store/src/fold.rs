//! The latest picture of one target, folded from observations: the one fold every store
//! implementation uses, so the embedded and PostgreSQL stores agree field by field.
//!
//! A [`TrackRow`] holds, for every optional field, the value of the newest observation (by
//! observation time, not arrival) that reported it; an observation that does not report a
//! field never clears it, so identity fields are kept once reported. To fold late arrivals
//! correctly each field is stored with the time of the observation it came from: an
//! observation older than the stored value does not replace it. On equal times the later
//! arrival wins, so replaying the same stream gives the same picture.

use kuroshio_model::{Observation, Position, SourceId, TargetId, Timestamp};

use crate::api::TrackRow;

/// One field's latest reported value and the time of the observation that reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Latest<T> {
    /// The value, `None` until some observation reported it.
    pub value: Option<T>,
    /// Time of the observation it came from, nanoseconds since the epoch (meaningless while
    /// `value` is `None`).
    pub time_ns: i64,
}

impl<T> Latest<T> {
    /// Nothing reported yet.
    pub fn empty() -> Self {
        Latest { value: None, time_ns: i64::MIN }
    }

    /// From stored columns: a value and its time, both NULL when never reported.
    pub fn from_columns(value: Option<T>, time_ns: Option<i64>) -> Self {
        match (value, time_ns) {
            (Some(v), Some(t)) => Latest { value: Some(v), time_ns: t },
            _ => Latest::empty(),
        }
    }

    /// The time column to store: NULL when never reported.
    pub fn time_column(&self) -> Option<i64> {
        self.value.as_ref().map(|_| self.time_ns)
    }

    /// Takes `value` when it is reported and not older than what is held.
    pub fn fold(&mut self, value: Option<T>, time_ns: i64) {
        if let Some(v) = value {
            if self.value.is_none() || time_ns >= self.time_ns {
                self.value = Some(v);
                self.time_ns = time_ns;
            }
        }
    }
}

/// The folded state of one target, as the `tracks` table stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackState {
    /// Who.
    pub target: TargetId,
    /// Earliest observation time, ns.
    pub first_seen_ns: i64,
    /// Newest observation time, ns.
    pub last_seen_ns: i64,
    /// Source of the newest observation.
    pub source: SourceId,
    /// Latest position.
    pub position: Latest<Position>,
    /// Latest speed over ground, knots.
    pub speed_knots: Latest<f64>,
    /// Latest course over ground, degrees true.
    pub course_deg: Latest<f64>,
    /// Latest heading, degrees true.
    pub heading_deg: Latest<f64>,
    /// Latest altitude, feet.
    pub altitude_ft: Latest<f64>,
    /// Latest name.
    pub name: Latest<String>,
    /// Latest call sign.
    pub callsign: Latest<String>,
    /// Latest IMO number.
    pub imo: Latest<u32>,
    /// Latest AIS ship type.
    pub ship_type: Latest<u8>,
    /// Latest ADS-B emitter category.
    pub aircraft_category: Latest<String>,
    /// Observations folded in.
    pub observations: u64,
}

impl TrackState {
    /// The state after a target's first observation.
    pub fn new(obs: &Observation) -> Self {
        let t = obs.time.unix_nanos();
        let mut state = TrackState {
            target: obs.target.clone(),
            first_seen_ns: t,
            last_seen_ns: t,
            source: obs.source.clone(),
            position: Latest::empty(),
            speed_knots: Latest::empty(),
            course_deg: Latest::empty(),
            heading_deg: Latest::empty(),
            altitude_ft: Latest::empty(),
            name: Latest::empty(),
            callsign: Latest::empty(),
            imo: Latest::empty(),
            ship_type: Latest::empty(),
            aircraft_category: Latest::empty(),
            observations: 0,
        };
        state.fold(obs);
        state
    }

    /// Folds one more observation of the same target in.
    pub fn fold(&mut self, obs: &Observation) {
        let t = obs.time.unix_nanos();
        self.first_seen_ns = self.first_seen_ns.min(t);
        if t >= self.last_seen_ns {
            self.last_seen_ns = t;
            self.source = obs.source.clone();
        }
        self.position.fold(obs.position, t);
        let k = &obs.kinematics;
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
            position: self.position.value,
            position_time: self
                .position
                .value
                .map(|_| Timestamp::from_unix_nanos(self.position.time_ns)),
            speed_knots: self.speed_knots.value,
            course_deg: self.course_deg.value,
            heading_deg: self.heading_deg.value,
            altitude_ft: self.altitude_ft.value,
            name: self.name.value.clone(),
            callsign: self.callsign.value.clone(),
            imo: self.imo.value,
            ship_type: self.ship_type.value,
            aircraft_category: self.aircraft_category.value.clone(),
            observations: self.observations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::Mmsi;

    fn obs(t_s: i64) -> Observation {
        Observation::new(
            TargetId::Vessel(Mmsi::new(412_345_678).unwrap()),
            Timestamp::from_unix_seconds(t_s).unwrap(),
            SourceId::parse("ais-a").unwrap(),
        )
    }

    #[test]
    fn newest_by_observation_time_wins_per_field() {
        let mut a = obs(100);
        a.position = Some(Position::new(120.0, 24.0).unwrap());
        a.kinematics.speed_knots = Some(10.0);
        a.name = Some("OLD NAME".into());
        a.imo = Some(9_000_001);
        let mut s = TrackState::new(&a);

        // Newer, with a name but no position: position and IMO are kept.
        let mut b = obs(200);
        b.name = Some("NEW NAME".into());
        b.source = SourceId::parse("ais-b").unwrap();
        s.fold(&b);

        // Late arrival (older): it must not replace the newer speed or name, but its
        // call sign is new information and its time widens first_seen.
        let mut c = obs(50);
        c.kinematics.speed_knots = Some(3.0);
        c.name = Some("OLDEST".into());
        c.callsign = Some("BXYZ".into());
        s.fold(&c);

        let row = s.to_row();
        assert_eq!(row.first_seen, Timestamp::from_unix_seconds(50).unwrap());
        assert_eq!(row.last_seen, Timestamp::from_unix_seconds(200).unwrap());
        assert_eq!(row.source.as_str(), "ais-b");
        assert_eq!(row.position, Some(Position::new(120.0, 24.0).unwrap()));
        assert_eq!(row.position_time, Some(Timestamp::from_unix_seconds(100).unwrap()));
        assert_eq!(row.speed_knots, Some(10.0));
        assert_eq!(row.name.as_deref(), Some("NEW NAME"));
        assert_eq!(row.callsign.as_deref(), Some("BXYZ"));
        assert_eq!(row.imo, Some(9_000_001));
        assert_eq!(row.observations, 3);
    }
}
