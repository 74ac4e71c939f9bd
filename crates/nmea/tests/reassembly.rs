//! Reassembly of multi-sentence messages: keys, interleaving, eviction and reporting.
//!
//! Sentences are written here as text with their checksums computed by the test's own XOR,
//! so each case reads like a feed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kuroshio_nmea::{
    IncompleteReason, Line, MAX_ASSEMBLED_PAYLOAD_CHARS, ParseOptions, Reassembler,
    ReassemblyError, ReassemblyLimits, Sentence, parse_line,
};

/// `body` (the text between `!` and `*`) as a sentence with its checksum.
fn nmea(body: &str) -> String {
    let sum = body.bytes().fold(0u8, |x, b| x ^ b);
    format!("!{body}*{sum:02X}")
}

/// `fields` as a tag block with its checksum.
fn tag(fields: &str) -> String {
    let sum = fields.bytes().fold(0u8, |x, b| x ^ b);
    format!("\\{fields}*{sum:02X}\\")
}

fn sentence(line: &str) -> Sentence<'_> {
    match parse_line(line.as_bytes(), &ParseOptions::STRICT) {
        Ok(Line::Sentence(s)) => s,
        other => panic!("{line}: {other:?}"),
    }
}

/// Pushes every line; returns the payloads (as text) and station of completed messages,
/// and the kinds of errors, in order.
fn run(r: &mut Reassembler, lines: &[String]) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let mut done = Vec::new();
    let mut errors = Vec::new();
    for line in lines {
        let s = sentence(line);
        match r.push(&s) {
            Ok(Some(m)) => done.push((
                String::from_utf8(m.payload.to_vec()).unwrap(),
                m.station.map(str::to_owned),
            )),
            Ok(None) => {}
            Err(e) => errors.push(e.kind().to_owned()),
        }
    }
    (done, errors)
}

#[test]
fn interleaved_messages_from_two_stations_with_the_same_sequence_id() {
    // Two receivers each report a two-part type 5 on channel A with sequence id 3; their
    // fragments arrive interleaved. Keyed on channel and sequence id alone they would mix.
    let lines = [
        format!("{}{}", tag("s:north,c:1700000000"), nmea("AIVDM,2,1,3,A,5north1,0")),
        format!("{}{}", tag("s:south,c:1700000001"), nmea("AIVDM,2,1,3,A,5south1,0")),
        format!("{}{}", tag("s:south,c:1700000001"), nmea("AIVDM,2,2,3,A,south2,2")),
        format!("{}{}", tag("s:north,c:1700000000"), nmea("AIVDM,2,2,3,A,north2,2")),
    ];
    let mut r = Reassembler::default();
    let (done, errors) = run(&mut r, &lines);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        done,
        [
            ("5south1south2".to_owned(), Some("south".to_owned())),
            ("5north1north2".to_owned(), Some("north".to_owned())),
        ]
    );
    assert_eq!(r.pending_len(), 0);
}

#[test]
fn interleaved_uscg_stations_and_talkers() {
    // USCG-style station fields after the checksum key the groups too, and so do talkers.
    let lines = [
        format!("{},r003669945,1325394060", nmea("AIVDM,2,1,1,B,5a1,0")),
        format!("{},r003669946,1325394061", nmea("AIVDM,2,1,1,B,5b1,0")),
        nmea("BSVDM,2,1,1,B,5c1,0"),
        format!("{},r003669946,1325394062", nmea("AIVDM,2,2,1,B,b2,2")),
        nmea("BSVDM,2,2,1,B,c2,2"),
        format!("{},r003669945,1325394063", nmea("AIVDM,2,2,1,B,a2,2")),
    ];
    let mut r = Reassembler::default();
    let (done, errors) = run(&mut r, &lines);
    assert!(errors.is_empty(), "{errors:?}");
    let payloads: Vec<&str> = done.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(payloads, ["5b1b2", "5c1c2", "5a1a2"]);
    assert_eq!(done[0].1.as_deref(), Some("r003669946"));
    assert_eq!(done[1].1, None);
}

