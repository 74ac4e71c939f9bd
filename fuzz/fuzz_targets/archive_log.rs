//! Fuzzes the staging log's frame decoder: arbitrary bytes are scanned as a segment (whole,
//! and up to a mark taken from the input), then wrapped as the body of a frame with a correct
//! checksum so the row decoder behind the checksum is reached too. Every frame found must
//! re-encode to exactly the bytes it was decoded from. Any panic is a bug; damaged frames are
//! expected.

#![no_main]

use kuroshio_archive::frame::{decode_frame, encode_frame, frame_from_body, scan};
use libfuzzer_sys::fuzz_target;

fn check(data: &[u8]) {
    let whole = scan(data, None);
    assert!(whole.valid_len as usize <= data.len());
    assert_eq!(whole.rows.len(), whole.frames.iter().map(|f| f.rows).sum::<usize>());
    let mut start = 0usize;
    for f in &whole.frames {
        let end = f.end as usize;
        let (rows, len) = decode_frame(&data[start..]).expect("a frame scan accepted");
        assert_eq!(start + len, end);
        let mut again = Vec::new();
        encode_frame(&rows, &mut again).expect("decoded rows encode");
        assert_eq!(&again[..], &data[start..end]);
        start = end;
    }
    // A mark inside the data: frames ending after it are not read.
    if let Some(&b) = data.first() {
        let mark = (u64::from(b) * 7) % (data.len() as u64 + 1);
        let part = scan(data, Some(mark));
        assert!(part.valid_len <= mark);
        assert!(part.frames.len() <= whole.frames.len());
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if let Some(framed) = frame_from_body(data) {
        check(&framed);
    }
});
