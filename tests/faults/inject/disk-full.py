#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The patch cache on a real file system that cannot take it, no injection:
a full one (a 64 KiB tmpfs: every entry's write stops halfway with ENOSPC)
and a read-only one (EROFS), each mounted in a mount namespace of its own.

usage: disk-full.py LOADER PROGRAM [ARGS...]

For each, the program under `LOADER --strict` must print and exit as
natively, with nothing more on stderr, and the report must show 0 escapes;
nothing but whole entries may be left in the directory (no temporary file),
and a second run must do the same. Skipped (77) where mount namespaces
cannot be made.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

failed = False


def check(what, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    failed |= not ok


def inner(kind, cache, loader, argv):
    native = subprocess.run(argv, capture_output=True, timeout=60)
    for attempt in ("first", "second"):
        report = os.path.join(os.path.dirname(cache), f"report-{attempt}.json")
        p = subprocess.run([loader, "--strict", f"--report={report}", "--", *argv],
                           capture_output=True, timeout=60,
                           env=dict(os.environ, LIBOS_CACHE_DIR=cache))
        what = f"{kind}, {attempt} run"
        check(f"{what}: output and status as native",
              (p.stdout, p.stderr, p.returncode) ==
              (native.stdout, native.stderr, native.returncode),
              f"{p.stdout[-200:]!r} {p.stderr[-300:]!r} {p.returncode}")
        check(f"{what}: 0 escapes", json.load(open(report))["escapes"] == 0)
        left = glob.glob(os.path.join(cache, "*.tmp"))
        check(f"{what}: no temporary file left", not left, repr(left))
    if kind == "full":
        used = sum(os.path.getsize(f) for f in glob.glob(os.path.join(cache, "*")))
        st = os.statvfs(cache)
        check("the disk was full", st.f_bfree * st.f_bsize < 1 << 20 and used < 64 << 10,
              f"{st.f_bfree * st.f_bsize} bytes free")
    return 1 if failed else 0


def main():
    if sys.argv[1] == "--inner":
        return inner(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    loader, argv = sys.argv[1], sys.argv[2:]
    status = 0
    with tempfile.TemporaryDirectory() as d:
        cache = os.path.join(d, "cache")
        os.mkdir(cache, 0o700)
        for kind, mount in (("full", "mount -t tmpfs -o size=64k,mode=0700 tmpfs \"$1\""),
                            ("read-only", "mount --bind \"$1\" \"$1\" && "
                             "mount -o remount,bind,ro \"$1\"")):
            probe = subprocess.run(["unshare", "--mount", "sh", "-c", mount, "sh", cache],
                                   capture_output=True)
            if probe.returncode != 0:
                print(f"skipped: cannot mount in a namespace: {probe.stderr!r}")
                return 77
            r = subprocess.run(["unshare", "--mount", "sh", "-c",
                                mount + " && shift && exec \"$@\"", "sh", cache,
                                sys.executable, __file__, "--inner", kind, cache, loader, *argv],
                               timeout=300)
            status |= r.returncode
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
