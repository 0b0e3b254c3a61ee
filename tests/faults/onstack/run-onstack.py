#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a program natively and under the loader (in a mode); they must agree.

usage: run-onstack.py LOADER [LOADER-OPTION]... -- PROGRAM [ARGS...]

Same stdout and exit status, each run bounded by a timeout (a loader that
places a signal frame over a live one loops in rt_sigreturn: "timed out").
"""
import subprocess
import sys

TIMEOUT = 20


def run(argv):
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "timed out", b""
    return (f"status {p.returncode}" if p.returncode >= 0 else f"signal {-p.returncode}"), p.stdout


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    loader, options, argv = args[0], args[1:sep], args[sep + 1:]
    native = run(argv)
    loaded = run([loader, *options, "--", *argv])
    ok = native == loaded
    if not ok:
        print(f"{__file__}: {' '.join(argv)}: native {native[0]}, loader {loaded[0]}")
        print("native stdout:\n" + native[1].decode(errors="replace"))
        print("loader stdout:\n" + loaded[1].decode(errors="replace"))
    else:
        sys.stdout.buffer.write(native[1])
        print(f"same stdout and {native[0]} natively and under the loader {' '.join(options)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
