//! Signatures at origin that survive field redaction.
//!
//! The originating node signs each object with its Ed25519 key over the object's canonical
//! JSON (RFC 8785, JSON Canonicalization Scheme). Relays pass the object on unchanged and do not
//! re-sign; receivers check it against the originator's public key.
//!
//! Fields under granular markings may be removed on the way to a partner that may not see them,
//! so they are not signed directly. Each such field `s` is committed to by a digest
//! `SHA-256(salt_s ‖ JCS(value))` (the value without any fields inside it that are committed to
//! on their own) with a 32-byte salt derived from the node's secret key, the
//! object id and the selector (unguessable to anyone else, so a digest of a short value such as
//! a sensor name reveals nothing). The signature covers the object without those fields and
//! without `granular_markings`, together with the list of `(selector, digest, marking refs)`.
//! A full copy carries the salts; removing a field removes its salt and its granular markings,
//! and the signature still verifies.
//!
//! The signature travels in the object as the top-level property [`SIGNATURE_PROPERTY`],
//! declared by the extension [`SIGNATURE_EXTENSION_ID`]:
//!
//! ```json
//! "x_kuroshio_signature": {
//!   "alg": "Ed25519",
//!   "fields": [{"selector": "x_kuroshio_sensor", "digest": "<hex>", "marking_refs": ["marking-definition--…"]}],
//!   "salts": {"x_kuroshio_sensor": "<hex>"},
//!   "value": "<hex of the 64-byte signature>"
//! }
//! ```

use std::collections::{BTreeMap, BTreeSet};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::path;

/// The property that carries the signature.
pub const SIGNATURE_PROPERTY: &str = "x_kuroshio_signature";

/// The STIX `toplevel-property-extension` that declares [`SIGNATURE_PROPERTY`]; every signed
/// object lists it in its `extensions`, so that the property is a declared one rather than an
/// ad-hoc custom property. Its definition and schema are published with the STIX mapping.
pub const SIGNATURE_EXTENSION_ID: &str =
    "extension-definition--c44bbdb5-6557-407f-b674-8c3bcc67ed9d";

/// The algorithm name written in the signature.
pub const ALGORITHM: &str = "Ed25519";

/// Why an object's signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The object carries no signature.
    #[error("no {SIGNATURE_PROPERTY}")]
    Missing,
    /// The signature property is not in the form above.
    #[error("malformed signature: {0}")]
    Malformed(String),
    /// A field present in the object does not match its signed digest, or has no salt.
    #[error("field {selector:?} does not match its signed digest")]
    Field {
        /// The field's selector.
        selector: String,
    },
    /// A granular marking applies to a selector the signature does not list with that marking.
    #[error("granular marking {marking_ref} on {selector:?} is not signed")]
    UnsignedMarking {
        /// The selector.
        selector: String,
        /// The marking definition referenced.
        marking_ref: String,
    },
    /// A signed field is present without the granular markings it was signed with.
    #[error("field {selector:?} has lost a granular marking it was signed with")]
    MarkingRemoved {
        /// The selector.
        selector: String,
    },
    /// The Ed25519 check failed: the object was changed after signing, or another key signed it.
    #[error("Ed25519 signature does not verify")]
    Invalid,
    /// The object cannot be put in canonical form.
    #[error("canonical JSON: {0}")]
    Canonical(String),
}

/// A node's signing key.
pub struct NodeKey {
    key: SigningKey,
}

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeKey(public {})", hex(&self.public()))
    }
}

impl NodeKey {
    /// The key whose 32-byte Ed25519 secret is `secret` (read from the node's key file; the
    /// node generates it from the operating system's random source).
    pub fn from_secret(secret: [u8; 32]) -> NodeKey {
        NodeKey { key: SigningKey::from_bytes(&secret) }
    }

    /// The 32-byte public key partners verify with.
    pub fn public(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    fn salt(&self, object_id: &str, selector: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"kuroshio field salt\0");
        h.update(self.key.to_bytes());
        h.update(object_id.as_bytes());
        h.update([0]);
        h.update(selector.as_bytes());
        h.finalize().into()
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The bytes of lower-case or upper-case hex text.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.as_bytes().chunks(2).map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?)).collect()
}

fn canonical(v: &Value) -> Result<Vec<u8>, SignatureError> {
    serde_json_canonicalizer::to_vec(v).map_err(|e| SignatureError::Canonical(e.to_string()))
}

/// The value `selector` names in `object`, without the fields inside it that are signed on
/// their own (`others`), so that removing one of those leaves this digest intact.
fn field_value(
    object: &Map<String, Value>,
    selector: &str,
    others: &BTreeSet<String>,
) -> Option<Value> {
    let value = path::get(object, selector)?;
    let inside = format!("{selector}.");
    let nested: Vec<&str> = others.iter().filter_map(|o| o.strip_prefix(&inside)).collect();
    if nested.is_empty() {
        return Some(value.clone());
    }
    let mut wrapper = Map::new();
    wrapper.insert("v".to_owned(), value.clone());
    for n in nested {
        path::remove(&mut wrapper, &format!("v.{n}"));
    }
    wrapper.remove("v")
}

