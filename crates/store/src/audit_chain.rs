//! The audit log's hash chain: how each record's hash is computed, and how a log is verified.
//!
//! Every stored [`AuditRecord`] carries `hash`, the SHA-256 (FIPS 180-4) of the previous
//! record's hash followed by the record's own canonical encoding:
//!
//! ```text
//! hash(1) = SHA-256( [0u8; 32]  || encode(record 1) )
//! hash(n) = SHA-256( hash(n-1)  || encode(record n) )
//! ```
//!
//! So a record's hash covers every record before it: changing, inserting or removing any record
//! changes the hash of every later one. Both stores compute it with [`append_hash`] inside the
//! transaction that inserts the record (after reading the previous record's hash in that same
//! transaction), and [`verify`] recomputes it from what the store returns.
//!
//! # Canonical encoding (version 1)
//!
//! All integers are big-endian; lengths and counts are unsigned 64-bit.
//!
//! ```text
//! encode(record) = u64(seq)
//!               || i64(time_ns)            nanoseconds since 1970-01-01T00:00:00Z, two's complement
//!               || str(actor)
//!               || str(action)
//!               || opt(object_id)
//!               || opt(peer)               the partner code's text (`JP`, `US`, …)
//!               || map(detail)
//!
//! str(s)  = u64(byte length of s in UTF-8) || the UTF-8 bytes
//! opt(x)  = 0x00                           when absent
//!         | 0x01 || str(x)                 when present
//! map(m)  = u64(member count) || for each member, keys in ascending order of their UTF-8
//!           bytes (compared byte by byte, a prefix first): str(key) || value(v)
//! value(v) =
//!     0x00                                 null
//!     0x01                                 false
//!     0x02                                 true
//!     0x03 || u64(n)                       an integer 0 ..= 2^64-1
//!     0x04 || i64(n)                       an integer -2^63 ..= -1
//!     0x05 || u64(IEEE-754 binary64 bits)  any other number: one written with a fraction or an
//!                                          exponent, or an integer outside both ranges
//!                                          (as the nearest double; `-0` is the double -0.0)
//!     0x06 || str(s)                       a string (JSON escapes resolved)
//!     0x07 || u64(count) || value(item)…   an array, in order
//!     0x08 || map(m)                       an object
//! ```
//!
//! Every field is either fixed-size, tagged or length-prefixed, so two different records never
//! encode to the same bytes. The detail object is encoded from its JSON value, not its text:
//! whitespace and member order in the stored text do not matter. The append path hashes the
//! detail as parsed back from the very text it stores, so the hash matches what a reader of the
//! store parses.
//!
//! # What verification can and cannot see
//!
//! [`verify`] finds the first record whose stored hash differs from the one recomputed from
//! its fields and its predecessor's hash (a changed field, or a record rewritten without the
//! records after it), the first gap in the sequence numbers (a removed record), and records
//! the store can no longer read. Removing records from the end leaves a shorter chain that is
//! still valid: only an [`Anchor`] kept elsewhere (the sequence number and hash of a record,
//! e.g. from `kuroshio audit head`) shows that the log once went further, or said something
//! else at that record.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::api::{AuditEntry, AuditRecord, CheckReport, Store, StoreError};

/// A record's chain hash: SHA-256, 32 bytes.
pub type AuditHash = [u8; 32];

/// The "previous hash" of the first record.
pub const GENESIS_HASH: AuditHash = [0; 32];

/// Records read per page by [`verify`]: bounds the memory a verification holds (a record is a
/// few hundred bytes, so about a few MB) while keeping the round trips to the store few.
pub const VERIFY_PAGE_ROWS: usize = 10_000;

/// Appends `s` as `str(s)`.
fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Appends `x` as `opt(x)`.
fn put_opt(out: &mut Vec<u8>, x: Option<&str>) {
    match x {
        None => out.push(0x00),
        Some(s) => {
            out.push(0x01);
            put_str(out, s);
        }
    }
}

