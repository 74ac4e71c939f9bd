//! Incremental Beast binary deframer: push byte chunks as they arrive, pull [`Frame`]s.
//!
//! Layout (Mode-S Beast binary protocol, as dump1090 and readsb send it on port 30005):
//!
//! ```text
//! 0x1a  type  counter(6)  signal(1)  reply(n)
//!       0x31  Mode A/C           n = 2
//!       0x32  Mode S short       n = 7
//!       0x33  Mode S long        n = 14
//!       0x34  receiver status    n = 14   (skipped, counted)
//! ```
//!
//! The counter is a big-endian 48-bit count of a 12 MHz clock. Every `0x1a` among the counter,
//! signal and reply bytes is sent twice; a single `0x1a` always starts a frame. After bytes
//! that cannot belong to a frame the deframer skips to the next `0x1a` followed by a frame
//! type, stepping over doubled `0x1a 0x1a` pairs (which are escaped data, not frame starts),
//! and reports one [`FrameError::BeastResync`] per skipped run.
//!
//! Frames without an escape are returned as a slice of the buffer; frames with one are
//! unescaped into a 21-byte scratch array. Either way nothing is allocated per frame.

use super::{Frame, FrameError, FrameTime, MODE_AC_BYTES, MODE_S_LONG_BYTES, MODE_S_SHORT_BYTES};

/// The escape and frame-start byte.
const ESC: u8 = 0x1a;
/// Counter (6) and signal (1) bytes before the reply.
const HEADER_BYTES: usize = 7;
/// Longest Beast frame on the wire, in bytes: start and type bytes, then the counter, signal
/// and a 14-byte reply with every byte escaped. After a drain a [`BeastDeframer`] holds less.
pub const BEAST_FRAME_WIRE_BYTES_MAX: usize = 2 + 2 * (HEADER_BYTES + MODE_S_LONG_BYTES);

/// Most bytes a [`BeastDeframer`] holds.
///
/// Between two drains (calls of [`BeastDeframer::next_frame`] until `None`) it holds at most
/// one partial frame ([`BEAST_FRAME_WIRE_BYTES_MAX`]) plus what was pushed. 1 MiB takes
/// sixteen 64 KiB socket reads, about 45,000 frames. When full, [`BeastDeframer::push`] takes
/// only what fits and says how much: the caller drains frames and pushes the rest
/// (back-pressure, nothing is dropped).
pub const BEAST_BUFFER_BYTES_MAX: usize = 1 << 20;

/// Counters of a [`BeastDeframer`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BeastStats {
    /// Mode A/C frames (type 0x31) returned.
    pub mode_ac: u64,
    /// Short Mode S frames (type 0x32) returned.
    pub mode_s_short: u64,
    /// Long Mode S frames (type 0x33) returned.
    pub mode_s_long: u64,
    /// Receiver status frames (type 0x34) skipped.
    pub status: u64,
    /// Runs of bytes skipped to resynchronise.
    pub resyncs: u64,
    /// Bytes skipped while resynchronising.
    pub skipped_bytes: u64,
    /// Frames cut short by the next frame start or the end of input.
    pub truncated: u64,
}

/// Incremental Beast deframer. See the module documentation for the format.
///
/// ```
/// use kuroshio_adsb::frame::{BeastDeframer, FrameTime};
///
/// let mut d = BeastDeframer::new();
/// // A short frame whose counter holds an escaped 0x1a, pushed in two pieces (the second
/// // frame of traffic's `sample_dump1090.bin`).
/// let wire = b"\x1a\x32\x00\x00\x15\xbe\x1a\x1a\x0c\x0f\x02\xe1\x8c\xa8\xf1\xd2\xed";
/// assert_eq!(d.push(&wire[..7]), 7);
/// assert!(d.next_frame().is_none());
/// d.push(&wire[7..]);
/// let frame = d.next_frame().unwrap().unwrap();
/// assert_eq!(frame.data, &[0x02, 0xe1, 0x8c, 0xa8, 0xf1, 0xd2, 0xed]);
/// assert_eq!(frame.signal, Some(0x0f));
/// assert_eq!(frame.timestamp, Some(FrameTime::Mlat12MHz(0x0000_15be_1a0c)));
/// ```
#[derive(Debug, Clone)]
pub struct BeastDeframer {
    /// Pushed bytes; `buf[start..]` are not yet consumed.
    buf: Vec<u8>,
    start: usize,
    /// Unescaped header and reply of the last frame that had escapes.
    scratch: [u8; HEADER_BYTES + MODE_S_LONG_BYTES],
    /// Bytes of a garbage run already skipped, not yet reported (the run goes on in the next
    /// push): a run is reported once, however the input was cut.
    garbage_pending: usize,
    stats: BeastStats,
}

