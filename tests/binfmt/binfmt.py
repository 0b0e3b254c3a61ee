#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loader as the kernel's binfmt_misc interpreter, for real: in a user
namespace of its own (uids and gids 0-65535 mapped to the same outside,
written by this script as root; a mount namespace owned by it), a private
binfmt_misc instance (kernel >= 6.7; never the host's registrations), the
loader registered there with --binfmt=register, and binaries executed
directly, as uid 65533 (setpriv: no capability, so file permissions hold).

Checks, each against the same file run natively before it was marked (the
truth, at the same path): a marked binary runs under the loader (its
LIBOS_REPORT is written) with the same argv, exit status, AT_EXECFN,
/proc/self/exe, comm, AT_FLAGS, no AT_EXECFD and no extra descriptor; an
unmarked one does not run under it; an execute-only (111) marked binary
runs; a marked set-user-ID binary (owner 65534) gets its euid and
AT_SECURE and ignores LIBOS_MODULE (while a plain marked one does load the
module: its nodename shows); --mark changes only the 7 padding bytes and
--unmark restores the file; refusals; register/status/unregister outputs
and errors.

usage: binfmt.py LOADER MODULE PROBE BINFMT_D_CONF
"""
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
USER = ["setpriv", "--reuid=65533", "--regid=65533", "--clear-groups"]
CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
BINFMT = "/proc/sys/fs/binfmt_misc"
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(argv, env=None, user=True):
    p = subprocess.run((USER if user else []) + argv, env=env or {"PATH": "/usr/bin:/bin"},
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def enter_namespace():
    """Fork; the child enters a new user+mount namespace whose maps the
    parent (root outside) writes. Returns in the child; the parent exits
    with the child's status."""
    if os.geteuid() != 0:
        print("SKIP: needs root to map uids 0-65535 into the namespace")
        sys.exit(SKIP)
    libc = ctypes.CDLL(None, use_errno=True)
    r, w = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        ok = libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0
        os.write(w, b"1" if ok else b"0")
        if not ok:
            print("SKIP: unshare(CLONE_NEWUSER|CLONE_NEWNS): " +
                  os.strerror(ctypes.get_errno()))
            os._exit(SKIP)
        os.read(r2, 1)
        return
    if os.read(r, 1) == b"1":
        for f in ("uid_map", "gid_map"):
            with open(f"/proc/{pid}/{f}", "w") as m:
                m.write("0 0 65536\n")
        os.write(w2, b"1")
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


def main():
    loader, module, probe, conf = (os.path.abspath(a) for a in sys.argv[1:5])
    enter_namespace()
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)
    mount = subprocess.run(["mount", "-t", "binfmt_misc", "binfmt_misc", BINFMT],
                           stderr=subprocess.PIPE)
    if mount.returncode != 0:
        print("SKIP: no private binfmt_misc instance (kernel < 6.7?): " +
              mount.stderr.decode().strip())
        return SKIP
    real = os.path.realpath(loader)
    d = tempfile.mkdtemp(prefix="libos-binfmt-")
    os.chmod(d, 0o755)
    try:
        return cases(real, module, probe, conf, d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def cases(loader, module, probe, conf, d):
    L = [loader]
    rc, out, err = run(L + ["--binfmt=status"], user=False)
    check(rc == 1 and err == "libos-loader: --binfmt=status: libos-loader is not registered\n",
          f"status before register: 1, one line ({rc} {err!r})")
    rc, out, err = run(L + ["--binfmt=register"], user=False)
    check(rc == 0 and out == err == "", f"register: 0, silent ({rc} {err!r})")
    rc, out, err = run(L + ["--binfmt=register"], user=False)
    check(rc == 126 and err.count("\n") == 1 and "already registered" in err,
          f"register twice: 126, one line ({rc} {err!r})")
    rc, out, err = run(L + ["--binfmt=status"], user=False)
    check(rc == 0 and "enabled\n" in out and f"interpreter {loader}\n" in out and
          "flags: POCF\n" in out and "offset 0\n" in out and
          "magic 7f454c4602010100004c69624f53010000003e00\n" in out,
          f"status: the entry, the loader's real path, POCF ({out!r})")
    # The installed file names the installed loader: put this one's path in.
    with open(conf) as f:
        fields = f.read().strip().split(":")
    check(len(fields) == 8 and fields[1] == "libos-loader" and fields[7] == "POCF" and
          fields[6].endswith("/bin/libos-loader"), f"binfmt.d: one line, POCF ({fields})")
    fields[6] = loader
    line = ":".join(fields)
    with open(f"{BINFMT}/{'libos-loader'}") as f:
        entry = f.read()
    with open(f"{BINFMT}/register", "w") as f:
        f.write(line.replace(":libos-loader:", ":fromconf:", 1))
    with open(f"{BINFMT}/fromconf") as f:
        check(f.read() == entry, "the binfmt.d line registers the same entry")
    with open(f"{BINFMT}/fromconf", "w") as f:
        f.write("-1")

    prog = os.path.join(d, "prog")
    shutil.copy(probe, prog)
    os.chmod(prog, 0o755)
    args = [prog, "one", "two words", ""]
    out_dir = os.path.join(d, "out")
    os.mkdir(out_dir)
    os.chown(out_dir, 65533, 65533)
    report = os.path.join(out_dir, "r.json")
    env = {"PATH": "/usr/bin:/bin", "LIBOS_REPORT": report}
    truth = run(args, env)
    check(truth[0] == 7 and "execfd 0" in truth[1], f"native run ({truth[0]} {truth[2]!r})")
    check(not os.path.exists(report), "an unmarked binary does not run under the loader")
    before = open(prog, "rb").read()
    rc, out, err = run(L + ["--mark", prog], user=False)
    after = open(prog, "rb").read()
    diff = [i for i in range(len(before)) if before[i] != after[i]]
    check(rc == 0 and len(before) == len(after) and diff and
          all(9 <= i < 16 for i in diff) and after[9:16] == b"LibOS\x01\x00",
          f"--mark: only the e_ident padding changes ({rc} {err!r} {diff})")
    rc, out, err = run(L + ["--mark", prog], user=False)
    check(rc == 0 and open(prog, "rb").read() == after, "--mark again: nothing changes")
    under = run(args, env)
    check(under == truth, f"marked: argv, status, AT_EXECFN, exe, comm, fds as natively\n"
          f"native {truth}\nunder  {under}")
    check(os.path.exists(report), "marked: it ran under the loader (its report is written)")
    argv0 = run(["bash", "-c", f'exec -a renamed {prog} x'], env)
    check(argv0[0] == 7 and "argv[0] renamed\n" in argv0[1],
          f"marked: argv[0] preserved (P) ({argv0[1]!r})")
    os.chmod(prog, 0o111)
    check(run(["cat", prog])[0] != 0, "uid 65533 cannot read the 111 binary")
    x = run(args, env)
    check(x == truth, f"execute-only marked binary runs as natively\nnative {truth}\nunder  {x}")
    os.chmod(prog, 0o755)
    modenv = {"PATH": "/usr/bin:/bin", "LIBOS_MODULE": module,
              "LIBOS_MODULE_OPTIONS": "hostname=module-ran"}
    m = run(args, modenv)
    check(m[0] == 7 and "nodename module-ran" in m[1], f"a marked binary loads LIBOS_MODULE ({m[1]!r})")

    sid = os.path.join(d, "sid")
    shutil.copy(probe, sid)
    os.chown(sid, 65534, 65534)
    os.chmod(sid, 0o4755)
    sargs = [sid, "a"]
    struth = run(sargs, modenv)
    check(struth[0] == 7 and "euid 65534" in struth[1] and "secure 1" in struth[1],
          f"set-user-ID native: euid 65534, AT_SECURE ({struth[1]!r})")
    run(L + ["--mark", sid], user=False)
    os.chmod(sid, 0o4755)
    s = run(sargs, modenv)
    check(s == struth, f"set-user-ID marked (C): its euid, AT_SECURE, LIBOS_MODULE ignored\n"
          f"native {struth}\nunder  {s}")

    rc, out, err = run(L + ["--unmark", prog], user=False)
    check(rc == 0 and open(prog, "rb").read() == before, "--unmark restores the file")
    lib = os.path.join(d, "lib.so")
    shutil.copy("/usr/lib/x86_64-linux-gnu/libm.so.6", lib)
    text = os.path.join(d, "text")
    with open(text, "w") as f:
        f.write("not elf\n")
    for path, code, what in ((lib, 126, "shared object"), (text, 126, "not an ELF file"),
                             (os.path.join(d, "none"), 127, "No such file")):
        was = open(path, "rb").read() if os.path.exists(path) else None
        rc, out, err = run(L + ["--mark", path], user=False)
        now = open(path, "rb").read() if os.path.exists(path) else None
        check(rc == code and err.count("\n") == 1 and what in err and was == now,
              f"--mark {os.path.basename(path)}: {code}, one line, unchanged ({rc} {err!r})")
    rc, out, err = run(L + ["--binfmt=bogus"], user=False)
    check(rc == 2 and err.count("\n") == 1, f"--binfmt=bogus: 2 ({rc} {err!r})")
    rc, out, err = run(L + ["--binfmt=unregister"], user=False)
    check(rc == 0 and err == "", f"unregister: 0 ({rc} {err!r})")
    check(not os.path.exists(f"{BINFMT}/libos-loader"), "unregister: the entry is gone")
    rc, out, err = run(L + ["--binfmt=unregister"], user=False)
    check(rc == 1 and "not registered" in err, f"unregister again: 1 ({rc} {err!r})")
    rc, out, err = run(L + ["--binfmt=register"])
    check(rc == 126 and "no permission" in err, f"register as uid 65533: 126 ({rc} {err!r})")
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
