//! Altitude codes: the 13-bit AC field of DF 0/4/16/20 and the 12-bit altitude of ADS-B
//! airborne position messages.
//!
//! AC field layout (Annex 10 Vol IV §3.1.2.6.5.4), bits 20–32 of the reply:
//!
//! ```text
//!  C1 A1 C2 A2 C4 A4  M B1  Q B2 D2 B4 D4
//! ```
//!
//! - all zero: altitude not available;
//! - `M` = 1: metric altitude (not decoded, `None`; no transponder in the recordings uses it);
//! - `Q` = 1: the 11 bits without M and Q are N, altitude = 25 N − 1000 ft;
//! - `Q` = 0: Gillham (Mode C) code in 100 ft steps: `D2 D4 A1 A2 A4 B1 B2 B4` is a Gray code
//!   of 500 ft steps and `C1 C2 C4` a 5-step Gray code of 100 ft steps (ICAO Annex 10 Vol IV
//!   §3.1.1.7.12.2.3), reflected on odd 500 ft steps.
//!
//! The ADS-B altitude (ICAO Doc 9871 §A.2.3.2.3, ME bits 9–20) is the same code without the
//! `M` bit.

/// Mask of the 13-bit AC field.
const AC13_MASK: u32 = 0x1FFF;
/// The `M` (metric) bit of the AC field.
const M_BIT: u32 = 0x40;
/// The `Q` (25 ft) bit of the AC field.
const Q_BIT: u32 = 0x10;

/// Altitude in feet from a 13-bit AC field (only the low 13 bits of `ac` are read).
#[inline]
pub fn ac13_ft(ac: u32) -> Option<i32> {
    let ac = ac & AC13_MASK;
    if ac == 0 || ac & M_BIT != 0 {
        return None;
    }
    if ac & Q_BIT != 0 {
        let n = ((ac & 0x1F80) >> 2) | ((ac & 0x20) >> 1) | (ac & 0x0F);
        return Some(n as i32 * 25 - 1000);
    }
    gillham_ft(ac)
}

/// Altitude in feet from the 12-bit altitude of an ADS-B airborne position message.
#[inline]
pub fn ac12_ft(ac: u32) -> Option<i32> {
    let ac = ac & 0xFFF;
    ac13_ft(((ac & 0xFC0) << 1) | (ac & 0x3F))
}

/// Gray code to binary.
#[inline]
const fn gray_to_binary(mut g: u32) -> u32 {
    let mut shift = g >> 1;
    while shift != 0 {
        g ^= shift;
        shift >>= 1;
    }
    g
}

/// Decodes a Gillham-coded AC field (Q = 0, M = 0).
fn gillham_ft(ac: u32) -> Option<i32> {
    let b = |mask: u32| u32::from(ac & mask != 0);
    let (c1, a1, c2, a2, c4, a4) = (b(0x1000), b(0x800), b(0x400), b(0x200), b(0x100), b(0x80));
    let (b1, b2, d2, b4, d4) = (b(0x20), b(0x08), b(0x04), b(0x02), b(0x01));
    let g500 =
        (d2 << 7) | (d4 << 6) | (a1 << 5) | (a2 << 4) | (a4 << 3) | (b1 << 2) | (b2 << 1) | b4;
    let n500 = gray_to_binary(g500);
    let mut n100 = match gray_to_binary((c1 << 2) | (c2 << 1) | c4) {
        // The C bits take only the five values 001 011 010 110 100.
        0 | 5 | 6 => return None,
        7 => 5,
        n => n,
    };
    if n500 & 1 == 1 {
        n100 = 6 - n100;
    }
    Some(n500 as i32 * 500 + n100 as i32 * 100 - 1300)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_bit_altitudes() {
        // pyModeS golden_v2.json: DF20 a0001117... altitude 26375 ft (AC = 0x1117).
        assert_eq!(ac13_ft(0x1117), Some(26375));
        // LAX recording, DF4 2000108AC6910B: 5300 ft.
        assert_eq!(ac13_ft(0x108A), Some(5300));
        assert_eq!(ac13_ft(0), None);
        assert_eq!(ac13_ft(0x1117 | M_BIT), None);
    }

    #[test]
    fn gillham_altitudes() {
        // Values checked against pyModeS `common.altitude` on the same codes.
        assert_eq!(gillham_ft(0x100), Some(-1200));
        assert_eq!(gillham_ft(0x1002), Some(-700));
        assert_eq!(gillham_ft(0x102), Some(-300));
        assert_eq!(gillham_ft(0x1C80), Some(23100));
        // C bits all zero are invalid.
        assert_eq!(gillham_ft(0x002), None);
    }
}
