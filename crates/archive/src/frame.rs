//! The staging log's frame format: how rows are written to `staging/seg-{n:08}.log`.
//!
//! A segment file is a sequence of frames and nothing else (no file header, so a mark's offset
//! is simply the byte length of the valid prefix). Every frame is self-checking:
//!
//! ```text
//! frame   = body_len:u32le  crc:u32le  body[body_len]
//! body    = version:u8 (= 1)  row_count:u32le  row[row_count]
//! row     = time_ns:i64le
//!           target_kind:u8   0 vessel: mmsi:u32le
//!                            1 aircraft: icao24:u32le
//!                            2 local: len:u16le utf8[len]   (1..=LOCAL_ID_BYTES_MAX bytes)
//!           source_len:u8 ascii[source_len]                  (a valid SourceId, 1..=64 bytes)
//!           lon:f64le lat:f64le                              (finite, within ±180 / ±90)
//!           present:u8   bit 0 speed_knots, 1 course_deg, 2 heading_deg, 3 altitude_ft;
//!                        other bits must be 0
//!           one f64le per present bit, in bit order         (finite)
//! ```
//!
//! `crc` is the CRC-32 (IEEE 802.3 polynomial, as computed by `crc32fast`) of `body`. The
//! version byte lets a later layout coexist with this one; a decoder meeting an unknown
//! version stops there, as it does at any other damage.
//!
//! Decoding never trusts a length before checking it against [`FRAME_BODY_BYTES_MAX`] and the
//! bytes present, and never panics: arbitrary bytes yield the longest valid prefix of whole
//! frames and the reason decoding stopped (a torn tail is the normal case after a crash).

use kuroshio_model::{Icao24, Mmsi, SourceId, TargetId, Timestamp};

use crate::PositionRow;

/// The frame layout version written by this code.
pub const FRAME_VERSION: u8 = 1;

/// Bytes before a frame's body: body length and CRC-32.
pub const FRAME_HEADER_BYTES: usize = 8;

/// Largest frame body accepted or written. Bounds what a corrupt length field can make the
/// decoder look at, and the buffer one frame needs; 16 MiB holds well over 100,000 rows.
pub const FRAME_BODY_BYTES_MAX: usize = 16 << 20;

/// Most rows put in one frame; larger batches are split into several frames. At most about
/// 130 bytes a row (long local ids aside) this keeps a frame far under
/// [`FRAME_BODY_BYTES_MAX`].
pub const FRAME_ROWS_MAX: usize = 65_536;

/// Longest local target id stored, in bytes (its length is a u16 in the frame; ids this long
/// are not ids any more).
pub const LOCAL_ID_BYTES_MAX: usize = 1024;

const KIND_VESSEL: u8 = 0;
const KIND_AIRCRAFT: u8 = 1;
const KIND_LOCAL: u8 = 2;
const PRESENT_MASK: u8 = 0b1111;

/// Why a row cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRejected(pub String);

/// Checks that a row can be stored and read back unchanged.
pub fn validate_row(row: &PositionRow) -> Result<(), RowRejected> {
    let bad = |s: String| Err(RowRejected(s));
    if !(row.lon.is_finite() && (-180.0..=180.0).contains(&row.lon)) {
        return bad(format!("longitude {} is not within ±180", row.lon));
    }
    if !(row.lat.is_finite() && (-90.0..=90.0).contains(&row.lat)) {
        return bad(format!("latitude {} is not within ±90", row.lat));
    }
    for (name, v) in [
        ("speed_knots", row.speed_knots),
        ("course_deg", row.course_deg),
        ("heading_deg", row.heading_deg),
        ("altitude_ft", row.altitude_ft),
    ] {
        if v.is_some_and(|v| !v.is_finite()) {
            return bad(format!("{name} is not finite"));
        }
    }
    match &row.target {
        TargetId::Vessel(_) | TargetId::Aircraft(_) => {}
        TargetId::Local(s) if !s.is_empty() && s.len() <= LOCAL_ID_BYTES_MAX => {}
        TargetId::Local(s) => {
            return bad(format!(
                "local target id of {} bytes (1..={LOCAL_ID_BYTES_MAX} allowed)",
                s.len()
            ));
        }
        #[allow(unreachable_patterns)]
        other => return bad(format!("target kind {other:?} is not stored")),
    }
    Ok(())
}

