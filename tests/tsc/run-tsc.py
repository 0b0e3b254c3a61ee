#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--trap-rdtsc, checked against what this machine can do.

usage: run-tsc.py LOADER MODULE PROBE values|refused

Whether PR_SET_TSC really makes rdtsc fault here is asked natively first
(`PROBE enforced`; some hypervisors accept the setting and never fault).
  values:  where it is enforced, PROBE under --trap-rdtsc and MODULE reads
           the module's counter (1000, 2000, 3000; rdtscp 4000 on CPU 7),
           has no vDSO, a working clock, and its own SIGSEGV handler still
           catches a real fault on its alternate stack. Skipped (77) where
           it is not enforced.
  refused: where it is not enforced, the loader refuses in one line with
           status 126 and the program never runs. Skipped where enforced.
"""
import subprocess
import sys

SKIP = 77


def main():
    loader, module, probe, what = sys.argv[1:5]
    native = subprocess.run([probe, "enforced"], capture_output=True, text=True, timeout=30)
    enforced = native.stdout.strip() == "enforced"
    print(f"PR_SET_TSC enforced on this machine: {'yes' if enforced else 'no'}")
    run = subprocess.run([loader, "--trap-rdtsc", f"--libos={module}", probe], capture_output=True,
                         text=True, timeout=60)
    if what == "refused":
        if enforced:
            print("skipped: rdtsc does trap here (see trap-rdtsc-values)")
            return SKIP
        lines = run.stderr.splitlines()
        ok = (run.returncode == 126 and run.stdout == "" and len(lines) == 1 and
              "rdtsc does not trap on this machine" in lines[0])
        print(f"status {run.returncode}, stdout {run.stdout!r}, stderr {run.stderr!r}")
        return 0 if ok else 1
    if not enforced:
        print("skipped: this machine does not enforce PR_SET_TSC, so nothing can trap rdtsc")
        return SKIP
    want = ("rdtsc: 1000 2000 3000, rdtscp: 4000 on 7\n"
            "vDSO given: no, clock_gettime works: yes\n"
            "own SIGSEGV handler caught a fault: yes, on its alternate stack: yes\n")
    print(run.stdout, end="")
    if run.returncode != 0 or run.stdout != want:
        print(f"expected (status 0):\n{want}got status {run.returncode}, stderr {run.stderr!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
