//! Who is asking: principals, HTTP Basic credentials and the layer that sets the principal.
//!
//! Every request carries a [`Principal`] as an axum request extension. The router's
//! `basic_auth` layer sets it from an `Authorization: Basic` header checked against [`Users`];
//! a request that reaches it with a principal already set (by an outer layer — a mutual-TLS
//! layer mapping the client certificate to a partner is the intended one) is passed through
//! untouched. Without a principal the answer is 401 with `WWW-Authenticate: Basic`.
//!
//! Secrets are never stored: a user's entry holds a per-user salt and
//! `SHA-256(salt ‖ token)`. Tokens are meant to be generated high-entropy secrets (at least
//! 128 bits from the operating system's random source, written once to the user), not
//! passwords chosen by people, which is why one salted SHA-256 suffices and no slow password
//! hash is used. Digests are compared in constant time, and an unknown user name costs the same
//! hash and comparison as a known one.

use std::collections::BTreeMap;

use kuroshio_model::PartnerCode;
use kuroshio_share::Viewer;
use sha2::{Digest, Sha256};

/// Longest user name accepted, bytes.
pub const USERNAME_BYTES_MAX: usize = 128;

/// Longest `Authorization` header read, bytes: a user name and a token in base64 fit easily.
pub const AUTHORIZATION_BYTES_MAX: usize = 1_024;

/// Who a request acts for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// A user of this node (by name); sees what the node's own users see.
    Local(String),
    /// A partner's node or one of its users; sees what is released to that partner.
    Partner(PartnerCode),
}

impl Principal {
    /// The viewer the sharing policy judges for this principal.
    pub fn viewer(&self) -> Viewer {
        match self {
            Principal::Local(_) => Viewer::Local,
            Principal::Partner(p) => Viewer::Partner(*p),
        }
    }

    /// The stable text form used in the store: `local:<name>` or `partner:<CODE>`.
    pub fn key(&self) -> String {
        match self {
            Principal::Local(name) => format!("local:{name}"),
            Principal::Partner(p) => format!("partner:{}", p.as_str()),
        }
    }
}

/// One user's stored credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// Who the user acts for.
    pub principal: Principal,
    /// The per-user salt.
    pub salt: Vec<u8>,
    /// `SHA-256(salt ‖ token)`.
    pub digest: [u8; 32],
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential").field("principal", &self.principal).finish_non_exhaustive()
    }
}

/// `SHA-256(salt ‖ token)`.
pub fn token_digest(salt: &[u8], token: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(token);
    h.finalize().into()
}

/// Equality of two digests in time independent of where they differ.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    // Keep the optimiser from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

/// The configured users, by user name.
#[derive(Debug, Clone, Default)]
pub struct Users {
    by_name: BTreeMap<String, Credential>,
}

impl Users {
    /// No users.
    pub fn new() -> Users {
        Users::default()
    }

    /// Adds (or replaces) a user whose credential is already a salt and digest.
    pub fn insert(&mut self, username: &str, credential: Credential) {
        self.by_name.insert(username.to_owned(), credential);
    }

    /// Adds (or replaces) a user with `token`, storing only `salt` and the digest.
    pub fn insert_token(&mut self, username: &str, principal: Principal, salt: &[u8], token: &str) {
        let digest = token_digest(salt, token.as_bytes());
        self.insert(username, Credential { principal, salt: salt.to_vec(), digest });
    }

    /// The principal of `username` when `token` is its token.
    pub fn authenticate(&self, username: &str, token: &str) -> Option<Principal> {
        // An unknown user costs the same work as a known one.
        const NOBODY_SALT: &[u8] = b"kuroshio-taxii unknown user";
        let found = self.by_name.get(username);
        let (salt, expected) = match found {
            Some(c) => (c.salt.as_slice(), c.digest),
            None => (NOBODY_SALT, [0u8; 32]),
        };
        let ok = same_digest(&token_digest(salt, token.as_bytes()), &expected);
        match found {
            Some(c) if ok => Some(c.principal.clone()),
            _ => None,
        }
    }

    /// Reads an `Authorization` header value (`Basic base64(user:token)`) and authenticates it.
    pub fn authenticate_header(&self, value: &[u8]) -> Option<Principal> {
        if value.len() > AUTHORIZATION_BYTES_MAX {
            return None;
        }
        let text = std::str::from_utf8(value).ok()?.trim();
        let (scheme, rest) = text.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64_decode(rest.trim())?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (user, token) = decoded.split_once(':')?;
        if user.is_empty() || user.len() > USERNAME_BYTES_MAX {
            return None;
        }
        self.authenticate(user, token)
    }
}

/// Standard base64 (RFC 4648 section 4) with padding; `None` on anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let b = text.as_bytes();
    if b.is_empty() || b.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    let chunks = b.len() / 4;
    for (i, chunk) in b.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != chunks) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = n << 6 | value(c)?;
        }
        n <<= 6 * pad;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_check_out() {
        let mut users = Users::new();
        users.insert_token("analyst", Principal::Local("analyst".into()), b"salt-1", "s3cret");
        // "analyst:s3cret"
        assert_eq!(
            users.authenticate_header(b"Basic YW5hbHlzdDpzM2NyZXQ="),
            Some(Principal::Local("analyst".into()))
        );
        // "analyst:wrong"
        assert_eq!(users.authenticate_header(b"Basic YW5hbHlzdDp3cm9uZw=="), None);
        // "nobody:s3cret"
        assert_eq!(users.authenticate_header(b"Basic bm9ib2R5OnMzY3JldA=="), None);
        assert_eq!(users.authenticate_header(b"Bearer YW5hbHlzdDpzM2NyZXQ="), None);
        assert_eq!(users.authenticate_header(b"Basic ***"), None);
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
        assert_eq!(base64_decode("YWJj").unwrap(), b"abc");
        assert_eq!(base64_decode("YQ==YWJj"), None);
        assert!(format!("{:?}", users).contains("analyst"));
        assert!(!format!("{:?}", users).contains("digest"));
    }
}
