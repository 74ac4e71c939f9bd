//! Properties: framing never panics on any bytes, and a well-formed sentence built from
//! generated fields frames back to exactly those fields.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_nmea::{Line, ParseOptions, Reassembler, ReassemblyLimits, parse_all, parse_line};
use proptest::prelude::*;

/// The six-bit armoring alphabet (ITU-R M.1371-5 Annex 8 table 47).
const ARMOR: &[u8] = b"0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw";

fn xor(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |x, b| x ^ b)
}

/// Bytes that look like feed lines often enough to reach deep into the parser.
fn feedish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"!AIVDM,".to_vec()),
        Just(b"!AIVDO,".to_vec()),
        Just(b"$PGHP,1,".to_vec()),
        Just(b"\\g:1-2-3,s:x,c:1*".to_vec()),
        Just(b"\\".to_vec()),
        Just(b",".to_vec()),
        Just(b"*".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"1,1,,A,".to_vec()),
        Just(b"2,1,3,B,".to_vec()),
        Just(b"2,2,3,B,".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
        proptest::collection::vec(proptest::sample::select(ARMOR.to_vec()), 0..12),
        (0u8..=0xFF).prop_map(|b| format!("{b:02X}").into_bytes()),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn push_all(data: &[u8], opts: ParseOptions, reassembler: &mut Reassembler) {
    for line in data.split(|&b| b == b'\n') {
        for result in parse_all(line, &opts) {
            if let Ok(Line::Sentence(s)) = result {
                if let Ok(Some(m)) = reassembler.push(&s) {
                    assert!(m.payload.len() <= kuroshio_nmea::MAX_ASSEMBLED_PAYLOAD_CHARS);
                }
                while reassembler.pop_evicted().is_some() {}
            }
        }
    }
    assert!(reassembler.pending_len() <= 4);
    let _ = reassembler.drain_incomplete();
    assert_eq!(reassembler.pending_len(), 0);
}

/// Generated fields of one sentence.
#[derive(Debug, Clone)]
struct Fields {
    talker: [u8; 2],
    own_ship: bool,
    count: u8,
    number: u8,
    sequence_id: Option<u8>,
    channel: Option<u8>,
    payload: Vec<u8>,
    fill_bits: u8,
    source: Option<String>,
    time_s: Option<u32>,
    trailer_epoch_s: Option<u32>,
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (
            proptest::sample::select(b"ABDEGINSY-=".to_vec()),
            proptest::sample::select(b"ABDEGINSY-=".to_vec()),
            any::<bool>(),
            1u8..=9,
        ),
        (
            any::<u8>(),
            proptest::option::of(0u8..=99),
            proptest::option::of(proptest::sample::select(b"AB12".to_vec())),
        ),
        proptest::collection::vec(proptest::sample::select(ARMOR.to_vec()), 1..80),
        0u8..=5,
        proptest::option::of("[A-Za-z0-9_-]{1,15}"),
        proptest::option::of(1_000_000_000u32..2_000_000_000),
        proptest::option::of(1_000_000_000u32..2_000_000_000),
    )
        .prop_map(
            |(
                (t0, t1, own_ship, count),
                (n, sequence_id, channel),
                payload,
                fill_bits,
                source,
                time_s,
                trailer_epoch_s,
            )| Fields {
                talker: [t0, t1],
                own_ship,
                count,
                number: 1 + n % count,
                sequence_id,
                channel,
                payload,
                fill_bits,
                source,
                time_s,
                trailer_epoch_s,
            },
        )
}

