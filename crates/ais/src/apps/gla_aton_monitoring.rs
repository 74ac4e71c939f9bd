//! DAC 235 (UK) and 250 (Ireland) FI 10 (message 6): AtoN monitoring data, as registered by
//! the General Lighthouse Authorities of the UK and Ireland (IALA ASM collection).
//!
//! Layout (bit offsets after the FI):
//!
//! | off | bits | field | coding |
//! |----:|----:|---|---|
//! |  0 | 10 | analogue, internal (supply voltage) | 0.05 V steps |
//! | 10 | 10 | analogue, external 1 | 0.05 V steps |
//! | 20 | 10 | analogue, external 2 | 0.05 V steps |
//! | 30 |  2 | RACON status | 0 none, 1 not monitored, 2 operational, 3 error |
//! | 32 |  2 | light status | 0 none or not monitored, 1 on, 2 off, 3 error |
//! | 34 |  1 | alarm (health) | 0 good, 1 alarm |
//! | 35 |  8 | digital inputs (external status) | bit field |
//! | 43 |  1 | off position | |
//! | 44 |  4 | spare | |
//!
//! 48 data bits; as gpsd does, only a message of exactly 136 bits is decoded.

use crate::bits::Payload;
use crate::json::JsonWriter;

const DATA_BITS: usize = 48;

/// AtoN monitoring data (DAC 235/250 FI 10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtonMonitoring {
    /// Internal analogue input (supply voltage), 0.05 V steps.
    pub analogue_internal_v_x20: u16,
    /// External analogue input 1, 0.05 V steps.
    pub analogue_external1_v_x20: u16,
    /// External analogue input 2, 0.05 V steps.
    pub analogue_external2_v_x20: u16,
    /// RACON status: 0 none, 1 not monitored, 2 operational, 3 error.
    pub racon: u8,
    /// Light status: 0 none or not monitored, 1 on, 2 off, 3 error.
    pub light: u8,
    /// Health alarm raised.
    pub alarm: bool,
    /// Digital inputs 7..0.
    pub digital_inputs: u8,
    /// The AtoN is off position.
    pub off_position: bool,
}

impl AtonMonitoring {
    pub(crate) fn decode(p: &Payload, s: usize) -> Option<Self> {
        if p.len_bits() != s + DATA_BITS {
            return None;
        }
        Some(Self {
            analogue_internal_v_x20: p.u(s, 10) as u16,
            analogue_external1_v_x20: p.u(s + 10, 10) as u16,
            analogue_external2_v_x20: p.u(s + 20, 10) as u16,
            racon: p.u(s + 30, 2) as u8,
            light: p.u(s + 32, 2) as u8,
            alarm: p.flag(s + 34),
            digital_inputs: p.u(s + 35, 8) as u8,
            off_position: p.flag(s + 43),
        })
    }

    pub(crate) fn write_gpsd(&self, w: &mut JsonWriter<'_>) {
        w.bool("off_pos", self.off_position);
        w.bool("alarm", self.alarm);
        w.u64("stat_ext", self.digital_inputs.into());
        w.u64("ana_int", self.analogue_internal_v_x20.into());
        w.u64("ana_ext1", self.analogue_external1_v_x20.into());
        w.u64("ana_ext2", self.analogue_external2_v_x20.into());
        w.u64("racon", self.racon.into());
        w.str("racon_text", racon_text(self.racon));
        w.u64("light", self.light.into());
        w.str("light_text", light_text(self.light));
    }

    pub(crate) fn write_ndjson(&self, w: &mut JsonWriter<'_>) {
        w.str("app", "gla_aton_monitoring");
        w.f64_fixed("analogue_internal_v", f64::from(self.analogue_internal_v_x20) * 0.05, 2);
        w.f64_fixed("analogue_external1_v", f64::from(self.analogue_external1_v_x20) * 0.05, 2);
        w.f64_fixed("analogue_external2_v", f64::from(self.analogue_external2_v_x20) * 0.05, 2);
        w.str("racon", racon_text(self.racon));
        w.str("light", light_text(self.light));
        w.bool("alarm", self.alarm);
        w.u64("digital_inputs", self.digital_inputs.into());
        w.bool("off_position", self.off_position);
    }
}

/// RACON status legend, worded as gpsd prints it.
fn racon_text(code: u8) -> &'static str {
    match code {
        0 => "No RACON installed",
        1 => "RACON not monitored",
        2 => "RACON operational",
        _ => "RACON ERROR",
    }
}

/// Light status legend, worded as gpsd prints it.
fn light_text(code: u8) -> &'static str {
    match code {
        0 => "No light or no monitoring",
        1 => "Light ON",
        2 => "Light OFF",
        _ => "Light ERROR",
    }
}
