//! STIX bundles from outside the federation: read, upgraded from STIX 2.0 to 2.1 where needed,
//! checked, and marked for the node's store.
//!
//! Input is a bundle (STIX 2.0 or 2.1), a TAXII envelope (`objects`), a JSON list of objects or
//! a single object. Each object is checked for what the node relies on — a `type` and an `id`
//! of the form `type--UUID`, `created`/`modified` on domain and relationship objects — and
//! every marking reference must resolve to a definition in the same input or a TLP one the node
//! knows; an object that fails is refused with the reason, and the rest go on.
//!
//! STIX 2.0 objects (a 2.0 bundle's, or domain and relationship objects without
//! `spec_version`) are upgraded the way the STIX 2.1
//! specification's changes require (OASIS, STIX 2.1, section 1.6 and the object definitions):
//! `spec_version: "2.1"` on every object; `is_family` on malware (required in 2.1; ATT&CK
//! software entries describe families); `pattern_type: "stix"` on indicators (2.0 patterns were
//! STIX patterns); nothing else changes, custom (`x_`) properties and objects included.
//!
//! The marking the node gives an imported object: its TLP level is the object's own (TLP 1.0
//! definitions mapped to TLP 2.0: white → CLEAR, green, amber, red; the TLP 2.0 ones as they
//! are), or the importer's default when it has none; it is originated by the importing node's
//! partner and releasable to whom the importer says.

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use kuroshio_share::markings::tlp_of_definition_id;
use serde_json::{Map, Value};

/// The TLP 1.0 marking definitions of STIX 2.0/2.1 (fixed ids in the STIX specification,
/// section 7.2.1.4) and their TLP 2.0 counterparts.
const TLP1: [(&str, Tlp); 4] = [
    ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::Clear),
    ("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::Green),
    ("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::Amber),
    ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::Red),
];

/// Most objects read from one input: the largest public bundles (ATT&CK Enterprise) hold
/// about 25,000; this leaves room and bounds what one file can make the node hold.
pub const OBJECTS_PER_INPUT_MAX: usize = 200_000;

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Not JSON.
    #[error("not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// JSON, but no STIX object or bundle.
    #[error("neither a bundle, a list of objects nor an object")]
    NotStix,
    /// More than [`OBJECTS_PER_INPUT_MAX`] objects.
    #[error("{0} objects; at most {OBJECTS_PER_INPUT_MAX} are read from one input")]
    TooMany(usize),
}

/// What the importer decides for objects that carry no TLP marking of their own, and who may
/// see what it imports.
#[derive(Debug, Clone)]
pub struct ImportPolicy {
    /// The importing node's partner: originator of the marking.
    pub partner: PartnerCode,
    /// TLP for objects without a TLP marking.
    pub default_tlp: Tlp,
    /// Partners besides the importer that may see imported objects.
    pub releasable_to: Vec<PartnerCode>,
    /// Whether they may pass them on.
    pub further_sharing: FurtherSharing,
}

/// One object ready for the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedObject {
    /// The object (upgraded to 2.1 if it was 2.0).
    pub object: Map<String, Value>,
    /// Its id.
    pub id: String,
    /// Its version: `modified`, else `created`, else empty (marking definitions of STIX 2.0
    /// have only `created`).
    pub version: String,
    /// Its type.
    pub kind: String,
    /// The marking the node gives it.
    pub marking: Marking,
}

