//! Application-specific messages carried in binary messages 6 and 8 (IMO SN/Circ.236,
//! IMO SN.1/Circ.289 and regional DAC/FI registrations).
//!
//! A type 6 or 8 message names its application by a Designated Area Code (DAC) and Function
//! Identifier (FI). For the applications listed in [`Application`] the data bits are decoded into
//! fields; for all others the raw bits stay with the message.
//!
//! One file per application, named after its registration, with the bit layout in its header
//! comment. Bit offsets in those tables count from the first data bit after the FI (bit 88 of a
//! message 6, bit 56 of a message 8).
//!
//! Typed fields keep the wire's resolution as integers (the unit and scale are in the name:
//! `air_temp_c_x10` is tenths of a degree Celsius, `lat_min_x1000` is thousandths of a minute of
//! arc). Where the wire carries a fixed offset (IMO SN/Circ.236 air temperature, IMO
//! SN.1/Circ.289 water level, …) the offset is removed, which is exactly invertible. The one value
//! the standard names "not available" becomes `None`; any other value, even one the standard
//! calls reserved, is kept as received so that an encoder can reproduce the message bit for bit.
//!
//! Which messages are decoded, and at which lengths, follows gpsd (`gpsdecode -u -j`), so that
//! [`write_gpsd`] output can be compared with gpsd's: an application that gpsd decodes whatever
//! the payload length is decoded here too, with bits missing from a short payload read as zero
//! (as gpsd does); an application gpsd decodes only at one exact length (the inland and UK/ROI
//! ones) is decoded only at that length. Where gpsd's decoding is plainly wrong (a field read
//! from the wrong offset, a target record two bits too long) this module follows the standard,
//! and each such place says so in its file.
//!
//! Deliberately absent: applications gpsd leaves undecoded (area notices DAC 1 FI 22/23,
//! weather observation FI 21, extended ship static FI 24, environmental FI 26, dangerous cargo
//! broadcast FI 25 in message 8, and every DAC 366/367 application), so that for them the
//! message keeps gpsd's `"data"` form.

use crate::bits::Payload;
use crate::json::JsonWriter;

mod gla_aton_monitoring;
mod imo236_dangerous_cargo;
mod imo236_extended_ship_static;
mod imo236_fairway_closed;
mod imo236_met_hydro;
mod imo236_tidal_window;
mod imo289_berthing_data;
mod imo289_clearance_time;
mod imo289_dangerous_cargo;
mod imo289_met_hydro;
mod imo289_persons_on_board;
mod imo289_route_info;
mod imo289_text_description;
mod imo289_tidal_window;
mod imo289_traffic_signal;
mod imo289_vts_targets;
mod inland_emma_warning;
mod inland_eta;
mod inland_persons_on_board;
mod inland_rta;
mod inland_ship_static;
mod inland_signal_status;
mod inland_water_level;

#[cfg(test)]
mod tests;

pub use gla_aton_monitoring::AtonMonitoring;
pub use imo236_dangerous_cargo::DangerousCargo236;
pub use imo236_extended_ship_static::ExtendedShipStatic236;
pub use imo236_fairway_closed::FairwayClosed;
pub use imo236_met_hydro::MetHydro236;
pub use imo236_tidal_window::{TIDAL_POINTS_236_MAX, TidalPoint236, TidalWindow236};
pub use imo289_berthing_data::{BerthingData, BerthingServices, SERVICES};
pub use imo289_clearance_time::ClearanceTime;
pub use imo289_dangerous_cargo::{CARGOS_MAX, CargoEntry, DangerousCargo289};
pub use imo289_met_hydro::MetHydro289;
pub use imo289_persons_on_board::PersonsOnBoard;
pub use imo289_route_info::{RouteInfo, WAYPOINTS_MAX, Waypoint};
pub use imo289_text_description::TextDescription;
pub use imo289_tidal_window::{TIDAL_POINTS_289_MAX, TidalPoint289, TidalWindow289};
pub use imo289_traffic_signal::TrafficSignal;
pub use imo289_vts_targets::{TARGETS_MAX, TargetId, VtsTarget, VtsTargets};
pub use inland_emma_warning::EmmaWarning;
pub use inland_eta::InlandEta;
pub use inland_persons_on_board::InlandPersonsOnBoard;
pub use inland_rta::InlandRta;
pub use inland_ship_static::InlandShipStatic;
pub use inland_signal_status::SignalStatus;
pub use inland_water_level::{Gauge, InlandWaterLevel};

