//! TC 31 (BDS 6,5): aircraft operational status.
//!
//! ME layout (DO-260B §2.2.3.2.7.2, ICAO Doc 9871 Table C-34; version 1 per DO-260A):
//!
//! ```text
//!  1-5 TC | 6-8 ST (0 airborne, 1 surface) | 9-24 capability class (surface: 9-20 + 21-24 L/W)
//!  | 25-40 operational mode | 41-43 version | 44 NIC supplement A | 45-48 NACp
//!  | 49-50 GVA (airborne, v2) | 51-52 SIL | 53 NIC-baro (airborne) / TRK-HDG (surface)
//!  | 54 HRD | 55 SIL supplement (v2) | 56 reserved
//! ```
//!
//! Version 0 transponders send only the version number meaningfully; the accuracy fields are
//! decoded for versions 1 and 2 only.

use crate::decode::{bit, bits};

/// An operational status message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperationalStatus {
    /// Subtype: 0 airborne, 1 surface.
    pub subtype: u8,
    /// ADS-B version number: 0 (DO-260), 1 (DO-260A), 2 (DO-260B).
    pub version: u8,
    /// Capability class codes, 16 bits (surface: 12 bits then the 4-bit length/width code).
    pub capability_class: u16,
    /// Operational mode codes, 16 bits.
    pub operational_mode: u16,
    /// NIC supplement A (versions 1/2).
    pub nic_a: bool,
    /// Navigation accuracy category for position, 0–15 (versions 1/2).
    pub nac_p: u8,
    /// Geometric vertical accuracy, 0–3 (airborne, version 2).
    pub gva: Option<u8>,
    /// Source integrity level, 0–3 (versions 1/2).
    pub sil: u8,
    /// ME bit 53: NIC-baro when airborne, track angle/heading flag on the surface.
    pub bit53: bool,
    /// Horizontal reference direction: `false` true north, `true` magnetic north.
    pub hrd_magnetic: bool,
    /// SIL supplement: `false` per hour, `true` per sample (version 2).
    pub sil_per_sample: bool,
}

#[inline]
pub(crate) fn decode(me: u64) -> Option<OperationalStatus> {
    let subtype = bits(me, 6, 3) as u8;
    if subtype > 1 {
        return None;
    }
    let version = bits(me, 41, 3) as u8;
    let v12 = version == 1 || version == 2;
    Some(OperationalStatus {
        subtype,
        version,
        capability_class: bits(me, 9, 16) as u16,
        operational_mode: bits(me, 25, 16) as u16,
        nic_a: v12 && bit(me, 44),
        nac_p: if v12 { bits(me, 45, 4) as u8 } else { 0 },
        gva: (version == 2 && subtype == 0).then(|| bits(me, 49, 2) as u8),
        sil: if v12 { bits(me, 51, 2) as u8 } else { 0 },
        bit53: v12 && bit(me, 53),
        hrd_magnetic: v12 && bit(me, 54),
        sil_per_sample: version == 2 && bit(me, 55),
    })
}