/// Appends one frame holding `rows` (at most [`FRAME_ROWS_MAX`], each passing
/// [`validate_row`]) to `out`.
pub fn encode_frame(rows: &[PositionRow], out: &mut Vec<u8>) -> Result<(), RowRejected> {
    if rows.len() > FRAME_ROWS_MAX {
        return Err(RowRejected(format!("{} rows in one frame", rows.len())));
    }
    let start = out.len();
    out.extend_from_slice(&[0; FRAME_HEADER_BYTES]);
    out.push(FRAME_VERSION);
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    for row in rows {
        if let Err(e) = validate_row(row).and_then(|()| encode_row(row, out)) {
            out.truncate(start);
            return Err(e);
        }
    }
    let body_len = out.len() - start - FRAME_HEADER_BYTES;
    if body_len > FRAME_BODY_BYTES_MAX {
        out.truncate(start);
        return Err(RowRejected(format!("frame body of {body_len} bytes")));
    }
    let crc = crc32fast::hash(&out[start + FRAME_HEADER_BYTES..]);
    out[start..start + 4].copy_from_slice(&(body_len as u32).to_le_bytes());
    out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
    Ok(())
}

fn encode_row(row: &PositionRow, out: &mut Vec<u8>) -> Result<(), RowRejected> {
    out.extend_from_slice(&row.time.unix_nanos().to_le_bytes());
    match &row.target {
        TargetId::Vessel(m) => {
            out.push(KIND_VESSEL);
            out.extend_from_slice(&m.get().to_le_bytes());
        }
        TargetId::Aircraft(a) => {
            out.push(KIND_AIRCRAFT);
            out.extend_from_slice(&a.get().to_le_bytes());
        }
        TargetId::Local(s) => {
            out.push(KIND_LOCAL);
            let len = u16::try_from(s.len())
                .map_err(|_| RowRejected(format!("local id of {} bytes", s.len())))?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        #[allow(unreachable_patterns)]
        other => return Err(RowRejected(format!("target kind {other:?} is not stored"))),
    }
    let source = row.source.as_str().as_bytes();
    let len = u8::try_from(source.len())
        .map_err(|_| RowRejected(format!("source id of {} bytes", source.len())))?;
    out.push(len);
    out.extend_from_slice(source);
    out.extend_from_slice(&row.lon.to_le_bytes());
    out.extend_from_slice(&row.lat.to_le_bytes());
    let opts = [row.speed_knots, row.course_deg, row.heading_deg, row.altitude_ft];
    let mut present = 0u8;
    for (bit, v) in opts.iter().enumerate() {
        if v.is_some() {
            present |= 1 << bit;
        }
    }
    out.push(present);
    for v in opts.iter().flatten() {
        out.extend_from_slice(&v.to_le_bytes());
    }
    Ok(())
}

/// Wraps arbitrary bytes as a frame body with a correct header (length and checksum), so
/// tests and fuzzing can reach the row decoder behind the checksum. `None` when `body` is
/// longer than [`FRAME_BODY_BYTES_MAX`].
pub fn frame_from_body(body: &[u8]) -> Option<Vec<u8>> {
    if body.len() > FRAME_BODY_BYTES_MAX {
        return None;
    }
    let mut out = Vec::with_capacity(FRAME_HEADER_BYTES + body.len());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
    Some(out)
}

/// One whole, valid frame found by [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameInfo {
    /// Byte offset just after the frame.
    pub end: u64,
    /// Rows in it.
    pub rows: usize,
}