/// A decoded application-specific payload.
///
/// [`decode`] returns it boxed, so the size of the largest variant (a text description holds its
/// text inline) costs one allocation per decoded message rather than stack space everywhere.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum Application {
    /// DAC 1 FI 11, message 8: meteorological and hydrological data (IMO SN/Circ.236).
    MetHydro236(MetHydro236),
    /// DAC 1 FI 12, message 6: dangerous cargo indication (IMO SN/Circ.236).
    DangerousCargo236(DangerousCargo236),
    /// DAC 1 FI 13, message 8: fairway closed (IMO SN/Circ.236).
    FairwayClosed(FairwayClosed),
    /// DAC 1 FI 14, message 6: tidal window (IMO SN/Circ.236).
    TidalWindow236(TidalWindow236),
    /// DAC 1 FI 15, message 8: extended ship static and voyage data, air draught
    /// (IMO SN/Circ.236).
    ExtendedShipStatic236(ExtendedShipStatic236),
    /// DAC 1 FI 16, message 6 or 8: number of persons on board.
    PersonsOnBoard(PersonsOnBoard),
    /// DAC 1 FI 17, message 8: VTS-generated/synthetic targets (IMO SN.1/Circ.289).
    VtsTargets(VtsTargets),
    /// DAC 1 FI 18, message 6: clearance time to enter port (IMO SN.1/Circ.289).
    ClearanceTime(ClearanceTime),
    /// DAC 1 FI 19, message 8: marine traffic signal (IMO SN.1/Circ.289).
    TrafficSignal(TrafficSignal),
    /// DAC 1 FI 20, message 6: berthing data (IMO SN.1/Circ.289).
    BerthingData(BerthingData),
    /// DAC 1 FI 25, message 6: dangerous cargo indication (IMO SN.1/Circ.289).
    DangerousCargo289(DangerousCargo289),
    /// DAC 1 FI 27 (message 8) or FI 28 (message 6): route information (IMO SN.1/Circ.289).
    RouteInfo(RouteInfo),
    /// DAC 1 FI 29 (message 8) or FI 30 (message 6): text description (IMO SN.1/Circ.289).
    TextDescription(TextDescription),
    /// DAC 1 FI 31, message 8: meteorological and hydrographic data (IMO SN.1/Circ.289).
    MetHydro289(MetHydro289),
    /// DAC 1 FI 32, message 6: tidal window (IMO SN.1/Circ.289).
    TidalWindow289(TidalWindow289),
    /// DAC 235 or 250 FI 10, message 6: AtoN monitoring data (UK and Ireland GLA).
    AtonMonitoring(AtonMonitoring),
    /// DAC 200 FI 10, message 8: inland ship static and voyage related data.
    InlandShipStatic(InlandShipStatic),
    /// DAC 200 FI 21, message 6: ETA at lock/bridge/terminal (Inland AIS).
    InlandEta(InlandEta),
    /// DAC 200 FI 22, message 6: RTA at lock/bridge/terminal (Inland AIS).
    InlandRta(InlandRta),
    /// DAC 200 FI 23, message 8: EMMA weather warning (Inland AIS).
    EmmaWarning(EmmaWarning),
    /// DAC 200 FI 24, message 8: water levels (Inland AIS).
    InlandWaterLevel(InlandWaterLevel),
    /// DAC 200 FI 40, message 8: signal status (Inland AIS).
    SignalStatus(SignalStatus),
    /// DAC 200 FI 55, message 6: number of persons on board (Inland AIS).
    InlandPersonsOnBoard(InlandPersonsOnBoard),
}