#[test]
fn gpsd_type24_interleaving_from_real_data() {
    // gpsd sample.aivdm, "Type 24 collisions": two two-part messages interleaved.
    let Some(data) = kuroshio_testdata::read("gpsd-ais/sample.aivdm") else {
        return;
    };
    let text = String::from_utf8(data).unwrap();
    let start = text
        .find("!AIVDM,2,1,6,B,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht50000000000,0*3B")
        .expect("the interleaved pair is in the file");
    let lines: Vec<String> = text[start..].lines().take(4).map(str::to_owned).collect();
    let mut r = Reassembler::default();
    let (done, errors) = run(&mut r, &lines);
    assert!(errors.is_empty());
    let payloads: Vec<&str> = done.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        payloads,
        [
            "542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht5000000000000000000002",
            "542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht5000000000000000000000",
        ]
    );
}

#[test]
fn tag_block_groups_join_by_group_id() {
    // exactEarth style: only the first fragment names the source; the second carries just
    // the group. The payloads are from gfw-ais-tools ee-multiline.nmea.
    let lines = [
        format!(
            "{}{}",
            tag("g:1-2-1278,s:66,c:1661782369"),
            nmea("AIVDM,2,1,3,A,56=nR7D00003A<I@E=@TmDh637OS60mA:222220N1@6427?P00888888,0")
        ),
        format!("{}{}", tag("g:2-2-1278"), nmea("AIVDM,2,2,3,A,888888888888880,2")),
    ];
    let mut r = Reassembler::default();
    let first = sentence(&lines[0]);
    assert_eq!(r.push(&first).unwrap(), None);
    let second = sentence(&lines[1]);
    let m = r.push(&second).unwrap().unwrap();
    assert_eq!(m.group_id, Some(1278));
    assert_eq!(m.station, Some("66"));
    assert_eq!(m.received_unix_ms, Some(1_661_782_369_000));
    assert_eq!(m.fill_bits, 2);
    assert_eq!(m.payload.len(), 56 + 15);
}

#[test]
fn single_fragment_passes_through_without_copy() {
    let line = nmea("AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0");
    let s = sentence(&line);
    let mut r = Reassembler::default();
    let m = r.push(&s).unwrap().unwrap();
    assert_eq!(m.payload.as_ptr(), s.payload.as_ptr());
    assert_eq!(m.payload.as_ptr(), line.as_bytes()[14..].as_ptr());
    assert_eq!(r.pending_len(), 0);
}

