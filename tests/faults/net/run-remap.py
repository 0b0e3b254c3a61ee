#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Code that goes and comes back is patched again, every time.

usage: run-remap.py LOADER [--exact] [--no-trap] [--loader-arg=ARG]... -- PROGRAM [ARGS...]

Runs PROGRAM natively and under `LOADER --strict --report=...`: the same
stdout and status, and the report says 0 escapes. --exact: the report's
syscall total equals strace's count of the native run (every line of
`strace -f`, less the execve). --no-trap: nothing was left to the net
either (syscalls.trapped is 0): every fresh mapping of a file's code was
patched before it ran.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def strace_count(argv):
    with tempfile.NamedTemporaryFile(prefix="strace-", suffix=".log") as log:
        # Pipes, as the runs compared: stdout on /dev/null costs an ioctl.
        subprocess.run(["strace", "-f", "-qq", "-o", log.name, *argv], capture_output=True,
                       timeout=240)
        names = [m.group(1) for m in (re.match(r"(?:\d+ +)?(\w+)\(", line)
                                      for line in open(log.name, errors="replace")) if m]
    return len(names) - names.count("execve")


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    exact = no_trap = False
    loader_args = []
    while args[0] != "--":
        opt = args.pop(0)
        if opt == "--exact":
            exact = True
        elif opt == "--no-trap":
            no_trap = True
        elif opt.startswith("--loader-arg="):
            loader_args.append(opt.split("=", 1)[1])
    argv = args[1:]
    failed = False
    native = subprocess.run(argv, capture_output=True, timeout=240)
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "report.json")
        env = dict(os.environ, LIBOS_CACHE_DIR=os.path.join(d, "cache"))
        loaded = subprocess.run([loader, "--strict", f"--report={report}", *loader_args, "--",
                                 *argv], capture_output=True, timeout=240, env=env)
        r = json.load(open(report))
    for what, a, b in (("stdout", native.stdout, loaded.stdout),
                       ("status", native.returncode, loaded.returncode)):
        if a != b:
            print(f"{__file__}: {what} differs: native {a!r}, loader {b!r}")
            failed = True
    if loaded.stderr:
        print(f"{__file__}: the loader's run said: {loaded.stderr.decode(errors='replace')}")
    sys.stdout.write(native.stdout.decode(errors="replace"))
    total, escapes, trapped = r["syscalls"]["total"], r["escapes"], r["syscalls"]["trapped"]
    print(f"report: {total} syscalls, {escapes} escapes, {trapped} trapped")
    if escapes != 0:
        print(f"{__file__}: {escapes} syscalls escaped: code mapped again ran unpatched")
        failed = True
    if no_trap and trapped != 0:
        print(f"{__file__}: {trapped} syscalls were left to the net, not patched")
        failed = True
    if exact:
        if not shutil.which("strace"):
            print("strace not found: count not compared")
        else:
            want = strace_count(argv)
            print(f"strace -f counts {want} syscalls (less execve)")
            if want != total:
                print(f"{__file__}: the loader counted {total}, strace {want}")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
