#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one hard-case program natively and under the loader; they must agree.

usage: run-case.py LOADER [--processes N] [--followed-execs N] [--env K=V]... [--timeout S]
                   [--loader-option OPT]... -- PROGRAM [ARGS...]

The loader runs with --strict (or, given --loader-option --sud-only, which
excludes it, with that: every syscall trapped) and --report=DIR/report-%p.json, so every
process of the tree (forked, vforked, spawned, exec'd under the loader)
writes its own report. Both runs get the same clean environment and an
empty stdin. Then:
  - stdout, stderr and the exit status (or the killing signal) must be
    identical byte for byte;
  - the reports must come from at least N processes (distinct pids,
    default 1: those of the tree that must report), and every report must
    count 0 escapes;
  - at least N images (--followed-execs, default 0) must have exec'd under
    the loader: each leaves a NAME-execK.json report before the new image,
    which reports in turn (an exec that ran natively leaves neither).
On a difference it prints what differed (a unified diff for output) and
exits 1.
"""
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile


def run(argv, env, timeout):
    try:
        p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b""
    return p.returncode, p.stdout, p.stderr


def describe(status):
    if status == "timeout":
        return "timed out"
    if status < 0:
        return f"killed by signal {-status}"
    return f"exit status {status}"


def show_diff(what, native, loaded):
    a = native.decode(errors="replace").splitlines(keepends=True)
    b = loaded.decode(errors="replace").splitlines(keepends=True)
    sys.stdout.writelines(difflib.unified_diff(a, b, f"native {what}", f"loader {what}"))
    print()


def check_reports(report_dir, processes, followed_execs):
    names = sorted(n for n in os.listdir(report_dir) if n.endswith(".json"))
    pids = {re.match(r"report-(\d+)", n).group(1) for n in names}
    ok = True
    execs = sum(1 for n in names if re.search(r"-exec\d+\.json$", n))
    if execs < followed_execs:
        print(f"{__file__}: {execs} images exec'd under the loader, expected at least "
              f"{followed_execs}")
        ok = False
    if len(pids) < processes:
        print(f"{__file__}: reports from {len(pids)} processes ({len(names)} files), "
              f"expected at least {processes}")
        ok = False
    for name in names:
        try:
            with open(os.path.join(report_dir, name)) as f:
                report = json.load(f)
        except ValueError as e:
            print(f"{__file__}: {name}: not JSON: {e}")
            ok = False
            continue
        if report.get("escapes") != 0:
            print(f"{__file__}: {name}: escapes = {report.get('escapes')}, expected 0")
            ok = False
    print(f"{len(names)} reports from {len(pids)} processes, escapes 0 in each: "
          f"{'yes' if ok else 'no'}")
    return ok


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent"}
    processes, timeout, options, followed_execs = 1, 60, [], 0
    while args and args[0] != "--":
        opt = args.pop(0)
        if opt == "--env":
            k, _, v = args.pop(0).partition("=")
            env[k] = v
        elif opt == "--processes":
            processes = int(args.pop(0))
        elif opt == "--followed-execs":
            followed_execs = int(args.pop(0))
        elif opt == "--loader-option":
            options.append(args.pop(0))
        elif opt == "--timeout":
            timeout = float(args.pop(0))
        else:
            sys.exit(f"{__file__}: unknown option {opt}")
    argv = args[1:]
    native = run(argv, env, timeout)
    with tempfile.TemporaryDirectory(prefix="libos-hardcases-") as report_dir:
        mode = options if "--sud-only" in options else ["--strict", *options]
        loaded = run([loader, *mode, f"--report={report_dir}/report-%p.json", "--", *argv],
                     env, timeout)
        ok = True
        if native[0] != loaded[0]:
            print(f"{__file__}: {argv[0]}: status differs: native {describe(native[0])}, "
                  f"loader {describe(loaded[0])}")
            ok = False
        for i, what in ((1, "stdout"), (2, "stderr")):
            if native[i] != loaded[i]:
                print(f"{__file__}: {argv[0]}: {what} differs")
                show_diff(what, native[i], loaded[i])
                ok = False
        ok = check_reports(report_dir, processes, followed_execs) and ok
    if ok:
        sys.stdout.buffer.write(native[1])
        print(f"same stdout, stderr and {describe(native[0])} natively and under the loader")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
