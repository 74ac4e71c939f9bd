//! The node's counters for `/metrics`, in the Prometheus text exposition format 0.0.4
//! (<https://prometheus.io/docs/instrumenting/exposition_formats/>).
//!
//! The pipelines that feed the node (`kuroshio demo`, `kuroshio ingest`, a node's federation
//! pulls) report into a [`FeedMetrics`]; the API renders it with the store's figures and its
//! own. Every feed reports the same named counters, per feed and format, as the decoders count
//! them: received (lines, frames), decoded (messages), errors by kind, and dropped at a limit or
//! for want of a time. Pipelines report totals ([`FeedMetrics::set_feed`]), not increments, so a
//! counter is exactly what the decoder counted.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// What one feed's decoder counted since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedCounts {
    /// Units received: lines for line formats, frames for Beast.
    pub received: u64,
    /// Messages decoded.
    pub decoded: u64,
    /// Observations produced (decoded messages with a position or identity and a time).
    pub observations: u64,
    /// Faults by kind (`bad_checksum`, `crc_mismatch`, `malformed`, …).
    pub errors: BTreeMap<String, u64>,
    /// Input left out, by reason (`untimed`, a limit's name, …).
    pub dropped: BTreeMap<String, u64>,
}

/// Counters of the node's pipelines, shared between them and the API.
#[derive(Debug, Default)]
pub struct FeedMetrics {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// By (feed, format).
    feeds: BTreeMap<(String, String), FeedCounts>,
    /// Other counters by (name, label set as `k="v",…`), with their help text.
    counters: BTreeMap<String, (String, BTreeMap<String, u64>)>,
}

impl FeedMetrics {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every change is one assignment; a poisoned lock holds consistent counters.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sets feed `feed`'s counters (format `format`: `nmea`, `beast`, …) to `counts`, the
    /// decoder's totals.
    pub fn set_feed(&self, feed: &str, format: &str, counts: FeedCounts) {
        self.inner().feeds.insert((feed.to_owned(), format.to_owned()), counts);
    }

    /// One feed's counters, as last set.
    pub fn feed(&self, feed: &str, format: &str) -> Option<FeedCounts> {
        self.inner().feeds.get(&(feed.to_owned(), format.to_owned())).cloned()
    }

    /// Sets counter `name` (a Prometheus metric name ending `_total`) with labels `labels`
    /// (`key="value"` pairs, comma-separated, values escaped by the caller) to `value`.
    pub fn set_counter(&self, name: &str, help: &str, labels: &str, value: u64) {
        let mut inner = self.inner();
        let entry = inner
            .counters
            .entry(name.to_owned())
            .or_insert_with(|| (help.to_owned(), BTreeMap::new()));
        entry.1.insert(labels.to_owned(), value);
    }

    /// Adds `by` to counter `name` with `labels` (see [`FeedMetrics::set_counter`]).
    pub fn add_counter(&self, name: &str, help: &str, labels: &str, by: u64) {
        let mut inner = self.inner();
        let entry = inner
            .counters
            .entry(name.to_owned())
            .or_insert_with(|| (help.to_owned(), BTreeMap::new()));
        *entry.1.entry(labels.to_owned()).or_insert(0) += by;
    }

    /// The counters in the text exposition format.
    pub fn render(&self, out: &mut String) {
        let inner = self.inner();
        let feeds = &inner.feeds;
        type Get = fn(&FeedCounts) -> u64;
        let simple: [(&str, &str, Get); 3] = [
            (
                "kuroshio_feed_received_total",
                "Units received by a feed (lines; frames for Beast).",
                |c| c.received,
            ),
            ("kuroshio_feed_decoded_total", "Messages decoded by a feed.", |c| c.decoded),
            ("kuroshio_feed_observations_total", "Timed observations a feed produced.", |c| {
                c.observations
            }),
        ];
        for (name, help, get) in simple {
            header(out, name, help);
            for ((feed, format), c) in feeds {
                let _ = writeln!(out, "{name}{{{}}} {}", feed_labels(feed, format), get(c));
            }
        }
        type Map = fn(&FeedCounts) -> &BTreeMap<String, u64>;
        let by_kind: [(&str, &str, &str, Map); 2] = [
            ("kuroshio_feed_errors_total", "Faults in a feed's input, by kind.", "kind", |c| {
                &c.errors
            }),
            (
                "kuroshio_feed_dropped_total",
                "Input a feed left out, by reason (a limit, or no time).",
                "reason",
                |c| &c.dropped,
            ),
        ];
        for (name, help, label, get) in by_kind {
            header(out, name, help);
            for ((feed, format), c) in feeds {
                for (kind, n) in get(c) {
                    let _ = writeln!(
                        out,
                        "{name}{{{},{label}=\"{}\"}} {n}",
                        feed_labels(feed, format),
                        escape(kind)
                    );
                }
            }
        }
        for (name, (help, series)) in &inner.counters {
            header(out, name, help);
            for (labels, v) in series {
                if labels.is_empty() {
                    let _ = writeln!(out, "{name} {v}");
                } else {
                    let _ = writeln!(out, "{name}{{{labels}}} {v}");
                }
            }
        }
    }
}

fn header(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
}

fn feed_labels(feed: &str, format: &str) -> String {
    format!("feed=\"{}\",format=\"{}\"", escape(feed), escape(format))
}

/// A label value as the exposition format writes it: `\`, `"` and newlines escaped.
pub fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_render_with_escaped_labels() {
        let m = FeedMetrics::default();
        let mut c = FeedCounts { received: 10, decoded: 7, observations: 6, ..Default::default() };
        c.errors.insert("bad_checksum".into(), 3);
        c.dropped.insert("untimed".into(), 1);
        m.set_feed("a\"b", "nmea", c);
        m.add_counter("kuroshio_store_commits_total", "Commits.", "", 2);
        m.add_counter("kuroshio_store_commits_total", "Commits.", "", 1);
        let mut out = String::new();
        m.render(&mut out);
        assert!(
            out.contains("kuroshio_feed_received_total{feed=\"a\\\"b\",format=\"nmea\"} 10\n"),
            "{out}"
        );
        assert!(out.contains(
            "kuroshio_feed_errors_total{feed=\"a\\\"b\",format=\"nmea\",kind=\"bad_checksum\"} 3\n"
        ));
        assert!(out.contains(
            "kuroshio_feed_dropped_total{feed=\"a\\\"b\",format=\"nmea\",reason=\"untimed\"} 1\n"
        ));
        assert!(out.contains("kuroshio_store_commits_total 3\n"), "{out}");
        assert!(out.contains("# TYPE kuroshio_feed_decoded_total counter\n"));
    }
}
