// The web map in a real browser (Debian's Chromium, driven by playwright-core) against a running
// `kuroshio demo`, with the page's network cut off from everything but that node. Each test
// compares what the page shows with what the node's API answers, and saves a screenshot under
// web/test-results/.
//
// Run by scripts/test-web (which builds the node and the map first), or `npm test` in web/ with
// the binary at $KUROSHIO_BIN or target/debug/kuroshio.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, decodePng, openPage, screenshot, startDemo, until } from "./harness.mjs";

let demo;
let browser;
let page;

const k = (fn, arg) => page.evaluate(fn, arg);

before(async () => {
  demo = await startDemo({ speed: 600 });
  browser = await openPage(demo.base);
  page = browser.page;
  // Let the demo store a while of data before the page opens, so that there is history.
  await until(async () => (await api(demo.base, "/api/v1/tracks?limit=10")).tracks.length >= 10, { what: "first tracks" });
  await page.goto(`${demo.base}/`);
  await k(() => window.__kuroshio.ready);
});

after(async () => {
  if (browser) {
    // Nothing outside the node was asked for, from the first request to the last.
    assert.deepEqual(browser.external, [], "requests outside the node");
    assert.deepEqual(
      browser.errors.filter((e) => !/Failed to load resource/.test(e)),
      [],
      "errors in the page",
    );
    await browser.close();
  }
  if (demo) await demo.stop();
});

test("the map loads offline and draws the coastline", async () => {
  await until(() => k(() => ["land", "borders", "land-110m"].every((s) => window.__kuroshio.map.isSourceLoaded(s))), {
    what: "basemap sources loaded",
  });
  // The 1:10m land has Taiwan: a rendered land polygon and coastline at the island's middle.
  const found = await k(() => {
    const { map } = window.__kuroshio;
    map.jumpTo({ center: [121.0, 23.7], zoom: 6 });
    return new Promise((ok) =>
      map.once("idle", () => {
        const p = map.project([120.95, 23.75]);
        const box = [
          [p.x - 80, p.y - 120],
          [p.x + 80, p.y + 120],
        ];
        ok({
          land: map.queryRenderedFeatures(p, { layers: ["land"] }).length,
          coast: map.queryRenderedFeatures(box, { layers: ["coastline"] }).length,
          inland: [map.project([116.0, 27.5]), map.getContainer().getBoundingClientRect()],
          sea: map.project([124.8, 22.3]),
          p,
        });
      }),
    );
  });
  assert.ok(found.land > 0, "no land polygon rendered over Taiwan");
  assert.ok(found.coast > 0, "no coastline rendered around Taiwan");
  // And on screen: land pixels are the land colour, sea pixels the sea colour.
  const png = decodePng(await page.screenshot());
  const [inland, rect] = found.inland;
  const at = (p) => png.pixel(rect.left + p.x, rect.top + p.y);
  const near = (rgb, hex, tol) => {
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return rgb.every((v, i) => Math.abs(v - want[i]) <= tol);
  };
  assert.ok(near(at(inland), "#2e3b3a", 6), `inland China pixel ${at(inland)} is not land`);
  assert.ok(near(at(found.sea), "#0b1e2e", 14), `Philippine Sea pixel ${at(found.sea)} is not sea`);
  await screenshot(page, "1-basemap");
});

