//! SBS-1 BaseStation parsing of a real dump1090 port-30003 log (`sbs1-japan-kansai`, 30,796
//! lines from the Kansai region, 2022-01-08).
//!
//! Every line parses; the number of `MSG` records per transmission type, the `000000`
//! addresses, the positions and the times are compared with what plain comma splitting of the
//! same file finds (and with the counts of the data set's SOURCE.md); positions lie in the box
//! SOURCE.md gives (33.30-35.07 N, 133.38-137.24 E, rounded; widened here by 0.1°).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_adsb::frame::LineDeframer;
use kuroshio_adsb::sbs::{SbsLine, SbsStats, parse_line};

const KANSAI: &str = "sbs1-japan-kansai/adsb202201082242.csv";

#[test]
fn every_kansai_line_parses() {
    let Some(bytes) = kuroshio_testdata::read(KANSAI) else { return };
    let text = std::str::from_utf8(&bytes).unwrap();

    // Independent counts by splitting on commas.
    let mut by_type = [0u64; 8];
    let mut zero = 0;
    let mut positions = 0;
    let mut addresses = std::collections::BTreeSet::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!((f[0], f.len()), ("MSG", 22));
        by_type[f[1].parse::<usize>().unwrap() - 1] += 1;
        zero += u64::from(f[4] == "000000");
        if f[4] != "000000" {
            addresses.insert(u32::from_str_radix(f[4], 16).unwrap());
        }
        positions += usize::from(!f[14].is_empty());
    }
    // SOURCE.md: MSG types 1:494, 3:4,884, 4:4,877, 5:8,430, 6:6,296, 7:1,440, 8:4,375.
    assert_eq!(by_type, [494, 0, 4_884, 4_877, 8_430, 6_296, 1_440, 4_375]);

    let mut stats = SbsStats::default();
    let mut got_positions = 0;
    let mut callsigns = std::collections::BTreeSet::new();
    let mut aircraft = std::collections::BTreeSet::new();
    let mut last_time = 0.0;
    for (n, line) in text.lines().enumerate() {
        let result = parse_line(line.as_bytes());
        stats.count(&result);
        let Ok(SbsLine::Message(m)) = result else { panic!("line {}: {result:?}", n + 1) };
        if let Some(a) = m.hex_ident {
            aircraft.insert(a);
        }
        if let Some(c) = m.callsign {
            assert!(!c.ends_with(' ') && !c.is_empty());
            callsigns.insert(c.to_string());
        }
        if let (Some(lat), Some(lon)) = (m.lat_deg, m.lon_deg) {
            got_positions += 1;
            assert!(
                (33.2..=35.2).contains(&lat) && (133.3..=137.3).contains(&lon),
                "line {}",
                n + 1
            );
            assert!(m.altitude_ft.is_some());
        }
        // 2022-01-08 22:42 to 2022-01-09 00:41, read as UTC.
        let t = m.generated_unix_s.unwrap();
        assert!((1_641_681_720.0..1_641_688_920.0).contains(&t), "line {}: {t}", n + 1);
        assert!(t >= last_time - 5.0, "line {}: time goes back", n + 1);
        last_time = t;
        assert!(m.logged_unix_s.is_some());
    }
    assert_eq!(stats.messages_by_type, by_type);
    assert_eq!(stats.messages(), 30_796);
    assert_eq!((stats.errors, stats.skipped_records, stats.blank), (0, 0, 0));
    assert_eq!(stats.zero_address, zero);
    assert_eq!(zero, 18);
    assert_eq!(got_positions, positions);
    assert_eq!(got_positions, 4_884);
    // SOURCE.md counts 22 distinct addresses, `000000` among them; e.g. AHK209.
    assert_eq!(aircraft, addresses);
    assert_eq!(aircraft.len(), 21);
    assert!(callsigns.contains("AHK209"));
}

#[test]
fn kansai_through_the_line_splitter() {
    let Some(bytes) = kuroshio_testdata::read(KANSAI) else { return };
    // With CRLF endings and cut into odd pieces, the same records come out.
    let crlf: Vec<u8> =
        bytes.iter().flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] }).collect();
    let mut d = LineDeframer::new();
    let mut stats = SbsStats::default();
    for piece in crlf.chunks(997) {
        d.push(piece);
        while let Some(line) = d.next_line() {
            stats.count(&parse_line(line.unwrap()));
        }
    }
    d.finish();
    while let Some(line) = d.next_line() {
        stats.count(&parse_line(line.unwrap()));
    }
    assert_eq!(stats.messages(), 30_796);
    assert_eq!(stats.errors, 0);
}
