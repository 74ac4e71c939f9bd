//! Mode S parity: the 24-bit cyclic redundancy check of every downlink frame.
//!
//! The last 24 bits of a Mode S reply are parity bits computed over the preceding 32 or 88
//! bits with the generator polynomial `0x1FFF409` (ICAO Annex 10 Vol IV §3.1.2.3.3:
//! x^24 + x^23 + … + x^10 + x^3 + 1). How the parity field is used depends on the downlink
//! format:
//!
//! - DF 17/18 (extended squitter): PI field, parity alone; the [`residual`] is zero for an
//!   intact frame.
//! - DF 11 (all-call reply): PI field, parity overlaid with the interrogator code (II or SI,
//!   Annex 10 Vol IV §3.1.2.3.3.2); the [`residual`] is that code and fits in 7 bits.
//! - DF 0/4/5/16/20/21: AP field, parity overlaid with the aircraft address; the
//!   [`residual`] *is* the address. A bit error changes the address instead of failing a
//!   check, so such addresses are only as good as the frame (compare them with addresses seen
//!   in checked DF 11/17/18 frames).
//!
//! The CRC runs bytewise from a 256-entry table built at compile time; a 14-byte frame costs
//! 11 table steps. [`correct_single_bit`] repairs one flipped bit in an extended squitter by
//! syndrome lookup (ICAO Doc 9871 §C.2.5 suggests error correction only for DF 17/18 and only
//! for few bits); nothing here calls it implicitly.
//!
//! Deliberately absent: bit-level correction of short frames and of more than one bit (the
//! chance of turning noise into a plausible wrong frame grows quickly with each bit).

/// The generator polynomial, 25 bits with the x^24 term (Annex 10 Vol IV §3.1.2.3.3.1.2).
pub const GENERATOR: u32 = 0x1FF_F409;

/// Bytewise table: the CRC register change caused by each possible top byte.
const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut b = 0usize;
    while b < 256 {
        let mut crc = (b as u32) << 16;
        let mut i = 0;
        while i < 8 {
            crc =
                if crc & 0x80_0000 != 0 { (crc << 1) ^ (GENERATOR & 0xFF_FFFF) } else { crc << 1 };
            i += 1;
        }
        table[b] = crc & 0xFF_FFFF;
        b += 1;
    }
    table
};

/// The 24-bit CRC remainder of `data` (the message bits before the parity field).
#[inline]
pub fn crc24(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in data {
        crc = ((crc << 8) ^ TABLE[(((crc >> 16) as u8) ^ byte) as usize]) & 0xFF_FFFF;
    }
    crc
}

/// The parity residual of a whole frame: the CRC of everything but the last three bytes,
/// XOR the last three bytes.
///
/// Zero for an intact DF 17/18 frame; the interrogator code for DF 11; the aircraft address
/// for DF 0/4/5/16/20/21. Frames shorter than 4 bytes have no parity field and give 0.
#[inline]
pub fn residual(frame: &[u8]) -> u32 {
    let Some(split) = frame.len().checked_sub(3) else { return 0 };
    let (data, parity) = frame.split_at(split);
    let p = (u32::from(parity[0]) << 16) | (u32::from(parity[1]) << 8) | u32::from(parity[2]);
    crc24(data) ^ p
}

/// Bits in a long (112-bit) frame.
const LONG_BITS: usize = 112;

/// Residual caused by a single flipped bit at each position of a long frame; CRC is linear, so
/// the residual of a frame with one error is exactly this syndrome.
const SYNDROMES_LONG: [u32; LONG_BITS] = {
    let mut out = [0u32; LONG_BITS];
    let mut bit = 0;
    while bit < LONG_BITS {
        let mut frame = [0u8; 14];
        frame[bit / 8] = 0x80 >> (bit % 8);
        // Same computation as `residual`, written out for const evaluation.
        let mut crc = 0u32;
        let mut i = 0;
        while i < 11 {
            crc = ((crc << 8) ^ TABLE[(((crc >> 16) as u8) ^ frame[i]) as usize]) & 0xFF_FFFF;
            i += 1;
        }
        let p = ((frame[11] as u32) << 16) | ((frame[12] as u32) << 8) | frame[13] as u32;
        out[bit] = crc ^ p;
        bit += 1;
    }
    out
};

/// Repairs one flipped bit of a 14-byte extended squitter whose [`residual`] is `residual`.
///
/// Returns the corrected bit index (0 = first transmitted bit) when the residual matches a
/// single-bit error outside the first five bits (the DF field: a changed DF would change
/// what the parity means), or `None` when it does not, leaving `frame` untouched.
pub fn correct_single_bit(frame: &mut [u8; 14], residual: u32) -> Option<usize> {
    if residual == 0 {
        return None;
    }
    let bit = SYNDROMES_LONG.iter().position(|&s| s == residual)?;
    if bit < 5 {
        return None;
    }
    frame[bit / 8] ^= 0x80 >> (bit % 8);
    Some(bit)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// Bit-by-bit polynomial division, the textbook form of Annex 10 §3.1.2.3.3, to check the
    /// table-driven version against.
    fn crc_bitwise(data: &[u8]) -> u32 {
        let mut reg = 0u32;
        for &byte in data {
            for i in (0..8).rev() {
                let top = ((reg >> 23) & 1) ^ u32::from((byte >> i) & 1);
                reg = (reg << 1) & 0xFF_FFFF;
                if top == 1 {
                    reg ^= GENERATOR & 0xFF_FFFF;
                }
            }
        }
        reg
    }

    #[test]
    fn table_matches_bitwise_division() {
        let mut x = 0x1234_5678u32;
        for len in 0..14 {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            assert_eq!(crc24(&data), crc_bitwise(&data), "len {len}");
        }
    }

    #[test]
    fn extended_squitter_checks_to_zero() {
        // pyModeS golden_v2.json, DF17 identification of 406B90.
        assert_eq!(residual(&hex("8d406b902015a678d4d220aa4bda")), 0);
        let mut bad = hex("8d406b902015a678d4d220aa4bda");
        bad[6] ^= 0x04;
        assert_ne!(residual(&bad), 0);
    }

    #[test]
    fn address_parity_gives_address() {
        // pyModeS golden_v2.json: DF20 from ABB3BE, DF21 from 400BD7.
        assert_eq!(residual(&hex("a000019910010080f500004315b2")), 0xABB3BE);
        assert_eq!(residual(&hex("a80000238075173a6004d94e810a")), 0x400BD7);
    }

    #[test]
    fn single_bit_errors_are_repaired() {
        let good: [u8; 14] = hex("8d406b902015a678d4d220aa4bda").try_into().unwrap();
        for bit in 5..112 {
            let mut f = good;
            f[bit / 8] ^= 0x80 >> (bit % 8);
            let r = residual(&f);
            assert_eq!(correct_single_bit(&mut f, r), Some(bit));
            assert_eq!(f, good);
        }
        let mut f = good;
        f[0] ^= 0x80;
        let r = residual(&f);
        assert_eq!(correct_single_bit(&mut f, r), None);
    }

    #[test]
    fn syndromes_are_distinct() {
        let mut s = SYNDROMES_LONG.to_vec();
        s.sort_unstable();
        s.dedup();
        assert_eq!(s.len(), LONG_BITS);
    }
}
