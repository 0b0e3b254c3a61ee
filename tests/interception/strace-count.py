#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Exhaustive from the first instruction, against an independent count.

usage: strace-count.py LOADER -- PROGRAM [ARGS...]

Runs PROGRAM natively under strace and counts every syscall its process
makes (each line of the trace, exit_group included, which `strace -c`
leaves out because it never returns), less its execve. Then runs it
under `libos-loader --strict` and reads the report: `syscalls.intercepted`
must equal that count, with 0 escapes. Every syscall ld.so makes before
the program's first instruction counts: a loader that patched only libc
would see far fewer.
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def strace_count(argv, env):
    with tempfile.NamedTemporaryFile(prefix="strace-", suffix=".log") as log:
        subprocess.run(["strace", "-qq", "-o", log.name, *argv], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        names = []
        for line in open(log.name, errors="replace"):
            m = re.match(r"(\w+)\(", line)
            if m:
                names.append(m.group(1))
    return names


def loader_count(loader, argv, env):
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "report.json")
        subprocess.run([loader, "--strict", f"--report={report}", "--", *argv], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        with open(report) as f:
            return json.load(f)


def main():
    loader = sys.argv[1]
    argv = sys.argv[sys.argv.index("--") + 1:]
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent",
           "PYTHONHASHSEED": "0"}
    names = strace_count(argv, env)
    native = len(names) - names.count("execve")
    report = loader_count(loader, argv, env)
    got = report["syscalls"]["intercepted"]
    ok = got == native and report["escapes"] == 0
    print(f"{' '.join(argv)}: strace counts {native} syscalls (less execve), "
          f"the loader intercepted {got}, escapes {report['escapes']}: "
          f"{'same' if ok else 'DIFFERENT'}")
    if not ok:
        print(f"{__file__}: strace saw: {' '.join(names)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
