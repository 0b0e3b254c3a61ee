#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The patch cache: same results cold and warm, really used, never unsafe.

usage: cache.py LOADER

With LIBOS_CACHE_DIR pointing at a fresh private directory:
 - a cold run (the cache empty) and a warm run (filled by the cold one)
   of `ls -la /usr/bin` print exactly what the native run prints, and
   their reports rewrite the same sites;
 - the cold run wrote a plan and a patched image for libc and ld.so, and
   the warm run maps libc's code from the image (seen in /proc/self/maps);
 - --no-cache and LIBOS_CACHE=0 write nothing;
 - a truncated plan, or one with garbage at its end, is ignored, not trusted;
 - a directory that is not private (0755), or is a symlink, is not used.
"""
import json
import os
import subprocess
import sys
import tempfile

failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    failures += not cond


def run(argv, env):
    return subprocess.run(argv, env=env, capture_output=True, timeout=120)


def report_of(loader, cache, argv, extra_env=None, options=()):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.json")
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LIBOS_CACHE_DIR": cache,
               **(extra_env or {})}
        p = run([loader, *options, f"--report={path}", "--", *argv], env)
        with open(path) as f:
            return p, json.load(f)


def rewritten(report):
    return sorted((o["path"], o["sites"]["rewritten"]) for o in report["objects"])


def main():
    loader = sys.argv[1]
    argv = ["/bin/ls", "-la", "/usr/bin"]
    native = run(argv, {"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    with tempfile.TemporaryDirectory() as top:
        cache = os.path.join(top, "cache")
        os.mkdir(cache, 0o700)
        cold, cold_report = report_of(loader, cache, argv)
        entries = sorted(os.listdir(cache))
        warm, warm_report = report_of(loader, cache, argv)
        check(cold.stdout == native.stdout and cold.returncode == native.returncode,
              "cold cache: same output and status as native")
        check(warm.stdout == native.stdout and warm.returncode == native.returncode,
              "warm cache: same output and status as native")
        check(rewritten(cold_report) == rewritten(warm_report),
              f"cold and warm rewrite the same sites ({sum(n for _, n in rewritten(warm_report))})")
        check(sum(e.endswith(".img") for e in entries) >= 2 and
              sum(e.endswith(".plan") for e in entries) >= 3,
              f"the cold run wrote plans and images ({len(entries)} entries)")
        maps = run([loader, "/bin/cat", "/proc/self/maps"],
                   {"PATH": "/usr/bin:/bin", "LIBOS_CACHE_DIR": cache}).stdout.decode()
        check(any(cache in line and line.split()[1] == "r-xp" for line in maps.splitlines()),
              "the warm run maps code from a cached image")
        print(f"     patch_ms cold {cold_report['patch_ms']}, warm {warm_report['patch_ms']}")

        empty = os.path.join(top, "empty")
        os.mkdir(empty, 0o700)
        report_of(loader, empty, argv, options=("--no-cache",))
        report_of(loader, empty, argv, extra_env={"LIBOS_CACHE": "0"})
        check(os.listdir(empty) == [], "--no-cache and LIBOS_CACHE=0 write nothing")

        # Half the plans cut short, the other half one word too long.
        for i, entry in enumerate(sorted(e for e in os.listdir(cache) if e.endswith(".plan"))):
            path = os.path.join(cache, entry)
            with open(path, "r+b") as f:
                if i % 2:
                    f.seek(0, os.SEEK_END)
                    f.write(b"garbage!")
                else:
                    f.truncate(os.path.getsize(path) // 2)
        broken, broken_report = report_of(loader, cache, argv)
        check(broken.stdout == native.stdout and rewritten(broken_report) == rewritten(cold_report),
              "damaged plans are ignored: same output, same sites")

        public = os.path.join(top, "public")
        os.mkdir(public, 0o755)
        report_of(loader, public, argv)
        check(os.listdir(public) == [], "a directory others can read is not used")
        link = os.path.join(top, "link")
        os.symlink(empty, link)
        report_of(loader, link, argv)
        check(os.listdir(empty) == [], "a symlinked directory is not used")
    print("all as expected" if not failures else f"{failures} checks failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
