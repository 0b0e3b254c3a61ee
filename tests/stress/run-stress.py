#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One stress test: a self-checking program natively and under
`LOADER --strict --report=DIR/%p.json`.

usage: run-stress.py LOADER [--heap-size=MIB] -- PROGRAM [ARGS...]

--heap-size: a memory budget of MIB MiB, natively RLIMIT_DATA (the
kernel's limit on the same memory), under the loader --heap-size.

Natively the program must pass; under the loader its verdict lines
(stdout) and status must be the native ones, every process's report must
say 0 escapes, the main report's syscall total must be at least the
program's own "syscalls made: N" (stderr), and where the program says
"processes: N, M of them vfork children that do not exec" there must be
exactly N - M reports that are not an exec's. STRESS_SCALE (an environment
setting the programs read) scales their counts: STRESS_SCALE=5 runs the
issue's 8 x 1,000,000 syscalls. Prints the counts and the wall time of
each run.
"""
import glob
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

TIMEOUT = 600


def run(argv, data_limit=None):
    def limit():
        resource.setrlimit(resource.RLIMIT_DATA, (data_limit, data_limit))
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    if "STRESS_SCALE" in os.environ:
        env["STRESS_SCALE"] = os.environ["STRESS_SCALE"]
    t = time.monotonic()
    p = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, env=env,
                       preexec_fn=limit if data_limit else None)
    return (p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"),
            time.monotonic() - t)


def main():
    args = sys.argv[1:]
    heap = []
    data_limit = None
    if len(args) > 1 and args[1].startswith("--heap-size="):
        mib = int(args.pop(1).split("=", 1)[1])
        heap, data_limit = [f"--heap-size={mib}M"], mib << 20
    if len(args) < 3 or args[1] != "--":
        sys.exit(__doc__.split("\n\n")[1])
    loader, argv = args[0], args[2:]
    failed = []
    native = run(argv, data_limit)
    with tempfile.TemporaryDirectory() as d:
        loaded = run([loader, "--strict", f"--report={d}/%p.json", *heap, "--", *argv])
        reports = {os.path.basename(p): json.load(open(p)) for p in glob.glob(f"{d}/*.json")}
    for what, r in (("native", native), ("loader --strict", loaded)):
        print(f"{what}: exit {r[0]}, {r[3]:.2f} s")
        for line in (r[1] + r[2]).splitlines():
            print(f"  {line}")
    if native[0] != 0:
        failed.append(f"fails natively (exit {native[0]})")
    if (native[0], native[1]) != (loaded[0], loaded[1]):
        failed.append("the verdicts or the status differ under the loader")
    escapes = {name: r["escapes"] for name, r in reports.items() if r["escapes"]}
    plain = [name for name in reports if "-exec" not in name]
    print(f"{len(reports)} reports ({len(plain)} at a process's end), "
          f"{sum(r['syscalls']['total'] for r in reports.values())} syscalls in all, "
          f"{sum(r['escapes'] for r in reports.values())} escapes")
    if not reports:
        failed.append("no report")
    if escapes:
        failed.append(f"escapes: {escapes}")
    m = re.search(r"^syscalls made: (\d+)$", loaded[2], re.M)
    main_report = reports.get(f"{min(int(n.split('.')[0]) for n in plain)}.json") if plain else None
    if m and main_report and main_report["syscalls"]["total"] < int(m.group(1)):
        failed.append(f"the report counts {main_report['syscalls']['total']} syscalls, "
                      f"the program made at least {m.group(1)}")
    m = re.search(r"^processes: (\d+), (\d+) of them vfork", loaded[2], re.M)
    if m and len(plain) != int(m.group(1)) - int(m.group(2)):
        failed.append(f"{len(plain)} reports at a process's end, expected "
                      f"{int(m.group(1)) - int(m.group(2))}")
    for f in failed:
        print(f"{__file__}: {' '.join(argv)}: {f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
