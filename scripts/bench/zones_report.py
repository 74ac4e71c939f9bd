"""Collects the zone benchmark figures of scripts/bench-zones into one table.

Reads the output of the Kuroshio pipeline bench (crates/detect/benches/pipeline.rs) and the
peers' tab-separated rows (scripts/bench/zones_shapely.py, scripts/bench/zones_postgis.py:
tool, operation, items, seconds, hits), prints a table (tool, operation, items, seconds,
items/s, hits) and the ratios of Kuroshio's zone-query rates to each peer's for the same kind
of query, and writes all rows to --out as TSV.

Kuroshio's whole-pipeline rate (tracker + detectors) is listed on its own row and is not
divided by any peer's figure: the peers run only the zone predicates.
"""

import argparse
import re
import sys


def kuroshio_rows(text):
    rows = []
    m = re.search(r"positions_per_second: \d+ \((\d+) observations in ([0-9.]+) s wall", text)
    ev = re.search(r"^events: (\d+)", text, re.M)
    if m:
        rows.append(("kuroshio", "pipeline: Tracker + detectors, full catalogue", int(m[1]),
                     float(m[2]), ev[1] + " events" if ev else ""))
    m = re.search(r"zone_points_per_second: \d+ \((\d+) points in ([0-9.]+) s; "
                  r"point-in-area pairs: (\d+)", text)
    if m:
        rows.append(("kuroshio", "points: areas_containing (all areas)", int(m[1]),
                     float(m[2]), m[3]))
    m = re.search(r"zone_segments_per_second: \d+ \((\d+) segments in ([0-9.]+) s.*"
                  r"per line: (\d+)", text)
    if m:
        rows.append(("kuroshio", "segments: crossings (lines, gates, area edges)", int(m[1]),
                     float(m[2]), m[3]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kuroshio", required=True, help="pipeline bench output")
    ap.add_argument("--peers", required=True, help="TSV rows of the peer scripts")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.kuroshio) as f:
        text = f.read()
    rows = kuroshio_rows(text)
    with open(args.peers) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            tool, op, n, s, hits = line.rstrip("\n").split("\t")
            rows.append((tool, op, int(n), float(s), hits))
    if not rows:
        sys.exit("zones_report: no figures")

    def rate(r):
        return r[2] / r[3] if r[3] > 0 else float("nan")

    header = ("tool", "operation", "items", "seconds", "items/s", "hits")
    with open(args.out, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]:.4f}\t{rate(r):.0f}\t{r[4]}\n")
    print(f"{'tool':<9} {'operation':<52} {'items':>9} {'seconds':>9} {'items/s':>12}  hits")
    for r in rows:
        print(f"{r[0]:<9} {r[1]:<52} {r[2]:>9} {r[3]:>9.4f} {rate(r):>12,.0f}  {r[4]}")

    k = {r[1].split(":")[0]: r for r in rows if r[0] == "kuroshio"}
    print("\nratios (Kuroshio zone-query rate / peer rate, same kind of query):")
    for r in rows:
        if r[0] == "kuroshio":
            continue
        kind = r[1].split(":")[0]
        # Kuroshio's crossings cover lines, gates and area edges: it is compared with both
        # the peers' lines-only and lines-plus-edges rows.
        if kind == "segments+edges":
            kind = "segments"
        if kind in k:
            print(f"  kuroshio {k[kind][1].split(': ')[1]} / {r[0]} {r[1].split(': ')[1]}: "
                  f"{rate(k[kind]) / rate(r):.1f}x")


if __name__ == "__main__":
    main()
