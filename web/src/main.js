// Kuroshio's web map: the node's live picture, replay, partner view and three languages over
// an offline basemap. Everything it loads comes from the node that serves it.
//
// Tests drive the page through `window.__kuroshio` (the map, the state and a few actions); it
// is part of the page's contract with web/tests.

import * as maplibregl from "maplibre-gl";
import * as api from "./api.js";
import { KINDS, classify, eventTarget } from "./classify.js";
import { LANGUAGES, t } from "./i18n.js";

// Positions kept per track for live trails; older ones are dropped first.
const TRAIL_POINTS_MAX = 40;
// Data time a trail covers behind its track.
const TRAIL_WINDOW_MS = 20 * 60 * 1000;
// Events listed in the feed panel (newest first).
const FEED_SHOWN_MAX = 200;
// Events marked on the map: those of the last this-much data time, so the map shows what is
// happening now and the panel keeps the longer list.
const EVENT_MARK_MS = 10 * 60 * 1000;
// Replay loads every target's positions in chunks of this much data time, ahead of the play
// head, from the time-slice endpoint (/api/v1/positions), page by page.
const REPLAY_CHUNK_MS = 30 * 60 * 1000;
// Replay draws the first fix of each target in each this-many seconds of data time: at the
// default 300× a play tick moves 75 s, so a fix a minute moves every track on most ticks,
// and a chunk of the demo's 900 targets is about 27,000 fixes (three pages).
const REPLAY_EVERY_S = 60;
// Pages of positions (of api.API_LIMIT_MAX each) one chunk may take: what the page holds in
// memory for a chunk is bounded by this; a denser chunk is replayed as far as it loaded.
const REPLAY_PAGES_MAX = 20;
// Events held for replay; the oldest go first (the feed shows the last hour before the head).
const REPLAY_EVENTS_MAX = 20000;
// In replay, a target with no fix this long before the play head is not drawn.
const REPLAY_STALE_MS = 15 * 60 * 1000;
// Play head step period.
const PLAY_TICK_MS = 250;
// The partners of the federation (kuroshio share's default --partners); the node's own is
// left out of the list.
const PARTNERS = ["JP", "US", "TW"];

const KIND_COLOUR = Object.fromEntries(KINDS.map((k) => [k.id, k.colour]));
const ZONE_COLOUR = { official: "#4fc3f7", reconstructed: "#ffb74d", approximate: "#b0bec5" };

const state = {
  lang: "en",
  viewer: "",
  node: "",
  mode: "live",
  tracks: new Map(), // target → track row
  classes: new Map(), // target → classify() result
  trails: new Map(), // target → [[lon, lat, ms]]
  events: [], // the feed window, oldest first
  nowMs: 0, // newest report time: the data clock
  firstMs: 0, // oldest first_seen: the slider's start
  zones: null,
  selected: null,
  replay: { ms: 0, playing: false, speed: 300, cache: new Map(), events: [], fromMs: 0, toMs: 0, loading: null, generation: 0 },
  loadedSources: new Set(),
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c.nodeType ? c : String(c));
  return e;
};
const tr = (key, vars) => t(state.lang, key, vars);
const fmtTime = (ms) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z" : "—");
const zoneField = () => LANGUAGES.find((l) => l.code === state.lang).zoneField;

function zoneName(id) {
  const f = state.zones?.features.find((z) => z.properties.id === id);
  return f ? f.properties[zoneField()] || f.properties.name_en : id;
}

// ---------- the map ----------

maplibregl.setWorkerUrl(new URL("vendor/maplibre-gl-worker.mjs", document.baseURI).href);

const empty = () => ({ type: "FeatureCollection", features: [] });

