//! Comm-B (DF 20/21): which register the 56-bit MB field holds, and its content.
//!
//! A Comm-B reply does not say which register (BDS code) it carries: the ground station
//! asked for one, and only it knows which. A receiver that only listens has to infer it, as
//! pyModeS's `bds.infer` does: each register has reserved bits that must be zero, status
//! bits that must be set wherever their field is non-zero, and value ranges real aircraft
//! stay in. Every register whose checks pass is a candidate ([`BdsSet`]); when exactly one
//! passes, it is decoded ([`CommB::register`]). Ambiguous replies are reported as such and
//! never guessed (in the pyModeS golden corpus a tenth of the replies fit two or three
//! registers).
//!
//! Registers checked (ICAO Doc 9871 Appendix A tables, one file each): BDS 1,0 data link
//! capability, 1,7 common usage GICB capability, 2,0 aircraft identification, 3,0 ACAS
//! active resolution advisory, 4,0 selected vertical intention, 4,4 meteorological routine
//! air report, 4,5 meteorological hazard report, 5,0 track and turn report, 6,0 heading and
//! speed report — the set pyModeS `bds.infer(msg, mrar=True)` checks, with the same rules, so
//! that the candidate sets agree with it.
//!
//! Deliberately absent: using other frames of the same aircraft (ADS-B speed and track) to
//! choose between BDS 5,0 and 6,0, which needs per-aircraft state this pure decoder does not
//! keep.

pub mod bds10;
pub mod bds17;
pub mod bds20;
pub mod bds30;
pub mod bds40;
pub mod bds44;
pub mod bds45;
pub mod bds50;
pub mod bds60;

use super::callsign::Callsign;

/// A Comm-B reply's MB field with the inferred register.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommB {
    /// The 56-bit MB field.
    pub mb: u64,
    /// Every register the field is consistent with.
    pub candidates: BdsSet,
    /// The decoded register, when exactly one candidate fits.
    pub register: Option<Bds>,
}

/// A decoded Comm-B register.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bds {
    /// BDS 1,0.
    DataLinkCapability(bds10::DataLinkCapability),
    /// BDS 1,7.
    CommonUsageCapability(bds17::CommonUsageCapability),
    /// BDS 2,0.
    Identification(Callsign),
    /// BDS 3,0.
    ResolutionAdvisory(bds30::ResolutionAdvisory),
    /// BDS 4,0.
    SelectedVerticalIntention(bds40::SelectedVerticalIntention),
    /// BDS 4,4.
    MeteorologicalRoutine(bds44::MeteorologicalRoutine),
    /// BDS 4,5.
    MeteorologicalHazard(bds45::MeteorologicalHazard),
    /// BDS 5,0.
    TrackAndTurn(bds50::TrackAndTurn),
    /// BDS 6,0.
    HeadingAndSpeed(bds60::HeadingAndSpeed),
}

/// A set of Comm-B registers, as a bit set over [`BdsSet::CODES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BdsSet(pub u16);

impl BdsSet {
    /// The registers checked, as BDS codes (`0x40` is BDS 4,0), in ascending order; bit `i`
    /// of the set stands for `CODES[i]`.
    pub const CODES: [u8; 9] = [0x10, 0x17, 0x20, 0x30, 0x40, 0x44, 0x45, 0x50, 0x60];

    /// Number of registers in the set.
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Whether no register fits.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set holds register `code` (e.g. `0x40`).
    pub fn contains(self, code: u8) -> bool {
        Self::CODES.iter().position(|&c| c == code).is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// The BDS codes in the set, ascending.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        Self::CODES
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, c)| c)
    }
}

impl Bds {
    /// The register's BDS code (`0x40` for BDS 4,0).
    pub fn code(&self) -> u8 {
        match self {
            Self::DataLinkCapability(_) => 0x10,
            Self::CommonUsageCapability(_) => 0x17,
            Self::Identification(_) => 0x20,
            Self::ResolutionAdvisory(_) => 0x30,
            Self::SelectedVerticalIntention(_) => 0x40,
            Self::MeteorologicalRoutine(_) => 0x44,
            Self::MeteorologicalHazard(_) => 0x45,
            Self::TrackAndTurn(_) => 0x50,
            Self::HeadingAndSpeed(_) => 0x60,
        }
    }
}

/// Checks `mb` against every register. `altitude_ft` is the AC altitude of a DF 20 reply
/// (`None` for DF 21), used by the BDS 6,0 Mach/airspeed consistency check.
pub(crate) fn decode(mb: u64, altitude_ft: Option<i32>) -> CommB {
    let mut set = 0u16;
    let mut last = None;
    if mb != 0 {
        let mut note = |i: u16, found: Option<Bds>| {
            if let Some(b) = found {
                set |= 1 << i;
                last = Some(b);
            }
        };
        note(0, bds10::check(mb).map(Bds::DataLinkCapability));
        note(1, bds17::check(mb).map(Bds::CommonUsageCapability));
        note(2, bds20::check(mb).map(Bds::Identification));
        note(3, bds30::check(mb).map(Bds::ResolutionAdvisory));
        note(4, bds40::check(mb).map(Bds::SelectedVerticalIntention));
        note(5, bds44::check(mb).map(Bds::MeteorologicalRoutine));
        note(6, bds45::check(mb).map(Bds::MeteorologicalHazard));
        note(7, bds50::check(mb).map(Bds::TrackAndTurn));
        note(8, bds60::check(mb, altitude_ft).map(Bds::HeadingAndSpeed));
    }
    let candidates = BdsSet(set);
    CommB { mb, candidates, register: if candidates.len() == 1 { last } else { None } }
}

/// pyModeS's status check: a field whose status bit `status` is clear must be all zero in
/// bits `first..=last` (1-based). Returns `true` when consistent.
#[inline(always)]
pub(crate) fn status_ok(mb: u64, status: u32, first: u32, last: u32) -> bool {
    super::bit(mb, status) || super::bits(mb, first, last - first + 1) == 0
}

/// A sign-and-magnitude-free two's complement field: `sign` bit, then `len` value bits
/// starting at `first`; returns the signed value.
#[inline(always)]
pub(crate) fn signed(mb: u64, sign: u32, first: u32, len: u32) -> i32 {
    let v = super::bits(mb, first, len) as i32;
    if super::bit(mb, sign) { v - (1 << len) } else { v }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn set_iterates_codes() {
        let s = BdsSet(0b1_1000_0000);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0x50, 0x60]);
        assert!(s.contains(0x50));
        assert!(!s.contains(0x40));
        assert_eq!(s.len(), 2);
    }
}
