//! A blocking TAXII 2.1 client: over HTTPS with mutual TLS between partner nodes, or over
//! plain HTTP with HTTP Basic for tests and interoperability.
//!
//! Requests send `Accept` (and, for POST, `Content-Type`) [`kuroshio_taxii::TAXII_MEDIA_TYPE`];
//! redirects are not followed; every answer is read up to [`RESPONSE_BYTES_MAX`]. A status
//! other than 2xx is a [`ClientError::Status`] carrying the TAXII error message's `title`
//! (TAXII 2.1, "Error Message").

use std::time::Duration;

use kuroshio_taxii::TAXII_MEDIA_TYPE;
use serde_json::{Map, Value};
use ureq::Agent;

/// Largest response body read, bytes: a page of [`kuroshio_taxii::PAGE_SIZE_MAX`] STIX objects
/// stays within a few megabytes; this leaves room for large objects and bounds what a
/// misbehaving peer can make the node buffer.
pub const RESPONSE_BYTES_MAX: u64 = 32 << 20;

/// Longest a whole request may take, connect to last byte: a page is served in milliseconds
/// on a healthy node; a peer slower than this is treated as down and retried on the next pull.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Longest a connection (TCP and TLS) may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest a TAXII error title kept in an error, characters (the rest of a peer's text is not
/// needed to act on it).
const TITLE_CHARS_MAX: usize = 200;

/// Why a TAXII request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}: {title}")]
    Status {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The TAXII error message's title, or the status's reason when there is none.
        title: String,
    },
    /// The request did not complete (connection, TLS, timeout).
    #[error("{url}: {source}")]
    Transport {
        /// The URL requested.
        url: String,
        /// ureq's error.
        source: Box<ureq::Error>,
    },
    /// The answer is not the JSON expected.
    #[error("{url}: {why}")]
    Json {
        /// The URL requested.
        url: String,
        /// What is wrong.
        why: String,
    },
    /// The answer is larger than [`RESPONSE_BYTES_MAX`].
    #[error("{url}: response over {RESPONSE_BYTES_MAX} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
    },
}

/// How requests authenticate.
#[derive(Clone)]
enum Auth {
    /// By the TLS client certificate.
    Certificate,
    /// `Authorization: Basic …`, precomputed.
    Basic(String),
}

/// A TAXII client for one server.
#[derive(Clone)]
pub struct TaxiiClient {
    agent: Agent,
    base_url: String,
    auth: Auth,
}

impl std::fmt::Debug for TaxiiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaxiiClient").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

/// What to ask of an objects endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// `added_after`: a timestamp as the server wrote it.
    pub added_after: Option<String>,
    /// `limit`.
    pub limit: Option<usize>,
    /// `next`: the value of the previous page's `next`.
    pub next: Option<String>,
    /// `match[…]` filters: (field, comma-separated values), e.g. `("version", "all")`.
    pub matches: Vec<(String, String)>,
}

/// One page of objects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectsPage {
    /// The objects.
    pub objects: Vec<Map<String, Value>>,
    /// Whether more objects follow.
    pub more: bool,
    /// The `next` value for the following page, when the server gave one.
    pub next: Option<String>,
    /// `X-TAXII-Date-Added-First`.
    pub date_added_first: Option<String>,
    /// `X-TAXII-Date-Added-Last`.
    pub date_added_last: Option<String>,
}

