//! Names of the enumerated AIS fields, as data.
//!
//! The values and meanings are those of ITU-R M.1371-5 Annex 8; the wording is the one gpsd
//! prints in its `*_text` JSON fields, so that [`crate::gpsd`] output matches `gpsdecode -u -j`.
//! The entries that gpsd's regression output pins down (`sample.aivdm.ju.chk` and `.js.chk`:
//! navigational status 0, 2, 3, 5; EPFD 0, 1, 7, 14; ship types 0, 37, 55, 60, 70; aid types
//! 20, 30; station type 6) are checked by the conformance test; the others follow gpsd's table
//! of the same release line. Values the standard leaves unassigned get its "reserved" wording.

/// Navigational status (messages 1-3 and 27), ITU-R M.1371-5 Annex 8 §3.1.
pub const NAV_STATUS: [&str; 16] = [
    "Under way using engine",
    "At anchor",
    "Not under command",
    "Restricted maneuverability",
    "Constrained by her draught",
    "Moored",
    "Aground",
    "Engaged in fishing",
    "Under way sailing",
    "Reserved for HSC",
    "Reserved for WIG",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Not defined",
];

/// Type of electronic position fixing device (messages 4, 5, 11, 19, 21, 24),
/// ITU-R M.1371-5 Annex 8 §3.2; 9-14 are not used.
pub const EPFD: [&str; 16] = [
    "Undefined",
    "GPS",
    "GLONASS",
    "Combined GPS/GLONASS",
    "Loran-C",
    "Chayka",
    "Integrated navigation system",
    "Surveyed",
    "Galileo",
    "Reserved (9)",
    "Reserved (10)",
    "Reserved (11)",
    "Reserved (12)",
    "Reserved (13)",
    "Reserved (14)",
    "Internal GNSS",
];

/// Type of ship and cargo, first digit and second digit combined (messages 5, 19, 23, 24),
/// ITU-R M.1371-5 Annex 8 §3.3 (identifiers to be used by ships to report their type), values
/// 0-99.
pub const SHIP_TYPE: [&str; 100] = [
    "Not available",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Wing in ground (WIG) - all ships of this type",
    "Wing in ground (WIG) - Hazardous category A",
    "Wing in ground (WIG) - Hazardous category B",
    "Wing in ground (WIG) - Hazardous category C",
    "Wing in ground (WIG) - Hazardous category D",
    "Wing in ground (WIG) - Reserved for future use",
    "Wing in ground (WIG) - Reserved for future use",
    "Wing in ground (WIG) - Reserved for future use",
    "Wing in ground (WIG) - Reserved for future use",
    "Wing in ground (WIG) - Reserved for future use",
    "Fishing",
    "Towing",
    "Towing: length exceeds 200m or breadth exceeds 25m",
    "Dredging or underwater ops",
    "Diving ops",
    "Military ops",
    "Sailing",
    "Pleasure Craft",
    "Reserved",
    "Reserved",
    "High speed craft (HSC) - all ships of this type",
    "High speed craft (HSC) - Hazardous category A",
    "High speed craft (HSC) - Hazardous category B",
    "High speed craft (HSC) - Hazardous category C",
    "High speed craft (HSC) - Hazardous category D",
    "High speed craft (HSC) - Reserved for future use",
    "High speed craft (HSC) - Reserved for future use",
    "High speed craft (HSC) - Reserved for future use",
    "High speed craft (HSC) - Reserved for future use",
    "High speed craft (HSC) - No additional information",
    "Pilot Vessel",
    "Search and Rescue vessel",
    "Tug",
    "Port Tender",
    "Anti-pollution equipment",
    "Law Enforcement",
    "Spare - Local Vessel",
    "Spare - Local Vessel",
    "Medical Transport",
    "Ship according to RR Resolution No. 18",
    "Passenger - all ships of this type",
    "Passenger - Hazardous category A",
    "Passenger - Hazardous category B",
    "Passenger - Hazardous category C",
    "Passenger - Hazardous category D",
    "Passenger - Reserved for future use",
    "Passenger - Reserved for future use",
    "Passenger - Reserved for future use",
    "Passenger - Reserved for future use",
    "Passenger - No additional information",
    "Cargo - all ships of this type",
    "Cargo - Hazardous category A",
    "Cargo - Hazardous category B",
    "Cargo - Hazardous category C",
    "Cargo - Hazardous category D",
    "Cargo - Reserved for future use",
    "Cargo - Reserved for future use",
    "Cargo - Reserved for future use",
    "Cargo - Reserved for future use",
    "Cargo - No additional information",
    "Tanker - all ships of this type",
    "Tanker - Hazardous category A",
    "Tanker - Hazardous category B",
    "Tanker - Hazardous category C",
    "Tanker - Hazardous category D",
    "Tanker - Reserved for future use",
    "Tanker - Reserved for future use",
    "Tanker - Reserved for future use",
    "Tanker - Reserved for future use",
    "Tanker - No additional information",
    "Other Type - all ships of this type",
    "Other Type - Hazardous category A",
    "Other Type - Hazardous category B",
    "Other Type - Hazardous category C",
    "Other Type - Hazardous category D",
    "Other Type - Reserved for future use",
    "Other Type - Reserved for future use",
    "Other Type - Reserved for future use",
    "Other Type - Reserved for future use",
    "Other Type - no additional information",
];

