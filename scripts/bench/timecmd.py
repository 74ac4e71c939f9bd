#!/usr/bin/env python3
"""Runs one command once and prints its wall-clock time, measured with time.perf_counter.

Usage: timecmd.py [--stdin FILE] [--stdout FILE] [--stderr FILE] -- COMMAND [ARG...]

Standard input, output and error of the command are the given files (default: /dev/null for
all three), so nothing is printed and no pipe reader slows the command down. CPU pinning is the
caller's business (``taskset -c 0 timecmd.py ...``: the command inherits the affinity).

Prints one line, ``seconds=<s> rc=<exit code>``, and exits with the command's exit code. It
deliberately runs the command once: the benchmark compares single runs on the same machine.
"""

import argparse
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stdin", default="/dev/null")
    parser.add_argument("--stdout", default="/dev/null")
    parser.add_argument("--stderr", default="/dev/null")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    with open(args.stdin, "rb") as stdin, open(args.stdout, "wb") as stdout, open(args.stderr, "wb") as stderr:
        start = time.perf_counter()
        try:
            rc = subprocess.call(command, stdin=stdin, stdout=stdout, stderr=stderr)
        except OSError as error:
            print(f"timecmd: cannot run {command[0]}: {error}", file=sys.stderr)
            return 127
        seconds = time.perf_counter() - start
    print(f"seconds={seconds:.3f} rc={rc}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
