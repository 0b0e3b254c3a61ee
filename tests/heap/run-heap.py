#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One case of the heap suite.

usage: run-heap.py --loader L --alloc HEAP_ALLOC --alloc-nopie HEAP_ALLOC_NOPIE
                   --alloc-static HEAP_ALLOC_STATIC --alloc-static-pie HEAP_ALLOC_SPIE
                   --module MODULE.so CASE
       run-heap.py --list

Budgets are checked against the truth in two ways: the number a program
reaches before it is refused must lie between LOW and 100 % of what it
may commit; and the same program, run natively under RLIMIT_DATA (the
kernel's limit on the same memory: brk and private writable mappings),
must pass the same check, so that the checker and the program are right
too. A failure prints what differed; the status is 1.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile

MIB = 1 << 20
LOW = 0.90  # the margin: refused no earlier than 90 % of the budget
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "HOME": "/nonexistent"}
failures = []


def fail(msg):
    failures.append(msg)
    print(f"{__file__}: FAIL: {msg}")


def run(argv, data_limit=None, env=None, timeout=100):
    def limit():
        resource.setrlimit(resource.RLIMIT_DATA, (data_limit, data_limit))
    p = subprocess.run(argv, env=env or ENV, capture_output=True, timeout=timeout,
                       preexec_fn=limit if data_limit else None)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def results(out):
    """{measure: (refused, MiB)} from heap-alloc's lines."""
    found = {}
    for line in out.splitlines():
        m = re.match(r"(\S+): (refused after |never refused \()(\d+)", line)
        if m:
            found[m.group(1)] = (m.group(2) == "refused after ", int(m.group(3)))
    return found


def check_alloc(who, rc, out, err, expect):
    """expect: {measure: MiB the measure may reach, or None: never refused}."""
    print(f"--- {who}: status {rc}\n{out}{err}", end="")
    if rc != 0 or "FAIL" in out:
        fail(f"{who}: status {rc}, or a FAIL line")
    got = results(out)
    for measure, mib in expect.items():
        if measure not in got:
            fail(f"{who}: no result for {measure}")
            continue
        refused, n = got[measure]
        if mib is None:
            if refused:
                fail(f"{who}: {measure} refused after {n} MiB with no budget")
        elif not refused or not (LOW * mib <= n <= mib):
            fail(f"{who}: {measure}: {'refused' if refused else 'never refused'} at {n} MiB, "
                 f"expected refused between {LOW * mib:.1f} and {mib} MiB")


def alloc_case(a, mode, budget_mib, expect, exe=None):
    argv = [exe or a.alloc, mode, str(budget_mib)]
    check_alloc("native, RLIMIT_DATA", *run(argv, data_limit=budget_mib * MIB), expect)
    check_alloc("loader", *run([a.loader, f"--heap-size={budget_mib}M"] + argv), expect)


def where_case(a):
    """The brk area starts where the kernel would have started it: the
    same answer natively and under the loader, randomized or not."""
    for exe in (a.alloc, a.alloc_nopie, a.alloc_static, a.alloc_static_pie):
        for prefix in ([], ["setarch", "-R"]):
            native = run(prefix + [exe, "where", "0"])
            loaded = run(prefix + [a.loader, "--heap-size=64M", exe, "where", "0"])
            print(f"{' '.join(prefix + [os.path.basename(exe)])}: native {native[1]!r}, "
                  f"loader {loaded[1]!r}")
            if native != loaded or native[0] != 0:
                fail(f"{' '.join(prefix + [exe])} where: native {native}, loader {loaded}")
    for exe in (a.alloc_nopie, a.alloc_static, a.alloc_static_pie):
        alloc_case(a, "sbrk", 64, {"sbrk": 64}, exe)


def python_case(a):
    script = ("chunks = []\n"
              "try:\n"
              "    while len(chunks) < 4096:\n"
              "        chunks.append(bytearray(16 << 20))\n"
              "    print('never refused')\n"
              "except MemoryError:\n"
              "    n = len(chunks)\n"
              "    chunks = None\n"
              "    print('MemoryError after', n * 16, 'MiB')\n")
    for who, argv, lim in (("native, RLIMIT_DATA", ["python3", "-c", script], 256 * MIB),
                           ("loader", [a.loader, "--heap-size=256M", "python3", "-c", script],
                            None)):
        rc, out, err = run(argv, data_limit=lim)
        print(f"--- {who}: status {rc}\n{out}{err}", end="")
        m = re.match(r"MemoryError after (\d+) MiB\n$", out)
        # Python itself holds some: at least half the budget for the data.
        if rc != 0 or err or not m or not 128 <= int(m.group(1)) <= 256:
            fail(f"{who}: expected a MemoryError between 128 and 256 MiB, a clean exit")


