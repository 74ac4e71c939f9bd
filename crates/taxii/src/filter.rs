//! The query string of the objects, manifest and versions endpoints, read into [`Filters`].
//!
//! TAXII 2.1 (OASIS Standard, 10 June 2021, "Filtering" and "Pagination") defines
//! `added_after`, `limit`, `next` and the `match[<field>]` parameters `id`, `type`, `version`
//! and `spec_version`, each a comma-separated list. `match[version]` takes `last`, `first`,
//! `all` or timestamps (default `last`); without `match[spec_version]` only the newest
//! specification version of each object version is returned. Names and values are
//! percent-decoded. Unknown or repeated parameters, empty values, timestamps that do not parse
//! and lists over [`FILTER_VALUES_MAX`] are refused: the server answers 422 rather than guess.

/// Longest query string read, bytes; longer ones are refused before parsing.
pub const QUERY_BYTES_MAX: usize = 8_192;

/// Most values one `match[...]` list may hold: each becomes an SQL parameter or a comparison
/// per row scanned.
pub const FILTER_VALUES_MAX: usize = 100;

/// Which versions of each object a request selects (`match[version]`): the union of what is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionFilter {
    /// Every version.
    pub all: bool,
    /// The newest version.
    pub last: bool,
    /// The oldest version.
    pub first: bool,
    /// Versions whose `modified` (or `created`) is one of these instants, nanoseconds.
    pub at_ns: Vec<i64>,
}

impl VersionFilter {
    /// The default, `last`.
    pub fn last() -> VersionFilter {
        VersionFilter { last: true, ..VersionFilter::default() }
    }
}

/// A parsed filter query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    /// `added_after`: only records added strictly after this instant, microseconds.
    pub added_after_us: Option<i64>,
    /// `limit`: most records the client wants in one page (the server may return fewer).
    pub limit: Option<usize>,
    /// `next`: the cursor of a previous page.
    pub next: Option<String>,
    /// `match[id]`.
    pub ids: Vec<String>,
    /// `match[type]`.
    pub types: Vec<String>,
    /// `match[version]`.
    pub versions: VersionFilter,
    /// `match[spec_version]`; empty means the newest specification version of each version.
    pub spec_versions: Vec<String>,
    /// Which parameters were present, by name, to refuse those an endpoint does not take.
    pub present: Vec<&'static str>,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            added_after_us: None,
            limit: None,
            next: None,
            ids: Vec::new(),
            types: Vec::new(),
            versions: VersionFilter::last(),
            spec_versions: Vec::new(),
            present: Vec::new(),
        }
    }
}

/// Why a filter query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// The query string is longer than [`QUERY_BYTES_MAX`].
    #[error("query string of {bytes} bytes; at most {QUERY_BYTES_MAX}")]
    TooLong {
        /// Its length.
        bytes: usize,
    },
    /// Bad percent-encoding or not UTF-8.
    #[error("query string: {0}")]
    Encoding(&'static str),
    /// A parameter this server does not know.
    #[error("unknown parameter {0:?}")]
    Unknown(String),
    /// A parameter given twice.
    #[error("parameter {0} given twice")]
    Repeated(&'static str),
    /// A value that does not parse.
    #[error("parameter {name}: {why}")]
    Value {
        /// The parameter.
        name: &'static str,
        /// What is wrong.
        why: String,
    },
}

const NAMES: [&str; 7] = [
    "added_after",
    "limit",
    "next",
    "match[id]",
    "match[type]",
    "match[version]",
    "match[spec_version]",
];

/// Reads a raw query string (without the `?`) into [`Filters`].
pub fn parse_filters(raw: &str) -> Result<Filters, FilterError> {
    if raw.len() > QUERY_BYTES_MAX {
        return Err(FilterError::TooLong { bytes: raw.len() });
    }
    let mut f = Filters::default();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        let name = NAMES
            .iter()
            .copied()
            .find(|n| *n == k)
            .ok_or_else(|| FilterError::Unknown(k.chars().take(64).collect()))?;
        if f.present.contains(&name) {
            return Err(FilterError::Repeated(name));
        }
        f.present.push(name);
        let bad = |why: &str| FilterError::Value { name, why: why.to_owned() };
        if v.is_empty() {
            return Err(bad("empty value"));
        }
        match name {
            "added_after" => {
                f.added_after_us =
                    Some(crate::time::parse_us(&v).ok_or_else(|| bad("not a timestamp"))?);
            }
            "limit" => match v.parse::<usize>() {
                Ok(n) if n >= 1 => f.limit = Some(n),
                _ => return Err(bad("not a positive integer")),
            },
            "next" => f.next = Some(v),
            "match[id]" => f.ids = list(&v, name)?,
            "match[type]" => f.types = list(&v, name)?,
            "match[spec_version]" => f.spec_versions = list(&v, name)?,
            _ => {
                let mut vf = VersionFilter::default();
                for item in list(&v, name)? {
                    match item.as_str() {
                        "all" => vf.all = true,
                        "last" => vf.last = true,
                        "first" => vf.first = true,
                        t => vf.at_ns.push(
                            crate::time::parse_ns(t)
                                .ok_or_else(|| bad("not last, first, all or a timestamp"))?,
                        ),
                    }
                }
                f.versions = vf;
            }
        }
    }
    Ok(f)
}

fn list(v: &str, name: &'static str) -> Result<Vec<String>, FilterError> {
    let items: Vec<String> = v.split(',').map(str::to_owned).collect();
    if items.iter().any(String::is_empty) {
        return Err(FilterError::Value { name, why: "empty item in list".into() });
    }
    if items.len() > FILTER_VALUES_MAX {
        return Err(FilterError::Value {
            name,
            why: format!("{} values; at most {FILTER_VALUES_MAX}", items.len()),
        });
    }
    Ok(items)
}

/// Percent-decoding (`+` is a space) into UTF-8.
fn decode(s: &str) -> Result<String, FilterError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(byte.ok_or(FilterError::Encoding("bad percent-encoding"))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| FilterError::Encoding("not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_taxii_parameters() {
        let f = parse_filters(
            "match%5Bid%5D=indicator--1,malware--2&match[version]=first,2016-12-25T12:30:59.444Z\
             &added_after=2016-11-03T12:30:59.001Z&limit=2&next=17&match[spec_version]=2.1",
        )
        .unwrap();
        assert_eq!(f.ids, ["indicator--1", "malware--2"]);
        assert!(f.versions.first && !f.versions.last && !f.versions.all);
        assert_eq!(f.versions.at_ns.len(), 1);
        assert_eq!(f.added_after_us, crate::time::parse_us("2016-11-03T12:30:59.001Z"));
        assert_eq!((f.limit, f.next.as_deref()), (Some(2), Some("17")));
        assert_eq!(f.spec_versions, ["2.1"]);
        assert_eq!(parse_filters("").unwrap(), Filters::default());
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "limit=0",
            "limit=x",
            "match[version]=newest",
            "added_after=yesterday",
            "match[id]=",
            "match[id]=a,,b",
            "match[colour]=red",
            "limit=1&limit=2",
            "next=%zz",
            "next=%ff",
        ] {
            assert!(parse_filters(bad).is_err(), "{bad}");
        }
        assert!(parse_filters(&"a".repeat(QUERY_BYTES_MAX + 1)).is_err());
        let many = vec!["x"; FILTER_VALUES_MAX + 1].join(",");
        assert!(parse_filters(&format!("match[type]={many}")).is_err());
    }
}
