#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The program owns %gs (tests/faults/gs/meson.build says what is run).

run-gs.py LOADER program [LOADER-ARGS --] PROGRAM ARGS...
    PROGRAM natively, then under LOADER with LOADER-ARGS: stdout and the
    exit status equal; the report has 0 escapes. Exit 77 when the native
    run does (the kernel lacks what the case needs).
run-gs.py LOADER nested [LOADER-ARGS --] COMMAND ARGS...
    COMMAND natively, then `LOADER ARGS LOADER ARGS COMMAND`: the same
    stdout and status; each loader's report has 0 escapes, the outer one
    took every syscall the inner one made (its total is at least the
    inner's), and the outer says why the net caught them all.
"""
import json
import os
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)


def fail(why, *runs):
    print("FAIL:", why)
    for r in runs:
        print("  $", " ".join(map(str, r.args)), "->", r.returncode)
        print("  stdout:", r.stdout.decode(errors="replace")[-800:])
        print("  stderr:", r.stderr.decode(errors="replace")[-800:])
    sys.exit(1)


def report(path, got):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail("no report: %s" % e, got)


def main():
    loader, kind, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    largs = []
    if "--" in rest:
        i = rest.index("--")
        largs, rest = rest[:i], rest[i + 1:]
    native = run(rest)
    if native.returncode == 77:
        print("SKIP:", native.stdout.decode().strip())
        sys.exit(77)
    with tempfile.TemporaryDirectory() as d:
        outer, inner = os.path.join(d, "outer.json"), os.path.join(d, "inner.json")
        if kind == "nested":
            cmd = [loader] + largs + ["--report=" + outer, loader] + largs + \
                  ["--report=" + inner] + rest
        else:
            cmd = [loader] + largs + ["--report=" + outer] + rest
        got = run(cmd)
        if got.returncode != native.returncode or got.stdout != native.stdout:
            fail("not as natively", native, got)
        o = report(outer, got)
        if o["escapes"]:
            fail("%d escapes" % o["escapes"], got)
        if kind == "nested":
            i = report(inner, got)
            if i["escapes"]:
                fail("%d escapes in the inner loader" % i["escapes"], got)
            if o["syscalls"]["total"] < i["syscalls"]["total"] or not o["net"]["armed"]:
                fail("the outer loader did not see the inner one's syscalls: outer %s, "
                     "inner %s" % (o["syscalls"], i["syscalls"]), got)
        print("ok:", " ".join(cmd[1:]), "| outer", o["syscalls"], o["net"].get("reason"))


main()
