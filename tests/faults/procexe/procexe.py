# SPDX-License-Identifier: MIT
"""procexe.py LOADER WAYS: the program's own executable under the loader.

WAYS (exe_ways.c) prints what every way of reaching /proc/.../exe gives
(readlink, open, openat2, stat, statx, with each flag that changes the
answer). Its output must be the native run's in the default mode,
--strict and --sud-only, with CAP_CHECKPOINT_RESTORE (root here: the
loader makes the kernel's exe link the program's, loader/exe_link.c) and
without it (setpriv drops it and CAP_SYS_ADMIN: hooks/procfs.c answers).
Another process reading /proc/PID/exe, also of a program started by a
followed exec, sees the program with the capability, and the loader
without it (README, "Not covered")."""
import os
import shutil
import subprocess
import sys
import tempfile

loader, ways = (os.path.realpath(a) for a in sys.argv[1:3])
MODES = [[], ["--strict"], ["--sud-only"]]
CAP_CHECKPOINT_RESTORE, CAP_SYS_ADMIN = 40, 21
failures = []


def capable():
    for line in open("/proc/self/status"):
        if line.startswith("CapEff:"):
            eff = int(line.split()[1], 16)
            return bool(eff & (1 << CAP_CHECKPOINT_RESTORE | 1 << CAP_SYS_ADMIN))
    return False


DROP = ["setpriv", "--bounding-set=-checkpoint_restore,-sys_admin",
        "--inh-caps=-checkpoint_restore,-sys_admin"]
cases = []
if capable():
    cases.append(("with the capability", [], ways))
else:
    print("SKIP the capability case: this process has neither CAP_CHECKPOINT_RESTORE "
          "nor CAP_SYS_ADMIN")
if capable() and shutil.which("setpriv"):
    cases.append(("without the capability", DROP, loader))
elif not capable():
    cases.append(("without the capability", [], loader))
else:
    print("SKIP the case without the capability: no setpriv to drop it")


def run(cmd, **kw):
    with tempfile.TemporaryDirectory() as d:
        return subprocess.run(cmd, capture_output=True, timeout=60, cwd=d, **kw)


native = run([ways])
for name, prefix, _ in cases:
    for mode in MODES:
        under = run(prefix + [loader] + mode + [ways])
        if (under.stdout, under.returncode) != (native.stdout, native.returncode):
            failures.append("%s, mode %s: differs from native" % (name, mode or "default"))
            out = native.stdout.decode().splitlines()
            got = under.stdout.decode().splitlines()
            for i in range(max(len(out), len(got))):
                a = out[i] if i < len(out) else "<none>"
                b = got[i] if i < len(got) else "<none>"
                if a != b:
                    print("  %s %s line %d: native %r, loader %r" %
                          (name, mode, i + 1, a, b))
            print(under.stderr.decode(), end="")


def seen_from_outside(cmd):
    """What another process reads at /proc/PID/exe of the program."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pid = int(p.stdout.readline())
    try:
        return os.readlink("/proc/%d/exe" % pid)
    finally:
        p.stdin.close()
        p.wait(timeout=60)


for name, prefix, expect in cases:
    for mode in MODES:
        for how, argv in (("started", [ways, "outside"]),
                          ("exec'd", ["/bin/sh", "-c", 'exec "$0" outside', ways])):
            seen = seen_from_outside(prefix + [loader] + mode + argv)
            if seen != expect:
                failures.append("%s, mode %s, %s: /proc/PID/exe is %s, not %s" %
                                (name, mode or "default", how, seen, expect))

for f in failures:
    print("procexe.py: " + f)
print("%d cases, %d failed" % (len(cases) * len(MODES) * 3, len(failures)))
sys.exit(1 if failures else 0)
