#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loader's descriptors at start-up (issue 11 item 9), against native.

Natively execve needs no descriptor; ld.so needs one at a time, for each
library it opens. With stdio open and `ulimit -n 4` (soft and hard: no
raising it back), a dynamic program has exactly one free. The loader must
then start it as natively, in every mode, with a warm cache, an empty
one, and through a followed exec: at most one descriptor of its own at a
time (the patch cache is skipped when it would need more), every one
closed before the program's first instruction, and /proc/PID/exe still
the program's for another process where the capability allows. Where no
descriptor is free at all (a static program under `ulimit -n 3`) the
loader cannot open the program: one clear line and status 126, the
documented limit.
Usage: descriptors.py LOADER
"""
import os
import subprocess
import sys
import tempfile
import time

LOADER = os.path.abspath(sys.argv[1])
failures = []


def run(cmd, env=None):
    p = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=60, env=env)
    return p.returncode, p.stdout, p.stderr


def same(what, native, loaded):
    if native != loaded:
        failures.append(f"{what}:\n  native {native!r}\n  loader {loaded!r}")


with tempfile.TemporaryDirectory() as tmp:
    listed = os.path.join(tmp, "listed")
    os.mkdir(listed)
    for name in ("a", "b", "c"):
        open(os.path.join(listed, name), "w").close()
    empty_cache = os.path.join(tmp, "cache")
    os.mkdir(empty_cache, 0o700)

    native = run(f"ulimit -n 4; exec ls -a {listed}")
    if native[0] != 0:
        sys.exit(f"natively ls under ulimit -n 4 fails: {native!r}")
    for mode in ["", "--strict", "--sud-only", "--no-cache"]:
        same(f"ulimit -n 4 ls {mode}", native,
             run(f"ulimit -n 4; exec {LOADER} {mode} ls -a {listed}"))
        # A followed exec: the new loader starts with the same limit.
        same(f"followed exec under ulimit -n 4 {mode}", native,
             run(f"exec {LOADER} {mode} bash -c 'ulimit -n 4; exec ls -a {listed}'"))
    env = dict(os.environ, LIBOS_CACHE_DIR=empty_cache)
    same("ulimit -n 4 ls, empty cache", native,
         run(f"ulimit -n 4; exec {LOADER} ls -a {listed}", env))
    same("ulimit -n 4 ls, cache warm", native,
         run(f"ulimit -n 4; exec {LOADER} ls -a {listed}", env))

    # What the program finds open at its first instruction.
    same("descriptors at start", run("exec ls /proc/self/fd"),
         run(f"exec {LOADER} ls /proc/self/fd"))

    # From outside: /proc/PID/exe, set with one descriptor free.
    p = subprocess.Popen(["bash", "-c", f"ulimit -n 4; exec {LOADER} sleep 5"])
    deadline = time.time() + 10
    seen = ""
    while time.time() < deadline:
        try:
            seen = os.readlink(f"/proc/{p.pid}/exe")
            with open(f"/proc/{p.pid}/stat") as f:
                started = "sleep" in f.read()
        except OSError:
            started = False
        if started:
            break
        time.sleep(0.05)
    p.kill()
    p.wait()
    expected = os.path.realpath("/usr/bin/sleep")
    # Without CAP_CHECKPOINT_RESTORE nobody outside sees the program's.
    if os.geteuid() == 0 and seen != expected:
        failures.append(f"/proc/PID/exe under ulimit -n 4: {seen!r}, natively {expected!r}")

    # No descriptor free at all: natively a static program starts; the
    # loader cannot open it (documented).
    static = os.environ.get("DESCRIPTORS_STATIC")
    if static:
        st, out, err = run(f"ulimit -n 3; exec {LOADER} {static}")
        lines = err.decode().splitlines()
        if st != 126 or len(lines) != 1 or "Too many open files" not in lines[0]:
            failures.append(f"ulimit -n 3: status {st}, stderr {err!r}")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
