//! Kuroshio's events and tracks as STIX 2.1 objects.
//!
//! An event of the monitoring engine becomes three objects, all marked with the event's
//! marking, originated by the node's partner and signed at origin by
//! [`kuroshio_share::SharedObject::seal`]:
//!
//! - an `x-kuroshio-track` object — a STIX 2.1 custom object defined by the `new-sdo`
//!   extension [`TRACK_EXTENSION_ID`], whose JSON schema is `schemas/stix/x-kuroshio-track.json`
//!   in the repository — for the vessel, aircraft or reported object;
//! - a `location` with the event's position (when it has one);
//! - a `sighting` of the track at the event's time, `where_sighted_refs` the location, with the
//!   event's facts (kind, zone, direction, details, the engine's event id) in the
//!   `property-extension` [`EVENT_EXTENSION_ID`].
//!
//! Ids are name-based (UUIDv5), from the originating partner and the event's own content id, so
//! the same event gives the same objects on every run, and a partner's objects never collide
//! with another's. Partners appear as `identity` objects ([`partner_identity`]); the extension
//! definitions (track, event facts, signature) and the identity that publishes them are public
//! metadata ([`public_objects`]).
//!
//! Ids are UUIDv5, not the UUIDv4 that STIX recommends for domain objects (the OASIS validator
//! warns about it): name-based ids are what lets every node, and every run, give the same
//! object the same id, so that the federation never holds two copies of one event.
//!
//! [`import`] reads STIX from outside the federation (2.0 upgraded to 2.1) for the node's store.
//!
//! The crate maps; it does not decide who sees what ([`kuroshio_share::visible`]) or check what
//! leaves ([`kuroshio_share::EgressGuard`]).

pub mod import;

use kuroshio_detect::{Entity, Event};
use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Timestamp, Tlp};
use kuroshio_share::markings::{derived_id, identity_id};
use kuroshio_share::sign::{SIGNATURE_EXTENSION_ID, SIGNATURE_PROPERTY};
use kuroshio_share::{ShareError, SharedObject};
use serde_json::{Map, Value, json};

/// The `new-sdo` extension definition of `x-kuroshio-track`.
pub const TRACK_EXTENSION_ID: &str = "extension-definition--5d8f3c2a-6f0e-4b1d-9a47-2c3e1f0b7d64";

/// The `property-extension` definition that carries an event's facts on a sighting.
pub const EVENT_EXTENSION_ID: &str = "extension-definition--9b1e4d7c-3a2f-4e8b-8c6d-4f7a0e2b1c35";

/// The identity that publishes the extension definitions.
pub const PUBLISHER_ID: &str = "identity--0c6b2e1d-8f4a-4c3e-9b7d-1a2e3f4c5d6e";

/// Where the track object's schema is published.
pub const TRACK_SCHEMA_URL: &str =
    "https://github.com/kuroshio-project/kuroshio/blob/main/schemas/stix/x-kuroshio-track.json";

/// Where the event extension's schema is published.
pub const EVENT_SCHEMA_URL: &str =
    "https://github.com/kuroshio-project/kuroshio/blob/main/schemas/stix/x-kuroshio-event.json";

/// Where the signature property's schema is published.
pub const SIGNATURE_SCHEMA_URL: &str =
    "https://github.com/kuroshio-project/kuroshio/blob/main/schemas/stix/x-kuroshio-signature.json";

/// `created` of the published metadata objects.
const PUBLISHED: &str = "2026-12-01T00:00:00.000Z";

/// Why an event could not be mapped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StixError {
    /// The event names no vessel, aircraft or reported object.
    #[error("event {0} has no entity")]
    NoEntity(String),
    /// Marking or sealing failed.
    #[error(transparent)]
    Share(#[from] ShareError),
}

/// A STIX timestamp to the millisecond, as `created` and `modified` need.
pub fn stix_time(t: Timestamp) -> String {
    let (y, mo, d, h, mi, s, ns) = t.to_civil();
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z", ns / 1_000_000)
}

/// The public metadata every bundle may carry: the publisher identity and the two extension
/// definitions.
pub fn public_objects() -> Vec<Value> {
    vec![
        json!({
            "type": "identity", "spec_version": "2.1", "id": PUBLISHER_ID,
            "created": PUBLISHED, "modified": PUBLISHED,
            "name": "Kuroshio project", "identity_class": "organization",
            "description": "Publisher of the Kuroshio STIX extensions."
        }),
        json!({
            "type": "extension-definition", "spec_version": "2.1", "id": TRACK_EXTENSION_ID,
            "created_by_ref": PUBLISHER_ID, "created": PUBLISHED, "modified": PUBLISHED,
            "name": "Kuroshio track",
            "description": "A vessel, aircraft or reported object followed by a Kuroshio node: its identifiers and names as last reported.",
            "schema": TRACK_SCHEMA_URL, "version": "1.0.0", "extension_types": ["new-sdo"]
        }),
        json!({
            "type": "extension-definition", "spec_version": "2.1", "id": SIGNATURE_EXTENSION_ID,
            "created_by_ref": PUBLISHER_ID, "created": PUBLISHED, "modified": PUBLISHED,
            "name": "Kuroshio signature at origin",
            "description": "x_kuroshio_signature: the originating node's Ed25519 signature over the object's RFC 8785 canonical JSON, with salted digests of granular-marked fields so that redacted copies still verify.",
            "schema": SIGNATURE_SCHEMA_URL, "version": "1.0.0", "extension_types": ["toplevel-property-extension"],
            "extension_properties": [SIGNATURE_PROPERTY]
        }),
        json!({
            "type": "extension-definition", "spec_version": "2.1", "id": EVENT_EXTENSION_ID,
            "created_by_ref": PUBLISHER_ID, "created": PUBLISHED, "modified": PUBLISHED,
            "name": "Kuroshio event",
            "description": "The facts of a gray-zone event detected by a Kuroshio node, on the sighting that reports it.",
            "schema": EVENT_SCHEMA_URL, "version": "1.0.0", "extension_types": ["property-extension"]
        }),
    ]
}