/// Appends an object's members as `map(m)`, keys in byte order whatever the map's own order.
fn put_map<'a>(out: &mut Vec<u8>, members: impl Iterator<Item = (&'a String, &'a Value)>) {
    let mut members: Vec<(&String, &Value)> = members.collect();
    members.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out.extend_from_slice(&(members.len() as u64).to_be_bytes());
    for (k, v) in members {
        put_str(out, k);
        put_value(out, v);
    }
}

/// Appends `value(v)`.
fn put_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.push(0x00),
        Value::Bool(false) => out.push(0x01),
        Value::Bool(true) => out.push(0x02),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(0x03);
                out.extend_from_slice(&u.to_be_bytes());
            } else if let Some(i) = n.as_i64() {
                out.push(0x04);
                out.extend_from_slice(&i.to_be_bytes());
            } else {
                // Without serde_json's `arbitrary_precision` (not enabled here) every number
                // has an f64 value; the fallback only keeps this total.
                let f = n.as_f64().unwrap_or(f64::NAN);
                out.push(0x05);
                out.extend_from_slice(&f.to_bits().to_be_bytes());
            }
        }
        Value::String(s) => {
            out.push(0x06);
            put_str(out, s);
        }
        Value::Array(items) => {
            out.push(0x07);
            out.extend_from_slice(&(items.len() as u64).to_be_bytes());
            for item in items {
                put_value(out, item);
            }
        }
        Value::Object(m) => {
            out.push(0x08);
            put_map(out, m.iter());
        }
    }
}

/// The canonical encoding of a record (see the module docs).
pub fn encode(seq: u64, entry: &AuditEntry) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&entry.time.unix_nanos().to_be_bytes());
    put_str(&mut out, &entry.actor);
    put_str(&mut out, &entry.action);
    put_opt(&mut out, entry.object_id.as_deref());
    put_opt(&mut out, entry.peer.as_ref().map(|p| p.as_str()));
    put_map(&mut out, entry.detail.iter());
    out
}

/// The hash of record `seq` holding `entry`, after a record whose hash is `prev`
/// ([`GENESIS_HASH`] for record 1).
pub fn chain_hash(prev: &AuditHash, seq: u64, entry: &AuditEntry) -> AuditHash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(encode(seq, entry));
    h.finalize().into()
}

/// What a store writes for a new record: the detail as JSON text (the column's content) and
/// the record's hash, computed over the detail parsed back from that text, exactly as a
/// reader of the store will see it.
pub fn append_hash(
    prev: &AuditHash,
    seq: u64,
    entry: &AuditEntry,
) -> Result<(String, AuditHash), StoreError> {
    let detail_json = serde_json::to_string(&entry.detail)
        .map_err(|e| StoreError::Invalid(format!("audit detail: {e}")))?;
    let as_read = AuditEntry {
        detail: serde_json::from_str(&detail_json)
            .map_err(|e| StoreError::Invalid(format!("audit detail does not read back: {e}")))?,
        ..entry.clone()
    };
    Ok((detail_json, chain_hash(prev, seq, &as_read)))
}

/// Lower-case hexadecimal of a hash (64 characters).
pub fn to_hex(hash: &AuditHash) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in hash {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Parses 64 hexadecimal digits (either case) into a hash.
pub fn parse_hex(text: &str) -> Option<AuditHash> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

/// A hash as a hex string in serialized records (`#[serde(with = …)]`).
pub mod hex_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::AuditHash;

    /// Writes the hash as 64 lower-case hex digits.
    pub fn serialize<S: Serializer>(hash: &AuditHash, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::to_hex(hash))
    }

    /// Reads 64 hex digits.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AuditHash, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_hex(&text)
            .ok_or_else(|| serde::de::Error::custom("expected 64 hexadecimal digits"))
    }
}

/// A record's sequence number and hash, kept outside the store to detect later removal or
/// rewriting of the log up to that record. Written and parsed as `SEQ:HASH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// The record's sequence number.
    pub seq: u64,
    /// Its hash.
    pub hash: AuditHash,
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, to_hex(&self.hash))
    }
}

