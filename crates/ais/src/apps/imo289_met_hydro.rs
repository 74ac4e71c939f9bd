//! DAC 1 FI 31 (message 8): meteorological and hydrographic data, IMO SN.1/Circ.289 Annex
//! (replaces DAC 1 FI 11 of SN/Circ.236).
//!
//! Layout (bit offsets after the FI; "n/a" is the not-available code):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 25 | longitude | 1/1,000 min, two's complement; n/a 181° |
//! |  25 | 24 | latitude | 1/1,000 min, two's complement; n/a 91° |
//! |  49 |  1 | position accuracy | 1 high, 0 low |
//! |  50 |  5 | UTC day | 1-31; n/a 0 |
//! |  55 |  5 | UTC hour | 0-23; n/a 24 |
//! |  60 |  6 | UTC minute | 0-59; n/a 60 |
//! |  66 |  7 | average wind speed | knots, 126 = 126 kn or more; n/a 127 |
//! |  73 |  7 | wind gust | knots; n/a 127 |
//! |  80 |  9 | wind direction | degrees; n/a 360 |
//! |  89 |  9 | wind gust direction | degrees; n/a 360 |
//! |  98 | 11 | air temperature | 0.1 °C, two's complement, −60.0 to +60.0; n/a −1024 |
//! | 109 |  7 | relative humidity | %; n/a 101 |
//! | 116 | 10 | dew point | 0.1 °C, two's complement, −20.0 to +50.0; n/a 501 |
//! | 126 |  9 | air pressure | hPa, offset 799 hPa (0 = 799 or less, 402 = 1201 or more); n/a 511 |
//! | 135 |  2 | air pressure tendency | 0 steady, 1 decreasing, 2 increasing; n/a 3 |
//! | 137 |  1 | visibility greater than | 1 = visibility exceeds the value sent |
//! | 138 |  7 | horizontal visibility | 0.1 NM; n/a 127 |
//! | 145 | 12 | water level incl. tide | 0.01 m, offset −10.00 m; n/a 4001 |
//! | 157 |  2 | water level trend | as pressure tendency; n/a 3 |
//! | 159 |  8 | surface current speed | 0.1 kn (251 = 25.1 kn or more); n/a 255 |
//! | 167 |  9 | surface current direction | degrees; n/a 360 |
//! | 176 | 8+9+5 | current #2 speed, direction, measuring level (m); n/a 255, 360, 31 |
//! | 198 | 8+9+5 | current #3 speed, direction, measuring level (m); n/a 255, 360, 31 |
//! | 220 |  8 | significant wave height | 0.1 m; n/a 255 |
//! | 228 |  6 | wave period | s; n/a 63 |
//! | 234 |  9 | wave direction | degrees; n/a 360 |
//! | 243 |  8 | swell height | 0.1 m; n/a 255 |
//! | 251 |  6 | swell period | s; n/a 63 |
//! | 257 |  9 | swell direction | degrees; n/a 360 |
//! | 266 |  4 | sea state | Beaufort 0-12; n/a 13 |
//! | 270 | 10 | water temperature | 0.1 °C, two's complement, −10.0 to +50.0; n/a 501 |
//! | 280 |  3 | precipitation | WMO 306 code table 4.201; n/a 7 |
//! | 283 |  9 | salinity | 0.1 ‰, 0.0-50.0; n/a 501 (510 and 511 are also sent by some stations, kept as values) |
//! | 292 |  2 | ice | 0 no, 1 yes; n/a 3 |
//! | 294 | 10 | spare | |
//!
//! 304 data bits (360-bit message). Like gpsd, a shorter payload is decoded with the missing bits
//! read as zero.

use super::imo236_met_hydro::{ice_name, precip_name};
use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, Stamp, opt_i16, opt_i32, opt_u8, opt_u16, or_na,
    put_position_x1000, put_scaled, put_u, trend_name,
};
use crate::bits::Payload;
use crate::json::JsonWriter;

const PRESSURE_OFFSET_HPA: u16 = 799;
const WATER_LEVEL_OFFSET_CM: i16 = 1000;
const WATER_LEVEL_NA: u16 = 4001;

