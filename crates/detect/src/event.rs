//! The event record.

use std::collections::BTreeMap;
use std::fmt;

use kuroshio_model::{Icao24, Marking, Mmsi, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A track entered an area (ADIZ, territorial sea, exercise area).
    ZoneEntry,
    /// A track left an area.
    ZoneExit,
    /// A track crossed a line (the median line), with a direction.
    LineCrossing,
    /// A track passed through a strait gate, with a direction.
    GateTransit,
    /// An AIS track stopped reporting ("going dark") or reappeared after a gap.
    AisGap,
    /// One identity in two places at once, an invalid MMSI, a position jump.
    IdentityConflict,
    /// Two vessels close together and slow for long enough (a possible transfer at sea).
    Encounter,
    /// A vessel lingering in a small area.
    Loitering,
}

impl EventKind {
    /// Every kind, in record order.
    pub const ALL: [EventKind; 8] = [
        EventKind::ZoneEntry,
        EventKind::ZoneExit,
        EventKind::LineCrossing,
        EventKind::GateTransit,
        EventKind::AisGap,
        EventKind::IdentityConflict,
        EventKind::Encounter,
        EventKind::Loitering,
    ];

    /// The name used in records and configuration (`zone_entry`, …).
    pub const fn name(self) -> &'static str {
        match self {
            EventKind::ZoneEntry => "zone_entry",
            EventKind::ZoneExit => "zone_exit",
            EventKind::LineCrossing => "line_crossing",
            EventKind::GateTransit => "gate_transit",
            EventKind::AisGap => "ais_gap",
            EventKind::IdentityConflict => "identity_conflict",
            EventKind::Encounter => "encounter",
            EventKind::Loitering => "loitering",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who an event is about: a vessel, an aircraft or a reported object, with the names known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The vessel's MMSI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mmsi: Option<Mmsi>,
    /// The aircraft's ICAO 24-bit address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icao24: Option<Icao24>,
    /// The id of a manual or official report's object (e.g. an MND report's line item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    /// Name as last reported (ship name, flight callsign).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Radio call sign as last reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callsign: Option<String>,
}

impl Entity {
    /// A vessel by MMSI.
    pub fn vessel(mmsi: Mmsi) -> Self {
        Self { mmsi: Some(mmsi), icao24: None, report: None, name: None, callsign: None }
    }

    /// An aircraft by ICAO address.
    pub fn aircraft(icao24: Icao24) -> Self {
        Self { mmsi: None, icao24: Some(icao24), report: None, name: None, callsign: None }
    }

    /// The identity part only (no names), as it enters the event id.
    fn key(&self) -> String {
        match (&self.mmsi, &self.icao24, &self.report) {
            (Some(m), _, _) => format!("mmsi:{}", m.get()),
            (_, Some(a), _) => format!("icao24:{a}"),
            (_, _, Some(r)) => format!("report:{r}"),
            _ => "unknown".to_owned(),
        }
    }
}

/// A point as events write it: `{"lat": …, "lon": …}` in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

/// One gray-zone event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Content-derived id (see [`Event::derive_id`]).
    pub id: String,
    /// What happened.
    pub kind: EventKind,
    /// When, in UTC (written as RFC 3339).
    #[serde(with = "rfc3339")]
    pub time: Timestamp,
    /// Who.
    pub entity: Entity,
    /// The catalogue id of the zone, line or gate involved, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Direction of a crossing or transit, in the words the zone defines (`eastbound`,
    /// `northbound`, `into_prc_side`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<GeoPoint>,
    /// Kind-specific facts (gap length, distance, speeds, thresholds applied).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_json::Value>,
    /// Who may see it.
    pub marking: Marking,
}

impl Event {
    /// Builds an event with its content-derived id.
    pub fn new(
        kind: EventKind,
        time: Timestamp,
        entity: Entity,
        zone: Option<String>,
        direction: Option<String>,
        marking: Marking,
    ) -> Self {
        let id = Self::derive_id(kind, time, &entity, zone.as_deref(), direction.as_deref());
        Self {
            id,
            kind,
            time,
            entity,
            zone,
            direction,
            position: None,
            details: BTreeMap::new(),
            marking,
        }
    }

