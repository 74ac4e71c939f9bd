//! Conformance tests for the application decoders against gpsd's own output for the sentences
//! in gpsd's `test/sample.aivdm` (`sample.aivdm.ju.chk` is `gpsdecode -u -j`,
//! `sample.aivdm.js.chk` is `gpsdecode -j`), plus robustness on arbitrary bits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use std::collections::HashMap;

/// A type 6 or 8 message reassembled from `sample.aivdm`.
struct Binary {
    msg_type: u8,
    mmsi: u32,
    dac: u16,
    fid: u8,
    payload: Payload,
}

impl Binary {
    fn data_start(&self) -> usize {
        if self.msg_type == 6 { 88 } else { 56 }
    }

    fn decode(&self) -> Option<Box<Application>> {
        decode(self.dac, self.fid, self.msg_type == 6, &self.payload, self.data_start())
    }
}

/// Reassembles the `!AIVDM`/`!AIVDO` sentences of an NMEA log and keeps the type 6 and 8
/// messages long enough to carry a DAC/FI (gpsd rejects shorter ones outright).
fn binary_messages(log: &str) -> Vec<Binary> {
    let mut pending: HashMap<(String, String), String> = HashMap::new();
    let mut out = Vec::new();
    for line in log.lines() {
        if !(line.starts_with("!AIVDM") || line.starts_with("!AIVDO")) {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 7 {
            continue;
        }
        let (count, index) = (f[1], f[2]);
        let key = (f[3].to_string(), f[4].to_string());
        let mut armored =
            if index == "1" { String::new() } else { pending.remove(&key).unwrap_or_default() };
        armored.push_str(f[5]);
        if count != index {
            pending.insert(key, armored);
            continue;
        }
        let fill = f[6].as_bytes()[0] - b'0';
        let payload = Payload::from_armored(armored.as_bytes(), fill).unwrap();
        let msg_type = payload.u(0, 6) as u8;
        let (min_bits, dac_at) = match msg_type {
            6 => (88, 72),
            8 => (56, 40),
            _ => continue,
        };
        if payload.len_bits() < min_bits {
            continue;
        }
        out.push(Binary {
            msg_type,
            mmsi: payload.u(8, 30) as u32,
            dac: payload.u(dac_at, 10) as u16,
            fid: payload.u(dac_at + 10, 6) as u8,
            payload,
        });
    }
    out
}

/// gpsd's JSON records of type 6 and 8: the parsed value and the raw line.
fn gpsd_records(chk: &str) -> Vec<(serde_json::Value, String)> {
    chk.lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            matches!(v["type"].as_u64(), Some(6 | 8)).then(|| (v, l.to_string()))
        })
        .collect()
}

/// Pairs each message with gpsd's record for it (same type, MMSI, DAC and FI, in order).
fn paired<'a>(
    messages: &'a [Binary],
    records: &'a [(serde_json::Value, String)],
) -> Vec<(&'a Binary, &'a (serde_json::Value, String))> {
    let mut used = vec![false; records.len()];
    let mut pairs = Vec::new();
    for m in messages {
        let found = records.iter().enumerate().position(|(k, (v, _))| {
            !used[k]
                && v["type"] == u64::from(m.msg_type)
                && v["mmsi"] == u64::from(m.mmsi)
                && v["dac"] == u64::from(m.dac)
                && v["fid"] == u64::from(m.fid)
        });
        let k = found.unwrap_or_else(|| {
            panic!("no gpsd record for type {} mmsi {} {}/{}", m.msg_type, m.mmsi, m.dac, m.fid)
        });
        used[k] = true;
        pairs.push((m, &records[k]));
    }
    assert!(used.iter().all(|&u| u), "gpsd has type 6/8 records that no sentence produced");
    pairs
}

/// The application fields of a gpsd line: everything after `"fid":N`, without the closing brace.
fn gpsd_app_fields(line: &str, fid: u8) -> &str {
    let marker = format!("\"fid\":{fid},");
    let at = line.find(&marker).expect("gpsd record has a fid") + marker.len();
    line[at..].strip_suffix('}').expect("record ends with a brace")
}

fn gpsd_text(app: &Application) -> String {
    let mut buf = Vec::new();
    let mut w = JsonWriter::object(&mut buf);
    write_gpsd(app, &mut w);
    w.finish();
    let s = String::from_utf8(buf).unwrap();
    s.strip_prefix('{').unwrap().strip_suffix("}\n").unwrap().to_string()
}

fn ndjson_value(app: &Application) -> serde_json::Value {
    let mut buf = Vec::new();
    let mut w = JsonWriter::object(&mut buf);
    write_ndjson(app, &mut w);
    w.finish();
    serde_json::from_slice(&buf).unwrap_or_else(|e| {
        panic!("invalid ndjson {e}: {}", String::from_utf8_lossy(&buf));
    })
}