/// Decodes the application data of a binary message whose DAC/FI have been read.
///
/// `addressed` is true for message 6 and false for message 8; `data_start` is the bit offset of
/// the first data bit after the FI. Returns `None` for applications this crate does not decode or
/// whose bit length does not fit the application (see the module documentation for which
/// lengths are accepted).
pub fn decode(
    dac: u16,
    fid: u8,
    addressed: bool,
    payload: &Payload,
    data_start: usize,
) -> Option<Box<Application>> {
    if data_start > payload.len_bits() {
        return None;
    }
    let p = payload;
    let s = data_start;
    let app = match (dac, fid, addressed) {
        (1, 11, false) => Application::MetHydro236(MetHydro236::decode(p, s)?),
        (1, 12, true) => Application::DangerousCargo236(DangerousCargo236::decode(p, s)?),
        (1, 13, false) => Application::FairwayClosed(FairwayClosed::decode(p, s)?),
        (1, 14, true) => Application::TidalWindow236(TidalWindow236::decode(p, s)?),
        (1, 15, false) => Application::ExtendedShipStatic236(ExtendedShipStatic236::decode(p, s)?),
        (1, 16, _) => Application::PersonsOnBoard(PersonsOnBoard::decode(p, s, addressed)?),
        (1, 17, false) => Application::VtsTargets(VtsTargets::decode(p, s)?),
        (1, 18, true) => Application::ClearanceTime(ClearanceTime::decode(p, s)?),
        (1, 19, false) => Application::TrafficSignal(TrafficSignal::decode(p, s)?),
        (1, 20, true) => Application::BerthingData(BerthingData::decode(p, s)?),
        (1, 25, true) => Application::DangerousCargo289(DangerousCargo289::decode(p, s)?),
        (1, 27, false) | (1, 28, true) => Application::RouteInfo(RouteInfo::decode(p, s)?),
        (1, 29, false) | (1, 30, true) => {
            Application::TextDescription(TextDescription::decode(p, s)?)
        }
        (1, 31, false) => Application::MetHydro289(MetHydro289::decode(p, s)?),
        (1, 32, true) => Application::TidalWindow289(TidalWindow289::decode(p, s)?),
        (235 | 250, 10, true) => Application::AtonMonitoring(AtonMonitoring::decode(p, s)?),
        (200, 10, false) => Application::InlandShipStatic(InlandShipStatic::decode(p, s)?),
        (200, 21, true) => Application::InlandEta(InlandEta::decode(p, s)?),
        (200, 22, true) => Application::InlandRta(InlandRta::decode(p, s)?),
        (200, 23, false) => Application::EmmaWarning(EmmaWarning::decode(p, s)?),
        (200, 24, false) => Application::InlandWaterLevel(InlandWaterLevel::decode(p, s)?),
        (200, 40, false) => Application::SignalStatus(SignalStatus::decode(p, s)?),
        (200, 55, true) => Application::InlandPersonsOnBoard(InlandPersonsOnBoard::decode(p, s)?),
        _ => return None,
    };
    Some(Box::new(app))
}