/// Percent-encodes a query component (RFC 3986 unreserved characters kept).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648 section 4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl TaxiiClient {
    fn with(base_url: &str, tls: Option<ureq::tls::TlsConfig>, auth: Auth) -> TaxiiClient {
        let mut config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT));
        if let Some(tls) = tls {
            config = config.https_only(true).tls_config(tls);
        }
        TaxiiClient {
            agent: config.build().new_agent(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            auth,
        }
    }

    /// A client for the server at `base_url` (`https://host:port`) over mutual TLS with `tls`
    /// (from [`crate::tls::client_tls`]).
    pub fn mtls(base_url: &str, tls: ureq::tls::TlsConfig) -> TaxiiClient {
        TaxiiClient::with(base_url, Some(tls), Auth::Certificate)
    }

    /// A client for the server at `base_url` (`http://…` or `https://…` with public roots)
    /// authenticating with HTTP Basic.
    pub fn basic(base_url: &str, user: &str, token: &str) -> TaxiiClient {
        let header = format!("Basic {}", base64(format!("{user}:{token}").as_bytes()));
        TaxiiClient::with(base_url, None, Auth::Basic(header))
    }

    /// The base URL requests start with.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn finish(
        &self,
        url: &str,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(ureq::http::HeaderMap, Value), ClientError> {
        let mut answer = answer
            .map_err(|e| ClientError::Transport { url: url.to_owned(), source: Box::new(e) })?;
        let status = answer.status();
        let bytes = answer.body_mut().with_config().limit(RESPONSE_BYTES_MAX).read_to_vec();
        let bytes = match bytes {
            Ok(b) => b,
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                return Err(ClientError::TooLarge { url: url.to_owned() });
            }
            Err(e) => {
                return Err(ClientError::Transport { url: url.to_owned(), source: Box::new(e) });
            }
        };
        let json: Result<Value, _> = serde_json::from_slice(&bytes);
        if !status.is_success() {
            let title = json
                .ok()
                .and_then(|v| v.get("title").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_owned());
            return Err(ClientError::Status {
                url: url.to_owned(),
                status: status.as_u16(),
                title: title.chars().take(TITLE_CHARS_MAX).collect(),
            });
        }
        let json =
            json.map_err(|e| ClientError::Json { url: url.to_owned(), why: e.to_string() })?;
        Ok((answer.headers().clone(), json))
    }

    fn get(&self, path: &str) -> Result<(ureq::http::HeaderMap, Value), ClientError> {
        let url = self.url(path);
        let mut request = self.agent.get(&url).header("Accept", TAXII_MEDIA_TYPE);
        if let Auth::Basic(h) = &self.auth {
            request = request.header("Authorization", h);
        }
        self.finish(&url, request.call())
    }

    fn json_error(&self, path: &str, why: &str) -> ClientError {
        ClientError::Json { url: self.url(path), why: why.to_owned() }
    }

    /// `GET /taxii2/`: the discovery resource.
    pub fn discovery(&self) -> Result<Value, ClientError> {
        Ok(self.get("/taxii2/")?.1)
    }

    /// `GET /{root}/`: an API root's information.
    pub fn api_root(&self, root: &str) -> Result<Value, ClientError> {
        Ok(self.get(&format!("/{}/", encode(root)))?.1)
    }

    /// `GET /{root}/collections/`: the collections the caller may see.
    pub fn collections(&self, root: &str) -> Result<Vec<Value>, ClientError> {
        let path = format!("/{}/collections/", encode(root));
        let (_, v) = self.get(&path)?;
        match v.get("collections") {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => Ok(a.clone()),
            Some(_) => Err(self.json_error(&path, "collections is not a list")),
        }
    }

    /// `GET /{root}/collections/{collection}/objects/` with `request`'s parameters: one page.
    pub fn objects(
        &self,
        root: &str,
        collection: &str,
        request: &PageRequest,
    ) -> Result<ObjectsPage, ClientError> {
        let mut query: Vec<String> = Vec::new();
        if let Some(a) = &request.added_after {
            query.push(format!("added_after={}", encode(a)));
        }
        if let Some(l) = request.limit {
            query.push(format!("limit={l}"));
        }
        if let Some(n) = &request.next {
            query.push(format!("next={}", encode(n)));
        }
        for (field, values) in &request.matches {
            query.push(format!("{}={}", encode(&format!("match[{field}]")), encode(values)));
        }
        let mut path = format!("/{}/collections/{}/objects/", encode(root), encode(collection));
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query.join("&"));
        }
        let (headers, v) = self.get(&path)?;
        let header =
            |name: &str| headers.get(name).and_then(|h| h.to_str().ok()).map(str::to_owned);
        let mut objects = Vec::new();
        match v.get("objects") {
            None => {}
            Some(Value::Array(a)) => {
                for o in a {
                    match o {
                        Value::Object(m) => objects.push(m.clone()),
                        _ => return Err(self.json_error(&path, "an object is not a JSON object")),
                    }
                }
            }
            Some(_) => return Err(self.json_error(&path, "objects is not a list")),
        }
        let more = match v.get("more") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(self.json_error(&path, "more is not a boolean")),
        };
        let next = match v.get("next") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(self.json_error(&path, "next is not a string")),
        };
        Ok(ObjectsPage {
            objects,
            more,
            next,
            date_added_first: header("x-taxii-date-added-first"),
            date_added_last: header("x-taxii-date-added-last"),
        })
    }

    /// `POST /{root}/collections/{collection}/objects/` with an envelope of `objects`: the
    /// status resource the server answers with.
    pub fn add(
        &self,
        root: &str,
        collection: &str,
        objects: &[Value],
    ) -> Result<Value, ClientError> {
        let path = format!("/{}/collections/{}/objects/", encode(root), encode(collection));
        let url = self.url(&path);
        let body = serde_json::json!({ "objects": objects }).to_string();
        let mut request = self
            .agent
            .post(&url)
            .header("Accept", TAXII_MEDIA_TYPE)
            .header("Content-Type", TAXII_MEDIA_TYPE);
        if let Auth::Basic(h) = &self.auth {
            request = request.header("Authorization", h);
        }
        Ok(self.finish(&url, request.send(body.as_bytes()))?.1)
    }

    /// `GET /{root}/status/{id}/`: a status resource.
    pub fn status(&self, root: &str, id: &str) -> Result<Value, ClientError> {
        Ok(self.get(&format!("/{}/status/{}/", encode(root), encode(id)))?.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_components_and_credentials_are_encoded() {
        assert_eq!(encode("2026-12-01T00:00:00.000001Z"), "2026-12-01T00%3A00%3A00.000001Z");
        assert_eq!(encode("match[version]"), "match%5Bversion%5D");
        assert_eq!(encode("a b+c"), "a%20b%2Bc");
        assert_eq!(base64(b"analyst:s3cret"), "YW5hbHlzdDpzM2NyZXQ=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
