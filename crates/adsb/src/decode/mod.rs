//! Mode S downlink frames to typed values: [`decode`] takes the 7 or 14 bytes of one reply and
//! returns a [`ModeS`], or a [`DecodeError`] saying why not.
//!
//! Formats decoded (ICAO Annex 10 Vol IV §3.1.2, field names as there):
//!
//! | DF | what | file |
//! |----|------|------|
//! | 0, 16 | ACAS air-air surveillance (altitude) | [`acas`] |
//! | 4, 5 | surveillance replies (altitude, identity) | [`surveillance`] |
//! | 11 | all-call reply (address, capability) | [`all_call`] |
//! | 17, 18 | extended squitter: ADS-B, TIS-B, ADS-R | [`adsb`] |
//! | 20, 21 | Comm-B replies, with the MB register inferred | [`commb`] |
//!
//! Parity (see [`crate::crc`]) is checked where the frame allows it: DF 17/18 must check to
//! zero and DF 11 to an interrogator code, or the frame is a [`DecodeError::CrcMismatch`]. For
//! the address/parity formats (DF 0/4/5/16/20/21) the residual is the address, reported as
//! [`Parity::AddressOverlay`]: such a frame cannot be verified alone.
//!
//! Units are those of the standards and of the `traffic`/rs1090 ecosystem: feet, knots,
//! feet per minute, degrees (true unless named magnetic), millibars. Values the frame marks as
//! unavailable are `None`.
//!
//! Decoding is pure, allocation-free and never panics: every field is read with shifts and
//! masks from integers loaded once per frame. Deliberately absent: CPR position decoding (see
//! [`crate::cpr`]), DF 19 (military) and DF 24 (Comm-D ELM) payloads, TCAS resolution
//! advisory contents (DF 16 MV, TC 28 subtype 2, BDS 3,0 beyond its check), and guessing
//! between Comm-B registers when more than one fits (see [`commb`]).

pub mod acas;
pub mod adsb;
pub mod all_call;
pub mod altitude;
pub mod callsign;
pub mod commb;
pub mod identity;
pub mod surveillance;

pub use acas::AirAir;
pub use adsb::{Adsb, EsSource, ExtendedSquitter};
pub use all_call::AllCall;
pub use callsign::Callsign;
pub use commb::{Bds, BdsSet, CommB};
pub use identity::Squawk;
pub use surveillance::{FlightStatus, Surveillance};

use crate::cpr::CprPosition;
use crate::crc;

/// One decoded Mode S reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModeS {
    /// Downlink format, 0–21 (Annex 10 Vol IV §3.1.2.3.2.1.1).
    pub df: u8,
    /// The 24-bit aircraft address: from the AA field (DF 11/17/18) or the address/parity
    /// residual (DF 0/4/5/16/20/21, see [`Parity::AddressOverlay`]). Always present for the
    /// formats decoded here; an `Option` so that formats without one can be added.
    pub icao24: Option<u32>,
    /// What the parity field vouches for.
    pub parity: Parity,
    /// The format-specific content.
    pub content: Content,
}

/// How the parity field of a frame was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parity {
    /// PI field checked to zero (DF 17/18, DF 11 to interrogator code 0).
    Checked,
    /// DF 11 whose PI residual is a non-zero interrogator code (II in the low 4 bits or SI in
    /// the low 6 bits, with the code label above; Annex 10 Vol IV §3.1.2.3.3.2).
    Interrogator(u8),
    /// The address was recovered from the AP field; a corrupted frame yields a wrong address
    /// rather than a failed check.
    AddressOverlay,
}

/// Format-specific content of a [`ModeS`] reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Content {
    /// DF 0: short air-air surveillance (ACAS).
    ShortAirAir(AirAir),
    /// DF 4: surveillance, altitude reply.
    SurveillanceAltitude(Surveillance),
    /// DF 5: surveillance, identity reply.
    SurveillanceIdentity(Surveillance),
    /// DF 11: all-call reply.
    AllCall(AllCall),
    /// DF 16: long air-air surveillance (ACAS), with the MV field.
    LongAirAir(AirAir),
    /// DF 17/18: extended squitter.
    ExtendedSquitter(ExtendedSquitter),
    /// DF 20: Comm-B, altitude reply.
    CommBAltitude(Surveillance, CommB),
    /// DF 21: Comm-B, identity reply.
    CommBIdentity(Surveillance, CommB),
}

