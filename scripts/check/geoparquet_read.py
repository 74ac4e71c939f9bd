#!/usr/bin/env python3
"""Reads a GeoParquet file written by kuroshio-archive with pyarrow and GeoPandas.

An independent reader for the archive's sealed and exported files
(crates/archive/tests/geoparquet_peers.rs compares its output with the rows written). Only the
standard library, pyarrow and GeoPandas are used; no project code is imported.

Usage:
    geoparquet_read.py FILE.parquet [ROWS]

Prints one JSON object:
  - `rows`: the row count (pyarrow, from the file);
  - `geo`: the file's `geo` key-value metadata, parsed;
  - `bbox`: `[xmin, ymin, xmax, ymax]` of the geometries as GeoPandas computes it
    (`total_bounds`);
  - `crs`: the CRS GeoPandas assigns (an absent `crs` in GeoParquet means OGC:CRS84);
  - `schema`: pyarrow's rendering of each column's type;
  - `sample`: the first ROWS rows (default 5; `all` for every row), each with `time`
    (nanoseconds since the epoch, from the timestamp column), `target`, `source`, `lon`,
    `lat`, the kinematics (null when absent), `x`/`y` of the geometry GeoPandas decoded and
    the `bbox` covering struct (read with pyarrow: GeoPandas leaves covering columns out).
"""

import json
import sys

import geopandas
import pyarrow.parquet as pq


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    limit = sys.argv[2] if len(sys.argv) == 3 else "5"

    pf = pq.ParquetFile(path)
    meta = pf.metadata.metadata or {}
    geo = json.loads(meta[b"geo"].decode("utf-8")) if b"geo" in meta else None
    table = pf.read()
    schema = {f.name: str(f.type) for f in table.schema}

    gdf = geopandas.read_parquet(path)
    n = len(gdf) if limit == "all" else min(int(limit), len(gdf))
    times = table.column("time").cast("int64").to_pylist()[:n]
    # GeoPandas recognises the covering column and leaves it out; take it from pyarrow.
    boxes = table.column("bbox").to_pylist()[:n]
    sample = []
    for i in range(n):
        rec = gdf.iloc[i]
        geom = rec["geometry"]

        def opt(name):
            v = rec[name]
            return None if v is None or v != v else float(v)  # NaN marks a null here

        sample.append(
            {
                "time": times[i],
                "target": rec["target"],
                "source": rec["source"],
                "lon": float(rec["lon"]),
                "lat": float(rec["lat"]),
                "speed_knots": opt("speed_knots"),
                "course_deg": opt("course_deg"),
                "heading_deg": opt("heading_deg"),
                "altitude_ft": opt("altitude_ft"),
                "x": geom.x,
                "y": geom.y,
                "bbox": {k: float(v) for k, v in boxes[i].items()},
            }
        )
    out = {
        "rows": pf.metadata.num_rows,
        "geo": geo,
        "bbox": [float(v) for v in gdf.total_bounds],
        "crs": gdf.crs.to_string() if gdf.crs is not None else None,
        "schema": schema,
        "sample": sample,
    }
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
