//! TAXII throughput under load: the server over real HTTP on loopback, 64 concurrent clients
//! paging a collection as a partner whose policy hides half of it.
//!
//! For each collection size (`--sizes 1000,10000,100000,1000000`), a SQLite store of that many
//! signed `sighting`s (originated by this node, TW; even ones releasable to JP, odd ones to US,
//! as the `serve` bench) is built once through the router's POST and kept in `--cache`
//! (default the system temporary directory), then served by `axum::serve` on a 2-thread
//! runtime. `--clients` tasks (default 64) on one client thread each start at a random
//! `added_after` and follow `next` with `limit` (default 50) as partner JP, starting over at the
//! end of the collection, for `--seconds` (default 10) after one second of warm-up. Printed:
//! objects and pages per second, p50/p99 page latency, and the CPU the server's threads and the
//! client's thread used, in cores. Before the run one client pages the whole collection and
//! checks that it got exactly the half releasable to JP.
//!
//! `--url http://127.0.0.1:PORT --root R --collection C --user U --password P --server-pid N`
//! measures another TAXII server with the same clients instead (scripts/bench-taxii runs
//! medallion so), with `--objects N` telling the start points; `--write-medallion FILE
//! --objects N` writes medallion's memory-backend data with the same objects.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use kuroshio_taxii::store::{Collection, Permission};
use kuroshio_taxii::{ApiRoot, ObjectStore, Principal, TAXII_MEDIA_TYPE, TaxiiConfig, TaxiiState};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tower::ServiceExt;

#[path = "../tests/common/mod.rs"]
mod common;
use common::{basic, bench_key, p, sealed_sightings};

const COLL: &str = "0b8e7f1e-3c36-4c8e-9a43-6d2c3f4b5a61";
/// The `date_added` of the first object: every object is added at this instant, so the store
/// gives them consecutive microseconds from here.
const T0_US: i64 = 1_764_547_200_000_000; // 2025-12-01T00:00:00Z
/// Objects per POST while building a store.
const BUILD_CHUNK: usize = 5_000;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn config() -> TaxiiConfig {
    let tw = bench_key();
    let mut config = TaxiiConfig::new("bench", p("TW"), vec![p("TW"), p("JP"), p("US")]);
    config.partner_keys.insert(p("TW"), tw.public());
    config.api_roots.push(ApiRoot {
        name: "r".into(),
        title: "r".into(),
        description: None,
        max_content_length: 256 << 20,
    });
    config.users.insert_token("a", Principal::Local("a".into()), b"s", "t");
    config.users.insert_token("jp", Principal::Partner(p("JP")), b"s", "t");
    config
}

/// The store of `n` objects, built when not cached.
fn store_file(cache: &Path, n: usize) -> PathBuf {
    let path = cache.join(format!("kuroshio-taxii-load-{n}.sqlite"));
    if path.exists() {
        return path;
    }
    let building = cache.join(format!("kuroshio-taxii-load-{n}.building.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", building.display()));
    }
    let t = Instant::now();
    let mut store = ObjectStore::open(&building).unwrap();
    store
        .put_collection(&Collection {
            id: COLL.into(),
            api_root: "r".into(),
            title: "c".into(),
            description: None,
            media_types: vec![],
        })
        .unwrap();
    store.grant(COLL, "local:*", Permission { can_read: true, can_write: true }).unwrap();
    store.grant(COLL, "partner:JP", Permission { can_read: true, can_write: false }).unwrap();
    let state = TaxiiState::new(config(), store, Arc::new(|| T0_US)).unwrap();
    let app = kuroshio_taxii::router(state);
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let uri = format!("/r/collections/{COLL}/objects/");
    let mut from = 0;
    while from < n {
        let to = (from + BUILD_CHUNK).min(n);
        let (mut defs, objs) = sealed_sightings(from, to);
        defs.extend(objs);
        let body = json!({ "objects": defs }).to_string();
        let req = Request::builder()
            .method("POST")
            .uri(&uri)
            .header("authorization", "Basic YTp0")
            .header("accept", TAXII_MEDIA_TYPE)
            .header("content-type", TAXII_MEDIA_TYPE)
            .body(Body::from(body))
            .unwrap();
        let status = rt.block_on(async {
            let r = app.clone().oneshot(req).await.unwrap();
            let b = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
            serde_json::from_slice::<Value>(&b).unwrap()
        });
        assert_eq!(status["failure_count"], 0, "{status}");
        from = to;
        eprint!("\rbuilding {n}: {from}");
    }
    drop(app);
    // Closing the writer last checkpointed the WAL into the file.
    let wal = PathBuf::from(format!("{}-wal", building.display()));
    assert!(!wal.exists(), "the WAL of {} was not checkpointed", building.display());
    std::fs::rename(&building, &path).unwrap();
    eprintln!("\rbuilt {n} objects in {:.1} s", t.elapsed().as_secs_f64());
    path
}

