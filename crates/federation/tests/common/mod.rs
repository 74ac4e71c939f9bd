//! Test support: servers on background runtimes, partner codes and identities.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use kuroshio_federation::serve::{MtlsStats, ServeOptions, serve_mtls};
use kuroshio_federation::tls::{Identity, PeerIdentifier, generate, server_config};
use kuroshio_model::PartnerCode;
use tokio::sync::oneshot;

pub fn p(s: &str) -> PartnerCode {
    PartnerCode::parse(s).unwrap()
}

pub fn now_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// An identity for `code`'s node on loopback, valid from a minute ago.
pub fn identity(code: &str) -> Identity {
    generate(p(code), &["localhost".to_owned(), "127.0.0.1".to_owned()], now_s() - 60).unwrap()
}

/// A server running on its own runtime thread until dropped.
pub struct Running {
    pub addr: SocketAddr,
    pub stats: Arc<MtlsStats>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    pub fn https(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }
    pub fn http(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }
    /// Waits (bounded) until `pick(stats)` reaches `at_least`; the value reached.
    pub fn wait_for(&self, pick: impl Fn(&MtlsStats) -> u64, at_least: u64) -> u64 {
        for _ in 0..500 {
            let v = pick(&self.stats);
            if v >= at_least {
                return v;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        pick(&self.stats)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// `app` over mutual TLS as `server`'s node, trusting `partner_cas`, each request carrying
/// `principal(partner)`.
pub fn start_mtls<E, F>(
    server: &Identity,
    partner_cas: Vec<(PartnerCode, String)>,
    app: Router,
    principal: F,
    options: ServeOptions,
) -> Running
where
    E: Clone + Send + Sync + 'static,
    F: Fn(PartnerCode) -> E + Send + Sync + 'static,
{
    let config = server_config(server, &partner_cas).unwrap();
    let identifier = PeerIdentifier::new(&partner_cas).unwrap();
    let stats = Arc::clone(&options.stats);
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime().block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            let shutdown = async move {
                let _ = stopped.await;
            };
            serve_mtls(listener, config, identifier, app, principal, shutdown, options).await;
        });
    });
    let addr = addr_rx.recv().unwrap();
    Running { addr, stats, stop: Some(stop), thread: Some(thread) }
}

/// `app` over plain HTTP.
pub fn start_plain(app: Router) -> Running {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime().block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
    });
    let addr = addr_rx.recv().unwrap();
    Running { addr, stats: Arc::new(MtlsStats::default()), stop: Some(stop), thread: Some(thread) }
}

pub fn load(a: &std::sync::atomic::AtomicU64) -> u64 {
    a.load(Ordering::Relaxed)
}
