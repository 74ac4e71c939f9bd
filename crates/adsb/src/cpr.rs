//! Compact Position Reporting (CPR): from the 17-bit encoded latitude and longitude of ADS-B
//! position messages to degrees, and the per-aircraft state that decides which decoding applies.
//!
//! CPR (DO-260B §A.1.7, ICAO Doc 9871 §C.2.6) splits the globe into latitude zones of 6°
//! (even frames, 60 zones) or 360/59° (odd frames, 59 zones) and sends only the position
//! inside the zone, in 17 bits. One frame alone is therefore ambiguous; it becomes a position
//! in one of three ways, each a pure function here:
//!
//! - [`global_airborne`]: an even and an odd frame together fix the zone anywhere on Earth,
//!   provided the two lie in the same longitude-zone band (the same `NL`, see [`nl`]); when
//!   the aircraft crossed a band boundary between them the pair is rejected.
//! - [`local_airborne`] / [`local_surface`]: one frame and a reference known to lie within
//!   half a zone (about 180 NM airborne, 45 NM surface) of the aircraft.
//! - [`global_surface`]: surface frames use zones a quarter the size (90° instead of 360°
//!   wide), so an even/odd pair leaves two latitude and four longitude candidates; the one
//!   nearest a reference (the receiver, or the aircraft's last position) is taken.
//!
//! [`CprState`] applies them per aircraft (keyed by ICAO 24-bit address, bounded by
//! [`CPR_AIRCRAFT_MAX`]): global decoding while the latest even and odd frames are close
//! enough in time, local decoding against the last decoded position while that is fresh, the
//! receiver reference only before the first global fix, and a speed check on every new
//! position. [`encode`] is the inverse (the CPR encoding of DO-260B §A.1.7), used by the
//! property tests and by traffic generators.
//!
//! Units: degrees (latitude positive north, longitude positive east, in `-180..180`),
//! seconds, nautical miles, knots. Deliberately absent: clocks (time is an argument), message
//! decoding (the CPR fields come from [`crate::decode`]), and any tracking beyond what picking
//! the right CPR solution needs.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One CPR-encoded position from an ADS-B airborne or surface position message.
///
/// The 17-bit latitude and longitude fields are as transmitted (DO-260B §2.2.3.2.3 airborne
/// and §2.2.3.2.4 surface position messages); `odd` is the CPR format bit (F); `surface` says
/// whether the message was a surface position (type codes 5–8), which changes the zone sizes.
/// Values above 17 bits are masked to their low 17 bits by every function here.
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

/// 2^17: the CPR fields are fractions of a zone in units of 1/2^17.
const CPR_SCALE: f64 = 131_072.0;
/// Mask of the 17 transmitted bits.
const CPR_MASK: u32 = 0x1_FFFF;
/// Number of latitude zones between the equator and a pole, `NZ` (DO-260B §A.1.7.1).
const NZ: f64 = 15.0;

/// Latitudes (degrees, ascending) at which the number of longitude zones `NL` drops by one:
/// entry `i` is the highest latitude with `NL = 59 - i`. These are the transition latitudes
/// tabulated with DO-260B §A.1.7.2 (and in ICAO Doc 9871 Appendix C), computed from the
/// closed form `lat = acos(sqrt((1 - cos(π/(2·NZ))) / (1 - cos(2π/NL)))) · 180/π`; the unit
/// tests recompute them from that formula.
const NL_TRANSITIONS_DEG: [f64; 58] = [
    10.470_471_299_968_48,
    14.828_174_368_686_79,
    18.186_263_570_713_35,
    21.029_394_926_028_46,
    23.545_044_865_570_71,
    25.829_247_070_587_75,
    27.938_987_101_219_04,
    29.911_356_857_318_08,
    31.772_097_076_810_77,
    33.539_934_362_984_84,
    35.228_995_977_963_85,
    36.850_251_075_935_26,
    38.412_418_924_122_56,
    39.922_566_843_338_61,
    41.386_518_322_602_39,
    42.809_140_122_435_55,
    44.194_549_514_192_74,
    45.546_267_226_602_35,
    46.867_332_524_987_45,
    48.160_391_280_966_22,
    49.427_764_392_556_87,
    50.671_501_655_538_35,
    51.893_424_691_687_68,
    53.095_161_527_960_03,
    54.278_174_722_729,
    55.443_784_444_950_43,
    56.593_187_562_059_18,
    57.727_473_538_661_14,
    58.847_637_761_484_57,
    59.954_592_766_940_29,
    61.049_177_742_463_51,
    62.132_166_592_103_29,
    63.204_274_793_819_28,
    64.266_165_225_674_4,
    65.318_453_096_820_89,
    66.361_710_083_826_17,
    67.396_467_740_846_67,
    68.423_220_220_833_3,
    69.442_426_311_440_24,
    70.454_510_749_876,
    71.459_864_730_289_82,
    72.458_845_447_289_45,
    73.451_774_416_678_65,
    74.438_934_157_251_37,
    75.420_562_566_533_56,
    76.396_843_907_944_69,
    77.367_894_613_281_88,
    78.333_740_829_227_47,
    79.294_282_254_569_25,
    80.249_232_132_805_12,
    81.198_013_492_719_48,
    82.139_569_805_106_06,
    83.071_994_447_198_14,
    83.991_735_629_805_65,
    84.891_661_907_020_85,
    85.755_416_209_444_18,
    86.535_369_975_121,
    87.0,
];

