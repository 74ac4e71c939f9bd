//! Message 22: channel management (ITU-R M.1371-5 Annex 8 §3.20).
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 22 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | source MMSI |
//! |  38 |   2 | spare |
//! |  40 |  12 | channel A (ITU-R M.1084 channel number) |
//! |  52 |  12 | channel B |
//! |  64 |   4 | Tx/Rx mode |
//! |  68 |   1 | power: 0 high, 1 low |
//! |  69 |  18 | broadcast: longitude 1 (north-east corner), 1/10 min — addressed: destination 1 MMSI (30) |
//! |  87 |  17 | broadcast: latitude 1, 1/10 min — addressed: (cont.) and 5 spare bits |
//! | 104 |  18 | broadcast: longitude 2 (south-west corner) — addressed: destination 2 MMSI (30) |
//! | 122 |  17 | broadcast: latitude 2 — addressed: (cont.) and 5 spare bits |
//! | 139 |   1 | addressed flag: 0 broadcast (area), 1 addressed |
//! | 140 |   1 | channel A bandwidth |
//! | 141 |   1 | channel B bandwidth |
//! | 142 |   3 | transitional zone size |
//! | 145 |  23 | spare |
//!
//! 168 bits; longer messages decode and their extra bits are ignored (as gpsd does).

use super::{header, need};
use crate::bits::Payload;
use crate::decode::DecodeError;

/// Standard (and minimum) length in bits.
const BITS: usize = 168;

/// Whom a channel management message applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelManagementTarget {
    /// Broadcast to every station inside a rectangle (corners in minutes × 10).
    Area {
        /// North-east corner longitude, minutes × 10.
        ne_lon_min_x10: i32,
        /// North-east corner latitude, minutes × 10.
        ne_lat_min_x10: i32,
        /// South-west corner longitude, minutes × 10.
        sw_lon_min_x10: i32,
        /// South-west corner latitude, minutes × 10.
        sw_lat_min_x10: i32,
    },
    /// Addressed to one or two stations.
    Addressed {
        /// First destination MMSI.
        dest1_mmsi: u32,
        /// The 5 spare bits after the first destination.
        spare1: u8,
        /// Second destination MMSI.
        dest2_mmsi: u32,
        /// The 5 spare bits after the second destination.
        spare2: u8,
    },
}

/// Message 22: channel management.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelManagement {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// The 2 spare bits at bit 38.
    pub spare1: u8,
    /// Channel A number.
    pub channel_a: u16,
    /// Channel B number.
    pub channel_b: u16,
    /// Tx/Rx mode (0 TxA/TxB RxA/RxB, 1 TxA RxA/RxB, 2 TxB RxA/RxB).
    pub txrx_mode: u8,
    /// Power: false = high, true = low.
    pub power_low: bool,
    /// The area or the stations addressed (bit 139 tells which).
    pub target: ChannelManagementTarget,
    /// Channel A bandwidth flag.
    pub band_a: bool,
    /// Channel B bandwidth flag.
    pub band_b: bool,
    /// Transitional zone size, (value + 1) nautical miles.
    pub zone_size: u8,
    /// The 23 spare bits at bit 145.
    pub spare2: u32,
}

impl ChannelManagement {
    /// Standard (and minimum) length in bits.
    pub const BITS: usize = BITS;
}

pub(crate) fn decode(p: &Payload) -> Result<ChannelManagement, DecodeError> {
    need(p, 22, BITS)?;
    let (repeat, mmsi) = header(p);
    let target = if p.flag(139) {
        ChannelManagementTarget::Addressed {
            dest1_mmsi: p.u(69, 30) as u32,
            spare1: p.u(99, 5) as u8,
            dest2_mmsi: p.u(104, 30) as u32,
            spare2: p.u(134, 5) as u8,
        }
    } else {
        ChannelManagementTarget::Area {
            ne_lon_min_x10: p.i(69, 18) as i32,
            ne_lat_min_x10: p.i(87, 17) as i32,
            sw_lon_min_x10: p.i(104, 18) as i32,
            sw_lat_min_x10: p.i(122, 17) as i32,
        }
    };
    Ok(ChannelManagement {
        repeat,
        mmsi,
        spare1: p.u(38, 2) as u8,
        channel_a: p.u(40, 12) as u16,
        channel_b: p.u(52, 12) as u16,
        txrx_mode: p.u(64, 4) as u8,
        power_low: p.flag(68),
        target,
        band_a: p.flag(140),
        band_b: p.flag(141),
        zone_size: p.u(142, 3) as u8,
        spare2: p.u(145, 23) as u32,
    })
}
