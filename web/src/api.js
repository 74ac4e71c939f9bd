// The node's HTTP API as the map uses it (crates/api: /api/v1/tracks, /tracks/{target},
// /tracks/{target}/history, /positions, /events, /zones, /health, /live), and the live source.
//
// A live source is anything with start()/stop() that calls onSnapshot({tracks, events, nowMs})
// with the latest picture and onError(error) when the node cannot be reached. `StreamSource`
// takes the picture once and then follows the node's server-sent events (/api/v1/live); when
// the browser or the node cannot stream, it falls back to `PollingSource`, which asks for the
// whole picture every POLL_INTERVAL_MS.

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

/// Every target's positions in [fromMs, toMs) (a time slice), oldest first, the first of each
/// target in each `everyS` seconds when given, page by page: calls onPage(positions) for each
/// page and stops after maxPages; whether it got them all.
export async function positions(fromMs, toMs, { everyS = null, onPage, maxPages = 50, isCurrent = () => true } = {}) {
  let from = iso(fromMs);
  const to = iso(toMs);
  for (let page = 0; page < maxPages; page++) {
    const r = await getJson(`/api/v1/positions?${query({ from, to, every_s: everyS, limit: API_LIMIT_MAX })}`);
    if (!isCurrent()) return false;
    onPage(r.positions);
    if (!r.next_from) return true;
    from = r.next_from;
  }
  return false;
}

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

/// Shortest time between two pictures handed to the map while streaming: updates arrive in
/// bursts (one per group commit of the node), and a redraw of 20,000 tracks costs a frame.
export const STREAM_EMIT_MS = 250;

/// Events held while streaming, newest kept: the feed window of a busy day.
export const STREAM_EVENTS_MAX = 20000;

/// The latest picture from the node's live stream: the picture once (as PollingSource takes
/// it), then the stream's updates merged into it. A partner's stream (`as=`) carries only the
/// events released to it, never raw tracks. When the node says updates were dropped for this
/// client (`lagged`), or the stream reconnects, the picture is taken again. When the stream
/// cannot be opened, polling takes over.
export class StreamSource {
  constructor({ viewer, onSnapshot, onError }) {
    this.viewer = viewer;
    this.onSnapshot = onSnapshot;
    this.onError = onError;
    this.es = null;
    this.poller = null;
    this.timer = null;
    this.generation = 0;
    this.tracks = new Map();
    this.events = [];
    this.eventIds = new Set();
    this.nowMs = 0;
    // "stream" or "polling": how the picture is being kept up to date.
    this.via = "";
  }

  start() {
    this.stop();
    const generation = this.generation;
    if (typeof EventSource === "undefined") {
      this.poll();
      return;
    }
    const es = new EventSource(`/api/v1/live?${query({ as: this.viewer() })}`);
    this.es = es;
    this.via = "stream";
    es.onopen = () => this.resync(generation);
    es.addEventListener("update", (m) => {
      if (generation !== this.generation) return;
      try {
        this.merge(JSON.parse(m.data));
      } catch (e) {
        this.onError(e);
      }
    });
    es.addEventListener("lagged", () => this.resync(generation));
    es.onerror = () => {
      if (generation !== this.generation) return;
      // CLOSED: the node refused the stream (full, or an older node without it); poll instead.
      // Otherwise the browser reconnects by itself, and onopen takes the picture again.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        this.es = null;
        this.poll();
      } else {
        this.onError(new Error("live stream interrupted"));
      }
    };
  }

  stop() {
    this.generation++;
    if (this.es) this.es.close();
    this.es = null;
    if (this.poller) this.poller.stop();
    this.poller = null;
    clearTimeout(this.timer);
    this.timer = null;
  }

  poll() {
    this.via = "polling";
    this.poller = new PollingSource({ viewer: this.viewer, onSnapshot: this.onSnapshot, onError: this.onError });
    this.poller.start();
  }

  /// Takes the whole picture again (the stream goes on meanwhile; its updates are merged
  /// into what arrives, newest report winning).
  async resync(generation) {
    try {
      const rows = await tracks();
      const nowMs = newestMs(rows);
      const evs = await events({ fromMs: nowMs - FEED_WINDOW_MS, viewer: this.viewer() });
      if (generation !== this.generation) return;
      const fresh = new Map(rows.map((r) => [r.target, r]));
      for (const [target, r] of this.tracks) {
        const f = fresh.get(target);
        if (!f || Date.parse(f.last_seen) < Date.parse(r.last_seen)) fresh.set(target, r);
      }
      this.tracks = fresh;
      this.events = [];
      this.eventIds = new Set();
      this.nowMs = Math.max(this.nowMs, nowMs);
      this.addEvents(evs);
      this.emit();
    } catch (e) {
      if (generation === this.generation) this.onError(e);
    }
  }

  addEvents(evs) {
    for (const e of evs) {
      if (this.eventIds.has(e.id)) continue;
      this.eventIds.add(e.id);
      this.events.push(e);
      this.nowMs = Math.max(this.nowMs, Date.parse(e.time) || 0);
    }
  }

  merge({ tracks: rows = [], events: evs = [] }) {
    for (const r of rows) {
      const old = this.tracks.get(r.target);
      if (!old || Date.parse(old.last_seen) <= Date.parse(r.last_seen)) this.tracks.set(r.target, r);
      this.nowMs = Math.max(this.nowMs, Date.parse(r.last_seen) || 0);
    }
    this.addEvents(evs);
    if (!this.timer) this.timer = setTimeout(() => this.emit(), STREAM_EMIT_MS);
  }

  emit() {
    clearTimeout(this.timer);
    this.timer = null;
    // The feed window, oldest first, as the events endpoint answers it.
    const fromMs = this.nowMs - FEED_WINDOW_MS;
    this.events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : 1));
    let drop = 0;
    while (drop < this.events.length && (Date.parse(this.events[drop].time) < fromMs || this.events.length - drop > STREAM_EVENTS_MAX)) drop++;
    for (const e of this.events.slice(0, drop)) this.eventIds.delete(e.id);
    this.events = this.events.slice(drop);
    this.onSnapshot({ tracks: [...this.tracks.values()], events: this.events.slice(), nowMs: this.nowMs });
  }
}