const map = new maplibregl.Map({
  container: "map",
  center: [122.0, 24.2],
  zoom: 5.3,
  attributionControl: { compact: true, customAttribution: "Natural Earth (public domain) via world-atlas" },
  style: {
    version: 8,
    // No glyphs and no sprite: every layer is a fill, line, circle or icon made in the page.
    sources: {
      "land-110m": { type: "geojson", data: "basemap/land-110m.geojson" },
      land: { type: "geojson", data: "basemap/land-10m.geojson" },
      borders: { type: "geojson", data: "basemap/borders-10m.geojson" },
      zones: { type: "geojson", data: empty() },
      trails: { type: "geojson", data: empty() },
      tracks: { type: "geojson", data: empty() },
      events: { type: "geojson", data: empty() },
      selected: { type: "geojson", data: empty() },
    },
    layers: [
      { id: "sea", type: "background", paint: { "background-color": "#0b1e2e" } },
      { id: "land-world", type: "fill", source: "land-110m", paint: { "fill-color": "#2e3b3a" } },
      { id: "land", type: "fill", source: "land", paint: { "fill-color": "#2e3b3a" } },
      { id: "coastline", type: "line", source: "land", paint: { "line-color": "#7fa7bf", "line-width": 0.8 } },
      {
        id: "borders",
        type: "line",
        source: "borders",
        paint: { "line-color": "#a89a7a", "line-width": 0.8, "line-dasharray": [3, 2] },
      },
      {
        id: "zone-fill",
        type: "fill",
        source: "zones",
        filter: ["==", ["geometry-type"], "Polygon"],
        paint: { "fill-color": ["get", "colour"], "fill-opacity": 0.05 },
      },
      {
        id: "zone-line",
        type: "line",
        source: "zones",
        filter: ["==", ["get", "status"], "official"],
        paint: { "line-color": ["get", "colour"], "line-width": ["match", ["get", "kind"], "gate", 2.2, "line", 1.8, 1.1], "line-opacity": 0.85 },
      },
      {
        // Reconstructed and approximate geometry is dashed: it must not look authoritative.
        id: "zone-line-approx",
        type: "line",
        source: "zones",
        filter: ["!=", ["get", "status"], "official"],
        paint: {
          "line-color": ["get", "colour"],
          "line-width": ["match", ["get", "kind"], "gate", 2.2, "line", 1.8, 1.1],
          "line-opacity": 0.85,
          "line-dasharray": [3, 2],
        },
      },
      { id: "trails", type: "line", source: "trails", paint: { "line-color": ["get", "colour"], "line-width": 1.2, "line-opacity": 0.55 } },
      {
        id: "events",
        type: "circle",
        source: "events",
        paint: {
          "circle-radius": 7,
          "circle-color": "rgba(0,0,0,0)",
          "circle-stroke-color": "#ffffff",
          "circle-stroke-opacity": 0.7,
          "circle-stroke-width": 1.2,
        },
      },
      {
        id: "selected",
        type: "circle",
        source: "selected",
        paint: { "circle-radius": 13, "circle-color": "rgba(255,255,255,0.12)", "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 },
      },
      {
        id: "tracks",
        type: "symbol",
        source: "tracks",
        layout: {
          "icon-image": ["get", "icon"],
          "icon-rotate": ["get", "heading"],
          "icon-rotation-alignment": "map",
          "icon-allow-overlap": true,
          "icon-ignore-placement": true,
          "symbol-sort-key": ["get", "rank"],
        },
      },
    ],
  },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: true }), "top-right");
map.addControl(new maplibregl.ScaleControl({ unit: "nautical" }), "bottom-right");

map.on("sourcedata", (e) => {
  if (e.isSourceLoaded && e.sourceId) state.loadedSources.add(e.sourceId);
});

/// Icons drawn here (no sprite): a hull shape for sea, a swept-wing shape for air, one per
/// kind colour; pointing up (north), rotated by heading.
function addIcons() {
  const size = 32;
  for (const domain of ["sea", "air"]) {
    for (const { id, colour } of KINDS) {
      const c = document.createElement("canvas");
      c.width = c.height = size;
      const g = c.getContext("2d");
      g.fillStyle = colour;
      g.strokeStyle = "#0b1520";
      g.lineWidth = 2;
      g.beginPath();
      if (domain === "sea") {
        g.moveTo(16, 3);
        g.lineTo(23, 13);
        g.lineTo(22, 28);
        g.lineTo(10, 28);
        g.lineTo(9, 13);
      } else {
        g.moveTo(16, 2);
        g.lineTo(19, 12);
        g.lineTo(30, 19);
        g.lineTo(19, 18);
        g.lineTo(18, 26);
        g.lineTo(22, 30);
        g.lineTo(10, 30);
        g.lineTo(14, 26);
        g.lineTo(13, 18);
        g.lineTo(2, 19);
        g.lineTo(13, 12);
      }
      g.closePath();
      g.fill();
      g.stroke();
      map.addImage(`${domain}-${id}`, g.getImageData(0, 0, size, size), { pixelRatio: 2 });
    }
  }
}