/// Medallion's memory-backend data file with the `n` objects in collection [`COLL`] of root `r`,
/// readable by its user (`user`/`pass` in its configuration).
fn write_medallion(path: &Path, n: usize) {
    let (mut all, objs) = sealed_sightings(0, n);
    all.extend(objs);
    let manifest: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let version = o.get("modified").or_else(|| o.get("created")).cloned();
            json!({"id": o["id"],
                "date_added": kuroshio_taxii::time::format_us(T0_US + i as i64),
                "version": version.unwrap_or(json!("2025-12-01T00:00:00.000Z")),
                "media_type": "application/stix+json;version=2.1"})
        })
        .collect();
    let data = json!({
        "/discovery": {"title": "bench", "api_roots": ["http://127.0.0.1/r/"]},
        "r": {
            "information": {"title": "r", "versions": [TAXII_MEDIA_TYPE],
                "max_content_length": 268_435_456},
            "status": [],
            "collections": [{"id": COLL, "title": "c", "can_read": true, "can_write": true,
                "media_types": ["application/stix+json;version=2.1"],
                "objects": all, "manifest": manifest}],
        },
    });
    std::fs::write(path, data.to_string()).unwrap();
}

/// A keep-alive HTTP/1.1 client on one connection (reconnects after `Connection: close`).
struct Client {
    addr: String,
    host: String,
    auth: String,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    async fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        if self.conn.is_none() {
            let s = TcpStream::connect(&self.addr).await.unwrap();
            s.set_nodelay(true).unwrap();
            self.conn = Some(BufReader::new(s));
        }
        let conn = self.conn.as_mut().unwrap();
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nAccept: {TAXII_MEDIA_TYPE}\r\n\r\n",
            self.host, self.auth
        );
        conn.get_mut().write_all(req.as_bytes()).await.unwrap();
        let mut line = String::new();
        conn.read_line(&mut line).await.unwrap();
        let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut close = line.starts_with("HTTP/1.0");
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            conn.read_line(&mut line).await.unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').unwrap_or((l, ""));
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "content-length" => length = v.parse::<usize>().ok(),
                "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                "connection" => close = v.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                conn.read_line(&mut line).await.unwrap();
                let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                conn.read_exact(&mut chunk).await.unwrap();
                chunk.truncate(size);
                body.extend_from_slice(&chunk);
                if size == 0 {
                    break;
                }
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            conn.read_exact(&mut body).await.unwrap();
        } else {
            conn.read_to_end(&mut body).await.unwrap();
            close = true;
        }
        if close {
            self.conn = None;
        }
        (status, body)
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    more: bool,
    next: Option<String>,
    #[serde(default)]
    objects: Vec<IgnoredAny>,
}

struct Target {
    addr: String,
    auth: String,
    uri: String,
    /// Objects in the collection (for random start points).
    n: usize,
}

fn client(t: &Target) -> Client {
    Client { addr: t.addr.clone(), host: t.addr.clone(), auth: t.auth.clone(), conn: None }
}