/// Why an anchor's text did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnchorError {
    /// Not `SEQ:HASH` with a positive decimal SEQ and 64 hex digits.
    #[error("anchor {0:?}: expected SEQ:HASH (a sequence number from 1, 64 hex digits)")]
    Syntax(String),
}

impl FromStr for Anchor {
    type Err = AnchorError;

    fn from_str(text: &str) -> Result<Anchor, AnchorError> {
        let bad = || AnchorError::Syntax(text.to_owned());
        let (seq, hash) = text.trim().split_once([':', ' ']).ok_or_else(bad)?;
        let seq: u64 = seq.parse().map_err(|_| bad())?;
        let hash = parse_hex(hash.trim()).ok_or_else(bad)?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(Anchor { seq, hash })
    }
}

/// An intact chain: how many records, and the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainHead {
    /// Records in the log.
    pub count: u64,
    /// The last record's sequence number and hash; `None` for an empty log.
    pub head: Option<Anchor>,
}

/// The first sign of tampering [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tamper {
    /// The record's stored hash is not the one computed from its fields and the previous
    /// record's hash: this record was changed (or rewritten without the ones after it).
    HashMismatch {
        /// The record.
        seq: u64,
        /// The hash the store holds.
        stored: AuditHash,
        /// The hash its fields give.
        computed: AuditHash,
    },
    /// A sequence number is missing: records were removed.
    Gap {
        /// The sequence number expected next.
        expected: u64,
        /// The one found instead.
        found: u64,
    },
    /// The store holds a record it cannot read back (a field that no longer parses).
    Unreadable {
        /// The store's message, naming the record.
        message: String,
    },
    /// The anchored record is gone: the log ends before it (records removed from the end).
    AnchorMissing {
        /// The anchor given.
        anchor: Anchor,
        /// The last record's sequence number (0 for an empty log).
        last_seq: u64,
    },
    /// The anchored record is there but its hash differs: the log was rewritten up to it.
    AnchorMismatch {
        /// The anchor given.
        anchor: Anchor,
        /// The hash the record has now.
        stored: AuditHash,
    },
}

impl Tamper {
    /// The sequence number the finding is about, when there is one.
    pub fn seq(&self) -> Option<u64> {
        match self {
            Tamper::HashMismatch { seq, .. } => Some(*seq),
            Tamper::Gap { expected, .. } => Some(*expected),
            Tamper::Unreadable { .. } => None,
            Tamper::AnchorMissing { anchor, .. } | Tamper::AnchorMismatch { anchor, .. } => {
                Some(anchor.seq)
            }
        }
    }
}

impl fmt::Display for Tamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tamper::HashMismatch { seq, stored, computed } => write!(
                f,
                "record {seq}: stored hash {} but its fields give {}: the record was changed",
                to_hex(stored),
                to_hex(computed)
            ),
            Tamper::Gap { expected, found } => write!(
                f,
                "record {expected}: missing (the next record is {found}): records were removed"
            ),
            Tamper::Unreadable { message } => write!(f, "unreadable record: {message}"),
            Tamper::AnchorMissing { anchor, last_seq } => write!(
                f,
                "record {}: missing, the log ends at record {last_seq}: records were removed \
                 from the end (anchor {anchor})",
                anchor.seq
            ),
            Tamper::AnchorMismatch { anchor, stored } => write!(
                f,
                "record {}: hash {} differs from the anchor {anchor}: the log was rewritten",
                anchor.seq,
                to_hex(stored)
            ),
        }
    }
}

/// What [`verify`] concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every record's hash holds, no sequence number is missing, and the anchor (if given)
    /// matches.
    Intact(ChainHead),
    /// The first problem found.
    Tampered(Tamper),
}

/// Walks the whole audit log in pages of [`VERIFY_PAGE_ROWS`], recomputing every hash, and
/// checks `anchor` (when given) against the record at its sequence number. Store failures
/// (a lost connection) are errors; a record the store cannot parse is a finding.
pub fn verify<S: Store + ?Sized>(
    store: &S,
    anchor: Option<&Anchor>,
) -> Result<Verdict, StoreError> {
    verify_paged(store, anchor, VERIFY_PAGE_ROWS)
}

