//! DAC 1 FI 11 (message 8): meteorological and hydrological data, IMO SN/Circ.236 Annex 2
//! application 1 (also IALA Guideline 1028). Superseded by DAC 1 FI 31 (IMO SN.1/Circ.289) but
//! still transmitted.
//!
//! Layout (bit offsets after the FI; "n/a" is the not-available code):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 24 | latitude | 1/1,000 min, two's complement; n/a 91° |
//! |  24 | 25 | longitude | 1/1,000 min, two's complement; n/a 181° |
//! |  49 |  5 | UTC day | 1-31; n/a 0 |
//! |  54 |  5 | UTC hour | 0-23; n/a 24 |
//! |  59 |  6 | UTC minute | 0-59; n/a 60 |
//! |  65 |  7 | average wind speed | knots; n/a 127 |
//! |  72 |  7 | wind gust | knots; n/a 127 |
//! |  79 |  9 | wind direction | degrees; n/a 511 |
//! |  88 |  9 | wind gust direction | degrees; n/a 511 |
//! |  97 | 11 | air temperature | 0.1 °C, offset −60.0 °C; n/a 2047 |
//! | 108 |  7 | relative humidity | %; n/a 127 |
//! | 115 | 10 | dew point | 0.1 °C, offset −20.0 °C; n/a 1023 |
//! | 125 |  9 | air pressure | hPa, offset 800 hPa; n/a 511 |
//! | 134 |  2 | air pressure tendency | 0 steady, 1 decreasing, 2 increasing; n/a 3 |
//! | 136 |  8 | horizontal visibility | 0.1 NM; n/a 255 |
//! | 144 |  9 | water level incl. tide | 0.1 m, offset −10.0 m; n/a 511 |
//! | 153 |  2 | water level trend | as pressure tendency; n/a 3 |
//! | 155 |  8 | surface current speed | 0.1 kn; n/a 255 |
//! | 163 |  9 | surface current direction | degrees; n/a 511 |
//! | 172 | 8+9+5 | current #2 speed, direction, measuring level (m); n/a 255, 511, 31 |
//! | 194 | 8+9+5 | current #3 speed, direction, measuring level (m); n/a 255, 511, 31 |
//! | 216 |  8 | significant wave height | 0.1 m; n/a 255 |
//! | 224 |  6 | wave period | s; n/a 63 |
//! | 230 |  9 | wave direction | degrees; n/a 511 |
//! | 239 |  8 | swell height | 0.1 m; n/a 255 |
//! | 247 |  6 | swell period | s; n/a 63 |
//! | 253 |  9 | swell direction | degrees; n/a 511 |
//! | 262 |  4 | sea state | Beaufort; n/a 15 |
//! | 266 | 10 | water temperature | 0.1 °C, offset −10.0 °C; n/a 1023 |
//! | 276 |  3 | precipitation | WMO 306 code table 4.201; n/a 7 |
//! | 279 |  9 | salinity | 0.1 ‰; n/a 511 |
//! | 288 |  2 | ice | 0 no, 1 yes; n/a 3 |
//! | 290 |  6 | spare | |
//!
//! 296 data bits (352-bit message). SN/Circ.236 codes every "not available" as all ones; the
//! offsets are those gpsd and the Kanaton sample in gpsd's `test/sample.aivdm` agree on. Like
//! gpsd, a shorter payload is decoded with the missing bits read as zero.

use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, Stamp, opt_i32, opt_u8, opt_u16, or_na, put_position_x1000,
    put_scaled, put_u, trend_name,
};
use crate::bits::Payload;
use crate::json::JsonWriter;

const AIR_TEMP_OFFSET: i16 = 600;
const DEW_POINT_OFFSET: i16 = 200;
const PRESSURE_OFFSET_HPA: u16 = 800;
const WATER_LEVEL_OFFSET: i16 = 100;
const WATER_TEMP_OFFSET: i16 = 100;

/// Meteorological and hydrological report (DAC 1 FI 11, IMO SN/Circ.236).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetHydro236 {
    /// Latitude, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
    /// Longitude, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// UTC day of the observation.
    pub day: Option<u8>,
    /// UTC hour of the observation.
    pub hour: Option<u8>,
    /// UTC minute of the observation.
    pub minute: Option<u8>,
    /// Average wind speed over 10 minutes, knots.
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
    /// Air pressure, hPa.
    pub pressure_hpa: Option<u16>,
    /// Air pressure tendency code (0 steady, 1 decreasing, 2 increasing).
    pub pressure_tendency: Option<u8>,
    /// Horizontal visibility, 0.1 NM.
    pub visibility_nm_x10: Option<u8>,
    /// Water level including tide, deviation from chart datum, 0.1 m.
    pub water_level_m_x10: Option<i16>,
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

