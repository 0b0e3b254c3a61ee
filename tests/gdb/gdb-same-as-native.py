#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gdb on a program under the loader sees what it sees natively.

usage: gdb-same-as-native.py start|attach|attach-user|under LOADER SCRIPT PROGRAM LIBRARY SOURCE

One gdb session, in batch mode, on PROGRAM (gdb_prog.c) run natively and
run by LOADER with the shipped SCRIPT loaded (gdb/libos-loader.py):
  start   gdb --args PROGRAM (natively) / gdb -ix SCRIPT --args LOADER PROGRAM:
          breakpoints set before `run` (in the program and, pending, in the
          library it dlopens) are hit, `bt` names the same functions,
          `info threads` the same thread names, `catch syscall write` stops
          in the same frames, and `next` over a line whose call makes a
          rewritten syscall stops on the next line;
  attach  the program started alone, blocked in pause(); gdb -p PID (with
          -ix SCRIPT under the loader): the same, from the attach on.
  attach-user  the same as another user (root only: setpriv), where
          /proc/PID/exe stays the loader's file;
  under   gdb itself under the loader debugging the native program
          (LOADER --no-follow-exec gdb --args PROGRAM), the same session as
          natively (followed, its exec would run the program under the
          loader too, and a script-less gdb would know nothing of it).
The outputs are compared once normalised: addresses, pids and arguments
dropped, and the loader's own frames (hook_, arch_..., on top of a thread
that is inside a syscall: the kernel's syscall is made there) left out.
Status 77 (skipped) where gdb is missing or may not trace.
"""
import os
import re
import shutil
import subprocess
import sys

LOADER_FRAME = re.compile(r"(arch|hook|ldr|tls|patch|heap|elf|libc)_")


def next_line(source):
    with open(source) as f:
        for n, text in enumerate(f, 1):
            if "LINE_NEXT" in text:
                return n
    sys.exit(f"{source}: no LINE_NEXT line")


def commands(way, source):
    line = next_line(source)
    name = os.path.basename(source)
    cmds = ["set pagination off", "set confirm off", "set breakpoint pending on",
            "handle SIGSYS nostop noprint pass"]
    if way.startswith("attach"):
        cmds += ["bt", "info threads"]
    # 1 in the program, 2 pending in the library, 3 on the line for next.
    cmds += ["break program_mark", "break late_function", f"break {name}:{line}"]
    if not way.startswith("attach"):
        cmds += ["run"]
    else:
        cmds += ["set var released = 1", "signal SIGUSR1"]
    # 4 catches the write of "late 6": its call and its return.
    cmds += ["bt", "info threads",
             "continue", "next", "next",
             "continue", "bt",
             "catch syscall write", "continue", "bt", "continue", "bt", "delete 4",
             "continue"]
    return cmds


def normalise(out):
    """The lines that say what gdb saw, without addresses or numbers that
    differ from run to run."""
    got = []
    frames = None
    for text in out.splitlines():
        m = re.match(r"#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(", text)
        if m:
            if frames is None:
                frames = []
                got.append(frames)
            if not (LOADER_FRAME.match(m.group(1)) or m.group(1) == "??"):
                frames.append(m.group(1))
            continue
        frames = None
        m = re.search(r"hit (Breakpoint \d+), (?:0x[0-9a-f]+ in )?(\S+)", text)
        if m:
            got.append(f"hit {m.group(1)} in {m.group(2)}")
            continue
        # Where: the bt that follows (under the loader, its frame 0 is the
        # loader's, where the kernel's syscall is).
        m = re.search(r"hit (Catchpoint \d+ \((call to|returned from) syscall write\))", text)
        if m:
            got.append(f"hit {m.group(1)}")
            continue
        m = re.match(r"\*?\s+(\d+)\s+Thread 0x[0-9a-f]+ \(LWP \d+\) (\"[^\"]*\")", text)
        if m:
            got.append(f"thread {m.group(1)} {m.group(2)}")
            continue
        m = re.match(r"(\d+)\t", text)
        if m and (not got or got[-1].startswith("hit Catchpoint")):
            # Natively in libc (write.c, pause.c at the attach); under the
            # loader in its own code, which has no lines.
            continue
        if m:
            got.append(f"at line {m.group(1)}")
            continue
        if "exited normally" in text or "exited with code" in text:
            got.append(re.sub(r"\(process \d+\) ", "", text.strip()))
    return [" <- ".join(g) if isinstance(g, list) else g for g in got]


# Another user, without the capability PR_SET_MM_MAP's exe_fd needs, so
# that /proc/PID/exe stays the loader's file.
USER = ["setpriv", "--reuid=65533", "--regid=65533", "--clear-groups"]


def gdb(cmds, script, argv=None, pid=None, under=None):
    cmd = (under or []) + ["gdb", "-nx", "-batch"]
    if script:
        cmd += ["-ix", script]
    for c in cmds:
        cmd += ["-ex", c]
    cmd += ["-p", str(pid)] if pid else ["--args"] + argv
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=90)
    return r.stdout


def start_waiting(argv):
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         text=True)
    if p.stdout.readline() != "ready\n":
        p.kill()
        sys.exit(f"FAIL {argv}: never said ready")
    return p


def run(way, argv, script, under=None):
    cmds = commands(way, sys.argv[6])
    if way in ("start", "under"):
        return gdb(cmds, script, argv=argv, under=under)
    user = USER if way == "attach-user" else []
    p = start_waiting(user + argv + ["wait"])
    try:
        return gdb(cmds, script, pid=p.pid, under=user)
    finally:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main():
    way, loader, script, program, library = sys.argv[1:6]
    if not shutil.which("gdb"):
        print("SKIP gdb is not installed")
        return 77
    if way == "attach-user" and (os.geteuid() != 0 or not shutil.which("setpriv")):
        print("SKIP attach-user needs root and setpriv (util-linux) to run as another user")
        return 77
    program, library = os.path.abspath(program), os.path.abspath(library)
    native_out = run(way, [program, library], None)
    if "ptrace: Operation not permitted" in native_out or "Could not attach" in native_out:
        print("SKIP gdb may not trace here (ptrace refused: yama's ptrace_scope, a container?)")
        return 77
    native = normalise(native_out)
    if not any("late_function" in g for g in native) or \
            not any("returned from syscall write" in g for g in native):
        print("FAIL the native session did not go as planned:")
        print(native_out)
        return 1
    if way == "under":
        loaded_out = run(way, [program, library], None, under=[loader, "--no-follow-exec"])
    else:
        loaded_out = run(way, [loader, program, library], script)
    loaded = normalise(loaded_out)
    if loaded != native:
        print(f"FAIL {way}: gdb under the loader saw something else than natively")
        for i in range(max(len(native), len(loaded))):
            n = native[i] if i < len(native) else "-"
            g = loaded[i] if i < len(loaded) else "-"
            print(f"{'  ' if n == g else '! '}native: {n}\n{'  ' if n == g else '! '}loader: {g}")
        print("--- gdb under the loader said:")
        print(loaded_out)
        return 1
    for g in native:
        print("ok", g)
    return 0


if __name__ == "__main__":
    sys.exit(main())
