//! `kuroshio key` and `kuroshio share`: the node's signing key, and stored events sent to a
//! partner as a signed STIX 2.1 bundle.
//!
//! `share export` reads events from the store, maps each to STIX (`kuroshio-stix`), seals it
//! with the node's key (markings written, signed at origin), asks [`kuroshio_share::visible`]
//! what the receiving partner may see, and writes the bundle only after the egress guard has
//! passed the exact bytes; every object sent is recorded in the store's audit log (`sent`, the
//! object id, the partner). `share check` is the receiving side's first look at a bundle: the
//! guard's verdict for a partner and each object's signature against its originator's public
//! key.
//!
//! `share import` brings STIX from outside the federation into the store (see
//! `kuroshio_stix::import`), marked by the importer and recorded in the audit log.
//!
//! Key files hold the 32-byte Ed25519 secret as 64 hex digits and a newline; `key generate`
//! draws it from the operating system's random source (`/dev/urandom`) and writes the file
//! readable by its owner only.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kuroshio_model::PartnerCode;
use kuroshio_share::guard::{EgressGuard, GuardConfig};
use kuroshio_share::sign::{hex, unhex};
use kuroshio_share::{NodeKey, Viewer, visible};
use kuroshio_store::{AuditEntry, EventQuery};
use serde_json::Value;

/// Longest bundle file `share check` reads (the guard's own payload limit).
const BUNDLE_BYTES_MAX: u64 = kuroshio_share::guard::PAYLOAD_BYTES_MAX as u64;

/// Reads a key file.
pub fn read_key(path: &Path) -> anyhow::Result<NodeKey> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading key {}", path.display()))?;
    let bytes = unhex(text.trim())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .with_context(|| format!("{}: not 64 hex digits of an Ed25519 secret", path.display()))?;
    Ok(NodeKey::from_secret(bytes))
}

/// `kuroshio key generate`: a new key file; prints the public key.
pub fn generate_key(out: &Path) -> anyhow::Result<ExitCode> {
    if out.exists() {
        anyhow::bail!("{} exists; a key is never overwritten", out.display());
    }
    let mut secret = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut secret))
        .context("reading /dev/urandom")?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(out).with_context(|| format!("creating {}", out.display()))?;
    writeln!(f, "{}", hex(&secret)).with_context(|| format!("writing {}", out.display()))?;
    f.sync_all().with_context(|| format!("writing {}", out.display()))?;
    let key = NodeKey::from_secret(secret);
    writeln!(std::io::stdout().lock(), "{}", hex(&key.public()))?;
    Ok(ExitCode::SUCCESS)
}

/// `kuroshio key public`: the public key of a key file.
pub fn public_key(key: &Path) -> anyhow::Result<ExitCode> {
    let key = read_key(key)?;
    writeln!(std::io::stdout().lock(), "{}", hex(&key.public()))?;
    Ok(ExitCode::SUCCESS)
}

/// What `share export` was asked to do.
pub struct ExportOptions<'a> {
    /// The store.
    pub store: &'a str,
    /// The node's key file.
    pub key: &'a Path,
    /// The node's partner.
    pub partner: PartnerCode,
    /// The federation's partners.
    pub partners: Vec<PartnerCode>,
    /// The receiving partner.
    pub to: PartnerCode,
    /// Which events.
    pub query: EventQuery,
    /// Where to write the bundle.
    pub out: &'a Path,
}

fn guard(partner: PartnerCode, partners: &[PartnerCode]) -> anyhow::Result<EgressGuard> {
    EgressGuard::new(&GuardConfig {
        holder: partner,
        partners: partners.to_vec(),
        require_signature: true,
        public_ids: kuroshio_stix::public_ids().iter().map(|s| (*s).to_owned()).collect(),
    })
    .context("egress guard")
}