// ---------- drawing ----------

const point = (lon, lat, properties) => ({ type: "Feature", properties, geometry: { type: "Point", coordinates: [lon, lat] } });
const rank = (kind) => KINDS.findIndex((k) => k.id === kind);

/// The targets partner view may show and where: each released event's target at the position
/// of its latest released event (what the shared STIX sighting carries), with its marking.
function releasedTargets() {
  const out = new Map();
  for (const ev of feedEvents()) {
    const target = eventTarget(ev);
    if (!target || !ev.position) continue;
    out.set(target, ev);
  }
  return out;
}

function liveFeatures() {
  const tracks = [];
  const trails = [];
  if (state.viewer) {
    for (const [target, ev] of releasedTargets()) {
      const row = state.tracks.get(target) || { target, name: ev.entity?.name };
      const c = classify(row, kindsOf(target));
      tracks.push(
        point(ev.position.lon, ev.position.lat, {
          target,
          icon: `${c.domain}-${c.kind}`,
          heading: 0,
          colour: KIND_COLOUR[c.kind],
          rank: -rank(c.kind),
          tlp: ev.marking?.tlp ?? "",
        }),
      );
    }
    return { tracks, trails };
  }
  for (const [target, row] of state.tracks) {
    if (!row.position) continue;
    const c = state.classes.get(target);
    tracks.push(
      point(row.position.lon, row.position.lat, {
        target,
        icon: `${c.domain}-${c.kind}`,
        heading: row.heading_deg ?? row.course_deg ?? 0,
        colour: KIND_COLOUR[c.kind],
        rank: -rank(c.kind),
      }),
    );
    const trail = state.trails.get(target);
    if (trail && trail.length > 1) {
      trails.push({
        type: "Feature",
        properties: { target, colour: KIND_COLOUR[c.kind] },
        geometry: { type: "LineString", coordinates: trail.map(([lon, lat]) => [lon, lat]) },
      });
    }
  }
  return { tracks, trails };
}

