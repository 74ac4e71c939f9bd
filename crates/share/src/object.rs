//! Objects a node holds for sharing: the STIX object as it goes on the wire, with its markings
//! resolved.
//!
//! A node's own object starts as a [`SharedObject`] — STIX properties, an object-level
//! [`Marking`] and granular markings on some of its fields — and becomes a [`Held`] object by
//! [`SharedObject::seal`]: `created_by_ref`, `object_marking_refs` and `granular_markings` are
//! written from the markings (see [`crate::markings`]) and the object is signed with the node's
//! key ([`crate::sign`]). An object received from a partner becomes a [`Held`] object by
//! [`Held::from_wire`], which resolves its marking references against the definitions the node
//! knows and refuses what it cannot resolve.

use std::collections::BTreeMap;

use kuroshio_model::{Marking, PartnerCode, Tlp};
use serde_json::{Map, Value, json};

use crate::ShareError;
use crate::markings::{
    Releasability, identity_id, marking_from_wire, parse_releasability, releasability_definition,
    tlp_definition_id, tlp_of_definition_id,
};
use crate::path;
use crate::sign::{NodeKey, sign};

/// STIX properties that every object needs: never under a granular marking of ours, and an
/// object whose marking would remove one is withheld whole.
pub const REQUIRED_PROPERTIES: [&str; 7] =
    ["type", "spec_version", "id", "created", "modified", "created_by_ref", "object_marking_refs"];

/// A marking on some fields of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GranularMarking {
    /// Property paths (`x_kuroshio_sensor`, `x_kuroshio_detail.band`); no list indices.
    pub selectors: Vec<String>,
    /// The marking of those fields, on top of the object's.
    pub marking: Marking,
}

/// One of the node's own objects before it is sealed.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedObject {
    /// The STIX object's properties (`type`, `spec_version`, `id`, `created`, `modified`, …),
    /// without markings, `created_by_ref` or signature: sealing writes those.
    pub body: Map<String, Value>,
    /// The object's marking; its originator is the node's partner.
    pub marking: Marking,
    /// Markings of single fields.
    pub granular: Vec<GranularMarking>,
}

/// An object as held for sharing: the wire form and its resolved markings.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The STIX object exactly as stored and sent (signed at origin).
    pub wire: Map<String, Value>,
    /// Its object-level marking.
    pub marking: Marking,
    /// Granular markings by selector (each the strictest of the markings on that selector).
    pub granular: BTreeMap<String, Marking>,
}

impl SharedObject {
    /// The marking definitions this object refers to, by id.
    pub fn definitions(&self) -> Result<BTreeMap<String, Value>, ShareError> {
        // A field's references name the strictest of the markings put on it.
        let mut fields: BTreeMap<&str, Marking> = BTreeMap::new();
        for g in &self.granular {
            for s in &g.selectors {
                match fields.get_mut(s.as_str()) {
                    Some(m) => *m = m.combine(&g.marking),
                    None => {
                        fields.insert(s, g.marking.clone());
                    }
                }
            }
        }
        let mut out = BTreeMap::new();
        for m in std::iter::once(&self.marking).chain(fields.values()) {
            let (id, def) = releasability_definition(m)?;
            out.insert(id, def);
            out.insert(
                tlp_definition_id(m.tlp()).to_owned(),
                crate::markings::tlp_definition(m.tlp()),
            );
        }
        Ok(out)
    }

    /// Writes the markings into the object and signs it with the originator's `key`.
    pub fn seal(&self, key: &NodeKey) -> Result<Held, ShareError> {
        let mut held = self.mark()?;
        sign(&mut held.wire, key).map_err(ShareError::Signature)?;
        Ok(held)
    }

