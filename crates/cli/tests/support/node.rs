//! Running `kuroshio serve --config` nodes and reading their TAXII collections over plain
//! HTTP with Basic authentication, for the node tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// Runs the `kuroshio` binary under test.
pub fn kuroshio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

/// Its standard output, after checking it succeeded.
pub fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The events collection every node serves.
pub const COLLECTION: &str = "ee3f94c5-796c-4c5b-b0fc-a5cc7fed9294";

/// Standard base64 with padding (RFC 4648), for the Basic credentials.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(char::from(A[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A node's signing key (`dir/node.key`) and its TLS CA and certificate for 127.0.0.1
/// (`dir/tls`), made with the node's own commands; returns the public key as the
/// configuration's `[public_keys]` take it.
pub fn node_identity(dir: &Path, partner: &str) -> String {
    let key = ok(&kuroshio(&["key", "generate", "--out", dir.join("node.key").to_str().unwrap()]));
    let tls = dir.join("tls");
    let args = ["tls", "generate", "--partner", partner, "--name", "127.0.0.1", "--out"];
    ok(&kuroshio(&[&args[..], &[tls.to_str().unwrap()]].concat()));
    key.trim().to_owned()
}

/// A GET with HTTP Basic; the status and the body.
pub fn get(addr: &str, path: &str, user: &str, token: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    let auth = base64(format!("{user}:{token}").as_bytes());
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/taxii+json;version=2.1\r\n\
         Authorization: Basic {auth}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Every object of the events collection as `user` sees it: the newest version of each it may
/// see, or with `versions` every version.
pub fn all_objects(addr: &str, user: &str, token: &str, versions: bool) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut path = format!("/kuroshio/collections/{COLLECTION}/objects/?limit=1000");
        if versions {
            path.push_str("&match[version]=all");
        }
        if let Some(n) = &next {
            path.push_str(&format!("&next={n}"));
        }
        let (status, page) = get(addr, &path, user, token);
        assert_eq!(status, 200, "{page}");
        out.extend(page["objects"].as_array().cloned().unwrap_or_default());
        if page["more"].as_bool() != Some(true) {
            return out;
        }
        next = Some(page["next"].as_str().unwrap().to_owned());
    }
}

/// The token in the first line `kuroshio taxii user` prints.
pub fn token(user_lines: &str) -> String {
    user_lines.lines().next().unwrap().rsplit(' ').next().unwrap().to_owned()
}

/// A running node, killed when dropped.
pub struct Node(pub Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a node; its address for local users, and for partners when it serves them (the
/// first and second lines it prints).
pub fn start(config: &Path, partners: bool) -> (Node, String, Option<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["serve", "--config", config.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut address = |scheme: &str| {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        line.split(scheme).nth(1).unwrap().split(' ').next().unwrap().trim().to_owned()
    };
    let local = address("http://");
    let remote = partners.then(|| address("https://"));
    (Node(child), local, remote)
}