/// The number of longitude zones `NL(lat)` at latitude `lat_deg` (1..=59), DO-260B §A.1.7.2.
///
/// 59 at the equator, 2 at ±87°, 1 beyond. Looked up in the transition-latitude table (a
/// latitude exactly on a transition belongs to the zone band below it, as in the closed-form
/// `floor`). A NaN latitude gives 59.
pub fn nl(lat_deg: f64) -> u32 {
    let a = lat_deg.abs();
    // Binary search over the 58 sorted transitions: no trigonometry per call.
    let below = NL_TRANSITIONS_DEG.partition_point(|&t| t < a);
    // `below` is at most 58, so this never underflows.
    59 - below as u32
}

/// `x mod y` with a result in `[0, y)` for positive `y` (the CPR `MOD` of DO-260B §A.1.7.3).
fn modulo(x: f64, y: f64) -> f64 {
    x - y * (x / y).floor()
}

/// Integer `MOD` with a non-negative result.
fn modulo_i(x: i64, y: i64) -> i64 {
    x.rem_euclid(y)
}

/// Zone width in latitude (degrees) for the given format and zone span.
fn dlat(odd: bool, span_deg: f64) -> f64 {
    span_deg / if odd { 4.0 * NZ - 1.0 } else { 4.0 * NZ }
}

/// Zone span in degrees: 360 airborne, 90 surface.
fn span(surface: bool) -> f64 {
    if surface { 90.0 } else { 360.0 }
}

/// Longitude into `[-180, 180)`.
fn wrap_lon(lon_deg: f64) -> f64 {
    modulo(lon_deg + 180.0, 360.0) - 180.0
}

/// Absolute longitude difference in degrees, taking the short way round (0..=180).
fn lon_diff(a_deg: f64, b_deg: f64) -> f64 {
    wrap_lon(a_deg - b_deg).abs()
}

/// Global decoding of an airborne even/odd pair, DO-260B §A.1.7.3.
///
/// `even` and `odd` are the two frames (their `odd` flags are not consulted: the caller says
/// which is which by position); `latest_is_odd` says which was received last, whose zone the
/// result is given in. Returns `(lat_deg, lon_deg)`, or `None` when the two frames decode
/// into different longitude-zone bands (the aircraft crossed an `NL` boundary between them,
/// so no consistent longitude exists) or the latitude falls outside ±90° (a corrupt pair).
///
/// The caller must make sure the two frames are close in time (10 s is the usual limit): a
/// pair far apart in time can decode into a wrong but plausible-looking position.
pub fn global_airborne(
    even: &CprPosition,
    odd: &CprPosition,
    latest_is_odd: bool,
) -> Option<(f64, f64)> {
    let lat_e_cpr = f64::from(even.lat_cpr & CPR_MASK) / CPR_SCALE;
    let lat_o_cpr = f64::from(odd.lat_cpr & CPR_MASK) / CPR_SCALE;
    let lon_e_cpr = f64::from(even.lon_cpr & CPR_MASK) / CPR_SCALE;
    let lon_o_cpr = f64::from(odd.lon_cpr & CPR_MASK) / CPR_SCALE;

    // Latitude zone index, then the latitude in each format (DO-260B §A.1.7.3.a-b);
    // southern latitudes come out as 270..360.
    let j = (59.0 * lat_e_cpr - 60.0 * lat_o_cpr + 0.5).floor() as i64;
    let fold = |lat: f64| if lat >= 270.0 { lat - 360.0 } else { lat };
    let lat_e = fold(dlat(false, 360.0) * (modulo_i(j, 60) as f64 + lat_e_cpr));
    let lat_o = fold(dlat(true, 360.0) * (modulo_i(j, 59) as f64 + lat_o_cpr));
    let nl_lat = nl(lat_e);
    if nl_lat != nl(lat_o) {
        return None;
    }
    let (lat, lon) = global_lon(nl_lat, lat_e, lat_o, lon_e_cpr, lon_o_cpr, latest_is_odd, 360.0);
    if !(-90.0..=90.0).contains(&lat) {
        return None;
    }
    Some((lat, wrap_lon(lon)))
}

