//! `kuroshio zones`: the zone catalogue, listed or exported as GeoJSON.
//!
//! The built-in catalogue (median line, ADIZs, baselines, 12/24 nm limits, strait gates, FIRs,
//! each with its status and source) plus any user files given with `--zones`, which add zones or
//! replace built-in ones by id (an announced exercise area, a corrected line).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use kuroshio_zones::Catalogue;

/// Loads the built-in catalogue and merges the user's files into it, in order.
pub fn load(files: &[PathBuf]) -> anyhow::Result<Catalogue> {
    let mut catalogue = Catalogue::builtin().context("loading the built-in zone catalogue")?;
    for path in files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading zone file {}", path.display()))?;
        let user = Catalogue::from_geojson(&text)
            .with_context(|| format!("zone file {}", path.display()))?;
        catalogue.merge(user);
    }
    Ok(catalogue)
}

/// Runs the command: a listing by default, GeoJSON with `geojson`.
pub fn run(files: &[PathBuf], geojson: bool) -> anyhow::Result<ExitCode> {
    let catalogue = load(files)?;
    let mut out = std::io::stdout().lock();
    if geojson {
        out.write_all(catalogue.to_geojson().as_bytes())?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(catalogue.listing().as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
