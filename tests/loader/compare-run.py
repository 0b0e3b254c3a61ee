#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one command natively and under libos-loader; they must agree.

usage: compare-run.py LOADER [--env K=V]... [--cwd DIR] [--stdin TEXT] -- PROGRAM [ARGS...]

PROGRAM is exec'd directly (no shell) in both runs, with the same clean
environment, working directory and stdin; stdout, stderr and the exit
status (or killing signal) must be identical byte for byte. On a
difference it prints what differed and a unified diff, and exits 1.
"""
import difflib
import os
import subprocess
import sys


def run(argv, env, cwd, stdin):
    p = subprocess.run(argv, env=env, cwd=cwd, input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def show_diff(what, native, loaded):
    a = native.decode(errors="replace").splitlines(keepends=True)
    b = loaded.decode(errors="replace").splitlines(keepends=True)
    sys.stdout.writelines(difflib.unified_diff(a, b, f"native {what}", f"loader {what}"))


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent",
           "PROBE_SPACES": "a value  with spaces", "PROBE_EMPTY": ""}
    cwd, stdin = None, b""
    while args and args[0] != "--":
        opt = args.pop(0)
        if opt == "--env":
            k, _, v = args.pop(0).partition("=")
            env[k] = v
        elif opt == "--cwd":
            cwd = args.pop(0)
        elif opt == "--stdin":
            stdin = args.pop(0).encode()
        else:
            sys.exit(f"compare-run.py: unknown option {opt}")
    argv = args[1:]
    native = run(argv, env, cwd, stdin)
    loaded = run([loader] + argv, env, cwd, stdin)
    ok = True
    for i, what in enumerate(["exit status", "stdout", "stderr"]):
        if native[i] != loaded[i]:
            ok = False
            print(f"{__file__}: {' '.join(argv)}: {what} differs")
            if i == 0:
                print(f"  native {native[0]}, loader {loaded[0]}")
            else:
                show_diff(what, native[i], loaded[i])
    if ok:
        sys.stdout.buffer.write(native[1])
        print(f"same output, stderr and status ({native[0]}) natively and under the loader")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