/// Longitude of a global decoding (DO-260B §A.1.7.3.c) in the latest frame's format, with
/// that frame's latitude; `span_deg` is 360 airborne, 90 surface. Longitude not wrapped.
fn global_lon(
    nl_lat: u32,
    lat_e: f64,
    lat_o: f64,
    lon_e_cpr: f64,
    lon_o_cpr: f64,
    latest_is_odd: bool,
    span_deg: f64,
) -> (f64, f64) {
    let nl_lat = i64::from(nl_lat);
    let m = (lon_e_cpr * (nl_lat - 1) as f64 - lon_o_cpr * nl_lat as f64 + 0.5).floor() as i64;
    if latest_is_odd {
        let ni = (nl_lat - 1).max(1);
        (lat_o, span_deg / ni as f64 * (modulo_i(m, ni) as f64 + lon_o_cpr))
    } else {
        let ni = nl_lat.max(1);
        (lat_e, span_deg / ni as f64 * (modulo_i(m, ni) as f64 + lon_e_cpr))
    }
}

/// Global decoding of a surface even/odd pair against a reference, DO-260B §A.1.7.4.
///
/// Surface zones are a quarter of the airborne ones, so the pair fixes the position only
/// within a 90° quadrant: there are two latitude solutions (north and south) and four
/// longitudes 90° apart. The solution nearest `(ref_lat_deg, ref_lon_deg)` is returned; the
/// reference (receiver or last known position) must lie within 45° of the aircraft. `None`
/// when the frames fall in different `NL` bands or an input is not finite.
pub fn global_surface(
    even: &CprPosition,
    odd: &CprPosition,
    latest_is_odd: bool,
    ref_lat_deg: f64,
    ref_lon_deg: f64,
) -> Option<(f64, f64)> {
    if !ref_lat_deg.is_finite() || !ref_lon_deg.is_finite() {
        return None;
    }
    let lat_e_cpr = f64::from(even.lat_cpr & CPR_MASK) / CPR_SCALE;
    let lat_o_cpr = f64::from(odd.lat_cpr & CPR_MASK) / CPR_SCALE;
    let lon_e_cpr = f64::from(even.lon_cpr & CPR_MASK) / CPR_SCALE;
    let lon_o_cpr = f64::from(odd.lon_cpr & CPR_MASK) / CPR_SCALE;
    let j = (59.0 * lat_e_cpr - 60.0 * lat_o_cpr + 0.5).floor() as i64;
    let lat_e_n = dlat(false, 90.0) * (modulo_i(j, 60) as f64 + lat_e_cpr);
    let lat_o_n = dlat(true, 90.0) * (modulo_i(j, 59) as f64 + lat_o_cpr);
    // Northern solution in [0, 90], southern 90° below; take the one nearer the reference
    // (by the latest frame's latitude, which is the one reported).
    let latest_n = if latest_is_odd { lat_o_n } else { lat_e_n };
    let south = (ref_lat_deg - (latest_n - 90.0)).abs() < (ref_lat_deg - latest_n).abs();
    let shift = if south { 90.0 } else { 0.0 };
    let (lat_e, lat_o) = (lat_e_n - shift, lat_o_n - shift);
    let nl_lat = nl(lat_e);
    if nl_lat != nl(lat_o) {
        return None;
    }
    let (lat, lon_base) =
        global_lon(nl_lat, lat_e, lat_o, lon_e_cpr, lon_o_cpr, latest_is_odd, 90.0);
    // Four longitude candidates 90° apart: pick the one nearest the reference.
    let mut lon = wrap_lon(lon_base);
    let mut best = lon_diff(lon, ref_lon_deg);
    for q in 1..4 {
        let cand = wrap_lon(lon_base + 90.0 * f64::from(q));
        let d = lon_diff(cand, ref_lon_deg);
        if d < best {
            best = d;
            lon = cand;
        }
    }
    Some((lat, lon))
}

/// Local decoding of one airborne frame against a reference within 180 NM of the aircraft,
/// DO-260B §A.1.7.5. Returns `(lat_deg, lon_deg)`: the unique solution within half a zone of
/// the reference (so a reference farther away gives a wrong position, not an error). `None`
/// when the reference is not finite or the latitude falls outside ±90°.
pub fn local_airborne(pos: &CprPosition, ref_lat_deg: f64, ref_lon_deg: f64) -> Option<(f64, f64)> {
    local(pos, ref_lat_deg, ref_lon_deg, 360.0)
}

/// Local decoding of one surface frame against a reference within 45 NM of the aircraft
/// (DO-260B §A.1.7.6): as [`local_airborne`] with 90° zones.
pub fn local_surface(pos: &CprPosition, ref_lat_deg: f64, ref_lon_deg: f64) -> Option<(f64, f64)> {
    local(pos, ref_lat_deg, ref_lon_deg, 90.0)
}