/// One page: (objects, next cursor when more follow).
async fn page(c: &mut Client, t: &Target, query: &str) -> (usize, Option<String>) {
    let (status, body) = c.get(&format!("{}?{query}", t.uri)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let e: Envelope = serde_json::from_slice(&body).unwrap();
    (e.objects.len(), if e.more { e.next } else { None })
}

/// Pages the whole collection with one client; the objects received.
async fn drain(t: &Target, limit: usize) -> usize {
    let mut c = client(t);
    let (mut total, mut next) = (0, None::<String>);
    loop {
        let q =
            next.as_ref().map_or(format!("limit={limit}"), |n| format!("limit={limit}&next={n}"));
        let (got, n) = page(&mut c, t, &q).await;
        total += got;
        next = n;
        if next.is_none() {
            return total;
        }
    }
}

/// CPU seconds used by this process's threads whose name starts with `prefix`, or by process
/// `pid` when given.
fn cpu_s(prefix: &str, pid: Option<u32>) -> f64 {
    let ticks = |stat: &str| -> u64 {
        let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<&str> = after.split_whitespace().collect();
        f.get(11).and_then(|u| u.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0)
    };
    // USER_HZ is 100 on Linux.
    if let Some(pid) = pid {
        return ticks(&std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default())
            as f64
            / 100.0;
    }
    let mut total = 0;
    for e in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        let name = stat.split_once('(').and_then(|(_, r)| r.rsplit_once(')')).map_or("", |x| x.0);
        if name.starts_with(prefix) {
            total += ticks(&stat);
        }
    }
    total as f64 / 100.0
}

struct Outcome {
    objects_per_s: f64,
    pages_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    server_cores: f64,
    client_cores: f64,
}

fn load(t: Arc<Target>, clients: usize, limit: usize, seconds: f64, pid: Option<u32>) -> Outcome {
    // The client runs on a thread of its own, named for the CPU count.
    std::thread::Builder::new()
        .name("kcli".into())
        .spawn(move || run_clients(t, clients, limit, seconds, pid))
        .unwrap()
        .join()
        .unwrap()
}

fn run_clients(
    t: Arc<Target>,
    clients: usize,
    limit: usize,
    seconds: f64,
    pid: Option<u32>,
) -> Outcome {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let objects = Arc::new(AtomicU64::new(0));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::<u32>::new()));
    let warm = Duration::from_secs(1);
    let window = Duration::from_secs_f64(seconds);
    let (server, client_cpu) = rt.block_on(async {
        let start = Instant::now();
        let (measure, end) = (start + warm, start + warm + window);
        let mut tasks = Vec::new();
        for i in 0..clients {
            let (t, objects, latencies) =
                (Arc::clone(&t), Arc::clone(&objects), Arc::clone(&latencies));
            tasks.push(tokio::spawn(async move {
                let mut c = client(&t);
                // A start point spread over the collection, different per client.
                let mut seed = 0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(i as u64 + 1);
                let mut random = move || {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed
                };
                loop {
                    let at = T0_US + (random() % t.n.max(1) as u64) as i64;
                    let after = kuroshio_taxii::time::format_us(at);
                    let base = format!("limit={limit}&added_after={after}");
                    let mut next: Option<String> = None;
                    loop {
                        let q = next.as_ref().map_or(base.clone(), |n| format!("{base}&next={n}"));
                        let t0 = Instant::now();
                        let (got, n) = page(&mut c, &t, &q).await;
                        // Pages that complete within the window count (a slow server's pages
                        // may have started before it).
                        let done = Instant::now();
                        if done >= measure && done <= end {
                            latencies.lock().unwrap().push(t0.elapsed().as_micros() as u32);
                            objects.fetch_add(got as u64, Ordering::Relaxed);
                        }
                        next = n;
                        if next.is_none() {
                            break;
                        }
                    }
                }
            }));
        }
        tokio::time::sleep_until(measure.into()).await;
        let (s0, c0) = (cpu_s("ksrv", pid), cpu_s("kcli", None));
        tokio::time::sleep_until(end.into()).await;
        let (s1, c1) = (cpu_s("ksrv", pid), cpu_s("kcli", None));
        for task in &tasks {
            task.abort();
        }
        (s1 - s0, c1 - c0)
    });
    let lat = std::mem::take(&mut *latencies.lock().unwrap());
    let mut lat = lat;
    lat.sort_unstable();
    let q = |f: f64| {
        lat.get(((lat.len() as f64 * f) as usize).min(lat.len().saturating_sub(1)))
            .map_or(f64::NAN, |&us| f64::from(us) / 1e3)
    };
    Outcome {
        objects_per_s: objects.load(Ordering::Relaxed) as f64 / seconds,
        pages_per_s: lat.len() as f64 / seconds,
        p50_ms: q(0.50),
        p99_ms: q(0.99),
        server_cores: server / seconds,
        client_cores: client_cpu / seconds,
    }
}

