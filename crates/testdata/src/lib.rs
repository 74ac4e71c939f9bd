//! Locates the shared real-world data sets that Kuroshio's conformance tests read.
//!
//! The data (AIS sentences, Mode S frames, STIX bundles, …) is published by others under
//! various licences, so it is never copied into this repository: tests read it at run time from
//! the `shared/data` folder that sits beside the checkout (`../shared/data` from the workspace
//! root), or from the folder named by the `KUROSHIO_SHARED_DATA` environment variable.
//!
//! When the data is absent a test calls [`path`], gets `None`, prints a visible skip line and
//! returns. CI always has the data, and sets `KUROSHIO_REQUIRE_SHARED_DATA=1` so that a missing
//! folder fails the run instead of skipping silently.

use std::path::PathBuf;

/// Environment variable naming the data folder explicitly.
pub const DATA_ENV: &str = "KUROSHIO_SHARED_DATA";

/// Environment variable that turns a missing data folder into a test failure.
pub const REQUIRE_ENV: &str = "KUROSHIO_REQUIRE_SHARED_DATA";

/// The root of the shared data folder, if present.
pub fn root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_ENV) {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    // crates/testdata -> workspace root -> its parent.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    dir.is_dir().then_some(dir)
}

/// The path of `relative` inside the shared data folder, or `None` (after printing a skip line)
/// when the folder or the file is missing.
///
/// # Panics
///
/// When `KUROSHIO_REQUIRE_SHARED_DATA` is set and the file is missing: in CI a missing data
/// file must fail the run rather than pass it unchecked.
pub fn path(relative: &str) -> Option<PathBuf> {
    let found = root().map(|r| r.join(relative)).filter(|p| p.exists());
    if found.is_none() {
        let required = std::env::var_os(REQUIRE_ENV).is_some_and(|v| v != "0");
        #[allow(clippy::panic)]
        if required {
            panic!("shared data file {relative} is missing and {REQUIRE_ENV} is set");
        }
        eprintln!("SKIPPED: shared data file {relative} not found (set {DATA_ENV})");
    }
    found
}

/// Reads a shared data file to bytes; `None` (after a skip line) when absent.
///
/// # Panics
///
/// When the file exists but cannot be read, or as [`path`] does.
pub fn read(relative: &str) -> Option<Vec<u8>> {
    let p = path(relative)?;
    #[allow(clippy::expect_used)]
    Some(std::fs::read(&p).expect("shared data file exists but cannot be read"))
}