fn field_digest(salt: &[u8], value: &Value) -> Result<String, SignatureError> {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(canonical(value)?);
    Ok(hex(&h.finalize()))
}

/// The message signed: the object without the signed-by-digest fields, without
/// `granular_markings`, with the envelope's `alg` and `fields` only.
fn message(
    object: &Map<String, Value>,
    selectors: &BTreeSet<String>,
    envelope: Value,
) -> Result<Vec<u8>, SignatureError> {
    let mut stripped = object.clone();
    stripped.remove("granular_markings");
    stripped.remove(SIGNATURE_PROPERTY);
    for s in selectors {
        path::remove(&mut stripped, s);
    }
    stripped.insert(SIGNATURE_PROPERTY.to_owned(), envelope);
    canonical(&Value::Object(stripped))
}

/// The granular markings of `object`: selector → marking refs.
fn granular(
    object: &Map<String, Value>,
) -> Result<BTreeMap<String, BTreeSet<String>>, SignatureError> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Some(list) = object.get("granular_markings") else { return Ok(out) };
    let bad = || SignatureError::Malformed("granular_markings".into());
    for g in list.as_array().ok_or_else(bad)? {
        let r = g.get("marking_ref").and_then(Value::as_str).ok_or_else(bad)?;
        for s in g.get("selectors").and_then(Value::as_array).ok_or_else(bad)? {
            out.entry(s.as_str().ok_or_else(bad)?.to_owned()).or_default().insert(r.to_owned());
        }
    }
    Ok(out)
}

/// Signs `object` in place with `key`: its granular-marked fields by salted digest, the rest
/// directly. Any earlier signature is replaced.
pub fn sign(object: &mut Map<String, Value>, key: &NodeKey) -> Result<(), SignatureError> {
    object.remove(SIGNATURE_PROPERTY);
    let extensions = object
        .entry("extensions")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| SignatureError::Malformed("extensions is not an object".into()))?;
    extensions.insert(
        SIGNATURE_EXTENSION_ID.to_owned(),
        json!({ "extension_type": "toplevel-property-extension" }),
    );
    let id = object.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let marked = granular(object)?;
    let selectors: BTreeSet<String> = marked.keys().cloned().collect();
    let mut fields = Vec::with_capacity(marked.len());
    let mut salts = Map::new();
    for (selector, refs) in &marked {
        let value = field_value(object, selector, &selectors).ok_or_else(|| {
            SignatureError::Malformed(format!("granular selector {selector:?} names nothing"))
        })?;
        let salt = key.salt(&id, selector);
        fields.push(json!({
            "selector": selector,
            "digest": field_digest(&salt, &value)?,
            "marking_refs": refs,
        }));
        salts.insert(selector.clone(), Value::String(hex(&salt)));
    }
    let envelope = json!({ "alg": ALGORITHM, "fields": fields });
    let signature = key.key.sign(&message(object, &selectors, envelope.clone())?);
    let mut full = envelope;
    if let Some(env) = full.as_object_mut() {
        env.insert("salts".into(), Value::Object(salts));
        env.insert("value".into(), Value::String(hex(&signature.to_bytes())));
    }
    object.insert(SIGNATURE_PROPERTY.to_owned(), full);
    Ok(())
}

/// Checks `object`'s signature against the originator's public key.
pub fn verify(object: &Map<String, Value>, public: &[u8; 32]) -> Result<(), SignatureError> {
    let env = object.get(SIGNATURE_PROPERTY).ok_or(SignatureError::Missing)?;
    let bad = |what: &str| SignatureError::Malformed(what.to_owned());
    let env = env.as_object().ok_or_else(|| bad("not an object"))?;
    if env.get("alg").and_then(Value::as_str) != Some(ALGORITHM) {
        return Err(bad("alg"));
    }
    let fields = env.get("fields").and_then(Value::as_array).ok_or_else(|| bad("fields"))?;
    let empty = Map::new();
    let salts = match env.get("salts") {
        Some(s) => s.as_object().ok_or_else(|| bad("salts"))?,
        None => &empty,
    };
    let mut signed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut digests: Vec<(&str, &str)> = Vec::with_capacity(fields.len());
    for f in fields {
        let selector = f.get("selector").and_then(Value::as_str).ok_or_else(|| bad("selector"))?;
        let digest = f.get("digest").and_then(Value::as_str).ok_or_else(|| bad("digest"))?;
        let refs = f.get("marking_refs").and_then(Value::as_array).ok_or_else(|| bad("refs"))?;
        let refs: Option<BTreeSet<String>> =
            refs.iter().map(|r| r.as_str().map(str::to_owned)).collect();
        if signed.insert(selector.to_owned(), refs.ok_or_else(|| bad("refs"))?).is_some() {
            return Err(bad("a selector listed twice"));
        }
        digests.push((selector, digest));
    }
    let selectors: BTreeSet<String> = signed.keys().cloned().collect();
    for (selector, digest) in digests {
        if let Some(value) = field_value(object, selector, &selectors) {
            let salt = salts
                .get(selector)
                .and_then(Value::as_str)
                .and_then(unhex)
                .ok_or_else(|| SignatureError::Field { selector: selector.to_owned() })?;
            if field_digest(&salt, &value)? != digest {
                return Err(SignatureError::Field { selector: selector.to_owned() });
            }
        }
    }
    let marked = granular(object)?;
    for (selector, refs) in &signed {
        let present = path::get(object, selector).is_some();
        if present && !marked.get(selector).is_some_and(|m| m.is_superset(refs)) {
            return Err(SignatureError::MarkingRemoved { selector: selector.clone() });
        }
    }
    for (selector, refs) in marked {
        for r in refs {
            if !signed.get(&selector).is_some_and(|s| s.contains(&r)) {
                return Err(SignatureError::UnsignedMarking { selector, marking_ref: r });
            }
        }
    }
    let sig_bytes = env
        .get("value")
        .and_then(Value::as_str)
        .and_then(unhex)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or_else(|| bad("value"))?;
    let key = VerifyingKey::from_bytes(public).map_err(|_| SignatureError::Invalid)?;
    let envelope = json!({ "alg": ALGORITHM, "fields": fields });
    key.verify(&message(object, &selectors, envelope)?, &Signature::from_bytes(&sig_bytes))
        .map_err(|_| SignatureError::Invalid)
}