/// `kuroshio share export`.
pub fn export(o: &ExportOptions<'_>) -> anyhow::Result<ExitCode> {
    let key = read_key(o.key)?;
    let mut partners = o.partners.clone();
    for p in [o.partner, o.to] {
        if !partners.contains(&p) {
            partners.push(p);
        }
    }
    let guard = guard(o.partner, &partners)?;
    let mut store = crate::store_cmd::open(o.store)?;
    let events = store.events(&o.query)?;
    let mut objects = Vec::new();
    let mut definitions: BTreeMap<String, Value> = BTreeMap::new();
    let (mut sent_events, mut withheld, mut foreign) = (0u64, 0u64, 0u64);
    let identity =
        kuroshio_stix::partner_identity(o.partner, &format!("{} node", o.partner), &partners);
    let mut shared = vec![identity];
    for e in &events {
        // Only the node's own events are originated here; relayed ones keep their origin's
        // signature and travel another way.
        if e.marking.originator() != o.partner {
            foreign += 1;
            continue;
        }
        let mapped =
            kuroshio_stix::event_objects(e).with_context(|| format!("mapping event {}", e.id))?;
        let before = shared.len();
        shared.extend(mapped);
        if !kuroshio_share::allowed(&e.marking, o.partner, Viewer::Partner(o.to)) {
            shared.truncate(before);
            withheld += 1;
        } else {
            sent_events += 1;
        }
    }
    for s in &shared {
        let held = s.seal(&key).with_context(|| "sealing an object")?;
        // The one decision; the guard below checks its output again.
        let Some(view) = visible(&held, o.partner, Viewer::Partner(o.to)) else { continue };
        definitions.extend(s.definitions()?);
        objects.push(view);
    }
    let sent_ids: Vec<String> = objects
        .iter()
        .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let name = format!("kuroshio:{}:to:{}:{}", o.partner, o.to, sent_ids.join(","));
    let bundle = kuroshio_stix::bundle(&name, objects, definitions.into_values().collect());
    let mut bytes = serde_json::to_vec_pretty(&bundle).context("writing the bundle")?;
    bytes.push(b'\n');
    let checked = guard
        .check_bytes(&bytes, o.to)
        .with_context(|| format!("egress guard refused the bundle for {}", o.to))?;
    std::fs::write(o.out, &bytes).with_context(|| format!("writing {}", o.out.display()))?;
    let now = crate::store_cmd::now();
    for id in &sent_ids {
        store.audit_append(&AuditEntry {
            time: now,
            actor: "node".into(),
            action: "sent".into(),
            object_id: Some(id.clone()),
            peer: Some(o.to),
            detail: BTreeMap::from([(
                "file".to_owned(),
                Value::String(o.out.display().to_string()),
            )]),
        })?;
    }
    writeln!(
        std::io::stderr().lock(),
        "{}: {checked} objects for {} ({sent_events} events; {withheld} not releasable to {}, {foreign} originated elsewhere, left out); the guard passed it",
        o.out.display(),
        o.to,
        o.to
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `kuroshio share check`: the guard's verdict for `to` and every signature. Exit code 1 when
/// the guard refuses or a signature does not hold.
pub fn check(
    bundle: &Path,
    partner: PartnerCode,
    partners: &[PartnerCode],
    to: PartnerCode,
    keys: &[(PartnerCode, [u8; 32])],
) -> anyhow::Result<ExitCode> {
    let len =
        std::fs::metadata(bundle).with_context(|| format!("reading {}", bundle.display()))?.len();
    if len > BUNDLE_BYTES_MAX {
        anyhow::bail!("{} is {len} bytes; at most {BUNDLE_BYTES_MAX} are read", bundle.display());
    }
    let bytes = std::fs::read(bundle).with_context(|| format!("reading {}", bundle.display()))?;
    let mut out = std::io::stdout().lock();
    let mut ok = true;
    match guard(partner, partners)?.check_bytes(&bytes, to) {
        Ok(n) => writeln!(out, "guard: {n} objects may go from {partner} to {to}")?,
        Err(e) => {
            ok = false;
            writeln!(out, "guard: refused: {e}")?;
        }
    }
    let v: Value = serde_json::from_slice(&bytes).context("bundle JSON")?;
    let by_identity: BTreeMap<String, [u8; 32]> =
        keys.iter().map(|(p, k)| (kuroshio_share::markings::identity_id(*p), *k)).collect();
    let (mut good, mut bad) = (0u64, 0u64);
    for o in v.get("objects").and_then(Value::as_array).into_iter().flatten() {
        let Some(obj) = o.as_object() else { continue };
        if !obj.contains_key(kuroshio_share::sign::SIGNATURE_PROPERTY) {
            continue;
        }
        let id = obj.get("id").and_then(Value::as_str).unwrap_or("");
        let creator = obj.get("created_by_ref").and_then(Value::as_str).unwrap_or("");
        let verdict = match by_identity.get(creator) {
            Some(k) => kuroshio_share::sign::verify(obj, k).map_err(|e| e.to_string()),
            None => Err(format!("no public key for originator {creator}")),
        };
        match verdict {
            Ok(()) => good += 1,
            Err(e) => {
                bad += 1;
                ok = false;
                writeln!(out, "signature: {id}: {e}")?;
            }
        }
    }
    writeln!(out, "signatures: {good} verified, {bad} refused")?;
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Longest STIX file `share import` reads: the largest public bundles (ATT&CK Enterprise) are
/// about 40 MB.
const IMPORT_BYTES_MAX: u64 = 256 << 20;

/// `kuroshio share import`: each file's objects into the store; a line per file on standard
/// error, refused objects listed. Exit code 1 when a file could not be read at all.
pub fn import(
    store: &str,
    policy: &kuroshio_stix::import::ImportPolicy,
    files: &[std::path::PathBuf],
) -> anyhow::Result<ExitCode> {
    let mut store = crate::store_cmd::open(store)?;
    let mut err = std::io::stderr().lock();
    let mut failed = false;
    let now = crate::store_cmd::now();
    for f in files {
        let len = std::fs::metadata(f).with_context(|| format!("reading {}", f.display()))?.len();
        if len > IMPORT_BYTES_MAX {
            writeln!(err, "{}: {len} bytes; at most {IMPORT_BYTES_MAX} are read", f.display())?;
            failed = true;
            continue;
        }
        let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
        let got = match kuroshio_stix::import::import(&bytes, policy) {
            Ok(g) => g,
            Err(e) => {
                writeln!(err, "{}: {e}", f.display())?;
                failed = true;
                continue;
            }
        };
        let (mut stored, mut held) = (0u64, 0u64);
        for o in &got.objects {
            let body = serde_json::to_string(&o.object).context("writing an object")?;
            let outcome = store.put_object(&kuroshio_store::StoredObject {
                id: o.id.clone(),
                version: o.version.clone(),
                kind: o.kind.clone(),
                marking: o.marking.clone(),
                received_from: None,
                body,
            })?;
            if outcome == kuroshio_store::PutOutcome::Stored {
                stored += 1;
                store.audit_append(&AuditEntry {
                    time: now,
                    actor: "node".into(),
                    action: "imported".into(),
                    object_id: Some(o.id.clone()),
                    peer: None,
                    detail: BTreeMap::from([(
                        "file".to_owned(),
                        Value::String(f.display().to_string()),
                    )]),
                })?;
            } else {
                held += 1;
            }
        }
        writeln!(
            err,
            "{}: {stored} objects stored, {held} already held, {} upgraded from STIX 2.0, {} refused",
            f.display(),
            got.upgraded,
            got.refused.len()
        )?;
        for (id, why) in got.refused.iter().take(REFUSED_LISTED_MAX) {
            writeln!(err, "  refused {id}: {why}")?;
        }
        if got.refused.len() > REFUSED_LISTED_MAX {
            writeln!(err, "  … and {} more", got.refused.len() - REFUSED_LISTED_MAX)?;
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Refused objects listed per file; the rest are counted.
const REFUSED_LISTED_MAX: usize = 20;

/// Parses `CODE=HEX` (a partner's public key).
pub fn parse_public_key(text: &str) -> Result<(PartnerCode, [u8; 32]), String> {
    let (code, key) = text.split_once('=').ok_or("expected CODE=HEX (e.g. TW=3b6a…)")?;
    let code = PartnerCode::parse(code.trim()).map_err(|e| e.to_string())?;
    let key = unhex(key.trim())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or("the key is not 64 hex digits")?;
    Ok((code, key))
}