fn local(
    pos: &CprPosition,
    ref_lat_deg: f64,
    ref_lon_deg: f64,
    span_deg: f64,
) -> Option<(f64, f64)> {
    if !ref_lat_deg.is_finite() || !ref_lon_deg.is_finite() {
        return None;
    }
    let lat_cpr = f64::from(pos.lat_cpr & CPR_MASK) / CPR_SCALE;
    let lon_cpr = f64::from(pos.lon_cpr & CPR_MASK) / CPR_SCALE;
    let d_lat = dlat(pos.odd, span_deg);
    // Zone index nearest the reference, DO-260B §A.1.7.5.a.
    let j = (ref_lat_deg / d_lat).floor()
        + (0.5 + modulo(ref_lat_deg, d_lat) / d_lat - lat_cpr).floor();
    let lat = d_lat * (j + lat_cpr);
    if !(-90.0..=90.0).contains(&lat) {
        return None;
    }
    let ni = (i64::from(nl(lat)) - i64::from(pos.odd)).max(1);
    let d_lon = span_deg / ni as f64;
    let m = (ref_lon_deg / d_lon).floor()
        + (0.5 + modulo(ref_lon_deg, d_lon) / d_lon - lon_cpr).floor();
    let lon = d_lon * (m + lon_cpr);
    Some((lat, wrap_lon(lon)))
}

/// Encodes a position into CPR fields, DO-260B §A.1.7 (airborne, 17 bits) and the surface
/// variant (19-bit encoding of which the 17 transmitted low bits equal a 17-bit encoding over
/// 90° zones). `lat_deg` in `[-90, 90]`, `lon_deg` any finite value.
pub fn encode(lat_deg: f64, lon_deg: f64, odd: bool, surface: bool) -> CprPosition {
    let span_deg = span(surface);
    let d_lat = dlat(odd, span_deg);
    let yz = (CPR_SCALE * modulo(lat_deg, d_lat) / d_lat + 0.5).floor();
    // The latitude as the receiver will reconstruct it decides the longitude zone count.
    let r_lat = d_lat * (yz / CPR_SCALE + (lat_deg / d_lat).floor());
    let ni = (i64::from(nl(r_lat)) - i64::from(odd)).max(1);
    let d_lon = span_deg / ni as f64;
    let xz = (CPR_SCALE * modulo(lon_deg, d_lon) / d_lon + 0.5).floor();
    CprPosition {
        lat_cpr: (yz as i64).rem_euclid(1 << 17) as u32,
        lon_cpr: (xz as i64).rem_euclid(1 << 17) as u32,
        odd,
        surface,
    }
}

/// Great-circle distance in nautical miles between two positions in degrees (the model's
/// haversine on the mean Earth radius).
pub fn distance_nm(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    kuroshio_model::haversine_m(lat1_deg, lon1_deg, lat2_deg, lon2_deg)
        / kuroshio_model::METRES_PER_NM
}

/// Most aircraft [`CprState`] tracks at once.
///
/// One receiver hears at most about 1,500 aircraft (the busiest sites in Europe); a merged
/// regional feed a few thousand. 8,192 leaves room for both at about 100 bytes each (under
/// 1 MiB). When full, aircraft idle for longer than [`AIRCRAFT_IDLE_S_MAX`] are dropped, and if
/// none are, the least recently updated one is evicted to make room (counted in
/// [`CprStats::evicted`]).
pub const CPR_AIRCRAFT_MAX: usize = 8_192;

/// An aircraft not heard from for this long (seconds) is dropped first when the state is full:
/// its frames and fix are too old for any decoding by then.
pub const AIRCRAFT_IDLE_S_MAX: f64 = 600.0;

/// Tunable limits of [`CprState`]; [`CprLimits::default`] gives the values documented on each
/// field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CprLimits {
    /// Largest time between an airborne even and odd frame for global decoding: 10 s
    /// (what DO-260B's global decoding assumes; the practice of dump1090, readsb, pyModeS). At
    /// 1,000 kt an aircraft covers 2.8 NM in that time, far less than a zone.
    pub airborne_pair_window_s: f64,
    /// Largest time between a surface even and odd frame for global decoding: 25 s.
    /// DO-260B allows 50 s below 25 kt of ground speed and 25 s above; the state does not
    /// see the speed, so it uses the limit valid at any surface speed.
    pub surface_pair_window_s: f64,
    /// Oldest last position (seconds) used as the reference for local decoding: 180 s. At
    /// the speed limit below that is 50 NM, well inside the 180 NM half zone airborne; at the
    /// surface limit 12.5 NM, inside the 45 NM surface half zone.
    pub local_reference_age_s_max: f64,
    /// Oldest last position (seconds) used to pick the quadrant of a surface pair when no
    /// receiver reference is given: 3,600 s (600 NM at 600 kt, far inside the 45° needed).
    pub surface_quadrant_reference_age_s_max: f64,
    /// Fastest plausible speed between two airborne fixes: 1,000 kt (no civil aircraft flies
    /// faster; faster jumps are decoding errors or spoofing).
    pub airborne_speed_kt_max: f64,
    /// Fastest plausible speed between two surface fixes: 250 kt (the surface movement field
    /// saturates at 175 kt; margin for take-off roll).
    pub surface_speed_kt_max: f64,
    /// Position jitter (NM) always allowed by the speed check, for coarse time stamps
    /// (whole seconds) and equal times: 0.5 NM.
    pub position_slack_nm: f64,
    /// Receiver range (NM) assumed when decoding airborne frames locally against the receiver
    /// before any global fix: 180 NM, half an airborne zone, beyond which local decoding is
    /// ambiguous. A result farther than this from the receiver is rejected.
    pub receiver_range_nm_max: f64,
}

