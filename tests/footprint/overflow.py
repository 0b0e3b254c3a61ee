#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A LibOS stack overflow dies by SIGSEGV (issue 11, item 8).

usage: overflow.py LOADER DEEP_MODULE OVERFLOW main|thread

The module (deep_module.c) recurses KiB frames on the LibOS stack: 16 KiB
fits the committed top of a slice (64 KiB, tls/tcb.h) and returns; 96
KiB runs into the slice's guard, and 160 KiB, past the whole 128 KiB
slice, would run on into the next one (a nested entry's) if nothing
stopped it: both must die by SIGSEGV, in each mode.
"""
import signal
import subprocess
import sys

CASES = [(16, 0), (96, -signal.SIGSEGV), (160, -signal.SIGSEGV)]


def main():
    loader, module, prog, where = sys.argv[1:5]
    bad = []
    for mode in ([], ["--sud-only"]):
        for kib, want in CASES:
            argv = [loader] + mode + [f"--libos={module}", prog, where, str(kib)]
            p = subprocess.run(argv, capture_output=True, timeout=30)
            got = p.returncode
            print(f"{' '.join(argv[1:])}: status {got} {p.stdout.decode().strip()!r}")
            if got != want or (want == 0 and p.stdout.decode().strip() != str(kib)):
                bad.append(f"{' '.join(mode + [where, str(kib)])}: status {got}, want {want}"
                           f" ({p.stderr.decode()[-200:]!r})")
    for b in bad:
        print(f"overflow.py: {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
