#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile LibOS notes: each case is a copy of a noted program with its
note or site list damaged. The loader must print exactly the expected
number of lines about it, never crash, and run the program as natively,
under --strict with 0 escapes (the note is ignored and the object
disassembled, or the damaged entries refused and the rest scanned).

usage: hostile-note.py LOADER PROGRAM
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile


def phdrs(data):
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        yield struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)


def offset_of(data, vaddr):
    """The file offset of a link-time address (its PT_LOAD)."""
    for typ, flags, off, va, pa, filesz in phdrs(data):
        if typ == 1 and va <= vaddr < va + filesz:
            return vaddr - va + off
    raise SystemExit(f"{__file__}: 0x{vaddr:x} is in no segment")


def find_note(data):
    """File offsets of the LibOS note's header and descriptor, and the
    descriptor's link-time address."""
    for typ, flags, off, vaddr, paddr, filesz in phdrs(data):
        if typ != 4:
            continue
        at = off
        while at + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", data, at)
            desc = at + 12 + (namesz + 3) // 4 * 4
            if data[at + 12:at + 12 + namesz] == b"LibOS\0":
                return at, desc, vaddr + desc - off
            at = desc + (descsz + 3) // 4 * 4
    raise SystemExit(f"{__file__}: no LibOS note")


def put(data, off, fmt, *values):
    struct.pack_into(fmt, data, off, *values)


def cases(data):
    """(name, warning lines, mutate(bytearray), report checks)."""
    head, desc, desc_vaddr = find_note(data)
    start, end = struct.unpack_from("<qq", data, desc + 16)
    list_off = offset_of(data, desc_vaddr + start)
    yield "version", 1, lambda d: put(d, desc, "<I", 99), {"note": 0}
    yield "entry-size", 1, lambda d: put(d, desc + 9, "<B", 7), {"note": 0}
    yield "misaligned-size", 1, lambda d: put(d, desc + 24, "<q", start + 17), {"note": 0}
    yield "huge-count", 1, lambda d: put(d, desc + 24, "<q", start + (16 << 24)), {"note": 0}
    yield "backwards", 1, lambda d: put(d, desc + 24, "<q", start - 16), {"note": 0}
    yield "outside-file", 1, lambda d: put(d, desc + 16, "<qq", 1 << 40, (1 << 40) + 32), \
        {"note": 0}
    yield "short-descriptor", 1, lambda d: put(d, head + 4, "<I", 8), {"note": 0}
    yield "huge-namesz", 0, lambda d: put(d, head, "<I", 0xffffffff), {"note": 0}
    # Every entry garbage, the list no longer claiming to be complete:
    # each entry refused (ten lines and a summary), everything scanned.
    def garbage(d):
        put(d, desc + 4, "<I", 0)
        for k in range((end - start) // 16):
            put(d, list_off + 16 * k, "<qB", 0x1234567 * (k + 1) - (1 << 62), 200)
    yield "garbage-entries", 11, garbage, {"note": 0}


def main():
    loader, program = sys.argv[1:3]
    data = bytearray(open(program, "rb").read())
    native = subprocess.run([program], capture_output=True, timeout=60)
    failed = False
    with tempfile.TemporaryDirectory() as d:
        for name, lines, mutate, checks in cases(data):
            copy = bytearray(data)
            mutate(copy)
            path = os.path.join(d, os.path.basename(program) + "-" + name)
            open(path, "wb").write(copy)
            os.chmod(path, 0o755)
            report_path = path + ".json"
            run = subprocess.run([loader, "--strict", "--no-cache", f"--report={report_path}",
                                  path], capture_output=True, timeout=60)
            warned = [l for l in run.stderr.decode(errors="replace").splitlines()
                      if l.startswith("libos-loader: ") and "LibOS" in l]
            rest = [l for l in run.stderr.decode(errors="replace").splitlines()
                    if l not in warned]
            problems = []
            if run.stdout != native.stdout or run.returncode != native.returncode:
                problems.append(f"output or status differ: {run.stdout!r} {run.returncode}")
            if len(warned) != lines or rest:
                problems.append(f"{len(warned)} lines about the note, expected {lines}; "
                                f"stderr {run.stderr!r}")
            try:
                report = json.load(open(report_path))
                me = [o for o in report["objects"] if o["path"] == path][0]
                if report["escapes"] != 0:
                    problems.append(f"{report['escapes']} escapes")
                if me["sites"]["note"] != checks["note"]:
                    problems.append(f"sites.note {me['sites']['note']}")
            except (OSError, ValueError, IndexError) as e:
                problems.append(f"no usable report: {e}")
            for line in warned:
                print(f"{name}: {line}")
            for p in problems:
                print(f"{__file__}: {name}: {p}")
            failed |= bool(problems)
            print(f"{name}: {'FAILED' if problems else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