impl Default for BeastDeframer {
    fn default() -> Self {
        Self::new()
    }
}

/// What one frame type carries.
fn reply_len(frame_type: u8) -> Option<usize> {
    match frame_type {
        0x31 => Some(MODE_AC_BYTES),
        0x32 => Some(MODE_S_SHORT_BYTES),
        0x33 | 0x34 => Some(MODE_S_LONG_BYTES),
        _ => None,
    }
}

/// Outcome of looking at the bytes at the read position.
enum Step {
    /// Not enough bytes to decide: wait for more.
    Wait,
    /// A frame: its type, where its unescaped header and reply are, and its wire length.
    Frame { frame_type: u8, in_scratch: bool, body_at: usize, wire_len: usize },
    /// A frame cut by a new frame start after `got` unescaped bytes, `wire_len` bytes long.
    Truncated { frame_type: u8, got: usize, wire_len: usize },
    /// `skip` bytes that start no frame; `at_frame_start` when a frame start follows them
    /// (otherwise the buffer ended first).
    Garbage { skip: usize, at_frame_start: bool },
}

impl BeastDeframer {
    /// An empty deframer.
    pub fn new() -> Self {
        BeastDeframer {
            buf: Vec::new(),
            start: 0,
            scratch: [0; HEADER_BYTES + MODE_S_LONG_BYTES],
            garbage_pending: 0,
            stats: BeastStats::default(),
        }
    }

    /// Counters since creation.
    pub fn stats(&self) -> &BeastStats {
        &self.stats
    }

    /// Bytes pushed but not yet consumed (at most one partial frame after a drain).
    pub fn pending_bytes(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Appends received bytes, returning how many were taken: all of them unless the buffer
    /// would exceed [`BEAST_BUFFER_BYTES_MAX`], in which case the caller drains frames with
    /// [`BeastDeframer::next_frame`] and pushes the rest.
    pub fn push(&mut self, chunk: &[u8]) -> usize {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let take = chunk.len().min(BEAST_BUFFER_BYTES_MAX.saturating_sub(self.buf.len()));
        self.buf.extend_from_slice(&chunk[..take]);
        take
    }

    /// Ends the input: a partial frame still buffered is discarded and reported as
    /// [`FrameError::BeastTruncated`] (or [`FrameError::BeastResync`] when it is not even a
    /// frame start). The deframer is then empty and may be reused.
    pub fn finish(&mut self) -> Option<FrameError> {
        let rest = &self.buf[self.start..];
        let err = match rest {
            [] if self.garbage_pending == 0 => None,
            [ESC, t, ..] if self.garbage_pending == 0 && reply_len(*t).is_some() => {
                self.stats.truncated += 1;
                Some(FrameError::BeastTruncated { frame_type: *t, got_bytes: rest.len() - 2 })
            }
            _ => {
                self.garbage_pending += rest.len();
                Some(self.take_resync())
            }
        };
        self.buf.clear();
        self.start = 0;
        err
    }

    /// Reports (and counts) the pending garbage run.
    fn take_resync(&mut self) -> FrameError {
        let skipped_bytes = std::mem::take(&mut self.garbage_pending);
        self.stats.resyncs += 1;
        self.stats.skipped_bytes += skipped_bytes as u64;
        FrameError::BeastResync { skipped_bytes }
    }

    /// The next frame, a fault, or `None` when the buffered bytes hold no complete frame
    /// (push more). Status frames are skipped (and counted); faults leave the deframer at the
    /// next possible frame start, so calling again continues.
    pub fn next_frame(&mut self) -> Option<Result<Frame<'_>, FrameError>> {
        loop {
            match self.step() {
                Step::Wait => return None,
                Step::Garbage { skip, at_frame_start } => {
                    self.start += skip;
                    self.garbage_pending += skip;
                    if at_frame_start {
                        return Some(Err(self.take_resync()));
                    }
                }
                // A garbage run ends where a frame starts: report it before the frame.
                Step::Truncated { .. } | Step::Frame { .. } if self.garbage_pending > 0 => {
                    return Some(Err(self.take_resync()));
                }
                Step::Truncated { frame_type, got, wire_len } => {
                    self.start += wire_len;
                    self.stats.truncated += 1;
                    return Some(Err(FrameError::BeastTruncated { frame_type, got_bytes: got }));
                }
                Step::Frame { frame_type, in_scratch, body_at, wire_len } => {
                    self.start += wire_len;
                    let n = match frame_type {
                        0x31 => {
                            self.stats.mode_ac += 1;
                            MODE_AC_BYTES
                        }
                        0x32 => {
                            self.stats.mode_s_short += 1;
                            MODE_S_SHORT_BYTES
                        }
                        0x33 => {
                            self.stats.mode_s_long += 1;
                            MODE_S_LONG_BYTES
                        }
                        _ => {
                            self.stats.status += 1;
                            continue;
                        }
                    };
                    let body: &[u8] = if in_scratch { &self.scratch } else { &self.buf[body_at..] };
                    let body = &body[..HEADER_BYTES + n];
                    let counter = body[..6].iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
                    return Some(Ok(Frame {
                        data: &body[HEADER_BYTES..],
                        timestamp: Some(FrameTime::Mlat12MHz(counter)),
                        signal: Some(body[6]),
                    }));
                }
            }
        }
    }

