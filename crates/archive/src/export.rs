//! Text exports of a day: GeoJSON (RFC 7946 FeatureCollection of Points) and CSV.
//!
//! Both carry the same fields: `time` (RFC 3339, UTC), `target` (the target key), `source`,
//! `lon`, `lat` and the kinematics, absent ones as JSON `null` / an empty CSV field. Numbers
//! are written in the shortest form that reads back to the same `f64`.

use std::io::{self, Write};

use crate::{ExportFormat, PositionRow, target_key};

/// The CSV header line.
pub const CSV_HEADER: &str =
    "time,target,source,lon,lat,speed_knots,course_deg,heading_deg,altitude_ft\n";

/// Bytes buffered before writing to the caller's writer.
const WRITE_BUFFER_BYTES: usize = 1 << 16;

/// Writes rows one at a time.
pub struct TextWriter<'w> {
    format: ExportFormat,
    out: io::BufWriter<&'w mut dyn Write>,
    rows: u64,
}

impl<'w> TextWriter<'w> {
    /// Starts an export (writes the header or the collection's opening).
    pub fn new(format: ExportFormat, out: &'w mut dyn Write) -> io::Result<Self> {
        let mut out = io::BufWriter::with_capacity(WRITE_BUFFER_BYTES, out);
        match format {
            ExportFormat::Csv => out.write_all(CSV_HEADER.as_bytes())?,
            _ => out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?,
        }
        Ok(TextWriter { format, out, rows: 0 })
    }

    /// Writes one row.
    pub fn row(&mut self, r: &PositionRow) -> io::Result<()> {
        let key = target_key(&r.target);
        match self.format {
            ExportFormat::Csv => {
                let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                writeln!(
                    self.out,
                    "{},{},{},{},{},{},{},{},{}",
                    r.time,
                    csv_field(&key),
                    csv_field(r.source.as_str()),
                    r.lon,
                    r.lat,
                    num(r.speed_knots),
                    num(r.course_deg),
                    num(r.heading_deg),
                    num(r.altitude_ft),
                )?;
            }
            _ => {
                if self.rows > 0 {
                    self.out.write_all(b",")?;
                }
                let f = serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                    "properties": {
                        "time": r.time.to_string(),
                        "target": key,
                        "source": r.source.as_str(),
                        "speed_knots": r.speed_knots,
                        "course_deg": r.course_deg,
                        "heading_deg": r.heading_deg,
                        "altitude_ft": r.altitude_ft,
                    }
                });
                serde_json::to_writer(&mut self.out, &f)?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the export; returns rows written.
    pub fn finish(mut self) -> io::Result<u64> {
        if self.format != ExportFormat::Csv {
            self.out.write_all(b"]}\n")?;
        }
        self.out.flush()?;
        Ok(self.rows)
    }
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("local:a"), "local:a");
        assert_eq!(csv_field("local:a,\"b\""), "\"local:a,\"\"b\"\"\"");
    }
}
