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
    /// A track inside an area for longer than the area's dwell threshold.
    ZoneDwell,
}

impl EventKind {
    /// Every kind, in record order.
    pub const ALL: [EventKind; 9] = [
        EventKind::ZoneEntry,
        EventKind::ZoneExit,
        EventKind::LineCrossing,
        EventKind::GateTransit,
        EventKind::AisGap,
        EventKind::IdentityConflict,
        EventKind::Encounter,
        EventKind::Loitering,
        EventKind::ZoneDwell,
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
            EventKind::ZoneDwell => "zone_dwell",
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

    /// The identity part only (no names), as it enters the event id: `mmsi:<decimal>`,
    /// `icao24:<6 lower-case hex digits>`, `report:<id>` or `unknown`, as a prefix and a rest
    /// (the digits written into `buf`), so that no string is allocated.
    fn key<'a>(&'a self, buf: &'a mut [u8; 20]) -> (&'static [u8], &'a [u8]) {
        match (&self.mmsi, &self.icao24, &self.report) {
            (Some(m), _, _) => (b"mmsi:", decimal(i64::from(m.get()), buf)),
            (_, Some(a), _) => {
                let v = a.get();
                for (i, slot) in buf[..6].iter_mut().enumerate() {
                    *slot = HEX[((v >> (20 - 4 * i)) & 0xf) as usize];
                }
                (b"icao24:", &buf[..6])
            }
            (_, _, Some(r)) => (b"report:", r.as_bytes()),
            _ => (b"unknown", b""),
        }
    }
}

/// Lower-case hexadecimal digits.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The decimal digits of `v`, as `v.to_string()` writes them, in the end of `buf` (20 bytes
/// hold every `i64`, `i64::MIN` included).
fn decimal(v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
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
        // Written piece by piece into the hash, without building strings: this runs for every
        // event, and allocation and formatting cost more than the hash itself.
        let mut h = Sha256::new();
        // Length-prefixed, so that no two different contents concatenate alike.
        let mut part = |head: &[u8], rest: &[u8]| {
            h.update(((head.len() + rest.len()) as u64).to_be_bytes());
            h.update(head);
            h.update(rest);
        };
        let mut key_buf = [0u8; 20];
        let (key_head, key_rest) = entity.key(&mut key_buf);
        let mut time_buf = [0u8; 20];
        part(kind.name().as_bytes(), b"");
        part(key_head, key_rest);
        part(decimal(time.unix_nanos(), &mut time_buf), b"");
        part(zone.unwrap_or("").as_bytes(), b"");
        part(direction.unwrap_or("").as_bytes(), b"");
        let digest = h.finalize();
        let mut id = String::with_capacity(32);
        for &b in &digest[..16] {
            id.push(char::from(HEX[usize::from(b >> 4)]));
            id.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        id
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
    fn kind_names_are_the_record_strings() {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "zone_entry",
                "zone_exit",
                "line_crossing",
                "gate_transit",
                "ais_gap",
                "identity_conflict",
                "encounter",
                "loitering",
                "zone_dwell",
            ]
        );
        for kind in EventKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
            let back: EventKind = serde_json::from_value(kind.name().into()).unwrap();
            assert_eq!(back, kind);
        }
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

    /// The id's parts as text, the way ids were first defined (`format!` and `to_string`).
    fn reference_id(
        kind: EventKind,
        time: Timestamp,
        entity: &Entity,
        zone: Option<&str>,
        direction: Option<&str>,
    ) -> String {
        let key = match (&entity.mmsi, &entity.icao24, &entity.report) {
            (Some(m), _, _) => format!("mmsi:{}", m.get()),
            (_, Some(a), _) => format!("icao24:{a}"),
            (_, _, Some(r)) => format!("report:{r}"),
            _ => "unknown".to_owned(),
        };
        let mut h = Sha256::new();
        let time = time.unix_nanos().to_string();
        for part in [kind.name(), &key, &time, zone.unwrap_or(""), direction.unwrap_or("")] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn ids_match_the_text_definition_for_every_kind_of_entity() {
        let entities = [
            Entity::vessel(Mmsi::new(416_000_001).unwrap()),
            Entity::vessel(Mmsi::new(2_190_048).unwrap()),
            Entity::aircraft(Icao24::new(0x0089_90ab).unwrap()),
            Entity::aircraft(Icao24::new(0x0000_0001).unwrap()),
            Entity::aircraft(Icao24::new(0x00ff_ffff).unwrap()),
            Entity {
                report: Some("MND-2024-05-23/7".into()),
                ..Entity::vessel(Mmsi::new(1).unwrap())
            },
            Entity {
                mmsi: None,
                icao24: None,
                report: Some("報告 1".into()),
                name: None,
                callsign: None,
            },
            Entity {
                mmsi: None,
                icao24: None,
                report: None,
                name: Some("X".into()),
                callsign: None,
            },
        ];
        let times = [
            Timestamp::from_unix_nanos(0),
            Timestamp::from_unix_nanos(7),
            Timestamp::from_unix_nanos(-1_500_000_001),
            Timestamp::from_unix_nanos(1_716_426_123_456_789_012),
            Timestamp::from_unix_nanos(i64::MIN),
            Timestamp::from_unix_nanos(i64::MAX),
        ];
        for kind in EventKind::ALL {
            for e in &entities {
                for &t in &times {
                    for (zone, dir) in [(None, None), (Some("roc_adiz"), Some("entry"))] {
                        assert_eq!(
                            Event::derive_id(kind, t, e, zone, dir),
                            reference_id(kind, t, e, zone, dir),
                            "{kind} {e:?} {t:?} {zone:?}"
                        );
                    }
                }
            }
        }
    }
}
