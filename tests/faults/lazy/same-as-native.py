# SPDX-License-Identifier: MIT
"""same-as-native.py LOADER MODE PROGRAM: the program's stdout and status
under the loader (MODE: default, or one loader option) equal its native
run's."""
import subprocess
import sys
import tempfile

loader, mode, prog = sys.argv[1:4]
opts = [] if mode == "default" else [mode]
with tempfile.TemporaryDirectory() as d:
    native = subprocess.run([prog, d], capture_output=True, timeout=30)
    under = subprocess.run([loader] + opts + [prog, d], capture_output=True, timeout=30)
ok = native.stdout == under.stdout and native.returncode == under.returncode
if not ok:
    print("native: status %d\n%s" % (native.returncode, native.stdout.decode()))
    print("loader %s: status %d\n%s%s" % (mode, under.returncode, under.stdout.decode(),
                                           under.stderr.decode()))
sys.exit(0 if ok else 1)