/// [`verify`] with another page size (at least 1), for tests that cross page boundaries.
pub fn verify_paged<S: Store + ?Sized>(
    store: &S,
    anchor: Option<&Anchor>,
    page_rows: usize,
) -> Result<Verdict, StoreError> {
    let mut prev = GENESIS_HASH;
    let mut expected: u64 = 1;
    let mut count: u64 = 0;
    let mut head: Option<Anchor> = None;
    let mut anchor_seen = false;
    loop {
        let page = match store.audit(expected, page_rows) {
            Ok(page) => page,
            Err(StoreError::Corrupt(message)) => {
                return Ok(Verdict::Tampered(Tamper::Unreadable { message }));
            }
            Err(e) => return Err(e),
        };
        let Some(last) = page.last() else { break };
        let next_from = last.seq.saturating_add(1);
        for r in &page {
            if let Some(t) = check_record(r, expected, &prev) {
                return Ok(Verdict::Tampered(t));
            }
            if let Some(a) = anchor {
                if a.seq == r.seq {
                    if a.hash != r.hash {
                        return Ok(Verdict::Tampered(Tamper::AnchorMismatch {
                            anchor: *a,
                            stored: r.hash,
                        }));
                    }
                    anchor_seen = true;
                }
            }
            prev = r.hash;
            count += 1;
            head = Some(Anchor { seq: r.seq, hash: r.hash });
            expected = r.seq.saturating_add(1);
        }
        if page.len() < page_rows || next_from == u64::MAX {
            break;
        }
    }
    if let Some(a) = anchor {
        if !anchor_seen {
            return Ok(Verdict::Tampered(Tamper::AnchorMissing {
                anchor: *a,
                last_seq: head.map_or(0, |h| h.seq),
            }));
        }
    }
    Ok(Verdict::Intact(ChainHead { count, head }))
}

/// Verifies the chain (without an anchor) for a store's [`Store::check`]: one line in
/// `checked` when intact, one in `problems` otherwise.
pub fn check_into<S: Store + ?Sized>(store: &S, report: &mut CheckReport) {
    match verify(store, None) {
        Ok(Verdict::Intact(chain)) => {
            report.checked.push(format!("audit hash chain: {} records intact", chain.count));
        }
        Ok(Verdict::Tampered(t)) => report.problems.push(format!("audit hash chain: {t}")),
        Err(e) => report.problems.push(format!("audit hash chain unreadable: {e}")),
    }
}

