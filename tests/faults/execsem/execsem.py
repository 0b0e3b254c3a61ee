# SPDX-License-Identifier: MIT
"""execsem.py LOADER HELD FANWATCH LD_PROG LD_COPY: exec semantics.

HELD (held.c) is copied to a fresh directory, with a #! script whose
interpreter is another copy and a copy of a library; each case runs it
natively and under the loader in each mode, and its output and status
must be the native ones:
- the running program's file cannot be opened for writing (ETXTBSY), by
  itself or by another process; a library ld.so mapped can;
- an exec of a file open for writing fails with ETXTBSY and the program
  goes on: the program, a #! script, its interpreter, the ELF interpreter
  (LD_PROG's is LD_COPY), and PROGRAM on the loader's command line (126,
  as a shell);
- fanotify's FAN_OPEN_EXEC fires once for each of those files (FANWATCH,
  root only);
- the largest argv and envp an exec takes (E2BIG one byte more), of a
  program and of a #! script, with two stack limits, and the argv, envp,
  /proc/self/cmdline and environ the exec'd program then has.
With CAP_CHECKPOINT_RESTORE (root here), and without it (setpriv), where
the kernel keeps writing the program's file allowed under the loader: the
measured limit of README's "Not covered", checked as such."""
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile

loader, held, fanwatch, ld_prog, ld_copy = (os.path.realpath(a) for a in sys.argv[1:6])
MODES = [[], ["--strict"], ["--sud-only"]]
CAP_CHECKPOINT_RESTORE, CAP_SYS_ADMIN = 40, 21
failures = []
count = 0


def capable():
    for line in open("/proc/self/status"):
        if line.startswith("CapEff:"):
            eff = int(line.split()[1], 16)
            return bool(eff & (1 << CAP_CHECKPOINT_RESTORE | 1 << CAP_SYS_ADMIN))
    return False


setpriv = shutil.which("setpriv")
DROP = [setpriv, "--bounding-set=-checkpoint_restore,-sys_admin",
        "--inh-caps=-checkpoint_restore,-sys_admin"] if setpriv else None
PRIVILEGES = []
if capable():
    PRIVILEGES.append(("with the capability", []))
    if DROP:
        PRIVILEGES.append(("without the capability", DROP))
    else:
        print("SKIP the cases without the capability: no setpriv to drop it")
else:
    print("SKIP the cases with the capability: this process has neither "
          "CAP_CHECKPOINT_RESTORE nor CAP_SYS_ADMIN")
    PRIVILEGES.append(("without the capability", []))

d = tempfile.mkdtemp(prefix="execsem-")
prog, prog2, interp = (os.path.join(d, n) for n in ("prog", "prog2", "interp"))
for p in (prog, prog2, interp):
    shutil.copy(held, p)
script, printing = os.path.join(d, "script"), os.path.join(d, "printing")
for path, word in ((script, "hello"), (printing, "print")):
    with open(path, "w") as f:
        f.write("#!%s %s\n" % (interp, word))
    os.chmod(path, 0o755)
# A library ld.so maps from a file that may be opened for writing: a copy
# of one that this python maps.
lib = None
for line in open("/proc/self/maps"):
    path = line.split()[-1]
    if "/libm.so" in path or "/libz.so" in path:
        lib = os.path.join(d, os.path.basename(path))
        shutil.copy(path, lib)
        break
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}


def run(argv, stack=None, **kw):
    limit = (lambda: resource.setrlimit(resource.RLIMIT_STACK, (stack, stack))) if stack else None
    return subprocess.run(argv, capture_output=True, timeout=120, cwd=d, env=ENV,
                          preexec_fn=limit, **kw)


natives = {}


def native(argv, stack=None):
    """The native run's outputs (once: they do not depend on the mode)."""
    key = (tuple(argv), stack)
    if key not in natives:
        natives[key] = outputs(run(argv, stack))
    return natives[key]


def compare(case, native, under, expect=None):
    """under must give native's (stdout, status), or expect where the
    difference is a documented limit."""
    global count
    count += 1
    want = expect if expect is not None else native
    if under != want:
        failures.append("%s: %r, not %r%s" % (case, under, want,
                                               "" if expect is None else " (documented)"))