fn report(label: &str, n: usize, clients: usize, limit: usize, o: &Outcome) {
    println!(
        "{label} {n} objects, {clients} clients, limit {limit}: {:.0} objects/s, {:.0} pages/s, \
         p50 {:.1} ms, p99 {:.1} ms, server CPU {:.2} cores, client CPU {:.2} cores",
        o.objects_per_s, o.pages_per_s, o.p50_ms, o.p99_ms, o.server_cores, o.client_cores
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num = |name: &str, default: usize| arg(&args, name).map_or(default, |v| v.parse().unwrap());
    let clients = num("--clients", 64);
    let limit = num("--limit", 50);
    let seconds: f64 = arg(&args, "--seconds").map_or(10.0, |v| v.parse().unwrap());
    if let Some(file) = arg(&args, "--write-medallion") {
        write_medallion(Path::new(&file), num("--objects", 1_000));
        return;
    }
    if let Some(url) = arg(&args, "--url") {
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
        let user = arg(&args, "--user").unwrap_or_else(|| "user".into());
        let password = arg(&args, "--password").unwrap_or_else(|| "pass".into());
        let root = arg(&args, "--root").unwrap_or_else(|| "r".into());
        let coll = arg(&args, "--collection").unwrap_or_else(|| COLL.into());
        let n = num("--objects", 1_000);
        let t = Arc::new(Target {
            addr,
            auth: basic(&user, &password),
            uri: format!("/{root}/collections/{coll}/objects/"),
            n,
        });
        let pid = arg(&args, "--server-pid").map(|v| v.parse().unwrap());
        let o = load(t, clients, limit, seconds, pid);
        report(&format!("peer {url}"), n, clients, limit, &o);
        return;
    }
    let sizes: Vec<usize> = arg(&args, "--sizes")
        .unwrap_or_else(|| "1000,10000,100000".into())
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let cache = arg(&args, "--cache").map_or_else(std::env::temp_dir, PathBuf::from);
    for n in sizes {
        let file = store_file(&cache, n);
        let store = ObjectStore::open(&file).unwrap();
        let state = TaxiiState::new(config(), store, kuroshio_taxii::system_clock()).unwrap();
        let server = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ksrv")
            .thread_keep_alive(Duration::from_secs(3_600))
            .enable_all()
            .build()
            .unwrap();
        let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        server.spawn(async move {
            axum::serve(listener, kuroshio_taxii::router(state)).await.unwrap();
        });
        let t = Arc::new(Target {
            addr,
            auth: "Basic anA6dA==".into(),
            uri: format!("/r/collections/{COLL}/objects/"),
            n,
        });
        // Partner JP sees exactly the even half.
        let check = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let seen = check.block_on(drain(&t, 1_000));
        let definitions = sealed_sightings(0, n.min(2)).0.len();
        assert_eq!(
            seen,
            n.div_ceil(2) + definitions,
            "JP must see exactly the objects releasable to it and the marking definitions"
        );
        let o = load(t, clients, limit, seconds, None);
        report("kuroshio-taxii", n, clients, limit, &o);
        server.shutdown_timeout(Duration::from_secs(1));
    }
}
