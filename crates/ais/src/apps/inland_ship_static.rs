//! DAC 200 FI 10 (message 8): inland ship static and voyage related data, Inland AIS standard
//! (CCNR / EU Inland ECDIS and AIS, "Inland AIS ship static and voyage related data").
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 | 48 | ENI (European vessel identification number) | 8 six-bit characters |
//! |  48 | 13 | length of ship | 0.1 m; n/a 0 |
//! |  61 | 10 | beam of ship | 0.1 m; n/a 0 |
//! |  71 | 14 | ship or combination type | ERI code (8000-8370) |
//! |  85 |  3 | hazardous cargo | blue cones 0-3, 4 B-flag; 5 unknown (n/a) |
//! |  88 | 11 | draught | 0.01 m; n/a 0 |
//! |  99 |  2 | loaded/unloaded | 1 unloaded, 2 loaded; n/a 0 |
//! | 101 |  1 | quality of speed information | 1 high |
//! | 102 |  1 | quality of course information | 1 high |
//! | 103 |  1 | quality of heading information | 1 high |
//! | 104 |  8 | spare | |
//!
//! 112 data bits. As gpsd does, only a message of exactly 168 bits whose hazard code is 0-5 is
//! decoded (gpsd's guard against other applications registered under the same DAC/FI).

use super::{opt_u8, opt_u16, or_na, put_scaled, put_text, put_u};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

const DATA_BITS: usize = 112;
const HAZARD_UNKNOWN: u8 = 5;

/// Inland ship static and voyage related data (DAC 200 FI 10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlandShipStatic {
    /// European vessel identification number (ENI).
    pub eni: AisText<8>,
    /// Length of ship, 0.1 m.
    pub length_m_x10: Option<u16>,
    /// Beam of ship, 0.1 m.
    pub beam_m_x10: Option<u16>,
    /// Ship or combination type, ERI code.
    pub ship_type: u16,
    /// Hazardous cargo: number of blue cones (0-3) or 4 for the B-flag.
    pub hazard: Option<u8>,
    /// Draught, 0.01 m.
    pub draught_m_x100: Option<u16>,
    /// Load status: 1 unloaded, 2 loaded.
    pub loaded: Option<u8>,
    /// Speed information is of high quality.
    pub speed_quality_high: bool,
    /// Course information is of high quality.
    pub course_quality_high: bool,
    /// Heading information is of high quality.
    pub heading_quality_high: bool,
}

impl InlandShipStatic {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        let hazard = p.u(s + 85, 3) as u8;
        if hazard > HAZARD_UNKNOWN {
            return None;
        }
        Some(Self {
            eni: p.text(s, 8),
            length_m_x10: opt_u16(p, s + 48, 13, 0),
            beam_m_x10: opt_u16(p, s + 61, 10, 0),
            ship_type: p.u(s + 71, 14) as u16,
            hazard: (hazard != HAZARD_UNKNOWN).then_some(hazard),
            draught_m_x100: opt_u16(p, s + 88, 11, 0),
            loaded: opt_u8(p, s + 99, 2, 0),
            speed_quality_high: p.flag(s + 101),
            course_quality_high: p.flag(s + 102),
            heading_quality_high: p.flag(s + 103),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        let hazard = or_na(self.hazard, HAZARD_UNKNOWN);
        let loaded = or_na(self.loaded, 0);
        w.str("vin", self.eni.as_str());
        w.u64("length", or_na(self.length_m_x10, 0).into());
        w.u64("beam", or_na(self.beam_m_x10, 0).into());
        w.u64("shiptype", self.ship_type.into());
        w.str("shiptype_text", gpsd_ship_type_text(self.ship_type));
        w.u64("hazard", hazard.into());
        w.str("hazard_text", hazard_text(hazard));
        w.u64("draught", or_na(self.draught_m_x100, 0).into());
        w.u64("loaded", loaded.into());
        w.str("loaded_text", loaded_text(loaded));
        w.bool("speed_q", self.speed_quality_high);
        w.bool("course_q", self.course_quality_high);
        w.bool("heading_q", self.heading_quality_high);
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "inland_ship_static");
        put_text(w, "eni", self.eni.as_str());
        put_scaled(w, "length_m", self.length_m_x10, 10.0, 1);
        put_scaled(w, "beam_m", self.beam_m_x10, 10.0, 1);
        w.u64("ship_type", self.ship_type.into());
        w.str("ship_type_text", gpsd_ship_type_text(self.ship_type));
        put_u(w, "hazard", self.hazard);
        put_scaled(w, "draught_m", self.draught_m_x100, 100.0, 2);
        if let Some(l) = self.loaded {
            w.str(
                "load_status",
                if l == 2 {
                    "loaded"
                } else if l == 1 {
                    "unloaded"
                } else {
                    "reserved"
                },
            );
        }
        w.bool("speed_quality_high", self.speed_quality_high);
        w.bool("course_quality_high", self.course_quality_high);
        w.bool("heading_quality_high", self.heading_quality_high);
    }
}

