#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A net the kernel refuses is never taken for an armed one.

usage: run-deny.py LOADER DENY JIT

DENY installs a seccomp filter that answers EPERM (to the Syscall User
Dispatch prctl, or to every arch_prctl) and execs its command, or runs
generated code itself (--jit). Checked:
  - --strict and --sud-only under the filter: one line on stderr, status
    126, the program never runs;
  - arch_prctl denied: one line, status 126;
  - the default mode, the net needed later (generated code) but refused:
    the program's output and status as natively, one line on stderr, and
    the report's net says "armed": false and why; for a filter inherited
    and for a program that sandboxes itself.
"""
import json
import os
import subprocess
import sys
import tempfile

failed = False


def check(what, ok, detail):
    global failed
    print(f"{what}: {'ok' if ok else 'WRONG'}" + ("" if ok else f": {detail}"))
    failed |= not ok


def run(argv):
    return subprocess.run(argv, capture_output=True, timeout=60)


def one_line(p, words):
    lines = p.stderr.decode(errors="replace").splitlines()
    return len(lines) == 1 and words in lines[0] and lines[0].startswith("libos-loader: ")


def main():
    loader, deny, jit = sys.argv[1:4]
    for mode in ("--strict", "--sud-only"):
        p = run([deny, "sud", loader, mode, "--", "/bin/echo", "ran"])
        check(f"{mode}, SUD denied", p.returncode == 126 and not p.stdout and
              one_line(p, "cannot arm the safety net"), f"status {p.returncode}, "
              f"stdout {p.stdout!r}, stderr {p.stderr!r}")
    p = run([deny, "arch_prctl", loader, "--", "/bin/echo", "ran"])
    check("arch_prctl denied", p.returncode == 126 and not p.stdout and
          one_line(p, "arch_prctl"), f"status {p.returncode}, stderr {p.stderr!r}")

    cases = {"inherited filter": ([deny, "sud", jit], [deny, "sud", loader, "REPORT", "--", jit]),
             "program sandboxes itself": ([deny, "sud", "--jit"],
                                          [loader, "REPORT", "--", deny, "sud", "--jit"])}
    for what, (native_argv, loaded_argv) in cases.items():
        native = run(native_argv)
        with tempfile.TemporaryDirectory() as d:
            report = os.path.join(d, "report.json")
            p = run([f"--report={report}" if a == "REPORT" else a for a in loaded_argv])
            net = json.load(open(report))["net"] if os.path.exists(report) else None
        check(f"{what}: output", (p.stdout, p.returncode) == (native.stdout, native.returncode),
              f"native {native.stdout!r} {native.returncode}, loader {p.stdout!r} "
              f"{p.returncode}")
        check(f"{what}: one line", one_line(p, "cannot be armed"), f"stderr {p.stderr!r}")
        check(f"{what}: report", net is not None and net["armed"] is False and
              "Operation not permitted" in net.get("error", ""), f"net {net}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