/// Index of the last fix at or before `ms` in a time-ordered list, or -1.
function lastAtOrBefore(fixes, ms) {
  let lo = 0;
  let hi = fixes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fixes[mid].ms <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function replayFeatures() {
  const tracks = [];
  const trails = [];
  const at = state.replay.ms;
  const released = state.viewer ? releasedTargets() : null;
  for (const [target, fixes] of state.replay.cache) {
    if (released && !released.has(target)) continue;
    const i = lastAtOrBefore(fixes, at);
    if (i < 0 || at - fixes[i].ms > REPLAY_STALE_MS) continue;
    const f = fixes[i];
    const row = state.tracks.get(target) || { target };
    const c = classify(row, kindsOf(target));
    tracks.push(
      point(f.lon, f.lat, {
        target,
        icon: `${c.domain}-${c.kind}`,
        heading: f.heading ?? 0,
        colour: KIND_COLOUR[c.kind],
        rank: -rank(c.kind),
      }),
    );
    const coords = [];
    for (let j = i; j >= 0 && at - fixes[j].ms <= TRAIL_WINDOW_MS; j--) coords.push([fixes[j].lon, fixes[j].lat]);
    if (coords.length > 1) {
      trails.push({ type: "Feature", properties: { target, colour: KIND_COLOUR[c.kind] }, geometry: { type: "LineString", coordinates: coords } });
    }
  }
  return { tracks, trails };
}

function feedEvents() {
  if (state.mode === "live") return state.events;
  const at = state.replay.ms;
  return state.replay.events.filter((e) => Date.parse(e.time) <= at && at - Date.parse(e.time) <= api.FEED_WINDOW_MS);
}

function kindsOf(target) {
  const out = new Set();
  for (const ev of state.events) if (eventTarget(ev) === target) out.add(ev.kind);
  return out;
}

function draw() {
  if (!map.isStyleLoaded() && !map.getSource("tracks")) return;
  const { tracks, trails } = state.mode === "live" ? liveFeatures() : replayFeatures();
  map.getSource("tracks")?.setData({ type: "FeatureCollection", features: tracks });
  map.getSource("trails")?.setData({ type: "FeatureCollection", features: trails });
  const headMs = state.mode === "live" ? state.nowMs : state.replay.ms;
  const evs = feedEvents().filter((e) => e.position && headMs - Date.parse(e.time) <= EVENT_MARK_MS);
  map.getSource("events")?.setData({
    type: "FeatureCollection",
    features: evs.map((e) => point(e.position.lon, e.position.lat, { id: e.id })),
  });
  const sel = state.selected && tracks.find((f) => f.properties.target === state.selected);
  map.getSource("selected")?.setData({ type: "FeatureCollection", features: sel ? [sel] : [] });
  state.drawn = tracks;
  $("count").textContent = tr("tracks", { n: tracks.length });
  drawFeed();
  drawClock();
}

function tlpBadge(marking) {
  if (!marking) return null;
  return el("span", { class: `tlp tlp-${marking.tlp}` }, `TLP:${marking.tlp}`);
}

function relLabel(marking) {
  if (!marking) return null;
  return el("span", { class: "rel" }, `${tr("releasableTo")}: ${(marking.releasable_to || []).join(", ")}`);
}

function eventTitle(ev) {
  const what = tr(`ev_${ev.kind}`);
  const who = ev.entity?.name || ev.entity?.callsign || eventTarget(ev) || "";
  const where = ev.zone ? ` · ${zoneName(ev.zone)}` : "";
  return `${what}: ${who}${where}`;
}

function drawFeed() {
  const list = $("events");
  const evs = feedEvents().slice(-FEED_SHOWN_MAX).reverse();
  list.replaceChildren(
    ...(evs.length
      ? evs.map((ev) =>
          el(
            "li",
            { "data-event": ev.id, "data-target": eventTarget(ev) ?? "", onclick: () => flyToEvent(ev) },
            el("div", { class: "when" }, fmtTime(Date.parse(ev.time))),
            el("div", { class: "what" }, eventTitle(ev)),
            el("div", {}, tlpBadge(ev.marking), relLabel(ev.marking)),
          ),
        )
      : [el("li", { class: "none" }, tr("noEvents"))]),
  );
}

function drawClock() {
  const ms = state.mode === "live" ? state.nowMs : state.replay.ms;
  $("clock").textContent = `${tr("dataTime")}: ${fmtTime(ms)}`;
  $("mode").textContent = state.mode === "live" ? tr("live") : state.replay.loading ? tr("loading") : tr("replay");
  const slider = $("slider");
  slider.min = String(state.firstMs);
  slider.max = String(state.nowMs);
  if (document.activeElement !== slider) slider.value = String(ms);
  $("live").classList.toggle("active", state.mode === "live");
  $("play").textContent = state.replay.playing ? tr("pause") : tr("play");
}

function flyToEvent(ev) {
  if (ev.position) map.flyTo({ center: [ev.position.lon, ev.position.lat], zoom: Math.max(map.getZoom(), 8) });
  const target = eventTarget(ev);
  if (target) openDetail(target);
}

// ---------- live ----------

function onSnapshot({ tracks, events, nowMs }) {
  $("status").hidden = true;
  state.nowMs = Math.max(state.nowMs, nowMs);
  state.firstMs = tracks.reduce((m, r) => Math.min(m, Date.parse(r.first_seen) || m), state.firstMs || Infinity);
  state.events = events;
  const kinds = new Map();
  for (const ev of events) {
    const target = eventTarget(ev);
    if (!target) continue;
    if (!kinds.has(target)) kinds.set(target, new Set());
    kinds.get(target).add(ev.kind);
  }
  state.tracks = new Map(tracks.map((r) => [r.target, r]));
  state.classes = new Map(tracks.map((r) => [r.target, classify(r, kinds.get(r.target))]));
  for (const r of tracks) {
    if (!r.position) continue;
    const ms = Date.parse(r.position_time);
    const trail = state.trails.get(r.target) || [];
    const last = trail[trail.length - 1];
    if (!last || last[2] < ms) trail.push([r.position.lon, r.position.lat, ms]);
    while (trail.length > TRAIL_POINTS_MAX || (trail.length && ms - trail[0][2] > TRAIL_WINDOW_MS)) trail.shift();
    state.trails.set(r.target, trail);
  }
  for (const target of state.trails.keys()) if (!state.tracks.has(target)) state.trails.delete(target);
  // Pictures received so far (stream updates or polls): the tests wait on it.
  state.polls = (state.polls || 0) + 1;
  state.liveVia = source.via;
  draw();
  if (state.selected && state.mode === "live") refreshDetail();
}

const source = new api.StreamSource({
  viewer: () => state.viewer,
  onSnapshot: (s) => onSnapshot(s),
  onError: (e) => {
    $("status").hidden = false;
    $("status").textContent = `${tr("offline")} (${e.message})`;
  },
});

function goLive() {
  state.mode = "live";
  state.replay.playing = false;
  clearInterval(state.replay.timer);
  draw();
}

// ---------- replay ----------

/// Loads every target's positions in [fromMs, toMs) (and the trail window before it) from the
/// time-slice endpoint, at most REPLAY_PAGES_MAX pages, with the events of the chunk.
async function loadReplay(fromMs, toMs) {
  const r = state.replay;
  const generation = r.generation;
  // What the play head has left behind for good goes, so that a long replay stays in memory.
  const keepMs = r.ms - TRAIL_WINDOW_MS - REPLAY_STALE_MS;
  for (const [target, fixes] of r.cache) {
    let i = 0;
    while (i < fixes.length - 1 && fixes[i + 1].ms <= keepMs) i++;
    if (i > 0) fixes.splice(0, i);
    if (fixes.length && fixes[fixes.length - 1].ms < keepMs) r.cache.delete(target);
  }
  const addPage = (rows) => {
    for (const p of rows) {
      const ms = Date.parse(p.time);
      let fixes = r.cache.get(p.target);
      if (!fixes) r.cache.set(p.target, (fixes = []));
      const lastMs = fixes.length ? fixes[fixes.length - 1].ms : -Infinity;
      if (ms > lastMs) fixes.push({ ms, lon: p.lon, lat: p.lat, heading: p.heading_deg ?? p.course_deg });
    }
    draw();
  };
  const slice = api
    .positions(Math.max(fromMs - TRAIL_WINDOW_MS, r.loadedMs ?? -Infinity), toMs, {
      everyS: REPLAY_EVERY_S,
      onPage: addPage,
      maxPages: REPLAY_PAGES_MAX,
      isCurrent: () => generation === r.generation,
    })
    .catch(() => false);
  const evs = api.events({ fromMs: fromMs - api.FEED_WINDOW_MS, toMs, viewer: state.viewer }).catch(() => []);
  await slice;
  const loaded = await evs;
  if (generation !== r.generation) return;
  // The chunk's events (the feed window before it included), after those already held.
  const known = new Set(r.events.map((e) => e.id));
  r.events = r.events.concat(loaded.filter((e) => !known.has(e.id)));
  r.events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  if (r.events.length > REPLAY_EVENTS_MAX) r.events = r.events.slice(-REPLAY_EVENTS_MAX);
  r.toMs = Math.max(r.toMs, toMs);
  r.loadedMs = r.toMs;
}

/// Makes sure history around the play head is loaded; a jump outside it starts afresh.
async function ensureReplay() {
  const r = state.replay;
  if (r.loading) return r.loading;
  const at = r.ms;
  if (!(at >= r.fromMs && at <= r.toMs)) {
    r.generation++;
    r.cache = new Map();
    r.loadedMs = null;
    r.events = [];
    r.fromMs = at;
    r.toMs = at;
  }
  if (at + REPLAY_CHUNK_MS / 2 < r.toMs) return null;
  const from = r.toMs;
  r.loading = loadReplay(from, from + REPLAY_CHUNK_MS).finally(() => {
    r.loading = null;
    draw();
  });
  drawClock();
  return r.loading;
}

async function seek(ms) {
  state.mode = "replay";
  state.replay.ms = Math.min(Math.max(ms, state.firstMs), state.nowMs);
  draw();
  await ensureReplay();
  draw();
}

function setPlaying(on) {
  const r = state.replay;
  r.playing = on;
  clearInterval(r.timer);
  if (on) {
    if (state.mode === "live") seek(Math.max(state.firstMs, state.nowMs - 3600 * 1000));
    r.timer = setInterval(() => {
      if (r.loading && r.ms >= r.toMs) return; // wait for history rather than draw empty
      r.ms += PLAY_TICK_MS * r.speed;
      if (r.ms >= state.nowMs) {
        goLive();
        return;
      }
      ensureReplay();
      draw();
    }, PLAY_TICK_MS);
  }
  drawClock();
}

// ---------- detail ----------

const dl = (pairs) =>
  el("dl", {}, ...pairs.filter(([, v]) => v !== undefined && v !== null && v !== "").flatMap(([k, v]) => [el("dt", {}, tr(k)), el("dd", {}, v)]));

async function openDetail(target) {
  state.selected = target;
  $("detail").hidden = false;
  $("detail").dataset.target = target;
  draw();
  await refreshDetail();
}

async function refreshDetail() {
  const target = state.selected;
  if (!target) return;
  const body = $("detail-body");
  let row = state.tracks.get(target) || { target };
  let evs = [];
  try {
    [row, evs] = await Promise.all([api.track(target).catch(() => row), api.events({ target, viewer: state.viewer })]);
  } catch (e) {
    body.replaceChildren(el("p", {}, e.message));
    return;
  }
  if (state.selected !== target) return;
  const c = classify(row, new Set(evs.map((e) => e.kind)));
  const fmt = (v, unit, digits = 1) => (typeof v === "number" ? `${v.toFixed(digits)} ${unit}` : null);
  const pos = row.position ? `${row.position.lat.toFixed(4)}, ${row.position.lon.toFixed(4)}` : null;
  body.replaceChildren(
    el("h3", {}, row.name || row.callsign || target),
    el("h4", {}, tr("identity")),
    dl([
      ["identity", target],
      ["detail", [row.name, row.callsign, row.imo ? `IMO ${row.imo}` : null].filter(Boolean).join(" · ")],
      ["classification", `${tr(c.domain)} · ${tr(`kind_${c.kind}`)} (${tr("inferred", { why: tr(c.why) })})`],
      ["source", row.source],
      ["firstSeen", fmtTime(Date.parse(row.first_seen))],
      ["observations", row.observations],
    ]),
    el("h4", {}, tr("lastReport")),
    dl([
      ["lastReport", fmtTime(Date.parse(row.position_time || row.last_seen))],
      ["position", pos],
      ["speedKn", fmt(row.speed_knots, "kn")],
      ["course", fmt(row.course_deg, "°", 0)],
      ["heading", fmt(row.heading_deg, "°", 0)],
      ["altitude", fmt(row.altitude_ft, "ft", 0)],
    ]),
    el("h4", {}, tr("markings")),
    state.viewer
      ? el("div", {}, tlpBadge(evs[evs.length - 1]?.marking), relLabel(evs[evs.length - 1]?.marking))
      : el("div", { class: "rel" }, tr("markingTrack")),
    el("h4", {}, `${tr("trackEvents")} (${evs.length})`),
    el(
      "ol",
      { id: "detail-events" },
      ...evs
        .slice(-50)
        .reverse()
        .map((ev) =>
          el("li", { "data-event": ev.id, onclick: () => flyToEvent(ev) }, `${fmtTime(Date.parse(ev.time))} ${eventTitle(ev)} `, tlpBadge(ev.marking)),
        ),
    ),
  );
}

function closeDetail() {
  state.selected = null;
  $("detail").hidden = true;
  draw();
}

// ---------- search ----------

function search(text) {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  const hits = [];
  for (const row of state.tracks.values()) {
    const id = row.target.split(":")[1] || "";
    const fields = [id, row.name, row.callsign].filter(Boolean).map((s) => s.toLowerCase());
    if (fields.some((f) => f.includes(q))) hits.push(row);
    if (hits.length >= 20) break;
  }
  return hits;
}

function showSearch() {
  const list = $("search-results");
  const hits = search($("search").value);
  list.hidden = !$("search").value.trim();
  list.replaceChildren(
    ...(hits.length
      ? hits.map((row) =>
          el(
            "li",
            { "data-target": row.target, onclick: () => selectTarget(row.target) },
            `${row.name || row.callsign || ""} ${row.target}`,
          ),
        )
      : [el("li", {}, tr("searchNone"))]),
  );
}

function selectTarget(target) {
  $("search-results").hidden = true;
  const p = state.tracks.get(target)?.position;
  if (p) map.flyTo({ center: [p.lon, p.lat], zoom: Math.max(map.getZoom(), 8) });
  openDetail(target);
}

// ---------- language, view, legend ----------

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = tr(n.dataset.i18n);
  for (const n of document.querySelectorAll("[data-i18n-placeholder]")) n.placeholder = tr(n.dataset.i18nPlaceholder);
  document.title = tr("title");
  fillViewer();
  $("legend").replaceChildren(
    el("strong", {}, tr("legend")),
    ...KINDS.map(({ id, colour }) => el("div", { "data-kind": id }, el("i", { style: `background:${colour}` }), tr(`kind_${id}`))),
  );
  if (state.zones) {
    map.getSource("zones")?.setData(zoneData());
  }
  draw();
  if (state.selected) refreshDetail();
}

