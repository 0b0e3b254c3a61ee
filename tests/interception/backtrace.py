#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gdb's backtrace from inside the LibOS reaches the program's frames.

usage: backtrace.py LOADER PROGRAM

PROGRAM (backtrace.c, static) calls main -> outer -> inner -> getppid.
Natively, `catch syscall getppid` stops at the syscall, and `bt` lists the
program's frames. Under the loader, a breakpoint in the dispatcher stops
on the same syscall; `bt` must list the loader's frames (the dispatcher,
then the entry path) and below them exactly the program's native frames,
function for function: the entry paths' CFI (arch/x86_64/syscall_entry.S,
sigsys_entry.S) describes the program as their caller. Checked through a
stub (default) and through the safety net (--sud-only, where the frames
go through the SIGSYS handler and its restorer, a signal frame).
"""
import re
import subprocess
import sys

GETPPID = 110


def gdb(argv, commands):
    cmd = ["gdb", "-q", "-nx", "-batch", "-ex", "set pagination off",
           "-ex", "set confirm off"]
    for c in commands:
        cmd += ["-ex", c]
    out = subprocess.run(cmd + ["--args"] + argv, capture_output=True, text=True,
                         timeout=120).stdout
    return out


def frames(out):
    """The function names of the first backtrace in gdb's output."""
    names = []
    for line in out.splitlines():
        m = re.match(r"#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+)", line)
        if m:
            if m.group(1) == "0" and names:
                break
            names.append(m.group(2))
    return names


def main():
    loader, program = sys.argv[1], sys.argv[2]
    native = frames(gdb([program], ["catch syscall getppid", "run", "bt"]))
    if len(native) < 4 or native[1:4] != ["inner", "outer", "main"]:
        print(f"FAIL native backtrace is not getppid, inner, outer, main: {native}")
        return 1
    print(f"native:    {' <- '.join(native)}")
    fail = 0
    cases = [
        ("stub", [], "hook_syscall if ((struct arch_frame *)$rdi)->rax == %d" % GETPPID,
         ["hook_syscall", "arch_syscall_entry"]),
        ("net", ["--sud-only"], "hook_dispatch_slow if f->rax == %d" % GETPPID,
         ["hook_dispatch_slow", "hook_sigsys", "arch_sigsys_entry", "<signal"]),
    ]
    for name, options, breakpoint, loader_frames in cases:
        out = gdb([loader] + options + [program],
                  ["handle SIGSYS nostop noprint pass", "break " + breakpoint, "run",
                   "add-symbol-file " + program, "bt"])
        got = frames(out)
        top, rest = got[:len(loader_frames)], got[len(loader_frames):]
        if top != loader_frames or rest != native:
            print(f"FAIL {name}: the backtrace is {got}; want {loader_frames} then the "
                  f"native frames {native}")
            print(out)
            fail = 1
        else:
            print(f"ok {name:<5} {' <- '.join(got)}")
    return fail


if __name__ == "__main__":
    sys.exit(main())