/// Type of aid to navigation (message 21), ITU-R M.1371-5 Annex 8 §3.19 (IALA A-126).
pub const AID_TYPE: [&str; 32] = [
    "Unspecified",
    "Reference point",
    "RACON",
    "Fixed offshore structure",
    "Spare, Reserved for future use.",
    "Light, without sectors",
    "Light, with sectors",
    "Leading Light Front",
    "Leading Light Rear",
    "Beacon, Cardinal N",
    "Beacon, Cardinal E",
    "Beacon, Cardinal S",
    "Beacon, Cardinal W",
    "Beacon, Port hand",
    "Beacon, Starboard hand",
    "Beacon, Preferred Channel port hand",
    "Beacon, Preferred Channel starboard hand",
    "Beacon, Isolated danger",
    "Beacon, Safe water",
    "Beacon, Special mark",
    "Cardinal Mark N",
    "Cardinal Mark E",
    "Cardinal Mark S",
    "Cardinal Mark W",
    "Port hand Mark",
    "Starboard hand Mark",
    "Preferred Channel Port hand",
    "Preferred Channel Starboard hand",
    "Isolated danger",
    "Safe Water",
    "Special Mark",
    "Light Vessel / LANBY / Rigs",
];

/// Station type addressed by a group assignment (message 23), ITU-R M.1371-5 Annex 8 §3.21.
pub const STATION_TYPE: [&str; 16] = [
    "All types of mobiles",
    "Reserved for future use",
    "All types of Class B mobile stations",
    "SAR airborne mobile station",
    "Aid to Navigation station",
    "Class B shipborne mobile station",
    "Regional use and inland waterways",
    "Regional use and inland waterways",
    "Regional use and inland waterways",
    "Regional use and inland waterways",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
    "Reserved for future use",
];

/// Name of a navigational status (values above 15 cannot occur in the 4-bit field).
pub fn nav_status_text(status: u8) -> &'static str {
    NAV_STATUS.get(usize::from(status)).copied().unwrap_or("Not defined")
}

/// Name of an electronic position fixing device type.
pub fn epfd_text(epfd: u8) -> &'static str {
    EPFD.get(usize::from(epfd)).copied().unwrap_or("Reserved")
}

/// Name of a ship and cargo type; 100-199 are reserved for regional use and 200-255 for future
/// use (ITU-R M.1371-5 Annex 8 §3.3).
pub fn ship_type_text(ship_type: u8) -> &'static str {
    match SHIP_TYPE.get(usize::from(ship_type)) {
        Some(text) => text,
        None if ship_type < 200 => "Reserved for regional use",
        None => "Reserved for future use",
    }
}

/// Name of a type of aid to navigation (values above 31 cannot occur in the 5-bit field).
pub fn aid_type_text(aid_type: u8) -> &'static str {
    AID_TYPE.get(usize::from(aid_type)).copied().unwrap_or("Unspecified")
}

/// Name of a station type (values above 15 cannot occur in the 4-bit field).
pub fn station_type_text(station_type: u8) -> &'static str {
    STATION_TYPE.get(usize::from(station_type)).copied().unwrap_or("Reserved for future use")
}
