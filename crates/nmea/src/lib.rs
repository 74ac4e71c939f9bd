//! Sans-IO NMEA 0183 framing for AIS feeds.