impl Default for CprLimits {
    fn default() -> Self {
        CprLimits {
            airborne_pair_window_s: 10.0,
            surface_pair_window_s: 25.0,
            local_reference_age_s_max: 180.0,
            surface_quadrant_reference_age_s_max: 3_600.0,
            airborne_speed_kt_max: 1_000.0,
            surface_speed_kt_max: 250.0,
            position_slack_nm: 0.5,
            receiver_range_nm_max: 180.0,
        }
    }
}

/// How a position was obtained by [`CprState::decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FixMethod {
    /// Global decoding of an airborne even/odd pair.
    GlobalAirborne,
    /// Global decoding of a surface even/odd pair against a reference.
    GlobalSurface,
    /// Local decoding against the aircraft's last position.
    LocalLast,
    /// Local decoding against the receiver reference (no fix for the aircraft yet).
    LocalReceiver,
}

/// A position decoded by [`CprState::decode`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CprFix {
    /// Latitude in degrees, positive north.
    pub lat_deg: f64,
    /// Longitude in degrees, positive east, in `-180..180`.
    pub lon_deg: f64,
    /// How it was obtained.
    pub method: FixMethod,
}

/// Why [`CprState::decode`] gave no position for a frame. Not all are faults: most frames
/// before an aircraft's first pair simply wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CprReject {
    /// No usable pair, no fresh last position and no usable receiver reference yet.
    #[error("waiting for an even/odd pair or a reference")]
    Waiting,
    /// The pair straddles a longitude-zone band boundary and no fresh last position exists.
    #[error("even and odd frames lie in different longitude-zone bands")]
    ZoneMismatch,
    /// The new position implies a speed above the limit from the last one; the aircraft's
    /// state is reset and waits for a new global pair.
    #[error("position jump faster than the speed limit")]
    ImplausibleSpeed,
    /// A receiver-relative decoding landed beyond the receiver range.
    #[error("position beyond the receiver range")]
    OutOfRange,
    /// Time not finite, or a decoded latitude outside ±90°.
    #[error("invalid time or position")]
    Invalid,
}

impl CprReject {
    /// A stable short `snake_case` name, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            CprReject::Waiting => "waiting",
            CprReject::ZoneMismatch => "zone_mismatch",
            CprReject::ImplausibleSpeed => "implausible_speed",
            CprReject::OutOfRange => "out_of_range",
            CprReject::Invalid => "invalid",
        }
    }
}

/// Counters of [`CprState`], by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CprStats {
    /// Positions from global airborne decoding.
    pub global_airborne: u64,
    /// Positions from global surface decoding.
    pub global_surface: u64,
    /// Positions from local decoding against the aircraft's last position.
    pub local_last: u64,
    /// Positions from local decoding against the receiver.
    pub local_receiver: u64,
    /// Frames that waited for a pair or reference.
    pub waiting: u64,
    /// Pairs rejected for lying in different `NL` bands (without a local fallback).
    pub zone_mismatch: u64,
    /// Positions rejected by the speed check (each resets that aircraft's state).
    pub implausible_speed: u64,
    /// Receiver-relative positions beyond the receiver range.
    pub out_of_range: u64,
    /// Frames with a non-finite time or an impossible decoded latitude.
    pub invalid: u64,
    /// Aircraft dropped to stay within [`CPR_AIRCRAFT_MAX`].
    pub evicted: u64,
}

/// One stored frame and the time it was received.
#[derive(Debug, Clone, Copy)]
struct Stored {
    pos: CprPosition,
    time_s: f64,
}

/// A decoded position and its time.
#[derive(Debug, Clone, Copy)]
struct LastFix {
    lat_deg: f64,
    lon_deg: f64,
    time_s: f64,
    surface: bool,
}