    /// Looks at the bytes from the read position; unescapes into `scratch` when needed.
    fn step(&mut self) -> Step {
        let avail = &self.buf[self.start..];
        let Some(&first) = avail.first() else { return Step::Wait };
        if first != ESC {
            return resync(avail, 0);
        }
        let Some(&frame_type) = avail.get(1) else { return Step::Wait };
        let Some(n) = reply_len(frame_type) else {
            // `0x1a 0x1a` outside a frame is escaped data of a frame we did not see the start
            // of; any other byte is an unknown type. Either way skip past it.
            let from = if frame_type == ESC { 2 } else { 1 };
            return resync(avail, from);
        };
        let need = HEADER_BYTES + n;
        let body = &avail[2..];
        // Fast path: no escape among the frame's bytes.
        if let Some(window) = body.get(..need) {
            if memchr::memchr(ESC, window).is_none() {
                return Step::Frame {
                    frame_type,
                    in_scratch: false,
                    body_at: self.start + 2,
                    wire_len: 2 + need,
                };
            }
        }
        // Slow path: unescape byte by byte.
        let mut got = 0;
        let mut i = 0;
        while got < need {
            let Some(&b) = body.get(i) else { return Step::Wait };
            if b == ESC {
                match body.get(i + 1) {
                    None => return Step::Wait,
                    Some(&ESC) => i += 2,
                    Some(_) => return Step::Truncated { frame_type, got, wire_len: 2 + i },
                }
            } else {
                i += 1;
            }
            self.scratch[got] = b;
            got += 1;
        }
        Step::Frame { frame_type, in_scratch: true, body_at: 0, wire_len: 2 + i }
    }
}

