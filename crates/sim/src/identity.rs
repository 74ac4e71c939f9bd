//! Vessel and aircraft identities: MMSIs with real MIDs, IMO numbers with a valid check
//! digit, names and call signs; ICAO 24-bit addresses from the right national blocks, flight
//! call signs and Mode A codes.
//!
//! **MIDs.** An MMSI of a ship station is `MIDXXXXXX` (ITU-R M.585-9, Annex 1 §1), the
//! Maritime Identification Digits naming the flag. The MIDs below are taken from the ITU
//! "Table of Maritime Identification Digits" (ITU MARS,
//! <https://www.itu.int/en/ITU-R/terrestrial/fmd/Pages/mid.aspx>): Panama 351–357 and
//! 370–373, Liberia 636–637, Marshall Islands 538, Hong Kong 477, Singapore 563–566, China
//! 412–414, Taiwan 416, Japan 431–432, Korea 440–441, Greece 237 and 239–241, Malta 215, 229,
//! 248, 249 and 256, the Philippines 548, Viet Nam 574, the Bahamas 308, 309 and 311. The
//! weights of the merchant flags are Kuroshio's rough reading of flag shares in East Asian
//! trades (open registries first), not a statistic.
//!
//! **IMO numbers.** Seven digits, the last a check digit: the first six digits multiplied by
//! 7, 6, 5, 4, 3 and 2, summed, and the last digit of the sum is the check digit (IMO
//! Resolution A.1117(30), Annex, §4). Generated numbers are in 9,100,000–9,899,999, the range
//! of ships built in the last decades; they are not looked up, so one may coincide with a real
//! ship's.
//!
//! **Names.** Merchant names are two words from neutral lists (`PACIFIC HARMONY`), fishing
//! boats follow the pattern of their flag (`MIN SHI YU 06123` for a Fujian boat, `SHENG FA
//! NO.12` for a Taiwanese one). They are invented.
//!
//! **Aircraft addresses.** ICAO allocates the 24-bit aircraft addresses to States in blocks
//! (ICAO Annex 10 Vol III, Part I, Chapter 9, Appendix to Chapter 9, Table 9-1, "Allocation of
//! aircraft addresses to States"): China 0x780000–0x7BFFFF (Hong Kong's registered aircraft
//! take addresses from it), Japan 0x840000–0x87FFFF, the Republic of Korea
//! 0x718000–0x71FFFF, the Philippines 0x758000–0x75FFFF, and the block used by aircraft
//! registered in Taiwan, 0x899000–0x8993FF. Addresses are drawn at random inside the block of
//! the airline's State, so one may coincide with a real aircraft's.
//!
//! **Flights.** Call signs are the airline's ICAO three-letter designator (ICAO Doc 8585) and a
//! flight number (`EVA123`, `CAL502`, `ANA1234`); numbers are invented. Mode A codes are four
//! random octal digits, avoiding the special-purpose codes 7500, 7600 and 7700 (Annex 10
//! Vol IV §2.1.4.2) and the conspicuity codes 1200, 2000 and 7000.

use crate::rng::Rng;

/// A flag and its MIDs, with a weight for merchant ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// ISO 3166 alpha-2 code of the flag state or territory.
    pub country: &'static str,
    /// Its MIDs (ITU Table of Maritime Identification Digits).
    pub mids: &'static [u16],
    /// Relative weight among merchant ships.
    pub merchant_weight: u32,
}

/// Flags of the merchant fleet.
pub const MERCHANT_FLAGS: [Flag; 14] = [
    Flag {
        country: "PA",
        mids: &[351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373],
        merchant_weight: 18,
    },
    Flag { country: "LR", mids: &[636, 637], merchant_weight: 14 },
    Flag { country: "MH", mids: &[538], merchant_weight: 12 },
    Flag { country: "HK", mids: &[477], merchant_weight: 11 },
    Flag { country: "SG", mids: &[563, 564, 565, 566], merchant_weight: 9 },
    Flag { country: "CN", mids: &[412, 413, 414], merchant_weight: 10 },
    Flag { country: "TW", mids: &[416], merchant_weight: 6 },
    Flag { country: "JP", mids: &[431, 432], merchant_weight: 5 },
    Flag { country: "KR", mids: &[440, 441], merchant_weight: 4 },
    Flag { country: "GR", mids: &[237, 239, 240, 241], merchant_weight: 3 },
    Flag { country: "MT", mids: &[215, 229, 248, 249, 256], merchant_weight: 3 },
    Flag { country: "PH", mids: &[548], merchant_weight: 2 },
    Flag { country: "VN", mids: &[574], merchant_weight: 2 },
    Flag { country: "BS", mids: &[308, 309, 311], merchant_weight: 1 },
];

/// The IMO check digit of a six-digit base (IMO Resolution A.1117(30)).
pub fn imo_check_digit(base: u32) -> u32 {
    let mut sum = 0;
    let mut rest = base;
    // Digits from the last (weight 2) to the first (weight 7).
    for weight in 2..=7 {
        sum += (rest % 10) * weight;
        rest /= 10;
    }
    sum % 10
}

