//! Sans-IO Mode S / ADS-B input for the air picture.
//!
//! Receivers that users already run (dump1090, readsb) offer Beast binary, AVR text, raw hex
//! and SBS-1 BaseStation CSV. This crate frames those ([`frame`], [`sbs`]), decodes Mode S
//! downlink formats and ADS-B messages ([`decode`]), and turns compact position reports into
//! latitudes and longitudes ([`cpr`]) with per-aircraft state.
//!
//! Deliberately absent: sockets, files and clocks (time is whatever the input carries, passed
//! in), and tracking beyond what CPR decoding needs.

pub mod cpr;
pub mod crc;
pub mod decode;
pub mod encode;
pub mod frame;
pub mod json;
pub mod sbs;
pub mod stream;
