//! Every line of every recorded AIS feed in the shared data frames, or fails with the kind of
//! error the line deserves, and every multi-part message reassembles.
//!
//! The expected counts were derived separately from the Rust code: a short Python script
//! classified each line with regular expressions, computed the XOR checksums itself and
//! joined fragments with its own table keyed by (tag group id or `s:` source, talker,
//! formatter, channel, sequence id, fragment count). Where a file's SOURCE.md states a count
//! (dma-aislib `stream_example.txt`: 4,500 VDM/VDO sentences of which 898 are multi-part
//! fragments; amsa-risky `exact-earth-with-tag-block.txt`: 221 sentences, 42 fragments;
//! `nmea-timestamped.txt`: 100 sentences whose tag blocks end in `*00`; aisdb `.nm4`: 997
//! sentences; libais `test.aivdm`: 263 sentences; gfw-ais-tools `errors.nmea`: 2 of 5
//! sentences fail their checksum) the numbers below agree with it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use kuroshio_nmea::{Line, ParseOptions, Reassembler, parse_all};

/// Outcome counts of one file, keyed `sentence`, `fragment`, `assembled`, skip kinds,
/// `frame:<kind>`, `reassembly:<kind>` and `incomplete:<reason>`.
fn tally(data: &[u8], opts: ParseOptions) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    let mut bump = |key: String| *counts.entry(key).or_insert(0) += 1;
    let mut reassembler = Reassembler::default();
    for line in data.split(|&b| b == b'\n') {
        for result in parse_all(line, &opts) {
            match result {
                Ok(Line::Sentence(s)) => {
                    bump("sentence".into());
                    if s.fragment_count > 1 {
                        bump("fragment".into());
                    }
                    match reassembler.push(&s) {
                        Ok(Some(message)) => {
                            assert!(!message.payload.is_empty());
                            bump("assembled".into());
                        }
                        Ok(None) => {}
                        Err(e) => bump(format!("reassembly:{}", e.kind())),
                    }
                    while let Some(g) = reassembler.pop_evicted() {
                        bump(format!("incomplete:{}", g.reason.kind()));
                    }
                }
                Ok(Line::Skipped(skip)) => bump(skip.kind().into()),
                Err(e) => bump(format!("frame:{}", e.kind())),
            }
        }
    }
    for g in reassembler.drain_incomplete() {
        bump(format!("incomplete:{}", g.reason.kind()));
    }
    counts
}

fn check(file: &str, opts: ParseOptions, expected: &[(&str, usize)]) {
    let Some(data) = kuroshio_testdata::read(file) else {
        return;
    };
    check_data(file, &data, opts, expected);
}

fn check_data(file: &str, data: &[u8], opts: ParseOptions, expected: &[(&str, usize)]) {
    let got = tally(data, opts);
    let want: BTreeMap<String, usize> = expected.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(got, want, "{file}");
}

const STRICT: ParseOptions = ParseOptions::STRICT;

#[test]
fn gpsd_sample_aivdm() {
    // 118 sentences; the one line that lost its '!' ("That fragment misses part 1") is
    // not a sentence. 88 single + 12 two-part + 2 three-part = 102 messages, including
    // the interleaved type 24 pairs (2,1,6,B / 2,1,2,A / 2,2,2,A / 2,2,6,B) and a type 8
    // whose station field is on the second fragment only.
    check(
        "gpsd-ais/sample.aivdm",
        STRICT,
        &[
            ("sentence", 118),
            ("fragment", 30),
            ("assembled", 102),
            ("comment", 1001),
            ("blank", 2),
            ("frame:unrecognized_line", 1),
        ],
    );
}

#[test]
fn libais_files() {
    check(
        "libais/tagblock.nmea",
        STRICT,
        &[("sentence", 5), ("fragment", 2), ("assembled", 4), ("blank", 1)],
    );
    check("libais/typeexamples.nmea", STRICT, &[("sentence", 26), ("assembled", 26), ("blank", 1)]);
    check(
        "libais/test.aivdm",
        STRICT,
        &[("sentence", 263), ("fragment", 4), ("assembled", 261), ("comment", 47), ("blank", 36)],
    );
}

