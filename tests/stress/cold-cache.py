#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""20 concurrent first runs into an empty patch cache.

usage: cold-cache.py LOADER

A new private LIBOS_CACHE_DIR; 20 loaders started at once, on the same
programs (ls, sort, python3 in turn), under --strict: each gives the
native output and status and 0 escapes. Then the cache holds exactly one
entry per object (one plan, with its checksum right, and at most one
image, whose trailer names the plan's tag) and no temporary file, and a
warm run of each program gives the native output again, and its code is
mapped from the cache's images (/proc/self/maps names them).
"""
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "faults", "cache"))
from cachelib import check, finish, sealed  # noqa: E402

RUNS = 20
PROGRAMS = [["ls", "-l", "/usr/lib"], ["sort", "/etc/services"],
            ["python3", "-c", "import json; print(json.dumps(list(range(9))))"]]
ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}


def plan_ok(path):
    with open(path, "rb") as f:
        return sealed(f.read())


def main():
    loader = sys.argv[1]
    native = [subprocess.run(p, capture_output=True, env=ENV) for p in PROGRAMS]
    with tempfile.TemporaryDirectory() as top:
        cache = os.path.join(top, "cache")
        env = dict(ENV, LIBOS_CACHE_DIR=cache)
        t = time.monotonic()
        procs = [subprocess.Popen([loader, "--strict", f"--report={top}/r{i}.json", "--",
                                   *PROGRAMS[i % len(PROGRAMS)]], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for i in range(RUNS)]
        outs = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
        print(f"{RUNS} concurrent first runs: {time.monotonic() - t:.2f} s")
        for i, (out, err, rc) in enumerate(outs):
            want = native[i % len(PROGRAMS)]
            r = json.load(open(f"{top}/r{i}.json"))
            check((out, rc) == (want.stdout, want.returncode) and r["escapes"] == 0,
                  f"run {i} ({PROGRAMS[i % len(PROGRAMS)][0]}): native output and status, "
                  f"0 escapes (status {rc}, {r['escapes']} escapes{', ' + err.decode()[:200] if err else ''})")
        names = sorted(os.listdir(cache))
        check(not [n for n in names if n.endswith(".tmp")], f"no temporary file left ({len(names)} files)")
        keys = collections.Counter(n.rsplit(".", 1)[0] for n in names if n.endswith((".plan", ".img")))
        by_object = collections.Counter(k.split("-")[1] for k in keys)
        check(all(v == 1 for v in by_object.values()),
              f"one entry per object ({len(by_object)} objects, {len(keys)} keys)")
        for n in names:
            if n.endswith(".plan"):
                check(plan_ok(os.path.join(cache, n)), f"{n}: a valid plan")
            if n.endswith(".img"):
                check(os.path.exists(os.path.join(cache, n[:-4] + ".plan")),
                      f"{n}: its plan is there")
                tail = open(os.path.join(cache, n), "rb").read()[-16:]
                check(tail[:8] == b"LIBOSIM5", f"{n}: an image's trailer")
        for i, p in enumerate(PROGRAMS):
            rep = f"{top}/warm{i}.json"
            w = subprocess.run([loader, "--strict", f"--report={rep}", "--", *p],
                               capture_output=True, env=env)
            r = json.load(open(rep))
            check((w.stdout, w.returncode) == (native[i].stdout, native[i].returncode) and
                  r["escapes"] == 0, f"warm {p[0]}: native output and status, 0 escapes")
        # The cache's one visible trace: patched code mapped from an image.
        maps = subprocess.run([loader, "--", "python3", "-c",
                               "print(open('/proc/self/maps').read())"],
                              capture_output=True, env=env, text=True).stdout
        used = {n for n in names if n.endswith(".img") and n in maps}
        check(bool(used), f"a warm run maps its code from the cache's images: {sorted(used)}")
        check(sorted(os.listdir(cache)) == names, "the warm runs added nothing")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
