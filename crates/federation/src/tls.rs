//! Node identities for mutual TLS between partner nodes.
//!
//! Each node has its own certificate authority ([`generate`]): a self-signed CA certificate
//! (`CA:true`, key usage `keyCertSign`) and a node certificate it signs, for the node's DNS
//! names and IP addresses, usable both as a TLS server and as a TLS client (extended key usage
//! `serverAuth` and `clientAuth`). Partners exchange CA certificates only
//! ([`Identity::ca_pem`]); private keys never leave the node.
//!
//! - A node's server ([`server_config`]) requires a client certificate chaining to one of its
//!   partners' CAs, and [`PeerIdentifier::identify`] tells which partner's CA verified the
//!   chain (one verifier per partner, so a certificate names at most the partner that issued
//!   it).
//! - A node's client ([`client_tls`]) presents the node certificate and trusts only the CA of
//!   the partner it is calling.
//!
//! Keys are ECDSA P-256 (rcgen's default); TLS uses rustls with the *ring* provider.

use std::sync::Arc;

use kuroshio_model::PartnerCode;
use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::ClientCertVerifier;

/// How long a node certificate is valid from its issue time, days: 397, the longest the
/// CA/Browser Forum Baseline Requirements (section 6.3.2, since 1 September 2020) allow a
/// TLS server certificate; nodes re-issue yearly.
pub const NODE_CERT_VALIDITY_DAYS: i64 = 397;

/// How long a node's CA certificate is valid from its issue time, days (ten years): partners
/// exchange it once, out of band, so it outlives many node certificates.
pub const CA_CERT_VALIDITY_DAYS: i64 = 3_653;

/// Seconds in a day.
const DAY_S: i64 = 86_400;

/// Why an identity or a TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// Certificate generation failed.
    #[error("generating the {what} of {partner}: {source}")]
    Generate {
        /// Which certificate.
        what: &'static str,
        /// For which partner.
        partner: String,
        /// rcgen's error.
        source: rcgen::Error,
    },
    /// A time outside what certificates can carry.
    #[error("validity start {now_unix_s} s is not a representable date")]
    Time {
        /// The start given, seconds since the Unix epoch.
        now_unix_s: i64,
    },
    /// PEM text that holds no usable certificate or key.
    #[error("{what}: {why}")]
    Pem {
        /// What was being read.
        what: String,
        /// What is wrong.
        why: String,
    },
    /// rustls refused the configuration.
    #[error("{context}: {source}")]
    Rustls {
        /// What was being built.
        context: String,
        /// rustls's error.
        source: rustls::Error,
    },
    /// A client-certificate verifier could not be built (for instance no usable CA).
    #[error("client verifier for {partner}: {why}")]
    Verifier {
        /// The partner whose CA it was.
        partner: String,
        /// rustls's reason.
        why: String,
    },
}

/// A node's TLS identity, all PEM.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    /// The partner the node belongs to.
    pub partner: PartnerCode,
    /// The node's CA certificate: what partners are given to trust this node.
    pub ca_pem: String,
    /// The node certificate, signed by the CA.
    pub cert_pem: String,
    /// The node certificate's private key (PKCS#8).
    pub key_pem: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").field("partner", &self.partner).finish_non_exhaustive()
    }
}

fn date(now_unix_s: i64, plus_days: i64) -> Result<time::OffsetDateTime, TlsError> {
    let s = now_unix_s
        .checked_add(plus_days.saturating_mul(DAY_S))
        .ok_or(TlsError::Time { now_unix_s })?;
    time::OffsetDateTime::from_unix_timestamp(s).map_err(|_| TlsError::Time { now_unix_s })
}