#[test]
fn pyais_files() {
    // The second $PGHP line of these files was edited (2008 -> 2009) without fixing its
    // checksum, so it fails.
    for file in ["pyais/gatehouse.nmea", "pyais/timestamped.ais"] {
        check(
            file,
            STRICT,
            &[
                ("sentence", 4),
                ("assembled", 4),
                ("pghp", 3),
                ("frame:bad_checksum", 1),
                ("comment", 1),
                ("blank", 3),
            ],
        );
    }
    check(
        "pyais/messages.ais",
        STRICT,
        &[("sentence", 6), ("assembled", 6), ("comment", 2), ("blank", 3)],
    );
    // Three tag blocks end in a one-digit "*A"; "foobar" and "IamNotAnAisMessage1111" are
    // not NMEA; $GPGGA, $GPRTE, $GPR00 and $IIMWV are other sentences.
    check(
        "pyais/mixed.txt",
        STRICT,
        &[
            ("sentence", 12),
            ("fragment", 4),
            ("assembled", 10),
            ("pghp", 1),
            ("other_nmea", 4),
            ("comment", 5),
            ("blank", 8),
            ("frame:bad_checksum", 1),
            ("frame:missing_tag_block_checksum", 3),
            ("frame:unrecognized_line", 2),
        ],
    );
    // Lenient: the "*A" tag blocks are accepted; one of them is followed by a sentence
    // whose '*' was lost (",013"), which stays an error.
    check(
        "pyais/mixed.txt",
        ParseOptions::LENIENT,
        &[
            ("sentence", 14),
            ("fragment", 4),
            ("assembled", 12),
            ("pghp", 2),
            ("other_nmea", 4),
            ("comment", 5),
            ("blank", 8),
            ("frame:missing_checksum", 1),
            ("frame:unrecognized_line", 2),
        ],
    );
    // 100 "!AIVDM,1,1,,B,,0*25"-style empty sentences. The file holds 20 first fragments
    // and no second ones: 8 are cut short by a later first fragment with the same
    // sequence id, 12 are still open at the end.
    check(
        "pyais/nmea_data_sample.txt",
        STRICT,
        &[
            ("sentence", 798),
            ("fragment", 20),
            ("assembled", 778),
            ("frame:empty_payload", 100),
            ("reassembly:interrupted_group", 8),
            ("incomplete:end_of_input", 12),
        ],
    );
}

#[test]
fn gfw_broken_inputs_give_the_right_errors() {
    check("gfw-ais-tools/bad-tagblock-group.nmea", STRICT, &[("frame:bad_tag_block", 2)]);
    check(
        "gfw-ais-tools/bad-tagblock-group.nmea",
        ParseOptions::LENIENT,
        &[("frame:bad_tag_block", 2)],
    );
    // Line 1: fragments with different talkers (ABVDM then AIVDM) do not join: the first
    // stays open, the second is an orphan. Lines 2 and 3 each hold a complete pair. The
    // last three lines are bare payloads.
    check(
        "gfw-ais-tools/bad-type5.nmea",
        STRICT,
        &[
            ("sentence", 6),
            ("fragment", 6),
            ("assembled", 2),
            ("reassembly:orphan_fragment", 1),
            ("incomplete:end_of_input", 1),
            ("frame:unrecognized_line", 3),
            ("blank", 1),
        ],
    );
    check(
        "gfw-ais-tools/errors.nmea",
        STRICT,
        &[("sentence", 3), ("assembled", 3), ("frame:bad_checksum", 2)],
    );
    check("gfw-ais-tools/errors.nmea", ParseOptions::LENIENT, &[("sentence", 5), ("assembled", 5)]);
    check(
        "gfw-ais-tools/single-message-type-5.nmea",
        STRICT,
        &[("frame:bad_checksum", 1), ("blank", 1)],
    );
    // Spire writes "*00" on its tag blocks. Leniently, line 1 (two fragments run together)
    // assembles; on line 2 the second fragment's group "g:2-1-1" is impossible, so its
    // first fragment is left open.
    check(
        "gfw-ais-tools/spire-test.nmea",
        STRICT,
        &[("frame:tag_block_checksum", 2), ("blank", 1)],
    );
    check(
        "gfw-ais-tools/spire-test.nmea",
        ParseOptions::LENIENT,
        &[
            ("sentence", 3),
            ("fragment", 3),
            ("assembled", 1),
            ("frame:bad_tag_block", 1),
            ("incomplete:end_of_input", 1),
            ("blank", 1),
        ],
    );
    // Wrong bit counts are the payload decoder's business: framing accepts them.
    check(
        "gfw-ais-tools/type1-bad-bitcount.nmea",
        STRICT,
        &[("sentence", 12), ("assembled", 12), ("blank", 2)],
    );
}

#[test]
fn gfw_good_inputs() {
    check(
        "gfw-ais-tools/ee-multiline.nmea",
        STRICT,
        &[("sentence", 10), ("fragment", 4), ("assembled", 8), ("blank", 1)],
    );
    check(
        "gfw-ais-tools/mixed_types.nmea",
        STRICT,
        &[("sentence", 109), ("fragment", 20), ("assembled", 99)],
    );
    check(
        "gfw-ais-tools/multi-part.nmea",
        STRICT,
        &[("sentence", 93), ("fragment", 93), ("assembled", 43), ("blank", 1)],
    );
    check("gfw-ais-tools/sample.nmea", STRICT, &[("sentence", 3), ("assembled", 3)]);
    check("gfw-ais-tools/type8.nmea", STRICT, &[("sentence", 1), ("assembled", 1), ("blank", 2)]);
}