/// Hazard legend as gpsd prints it.
fn hazard_text(code: u8) -> &'static str {
    match code {
        0 => "0 blue cones/lights",
        1 => "1 blue cone/light",
        2 => "2 blue cones/lights",
        3 => "3 blue cones/lights",
        4 => "4 B-Flag",
        5 => "Unknown",
        _ => "INVALID HAZARD TYPE",
    }
}

/// Load status legend as gpsd prints it.
fn loaded_text(code: u8) -> &'static str {
    match code {
        0 => "N/A (default)",
        1 => "Unloaded",
        2 => "Loaded",
        _ => "INVALID LOAD STATUS",
    }
}

/// ERI ship type codes (Inland AIS standard, ERI ship types table) with the ITU-R M.1371 ship
/// type each maps to, and the names gpsd prints for them. gpsd matches either column, first
/// match in this order, so the order matters.
const SHIP_TYPES: &[(u16, u16, &str)] = &[
    (8000, 99, "Vessel, type unknown"),
    (8010, 79, "Motor freighter"),
    (8020, 89, "Motor tanker"),
    (8021, 80, "Motor tanker, liquid cargo, type N"),
    (8022, 80, "Motor tanker, liquid cargo, type C"),
    (8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"),
    (8030, 79, "Container vessel"),
    (8040, 80, "Gas tanker"),
    (8050, 79, "Motor freighter, tug"),
    (8060, 89, "Motor tanker, tug"),
    (8070, 79, "Motor freighter with one or more ships alongside"),
    (8080, 89, "Motor freighter with tanker"),
    (8090, 79, "Motor freighter pushing one or more freighters"),
    (8100, 89, "Motor freighter pushing at least one tank-ship"),
    (8110, 79, "Tug, freighter"),
    (8120, 89, "Tug, tanker"),
    (8130, 31, "Tug freighter, coupled"),
    (8140, 31, "Tug, freighter/tanker, coupled"),
    (8150, 99, "Freightbarge"),
    (8160, 99, "Tankbarge"),
    (8161, 90, "Tankbarge, liquid cargo, type N"),
    (8162, 90, "Tankbarge, liquid cargo, type C"),
    (8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"),
    (8170, 99, "Freightbarge with containers"),
    (8180, 90, "Tankbarge, gas"),
    (8210, 79, "Pushtow, one cargo barge"),
    (8220, 79, "Pushtow, two cargo barges"),
    (8230, 79, "Pushtow, three cargo barges"),
    (8240, 79, "Pushtow, four cargo barges"),
    (8250, 79, "Pushtow, five cargo barges"),
    (8260, 79, "Pushtow, six cargo barges"),
    (8270, 79, "Pushtow, seven cargo barges"),
    (8280, 79, "Pushtow, eigth cargo barges"),
    (8290, 79, "Pushtow, nine or more barges"),
    (8310, 80, "Pushtow, one tank/gas barge"),
    (8320, 80, "Pushtow, two barges at least one tanker or gas barge"),
    (8330, 80, "Pushtow, three barges at least one tanker or gas barge"),
    (8340, 80, "Pushtow, four barges at least one tanker or gas barge"),
    (8350, 80, "Pushtow, five barges at least one tanker or gas barge"),
    (8360, 80, "Pushtow, six barges at least one tanker or gas barge"),
    (8370, 80, "Pushtow, seven barges at least one tanker or gas barg"),
];

/// Ship type legend as gpsd prints it (gpsd's spelling kept, so output compares equal).
fn gpsd_ship_type_text(code: u16) -> &'static str {
    SHIP_TYPES
        .iter()
        .find(|(eri, itu, _)| *eri == code || *itu == code)
        .map_or("Illegal ship type value.", |(_, _, name)| name)
}
