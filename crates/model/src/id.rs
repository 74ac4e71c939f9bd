//! Validated identifiers: vessels, aircraft, partners and sources.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// An MMSI is a number of at most nine decimal digits.
    #[error("{value} is not an MMSI (at most 9 decimal digits)")]
    Mmsi {
        /// The rejected value, as given.
        value: String,
    },
    /// An ICAO 24-bit address is six hexadecimal digits.
    #[error("{value:?} is not an ICAO 24-bit address (6 hex digits)")]
    Icao24 {
        /// The rejected value, as given.
        value: String,
    },
    /// A partner code is two or three upper-case ASCII letters.
    #[error("{value:?} is not a partner code (2-3 upper-case letters, e.g. JP, US, TW)")]
    PartnerCode {
        /// The rejected value, as given.
        value: String,
    },
    /// A source id is 1-64 printable ASCII characters without spaces.
    #[error("{value:?} is not a source id (1-64 printable ASCII characters, no spaces)")]
    SourceId {
        /// The rejected value, as given.
        value: String,
    },
}

/// Maritime Mobile Service Identity (ITU-R M.585): the 30-bit station id of AIS, at most nine
/// decimal digits. Leading digits tell the station kind (`00` coast station, `111` SAR aircraft,
/// `970` SART, `99` aid to navigation); the first three digits of a ship MMSI are its MID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Mmsi(u32);

impl Mmsi {
    /// Largest value with nine decimal digits.
    pub const MAX: u32 = 999_999_999;

    /// Validates a numeric MMSI.
    pub fn new(value: u32) -> Result<Self, IdError> {
        if value <= Self::MAX {
            Ok(Self(value))
        } else {
            Err(IdError::Mmsi { value: value.to_string() })
        }
    }

    /// The number.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Maritime Identification Digits (the country code) of a ship station: the first three of
    /// nine digits. `None` for MMSIs of other station kinds (coast stations, SAR aircraft,
    /// AtoN, SART/MOB/EPIRB, handhelds), whose MID sits elsewhere.
    pub fn mid(self) -> Option<u16> {
        let mid = self.0 / 1_000_000;
        (200..=799).contains(&mid).then_some(mid as u16)
    }
}

impl TryFrom<u32> for Mmsi {
    type Error = IdError;
    fn try_from(value: u32) -> Result<Self, IdError> {
        Self::new(value)
    }
}

impl From<Mmsi> for u32 {
    fn from(m: Mmsi) -> u32 {
        m.0
    }
}

impl FromStr for Mmsi {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Mmsi { value: s.to_owned() });
        }
        s.parse::<u32>().map_err(|_| IdError::Mmsi { value: s.to_owned() }).and_then(Self::new)
    }
}

impl fmt::Display for Mmsi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:09}", self.0)
    }
}

/// ICAO 24-bit aircraft address (Annex 10 Vol III), shown as six lower-case hex digits as the
/// ADS-B tools (`traffic`, rs1090, pyModeS) do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Icao24(u32);

impl Icao24 {
    /// Validates a numeric address (must fit in 24 bits).
    pub fn new(value: u32) -> Result<Self, IdError> {
        if value <= 0x00ff_ffff {
            Ok(Self(value))
        } else {
            Err(IdError::Icao24 { value: format!("{value:x}") })
        }
    }

    /// The 24-bit number.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for Icao24 {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(IdError::Icao24 { value: s.to_owned() });
        }
        u32::from_str_radix(s, 16)
            .map_err(|_| IdError::Icao24 { value: s.to_owned() })
            .and_then(Self::new)
    }
}

impl TryFrom<String> for Icao24 {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

impl From<Icao24> for String {
    fn from(a: Icao24) -> String {
        a.to_string()
    }
}

impl fmt::Display for Icao24 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06x}", self.0)
    }
}

/// A partner's code: two or three upper-case letters, by convention the ISO 3166-1 alpha-2 or
/// alpha-3 code of the partner's country (`JP`, `US`, `TW`). Partners themselves are data in a
/// [`crate::PartnerRegistry`], not an enum, so a fourth partner needs no code change.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartnerCode {
    len: u8,
    bytes: [u8; 3],
}

impl PartnerCode {
    /// Validates a code.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let b = s.as_bytes();
        if !(2..=3).contains(&b.len()) || !b.iter().all(u8::is_ascii_uppercase) {
            return Err(IdError::PartnerCode { value: s.to_owned() });
        }
        let mut bytes = [0u8; 3];
        bytes[..b.len()].copy_from_slice(b);
        Ok(Self { len: b.len() as u8, bytes })
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only upper-case ASCII is ever stored.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl FromStr for PartnerCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PartnerCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Self::parse(&s)
    }
}

impl From<PartnerCode> for String {
    fn from(p: PartnerCode) -> String {
        p.as_str().to_owned()
    }
}

impl fmt::Display for PartnerCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for PartnerCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartnerCode({})", self.as_str())
    }
}

/// Names a feed or sensor (`ais-kaohsiung`, `sbs-naha`, or an NMEA tag-block source such as
/// `2573135`): 1-64 printable ASCII characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SourceId(Box<str>);

impl SourceId {
    /// Longest accepted id; long enough for URNs of feeds, short enough to index.
    pub const LEN_MAX: usize = 64;

    /// Validates an id.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if s.is_empty() || s.len() > Self::LEN_MAX || !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(IdError::SourceId { value: s.to_owned() });
        }
        Ok(Self(s.into()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SourceId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Self::parse(&s)
    }
}

impl From<SourceId> for String {
    fn from(s: SourceId) -> String {
        s.0.into()
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mmsi_validation() {
        assert_eq!("371798000".parse::<Mmsi>().unwrap().get(), 371_798_000);
        assert_eq!(Mmsi::new(371_798_000).unwrap().mid(), Some(371));
        assert_eq!(Mmsi::new(3_669_702).unwrap().mid(), None);
        assert_eq!(Mmsi::new(3_669_702).unwrap().to_string(), "003669702");
        assert!(Mmsi::new(1_000_000_000).is_err());
        assert!("12345678a".parse::<Mmsi>().is_err());
        assert!("".parse::<Mmsi>().is_err());
        assert!("1234567890".parse::<Mmsi>().is_err());
        assert!(serde_json::from_str::<Mmsi>("1000000000").is_err());
    }

    #[test]
    fn icao24_validation() {
        let a: Icao24 = "4CA7E8".parse().unwrap();
        assert_eq!(a.get(), 0x4c_a7e8);
        assert_eq!(a.to_string(), "4ca7e8");
        assert!("4ca7e".parse::<Icao24>().is_err());
        assert!("4ca7eg".parse::<Icao24>().is_err());
        assert!(Icao24::new(0x0100_0000).is_err());
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"4ca7e8\"");
    }

    #[test]
    fn partner_code_validation() {
        assert_eq!(PartnerCode::parse("JP").unwrap().as_str(), "JP");
        assert_eq!(PartnerCode::parse("USA").unwrap().as_str(), "USA");
        for bad in ["", "J", "jp", "JPNX", "J1", "日本"] {
            assert!(PartnerCode::parse(bad).is_err(), "{bad}");
        }
        assert!(SourceId::parse("ais feed").is_err());
        assert!(SourceId::parse(&"x".repeat(65)).is_err());
        assert_eq!(SourceId::parse("2573135").unwrap().as_str(), "2573135");
    }
}