/// A new identity for `partner`'s node: a CA and a node certificate for `names` (DNS names,
/// or IP addresses written as such), both valid from `now_unix_s` (seconds since the Unix
/// epoch) for [`CA_CERT_VALIDITY_DAYS`] and [`NODE_CERT_VALIDITY_DAYS`].
pub fn generate(
    partner: PartnerCode,
    names: &[String],
    now_unix_s: i64,
) -> Result<Identity, TlsError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let code = partner.as_str().to_owned();
    let fail = |what: &'static str| {
        let partner = code.clone();
        move |source| TlsError::Generate { what, partner, source }
    };
    let ca_key = KeyPair::generate().map_err(fail("CA key"))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(fail("CA"))?;
    ca.distinguished_name.push(DnType::CommonName, format!("Kuroshio node CA {code}"));
    ca.distinguished_name.push(DnType::OrganizationName, format!("Kuroshio partner {code}"));
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = date(now_unix_s, 0)?;
    ca.not_after = date(now_unix_s, CA_CERT_VALIDITY_DAYS)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(fail("CA certificate"))?;

    let node_key = KeyPair::generate().map_err(fail("node key"))?;
    let mut node = CertificateParams::new(names.to_vec()).map_err(fail("node certificate"))?;
    node.distinguished_name.push(DnType::CommonName, format!("Kuroshio node {code}"));
    node.distinguished_name.push(DnType::OrganizationName, format!("Kuroshio partner {code}"));
    node.is_ca = IsCa::ExplicitNoCa;
    node.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    node.extended_key_usages =
        vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    node.use_authority_key_identifier_extension = true;
    node.not_before = date(now_unix_s, 0)?;
    node.not_after = date(now_unix_s, NODE_CERT_VALIDITY_DAYS)?;
    let node_cert =
        node.signed_by(&node_key, &ca_cert, &ca_key).map_err(fail("node certificate"))?;
    Ok(Identity {
        partner,
        ca_pem: ca_cert.pem(),
        cert_pem: node_cert.pem(),
        key_pem: node_key.serialize_pem(),
    })
}

/// The *ring* crypto provider every configuration here uses.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The certificates in PEM text (at least one).
pub fn certificates(pem: &str, what: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Pem { what: what.to_owned(), why: e.to_string() })?;
    if certs.is_empty() {
        return Err(TlsError::Pem { what: what.to_owned(), why: "no certificate".into() });
    }
    Ok(certs)
}

fn private_key(pem: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| TlsError::Pem { what: "node private key".into(), why: e.to_string() })
}

fn roots(partner: PartnerCode, ca_pem: &str) -> Result<RootCertStore, TlsError> {
    let mut store = RootCertStore::empty();
    for c in certificates(ca_pem, &format!("CA certificate of {}", partner.as_str()))? {
        store.add(c).map_err(|source| TlsError::Rustls {
            context: format!("trusting the CA of {}", partner.as_str()),
            source,
        })?;
    }
    Ok(store)
}

fn client_verifier(
    partner: PartnerCode,
    store: RootCertStore,
) -> Result<Arc<dyn ClientCertVerifier>, TlsError> {
    WebPkiClientVerifier::builder_with_provider(Arc::new(store), provider()).build().map_err(|e| {
        TlsError::Verifier { partner: partner.as_str().to_owned(), why: e.to_string() }
    })
}

/// A TLS server configuration for `identity`'s node that requires every client to present a
/// certificate chaining to one of `partner_cas` (partner, CA certificate PEM).
pub fn server_config(
    identity: &Identity,
    partner_cas: &[(PartnerCode, String)],
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let mut all = RootCertStore::empty();
    for (p, pem) in partner_cas {
        all.roots.extend(roots(*p, pem)?.roots);
    }
    let verifier = client_verifier(identity.partner, all)?;
    let rustls_error = |context: &str| {
        let context = context.to_owned();
        move |source| TlsError::Rustls { context, source }
    };
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(rustls_error("server protocol versions"))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            certificates(&identity.cert_pem, "node certificate")?,
            private_key(&identity.key_pem)?,
        )
        .map_err(rustls_error("server certificate"))?;
    Ok(Arc::new(config))
}

/// Which partner a client certificate chain belongs to: one verifier per partner's CA.
#[derive(Clone)]
pub struct PeerIdentifier {
    verifiers: Vec<(PartnerCode, Arc<dyn ClientCertVerifier>)>,
}

impl std::fmt::Debug for PeerIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let partners: Vec<&str> = self.verifiers.iter().map(|(p, _)| p.as_str()).collect();
        f.debug_struct("PeerIdentifier").field("partners", &partners).finish()
    }
}

