//! The web map's built files (`web/dist`, made by `scripts/build-web`), served beside the API.
//!
//! The files are read from a directory at request time, so rebuilding the map needs no
//! rebuild of the node. [`WebRoot::locate`] picks the directory: `$KUROSHIO_WEB_DIR` when set,
//! otherwise the repository's `web/dist` as seen from this crate's source at build time (what
//! `scripts/run` uses on a checkout). When the directory is missing, every page answers 404
//! with a typed error that says how to build it; the API is unaffected.
//!
//! A request path is served only if every segment is a plain name: no `..`, `.`, empty
//! segment, backslash, NUL or leading dot (hidden files), and the file found must still lie
//! under the root once symbolic links are resolved. `/` is `index.html`. Answers carry the
//! content type from the extension ([`content_type`]), `X-Content-Type-Options: nosniff`,
//! `Cache-Control: no-cache` and an `ETag` (length and modification time), and a matching
//! `If-None-Match` gets `304 Not Modified`: browsers revalidate each load and never run a stale
//! bundle against a newer API.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Environment variable naming the directory of the built web map.
pub const WEB_DIR_ENV: &str = "KUROSHIO_WEB_DIR";

/// Largest file served: the map bundle and the 1:10m basemap are a few MB each; anything far
/// larger in that directory is a mistake, refused (404) rather than read into memory.
pub const ASSET_BYTES_MAX: u64 = 64 << 20;

/// Longest request path considered, in bytes; longer ones are 404 without touching the disk.
pub const ASSET_PATH_BYTES_MAX: usize = 512;

/// Where the built web map is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebRoot {
    dir: PathBuf,
}

/// Why a file is not served.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssetError {
    /// The path is not a plain relative file name (traversal, hidden file, odd characters).
    #[error("`{path}` is not a servable path")]
    BadPath {
        /// The request path.
        path: String,
    },
    /// No such file under the root (or it is a directory, or too large).
    #[error("no file `{path}` in the web map")]
    Missing {
        /// The request path.
        path: String,
    },
    /// The root directory itself does not exist.
    #[error("the web map is not built ({dir}); run scripts/build-web or set KUROSHIO_WEB_DIR")]
    NotBuilt {
        /// The directory looked in.
        dir: String,
    },
}

/// A file read for an answer.
#[derive(Debug)]
pub struct Asset {
    /// The bytes.
    pub body: Vec<u8>,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its entity tag (quoted).
    pub etag: String,
}

impl WebRoot {
    /// The web map in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// `$KUROSHIO_WEB_DIR` when set and non-empty, else the repository's `web/dist`.
    pub fn locate() -> Self {
        match std::env::var_os(WEB_DIR_ENV) {
            Some(d) if !d.is_empty() => Self::new(d),
            _ => Self::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist")),
        }
    }

    /// The directory served.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the file for request path `path` (`/`, `/app.js`, `/basemap/land-10m.geojson`).
    pub fn read(&self, path: &str) -> Result<Asset, AssetError> {
        let rel = relative_path(path)?;
        let missing = || AssetError::Missing { path: path.to_owned() };
        let root = self
            .dir
            .canonicalize()
            .map_err(|_| AssetError::NotBuilt { dir: self.dir.display().to_string() })?;
        let file = root.join(&rel).canonicalize().map_err(|_| missing())?;
        if !file.starts_with(&root) {
            return Err(missing());
        }
        let meta = std::fs::metadata(&file).map_err(|_| missing())?;
        if !meta.is_file() || meta.len() > ASSET_BYTES_MAX {
            return Err(missing());
        }
        let body = std::fs::read(&file).map_err(|_| missing())?;
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Ok(Asset {
            etag: format!("\"{:x}-{modified_ns:x}\"", body.len()),
            content_type: content_type(&rel),
            body,
        })
    }
}

/// The relative file path of a request path, or why it is refused. `/` and a trailing `/`
/// mean `index.html` in that folder.
pub fn relative_path(path: &str) -> Result<PathBuf, AssetError> {
    let bad = || AssetError::BadPath { path: path.to_owned() };
    if path.len() > ASSET_PATH_BYTES_MAX {
        return Err(bad());
    }
    let trimmed = path.strip_prefix('/').ok_or_else(bad)?;
    let mut rel = PathBuf::new();
    let mut segments: Vec<&str> = trimmed.split('/').collect();
    if segments.last() == Some(&"") {
        segments.pop();
        segments.push("index.html");
    }
    for seg in segments {
        let plain = !seg.is_empty()
            && !seg.starts_with('.')
            && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~@+".contains(&b));
        if !plain {
            return Err(bad());
        }
        rel.push(seg);
    }
    Ok(rel)
}

/// The `Content-Type` for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "md" | "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pbf" => "application/x-protobuf",
        _ => "application/octet-stream",
    }
}

/// The answer for `path`: the file, `304` when `If-None-Match` matches, or the error.
pub fn respond(
    root: &WebRoot,
    path: &str,
    request_headers: &HeaderMap,
) -> Result<Response, AssetError> {
    let asset = root.read(path)?;
    let etag = HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let fresh = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == asset.etag || t.trim() == "*"));
    let headers = [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::ETAG, etag),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    let ct = (header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    Ok((headers, [ct], asset.body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_map_to_files_and_traversal_is_refused() {
        assert_eq!(relative_path("/").unwrap(), PathBuf::from("index.html"));
        assert_eq!(relative_path("/app.js").unwrap(), PathBuf::from("app.js"));
        assert_eq!(
            relative_path("/basemap/land-10m.geojson").unwrap(),
            PathBuf::from("basemap/land-10m.geojson")
        );
        assert_eq!(relative_path("/vendor/").unwrap(), PathBuf::from("vendor/index.html"));
        for bad in [
            "",
            "app.js",
            "/../Cargo.toml",
            "/vendor/../../Cargo.toml",
            "/./app.js",
            "//etc/passwd",
            "/.git/config",
            "/a\\..\\b",
            "/%2e%2e/x",
            "/a\0b",
            "/a b",
        ] {
            assert!(relative_path(bad).is_err(), "{bad:?} accepted");
        }
        assert!(relative_path(&format!("/{}", "a".repeat(ASSET_PATH_BYTES_MAX))).is_err());
    }

    #[test]
    fn content_types_by_extension() {
        for (file, ct) in [
            ("index.html", "text/html; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("vendor/maplibre-gl-worker.mjs", "text/javascript; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("basemap/land.geojson", "application/geo+json"),
            ("app.js.map", "application/json"),
            ("blob.bin", "application/octet-stream"),
            ("Makefile", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), ct, "{file}");
        }
    }
}
