//! Partner codes as the three-letter nationalities that ISA ACS 3.0 markings name.
//!
//! ACS 3.0 `permitted_nationalities` and `sharing_scope` use ISO 3166-1 alpha-3 country codes
//! (`JPN`, `TWN`, `USA`). Partner codes are ISO 3166-1 alpha-2 codes (`JP`, `TW`, `US`) or,
//! for a partner outside the table below, its alpha-3 code itself. A code that is neither has
//! no nationality, and nothing marked for it can be written: markings fail closed.

use kuroshio_model::PartnerCode;

/// ISO 3166-1 alpha-2 to alpha-3 for the federation's partners and the states most likely to
/// join it (ISO 3166-1, Country Codes, ISO 3166 Maintenance Agency). Taiwan's entry is the
/// one ISO 3166-1 assigns (TW/TWN).
const ALPHA2_TO_ALPHA3: &[(&str, &str)] = &[
    ("AU", "AUS"),
    ("CA", "CAN"),
    ("DE", "DEU"),
    ("FR", "FRA"),
    ("GB", "GBR"),
    ("IN", "IND"),
    ("JP", "JPN"),
    ("KR", "KOR"),
    ("NZ", "NZL"),
    ("PH", "PHL"),
    ("TW", "TWN"),
    ("US", "USA"),
];

/// The alpha-3 nationality of a partner, if it has one.
pub fn nationality(code: PartnerCode) -> Option<String> {
    let s = code.as_str();
    match s.len() {
        2 => ALPHA2_TO_ALPHA3.iter().find(|(a2, _)| *a2 == s).map(|(_, a3)| (*a3).to_owned()),
        3 => Some(s.to_owned()),
        _ => None,
    }
}

/// The partner code of an alpha-3 nationality: the alpha-2 code when the table has it, else
/// the alpha-3 code itself.
pub fn partner_of(nationality: &str) -> Option<PartnerCode> {
    match ALPHA2_TO_ALPHA3.iter().find(|(_, a3)| *a3 == nationality) {
        Some((a2, _)) => PartnerCode::parse(a2).ok(),
        None => PartnerCode::parse(nationality).ok().filter(|_| nationality.len() == 3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for (a2, a3) in ALPHA2_TO_ALPHA3 {
            let p = PartnerCode::parse(a2).unwrap();
            assert_eq!(nationality(p).as_deref(), Some(*a3));
            assert_eq!(partner_of(a3), Some(p));
        }
        let three = PartnerCode::parse("NLD").unwrap();
        assert_eq!(nationality(three).as_deref(), Some("NLD"));
        assert_eq!(partner_of("NLD"), Some(three));
        assert_eq!(nationality(PartnerCode::parse("XX").unwrap()), None);
    }
}
