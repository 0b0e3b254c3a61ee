#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A module whose init fails (failing_module.c): the program never runs,
the loader says so in one line and ends with the module's status (126 for
an -errno). usage: module-fails.py LOADER MODULE PROGRAM
"""
import subprocess
import sys

loader, module, program = sys.argv[1:4]
failed = False
for options, status in (("init=-5", 126), ("init=3", 3), ("init=-38", 126)):
    p = subprocess.run([loader, f"--libos={module}", f"--libos-options={options}", program],
                       capture_output=True, timeout=60)
    ok = (p.returncode == status and not p.stdout and p.stderr.count(b"\n") == 1 and
          b"refused to start it" in p.stderr)
    print(("ok   " if ok else "FAIL ") + f"{options}: status {p.returncode}, stderr {p.stderr!r}")
    failed |= not ok
sys.exit(1 if failed else 0)
