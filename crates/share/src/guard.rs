//! The egress guard: an independent check of every payload before it leaves the node.
//!
//! [`crate::policy::visible`] decides what a partner sees; the guard does not trust it. It reads
//! the payload as the partner will — JSON text, a STIX bundle or a list of objects — resolves
//! every marking reference itself, and applies the releasability rule to the wire form alone:
//!
//! - every object other than a marking definition names its originator (`created_by_ref`, a
//!   known partner identity) and has exactly one TLP 2.0 marking and one ACS 3.0 releasability
//!   marking in `object_marking_refs`;
//! - the receiving partner's nationality is permitted, and so is the sending node's; a node
//!   that is not the originator sends only what allows further sharing to that nationality at
//!   TLP CLEAR, GREEN or AMBER;
//! - every granular marking resolves, every selector names a field that is present, and each
//!   such field passes the same test under the object's markings made stricter by its own;
//! - with [`GuardConfig::require_signature`], every object carries a signature;
//! - the only unmarked objects allowed are marking definitions and the public metadata named in
//!   [`GuardConfig::public_ids`] (extension definitions and their publisher).
//!
//! Anything it cannot read — malformed JSON, an unknown or dangling marking, an unknown
//! originator, a marking definition it does not understand — refuses the whole payload: the
//! guard fails closed. It shares no code with the policy beyond reading marking definitions
//! ([`crate::markings`]).

use std::collections::{BTreeSet, HashMap};

use kuroshio_model::{PartnerCode, Tlp};
use serde_json::{Map, Value};

use crate::markings::{
    Releasability, TLP2_EXTENSION_ID, identity_id, parse_releasability, tlp_of_definition_id,
    tlp_of_value,
};
use crate::nationality::nationality;
use crate::path;
use crate::sign::SIGNATURE_PROPERTY;

/// Largest payload the guard reads, bytes: a TAXII page is far smaller; anything larger is
/// refused rather than parsed.
pub const PAYLOAD_BYTES_MAX: usize = 64 << 20;

/// Why the guard refused a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// The payload is not JSON, or not a bundle or list of objects.
    #[error("payload unreadable: {0}")]
    Unreadable(String),
    /// The payload is larger than [`PAYLOAD_BYTES_MAX`].
    #[error("payload of {bytes} bytes is over the guard's limit")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// The sending node's or the receiver's partner code has no nationality.
    #[error("partner {0} has no nationality; nothing can be sent")]
    NoNationality(PartnerCode),
    /// An object may not go to this partner.
    #[error("object {object}: {why}")]
    Refused {
        /// The object's id (empty when it has none).
        object: String,
        /// What is wrong.
        why: String,
    },
}

/// What the guard knows about the federation.
#[derive(Debug, Clone)]
pub struct GuardConfig {
    /// The partner whose node sends.
    pub holder: PartnerCode,
    /// The federation's partners (their identities are derived from their codes).
    pub partners: Vec<PartnerCode>,
    /// Refuse objects without a signature.
    pub require_signature: bool,
    /// Ids of public metadata that passes unmarked: the published extension definitions and
    /// their publisher's identity. Only `extension-definition` and `identity` objects qualify.
    pub public_ids: BTreeSet<String>,
}

#[derive(Debug, Clone)]
enum Def {
    Tlp(Tlp),
    Rel(Releasability),
}

/// The markings in force on an object or a field, in wire terms.
#[derive(Debug, Clone)]
struct Effective {
    tlp: Tlp,
    nationalities: Option<BTreeSet<String>>,
    further: Option<BTreeSet<String>>,
}

fn meet(a: &Option<BTreeSet<String>>, b: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    let b_all = b.contains("ALL");
    Some(match a {
        None => b.clone(),
        Some(a) if b_all => a.clone(),
        Some(a) if a.contains("ALL") => b.clone(),
        Some(a) => a.intersection(b).cloned().collect(),
    })
}

fn has(set: &Option<BTreeSet<String>>, n: &str) -> bool {
    set.as_ref().is_some_and(|s| s.contains("ALL") || s.contains(n))
}

