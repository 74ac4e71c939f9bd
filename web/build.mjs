// Builds the web map into dist/: the app bundle (esbuild), MapLibre's worker and stylesheet,
// and the offline basemap as GeoJSON cut from Natural Earth (world-atlas TopoJSON).
//
// Usage: node build.mjs   (scripts/build-web runs `npm ci` first)

import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature, mesh } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const modules = join(here, "node_modules");

// The region drawn at 1:10m (W, S, E, N in degrees): East Asia from the South China Sea to
// Hokkaido, with margin around Taiwan and the Ryukyus. Outside it the 1:110m land is drawn.
const REGION_BBOX = [95, -5, 165, 55];

// Coordinates are rounded to 1e-4 degrees (about 11 m), far below the 1:10m data's own
// accuracy, which keeps the basemap files a third of their size.
const COORD_DECIMALS = 4;

const round = (v) => Number(v.toFixed(COORD_DECIMALS));
const roundCoords = (c) => (typeof c[0] === "number" ? c.map(round) : c.map(roundCoords));

function bboxOf(coords, b = [Infinity, Infinity, -Infinity, -Infinity]) {
  if (typeof coords[0] === "number") {
    b[0] = Math.min(b[0], coords[0]);
    b[1] = Math.min(b[1], coords[1]);
    b[2] = Math.max(b[2], coords[0]);
    b[3] = Math.max(b[3], coords[1]);
    return b;
  }
  for (const c of coords) bboxOf(c, b);
  return b;
}

const intersects = (a, b) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

/// Parts of a (Multi)Polygon or (Multi)LineString whose bounding box meets REGION_BBOX, as
/// single-part features. Parts are kept whole (never clipped), so coastlines are not cut.
function partsInRegion(geometry, kind) {
  const parts = geometry.type.startsWith("Multi") ? geometry.coordinates : [geometry.coordinates];
  return parts
    .filter((p) => intersects(bboxOf(p), REGION_BBOX))
    .map((p) => ({ type: "Feature", properties: {}, geometry: { type: kind, coordinates: roundCoords(p) } }));
}

async function readJson(path) {
  return JSON.parse(await readFile(path, "utf8"));
}

async function basemap() {
  const out = join(dist, "basemap");
  await mkdir(out, { recursive: true });
  const fine = await readJson(join(modules, "world-atlas", "countries-10m.json"));
  const coarse = await readJson(join(modules, "world-atlas", "land-110m.json"));

  const land = feature(fine, fine.objects.land);
  const landParts = land.features
    ? land.features.flatMap((f) => partsInRegion(f.geometry, "Polygon"))
    : partsInRegion(land.geometry, "Polygon");
  // Borders between two countries only (a !== b): coastlines come from the land polygons.
  const borders = mesh(fine, fine.objects.countries, (a, b) => a !== b);
  const borderParts = partsInRegion(borders, "LineString");
  const world = feature(coarse, coarse.objects.land);
  const worldGeom = world.features ? world.features.map((f) => f.geometry) : [world.geometry];
  const worldParts = worldGeom.flatMap((g) =>
    (g.type === "MultiPolygon" ? g.coordinates : [g.coordinates]).map((p) => ({
      type: "Feature",
      properties: {},
      geometry: { type: "Polygon", coordinates: roundCoords(p) },
    })),
  );

  const write = (name, features) =>
    writeFile(join(out, name), JSON.stringify({ type: "FeatureCollection", features }));
  await write("land-10m.geojson", landParts);
  await write("borders-10m.geojson", borderParts);
  await write("land-110m.geojson", worldParts);
  return { land: landParts.length, borders: borderParts.length, world: worldParts.length };
}

async function main() {
  await rm(dist, { recursive: true, force: true });
  await mkdir(join(dist, "vendor"), { recursive: true });
  await build({
    entryPoints: [join(here, "src", "main.js")],
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: true,
    outfile: join(dist, "app.js"),
    logLevel: "warning",
  });
  // MapLibre 6 runs its worker from a module of its own, loaded by URL (setWorkerUrl in main.js).
  const ml = join(modules, "maplibre-gl", "dist");
  await copyFile(join(ml, "maplibre-gl-worker.mjs"), join(dist, "vendor", "maplibre-gl-worker.mjs"));
  await copyFile(join(ml, "maplibre-gl.css"), join(dist, "vendor", "maplibre-gl.css"));
  for (const f of ["index.html", "style.css"]) {
    await copyFile(join(here, "src", f), join(dist, f));
  }
  await copyFile(join(here, "NOTICE.md"), join(dist, "NOTICE.md"));
  const counts = await basemap();
  console.log(
    `web/dist: app.js, basemap (${counts.land} land parts, ${counts.borders} border lines at 1:10m; ${counts.world} land parts at 1:110m)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
