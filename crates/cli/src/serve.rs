//! `kuroshio serve`: the node's HTTP API over its store.
//!
//! Opens the store (a directory or a PostgreSQL URL), binds the listen address and serves
//! `kuroshio_api::router` on a two-worker Tokio runtime until SIGINT or SIGTERM, then stops
//! accepting and lets requests in flight finish. The first line on standard output is the
//! address actually bound (`--listen 127.0.0.1:0` picks a free port), so scripts and tests can
//! read it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use kuroshio_api::{ApiState, router};
use kuroshio_model::PartnerCode;

/// Runtime worker threads: the machine a node runs on may have two cores; the store is behind
/// one mutex, so more workers would only wait.
const WORKERS: usize = 2;

/// Runs the command.
pub fn run(
    store: &str,
    listen: &str,
    partner: PartnerCode,
    zones: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let catalogue = crate::zones::load(zones)?;
    let state = ApiState {
        store: Arc::new(Mutex::new(crate::store_cmd::open(store)?)),
        zones_geojson: Arc::new(catalogue.to_geojson()),
        partner,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .enable_io()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("binding {listen}"))?;
        let addr = listener.local_addr().context("reading the bound address")?;
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "kuroshio serve: http://{addr} (store {store}); Ctrl-C stops")?;
            out.flush()?;
        }
        axum::serve(listener, router(state))
            .with_graceful_shutdown(stop_signal())
            .await
            .context("serving")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on the first SIGINT or SIGTERM.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
        (Ok(mut int), Ok(mut term)) => {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
        // Without signal handling the server runs until the process is killed.
        _ => std::future::pending::<()>().await,
    }
}
