//! Ground truth: one record per injected activity or observed crossing, in the monitoring
//! engine's event kinds, so that detectors can be scored against it.
//!
//! The file (`truth.ndjson`) holds one JSON object per line:
//!
//! | field | meaning |
//! |---|---|
//! | `kind` | the engine's event kind: `zone_entry`, `line_crossing`, `gate_transit`, `ais_gap`, `identity_conflict`, `encounter`, `loitering`, `zone_dwell` |
//! | `activity` | the scenario activity's `id`, or `background` for background traffic |
//! | `entity` | `{"mmsi": 412123456}`, `{"icao24": "899abc"}` or `{"track": "JRP-N-01"}` (a sensor track id; the engine's `Entity.report`) |
//! | `partner` | for `encounter`: the other vessel, same form |
//! | `zone` | catalogue id of the line, gate or area (`tw_strait_median_line`, `gate_miyako`, `roc_adiz`, …) |
//! | `direction` | the zone's word for the direction, as the engine writes it (`eastward`, `north-westbound`, `entry`) |
//! | `start`, `end` | RFC 3339 window in which the engine's event time must fall (for AIS entities in whole seconds, as the tag blocks carry them) |
//! | `lat`, `lon` | where (crossing point, meeting point), when known |
//! | `first_seen_inside` | `zone_entry` of a track whose first fix was already inside |
//! | `gap_s` | `ais_gap`: the silence between the last message before and the first after |
//!
//! Which records exist:
//!
//! - `line_crossing` and `gate_transit` for **every** generated track, background included:
//!   each segment between consecutive emitted fixes of one agent is tested against the
//!   catalogue's lines and gates, exactly as the engine does, so counts can be compared
//!   exactly: positions are taken as the engine sees them (the wire's precision, then the
//!   tracker's 1e-7 degree), so even a step that grazes a line agrees. The window runs from
//!   the fix before the crossing to the fix after it. For ADS-B aircraft the fixes are the
//!   positions the engine decodes: every position frame is passed through `kuroshio-adsb`'s
//!   CPR decoding in the order of the file, so a flight's first fix is its first even/odd
//!   pair, exactly as on replay.
//! - `zone_entry` (and `zone_dwell` after 1 h inside, the engine's default) only for the areas
//!   an activity names in its `zones`: entering an ADIZ is everyday background, the scored
//!   entries are the injected ones.
//! - `ais_gap` for a `distress` vessel only if it is heard again.
//! - `ais_gap`, `identity_conflict`, `encounter` and `loitering` once per injected activity,
//!   when the activity lies wholly inside the generated window (a window shortened with
//!   `--hours` drops those it cuts): `ais_gap` when the ship is heard again, `loitering` only
//!   for clusters that stay 8 h or longer (the engine's default threshold).
//!
//! What is not in the truth: crossings along the jump between a spoofer's two positions
//! (those are artefacts of the conflict, not movements); background zone entries; and the
//! silence of vessels whose activity has ended (a patrol that finishes stops transmitting, so
//! an engine sweeping 12 h later reports it "still dark"). Background fishing boats drifting
//! slowly may also meet the engine's loitering or encounter definitions by chance; those are
//! not listed either.

use kuroshio_model::Timestamp;
use serde::{Serialize, Serializer};

/// Who a truth record is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TruthEntity {
    /// A vessel by MMSI.
    Mmsi(u32),
    /// An aircraft by ICAO address, six lower-case hex digits.
    Icao24(String),
    /// A sensor track by id.
    Track(String),
}

/// One ground-truth record (see the module documentation for the fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TruthRecord {
    /// Engine event kind.
    pub kind: &'static str,
    /// Activity label, or `background`.
    pub activity: String,
    /// Who.
    #[serde(serialize_with = "entity_object")]
    pub entity: TruthEntity,
    /// The other vessel of an encounter.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_entity_object")]
    pub partner: Option<TruthEntity>,
    /// Catalogue zone id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Direction word.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Window start.
    #[serde(serialize_with = "rfc3339")]
    pub start: Timestamp,
    /// Window end.
    #[serde(serialize_with = "rfc3339")]
    pub end: Timestamp,
    /// Latitude, degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude, degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Entry not observed: the first fix was inside.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub first_seen_inside: bool,
    /// AIS gap length, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_s: Option<f64>,
}

impl TruthRecord {
    /// A record with only the required fields.
    pub fn new(
        kind: &'static str,
        activity: &str,
        entity: TruthEntity,
        start: Timestamp,
        end: Timestamp,
    ) -> Self {
        Self {
            kind,
            activity: activity.to_owned(),
            entity,
            partner: None,
            zone: None,
            direction: None,
            start,
            end,
            lat: None,
            lon: None,
            first_seen_inside: false,
            gap_s: None,
        }
    }

    /// The record as one JSON line (without the newline).
    pub fn to_json(&self) -> String {
        // Serialising plain strings, numbers and booleans cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn rfc3339<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

#[derive(Serialize)]
struct EntityObject<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    mmsi: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icao24: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    track: Option<&'a str>,
}

fn object(e: &TruthEntity) -> EntityObject<'_> {
    match e {
        TruthEntity::Mmsi(m) => EntityObject { mmsi: Some(*m), icao24: None, track: None },
        TruthEntity::Icao24(a) => EntityObject { mmsi: None, icao24: Some(a), track: None },
        TruthEntity::Track(t) => EntityObject { mmsi: None, icao24: None, track: Some(t) },
    }
}

fn entity_object<S: Serializer>(e: &TruthEntity, s: S) -> Result<S::Ok, S::Error> {
    object(e).serialize(s)
}

fn opt_entity_object<S: Serializer>(e: &Option<TruthEntity>, s: S) -> Result<S::Ok, S::Error> {
    e.as_ref().map(object).serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form() {
        let t0 = Timestamp::from_unix_seconds(1_728_864_000).unwrap();
        let mut r = TruthRecord::new(
            "gate_transit",
            "plan-miyako",
            TruthEntity::Track("PLAN-1".into()),
            t0,
            t0,
        );
        r.zone = Some("gate_miyako".into());
        r.direction = Some("north-westbound".into());
        assert_eq!(
            r.to_json(),
            r#"{"kind":"gate_transit","activity":"plan-miyako","entity":{"track":"PLAN-1"},"zone":"gate_miyako","direction":"north-westbound","start":"2024-10-14T00:00:00Z","end":"2024-10-14T00:00:00Z"}"#
        );
    }
}
