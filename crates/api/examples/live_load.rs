//! Load benchmark of the live stream: a node's API pushes updates of `--tracks` tracks at
//! `--rate` updates per second to `--clients` subscribers of `/api/v1/live`, and the
//! subscribers measure each update's latency from publication to arrival.
//!
//! Two processes, so that the server's CPU time is its own: this program starts itself again
//! as the server (`serve`), which binds a free loopback port, serves the API (the router of
//! `kuroshio serve`, on a two-worker runtime) over an empty store, and publishes from a thread
//! of its own as a pipeline does — track rows in the API's form, stamped with the wall-clock
//! time of publication (`pub_us`). The parent connects the clients, reads their streams, and
//! reports latency percentiles, what arrived, the hub's counters, and the server's CPU time
//! (from `/proc/<pid>/stat`) over the measured seconds.
//!
//! ```text
//! cargo run --release -p kuroshio-api --example live_load -- --tracks 20000 --rate 10000 --clients 50 --seconds 30
//! ```
//!
//! `scripts/bench-live` runs it with the issue's figures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kuroshio_api::live::Update;
use kuroshio_api::{ApiState, router};
use kuroshio_model::PartnerCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Copy)]
struct Args {
    tracks: usize,
    rate: usize,
    clients: usize,
    seconds: u64,
    warmup: u64,
}

fn args() -> (Option<String>, Args) {
    let mut a = Args { tracks: 20_000, rate: 10_000, clients: 50, seconds: 30, warmup: 3 };
    let mut role = None;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut num = || it.next().and_then(|v| v.parse::<u64>().ok()).expect("a number");
        match k.as_str() {
            "--tracks" => a.tracks = num() as usize,
            "--rate" => a.rate = num() as usize,
            "--clients" => a.clients = num() as usize,
            "--seconds" => a.seconds = num(),
            "--warmup" => a.warmup = num(),
            "serve" => role = Some(k),
            other => {
                eprintln!(
                    "live_load: unknown argument {other}; takes --tracks N --rate N --clients N --seconds N --warmup N"
                );
                std::process::exit(2);
            }
        }
    }
    (role, a)
}

fn now_us() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0)
}

