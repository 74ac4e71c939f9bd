//! Serving an axum app to partner nodes over mutual TLS.
//!
//! [`serve_mtls`] accepts TCP connections, runs each TLS handshake in its own task under
//! [`HANDSHAKE_TIMEOUT`] (a client that never finishes holds only its own slot), identifies
//! the partner from the client certificate chain ([`PeerIdentifier`]), and serves HTTP/1.1
//! with the app, every request of the connection carrying the value the caller derives from
//! the partner (for the TAXII server, its `Principal`) as a request extension. At most
//! [`CONNECTIONS_MAX`] connections are open at once; further ones wait in the listen backlog.
//! A connection that sends no complete request head for [`REQUEST_HEAD_TIMEOUT`] is closed.
//! Refusals are counted in [`MtlsStats`].

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use kuroshio_model::PartnerCode;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::tls::PeerIdentifier;

/// Longest a TLS handshake may take, from accept to an established session: loopback and
/// intercontinental links finish in well under a second; a client still silent after this is
/// dropped so it cannot hold a connection slot.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest the server waits for a complete request head, including the wait for the next
/// request on a kept-alive connection: an idle or trickling client gives its slot back.
pub const REQUEST_HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections served at once: a federation has a handful of partners, each syncing over a few
/// connections; the cap bounds memory and tasks if a peer (or anyone reaching the port) opens
/// many.
pub const CONNECTIONS_MAX: usize = 256;

/// Pause after a failed accept (out of file descriptors, for instance) before trying again,
/// so the loop does not spin while the condition lasts.
pub const ACCEPT_RETRY_DELAY: Duration = Duration::from_millis(100);

/// What the accept loop has seen, for a metrics endpoint.
#[derive(Debug, Default)]
pub struct MtlsStats {
    /// TCP connections accepted.
    pub accepted: AtomicU64,
    /// Accepts that failed (the loop pauses [`ACCEPT_RETRY_DELAY`] and goes on).
    pub accept_errors: AtomicU64,
    /// Handshakes that failed or timed out (no or untrusted client certificate among them).
    pub handshake_failures: AtomicU64,
    /// Handshakes that succeeded with a chain no partner's CA verifies now.
    pub unidentified: AtomicU64,
    /// Connections identified as a partner and served.
    pub served: AtomicU64,
}

/// How [`serve_mtls`] bounds its work, and where it counts.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Longest a handshake may take ([`HANDSHAKE_TIMEOUT`] by default).
    pub handshake_timeout: Duration,
    /// Connections served at once ([`CONNECTIONS_MAX`] by default).
    pub connections_max: usize,
    /// The counters the loop updates.
    pub stats: Arc<MtlsStats>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            handshake_timeout: HANDSHAKE_TIMEOUT,
            connections_max: CONNECTIONS_MAX,
            stats: Arc::new(MtlsStats::default()),
        }
    }
}

/// Serves `app` on `listener` over mutual TLS with `config` (from
/// [`crate::tls::server_config`]) until `shutdown` completes; connections still open then are
/// closed. Every request of a connection from partner `p` carries `principal(p)` as a request
/// extension. A failed accept is counted and retried after [`ACCEPT_RETRY_DELAY`].
pub async fn serve_mtls<E, F, S>(
    listener: TcpListener,
    config: Arc<rustls::ServerConfig>,
    identifier: PeerIdentifier,
    app: Router,
    principal: F,
    shutdown: S,
    options: ServeOptions,
) where
    E: Clone + Send + Sync + 'static,
    F: Fn(PartnerCode) -> E + Send + Sync + 'static,
    S: Future<Output = ()> + Send,
{
    let acceptor = TlsAcceptor::from(config);
    let identifier = Arc::new(identifier);
    let principal = Arc::new(principal);
    let slots = Arc::new(Semaphore::new(options.connections_max.max(1)));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        // Reap finished connections so the set holds open ones only.
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = Arc::clone(&slots).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (tcp, _) = tokio::select! {
            () = &mut shutdown => break,
            a = listener.accept() => match a {
                Ok(a) => a,
                Err(_) => {
                    options.stats.accept_errors.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(ACCEPT_RETRY_DELAY).await;
                    continue;
                }
            },
        };
        let stats = Arc::clone(&options.stats);
        stats.accepted.fetch_add(1, Ordering::Relaxed);
        let (acceptor, identifier, principal, app) =
            (acceptor.clone(), Arc::clone(&identifier), Arc::clone(&principal), app.clone());
        let timeout = options.handshake_timeout;
        connections.spawn(async move {
            let _permit = permit;
            let tls = match tokio::time::timeout(timeout, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(_)) | Err(_) => {
                    stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            };
            let partner =
                tls.get_ref().1.peer_certificates().and_then(|chain| identifier.identify(chain));
            let Some(partner) = partner else {
                stats.unidentified.fetch_add(1, Ordering::Relaxed);
                return;
            };
            stats.served.fetch_add(1, Ordering::Relaxed);
            let value = principal(partner);
            let service = app.map_request(move |mut r: Request<hyper::body::Incoming>| {
                r.extensions_mut().insert(value.clone());
                r
            });
            let served = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(REQUEST_HEAD_TIMEOUT)
                .serve_connection(TokioIo::new(tls), TowerToHyperService::new(service))
                .await;
            // A peer closing mid-request is its own business; nothing to report upward.
            drop(served);
        });
    }
    connections.shutdown().await;
}
