//! The ADIZ sectors Taiwan's Ministry of National Defense names in its daily reports on PLA
//! activity (北部, 中部, 西南, 東南, 東部), and the rule that places a position in one.
//!
//! MND draws the sectors on its daily maps without published limits. [`AdizSector::of`] is
//! Kuroshio's approximation of those map areas, not an official division, and the one rule
//! every part of the system uses — the scenario generator's MND-style text, the node's daily
//! report — so their counts are made the same way: a position inside the ROC ADIZ east of the
//! median line is *eastern* east of 122° E; otherwise *northern* north of 24.5° N, *central*
//! from 23° N to 24.5° N, and south of 23° N *south-western* west of 121° E and
//! *south-eastern* east of it.

use serde::{Deserialize, Serialize};

/// An ADIZ sector as MND names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdizSector {
    /// 北部.
    Northern,
    /// 中部.
    Central,
    /// 西南.
    Southwestern,
    /// 東南.
    Southeastern,
    /// 東部.
    Eastern,
}

impl AdizSector {
    /// Every sector, in MND's order.
    pub const ALL: [AdizSector; 5] = [
        AdizSector::Northern,
        AdizSector::Central,
        AdizSector::Southwestern,
        AdizSector::Southeastern,
        AdizSector::Eastern,
    ];

    /// The sector of a position `(lon, lat)` inside the ROC ADIZ east of the median line.
    pub fn of(lon: f64, lat: f64) -> AdizSector {
        if lon >= 122.0 {
            AdizSector::Eastern
        } else if lat >= 24.5 {
            AdizSector::Northern
        } else if lat >= 23.0 {
            AdizSector::Central
        } else if lon < 121.0 {
            AdizSector::Southwestern
        } else {
            AdizSector::Southeastern
        }
    }

    /// The English word, as MND's English releases write it (`southwestern`).
    pub fn name(self) -> &'static str {
        match self {
            AdizSector::Northern => "northern",
            AdizSector::Central => "central",
            AdizSector::Southwestern => "southwestern",
            AdizSector::Southeastern => "southeastern",
            AdizSector::Eastern => "eastern",
        }
    }

    /// The Chinese word, as MND's Chinese releases write it (`西南`).
    pub fn chinese(self) -> &'static str {
        match self {
            AdizSector::Northern => "北部",
            AdizSector::Central => "中部",
            AdizSector::Southwestern => "西南",
            AdizSector::Southeastern => "東南",
            AdizSector::Eastern => "東部",
        }
    }

    /// Reads one Chinese or English sector word as the releases write them (`西南`,
    /// `西南部`, `southwestern`, `SW`).
    pub fn from_word(word: &str) -> Option<AdizSector> {
        let w = word.trim().trim_end_matches('部').trim_end_matches('方').to_ascii_lowercase();
        Some(match w.as_str() {
            "北" | "northern" | "north" | "n" => AdizSector::Northern,
            "中" | "central" | "middle" => AdizSector::Central,
            "西南" | "southwestern" | "southwest" | "sw" => AdizSector::Southwestern,
            "東南" | "southeastern" | "southeast" | "se" => AdizSector::Southeastern,
            "東" | "eastern" | "east" | "e" => AdizSector::Eastern,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_fall_in_the_documented_sectors() {
        assert_eq!(AdizSector::of(121.5, 25.0), AdizSector::Northern);
        assert_eq!(AdizSector::of(119.9, 24.1), AdizSector::Central);
        assert_eq!(AdizSector::of(122.6, 23.4), AdizSector::Eastern);
        assert_eq!(AdizSector::of(118.6, 21.4), AdizSector::Southwestern);
        assert_eq!(AdizSector::of(121.4, 22.0), AdizSector::Southeastern);
        // Edges belong to the sector the rule names first.
        assert_eq!(AdizSector::of(122.0, 21.0), AdizSector::Eastern);
        assert_eq!(AdizSector::of(120.0, 24.5), AdizSector::Northern);
    }

    #[test]
    fn words_read_back() {
        for s in AdizSector::ALL {
            assert_eq!(AdizSector::from_word(s.name()), Some(s));
            assert_eq!(AdizSector::from_word(s.chinese()), Some(s));
        }
        assert_eq!(AdizSector::from_word("SW"), Some(AdizSector::Southwestern));
        assert_eq!(AdizSector::from_word("西"), None);
    }
}
