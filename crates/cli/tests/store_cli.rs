//! `kuroshio ingest`, `kuroshio query` and `kuroshio store` end to end on real recordings: an
//! AIS feed with NMEA 4.10 tag blocks (aisdb) and an SBS-1 recording over Kansai, into a fresh
//! embedded store.
//!
//! The store must hold what `kuroshio replay` computes from the same inputs — the same events
//! (by id), one history row per positioned observation — and keep it across a second run of
//! the same command (which resumes, stores nothing twice) and an export.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn kuroshio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kuroshio")).args(args).output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn inputs() -> Option<(PathBuf, PathBuf)> {
    Some((
        kuroshio_testdata::path("aisdb/test_data_20211101.nm4")?,
        kuroshio_testdata::path("sbs1-japan-kansai/adsb202201082242.csv")?,
    ))
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kuroshio-store-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn stats(store: &Path) -> Value {
    let out = kuroshio(&["store", "check", "--store", store.to_str().unwrap()]);
    ok(&out);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sound"], true, "{report}");
    report["stats"].clone()
}

#[test]
fn ingest_stores_what_replay_computes_and_queries_answer_from_it() {
    let Some((ais, sbs)) = inputs() else { return };
    let (ais, sbs) = (ais.to_str().unwrap(), sbs.to_str().unwrap());
    let dir = temp("ingest");
    let store = dir.to_str().unwrap();

    let replayed = kuroshio(&["replay", "--quiet", ais, sbs]);
    ok(&replayed);
    let replay_events = lines(&replayed);

    let first = kuroshio(&["ingest", "--store", store, ais, sbs]);
    ok(&first);
    let summary = String::from_utf8_lossy(&first.stderr).to_string();
    let s1 = stats(&dir);

    // Events: the same set as replay, by id.
    let stored = kuroshio(&["query", "--store", store, "events", "--limit", "1000000"]);
    ok(&stored);
    let stored_events = lines(&stored);
    let ids = |v: &[Value]| {
        let mut ids: Vec<String> = v.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&stored_events), ids(&replay_events));
    assert_eq!(s1["events"].as_u64().unwrap() as usize, replay_events.len());

    // Positions: the decoder's positioned observations, as counted by `decode`.
    let decoded = kuroshio(&["decode", "--quiet", ais, sbs]);
    ok(&decoded);
    assert!(s1["positions"].as_u64().unwrap() > 1_000, "{s1} {summary}");
    assert!(summary.contains("stored in"), "{summary}");

    // A second run resumes and stores nothing new.
    let second = kuroshio(&["ingest", "--store", store, ais, sbs]);
    ok(&second);
    let again = String::from_utf8_lossy(&second.stderr);
    assert!(again.contains("resumed after"), "{again}");
    assert!(again.contains("positions 0,"), "{again}");
    assert_eq!(stats(&dir), s1);

    // One aircraft's history is ordered, in range, and the same as a bbox query around it.
    let latest =
        kuroshio(&["query", "--store", store, "latest", "--bbox", "134,33,137,36", "--limit", "5"]);
    ok(&latest);
    let tracks = lines(&latest);
    assert!(!tracks.is_empty());
    let target = tracks[0]["target"].as_str().unwrap().to_owned();
    assert!(target.starts_with("aircraft:"), "{target}");
    let history = kuroshio(&["query", "--store", store, "history", &target]);
    ok(&history);
    let rows = lines(&history);
    // Every history row is one observation of the track (identity-only ones add none).
    assert!(rows.len() as u64 <= tracks[0]["observations"].as_u64().unwrap());
    assert!(!rows.is_empty());
    let times: Vec<kuroshio_model::Timestamp> = rows
        .iter()
        .map(|r| kuroshio_model::Timestamp::parse(r["time"].as_str().unwrap()).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "history out of order");
    let (from, to) = (times[0].to_string(), times[times.len() - 1]);
    let lon: Vec<f64> = rows.iter().map(|r| r["lon"].as_f64().unwrap()).collect();
    let lat: Vec<f64> = rows.iter().map(|r| r["lat"].as_f64().unwrap()).collect();
    let bbox = format!(
        "{},{},{},{}",
        lon.iter().cloned().fold(f64::MAX, f64::min),
        lat.iter().cloned().fold(f64::MAX, f64::min),
        lon.iter().cloned().fold(f64::MIN, f64::max),
        lat.iter().cloned().fold(f64::MIN, f64::max)
    );
    // `--to` excludes its instant: query up to the next second.
    let to_t = to.saturating_add_nanos(1_000_000_000);
    let boxed = kuroshio(&[
        "query",
        "--store",
        store,
        "positions",
        "--bbox",
        &bbox,
        "--from",
        &from,
        "--to",
        &to_t.to_string(),
        "--limit",
        "1000000",
    ]);
    ok(&boxed);
    let in_box: Vec<Value> = lines(&boxed)
        .into_iter()
        .filter(|r| r["target"].as_str() == Some(target.as_str()))
        .collect();
    assert_eq!(in_box.len(), rows.len());

    // Unknown things: exit code 1, nothing printed.
    let none = kuroshio(&["query", "--store", store, "track", "vessel:999999999"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty());
    let bad = kuroshio(&["query", "--store", store, "track", "ship-1"]);
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));

    // Export of the SBS day (2022-01-08) as GeoJSON and CSV: the day's rows, all of them.
    let day_rows = kuroshio(&[
        "query",
        "--store",
        store,
        "positions",
        "--bbox",
        "-180,-90,180,90",
        "--from",
        "2022-01-08",
        "--to",
        "2022-01-09",
        "--limit",
        "1000000",
    ]);
    ok(&day_rows);
    let n_day = lines(&day_rows).len();
    assert!(n_day > 1_000);
    let geojson = dir.join("day.geojson");
    ok(&kuroshio(&[
        "store",
        "export",
        "--store",
        store,
        "--day",
        "2022-01-08",
        "--format",
        "geojson",
        "--out",
        geojson.to_str().unwrap(),
    ]));
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&geojson).unwrap()).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    assert_eq!(fc["features"].as_array().unwrap().len(), n_day);
    let csv = dir.join("day.csv");
    ok(&kuroshio(&[
        "store",
        "export",
        "--store",
        store,
        "--day",
        "2022-01-08",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]));
    assert_eq!(std::fs::read_to_string(&csv).unwrap().lines().count(), n_day + 1);
    let parquet = dir.join("day.parquet");
    ok(&kuroshio(&[
        "store",
        "export",
        "--store",
        store,
        "--day",
        "2022-01-08",
        "--format",
        "geoparquet",
        "--out",
        parquet.to_str().unwrap(),
    ]));
    assert!(std::fs::metadata(&parquet).unwrap().len() > 1_000);

    // Retention drops the older AIS day (2021-11-01) and keeps the SBS recording, which runs
    // from the evening of 2022-01-08 into the next day.
    let ais_day = kuroshio(&[
        "query",
        "--store",
        store,
        "positions",
        "--bbox",
        "-180,-90,180,90",
        "--from",
        "2021-11-01",
        "--to",
        "2021-11-02",
        "--limit",
        "1000000",
    ]);
    ok(&ais_day);
    let n_ais = lines(&ais_day).len() as u64;
    assert!(n_ais > 100, "{n_ais} AIS positions");
    ok(&kuroshio(&["store", "retain", "--store", store, "--before", "2022-01-01"]));
    let s2 = stats(&dir);
    assert_eq!(s2["positions"].as_u64().unwrap(), s1["positions"].as_u64().unwrap() - n_ais);
    assert_eq!(s2["tracks"], s1["tracks"]);
    // A horizon of a hundred years keeps everything; one of a day (these recordings are from
    // 2022) drops the rest.
    ok(&kuroshio(&["store", "retain", "--store", store, "--keep-days", "36500"]));
    assert_eq!(stats(&dir), s2);
    ok(&kuroshio(&["store", "retain", "--store", store, "--keep-days", "1"]));
    let s3 = stats(&dir);
    assert_eq!((s3["positions"].as_u64(), s3["events"].as_u64()), (Some(0), Some(0)), "{s3}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_commands_work_on_postgresql() {
    let Some((ais, _)) = inputs() else { return };
    let Ok(url) = std::env::var("KUROSHIO_TEST_PG_URL") else {
        assert!(
            std::env::var_os("KUROSHIO_REQUIRE_PEERS").is_none_or(|v| v == "0"),
            "KUROSHIO_TEST_PG_URL is not set and KUROSHIO_REQUIRE_PEERS is"
        );
        eprintln!("SKIPPED: no PostgreSQL server (set KUROSHIO_TEST_PG_URL; scripts/test does)");
        return;
    };
    let ais = ais.to_str().unwrap();
    let replayed = kuroshio(&["replay", "--quiet", ais]);
    ok(&replayed);
    let ingest = kuroshio(&["ingest", "--store", &url, ais]);
    ok(&ingest);
    let stored = kuroshio(&["query", "--store", &url, "events", "--limit", "1000000"]);
    ok(&stored);
    let ids = |v: &[Value]| {
        let mut ids: Vec<String> = v.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&lines(&stored)), ids(&lines(&replayed)));
    // `kuroshio serve --store postgresql://…` serves the same events.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(["serve", "--store", &url, "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line.split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    std::io::Write::write_all(
        &mut conn,
        format!(
            "GET /api/v1/events?limit=10000 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let mut raw = String::new();
    std::io::Read::read_to_string(&mut conn, &mut raw).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(raw.starts_with("HTTP/1.1 200"), "{}", &raw[..raw.len().min(300)]);
    let body = &raw[raw.find("\r\n\r\n").unwrap() + 4..];
    let served: Value = serde_json::from_str(body).unwrap();
    let served_ids = ids(served["events"].as_array().unwrap());
    assert_eq!(served_ids, ids(&lines(&stored)));
    let out = kuroshio(&["store", "check", "--store", &url]);
    ok(&out);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sound"], true, "{report}");
    let csv = temp("pg-export").with_extension("csv");
    ok(&kuroshio(&[
        "store",
        "export",
        "--store",
        &url,
        "--day",
        "2021-11-01",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]));
    let rows = std::fs::read_to_string(&csv).unwrap().lines().count() - 1;
    assert!(rows > 100, "{rows} rows exported");
    let _ = std::fs::remove_file(&csv);
}