/// Writes the application's fields with gpsd's names and unscaled units (`gpsdecode -u -j`).
///
/// The caller has already written the message header up to and including `"fid"`.
pub fn write_gpsd(app: &Application, w: &mut JsonWriter<'_>) {
    match app {
        Application::MetHydro236(a) => a.write_gpsd(w),
        Application::DangerousCargo236(a) => a.write_gpsd(w),
        Application::FairwayClosed(a) => a.write_gpsd(w),
        Application::TidalWindow236(a) => a.write_gpsd(w),
        Application::ExtendedShipStatic236(a) => a.write_gpsd(w),
        Application::PersonsOnBoard(a) => a.write_gpsd(w),
        Application::VtsTargets(a) => a.write_gpsd(w),
        Application::ClearanceTime(a) => a.write_gpsd(w),
        Application::TrafficSignal(a) => a.write_gpsd(w),
        Application::BerthingData(a) => a.write_gpsd(w),
        Application::DangerousCargo289(a) => a.write_gpsd(w),
        Application::RouteInfo(a) => a.write_gpsd(w),
        Application::TextDescription(a) => a.write_gpsd(w),
        Application::MetHydro289(a) => a.write_gpsd(w),
        Application::TidalWindow289(a) => a.write_gpsd(w),
        Application::AtonMonitoring(a) => a.write_gpsd(w),
        Application::InlandShipStatic(a) => a.write_gpsd(w),
        Application::InlandEta(a) => a.write_gpsd(w),
        Application::InlandRta(a) => a.write_gpsd(w),
        Application::EmmaWarning(a) => a.write_gpsd(w),
        Application::InlandWaterLevel(a) => a.write_gpsd(w),
        Application::SignalStatus(a) => a.write_gpsd(w),
        Application::InlandPersonsOnBoard(a) => a.write_gpsd(w),
    }
}

