// What kind of track this is, inferred from what the API returns. The API does not say "PLA
// Navy": a track row has a target key (vessel:MMSI, aircraft:HEX6, local:ID), a source, and
// whatever identity the feed reported (name, call sign, AIS ship type, altitude). Every rule
// below is a guess from those fields and the detail panel shows which rule fired.
//
// Rules, first match wins:
//   local track with an altitude              → air, PLA Air Force (a sensor track with no
//                                                ADS-B: the node's radar feeds carry PLA aircraft)
//   local track, id or name "PLAN…"           → sea, PLA Navy
//   other local track                         → sea (air with altitude), unknown
//   aircraft (ADS-B)                          → air, civil
//   vessel, AIS ship type 55 (law enforcement),
//     or a name of a coast guard (HAIJING, CCG, CGA, COAST GUARD) → coast guard
//   vessel, AIS ship type 35 (military ops) with a Chinese MID (412–414) → PLA Navy
//   vessel, AIS ship type 30 (fishing) with a Chinese MID and a loitering or encounter event
//                                             → maritime militia suspect
//   other vessel with an MMSI                 → civil
// ITU-R M.1371-5 Table 53 gives the ship-type codes (30 fishing, 35 military operations,
// 55 law enforcement); ITU's MID table gives 412, 413 and 414 to China.

/// The kinds, in legend order, with the colour each is drawn in.
export const KINDS = [
  { id: "pla_navy", colour: "#d7263d" },
  { id: "pla_air_force", colour: "#f46036" },
  { id: "coast_guard", colour: "#f1c40f" },
  { id: "militia_suspect", colour: "#c23bd4" },
  { id: "civil", colour: "#2e86de" },
  { id: "unknown", colour: "#95a5a6" },
];

/// Chinese Maritime Identification Digits (ITU MID table).
const CHINESE_MIDS = new Set(["412", "413", "414"]);

const COAST_GUARD_NAME = /\b(HAIJING|CCG|CGA|COAST ?GUARD)\b/i;
const PLAN_NAME = /^PLAN\b|^PLAN-/i;

/// `{domain: "sea"|"air", kind, why}` for a track row; `eventKinds` is the set of event kinds
/// the track has triggered (from the events the map holds).
export function classify(track, eventKinds = new Set()) {
  const target = track.target || "";
  const [prefix, id = ""] = target.split(/:(.*)/s);
  const name = track.name || "";
  const hasAltitude = typeof track.altitude_ft === "number";
  if (prefix === "local") {
    if (hasAltitude) return { domain: "air", kind: "pla_air_force", why: "why_sensor_air" };
    if (PLAN_NAME.test(id) || PLAN_NAME.test(name)) {
      return { domain: "sea", kind: "pla_navy", why: "why_plan_name" };
    }
    return { domain: "sea", kind: "unknown", why: "why_none" };
  }
  if (prefix === "aircraft") return { domain: "air", kind: "civil", why: "why_adsb" };
  if (prefix !== "vessel") return { domain: hasAltitude ? "air" : "sea", kind: "unknown", why: "why_none" };
  const mid = id.slice(0, 3);
  const type = track.ship_type;
  if (type === 55 || COAST_GUARD_NAME.test(name)) {
    return { domain: "sea", kind: "coast_guard", why: "why_coast_guard" };
  }
  if (type === 35 && CHINESE_MIDS.has(mid)) {
    return { domain: "sea", kind: "pla_navy", why: "why_military_cn" };
  }
  if (type === 30 && CHINESE_MIDS.has(mid) && (eventKinds.has("loitering") || eventKinds.has("encounter"))) {
    return { domain: "sea", kind: "militia_suspect", why: "why_militia" };
  }
  return { domain: "sea", kind: "civil", why: "why_ais_civil" };
}

/// The target key an event is about: `vessel:MMSI`, `aircraft:HEX6` or `local:ID`.
export function eventTarget(ev) {
  const e = ev.entity || {};
  if (e.mmsi != null) return `vessel:${e.mmsi}`;
  if (e.icao24 != null) {
    const hex = typeof e.icao24 === "number" ? e.icao24.toString(16) : String(e.icao24);
    return `aircraft:${hex.toLowerCase().padStart(6, "0")}`;
  }
  if (e.report != null) return `local:${e.report}`;
  return null;
}
