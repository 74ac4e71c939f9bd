#!/usr/bin/env python3
"""Times pyais decoding a corpus file, the way a pyais user reads a recorded feed.

The corpus is read with pyais' own stream reader (``pyais.stream.FileReaderStream``), which
parses each line, skips what it cannot parse and assembles multi-sentence messages; ``.decode()``
is then called on every assembled message. With ``--json`` each decoded message is also turned
into a dict (``.asdict()``) and serialised with ``json.dumps``, to compare end to end with tools
that write JSON. Decoding errors (pyais raises on bad payloads) are caught and counted by
exception class, and the run goes on.

What is timed (``time.perf_counter``): from opening the file to the last message, i.e. reading,
parsing, assembling, decoding (and serialising). Interpreter start-up and ``import pyais`` are not
timed; they are a fraction of a second against a run of many seconds.

Prints one result line, ``seconds=<s> messages=<n> decoded=<n> errors=<n>``, then the errors
by class. It deliberately checks no decoded value: it is a timing harness, not an oracle.
"""

import argparse
import collections
import importlib.metadata
import json
import sys
import time

from pyais.stream import FileReaderStream


def json_default(value):
    """Serialises what the json module cannot: binary application data (bytes) as hex."""
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="NMEA file to decode")
    parser.add_argument("--json", action="store_true", help="also asdict() + json.dumps each message")
    args = parser.parse_args()

    messages = 0
    decoded = 0
    errors = collections.Counter()
    json_bytes = 0
    start = time.perf_counter()
    with FileReaderStream(args.corpus) as stream:
        for message in stream:
            messages += 1
            try:
                fields = message.decode()
                if args.json:
                    json_bytes += len(json.dumps(fields.asdict(), default=json_default))
            except Exception as error:  # pyais raises many kinds on bad input; count them all
                errors[type(error).__name__] += 1
                continue
            decoded += 1
    seconds = time.perf_counter() - start

    print(
        f"seconds={seconds:.3f} messages={messages} decoded={decoded} "
        f"errors={sum(errors.values())} json_bytes={json_bytes} "
        f"pyais={importlib.metadata.version('pyais')} python={sys.version.split()[0]}"
    )
    for name, count in errors.most_common():
        print(f"error {name}={count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
