//! Message 5: Class A ship static and voyage related data (ITU-R M.1371-5 Annex 8 §3.3).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 5 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   2 | AIS version indicator |
//! |  40 |  30 | IMO number; 0 not available |
//! |  70 |  42 | call sign, 7 six-bit characters |
//! | 112 | 120 | name, 20 six-bit characters |
//! | 232 |   8 | type of ship and cargo; 0 not available |
//! | 240 |  30 | dimensions A (9), B (9), C (6), D (6), metres |
//! | 270 |   4 | type of electronic position fixing device |
//! | 274 |  20 | ETA month (4; 0 n/a), day (5; 0 n/a), hour (5; 24 n/a), minute (6; 60 n/a) |
//! | 294 |   8 | maximum present static draught, 1/10 m; 0 not available |
//! | 302 | 120 | destination, 20 six-bit characters |
//! | 422 |   1 | DTE: 0 available, 1 not available |
//! | 423 |   1 | spare |
//!
//! 424 bits. Many transmitters send 420 or 422 bits (gpsd accepts them, and so does this
//! decoder: the missing DTE and spare bits read as 0, a cut destination keeps the characters
//! that are there). Longer messages decode and their extra bits are ignored.

use super::{Dimensions, avail_u8, avail_u32, header, need};
use crate::bits::{AisText, Payload};
use crate::decode::DecodeError;

/// Standard length in bits.
const BITS: usize = 424;
/// Shortest length accepted (see module docs).
const BITS_MIN: usize = 420;

/// Message 5: static and voyage related data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticVoyageData {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// AIS version indicator: 0 ITU-R M.1371-1, 1 -3, 2 -5, 3 future.
    pub ais_version: u8,
    /// IMO number; `None` when not available (0).
    pub imo: Option<u32>,
    /// Call sign, raw (7 characters including `@` padding).
    pub call_sign: AisText<7>,
    /// Ship name, raw (20 characters including `@` padding).
    pub ship_name: AisText<20>,
    /// Type of ship and cargo (see [`super::tables::ship_type_text`]); 0 = not available.
    pub ship_type: u8,
    /// Dimensions from the position reference point.
    pub dimensions: Dimensions,
    /// Type of electronic position fixing device (see [`super::tables::epfd_text`]).
    pub epfd: u8,
    /// ETA month (UTC); `None` when not available (0).
    pub eta_month: Option<u8>,
    /// ETA day; `None` when not available (0).
    pub eta_day: Option<u8>,
    /// ETA hour; `None` when not available (24).
    pub eta_hour: Option<u8>,
    /// ETA minute; `None` when not available (60).
    pub eta_minute: Option<u8>,
    /// Maximum present static draught, metres × 10; `None` when not available (0).
    pub draught_m_x10: Option<u8>,
    /// Destination, raw (20 characters including `@` padding).
    pub destination: AisText<20>,
    /// Data terminal equipment flag: false = DTE available, true = not available.
    pub dte: bool,
    /// The spare bit.
    pub spare: bool,
}

impl StaticVoyageData {
    /// Standard length in bits.
    pub const BITS: usize = BITS;
    /// Shortest length accepted (see module docs).
    pub const BITS_MIN: usize = BITS_MIN;
}

pub(crate) fn decode(p: &Payload) -> Result<StaticVoyageData, DecodeError> {
    need(p, 5, BITS_MIN)?;
    let (repeat, mmsi) = header(p);
    Ok(StaticVoyageData {
        repeat,
        mmsi,
        ais_version: p.u(38, 2) as u8,
        imo: avail_u32(p.u(40, 30), 0),
        call_sign: p.text_raw(70, 7),
        ship_name: p.text_raw(112, 20),
        ship_type: p.u(232, 8) as u8,
        dimensions: Dimensions::read(p, 240),
        epfd: p.u(270, 4) as u8,
        eta_month: avail_u8(p.u(274, 4), 0),
        eta_day: avail_u8(p.u(278, 5), 0),
        eta_hour: avail_u8(p.u(283, 5), 24),
        eta_minute: avail_u8(p.u(288, 6), 60),
        draught_m_x10: avail_u8(p.u(294, 8), 0),
        destination: p.text_raw(302, 20),
        dte: p.flag(422),
        spare: p.flag(423),
    })
}

impl StaticVoyageData {
    /// Draught in metres.
    pub fn draught_m(&self) -> Option<f64> {
        self.draught_m_x10.map(|d| f64::from(d) / 10.0)
    }
}