/// Why a frame is not a decodable Mode S reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Neither 7 nor 14 bytes (56 or 112 bits).
    #[error("Mode S frames are 7 or 14 bytes, got {len}")]
    BadLength {
        /// Bytes given.
        len: usize,
    },
    /// The frame length does not match its downlink format (DF 0–15 are short, 16–24 long).
    #[error("DF {df} frames are {expected} bytes, got {len}")]
    LengthMismatch {
        /// Downlink format.
        df: u8,
        /// Bytes given.
        len: usize,
        /// Bytes the format has.
        expected: usize,
    },
    /// A downlink format that is not decoded here (unassigned ones, 19 military, 24 Comm-D).
    #[error("downlink format {df} is not decoded")]
    UnknownDf {
        /// Downlink format (24 for every frame starting with bits `11`).
        df: u8,
    },
    /// The parity residual of a DF 11/17/18 frame is not what an intact frame gives.
    #[error("DF {df} parity check failed (residual {residual:06x})")]
    CrcMismatch {
        /// Downlink format.
        df: u8,
        /// The 24-bit residual.
        residual: u32,
    },
}

impl DecodeError {
    /// A stable snake_case name for the kind of error, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::BadLength { .. } => "bad_length",
            Self::LengthMismatch { .. } => "length_mismatch",
            Self::UnknownDf { .. } => "unknown_df",
            Self::CrcMismatch { .. } => "crc_mismatch",
        }
    }
}

/// Bytes in a short (56-bit) frame.
pub const SHORT_BYTES: usize = 7;
/// Bytes in a long (112-bit) frame.
pub const LONG_BYTES: usize = 14;

/// Decodes one Mode S reply of 7 or 14 bytes, checking its parity.
pub fn decode(data: &[u8]) -> Result<ModeS, DecodeError> {
    let len = data.len();
    if len != SHORT_BYTES && len != LONG_BYTES {
        return Err(DecodeError::BadLength { len });
    }
    let first = data[0];
    let df = if first >= 0xC0 { 24 } else { first >> 3 };
    let expected = match df {
        0 | 4 | 5 | 11 => SHORT_BYTES,
        16 | 17 | 18 | 20 | 21 => LONG_BYTES,
        _ => return Err(DecodeError::UnknownDf { df }),
    };
    if len != expected {
        return Err(DecodeError::LengthMismatch { df, len, expected });
    }
    // The first 32 bits: DF and the 27-bit field after it (Annex 10 Vol IV Figure 3-8).
    let head = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    let residual = crc::residual(data);
    if len == SHORT_BYTES {
        return Ok(match df {
            0 => ModeS {
                df,
                icao24: Some(residual),
                parity: Parity::AddressOverlay,
                content: Content::ShortAirAir(acas::decode_head(head)),
            },
            4 => ModeS {
                df,
                icao24: Some(residual),
                parity: Parity::AddressOverlay,
                content: Content::SurveillanceAltitude(surveillance::decode_altitude(head)),
            },
            5 => ModeS {
                df,
                icao24: Some(residual),
                parity: Parity::AddressOverlay,
                content: Content::SurveillanceIdentity(surveillance::decode_identity(head)),
            },
            // DF 11; the match above admits nothing else of this length.
            _ => {
                if residual & !0x7F != 0 {
                    return Err(DecodeError::CrcMismatch { df, residual });
                }
                let parity = if residual == 0 {
                    Parity::Checked
                } else {
                    Parity::Interrogator(residual as u8)
                };
                ModeS {
                    df,
                    icao24: Some(head & 0xFF_FFFF),
                    parity,
                    content: Content::AllCall(all_call::decode_head(head)),
                }
            }
        });
    }
    // The 56-bit ME/MB/MV field, bits 33–88.
    let field =
        u64::from_be_bytes([0, data[4], data[5], data[6], data[7], data[8], data[9], data[10]]);
    Ok(match df {
        16 => ModeS {
            df,
            icao24: Some(residual),
            parity: Parity::AddressOverlay,
            content: Content::LongAirAir(acas::decode_long(head, field)),
        },
        17 | 18 => {
            if residual != 0 {
                return Err(DecodeError::CrcMismatch { df, residual });
            }
            ModeS {
                df,
                icao24: Some(head & 0xFF_FFFF),
                parity: Parity::Checked,
                content: Content::ExtendedSquitter(adsb::decode(df, head, field)),
            }
        }
        20 => {
            let s = surveillance::decode_altitude(head);
            ModeS {
                df,
                icao24: Some(residual),
                parity: Parity::AddressOverlay,
                content: Content::CommBAltitude(s, commb::decode(field, s.altitude_ft)),
            }
        }
        // DF 21; the match above admits nothing else of this length.
        _ => ModeS {
            df,
            icao24: Some(residual),
            parity: Parity::AddressOverlay,
            content: Content::CommBIdentity(
                surveillance::decode_identity(head),
                commb::decode(field, None),
            ),
        },
    })
}