/// What [`CprState`] keeps per aircraft.
#[derive(Debug, Clone, Copy, Default)]
struct Aircraft {
    even: Option<Stored>,
    odd: Option<Stored>,
    last: Option<LastFix>,
    updated_s: f64,
    /// Set when the speed check reset the state: the next position must come from a global
    /// pair, not from the receiver reference.
    needs_global: bool,
}

/// Hasher for 24-bit ICAO addresses: one multiply (Fibonacci hashing). The keys are bounded
/// in number ([`CPR_AIRCRAFT_MAX`]) so a hostile choice of addresses costs at most a slower
/// lookup, never unbounded memory; the default SipHash would double the cost of a lookup.
#[derive(Debug, Default, Clone, Copy)]
struct IcaoHasher(u64);

impl Hasher for IcaoHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// Per-aircraft CPR state: turns each position frame into a position when it can be decoded
/// without ambiguity.
///
/// For each aircraft (keyed by ICAO 24-bit address) it keeps the latest even and the latest
/// odd frame with their times and the last decoded position. For a new frame, in order:
///
/// 1. **Global**: when the frame and the latest frame of the other format are within the
///    pair window ([`CprLimits::airborne_pair_window_s`] or `surface_pair_window_s`), the pair
///    is decoded globally (surface pairs need a reference: the receiver, or the aircraft's
///    last position if not older than `surface_quadrant_reference_age_s_max`).
/// 2. **Local from the last position**: when global decoding is not possible (no pair, or a
///    zone-band mismatch) and the last position is not older than
///    `local_reference_age_s_max`.
/// 3. **Local from the receiver**: airborne frames of an aircraft without any position yet
///    (and not just reset by the speed check), when a receiver reference is given; results
///    beyond `receiver_range_nm_max` are rejected.
///
/// Every new position is checked against the last one: a speed above the limit
/// (`airborne_speed_kt_max`, or `surface_speed_kt_max` when both are surface fixes) rejects it,
/// counts it, and clears the aircraft's frames and position, so that the next position comes
/// from a fresh global pair. Times are seconds on any monotonic scale (Unix seconds usually),
/// passed in; frames arriving with an earlier time than the stored ones are compared by the
/// absolute difference.
#[derive(Debug, Clone)]
pub struct CprState {
    aircraft: HashMap<u32, Aircraft, BuildHasherDefault<IcaoHasher>>,
    limits: CprLimits,
    stats: CprStats,
}

impl Default for CprState {
    fn default() -> Self {
        Self::new()
    }
}

impl CprState {
    /// An empty state with the default [`CprLimits`].
    pub fn new() -> Self {
        Self::with_limits(CprLimits::default())
    }

    /// An empty state with the given limits.
    pub fn with_limits(limits: CprLimits) -> Self {
        CprState { aircraft: HashMap::default(), limits, stats: CprStats::default() }
    }

    /// The limits in force.
    pub fn limits(&self) -> &CprLimits {
        &self.limits
    }

    /// Counters by outcome since creation.
    pub fn stats(&self) -> &CprStats {
        &self.stats
    }

    /// Number of aircraft currently tracked (at most [`CPR_AIRCRAFT_MAX`]).
    pub fn len(&self) -> usize {
        self.aircraft.len()
    }

    /// Whether no aircraft is tracked.
    pub fn is_empty(&self) -> bool {
        self.aircraft.is_empty()
    }

    /// The last decoded position `(lat_deg, lon_deg, time_s)` of an aircraft, if any.
    pub fn last_position(&self, icao24: u32) -> Option<(f64, f64, f64)> {
        self.aircraft.get(&icao24).and_then(|a| a.last).map(|f| (f.lat_deg, f.lon_deg, f.time_s))
    }

    /// Feeds one position frame of aircraft `icao24` received at `time_s`, with the optional
    /// receiver position `reference` (`(lat_deg, lon_deg)`), and returns the decoded
    /// `(lat_deg, lon_deg)` when the frame yields one. See [`CprState::decode`] for why not.
    pub fn update(
        &mut self,
        icao24: u32,
        pos: &CprPosition,
        time_s: f64,
        reference: Option<(f64, f64)>,
    ) -> Option<(f64, f64)> {
        self.decode(icao24, pos, time_s, reference).ok().map(|f| (f.lat_deg, f.lon_deg))
    }

    /// As [`CprState::update`], saying how the position was obtained or why there is none.
    /// Every outcome is counted in [`CprState::stats`].
    pub fn decode(
        &mut self,
        icao24: u32,
        pos: &CprPosition,
        time_s: f64,
        reference: Option<(f64, f64)>,
    ) -> Result<CprFix, CprReject> {
        let result = self.decode_inner(icao24, pos, time_s, reference);
        let s = &mut self.stats;
        match &result {
            Ok(fix) => match fix.method {
                FixMethod::GlobalAirborne => s.global_airborne += 1,
                FixMethod::GlobalSurface => s.global_surface += 1,
                FixMethod::LocalLast => s.local_last += 1,
                FixMethod::LocalReceiver => s.local_receiver += 1,
            },
            Err(CprReject::Waiting) => s.waiting += 1,
            Err(CprReject::ZoneMismatch) => s.zone_mismatch += 1,
            Err(CprReject::ImplausibleSpeed) => s.implausible_speed += 1,
            Err(CprReject::OutOfRange) => s.out_of_range += 1,
            Err(CprReject::Invalid) => s.invalid += 1,
        }
        result
    }