function fillViewer() {
  const sel = $("viewer");
  const options = [["", tr("viewLocal")], ...PARTNERS.filter((p) => p !== state.node).map((p) => [p, tr("viewAs", { p })])];
  sel.replaceChildren(...options.map(([v, label]) => el("option", { value: v }, label)));
  sel.value = state.viewer;
  $("banner").hidden = !state.viewer;
  $("banner").textContent = state.viewer ? tr("partnerBanner", { p: state.viewer }) : "";
}

function zoneData() {
  const field = zoneField();
  return {
    type: "FeatureCollection",
    features: state.zones.features.map((f) => ({
      ...f,
      properties: { ...f.properties, name: f.properties[field] || f.properties.name_en, colour: ZONE_COLOUR[f.properties.status] ?? "#b0bec5" },
    })),
  };
}

// ---------- hover and click ----------

// How near (pixels) the pointer must be to a zone's line for its tooltip.
const ZONE_HIT_PX = 4;
const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, maxWidth: "340px" });

function zonePopupHtml(p) {
  const div = el(
    "div",
    { class: "zone-popup", "data-zone": p.id },
    el("strong", {}, p.name),
    el("div", {}, `${tr("zoneKind")}: ${p.kind} · ${tr("zoneStatus")}: ${tr(`status_${p.status}`)}`),
    el("div", { class: "popup-source" }, `${tr("zoneSource")}: ${p.source}`),
  );
  return div;
}

