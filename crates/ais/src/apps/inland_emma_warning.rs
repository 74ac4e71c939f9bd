//! DAC 200 FI 23 (message 8): EMMA weather warning, Inland AIS standard.
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 |  8 | start year | years after 2000 |
//! |   8 |  4 | start month | |
//! |  12 |  5 | start day | |
//! |  17 |  8 | end year | years after 2000 |
//! |  25 |  4 | end month | |
//! |  29 |  5 | end day | |
//! |  34 |  5 | start hour | |
//! |  39 |  6 | start minute | |
//! |  45 |  5 | end hour | |
//! |  50 |  6 | end minute | |
//! |  56 | 28 | start longitude | 1/10,000 min, two's complement |
//! |  84 | 27 | start latitude | 1/10,000 min, two's complement |
//! | 111 | 28 | end longitude | 1/10,000 min, two's complement |
//! | 139 | 27 | end latitude | 1/10,000 min, two's complement |
//! | 166 |  4 | type of weather warning | 1 wind, 2 rain, 3 snow and ice, 4 thunderstorm, 5 fog, 6 low temperature, 7 high temperature, 8 flood, 9 forest fire; 0 n/a |
//! | 170 |  9 | minimum value | two's complement |
//! | 179 |  9 | maximum value | two's complement |
//! | 188 |  2 | intensity class | 0 slight, 1 medium, 2 strong |
//! | 190 |  4 | wind direction | 1 N, 2 NE, … 8 NW; 0 n/a |
//! | 194 |  6 | spare | |
//!
//! 200 data bits; as gpsd does, only a message of exactly 256 bits is decoded. gpsd's output
//! for this application writes hour, minute and day in the wrong order into its start time and
//! names the intensity `"class"`, the same key as the message's `"class":"AIS"`; this writer
//! prints the start time in order and names the field `"intensity"`.

use crate::bits::Payload;
use crate::json::JsonWriter;

use super::{Stamp, put_scaled};

const DATA_BITS: usize = 200;
const YEAR_BASE: u16 = 2000;

/// EMMA weather warning (DAC 200 FI 23).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmmaWarning {
    /// Start year, after 2000.
    pub start_year: u8,
    /// Start month.
    pub start_month: u8,
    /// Start day.
    pub start_day: u8,
    /// Start hour (UTC).
    pub start_hour: u8,
    /// Start minute.
    pub start_minute: u8,
    /// End year, after 2000.
    pub end_year: u8,
    /// End month.
    pub end_month: u8,
    /// End day.
    pub end_day: u8,
    /// End hour (UTC).
    pub end_hour: u8,
    /// End minute.
    pub end_minute: u8,
    /// Start of the fairway section, longitude in 1/10,000 minute.
    pub start_lon_min_x10000: i32,
    /// Start of the fairway section, latitude in 1/10,000 minute.
    pub start_lat_min_x10000: i32,
    /// End of the fairway section, longitude in 1/10,000 minute.
    pub end_lon_min_x10000: i32,
    /// End of the fairway section, latitude in 1/10,000 minute.
    pub end_lat_min_x10000: i32,
    /// Type of weather warning.
    pub warning_type: u8,
    /// Minimum value (unit depends on the warning type).
    pub min: i16,
    /// Maximum value (unit depends on the warning type).
    pub max: i16,
    /// Intensity class: 0 slight, 1 medium, 2 strong.
    pub intensity: u8,
    /// Wind direction code.
    pub wind: u8,
}