    /// Writes the markings into the object, without signing it.
    pub fn mark(&self) -> Result<Held, ShareError> {
        let mut wire = self.body.clone();
        let id = wire.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        for p in [
            "created_by_ref",
            "object_marking_refs",
            "granular_markings",
            crate::sign::SIGNATURE_PROPERTY,
        ] {
            wire.remove(p);
        }
        wire.insert("created_by_ref".into(), json!(identity_id(self.marking.originator())));
        let (rel_id, _) = releasability_definition(&self.marking)?;
        wire.insert(
            "object_marking_refs".into(),
            json!([tlp_definition_id(self.marking.tlp()), rel_id]),
        );
        // Selectors in the order given, each with the strictest of the markings put on it.
        let mut order: Vec<&String> = Vec::new();
        let mut granular: BTreeMap<String, Marking> = BTreeMap::new();
        for g in &self.granular {
            for s in &g.selectors {
                if !path::is_property_path(s) || REQUIRED_PROPERTIES.contains(&s.as_str()) {
                    return Err(ShareError::Selector { object: id, selector: s.clone() });
                }
                if path::get(&wire, s).is_none() {
                    return Err(ShareError::Selector { object: id, selector: s.clone() });
                }
                match granular.get_mut(s) {
                    Some(m) => *m = m.combine(&g.marking),
                    None => {
                        order.push(s);
                        granular.insert(s.clone(), g.marking.clone());
                    }
                }
            }
        }
        // One TLP and one releasability reference per distinct field marking, so that a field
        // carries exactly one of each (what a receiver requires), however many markings were put
        // on it.
        let mut groups: Vec<(&Marking, Vec<&String>)> = Vec::new();
        for s in order {
            let Some(m) = granular.get(s) else { continue };
            match groups.iter_mut().find(|(g, _)| *g == m) {
                Some((_, sels)) => sels.push(s),
                None => groups.push((m, vec![s])),
            }
        }
        let mut granular_wire = Vec::new();
        for (m, sels) in groups {
            let (gid, _) = releasability_definition(m)?;
            granular_wire
                .push(json!({"marking_ref": tlp_definition_id(m.tlp()), "selectors": sels}));
            granular_wire.push(json!({"marking_ref": gid, "selectors": sels}));
        }
        if !granular_wire.is_empty() {
            wire.insert("granular_markings".into(), Value::Array(granular_wire));
        }
        Ok(Held { wire, marking: self.marking.clone(), granular })
    }
}

/// A marking definition as the node understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// One of the five TLP 2.0 definitions.
    Tlp(Tlp),
    /// An ACS 3.0 releasability definition.
    Releasability(Releasability),
}

impl Definition {
    /// Reads a marking definition; TLP ones are recognised by their fixed id.
    pub fn parse(def: &Value) -> Result<(String, Definition), ShareError> {
        let id = def.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        if let Some(t) = tlp_of_definition_id(&id) {
            return Ok((id, Definition::Tlp(t)));
        }
        Ok((id, Definition::Releasability(parse_releasability(def)?)))
    }
}

impl Held {
    /// Resolves a received object's markings: `object_marking_refs` must name exactly one TLP
    /// definition and one releasability definition, every granular marking must resolve, and
    /// `created_by_ref` must be a partner's identity.
    pub fn from_wire(
        wire: Map<String, Value>,
        definitions: &dyn Fn(&str) -> Option<Definition>,
        partners: &[PartnerCode],
    ) -> Result<Held, ShareError> {
        let id = wire.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let refused = |why: String| ShareError::Refused { object: id.clone(), why };
        let creator = wire.get("created_by_ref").and_then(Value::as_str).unwrap_or("");
        let originator = partners
            .iter()
            .copied()
            .find(|p| identity_id(*p) == creator)
            .ok_or_else(|| refused(format!("created_by_ref {creator:?} is not a partner")))?;
        let resolve = |refs: &[&str]| -> Result<(Option<Tlp>, Option<Releasability>), ShareError> {
            let (mut tlp, mut rel) = (None, None);
            for r in refs {
                match definitions(r) {
                    Some(Definition::Tlp(t)) if tlp.is_none() => tlp = Some(t),
                    Some(Definition::Releasability(x)) if rel.is_none() => rel = Some(x),
                    Some(_) => return Err(refused(format!("two markings of one kind ({r})"))),
                    None => return Err(refused(format!("unknown marking {r}"))),
                }
            }
            Ok((tlp, rel))
        };
        let refs: Vec<&str> = wire
            .get("object_marking_refs")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let (Some(tlp), Some(rel)) = resolve(&refs)? else {
            return Err(refused(
                "object_marking_refs lacks a TLP or a releasability marking".into(),
            ));
        };
        let marking = marking_from_wire(originator, tlp, &rel)?;
        let mut by_selector: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        if let Some(list) = wire.get("granular_markings") {
            let list = list.as_array().ok_or_else(|| refused("granular_markings".into()))?;
            for g in list {
                let r = g
                    .get("marking_ref")
                    .and_then(Value::as_str)
                    .ok_or_else(|| refused("marking_ref".into()))?;
                let sels = g
                    .get("selectors")
                    .and_then(Value::as_array)
                    .ok_or_else(|| refused("selectors".into()))?;
                for s in sels {
                    let s = s.as_str().ok_or_else(|| refused("selector".into()))?;
                    by_selector.entry(s.to_owned()).or_default().push(r);
                }
            }
        }
        let mut granular = BTreeMap::new();
        for (s, refs) in by_selector {
            if path::get(&wire, &s).is_none() {
                return Err(refused(format!("granular selector {s:?} names nothing")));
            }
            // A field's marking is the object's made stricter by every marking on the field.
            let (t, r) = resolve(&refs)?;
            let mut m = marking.clone();
            if let Some(t) = t {
                let only_tlp = Marking::new(
                    originator,
                    t,
                    marking.releasable_to().iter().copied(),
                    kuroshio_model::FurtherSharing::Permitted,
                );
                m = m.combine(&only_tlp);
            }
            if let Some(r) = r {
                m = m.combine(&marking_from_wire(originator, Tlp::Clear, &r)?);
            }
            granular.insert(s, m);
        }
        Ok(Held { wire, marking, granular })
    }
}

