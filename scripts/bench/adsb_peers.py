#!/usr/bin/env python3
"""Times one Python Mode S decoder over a file of frames, the way a user of that library would.

The frames file has one Mode S frame per line as hex (what scripts/bench/adsb_corpus.py writes).
It is read and split into a list of strings, and the timestamps file (one epoch second per line,
same order) into a list of floats, BEFORE the clock starts: only decoding is timed
(``time.perf_counter``), from the first frame to the last result, results kept in a list as a
caller would keep them. Interpreter start-up and imports are not timed.

Peers (``PEER`` argument), each the library's own documented entry point:

- ``pymodes-decode``: ``pyModeS.decode(hex)`` on every frame (pyModeS 3.x, one stateless call per
  message, returns a dict of every field the frame carries; raises ``pyModeS.DecodeError`` on
  bad hex, bad length or an unknown downlink format: caught, counted by class, the run goes on).
- ``pymodes-pipe``: ``pyModeS.PipeDecoder(surface_ref=REFERENCE).decode(hex, timestamp=t)`` on
  every frame, then ``.flush()``: the stateful decoder (per-aircraft state, even/odd CPR pairing,
  local CPR against the last position). Needs ``--timestamps``.
- ``rs1090-decode``: ``rs1090.decode(hex)`` on every frame (one call per message; the Rust
  decoder returns the result pickled, which the binding unpickles; ``None`` when the frame does
  not decode).
- ``rs1090-batch``: ``rs1090.decode(list_of_hex)``, the whole corpus in one call (the binding
  cuts it into batches of 1,000 and decodes them with rayon: run it with RAYON_NUM_THREADS=1 and
  pinned to one CPU for a single-thread figure).
- ``rs1090-batch-ts``: ``rs1090.decode(list_of_hex, timestamps, reference=REFERENCE)``, the same
  with timestamps, which adds CPR position decoding. Needs ``--timestamps``.

Prints one result line of ``key=value`` pairs: ``seconds frames results none errors fields
positions`` and per-field counts (``altitude squawk callsign groundspeed vertical_rate cpr``),
then ``peer=NAME==VERSION rayon_threads python``; then one ``error CLASS=N`` line per error class
and, for ``pymodes-pipe``, one ``stat NAME=N`` line per counter of ``PipeDecoder.stats``. ``fields`` is the
total of top-level keys over all results; ``positions`` the results with a latitude. It
deliberately checks no decoded value: it is a timing harness, not an oracle.
"""

import argparse
import collections
import importlib.metadata
import os
import sys
import time

PEERS = ("pymodes-decode", "pymodes-pipe", "rs1090-decode", "rs1090-batch", "rs1090-batch-ts")
NEEDS_TIMESTAMPS = ("pymodes-pipe", "rs1090-batch-ts")

# Counted fields: the report's name -> the key each library uses for it.
FIELDS = {
    "altitude": ("altitude",),
    "squawk": ("squawk",),
    "callsign": ("callsign",),
    "groundspeed": ("groundspeed",),
    "vertical_rate": ("vertical_rate",),
    "cpr": ("cpr_lat", "lat_cpr"),  # pyModeS, rs1090
}


def read_lines(path):
    """Returns the non-empty lines of a text file."""
    with open(path, encoding="ascii") as f:
        return [line.strip() for line in f if line.strip()]


def run_pymodes_decode(frames, timestamps, reference, errors, extra):
    import pyModeS

    decode = pyModeS.decode
    error_class = pyModeS.DecodeError
    results = []
    append = results.append
    start = time.perf_counter()
    for frame in frames:
        try:
            append(decode(frame))
        except error_class as error:
            errors[type(error).__name__] += 1
    return time.perf_counter() - start, results


def run_pymodes_pipe(frames, timestamps, reference, errors, extra):
    import pyModeS

    results = []
    append = results.append
    start = time.perf_counter()
    pipe = pyModeS.PipeDecoder(surface_ref=reference)
    decode = pipe.decode
    for frame, timestamp in zip(frames, timestamps, strict=True):
        append(decode(frame, timestamp=timestamp))
    pipe.flush()
    seconds = time.perf_counter() - start
    for key, value in sorted(pipe.stats.items()):
        extra.append(f"stat {key}={value}")
    return seconds, results


def run_rs1090_decode(frames, timestamps, reference, errors, extra):
    import rs1090

    decode = rs1090.decode
    results = []
    append = results.append
    start = time.perf_counter()
    for frame in frames:
        append(decode(frame))
    return time.perf_counter() - start, results


def run_rs1090_batch(frames, timestamps, reference, errors, extra):
    import rs1090

    start = time.perf_counter()
    results = rs1090.decode(frames)
    return time.perf_counter() - start, results


def run_rs1090_batch_ts(frames, timestamps, reference, errors, extra):
    import rs1090

    start = time.perf_counter()
    results = rs1090.decode(frames, timestamps, reference=reference)
    return time.perf_counter() - start, results


RUNNERS = {
    "pymodes-decode": run_pymodes_decode,
    "pymodes-pipe": run_pymodes_pipe,
    "rs1090-decode": run_rs1090_decode,
    "rs1090-batch": run_rs1090_batch,
    "rs1090-batch-ts": run_rs1090_batch_ts,
}


def tally(results, errors):
    """Returns the counts printed on the result line (not timed)."""
    counts = collections.Counter()
    for result in results:
        if result is None:
            counts["none"] += 1
            continue
        if "error" in result:  # PipeDecoder returns bad input as an error dict
            errors[str(result["error"]).split(":")[0]] += 1
            continue
        counts["results"] += 1
        counts["fields"] += len(result)
        if result.get("latitude") is not None:
            counts["positions"] += 1
        for name, keys in FIELDS.items():
            if any(result.get(key) is not None for key in keys):
                counts[name] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=PEERS)
    parser.add_argument("frames", help="one Mode S frame per line, hex")
    parser.add_argument("--timestamps", help="one epoch second per line, same order as frames")
    parser.add_argument("--reference", help="receiver position LAT,LON (degrees)")
    args = parser.parse_args()

    frames = read_lines(args.frames)
    timestamps = None
    if args.timestamps:
        timestamps = [float(t) for t in read_lines(args.timestamps)]
        if len(timestamps) != len(frames):
            parser.error(f"{len(timestamps)} timestamps for {len(frames)} frames")
    elif args.peer in NEEDS_TIMESTAMPS:
        parser.error(f"{args.peer} needs --timestamps")
    reference = None
    if args.reference:
        lat, lon = (float(x) for x in args.reference.split(","))
        reference = (lat, lon)

    errors = collections.Counter()
    extra = []
    seconds, results = RUNNERS[args.peer](frames, timestamps, reference, errors, extra)
    counts = tally(results, errors)

    library = "pyModeS" if args.peer.startswith("pymodes") else "rs1090"
    print(
        f"seconds={seconds:.3f} frames={len(frames)} results={counts['results']} "
        f"none={counts['none']} errors={sum(errors.values())} fields={counts['fields']} "
        f"positions={counts['positions']} "
        + " ".join(f"{name}={counts[name]}" for name in FIELDS)
        + f" peer={library}=={importlib.metadata.version(library)}"
        f" rayon_threads={os.environ.get('RAYON_NUM_THREADS', 'unset')}"
        f" python={sys.version.split()[0]}"
    )
    for name, count in errors.most_common():
        print(f"error {name}={count}")
    for line in extra:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