/// The garbage step at the start of `avail`: how many bytes to skip, starting the search at
/// `from`, to reach the next `0x1a` followed by a known frame type, stepping over doubled
/// `0x1a 0x1a` pairs. Stops before a final `0x1a` whose next byte has not arrived. Skips at
/// least 1 byte (`from` ≥ 1 or `avail[0]` is not a frame start).
fn resync(avail: &[u8], from: usize) -> Step {
    let mut at = from.max(1);
    while let Some(off) = memchr::memchr(ESC, avail.get(at..).unwrap_or(&[])) {
        let esc = at + off;
        match avail.get(esc + 1) {
            None => return Step::Garbage { skip: esc, at_frame_start: false },
            Some(&ESC) => at = esc + 2,
            Some(&t) if reply_len(t).is_some() => {
                return Step::Garbage { skip: esc, at_frame_start: true };
            }
            Some(_) => at = esc + 1,
        }
    }
    Step::Garbage { skip: avail.len(), at_frame_start: false }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Escapes `raw` (type byte then header and reply) into wire bytes.
    fn wire(frame_type: u8, header_and_reply: &[u8]) -> Vec<u8> {
        let mut out = vec![ESC, frame_type];
        for &b in header_and_reply {
            out.push(b);
            if b == ESC {
                out.push(ESC);
            }
        }
        out
    }

    /// A frame with its metadata, owned.
    type Owned = (Vec<u8>, Option<FrameTime>, Option<u8>);

    fn drain(d: &mut BeastDeframer) -> Vec<Result<Owned, FrameError>> {
        let mut out = Vec::new();
        while let Some(r) = d.next_frame() {
            out.push(r.map(|f| (f.data.to_vec(), f.timestamp, f.signal)));
        }
        out
    }

    #[test]
    fn escapes_everywhere() {
        let body =
            [0x1a, 0, 0, 0, 0, 0x1a, 0x1a, 0x8d, 0x1a, 0x1a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a];
        let mut d = BeastDeframer::new();
        d.push(&wire(0x33, &body));
        let got = drain(&mut d);
        assert_eq!(got.len(), 1);
        let (data, ts, sig) = got[0].clone().unwrap();
        assert_eq!(data, body[7..].to_vec());
        assert_eq!(ts, Some(FrameTime::Mlat12MHz(0x1a00_0000_001a)));
        assert_eq!(sig, Some(0x1a));
        assert_eq!(d.pending_bytes(), 0);
    }

    #[test]
    fn garbage_and_truncation_resynchronise() {
        let good = wire(0x32, &[0, 0, 0, 0, 0, 1, 9, 0x5d, 1, 2, 3, 4, 5, 6]);
        let mut input = b"garbage".to_vec();
        input.extend_from_slice(&good);
        // A frame cut after 3 bytes by the next frame start.
        input.extend_from_slice(&[ESC, 0x33, 1, 2, 3]);
        input.extend_from_slice(&good);
        // Unknown type, and an escaped pair outside a frame.
        input.extend_from_slice(&[ESC, 0x39, 7, ESC, ESC, 0x32, 8]);
        input.extend_from_slice(&good);
        // A status frame, skipped.
        input.extend_from_slice(&wire(0x34, &[0; 21]));
        input.extend_from_slice(&good);
        let mut d = BeastDeframer::new();
        d.push(&input);
        let got = drain(&mut d);
        let kinds: Vec<&str> =
            got.iter().map(|r| r.as_ref().map(|_| "frame").unwrap_or_else(|e| e.kind())).collect();
        assert_eq!(
            kinds,
            ["beast_resync", "frame", "beast_truncated", "frame", "beast_resync", "frame", "frame"]
        );
        assert_eq!(got[0], Err(FrameError::BeastResync { skipped_bytes: 7 }));
        assert_eq!(got[2], Err(FrameError::BeastTruncated { frame_type: 0x33, got_bytes: 3 }));
        assert_eq!(got[4], Err(FrameError::BeastResync { skipped_bytes: 7 }));
        let s = *d.stats();
        assert_eq!((s.mode_s_short, s.status, s.resyncs, s.truncated), (4, 1, 2, 1));
        assert_eq!(d.finish(), None);
    }

    #[test]
    fn partial_input_waits_then_finish_reports() {
        let mut d = BeastDeframer::new();
        d.push(&[ESC, 0x33, 1, 2, ESC]);
        assert!(d.next_frame().is_none());
        assert_eq!(d.finish(), Some(FrameError::BeastTruncated { frame_type: 0x33, got_bytes: 3 }));
        assert_eq!(d.pending_bytes(), 0);
        d.push(&[ESC]);
        assert!(d.next_frame().is_none());
        assert_eq!(d.finish(), Some(FrameError::BeastResync { skipped_bytes: 1 }));
    }

    #[test]
    fn push_is_bounded() {
        let mut d = BeastDeframer::new();
        let big = vec![0u8; BEAST_BUFFER_BYTES_MAX + 10];
        assert_eq!(d.push(&big), BEAST_BUFFER_BYTES_MAX);
        assert_eq!(d.push(&big), 0);
        // All garbage: skipped, and reported once, when its run ends.
        assert_eq!(d.next_frame(), None);
        assert_eq!(d.pending_bytes(), 0);
        assert_eq!(d.push(&big[..10]), 10);
        assert_eq!(
            d.finish(),
            Some(FrameError::BeastResync { skipped_bytes: BEAST_BUFFER_BYTES_MAX + 10 })
        );
    }
}
