//! Data-driven framing cases: one line in, a one-line summary of the outcome expected.
//!
//! In the inputs, `*hh` stands for the correct checksum of the sentence or tag block it
//! ends (computed by the test's own XOR), so broken cases can be written by hand and only
//! the fault under test is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_nmea::{FrameError, Line, ParseOptions, Skipped, parse_all, parse_line};

/// Replaces each `*hh` with the XOR of the bytes since the last `!`, `$` or `\`.
fn with_checksums(template: &str) -> Vec<u8> {
    let bytes = template.as_bytes();
    let mut out = Vec::new();
    let mut sum = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"*hh") {
            out.extend_from_slice(format!("*{sum:02X}").as_bytes());
            i += 3;
            continue;
        }
        let b = bytes[i];
        if matches!(b, b'!' | b'$' | b'\\') {
            sum = 0;
        } else {
            sum ^= b;
        }
        out.push(b);
        i += 1;
    }
    out
}

fn summary(result: &Result<Line<'_>, FrameError>) -> String {
    match result {
        Err(e) => format!("error {}", e.kind()),
        Ok(Line::Skipped(Skipped::Pghp(h))) => format!(
            "pghp ms={:?} src={} next={:?} trailing={:?} ok={}",
            h.unix_time_ms, h.source, h.next_sentence_checksum, h.trailing_unix_ms, h.checksum_ok
        ),
        Ok(Line::Skipped(Skipped::OtherNmea { address })) => {
            format!("other {}", String::from_utf8_lossy(address))
        }
        Ok(Line::Skipped(Skipped::TagBlockOnly(t))) => {
            format!("tags-only src={:?} ms={:?}", t.source, t.unix_time_ms)
        }
        Ok(Line::Skipped(skip)) => skip.kind().to_owned(),
        Ok(Line::Sentence(s)) => {
            let mut out = format!(
                "{}{} {}/{} seq={:?} ch={} fill={} payload={}",
                String::from_utf8_lossy(&s.talker),
                if s.own_ship { "VDO" } else { "VDM" },
                s.fragment_number,
                s.fragment_count,
                s.sequence_id,
                s.channel.map_or("-".to_owned(), |c| (c as char).to_string()),
                s.fill_bits,
                String::from_utf8_lossy(s.payload),
            );
            if !s.checksum_ok {
                out.push_str(" BADSUM");
            }
            if let Some(ms) = s.received_unix_ms {
                out.push_str(&format!(" ms={ms}"));
            }
            if let Some(st) = s.station {
                out.push_str(&format!(" station={st}"));
            }
            if let Some(t) = s.tags {
                if let Some(g) = t.group {
                    out.push_str(&format!(" group={}-{}-{}", g.number, g.count, g.id));
                }
                if !t.checksum_ok {
                    out.push_str(" BADTAGSUM");
                }
            }
            if !s.continuation.is_empty() {
                out.push_str(" +more");
            }
            out
        }
    }
}

fn check(opts: ParseOptions, cases: &[(&str, &str)]) {
    for (template, expected) in cases {
        let line = with_checksums(template);
        let got = summary(&parse_line(&line, &opts));
        assert_eq!(&got, expected, "input: {template}");
    }
}

const TYPE1: &str = "15RTgt0PAso;90TKcjM8h6g208CQ";

#[test]
fn well_formed_sentences() {
    let s = |talker_fmt: &str, rest: &str| format!("{talker_fmt} {rest}");
    check(
        ParseOptions::STRICT,
        &[
            // gpsd sample.aivdm, first sentence, with its real checksum.
            (
                "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
                &s("AIVDM", "1/1 seq=None ch=A fill=0 payload=15RTgt0PAso;90TKcjM8h6g208CQ"),
            ),
            (
                "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4a\r\n",
                &s("AIVDM", "1/1 seq=None ch=A fill=0 payload=15RTgt0PAso;90TKcjM8h6g208CQ"),
            ),
            (
                "\u{feff}  !AIVDO,2,2,7,,w`,4*hh  ",
                &s("AIVDO", "2/2 seq=Some(7) ch=- fill=4 payload=w`"),
            ),
            ("$AIVDM,1,1,12,2,0,0*hh", &s("AIVDM", "1/1 seq=Some(12) ch=2 fill=0 payload=0")),
            ("!=IVDM,1,1,,B,H7PA`w0,2*hh", &s("=IVDM", "1/1 seq=None ch=B fill=2 payload=H7PA`w0")),
            ("!--VDM,9,9,9,C,W,5*hh", &s("--VDM", "9/9 seq=Some(9) ch=C fill=5 payload=W")),
        ],
    );
}