/// Meteorological and hydrographic report (DAC 1 FI 31, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetHydro289 {
    /// Longitude, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// Latitude, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
    /// Position accuracy flag (true: better than 10 m).
    pub accuracy: bool,
    /// UTC day of the observation.
    pub day: Option<u8>,
    /// UTC hour of the observation.
    pub hour: Option<u8>,
    /// UTC minute of the observation.
    pub minute: Option<u8>,
    /// Average wind speed over 10 minutes, knots (126: 126 knots or more).
    pub wind_speed_knots: Option<u8>,
    /// Wind gust over 10 minutes, knots.
    pub wind_gust_knots: Option<u8>,
    /// Wind direction, degrees.
    pub wind_dir_deg: Option<u16>,
    /// Wind gust direction, degrees.
    pub wind_gust_dir_deg: Option<u16>,
    /// Air temperature, 0.1 °C.
    pub air_temp_c_x10: Option<i16>,
    /// Relative humidity, percent.
    pub humidity_pct: Option<u8>,
    /// Dew point, 0.1 °C.
    pub dew_point_c_x10: Option<i16>,
    /// Air pressure, hPa (799: 799 or less; 1201: 1201 or more).
    pub pressure_hpa: Option<u16>,
    /// Air pressure tendency code (0 steady, 1 decreasing, 2 increasing).
    pub pressure_tendency: Option<u8>,
    /// The visibility exceeds `visibility_nm_x10`.
    pub visibility_greater: bool,
    /// Horizontal visibility, 0.1 NM.
    pub visibility_nm_x10: Option<u8>,
    /// Water level including tide, deviation from chart datum, centimetres.
    pub water_level_cm: Option<i16>,
    /// Water level trend code (0 steady, 1 decreasing, 2 increasing).
    pub water_level_trend: Option<u8>,
    /// Surface current speed, 0.1 knot.
    pub current_speed_knots_x10: Option<u8>,
    /// Surface current direction, degrees.
    pub current_dir_deg: Option<u16>,
    /// Current #2 speed, 0.1 knot.
    pub current2_speed_knots_x10: Option<u8>,
    /// Current #2 direction, degrees.
    pub current2_dir_deg: Option<u16>,
    /// Current #2 measuring level below the surface, metres.
    pub current2_depth_m: Option<u8>,
    /// Current #3 speed, 0.1 knot.
    pub current3_speed_knots_x10: Option<u8>,
    /// Current #3 direction, degrees.
    pub current3_dir_deg: Option<u16>,
    /// Current #3 measuring level below the surface, metres.
    pub current3_depth_m: Option<u8>,
    /// Significant wave height, 0.1 m.
    pub wave_height_m_x10: Option<u8>,
    /// Wave period, seconds.
    pub wave_period_s: Option<u8>,
    /// Wave direction, degrees.
    pub wave_dir_deg: Option<u16>,
    /// Swell height, 0.1 m.
    pub swell_height_m_x10: Option<u8>,
    /// Swell period, seconds.
    pub swell_period_s: Option<u8>,
    /// Swell direction, degrees.
    pub swell_dir_deg: Option<u16>,
    /// Sea state, Beaufort scale.
    pub sea_state_beaufort: Option<u8>,
    /// Water temperature, 0.1 °C.
    pub water_temp_c_x10: Option<i16>,
    /// Precipitation type (WMO 306 code table 4.201).
    pub precipitation: Option<u8>,
    /// Salinity, 0.1 ‰.
    pub salinity_permille_x10: Option<u16>,
    /// Ice: 0 no, 1 yes.
    pub ice: Option<u8>,
}

