// What the browser tests share: a running `kuroshio demo` on a free loopback port, Debian's
// Chromium driven by playwright-core with the page's network cut off from everything but that
// node, and a PNG reader for checking screen pixels.

import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(here, "..");
export const REPO_DIR = resolve(WEB_DIR, "..");
export const RESULTS_DIR = join(WEB_DIR, "test-results");

// Longest wait for the demo to print its address: a debug build starts in about a second.
const DEMO_START_MS = 60_000;

/// The demo's event marking policy for the tests: some kinds released to JP and US, some to
/// JP only, the rest (AMBER+STRICT) to no partner, so the partner views differ.
export const POLICY = {
  default: { tlp: "AMBER+STRICT", releasable_to: [] },
  kinds: {
    line_crossing: { tlp: "GREEN", releasable_to: ["JP", "US"] },
    gate_transit: { tlp: "CLEAR", releasable_to: ["JP", "US"] },
    zone_entry: { tlp: "AMBER", releasable_to: ["JP"] },
  },
};

/// The `kuroshio` binary: $KUROSHIO_BIN, else the debug build under $CARGO_TARGET_DIR or the
/// repository's target/.
export function binary() {
  if (process.env.KUROSHIO_BIN) return process.env.KUROSHIO_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(REPO_DIR, "target");
  return join(target, "debug", "kuroshio");
}

/// Starts `kuroshio demo` on a fresh store at `speed` × real time; resolves to
/// {base, stop()} once the API address is printed.
export async function startDemo({ speed = 600 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "kuroshio-web-"));
  const policy = join(dir, "policy.json");
  await writeFile(policy, JSON.stringify(POLICY));
  const child = spawn(
    binary(),
    ["demo", "--store", join(dir, "store"), "--speed", String(speed), "--listen", "127.0.0.1:0", "--policy", policy, "--every", "3600"],
    { env: { ...process.env, KUROSHIO_WEB_DIR: join(WEB_DIR, "dist") }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`demo printed no address in ${DEMO_START_MS} ms:\n${log}`)), DEMO_START_MS);
    const read = (chunk) => {
      log += chunk;
      const m = /API: (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`demo exited (${code}):\n${log}`));
    });
  });
  const stop = async () => {
    child.kill("SIGINT");
    await new Promise((ok) => {
      if (child.exitCode !== null) ok();
      child.on("exit", ok);
      setTimeout(() => {
        child.kill("SIGKILL");
        ok();
      }, 10_000);
    });
    await rm(dir, { recursive: true, force: true });
  };
  return { base, stop };
}

/// Chromium from Debian with the flags this machine needs (no background networking; Playwright
/// gives every launch a fresh temporary profile), and a page whose every request outside `base`
/// is aborted and recorded.
export async function openPage(base) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-gl=angle",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const external = [];
  const origin = new URL(base).origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    external.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("request", (r) => {
    const url = r.url();
    if (/^(https?|wss?):/.test(url) && !url.startsWith(`${origin}/`)) external.push(url);
  });
  const close = async () => {
    await browser.close();
  };
  return { page, external, errors, close };
}

/// Saves a screenshot under web/test-results/.
export async function screenshot(page, name) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/// JSON from the node, as the tests' own reference (not through the page).
export async function api(base, path) {
  const res = await fetch(`${base}${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

/// Polls `check` (async, truthy when done) every `every_ms` until `limit_ms`; its last value.
export async function until(check, { limit_ms = 60_000, every_ms = 250, what = "condition" } = {}) {
  const end = Date.now() + limit_ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not reached in ${limit_ms} ms`);
    await new Promise((ok) => setTimeout(ok, every_ms));
  }
}

/// Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are):
/// {width, height, pixel(x, y) → [r, g, b]}.
export function decodePng(buf) {
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) {
        throw new Error(`PNG depth ${depth} colour ${colour} interlace ${interlace} not read here`);
      }
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => {
      const i = Math.round(y) * stride + Math.round(x) * channels;
      return [out[i], out[i + 1], out[i + 2]];
    },
  };
}