/// The result of reading one input.
#[derive(Debug, Default)]
pub struct Imported {
    /// Objects accepted.
    pub objects: Vec<ImportedObject>,
    /// How many of them were upgraded from STIX 2.0.
    pub upgraded: usize,
    /// Objects refused: id (or position) and reason.
    pub refused: Vec<(String, String)>,
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Upgrades a STIX 2.0 object to 2.1 in place (see the module documentation).
pub fn upgrade_20(object: &mut Map<String, Value>) {
    object.insert("spec_version".into(), Value::String("2.1".into()));
    match object.get("type").and_then(Value::as_str) {
        Some("malware") if !object.contains_key("is_family") => {
            object.insert("is_family".into(), Value::Bool(true));
        }
        Some("indicator") if !object.contains_key("pattern_type") => {
            object.insert("pattern_type".into(), Value::String("stix".into()));
        }
        _ => {}
    }
}

/// Reads one input: see the module documentation.
pub fn import(bytes: &[u8], policy: &ImportPolicy) -> Result<Imported, ImportError> {
    let v: Value = serde_json::from_slice(bytes)?;
    let (items, bundle_20) = match v {
        Value::Array(a) => (a, false),
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("bundle") => {
            let is_20 = o.get("spec_version").and_then(Value::as_str) == Some("2.0");
            match o.get("objects") {
                Some(Value::Array(a)) => (a.clone(), is_20),
                None => (Vec::new(), is_20),
                Some(_) => return Err(ImportError::NotStix),
            }
        }
        Value::Object(o) if o.contains_key("objects") => match o.get("objects") {
            Some(Value::Array(a)) => (a.clone(), false),
            _ => return Err(ImportError::NotStix),
        },
        Value::Object(o) if o.contains_key("type") => (vec![Value::Object(o)], false),
        _ => return Err(ImportError::NotStix),
    };
    if items.len() > OBJECTS_PER_INPUT_MAX {
        return Err(ImportError::TooMany(items.len()));
    }
    // Marking definitions in the input, and the TLP level each stands for (if any).
    let mut definitions: BTreeMap<String, Option<Tlp>> = BTreeMap::new();
    for (id, tlp) in TLP1 {
        definitions.insert(id.to_owned(), Some(tlp));
    }
    for i in &items {
        if i.get("type").and_then(Value::as_str) == Some("marking-definition") {
            if let Some(id) = i.get("id").and_then(Value::as_str) {
                let tlp = tlp_of_definition_id(id)
                    .or_else(|| TLP1.iter().find(|(t, _)| *t == id).map(|(_, tlp)| *tlp));
                definitions.insert(id.to_owned(), tlp);
            }
        }
    }
    let mut out = Imported::default();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (n, item) in items.into_iter().enumerate() {
        let Value::Object(mut o) = item else {
            out.refused.push((format!("#{n}"), "not a JSON object".into()));
            continue;
        };
        let kind = o.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
        let id = o.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let label = if id.is_empty() { format!("#{n}") } else { id.clone() };
        let Some(uuid) = id.strip_prefix(&format!("{kind}--")).filter(|_| !kind.is_empty()) else {
            out.refused.push((label, "no type, or an id that is not <type>--<UUID>".into()));
            continue;
        };
        if !is_uuid(uuid) {
            out.refused.push((label, "the id's UUID is malformed".into()));
            continue;
        }
        let needs_times = !matches!(kind.as_str(), "marking-definition" | "bundle")
            && !is_cyber_observable(&kind);
        if needs_times
            && !(o.get("created").is_some_and(Value::is_string)
                && o.get("modified").is_some_and(Value::is_string))
        {
            out.refused.push((label, "created or modified missing".into()));
            continue;
        }
        let mut refs: Vec<&str> = Vec::new();
        if let Some(r) = o.get("object_marking_refs") {
            match r.as_array() {
                Some(a) => refs.extend(a.iter().filter_map(Value::as_str)),
                None => {
                    out.refused.push((label, "object_marking_refs is not a list".into()));
                    continue;
                }
            }
        }
        if let Some(g) = o.get("granular_markings").and_then(Value::as_array) {
            refs.extend(g.iter().filter_map(|m| m.get("marking_ref").and_then(Value::as_str)));
        }
        if let Some(missing) = refs.iter().find(|r| !definitions.contains_key(**r)) {
            out.refused.push((label, format!("marking {missing} is not defined")));
            continue;
        }
        let tlp = refs
            .iter()
            .filter_map(|r| definitions.get(*r).copied().flatten())
            .max()
            .unwrap_or(policy.default_tlp);
        // In STIX 2.1 only cyber-observable objects may omit `spec_version`.
        let upgrade = bundle_20 || (!o.contains_key("spec_version") && !is_cyber_observable(&kind));
        if upgrade {
            upgrade_20(&mut o);
            out.upgraded += 1;
        }
        let version = o
            .get("modified")
            .or_else(|| o.get("created"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if !seen.insert((id.clone(), version.clone())) {
            out.refused.push((label, "the same id and version twice in one input".into()));
            continue;
        }
        let marking = Marking::new(
            policy.partner,
            tlp,
            policy.releasable_to.iter().copied(),
            policy.further_sharing,
        );
        out.objects.push(ImportedObject { object: o, id, version, kind, marking });
    }
    Ok(out)
}

/// STIX 2.1 cyber-observable object types (section 6), which carry no `created`/`modified`.
fn is_cyber_observable(kind: &str) -> bool {
    matches!(
        kind,
        "artifact"
            | "autonomous-system"
            | "directory"
            | "domain-name"
            | "email-addr"
            | "email-message"
            | "file"
            | "ipv4-addr"
            | "ipv6-addr"
            | "mac-addr"
            | "mutex"
            | "network-traffic"
            | "process"
            | "software"
            | "url"
            | "user-account"
            | "windows-registry-key"
            | "x509-certificate"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy() -> ImportPolicy {
        ImportPolicy {
            partner: PartnerCode::parse("TW").unwrap(),
            default_tlp: Tlp::Amber,
            releasable_to: vec![PartnerCode::parse("JP").unwrap()],
            further_sharing: FurtherSharing::Permitted,
        }
    }

    #[test]
    fn stix_20_is_upgraded_and_tlp_1_mapped() {
        let bundle = json!({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000001",
            "spec_version": "2.0", "objects": [
            {"type": "malware", "id": "malware--00000000-0000-4000-8000-000000000002",
             "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z",
             "name": "x", "labels": ["malware"],
             "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]},
            {"type": "indicator", "id": "indicator--00000000-0000-4000-8000-000000000003",
             "created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-02T00:00:00.000Z",
             "pattern": "[file:name = 'a']", "valid_from": "2020-01-01T00:00:00Z", "labels": ["x"]}
        ]});
        let got = import(bundle.to_string().as_bytes(), &policy()).unwrap();
        assert_eq!(got.upgraded, 2);
        assert!(got.refused.is_empty(), "{:?}", got.refused);
        let m = &got.objects[0];
        assert_eq!(m.object["spec_version"], "2.1");
        assert_eq!(m.object["is_family"], true);
        assert_eq!(m.marking.tlp(), Tlp::Green);
        let i = &got.objects[1];
        assert_eq!(i.object["pattern_type"], "stix");
        assert_eq!(i.version, "2020-01-02T00:00:00.000Z");
        assert_eq!(i.marking.tlp(), Tlp::Amber);
    }

    #[test]
    fn broken_objects_are_refused_one_by_one() {
        let list = json!([
            {"type": "campaign", "id": "campaign--00000000-0000-4000-8000-000000000004",
             "spec_version": "2.1", "created": "2020-01-01T00:00:00.000Z",
             "modified": "2020-01-01T00:00:00.000Z", "name": "c",
             "object_marking_refs": ["marking-definition--00000000-0000-4000-8000-00000000dead"]},
            {"type": "campaign", "id": "indicator--00000000-0000-4000-8000-000000000005"},
            {"type": "campaign", "id": "campaign--nope", "spec_version": "2.1"},
            {"type": "campaign", "id": "campaign--00000000-0000-4000-8000-000000000006",
             "spec_version": "2.1"},
            42,
            {"type": "ipv4-addr", "id": "ipv4-addr--00000000-0000-4000-8000-000000000007",
             "spec_version": "2.1", "value": "10.0.0.1"}
        ]);
        let got = import(list.to_string().as_bytes(), &policy()).unwrap();
        assert_eq!(got.objects.len(), 1);
        assert_eq!(got.refused.len(), 5, "{:?}", got.refused);
        assert!(got.refused[0].1.contains("not defined"));
        assert!(import(b"[1,", &policy()).is_err());
        assert!(import(b"\"x\"", &policy()).is_err());
    }
}