impl MetHydro289 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        Some(Self {
            lon_min_x1000: opt_i32(p, s, 25, LON_NA_MIN_X1000),
            lat_min_x1000: opt_i32(p, s + 25, 24, LAT_NA_MIN_X1000),
            accuracy: p.flag(s + 49),
            day: opt_u8(p, s + 50, 5, 0),
            hour: opt_u8(p, s + 55, 5, 24),
            minute: opt_u8(p, s + 60, 6, 60),
            wind_speed_knots: opt_u8(p, s + 66, 7, 127),
            wind_gust_knots: opt_u8(p, s + 73, 7, 127),
            wind_dir_deg: opt_u16(p, s + 80, 9, 360),
            wind_gust_dir_deg: opt_u16(p, s + 89, 9, 360),
            air_temp_c_x10: opt_i16(p, s + 98, 11, -1024),
            humidity_pct: opt_u8(p, s + 109, 7, 101),
            dew_point_c_x10: opt_i16(p, s + 116, 10, 501),
            pressure_hpa: opt_u16(p, s + 126, 9, 511).map(|v| v + PRESSURE_OFFSET_HPA),
            pressure_tendency: opt_u8(p, s + 135, 2, 3),
            visibility_greater: p.flag(s + 137),
            visibility_nm_x10: opt_u8(p, s + 138, 7, 127),
            water_level_cm: opt_u16(p, s + 145, 12, WATER_LEVEL_NA)
                .map(|v| v as i16 - WATER_LEVEL_OFFSET_CM),
            water_level_trend: opt_u8(p, s + 157, 2, 3),
            current_speed_knots_x10: opt_u8(p, s + 159, 8, 255),
            current_dir_deg: opt_u16(p, s + 167, 9, 360),
            current2_speed_knots_x10: opt_u8(p, s + 176, 8, 255),
            current2_dir_deg: opt_u16(p, s + 184, 9, 360),
            current2_depth_m: opt_u8(p, s + 193, 5, 31),
            current3_speed_knots_x10: opt_u8(p, s + 198, 8, 255),
            current3_dir_deg: opt_u16(p, s + 206, 9, 360),
            current3_depth_m: opt_u8(p, s + 215, 5, 31),
            wave_height_m_x10: opt_u8(p, s + 220, 8, 255),
            wave_period_s: opt_u8(p, s + 228, 6, 63),
            wave_dir_deg: opt_u16(p, s + 234, 9, 360),
            swell_height_m_x10: opt_u8(p, s + 243, 8, 255),
            swell_period_s: opt_u8(p, s + 251, 6, 63),
            swell_dir_deg: opt_u16(p, s + 257, 9, 360),
            sea_state_beaufort: opt_u8(p, s + 266, 4, 13),
            water_temp_c_x10: opt_i16(p, s + 270, 10, 501),
            precipitation: opt_u8(p, s + 280, 3, 7),
            salinity_permille_x10: opt_u16(p, s + 283, 9, 501),
            ice: opt_u8(p, s + 292, 2, 3),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.i64("lat", i64::from(or_na(self.lat_min_x1000, LAT_NA_MIN_X1000)));
        w.i64("lon", i64::from(or_na(self.lon_min_x1000, LON_NA_MIN_X1000)));
        w.bool("accuracy", self.accuracy);
        let stamp = Stamp::new()
            .num(or_na(self.day, 0).into(), true)
            .ch(b'T')
            .num(or_na(self.hour, 24).into(), true)
            .ch(b':')
            .num(or_na(self.minute, 60).into(), true)
            .ch(b'Z');
        w.str("timestamp", stamp.as_str());
        w.u64("wspeed", or_na(self.wind_speed_knots, 127).into());
        w.u64("wgust", or_na(self.wind_gust_knots, 127).into());
        w.u64("wdir", or_na(self.wind_dir_deg, 360).into());
        w.u64("wgustdir", or_na(self.wind_gust_dir_deg, 360).into());
        w.u64("humidity", or_na(self.humidity_pct, 101).into());
        w.i64("airtemp", or_na(self.air_temp_c_x10, -1024).into());
        w.i64("dewpoint", or_na(self.dew_point_c_x10, 501).into());
        // Wide arithmetic: the fields are public, so any value may come back here.
        let pressure =
            self.pressure_hpa.map_or(511, |v| i64::from(v) - i64::from(PRESSURE_OFFSET_HPA));
        w.i64("pressure", pressure);
        w.u64("pressuretend", or_na(self.pressure_tendency, 3).into());
        w.bool("visgreater", self.visibility_greater);
        w.u64("visibility", or_na(self.visibility_nm_x10, 127).into());
        let level = self
            .water_level_cm
            .map_or(i64::from(WATER_LEVEL_NA), |v| i64::from(v) + i64::from(WATER_LEVEL_OFFSET_CM));
        w.i64("waterlevel", level);
        w.u64("leveltrend", or_na(self.water_level_trend, 3).into());
        w.u64("cspeed", or_na(self.current_speed_knots_x10, 255).into());
        w.u64("cdir", or_na(self.current_dir_deg, 360).into());
        w.u64("cspeed2", or_na(self.current2_speed_knots_x10, 255).into());
        w.u64("cdir2", or_na(self.current2_dir_deg, 360).into());
        w.u64("cdepth2", or_na(self.current2_depth_m, 31).into());
        w.u64("cspeed3", or_na(self.current3_speed_knots_x10, 255).into());
        w.u64("cdir3", or_na(self.current3_dir_deg, 360).into());
        w.u64("cdepth3", or_na(self.current3_depth_m, 31).into());
        w.u64("waveheight", or_na(self.wave_height_m_x10, 255).into());
        w.u64("waveperiod", or_na(self.wave_period_s, 63).into());
        w.u64("wavedir", or_na(self.wave_dir_deg, 360).into());
        w.u64("swellheight", or_na(self.swell_height_m_x10, 255).into());
        w.u64("swellperiod", or_na(self.swell_period_s, 63).into());
        w.u64("swelldir", or_na(self.swell_dir_deg, 360).into());
        w.u64("seastate", or_na(self.sea_state_beaufort, 13).into());
        w.i64("watertemp", or_na(self.water_temp_c_x10, 501).into());
        w.u64("preciptype", or_na(self.precipitation, 7).into());
        w.u64("salinity", or_na(self.salinity_permille_x10, 501).into());
        w.u64("ice", or_na(self.ice, 3).into());
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        // Values outside the ranges SN.1/Circ.289 defines (reserved codes some stations send
        // instead of "not available") are left out rather than shown as measurements.
        let dir = |d: Option<u16>| d.filter(|&d| d < 360);
        w.str("app", "imo289_met_hydro");
        put_position_x1000(w, self.lat_min_x1000, self.lon_min_x1000);
        w.bool("accuracy", self.accuracy);
        put_u(w, "day", self.day);
        put_u(w, "hour", self.hour);
        put_u(w, "minute", self.minute);
        put_u(w, "wind_speed_knots", self.wind_speed_knots);
        put_u(w, "wind_gust_knots", self.wind_gust_knots);
        put_u(w, "wind_dir_deg", dir(self.wind_dir_deg));
        put_u(w, "wind_gust_dir_deg", dir(self.wind_gust_dir_deg));
        put_scaled(w, "air_temp_c", self.air_temp_c_x10, 10.0, 1);
        put_u(w, "humidity_pct", self.humidity_pct.filter(|&h| h <= 100));
        put_scaled(w, "dew_point_c", self.dew_point_c_x10, 10.0, 1);
        put_u(w, "pressure_hpa", self.pressure_hpa.filter(|&h| h <= 1201));
        if let Some(t) = self.pressure_tendency {
            w.str("pressure_tendency", trend_name(t));
        }
        if self.visibility_nm_x10.is_some() {
            w.bool("visibility_greater", self.visibility_greater);
        }
        put_scaled(w, "visibility_nm", self.visibility_nm_x10, 10.0, 1);
        put_scaled(w, "water_level_m", self.water_level_cm, 100.0, 2);
        if let Some(t) = self.water_level_trend {
            w.str("water_level_trend", trend_name(t));
        }
        put_scaled(w, "current_speed_knots", self.current_speed_knots_x10, 10.0, 1);
        put_u(w, "current_dir_deg", dir(self.current_dir_deg));
        put_scaled(w, "current2_speed_knots", self.current2_speed_knots_x10, 10.0, 1);
        put_u(w, "current2_dir_deg", dir(self.current2_dir_deg));
        put_u(w, "current2_depth_m", self.current2_depth_m);
        put_scaled(w, "current3_speed_knots", self.current3_speed_knots_x10, 10.0, 1);
        put_u(w, "current3_dir_deg", dir(self.current3_dir_deg));
        put_u(w, "current3_depth_m", self.current3_depth_m);
        put_scaled(w, "wave_height_m", self.wave_height_m_x10, 10.0, 1);
        put_u(w, "wave_period_s", self.wave_period_s);
        put_u(w, "wave_dir_deg", dir(self.wave_dir_deg));
        put_scaled(w, "swell_height_m", self.swell_height_m_x10, 10.0, 1);
        put_u(w, "swell_period_s", self.swell_period_s);
        put_u(w, "swell_dir_deg", dir(self.swell_dir_deg));
        put_u(w, "sea_state_beaufort", self.sea_state_beaufort.filter(|&b| b <= 12));
        put_scaled(w, "water_temp_c", self.water_temp_c_x10, 10.0, 1);
        if let Some(code) = self.precipitation {
            w.str("precipitation", precip_name(code));
        }
        let salinity = self.salinity_permille_x10.filter(|&s| s <= 500);
        put_scaled(w, "salinity_permille", salinity, 10.0, 1);
        if let Some(code) = self.ice {
            w.str("ice", ice_name(code));
        }
    }
}
