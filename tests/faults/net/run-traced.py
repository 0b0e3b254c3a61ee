#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Under a tracer that passes signals on, the net is transparent.

usage: run-traced.py LOADER TRACER PROGRAM [LOADER-ARGS...]

Runs `TRACER pass PROGRAM` and `TRACER pass LOADER [ARGS] -- PROGRAM`:
the same stdout and status. The tracer sees the net's SIGSYS stops (no
signal can be hidden from a tracer) and passes them on as strace does; a
tracer that resumes with signal 0 instead suppresses the trapped syscall
(README, "Not covered").
"""
import subprocess
import sys


def main():
    loader, tracer, program, *loader_args = sys.argv[1:]
    native = subprocess.run([tracer, "pass", program], capture_output=True, timeout=60)
    loaded = subprocess.run([tracer, "pass", loader, *loader_args, "--", program],
                            capture_output=True, timeout=60)
    sys.stdout.write(loaded.stdout.decode(errors="replace"))
    print(loaded.stderr.decode(errors="replace").strip().splitlines()[-1:])
    if (native.stdout, native.returncode) != (loaded.stdout, loaded.returncode):
        print(f"{__file__}: native {native.stdout!r} {native.returncode}, "
              f"loader {loaded.stdout!r} {loaded.returncode}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