    fn decode_inner(
        &mut self,
        icao24: u32,
        pos: &CprPosition,
        time_s: f64,
        reference: Option<(f64, f64)>,
    ) -> Result<CprFix, CprReject> {
        if !time_s.is_finite() {
            return Err(CprReject::Invalid);
        }
        let reference = reference.filter(|(la, lo)| la.is_finite() && lo.is_finite());
        let pos = CprPosition {
            lat_cpr: pos.lat_cpr & CPR_MASK,
            lon_cpr: pos.lon_cpr & CPR_MASK,
            ..*pos
        };
        let limits = self.limits;
        let ac = self.entry(icao24, time_s);
        ac.updated_s = time_s;
        let stored = Stored { pos, time_s };
        if pos.odd {
            ac.odd = Some(stored);
        } else {
            ac.even = Some(stored);
        }

        let window =
            if pos.surface { limits.surface_pair_window_s } else { limits.airborne_pair_window_s };
        let other = if pos.odd { ac.even } else { ac.odd };
        let pair = other
            .filter(|o| o.pos.surface == pos.surface && (time_s - o.time_s).abs() <= window)
            .map(|o| if pos.odd { (o.pos, pos) } else { (pos, o.pos) });
        let fresh_last =
            ac.last.filter(|l| (time_s - l.time_s).abs() <= limits.local_reference_age_s_max);

        let mut zone_mismatch = false;
        let mut candidate: Option<CprFix> = None;
        if let Some((even, odd)) = pair {
            if pos.surface {
                let quadrant_ref = reference.or_else(|| {
                    ac.last
                        .filter(|l| {
                            (time_s - l.time_s).abs() <= limits.surface_quadrant_reference_age_s_max
                        })
                        .map(|l| (l.lat_deg, l.lon_deg))
                });
                if let Some((rlat, rlon)) = quadrant_ref {
                    match global_surface(&even, &odd, pos.odd, rlat, rlon) {
                        Some((lat, lon)) => {
                            candidate = Some(fix(lat, lon, FixMethod::GlobalSurface));
                        }
                        None => zone_mismatch = true,
                    }
                }
            } else {
                match global_airborne(&even, &odd, pos.odd) {
                    Some((lat, lon)) => candidate = Some(fix(lat, lon, FixMethod::GlobalAirborne)),
                    None => zone_mismatch = true,
                }
            }
        }
        if candidate.is_none() {
            if let Some(last) = fresh_last {
                let local = if pos.surface {
                    local_surface(&pos, last.lat_deg, last.lon_deg)
                } else {
                    local_airborne(&pos, last.lat_deg, last.lon_deg)
                };
                candidate = local.map(|(lat, lon)| fix(lat, lon, FixMethod::LocalLast));
            } else if let (Some((rlat, rlon)), false, None, false) =
                (reference, pos.surface, ac.last, ac.needs_global)
            {
                let Some((lat, lon)) = local_airborne(&pos, rlat, rlon) else {
                    return Err(CprReject::Invalid);
                };
                if distance_nm(lat, lon, rlat, rlon) > limits.receiver_range_nm_max {
                    return Err(CprReject::OutOfRange);
                }
                candidate = Some(fix(lat, lon, FixMethod::LocalReceiver));
            }
        }
        let Some(candidate) = candidate else {
            return Err(if zone_mismatch { CprReject::ZoneMismatch } else { CprReject::Waiting });
        };

        // Speed check against the last fix, whatever its age.
        if let Some(last) = ac.last {
            let speed_max = if last.surface && pos.surface {
                limits.surface_speed_kt_max
            } else {
                limits.airborne_speed_kt_max
            };
            let dt_s = (time_s - last.time_s).abs();
            let allowed_nm = speed_max * dt_s / 3_600.0 + limits.position_slack_nm;
            let moved_nm =
                distance_nm(last.lat_deg, last.lon_deg, candidate.lat_deg, candidate.lon_deg);
            if moved_nm > allowed_nm {
                *ac = Aircraft { updated_s: time_s, needs_global: true, ..Aircraft::default() };
                return Err(CprReject::ImplausibleSpeed);
            }
        }
        ac.last = Some(LastFix {
            lat_deg: candidate.lat_deg,
            lon_deg: candidate.lon_deg,
            time_s,
            surface: pos.surface,
        });
        if matches!(candidate.method, FixMethod::GlobalAirborne | FixMethod::GlobalSurface) {
            ac.needs_global = false;
        }
        Ok(candidate)
    }

