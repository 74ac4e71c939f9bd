//! Mutual TLS between nodes: a partner's node is identified by its certificate; anyone else
//! is refused; a client that stalls its handshake holds only its own slot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;
use std::time::Duration;

use axum::Router;
use axum::extract::Extension;
use axum::routing::get;
use common::{identity, load, p, start_mtls};
use kuroshio_federation::serve::ServeOptions;
use kuroshio_federation::tls::client_tls;
use kuroshio_model::PartnerCode;

/// Answers with the partner the connection was identified as.
fn echo() -> Router {
    Router::new().route(
        "/who",
        get(
            |Extension(partner): Extension<PartnerCode>| async move { partner.as_str().to_owned() },
        ),
    )
}

fn ask(url: &str, tls: ureq::tls::TlsConfig) -> Result<String, ureq::Error> {
    let agent = ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent();
    agent.get(url).call()?.body_mut().read_to_string()
}

#[test]
fn a_partner_is_named_by_its_certificate_and_strangers_are_refused() {
    let (us, jp, tw) = (identity("US"), identity("JP"), identity("TW"));
    let cas = vec![(p("JP"), jp.ca_pem.clone()), (p("TW"), tw.ca_pem.clone())];
    let server = start_mtls(&us, cas, echo(), |partner| partner, ServeOptions::default());
    let url = format!("{}/who", server.https());

    assert_eq!(ask(&url, client_tls(&jp, &us.ca_pem).unwrap()).unwrap(), "JP");
    assert_eq!(ask(&url, client_tls(&tw, &us.ca_pem).unwrap()).unwrap(), "TW");
    assert_eq!(load(&server.stats.served), 2);

    // A node whose CA the server does not trust.
    let stranger = identity("AU");
    assert!(ask(&url, client_tls(&stranger, &us.ca_pem).unwrap()).is_err());
    assert!(server.wait_for(|s| load(&s.handshake_failures), 1) >= 1);
    // No client certificate at all.
    let anonymous = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::new_with_certs(&[ureq::tls::Certificate::from_pem(
            us.ca_pem.as_bytes(),
        )
        .unwrap()]))
        .build();
    assert!(ask(&url, anonymous).is_err());
    assert!(server.wait_for(|s| load(&s.handshake_failures), 2) >= 2);
    // A client that trusts another partner's CA for this server refuses it.
    assert!(ask(&url, client_tls(&jp, &tw.ca_pem).unwrap()).is_err());
    assert_eq!(load(&server.stats.served), 2);
}

#[test]
fn a_stalled_handshake_does_not_block_others() {
    let (us, jp) = (identity("US"), identity("JP"));
    let cas = vec![(p("JP"), jp.ca_pem.clone())];
    let server = start_mtls(&us, cas, echo(), |partner| partner, ServeOptions::default());
    let url = format!("{}/who", server.https());
    // Connects and says nothing.
    let silent = std::net::TcpStream::connect(server.addr).unwrap();
    assert_eq!(server.wait_for(|s| load(&s.accepted), 1), 1);
    assert_eq!(ask(&url, client_tls(&jp, &us.ca_pem).unwrap()).unwrap(), "JP");
    drop(silent);
}

#[test]
fn a_stalled_handshake_gives_its_slot_back_at_the_timeout() {
    let (us, jp) = (identity("US"), identity("JP"));
    let cas = vec![(p("JP"), jp.ca_pem.clone())];
    // One connection at a time: the partner gets in only once the silent one is dropped.
    let options = ServeOptions {
        handshake_timeout: Duration::from_millis(300),
        connections_max: 1,
        ..ServeOptions::default()
    };
    let server = start_mtls(&us, cas, echo(), |partner| partner, options);
    let url = format!("{}/who", server.https());
    let mut silent = std::net::TcpStream::connect(server.addr).unwrap();
    assert_eq!(server.wait_for(|s| load(&s.accepted), 1), 1);
    assert_eq!(ask(&url, client_tls(&jp, &us.ca_pem).unwrap()).unwrap(), "JP");
    assert_eq!(load(&server.stats.handshake_failures), 1);
    // The server closed the silent connection.
    let mut buf = [0u8; 16];
    assert_eq!(silent.read(&mut buf).unwrap_or(0), 0);
}
