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