/// Removes the field `selector` names from a signed object as a redaction: the field, the
/// salts of it and of the fields inside it, and those selectors from every granular marking
/// (markings left with no selector go). The signature still verifies. `false` when the
/// selector names nothing removable.
pub fn redact(object: &mut Map<String, Value>, selector: &str) -> bool {
    if !path::remove(object, selector) {
        return false;
    }
    let inside = format!("{selector}.");
    let gone = |s: &str| s == selector || s.starts_with(&inside);
    if let Some(salts) = object
        .get_mut(SIGNATURE_PROPERTY)
        .and_then(|e| e.get_mut("salts"))
        .and_then(Value::as_object_mut)
    {
        salts.retain(|s, _| !gone(s));
    }
    let mut now_empty = false;
    if let Some(list) = object.get_mut("granular_markings").and_then(Value::as_array_mut) {
        list.retain_mut(|g| {
            if let Some(sel) = g.get_mut("selectors").and_then(Value::as_array_mut) {
                sel.retain(|s| !s.as_str().is_some_and(gone));
                !sel.is_empty()
            } else {
                true
            }
        });
        now_empty = list.is_empty();
    }
    if now_empty {
        object.remove("granular_markings");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object() -> Map<String, Value> {
        json!({
            "type": "sighting",
            "id": "sighting--6b0e3856-95f4-4fc0-9a0b-7a2a3d4f5a11",
            "count": 3,
            "x_kuroshio_sensor": "radar-7",
            "x_kuroshio_detail": {"band": "S", "range_nm": 42},
            "granular_markings": [
                {"marking_ref": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
                 "selectors": ["x_kuroshio_sensor", "x_kuroshio_detail.band"]}
            ]
        })
        .as_object()
        .cloned()
        .unwrap()
    }

    #[test]
    fn signed_objects_verify_before_and_after_redaction_and_not_after_tampering() {
        let key = NodeKey::from_secret([7; 32]);
        let other = NodeKey::from_secret([8; 32]);
        let mut o = object();
        sign(&mut o, &key).unwrap();
        verify(&o, &key.public()).unwrap();
        assert_eq!(verify(&o, &other.public()), Err(SignatureError::Invalid));

        let mut r = o.clone();
        assert!(redact(&mut r, "x_kuroshio_sensor"));
        assert!(r.get("x_kuroshio_sensor").is_none());
        verify(&r, &key.public()).unwrap();
        assert!(redact(&mut r, "x_kuroshio_detail.band"));
        assert!(r.get("granular_markings").is_none());
        verify(&r, &key.public()).unwrap();

        let mut t = o.clone();
        t.insert("count".into(), json!(4));
        assert_eq!(verify(&t, &key.public()), Err(SignatureError::Invalid));
        let mut t = o.clone();
        t.insert("x_kuroshio_sensor".into(), json!("radar-8"));
        assert!(matches!(verify(&t, &key.public()), Err(SignatureError::Field { .. })));
        // Dropping a granular marking without dropping its field is a change of the object.
        let mut t = o.clone();
        t.remove("granular_markings");
        assert!(matches!(verify(&t, &key.public()), Err(SignatureError::MarkingRemoved { .. })));
        // Adding an unsigned granular marking is refused.
        let mut t = o.clone();
        t["granular_markings"].as_array_mut().unwrap().push(
            json!({"marking_ref": "marking-definition--x", "selectors": ["x_kuroshio_sensor"]}),
        );
        assert!(matches!(verify(&t, &key.public()), Err(SignatureError::UnsignedMarking { .. })));
        let mut t = o;
        t.remove(SIGNATURE_PROPERTY);
        assert_eq!(verify(&t, &key.public()), Err(SignatureError::Missing));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000fFF"), Some(vec![0, 15, 255]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }
}