#[test]
fn sentence_faults() {
    let p = TYPE1;
    check(
        ParseOptions::STRICT,
        &[
            (&format!("!AIVDM,1,1,,A,{p},0*00"), "error bad_checksum"),
            (&format!("!AIVDM,1,1,,A,{p},0"), "error missing_checksum"),
            (&format!("!AIVDM,1,1,,A,{p},0*4"), "error malformed_checksum"),
            (&format!("!AIVDM,1,1,,A,{p},0*4G"), "error malformed_checksum"),
            ("!AIVDM,1,1,,A*hh", "error too_few_fields"),
            (&format!("!AIVDM,1,1,,A,{p}*hh"), "error too_few_fields"),
            (&format!("!AIVDM,1,1,,A,{p},0,1*hh"), "error too_many_fields"),
            (&format!("!AIVDM,1,1,,A,{p},x,0*hh"), "error too_many_fields"),
            (&format!("!AIVDM,0,1,,A,{p},0*hh"), "error bad_fragment_count"),
            (&format!("!AIVDM,10,1,,A,{p},0*hh"), "error bad_fragment_count"),
            (&format!("!AIVDM,2,3,,A,{p},0*hh"), "error bad_fragment_number"),
            (&format!("!AIVDM,2,,,A,{p},0*hh"), "error bad_fragment_number"),
            (&format!("!AIVDM,1,1,x,A,{p},0*hh"), "error bad_sequence_id"),
            (&format!("!AIVDM,1,1,123,A,{p},0*hh"), "error bad_sequence_id"),
            (&format!("!AIVDM,1,1,,AB,{p},0*hh"), "error bad_channel"),
            ("!AIVDM,1,1,,B,,0*25", "error empty_payload"),
            ("!AIVDM,1,1,,B,15 RT,0*hh", "error bad_payload_char"),
            ("!AIVDM,1,1,,B,15xRT,0*hh", "error bad_payload_char"),
            (&format!("!AIVDM,1,1,,A,{p},6*hh"), "error bad_fill_bits"),
            (&format!("!AIVDM,1,1,,A,{p},*hh"), "error bad_fill_bits"),
            (&format!("!A,VDM,1,1,,A,{p},0*hh"), "error bad_talker"),
            (&"!".repeat(5000), "error line_too_long"),
        ],
    );
    // Lenient mode accepts a wrong checksum with a flag, but not a missing one.
    check(
        ParseOptions::LENIENT,
        &[
            (
                &format!("!AIVDM,1,1,,A,{p},0*00"),
                &format!("AIVDM 1/1 seq=None ch=A fill=0 payload={p} BADSUM"),
            ),
            (&format!("!AIVDM,1,1,,A,{p},0"), "error missing_checksum"),
        ],
    );
}