fn render(f: &Fields) -> Vec<u8> {
    let mut line = Vec::new();
    let mut tags = Vec::new();
    if let Some(s) = &f.source {
        tags.push(format!("s:{s}"));
    }
    if let Some(t) = f.time_s {
        tags.push(format!("c:{t}"));
    }
    if !tags.is_empty() {
        let body = tags.join(",");
        line.extend_from_slice(format!("\\{body}*{:02X}\\", xor(body.as_bytes())).as_bytes());
    }
    let mut body = Vec::new();
    body.extend_from_slice(&f.talker);
    body.extend_from_slice(if f.own_ship { b"VDO" } else { b"VDM" });
    body.extend_from_slice(format!(",{},{},", f.count, f.number).as_bytes());
    if let Some(seq) = f.sequence_id {
        body.extend_from_slice(seq.to_string().as_bytes());
    }
    body.push(b',');
    body.extend(f.channel);
    body.push(b',');
    body.extend_from_slice(&f.payload);
    body.extend_from_slice(format!(",{}", f.fill_bits).as_bytes());
    line.push(b'!');
    line.extend_from_slice(&body);
    line.extend_from_slice(format!("*{:02X}", xor(&body)).as_bytes());
    if let Some(e) = f.trailer_epoch_s {
        line.extend_from_slice(format!(",{e}").as_bytes());
    }
    line.extend_from_slice(b"\r\n");
    line
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut r = Reassembler::new(ReassemblyLimits { max_pending: 4, max_age_sentences: 8 });
        push_all(&data, ParseOptions::STRICT, &mut r);
        push_all(&data, ParseOptions::LENIENT, &mut r);
    }

    #[test]
    fn feedish_bytes_never_panic(data in feedish()) {
        let mut r = Reassembler::new(ReassemblyLimits { max_pending: 4, max_age_sentences: 8 });
        push_all(&data, ParseOptions::STRICT, &mut r);
        push_all(&data, ParseOptions::LENIENT, &mut r);
    }

    #[test]
    fn well_formed_sentences_round_trip(f in fields()) {
        let line = render(&f);
        let parsed = parse_line(&line, &ParseOptions::STRICT);
        let Ok(Line::Sentence(s)) = parsed else {
            panic!("{} did not frame: {parsed:?}", String::from_utf8_lossy(&line));
        };
        prop_assert_eq!(s.talker, f.talker);
        prop_assert_eq!(s.own_ship, f.own_ship);
        prop_assert_eq!(s.fragment_count, f.count);
        prop_assert_eq!(s.fragment_number, f.number);
        prop_assert_eq!(s.sequence_id, f.sequence_id);
        prop_assert_eq!(s.channel, f.channel);
        prop_assert_eq!(s.payload, &f.payload[..]);
        prop_assert_eq!(s.fill_bits, f.fill_bits);
        prop_assert!(s.checksum_ok);
        prop_assert_eq!(s.station, f.source.as_deref());
        let expected_ms = f.time_s.or(f.trailer_epoch_s).map(|t| i64::from(t) * 1000);
        prop_assert_eq!(s.received_unix_ms, expected_ms);
        prop_assert!(s.continuation.is_empty());

        // Any single flipped payload byte breaks the checksum (XOR detects every
        // single-byte change) or the armor.
        let at = line.iter().rposition(|&b| b == b',').unwrap();
        let payload_start = at - f.payload.len();
        let mut corrupt = line.clone();
        corrupt[payload_start] ^= 0x01;
        prop_assert!(parse_line(&corrupt, &ParseOptions::STRICT).is_err());
    }

    #[test]
    fn fragments_reassemble_in_order(
        pieces in proptest::collection::vec(
            proptest::collection::vec(proptest::sample::select(ARMOR.to_vec()), 1..60), 2..=5),
        seq in 0u8..=9,
    ) {
        let count = pieces.len();
        let mut r = Reassembler::default();
        let mut result = None;
        let lines: Vec<Vec<u8>> = pieces.iter().enumerate().map(|(i, p)| {
            let body = format!("AIVDM,{count},{},{seq},A,{},{}", i + 1,
                String::from_utf8_lossy(p), if i + 1 == count { 2 } else { 0 });
            format!("!{body}*{:02X}", xor(body.as_bytes())).into_bytes()
        }).collect();
        for line in &lines {
            let Ok(Line::Sentence(s)) = parse_line(line, &ParseOptions::STRICT) else {
                panic!("does not frame");
            };
            if let Some(m) = r.push(&s).unwrap() {
                result = Some((m.payload.to_vec(), m.fill_bits, m.fragment_count));
            }
        }
        let joined: Vec<u8> = pieces.concat();
        let expected = (joined.len() <= kuroshio_nmea::MAX_ASSEMBLED_PAYLOAD_CHARS)
            .then_some((joined, 2u8, count as u8));
        prop_assert_eq!(result, expected);
    }
}