/// The egress guard of one node.
#[derive(Debug, Clone)]
pub struct EgressGuard {
    holder_nationality: String,
    identities: HashMap<String, String>,
    definitions: HashMap<String, Def>,
    require_signature: bool,
    public_ids: BTreeSet<String>,
}

impl EgressGuard {
    /// A guard for the node `config` describes.
    pub fn new(config: &GuardConfig) -> Result<EgressGuard, GuardError> {
        let holder_nationality =
            nationality(config.holder).ok_or(GuardError::NoNationality(config.holder))?;
        let mut identities = HashMap::new();
        for p in &config.partners {
            if let Some(n) = nationality(*p) {
                identities.insert(identity_id(*p), n);
            }
        }
        Ok(EgressGuard {
            holder_nationality,
            identities,
            definitions: HashMap::new(),
            require_signature: config.require_signature,
            public_ids: config.public_ids.clone(),
        })
    }

    /// Teaches the guard a marking definition the node holds (payloads may refer to it without
    /// carrying it). A definition it cannot read is refused.
    pub fn learn(&mut self, definition: &Value) -> Result<(), GuardError> {
        let (id, def) = read_definition(definition)?;
        self.definitions.insert(id, def);
        Ok(())
    }

    /// Checks a payload as bytes (a STIX bundle, a TAXII envelope with `objects`, or a JSON
    /// list of objects) for partner `peer`; the number of objects checked.
    pub fn check_bytes(&self, payload: &[u8], peer: PartnerCode) -> Result<usize, GuardError> {
        if payload.len() > PAYLOAD_BYTES_MAX {
            return Err(GuardError::TooLarge { bytes: payload.len() });
        }
        let v: Value =
            serde_json::from_slice(payload).map_err(|e| GuardError::Unreadable(e.to_string()))?;
        let objects = match &v {
            Value::Array(a) => a,
            Value::Object(o) => match o.get("objects") {
                Some(Value::Array(a)) => a,
                None if o.get("type").and_then(Value::as_str) == Some("bundle") => return Ok(0),
                None if !o.contains_key("type") => return Ok(0),
                _ => return Err(GuardError::Unreadable("no objects list".into())),
            },
            _ => return Err(GuardError::Unreadable("not a bundle or a list".into())),
        };
        self.check(objects, peer)
    }

    /// Checks objects for partner `peer`; the number checked.
    pub fn check(&self, objects: &[Value], peer: PartnerCode) -> Result<usize, GuardError> {
        let peer_n = nationality(peer).ok_or(GuardError::NoNationality(peer))?;
        let mut local: HashMap<String, Def> = HashMap::new();
        for o in objects {
            if o.get("type").and_then(Value::as_str) == Some("marking-definition") {
                let (id, def) = read_definition(o)?;
                local.insert(id, def);
            }
        }
        let lookup = |id: &str| local.get(id).or_else(|| self.definitions.get(id));
        for o in objects {
            let obj = o
                .as_object()
                .ok_or_else(|| GuardError::Unreadable("an item is not an object".into()))?;
            let kind = obj.get("type").and_then(Value::as_str);
            if kind == Some("marking-definition") {
                continue;
            }
            let id = obj.get("id").and_then(Value::as_str).unwrap_or("");
            if matches!(kind, Some("extension-definition" | "identity"))
                && self.public_ids.contains(id)
            {
                continue;
            }
            self.check_object(obj, &peer_n, &lookup)?;
        }
        Ok(objects.len())
    }

