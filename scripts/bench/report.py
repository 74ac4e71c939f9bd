#!/usr/bin/env python3
"""Prints the AIS benchmark table from the results file that scripts/bench-ais writes.

Input: a tab-separated file with a header line and the columns
``id  tool  seconds  sentences_per_second  note``; an empty figure means "not available".
Rows whose id starts with ``kuroshio`` are Kuroshio's, the others are peers.

Output: one table of every tool (wall seconds, sentences per second, note), then a table of
ratios, Kuroshio's sentences per second divided by each peer's (above 1: Kuroshio is faster),
one column per peer, headed by the peer's id.
The like-for-like pairs are marked with ``*``: JSON in gpsd's layout against gpsdecode, NDJSON
against pyais decode + json.dumps, decode only against pyais decode only.

It deliberately measures nothing itself.
"""

import argparse
import csv
import sys

# Which peer each Kuroshio row is meant to be compared with.
LIKE_FOR_LIKE = {
    "kuroshio-gpsd": "gpsdecode",
    "kuroshio-ndjson": "pyais-json",
    "kuroshio-decode": "pyais-decode",
}


def number(text):
    """Returns the float in text, or None for an empty or unparsable cell."""
    try:
        return float(text) if text else None
    except ValueError:
        return None


def grouped(value, decimals=0):
    """Formats a number with thousands separators, or n/a."""
    if value is None:
        return "n/a"
    return f"{value:,.{decimals}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results TSV written by scripts/bench-ais")
    parser.add_argument("--lines", type=int, required=True, help="corpus line count")
    args = parser.parse_args()

    with open(args.results, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        row["seconds"] = number(row["seconds"])
        row["sps"] = number(row["sentences_per_second"])

    width = max(len(row["tool"]) for row in rows)
    print(f"== results: {args.lines:,} sentences (corpus lines), one run each, pinned to CPU 0")
    print(f"{'tool':<{width}}  {'seconds':>8}  {'sentences/s':>12}  note")
    for row in rows:
        seconds = "-" if row["seconds"] is None and row["sps"] is not None else grouped(row["seconds"], 3)
        print(f"{row['tool']:<{width}}  {seconds:>8}  {grouped(row['sps']):>12}  {row['note']}")

    peers = [row for row in rows if not row["id"].startswith("kuroshio")]
    ours = [row for row in rows if row["id"].startswith("kuroshio")]
    if not peers or not ours:
        return 0
    print()
    print("== ratio: kuroshio sentences/s / peer sentences/s (above 1: kuroshio is faster; * like for like)")
    columns = [max(len(peer["id"]), 6) for peer in peers]
    header = "  ".join(f"{peer['id']:>{w}}" for peer, w in zip(peers, columns))
    print(f"{'':<{width}}  {header}")
    for row in ours:
        cells = []
        for peer, w in zip(peers, columns):
            if row["sps"] is None or not peer["sps"]:
                cell = "n/a"
            else:
                cell = f"{row['sps'] / peer['sps']:.2f}x"
            if LIKE_FOR_LIKE.get(row["id"]) == peer["id"]:
                cell = "*" + cell
            cells.append(f"{cell:>{w}}")
        print(f"{row['tool']:<{width}}  {'  '.join(cells)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