/// The finding for one record read in order, if any.
fn check_record(r: &AuditRecord, expected: u64, prev: &AuditHash) -> Option<Tamper> {
    if r.seq != expected {
        return Some(Tamper::Gap { expected, found: r.seq });
    }
    let computed = chain_hash(prev, r.seq, &r.entry);
    if computed != r.hash {
        return Some(Tamper::HashMismatch { seq: r.seq, stored: r.hash, computed });
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;

    use kuroshio_model::{PartnerCode, Timestamp};
    use serde_json::json;

    use super::*;

    fn entry(detail: BTreeMap<String, Value>) -> AuditEntry {
        AuditEntry {
            time: Timestamp::from_unix_nanos(-5),
            actor: "node".to_owned(),
            action: "sent".to_owned(),
            object_id: Some("x".to_owned()),
            peer: Some(PartnerCode::parse("JP").unwrap()),
            detail,
        }
    }

    #[test]
    fn encoding_is_the_documented_layout() {
        let detail = BTreeMap::from([
            ("b".to_owned(), json!([null, true, false, -2, 3, 1.5, "é"])),
            ("a".to_owned(), json!({"z": 1, "y": {}})),
        ]);
        let mut want: Vec<u8> = Vec::new();
        want.extend(7u64.to_be_bytes());
        want.extend((-5i64).to_be_bytes());
        want.extend(4u64.to_be_bytes());
        want.extend(b"node");
        want.extend(4u64.to_be_bytes());
        want.extend(b"sent");
        want.extend([1]);
        want.extend(1u64.to_be_bytes());
        want.extend(b"x");
        want.extend([1]);
        want.extend(2u64.to_be_bytes());
        want.extend(b"JP");
        want.extend(2u64.to_be_bytes());
        // "a": {"y": {}, "z": 1}
        want.extend(1u64.to_be_bytes());
        want.extend(b"a");
        want.extend([8]);
        want.extend(2u64.to_be_bytes());
        want.extend(1u64.to_be_bytes());
        want.extend(b"y");
        want.extend([8]);
        want.extend(0u64.to_be_bytes());
        want.extend(1u64.to_be_bytes());
        want.extend(b"z");
        want.extend([3]);
        want.extend(1u64.to_be_bytes());
        // "b": [null, true, false, -2, 3, 1.5, "é"]
        want.extend(1u64.to_be_bytes());
        want.extend(b"b");
        want.extend([7]);
        want.extend(7u64.to_be_bytes());
        want.extend([0, 2, 1, 4]);
        want.extend((-2i64).to_be_bytes());
        want.extend([3]);
        want.extend(3u64.to_be_bytes());
        want.extend([5]);
        want.extend(1.5f64.to_bits().to_be_bytes());
        want.extend([6]);
        want.extend(2u64.to_be_bytes());
        want.extend("é".as_bytes());
        assert_eq!(encode(7, &entry(detail)), want);
    }

    #[test]
    fn absent_and_empty_fields_differ() {
        let mut a = entry(BTreeMap::new());
        let mut b = a.clone();
        a.object_id = None;
        b.object_id = Some(String::new());
        assert_ne!(encode(1, &a), encode(1, &b));
        // Moving bytes between adjacent strings changes the encoding.
        let (mut c, mut d) = (a.clone(), a.clone());
        c.actor = "nodes".to_owned();
        c.action = "ent".to_owned();
        d.actor = "node".to_owned();
        d.action = "sent".to_owned();
        assert_ne!(encode(1, &c), encode(1, &d));
        // A string and a number of the same text differ.
        let e = entry(BTreeMap::from([("n".to_owned(), json!(1))]));
        let f = entry(BTreeMap::from([("n".to_owned(), json!("1"))]));
        assert_ne!(encode(1, &e), encode(1, &f));
    }

    #[test]
    fn hex_and_anchor_round_trip() {
        let h: AuditHash = core::array::from_fn(|i| (i * 9) as u8);
        assert_eq!(parse_hex(&to_hex(&h)), Some(h));
        assert_eq!(parse_hex(&to_hex(&h).to_uppercase()), Some(h));
        assert_eq!(parse_hex("00"), None);
        assert_eq!(parse_hex(&"g".repeat(64)), None);
        let a = Anchor { seq: 42, hash: h };
        assert_eq!(a.to_string().parse::<Anchor>().unwrap(), a);
        assert_eq!(format!("42 {}", to_hex(&h)).parse::<Anchor>().unwrap(), a);
        let zero = format!("0:{}", to_hex(&h));
        for bad in ["", "42", "42:", "x:00", zero.as_str()] {
            assert!(bad.parse::<Anchor>().is_err(), "{bad}");
        }
    }

    #[test]
    fn append_hash_covers_the_detail_as_read_back() {
        let e = entry(BTreeMap::from([("f".to_owned(), json!(0.1))]));
        let (text, h) = append_hash(&GENESIS_HASH, 1, &e).unwrap();
        assert_eq!(text, r#"{"f":0.1}"#);
        let read = AuditEntry { detail: serde_json::from_str(&text).unwrap(), ..e };
        assert_eq!(h, chain_hash(&GENESIS_HASH, 1, &read));
        assert_ne!(h, chain_hash(&GENESIS_HASH, 2, &read));
        assert_ne!(h, chain_hash(&[1; 32], 1, &read));
    }
}
