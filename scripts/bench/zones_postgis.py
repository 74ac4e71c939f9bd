"""Times PostGIS on the points and segments the Kuroshio pipeline bench dumped
(crates/detect/benches/pipeline.rs --dump DIR), against the catalogue exported by
`kuroshio zones --geojson`, in a throwaway PostgreSQL cluster.

The cluster: initdb into a fresh temporary directory owned by the `postgres` user (this script
runs as root and drops to that user for the server), listening only on a Unix socket in that
directory (listen_addresses = ''), on --port; started pinned to CPU 0 (taskset -c 0) and
stopped, and its directory removed, on every exit path.

Loaded: the catalogue into `zone (id, kind, geom)` via ST_GeomFromGeoJSON (SRID 4326; a
MultiPolygon whose parts overlap is replaced by the union of its parts), --limit points and
segments (evenly spaced through the files) into `pt (geom)` and `seg (geom)` via COPY of
their coordinates then ST_MakePoint / ST_MakeLine; GiST indexes on all three geometry columns;
ANALYZE. Parallel query is off (max_parallel_workers_per_gather = 0): one core.

Timed (psql \\timing wall time of the whole statement, best of --passes):
- `SELECT count(*) FROM zone z JOIN pt p ON ST_Intersects(z.geom, p.geom)
   WHERE z.kind = 'area'` — every (point, area) pair;
- the same for `seg` against lines and gates (`z.kind <> 'area'`) with ST_Intersects, and
  with ST_Crosses; and ST_Intersects against lines, gates and area boundaries (a table
  `edge` with ST_Boundary of the areas, built and indexed before timing), the scope of
  Kuroshio's `Catalogue::crossings`.

Prints one tab-separated row per operation: `postgis<TAB>operation<TAB>items<TAB>seconds<TAB>hits`.
"""

import argparse
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

PG_BIN = "/usr/lib/postgresql/15/bin"


def subset(rows, limit):
    """At most `limit` rows, evenly spaced through `rows` (so all rounds of the stream and all
    targets are represented)."""
    if len(rows) <= limit:
        return rows
    return rows[np.linspace(0, len(rows) - 1, limit).round().astype(np.int64)]


