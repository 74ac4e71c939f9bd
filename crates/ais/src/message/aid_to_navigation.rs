//! Message 21: aids-to-navigation report (ITU-R M.1371-5 Annex 8 §3.19).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 21 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   5 | type of aid to navigation |
//! |  43 | 120 | name, 20 six-bit characters |
//! | 163 |   1 | position accuracy |
//! | 164 |  28 | longitude, 1/10,000 min; 181° not available |
//! | 192 |  27 | latitude, 1/10,000 min; 91° not available |
//! | 219 |  30 | dimensions A (9), B (9), C (6), D (6), metres |
//! | 249 |   4 | type of electronic position fixing device |
//! | 253 |   6 | time stamp (UTC second); 60 not available |
//! | 259 |   1 | off-position indicator |
//! | 260 |   8 | AtoN status (regional reserved before M.1371-5; gpsd `regional`) |
//! | 268 |   1 | RAIM flag |
//! | 269 |   1 | virtual AtoN flag |
//! | 270 |   1 | assigned mode flag |
//! | 271 |   1 | spare |
//! | 272 | 0-84 | name extension, up to 14 six-bit characters, then 0-6 spare bits |
//!
//! 272 to 360 bits; longer messages (368 bits are seen) decode with the first
//! [`NAME_EXTENSION_CHARS_MAX`] extension characters.

use super::{
    Dimensions, LAT_NOT_AVAILABLE_MIN_X10000, LON_NOT_AVAILABLE_MIN_X10000, SECOND_NOT_AVAILABLE,
    avail_i32, avail_u8, deg_from_min_x10000, header, need,
};
use crate::bits::{AisText, Payload};
use crate::decode::DecodeError;

/// Length of the fixed part.
const BITS_MIN: usize = 272;
/// Most name extension characters: 84 bits / 6.
pub const NAME_EXTENSION_CHARS_MAX: usize = 14;

/// Message 21: aids-to-navigation report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AidToNavigationReport {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Type of aid to navigation (see [`super::tables::aid_type_text`]).
    pub aid_type: u8,
    /// Name, raw (20 characters including `@` padding); see [`Self::full_name`].
    pub name: AisText<20>,
    /// Position accuracy flag: true = high (better than 10 m).
    pub accuracy: bool,
    /// Longitude, minutes × 10,000; `None` when not available (181°).
    pub lon_min_x10000: Option<i32>,
    /// Latitude, minutes × 10,000; `None` when not available (91°).
    pub lat_min_x10000: Option<i32>,
    /// Dimensions from the position reference point.
    pub dimensions: Dimensions,
    /// Type of electronic position fixing device (see [`super::tables::epfd_text`]).
    pub epfd: u8,
    /// UTC second of the fix; `None` when not available (60); 61-63 as in message 1.
    pub utc_second: Option<u8>,
    /// Off-position indicator (meaningful for floating aids only).
    pub off_position: bool,
    /// AtoN status bits.
    pub aton_status: u8,
    /// RAIM in use.
    pub raim: bool,
    /// Virtual aid to navigation (no physical aid at the position).
    pub virtual_aid: bool,
    /// Assigned mode flag.
    pub assigned: bool,
    /// The spare bit at bit 271.
    pub spare: bool,
    /// Name extension, raw (every whole character after bit 272, `@` included).
    pub name_extension: AisText<NAME_EXTENSION_CHARS_MAX>,
}

impl AidToNavigationReport {
    /// Length of the fixed part.
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<AidToNavigationReport, DecodeError> {
    need(p, 21, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    let ext_chars = ((p.len_bits() - BITS_MIN) / 6).min(NAME_EXTENSION_CHARS_MAX);
    Ok(AidToNavigationReport {
        repeat,
        mmsi,
        aid_type: p.u(38, 5) as u8,
        name: p.text_raw(43, 20),
        accuracy: p.flag(163),
        lon_min_x10000: avail_i32(p.i(164, 28), LON_NOT_AVAILABLE_MIN_X10000),
        lat_min_x10000: avail_i32(p.i(192, 27), LAT_NOT_AVAILABLE_MIN_X10000),
        dimensions: Dimensions::read(p, 219),
        epfd: p.u(249, 4) as u8,
        utc_second: avail_u8(p.u(253, 6), SECOND_NOT_AVAILABLE),
        off_position: p.flag(259),
        aton_status: p.u(260, 8) as u8,
        raim: p.flag(268),
        virtual_aid: p.flag(269),
        assigned: p.flag(270),
        spare: p.flag(271),
        name_extension: p.text_raw(BITS_MIN, ext_chars),
    })
}

impl AidToNavigationReport {
    /// Longitude in degrees, east positive.
    pub fn lon_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lon_min_x10000)
    }

    /// Latitude in degrees, north positive.
    pub fn lat_deg(&self) -> Option<f64> {
        deg_from_min_x10000(self.lat_min_x10000)
    }

    /// The name as people read it: the name field and, when it is used to the last character,
    /// the name extension; cut at the first `@`, trailing spaces removed (as gpsd joins them).
    pub fn full_name(&self) -> String {
        let name = self.name.as_str();
        let base = name.find('@').map_or(name, |at| &name[..at]);
        let mut joined = String::with_capacity(20 + NAME_EXTENSION_CHARS_MAX);
        joined.push_str(base);
        if base.len() == 20 {
            joined.push_str(self.name_extension.trimmed());
        }
        joined.truncate(joined.trim_end_matches(' ').len());
        joined
    }
}
