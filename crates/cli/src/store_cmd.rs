//! `kuroshio query` and `kuroshio store`: the node's store from the command line.
//!
//! `--store` takes either a directory (the embedded store: SQLite plus daily GeoParquet files,
//! created on first use) or a `postgres://` / `postgresql://` URL (the PostgreSQL + PostGIS
//! store). Answers are JSON on standard output: one object for single answers, NDJSON (one
//! object per line) for lists, with times in RFC 3339 UTC and positions as `lat`/`lon` in
//! degrees. This JSON is the command line's own wire form, converted explicitly from the store's
//! rows, so a change to the rows does not silently change what scripts read.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use kuroshio_api::wire::time_json;
pub use kuroshio_api::wire::{
    parse_bbox, parse_date, parse_kind, parse_target, parse_time, row_json, track_json,
};
use kuroshio_archive::{ExportFormat, PositionRow};
use kuroshio_model::{TargetId, Timestamp};
use kuroshio_store::embedded::{EmbeddedOptions, EmbeddedStore};
use kuroshio_store::{BBox, EventQuery, LatestQuery, Store, TimeRange};
use serde_json::{Value, json};

/// Opens the store a `--store` argument names.
pub fn open(spec: &str) -> anyhow::Result<Box<dyn Store>> {
    if is_url(spec) {
        let store = kuroshio_store_pg::PgStore::connect(spec)
            .with_context(|| format!("connecting to the PostgreSQL store {}", redact(spec)))?;
        return Ok(Box::new(store));
    }
    Ok(Box::new(open_embedded(spec)?))
}

/// Opens the embedded store in the directory `dir`.
fn open_embedded(dir: &str) -> anyhow::Result<EmbeddedStore> {
    EmbeddedStore::open(Path::new(dir), EmbeddedOptions::default())
        .with_context(|| format!("opening the embedded store in {dir}"))
}

/// A URL with any password replaced, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The wall-clock time now: the command line is the one place that reads the clock.
pub fn now() -> Timestamp {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp::from_unix_nanos(nanos)
}

/// The range `[from, to)`, open ends meaning the beginning and end of time.
pub fn time_range(from: Option<Timestamp>, to: Option<Timestamp>) -> anyhow::Result<TimeRange> {
    kuroshio_api::wire::time_range(from, to).context("--from is after --to")
}

/// What `kuroshio query` asks.
pub enum Query {
    /// The latest picture.
    Latest { bbox: Option<BBox>, since: Option<Timestamp>, limit: usize },
    /// One target's latest state.
    Track { target: TargetId },
    /// One target's positions.
    History { target: TargetId, range: TimeRange, limit: usize },
    /// Positions in a box and time range.
    Positions { bbox: BBox, range: TimeRange, limit: usize },
    /// Events by filter.
    Events(EventQuery),
    /// One event by id.
    Event { id: String },
    /// An object, latest or one version.
    Object { id: String, version: Option<String> },
    /// An object's versions.
    Versions { id: String },
    /// Audit log entries.
    Audit { from_seq: u64, limit: usize },
}

/// Runs a query and writes its answer; `false` when a single object asked for is absent.
pub fn run_query(store: &dyn Store, query: Query, out: &mut dyn Write) -> anyhow::Result<bool> {
    let line = |out: &mut dyn Write, v: &Value| -> anyhow::Result<()> {
        serde_json::to_writer(&mut *out, v)?;
        out.write_all(b"\n")?;
        Ok(())
    };
    match query {
        Query::Latest { bbox, since, limit } => {
            for r in store.latest(&LatestQuery { bbox, seen_since: since, limit })? {
                line(out, &track_json(&r))?;
            }
        }
        Query::Track { target } => match store.track(&target)? {
            Some(r) => line(out, &track_json(&r))?,
            None => return Ok(false),
        },
        Query::History { target, range, limit } => {
            for r in store.history(&target, range, limit)? {
                line(out, &row_json(&r))?;
            }
        }
        Query::Positions { bbox, range, limit } => {
            for r in store.positions(bbox, range, limit)? {
                line(out, &row_json(&r))?;
            }
        }
        Query::Events(q) => {
            for e in store.events(&q)? {
                line(out, &serde_json::to_value(&e)?)?;
            }
        }
        Query::Event { id } => match store.event(&id)? {
            Some(e) => line(out, &serde_json::to_value(&e)?)?,
            None => return Ok(false),
        },
        Query::Object { id, version } => match store.object(&id, version.as_deref())? {
            Some(o) => {
                let body: Value = serde_json::from_str(&o.body)
                    .with_context(|| format!("stored body of {} is not JSON", o.id))?;
                line(
                    out,
                    &json!({
                        "id": o.id,
                        "version": o.version,
                        "kind": o.kind,
                        "marking": o.marking,
                        "received_from": o.received_from.map(|p| p.as_str().to_owned()),
                        "body": body,
                    }),
                )?;
            }
            None => return Ok(false),
        },
        Query::Versions { id } => {
            line(out, &json!({"id": id, "versions": store.object_versions(&id)?}))?;
        }
        Query::Audit { from_seq, limit } => {
            for r in store.audit(from_seq, limit)? {
                let mut v = serde_json::to_value(&r)?;
                if let Some(m) = v.as_object_mut() {
                    m.insert("time".to_owned(), time_json(r.entry.time));
                }
                line(out, &v)?;
            }
        }
    }
    Ok(true)
}

