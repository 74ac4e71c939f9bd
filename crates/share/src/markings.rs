//! Markings on the wire: TLP 2.0 and ISA ACS 3.0 releasability as STIX 2.1 marking
//! definitions, and the STIX identities of partners.
//!
//! - **TLP 2.0**: the five marking definitions with fixed ids published by the OASIS CTI TC
//!   (extension `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d`, property
//!   `tlp_2_0`; oasis-open/cti-stix-common-objects,
//!   `extension-definition-specifications/tlp-2.0`). Every node writes them byte for byte
//!   the same.
//! - **Releasability**: one marking definition per distinct (permitted nationalities, further
//!   sharing) pair, carried by the ISA ACS 3.0 marking extension
//!   (`extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce`) with one `CISAUSES` access
//!   privilege whose scope is the permitted nationalities, and a `further_sharing` rule that
//!   permits relaying within the same nationalities — or none, which under the policy
//!   reference's `sharedefault=deny` means only the originator shares. The definition's id is
//!   a UUIDv5 of its own canonical content, and its `created` time is fixed, so two nodes that
//!   mark alike write the same definition with the same id: releasability matches across
//!   nodes without a registry of marking ids.
//! - **Identities**: a partner's STIX identity id is a UUIDv5 of its code, the same on every
//!   node; `created_by_ref` names the originator with it.

use std::collections::BTreeSet;

use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::ShareError;
use crate::nationality::{nationality, partner_of};

/// The TLP 2.0 marking extension's id.
pub const TLP2_EXTENSION_ID: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The ISA ACS 3.0 marking extension's id.
pub const ACS3_EXTENSION_ID: &str = "extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce";

/// The namespace of Kuroshio's name-based (v5) UUIDs.
const NAMESPACE: Uuid = Uuid::from_u128(0xb305_ab90_4ff2_4625_b7c0_d863_499b_b456);

/// `created` of every releasability definition: fixed, so that equal markings give equal
/// definitions everywhere.
pub const RELEASABILITY_CREATED: &str = "2026-01-01T00:00:00.000Z";

/// The ACS 3.0 policy reference: deny what no rule permits, for access and for sharing.
pub const ACS_POLICY_REFERENCE: &str =
    "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=deny";