def as_postgres(cmd, **kw):
    return subprocess.run(["runuser", "-u", "postgres", "--"] + cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geojson", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--limit", type=int, default=200_000)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--port", type=int, default=54329)
    args = ap.parse_args()

    pg = pwd.getpwnam("postgres")
    tmp = tempfile.mkdtemp(prefix="kuroshio-pg-")
    os.chown(tmp, pg.pw_uid, pg.pw_gid)
    data = os.path.join(tmp, "data")
    started = False

    def psql(sql, capture=True):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
             "-h", tmp, "-p", str(args.port), "-d", "bench"],
            input=sql, text=True, check=True, capture_output=capture)

    try:
        as_postgres([f"{PG_BIN}/initdb", "-D", data, "-A", "trust", "-E", "UTF8",
                     "--no-locale"], stdout=subprocess.DEVNULL)
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{tmp}' -p {args.port} "
                "-c max_parallel_workers_per_gather=0 -c shared_buffers=256MB "
                "-c work_mem=64MB -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c jit=off")
        as_postgres(["taskset", "-c", "0", f"{PG_BIN}/pg_ctl", "-D", data, "-w", "-s",
                     "-l", os.path.join(tmp, "log"), "-o", opts, "start"])
        started = True
        as_postgres(["createdb", "-h", tmp, "-p", str(args.port), "bench"])
        version = psql("\\pset tuples_only on\nCREATE EXTENSION postgis;\n"
                       "SELECT version(), postgis_lib_version(), postgis_geos_version();\n")
        with open(args.geojson) as f:
            features = json.load(f)["features"]
        rows = []
        for ft in features:
            kind = ft["properties"].get("kind", "")
            g = json.dumps(ft["geometry"]).replace("'", "''")
            zid = str(ft["properties"].get("id", "")).replace("'", "''")
            rows.append(f"('{zid}', '{kind}', ST_SetSRID(ST_GeomFromGeoJSON('{g}'), 4326))")
        pts = subset(np.fromfile(f"{args.dump}/points.f64", dtype="<f8").reshape(-1, 2),
                     args.limit)
        segs = subset(np.fromfile(f"{args.dump}/segments.f64", dtype="<f8").reshape(-1, 4),
                      args.limit)
        pts_csv = "\n".join(f"{a!r},{b!r}" for a, b in pts.tolist())
        segs_csv = "\n".join(f"{a!r},{b!r},{c!r},{d!r}" for a, b, c, d in segs.tolist())
        load = (
            "CREATE TABLE zone (id text, kind text, geom geometry(Geometry, 4326));\n"
            f"INSERT INTO zone VALUES {', '.join(rows)};\n"
            "CREATE TABLE pt_in (x float8, y float8);\n"
            f"COPY pt_in FROM STDIN WITH (FORMAT csv);\n{pts_csv}\n\\.\n"
            "CREATE TABLE seg_in (x0 float8, y0 float8, x1 float8, y1 float8);\n"
            f"COPY seg_in FROM STDIN WITH (FORMAT csv);\n{segs_csv}\n\\.\n"
            "CREATE TABLE pt AS SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom FROM pt_in;\n"
            "CREATE TABLE seg AS SELECT ST_SetSRID(ST_MakeLine(ST_MakePoint(x0, y0), "
            "ST_MakePoint(x1, y1)), 4326) AS geom FROM seg_in;\n"
            # A MultiPolygon with overlapping parts means their union (as in the catalogue).
            "UPDATE zone SET geom = (SELECT ST_Union(d.geom) FROM ST_Dump(zone.geom) d) "
            "WHERE kind = 'area' AND NOT ST_IsValid(geom);\n"
            "CREATE INDEX ON zone USING gist (geom);\n"
            # Lines, gates and area boundaries: the scope of Kuroshio's crossings.
            "CREATE TABLE edge AS SELECT id, CASE WHEN kind = 'area' THEN ST_Boundary(geom) "
            "ELSE geom END AS geom FROM zone;\n"
            "CREATE INDEX ON edge USING gist (geom);\n"
            "CREATE INDEX ON pt USING gist (geom);\n"
            "CREATE INDEX ON seg USING gist (geom);\n"
            "VACUUM ANALYZE zone; VACUUM ANALYZE edge; VACUUM ANALYZE pt; VACUUM ANALYZE seg;\n"
        )
        psql(load)
        print("# " + " ".join(version.stdout.split()), flush=True)
        queries = [
            ("points: ST_Intersects x areas", len(pts),
             "SELECT count(*) FROM zone z JOIN pt p ON ST_Intersects(z.geom, p.geom) "
             "WHERE z.kind = 'area'"),
            ("segments: ST_Intersects x lines", len(segs),
             "SELECT count(*) FROM zone z JOIN seg s ON ST_Intersects(z.geom, s.geom) "
             "WHERE z.kind <> 'area'"),
            ("segments+edges: ST_Intersects x lines + area edges", len(segs),
             "SELECT count(*) FROM edge e JOIN seg s ON ST_Intersects(e.geom, s.geom)"),
            ("segments: ST_Crosses x lines", len(segs),
             "SELECT count(*) FROM zone z JOIN seg s ON ST_Crosses(z.geom, s.geom) "
             "WHERE z.kind <> 'area'"),
        ]
        for name, n, q in queries:
            script = "\\timing on\n" + f"{q};\n" * args.passes
            out = psql(f"\\pset tuples_only on\n\\pset format unaligned\n{script}").stdout
            times = [float(t) / 1000 for t in re.findall(r"Time: ([0-9.]+) ms", out)]
            hits = re.findall(r"^(\d+)$", out, re.M)
            if len(times) != args.passes or not hits:
                sys.exit(f"zones_postgis: unexpected psql output:\n{out}")
            print(f"postgis\t{name}\t{n}\t{min(times):.4f}\t{hits[0]}", flush=True)
        try:
            import shapely  # the same venv; only to check that the subset's counts agree

            areas = [shapely.geometry.shape(f["geometry"]) for f in features
                     if f["properties"].get("kind") == "area"]
            areas = [shapely.union_all(list(g.geoms)) if not g.is_valid else g for g in areas]
            expect = sum(int(shapely.contains_xy(a, pts[:, 0], pts[:, 1]).sum()) for a in areas)
            print(f"# shapely contains_xy pairs on the same {len(pts)} points: {expect}",
                  flush=True)
        except ImportError:
            pass
        plan = psql("EXPLAIN " + queries[0][2] + ";\n").stdout
        print("# plan (points): " + " | ".join(l.strip() for l in plan.splitlines()[:6]),
              flush=True)
    finally:
        if started:
            subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", data,
                            "-w", "-s", "-m", "fast", "stop"], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
