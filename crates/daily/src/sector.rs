//! The ADIZ sectors MND names, and the rule that places a position in one.
//!
//! MND draws the sectors (北部, 中部, 西南, 東南, 東部) on its daily maps without published
//! limits. The rule here is the one `kuroshio-sim` generates its MND-style text with
//! (`crates/sim/src/report.rs`, `Sector::of`), so the node's counts and the generator's are
//! made the same way: a position inside the ROC ADIZ east of the median line is *eastern* east
//! of 122° E; otherwise *northern* north of 24.5° N, *central* from 23° N to 24.5° N, and south
//! of 23° N *south-western* west of 121° E and *south-eastern* east of it. It is Kuroshio's
//! approximation of MND's map areas, not an official division.

use serde::Serialize;

/// An ADIZ sector in MND's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
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

impl Sector {
    /// Every sector, in MND's order.
    pub const ALL: [Sector; 5] = [
        Sector::Northern,
        Sector::Central,
        Sector::Southwestern,
        Sector::Southeastern,
        Sector::Eastern,
    ];

    /// The sector of a position (longitude, latitude in degrees) inside the ADIZ east of the
    /// median line.
    pub fn of(lon: f64, lat: f64) -> Sector {
        if lon >= 122.0 {
            Sector::Eastern
        } else if lat >= 24.5 {
            Sector::Northern
        } else if lat >= 23.0 {
            Sector::Central
        } else if lon < 121.0 {
            Sector::Southwestern
        } else {
            Sector::Southeastern
        }
    }

    /// The snake-case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Sector::Northern => "northern",
            Sector::Central => "central",
            Sector::Southwestern => "southwestern",
            Sector::Southeastern => "southeastern",
            Sector::Eastern => "eastern",
        }
    }

    /// Parses the snake-case name.
    pub fn from_name(name: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy agrees with the generator's rule everywhere on a 0.05° grid over the ADIZ.
    #[test]
    fn agrees_with_the_generator() {
        for i in 0..=200 {
            for j in 0..=200 {
                let lon = 117.0 + f64::from(i) * 0.05;
                let lat = 20.0 + f64::from(j) * 0.05;
                let ours = Sector::of(lon, lat).name();
                let sim = kuroshio_sim::report::Sector::of(lon, lat).english();
                assert_eq!(ours, sim, "{lon},{lat}");
            }
        }
    }
}
