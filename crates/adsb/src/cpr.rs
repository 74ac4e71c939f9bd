//! Compact Position Reporting (CPR) decoding (module under construction).

/// One CPR-encoded position from an ADS-B airborne or surface position message.
///
/// The 17-bit latitude and longitude fields are as transmitted (DO-260B §2.2.3.2.3.7,
/// ICAO Doc 9871 §C.2.6); `odd` is the CPR format bit (F), `surface` says whether the
/// message was a surface position (type codes 5–8), which changes the zone sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CprPosition {
    /// Encoded latitude, 17 bits (0..=131071).
    pub lat_cpr: u32,
    /// Encoded longitude, 17 bits (0..=131071).
    pub lon_cpr: u32,
    /// CPR format: `true` for odd frames (F = 1), `false` for even (F = 0).
    pub odd: bool,
    /// `true` for surface position messages (90° zones), `false` for airborne (360°).
    pub surface: bool,
}