test("tracks from the node appear and move", async () => {
  await k(() => window.__kuroshio.map.jumpTo({ center: [122.0, 24.2], zoom: 5.3 }));
  const first = await until(
    () => k(() => (window.__kuroshio.drawnTracks().length > 100 ? window.__kuroshio.drawnTracks() : null)),
    { what: "100 tracks drawn" },
  );
  // The picture follows the node's live stream, not polling.
  assert.equal(await k(() => window.__kuroshio.state.liveVia), "stream");
  const polls = await k(() => window.__kuroshio.state.polls);
  // Wait for a few more pictures: at 600× the node commits 10 minutes of data a second.
  await until(() => k((n) => window.__kuroshio.state.polls >= n + 4, polls), { what: "four more updates" });
  // The drawn features and the page's rows in one turn of the page (the stream moves on).
  const later = await k(() =>
    window.__kuroshio.drawnTracks().map((f) => ({ ...f, row: window.__kuroshio.state.tracks.get(f.target) })),
  );
  const before = new Map(first.map((f) => [f.target, f]));
  const moved = later.filter((f) => {
    const b = before.get(f.target);
    return b && (Math.abs(b.lon - f.lon) > 1e-4 || Math.abs(b.lat - f.lat) > 1e-4);
  });
  assert.ok(moved.length > 50, `only ${moved.length} tracks moved`);
  // What is drawn is the node's picture: every drawn track is where the page's row for it
  // says, that row is a position the node stored (its history at that time), and the node's
  // latest is not older than the page's.
  const sample = moved.slice(0, 5);
  for (const f of sample) {
    const pageRow = f.row;
    assert.ok(Math.abs(pageRow.position.lon - f.lon) < 1e-9 && Math.abs(pageRow.position.lat - f.lat) < 1e-9);
    const row = await api(demo.base, `/api/v1/tracks/${encodeURIComponent(f.target)}`);
    assert.equal(row.target, f.target);
    assert.ok(Date.parse(row.position_time) >= Date.parse(pageRow.position_time), "page ahead of the node");
    const t0 = Date.parse(pageRow.position_time);
    const hist = (
      await api(demo.base, `/api/v1/tracks/${encodeURIComponent(f.target)}/history?from=${new Date(t0).toISOString()}&to=${new Date(t0 + 1).toISOString()}`)
    ).positions;
    assert.ok(
      hist.some((p) => Math.abs(p.lon - f.lon) < 1e-9 && Math.abs(p.lat - f.lat) < 1e-9),
      `${f.target}: the streamed position is not in the node's history`,
    );
  }
  // Trails follow the moving tracks.
  const trails = await k(() => window.__kuroshio.map.querySourceFeatures("trails").length);
  assert.ok(trails > 0, "no trails");
  await screenshot(page, "2-live-tracks");
});

test("clicking a track opens its detail", async () => {
  // A PLA or coast guard vessel when there is one, any track otherwise, clicked where it is
  // drawn once the map has settled on it — and only when the tracks layer has nothing else
  // there, so that the click cannot land on a neighbour's icon or label (fleets sail close
  // together, aircraft fly over, and the stream keeps moving them). Otherwise try another.
  const tried = [];
  let pick;
  let point = null;
  for (let attempt = 0; attempt < 12 && !point; attempt++) {
    pick = await k((skip) => {
      const { map, state } = window.__kuroshio;
      const tracks = window.__kuroshio.drawnTracks().filter((f) => !skip.includes(f.target));
      const prefer = tracks.find((f) => ["pla_navy", "coast_guard"].includes(state.classes.get(f.target)?.kind));
      const f = prefer || tracks[0];
      map.jumpTo({ center: [f.lon, f.lat], zoom: 11 });
      return f.target;
    }, tried);
    point = await k(
      (target) =>
        new Promise((ok) =>
          window.__kuroshio.map.once("idle", () => {
            const { map } = window.__kuroshio;
            const drawn = window.__kuroshio.drawnTracks();
            const f = drawn.find((d) => d.target === target);
            const p = map.project([f.lon, f.lat]);
            // What a click there would hit: icons and labels of the tracks layer.
            const hit = map.queryRenderedFeatures(p, { layers: ["tracks"] });
            const clear = hit.length > 0 && hit.every((h) => h.properties.target === target);
            if (!clear) return ok(null);
            // Click there in the same task as the check: the demo runs at an accelerated
            // clock, so a round trip to the test process lets the picture move under it.
            const r = map.getCanvas().getBoundingClientRect();
            const at = { clientX: r.left + p.x, clientY: r.top + p.y, bubbles: true, button: 0 };
            const canvas = map.getCanvas();
            for (const type of ["mousedown", "mouseup", "click"]) {
              canvas.dispatchEvent(new MouseEvent(type, at));
            }
            ok(at);
          }),
        ),
      pick,
    );
    if (!point) tried.push(pick);
  }
  assert.ok(point, `no track stood clear of the others: ${tried.join(", ")}`);
  await until(() => k(() => !document.getElementById("detail").hidden && document.getElementById("detail-events")), {
    what: "detail panel",
  });
  const shown = await k(() => document.getElementById("detail").dataset.target);
  assert.equal(shown, pick);
  const row = await api(demo.base, `/api/v1/tracks/${encodeURIComponent(pick)}`);
  const text = await page.textContent("#detail");
  assert.ok(text.includes(pick), "target id missing");
  if (row.name) assert.ok(text.includes(row.name), `name ${row.name} missing`);
  assert.ok(text.includes(row.source), "source missing");
  // The events listed are the node's events for this target.
  const evs = (await api(demo.base, `/api/v1/events?target=${encodeURIComponent(pick)}&limit=10000`)).events;
  const listed = await k(() => [...document.querySelectorAll("#detail-events li")].map((li) => li.dataset.event));
  const ids = new Set(evs.map((e) => e.id));
  assert.ok(listed.every((id) => ids.has(id)), "detail lists an event the node does not have for it");
  assert.ok(listed.length <= 50);
  if (evs.length > 0) assert.ok(listed.length > 0, "the node has events for it, the detail lists none");
  await screenshot(page, "3-detail");
});

