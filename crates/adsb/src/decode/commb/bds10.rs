//! BDS 1,0: data link capability report.
//!
//! MB layout (ICAO Doc 9871 Table A-2-16):
//!
//! ```text
//!  1-8 BDS (0001 0000) | 9 continuation | 10-14 reserved (0) | 15 overlay command capability
//!  | 16 ACAS | 17-23 Mode S subnetwork version | 24 transponder enhanced protocol (level 5)
//!  | 25 Mode S specific services | 26-28 uplink ELM | 29-32 downlink ELM | 33 aircraft identification
//!  | 34 squitter capability | 35 surveillance identifier code | 36 common usage GICB
//!  | 37-40 ACAS (hybrid surveillance, RA generation, version) | 41-56 DTE sub-address status
//! ```
//!
//! Checks (as pyModeS `is10`): the BDS byte, reserved bits zero, and the overlay capability
//! consistent with the subnetwork version (overlay only from version 5 on).

use crate::decode::{bit, bits};

/// A data link capability report (selected fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataLinkCapability {
    /// Overlay command capability.
    pub overlay: bool,
    /// Mode S subnetwork version number, 0–127.
    pub subnetwork_version: u8,
    /// Transponder level 5 (enhanced protocol).
    pub level5: bool,
    /// Mode S specific services capability.
    pub mode_s_specific: bool,
    /// Aircraft identification capability.
    pub identification: bool,
    /// Squitter capability.
    pub squitter: bool,
    /// Surveillance identifier code capability.
    pub surveillance_identifier: bool,
    /// Common usage GICB capability report available.
    pub common_usage_gicb: bool,
}

pub(crate) fn check(mb: u64) -> Option<DataLinkCapability> {
    if bits(mb, 1, 8) != 0x10 || bits(mb, 10, 5) != 0 {
        return None;
    }
    let overlay = bit(mb, 15);
    let version = bits(mb, 17, 7);
    if (overlay && version < 5) || (!overlay && version > 4) {
        return None;
    }
    Some(DataLinkCapability {
        overlay,
        subnetwork_version: version as u8,
        level5: bit(mb, 24),
        mode_s_specific: bit(mb, 25),
        identification: bit(mb, 33),
        squitter: bit(mb, 34),
        surveillance_identifier: bit(mb, 35),
        common_usage_gicb: bit(mb, 36),
    })
}
