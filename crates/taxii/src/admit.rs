//! What the server accepts from a POST, one object at a time.
//!
//! Each object of an envelope is read, its markings resolved and its origin checked before it
//! is stored; an object that fails is reported as a failure in the status resource and not
//! stored, and the others go on.
//!
//! - **Marking definitions** the sharing rules can read — the five TLP 2.0 definitions exactly
//!   as published, and ACS 3.0 releasability definitions exactly as every node writes them for
//!   their content ([`kuroshio_share::markings::releasability_definition`], whose id derives
//!   from that content) — are public within the collection. Any other marking definition is
//!   refused from a partner and kept node-only from a local user.
//! - **Kuroshio-marked objects** (`created_by_ref` a partner identity, one TLP and one
//!   releasability marking, granular markings that resolve: [`Held::from_wire`], against the
//!   collection's definitions, those earlier in the same envelope and the TLP ones) must carry
//!   their originator's signature, checked with the originator's Ed25519 public key from the
//!   server's configuration, and must be releasable to this node.
//!   An object that presents itself as Kuroshio-marked (a partner identity as `created_by_ref`,
//!   or a signature) and does not resolve is refused, whoever posts it.
//! - **Anything else** is refused from a partner (a partner's node sends only marked, signed
//!   objects) and kept node-only from a local user: TLP:RED, releasable to this node's partner
//!   alone, so the policy shows it to the node's own users and to no partner.

use std::collections::{BTreeMap, HashMap};

use kuroshio_model::{Marking, PartnerCode};
use kuroshio_share::markings::{
    TLP2_EXTENSION_ID, marking_from_wire, parse_releasability, releasability_definition,
    tlp_of_definition_id, tlp_of_value,
};
use kuroshio_share::nationality::partner_of;
use kuroshio_share::{Definition, Held};
use serde_json::{Map, Value};

use crate::auth::Principal;
use crate::store::{Access, NewObject};

/// What admission needs to know about the node and the collection.
#[derive(Debug, Clone)]
pub struct Admission<'a> {
    /// The node's partner.
    pub holder: PartnerCode,
    /// The federation's partners.
    pub partners: &'a [PartnerCode],
    /// Ed25519 public keys of originators, by partner (the node's own included).
    pub keys: &'a BTreeMap<PartnerCode, [u8; 32]>,
    /// Marking definitions known to the collection, by id.
    pub definitions: HashMap<String, Definition>,
}

/// A marking definition the sharing rules can read, with its id; `None` for anything else.
pub fn readable_definition(def: &Map<String, Value>) -> Option<(String, Definition)> {
    if def.get("type").and_then(Value::as_str) != Some("marking-definition") {
        return None;
    }
    let id = def.get("id").and_then(Value::as_str)?.to_owned();
    if let Some(t) = tlp_of_definition_id(&id) {
        let level = def
            .get("extensions")
            .and_then(|e| e.get(TLP2_EXTENSION_ID))
            .and_then(|e| e.get("tlp_2_0"))
            .and_then(Value::as_str)
            .and_then(tlp_of_value);
        return (level == Some(t)).then_some((id, Definition::Tlp(t)));
    }
    let whole = Value::Object(def.clone());
    let rel = parse_releasability(&whole).ok()?;
    // Written again from its content, it must come out the same, id included.
    let originator = rel.nationalities.iter().find_map(|n| partner_of(n))?;
    let marking = marking_from_wire(originator, kuroshio_model::Tlp::Clear, &rel).ok()?;
    let (again_id, again) = releasability_definition(&marking).ok()?;
    (again_id == id && again == whole).then_some((id, Definition::Releasability(rel)))
}

/// Whether an object presents itself as Kuroshio-marked (a partner as `created_by_ref`, or a
/// signature): such an object must resolve, whoever posts it.
fn claims_markings(wire: &Map<String, Value>, ctx: &Admission<'_>) -> bool {
    let creator = text(wire, "created_by_ref").unwrap_or("");
    wire.contains_key(kuroshio_share::sign::SIGNATURE_PROPERTY)
        || ctx.partners.iter().any(|p| kuroshio_share::markings::identity_id(*p) == creator)
}

fn text<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