/// The TLP 2.0 marking definitions: level, fixed id, `tlp_2_0` value (OASIS CTI TC, TLP 2.0
/// extension specification; created 2022-10-01).
const TLP2: [(Tlp, &str, &str); 5] = [
    (Tlp::Clear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    (Tlp::Green, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    (Tlp::Amber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    (Tlp::AmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    (Tlp::Red, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
];

/// The fixed id of a TLP level's marking definition.
pub fn tlp_definition_id(tlp: Tlp) -> &'static str {
    TLP2.iter().find(|(t, _, _)| *t == tlp).map_or("", |(_, id, _)| id)
}

/// The TLP level of a marking-definition id, if it is one of the five.
pub fn tlp_of_definition_id(id: &str) -> Option<Tlp> {
    TLP2.iter().find(|(_, i, _)| *i == id).map(|(t, _, _)| *t)
}

/// The TLP level a `tlp_2_0` value names.
pub fn tlp_of_value(value: &str) -> Option<Tlp> {
    TLP2.iter().find(|(_, _, v)| *v == value).map(|(t, _, _)| *t)
}

/// A TLP level's marking definition, as the TLP 2.0 specification publishes it.
pub fn tlp_definition(tlp: Tlp) -> Value {
    let (_, id, value) = TLP2.iter().find(|(t, _, _)| *t == tlp).copied().unwrap_or(TLP2[4]);
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": id,
        "created": "2022-10-01T00:00:00.000Z",
        "name": tlp.label(),
        "extensions": {
            TLP2_EXTENSION_ID: { "extension_type": "property-extension", "tlp_2_0": value }
        }
    })
}

/// A name-based id `<kind>--<UUIDv5 of name>`.
pub fn derived_id(kind: &str, name: &str) -> String {
    format!("{kind}--{}", Uuid::new_v5(&NAMESPACE, name.as_bytes()))
}

/// The STIX identity id of a partner, the same on every node.
pub fn identity_id(partner: PartnerCode) -> String {
    derived_id("identity", &format!("kuroshio:partner:{}", partner.as_str()))
}

/// What a releasability marking says, in wire terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Releasability {
    /// ISO 3166-1 alpha-3 codes of the nationalities that may access the object; `ALL` stands
    /// for every nationality.
    pub nationalities: BTreeSet<String>,
    /// Nationalities a recipient may pass the object on to; empty when only the originator
    /// shares.
    pub further_sharing: BTreeSet<String>,
}

impl Releasability {
    /// Whether `nationality` may access the object.
    pub fn permits(&self, nationality: &str) -> bool {
        self.nationalities.contains("ALL") || self.nationalities.contains(nationality)
    }

    /// Whether a recipient may relay the object to `nationality`.
    pub fn relay_permits(&self, nationality: &str) -> bool {
        self.further_sharing.contains("ALL") || self.further_sharing.contains(nationality)
    }
}

/// The releasability marking definition of `marking` (its partners and further-sharing rule;
/// the TLP level goes in its own definition): `(id, definition)`. Fails when a partner has no
/// nationality.
pub fn releasability_definition(marking: &Marking) -> Result<(String, Value), ShareError> {
    let mut nationalities = Vec::with_capacity(marking.releasable_to().len());
    for p in marking.releasable_to() {
        nationalities.push(nationality(*p).ok_or(ShareError::NoNationality { partner: *p })?);
    }
    nationalities.sort();
    let names = nationalities.join(", ");
    let mut ext = Map::new();
    ext.insert("extension_type".into(), json!("property-extension"));
    ext.insert("name".into(), json!(format!("Releasable to {names}")));
    ext.insert("create_date_time".into(), json!(RELEASABILITY_CREATED));
    ext.insert("responsible_entity_custodian".into(), json!("KUROSHIO.FEDERATION"));
    ext.insert("responsible_entity_originator".into(), json!("KUROSHIO.FEDERATION"));
    ext.insert("policy_reference".into(), json!(ACS_POLICY_REFERENCE));
    ext.insert(
        "access_privilege".into(),
        json!([{
            "privilege_action": "CISAUSES",
            "privilege_scope": {
                "permitted_nationalities": nationalities,
                "permitted_organizations": ["ALL"],
                "shareability": ["ALL"],
                "entity": ["ALL"]
            },
            "rule_effect": "permit"
        }]),
    );
    if marking.further_sharing() == FurtherSharing::Permitted {
        ext.insert(
            "further_sharing".into(),
            json!([{ "sharing_scope": nationalities, "rule_effect": "permit" }]),
        );
    }
    ext.insert("control_set".into(), json!({ "classification": "U" }));
    // The id derives from everything above, so equal markings give equal ids.
    let content = serde_json_canonicalizer::to_string(&Value::Object(ext.clone()))
        .map_err(|e| ShareError::Canonical(e.to_string()))?;
    let id = derived_id("marking-definition", &content);
    let uuid = id.trim_start_matches("marking-definition--");
    ext.insert("identifier".into(), json!(format!("isa:guide.19001.ACS3-{uuid}")));
    let def = json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": id,
        "created": RELEASABILITY_CREATED,
        "name": format!("Releasable to {names}"),
        "extensions": { ACS3_EXTENSION_ID: Value::Object(ext) }
    });
    Ok((id, def))
}

/// Reads a releasability marking definition: the permitted nationalities of its `permit`
/// access privileges and the scope of its `permit` further-sharing rules. Anything else — not
/// a marking definition, no ACS 3.0 extension, a `deny` rule, a malformed list — is refused.
pub fn parse_releasability(def: &Value) -> Result<Releasability, ShareError> {
    let bad = |why: &str| ShareError::BadDefinition {
        id: def.get("id").and_then(Value::as_str).unwrap_or("").to_owned(),
        why: why.to_owned(),
    };
    if def.get("type").and_then(Value::as_str) != Some("marking-definition") {
        return Err(bad("not a marking-definition"));
    }
    let ext = def
        .get("extensions")
        .and_then(|e| e.get(ACS3_EXTENSION_ID))
        .and_then(Value::as_object)
        .ok_or_else(|| bad("no ACS 3.0 extension"))?;
    let strings = |v: Option<&Value>, what: &str| -> Result<BTreeSet<String>, ShareError> {
        let list = v.and_then(Value::as_array).ok_or_else(|| bad(what))?;
        list.iter().map(|s| s.as_str().map(str::to_owned).ok_or_else(|| bad(what))).collect()
    };
    let mut nationalities = BTreeSet::new();
    let privileges = ext
        .get("access_privilege")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no access_privilege"))?;
    for p in privileges {
        match p.get("rule_effect").and_then(Value::as_str) {
            Some("permit") => {}
            _ => return Err(bad("an access privilege that is not a plain permit")),
        }
        let scope = p.get("privilege_scope").ok_or_else(|| bad("no privilege_scope"))?;
        nationalities
            .extend(strings(scope.get("permitted_nationalities"), "permitted_nationalities")?);
    }
    let mut further = BTreeSet::new();
    if let Some(rules) = ext.get("further_sharing") {
        for r in rules.as_array().ok_or_else(|| bad("further_sharing is not a list"))? {
            match r.get("rule_effect").and_then(Value::as_str) {
                Some("permit") => {}
                _ => return Err(bad("a further-sharing rule that is not a plain permit")),
            }
            further.extend(strings(r.get("sharing_scope"), "sharing_scope")?);
        }
    }
    Ok(Releasability { nationalities, further_sharing: further })
}

