#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--trap-rdtsc: the program reads the module's counter.

usage: run-tsc.py LOADER MODULE PROBE NOTED

Whether PR_SET_TSC really makes rdtsc fault here is asked natively first
(`PROBE enforced`; some hypervisors accept the setting and never fault,
and the loader then rewrites rdtsc into ud2 instead): the line says which
of the loader's two ways this run tested. Then PROBE under --trap-rdtsc
and MODULE must read the module's counter (steps of 1000; rdtscp on CPU
7), have no vDSO, a working clock, and its own SIGSEGV and SIGILL handlers
must still catch a real fault and a real ud2. NOTED, a program on the
LibOS-ready libc that prints its __hp_timing_disabled, must see it set
under --trap-rdtsc and clear without.
"""
import subprocess
import sys

def main():
    loader, module, probe, noted = sys.argv[1:5]
    native = subprocess.run([probe, "enforced"], capture_output=True, text=True, timeout=30)
    enforced = native.stdout.strip() == "enforced"
    print(f"PR_SET_TSC enforced on this machine: {'yes: the trap' if enforced else 'no: the rewrite'}"
          " is tested")
    run = subprocess.run([loader, "--trap-rdtsc", f"--libos={module}", probe], capture_output=True,
                         text=True, timeout=60)
    want = ("rdtsc: first a multiple of 1000: yes, steps 1000 1000, rdtscp step 1000 on 7\n"
            "vDSO given: no, clock_gettime works: yes\n"
            "own SIGSEGV handler caught a fault: yes, on its alternate stack: yes\n"
            "own SIGILL handler caught ud2: yes, on its alternate stack: yes\n")
    print(run.stdout, end="")
    if run.returncode != 0 or run.stdout != want or run.stderr:
        print(f"expected (status 0, no stderr):\n{want}got status {run.returncode}, "
              f"stderr {run.stderr!r}")
        return 1
    for option, want in (([], "0"), (["--trap-rdtsc"], "1")):
        out = subprocess.run([loader, *option, noted], capture_output=True, text=True,
                             timeout=60).stdout
        seen = [l.split()[-1] for l in out.splitlines() if l.startswith("__hp_timing_disabled")]
        print(f"__hp_timing_disabled with {option or 'no option'}: {seen}")
        if seen != [want]:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