test("search finds a track by MMSI and by name", async () => {
  const rows = (await api(demo.base, "/api/v1/tracks?limit=200")).tracks.filter((r) => r.target.startsWith("vessel:") && r.name);
  const row = rows[0];
  const mmsi = row.target.split(":")[1];
  await page.fill("#search", mmsi);
  await page.click(`#search-results li[data-target="${row.target}"]`);
  await until(() => k((t) => document.getElementById("detail").dataset.target === t, row.target), { what: "detail by MMSI" });
  await page.fill("#search", row.name.toLowerCase());
  const hits = await page.$$eval("#search-results li", (lis) => lis.map((li) => li.dataset.target));
  assert.ok(hits.includes(row.target), `name search missed ${row.target}`);
  await page.fill("#search", "");
  await page.click("#detail-close");
});

test("the time slider replays history from the node", async () => {
  await k(() => window.__kuroshio.map.jumpTo({ center: [121.5, 24.0], zoom: 5.6 }));
  const { firstMs, nowMs } = await k(() => ({ firstMs: window.__kuroshio.state.firstMs, nowMs: window.__kuroshio.state.nowMs }));
  const at = Math.round(firstMs + (nowMs - firstMs) * 0.4);
  // Move the slider the way a user does: set its value and fire `input`.
  await page.$eval(
    "#slider",
    (s, v) => {
      s.value = String(v);
      s.dispatchEvent(new Event("input"));
    },
    at,
  );
  await until(() => k(() => window.__kuroshio.state.mode === "replay" && !window.__kuroshio.state.replay.loading && window.__kuroshio.drawnTracks().length > 0), {
    what: "replay drawn",
    limit_ms: 180_000,
  });
  assert.equal(await k(() => window.__kuroshio.state.replay.ms), at, "the play head is not where the slider was put");
  const head = await k(() => window.__kuroshio.state.replay.ms);
  const drawn = await k(() => window.__kuroshio.drawnTracks());
  // Each drawn track is at a position of its own history (from the per-target endpoint, not
  // the time slice the replay loads) at or before the play head, within the replay's minute of
  // thinning of its last one.
  for (const f of drawn.slice(0, 5)) {
    const to = new Date(head + 1).toISOString();
    const from = new Date(head - 15 * 60 * 1000).toISOString();
    const hist = (await api(demo.base, `/api/v1/tracks/${encodeURIComponent(f.target)}/history?from=${from}&to=${to}&limit=10000`)).positions;
    const last = hist[hist.length - 1];
    assert.ok(last, `${f.target} has no history before the play head`);
    const at = hist.filter((p) => Math.abs(p.lon - f.lon) < 1e-9 && Math.abs(p.lat - f.lat) < 1e-9);
    assert.ok(at.length > 0, `${f.target} not at a position of its history`);
    const lag = Date.parse(last.time) - Date.parse(at[at.length - 1].time);
    assert.ok(lag >= 0 && lag < 60 * 1000, `${f.target} drawn ${lag} ms behind its last fix`);
  }
  // Replay loaded the picture from the time slice, not target by target.
  assert.ok((await k(() => window.__kuroshio.state.replay.cache.size)) > 150, "replay holds no more than the old per-target cap");
  // The feed shows the node's events of the hour before the play head.
  const hourIds = new Set(
    (await api(demo.base, `/api/v1/events?from=${new Date(head - 3600 * 1000).toISOString()}&to=${new Date(head + 1).toISOString()}&limit=10000`)).events.map((e) => e.id),
  );
  const feed = await k(() => [...document.querySelectorAll("#events li[data-event]")].map((li) => li.dataset.event));
  assert.equal(feed.length, Math.min(hourIds.size, 200), "replay feed length");
  for (const id of feed) assert.ok(hourIds.has(id), `feed event ${id} is not of the hour before the head`);
  await screenshot(page, "4-replay");
  // Play: the head advances and the tracks move.
  await page.click("#play");
  await until(() => k((h) => window.__kuroshio.state.replay.ms > h + 10 * 60 * 1000, head), { what: "play head advancing", limit_ms: 180_000 });
  await page.click("#play");
  const later = await k(() => window.__kuroshio.drawnTracks());
  const moved = later.filter((f) => drawn.some((d) => d.target === f.target && (d.lon !== f.lon || d.lat !== f.lat)));
  assert.ok(moved.length > 0, "no track moved during replay");
  // Live returns to now.
  await page.click("#live");
  assert.equal(await k(() => window.__kuroshio.state.mode), "live");
});