impl PeerIdentifier {
    /// An identifier over `partner_cas` (partner, CA certificate PEM).
    pub fn new(partner_cas: &[(PartnerCode, String)]) -> Result<PeerIdentifier, TlsError> {
        let mut verifiers = Vec::with_capacity(partner_cas.len());
        for (p, pem) in partner_cas {
            verifiers.push((*p, client_verifier(*p, roots(*p, pem)?)?));
        }
        Ok(PeerIdentifier { verifiers })
    }

    /// The partner whose CA verifies `peer_chain` (end entity first) now; `None` when none
    /// does.
    pub fn identify(&self, peer_chain: &[CertificateDer<'_>]) -> Option<PartnerCode> {
        let (end_entity, intermediates) = peer_chain.split_first()?;
        let now = UnixTime::now();
        self.verifiers
            .iter()
            .find(|(_, v)| v.verify_client_cert(end_entity, intermediates, now).is_ok())
            .map(|(p, _)| *p)
    }
}

/// A ureq TLS configuration for `identity`'s node calling a partner's node: presents the node
/// certificate and trusts only `server_partner_ca_pem`, the called partner's CA.
pub fn client_tls(
    identity: &Identity,
    server_partner_ca_pem: &str,
) -> Result<ureq::tls::TlsConfig, TlsError> {
    use ureq::tls::{Certificate, ClientCert, RootCerts, TlsConfig, TlsProvider};
    let chain: Vec<Certificate<'static>> = certificates(&identity.cert_pem, "node certificate")?
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    let key = ureq::tls::PrivateKey::from_pem(identity.key_pem.as_bytes())
        .map_err(|e| TlsError::Pem { what: "node private key".into(), why: e.to_string() })?;
    let trusted: Vec<Certificate<'static>> =
        certificates(server_partner_ca_pem, "server partner's CA certificate")?
            .iter()
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect();
    Ok(TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .client_cert(Some(ClientCert::new_with_certs(&chain, key)))
        .root_certs(RootCerts::new_with_certs(&trusted))
        .build())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn p(s: &str) -> PartnerCode {
        PartnerCode::parse(s).unwrap()
    }

    #[test]
    fn each_partners_ca_identifies_its_own_nodes_only() {
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        // The identifier checks validity against the real clock.
        let now_s = i64::try_from(UnixTime::now().as_secs()).unwrap();
        let later_s = now_s + 30 * DAY_S;
        let jp = generate(p("JP"), &names, later_s).unwrap();
        let us = generate(p("US"), &names, later_s).unwrap();
        let stranger = generate(p("TW"), &names, now_s).unwrap();
        assert_ne!(jp.ca_pem, us.ca_pem);
        let cas = vec![(p("JP"), jp.ca_pem.clone()), (p("US"), us.ca_pem.clone())];
        let id = PeerIdentifier::new(&cas).unwrap();
        let chain = |i: &Identity| certificates(&i.cert_pem, "x").unwrap();
        let jp_now = generate(p("JP"), &names, now_s).unwrap();
        let cas_now = vec![(p("JP"), jp_now.ca_pem.clone()), (p("US"), us.ca_pem.clone())];
        let id_now = PeerIdentifier::new(&cas_now).unwrap();
        assert_eq!(id_now.identify(&chain(&jp_now)), Some(p("JP")));
        // Not yet valid, and from a stranger: nobody.
        assert_eq!(id.identify(&chain(&jp)), None);
        assert_eq!(id_now.identify(&chain(&stranger)), None);
        assert_eq!(id_now.identify(&[]), None);
        // A CA certificate is not a client certificate.
        assert_eq!(id_now.identify(&certificates(&jp_now.ca_pem, "x").unwrap()), None);
        assert!(server_config(&jp, &cas).is_ok());
        assert!(client_tls(&jp, &us.ca_pem).is_ok());
        assert!(matches!(certificates("junk", "x"), Err(TlsError::Pem { .. })));
        assert!(!format!("{jp:?}").contains("PRIVATE"));
    }
}
