//! `kuroshio ingest`: recorded feeds through decode → track → detect → store.
//!
//! The inputs are decoded and merged exactly as `kuroshio replay` does; observations and the
//! events they trigger go to the store in batches of [`BATCH_OBSERVATIONS`] (group commit: one
//! durable commit per batch). Each batch carries a cursor — the set of inputs and the number of
//! merged observations stored so far — so an ingest stopped by a crash or a kill is resumed by
//! running the same command again: observations already stored are run through the tracker and
//! detectors again (their state is rebuilt) but not stored twice, and events are stored once by
//! their content id.
//!
//! The summary on standard error says what was stored, what was already there, and where the
//! run resumed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use kuroshio_store::{Batch, Cursor, STREAM_NAME_LEN_MAX};

use crate::replay::{self, Pipeline};

/// Observations per batch: large enough that the commit's fsync is amortised over many rows,
/// small enough that a crash redoes little and a batch's rows and events stay a few tens of MB.
pub const BATCH_OBSERVATIONS: usize = 100_000;

/// The cursor's stream name for a set of inputs: `ingest:` and the input paths (made absolute
/// where they exist), shortened with a hash when too long for the store.
fn stream_name(inputs: &[PathBuf]) -> String {
    let names: Vec<String> = inputs
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()).display().to_string())
        .collect();
    fit_stream_name(format!("ingest:{}", names.join("|")))
}

/// A cursor stream name as the store takes it: `full` itself when short enough, else its
/// start and a hash of the whole, so that distinct long names stay apart.
pub fn fit_stream_name(full: String) -> String {
    if full.len() <= STREAM_NAME_LEN_MAX {
        return full;
    }
    // FNV-1a over the whole name keeps distinct long input lists apart.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in full.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut cut = STREAM_NAME_LEN_MAX - 20;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…#{h:016x}", &full[..cut])
}

/// Runs `kuroshio ingest`.
pub fn run(
    options: &replay::Options,
    store_spec: &str,
    inputs: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let mut store = crate::store_cmd::open(store_spec)?;
    let mut pipeline = Pipeline::new(options)?;
    let loaded = replay::load(options, inputs)?;
    let all = &loaded.observations;
    let stream = stream_name(inputs);
    let resume = store.cursor(&stream)?.unwrap_or(0);
    let resume_at = usize::try_from(resume).unwrap_or(usize::MAX).min(all.len());

    let mut events = Vec::new();
    let mut totals = kuroshio_store::Receipt::default();
    let mut batches = 0u64;
    let mut start = 0usize;
    while start < all.len() {
        let end = (start + BATCH_OBSERVATIONS).min(all.len());
        events.clear();
        for obs in &all[start..end] {
            pipeline.step(obs, &mut events);
        }
        if end == all.len() {
            pipeline.finish(&mut events);
        }
        let fresh = &all[start.max(resume_at).min(end)..end];
        let receipt = store
            .append(&Batch {
                observations: fresh,
                events: &events,
                cursor: Some(Cursor { stream: &stream, offset: end as u64 }),
            })
            .with_context(|| format!("storing observations {start}..{end}"))?;
        totals.positions += receipt.positions;
        totals.without_position += receipt.without_position;
        totals.events += receipt.events;
        totals.duplicate_events += receipt.duplicate_events;
        batches += 1;
        start = end;
    }
    if !options.quiet {
        let mut s = loaded.summary();
        s.push_str(&pipeline.summary(all.len()));
        if resume_at > 0 {
            s.push_str(&format!(
                "resumed after {resume_at} observations already stored by an earlier run\n"
            ));
        }
        s.push_str(&format!(
            "stored in {batches} batches: positions {}, observations without position {}, events {} (already stored {})\n",
            totals.positions, totals.without_position, totals.events, totals.duplicate_events
        ));
        eprint!("{s}");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_lists_get_distinct_short_names() {
        let a: Vec<PathBuf> =
            (0..40).map(|i| PathBuf::from(format!("/no/such/feed-{i}.nmea"))).collect();
        let mut b = a.clone();
        b[39] = PathBuf::from("/no/such/feed-x.nmea");
        let (na, nb) = (stream_name(&a), stream_name(&b));
        assert!(na.len() <= STREAM_NAME_LEN_MAX && nb.len() <= STREAM_NAME_LEN_MAX);
        assert_ne!(na, nb);
        assert_eq!(stream_name(&[PathBuf::from("/no/such/x")]), "ingest:/no/such/x");
    }
}
