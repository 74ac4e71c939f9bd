//! BDS 4,0: selected vertical intention.
//!
//! MB layout (ICAO Doc 9871 Table A-2-64):
//!
//! ```text
//!  1 status | 2-13 MCP/FCU selected altitude (16 ft) | 14 status | 15-26 FMS selected altitude (16 ft)
//!  | 27 status | 28-39 barometric pressure setting (0.1 mb above 800) | 40-47 reserved (0)
//!  | 48 status | 49-51 MCP/FCU mode bits | 52-53 reserved (0) | 54 status | 55-56 target altitude source
//! ```
//!
//! Checks (as pyModeS `is40`): status bits consistent, reserved bits zero.

use super::status_ok;
use crate::decode::{bit, bits};

/// A selected vertical intention report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SelectedVerticalIntention {
    /// MCP/FCU selected altitude, feet.
    pub selected_altitude_mcp_ft: Option<i32>,
    /// FMS selected altitude, feet.
    pub selected_altitude_fms_ft: Option<i32>,
    /// Barometric pressure setting, millibars.
    pub baro_setting_mbar: Option<f64>,
}

pub(crate) fn check(mb: u64) -> Option<SelectedVerticalIntention> {
    let ok = status_ok(mb, 1, 2, 13)
        && status_ok(mb, 14, 15, 26)
        && status_ok(mb, 27, 28, 39)
        && status_ok(mb, 48, 49, 51)
        && status_ok(mb, 54, 55, 56)
        && bits(mb, 40, 8) == 0
        && bits(mb, 52, 2) == 0;
    if !ok {
        return None;
    }
    Some(SelectedVerticalIntention {
        selected_altitude_mcp_ft: bit(mb, 1).then(|| bits(mb, 2, 12) as i32 * 16),
        selected_altitude_fms_ft: bit(mb, 14).then(|| bits(mb, 15, 12) as i32 * 16),
        baro_setting_mbar: bit(mb, 27).then(|| f64::from(bits(mb, 28, 12)) * 0.1 + 800.0),
    })
}