/// Reads one object of a POST envelope for `principal`: the object to store, or why not.
pub fn admit(
    value: &Value,
    principal: &Principal,
    ctx: &Admission<'_>,
) -> Result<NewObject, String> {
    let wire = value.as_object().ok_or("not a JSON object")?.clone();
    // The access is decided below, once the object's form is known to be sound.
    let mut object = NewObject::from_wire(wire, Access::Public)?;
    let wire = &object.wire;
    let local = matches!(principal, Principal::Local(_));
    let node_only = || Access::Marked {
        marking: Marking::originator_only(ctx.holder),
        granular: BTreeMap::new(),
    };
    let access = if object.kind == "marking-definition" {
        match readable_definition(wire) {
            Some(_) => Access::Public,
            None if local => node_only(),
            None => return Err("a marking definition the sharing rules cannot read".into()),
        }
    } else {
        let lookup = |r: &str| {
            ctx.definitions.get(r).cloned().or_else(|| tlp_of_definition_id(r).map(Definition::Tlp))
        };
        match Held::from_wire(wire.clone(), &lookup, ctx.partners) {
            Ok(held) => {
                let origin = held.marking.originator();
                let key = ctx
                    .keys
                    .get(&origin)
                    .ok_or_else(|| format!("no public key for originator {}", origin.as_str()))?;
                kuroshio_share::sign::verify(&held.wire, key)
                    .map_err(|e| format!("signature of {}: {e}", origin.as_str()))?;
                if !held.marking.permits(ctx.holder) {
                    return Err("not releasable to this node".into());
                }
                Access::Marked { marking: held.marking, granular: held.granular }
            }
            Err(_) if local && !claims_markings(wire, ctx) => node_only(),
            Err(e) => return Err(format!("markings: {e}")),
        }
    };
    object.access = access;
    Ok(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::{FurtherSharing, Tlp};
    use kuroshio_share::markings::tlp_definition;
    use serde_json::json;

    fn p(s: &str) -> PartnerCode {
        PartnerCode::parse(s).unwrap()
    }

    #[test]
    fn only_definitions_as_every_node_writes_them_are_public() {
        let tlp = tlp_definition(Tlp::Amber);
        assert!(readable_definition(tlp.as_object().unwrap()).is_some());
        let mut wrong = tlp.clone();
        wrong["extensions"][TLP2_EXTENSION_ID]["tlp_2_0"] = json!("clear");
        assert!(readable_definition(wrong.as_object().unwrap()).is_none());
        let m = Marking::new(p("TW"), Tlp::Green, [p("JP")], FurtherSharing::Permitted);
        let (_, def) = releasability_definition(&m).unwrap();
        assert!(readable_definition(def.as_object().unwrap()).is_some());
        let mut renamed = def.clone();
        renamed["name"] = json!("Releasable to everyone");
        assert!(readable_definition(renamed.as_object().unwrap()).is_none());
        let tlp1 = json!({"type": "marking-definition", "id": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
            "definition_type": "tlp", "definition": {"tlp": "green"}});
        assert!(readable_definition(tlp1.as_object().unwrap()).is_none());
    }

    #[test]
    fn partners_send_marked_objects_only() {
        let keys = BTreeMap::new();
        let ctx = Admission {
            holder: p("TW"),
            partners: &[p("TW"), p("JP")],
            keys: &keys,
            definitions: HashMap::new(),
        };
        let plain = json!({"type": "note", "id": "note--1", "spec_version": "2.1",
            "created": "2020-01-01T00:00:00Z", "modified": "2020-01-02T00:00:00Z", "content": "x"});
        let local = admit(&plain, &Principal::Local("ann".into()), &ctx).unwrap();
        assert_eq!(local.version.as_ref().map(|v| v.0.as_str()), Some("2020-01-02T00:00:00Z"));
        assert!(
            matches!(&local.access, Access::Marked { marking, .. } if *marking == Marking::originator_only(p("TW")))
        );
        assert!(admit(&plain, &Principal::Partner(p("JP")), &ctx).is_err());
        // Presenting itself as a partner's object, it must resolve even from a local user.
        let mut claimed = plain.clone();
        claimed["created_by_ref"] = json!(kuroshio_share::markings::identity_id(p("JP")));
        assert!(admit(&claimed, &Principal::Local("ann".into()), &ctx).is_err());
        let mut signed = plain.clone();
        signed[kuroshio_share::sign::SIGNATURE_PROPERTY] = json!({"alg": "Ed25519"});
        assert!(admit(&signed, &Principal::Local("ann".into()), &ctx).is_err());
        assert!(
            admit(
                &json!({"type": "note", "id": "indicator--1"}),
                &Principal::Local("a".into()),
                &ctx
            )
            .is_err()
        );
        assert!(admit(&json!([1]), &Principal::Local("a".into()), &ctx).is_err());
    }
}