/// What [`scan`] found in a segment's bytes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scan {
    /// Rows of all valid frames, in order.
    pub rows: Vec<PositionRow>,
    /// The valid frames, in order.
    pub frames: Vec<FrameInfo>,
    /// Length of the valid prefix (the end of the last valid frame, 0 if none).
    pub valid_len: u64,
    /// Why decoding stopped before the end of the bytes (`None`: all bytes were whole frames).
    pub stopped: Option<String>,
}

/// Decodes the longest prefix of whole, valid frames, stopping at `limit` bytes if given
/// (a committed mark: frames ending after it are not read). Never panics.
pub fn scan(bytes: &[u8], limit: Option<u64>) -> Scan {
    let mut out = Scan::default();
    let mut pos = 0usize;
    let end = match limit {
        Some(l) => usize::try_from(l).unwrap_or(usize::MAX).min(bytes.len()),
        None => bytes.len(),
    };
    while pos < end {
        match decode_frame(&bytes[pos..end]) {
            Ok((rows, len)) => {
                pos += len;
                out.frames.push(FrameInfo { end: pos as u64, rows: rows.len() });
                out.rows.extend(rows);
            }
            Err(reason) => {
                out.stopped = Some(format!("at byte {pos}: {reason}"));
                break;
            }
        }
    }
    out.valid_len = pos as u64;
    out
}

/// Decodes the frame at the start of `bytes`: its rows and its length in bytes.
pub fn decode_frame(bytes: &[u8]) -> Result<(Vec<PositionRow>, usize), String> {
    if bytes.len() < FRAME_HEADER_BYTES {
        return Err(format!("torn frame header ({} bytes)", bytes.len()));
    }
    let body_len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let crc = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if body_len > FRAME_BODY_BYTES_MAX {
        return Err(format!("frame length {body_len} exceeds {FRAME_BODY_BYTES_MAX}"));
    }
    let Some(body) = bytes.get(FRAME_HEADER_BYTES..FRAME_HEADER_BYTES + body_len) else {
        return Err(format!(
            "torn frame: {body_len} body bytes announced, {} present",
            bytes.len() - FRAME_HEADER_BYTES
        ));
    };
    if crc32fast::hash(body) != crc {
        return Err("checksum mismatch".to_owned());
    }
    let rows = decode_body(body)?;
    Ok((rows, FRAME_HEADER_BYTES + body_len))
}

/// A cursor over a frame body that fails instead of reading past the end.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self
            .bytes
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(|| format!("body ends inside a row (byte {})", self.pos))?;
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(self.array()?))
    }
}

fn decode_body(body: &[u8]) -> Result<Vec<PositionRow>, String> {
    let mut r = Reader { bytes: body, pos: 0 };
    let version = r.u8()?;
    if version != FRAME_VERSION {
        return Err(format!("unknown frame version {version}"));
    }
    let count = r.u32()? as usize;
    if count > FRAME_ROWS_MAX {
        return Err(format!("{count} rows in a frame (at most {FRAME_ROWS_MAX})"));
    }
    let mut rows = Vec::with_capacity(count);
    for _ in 0..count {
        rows.push(decode_row(&mut r)?);
    }
    if r.pos != body.len() {
        return Err(format!("{} bytes after the last row", body.len() - r.pos));
    }
    Ok(rows)
}

