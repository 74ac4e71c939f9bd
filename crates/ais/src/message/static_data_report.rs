//! Message 24: static data report, part A and part B (ITU-R M.1371-5 Annex 8 §3.22).
//!
//! Part A:
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 24 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   2 | part number: 0 |
//! |  40 | 120 | name, 20 six-bit characters |
//! | 160 |   8 | spare (sent by some units, not by the standard) |
//!
//! Part B:
//!
//! | bit | len | field |
//! |----:|----:|-------|
//! |   0 |   6 | message type: 24 |
//! |   6 |   2 | repeat indicator |
//! |   8 |  30 | MMSI |
//! |  38 |   2 | part number: 1 |
//! |  40 |   8 | type of ship and cargo |
//! |  48 |  18 | vendor ID: manufacturer, 3 six-bit characters |
//! |  66 |   4 | vendor ID: unit model code |
//! |  70 |  20 | vendor ID: unit serial number |
//! |  90 |  42 | call sign, 7 six-bit characters |
//! | 132 |  30 | dimensions A (9), B (9), C (6), D (6), metres; for an auxiliary craft (MMSI 98MIDxxxx), the mother ship's MMSI |
//! | 162 |   4 | type of electronic position fixing device |
//! | 166 |   2 | spare |
//!
//! Part A is 160 bits (168 accepted, as gpsd does); part B is 168 bits, longer messages decode
//! and their extra bits are ignored. Part numbers 2 and 3 are not defined and are an error.
//! Joining the two parts is the consumer's business (see [`crate::gpsd::GpsdWriter`]).

use super::{Dimensions, header, need};
use crate::bits::{AisText, Payload, SIXBIT_TEXT};
use crate::decode::DecodeError;

/// Length of part A.
const BITS_A: usize = 160;
/// Length of part A when a unit sends the 8 trailing spare bits.
const BITS_A_WITH_SPARE: usize = 168;
/// Length of part B.
const BITS_B: usize = 168;

/// Message 24 part A: the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticDataReportA {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Ship name, raw (20 characters including `@` padding).
    pub ship_name: AisText<20>,
    /// The 8 trailing spare bits, when the message carried them (168-bit form).
    pub spare: Option<u8>,
}

/// Dimensions of a ship, or the mother ship of an auxiliary craft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceOrMothership {
    /// Dimensions from the position reference point.
    Dimensions(Dimensions),
    /// MMSI of the mother ship (the sender is an auxiliary craft, MMSI 98MIDxxxx).
    Mothership {
        /// The mother ship's MMSI.
        mmsi: u32,
    },
}

/// Message 24 part B: ship type, vendor, call sign, dimensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticDataReportB {
    /// Repeat indicator.
    pub repeat: u8,
    /// Source MMSI.
    pub mmsi: u32,
    /// Type of ship and cargo (see [`super::tables::ship_type_text`]).
    pub ship_type: u8,
    /// Manufacturer ID, raw (3 characters).
    pub vendor_id: AisText<3>,
    /// Unit model code.
    pub unit_model: u8,
    /// Unit serial number.
    pub serial_number: u32,
    /// Call sign, raw (7 characters including `@` padding).
    pub call_sign: AisText<7>,
    /// Dimensions, or the mother ship of an auxiliary craft.
    pub reference: ReferenceOrMothership,
    /// Type of electronic position fixing device (see [`super::tables::epfd_text`]).
    pub epfd: u8,
    /// The 2 spare bits at bit 166.
    pub spare: u8,
}

/// Message 24: part A or part B.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticDataReport {
    /// Part A (part number 0).
    A(StaticDataReportA),
    /// Part B (part number 1).
    B(StaticDataReportB),
}

impl StaticDataReport {
    /// Length of part A.
    pub const BITS_A: usize = BITS_A;
    /// Length of part A when a unit sends the 8 trailing spare bits.
    pub const BITS_A_WITH_SPARE: usize = BITS_A_WITH_SPARE;
    /// Length of part B.
    pub const BITS_B: usize = BITS_B;
}

/// Whether `mmsi` is an auxiliary craft associated with a parent ship (98MIDxxxx, ITU-R M.585).
pub fn is_auxiliary_craft(mmsi: u32) -> bool {
    mmsi / 10_000_000 == 98
}

pub(crate) fn decode(p: &Payload) -> Result<StaticDataReport, DecodeError> {
    need(p, 24, 40)?;
    let (repeat, mmsi) = header(p);
    match p.u(38, 2) {
        0 => {
            need(p, 24, BITS_A)?;
            let spare = (p.len_bits() >= BITS_A_WITH_SPARE).then(|| p.u(160, 8) as u8);
            Ok(StaticDataReport::A(StaticDataReportA {
                repeat,
                mmsi,
                ship_name: p.text_raw(40, 20),
                spare,
            }))
        }
        1 => {
            need(p, 24, BITS_B)?;
            let reference = if is_auxiliary_craft(mmsi) {
                ReferenceOrMothership::Mothership { mmsi: p.u(132, 30) as u32 }
            } else {
                ReferenceOrMothership::Dimensions(Dimensions::read(p, 132))
            };
            Ok(StaticDataReport::B(StaticDataReportB {
                repeat,
                mmsi,
                ship_type: p.u(40, 8) as u8,
                vendor_id: p.text_raw(48, 3),
                unit_model: p.u(66, 4) as u8,
                serial_number: p.u(70, 20) as u32,
                call_sign: p.text_raw(90, 7),
                reference,
                epfd: p.u(162, 4) as u8,
                spare: p.u(166, 2) as u8,
            }))
        }
        part => Err(DecodeError::InvalidPartNumber { part: part as u8 }),
    }
}

impl StaticDataReportB {
    /// The whole 42-bit vendor ID field read as 7 six-bit characters, raw: the form of ITU-R
    /// M.1371-3 and earlier, before model and serial number were carved out of it (gpsd prints
    /// this as `vendorid`).
    pub fn vendor_id_legacy(&self) -> AisText<7> {
        let mut s = [0u8; 7];
        let n = self.vendor_id.len().min(3);
        s[..n].copy_from_slice(&self.vendor_id.as_str().as_bytes()[..n]);
        let tail = (u32::from(self.unit_model & 0xf) << 20) | (self.serial_number & 0xf_ffff);
        for (k, c) in s[3..].iter_mut().enumerate() {
            *c = SIXBIT_TEXT[((tail >> (18 - 6 * k)) & 0x3f) as usize];
        }
        let text = std::str::from_utf8(&s[..]).unwrap_or("");
        AisText::from_str_lossy(text)
    }
}