def unchanged_case(a, argv):
    native = run(argv)
    loaded = run([a.loader, "--heap-size=512M"] + argv)
    for i, what in enumerate(["status", "stdout", "stderr"]):
        if native[i] != loaded[i]:
            fail(f"{' '.join(argv)}: {what} differs natively and under --heap-size=512M:\n"
                 f"  native {native[i]!r:.300}\n  loader {loaded[i]!r:.300}")
    if not failures:
        print(f"{' '.join(argv)}: same status, stdout and stderr ({len(native[1])} bytes)")


def sort_case(a):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for i in range(200000):
            f.write(f"{(i * 7919) % 100003} line {i}\n")
    try:
        unchanged_case(a, ["sort", f.name])
    finally:
        os.unlink(f.name)


BAD = ["abc", "", "12Q", "1.5G", "-1", "64MB", "99999999999999999999", "16777216T"]


def bad_values_case(a):
    for v in BAD:
        rc, out, err = run([a.loader, f"--heap-size={v}", "true"])
        lines = err.splitlines()
        if rc != 2 or out or len(lines) != 1 or not lines[0].startswith(f"libos-loader: --heap-size={v}: "):
            fail(f"--heap-size={v}: expected status 2 and one line naming it, got {rc}, {err!r}")
        else:
            print(f"--heap-size={v}: {lines[0]}")
    # 0 is no limit, as the module's hook says it; a huge one is a budget
    # that is never reached; "--heap-size 64M" is the same as "=64M".
    check_alloc("--heap-size=0", *run([a.loader, "--heap-size=0", a.alloc, "malloc", "16"]),
                {"malloc": None})
    check_alloc("--heap-size=16777215T",
                *run([a.loader, "--heap-size=16777215T", a.alloc, "sbrk", "16"]),
                {"sbrk": None})
    check_alloc("--heap-size 64M", *run([a.loader, "--heap-size", "64M", a.alloc, "malloc", "64"]),
                {"malloc": 64})


def main():
    args = sys.argv[1:]
    cases = {
        "malloc": lambda a: alloc_case(a, "malloc", 64, {"malloc": 64}),
        "malloc-small": lambda a: alloc_case(a, "small", 64, {"small": 64}),
        "sbrk": lambda a: alloc_case(a, "sbrk", 64, {"sbrk": 64}),
        "mmap": lambda a: alloc_case(a, "mmap", 64, {"mmap": 64, "mmap-again": 64}),
        "mremap": lambda a: alloc_case(a, "mremap", 64, {"mremap": 64}),
        "mprotect": lambda a: alloc_case(a, "mprotect", 64, {"mprotect": 64}),
        "threads": lambda a: alloc_case(a, "threads", 64, {"threads": 64}),
        # The parent commits 32 MiB and forks: each then has what is left.
        "fork": lambda a: alloc_case(a, "fork", 64, {"fork-child": 32, "fork-parent-then": 32}),
        "no-budget": lambda a: check_alloc("loader, no budget",
                                           *run([a.loader, a.alloc, "malloc", "64"]),
                                           {"malloc": None}),
        # A followed exec starts fresh, with the same budget.
        "exec": lambda a: check_alloc("loader, sh -c", *run(
            [a.loader, "--heap-size=64M", "sh", "-c", f"true; {a.alloc} malloc 64"]),
            {"malloc": 64}),
        "module-hook": lambda a: check_alloc("module asks 32M", *run(
            [a.loader, f"--libos={a.module}", a.alloc, "malloc", "64"]), {"malloc": 32}),
        "option-wins": lambda a: (
            check_alloc("module 32M, --heap-size=48M", *run(
                [a.loader, f"--libos={a.module}", "--heap-size=48M", a.alloc, "malloc", "64"]),
                {"malloc": 48}),
            check_alloc("module 32M, --heap-size=0", *run(
                [a.loader, f"--libos={a.module}", "--heap-size=0", a.alloc, "malloc", "16"]),
                {"malloc": None})),
        "brk-where": where_case,
        "python-memoryerror": python_case,
        "unchanged-ls": lambda a: unchanged_case(a, ["ls", "-l", "/usr/bin"]),
        "unchanged-python": lambda a: unchanged_case(a, ["python3", "-c", "print(1)"]),
        "unchanged-sort": sort_case,
        "bad-values": bad_values_case,
    }
    if args == ["--list"]:
        print("\n".join(cases))
        return 0

    class A:
        pass
    a = A()
    while len(args) > 1:
        opt = args.pop(0)
        setattr(a, opt.lstrip("-").replace("-", "_"), args.pop(0))
    cases[args[0]](a)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