function trackPopup(p) {
  const row = state.tracks.get(p.target) || {};
  return el(
    "div",
    { class: "track-popup", "data-target": p.target },
    el("strong", {}, row.name || row.callsign || p.target),
    el("div", {}, p.target),
    p.tlp ? el("div", {}, el("span", { class: `tlp tlp-${p.tlp}` }, `TLP:${p.tlp}`)) : null,
  );
}

function wireMap() {
  // One handler for all zone layers: lines and gates (thin, hard to hit) win over the areas
  // under them, within a few pixels of the pointer; tracks win over zones.
  map.on("mousemove", (e) => {
    const { x, y } = e.point;
    if (map.queryRenderedFeatures(e.point, { layers: ["tracks"] }).length) return;
    const near = [
      [x - ZONE_HIT_PX, y - ZONE_HIT_PX],
      [x + ZONE_HIT_PX, y + ZONE_HIT_PX],
    ];
    // Lines and gates before the outlines of areas that share their course (an ADIZ's part
    // bounded by the median line, say).
    const lines = map
      .queryRenderedFeatures(near, { layers: ["zone-line", "zone-line-approx"] })
      .sort((a, b) => (a.properties.kind === "area") - (b.properties.kind === "area"));
    const f = lines[0] || map.queryRenderedFeatures(e.point, { layers: ["zone-fill"] })[0];
    if (!f) {
      if (popup.zone) {
        popup.remove();
        popup.zone = null;
        map.getCanvas().style.cursor = "";
      }
      return;
    }
    map.getCanvas().style.cursor = "help";
    popup.zone = f.properties.id;
    popup.setLngLat(e.lngLat).setDOMContent(zonePopupHtml(f.properties)).addTo(map);
  });
  map.on("mousemove", "tracks", (e) => {
    map.getCanvas().style.cursor = "pointer";
    popup.zone = null;
    popup.setLngLat(e.features[0].geometry.coordinates).setDOMContent(trackPopup(e.features[0].properties)).addTo(map);
  });
  map.on("mouseleave", "tracks", () => {
    map.getCanvas().style.cursor = "";
    popup.remove();
  });
  map.on("click", "tracks", (e) => openDetail(e.features[0].properties.target));
  map.on("click", "events", (e) => {
    const ev = feedEvents().find((x) => x.id === e.features[0].properties.id);
    if (ev) flyToEvent(ev);
  });
}

