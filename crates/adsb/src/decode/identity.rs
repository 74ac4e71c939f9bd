//! The 13-bit identity (Mode A code, "squawk") field of DF 5/21 and ADS-B TC 28.
//!
//! Layout (Annex 10 Vol IV §3.1.2.6.7.1), bits 20–32 of the reply:
//!
//! ```text
//!  C1 A1 C2 A2 C4 A4  X B1 D1 B2 D2 B4 D4
//! ```
//!
//! The code is four octal digits ABCD, digit A = `A4 A2 A1`, and so on; `X` is unused.

use std::fmt;

/// A Mode A code, kept as four octal digits in the four nibbles of a `u16` (`7700` is
/// `0x7700`), so that its hexadecimal form is the code as people write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Squawk(pub u16);

impl Squawk {
    /// Decodes a 13-bit ID field (only the low 13 bits of `id` are read).
    #[inline]
    pub fn from_id13(id: u32) -> Self {
        let b = |mask: u32| u16::from(id & mask != 0);
        let a = (b(0x80) << 2) | (b(0x200) << 1) | b(0x800);
        let bb = (b(0x02) << 2) | (b(0x08) << 1) | b(0x20);
        let c = (b(0x100) << 2) | (b(0x400) << 1) | b(0x1000);
        let d = (b(0x01) << 2) | (b(0x04) << 1) | b(0x10);
        Squawk((a << 12) | (bb << 8) | (c << 4) | d)
    }

    /// The four digits as ASCII, e.g. `*b"7700"`.
    #[inline]
    pub fn digits(self) -> [u8; 4] {
        let v = self.0;
        [
            b'0' + ((v >> 12) & 7) as u8,
            b'0' + ((v >> 8) & 7) as u8,
            b'0' + ((v >> 4) & 7) as u8,
            b'0' + (v & 7) as u8,
        ]
    }
}

impl fmt::Display for Squawk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        // The digits are ASCII '0'..'7' by construction.
        write!(f, "{}{}{}{}", d[0] as char, d[1] as char, d[2] as char, d[3] as char)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_interleaved_bits() {
        // LAX recording, DF5 28000EAF2C18FC: squawk 7726 (ID field 0x0EAF).
        assert_eq!(Squawk::from_id13(0x0EAF).to_string(), "7726");
        // DF5 280004094F797F: 0224.
        assert_eq!(Squawk::from_id13(0x0409).to_string(), "0224");
        assert_eq!(Squawk::from_id13(0).to_string(), "0000");
    }
}
