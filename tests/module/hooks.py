#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The module hooks against what the program sees of itself.

usage: hooks.py LOADER LOGGER_MODULE HOOKS_PROBE DLOPEN_LIB

The logger module (logger.c) logs every hook; hooks_probe prints what
the program knows:
- map_library/unmap_library vs dl_iterate_phdr: the same objects at start
  (program, ld.so, vDSO, libc) with the same bases and program header
  counts, the dlopen'ed library announced after dlopen, and gone (unmapped)
  after dlclose, nothing else announced or unmapped;
- init: argc, argv, the envp count and AT_ENTRY, AT_PHDR, AT_EXECFN as
  the program reads them (argv, environ, getauxval);
- thread_start/thread_exit/fini: a program with N threads that exits with
  S, and its fork child that exits 3.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, failures  # noqa: E402


def run_logged(loader, module, argv, env=None):
    with tempfile.NamedTemporaryFile(prefix="libos-hooks-", suffix=".log") as log:
        p = subprocess.run([loader, f"--libos={module}", f"--libos-options=log={log.name}", *argv],
                           capture_output=True, text=True, timeout=60, env=env)
        events = []
        for line in open(log.name):
            what, _, rest = line.rstrip("\n").partition(" ")
            fields = dict(re.findall(r"(\w+)=(\S*)", rest))
            events.append((what, fields, rest))
    return p, events


def objects(loader, module, probe, lib):
    p, events = run_logged(loader, module, [probe, "objects", lib])
    if not check(p.returncode == 0, f"objects: status {p.returncode}\n{p.stdout}{p.stderr}"):
        return
    seen, when = {}, None
    for line in p.stdout.splitlines():
        if line.startswith("== "):
            when = line[3:]
            seen[when] = {}
        else:
            _, base, phnum, *name = line.split(" ", 3)
            seen[when][int(base, 16)] = (int(phnum), name[0] if name else "")
    maps = [(int(f["base"], 16), f) for w, f, _ in events if w == "map"]
    unmaps = [(int(f["base"], 16), f) for w, f, _ in events if w == "unmap"]
    start, opened, closed = seen["start"], seen["after dlopen"], seen["after dlclose"]
    new = set(opened) - set(start)
    check(len(new) == 1, f"objects: dlopen added {len(new)} objects to dl_iterate_phdr")
    lib_base = new.pop() if len(new) == 1 else None
    bases = [b for b, _ in maps]
    before_lib = bases[:bases.index(lib_base)] if lib_base in bases else bases
    check(sorted(before_lib) == sorted(start),
          f"objects: announced before dlopen {[hex(b) for b in before_lib]}, "
          f"dl_iterate_phdr at start {[hex(b) for b in start]}")
    for base, f in maps:
        if not check(base in opened, f"objects: announced {f['path']} at {hex(base)}, "
                                     f"which dl_iterate_phdr never saw"):
            continue
        phnum, name = opened[base]
        check(int(f["phnum"]) == phnum, f"objects: {f['path']}: phnum {f['phnum']}, "
                                        f"dl_iterate_phdr {phnum}")
        if name == "":
            expect_kind, same = "1", os.path.realpath(probe) == f["path"]
        elif name.startswith("linux-vdso"):
            expect_kind, same = "3", f["path"] == "[vdso]"
        else:
            expect_kind = "2" if "ld-linux" in name else "4"
            same = os.path.realpath(name) == os.path.realpath(f["path"])
        check(same and f["kind"] == expect_kind,
              f"objects: {hex(base)}: dl_iterate_phdr {name!r}, announced {f['path']!r} "
              f"kind {f['kind']} (expected {expect_kind})")
    check(lib_base in bases and
          os.path.realpath(lib) == [f["path"] for b, f in maps if b == lib_base][0],
          f"objects: the dlopen'ed library at {lib_base and hex(lib_base)} was not announced")
    check(lib_base not in closed, "objects: the library is still there after dlclose")
    check([b for b, _ in unmaps] == [lib_base],
          f"objects: unmapped {[hex(b) for b, _ in unmaps]}, expected only the library "
          f"at {lib_base and hex(lib_base)}")
    order = [(w, int(f["base"], 16)) for w, f, _ in events if w in ("map", "unmap")]
    check(("map", lib_base) in order and ("unmap", lib_base) in order and
          order.index(("map", lib_base)) < order.index(("unmap", lib_base)),
          "objects: the library was not announced before it was unmapped")


def init(loader, module, probe):
    argv = [probe, "self", "a b", "", "ünï"]
    env = {"PATH": "/usr/bin:/bin", "ONE": "1", "TWO": "two words", "EMPTY": ""}
    p, events = run_logged(loader, module, argv, env)
    if not check(p.returncode == 0, f"init: status {p.returncode}\n{p.stdout}{p.stderr}"):
        return
    program = dict(line.split(" ", 1) if " " in line else (line, "")
                   for line in p.stdout.splitlines() if not line.startswith("argv "))
    program_argv = [line.split(" ", 2)[2] for line in p.stdout.splitlines()
                    if line.startswith("argv ")]
    inits = [f for w, f, _ in events if w == "init"]
    if not check(len(inits) == 1, f"init: called {len(inits)} times"):
        return
    f = inits[0]
    logged_argv = [rest.split(" ", 1)[1] if " " in rest else "" for w, _, rest in events
                   if w == "argv"]
    check(f["argc"] == program["argc"], f"init: argc {f['argc']}, program {program['argc']}")
    check(logged_argv == program_argv == argv, f"init: argv {logged_argv}, program {program_argv}")
    check(f["envc"] == program["envc"] == str(len(env)),
          f"init: envc {f['envc']}, program {program['envc']}, given {len(env)}")
    for key in ("entry", "phdr", "execfn"):
        check(f[key] == program[key], f"init: {key} {f[key]}, program {program[key]}")
    first = [w for w, _, _ in events if w in ("init", "map", "thread_start")][:2]
    check(first == ["init", "map"], f"init: the first hooks were {first}")


def threads(loader, module, probe, n=5, status=7):
    p, events = run_logged(loader, module, [probe, "threads", str(n), str(status)])
    m = re.search(r"pid (\d+) child (\d+)", p.stdout)
    if not check(p.returncode == status and m, f"threads: status {p.returncode}, {p.stdout!r}"):
        return
    pid, child = m.groups()

    def of(what, who):
        return [f for w, f, _ in events if w == what and f["pid"] == who]
    check(len(of("thread_start", pid)) == n + 1,
          f"threads: {len(of('thread_start', pid))} thread_start, expected {n + 1}")
    check(len(of("thread_exit", pid)) == n + 1,
          f"threads: {len(of('thread_exit', pid))} thread_exit, expected {n + 1}")
    check([f["status"] for f in of("fini", pid)] == [str(status)],
          f"threads: fini {of('fini', pid)}, expected one with status {status}")
    check([f["status"] for f in of("fini", child)] == ["3"] and not of("thread_start", child),
          f"threads: the fork child's fini {of('fini', child)}, thread_start "
          f"{of('thread_start', child)}")
    tids = {f["tid"] for f in of("thread_start", pid)}
    check(tids == {f["tid"] for f in of("thread_exit", pid)},
          "threads: the threads that started are not those that exited")


def main():
    loader, module, probe, lib = sys.argv[1:5]
    objects(loader, module, probe, lib)
    init(loader, module, probe)
    threads(loader, module, probe)
    if failures():
        sys.exit(1)
    print("hooks: map_library = dl_iterate_phdr, init = the program's view, threads and fini: ok")


if __name__ == "__main__":
    main()
