# SPDX-License-Identifier: MIT
"""The loader as a container's entrypoint (issue 12 part 2), with the real
runtime: podman with runc. Two images built from examples/container's
Containerfiles (podman build, FROM scratch): one with no libc at all (the
loader, a static program, busybox), one with a dynamic program, its
libraries and ld.so. Every run under the loader is compared with the same
image run without it (--entrypoint the program: the truth): output, exit
status, podman stop (SIGTERM to PID 1, with a handler and without), PID 1
reaping zombies and an orphan (the same pids: the loader adds no process),
a read-only root (no /var/tmp: no cache, nothing said), environment-only
configuration (LIBOS_MODULE, LIBOS_MODULE_OPTIONS, LIBOS_REPORT to a
mounted volume). Then the static root with unshare --root (no podman, no
/proc): the same, an exec followed, and the root left as it was.

podman uses a private storage under the build directory (vfs driver,
--root and --tmpdir there, --runroot in a fresh /tmp directory: podman
takes 50 bytes at most), removed at the end: the host's storage gets no
image. (podman 4.3 still writes its blob-info cache file in
/var/lib/containers/cache whatever --root says.) Without podman or runc the test says so and skips (77).

usage: container.py LOADER ENTRY_STATIC ENTRY_DYNAMIC MODULE.so EXAMPLES_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

loader, entry_static, entry_dynamic, module, examples, work = sys.argv[1:7]
RUNC = "/usr/sbin/runc"
failures = []


def check(what, got, want):
    if got != want:
        failures.append(what)
        print(f"{__file__}: {what}: differs\n  native/expected: {want!r}\n  loader:          {got!r}")


if not shutil.which("podman") or not os.access(RUNC, os.X_OK):
    print("SKIP: podman or runc is not installed (tests/container/packages.txt)")
    sys.exit(77)

shutil.rmtree(work, ignore_errors=True)
store = os.path.join(work, "storage")
# podman wants a runroot of at most 50 bytes: a private one in /tmp.
runroot = tempfile.mkdtemp(prefix="libos-ctr-")
PODMAN = ["podman", "--root", f"{store}/root", "--runroot", runroot, "--tmpdir",
          f"{store}/tmp", "--storage-driver", "vfs", "--runtime", RUNC, "--cgroup-manager",
          "cgroupfs", "--events-backend", "file"]
RUN = ["run", "--network=none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]


def podman(*args, check_rc=True, **kw):
    r = subprocess.run(PODMAN + list(args), capture_output=True, text=True, timeout=120, **kw)
    if check_rc and r.returncode != 0:
        print(f"podman {' '.join(args)}: status {r.returncode}\n{r.stderr}")
        raise SystemExit(1)
    return r


def rootfs(context, files):
    """context/rootfs with each (source, path in the image)."""
    root = os.path.join(context, "rootfs")
    for src, dst in files:
        path = root + dst
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copy2(os.path.realpath(src), path)
    return root


def libraries(prog):
    """What ldd lists for prog: (file, path in the image)."""
    out = subprocess.run(["ldd", prog], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        path = parts[2] if len(parts) > 2 and parts[1] == "=>" else parts[0]
        if path.startswith("/"):
            libs.append((path, path))
    return libs


def build(name, containerfile, files):
    context = os.path.join(work, name)
    rootfs(context, files)
    shutil.copy(os.path.join(examples, containerfile), os.path.join(context, "Containerfile"))
    podman("build", "--network=none", "-q", "-t", f"libos-test/{name}", context)
    return f"libos-test/{name}"


def run(image, args, native, opts=()):
    """(stdout, stderr, status) of image run with args, under the loader or
    with the program as the entrypoint."""
    cmd = RUN + ["--rm"] + list(opts)
    if native:
        cmd += ["--entrypoint", args[0], image] + args[1:]
    else:
        cmd += [image] + args
    r = podman(*cmd, check_rc=False)
    return r.stdout, r.stderr, r.returncode


def ranked(result):
    """The pids above 1 in a run's output replaced by their rank: the
    runtime's own start-up forks in the container's pid namespace a varying
    number of times (runc), so the first child is pid 6 one run and 7 the
    next, natively too. The ranks still show any process the loader would
    add, and which ones are parents of which."""
    out, err, status = result
    pids = sorted({int(p) for p in re.findall(r"(?<=: )(\d+)(?= \()", out) if int(p) > 1})
    rank = {str(p): "P%d" % i for i, p in enumerate(pids)}
    out = re.sub(r"(?<=: )(\d+)(?= \()|(?<=ppid )(\d+)",
                 lambda m: rank.get(m.group(0), m.group(0)), out)
    return out, err, status


def same(what, image, args, opts=(), native_opts=None, normal=lambda r: r):
    want = normal(run(image, args, True, opts if native_opts is None else native_opts))
    got = normal(run(image, args, False, opts))
    check(f"{what}: {' '.join(args)}", got, want)
    return got


def stop(image, args, native, timeout):
    """podman stop of a detached run once it says ready: (logs, status)."""
    cmd = RUN + ["-d"]
    cmd += ["--entrypoint", args[0], image] + args[1:] if native else [image] + args
    cid = podman(*cmd).stdout.strip()
    for _ in range(200):
        if "ready" in podman("logs", cid).stdout:
            break
        time.sleep(0.05)
    podman("stop", "-t", str(timeout), cid)
    status = podman("wait", cid).stdout.strip()
    logs = podman("logs", cid).stdout
    podman("rm", "-f", cid)
    return logs, status


try:
    loader_file = [(loader, "/libos-loader"), (module, "/example.so")]
    static_files = loader_file + [(entry_static, "/entry")]
    if os.path.exists("/bin/busybox"):
        static_files.append(("/bin/busybox", "/bin/busybox"))
    static = build("static", "Containerfile.static", static_files)
    dynamic = build("dynamic", "Containerfile.dynamic",
                    loader_file + [(entry_dynamic, "/entry"), ("/bin/ls", "/bin/ls")] +
                    libraries(entry_dynamic) + libraries("/bin/ls"))

    for image in (static, dynamic):
        # The Containerfile's own CMD, then ours.
        inspect = json.loads(podman("image", "inspect", image).stdout)[0]
        cmd = inspect["Config"]["Cmd"]
        want = run(image, cmd, True)
        got = podman(*RUN, "--rm", image, check_rc=False)
        check(f"{image}: the default CMD", (got.stdout, got.stderr, got.returncode), want)
        same(image, image, ["/entry", "echo", "one", "two words"])
        same(image, image, ["/entry", "exit", "7"])
        same(image, image, ["/entry", "reap", "3"], normal=ranked)
        # A read-only root, no /var/tmp: no cache, nothing on stderr.
        same(f"{image} --read-only", image, ["/entry", "echo"], opts=["--read-only"])
        same(f"{image} --read-only, no tmpfs", image, ["/entry", "echo"],
             opts=["--read-only", "--read-only-tmpfs=false"])
        # podman stop: SIGTERM reaches the program's handler.
        check(f"{image}: podman stop, a SIGTERM handler",
              stop(image, ["/entry", "term", "5"], False, 10),
              stop(image, ["/entry", "term", "5"], True, 10))

        # Configured by the environment only; the report on a volume.
        out = os.path.join(work, "out-" + image.split("/")[1])
        os.makedirs(out)
        env = ["-v", f"{out}:/out", "--hostname", "native", "-e", "LIBOS_MODULE=/example.so",
               "-e", "LIBOS_MODULE_OPTIONS=hostname=libos-box", "-e",
               "LIBOS_REPORT=/out/report-%p.json"]
        args = ["/entry", "exec", "/entry", "uname"]
        check(f"{image}: natively, LIBOS_* change nothing", run(image, args, True, env),
              ("nodename native\n", "", 0))
        check(f"{image}: LIBOS_MODULE from the environment", run(image, args, False, env),
              ("nodename libos-box\n", "", 0))
        reports = sorted(os.listdir(out))
        check(f"{image}: reports in the volume", reports,
              ["report-1-exec0.json", "report-1.json"])
        for name in reports:
            with open(os.path.join(out, name)) as f:
                report = json.load(f)
            check(f"{image}: {name} is the program's under the loader",
                  (report["pid"], report["program"], report["module"] == "example",
                   report["syscalls"] != {}), (1, "/entry", True, True))

    # PID 1 with no handler ignores SIGTERM: stop waits, then SIGKILL.
    check(f"{static}: podman stop, no handler", stop(static, ["/entry", "wait"], False, 1),
          stop(static, ["/entry", "wait"], True, 1))

    # The same root with unshare, no podman: no /proc mounted.
    root = os.path.join(work, "static", "rootfs")
    before = sorted(os.path.relpath(os.path.join(d, f), root)
                    for d, ds, fs in os.walk(root) for f in ds + fs)
    for args in (["echo", "x"], ["exit", "3"], ["reap", "2"]):
        def bare(*cmd):
            r = subprocess.run(["unshare", "--mount", "--pid", "--fork", f"--root={root}"] +
                               list(cmd), capture_output=True, text=True, timeout=60)
            return r.stdout, r.stderr, r.returncode
        check(f"unshare --root: {' '.join(args)}", bare("/libos-loader", "/entry", *args),
              bare("/entry", *args))
    # An exec is followed without /proc (the loader finds itself).
    check("unshare --root: an exec followed without /proc",
          bare("/libos-loader", "--libos=/example.so", "--libos-options=hostname=libos-box",
               "/entry", "exec", "/entry", "uname"), ("nodename libos-box\n", "", 0))
    after = sorted(os.path.relpath(os.path.join(d, f), root)
                   for d, ds, fs in os.walk(root) for f in ds + fs)
    check("unshare --root: the root is left as it was (no /var/tmp made)", after, before)
finally:
    for name in ("static", "dynamic"):
        podman("rmi", "-f", f"libos-test/{name}", check_rc=False)
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(runroot, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("container: all checks passed")
