//! AIS payload decoding and encoding (ITU-R M.1371-5, messages 1 to 27).
//!
//! This crate turns an AIS payload — the armored six-bit field of one or more `!xxVDM`/`!xxVDO`
//! sentences, already framed and reassembled by `kuroshio-nmea` — into typed messages, and back.
//! Values keep the full precision of the wire (positions in 1/10,000 minute, speeds in 1/10
//! knot); "not available" sentinels (heading 511, speed 1023, lon 181°, …) become `None`.
//!
//! It also writes decoded messages as JSON: [`gpsd`] writes exactly what `gpsdecode -u -j`
//! writes, so output can be diffed against gpsd; [`ndjson`] writes Kuroshio's own scaled form.
//!
//! Deliberately absent: sockets, files, clocks and sentence framing. The caller hands in bytes.

pub mod apps;
pub mod bits;
pub mod decode;
pub mod encode;
pub mod gpsd;
pub mod json;
pub mod message;
pub mod ndjson;
pub mod observation;
pub mod stream;

pub use bits::{AisText, BitWriter, Payload, PayloadError};
pub use decode::{DecodeError, decode};
pub use encode::{EncodeError, encode};
pub use message::AisMessage;
