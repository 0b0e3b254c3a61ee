#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a program natively and under the loader (--strict, with a report)
and check what the loader did with its LibOS site lists.

usage: check-note.py LOADER [--listed NAME=FILE[-K]]... [--warnings N]
                     [--expect KEY=VALUE]... [--env K=V]... -- PROGRAM [ARGS...]

The loaded run must print the same on stdout, exit alike, and print the
same on stderr but for exactly N lines "libos-loader: ...: LibOS site
list: ..." (refused entries; 0 by default). It runs twice with a fresh
patch cache, cold then warm: both runs must pass (a noted object is cached
when its list was clean; one with refused entries is analysed, and warns,
every time).

--listed NAME=FILE[-K]: the object whose path ends with NAME has
`sites.note` equal to the number of entries in FILE's site list (its
libos_instruction_syscall or .libos.instruction.syscall section, or
.syscall_instructions), minus K
refused ones, and `disassembled` 0 unless K > 0.
--expect KEY=VALUE (KEY>=VALUE): a dotted path into the report, objects
named by the end of their path: objects[libnoted.so].sites.rewritten.
Every run must also report 0 escapes.
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile


def list_entries(path):
    """Entries in the ELF file's site list section (16 or 9 bytes each)."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    def section(i):
        name, typ, flags, addr, off, size = struct.unpack_from("<IIQQQQ", data,
                                                               shoff + i * shentsize)
        return name, size
    strtab_off = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 24)[0]
    for i in range(shnum):
        name, size = section(i)
        end = data.index(b"\0", strtab_off + name)
        sname = data[strtab_off + name:end].decode()
        if sname in ("libos_instruction_syscall", ".libos.instruction.syscall"):
            return size // 16
        if sname == ".syscall_instructions":
            return size // 16 if size % 16 == 0 else size // 9
    raise SystemExit(f"{__file__}: {path} has no site list")


def lookup(report, key):
    value = report
    for part in re.findall(r"\w+\[[^\]]*\]|\w+", key):
        m = re.fullmatch(r"(\w+)\[(.+)\]", part)
        if m:
            matches = [o for o in value[m.group(1)] if o["path"].endswith(m.group(2))]
            if not matches:
                raise KeyError(f"no object {m.group(2)} in the report")
            value = matches[0]
        else:
            value = value[part]
    return value


WARNING = re.compile(rb"^libos-loader: [^\n]*: LibOS site list: [^\n]*\n", re.M)


def check_run(label, loader, argv, env, native, expects, warnings, cache):
    failed = False
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "report.json")
        run_env = dict(env, LIBOS_CACHE_DIR=cache)
        loaded = subprocess.run([loader, "--strict", f"--report={path}", "--", *argv],
                                capture_output=True, timeout=60, env=run_env)
        try:
            report = json.load(open(path))
        except (OSError, ValueError) as e:
            print(f"{__file__}: {label}: no report ({e}); stderr {loaded.stderr!r}")
            return True
    warned = WARNING.findall(loaded.stderr)
    rest = WARNING.sub(b"", loaded.stderr)
    for what, a, b in (("stdout", native.stdout, loaded.stdout),
                       ("stderr", native.stderr, rest),
                       ("status", native.returncode, loaded.returncode)):
        if a != b:
            print(f"{__file__}: {label}: {what} differs: native {a!r}, loader {b!r}")
            failed = True
    if len(warned) != warnings:
        print(f"{__file__}: {label}: {len(warned)} site list warnings, expected {warnings}: "
              f"{loaded.stderr!r}")
        failed = True
    for line in warned:
        print(f"{label}: warned: {line.decode(errors='replace').strip()}")
    for key, want, at_least in expects + [("escapes", "0", False)]:
        try:
            got = lookup(report, key)
        except (KeyError, IndexError) as e:
            print(f"{__file__}: {label}: report has no {key}: {e}")
            failed = True
            continue
        ok = got >= int(want) if at_least else str(got).lower() == want.lower()
        print(f"{label}: report {key} = {got}" + ("" if ok else f", expected {want}"))
        failed |= not ok
    return failed


def main():
    args = sys.argv[1:]
    loader = args.pop(0)
    expects, env, warnings = [], dict(os.environ), 0
    while args[0] != "--":
        opt = args.pop(0)
        if opt == "--expect":
            key, _, want = args.pop(0).partition("=")
            expects.append((key.rstrip(">"), want, key.endswith(">")))
        elif opt == "--env":
            key, _, value = args.pop(0).partition("=")
            env[key] = value
        elif opt == "--warnings":
            warnings = int(args.pop(0))
        elif opt == "--listed":
            name, _, spec = args.pop(0).partition("=")
            m = re.fullmatch(r"(.*?)(?:-(\d+))?", spec)
            bad = int(m.group(2) or 0)
            count = list_entries(m.group(1)) - bad
            expects.append((f"objects[{name}].sites.note", str(count), False))
            if not bad:
                expects.append((f"objects[{name}].disassembled", "0", False))
                expects.append((f"objects[{name}].sites.rewritten", "0", False))
    argv = args[1:]
    native = subprocess.run(argv, capture_output=True, timeout=60, env=env)
    sys.stdout.write(native.stdout.decode(errors="replace"))
    failed = False
    with tempfile.TemporaryDirectory() as cache:
        os.chmod(cache, 0o700)
        for label in ("cold", "warm"):
            failed |= check_run(label, loader, argv, env, native, expects, warnings, cache)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
