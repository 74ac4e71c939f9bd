//! Fuzzes line framing and reassembly: arbitrary bytes are split into lines, every line is
//! framed (strictly and leniently) with all its run-together sentences, and every sentence
//! is pushed through a small [`Reassembler`] so eviction paths are reached quickly. Any
//! panic is a bug; errors are expected.

#![no_main]

use kuroshio_nmea::{
    Line, MAX_ASSEMBLED_PAYLOAD_CHARS, ParseOptions, Reassembler, ReassemblyLimits, parse_all,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for opts in [ParseOptions::STRICT, ParseOptions::LENIENT] {
        let mut reassembler =
            Reassembler::new(ReassemblyLimits { max_pending: 4, max_age_sentences: 16 });
        for line in data.split(|&b| b == b'\n') {
            for result in parse_all(line, &opts) {
                let Ok(Line::Sentence(sentence)) = result else {
                    continue;
                };
                assert!(sentence.fill_bits <= 5);
                assert!(sentence.fragment_number >= 1);
                assert!(sentence.fragment_number <= sentence.fragment_count);
                if let Ok(Some(message)) = reassembler.push(&sentence) {
                    assert!(message.payload.len() <= MAX_ASSEMBLED_PAYLOAD_CHARS);
                }
                while reassembler.pop_evicted().is_some() {}
                assert!(reassembler.pending_len() <= 4);
            }
        }
        let _ = reassembler.drain_incomplete();
        assert_eq!(reassembler.pending_len(), 0);
    }
});
