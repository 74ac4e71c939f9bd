//! Time slices: every target's positions in a time range and box, a page at a time, and
//! optionally thinned to one position per target per `every` of data time — what a replay
//! draws, without one history request per target.
//!
//! Pages follow the store's order (time, then target) and end on a boundary that the next
//! page starts from, so that pages put together hold every position once: unthinned, before
//! the first time stamp the page could not hold whole; thinned, before the first bucket of
//! `every` it could not hold whole. The store is read [`READ_ROWS`] rows at a time and at most
//! [`READ_ROWS_MAX`] rows per page, so one request's work is bounded whatever the range.

use std::collections::HashSet;

use kuroshio_archive::PositionRow;
use kuroshio_model::Timestamp;
use kuroshio_store::TimeRange;

/// Store rows read at once for a thinned page.
pub const READ_ROWS: usize = 50_000;

/// Store rows one thinned page reads at most: about a second of the embedded store's time;
/// a page that reaches it ends early with a `next_from`.
pub const READ_ROWS_MAX: usize = 1_000_000;

/// One page of a time slice.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Positions, ordered by time then target.
    pub rows: Vec<PositionRow>,
    /// Where the next page starts, when the slice goes on.
    pub next_from: Option<Timestamp>,
}

/// A page of at most `limit` positions in `[from, to)`, every one when `every_ns` is `None`,
/// else the first of each target in each `every_ns` bucket of time since the epoch. `fetch`
/// reads the store: positions in a range, ordered by time then target, at most the count.
pub fn page<E>(
    fetch: impl FnMut(TimeRange, usize) -> Result<Vec<PositionRow>, E>,
    range: TimeRange,
    limit: usize,
    every_ns: Option<i64>,
) -> Result<Page, E> {
    let mut p = page_from(fetch, range, limit, every_ns)?;
    // A page that skipped to a boundary at or past the end has nothing after it.
    p.next_from = p.next_from.filter(|t| *t < range.to);
    Ok(p)
}

fn page_from<E>(
    mut fetch: impl FnMut(TimeRange, usize) -> Result<Vec<PositionRow>, E>,
    range: TimeRange,
    limit: usize,
    every_ns: Option<i64>,
) -> Result<Page, E> {
    let Some(every) = every_ns.filter(|e| *e > 0) else {
        return Ok(whole(fetch(range, limit.saturating_add(1))?, limit));
    };
    let bucket = |t: Timestamp| t.unix_nanos().div_euclid(every);
    let start = |b: i64| Timestamp::from_unix_nanos(b.saturating_mul(every));
    let mut seen: HashSet<(String, i64)> = HashSet::new();
    let mut out: Vec<PositionRow> = Vec::new();
    let mut cursor = range.from;
    let mut read = 0usize;
    while let Some(r) = TimeRange::new(cursor, range.to).filter(|_| cursor < range.to) {
        let rows = fetch(r, READ_ROWS)?;
        read += rows.len();
        let full = rows.len() == READ_ROWS;
        let last = rows.last().map(|r| r.time);
        for row in rows {
            // Rows read twice (at the time a read ended on) are seen already.
            if seen.insert((kuroshio_store::target_key(&row.target), bucket(row.time))) {
                out.push(row);
            }
        }
        if out.len() > limit {
            let cut = bucket(out[limit].time);
            return Ok(end_before(out, cut, limit, start, bucket));
        }
        let Some(last) = last.filter(|_| full) else { break };
        cursor = if last > cursor {
            last
        } else {
            Timestamp::from_unix_nanos(last.unix_nanos().saturating_add(1))
        };
        if read >= READ_ROWS_MAX {
            return Ok(end_before(out, bucket(cursor), limit, start, bucket));
        }
    }
    Ok(Page { rows: out, next_from: None })
}

/// The rows before bucket `cut`, and `cut`'s start to go on from; when that leaves nothing
/// (one bucket holds more than a page), the first `limit` rows and the next bucket's start.
fn end_before(
    mut out: Vec<PositionRow>,
    cut: i64,
    limit: usize,
    start: impl Fn(i64) -> Timestamp,
    bucket: impl Fn(Timestamp) -> i64,
) -> Page {
    let keep = out.iter().position(|r| bucket(r.time) >= cut).unwrap_or(out.len());
    if keep == 0 {
        out.truncate(limit);
        return Page { rows: out, next_from: Some(start(cut.saturating_add(1))) };
    }
    out.truncate(keep);
    Page { rows: out, next_from: Some(start(cut)) }
}

/// An unthinned page from up to `limit + 1` rows.
fn whole(mut rows: Vec<PositionRow>, limit: usize) -> Page {
    if rows.len() <= limit {
        return Page { rows, next_from: None };
    }
    let first_left = rows[limit].time;
    rows.truncate(limit);
    let keep = rows.iter().rposition(|r| r.time < first_left).map_or(0, |i| i + 1);
    if keep == 0 {
        // More than a page at one time stamp: those beyond the page are skipped.
        let next = Timestamp::from_unix_nanos(first_left.unix_nanos().saturating_add(1));
        return Page { rows, next_from: Some(next) };
    }
    rows.truncate(keep);
    Page { rows, next_from: Some(first_left) }
}
