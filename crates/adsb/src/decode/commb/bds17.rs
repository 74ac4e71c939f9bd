//! BDS 1,7: common usage GICB capability report.
//!
//! MB layout (ICAO Doc 9871 Table A-2-23): bits 1–24 are one flag per register, in this order:
//! 0,5 0,6 0,7 0,8 0,9 0,A 2,0 2,1 4,0 4,1 4,2 4,3 4,4 4,5 4,8 5,0 5,1 5,2 5,3 5,4 5,5 5,6 5,F
//! 6,0; bits 25–56 are reserved (zero).
//!
//! Checks (as pyModeS `is17`): reserved bits zero, and BDS 2,0 supported (every aircraft that
//! answers GICB requests can report its identification).

use crate::decode::{bit, bits};

/// A common usage capability report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommonUsageCapability {
    /// The 24 capability flags, MB bit 1 as the most significant of 24 bits.
    pub flags: u32,
}

impl CommonUsageCapability {
    /// The register codes of the capability flags, in MB bit order.
    pub const REGISTERS: [u8; 24] = [
        0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x20, 0x21, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x48,
        0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x5F, 0x60,
    ];

    /// The register codes reported as supported, in MB bit order.
    pub fn supported(&self) -> impl Iterator<Item = u8> + '_ {
        Self::REGISTERS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.flags & (1 << (23 - i)) != 0)
            .map(|(_, &c)| c)
    }

    /// Whether register `code` is reported as supported.
    pub fn supports(&self, code: u8) -> bool {
        Self::REGISTERS
            .iter()
            .position(|&c| c == code)
            .is_some_and(|i| self.flags & (1 << (23 - i)) != 0)
    }
}

pub(crate) fn check(mb: u64) -> Option<CommonUsageCapability> {
    if bits(mb, 25, 32) != 0 || !bit(mb, 7) {
        return None;
    }
    Some(CommonUsageCapability { flags: bits(mb, 1, 24) })
}
