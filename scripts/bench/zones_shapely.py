"""Times shapely 2's vectorised predicates on the points and segments the Kuroshio pipeline
bench dumped (crates/detect/benches/pipeline.rs --dump DIR), against the catalogue exported by
`kuroshio zones --geojson`.

- points: for every area (Polygon/MultiPolygon feature), `shapely.contains_xy(area, x, y)` on
  the whole coordinate arrays, the area prepared with `shapely.prepare` first (a
  MultiPolygon whose parts overlap is replaced by the union of its parts, which is what the
  catalogue means by it);
- segments: the segments built once with `shapely.linestrings`, then for every line and gate
  (LineString/MultiLineString feature, prepared) `shapely.intersects(line, segments)`, and
  separately `shapely.crosses(line, segments)`; and `shapely.intersects` against the lines
  and the boundaries of all areas (prepared), the scope of Kuroshio's `Catalogue::crossings`.

Only the predicate calls are timed (time.perf_counter), best of --passes; reading the files,
building geometries and preparing them are not. Prints one tab-separated row per operation:
`shapely<TAB>operation<TAB>items<TAB>seconds<TAB>hits`, where hits is the number of
(point, area) or (segment, line) pairs for which the predicate is true.

Run single-threaded (shapely's predicates are; pin with taskset -c 0).
"""

import argparse
import json
import time

import numpy as np
import shapely


def best(passes, fn):
    t_best = float("inf")
    hits = 0
    for _ in range(passes):
        t = time.perf_counter()
        hits = fn()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best, hits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geojson", required=True)
    ap.add_argument("--dump", required=True, help="directory with points.f64 and segments.f64")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()

    with open(args.geojson) as f:
        features = json.load(f)["features"]
    areas, lines = [], []
    for ft in features:
        g = shapely.geometry.shape(ft["geometry"])
        if g.geom_type in ("Polygon", "MultiPolygon"):
            if not shapely.is_valid(g) and g.geom_type == "MultiPolygon":
                # Overlapping parts (e.g. the 12 nm limits of neighbouring islands): the
                # catalogue means their union; GEOS's point-in-polygon would count a point
                # in two parts as outside.
                g = shapely.union_all(list(g.geoms))
            areas.append(g)
        elif g.geom_type in ("LineString", "MultiLineString"):
            lines.append(g)
    # Area boundaries as lines: Kuroshio's `crossings` tests segments against these too.
    edges = [shapely.boundary(a) for a in areas]
    for g in areas + lines + edges:
        shapely.prepare(g)

    pts = np.fromfile(f"{args.dump}/points.f64", dtype="<f8").reshape(-1, 2)
    x = np.ascontiguousarray(pts[:, 0])
    y = np.ascontiguousarray(pts[:, 1])
    segs = np.fromfile(f"{args.dump}/segments.f64", dtype="<f8").reshape(-1, 2, 2)
    seg_geoms = shapely.linestrings(segs)

    def points_in_areas():
        return sum(int(np.count_nonzero(shapely.contains_xy(a, x, y))) for a in areas)

    def segs_intersect_lines():
        return sum(int(np.count_nonzero(shapely.intersects(g, seg_geoms))) for g in lines)

    def segs_intersect_lines_and_edges():
        return sum(int(np.count_nonzero(shapely.intersects(g, seg_geoms)))
                   for g in lines + edges)

    def segs_cross_lines():
        return sum(int(np.count_nonzero(shapely.crosses(g, seg_geoms))) for g in lines)

    print(f"# shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
          f"{len(areas)} areas, {len(lines)} lines/gates", flush=True)
    s, h = best(args.passes, points_in_areas)
    print(f"shapely\tpoints: contains_xy x {len(areas)} areas\t{len(x)}\t{s:.4f}\t{h}", flush=True)
    s, h = best(args.passes, segs_intersect_lines)
    print(f"shapely\tsegments: intersects x {len(lines)} lines\t{len(seg_geoms)}\t{s:.4f}\t{h}",
          flush=True)
    s, h = best(args.passes, segs_intersect_lines_and_edges)
    print(f"shapely\tsegments+edges: intersects x {len(lines)} lines + {len(edges)} area edges"
          f"\t{len(seg_geoms)}\t{s:.4f}\t{h}", flush=True)
    s, h = best(args.passes, segs_cross_lines)
    print(f"shapely\tsegments: crosses x {len(lines)} lines\t{len(seg_geoms)}\t{s:.4f}\t{h}",
          flush=True)


if __name__ == "__main__":
    main()
