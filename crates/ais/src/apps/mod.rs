//! Application-specific messages carried in binary messages 6 and 8 (IMO SN.1/Circ.289 and
//! regional DAC/FI registrations).
//!
//! A type 6 or 8 message names its application by a Designated Area Code (DAC) and Function
//! Identifier (FI). For the applications listed in [`Application`] the data bits are decoded into
//! fields; for all others the raw bits stay with the message.

use crate::bits::Payload;
use crate::json::JsonWriter;

/// A decoded application-specific payload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Application {}

/// Decodes the application data of a binary message whose DAC/FI have been read.
///
/// `addressed` is true for message 6 and false for message 8; `data_start` is the bit offset of
/// the first data bit after the FI. Returns `None` for applications this crate does not decode or
/// whose bit length does not fit the application.
pub fn decode(
    _dac: u16,
    _fid: u8,
    _addressed: bool,
    _payload: &Payload,
    _data_start: usize,
) -> Option<Box<Application>> {
    None
}

/// Writes the application's fields with gpsd's names and unscaled units (`gpsdecode -u -j`).
pub fn write_gpsd(app: &Application, _w: &mut JsonWriter<'_>) {
    match *app {}
}

/// Writes the application's fields in Kuroshio's own scaled form.
pub fn write_ndjson(app: &Application, _w: &mut JsonWriter<'_>) {
    match *app {}
}