fn decode_row(r: &mut Reader<'_>) -> Result<PositionRow, String> {
    let time = Timestamp::from_unix_nanos(i64::from_le_bytes(r.array()?));
    let target = match r.u8()? {
        KIND_VESSEL => TargetId::Vessel(Mmsi::new(r.u32()?).map_err(|e| e.to_string())?),
        KIND_AIRCRAFT => TargetId::Aircraft(Icao24::new(r.u32()?).map_err(|e| e.to_string())?),
        KIND_LOCAL => {
            let len = usize::from(r.u16()?);
            if len == 0 || len > LOCAL_ID_BYTES_MAX {
                return Err(format!("local id of {len} bytes"));
            }
            let s = std::str::from_utf8(r.take(len)?).map_err(|e| e.to_string())?;
            TargetId::Local(s.to_owned())
        }
        k => return Err(format!("unknown target kind {k}")),
    };
    let len = usize::from(r.u8()?);
    let source = std::str::from_utf8(r.take(len)?).map_err(|e| e.to_string())?;
    let source = SourceId::parse(source).map_err(|e| e.to_string())?;
    let lon = r.f64()?;
    let lat = r.f64()?;
    let present = r.u8()?;
    if present & !PRESENT_MASK != 0 {
        return Err(format!("unknown presence bits {present:#04x}"));
    }
    let mut opt = [None; 4];
    for (bit, slot) in opt.iter_mut().enumerate() {
        if present & (1 << bit) != 0 {
            *slot = Some(r.f64()?);
        }
    }
    let row = PositionRow {
        time,
        target,
        source,
        lon,
        lat,
        speed_knots: opt[0],
        course_deg: opt[1],
        heading_deg: opt[2],
        altitude_ft: opt[3],
    };
    validate_row(&row).map_err(|e| e.0)?;
    Ok(row)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(i: i64) -> PositionRow {
        PositionRow {
            time: Timestamp::from_unix_nanos(1_700_000_000_000_000_000 + i),
            target: if i % 2 == 0 {
                TargetId::Vessel(Mmsi::new(412_345_678).unwrap())
            } else {
                TargetId::Local("臺灣-雷達-7".to_owned())
            },
            source: SourceId::parse("ais-kaohsiung").unwrap(),
            lon: 121.5,
            lat: 24.25,
            speed_knots: Some(12.5),
            course_deg: None,
            heading_deg: Some(359.0),
            altitude_ft: None,
        }
    }

    #[test]
    fn frames_round_trip_and_stop_at_damage() {
        let mut bytes = Vec::new();
        encode_frame(&[row(0), row(1)], &mut bytes).unwrap();
        let first = bytes.len() as u64;
        encode_frame(&[row(2)], &mut bytes).unwrap();
        let s = scan(&bytes, None);
        assert_eq!(s.rows, vec![row(0), row(1), row(2)]);
        assert_eq!(s.valid_len, bytes.len() as u64);
        assert!(s.stopped.is_none());
        assert_eq!(scan(&bytes, Some(first)).rows.len(), 2);
        // Torn tail: every strict prefix of the second frame is dropped.
        for cut in first as usize..bytes.len() {
            let s = scan(&bytes[..cut], None);
            assert_eq!(s.valid_len, first);
            assert_eq!(s.rows.len(), 2);
        }
        // Any flipped byte in the second frame invalidates it.
        for i in first as usize..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert_eq!(scan(&b, None).valid_len, first, "byte {i}");
        }
    }

    #[test]
    fn invalid_rows_are_refused() {
        let mut r = row(0);
        r.lon = f64::NAN;
        let mut out = Vec::new();
        assert!(encode_frame(&[row(1), r], &mut out).is_err());
        assert!(out.is_empty());
        let mut r = row(0);
        r.target = TargetId::Local(String::new());
        assert!(encode_frame(&[r], &mut out).is_err());
    }

    proptest::proptest! {
        /// Arbitrary bytes, alone or after valid frames: no panic, and the valid prefix is
        /// kept (the fuzz target `archive_log` does the same with coverage guidance).
        #[test]
        fn arbitrary_bytes_never_panic(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let mut bytes = Vec::new();
            encode_frame(&[row(0), row(1)], &mut bytes).unwrap();
            let valid = bytes.len() as u64;
            bytes.extend_from_slice(&tail);
            let s = scan(&bytes, None);
            proptest::prop_assert!(s.valid_len >= valid);
            proptest::prop_assert!(s.rows.len() >= 2);
            let _ = scan(&tail, None);
            let _ = decode_frame(&tail);
        }
    }
}
