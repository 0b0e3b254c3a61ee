# SPDX-License-Identifier: MIT
"""same-as-native.py LOADER MODE PROGRAM [ARG...]: the program's stdout and
status under the loader (MODE: default, or one loader option) equal its
native run's. Each run has a fresh working directory of its own, where a
core dump or a file the program makes lands and goes (a program that
wants a directory of its own is given ".")."""
import os
import subprocess
import sys
import tempfile

loader, mode, prog = sys.argv[1:4]
loader, prog = os.path.abspath(loader), os.path.abspath(prog)  # run elsewhere
args = sys.argv[4:]
opts = [] if mode == "default" else [mode]


def run(cmd):
    with tempfile.TemporaryDirectory() as d:
        return subprocess.run(cmd, capture_output=True, timeout=60, cwd=d)


native = run([prog] + args)
under = run([loader] + opts + [prog] + args)
ok = native.stdout == under.stdout and native.returncode == under.returncode
if not ok:
    print("native: status %d\n%s" % (native.returncode, native.stdout.decode()))
    print("loader %s: status %d\n%s%s" % (mode, under.returncode, under.stdout.decode(),
                                           under.stderr.decode()))
sys.exit(0 if ok else 1)
