#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run-bss-tail.py LOADER MODE CRAFT PROGRAM: craft the three bss-tail
variants of PROGRAM (craft-bss-tail.py: read-only, read-only executable,
no file bytes) and run each natively and under the loader (MODE: default
or one loader option): stdout and status must be the same."""
import os
import subprocess
import sys
import tempfile

loader, mode, craft, prog = sys.argv[1:5]
opts = [] if mode == "default" else [mode]
bad = 0
with tempfile.TemporaryDirectory() as d:
    for variant in ["readonly", "exec", "nofile"]:
        out = os.path.join(d, "bss-tail-" + variant)
        subprocess.run([sys.executable, craft, prog, out, variant], check=True)
        native = subprocess.run([out], capture_output=True, timeout=30)
        under = subprocess.run([loader] + opts + [out], capture_output=True, timeout=30)
        same = native.stdout == under.stdout and native.returncode == under.returncode
        print(f"{variant}: {'same' if same else 'DIFFERENT'}")
        if not same:
            bad = 1
            print("  native: status %d\n%s" % (native.returncode, native.stdout.decode()))
            print("  loader %s: status %d\n%s%s" % (mode, under.returncode,
                                                    under.stdout.decode(),
                                                    under.stderr.decode()))
sys.exit(bad)