impl EmmaWarning {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        let u8_at = |off: usize, len: usize| p.u(s + off, len) as u8;
        Some(Self {
            start_year: u8_at(0, 8),
            start_month: u8_at(8, 4),
            start_day: u8_at(12, 5),
            end_year: u8_at(17, 8),
            end_month: u8_at(25, 4),
            end_day: u8_at(29, 5),
            start_hour: u8_at(34, 5),
            start_minute: u8_at(39, 6),
            end_hour: u8_at(45, 5),
            end_minute: u8_at(50, 6),
            start_lon_min_x10000: p.i(s + 56, 28) as i32,
            start_lat_min_x10000: p.i(s + 84, 27) as i32,
            end_lon_min_x10000: p.i(s + 111, 28) as i32,
            end_lat_min_x10000: p.i(s + 139, 27) as i32,
            warning_type: u8_at(166, 4),
            min: p.i(s + 170, 9) as i16,
            max: p.i(s + 179, 9) as i16,
            intensity: u8_at(188, 2),
            wind: u8_at(190, 4),
        })
    }

    fn stamp(year: u8, month: u8, day: u8, hour: u8, minute: u8) -> Stamp {
        Stamp::new()
            .num(YEAR_BASE + u16::from(year), false)
            .ch(b'-')
            .num(month.into(), true)
            .ch(b'-')
            .num(day.into(), true)
            .ch(b'T')
            .num(hour.into(), true)
            .ch(b':')
            .num(minute.into(), true)
    }

    fn start_stamp(&self) -> Stamp {
        Self::stamp(
            self.start_year,
            self.start_month,
            self.start_day,
            self.start_hour,
            self.start_minute,
        )
    }

    fn end_stamp(&self) -> Stamp {
        Self::stamp(self.end_year, self.end_month, self.end_day, self.end_hour, self.end_minute)
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.str("start", self.start_stamp().as_str());
        w.str("end", self.end_stamp().as_str());
        w.i64("start_lon", self.start_lon_min_x10000.into());
        w.i64("start_lat", self.start_lat_min_x10000.into());
        w.i64("end_lon", self.end_lon_min_x10000.into());
        w.i64("end_lat", self.end_lat_min_x10000.into());
        w.u64("type", self.warning_type.into());
        w.str("type_text", type_text(self.warning_type));
        w.i64("min", self.min.into());
        w.i64("max", self.max.into());
        w.u64("intensity", self.intensity.into());
        w.str("intensity_text", intensity_text(self.intensity));
        w.u64("wind", self.wind.into());
        w.str("wind_text", wind_text(self.wind));
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_emma_warning");
        w.str("start", self.start_stamp().as_str());
        w.str("end", self.end_stamp().as_str());
        put_scaled(w, "start_lat_deg", Some(self.start_lat_min_x10000), 600_000.0, 7);
        put_scaled(w, "start_lon_deg", Some(self.start_lon_min_x10000), 600_000.0, 7);
        put_scaled(w, "end_lat_deg", Some(self.end_lat_min_x10000), 600_000.0, 7);
        put_scaled(w, "end_lon_deg", Some(self.end_lon_min_x10000), 600_000.0, 7);
        w.str("warning_type", type_text(self.warning_type));
        w.i64("min", self.min.into());
        w.i64("max", self.max.into());
        w.str("intensity", intensity_text(self.intensity));
        if self.wind != 0 {
            w.str("wind", wind_text(self.wind));
        }
    }
}

/// Warning type legend, worded as gpsd prints it.
fn type_text(code: u8) -> &'static str {
    match code {
        0 => "Not Available",
        1 => "Wind",
        2 => "Rain",
        3 => "Snow and ice",
        4 => "Thunderstorm",
        5 => "Fog",
        6 => "Low temperature",
        7 => "High temperature",
        8 => "Flood",
        9 => "Forest Fire",
        _ => "INVALID EMMA TYPE",
    }
}

/// Intensity legend, worded as gpsd prints it.
fn intensity_text(code: u8) -> &'static str {
    match code {
        0 => "Slight",
        1 => "Medium",
        2 => "Strong",
        _ => "INVALID EMMA TYPE",
    }
}

/// Wind direction legend, worded as gpsd prints it.
fn wind_text(code: u8) -> &'static str {
    match code {
        0 => "N/A",
        1 => "North",
        2 => "North East",
        3 => "East",
        4 => "South East",
        5 => "South",
        6 => "South West",
        7 => "West",
        8 => "North West",
        _ => "INVALID EMMA WIND DIRECTION",
    }
}