/// The [`Marking`] that a TLP level, a releasability and an originator make, for objects
/// received from a peer. Nationalities without a partner code are dropped (they cannot be
/// sent to), and `ALL` is refused: a node only keeps objects whose audience it can name.
pub fn marking_from_wire(
    originator: PartnerCode,
    tlp: Tlp,
    releasability: &Releasability,
) -> Result<Marking, ShareError> {
    if releasability.nationalities.contains("ALL") {
        return Err(ShareError::Unsupported("releasability to ALL nationalities".into()));
    }
    let partners: Vec<PartnerCode> =
        releasability.nationalities.iter().filter_map(|n| partner_of(n)).collect();
    let further = if releasability.further_sharing.is_empty() {
        FurtherSharing::OriginatorOnly
    } else {
        FurtherSharing::Permitted
    };
    Ok(Marking::new(originator, tlp, partners, further))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartnerCode {
        PartnerCode::parse(s).unwrap()
    }

    #[test]
    fn releasability_ids_depend_on_content_only() {
        let a = Marking::new(p("TW"), Tlp::Amber, [p("JP"), p("US")], FurtherSharing::Permitted);
        let b = Marking::new(p("JP"), Tlp::Green, [p("TW"), p("US")], FurtherSharing::Permitted);
        let c = Marking::new(p("TW"), Tlp::Amber, [p("JP")], FurtherSharing::Permitted);
        let d =
            Marking::new(p("TW"), Tlp::Amber, [p("JP"), p("US")], FurtherSharing::OriginatorOnly);
        let (ia, da) = releasability_definition(&a).unwrap();
        let (ib, db) = releasability_definition(&b).unwrap();
        assert_eq!((ia.as_str(), &da), (ib.as_str(), &db));
        assert_ne!(ia, releasability_definition(&c).unwrap().0);
        assert_ne!(ia, releasability_definition(&d).unwrap().0);
        let r = parse_releasability(&da).unwrap();
        assert_eq!(
            r.nationalities.iter().map(String::as_str).collect::<Vec<_>>(),
            ["JPN", "TWN", "USA"]
        );
        assert_eq!(r.further_sharing, r.nationalities);
        let back = marking_from_wire(p("TW"), Tlp::Amber, &r).unwrap();
        assert_eq!(back, a);
        let rd = parse_releasability(&releasability_definition(&d).unwrap().1).unwrap();
        assert!(rd.further_sharing.is_empty());
        assert_eq!(marking_from_wire(p("TW"), Tlp::Amber, &rd).unwrap(), d);
    }

    #[test]
    fn tlp_definitions_match_the_published_ones() {
        for t in Tlp::ALL {
            let def = tlp_definition(t);
            assert_eq!(tlp_of_definition_id(def["id"].as_str().unwrap()), Some(t));
            let v = def["extensions"][TLP2_EXTENSION_ID]["tlp_2_0"].as_str().unwrap();
            assert_eq!(tlp_of_value(v), Some(t));
        }
    }

    #[test]
    fn identities_are_stable() {
        assert_eq!(identity_id(p("TW")), identity_id(p("TW")));
        assert_ne!(identity_id(p("TW")), identity_id(p("JP")));
        assert!(identity_id(p("US")).starts_with("identity--"));
        let u = identity_id(p("US"));
        // Version nibble 5 (name-based, SHA-1), RFC 4122 variant.
        assert_eq!(&u["identity--".len() + 14..][..1], "5");
    }

    #[test]
    fn deny_rules_and_junk_are_refused() {
        let (_, mut def) = releasability_definition(&Marking::originator_only(p("TW"))).unwrap();
        def["extensions"][ACS3_EXTENSION_ID]["access_privilege"][0]["rule_effect"] = json!("deny");
        assert!(parse_releasability(&def).is_err());
        assert!(parse_releasability(&json!({"type": "marking-definition"})).is_err());
        assert!(parse_releasability(&tlp_definition(Tlp::Red)).is_err());
    }
}