/// CPU seconds (user + system) of process `pid` so far.
fn cpu_s(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// A track row as `/api/v1/tracks` writes one, moved `step` times, stamped now.
fn row(i: usize, step: u64) -> (String, serde_json::Value) {
    let target = format!("vessel:{}", 416_000_000 + i);
    let lat = 20.0 + (i % 100) as f64 * 0.1 + step as f64 * 1e-4;
    let lon = 118.0 + (i / 100) as f64 * 0.03;
    let t = "2026-01-01T00:00:00Z";
    let v = serde_json::json!({
        "target": target, "first_seen": t, "last_seen": t, "source": "bench",
        "position": {"lat": lat, "lon": lon}, "position_time": t,
        "speed_knots": 12.5, "course_deg": 231.0, "heading_deg": 230.0,
        "name": format!("BENCH {i}"), "callsign": "BX1234", "ship_type": 70,
        "observations": step, "pub_us": now_us(),
    });
    (target, v)
}

fn serve(a: Args) {
    let dir = std::env::temp_dir().join(format!("kuroshio-live-load-{}", std::process::id()));
    let store = kuroshio_store::EmbeddedStore::open(&dir, Default::default()).unwrap();
    let state = ApiState::new(
        Arc::new(Mutex::new(Box::new(store))),
        "{\"type\":\"FeatureCollection\",\"features\":[]}".into(),
        PartnerCode::parse("TW").unwrap(),
    );
    let hub = Arc::clone(&state.live);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    println!("listening {}", listener.local_addr().unwrap());
    let app = router(state);
    runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
    // Wait for the clients, then publish: a tick every 10 ms, rate/100 updates a tick, the
    // tracks in turn.
    while hub.clients() < a.clients {
        std::thread::sleep(Duration::from_millis(20));
    }
    let ticks_per_s = 100;
    let per_tick = a.rate.div_ceil(ticks_per_s);
    let total = (a.warmup + a.seconds) * ticks_per_s as u64;
    let start = Instant::now();
    let mut next = 0usize;
    let mut cpu0 = None;
    for tick in 0..total {
        if tick == a.warmup * ticks_per_s as u64 {
            cpu0 = Some((cpu_s(std::process::id()), Instant::now()));
        }
        let batch: Vec<Update> = (0..per_tick)
            .map(|_| {
                let i = next % a.tracks;
                next += 1;
                let (k, v) = row(i, (next / a.tracks) as u64);
                Update::track_value(&k, &v)
            })
            .collect();
        hub.publish(&batch);
        let due = start + Duration::from_millis((tick + 1) * 10);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
    let (c0, w0) = cpu0.unwrap_or((0.0, start));
    let cpu = cpu_s(std::process::id()) - c0;
    let wall = w0.elapsed().as_secs_f64();
    let s = hub.stats();
    println!(
        "server cpu_s {cpu:.2} wall_s {wall:.2} published {} sent {} coalesced {} dropped {} publish_behind_ms {}",
        s.published.load(Ordering::Relaxed),
        s.sent.load(Ordering::Relaxed),
        s.coalesced.load(Ordering::Relaxed),
        s.dropped.load(Ordering::Relaxed),
        (start.elapsed().as_millis() as u64).saturating_sub(total * 10),
    );
    // Let the last updates drain, then go.
    std::thread::sleep(Duration::from_secs(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reads one client's stream: the latency of every update stamped after `measure_from_us`.
async fn client(
    addr: String,
    measure_from_us: u64,
    stop: Arc<AtomicBool>,
    got: Arc<AtomicU64>,
) -> Vec<u32> {
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // HTTP/1.0: the body is not chunked, so a stamp is never split by chunk framing.
    s.write_all(format!("GET /api/v1/live HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut lat = Vec::with_capacity(1 << 20);
    let mut buf = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    const KEY: &[u8] = b"\"pub_us\":";
    while !stop.load(Ordering::Relaxed) {
        let n = match tokio::time::timeout(Duration::from_millis(200), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => n,
            Err(_) => continue,
        };
        let now = now_us();
        carry.extend_from_slice(&buf[..n]);
        let mut i = 0;
        let mut done = 0;
        while let Some(p) = carry[i..].windows(KEY.len()).position(|w| w == KEY) {
            let start = i + p + KEY.len();
            let end = carry[start..].iter().position(|b| !b.is_ascii_digit()).map(|e| start + e);
            let Some(end) = end else { break };
            let v: u64 = std::str::from_utf8(&carry[start..end]).unwrap().parse().unwrap();
            if v >= measure_from_us {
                lat.push(now.saturating_sub(v).min(u64::from(u32::MAX)) as u32);
            }
            got.fetch_add(1, Ordering::Relaxed);
            i = end;
            done = end;
        }
        // Keep what may hold the start of a stamp.
        let keep_from = done.max(carry.len().saturating_sub(KEY.len() + 20));
        carry.drain(..keep_from);
    }
    lat
}

fn main() {
    let (role, a) = args();
    if role.is_some() {
        serve(a);
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("serve")
        .args(["--tracks", &a.tracks.to_string(), "--rate", &a.rate.to_string()])
        .args(["--clients", &a.clients.to_string(), "--seconds", &a.seconds.to_string()])
        .args(["--warmup", &a.warmup.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("listening ").expect("the server's address").to_owned();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let got = Arc::new(AtomicU64::new(0));
    // Latencies count from the end of the warm-up (the server publishes once all are in).
    let measure_from = now_us() + (a.warmup * 1_000_000) + 500_000;
    let tasks: Vec<_> = (0..a.clients)
        .map(|_| {
            runtime.spawn(client(addr.clone(), measure_from, Arc::clone(&stop), Arc::clone(&got)))
        })
        .collect();
    let mut summary = String::new();
    out.read_line(&mut summary).unwrap();
    std::thread::sleep(Duration::from_millis(1_500));
    stop.store(true, Ordering::Relaxed);
    let mut all: Vec<u32> = Vec::new();
    let mut per_client = Vec::new();
    for t in tasks {
        let l = runtime.block_on(t).unwrap();
        per_client.push(l.len());
        all.extend(l);
    }
    let _ = child.wait();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |v| f64::from(*v) / 1000.0)
    };
    let fields: Vec<&str> = summary.split_whitespace().collect();
    let field = |k: &str| {
        fields
            .iter()
            .position(|f| *f == k)
            .and_then(|i| fields.get(i + 1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (cpu, wall) = (field("cpu_s"), field("wall_s"));
    let min_client = per_client.iter().min().copied().unwrap_or(0);
    println!(
        "tracks {} rate {}/s clients {} measured {} s",
        a.tracks, a.rate, a.clients, a.seconds
    );
    println!(
        "latency ms: p50 {:.1} p90 {:.1} p99 {:.1} max {:.1} ({} updates measured, {:.0}/s per client, slowest client {})",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
        all.len(),
        all.len() as f64 / a.clients.max(1) as f64 / a.seconds.max(1) as f64,
        min_client
    );
    println!(
        "server cpu: {:.0}% of one core ({cpu:.2} s over {wall:.2} s)",
        100.0 * cpu / wall.max(1e-9)
    );
    println!("{}", summary.trim());
}