/// `kuroshio store check`: prints what was checked and every problem; `false` when unsound.
pub fn check(store: &dyn Store, out: &mut dyn Write) -> anyhow::Result<bool> {
    let report = store.check()?;
    let stats = store.stats()?;
    serde_json::to_writer_pretty(
        &mut *out,
        &json!({"sound": report.is_sound(), "checked": report.checked, "problems": report.problems, "stats": stats}),
    )?;
    out.write_all(b"\n")?;
    Ok(report.is_sound())
}

/// Positions fetched per page when exporting from a PostgreSQL store: a day of a busy region
/// is tens of millions of rows, so they are written page by page instead of held at once.
const EXPORT_PAGE_ROWS: usize = 200_000;

/// `kuroshio store export`: one UTC day's positions to a file, written under a temporary name
/// and renamed when complete. Returns rows written.
pub fn export(
    spec: &str,
    day: (i32, u8, u8),
    format: ExportFormat,
    out_path: &Path,
) -> anyhow::Result<u64> {
    let (y, m, d) = day;
    if is_url(spec) && format == ExportFormat::GeoParquet {
        // Rows from another store are ordered and written like the archive's own files.
        let store = open(spec)?;
        let mut rows = Vec::new();
        page_day(store.as_ref(), day, &mut |r| {
            rows.push(r.clone());
            Ok(())
        })?;
        let n = kuroshio_archive::write_geoparquet(
            out_path,
            rows,
            kuroshio_archive::ROW_GROUP_ROWS_DEFAULT,
        )?;
        return Ok(n);
    }
    let tmp = temp_path(out_path);
    let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut out = BufWriter::new(file);
    let rows = if is_url(spec) {
        let store = open(spec)?;
        let mut w = kuroshio_archive::TextWriter::new(format, &mut out)?;
        let n = page_day(store.as_ref(), day, &mut |r| Ok(w.row(r)?))?;
        w.finish()?;
        n
    } else {
        open_embedded(spec)?.archive().export_day(y, m, d, format, &mut out)?
    };
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all().with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out_path)
        .with_context(|| format!("renaming {} to {}", tmp.display(), out_path.display()))?;
    Ok(rows)
}

pub(crate) fn is_url(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// Hands every position of a UTC day in a store to `each`, page by page through
/// [`Store::positions`]; returns how many.
fn page_day(
    store: &dyn Store,
    (y, m, d): (i32, u8, u8),
    each: &mut dyn FnMut(&PositionRow) -> anyhow::Result<()>,
) -> anyhow::Result<u64> {
    let from = Timestamp::from_civil(y, m, d, 0, 0, 0, 0).context("not a date")?;
    let to = from.saturating_add_nanos(86_400 * 1_000_000_000);
    let mut next = from;
    let mut seen_at_next: Vec<PositionRow> = Vec::new();
    let mut total = 0u64;
    loop {
        let range = TimeRange::new(next, to).context("range")?;
        let page = store.positions(BBox::WORLD, range, EXPORT_PAGE_ROWS)?;
        let full = page.len() == EXPORT_PAGE_ROWS;
        let last_time = page.last().map(|r| r.time);
        // Rows at the page's last instant are fetched again by the next page (the range is
        // by time); skip the ones already handed over.
        let mut fresh = 0usize;
        for r in &page {
            if r.time == next && seen_at_next.contains(r) {
                continue;
            }
            each(r)?;
            fresh += 1;
        }
        total += fresh as u64;
        if !full {
            break;
        }
        let Some(last) = last_time else { break };
        if last == next && fresh == 0 {
            bail!("more than {EXPORT_PAGE_ROWS} positions at one instant ({last}); cannot page");
        }
        seen_at_next = page.into_iter().filter(|r| r.time == last).collect();
        next = last;
    }
    Ok(total)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}
