//! `kuroshio taxii push`: sends a file of STIX objects to a partner's TAXII collection over
//! mutual TLS, as this node.
//!
//! The file holds a STIX bundle (`{"type": "bundle", "objects": [...]}`), a TAXII envelope
//! (`{"objects": [...]}`) or a JSON list of objects: typically what `kuroshio share` wrote,
//! sealed (marked and signed) by this node, since a partner's node admits from a partner only
//! objects signed by their originator and releasable to it. The node configuration gives the
//! node's TLS identity and the partner's address and CA (its `[[peers]]` entry).
//!
//! Objects go in POSTs of at most [`PUSH_OBJECTS_MAX`] objects that stay within the API root's
//! `max_content_length`; every marking definition of the file goes in every POST, so each
//! envelope resolves its markings on its own. The status resource of each POST is read: the
//! command prints how many objects were stored (or already held) and how many refused, names
//! each refusal on standard error, and exits 1 when any object was refused.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kuroshio_federation::TaxiiClient;
use kuroshio_model::PartnerCode;
use serde_json::Value;

/// Objects in one POST: a status resource lists each of them, and a partner's server checks a
/// signature per object inside one request; a thousand keeps a request within seconds.
pub const PUSH_OBJECTS_MAX: usize = 1_000;

/// The request body limit assumed when the API root does not say (TAXII 2.1 servers must
/// advertise `max_content_length`; Kuroshio's default is 10 MiB).
const MAX_CONTENT_LENGTH_ASSUMED: usize = kuroshio_taxii::MAX_CONTENT_LENGTH_DEFAULT;

/// The objects of a bundle, an envelope or a list.
pub fn objects_of(v: Value) -> anyhow::Result<Vec<Value>> {
    let list = match v {
        Value::Array(a) => a,
        Value::Object(mut o) => match o.remove("objects") {
            Some(Value::Array(a)) => a,
            Some(_) => anyhow::bail!("\"objects\" is not a list"),
            None => Vec::new(),
        },
        _ => anyhow::bail!("neither a bundle, an envelope nor a list of objects"),
    };
    if let Some(i) = list.iter().position(|o| !o.is_object()) {
        anyhow::bail!("item {i} is not a JSON object");
    }
    Ok(list)
}

/// Splits `objects` into envelopes' object lists: each of at most [`PUSH_OBJECTS_MAX`] objects
/// besides the marking definitions (which every one repeats), and at most `body_max` bytes of
/// JSON when objects allow (an object larger than that alone still goes, alone, for the server
/// to refuse with 413).
pub fn batches(objects: &[Value], body_max: usize) -> Vec<Vec<Value>> {
    let is_def = |o: &Value| o.get("type").and_then(Value::as_str) == Some("marking-definition");
    let defs: Vec<Value> = objects.iter().filter(|o| is_def(o)).cloned().collect();
    // `{"objects":[` `]}` and a comma per object.
    let base = 14 + defs.iter().map(|d| d.to_string().len() + 1).sum::<usize>();
    let mut out = Vec::new();
    let (mut batch, mut size, mut count) = (defs.clone(), base, 0);
    for o in objects.iter().filter(|o| !is_def(o)) {
        let len = o.to_string().len() + 1;
        if count > 0 && (count == PUSH_OBJECTS_MAX || size + len > body_max) {
            out.push(std::mem::replace(&mut batch, defs.clone()));
            (size, count) = (base, 0);
        }
        batch.push(o.clone());
        size += len;
        count += 1;
    }
    if count > 0 || (out.is_empty() && !batch.is_empty()) {
        out.push(batch);
    }
    out
}

/// `kuroshio taxii push`.
pub fn run(
    config: &Path,
    to: PartnerCode,
    file: &Path,
    root: &str,
    collection: &str,
) -> anyhow::Result<ExitCode> {
    let node = crate::node::load(config)?;
    let identity = node
        .identity
        .as_ref()
        .context("the node configuration has no [tls] identity to present to the partner")?;
    let peer = node
        .peers
        .iter()
        .find(|p| p.partner == to)
        .with_context(|| format!("{to} is not one of the configuration's [[peers]]"))?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let value: Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
    let objects = objects_of(value).with_context(|| file.display().to_string())?;
    if objects.is_empty() {
        anyhow::bail!("{}: no objects to push", file.display());
    }
    let tls = kuroshio_federation::tls::client_tls(identity, &peer.ca_pem)
        .with_context(|| format!("TLS to {to}"))?;
    let client = TaxiiClient::mtls(&peer.url, tls);
    let info = client.api_root(root).with_context(|| format!("API root {root} of {to}"))?;
    let body_max = info
        .get("max_content_length")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_CONTENT_LENGTH_ASSUMED);
    let (mut stored, mut held, mut refused, mut posts) = (0_u64, 0_u64, 0_u64, 0);
    let mut err = std::io::stderr().lock();
    for batch in batches(&objects, body_max) {
        let status = kuroshio_federation::sync::push(&client, root, collection, &batch)
            .with_context(|| format!("pushing to {to}'s collection {collection}"))?;
        posts += 1;
        for s in status.get("successes").and_then(Value::as_array).into_iter().flatten() {
            let message = s.get("message").and_then(Value::as_str).unwrap_or("");
            if message.starts_with("already held") { held += 1 } else { stored += 1 }
        }
        for f in status.get("failures").and_then(Value::as_array).into_iter().flatten() {
            refused += 1;
            let id = f.get("id").and_then(Value::as_str).unwrap_or("?");
            let why = f.get("message").and_then(Value::as_str).unwrap_or("");
            writeln!(err, "refused {id}: {why}")?;
        }
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "pushed {} objects to {to} in {posts} requests: {stored} stored, {held} already held, \
         {refused} refused",
        objects.len()
    )?;
    Ok(if refused == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn note(i: usize, pad: usize) -> Value {
        json!({"type": "note", "id": format!("note--{i}"), "content": "x".repeat(pad)})
    }

    #[test]
    fn files_of_every_shape_give_their_objects() {
        let o = vec![note(1, 0)];
        assert_eq!(objects_of(json!({"type": "bundle", "objects": o})).unwrap(), o);
        assert_eq!(objects_of(json!({"objects": o})).unwrap(), o);
        assert_eq!(objects_of(json!(o)).unwrap(), o);
        assert!(objects_of(json!([1])).is_err());
        assert!(objects_of(json!("x")).is_err());
        assert!(objects_of(json!({"objects": 3})).is_err());
    }

    #[test]
    fn batches_keep_to_the_limits_and_repeat_definitions() {
        let def = json!({"type": "marking-definition", "id": "marking-definition--1"});
        let mut objects = vec![def.clone()];
        objects.extend((0..2_500).map(|i| note(i, 0)));
        let b = batches(&objects, usize::MAX);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [1_001, 1_001, 501]);
        assert!(b.iter().all(|x| x[0] == def));
        // Every object once, in order.
        let sent: Vec<&Value> = b.iter().flat_map(|x| x.iter().skip(1)).collect();
        assert_eq!(sent, objects.iter().skip(1).collect::<Vec<_>>());
        // By size: each body within the limit.
        let big: Vec<Value> = (0..10).map(|i| note(i, 1_000)).collect();
        let limit = 3_500;
        let b = batches(&big, limit);
        assert!(b.len() > 1);
        for x in &b {
            assert!(json!({ "objects": x }).to_string().len() <= limit);
        }
        assert_eq!(b.iter().map(Vec::len).sum::<usize>(), 10);
        // An object over the limit still goes, alone.
        let b = batches(&[note(1, 5_000), note(2, 1)], 1_000);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1]);
    }
}
