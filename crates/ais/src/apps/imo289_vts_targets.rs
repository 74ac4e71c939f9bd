//! DAC 1 FI 17 (message 8): VTS-generated/synthetic targets, IMO SN.1/Circ.289 Annex.
//!
//! The data part is a list of 120-bit target records (offsets within a record):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |   0 |  2 | type of target identifier | 0 MMSI, 1 IMO number, 2 call sign, 3 other |
//! |   2 | 42 | target identifier | MMSI or IMO: 30 bits + 12 spare; call sign or other: 7 six-bit characters |
//! |  44 |  4 | spare | |
//! |  48 | 24 | latitude | 1/1,000 min, two's complement; n/a 91° |
//! |  72 | 25 | longitude | 1/1,000 min, two's complement; n/a 181° |
//! |  97 |  9 | course over ground | degrees; n/a 360 |
//! | 106 |  6 | time stamp | UTC second; n/a 60 |
//! | 112 |  8 | speed over ground | knots; n/a 255 |
//!
//! A record is decoded when its first bit is inside the payload (missing bits read as zero).
//! gpsd uses 122-bit records with a 10-bit speed and reads MMSI/IMO as all 42 bits, so its
//! output differs from this decoder's for this application; the JSON shape is gpsd's.

use super::{
    LAT_NA_MIN_X1000, LON_NA_MIN_X1000, opt_i32, opt_u8, opt_u16, or_na, put_position_x1000, put_u,
};
use crate::bits::{AisText, Payload};
use crate::json::JsonWriter;

/// A 5-slot message 8 (1,008 bits) holds at most (1008 − 56) / 120 = 7 records; more are
/// ignored.
pub const TARGETS_MAX: usize = 7;

const RECORD_BITS: usize = 120;

/// Identity of a VTS target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetId {
    /// MMSI.
    Mmsi(u32),
    /// IMO number.
    Imo(u32),
    /// Call sign.
    Callsign(AisText<7>),
    /// Another identifier.
    Other(AisText<7>),
}

/// One VTS-generated target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VtsTarget {
    /// Target identity.
    pub id: TargetId,
    /// Latitude, 1/1,000 minute.
    pub lat_min_x1000: Option<i32>,
    /// Longitude, 1/1,000 minute.
    pub lon_min_x1000: Option<i32>,
    /// Course over ground, degrees.
    pub course_deg: Option<u16>,
    /// UTC second of the position.
    pub second: Option<u8>,
    /// Speed over ground, knots.
    pub speed_knots: Option<u8>,
}

/// VTS-generated/synthetic targets (DAC 1 FI 17, IMO SN.1/Circ.289).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VtsTargets {
    /// The targets, at most [`TARGETS_MAX`].
    pub targets: Vec<VtsTarget>,
}

impl VtsTargets {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        let mut targets = Vec::new();
        let mut a = s;
        while a < p.len_bits() && targets.len() < TARGETS_MAX {
            let id = match p.u(a, 2) {
                0 => TargetId::Mmsi(p.u(a + 2, 30) as u32),
                1 => TargetId::Imo(p.u(a + 2, 30) as u32),
                2 => TargetId::Callsign(p.text(a + 2, 7)),
                _ => TargetId::Other(p.text(a + 2, 7)),
            };
            targets.push(VtsTarget {
                id,
                lat_min_x1000: opt_i32(p, a + 48, 24, LAT_NA_MIN_X1000),
                lon_min_x1000: opt_i32(p, a + 72, 25, LON_NA_MIN_X1000),
                course_deg: opt_u16(p, a + 97, 9, 360),
                second: opt_u8(p, a + 106, 6, 60),
                speed_knots: opt_u8(p, a + 112, 8, 255),
            });
            a += RECORD_BITS;
        }
        Some(Self { targets })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        let mut num = itoa::Buffer::new();
        w.begin_array("targets");
        for t in &self.targets {
            w.begin_array_object();
            let (code, name) = id_kind(&t.id);
            w.u64("idtype", code);
            w.str("idtype_text", name);
            match &t.id {
                TargetId::Mmsi(v) | TargetId::Imo(v) => w.str(name, num.format(*v)),
                TargetId::Callsign(v) | TargetId::Other(v) => w.str(name, v.as_str()),
            }
            w.i64("lat", or_na(t.lat_min_x1000, LAT_NA_MIN_X1000).into());
            w.i64("lon", or_na(t.lon_min_x1000, LON_NA_MIN_X1000).into());
            w.u64("course", or_na(t.course_deg, 360).into());
            w.u64("second", or_na(t.second, 60).into());
            w.u64("speed", or_na(t.speed_knots, 255).into());
            w.end_object();
        }
        w.end_array();
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "imo289_vts_targets");
        w.begin_array("targets");
        for t in &self.targets {
            w.begin_array_object();
            match &t.id {
                TargetId::Mmsi(v) => w.u64("mmsi", (*v).into()),
                TargetId::Imo(v) => w.u64("imo", (*v).into()),
                TargetId::Callsign(v) => w.str("callsign", v.as_str()),
                TargetId::Other(v) => w.str("other_id", v.as_str()),
            }
            put_position_x1000(w, t.lat_min_x1000, t.lon_min_x1000);
            put_u(w, "course_deg", t.course_deg.filter(|&c| c < 360));
            put_u(w, "second", t.second);
            put_u(w, "speed_knots", t.speed_knots);
            w.end_object();
        }
        w.end_array();
    }
}

fn id_kind(id: &TargetId) -> (u64, &'static str) {
    match id {
        TargetId::Mmsi(_) => (0, "mmsi"),
        TargetId::Imo(_) => (1, "imo"),
        TargetId::Callsign(_) => (2, "callsign"),
        TargetId::Other(_) => (3, "other"),
    }
}
