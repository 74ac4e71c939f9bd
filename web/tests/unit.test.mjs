// The map's pure parts: every interface string exists in all three languages, and the track
// classification rules give the kinds the legend promises.

import assert from "node:assert/strict";
import { test } from "node:test";
import { classify, eventTarget } from "../src/classify.js";
import { KEYS, LANGUAGES, missingKeys, t } from "../src/i18n.js";

test("every interface string is translated", () => {
  assert.deepEqual(missingKeys(), {});
  assert.deepEqual(LANGUAGES.map((l) => l.code), ["en", "ja", "zh-Hant"]);
  for (const { code } of LANGUAGES) {
    for (const key of KEYS) assert.notEqual(t(code, key), "", `${code}.${key} empty`);
  }
  assert.equal(t("en", "viewAs", { p: "JP" }), "As partner JP would see it");
  assert.notEqual(t("ja", "live"), t("en", "live"));
});

test("classification rules", () => {
  const cases = [
    [{ target: "local:jrp-north-01", altitude_ft: 24000 }, "air", "pla_air_force"],
    [{ target: "local:PLAN-101" }, "sea", "pla_navy"],
    [{ target: "local:contact-7" }, "sea", "unknown"],
    [{ target: "aircraft:791029", callsign: "CSN6660" }, "air", "civil"],
    [{ target: "vessel:412043749", name: "HAIJING 6362", ship_type: 55 }, "sea", "coast_guard"],
    [{ target: "vessel:416000001", name: "CGA SAR 1", ship_type: 51 }, "sea", "coast_guard"],
    [{ target: "vessel:412000001", ship_type: 35 }, "sea", "pla_navy"],
    [{ target: "vessel:431000001", ship_type: 35 }, "sea", "civil"],
    [{ target: "vessel:412134100", name: "ZHE LING YU 99781", ship_type: 30 }, "sea", "civil"],
    [{ target: "vessel:229145433", name: "JADE VENTURE 8", ship_type: 70 }, "sea", "civil"],
  ];
  for (const [row, domain, kind] of cases) {
    const c = classify(row);
    assert.deepEqual([c.domain, c.kind], [domain, kind], row.target);
    assert.ok(c.why.startsWith("why_"));
  }
  const militia = classify({ target: "vessel:412134100", ship_type: 30 }, new Set(["loitering"]));
  assert.equal(militia.kind, "militia_suspect");
  const foreign = classify({ target: "vessel:431000002", ship_type: 30 }, new Set(["loitering"]));
  assert.equal(foreign.kind, "civil");
});

test("events name their target as the API's target keys", () => {
  assert.equal(eventTarget({ entity: { mmsi: 412043749 } }), "vessel:412043749");
  assert.equal(eventTarget({ entity: { icao24: "791029" } }), "aircraft:791029");
  assert.equal(eventTarget({ entity: { icao24: 0x00abcd } }), "aircraft:00abcd");
  assert.equal(eventTarget({ entity: { report: "PLAN-101" } }), "local:PLAN-101");
  assert.equal(eventTarget({ entity: {} }), null);
});

test("the stream source merges updates: newest report wins, events once, the feed window kept", async () => {
  const { FEED_WINDOW_MS, StreamSource } = await import("../src/api.js");
  const pictures = [];
  const s = new StreamSource({ viewer: () => "", onSnapshot: (p) => pictures.push(p), onError: (e) => assert.fail(e) });
  const row = (target, lastSeen, lon) => ({ target, last_seen: lastSeen, position: { lat: 24, lon } });
  const ev = (id, time) => ({ id, time, kind: "zone_entry" });
  s.merge({ tracks: [row("vessel:416000001", "2026-01-01T01:00:00Z", 121.0)], events: [ev("a", "2026-01-01T00:59:00Z")] });
  // An older report of the same target, arriving late, does not move it back.
  s.merge({ tracks: [row("vessel:416000001", "2026-01-01T00:50:00Z", 120.0)], events: [ev("a", "2026-01-01T00:59:00Z")] });
  s.merge({ tracks: [row("vessel:416000002", "2026-01-01T02:30:00Z", 122.0)], events: [ev("b", "2026-01-01T02:29:00Z")] });
  s.emit();
  s.stop();
  assert.equal(pictures.length, 1);
  const p = pictures[0];
  assert.equal(p.nowMs, Date.parse("2026-01-01T02:30:00Z"));
  assert.deepEqual(
    p.tracks.map((r) => [r.target, r.position.lon]),
    [["vessel:416000001", 121.0], ["vessel:416000002", 122.0]],
  );
  // Event "a" is older than the feed window before the newest report; "b" is in it, once.
  assert.ok(Date.parse("2026-01-01T00:59:00Z") < p.nowMs - FEED_WINDOW_MS);
  assert.deepEqual(p.events.map((e) => e.id), ["b"]);
});
