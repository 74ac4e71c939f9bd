//! From AIS messages to the domain model's [`Observation`]s.
//!
//! A message becomes an observation of the vessel (or base station, aid to navigation, SAR
//! aircraft) its MMSI names, at the receive time the caller supplies (AIS position reports
//! carry only the UTC second, so the time of reception is the usable timestamp). Positions
//! outside the valid range and "not available" values are left out rather than guessed;
//! messages that say nothing about where or what a station is (acknowledgements, binary
//! messages, channel management, …) give no observation.

use kuroshio_model::{Kinematics, Mmsi, Observation, Position, SourceId, TargetId, Timestamp};

use crate::message::AisMessage;

/// Feet per metre (exact: 1 ft = 0.3048 m, international foot, 1959).
const FT_PER_M: f64 = 1.0 / 0.3048;

/// The observation `msg` makes of its sender, received at `time` through `source`; `None` for
/// messages that carry neither a position nor an identity, and for MMSIs above 999,999,999
/// (the 30-bit field can hold more than nine digits; such values are not station identities).
pub fn observation(msg: &AisMessage, time: Timestamp, source: &SourceId) -> Option<Observation> {
    let mmsi = Mmsi::new(msg.mmsi()).ok()?;
    let mut obs = Observation::new(TargetId::Vessel(mmsi), time, source.clone());
    let position =
        |lon: Option<f64>, lat: Option<f64>| -> Option<Position> { Position::new(lon?, lat?).ok() };
    match msg {
        AisMessage::PositionReport(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
            obs.kinematics = Kinematics {
                speed_knots: m.speed_knots(),
                course_deg: m.course_deg(),
                heading_deg: m.heading_deg.filter(|&h| h < 360).map(f64::from),
                turn_rate_deg_min: m.turn_rate_deg_min(),
                ..Kinematics::default()
            };
        }
        AisMessage::ClassBPosition(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
            obs.kinematics = Kinematics {
                speed_knots: m.speed_knots(),
                course_deg: m.course_deg(),
                heading_deg: m.heading_deg.filter(|&h| h < 360).map(f64::from),
                ..Kinematics::default()
            };
        }
        AisMessage::ClassBExtendedPosition(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
            obs.kinematics = Kinematics {
                speed_knots: m.speed_knots(),
                course_deg: m.course_deg(),
                heading_deg: m.heading_deg.filter(|&h| h < 360).map(f64::from),
                ..Kinematics::default()
            };
            obs.name = text(m.ship_name.trimmed());
        }
        AisMessage::SarAircraftPosition(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
            obs.kinematics = Kinematics {
                // 1023 is "not available" and 1022 "1022 knots or more"; both are None here.
                speed_knots: m.speed_knots.filter(|&s| s < 1022).map(f64::from),
                course_deg: m.course_deg(),
                // 4095 is "not available" (None already); 4094 means "4094 m or higher".
                altitude_ft: m.altitude_m.filter(|&a| a < 4094).map(|a| f64::from(a) * FT_PER_M),
                ..Kinematics::default()
            };
        }
        AisMessage::BaseStationReport(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
        }
        AisMessage::AidToNavigationReport(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
            obs.name = text(m.name.trimmed());
        }
        AisMessage::LongRangeBroadcast(m) => {
            obs.position = position(m.lon_deg(), m.lat_deg());
            obs.kinematics = Kinematics {
                speed_knots: m.speed_knots.map(f64::from),
                course_deg: m.course_deg.filter(|&c| c < 360).map(f64::from),
                ..Kinematics::default()
            };
        }
        AisMessage::StaticVoyageData(m) => {
            obs.name = text(m.ship_name.trimmed());
            obs.callsign = text(m.call_sign.trimmed());
            obs.imo = m.imo;
            obs.ship_type = (m.ship_type != 0).then_some(m.ship_type);
        }
        AisMessage::StaticDataReport(crate::message::StaticDataReport::A(m)) => {
            obs.name = text(m.ship_name.trimmed());
        }
        AisMessage::StaticDataReport(crate::message::StaticDataReport::B(m)) => {
            obs.callsign = text(m.call_sign.trimmed());
            obs.ship_type = (m.ship_type != 0).then_some(m.ship_type);
        }
        _ => return None,
    }
    if obs.position.is_none()
        && obs.name.is_none()
        && obs.callsign.is_none()
        && obs.ship_type.is_none()
    {
        return None;
    }
    Some(obs)
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Payload, decode};

    fn obs(armored: &str) -> Option<Observation> {
        let p = Payload::from_armored(armored.as_bytes(), 0).unwrap();
        let m = decode(&p).unwrap();
        observation(&m, Timestamp::EPOCH, &SourceId::parse("test").unwrap())
    }

    #[test]
    fn position_report_becomes_vessel_observation() {
        // gpsd sample.aivdm, first sentence; gpsd's scaled output (sample.aivdm.js.chk) gives
        // lon -123.395383, lat 48.381633, speed 12.3, course 224.0, heading 215.
        let o = obs("15RTgt0PAso;90TKcjM8h6g208CQ").unwrap();
        assert_eq!(o.target, TargetId::Vessel(Mmsi::new(371_798_000).unwrap()));
        let p = o.position.unwrap();
        assert!(
            (p.lon_deg() + 123.395_383).abs() < 1e-6 && (p.lat_deg() - 48.381_633).abs() < 1e-6
        );
        assert_eq!(o.kinematics.speed_knots, Some(12.3));
        assert_eq!(o.kinematics.course_deg, Some(224.0));
        assert_eq!(o.kinematics.heading_deg, Some(215.0));
    }

    #[test]
    fn not_available_values_stay_out() {
        // gpsd sample.aivdm, second sentence: heading 511 (not available), turn -128.
        let o = obs("16SteH0P00Jt63hHaa6SagvJ087r").unwrap();
        assert_eq!(o.kinematics.heading_deg, None);
        assert_eq!(o.kinematics.turn_rate_deg_min, None);
        assert!(o.position.is_some());
    }
}