#[test]
fn tag_blocks() {
    let p = TYPE1;
    let line = |tags: &str| format!("\\{tags}*hh\\!AIVDM,1,1,,A,{p},0*hh");
    let ok = |extra: &str| format!("AIVDM 1/1 seq=None ch=A fill=0 payload={p}{extra}");
    check(
        ParseOptions::STRICT,
        &[
            (
                &line("s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53"),
                &ok(" ms=1418172113000 station=rORBCOMM104"),
            ),
            // Milliseconds in c: (gfw-ais-tools sample.nmea).
            (
                &line("c:1599239526500,s:sdr-experiments"),
                &ok(" ms=1599239526500 station=sdr-experiments"),
            ),
            (&line("g:1-2-1604,s:x"), &ok(" station=x group=1-2-1604")),
            // NMEA 4.00 group form (dma-aislib small_cb_example.txt).
            (&line("1G2:0125,c:1354719387"), &ok(" ms=1354719387000 group=1-2-125")),
            // Unknown and keyless fields are tolerated.
            (&line(":,c:1364272372,x:whatever"), &ok(" ms=1364272372000")),
            (&line("g:1-2--001"), "error bad_tag_block"),
            (&line("g:2-1-1"), "error bad_tag_block"),
            (&line("1G2:x"), "error bad_tag_block"),
            (&line("c:soon"), "error bad_tag_block"),
            (&line("n:many"), "error bad_tag_block"),
            (&format!("\\c:1420030798*00\\!AIVDM,1,1,,A,{p},0*hh"), "error tag_block_checksum"),
            (
                &format!("\\g:1-2-73874*A\\!AIVDM,1,1,,A,{p},0*hh"),
                "error missing_tag_block_checksum",
            ),
            (&format!("\\s:x\\!AIVDM,1,1,,A,{p},0*hh"), "error missing_tag_block_checksum"),
            ("\\s:x*hh", "error unterminated_tag_block"),
            ("\\s:x*hh\\junk", "error bad_tag_block"),
            ("\\c:1354719388*hh\\", "tags-only src=None ms=Some(1354719388000)"),
            ("\\s:r1*hh\\$GPZDA,114702.51,27,01,2012,,*hh", "other GPZDA"),
        ],
    );
    check(
        ParseOptions::LENIENT,
        &[(
            &format!("\\c:1420030798*00\\!AIVDM,1,1,,A,{p},0*hh"),
            &ok(" ms=1420030798000 BADTAGSUM"),
        )],
    );
    // A tag block that is not UTF-8.
    let mut bad = b"\\s:\xff".to_vec();
    let sum = bad[1..].iter().fold(0u8, |x, b| x ^ b);
    bad.extend_from_slice(format!("*{sum:02X}\\").as_bytes());
    bad.extend_from_slice(&with_checksums(&format!("!AIVDM,1,1,,A,{p},0*hh")));
    assert_eq!(summary(&parse_line(&bad, &ParseOptions::STRICT)), "error not_utf8");
}

#[test]
fn wrappers_and_other_lines() {
    let p = TYPE1;
    let ok = |extra: &str| format!("AIVDM 1/1 seq=None ch=A fill=0 payload={p}{extra}");
    check(
        ParseOptions::STRICT,
        &[
            ("", "blank"),
            ("  \t\r", "blank"),
            ("# a random comment", "comment"),
            ("foobar", "error unrecognized_line"),
            ("53l3sj42A590=5Q2220UHE:04=@Ttr2222", "error unrecognized_line"),
            (
                "$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D",
                "other GPGGA",
            ),
            ("!AIPWR,UNIT=0,PWV", "other AIPWR"),
            ("$PFOO,INVALID", "other PFOO"),
            // Gatehouse header (dma-aislib stream_example.txt); 2010-06-11 11:46:11.390 UTC.
            (
                "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B",
                "pghp ms=Some(1276256771390) src=992190934 next=Some(43) trailing=None ok=true",
            ),
            ("$PGHP,1,2009,5,9,0,0,0,10,338,2,,1,09*17", "error bad_checksum"),
            ("$PGHP,1,2010,13,11,11,46,11,390,231,45,1,1,2B*hh", "error bad_pghp"),
            ("$PGHP,1,2010,6,11,25,46,11,390,231,45,1,1,2B*hh", "error bad_pghp"),
            ("$PGHP,1,2010,6,11", "error missing_checksum"),
            // USCG receiver fields (libais typeexamples.nmea): station and first epoch.
            (
                &format!(
                    "!AIVDM,1,1,,A,{p},0*hh,d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001"
                ),
                &ok(" ms=1325394060000 station=r003669946"),
            ),
            (&format!("!AIVDM,1,1,,A,{p},0*hh,b003669794"), &ok(" station=b003669794")),
            // exactEarth trailing milliseconds.
            (&format!("!AIVDM,1,1,,A,{p},0*hh,1327992119173"), &ok(" ms=1327992119173")),
            // The tag block's c: wins over a trailing epoch.
            (
                &format!("\\c:1000000000*hh\\!AIVDM,1,1,,A,{p},0*hh,1327992119173"),
                &ok(" ms=1000000000000"),
            ),
            // Leading epoch prefixes.
            (&format!("1325394060 !AIVDM,1,1,,A,{p},0*hh"), &ok(" ms=1325394060000")),
            (
                &format!("1325394060.5;\\s:x*hh\\!AIVDM,1,1,,A,{p},0*hh"),
                &ok(" ms=1325394060500 station=x"),
            ),
            ("1325394060 hello", "error unrecognized_line"),
            // Junk after the checksum is ignored (gfw-ais-tools sample.nmea, gpsd).
            (&format!("!AIVDM,1,1,,A,{p},0*hh'"), &ok("")),
            (&format!("!AIVDM,1,1,,A,{p},0*hh\\x0d\\x0a"), &ok("")),
            // Two sentences on one line.
            (&format!("!AIVDM,1,1,,A,{p},0*hh\\r\\n!AIVDM,1,1,,B,{p},0*hh"), &ok(" +more")),
            (&format!("!AIVDM,1,1,,A,{p},0*hh\\s:x*hh\\!AIVDM,1,1,,B,{p},0*hh"), &ok(" +more")),
        ],
    );
}

