#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The example module (examples/) against the truth it does not touch.

usage: example.py LOADER MODULE PROBE

- identity: getpid/getppid against /proc/self/stat in a thread and in
  fork, vfork and clone children (the probe checks); gethostname is the
  configured name with hostname=, the real one without;
- no kernel call: strace sees (almost) none of the probe's getpid, getppid
  and uname calls under the module, and all of them natively;
- paths: the probe's path syscalls on /FROM under the module print what
  they print natively on /TO, and leave /TO in the same state; /FROMx
  (not a whole component) is not redirected;
- bad pointers give EFAULT; real programs (hostname, cat, ls, python3)
  see the configured name and the target directory; an exec of a program
  under /FROM (followed by the loader) runs the one under /TO, with the
  module;
- bad options: one line from the module, status 2, the program never runs.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, failures  # noqa: E402


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, **kw)


def make_target(path):
    os.makedirs(path + "/dir")
    with open(path + "/file", "w") as f:
        f.write("hello from the target\n")
    with open(path + "/dir/inner", "w") as f:
        f.write("inner\n")
    os.symlink("file", path + "/link")


def tree(path):
    out = []
    for d, dirs, files in sorted(os.walk(path)):
        rel = os.path.relpath(d, path)
        out.append((rel, sorted(dirs), sorted(files),
                    [open(os.path.join(d, f), "rb").read() for f in sorted(files)
                     if os.path.isfile(os.path.join(d, f))]))
    return out


def main():
    loader, module, probe = sys.argv[1:4]
    tmp = tempfile.mkdtemp(prefix="libos-example-")
    src = f"/libos-example-{os.getpid()}"  # never exists: only the module knows it
    try:
        target = tmp + "/target"
        make_target(target)

        def under(opts, *argv):
            return run([loader, f"--libos={module}", f"--libos-options={opts}", *argv])

        redirect = f"redirect={src}:{target}"
        # identity, with and without hostname=
        p = under(f"hostname=libos-example,{redirect}", probe, "identity")
        check(p.returncode == 0 and p.stdout == "hostname libos-example\n",
              f"identity with hostname=: status {p.returncode}\n{p.stdout}{p.stderr}")
        p = under("", probe, "identity")
        check(p.returncode == 0 and p.stdout == f"hostname {socket.gethostname()}\n",
              f"identity without options: status {p.returncode}\n{p.stdout}{p.stderr}")

        # answered without a kernel call
        if shutil.which("strace"):
            log = tmp + "/strace"
            calls = {}
            for name, prefix in (("native", []),
                                 ("module", [loader, f"--libos={module}"])):
                run(["strace", "-f", "-qq", "-o", log, "-e", "trace=getpid,getppid,uname",
                     *prefix, probe, "loop", "1000"])
                calls[name] = sum(1 for _ in open(log))
            check(calls["native"] >= 3000 and calls["module"] < 30,
                  f"syscalls that reached the kernel: {calls} (3000 made)")

        # paths: on /FROM under the module as natively on /TO
        native_dir, module_dir = tmp + "/native", tmp + "/module"
        make_target(native_dir)
        make_target(module_dir)
        native = run([probe, "paths", native_dir])
        loaded = under(f"redirect={src}:{module_dir}", probe, "paths", src)
        check(native.returncode == 0 and native.stdout == loaded.stdout and
              native.stderr == loaded.stderr,
              f"paths: native on the target\n{native.stdout}{native.stderr}"
              f"under the module on {src}\n{loaded.stdout}{loaded.stderr}")
        check("content: hello from the target" in loaded.stdout,
              f"paths: the file was not read through the prefix\n{loaded.stdout}")
        check(tree(native_dir) == tree(module_dir), "paths: the target directories differ")
        partial = src + "x"
        native = run([probe, "paths", partial])
        loaded = under(f"redirect={src}:{module_dir}", probe, "paths", partial)
        check(native.stdout == loaded.stdout and "open file: ENOENT" in loaded.stdout,
              f"paths: {partial} is not under {src} but was redirected\n{loaded.stdout}")

        p = under(redirect, probe, "efault")
        check(p.returncode == 0 and p.stdout == "efault done\n",
              f"bad pointers: status {p.returncode}\n{p.stdout}{p.stderr}")

        # real programs
        opts = f"hostname=libos-example,{redirect}"
        p = under(opts, "hostname")
        check(p.stdout == "libos-example\n", f"hostname(1): {p.stdout!r} {p.stderr}")
        p = under(opts, "cat", src + "/file", src + "/dir/inner")
        check(p.stdout == "hello from the target\ninner\n", f"cat: {p.stdout!r} {p.stderr}")
        native = run(["ls", "-a", target])
        p = under(opts, "ls", "-a", src)
        check(p.returncode == 0 and p.stdout == native.stdout,
              f"ls: {p.stdout!r} {p.stderr}, natively {native.stdout!r}")
        script = (f"import os, socket; s = open('/proc/self/stat').read().split(); "
                  f"print(os.getpid() == int(s[0]), os.getppid() == int(s[3]), "
                  f"socket.gethostname(), sorted(os.listdir('{src}')), "
                  f"open('{src}/file').read().strip())")
        p = under(opts, "python3", "-c", script)
        expect = (f"True True libos-example {sorted(os.listdir(target))} "
                  f"hello from the target\n")
        check(p.stdout == expect, f"python3: {p.stdout!r} {p.stderr}, expected {expect!r}")

        # exec of a redirected path, followed by the loader: runs under
        # the module the file under the target
        shutil.copy(probe, target + "/probe")
        p = under(opts, "sh", "-c", f"{src}/probe identity && env {src}/probe identity; "
                  f"{src}/missing; echo $?")
        check(p.stdout == "hostname libos-example\n" * 2 + "127\n",
              f"exec through the prefix: {p.stdout!r} {p.stderr}")
        os.unlink(target + "/probe")

        # bad options: the module refuses, the program never runs
        for bad, item in (("hostname=x,nope=1", "nope=1"), ("hostname=" + "h" * 65, "hostname="),
                          ("redirect=relative:/tmp", "redirect=relative"),
                          ("redirect=/:/tmp", "redirect=/:"), ("redirect=/a", "redirect=/a")):
            p = under(bad, probe, "identity")
            lines = p.stderr.splitlines()
            check(p.returncode == 2 and p.stdout == "" and lines and
                  lines[0].startswith(f"libos-loader: example: bad option '{item}"),
                  f"bad option {bad!r}: status {p.returncode}, stdout {p.stdout!r}, "
                  f"stderr {p.stderr!r}")
    finally:
        shutil.rmtree(tmp)
    if failures():
        sys.exit(1)
    print("example module: identity, hostname, paths, EFAULT, real programs, bad options: ok")


if __name__ == "__main__":
    main()
