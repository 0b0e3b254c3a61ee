# SPDX-License-Identifier: MIT
"""Runs every hostile file gen-bad-elf writes under the loader, and natively.

    run-bad-elf.py LOADER GEN_BAD_ELF STATIC_VICTIM DYNAMIC_VICTIM

A hostile file must never crash or hang the loader: it gets one line on
stderr, "libos-loader: ", naming the program and the reason the manifest
gives, nothing on stdout, and the shell's status (126, or 127 for a
missing file). Each file is also handed to the kernel: the loader may be
stricter than execve(2), never more lenient, so a file the kernel refuses
and the loader runs is a failure too. The cases are generated afresh in a
temporary folder, which is kept when something failed.
"""
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

TIMEOUT = 10  # seconds per run: a hang is a failure, not a stuck suite
PR_CAPBSET_DROP = 24
CAP_SYS_RAWIO = 17


def here():
    """file:line of the check that failed."""
    frame = sys._getframe(2)
    return f"{os.path.basename(__file__)}:{frame.f_lineno}"


def drop_rawio():
    """preexec_fn: lose CAP_SYS_RAWIO, which lets root map page 0.

    For root, the capabilities after execve are the bounding set."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_CAPBSET_DROP, CAP_SYS_RAWIO, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def has_rawio():
    with open("/proc/self/status") as f:
        caps = next(line for line in f if line.startswith("CapEff:"))
    return bool(int(caps.split()[1], 16) >> CAP_SYS_RAWIO & 1)


def shown(text):
    """text as the loader and the manifest show it: control characters as \\xNN."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7f else c for c in text)


def unshown(field):
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), field)


def brief(text):
    """text, or its two ends when it is long: a report line stays readable."""
    text = repr(text)
    return text if len(text) <= 240 else f"{text[:120]}...{text[-100:]}"


def describe(status):
    if status < 0:
        return f"killed by {signal.Signals(-status).name}"
    return f"exit {status}"


def run(argv, flags, cwd):
    """(status, stdout, stderr) of a run; status None on a timeout."""
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd,
                           timeout=TIMEOUT,
                           preexec_fn=drop_rawio if "no-rawio" in flags and has_rawio() else None)
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", e.stderr or b""
    return p.returncode, p.stdout, p.stderr


def native(path, flags, cwd):
    """What the kernel makes of the file: (refused, text)."""
    try:
        status, _, _ = run([path], flags, cwd)
    except OSError as e:
        return True, f"refused ({os.strerror(e.errno)})"
    return False, "timed out" if status is None else f"ran, {describe(status)}"


class Case:
    def __init__(self, line, lineno, outdir):
        name, status, self.reason, self.flags = line.rstrip("\n").split("\t")
        self.name = unshown(name)
        self.status = int(status)
        self.where = f"manifest.tsv:{lineno}"
        self.path = os.path.join(outdir, self.name)
        self.errors = []

    def check(self, ok, what):
        if not ok:
            self.errors.append(f"{here()}: {what}")

    def under_loader(self, loader, cwd):
        """Run under the loader and check everything the issue asks."""
        status, out, err = run([loader, "--", self.path], self.flags, cwd)
        text = err.decode(errors="replace")
        lines = text.splitlines()
        self.check(status is not None, f"no answer in {TIMEOUT} s")
        if status is None:
            return False
        self.check(status >= 0, f"loader {describe(status)}")
        self.check(status == self.status, f"status {status}, expected {self.status}")
        self.check(not out, f"stdout not empty: {brief(out)}")
        if self.status == 0:
            self.check(not text, f"stderr not empty: {brief(text)}")
            # And exec'd by a followed program, where a refusal would be
            # an ENOEXEC the kernel does not give.
            status, out, err = run([loader, "--", "/bin/sh", "-c", 'exec "$0"', self.path],
                                   self.flags, cwd)
            self.check(status == 0 and not out and not err,
                       f"exec'd from a followed sh: {describe(status)}: {brief(err)}")
            return False
        self.check(len(lines) == 1 and text.endswith("\n"),
                   f"stderr is {len(lines)} lines, not one: {brief(text)}")
        first = lines[0] if lines else ""
        self.check(first.startswith("libos-loader: "),
                   f"no 'libos-loader: ' prefix: {brief(first)}")
        self.check(shown(self.path) in first,
                   f"message does not name the program: {brief(first)}")
        self.check(self.reason in first, f"message lacks {brief(self.reason)}: {brief(first)}")
        return status in (126, 127) and first.startswith("libos-loader: ")


def skip_reason(flags):
    """Why this system cannot give a case its expected answer, or None."""
    if "no-rawio" in flags and read_number("/proc/sys/vm/mmap_min_addr") == 0:
        return "vm.mmap_min_addr is 0: page 0 can be mapped"
    if "no-overcommit" in flags and read_number("/proc/sys/vm/overcommit_memory") == 1:
        return "vm.overcommit_memory is 1: any amount of memory can be mapped"
    return None


def read_number(path):
    with open(path) as f:
        return int(f.read())


def main():
    # Meson passes paths relative to the build folder; the runs happen in outdir.
    loader, gen, victim_static, victim_dynamic = map(os.path.abspath, sys.argv[1:5])
    outdir = os.path.realpath(tempfile.mkdtemp(prefix="bad-elf-"))
    subprocess.run([gen, victim_static, victim_dynamic, outdir], check=True)
    with open(os.path.join(outdir, "manifest.tsv")) as f:
        cases = [Case(line, n, outdir) for n, line in enumerate(f, 1)
                 if not line.startswith("#")]

    failed = skipped = kernel_refused = 0
    for c in cases:
        name = shown(c.name)
        if len(name) > 80:
            name = f"{name[:40]}...{name[-30:]}"
        why_skip = skip_reason(c.flags)
        if why_skip:
            print(f"skip {name}: {why_skip}")
            skipped += 1
            continue
        try:
            refused = c.under_loader(loader, outdir)
            k_refused, k_text = native(c.path, c.flags, outdir)
        except (OSError, subprocess.SubprocessError) as e:
            c.check(False, f"cannot run: {e}")
            refused, k_refused, k_text = False, False, "not run"
        kernel_refused += k_refused
        c.check(refused or not k_refused,
                f"the kernel refuses it ({k_text}) but the loader does not")
        if c.errors:
            failed += 1
            print(f"FAIL {name} ({c.where}) [kernel: {k_text}]")
            for e in c.errors:
                print(f"     {e}")
        else:
            print(f"ok   {name} [kernel: {k_text}]")

    print(f"{len(cases)} cases: {len(cases) - failed - skipped} passed, {failed} failed, "
          f"{skipped} skipped; the kernel refused {kernel_refused} of them outright")
    if failed:
        print(f"cases kept in {outdir}")
        return 1
    shutil.rmtree(outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