#[cfg(test)]
mod tests {
    use kuroshio_model::FurtherSharing;
    use serde_json::json;

    use super::*;

    fn p(s: &str) -> PartnerCode {
        PartnerCode::parse(s).unwrap()
    }

    /// Two markings put on one field, and one on another, survive marking and reading back: the
    /// wire form names one TLP and one releasability definition per field.
    #[test]
    fn several_markings_on_one_field_read_back_as_their_combination() {
        let body = json!({
            "type": "x-kuroshio-track", "spec_version": "2.1",
            "id": "x-kuroshio-track--6f1b8f2e-4a57-4c0e-9d9e-2c3c1b7a0e11",
            "created": "2026-12-04T00:00:00.000Z", "modified": "2026-12-04T00:00:00.000Z",
            "x_kuroshio_sensor": "radar 3", "x_kuroshio_platform": "P-3C"
        });
        let all = [p("JP"), p("US"), p("TW")];
        let object = Marking::new(p("JP"), Tlp::Green, all, FurtherSharing::Permitted);
        let amber_jp_us =
            Marking::new(p("JP"), Tlp::Amber, [p("JP"), p("US")], FurtherSharing::Permitted);
        let green_jp_tw =
            Marking::new(p("JP"), Tlp::Green, [p("JP"), p("TW")], FurtherSharing::Permitted);
        let shared = SharedObject {
            body: body.as_object().unwrap().clone(),
            marking: object.clone(),
            granular: vec![
                GranularMarking {
                    selectors: vec!["x_kuroshio_sensor".into(), "x_kuroshio_platform".into()],
                    marking: amber_jp_us.clone(),
                },
                GranularMarking {
                    selectors: vec!["x_kuroshio_sensor".into()],
                    marking: green_jp_tw.clone(),
                },
            ],
        };
        let held = shared.mark().unwrap();
        let sensor = amber_jp_us.combine(&green_jp_tw);
        assert_eq!(held.granular.get("x_kuroshio_sensor"), Some(&sensor));
        assert_eq!(held.granular.get("x_kuroshio_platform"), Some(&amber_jp_us));
        // Two fields with different markings: two pairs of references.
        let refs = held.wire["granular_markings"].as_array().unwrap();
        assert_eq!(refs.len(), 4, "{refs:?}");

        let defs = shared.definitions().unwrap();
        let lookup = |id: &str| defs.get(id).and_then(|d| Definition::parse(d).ok()).map(|x| x.1);
        let back = Held::from_wire(held.wire.clone(), &lookup, &all).unwrap();
        assert_eq!(back.marking, object);
        // What the receiver judges a field by: the object's marking made stricter by the field's.
        assert_eq!(back.granular.get("x_kuroshio_sensor"), Some(&object.combine(&sensor)));
        assert_eq!(back.granular.get("x_kuroshio_platform"), Some(&object.combine(&amber_jp_us)));
    }
}
