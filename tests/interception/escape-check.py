#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--strict on a program with a syscall the loader cannot find.

usage: escape-check.py LOADER ESCAPE_PROGRAM

The program's output must be what it is natively (the syscall is still
executed, by the net); the report must count exactly one escape; stderr
must say `libos-loader: 1 syscalls escaped interception`; and the exit
status must be non-zero although the program succeeded. Without --strict
the same program runs as natively (the syscall goes to the kernel unseen,
which is what --strict exists to reveal).
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    loader, program = sys.argv[1], sys.argv[2]
    native = subprocess.run([program], capture_output=True)
    failures = []
    with tempfile.TemporaryDirectory() as d:
        report_path = os.path.join(d, "r.json")
        strict = subprocess.run([loader, "--strict", f"--report={report_path}", program],
                                capture_output=True)
        report = json.load(open(report_path))
    plain = subprocess.run([loader, program], capture_output=True)
    if native.returncode != 0 or strict.stdout != native.stdout:
        failures.append(f"output: native {native.stdout!r}, strict {strict.stdout!r}")
    if report["escapes"] != 1:
        failures.append(f"report escapes {report['escapes']}, expected 1")
    if strict.stderr != b"libos-loader: 1 syscalls escaped interception\n":
        failures.append(f"stderr {strict.stderr!r}")
    if strict.returncode == 0:
        failures.append("exit status 0 despite an escape")
    if plain.returncode != 0 or plain.stdout != native.stdout or plain.stderr:
        failures.append(f"default mode: {plain.returncode} {plain.stdout!r} {plain.stderr!r}")
    for f in failures:
        print(f"{__file__}: {f}")
    if not failures:
        print(f"escape caught: status {strict.returncode}, report escapes 1, "
              f"stderr {strict.stderr.decode().strip()!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
