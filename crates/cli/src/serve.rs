//! `kuroshio serve`: the node's HTTP API over its store.
//!
//! Opens the store (a directory or a PostgreSQL URL), binds the listen address and serves
//! `kuroshio_api::router` on a two-worker Tokio runtime of its own thread ([`spawn`], which
//! `kuroshio demo` uses too) until SIGINT or SIGTERM, then stops accepting and lets requests in
//! flight finish. The first line on standard output is the
//! address actually bound (`--listen 127.0.0.1:0` picks a free port), so scripts and tests can
//! read it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
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
    let state = ApiState::new(
        Arc::new(Mutex::new(crate::store_cmd::open(store)?)),
        catalogue.to_geojson(),
        partner,
    );
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the Ctrl-C handler")?;
    }
    let (addr, server) = spawn(state, listen, Live::Tail)?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "kuroshio serve: http://{addr} (store {store}); Ctrl-C stops")?;
        out.flush()?;
    }
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(STOP_POLL);
    }
    server.stop();
    Ok(ExitCode::SUCCESS)
}

/// How often the serving command looks for SIGINT or SIGTERM.
const STOP_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// A server running on a thread of its own, stopped by [`Background::stop`].
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

/// Where the live stream's updates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// The store, polled by [`kuroshio_api::live::tail`]: another process writes it.
    Tail,
    /// A pipeline of this process publishes to the hub itself.
    Published,
}

/// Binds `listen` now (so a busy port is an error here, not later) and serves the API over
/// `state` on a thread of its own; the address actually bound and the handle.
pub fn spawn(
    state: ApiState,
    listen: &str,
    live: Live,
) -> anyhow::Result<(std::net::SocketAddr, Background)> {
    spawn_router(router(state.clone()), &state, live, listen)
}

/// Binds `listen` now and serves `app` — whose live stream is `state`'s — on a thread of its
/// own; the address actually bound and the handle. Stopping it closes the live stream, whose
/// responses would otherwise keep a graceful shutdown waiting forever.
pub fn spawn_router(
    app: axum::Router,
    state: &ApiState,
    live: Live,
    listen: &str,
) -> anyhow::Result<(std::net::SocketAddr, Background)> {
    let std_listener = std::net::TcpListener::bind(listen).with_context(|| {
        format!(
            "binding {listen} for the API (another port: --listen 127.0.0.1:0; none: --no-serve)"
        )
    })?;
    std_listener.set_nonblocking(true).context("configuring the API socket")?;
    let addr = std_listener.local_addr().context("reading the bound address")?;
    let state = state.clone();
    let server = spawn_task("api", move |shutdown| async move {
        let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else {
            return;
        };
        let hub = Arc::clone(&state.live);
        if live == Live::Tail {
            tokio::spawn(kuroshio_api::live::tail(state));
        }
        let shutdown = async move {
            shutdown.await;
            hub.close();
        };
        let _ = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    })?;
    Ok((addr, server))
}

/// Runs the future `task(shutdown)` on a Tokio runtime of a thread of its own (named `name`);
/// `shutdown` completes when the handle is stopped.
pub fn spawn_task<F, T>(name: &str, task: T) -> anyhow::Result<Background>
where
    T: FnOnce(std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>) -> F
        + Send
        + 'static,
    F: std::future::Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .enable_io()
        .enable_time()
        .build()
        .context("starting a server runtime")?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            runtime.block_on(task(Box::pin(async {
                let _ = rx.await;
            })));
        })
        .context("starting a server thread")?;
    Ok(Background { stop: Some(tx), thread: Some(thread) })
}