    /// The state of `icao24`, created (after making room if full) when absent.
    fn entry(&mut self, icao24: u32, time_s: f64) -> &mut Aircraft {
        if !self.aircraft.contains_key(&icao24) && self.aircraft.len() >= CPR_AIRCRAFT_MAX {
            let before = self.aircraft.len();
            self.aircraft.retain(|_, a| (time_s - a.updated_s).abs() <= AIRCRAFT_IDLE_S_MAX);
            if self.aircraft.len() >= CPR_AIRCRAFT_MAX {
                let oldest = self
                    .aircraft
                    .iter()
                    .min_by(|a, b| a.1.updated_s.total_cmp(&b.1.updated_s))
                    .map(|(&k, _)| k);
                if let Some(k) = oldest {
                    self.aircraft.remove(&k);
                }
            }
            self.stats.evicted += (before - self.aircraft.len()) as u64;
        }
        self.aircraft.entry(icao24).or_default()
    }
}

fn fix(lat_deg: f64, lon_deg: f64, method: FixMethod) -> CprFix {
    CprFix { lat_deg, lon_deg, method }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// The closed-form NL of DO-260B §A.1.7.2.
    fn nl_closed_form(lat: f64) -> u32 {
        let lat = lat.abs();
        if lat == 0.0 {
            return 59;
        }
        if lat == 87.0 {
            return 2;
        }
        if lat > 87.0 {
            return 1;
        }
        let a = 1.0 - (std::f64::consts::PI / (2.0 * NZ)).cos();
        let b = lat.to_radians().cos().powi(2);
        (2.0 * std::f64::consts::PI / (1.0 - a / b).acos()).floor() as u32
    }

    #[test]
    fn nl_table_matches_closed_form() {
        let mut lat = -90.0;
        while lat <= 90.0 {
            assert_eq!(nl(lat), nl_closed_form(lat), "lat {lat}");
            lat += 0.001_3;
        }
        for (i, &t) in NL_TRANSITIONS_DEG.iter().enumerate() {
            assert_eq!(nl(t - 1e-9), 59 - i as u32);
            assert_eq!(nl(t + 1e-9), 58 - i as u32);
        }
        assert_eq!(nl(0.0), 59);
        assert_eq!(nl(87.0), 2);
        assert_eq!(nl(-87.5), 1);
        assert_eq!(nl(f64::NAN), 59);
    }

    #[test]
    fn zone_mismatch_is_rejected() {
        // Even frame just below the 59/58 transition, odd frame just above it.
        let t = NL_TRANSITIONS_DEG[0];
        let even = encode(t - 0.01, 10.0, false, false);
        let odd = encode(t + 0.01, 10.0, true, false);
        assert_eq!(global_airborne(&even, &odd, true), None);
        // Same band: decodes.
        let odd = encode(t - 0.005, 10.0, true, false);
        let (lat, lon) = global_airborne(&even, &odd, true).unwrap();
        assert!((lat - (t - 0.005)).abs() < 1e-4 && (lon - 10.0).abs() < 1e-4);
    }

    #[test]
    fn state_eviction_keeps_the_bound() {
        let mut s = CprState::new();
        let p = encode(40.0, 10.0, false, false);
        for i in 0..(CPR_AIRCRAFT_MAX as u32 + 10) {
            // All within the idle limit: least recently updated goes.
            s.update(i, &p, f64::from(i) * 0.01, None);
        }
        assert_eq!(s.len(), CPR_AIRCRAFT_MAX);
        assert_eq!(s.stats().evicted, 10);
        // The ten oldest are gone.
        assert!(!s.aircraft.contains_key(&0) && !s.aircraft.contains_key(&9));
        assert!(s.aircraft.contains_key(&10));
        // Much later: everything idle goes at once.
        s.update(1 << 24, &p, 10_000.0, None);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn non_finite_inputs_do_not_panic() {
        let mut s = CprState::new();
        let p = encode(40.0, 10.0, false, false);
        assert_eq!(s.decode(1, &p, f64::NAN, None), Err(CprReject::Invalid));
        assert!(local_airborne(&p, f64::NAN, 0.0).is_none());
        assert!(global_surface(&p, &p, false, f64::INFINITY, 0.0).is_none());
        let _ = s.update(1, &p, 0.0, Some((f64::NAN, 1.0)));
        let wild = CprPosition { lat_cpr: u32::MAX, lon_cpr: u32::MAX, odd: true, surface: true };
        let _ = s.update(1, &wild, 1.0, Some((89.9, 179.9)));
        let _ = local_surface(&wild, -90.0, -180.0);
    }
}
