//! TC 29 subtype 1 (BDS 6,2, version 2): target state and status.
//!
//! ME layout (DO-260B §2.2.3.2.7.1, ICAO Doc 9871 Table C-33):
//!
//! ```text
//!  1-5 TC | 6-7 ST | 8 SIL supplement | 9 selected altitude type (0 MCP/FCU, 1 FMS)
//!  | 10-20 selected altitude | 21-29 barometric pressure setting | 30 heading status
//!  | 31-39 selected heading | 40-43 NACp | 44 NIC-baro | 45-46 SIL | 47 mode bits status
//!  | 48 autopilot | 49 VNAV | 50 altitude hold | 51 reserved | 52 approach | 53 TCAS operational
//!  | 54 LNAV | 55-56 reserved
//! ```
//!
//! Selected altitude: 0 = no data, else (value − 1) × 32 ft. Pressure setting: 0 = no data,
//! else 800 + (value − 1) × 0.8 mbar. Heading: 9 bits (sign then 8) × 180/256 degrees.
//! Subtype 0 (version 1 target state, DO-260A) is not decoded.

use crate::decode::{bit, bits};

/// Autopilot modes, sent when ME bit 47 says they are populated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetModes {
    /// Autopilot engaged.
    pub autopilot: bool,
    /// Vertical navigation mode active.
    pub vnav: bool,
    /// Altitude hold mode active.
    pub altitude_hold: bool,
    /// Approach mode active.
    pub approach: bool,
    /// Lateral navigation mode active.
    pub lnav: bool,
}

/// A target state and status message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetState {
    /// Selected altitude, feet.
    pub selected_altitude_ft: Option<i32>,
    /// Whether the selected altitude comes from the FMS (otherwise MCP/FCU).
    pub selected_altitude_fms: bool,
    /// Barometric pressure setting, millibars.
    pub baro_setting_mbar: Option<f64>,
    /// Selected heading, degrees.
    pub selected_heading_deg: Option<f64>,
    /// Navigation accuracy category for position, 0–15.
    pub nac_p: u8,
    /// NIC-baro: barometric altitude cross-checked.
    pub nic_baro: bool,
    /// Source integrity level, 0–3.
    pub sil: u8,
    /// Autopilot modes, when populated.
    pub modes: Option<TargetModes>,
    /// TCAS/ACAS operational.
    pub tcas_operational: bool,
}

#[inline]
pub(crate) fn decode(me: u64) -> Option<TargetState> {
    if bits(me, 6, 2) != 1 {
        return None;
    }
    let alt = bits(me, 10, 11);
    let baro = bits(me, 21, 9);
    let heading = bits(me, 31, 9);
    Some(TargetState {
        selected_altitude_ft: (alt != 0).then(|| (alt as i32 - 1) * 32),
        selected_altitude_fms: bit(me, 9),
        baro_setting_mbar: (baro != 0).then(|| 800.0 + f64::from(baro - 1) * 0.8),
        selected_heading_deg: bit(me, 30).then(|| f64::from(heading) * (180.0 / 256.0)),
        nac_p: bits(me, 40, 4) as u8,
        nic_baro: bit(me, 44),
        sil: bits(me, 45, 2) as u8,
        modes: bit(me, 47).then(|| TargetModes {
            autopilot: bit(me, 48),
            vnav: bit(me, 49),
            altitude_hold: bit(me, 50),
            approach: bit(me, 52),
            lnav: bit(me, 54),
        }),
        tcas_operational: bit(me, 53),
    })
}