function wireControls() {
  const langSel = $("lang");
  langSel.replaceChildren(...LANGUAGES.map((l) => el("option", { value: l.code }, l.label)));
  langSel.addEventListener("change", () => {
    state.lang = langSel.value;
    applyLanguage();
  });
  $("viewer").addEventListener("change", () => {
    state.viewer = $("viewer").value;
    state.events = [];
    fillViewer();
    source.stop();
    source.start();
    if (state.mode === "replay") {
      // The partner's events differ: load the replay again for this view.
      state.replay.fromMs = state.replay.toMs = -1;
      ensureReplay();
    }
    if (state.selected) refreshDetail();
    draw();
  });
  $("live").addEventListener("click", goLive);
  $("play").addEventListener("click", () => setPlaying(!state.replay.playing));
  $("speed").addEventListener("change", () => {
    state.replay.speed = Number($("speed").value);
  });
  $("slider").addEventListener("input", () => {
    const ms = Number($("slider").value);
    setPlaying(false);
    seek(ms);
  });
  $("search").addEventListener("input", showSearch);
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      const first = search($("search").value)[0];
      if (first) selectTarget(first.target);
    }
  });
  $("detail-close").addEventListener("click", closeDetail);
}

// ---------- start ----------

const ready = new Promise((resolve) => {
  map.on("load", async () => {
    addIcons();
    wireMap();
    try {
      const [h, z] = await Promise.all([api.health(), api.zones()]);
      state.node = h.partner;
      state.zones = z;
      map.getSource("zones").setData(zoneData());
    } catch (e) {
      $("status").hidden = false;
      $("status").textContent = `${tr("offline")} (${e.message})`;
    }
    applyLanguage();
    source.start();
    resolve();
  });
});

wireControls();
applyLanguage();

window.__kuroshio = {
  map,
  state,
  ready,
  seek,
  setPlaying,
  goLive,
  openDetail,
  eventTarget,
  /// Features drawn for tracks now: [{target, lon, lat}].
  drawnTracks: () => (state.drawn || []).map((f) => ({ target: f.properties.target, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] })),
};