/// Whether a seven-digit IMO number has a valid check digit.
pub fn imo_is_valid(imo: u32) -> bool {
    (1_000_000..=9_999_999).contains(&imo) && imo_check_digit(imo / 10) == imo % 10
}

/// A random IMO number with a valid check digit.
pub fn random_imo(rng: &mut Rng) -> u32 {
    let base = 910_000 + rng.below(80_000) as u32;
    base * 10 + imo_check_digit(base)
}

/// A ship-station MMSI `MIDXXXXXX` whose last six digits are drawn from `rng`, avoiding a
/// trailing `000` (which ITU-R M.585 reserves for stations that may use short MMSIs).
pub fn random_mmsi(rng: &mut Rng, mid: u16) -> u32 {
    let mut tail = rng.below(1_000_000) as u32;
    if tail % 1000 == 0 {
        tail += 1;
    }
    u32::from(mid) * 1_000_000 + tail
}

/// A merchant flag drawn by weight.
pub fn merchant_flag(rng: &mut Rng) -> &'static Flag {
    let weights: [u32; MERCHANT_FLAGS.len()] =
        std::array::from_fn(|i| MERCHANT_FLAGS[i].merchant_weight);
    &MERCHANT_FLAGS[rng.weighted(&weights)]
}

const FIRST_WORDS: [&str; 16] = [
    "PACIFIC", "ORIENT", "OCEAN", "GOLDEN", "JADE", "PEARL", "SILVER", "EASTERN", "GRAND", "STAR",
    "ROYAL", "BLUE", "NEW", "FORTUNE", "SEA", "CORAL",
];
const SECOND_WORDS: [&str; 16] = [
    "HARMONY", "PIONEER", "GLORY", "SPIRIT", "TRADER", "VENTURE", "EXPRESS", "MERIDIAN", "DAWN",
    "HORIZON", "PRIDE", "BRIDGE", "CROWN", "LOTUS", "SUMMIT", "WAVE",
];

/// A merchant ship name (at most 20 characters, as AIS carries).
pub fn merchant_name(rng: &mut Rng) -> String {
    let a = FIRST_WORDS[rng.below(FIRST_WORDS.len() as u64) as usize];
    let b = SECOND_WORDS[rng.below(SECOND_WORDS.len() as u64) as usize];
    if rng.below(3) == 0 { format!("{a} {b} {}", 1 + rng.below(9)) } else { format!("{a} {b}") }
}

/// A fishing boat name in the pattern of its flag's MID.
pub fn fishing_name(rng: &mut Rng, mid: u16) -> String {
    match mid {
        412..=414 => {
            const PREFIXES: [&str; 4] = ["MIN SHI YU", "MIN LONG YU", "ZHE LING YU", "YUE DONG YU"];
            let p = PREFIXES[rng.below(PREFIXES.len() as u64) as usize];
            format!("{p} {:05}", rng.below(100_000))
        }
        431 | 432 => format!(
            "{} MARU NO.{}",
            ["KAIYO", "SHINEI", "EIKO"][rng.below(3) as usize],
            1 + rng.below(30)
        ),
        _ => {
            const WORDS: [&str; 5] = ["SHENG FA", "XIN FU LONG", "JIN HONG", "DE YI", "HAI WANG"];
            let w = WORDS[rng.below(WORDS.len() as u64) as usize];
            format!("{w} NO.{}", 1 + rng.below(99))
        }
    }
}

/// A call sign of the flag's pattern: letters from the ITU series of the MID's country then
/// digits (invented; only the prefix follows the flag).
pub fn call_sign(rng: &mut Rng, mid: u16) -> String {
    let prefix = match mid {
        412..=414 => "BQ",
        416 => "BR",
        431 | 432 => "JD",
        440 | 441 => "DS",
        477 => "VR",
        563..=566 => "9V",
        351..=357 | 370..=373 => "3E",
        636 | 637 => "A8",
        538 => "V7",
        _ => "XX",
    };
    format!("{prefix}{:04}", rng.below(10_000))
}

/// A block of ICAO 24-bit aircraft addresses (Annex 10 Vol III, Table 9-1; see the module
/// documentation), first and last address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressBlock {
    /// First address of the block.
    pub first: u32,
    /// Last address of the block.
    pub last: u32,
}

/// The address block of aircraft registered in the State or territory `country` (ISO 3166
/// alpha-2; Hong Kong uses China's block); `None` for one not in this table.
pub fn address_block(country: &str) -> Option<AddressBlock> {
    let (first, last) = match country {
        "CN" | "HK" => (0x78_0000, 0x7B_FFFF),
        "JP" => (0x84_0000, 0x87_FFFF),
        "KR" => (0x71_8000, 0x71_FFFF),
        "PH" => (0x75_8000, 0x75_FFFF),
        "TW" => (0x89_9000, 0x89_93FF),
        _ => return None,
    };
    Some(AddressBlock { first, last })
}