    fn check_object<'a>(
        &self,
        obj: &Map<String, Value>,
        peer_n: &str,
        lookup: &dyn Fn(&str) -> Option<&'a Def>,
    ) -> Result<(), GuardError> {
        let id = obj.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let refuse = |why: String| GuardError::Refused { object: id.clone(), why };
        let creator = obj.get("created_by_ref").and_then(Value::as_str).unwrap_or("");
        let origin_n = self
            .identities
            .get(creator)
            .ok_or_else(|| refuse(format!("originator {creator:?} is not a known partner")))?;
        if self.require_signature && !obj.contains_key(SIGNATURE_PROPERTY) {
            return Err(refuse("not signed".into()));
        }
        let refs = obj
            .get("object_marking_refs")
            .and_then(Value::as_array)
            .ok_or_else(|| refuse("no object_marking_refs".into()))?;
        let (mut tlp, mut rel): (Option<Tlp>, Option<&Releasability>) = (None, None);
        for r in refs {
            let r = r.as_str().ok_or_else(|| refuse("a marking ref is not a string".into()))?;
            match lookup(r) {
                Some(Def::Tlp(t)) if tlp.is_none() => tlp = Some(*t),
                Some(Def::Rel(x)) if rel.is_none() => rel = Some(x),
                Some(_) => return Err(refuse(format!("a second marking of one kind: {r}"))),
                None => return Err(refuse(format!("unknown marking {r}"))),
            }
        }
        let (Some(tlp), Some(rel)) = (tlp, rel) else {
            return Err(refuse("needs one TLP and one releasability marking".into()));
        };
        let object_level = Effective {
            tlp,
            nationalities: Some(rel.nationalities.clone()),
            further: Some(rel.further_sharing.clone()),
        };
        self.judge(&object_level, origin_n, peer_n).map_err(|why| refuse(why.to_owned()))?;

        let Some(granular) = obj.get("granular_markings") else { return Ok(()) };
        let granular = granular.as_array().ok_or_else(|| refuse("granular_markings".into()))?;
        let mut fields: HashMap<&str, Effective> = HashMap::new();
        for g in granular {
            let r = g
                .get("marking_ref")
                .and_then(Value::as_str)
                .ok_or_else(|| refuse("a granular marking without marking_ref".into()))?;
            let def = lookup(r).ok_or_else(|| refuse(format!("unknown granular marking {r}")))?;
            let selectors = g
                .get("selectors")
                .and_then(Value::as_array)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| refuse("a granular marking without selectors".into()))?;
            for s in selectors {
                let s = s.as_str().ok_or_else(|| refuse("a selector is not a string".into()))?;
                if path::get(obj, s).is_none() {
                    return Err(refuse(format!("selector {s:?} names nothing")));
                }
                let e = fields.entry(s).or_insert_with(|| object_level.clone());
                match def {
                    Def::Tlp(t) => e.tlp = e.tlp.max(*t),
                    Def::Rel(x) => {
                        e.nationalities = meet(&e.nationalities, &x.nationalities);
                        e.further = meet(&e.further, &x.further_sharing);
                    }
                }
            }
        }
        for (s, e) in &fields {
            self.judge(e, origin_n, peer_n).map_err(|why| refuse(format!("field {s:?}: {why}")))?;
        }
        Ok(())
    }

    /// The releasability rule on wire terms.
    fn judge(&self, e: &Effective, origin_n: &str, peer_n: &str) -> Result<(), &'static str> {
        if !has(&e.nationalities, peer_n) {
            return Err("not releasable to the receiving partner");
        }
        if !has(&e.nationalities, &self.holder_nationality) {
            return Err("not releasable to the sending node's partner");
        }
        if origin_n == self.holder_nationality || peer_n == self.holder_nationality {
            return Ok(());
        }
        if !matches!(e.tlp, Tlp::Clear | Tlp::Green | Tlp::Amber) {
            return Err("only the originator may send an object at this TLP level");
        }
        if !has(&e.further, peer_n) {
            return Err("further sharing to the receiving partner is not permitted");
        }
        Ok(())
    }
}

/// Reads one marking definition: a TLP 2.0 one must be exactly as published (fixed id and the
/// same level in its `tlp_2_0` property), anything else must be an ACS 3.0 releasability
/// definition.
fn read_definition(def: &Value) -> Result<(String, Def), GuardError> {
    let id = def.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let refuse = |why: String| GuardError::Refused { object: id.clone(), why };
    if let Some(t) = tlp_of_definition_id(&id) {
        let v = def
            .get("extensions")
            .and_then(|e| e.get(TLP2_EXTENSION_ID))
            .and_then(|e| e.get("tlp_2_0"))
            .and_then(Value::as_str)
            .and_then(tlp_of_value);
        if v != Some(t) {
            return Err(refuse("a TLP 2.0 id with other content".into()));
        }
        return Ok((id, Def::Tlp(t)));
    }
    let rel = parse_releasability(def).map_err(|e| refuse(e.to_string()))?;
    Ok((id, Def::Rel(rel)))
}