#[test]
fn parse_all_walks_run_together_sentences() {
    // gfw-ais-tools bad-type5.nmea, line 3 (two fragments of one message on one line).
    let line = br"\s:rMT6214,t:marinetraffic,c:1698785964*42\!AIVDM,2,1,1,B,539NW<`00000@KGGOT08DhhE`40000000000000D8h:35vT<05@CU5iDT888,0*31\s:rMT6214,t:marinetraffic,c:1698785964*42\!AIVDM,2,2,1,B,00000000003Sg0,0*23";
    let all: Vec<String> = parse_all(line, &ParseOptions::STRICT).map(|r| summary(&r)).collect();
    assert_eq!(all.len(), 2);
    assert!(all[0].starts_with("AIVDM 1/2 seq=Some(1) ch=B"), "{}", all[0]);
    assert!(all[0].ends_with("station=rMT6214 +more"), "{}", all[0]);
    assert_eq!(
        all[1],
        "AIVDM 2/2 seq=Some(1) ch=B fill=0 payload=00000000003Sg0 ms=1698785964000 station=rMT6214"
    );
    // Iteration stops at the first error.
    let broken = with_checksums(&format!(
        "!AIVDM,1,1,,A,{TYPE1},0*hh!AIVDM,1,1,,A,{TYPE1},0*00!AIVDM,1,1,,A,{TYPE1},0*hh"
    ));
    let kinds: Vec<String> =
        parse_all(&broken, &ParseOptions::STRICT).map(|r| summary(&r)).collect();
    assert_eq!(kinds.len(), 2);
    assert_eq!(kinds[1], "error bad_checksum");
}

#[test]
fn error_kinds_are_distinct_snake_case() {
    let errors = [
        FrameError::LineTooLong { len: 1, max: 0 },
        FrameError::UnrecognizedLine,
        FrameError::MissingChecksum,
        FrameError::MalformedChecksum,
        FrameError::BadChecksum { expected: 0, found: 1 },
        FrameError::BadTalker,
        FrameError::TooFewFields { found: 1 },
        FrameError::TooManyFields,
        FrameError::BadFragmentCount,
        FrameError::BadFragmentNumber { number: 3, count: 2 },
        FrameError::BadSequenceId,
        FrameError::BadChannel,
        FrameError::EmptyPayload,
        FrameError::BadPayloadChar { offset: 0, byte: 0 },
        FrameError::BadFillBits,
        FrameError::UnterminatedTagBlock,
        FrameError::BadTagBlock { key: 'g', reason: "x" },
        FrameError::MissingTagBlockChecksum,
        FrameError::TagBlockChecksum { expected: 0, found: 1 },
        FrameError::NotUtf8,
        FrameError::BadPghp { field: "year" },
    ];
    let mut kinds: Vec<&str> = errors.iter().map(FrameError::kind).collect();
    for k in &kinds {
        assert!(
            k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{k}"
        );
    }
    for e in &errors {
        assert!(!e.to_string().is_empty());
    }
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), errors.len());
}