/// A random address of `block`.
pub fn random_icao24(rng: &mut Rng, block: AddressBlock) -> u32 {
    block.first + rng.below(u64::from(block.last - block.first) + 1) as u32
}

/// An airline: ICAO designator (Doc 8585), its State and the highest flight number it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Airline {
    /// ICAO three-letter designator.
    pub designator: &'static str,
    /// ISO 3166 alpha-2 code of the airline's State or territory.
    pub country: &'static str,
    /// Highest flight number drawn.
    pub flight_max: u32,
}

/// The airlines of the generated civil traffic (designators from ICAO Doc 8585).
pub const AIRLINES: [Airline; 20] = [
    Airline { designator: "EVA", country: "TW", flight_max: 899 },
    Airline { designator: "CAL", country: "TW", flight_max: 899 },
    Airline { designator: "SJX", country: "TW", flight_max: 899 },
    Airline { designator: "TTW", country: "TW", flight_max: 299 },
    Airline { designator: "MDA", country: "TW", flight_max: 999 },
    Airline { designator: "ANA", country: "JP", flight_max: 1999 },
    Airline { designator: "JAL", country: "JP", flight_max: 999 },
    Airline { designator: "JTA", country: "JP", flight_max: 699 },
    Airline { designator: "APJ", country: "JP", flight_max: 999 },
    Airline { designator: "CES", country: "CN", flight_max: 9999 },
    Airline { designator: "CSN", country: "CN", flight_max: 9999 },
    Airline { designator: "CXA", country: "CN", flight_max: 8999 },
    Airline { designator: "CCA", country: "CN", flight_max: 1999 },
    Airline { designator: "CPA", country: "HK", flight_max: 999 },
    Airline { designator: "HKE", country: "HK", flight_max: 999 },
    Airline { designator: "KAL", country: "KR", flight_max: 999 },
    Airline { designator: "AAR", country: "KR", flight_max: 999 },
    Airline { designator: "JJA", country: "KR", flight_max: 1999 },
    Airline { designator: "PAL", country: "PH", flight_max: 999 },
    Airline { designator: "CEB", country: "PH", flight_max: 999 },
];

/// A flight call sign of `airline`: designator and flight number (at most eight characters,
/// as ADS-B identification carries).
pub fn flight_callsign(rng: &mut Rng, airline: &Airline) -> String {
    format!("{}{}", airline.designator, 1 + rng.below(u64::from(airline.flight_max)))
}

/// A Mode A code (octal digits written as hexadecimal, `0x4521` for 4521) that is neither a
/// special-purpose nor a conspicuity code.
pub fn random_squawk(rng: &mut Rng) -> u16 {
    let code = (0..4).fold(0u16, |acc, _| (acc << 4) | rng.below(8) as u16);
    // Every excluded code ends in 0: the next code up is an ordinary one.
    if matches!(code, 0x7500 | 0x7600 | 0x7700 | 0x1200 | 0x2000 | 0x7000 | 0x0000) {
        code + 1
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_of_published_example() {
        // The example of IMO Resolution A.1117(30): IMO 9074729
        // (9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139 → 9).
        assert_eq!(imo_check_digit(907_472), 9);
        assert!(imo_is_valid(9_074_729));
        assert!(!imo_is_valid(9_074_728));
    }

    #[test]
    fn random_imos_and_mmsis_are_valid() {
        let mut rng = Rng::new(3);
        for _ in 0..1000 {
            assert!(imo_is_valid(random_imo(&mut rng)));
            let m = random_mmsi(&mut rng, 416);
            assert_eq!(m / 1_000_000, 416);
            assert_ne!(m % 1000, 0);
        }
    }

    #[test]
    fn names_fit_ais() {
        let mut rng = Rng::new(5);
        for mid in [412, 416, 431, 351] {
            for _ in 0..100 {
                assert!(fishing_name(&mut rng, mid).len() <= 20);
                assert!(merchant_name(&mut rng).len() <= 20);
            }
        }
    }

    #[test]
    fn aircraft_identities_fit_their_blocks() {
        let mut rng = Rng::new(7);
        for a in &AIRLINES {
            let block = address_block(a.country).unwrap();
            for _ in 0..200 {
                let icao = random_icao24(&mut rng, block);
                assert!((block.first..=block.last).contains(&icao));
                let cs = flight_callsign(&mut rng, a);
                assert!(cs.len() <= 8 && cs.starts_with(a.designator), "{cs}");
            }
        }
        assert_eq!(address_block("TW").unwrap().last - address_block("TW").unwrap().first, 0x3FF);
        for _ in 0..1000 {
            let s = random_squawk(&mut rng);
            assert!(s & 0x8888 == 0 && s != 0x7700 && s != 0x7500 && s != 0x7600);
        }
    }
}
