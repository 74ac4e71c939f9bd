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
        counters: Default::default(),
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

/// A server running on its own thread (for `kuroshio demo`), stopped by [`Background::stop`].
pub struct Background {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Stops accepting, lets requests in flight finish, and waits for the thread.
    pub fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds `listen` now (so a busy port is an error here, not later) and serves the API over
/// `state` on a thread of its own; the address actually bound and the handle.
pub fn spawn(state: ApiState, listen: &str) -> anyhow::Result<(std::net::SocketAddr, Background)> {
    let std_listener = std::net::TcpListener::bind(listen).with_context(|| {
        format!(
            "binding {listen} for the API (another port: --listen 127.0.0.1:0; none: --no-serve)"
        )
    })?;
    std_listener.set_nonblocking(true).context("configuring the API socket")?;
    let addr = std_listener.local_addr().context("reading the bound address")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_io()
        .build()
        .context("starting the API runtime")?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("api".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else {
                    return;
                };
                let _ = axum::serve(listener, router(state))
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await;
            });
        })
        .context("starting the API thread")?;
    Ok((addr, Background { stop: Some(tx), thread: Some(thread) }))
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
