//! A PostgreSQL + PostGIS server for the tests and the bench of kuroshio-store-pg.
//!
//! `KUROSHIO_TEST_PG_URL` names a running server (its database must have PostGIS or allow
//! creating it). Without it, a throwaway cluster is started by `scripts/pg-cluster` in a fresh
//! temporary directory and stopped (the directory removed) when the [`Cluster`] is dropped,
//! provided the PostgreSQL 15 server binaries are installed. When neither is possible the
//! caller skips, unless `KUROSHIO_REQUIRE_PEERS` is set, which makes it a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the server binaries `scripts/pg-cluster` uses live (overridable as there).
fn server_bin() -> PathBuf {
    std::env::var_os("KUROSHIO_PG_BIN")
        .map_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"), PathBuf::from)
}

/// A server to test against.
pub struct Cluster {
    /// Connection URL.
    pub url: String,
    /// The throwaway cluster's directory, when this process started it.
    dir: Option<PathBuf>,
}

impl Cluster {
    /// The server from the environment, or a throwaway one; `None` (with a notice on stderr)
    /// when neither is available and peers are not required.
    pub fn get() -> Option<Cluster> {
        if let Ok(url) = std::env::var("KUROSHIO_TEST_PG_URL") {
            if !url.is_empty() {
                return Some(Cluster { url, dir: None });
            }
        }
        let required = std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_some_and(|v| !v.is_empty());
        if !server_bin().join("initdb").exists() {
            let why = format!(
                "no KUROSHIO_TEST_PG_URL and no PostgreSQL server binaries in {}",
                server_bin().display()
            );
            assert!(!required, "{why} (KUROSHIO_REQUIRE_PEERS is set)");
            eprintln!("SKIPPED: {why}; run scripts/pg-cluster or install postgresql-15");
            return None;
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-cluster");
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("kuroshio-pg-{}-{stamp}", std::process::id()));
        let out = Command::new(&script)
            .arg("start")
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
        let mut cluster = Cluster { url: String::new(), dir: Some(dir) };
        assert!(
            out.status.success(),
            "{} start failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        cluster.url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        Some(cluster)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let Some(dir) = self.dir.take() else { return };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-cluster");
        match Command::new(&script).arg("stop").arg(&dir).output() {
            Ok(out) if out.status.success() => {
                let _ = std::fs::remove_dir_all(&dir);
            }
            Ok(out) => eprintln!(
                "stopping the cluster in {}: {}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(e) => eprintln!("stopping the cluster in {}: {e}", dir.display()),
        }
    }
}