fn sample() -> Option<(Vec<Binary>, String, String)> {
    let log = String::from_utf8(kuroshio_testdata::read("gpsd-ais/sample.aivdm")?).unwrap();
    let ju = String::from_utf8(kuroshio_testdata::read("gpsd-ais/sample.aivdm.ju.chk")?).unwrap();
    let js = String::from_utf8(kuroshio_testdata::read("gpsd-ais/sample.aivdm.js.chk")?).unwrap();
    Some((binary_messages(&log), ju, js))
}

/// Every type 6/8 record of gpsd's sample: the same fields, values and order where gpsd decodes
/// the application, and `None` (raw data kept) exactly where gpsd prints `"data"`.
#[test]
fn sample_aivdm_matches_gpsdecode_unscaled() {
    let Some((messages, ju, _)) = sample() else {
        return;
    };
    let records = gpsd_records(&ju);
    assert_eq!(records.len(), 31, "gpsd's sample has 31 type 6/8 records");
    let mut failures = Vec::new();
    let (mut decoded, mut raw) = (0, 0);
    for (m, (_, line)) in paired(&messages, &records) {
        let expected = gpsd_app_fields(line, m.fid);
        let ours = m.decode();
        let what = format!("type {} mmsi {} {}/{}", m.msg_type, m.mmsi, m.dac, m.fid);
        match (expected.starts_with("\"data\":"), ours) {
            (true, None) => raw += 1,
            (true, Some(app)) => {
                failures.push(format!("{what}: gpsd keeps data, we decoded {app:?}"));
            }
            (false, None) => failures.push(format!("{what}: gpsd decodes, we returned None")),
            (false, Some(app)) => {
                decoded += 1;
                let got = gpsd_text(&app);
                if got != expected {
                    failures.push(format!("{what}:\n  gpsd: {expected}\n  ours: {got}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!((decoded, raw), (21, 10));
}

/// The scaled Kuroshio output agrees with gpsd's scaled output (`gpsdecode -j`) wherever both
/// give a value in the same unit.
#[test]
fn ndjson_values_match_gpsdecode_scaled() {
    let Some((messages, _, js)) = sample() else {
        return;
    };
    let records = gpsd_records(&js);
    // (Kuroshio key, gpsd key, tolerance: gpsd prints one decimal for most of these).
    let pairs_236_289 = [
        ("lat_deg", "lat", 1e-6),
        ("lon_deg", "lon", 1e-6),
        ("wind_speed_knots", "wspeed", 0.0),
        ("wind_dir_deg", "wdir", 0.0),
        ("air_temp_c", "airtemp", 1e-9),
        ("dew_point_c", "dewpoint", 1e-9),
        ("pressure_hpa", "pressure", 0.0),
        ("visibility_nm", "visibility", 1e-9),
        ("water_level_m", "waterlevel", 0.051),
        ("current_speed_knots", "cspeed", 1e-9),
        ("wave_height_m", "waveheight", 1e-9),
        ("water_temp_c", "watertemp", 1e-9),
        ("salinity_permille", "salinity", 1e-9),
    ];
    let mut compared = 0;
    for (m, (gpsd, _)) in paired(&messages, &records) {
        let Some(app) = m.decode() else { continue };
        let ours = ndjson_value(&app);
        let table: &[(&str, &str, f64)] = match *app {
            Application::MetHydro236(_) | Application::MetHydro289(_) => &pairs_236_289,
            Application::AtonMonitoring(_) => &[
                ("analogue_internal_v", "ana_int", 1e-9),
                ("analogue_external1_v", "ana_ext1", 1e-9),
                ("analogue_external2_v", "ana_ext2", 1e-9),
            ],
            _ => &[],
        };
        for (ours_key, gpsd_key, tol) in table {
            let Some(v) = ours.get(*ours_key).and_then(serde_json::Value::as_f64) else {
                continue;
            };
            let g = gpsd[gpsd_key].as_f64().unwrap();
            assert!((v - g).abs() <= *tol, "{ours_key}: ours {v}, gpsd {g} ({})", m.mmsi);
            compared += 1;
        }
    }
    assert!(compared > 70, "only {compared} values compared");
}

/// "Not available" codes become `None` and vanish from the scaled output; gpsd's unscaled
/// output still shows the wire codes (checked by the conformance test above).
#[test]
fn not_available_values_are_none() {
    let Some((messages, _, _)) = sample() else {
        return;
    };
    // The Kanaton station's SN/Circ.236 report sent with its input stopped: all fields n/a.
    let m = messages
        .iter()
        .filter(|m| m.mmsi == 992_509_977 && m.fid == 11)
        .nth(1)
        .expect("second Kanaton FI 11 report");
    let Some(app) = m.decode() else { panic!("FI 11 decodes") };
    let Application::MetHydro236(ref met) = *app else { panic!("wrong variant {app:?}") };
    assert_eq!(met.wind_speed_knots, None);
    assert_eq!(met.air_temp_c_x10, None);
    assert_eq!(met.pressure_hpa, None);
    assert_eq!(met.salinity_permille_x10, None);
    assert_eq!(met.day, Some(18));
    let v = ndjson_value(&app);
    for key in ["wind_speed_knots", "air_temp_c", "pressure_hpa", "salinity_permille", "ice"] {
        assert!(v.get(key).is_none(), "{key} should be omitted: {v}");
    }
    // The first report carries real values (decoded by the Kanaton software, sample comments).
    let first = messages.iter().find(|m| m.mmsi == 992_509_977 && m.fid == 11).unwrap();
    let v = ndjson_value(&first.decode().unwrap());
    assert_eq!(v["air_temp_c"], 14.2);
    assert_eq!(v["dew_point_c"], 12.3);
    assert_eq!(v["pressure_hpa"], 1024);
    assert_eq!(v["water_level_m"], -8.4);
    assert_eq!(v["pressure_tendency"], "increasing");
}

/// A small deterministic generator for the robustness test (xorshift64).
struct Bits(u64);

impl Bits {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Every decoded application, at every length and with random bits, writes valid JSON in both
/// forms and never panics.
#[test]
fn arbitrary_bits_never_panic_and_write_valid_json() {
    let apps: &[(u16, u8, bool)] = &[
        (1, 11, false),
        (1, 12, true),
        (1, 13, false),
        (1, 14, true),
        (1, 15, false),
        (1, 16, true),
        (1, 16, false),
        (1, 17, false),
        (1, 18, true),
        (1, 19, false),
        (1, 20, true),
        (1, 25, true),
        (1, 27, false),
        (1, 28, true),
        (1, 29, false),
        (1, 30, true),
        (1, 31, false),
        (1, 32, true),
        (235, 10, true),
        (250, 10, true),
        (200, 10, false),
        (200, 21, true),
        (200, 22, true),
        (200, 23, false),
        (200, 24, false),
        (200, 40, false),
        (200, 55, true),
    ];
    let mut rng = Bits(0x9e37_79b9_7f4a_7c15);
    let mut bytes = [0u8; 256];
    let mut decoded = 0;
    for len in 0..=1100usize {
        for b in &mut bytes {
            *b = rng.next() as u8;
        }
        let payload = Payload::from_bits(&bytes, len).unwrap();
        for &(dac, fid, addressed) in apps {
            let start = if addressed { 88 } else { 56 };
            let Some(app) = decode(dac, fid, addressed, &payload, start) else {
                continue;
            };
            decoded += 1;
            let text = format!("{{{}}}", gpsd_text(&app));
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{dac}/{fid} len {len}: {e}: {text}"));
            ndjson_value(&app);
        }
    }
    // Fixed-length applications decode at one length each (DAC 200 FI 10 also needs a valid
    // hazard code); the others at every length from their data start on.
    assert!(decoded > 15_000, "only {decoded} decodes");
}

/// Applications that gpsd accepts only at one exact length are refused at any other, and
/// DAC/FI pairs sent in the other message type are refused.
#[test]
fn fixed_lengths_and_message_types_are_enforced() {
    let bytes = [0u8; 256];
    let at = |len: usize| Payload::from_bits(&bytes, len).unwrap();
    assert!(decode(235, 10, true, &at(136), 88).is_some());
    assert!(decode(235, 10, true, &at(138), 88).is_none());
    assert!(decode(235, 10, false, &at(136), 56).is_none());
    assert!(decode(200, 10, false, &at(168), 56).is_some());
    assert!(decode(200, 10, false, &at(174), 56).is_none());
    assert!(decode(200, 55, true, &at(168), 88).is_some());
    assert!(decode(200, 55, true, &at(170), 88).is_none());
    assert!(decode(1, 11, true, &at(352), 88).is_none());
    assert!(decode(1, 12, false, &at(360), 56).is_none());
    assert!(decode(1, 16, false, &at(72), 56).is_some());
    assert!(decode(1, 16, false, &at(296), 56).is_none());
    assert!(decode(1, 22, false, &at(360), 56).is_none());
    assert!(decode(366, 56, false, &at(312), 56).is_none());
    // A data start past the end of the payload is refused, not read.
    assert!(decode(1, 31, false, &at(40), 56).is_none());
}
