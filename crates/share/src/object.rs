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
        let mut out = BTreeMap::new();
        for m in std::iter::once(&self.marking).chain(self.granular.iter().map(|g| &g.marking)) {
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
        let mut granular_wire = Vec::new();
        let mut granular = BTreeMap::new();
        for g in &self.granular {
            for s in &g.selectors {
                if !path::is_property_path(s) || REQUIRED_PROPERTIES.contains(&s.as_str()) {
                    return Err(ShareError::Selector { object: id, selector: s.clone() });
                }
                if path::get(&wire, s).is_none() {
                    return Err(ShareError::Selector { object: id, selector: s.clone() });
                }
                let m: &mut Marking =
                    granular.entry(s.clone()).or_insert_with(|| g.marking.clone());
                *m = m.combine(&g.marking);
            }
            let (gid, _) = releasability_definition(&g.marking)?;
            granular_wire.push(json!({"marking_ref": tlp_definition_id(g.marking.tlp()), "selectors": g.selectors}));
            granular_wire.push(json!({"marking_ref": gid, "selectors": g.selectors}));
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