    /// The id of an event with this content: the first 128 bits of SHA-256 over the kind, the
    /// entity's identity (not its names, which change), the time in nanoseconds, the zone and the
    /// direction, written as 32 lower-case hex digits. The same content gives the same id on
    /// every node and run.
    pub fn derive_id(
        kind: EventKind,
        time: Timestamp,
        entity: &Entity,
        zone: Option<&str>,
        direction: Option<&str>,
    ) -> String {
        let mut h = Sha256::new();
        for part in [
            kind.name(),
            &entity.key(),
            &time.unix_nanos().to_string(),
            zone.unwrap_or(""),
            direction.unwrap_or(""),
        ] {
            // Length-prefixed, so that no two different contents concatenate alike.
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let digest = h.finalize();
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The stable one-line JSON record.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// RFC 3339 text for timestamps in event records.
mod rfc3339 {
    use kuroshio_model::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(t)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::{FurtherSharing, PartnerCode, Tlp};

    fn marking() -> Marking {
        let tw = PartnerCode::parse("TW").unwrap();
        Marking::new(tw, Tlp::Amber, [PartnerCode::parse("JP").unwrap()], FurtherSharing::Permitted)
    }

    #[test]
    fn record_shape_is_stable() {
        let t = Timestamp::parse("2024-05-23T01:02:03Z").unwrap();
        let mut e = Event::new(
            EventKind::LineCrossing,
            t,
            Entity {
                name: Some("SIM CARRIER 1".into()),
                ..Entity::vessel(Mmsi::new(413_000_001).unwrap())
            },
            Some("tw_strait_median_line".into()),
            Some("eastbound".into()),
            marking(),
        );
        e.position = Some(GeoPoint { lat: 24.5, lon: 120.0 });
        e.details.insert("speed_knots".into(), serde_json::json!(12.5));
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(v["kind"], "line_crossing");
        assert_eq!(v["time"], "2024-05-23T01:02:03Z");
        assert_eq!(v["entity"]["mmsi"], 413_000_001);
        assert_eq!(v["entity"]["name"], "SIM CARRIER 1");
        assert_eq!(v["zone"], "tw_strait_median_line");
        assert_eq!(v["direction"], "eastbound");
        assert_eq!(v["position"]["lat"], 24.5);
        assert_eq!(v["details"]["speed_knots"], 12.5);
        assert_eq!(v["marking"]["tlp"], "AMBER");
        assert_eq!(v["marking"]["originator"], "TW");
        assert_eq!(v["id"].as_str().unwrap().len(), 32);
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn ids_depend_on_content_not_names() {
        let t = Timestamp::from_unix_seconds(1_700_000_000).unwrap();
        let m = Mmsi::new(416_000_001).unwrap();
        let a = Event::derive_id(EventKind::AisGap, t, &Entity::vessel(m), None, None);
        let named = Entity { name: Some("X".into()), ..Entity::vessel(m) };
        assert_eq!(a, Event::derive_id(EventKind::AisGap, t, &named, None, None));
        let later = t.saturating_add_nanos(1);
        assert_ne!(a, Event::derive_id(EventKind::AisGap, later, &Entity::vessel(m), None, None));
        assert_ne!(a, Event::derive_id(EventKind::Loitering, t, &Entity::vessel(m), None, None));
        // Length prefixes keep "ab" + "c" apart from "a" + "bc".
        let z1 =
            Event::derive_id(EventKind::ZoneEntry, t, &Entity::vessel(m), Some("ab"), Some("c"));
        let z2 =
            Event::derive_id(EventKind::ZoneEntry, t, &Entity::vessel(m), Some("a"), Some("bc"));
        assert_ne!(z1, z2);
        // Pinned: the id of this content must not change between releases, or two nodes on
        // different versions would count the same event twice.
        // (Computed independently with Python hashlib over the same length-prefixed parts.)
        assert_eq!(a, "5a3c1ecf3de15bb6c21d0a7530bb56c1");
    }
}
