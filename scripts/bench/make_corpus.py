#!/usr/bin/env python3
"""Builds the AIS benchmark corpus from the real recorded feeds in the shared data folder.

Every AIS NMEA line (``!xxVDM`` / ``!xxVDO``, optionally behind NMEA 4.10 tag blocks) of the
files listed in SOURCES is taken in file order, exactly as it appears (tag blocks, trailing
receiver metadata after the checksum, two sentences run together on one line, bad checksums and
broken payloads all stay: they are part of real feeds). Lines that are not AIS sentences
(comments, blank lines, ``$PGHP`` Gatehouse headers, ``$GPRMC`` and other NMEA, JSON) are left
out. Because only whole non-AIS lines are dropped, multi-sentence groups stay intact and in
order. The one-pass concatenation is repeated whole until the corpus has at least
``--min-lines`` lines, so a group is never cut at a repetition boundary.

Deterministic: the same data gives the same bytes on every run (files in a fixed order, CR/LF
line ends normalised to LF, one LF after every line). Uses the standard library only.

It deliberately does not validate or decode anything: what a sentence means is the decoders'
business, and the benchmark wants them to meet the same good and bad input.
"""

import argparse
import gzip
import hashlib
import os
import re
import sys
from pathlib import Path

# (source folder, file name patterns); files of one source are taken in byte order of their
# names, sources in this order. ais.txt.gz is listed apart so it leads its folder.
SOURCES = [
    ("gpsd-ais", ["sample.aivdm"]),
    ("dma-aislib", ["*.txt"]),
    ("amsa-risky", ["ais.txt.gz", "*.txt"]),
    ("aisdb", ["*.nm4"]),
    ("libais", ["*.nmea"]),
    ("pyais", ["*.nmea", "*.ais", "*.txt"]),
    ("gfw-ais-tools", ["*.nmea"]),
]

# An AIS sentence line: any number of tag blocks (\...\), then '!', a two-character talker
# and VDM (other vessels) or VDO (own vessel). Talkers are not checked: corrupted talkers such as
# "!=IVDM" occur in the recorded feeds and stay in.
AIS_LINE = re.compile(rb"^(?:\\[^\\]*\\)*!..VD[MO],")


def read_lines(path):
    """Returns the lines of a file (gunzipped when it ends in .gz), without line ends."""
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as f:
            data = f.read()
    else:
        data = path.read_bytes()
    # Only CR, LF and CRLF are line ends here (bytes.splitlines would also split on other
    # control bytes that may sit inside a corrupted sentence).
    return re.split(rb"\r\n|\r|\n", data)


def source_files(data_dir, folder, patterns):
    """Returns the files of one source in a fixed order, each once."""
    seen = set()
    files = []
    for pattern in patterns:
        for path in sorted((data_dir / folder).glob(pattern), key=lambda p: p.name.encode()):
            if path.is_file() and path not in seen:
                seen.add(path)
                files.append(path)
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="the shared data folder")
    parser.add_argument("--out", required=True, type=Path, help="corpus file to write")
    parser.add_argument("--min-lines", type=int, default=1_000_000)
    args = parser.parse_args()

    one_pass = []
    per_source = []  # (folder, files, lines)
    per_file = []  # (relative path, lines)
    for folder, patterns in SOURCES:
        files = source_files(args.data, folder, patterns)
        if not files:
            print(f"make_corpus: no files for source {folder} under {args.data}", file=sys.stderr)
            return 1
        source_lines = 0
        for path in files:
            lines = [line for line in read_lines(path) if AIS_LINE.match(line)]
            one_pass.extend(lines)
            source_lines += len(lines)
            per_file.append((f"{folder}/{path.name}", len(lines)))
        per_source.append((folder, len(files), source_lines))

    if not one_pass:
        print("make_corpus: no AIS lines found", file=sys.stderr)
        return 1
    passes = -(-args.min_lines // len(one_pass))  # ceiling division
    block = b"\n".join(one_pass) + b"\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    digest = hashlib.sha256()
    with open(tmp, "wb") as f:
        for _ in range(passes):
            f.write(block)
            digest.update(block)
    os.replace(tmp, args.out)

    total = passes * len(one_pass)
    print(f"corpus: {args.out}")
    print(f"corpus: {total} lines, {passes * len(block)} bytes, sha256 {digest.hexdigest()}")
    print(f"corpus: {len(one_pass)} AIS lines per pass x {passes} passes")
    print(f"  {'source':<16} {'files':>5} {'lines/pass':>10} {'lines':>9} {'share':>6}")
    for folder, nfiles, lines in per_source:
        print(f"  {folder:<16} {nfiles:>5} {lines:>10} {lines * passes:>9} {lines / len(one_pass):>6.1%}")
    print(f"  {'total':<16} {len(per_file):>5} {len(one_pass):>10} {total:>9} {1:>6.1%}")
    if os.environ.get("KUROSHIO_BENCH_VERBOSE"):
        for name, lines in per_file:
            print(f"    {name:<48} {lines:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
