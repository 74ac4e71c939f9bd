#!/usr/bin/env python3
"""Builds the two Mode S / ADS-B benchmark corpora from the recorded frames in the shared data.

For each corpus it writes, under ``--out``:

- the original file, byte for byte, for Kuroshio, which reads both formats natively:
  ``adsb-deku-lax/lax-messages.txt`` (AVR text, ``*<hex>;`` per line) and
  ``rs1090-long-flight/long_flight.csv`` (``<epoch seconds>,<Beast frame hex>`` per line);
- the bare Mode S frames for the peers, one lower-case hex string per line, in input order:
  ``adsb-deku-lax/lax-messages.hex`` and ``rs1090-long-flight/long_flight.hex``;
- for the long flight, the timestamps of those frames, one per line and in the same order
  (``rs1090-long-flight/long_flight.ts``), as the stateful peers need a clock to pair CPR frames.

AVR lines give the hex between ``*`` and ``;``. Each long-flight hex is a whole Beast frame:
``1a``, the type (``32``: 7-byte Mode S, ``33``: 14-byte Mode S), a 6-byte MLAT counter, a
signal byte, then the Mode S frame. In a Beast stream every ``1a`` byte after the leading one
is doubled; the recorded hex has these escapes already removed (every line has exactly the
length of an unescaped frame), so the frame is taken as it is when the length fits, and only a
line that is too long is un-escaped (``1a1a`` -> ``1a`` at byte boundaries) before its length is
checked again. Lines that fit neither way, or other Beast types (Mode A/C ``31``), are counted
and left out of the peers' file; there are none in the recorded data.

Deterministic: the same data give the same bytes. Prints, per corpus, its line and frame counts,
the frames by length and downlink format, and the sha256 of every file written. Standard library
only. It deliberately decodes nothing beyond the downlink format (first five bits).
"""

import argparse
import collections
import hashlib
import shutil
import sys
from pathlib import Path

# Expected line counts of the recorded files (their SOURCE.md); a different count is reported,
# not fatal, so the script still works on a newer copy of the data.
EXPECTED_LINES = {
    "adsb-deku-lax/lax-messages.txt": 215_606,
    "rs1090-long-flight/long_flight.csv": 172_432,
}

BEAST_ESCAPE = 0x1A
# Beast frame type -> Mode S frame length in bytes.
BEAST_MODES_LENGTH = {0x32: 7, 0x33: 14}
# Bytes between the type and the Mode S frame: 6-byte MLAT counter, 1 signal byte.
BEAST_HEADER_BYTES = 7


def sha256(path):
    """Returns the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unescape(body):
    """Returns body with every doubled 0x1a byte taken as one, or None on a lone 0x1a."""
    out = bytearray()
    i = 0
    while i < len(body):
        byte = body[i]
        if byte == BEAST_ESCAPE:
            if i + 1 >= len(body) or body[i + 1] != BEAST_ESCAPE:
                return None
            i += 1
        out.append(byte)
        i += 1
    return bytes(out)


def avr_frames(lines, stats):
    """Yields the frame hex of each AVR line (``*hex;``); counts the others as bad."""
    for line in lines:
        text = line.strip()
        if len(text) >= 2 and text[:1] == b"*" and text[-1:] == b";":
            hexpart = text[1:-1].decode("ascii", "replace")
            try:
                frame = bytes.fromhex(hexpart)
            except ValueError:
                stats["bad: not hex"] += 1
                continue
            if len(frame) in (7, 14):
                yield None, frame
            else:
                stats[f"bad: {len(frame)} bytes"] += 1
        else:
            stats["bad: not an AVR *hex; line"] += 1


def beast_csv_frames(lines, stats):
    """Yields (timestamp text, Mode S frame) of each ``timestamp,beast hex`` line."""
    for line in lines:
        text = line.strip()
        if not text:
            stats["bad: blank line"] += 1
            continue
        timestamp, sep, hexpart = text.partition(b",")
        try:
            beast = bytes.fromhex(hexpart.decode("ascii", "replace"))
            float(timestamp)
        except ValueError:
            stats["bad: not timestamp,hex"] += 1
            continue
        if not sep or len(beast) < 2 or beast[0] != BEAST_ESCAPE:
            stats["bad: no Beast 1a lead"] += 1
            continue
        length = BEAST_MODES_LENGTH.get(beast[1])
        if length is None:
            stats[f"skipped: Beast type {beast[1]:02x}"] += 1
            continue
        body = beast[2:]
        if len(body) == BEAST_HEADER_BYTES + length:
            if BEAST_ESCAPE in body:
                stats["frames with an undoubled 1a byte after the type (taken as is)"] += 1
        else:
            body = unescape(body)
            if body is None or len(body) != BEAST_HEADER_BYTES + length:
                stats["bad: Beast frame length"] += 1
                continue
            stats["un-escaped (1a1a -> 1a)"] += 1
        yield timestamp.decode("ascii"), body[BEAST_HEADER_BYTES:]


CORPORA = [
    ("adsb-deku-lax/lax-messages.txt", "adsb-deku-lax/lax-messages", avr_frames),
    ("rs1090-long-flight/long_flight.csv", "rs1090-long-flight/long_flight", beast_csv_frames),
]


def build(data, out, source, stem, frames_of):
    """Copies one source file and writes its peer files; prints what it wrote."""
    src = data / source
    if not src.is_file():
        print(f"adsb_corpus: missing {src}", file=sys.stderr)
        return False
    copy = out / source
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, copy)
    lines = src.read_bytes().splitlines()

    stats = collections.Counter()
    by_length = collections.Counter()
    by_df = collections.Counter()
    hex_lines = []
    ts_lines = []
    for timestamp, frame in frames_of(lines, stats):
        hex_lines.append(frame.hex())
        if timestamp is not None:
            ts_lines.append(timestamp)
        by_length[len(frame) * 8] += 1
        by_df[min(frame[0] >> 3, 24)] += 1  # DF 24..31 are all DF 24 (Comm-D)

    written = [copy]
    hex_path = out / f"{stem}.hex"
    hex_path.write_text("".join(f"{h}\n" for h in hex_lines), encoding="ascii")
    written.append(hex_path)
    if ts_lines:
        ts_path = out / f"{stem}.ts"
        ts_path.write_text("".join(f"{t}\n" for t in ts_lines), encoding="ascii")
        written.append(ts_path)

    expected = EXPECTED_LINES.get(source)
    check = "" if expected is None or expected == len(lines) else f" (expected {expected:,}!)"
    print(f"{source}: {len(lines):,} lines{check}, {len(hex_lines):,} Mode S frames "
          f"({by_length[56]:,} short, {by_length[112]:,} long)")
    print("  DF " + ", ".join(f"{df}: {n:,}" for df, n in sorted(by_df.items())))
    for name, count in sorted(stats.items()):
        print(f"  {name}: {count:,}")
    for path in written:
        print(f"  {path.relative_to(out.parent)}  sha256 {sha256(path)}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path, help="shared data folder")
    parser.add_argument("--out", required=True, type=Path, help="output folder (bench-out)")
    args = parser.parse_args()
    ok = all(build(args.data, args.out, *corpus) for corpus in CORPORA)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
