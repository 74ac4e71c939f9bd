//! End-to-end tests of `kuroshio decode`: the real binary on real feeds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn kuroshio(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kuroshio"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn json_lines(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The gpsd format reproduces `gpsdecode -u -j` on gpsd's own regression file, record for
/// record, through the whole CLI path (file reading, framing, reassembly, decoding, writing).
#[test]
fn gpsd_format_matches_gpsdecode_on_gpsd_sample() {
    let Some(input) = kuroshio_testdata::path("gpsd-ais/sample.aivdm") else { return };
    let Some(expected) = kuroshio_testdata::read("gpsd-ais/sample.aivdm.ju.chk") else { return };
    let out = kuroshio(&["decode", "--format", "gpsd", input.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ours = json_lines(&out.stdout);
    let theirs = json_lines(&expected);
    assert_eq!(ours.len(), theirs.len(), "record count");
    let differing: Vec<usize> = (0..ours.len()).filter(|&i| ours[i] != theirs[i]).collect();
    assert!(
        differing.is_empty(),
        "{} of {} records differ from gpsdecode; first: line {}\nours:   {}\ngpsd:   {}",
        differing.len(),
        ours.len(),
        differing[0] + 1,
        ours[differing[0]],
        theirs[differing[0]]
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    // gpsd prints message 24 part A only merged into the part B that follows: 102 messages
    // decoded, 97 records written.
    assert!(summary.contains("messages 102"), "{summary}");
}

/// Kuroshio's own JSON: scaled units, checked against the values gpsd's scaled output
/// (`gpsdecode -j`, sample.aivdm.js.chk) gives for the same messages.
#[test]
fn ndjson_positions_agree_with_gpsd_scaled_output() {
    let Some(input) = kuroshio_testdata::path("gpsd-ais/sample.aivdm") else { return };
    let Some(scaled) = kuroshio_testdata::read("gpsd-ais/sample.aivdm.js.chk") else { return };
    let out = kuroshio(&["decode", input.to_str().unwrap()], None);
    assert!(out.status.success());
    let ours = json_lines(&out.stdout);
    let theirs = json_lines(&scaled);
    // We write every message; gpsd folds each message 24 part A into its part B. Pair records
    // in order, passing over ours that gpsd did not print.
    assert_eq!(ours.len(), 102);
    assert_eq!(theirs.len(), 97);
    let mut ours_iter = ours.iter();
    let mut compared = 0;
    for t in &theirs {
        let o = ours_iter
            .find(|o| o["type"] == t["type"] && o["mmsi"] == t["mmsi"])
            .unwrap_or_else(|| panic!("no record of ours for {t}"));
        // gpsd prints lon/lat scaled to degrees with 6 decimals and 181/91 for "not available";
        // we omit unavailable positions.
        if let (Some(lon), Some(lat)) = (t["lon"].as_f64(), t["lat"].as_f64()) {
            // Messages with a 1/10,000-minute position of the sender itself.
            let position_types = [1, 2, 3, 4, 9, 11, 18, 19, 21];
            let own_position = position_types.iter().any(|&k| t["type"] == k);
            if own_position && lon.abs() <= 180.0 && lat.abs() <= 90.0 {
                let (ol, oa) = (o["lon"].as_f64().unwrap(), o["lat"].as_f64().unwrap());
                assert!((ol - lon).abs() < 2e-6 && (oa - lat).abs() < 2e-6, "{o}\n{t}");
                compared += 1;
            }
        }
    }
    // 17 messages of those types in the sample carry a valid position.
    assert_eq!(compared, 17, "positions compared");
}

/// Real broken input: every bad line is counted by kind, good lines still decode, the run
/// succeeds.
#[test]
fn broken_input_is_counted_not_fatal() {
    let Some(root) = kuroshio_testdata::path("gfw-ais-tools") else { return };
    let mut args = vec!["decode".to_owned()];
    for f in ["errors.nmea", "bad-tagblock-group.nmea", "type1-bad-bitcount.nmea"] {
        args.push(root.join(f).to_str().unwrap().to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = kuroshio(&args, None);
    assert!(out.status.success());
    let summary = String::from_utf8_lossy(&out.stderr);
    let errors: u64 = summary
        .lines()
        .find_map(|l| l.split("errors ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no error count in summary: {summary}"));
    assert!(errors > 0, "{summary}");
    assert!(summary.contains("errors by kind:"), "{summary}");
    assert!(!json_lines(&out.stdout).is_empty(), "good lines around bad ones still decode");
}

/// Garbage on standard input: no panic, no output, errors counted.
#[test]
fn garbage_on_stdin() {
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    junk.extend_from_slice(
        b"\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n!AIVDM,1,1,,A,zz,0*00\n",
    );
    let out = kuroshio(&["decode", "--input", "nmea", "-"], Some(&junk));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 1);
    // Auto-detection may take the junk for any format; it must still end cleanly.
    for input in ["auto", "beast", "avr", "hex", "sbs"] {
        let out = kuroshio(&["decode", "--input", input, "-"], Some(&junk));
        assert!(out.status.success(), "{input}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(records[0]["mmsi"], 371_798_000);
}

#[test]
fn missing_file_fails_after_the_others() {
    let Some(input) = kuroshio_testdata::path("gpsd-ais/sample.aivdm") else { return };
    let out = kuroshio(&["decode", "/nonexistent/feed.nmea", input.to_str().unwrap()], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/feed.nmea"));
    assert_eq!(json_lines(&out.stdout).len(), 102);
}

#[test]
fn help_explains_the_command() {
    let out = kuroshio(&["decode", "--help"], None);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["--format", "gpsd", "ndjson", "--lenient", "standard input"] {
        assert!(help.contains(word), "help lacks {word}:\n{help}");
    }
    assert!(Path::new(env!("CARGO_BIN_EXE_kuroshio")).exists());
}

/// Mode S in AVR text is detected and written with the traffic/rs1090 field names; every
/// frame that decodes with a trusted address comes out, and the summary counts the rest.
#[test]
fn avr_input_is_detected_and_decoded() {
    let Some(input) = kuroshio_testdata::path("adsb-deku-lax/lax-messages.txt") else { return };
    let out = kuroshio(&["decode", input.to_str().unwrap()], None);
    assert!(out.status.success());
    let records = json_lines(&out.stdout);
    let summary = String::from_utf8_lossy(&out.stderr);
    // 215,606 AVR frames in the file (its SOURCE.md).
    assert!(summary.contains("frames 215606"), "{summary}");
    let decoded: usize = summary
        .split("decoded ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert_eq!(records.len(), decoded);
    assert!(decoded > 215_000, "{summary}");
    for r in records.iter().take(1000) {
        let icao = r["icao24"].as_str().unwrap();
        assert_eq!(icao.len(), 6);
        assert!(icao.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(
            r["frame"].as_str().unwrap().len() == 14 || r["frame"].as_str().unwrap().len() == 28
        );
    }
    let with_position = records.iter().filter(|r| r.get("latitude").is_some()).count();
    assert!(with_position > 20_000, "{with_position} positions");
    // Around Los Angeles.
    for r in records.iter().filter(|r| r.get("latitude").is_some()) {
        let (lat, lon) = (r["latitude"].as_f64().unwrap(), r["longitude"].as_f64().unwrap());
        assert!((30.0..38.0).contains(&lat) && (-124.0..-112.0).contains(&lon), "{r}");
    }
}

/// Beast binary from dump1090 is detected from its first bytes.
#[test]
fn beast_binary_is_detected() {
    let Some(input) = kuroshio_testdata::path("traffic-samples/dump1090/sample_dump1090.bin")
    else {
        return;
    };
    let out = kuroshio(&["decode", input.to_str().unwrap()], None);
    assert!(out.status.success());
    let summary = String::from_utf8_lossy(&out.stderr);
    // 185 short and 54 long Mode S frames in the sample.
    assert!(summary.contains("frames 239"), "{summary}");
    assert!(!json_lines(&out.stdout).is_empty());
}

/// SBS-1 BaseStation lines: every record with an address comes out with the same names.
#[test]
fn sbs_input_is_detected_and_converted() {
    let Some(input) = kuroshio_testdata::path("sbs1-japan-kansai/adsb202201082242.csv") else {
        return;
    };
    let out = kuroshio(&["decode", input.to_str().unwrap()], None);
    assert!(out.status.success());
    let text = kuroshio_testdata::read("sbs1-japan-kansai/adsb202201082242.csv").unwrap();
    let text = String::from_utf8_lossy(&text);
    // Independently: MSG lines whose address field is set and not 000000.
    let expected = text
        .lines()
        .filter(|l| l.starts_with("MSG,"))
        .filter(|l| l.split(',').nth(4).is_some_and(|a| !a.is_empty() && a != "000000"))
        .count();
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), expected);
    let positions: Vec<_> = records.iter().filter(|r| r.get("latitude").is_some()).collect();
    assert!(!positions.is_empty());
    for r in positions {
        // Kansai, Japan.
        assert!((30.0..40.0).contains(&r["latitude"].as_f64().unwrap()), "{r}");
        assert!((130.0..142.0).contains(&r["longitude"].as_f64().unwrap()), "{r}");
    }
}

#[test]
fn gpsd_format_refuses_mode_s_input() {
    let out =
        kuroshio(&["decode", "--format", "gpsd", "-"], Some(b"*8d4840d6202cc371c32ce0576098;\n"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format gpsd"));
    let out = kuroshio(&["decode", "--reference", "95,10", "-"], Some(b""));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a position"));
}
