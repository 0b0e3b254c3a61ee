#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs a self-checking program natively and under the loader; its verdict
lines (stdout) and exit status must be the same, and natively it must pass.

usage: compare-verdicts.py LOADER [--loader-arg=ARG]... -- PROGRAM [ARGS...]

The program prints its verdicts on stdout and the figures behind them on
stderr (they may differ: the loader has mappings and memory of its own);
both runs' figures are printed for the log. Exits 0 when the verdicts and
statuses agree and the native status is 0, else 1 with what differed.
"""
import difflib
import subprocess
import sys

RUN_TIMEOUT = 240


def run(argv):
    p = subprocess.run(argv, capture_output=True, timeout=RUN_TIMEOUT,
                       env={"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"})
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def main():
    args = sys.argv[1:]
    if "--" not in args or args.index("--") < 1:
        sys.exit(__doc__.split("\n\n")[1])
    split = args.index("--")
    loader, options, argv = args[0], args[1:split], args[split + 1:]
    loader_args = [o.split("=", 1)[1] for o in options if o.startswith("--loader-arg=")]
    native = run(argv)
    loaded = run([loader, *loader_args, "--", *argv])
    for what, result in (("native", native), ("loader " + " ".join(loader_args), loaded)):
        print(f"{what.strip()}: exit {result[0]}")
        for line in (result[2] + result[1]).splitlines():
            print(f"  {line}")
    ok = True
    if native[0] != 0:
        print(f"{__file__}: {' '.join(argv)}: fails natively (exit {native[0]})")
        ok = False
    if native[0] != loaded[0]:
        print(f"{__file__}: exit status differs: native {native[0]}, loader {loaded[0]}")
        ok = False
    if native[1] != loaded[1]:
        print(f"{__file__}: verdicts differ:")
        sys.stdout.writelines(difflib.unified_diff(
            native[1].splitlines(True), loaded[1].splitlines(True), "native", "loader"))
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
