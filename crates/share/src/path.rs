//! STIX granular-marking selectors: finding, and removing, the property a selector names.
//!
//! A selector is a dotted path of property names, with `[n]` for the n-th element of a list
//! (STIX 2.1 §7.2.3.1: `description`, `kill_chain_phases.[0].phase_name`).

use serde_json::{Map, Value};

/// Longest selector followed: deeper paths do not occur in STIX objects and are refused.
pub const SELECTOR_DEPTH_MAX: usize = 16;

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(selector: &str) -> Option<Vec<Step<'_>>> {
    if selector.is_empty() {
        return None;
    }
    let parts: Vec<&str> = selector.split('.').collect();
    if parts.len() > SELECTOR_DEPTH_MAX {
        return None;
    }
    parts
        .into_iter()
        .map(|p| {
            if let Some(inner) = p.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                inner.parse().ok().map(Step::Index)
            } else if p.is_empty() || p.contains(['[', ']']) {
                None
            } else {
                Some(Step::Key(p))
            }
        })
        .collect()
}

/// The value `selector` names in `object`, if it names one.
pub fn get<'a>(object: &'a Map<String, Value>, selector: &str) -> Option<&'a Value> {
    let steps = steps(selector)?;
    let (first, rest) = steps.split_first()?;
    let Step::Key(k) = first else { return None };
    let mut v = object.get(*k)?;
    for s in rest {
        v = match s {
            Step::Key(k) => v.as_object()?.get(*k)?,
            Step::Index(i) => v.as_array()?.get(*i)?,
        };
    }
    Some(v)
}

/// Whether `selector` is a plain path of property names (no list index).
pub fn is_property_path(selector: &str) -> bool {
    steps(selector).is_some_and(|s| s.iter().all(|s| matches!(s, Step::Key(_))))
}

/// Removes the property a plain property path names; `false` when there is none (or the
/// selector has a list index: removing a list element would move the others).
pub fn remove(object: &mut Map<String, Value>, selector: &str) -> bool {
    let Some(steps) = steps(selector) else { return false };
    let keys: Option<Vec<&str>> =
        steps.iter().map(|s| if let Step::Key(k) = s { Some(*k) } else { None }).collect();
    let Some(keys) = keys else { return false };
    let Some((last, parents)) = keys.split_last() else { return false };
    let mut map = object;
    for k in parents {
        match map.get_mut(*k).and_then(Value::as_object_mut) {
            Some(m) => map = m,
            None => return false,
        }
    }
    map.remove(*last).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors_resolve_and_remove() {
        let v = json!({"a": {"b": [1, {"c": 2}]}, "d": "x"});
        let o = v.as_object().unwrap();
        assert_eq!(get(o, "a.b.[1].c"), Some(&json!(2)));
        assert_eq!(get(o, "d"), Some(&json!("x")));
        assert_eq!(get(o, "a.b.[2]"), None);
        assert_eq!(get(o, "a..b"), None);
        assert_eq!(get(o, ""), None);
        assert!(is_property_path("a.b") && !is_property_path("a.[0]"));
        let mut m = o.clone();
        assert!(remove(&mut m, "d"));
        assert!(!remove(&mut m, "d"));
        assert!(!remove(&mut m, "a.b.[0]"));
        assert!(remove(&mut m, "a.b"));
        assert_eq!(Value::Object(m), json!({"a": {}}));
    }
}