#[test]
fn dma_aislib_files() {
    // 8 lines hold two fragments joined by a literal "\r\n".
    check(
        "dma-aislib/ais250.txt",
        STRICT,
        &[("sentence", 251), ("fragment", 16), ("assembled", 243)],
    );
    check(
        "dma-aislib/decode_encode_messages.txt",
        STRICT,
        &[("sentence", 646), ("fragment", 90), ("assembled", 601), ("blank", 1)],
    );
    check(
        "dma-aislib/replay_dump.txt",
        STRICT,
        &[("sentence", 51), ("fragment", 2), ("assembled", 50), ("pghp", 57), ("blank", 1)],
    );
    // A first fragment (5,1) whose second never comes, and a repeated second fragment.
    check(
        "dma-aislib/retry_example.txt",
        STRICT,
        &[
            ("sentence", 11),
            ("fragment", 8),
            ("assembled", 6),
            ("reassembly:orphan_fragment", 1),
            ("incomplete:end_of_input", 1),
            ("blank", 1),
        ],
    );
    // NMEA 4.00 "1G2:0125" groups, a stand-alone tag block, $PFOO, and a lone BSVDO 2,2.
    check(
        "dma-aislib/small_cb_example.txt",
        STRICT,
        &[
            ("sentence", 16),
            ("fragment", 9),
            ("assembled", 11),
            ("reassembly:orphan_fragment", 1),
            ("pghp", 4),
            ("other_nmea", 1),
            ("tag_block_only", 1),
            ("blank", 6),
        ],
    );
    check(
        "dma-aislib/stream_example.txt",
        STRICT,
        &[("sentence", 4500), ("fragment", 898), ("assembled", 4051), ("pghp", 4051), ("blank", 1)],
    );
}

#[test]
fn amsa_risky_files() {
    check(
        "amsa-risky/exact-earth-augmented.txt",
        STRICT,
        &[("sentence", 3972), ("assembled", 3972), ("pghp", 3188), ("blank", 1)],
    );
    check(
        "amsa-risky/exact-earth-augmented-2.txt",
        STRICT,
        &[("sentence", 1135), ("assembled", 1135), ("pghp", 1003), ("blank", 1)],
    );
    // Four second fragments whose first fragments are not in the capture.
    check(
        "amsa-risky/exact-earth-augmented-3.txt",
        STRICT,
        &[
            ("sentence", 4317),
            ("fragment", 4),
            ("assembled", 4313),
            ("reassembly:orphan_fragment", 4),
            ("pghp", 3355),
            ("blank", 1),
        ],
    );
    check(
        "amsa-risky/exact-earth-with-tag-block.txt",
        STRICT,
        &[("sentence", 221), ("fragment", 42), ("assembled", 200)],
    );
    check("amsa-risky/nmea-timestamped.txt", STRICT, &[("frame:tag_block_checksum", 100)]);
    check(
        "amsa-risky/nmea-timestamped.txt",
        ParseOptions { lenient_checksum: false, lenient_tag_checksum: true },
        &[("sentence", 100), ("assembled", 100)],
    );
}

#[test]
fn amsa_risky_terrestrial_capture() {
    // 44,687 lines: 10,632 other sentences ($PSHI, $AIVSI, $AIALR, $GPRMC, !AIPWR, …),
    // 13 VDM lines cut off before their '*', 3 with a wrong checksum, 4 first fragments
    // whose second fragments are not there (two share a key 18,786 lines apart; each is
    // evicted by age before the input ends).
    let Some(path) = kuroshio_testdata::path("amsa-risky/ais.txt.gz") else {
        return;
    };
    let Ok(output) = std::process::Command::new("gzip").arg("-dc").arg(&path).output() else {
        eprintln!("SKIPPED: gzip is not available to unpack {}", path.display());
        return;
    };
    assert!(output.status.success());
    check_data(
        "amsa-risky/ais.txt.gz",
        &output.stdout,
        STRICT,
        &[
            ("sentence", 34_013),
            ("fragment", 4),
            ("assembled", 34_009),
            ("other_nmea", 10_632),
            ("pghp", 26),
            ("frame:missing_checksum", 13),
            ("frame:bad_checksum", 3),
            ("incomplete:aged_out", 4),
            ("blank", 1),
        ],
    );
}

#[test]
fn aisdb_nm4() {
    check(
        "aisdb/test_data_20211101.nm4",
        STRICT,
        &[("sentence", 997), ("fragment", 36), ("assembled", 979), ("blank", 4)],
    );
}