/// Ids of [`public_objects`].
pub fn public_ids() -> [&'static str; 4] {
    [PUBLISHER_ID, TRACK_EXTENSION_ID, SIGNATURE_EXTENSION_ID, EVENT_EXTENSION_ID]
}

/// A partner's `identity`, the same on every node, marked TLP:CLEAR for every partner in
/// `partners` (identities of the federation are no secret within it).
pub fn partner_identity(
    partner: PartnerCode,
    name: &str,
    partners: &[PartnerCode],
) -> SharedObject {
    let body = json!({
        "type": "identity", "spec_version": "2.1", "id": identity_id(partner),
        "created": PUBLISHED, "modified": PUBLISHED,
        "name": name, "identity_class": "organization"
    });
    SharedObject {
        body: body.as_object().cloned().unwrap_or_default(),
        marking: Marking::new(
            partner,
            Tlp::Clear,
            partners.iter().copied(),
            FurtherSharing::Permitted,
        ),
        granular: vec![],
    }
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The track object's target key and domain.
fn target(entity: &Entity) -> Option<(String, Value, &'static str)> {
    if let Some(m) = entity.mmsi {
        return Some((format!("vessel:{m}"), json!({ "mmsi": m }), "sea"));
    }
    if let Some(a) = entity.icao24 {
        return Some((format!("aircraft:{a}"), json!({ "icao24": a.to_string() }), "air"));
    }
    entity.report.as_ref().map(|r| (format!("local:{r}"), json!({ "local": r }), "unknown"))
}

/// The STIX objects of one event, unsealed: the track, the location (if the event has a
/// position) and the sighting, each with the event's marking.
pub fn event_objects(event: &Event) -> Result<Vec<SharedObject>, StixError> {
    let origin = event.marking.originator();
    let (key, target_value, domain) =
        target(&event.entity).ok_or_else(|| StixError::NoEntity(event.id.clone()))?;
    let created_by = identity_id(origin);
    let t = stix_time(event.time);
    let track_id =
        derived_id("x-kuroshio-track", &format!("kuroshio:{}:track:{key}", origin.as_str()));
    let mut track = object(json!({
        "type": "x-kuroshio-track", "spec_version": "2.1", "id": track_id,
        "created": t, "modified": t, "created_by_ref": created_by,
        "domain": domain, "target": target_value,
        "extensions": { TRACK_EXTENSION_ID: { "extension_type": "new-sdo" } }
    }));
    if let Some(n) = &event.entity.name {
        track.insert("name".into(), json!(n));
    }
    if let Some(c) = &event.entity.callsign {
        track.insert("callsign".into(), json!(c));
    }
    let mut out =
        vec![SharedObject { body: track, marking: event.marking.clone(), granular: vec![] }];

    let mut sighting = object(json!({
        "type": "sighting", "spec_version": "2.1",
        "id": derived_id("sighting", &format!("kuroshio:{}:event:{}", origin.as_str(), event.id)),
        "created": t, "modified": t, "created_by_ref": created_by,
        "first_seen": event.time.to_string(), "last_seen": event.time.to_string(), "count": 1,
        "sighting_of_ref": track_id,
    }));
    let mut facts = object(json!({
        "extension_type": "property-extension",
        "event_id": event.id,
        "kind": event.kind.name(),
    }));
    if let Some(z) = &event.zone {
        facts.insert("zone".into(), json!(z));
    }
    if let Some(d) = &event.direction {
        facts.insert("direction".into(), json!(d));
    }
    if !event.details.is_empty() {
        facts.insert("details".into(), json!(event.details));
    }
    sighting.insert("extensions".into(), json!({ EVENT_EXTENSION_ID: Value::Object(facts) }));
    if let Some(p) = event.position {
        let location_id =
            derived_id("location", &format!("kuroshio:{}:event:{}", origin.as_str(), event.id));
        out.push(SharedObject {
            body: object(json!({
                "type": "location", "spec_version": "2.1", "id": location_id,
                "created": t, "modified": t, "created_by_ref": created_by,
                "latitude": p.lat, "longitude": p.lon
            })),
            marking: event.marking.clone(),
            granular: vec![],
        });
        sighting.insert("where_sighted_refs".into(), json!([location_id]));
    }
    out.push(SharedObject { body: sighting, marking: event.marking.clone(), granular: vec![] });
    Ok(out)
}

/// A STIX bundle of `objects` (wire form) with the marking definitions they refer to and the
/// public metadata, under a name-based bundle id.
pub fn bundle(name: &str, objects: Vec<Map<String, Value>>, definitions: Vec<Value>) -> Value {
    let mut all: Vec<Value> = public_objects();
    all.extend(definitions);
    all.extend(objects.into_iter().map(Value::Object));
    json!({ "type": "bundle", "id": derived_id("bundle", name), "objects": all })
}
