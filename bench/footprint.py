#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loader's footprint inside the program (issue 11, items 8 and 9):
the table of tests/footprint/footprint.py (VmSize, VmRSS, Pss at rest and
the peak RSS after mlockall, native and per mode, and the difference),
then the smallest `ulimit -v` (RLIMIT_AS, KiB) under which /bin/true and
`ls /` run, natively and under the loader, found by bisection. Memory
figures, not timings: the same on any quiet or busy machine.

usage: footprint.py LOADER IDLE_THREADS LOCK_RSS
"""
import os
import runpy
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
loader = os.path.abspath(sys.argv[1])


def runs_under(limit, argv):
    return subprocess.run(["/bin/sh", "-c", f'ulimit -v {limit}; exec "$@"', "sh"] + argv,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def least_as(argv):
    lo, hi = 256, 1 << 20
    if not runs_under(hi, argv):
        return None
    while hi - lo > 16:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if runs_under(mid, argv) else (mid, hi)
    return hi


sys.argv = [sys.argv[0]] + sys.argv[1:4] + ["--table"]
try:
    runpy.run_path(os.path.join(here, "..", "tests", "footprint", "footprint.py"),
                   run_name="__main__")
except SystemExit as e:
    if e.code:
        raise
print()
print(f"{'least ulimit -v (KiB)':22} {'native':>8} {'default':>8} {'--sud-only':>10}")
for cmd in (["/bin/true"], ["/bin/ls", "/"]):
    row = [least_as(cmd)] + [least_as([loader] + m + cmd) for m in ([], ["--sud-only"])]
    print(f"{' '.join(cmd):22} " + " ".join(f"{v or '-':>{w}}" for v, w in zip(row, (8, 8, 10))))