def outputs(p):
    return (p.stdout.decode(), p.returncode)


def from_outside(argv):
    """What another process gets when it opens prog for writing while
    argv (prog wait) runs."""
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=d, env=ENV)
    try:
        if p.stdout.readline() != b"ready\n":
            return "did not start"
        try:
            os.close(os.open(prog, os.O_WRONLY))
            return "opened"
        except OSError as e:
            return e.strerror
    finally:
        p.communicate(b"\n", timeout=60)


def command_line(argv):
    """PROGRAM itself open for writing: the errno of the native exec, or
    the status and last stderr line of the loader's run."""
    fd = os.open(prog2, os.O_WRONLY)
    try:
        p = run(argv)
        return (p.returncode, p.stderr.decode().rstrip("\n").rsplit(": ", 1)[-1])
    except OSError as e:
        return (126, e.strerror)
    finally:
        os.close(fd)


CASES = [
    ("its own file", [prog, "write", prog], "write: opened\n"),
    ("a mapped library", [prog, "dlopen-write", lib], None) if lib else None,
    ("exec held", [prog, "exec-held", prog2, prog2, "hello"], None),
    ("exec of a script held", [prog, "exec-held", script, script], None),
    ("exec of a script whose interpreter is held", [prog, "exec-held", interp, script], None),
    ("exec of a program whose ld.so is held", [prog, "exec-held", ld_copy, ld_prog, "hello"],
     None),
    ("exec free", [prog, "exec", prog2, "hello"], None),
]
if not lib:
    print("SKIP the mapped library: no libm or libz mapped in this python")
FANOTIFY = [
    ("program", prog2, [prog2, "hello"]),
    ("followed exec", prog2, [prog, "exec", prog2, "hello"]),
    ("ld.so", ld_copy, [ld_prog, "hello"]),
    ("script", script, [script]),
    ("script's interpreter", interp, [script]),
]
# The largest argv an exec takes (held.c bisects it, then prints what the
# exec'd program sees): the loader's own words must not take from it.
ARG_MAX = [
    ("a program", [prog, "arg-max", prog2], None),
    ("a #! script", [prog, "arg-max", printing], None),
    ("a program, 4 MiB of stack", [prog, "arg-max", prog2], 4 << 20),
]
fan_ok = run([fanwatch, prog2, prog2, "hello"]).returncode != 77
if not fan_ok:
    print("SKIP the fanotify cases: fanotify_init needs CAP_SYS_ADMIN")

for who, prefix in PRIVILEGES:
    capped = who == "with the capability"
    for mode in MODES:
        under = prefix + [loader] + mode
        tag = "%s, mode %s" % (who, mode[0] if mode else "default")
        for case in CASES:
            if case is None:
                continue
            name, argv, limit = case
            # Without the capability the kernel never learns that the
            # program's file is executed: README, "Not covered".
            compare("%s: %s" % (tag, name), native(prefix + argv),
                    outputs(run(under + argv)),
                    None if capped or limit is None else (limit, 0))
        compare("%s: another process writing it" % tag, from_outside(prefix + [prog, "wait"]),
                from_outside(under + [prog, "wait"]), None if capped else "opened")
        compare("%s: PROGRAM held" % tag, command_line(prefix + [prog2, "hello"]),
                command_line(under + [prog2, "hello"]))
        # Each mode reaches exec_args.c the same way: the three cases in
        # the default mode, one in the others (the bisection takes time).
        for name, argv, stack in ARG_MAX[:3 if capped and not mode else 1]:
            compare("%s: the largest argv, exec of %s" % (tag, name),
                    native(prefix + argv, stack), outputs(run(under + argv, stack)))
        if fan_ok:
            for name, marked, argv in FANOTIFY:
                compare("%s: FAN_OPEN_EXEC of the %s" % (tag, name),
                        native([fanwatch, marked] + prefix + argv),
                        outputs(run([fanwatch, marked] + under + argv)))

shutil.rmtree(d)
for f in failures:
    print("execsem.py: " + f)
print("%d cases, %d failed" % (count, len(failures)))
sys.exit(1 if failures else 0)