/// Writes the application's fields in Kuroshio's own scaled form: natural units with the unit
/// last in each snake_case name, "not available" fields omitted. The first field, `"app"`, names
/// the application (the file name of its decoder, e.g. `"imo289_met_hydro"`).
pub fn write_ndjson(app: &Application, w: &mut JsonWriter<'_>) {
    match app {
        Application::MetHydro236(a) => a.write_ndjson(w),
        Application::DangerousCargo236(a) => a.write_ndjson(w),
        Application::FairwayClosed(a) => a.write_ndjson(w),
        Application::TidalWindow236(a) => a.write_ndjson(w),
        Application::ExtendedShipStatic236(a) => a.write_ndjson(w),
        Application::PersonsOnBoard(a) => a.write_ndjson(w),
        Application::VtsTargets(a) => a.write_ndjson(w),
        Application::ClearanceTime(a) => a.write_ndjson(w),
        Application::TrafficSignal(a) => a.write_ndjson(w),
        Application::BerthingData(a) => a.write_ndjson(w),
        Application::DangerousCargo289(a) => a.write_ndjson(w),
        Application::RouteInfo(a) => a.write_ndjson(w),
        Application::TextDescription(a) => a.write_ndjson(w),
        Application::MetHydro289(a) => a.write_ndjson(w),
        Application::TidalWindow289(a) => a.write_ndjson(w),
        Application::AtonMonitoring(a) => a.write_ndjson(w),
        Application::InlandShipStatic(a) => a.write_ndjson(w),
        Application::InlandEta(a) => a.write_ndjson(w),
        Application::InlandRta(a) => a.write_ndjson(w),
        Application::EmmaWarning(a) => a.write_ndjson(w),
        Application::InlandWaterLevel(a) => a.write_ndjson(w),
        Application::SignalStatus(a) => a.write_ndjson(w),
        Application::InlandPersonsOnBoard(a) => a.write_ndjson(w),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the application decoders.

/// Latitude "not available" (91°) in 1/1,000 minute.
pub(crate) const LAT_NA_MIN_X1000: i32 = 91 * 60_000;
/// Longitude "not available" (181°) in 1/1,000 minute.
pub(crate) const LON_NA_MIN_X1000: i32 = 181 * 60_000;
/// Latitude "not available" (91°) in 1/10,000 minute.
pub(crate) const LAT_NA_MIN_X10000: i32 = 91 * 600_000;
/// Longitude "not available" (181°) in 1/10,000 minute.
pub(crate) const LON_NA_MIN_X10000: i32 = 181 * 600_000;

/// An unsigned field of at most 8 bits; `None` when it holds `na`.
pub(crate) fn opt_u8(p: &Payload, start: usize, len: usize, na: u8) -> Option<u8> {
    let v = p.u(start, len) as u8;
    (v != na).then_some(v)
}

/// An unsigned field of at most 16 bits; `None` when it holds `na`.
pub(crate) fn opt_u16(p: &Payload, start: usize, len: usize, na: u16) -> Option<u16> {
    let v = p.u(start, len) as u16;
    (v != na).then_some(v)
}

/// A two's complement field of at most 32 bits; `None` when it holds `na`.
pub(crate) fn opt_i32(p: &Payload, start: usize, len: usize, na: i32) -> Option<i32> {
    let v = p.i(start, len) as i32;
    (v != na).then_some(v)
}

/// A two's complement field of at most 16 bits; `None` when it holds `na`.
pub(crate) fn opt_i16(p: &Payload, start: usize, len: usize, na: i16) -> Option<i16> {
    let v = p.i(start, len) as i16;
    (v != na).then_some(v)
}

/// Writes `"key":v` when `v` is present.
pub(crate) fn put_u<T: Into<u64>>(w: &mut JsonWriter<'_>, key: &str, v: Option<T>) {
    if let Some(v) = v {
        w.u64(key, v.into());
    }
}

/// Writes `"key":v/div` rounded to `decimals` places when `v` is present.
pub(crate) fn put_scaled<T: Into<f64>>(
    w: &mut JsonWriter<'_>,
    key: &str,
    v: Option<T>,
    div: f64,
    decimals: usize,
) {
    if let Some(v) = v {
        w.f64_fixed(key, v.into() / div, decimals);
    }
}

/// Writes `"key":"text"` when the text is not empty.
pub(crate) fn put_text(w: &mut JsonWriter<'_>, key: &str, v: &str) {
    if !v.is_empty() {
        w.str(key, v);
    }
}

/// Writes a position given in 1/1,000 minute as `lat_deg`/`lon_deg`, each only when present.
pub(crate) fn put_position_x1000(w: &mut JsonWriter<'_>, lat: Option<i32>, lon: Option<i32>) {
    put_scaled(w, "lat_deg", lat, 60_000.0, 6);
    put_scaled(w, "lon_deg", lon, 60_000.0, 6);
}

/// A short ASCII string built on the stack: gpsd's date-like fields (`"18T17:15Z"`).
pub(crate) struct Stamp {
    buf: [u8; Self::CAP],
    len: usize,
}

impl Stamp {
    /// The longest stamp written ("2099-12-31T23:59" is 16 characters); longer input is cut.
    const CAP: usize = 24;

    /// An empty stamp.
    pub(crate) fn new() -> Self {
        Self { buf: [0; Self::CAP], len: 0 }
    }

    fn push(&mut self, c: u8) {
        if self.len < Self::CAP {
            self.buf[self.len] = c;
            self.len += 1;
        }
    }

    /// Appends a number; zero-padded to two digits when `pad2`.
    pub(crate) fn num(mut self, v: u16, pad2: bool) -> Self {
        if pad2 && v < 10 {
            self.push(b'0');
        }
        let mut b = itoa::Buffer::new();
        for &c in b.format(v).as_bytes() {
            self.push(c);
        }
        self
    }

    /// Appends a separator character.
    pub(crate) fn ch(mut self, c: u8) -> Self {
        self.push(c);
        self
    }

    /// The stamp text (ASCII by construction).
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// gpsd's `"%02u-%02uT%02u:%02u"` (month, day, hour, minute).
pub(crate) fn mdhm_padded(month: u8, day: u8, hour: u8, minute: u8) -> Stamp {
    Stamp::new()
        .num(month.into(), true)
        .ch(b'-')
        .num(day.into(), true)
        .ch(b'T')
        .num(hour.into(), true)
        .ch(b':')
        .num(minute.into(), true)
}

/// gpsd's `"%02u-%02uT%02u:%02uZ"` (month, day, hour, minute).
pub(crate) fn mdhm_z(month: u8, day: u8, hour: u8, minute: u8) -> Stamp {
    mdhm_padded(month, day, hour, minute).ch(b'Z')
}

/// gpsd's unpadded `"%u-%uT%u:%u"` (month, day, hour, minute).
pub(crate) fn mdhm_plain(month: u8, day: u8, hour: u8, minute: u8) -> Stamp {
    Stamp::new()
        .num(month.into(), false)
        .ch(b'-')
        .num(day.into(), false)
        .ch(b'T')
        .num(hour.into(), false)
        .ch(b':')
        .num(minute.into(), false)
}

/// The wire value of an optional field: the value, or its "not available" code.
pub(crate) fn or_na<T: Copy>(v: Option<T>, na: T) -> T {
    v.unwrap_or(na)
}

/// Name of a water-level or pressure trend code (IMO SN/Circ.236 and SN.1/Circ.289 use the
/// same coding: 0 steady, 1 decreasing, 2 increasing).
pub(crate) fn trend_name(code: u8) -> &'static str {
    match code {
        0 => "steady",
        1 => "decreasing",
        2 => "increasing",
        _ => "reserved",
    }
}

/// A UTC month, day, hour and minute as IMO and inland applications carry them: 4, 5, 5 and 6
/// bits, "not available" being 0, 0, 24 and 60.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthDayTime {
    /// Month, 1-12.
    pub month: Option<u8>,
    /// Day of month, 1-31.
    pub day: Option<u8>,
    /// Hour, 0-23.
    pub hour: Option<u8>,
    /// Minute, 0-59.
    pub minute: Option<u8>,
}

impl MonthDayTime {
    /// Reads the 20-bit month/day/hour/minute group at `start`.
    pub(crate) fn decode(p: &Payload, start: usize) -> Self {
        Self {
            month: opt_u8(p, start, 4, 0),
            day: opt_u8(p, start + 4, 5, 0),
            hour: opt_u8(p, start + 9, 5, 24),
            minute: opt_u8(p, start + 14, 6, 60),
        }
    }

    /// The wire values (not-available codes restored): month, day, hour, minute.
    pub(crate) fn wire(&self) -> (u8, u8, u8, u8) {
        (or_na(self.month, 0), or_na(self.day, 0), or_na(self.hour, 24), or_na(self.minute, 60))
    }

    /// gpsd's `"%02u-%02uT%02u:%02uZ"` form.
    pub(crate) fn gpsd_z(&self) -> Stamp {
        let (mo, d, h, mi) = self.wire();
        mdhm_z(mo, d, h, mi)
    }

    /// gpsd's `"%02u-%02uT%02u:%02u"` form.
    pub(crate) fn gpsd_padded(&self) -> Stamp {
        let (mo, d, h, mi) = self.wire();
        mdhm_padded(mo, d, h, mi)
    }

    /// gpsd's unpadded `"%u-%uT%u:%u"` form.
    pub(crate) fn gpsd_plain(&self) -> Stamp {
        let (mo, d, h, mi) = self.wire();
        mdhm_plain(mo, d, h, mi)
    }

    /// Writes `"key":{"month":..,"day":..,"hour":..,"minute":..}` with the parts that are
    /// available; nothing when none is.
    pub(crate) fn put_ndjson(&self, w: &mut JsonWriter<'_>, key: &str) {
        if self.month.is_none()
            && self.day.is_none()
            && self.hour.is_none()
            && self.minute.is_none()
        {
            return;
        }
        w.begin_object(key);
        put_u(w, "month", self.month);
        put_u(w, "day", self.day);
        put_u(w, "hour", self.hour);
        put_u(w, "minute", self.minute);
        w.end_object();
    }
}