#[test]
fn broken_groups_are_reported() {
    let mut r = Reassembler::default();
    // Orphan: a second fragment with nothing before it.
    let orphan = nmea("AIVDM,2,2,4,A,tail,2");
    assert!(matches!(
        r.push(&sentence(&orphan)),
        Err(ReassemblyError::OrphanFragment { number: 2, count: 2, sequence_id: Some(4), .. })
    ));

    // Out of order: fragment 3 after fragment 1 drops the group and the fragment.
    let one = nmea("AIVDM,3,1,5,B,first,0");
    let three = nmea("AIVDM,3,3,5,B,third,0");
    assert_eq!(r.push(&sentence(&one)).unwrap(), None);
    match r.push(&sentence(&three)) {
        Err(ReassemblyError::OutOfOrder { expected: 2, found: 3, dropped }) => {
            assert_eq!(dropped.reason, IncompleteReason::OutOfOrder);
            assert_eq!(dropped.fragments_received, 1);
            assert_eq!(dropped.fragment_count, 3);
            assert_eq!(dropped.channel, Some(b'B'));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(r.pending_len(), 0);

    // Interrupted: a new first fragment with the same key replaces the unfinished group,
    // and the new one completes normally.
    let a1 = nmea("AIVDM,2,1,6,A,old,0");
    let b1 = nmea("AIVDM,2,1,6,A,new,0");
    let b2 = nmea("AIVDM,2,2,6,A,end,0");
    assert_eq!(r.push(&sentence(&a1)).unwrap(), None);
    let err = r.push(&sentence(&b1)).unwrap_err();
    assert_eq!(err.kind(), "interrupted_group");
    let m = r.push(&sentence(&b2)).unwrap().unwrap();
    assert_eq!(m.payload, b"newend");
}

#[test]
fn over_long_messages_are_errors() {
    let mut r = Reassembler::default();
    let chunk = "0".repeat(60);
    let mut result = Ok(None);
    for n in 1..=6 {
        let line = nmea(&format!("AIVDM,6,{n},1,A,{chunk},0"));
        result = r.push(&sentence(&line)).map(|m| m.map(|m| m.payload.len()));
        if result.is_err() {
            break;
        }
    }
    // 5 fragments make 300 characters; the sixth would make 360.
    assert_eq!(
        result,
        Err(ReassemblyError::PayloadTooLong { len: 360, max: MAX_ASSEMBLED_PAYLOAD_CHARS })
    );
    assert_eq!(r.pending_len(), 0);
}

#[test]
fn capacity_eviction_removes_the_oldest_and_reports_it() {
    let mut r = Reassembler::new(ReassemblyLimits { max_pending: 2, max_age_sentences: 1_000 });
    for seq in 1..=3 {
        let line = nmea(&format!("AIVDM,2,1,{seq},A,part{seq},0"));
        assert_eq!(r.push(&sentence(&line)).unwrap(), None);
    }
    assert_eq!(r.pending_len(), 2);
    let evicted = r.pop_evicted().unwrap();
    assert_eq!(evicted.reason, IncompleteReason::CapacityFull);
    assert_eq!(evicted.sequence_id, Some(1));
    assert_eq!(evicted.first_sentence_index, 1);
    assert_eq!(r.pop_evicted(), None);
    // The evicted group's second fragment is now an orphan; the others still complete.
    let late = nmea("AIVDM,2,2,1,A,w,0");
    assert_eq!(r.push(&sentence(&late)).unwrap_err().kind(), "orphan_fragment");
    let two = nmea("AIVDM,2,2,2,A,v,0");
    assert_eq!(r.push(&sentence(&two)).unwrap().unwrap().payload, b"part2v");
}

#[test]
fn age_eviction_and_end_of_input() {
    let mut r = Reassembler::new(ReassemblyLimits { max_pending: 16, max_age_sentences: 3 });
    let first = nmea("AIVDM,2,1,7,B,stale,0");
    assert_eq!(r.push(&sentence(&first)).unwrap(), None);
    let single = nmea("AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0");
    for _ in 0..3 {
        assert!(r.push(&sentence(&single)).unwrap().is_some());
        assert_eq!(r.pop_evicted(), None);
    }
    // The fourth sentence after the group opened is past the age limit.
    assert!(r.push(&sentence(&single)).unwrap().is_some());
    let evicted = r.pop_evicted().unwrap();
    assert_eq!(evicted.reason, IncompleteReason::AgedOut);
    assert_eq!(evicted.sequence_id, Some(7));
    assert_eq!(r.pending_len(), 0);

    // Whatever is open at the end is reported, oldest first, and the table is emptied. The
    // second fragment names no station and joins the group of the one that does.
    let station = format!("{}{}", tag("s:east"), nmea("AIVDM,3,1,8,A,p,0"));
    let lines = [station, nmea("AIVDM,3,2,8,A,q,0"), nmea("AIVDO,2,1,9,,r,0")];
    let (done, errors) = run(&mut r, &lines);
    assert!(done.is_empty() && errors.is_empty(), "{done:?} {errors:?}");
    let left = r.drain_incomplete();
    assert_eq!(left.len(), 2);
    assert_eq!(left[0].reason, IncompleteReason::EndOfInput);
    assert_eq!(left[0].station.as_deref(), Some("east"));
    assert_eq!((left[0].fragments_received, left[0].fragment_count), (2, 3));
    assert!(left[1].own_ship);
    assert_eq!(left[1].channel, None);
    assert_eq!(r.pending_len(), 0);
    assert!(r.drain_incomplete().is_empty());
}

#[test]
fn lenient_checksums_flag_the_message() {
    let bad = "!AIVDM,2,1,1,A,abc,0*00";
    let good = nmea("AIVDM,2,2,1,A,def,0");
    let Ok(Line::Sentence(first)) = parse_line(bad.as_bytes(), &ParseOptions::LENIENT) else {
        panic!("lenient mode accepts the bad checksum");
    };
    assert!(!first.checksum_ok);
    let mut r = Reassembler::default();
    r.push(&first).unwrap();
    let m = r.push(&sentence(&good)).unwrap().unwrap();
    assert_eq!(m.payload, b"abcdef");
    assert!(!m.checksum_ok);
}