test("the partner view shows only what the partner is released", async () => {
  const local = await k(() => window.__kuroshio.drawnTracks().length);
  await page.selectOption("#viewer", "US");
  await until(() => k(() => window.__kuroshio.state.events.length > 0 && window.__kuroshio.state.events.every((e) => e.marking.releasable_to.includes("US"))), {
    what: "US view events",
  });
  // Every event listed is one the API's as=US answer has, and the feed holds nothing else.
  // (Read before asking the node, which only adds events meanwhile; asked from the oldest
  // event the page holds, since the node holds more than a page of events.)
  const listed = await k(() => [...document.querySelectorAll("#events li[data-event]")].map((li) => li.dataset.event));
  const oldest = await k(() => window.__kuroshio.state.events.reduce((m, e) => Math.min(m, Date.parse(e.time)), Infinity));
  const since = new Date(oldest).toISOString();
  const usIds = new Set((await api(demo.base, `/api/v1/events?as=US&from=${since}&limit=10000`)).events.map((e) => e.id));
  const allEvents = (await api(demo.base, `/api/v1/events?from=${since}&limit=10000`)).events;
  assert.ok(listed.length > 0, "US sees no events");
  for (const id of listed) assert.ok(usIds.has(id), `event ${id} listed but not released to US`);
  const hidden = allEvents.filter((e) => !usIds.has(e.id));
  assert.ok(hidden.length > 0, "the policy should keep some events from US");
  const hiddenIds = new Set(hidden.map((e) => e.id));
  assert.ok(listed.every((id) => !hiddenIds.has(id)));
  // Labels: TLP and releasability on every item.
  const labels = await k(() => [...document.querySelectorAll("#events li[data-event]")].map((li) => li.textContent));
  assert.ok(labels.every((l) => /TLP:(GREEN|CLEAR)/.test(l) && /US/.test(l)), "missing TLP/releasability labels");
  // Tracks drawn are only those named by released events.
  const { drawn, named } = await k(() => ({
    drawn: window.__kuroshio.drawnTracks().map((f) => f.target),
    named: window.__kuroshio.state.events.map(window.__kuroshio.eventTarget),
  }));
  assert.ok(drawn.length > 0 && drawn.length < local, `partner view draws ${drawn.length} of ${local}`);
  for (const t of drawn) assert.ok(named.includes(t), `${t} drawn but named by no released event`);
  await screenshot(page, "5-partner-US");
  // JP is released zone entries too (AMBER), US is not.
  await page.selectOption("#viewer", "JP");
  await until(() => k(() => window.__kuroshio.state.events.some((e) => e.kind === "zone_entry")), { what: "JP sees zone entries" });
  const jp = await k(() => window.__kuroshio.state.events.every((e) => e.marking.releasable_to.includes("JP")));
  assert.ok(jp);
  await page.selectOption("#viewer", "");
  await until(() => k(() => window.__kuroshio.state.events.some((e) => e.marking.tlp === "AMBER+STRICT")), { what: "local view again" });
});

