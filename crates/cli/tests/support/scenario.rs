//! Shipped scenarios made lighter for the tests that generate whole days from them.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// The shipped scenario `name` (in `scenarios/`) with its background traffic (the numbers of
/// its `[traffic]` table) divided by `thin`, written to `dir/name`. Activities — PLA, coast
/// guard, anomalies — are unchanged.
pub fn thinned(name: &str, thin: u32, dir: &Path) -> PathBuf {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name);
    let text = std::fs::read_to_string(&src).unwrap();
    let mut in_traffic = false;
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_traffic = t == "[traffic]";
        }
        match (in_traffic, t.split_once('=')) {
            (true, Some((key, value))) if value.trim().parse::<u32>().is_ok() => {
                let n: u32 = value.trim().parse().unwrap();
                out.push_str(&format!("{} = {}\n", key.trim(), n.div_ceil(thin)));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    let path = dir.join(name);
    std::fs::write(&path, out).unwrap();
    path
}
