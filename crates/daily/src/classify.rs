//! What a stored track counts as in the report, inferred from what the store knows of it.
//!
//! The store keeps no "PLA" flag: a track has a key (`vessel:MMSI`, `aircraft:HEX6`,
//! `local:ID`) and whatever identity its feed reported. The rules are those of the web map
//! (`web/src/classify.js`), narrowed to MND's categories, first match wins:
//!
//! - a local (sensor) track with an altitude: a **PLA aircraft** (the node's radar feeds carry
//!   the aircraft that fly without ADS-B);
//! - a local track whose id or name starts with `PLAN`: a **PLAN vessel**;
//! - an AIS vessel of ship type 35 (military operations) with a Chinese MID: a **PLAN vessel**;
//! - an AIS vessel of ship type 55 (law enforcement) or named as a coast guard ship (`HAIJING`,
//!   `CCG`), with a Chinese MID: an **official ship** (MND's 公務船 are the PRC's; Taiwan's own
//!   coast guard, MID 416, is not counted);
//! - anything else (civil AIS, ADS-B aircraft, unknown local tracks): not counted.
//!
//! Ship-type codes: ITU-R M.1371-5, Table 53 (35 military operations, 55 law enforcement);
//! MIDs 412, 413 and 414 are China's in ITU's table of Maritime Identification Digits
//! (<https://www.itu.int/en/ITU-R/terrestrial/fmd/Pages/mid.aspx>).

use kuroshio_model::TargetId;
use kuroshio_store::TrackRow;
use serde::Serialize;

/// What a track counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A PLA aircraft (MND: 共機).
    PlaAircraft,
    /// A PLAN vessel (MND: 共艦).
    PlanVessel,
    /// A PRC official ship (MND: 公務船).
    OfficialShip,
}

/// Chinese Maritime Identification Digits.
const CHINESE_MIDS: [u16; 3] = [412, 413, 414];

fn is_plan_name(s: &str) -> bool {
    let upper = s.trim_start().to_ascii_uppercase();
    upper == "PLAN" || upper.starts_with("PLAN-") || upper.starts_with("PLAN ")
}

fn is_coast_guard_name(s: &str) -> bool {
    s.to_ascii_uppercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "HAIJING" || w == "CCG")
}

/// The category of a track, or `None` when it is not counted.
pub fn categorize(track: &TrackRow) -> Option<Category> {
    let name = track.name.as_deref().unwrap_or("");
    match &track.target {
        TargetId::Local(id) => {
            if track.altitude_ft.is_some() {
                Some(Category::PlaAircraft)
            } else if is_plan_name(id) || is_plan_name(name) {
                Some(Category::PlanVessel)
            } else {
                None
            }
        }
        TargetId::Aircraft(_) => None,
        TargetId::Vessel(mmsi) => {
            let chinese = mmsi.mid().is_some_and(|m| CHINESE_MIDS.contains(&m));
            if !chinese {
                return None;
            }
            match track.ship_type {
                Some(35) => Some(Category::PlanVessel),
                Some(55) => Some(Category::OfficialShip),
                _ if is_coast_guard_name(name) => Some(Category::OfficialShip),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use kuroshio_model::{Icao24, Mmsi, SourceId, Timestamp};

    fn row(target: TargetId) -> TrackRow {
        TrackRow {
            target,
            first_seen: Timestamp::EPOCH,
            last_seen: Timestamp::EPOCH,
            source: SourceId::parse("test").unwrap(),
            position: None,
            position_time: None,
            speed_knots: None,
            course_deg: None,
            heading_deg: None,
            altitude_ft: None,
            name: None,
            callsign: None,
            imo: None,
            ship_type: None,
            aircraft_category: None,
            observations: 1,
        }
    }

    #[test]
    fn follows_the_map_rules() {
        let mut a = row(TargetId::Local("jrp-north-3".into()));
        a.altitude_ft = Some(24_000.0);
        assert_eq!(categorize(&a), Some(Category::PlaAircraft));
        let s = row(TargetId::Local("PLAN-101".into()));
        assert_eq!(categorize(&s), Some(Category::PlanVessel));
        assert_eq!(categorize(&row(TargetId::Local("TW-23-001".into()))), None);
        assert_eq!(categorize(&row(TargetId::Local("PLANET".into()))), None);
        let mut v = row(TargetId::Vessel(Mmsi::new(412_345_678).unwrap()));
        v.ship_type = Some(55);
        assert_eq!(categorize(&v), Some(Category::OfficialShip));
        v.ship_type = Some(35);
        assert_eq!(categorize(&v), Some(Category::PlanVessel));
        v.ship_type = Some(70);
        assert_eq!(categorize(&v), None);
        v.name = Some("HAIJING 2301".into());
        assert_eq!(categorize(&v), Some(Category::OfficialShip));
        // Taiwan's coast guard is not an official ship in MND's sense.
        let mut cga = row(TargetId::Vessel(Mmsi::new(416_001_234).unwrap()));
        cga.ship_type = Some(55);
        assert_eq!(categorize(&cga), None);
        let mut adsb = row(TargetId::Aircraft(Icao24::new(0x8990ab).unwrap()));
        adsb.altitude_ft = Some(35_000.0);
        assert_eq!(categorize(&adsb), None);
    }
}