test("the language switch changes interface text and zone names", async () => {
  const zones = (await api(demo.base, "/api/v1/zones")).features;
  const median = zones.find((z) => z.properties.id === "tw_strait_median_line").properties;
  const hover = async () => {
    // The middle of the median line as drawn (straight on screen between its two ends).
    const p = await k(
      () =>
        new Promise((ok) => {
          const { map } = window.__kuroshio;
          map.jumpTo({ center: [120.0, 25.0], zoom: 7 });
          map.once("idle", () => {
            const a = map.project([118.0, 23.0]);
            const b = map.project([122.0, 27.0]);
            const r = map.getContainer().getBoundingClientRect();
            ok({ x: r.left + (a.x + b.x) / 2, y: r.top + (a.y + b.y) / 2 });
          });
        }),
    );
    await page.mouse.move(p.x - 40, p.y - 40);
    await page.mouse.move(p.x, p.y);
    return until(() => k(() => document.querySelector('.zone-popup[data-zone="tw_strait_median_line"] strong')?.textContent), {
      what: "median line tooltip",
    });
  };
  assert.equal(await hover(), median.name_en);
  assert.equal(await page.textContent("#bar h1"), "Kuroshio — common operating picture");
  await page.selectOption("#lang", "ja");
  assert.equal(await hover(), median.name_ja);
  assert.equal(await page.textContent("#bar h1"), "黒潮 — 共通作戦状況図");
  assert.equal(await page.textContent("#live"), "ライブ");
  assert.ok((await page.textContent("#legend")).includes("中国人民解放軍海軍"));
  await screenshot(page, "6-japanese");
  await page.selectOption("#lang", "zh-Hant");
  assert.equal(await hover(), median.name_zh_hant);
  assert.equal(await page.textContent("#bar h1"), "黑潮 — 共同作戰圖像");
  // The status in the tooltip is translated too.
  assert.ok((await page.textContent(".zone-popup")).includes("官方"));
  // Zone names in the events feed follow the language.
  const feedZone = await k(() => {
    const ev = window.__kuroshio.state.events.find((e) => e.zone);
    const li = ev && document.querySelector(`#events li[data-event="${ev.id}"]`);
    return ev && li ? { zone: ev.zone, text: li.textContent } : null;
  });
  if (feedZone) {
    const z = zones.find((f) => f.properties.id === feedZone.zone).properties;
    assert.ok(feedZone.text.includes(z.name_zh_hant), `feed shows ${feedZone.text}`);
  }
  await screenshot(page, "7-traditional-chinese");
  await page.selectOption("#lang", "en");
});
