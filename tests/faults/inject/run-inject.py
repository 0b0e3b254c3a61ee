#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a program under libos-loader-faults with a fault injected into the
loader's own raw syscalls, and check that the loader degraded as it must.

usage: run-inject.py LOADER [--fault RULE]... [--loader-arg ARG]... [--no-cache] [--warm]
                     [--expect KEY=VALUE]... [--stdout-has TEXT]... [--stderr-has TEXT]...
                     [--no-report] [--fatal TEXT]
                     -- PROGRAM [ARGS...]

RULE is LIBOS_TEST_FAULT's (libc/src/fault/fault.c), where @FUNCTION may
name a function of the loader: it becomes that function's range (nm).

Without --fatal the run must print what the native run prints, on stdout
and stderr, and exit alike (with --stdout-has: stdout must hold each TEXT
instead, the status still the native one; with --stderr-has: stderr must
hold each TEXT once), the report (none with --no-report: its writing is
what fails) must show 0 escapes
and each --expect (KEY>=N: at least N). With --fatal the loader must end
with 126 or 127 and exactly one line on stderr, holding TEXT. Either way
the fault must have been met (its line on stderr), nothing may hang, and
in the patch cache (a fresh directory; --warm: filled by a run without the
fault first) no temporary file is left, and a run after it without the
fault must still be native's with 0 escapes.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../common"))
from reportlib import lookup  # noqa: E402

INJECTED = b"libos-loader: fault injected: "
failed = False


def check(what, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + detail))
    failed |= not ok


def symbols(loader):
    out = subprocess.run(["nm", "-S", "--defined-only", loader], capture_output=True,
                         text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            table[f[3]] = (int(f[0], 16), int(f[0], 16) + int(f[1], 16))
    return table


def resolve(rule, table):
    def sub(m):
        if m.group(1) not in table:
            sys.exit(f"{__file__}: no function {m.group(1)} in the loader")
        lo, hi = table[m.group(1)]
        return f"@{lo:x}-{hi:x}"
    return re.sub(r"@([A-Za-z_]\w*)", sub, rule)


def run(loader, loader_args, argv, env, report):
    try:
        return subprocess.run([loader, *loader_args, f"--report={report}", "--", *argv],
                              capture_output=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        check("no hang", False, "the loaded run did not end in 60 s")
        sys.exit(1)


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    rules, loader_args, expects, has, err_has, fatal = [], [], [], [], [], None
    cache, warm, want_report = True, False, True
    while args[0] != "--":
        opt = args.pop(0)
        if opt == "--fault":
            rules.append(args.pop(0))
        elif opt == "--loader-arg":
            loader_args.append(args.pop(0))
        elif opt == "--no-cache":
            cache = False
        elif opt == "--warm":
            warm = True
        elif opt == "--expect":
            key, _, want = args.pop(0).partition("=")
            expects.append((key.rstrip(">"), want, key.endswith(">")))
        elif opt == "--stdout-has":
            has.append(args.pop(0).encode())
        elif opt == "--no-report":
            want_report = False
        elif opt == "--stderr-has":
            err_has.append(args.pop(0).encode())
        elif opt == "--fatal":
            fatal = args.pop(0).encode()
        else:
            sys.exit(f"{__file__}: unknown option {opt}")
    argv = args[1:]
    table = symbols(loader)
    resolved = [resolve(r, table) for r in rules]
    spec = ",".join(resolved)
    native = subprocess.run(argv, capture_output=True, timeout=60)

    with tempfile.TemporaryDirectory() as d:
        cache_dir = os.path.join(d, "cache")
        os.mkdir(cache_dir, 0o700)
        env = dict(os.environ)
        env.pop("LIBOS_TEST_FAULT", None)
        env["LIBOS_CACHE_DIR"] = cache_dir
        if not cache:
            loader_args = ["--no-cache", *loader_args]
        report = os.path.join(d, "report.json")
        if warm:
            run(loader, loader_args, argv, env, report)
            os.unlink(report)
        p = run(loader, loader_args, argv, dict(env, LIBOS_TEST_FAULT=spec), report)
        lines = p.stderr.splitlines(keepends=True)
        stderr = b"".join(l for l in lines if not l.startswith(INJECTED))
        for rule in resolved:
            check(f"the fault {rule} was met",
                  any(l.startswith(INJECTED + rule.encode() + b" ") for l in lines),
                  f"stderr {p.stderr!r}")
        if fatal is not None:
            check("status 126 or 127", p.returncode in (126, 127),
                  f"status {p.returncode}, stderr {p.stderr!r}")
            check("one line on stderr", stderr.count(b"\n") == 1 and
                  stderr.startswith(b"libos-loader: ") and fatal in stderr, repr(stderr))
        else:
            if has:
                for text in has:
                    check(f"stdout holds {text!r}", text in p.stdout, repr(p.stdout))
            else:
                check("stdout as native", p.stdout == native.stdout,
                      f"native {native.stdout[-300:]!r}, loader {p.stdout[-300:]!r}")
            if err_has:
                for text in err_has:
                    check(f"stderr holds {text!r} once", stderr.count(text) == 1,
                          repr(stderr))
            else:
                check("stderr as native", stderr == native.stderr,
                      f"native {native.stderr[-300:]!r}, loader {stderr[-300:]!r}")
            check("status as native", p.returncode == native.returncode,
                  f"native {native.returncode}, loader {p.returncode}")
            if not want_report:
                check("no report", not os.path.exists(report))
            try:
                r = want_report and json.load(open(report))
            except (OSError, ValueError) as e:
                check("a report", False, str(e))
                return 1
            if r:
                check("0 escapes", r["escapes"] == 0, f"{r['escapes']} escapes")
            for key, want, at_least in expects if r else ():
                got = lookup(r, key)
                ok = got >= int(want) if at_least else str(got).lower() == want.lower()
                check(f"report {key} = {got}", ok, f"expected {want}")
        left = glob.glob(os.path.join(cache_dir, "*.tmp"))
        check("no temporary file left in the cache", not left, repr(left))
        if cache:
            os.path.exists(report) and os.unlink(report)
            q = run(loader, loader_args, argv, env, report)
            check("a run after it is native's", (q.stdout, q.stderr, q.returncode) ==
                  (native.stdout, native.stderr, native.returncode),
                  f"{q.stdout[-200:]!r} {q.stderr[-300:]!r} {q.returncode}")
            check("a run after it has 0 escapes",
                  os.path.exists(report) and json.load(open(report))["escapes"] == 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
