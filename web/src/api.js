// The node's HTTP API as the map uses it (crates/api: /api/v1/tracks, /tracks/{target},
// /tracks/{target}/history, /events, /zones, /health), and the live source.
//
// Live updates come from polling for now. `PollingSource` is the seam: a live source is
// anything with start()/stop() that calls onSnapshot({tracks, events}) with the latest
// picture and onError(error) when the node cannot be reached; a server-sent-events source
// will implement the same two callbacks and replace it without touching the map.

/// Most rows one API request may return (the API's LIMIT_MAX; more is a 400).
export const API_LIMIT_MAX = 10000;

/// Live polling period. At the demo's default 60× pace a poll is a minute of data time.
export const POLL_INTERVAL_MS = 2000;

/// Data time of events asked for on each poll, back from the newest track report: the feed
/// panel shows the events of this window.
export const FEED_WINDOW_MS = 3600 * 1000;

async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      message = (await res.json()).error?.message ?? message;
    } catch {
      // Not a typed error body; the status says enough.
    }
    throw new Error(`${path}: ${message}`);
  }
  return res.json();
}

const query = (params) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");

const iso = (ms) => new Date(ms).toISOString();

/// `/health`: the node's partner and store counts.
export const health = () => getJson("/health");

/// The zone catalogue (GeoJSON).
export const zones = () => getJson("/api/v1/zones");

/// The latest picture, newest first.
export const tracks = () => getJson(`/api/v1/tracks?${query({ limit: API_LIMIT_MAX })}`).then((r) => r.tracks);

/// One target's latest state.
export const track = (target) => getJson(`/api/v1/tracks/${encodeURIComponent(target)}`);

/// One target's positions in [fromMs, toMs), oldest first.
export const history = (target, fromMs, toMs) =>
  getJson(
    `/api/v1/tracks/${encodeURIComponent(target)}/history?${query({ from: iso(fromMs), to: iso(toMs), limit: API_LIMIT_MAX })}`,
  ).then((r) => r.positions);

/// Events in [fromMs, toMs) (open ends when null), oldest first, as partner `viewer` would be
/// sent them (`as=`; all of them when `viewer` is empty), optionally of one target.
export const events = ({ fromMs = null, toMs = null, viewer = "", target = "" } = {}) =>
  getJson(
    `/api/v1/events?${query({
      from: fromMs == null ? null : iso(fromMs),
      to: toMs == null ? null : iso(toMs),
      as: viewer,
      target,
      limit: API_LIMIT_MAX,
    })}`,
  ).then((r) => r.events);

/// Newest report time (ms) among `rows`: the node's data clock, which in a demo or replay runs
/// at its own pace, not the wall clock's.
export const newestMs = (rows) => rows.reduce((m, r) => Math.max(m, Date.parse(r.last_seen) || 0), 0);

/// Polls the latest picture and the feed window every POLL_INTERVAL_MS.
export class PollingSource {
  constructor({ viewer, onSnapshot, onError }) {
    this.viewer = viewer;
    this.onSnapshot = onSnapshot;
    this.onError = onError;
    this.timer = null;
    // Bumped by every start and stop: an answer to an older generation's request (say, for
    // the view before a partner switch) is dropped.
    this.generation = 0;
  }

  start() {
    this.stop();
    this.poll(this.generation);
  }

  stop() {
    this.generation++;
    clearTimeout(this.timer);
  }

  async poll(generation) {
    const current = () => generation === this.generation;
    try {
      const viewer = this.viewer();
      const rows = await tracks();
      const nowMs = newestMs(rows);
      const evs = await events({ fromMs: nowMs - FEED_WINDOW_MS, viewer });
      if (current()) this.onSnapshot({ tracks: rows, events: evs, nowMs });
    } catch (e) {
      if (current()) this.onError(e);
    }
    if (current()) this.timer = setTimeout(() => this.poll(generation), POLL_INTERVAL_MS);
  }
}