impl MetHydro236 {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let off = |raw: Option<u16>, offset: i16| raw.map(|v| v as i16 - offset);
        Some(Self {
            lat_min_x1000: opt_i32(p, s, 24, LAT_NA_MIN_X1000),
            lon_min_x1000: opt_i32(p, s + 24, 25, LON_NA_MIN_X1000),
            day: opt_u8(p, s + 49, 5, 0),
            hour: opt_u8(p, s + 54, 5, 24),
            minute: opt_u8(p, s + 59, 6, 60),
            wind_speed_knots: opt_u8(p, s + 65, 7, 127),
            wind_gust_knots: opt_u8(p, s + 72, 7, 127),
            wind_dir_deg: opt_u16(p, s + 79, 9, 511),
            wind_gust_dir_deg: opt_u16(p, s + 88, 9, 511),
            air_temp_c_x10: off(opt_u16(p, s + 97, 11, 2047), AIR_TEMP_OFFSET),
            humidity_pct: opt_u8(p, s + 108, 7, 127),
            dew_point_c_x10: off(opt_u16(p, s + 115, 10, 1023), DEW_POINT_OFFSET),
            pressure_hpa: opt_u16(p, s + 125, 9, 511).map(|v| v + PRESSURE_OFFSET_HPA),
            pressure_tendency: opt_u8(p, s + 134, 2, 3),
            visibility_nm_x10: opt_u8(p, s + 136, 8, 255),
            water_level_m_x10: off(opt_u16(p, s + 144, 9, 511), WATER_LEVEL_OFFSET),
            water_level_trend: opt_u8(p, s + 153, 2, 3),
            current_speed_knots_x10: opt_u8(p, s + 155, 8, 255),
            current_dir_deg: opt_u16(p, s + 163, 9, 511),
            current2_speed_knots_x10: opt_u8(p, s + 172, 8, 255),
            current2_dir_deg: opt_u16(p, s + 180, 9, 511),
            current2_depth_m: opt_u8(p, s + 189, 5, 31),
            current3_speed_knots_x10: opt_u8(p, s + 194, 8, 255),
            current3_dir_deg: opt_u16(p, s + 202, 9, 511),
            current3_depth_m: opt_u8(p, s + 211, 5, 31),
            wave_height_m_x10: opt_u8(p, s + 216, 8, 255),
            wave_period_s: opt_u8(p, s + 224, 6, 63),
            wave_dir_deg: opt_u16(p, s + 230, 9, 511),
            swell_height_m_x10: opt_u8(p, s + 239, 8, 255),
            swell_period_s: opt_u8(p, s + 247, 6, 63),
            swell_dir_deg: opt_u16(p, s + 253, 9, 511),
            sea_state_beaufort: opt_u8(p, s + 262, 4, 15),
            water_temp_c_x10: off(opt_u16(p, s + 266, 10, 1023), WATER_TEMP_OFFSET),
            precipitation: opt_u8(p, s + 276, 3, 7),
            salinity_permille_x10: opt_u16(p, s + 279, 9, 511),
            ice: opt_u8(p, s + 288, 2, 3),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        // Wide arithmetic: the fields are public, so any value may come back here.
        let raw = |v: Option<i16>, offset: i16, na: i64| {
            v.map_or(na, |v| i64::from(v) + i64::from(offset))
        };
        w.i64("lat", i64::from(or_na(self.lat_min_x1000, LAT_NA_MIN_X1000)));
        w.i64("lon", i64::from(or_na(self.lon_min_x1000, LON_NA_MIN_X1000)));
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
        w.u64("wdir", or_na(self.wind_dir_deg, 511).into());
        w.u64("wgustdir", or_na(self.wind_gust_dir_deg, 511).into());
        w.u64("humidity", or_na(self.humidity_pct, 127).into());
        w.i64("airtemp", raw(self.air_temp_c_x10, AIR_TEMP_OFFSET, 2047));
        w.i64("dewpoint", raw(self.dew_point_c_x10, DEW_POINT_OFFSET, 1023));
        // Wide arithmetic: the fields are public, so any value may come back here.
        let pressure =
            self.pressure_hpa.map_or(511, |v| i64::from(v) - i64::from(PRESSURE_OFFSET_HPA));
        w.i64("pressure", pressure);
        w.u64("pressuretend", or_na(self.pressure_tendency, 3).into());
        w.u64("visibility", or_na(self.visibility_nm_x10, 255).into());
        w.i64("waterlevel", raw(self.water_level_m_x10, WATER_LEVEL_OFFSET, 511));
        w.u64("leveltrend", or_na(self.water_level_trend, 3).into());
        w.u64("cspeed", or_na(self.current_speed_knots_x10, 255).into());
        w.u64("cdir", or_na(self.current_dir_deg, 511).into());
        w.u64("cspeed2", or_na(self.current2_speed_knots_x10, 255).into());
        w.u64("cdir2", or_na(self.current2_dir_deg, 511).into());
        w.u64("cdepth2", or_na(self.current2_depth_m, 31).into());
        w.u64("cspeed3", or_na(self.current3_speed_knots_x10, 255).into());
        w.u64("cdir3", or_na(self.current3_dir_deg, 511).into());
        w.u64("cdepth3", or_na(self.current3_depth_m, 31).into());
        w.u64("waveheight", or_na(self.wave_height_m_x10, 255).into());
        w.u64("waveperiod", or_na(self.wave_period_s, 63).into());
        w.u64("wavedir", or_na(self.wave_dir_deg, 511).into());
        w.u64("swellheight", or_na(self.swell_height_m_x10, 255).into());
        w.u64("swellperiod", or_na(self.swell_period_s, 63).into());
        w.u64("swelldir", or_na(self.swell_dir_deg, 511).into());
        w.u64("seastate", or_na(self.sea_state_beaufort, 15).into());
        w.i64("watertemp", raw(self.water_temp_c_x10, WATER_TEMP_OFFSET, 1023));
        let precip = or_na(self.precipitation, 7);
        w.u64("preciptype", precip.into());
        w.str("preciptype_text", gpsd_precip_text(precip));
        w.u64("salinity", or_na(self.salinity_permille_x10, 511).into());
        let ice = or_na(self.ice, 3);
        w.u64("ice", ice.into());
        w.str("ice_text", gpsd_ice_text(ice));
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo236_met_hydro");
        put_position_x1000(w, self.lat_min_x1000, self.lon_min_x1000);
        put_u(w, "day", self.day);
        put_u(w, "hour", self.hour);
        put_u(w, "minute", self.minute);
        put_u(w, "wind_speed_knots", self.wind_speed_knots);
        put_u(w, "wind_gust_knots", self.wind_gust_knots);
        put_u(w, "wind_dir_deg", self.wind_dir_deg);
        put_u(w, "wind_gust_dir_deg", self.wind_gust_dir_deg);
        put_scaled(w, "air_temp_c", self.air_temp_c_x10, 10.0, 1);
        put_u(w, "humidity_pct", self.humidity_pct);
        put_scaled(w, "dew_point_c", self.dew_point_c_x10, 10.0, 1);
        put_u(w, "pressure_hpa", self.pressure_hpa);
        if let Some(t) = self.pressure_tendency {
            w.str("pressure_tendency", trend_name(t));
        }
        put_scaled(w, "visibility_nm", self.visibility_nm_x10, 10.0, 1);
        put_scaled(w, "water_level_m", self.water_level_m_x10, 10.0, 1);
        if let Some(t) = self.water_level_trend {
            w.str("water_level_trend", trend_name(t));
        }
        put_scaled(w, "current_speed_knots", self.current_speed_knots_x10, 10.0, 1);
        put_u(w, "current_dir_deg", self.current_dir_deg);
        put_scaled(w, "current2_speed_knots", self.current2_speed_knots_x10, 10.0, 1);
        put_u(w, "current2_dir_deg", self.current2_dir_deg);
        put_u(w, "current2_depth_m", self.current2_depth_m);
        put_scaled(w, "current3_speed_knots", self.current3_speed_knots_x10, 10.0, 1);
        put_u(w, "current3_dir_deg", self.current3_dir_deg);
        put_u(w, "current3_depth_m", self.current3_depth_m);
        put_scaled(w, "wave_height_m", self.wave_height_m_x10, 10.0, 1);
        put_u(w, "wave_period_s", self.wave_period_s);
        put_u(w, "wave_dir_deg", self.wave_dir_deg);
        put_scaled(w, "swell_height_m", self.swell_height_m_x10, 10.0, 1);
        put_u(w, "swell_period_s", self.swell_period_s);
        put_u(w, "swell_dir_deg", self.swell_dir_deg);
        put_u(w, "sea_state_beaufort", self.sea_state_beaufort);
        put_scaled(w, "water_temp_c", self.water_temp_c_x10, 10.0, 1);
        if let Some(code) = self.precipitation {
            w.str("precipitation", precip_name(code));
        }
        put_scaled(w, "salinity_permille", self.salinity_permille_x10, 10.0, 1);
        if let Some(code) = self.ice {
            w.str("ice", ice_name(code));
        }
    }
}

/// Precipitation type legend as gpsd prints it (WMO 306 code table 4.201; gpsd labels codes 0
/// and 6 "reserved" and 7 "N/A").
pub(crate) fn gpsd_precip_text(code: u8) -> &'static str {
    match code {
        1 => "rain",
        2 => "thunderstorm",
        3 => "freezing rain",
        4 => "mixed/ice",
        5 => "snow",
        7 => "N/A",
        _ => "reserved",
    }
}

/// Ice legend as gpsd prints it.
pub(crate) fn gpsd_ice_text(code: u8) -> &'static str {
    match code {
        0 => "no",
        1 => "yes",
        3 => "N/A",
        _ => "reserved",
    }
}

/// Precipitation type name (WMO 306 code table 4.201) for Kuroshio's output.
pub(crate) fn precip_name(code: u8) -> &'static str {
    match code {
        1 => "rain",
        2 => "thunderstorm",
        3 => "freezing_rain",
        4 => "mixed_ice",
        5 => "snow",
        _ => "reserved",
    }
}

/// Ice presence name for Kuroshio's output.
pub(crate) fn ice_name(code: u8) -> &'static str {
    match code {
        0 => "no",
        1 => "yes",
        _ => "reserved",
    }
}
