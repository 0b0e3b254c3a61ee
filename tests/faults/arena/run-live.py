#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Loader memory in use by threads is never taken from under them.

usage: run-live.py LOADER [--escapes-said] [--loader-arg=ARG]... -- PROGRAM [ARGS...]

Runs PROGRAM natively and under `LOADER --strict --report=...`: the same
stdout (every answer right, the address space steady) and status, no
signal, and 0 escapes in the report. --escapes-said: escapes are printed,
not failed on, and the status may be the loader's 1 for them (threads that
run code while it is mapped again over itself reach the kernel from the
fresh, not yet patched, bytes: the net catches them; see the note in
meson.build); a signal or a wrong answer still fails.
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    escapes_said = False
    loader_args = []
    while args[0] != "--":
        opt = args.pop(0)
        if opt == "--escapes-said":
            escapes_said = True
        elif opt.startswith("--loader-arg="):
            loader_args.append(opt.split("=", 1)[1])
    argv = args[1:]
    failed = False
    native = subprocess.run(argv, capture_output=True, timeout=120)
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "report.json")
        env = dict(os.environ, LIBOS_CACHE_DIR=os.path.join(d, "cache"))
        loaded = subprocess.run([loader, "--strict", f"--report={report}", *loader_args, "--",
                                 *argv], capture_output=True, timeout=120, env=env)
        r = json.load(open(report)) if os.path.exists(report) else None
    sys.stdout.write(native.stdout.decode(errors="replace"))
    if loaded.returncode < 0:
        print(f"{__file__}: the loader's run was killed by signal {-loaded.returncode}")
        failed = True
    if native.stdout != loaded.stdout:
        print(f"{__file__}: stdout differs: native {native.stdout!r}, "
              f"loader {loaded.stdout!r}")
        failed = True
    escapes = r["escapes"] if r else None
    ok_status = {native.returncode} | ({1} if escapes_said and escapes else set())
    if loaded.returncode >= 0 and loaded.returncode not in ok_status:
        print(f"{__file__}: status differs: native {native.returncode}, "
              f"loader {loaded.returncode}")
        failed = True
    if loaded.stderr:
        print(f"the loader's run said: {loaded.stderr.decode(errors='replace')}")
    if r is None:
        print(f"{__file__}: no report")
        return 1
    print(f"report: {r['syscalls']['total']} syscalls, {escapes} escapes, "
          f"{r['syscalls']['trapped']} trapped")
    if escapes and not escapes_said:
        print(f"{__file__}: {escapes} syscalls escaped")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
