//! The stream decoder on real feeds: every line accounted for, wrapper metadata carried to
//! the message it describes, interleaved stations kept apart, lenient mode flagged.

use kuroshio_ais::AisMessage;
use kuroshio_ais::stream::{Stats, StreamDecoder, StreamOptions};
use kuroshio_ais::{Payload, decode};
use kuroshio_nmea::writer::{SentenceOptions, TagBlockOut, write_fragment};

struct Seen {
    mmsi: u32,
    received_unix_ms: Option<i64>,
    station: Option<String>,
    checksum_ok: bool,
    message: AisMessage,
}

fn run(text: &str, options: StreamOptions) -> (Vec<Seen>, Stats) {
    let mut dec = StreamDecoder::new(options);
    let mut seen = Vec::new();
    for line in text.lines() {
        dec.push_line(line.as_bytes(), |d| {
            seen.push(Seen {
                mmsi: d.message.mmsi(),
                received_unix_ms: d.meta.received_unix_ms,
                station: d.meta.station.map(str::to_owned),
                checksum_ok: d.meta.checksum_ok,
                message: d.message.clone(),
            });
        });
    }
    dec.finish();
    (seen, dec.stats().clone())
}

fn read(rel: &str) -> Option<String> {
    kuroshio_testdata::read(rel).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// A Gatehouse `$PGHP` header gives the time and receiving station of the sentence below it.
#[test]
fn pghp_header_applies_to_next_sentence() {
    let Some(text) = read("dma-aislib/stream_example.txt") else { return };
    let (seen, stats) = run(&text, StreamOptions::default());
    assert!(stats.messages > 100, "{stats:?}");
    // The file opens with the header `$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B`
    // (2010-06-11 11:46:11.390 UTC, source 992190934) above a type 4 sentence.
    let first = &seen[0];
    // 2010-06-11T11:46:11.390Z = 1276256771390 ms (date -u -d 2010-06-11T11:46:11 +%s → 1276256771).
    assert_eq!(first.received_unix_ms, Some(1_276_256_771_390));
    assert_eq!(first.station.as_deref(), Some("992190934"));
    let with_time = seen.iter().filter(|s| s.received_unix_ms.is_some()).count();
    assert_eq!(with_time, seen.len(), "every message of the DMA stream has a $PGHP time");
}

/// Every line of every real file ends up somewhere: a sentence, a skipped line or an error.
#[test]
fn every_line_is_accounted_for() {
    let files = [
        "gpsd-ais/sample.aivdm",
        "dma-aislib/stream_example.txt",
        "dma-aislib/ais250.txt",
        "amsa-risky/exact-earth-augmented.txt",
        "amsa-risky/nmea-timestamped.txt",
        "aisdb/test_data_20211101.nm4",
        "pyais/mixed.txt",
        "pyais/messages.ais",
        "gfw-ais-tools/errors.nmea",
        "gfw-ais-tools/bad-tagblock-group.nmea",
    ];
    for f in files {
        let Some(text) = read(f) else { return };
        let (seen, stats) = run(&text, StreamOptions::default());
        let lines = text.lines().count() as u64;
        assert_eq!(stats.lines, lines, "{f}");
        let skipped: u64 = stats.skipped.values().sum();
        let frame_errors: u64 = stats
            .errors
            .iter()
            .filter(|(k, _)| !k.starts_with("incomplete_"))
            .map(|(_, n)| n)
            .sum();
        // A line holds at least one sentence, or is skipped, or fails to frame.
        assert!(stats.sentences + skipped + frame_errors >= lines, "{f}: {stats:?}");
        assert_eq!(stats.messages as usize, seen.len(), "{f}");
        let by_type: u64 = stats.messages_by_type.iter().sum();
        assert_eq!(by_type, stats.messages, "{f}");
    }
}

/// Two stations send multi-sentence messages with the same channel and sequence id,
/// interleaved fragment by fragment; each message comes out whole and from its own station.
#[test]
fn interleaved_stations_reassemble_separately() {
    // Two real multi-sentence payloads (with their fill bits) from gpsd's sample.aivdm, a type
    // 5 and a type 8, each sent in two fragments, both stations using channel A and sequence
    // id 3.
    let payloads = [
        ("55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp888888888880", 2),
        ("8>qc9wiKf>d=Cq5r0mdew:?DLq>1LmhHrsqmBCKnJ503OLc=UCRp", 0),
    ];
    let mut lines: Vec<Vec<String>> = Vec::new();
    for (k, ((payload, fill), station)) in payloads.iter().zip(["st-a", "st-b"]).enumerate() {
        let opts = SentenceOptions {
            talker: *b"AI",
            own_ship: false,
            channel: Some(b'A'),
            sequence_id: Some(3),
            tag_block: Some(TagBlockOut {
                source: Some(station.to_owned()),
                unix_time_s: Some(1_700_000_000 + k as u64),
                group_id: None,
            }),
        };
        let (first, second) = payload.split_at(payload.len() / 2);
        let mut out = String::new();
        write_fragment(first, 0, 1, 2, &opts, &mut out).unwrap();
        write_fragment(second, *fill, 2, 2, &opts, &mut out).unwrap();
        lines.push(out.lines().map(str::to_owned).collect());
    }
    let mut text = String::new();
    for i in 0..2 {
        for l in &lines {
            text.push_str(&l[i]);
            text.push('\n');
        }
    }
    let (seen, stats) = run(&text, StreamOptions::default());
    assert_eq!(stats.error_count(), 0, "{stats:?}");
    assert_eq!(seen.len(), 2);
    for ((payload, fill), station) in payloads.iter().zip(["st-a", "st-b"]) {
        let direct = decode(&Payload::from_armored(payload.as_bytes(), *fill).unwrap()).unwrap();
        let got = seen.iter().find(|s| s.station.as_deref() == Some(station)).unwrap();
        assert_eq!(got.message, direct, "{station}");
    }
    assert_ne!(seen[0].mmsi, seen[1].mmsi);
    assert!(seen.iter().any(|s| matches!(s.message, AisMessage::StaticVoyageData(_))));
    assert!(seen.iter().any(|s| matches!(s.message, AisMessage::BinaryBroadcast(_))));
}

/// A wrong checksum is an error by default and a flagged message in lenient mode.
#[test]
fn lenient_mode_flags_bad_checksums() {
    let bad = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n";
    let (seen, stats) = run(bad, StreamOptions::default());
    assert!(seen.is_empty());
    assert_eq!(stats.errors.get("bad_checksum"), Some(&1));
    let (seen, stats) = run(bad, StreamOptions { lenient_checksum: true });
    assert_eq!(seen.len(), 1);
    assert!(!seen[0].checksum_ok);
    assert_eq!(stats.checksum_accepted, 1);
    assert_eq!(seen[0].mmsi, 371_798_000);
}

/// A multi-sentence message cut off at the end of the input is reported, not dropped silently.
#[test]
fn incomplete_group_at_end_is_counted() {
    let text = "!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E\n";
    let (seen, stats) = run(text, StreamOptions::default());
    assert!(seen.is_empty());
    assert_eq!(stats.errors.get("incomplete_end_of_input"), Some(&1), "{stats:?}");
}
