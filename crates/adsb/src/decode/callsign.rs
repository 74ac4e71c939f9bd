//! Aircraft identification characters: eight 6-bit characters (ADS-B TC 1–4, Comm-B BDS 2,0).
//!
//! The 6-bit code is a subset of IA-5 (ICAO Annex 10 Vol IV Table 3-9): 1–26 are `A`–`Z`,
//! 32 is space, 48–57 are `0`–`9`; every other value is unassigned and shown as `#`, as
//! pyModeS and rs1090 do.

/// 6-bit code to ASCII; unassigned codes map to `#`.
const CHARSET: [u8; 64] = {
    let mut t = [b'#'; 64];
    let mut i = 1;
    while i <= 26 {
        t[i] = b'A' + (i as u8 - 1);
        i += 1;
    }
    t[32] = b' ';
    let mut d = 0;
    while d < 10 {
        t[48 + d] = b'0' + d as u8;
        d += 1;
    }
    t
};

/// Eight characters of aircraft identification as transmitted (ASCII, spaces kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Callsign(pub [u8; 8]);

impl Callsign {
    /// Decodes the 48 bits at the low end of `bits48`.
    #[inline]
    pub fn from_bits(bits48: u64) -> Self {
        let mut out = [0u8; 8];
        for (i, c) in out.iter_mut().enumerate() {
            *c = CHARSET[((bits48 >> (42 - 6 * i)) & 0x3F) as usize];
        }
        Callsign(out)
    }

    /// The characters without trailing spaces (the usual display form).
    pub fn trimmed(&self) -> &str {
        let end = self.0.iter().rposition(|&c| c != b' ').map_or(0, |p| p + 1);
        // Every byte comes from CHARSET, which is ASCII.
        std::str::from_utf8(&self.0[..end]).unwrap_or("")
    }

    /// Whether any character is an unassigned code (`#`).
    pub fn has_invalid(&self) -> bool {
        self.0.contains(&b'#')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_trims() {
        // pyModeS golden_v2.json: 8d406b902015a678d4d220aa4bda -> "EZY85MH_"; ME bits 9-56.
        let c = Callsign::from_bits(0x15a678d4d220);
        assert_eq!(&c.0, b"EZY85MH ");
        assert_eq!(c.trimmed(), "EZY85MH");
        assert!(!c.has_invalid());
        assert_eq!(Callsign::from_bits(0).trimmed(), "########");
    }
}
