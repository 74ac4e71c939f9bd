#!/usr/bin/env python3
"""Prints the Mode S / ADS-B benchmark table from the results file that scripts/bench-adsb writes.

Input: a tab-separated file with a header line and the columns
``id  corpus  tool  frames  seconds  frames_per_second  note``; an empty figure means "not
available". Rows whose id starts with ``kuroshio`` are Kuroshio's, the others are peers.

Output, per corpus: one table of every tool (wall seconds, frames per second, note), then a
table of ratios, Kuroshio's frames per second divided by each peer's (above 1: Kuroshio is
faster), one column per peer that has a figure, headed by the peer's id. Like-for-like pairs
are marked with ``*``: the decode-only bench (not a stage of it that also writes JSON) against
the stateless per-frame decoders (``pyModeS.decode``, ``rs1090.decode``), the whole ``kuroshio
decode`` process (framing, decoding, CPR positions, JSON) against the stateful peers
(``pyModeS.PipeDecoder``, ``rs1090.decode`` with timestamps).

It deliberately measures nothing itself.
"""

import argparse
import csv
import sys

# Which peers each Kuroshio row is meant to be compared with.
LIKE_FOR_LIKE = {
    "kuroshio-bench": {"pymodes-decode", "rs1090-decode"},
    "kuroshio-cli": {"pymodes-pipe", "rs1090-batch-ts"},
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


def print_corpus(corpus, rows):
    """Prints the tables of one corpus."""
    frames = next((row["frames"] for row in rows if row["frames"]), "?")
    width = max(len(row["tool"]) for row in rows)
    print(f"== {corpus}: {int(frames):,} frames, one run each, pinned to CPU 0")
    print(f"{'tool':<{width}}  {'seconds':>8}  {'frames/s':>11}  note")
    for row in rows:
        seconds = "-" if row["seconds"] is None and row["fps"] is not None else grouped(row["seconds"], 3)
        print(f"{row['tool']:<{width}}  {seconds:>8}  {grouped(row['fps']):>11}  {row['note']}")

    peers = [row for row in rows if not row["id"].startswith("kuroshio") and row["fps"]]
    ours = [row for row in rows if row["id"].startswith("kuroshio")]
    if not peers or not ours:
        return
    print()
    print(f"== {corpus} ratio: kuroshio frames/s / peer frames/s (above 1: kuroshio is faster; * like for like)")
    columns = [max(len(peer["id"]), 7) for peer in peers]
    header = "  ".join(f"{peer['id']:>{w}}" for peer, w in zip(peers, columns))
    print(f"{'':<{width}}  {header}")
    for row in ours:
        cells = []
        for peer, w in zip(peers, columns):
            if row["fps"] is None or not peer["fps"]:
                cell = "n/a"
            else:
                cell = f"{row['fps'] / peer['fps']:.2f}x"
            kind = row["id"].split("-")[1] if "-" in row["id"] else ""
            # A bench stage that also writes JSON does more than the peers' dict-returning calls.
            decode_only = kind != "bench" or "json" not in row["tool"]
            if decode_only and peer["id"] in LIKE_FOR_LIKE.get(f"kuroshio-{kind}", ()):
                cell = "*" + cell
            cells.append(f"{cell:>{w}}")
        print(f"{row['tool']:<{width}}  {'  '.join(cells)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="results TSV written by scripts/bench-adsb")
    args = parser.parse_args()

    with open(args.results, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for row in rows:
        row["seconds"] = number(row["seconds"])
        row["fps"] = number(row["frames_per_second"])

    corpora = list(dict.fromkeys(row["corpus"] for row in rows))
    for i, corpus in enumerate(corpora):
        if i:
            print()
        print_corpus(corpus, [row for row in rows if row["corpus"] == corpus])
    return 0


if __name__ == "__main__":
    sys.exit(main())
