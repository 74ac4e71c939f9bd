//! A small, allocation-light JSON object writer for the decoder's output formats.
//!
//! Decoded messages are written straight into a reusable byte buffer: no intermediate
//! `serde_json::Value`, no per-field allocation. The writer only produces what the output formats
//! need (objects, arrays, integers, floats, booleans, strings with JSON escaping); it does not
//! parse.

/// Appends one JSON object (or array) to a buffer, tracking where commas go.
pub struct JsonWriter<'a> {
    out: &'a mut Vec<u8>,
    /// One entry per open container: whether it already holds an element.
    first: [bool; 8],
    depth: usize,
}

/// The deepest nesting the writer supports; the output formats need three levels.
const DEPTH_MAX: usize = 8;

impl<'a> JsonWriter<'a> {
    /// Starts a top-level object in `out`.
    pub fn object(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        Self { out, first: [true; DEPTH_MAX], depth: 0 }
    }

    #[inline(always)]
    fn sep(&mut self) {
        if self.first[self.depth] {
            self.first[self.depth] = false;
        } else {
            self.out.push(b',');
        }
    }

    /// Writes `,"key":`. Inlined so that, with a literal key, the copy has a length known at
    /// compile time and becomes a few moves instead of a `memcpy` call: the writers spend most
    /// of their time here.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        self.out.reserve(key.len() + 4);
        self.sep();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.push(b'"');
        self.out.push(b':');
    }

    /// `"key":<unsigned>`.
    #[inline]
    pub fn u64(&mut self, key: &str, v: u64) {
        self.key(key);
        self.out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// `"key":<signed>`.
    #[inline]
    pub fn i64(&mut self, key: &str, v: i64) {
        self.key(key);
        self.out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// `"key":<float>`; non-finite values are written as `null`.
    #[inline]
    pub fn f64(&mut self, key: &str, v: f64) {
        self.key(key);
        self.raw_f64(v);
    }

    /// `"key":<float>` rounded to `decimals` places (for values whose precision is known, such
    /// as degrees from 1/10000-minute units), without trailing zeros beyond one (`224.0`).
    pub fn f64_fixed(&mut self, key: &str, v: f64, decimals: usize) {
        self.key(key);
        self.raw_f64_fixed(v, decimals);
    }

    /// A float rounded to `decimals` places, without trailing zeros, by integer arithmetic
    /// (formatting through `fmt` costs several times more). Falls back to shortest round-trip
    /// formatting when the scaled value does not fit in an `i64`.
    fn raw_f64_fixed(&mut self, v: f64, decimals: usize) {
        const POW10: [u64; 10] =
            [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];
        if !v.is_finite() {
            self.out.extend_from_slice(b"null");
            return;
        }
        let decimals = decimals.min(POW10.len() - 1);
        let scale = POW10[decimals];
        let scaled = (v * scale as f64).round();
        if scaled.abs() >= 9.0e18 {
            self.raw_f64(v);
            return;
        }
        let scaled = scaled as i64;
        if scaled < 0 {
            self.out.push(b'-');
        }
        let magnitude = scaled.unsigned_abs();
        let (int, mut frac) = (magnitude / scale, magnitude % scale);
        self.out.extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
        if frac == 0 {
            // Keep floats recognisable as floats ("224.0"), as shortest-float formatting does.
            self.out.extend_from_slice(b".0");
        } else {
            let mut digits = decimals;
            while frac % 10 == 0 {
                frac /= 10;
                digits -= 1;
            }
            self.out.push(b'.');
            let text = itoa::Buffer::new().format(frac).len();
            for _ in text..digits {
                self.out.push(b'0');
            }
            self.out.extend_from_slice(itoa::Buffer::new().format(frac).as_bytes());
        }
    }

    fn raw_f64(&mut self, v: f64) {
        if v.is_finite() {
            let mut b = ryu::Buffer::new();
            let s = b.format_finite(v);
            // ryu writes "12.0"; JSON readers accept it, and it keeps floats recognisable.
            self.out.extend_from_slice(s.as_bytes());
        } else {
            self.out.extend_from_slice(b"null");
        }
    }

    /// `"key":true|false`.
    #[inline]
    pub fn bool(&mut self, key: &str, v: bool) {
        self.key(key);
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// `"key":null`.
    #[inline]
    pub fn null(&mut self, key: &str) {
        self.key(key);
        self.out.extend_from_slice(b"null");
    }

    /// `"key":"<escaped string>"`.
    #[inline]
    pub fn str(&mut self, key: &str, v: &str) {
        self.key(key);
        self.raw_str(v);
    }

    fn raw_str(&mut self, v: &str) {
        self.out.push(b'"');
        // Almost every string needs no escaping: copy it in one piece.
        if v.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.out.extend_from_slice(v.as_bytes());
            self.out.push(b'"');
            return;
        }
        for &b in v.as_bytes() {
            match b {
                b'"' => self.out.extend_from_slice(b"\\\""),
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                0..=0x1f => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 0xf)]);
                }
                _ => self.out.push(b),
            }
        }
        self.out.push(b'"');
    }

    /// `"key":` followed by a nested object; close it with [`JsonWriter::end_object`].
    pub fn begin_object(&mut self, key: &str) {
        self.key(key);
        self.open(b'{');
    }

    /// `"key":[`; close it with [`JsonWriter::end_array`].
    pub fn begin_array(&mut self, key: &str) {
        self.key(key);
        self.open(b'[');
    }

    /// Starts an object as the next element of the current array.
    pub fn begin_array_object(&mut self) {
        self.sep();
        self.open(b'{');
    }

    /// Writes an unsigned integer as the next element of the current array.
    pub fn array_u64(&mut self, v: u64) {
        self.sep();
        self.out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// Writes a string as the next element of the current array.
    pub fn array_str(&mut self, v: &str) {
        self.sep();
        self.raw_str(v);
    }

    fn open(&mut self, c: u8) {
        self.out.push(c);
        // Deeper nesting than DEPTH_MAX is a programming error in an output format; clamp so the
        // output stays well-formed in release builds.
        debug_assert!(self.depth + 1 < DEPTH_MAX);
        self.depth = (self.depth + 1).min(DEPTH_MAX - 1);
        self.first[self.depth] = true;
    }

    /// Closes the innermost nested object.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.depth = self.depth.saturating_sub(1);
    }

    /// Closes the innermost array.
    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.depth = self.depth.saturating_sub(1);
    }

    /// Closes the top-level object and appends a newline (one object per line).
    pub fn finish(self) {
        self.out.extend_from_slice(b"}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_valid_json() {
        let mut buf = Vec::new();
        let mut w = JsonWriter::object(&mut buf);
        w.str("class", "AIS");
        w.i64("lon", -74_037_230);
        w.begin_array("tidals");
        w.begin_array_object();
        w.u64("from_hour", 1);
        w.bool("x", true);
        w.end_object();
        w.begin_array_object();
        w.f64_fixed("lat", 48.381_633_333, 6);
        w.f64_fixed("a", -0.000_000_4, 6);
        w.f64_fixed("b", -12.05, 3);
        w.f64_fixed("c", 1e300, 2);
        w.end_object();
        w.end_array();
        w.str("text", "a\"b\\\u{1}");
        w.finish();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["lon"], -74_037_230);
        assert_eq!(v["tidals"][1]["lat"], 48.381633);
        assert_eq!(v["text"], "a\"b\\\u{1}");
        let text = String::from_utf8(buf.clone()).unwrap();
        assert!(text.contains(r#""a":0.0,"b":-12.05,"c":1e300"#), "{text}");
        assert!(buf.ends_with(b"}\n"));
    }
}