impl ModeS {
    /// Altitude in feet, from whichever field carries one: AC (DF 0/4/16/20) or the ADS-B
    /// airborne position (barometric for TC 9–18, GNSS height for TC 20–22).
    pub fn altitude_ft(&self) -> Option<i32> {
        match &self.content {
            Content::ShortAirAir(a) | Content::LongAirAir(a) => a.altitude_ft,
            Content::SurveillanceAltitude(s) | Content::CommBAltitude(s, _) => s.altitude_ft,
            Content::ExtendedSquitter(es) => match &es.me {
                Adsb::AirbornePosition(p) => p.altitude_ft,
                _ => None,
            },
            _ => None,
        }
    }

    /// The Mode A code, from ID (DF 5/21) or ADS-B aircraft status (TC 28).
    pub fn squawk(&self) -> Option<Squawk> {
        match &self.content {
            Content::SurveillanceIdentity(s) | Content::CommBIdentity(s, _) => s.squawk,
            Content::ExtendedSquitter(es) => match &es.me {
                Adsb::AircraftStatus(st) => st.squawk,
                _ => None,
            },
            _ => None,
        }
    }

    /// The aircraft identification, from ADS-B TC 1–4 or a Comm-B reply that is
    /// unambiguously BDS 2,0.
    pub fn callsign(&self) -> Option<&Callsign> {
        match &self.content {
            Content::ExtendedSquitter(es) => match &es.me {
                Adsb::Identification(id) => Some(&id.callsign),
                _ => None,
            },
            Content::CommBAltitude(_, c) | Content::CommBIdentity(_, c) => match &c.register {
                Some(Bds::Identification(cs)) => Some(cs),
                _ => None,
            },
            _ => None,
        }
    }

    /// The ADS-B airborne velocity (TC 19): ground speed and track or airspeed and heading,
    /// vertical rate.
    pub fn velocity(&self) -> Option<&adsb::AirborneVelocity> {
        match &self.content {
            Content::ExtendedSquitter(es) => match &es.me {
                Adsb::AirborneVelocity(v) => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// The CPR-encoded position of an ADS-B airborne (TC 9–18, 20–22) or surface (TC 5–8)
    /// position message.
    pub fn cpr(&self) -> Option<&CprPosition> {
        match &self.content {
            Content::ExtendedSquitter(es) => match &es.me {
                Adsb::AirbornePosition(p) => Some(&p.cpr),
                Adsb::SurfacePosition(p) => Some(&p.cpr),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Reads `len` bits of a 56-bit field (ME, MB or MV) starting at bit `first`, numbered 1–56
/// from the most significant bit as in the standards' tables.
#[inline(always)]
pub(crate) const fn bits(field: u64, first: u32, len: u32) -> u32 {
    ((field >> (57 - first - len)) & ((1u64 << len) - 1)) as u32
}

/// Reads one bit (numbered 1–56) of a 56-bit field as a flag.
#[inline(always)]
pub(crate) const fn bit(field: u64, n: u32) -> bool {
    (field >> (56 - n)) & 1 == 1
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    pub(crate) fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn bit_reader_numbers_from_one() {
        let f = 0x80_0000_0000_0001u64;
        assert!(bit(f, 1));
        assert!(bit(f, 56));
        assert!(!bit(f, 2));
        assert_eq!(bits(0xE8_0000_0000_0000, 1, 5), 29);
        assert_eq!(bits(0xFF_FFFF_FFFF_FFFF, 9, 12), 0xFFF);
    }

    #[test]
    fn lengths_and_formats_are_checked() {
        assert_eq!(decode(&[]).unwrap_err().kind(), "bad_length");
        assert_eq!(decode(&[0x8d; 13]).unwrap_err().kind(), "bad_length");
        assert_eq!(decode(&hex("8d406b902015a6")).unwrap_err().kind(), "length_mismatch");
        assert_eq!(decode(&hex("0d406b902015a6")).unwrap_err(), DecodeError::UnknownDf { df: 1 });
        // DF 24 (Comm-D) from the LAX recording.
        let e = decode(&hex("C7EA98C0BC4A12610049C89B43B7")).unwrap_err();
        assert_eq!(e, DecodeError::UnknownDf { df: 24 });
        let mut f = hex("8d406b902015a678d4d220aa4bda");
        f[5] ^= 1;
        assert_eq!(decode(&f).unwrap_err().kind(), "crc_mismatch");
    }

    #[test]
    fn all_call_reports_interrogator_code() {
        // LAX recording: DF 11 acquisition squitter from AD5720.
        let m = decode(&hex("5DAD57202809F9")).unwrap();
        assert_eq!(m.icao24, Some(0xAD5720));
        assert_eq!(m.parity, Parity::Checked);
        let Content::AllCall(a) = m.content else { panic!() };
        assert_eq!(a.capability, 5);
    }
}
