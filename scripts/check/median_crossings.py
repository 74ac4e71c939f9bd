#!/usr/bin/env python3
"""Counts crossings of the Taiwan Strait median line by traced PLA aircraft tracks, with shapely.

An independent oracle for the Rust zone catalogue (crates/zones/tests/shapely_crosscheck.rs
compares its per-track counts with `Catalogue::crossings`). Only the standard library and
shapely 2 (GEOS) are used; no project code is imported.

Usage:
    median_crossings.py CATALOGUE.geojson DATA_DIR [FILE ...]

CATALOGUE.geojson is the zone catalogue as GeoJSON (`kuroshio zones --geojson`, or
crates/zones/data/zones.geojson); the line is the feature whose `properties.id` is
`tw_strait_median_line` (override with KUROSHIO_LINE_ID). DATA_DIR is the twreporter-pla-path
folder of the shared data; FILEs are track GeoJSON files relative to it (default: the MND track
file of 2022-08..2023-09, the same features as crates/zones/tests/tracks.rs).

Geometry is planar in (lon, lat) degrees, as in the catalogue: lon = x, lat = y.

How a track is counted (one entry per feature, in file order; features that are not a
LineString or MultiLineString count as tracks with 0 crossings, as in tracks.rs):
  - the track geometry is intersected with the median line (`shapely.intersection`);
  - `crossings` is the number of Point parts of the result. GEOS merges equal points, so a
    track meeting the line twice at exactly the same coordinates counts once;
  - `touches` is how many of those points are touches rather than clean crossings: the point
    is a track vertex or an end of the median line. Such a point is counted once here, while a
    half-open segment test (the Rust API) may count it 0, 1 or 2 times depending on the sides
    the track comes from and goes to;
  - `overlaps` is the number of LineString parts of the result (a track running along the
    line). They are not counted in `crossings`.

Output (stdout, one JSON object):
    {"tracks": N, "crossing_tracks": M, "crossings": K, "touches": T, "overlaps": O,
     "files": [...], "per_track": [{"file": F, "index": I, "id": ID, "crossings": C,
     "touches": T, "overlaps": O}, ...]}
Exit status: 0 on success, 2 on bad arguments or input.
"""

import json
import os
import sys

import shapely
from shapely.geometry import shape

DEFAULT_FILES = ["Taiwan/20220801-20230915_fixed.geojson"]
LINE_ID = os.environ.get("KUROSHIO_LINE_ID", "tw_strait_median_line")


def fail(message):
    print(f"median_crossings: {message}", file=sys.stderr)
    sys.exit(2)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail(f"cannot read {path}: {e}")


def median_line(catalogue_path):
    catalogue = load_json(catalogue_path)
    for feature in catalogue.get("features", []):
        if (feature.get("properties") or {}).get("id") == LINE_ID:
            geom = shape(feature["geometry"])
            if geom.geom_type not in ("LineString", "MultiLineString"):
                fail(f"{LINE_ID} is a {geom.geom_type}, not a line")
            return geom
    fail(f"no feature with id {LINE_ID} in {catalogue_path}")


def vertex_set(geom):
    return {tuple(c) for c in shapely.get_coordinates(geom).tolist()}


def count_track(geom, line, line_ends):
    """Returns (crossings, touches, overlaps) of one track with the line."""
    if geom is None or geom.geom_type not in ("LineString", "MultiLineString"):
        return 0, 0, 0
    hit = shapely.intersection(geom, line)
    if hit.is_empty:
        return 0, 0, 0
    vertices = vertex_set(geom)
    crossings = touches = overlaps = 0
    for part in shapely.get_parts(hit).tolist():
        if part.is_empty:
            continue
        if part.geom_type == "Point":
            crossings += 1
            xy = (part.x, part.y)
            if xy in vertices or xy in line_ends:
                touches += 1
        elif part.geom_type == "LineString":
            overlaps += 1
        else:
            fail(f"unexpected intersection part {part.geom_type}")
    return crossings, touches, overlaps


def main(argv):
    if len(argv) < 3:
        fail("usage: median_crossings.py CATALOGUE.geojson DATA_DIR [FILE ...]")
    line = median_line(argv[1])
    line_ends = set()
    for part in shapely.get_parts(line).tolist():
        coords = shapely.get_coordinates(part).tolist()
        line_ends.add(tuple(coords[0]))
        line_ends.add(tuple(coords[-1]))
    files = argv[3:] or DEFAULT_FILES
    per_track = []
    for name in files:
        data = load_json(os.path.join(argv[2], name))
        for index, feature in enumerate(data.get("features", [])):
            raw = feature.get("geometry")
            geom = shape(raw) if raw else None
            crossings, touches, overlaps = count_track(geom, line, line_ends)
            per_track.append(
                {
                    "file": name,
                    "index": index,
                    "id": (feature.get("properties") or {}).get("id"),
                    "crossings": crossings,
                    "touches": touches,
                    "overlaps": overlaps,
                }
            )
    result = {
        "tracks": len(per_track),
        "crossing_tracks": sum(1 for t in per_track if t["crossings"] > 0),
        "crossings": sum(t["crossings"] for t in per_track),
        "touches": sum(t["touches"] for t in per_track),
        "overlaps": sum(t["overlaps"] for t in per_track),
        "files": files,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "per_track": per_track,
    }
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
