#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a program natively and under the loader and check the loader's report.

usage: check-report.py LOADER [--loader-arg=ARG]... [--env K=V]... [--expect KEY=VALUE]...
                       -- PROGRAM [ARGS...]

The two runs must print the same and exit alike; then each KEY (a dotted
path into the report: syscalls.trapped, sites.jit_trapped, escapes, ...)
must have VALUE (KEY>=VALUE: at least VALUE). An --expect on an object's field names it by the end of
its path: objects[redzone].sites.rewritten.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../common"))
from reportlib import lookup  # noqa: E402


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    loader_args, expects, env = [], [], dict(os.environ)
    while args[0] != "--":
        opt = args.pop(0)
        if opt.startswith("--loader-arg="):
            loader_args.append(opt.split("=", 1)[1])
        elif opt == "--expect":
            key, _, want = args.pop(0).partition("=")
            expects.append((key.rstrip(">"), want, key.endswith(">")))
        elif opt == "--env":
            key, _, value = args.pop(0).partition("=")
            env[key] = value
    argv = args[1:]
    native = subprocess.run(argv, capture_output=True, timeout=60, env=env)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "report.json")
        loaded = subprocess.run([loader, *loader_args, f"--report={path}", "--", *argv],
                                capture_output=True, timeout=60, env=env)
        report = json.load(open(path))
    failed = False
    for what, a, b in (("stdout", native.stdout, loaded.stdout),
                       ("stderr", native.stderr, loaded.stderr),
                       ("status", native.returncode, loaded.returncode)):
        if a != b:
            print(f"{__file__}: {what} differs: native {a!r}, loader {b!r}")
            failed = True
    sys.stdout.write(native.stdout.decode(errors="replace"))
    for key, want, at_least in expects:
        got = lookup(report, key)
        if (at_least and not got >= int(want)) or (not at_least and str(got).lower() != want.lower()):
            print(f"{__file__}: report {key} = {got}, expected {want}")
            failed = True
        else:
            print(f"report {key} = {got}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
