"""The pandas + GeoPandas peer of the store benchmark: the same position rows written durably
as GeoParquet.

Reads the rows the store bench dumped (CSV: time_ns,target,source,lon,lat,speed_knots,
course_deg,heading_deg,altitude_ft) into a pandas DataFrame, untimed. Timed, best of --passes:
building the point geometries (`geopandas.points_from_xy`) and the GeoDataFrame, writing it
with `GeoDataFrame.to_parquet(compression="zstd", write_covering_bbox=True)` (GeoParquet 1.1
with the bbox covering column, as the embedded store writes), and fsync of the file, so the
rows are durable when the clock stops, as they are when the store acknowledges a batch.

Prints one TSV line: tool, operation, rows, seconds, rows/s.
"""

import argparse
import os
import sys
import tempfile
import time

import geopandas
import pandas


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", required=True, help="CSV of rows dumped by the store bench")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args()

    df = pandas.read_csv(
        args.rows,
        dtype={"time_ns": "int64", "target": "string", "source": "string"},
    )
    df["time"] = pandas.to_datetime(df.pop("time_ns"), unit="ns", utc=True)
    n = len(df)
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.passes):
            path = os.path.join(tmp, f"pass{i}.parquet")
            start = time.perf_counter()
            gdf = geopandas.GeoDataFrame(
                df, geometry=geopandas.points_from_xy(df["lon"], df["lat"]), crs="OGC:CRS84"
            )
            gdf.to_parquet(path, compression="zstd", write_covering_bbox=True)
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            seconds = time.perf_counter() - start
            best = seconds if best is None else min(best, seconds)
            os.remove(path)
    print(f"geopandas\tdurable GeoParquet write\t{n}\t{best:.4f}\t{n / best:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
