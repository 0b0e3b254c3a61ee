#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""elf/eh_frame.c against readelf: for each FILE, the FDEs that
`readelf --debug-dump=frames` lists in .eh_frame (pc=START..END, and
whether their CIE's augmentation has 'S', a signal frame) are written to a
file, one "START END S" line each in address order, and test_eh_frame
checks the reader's lookups against them (see test_eh_frame.c).

readelf walks .eh_frame itself; the reader only sees the FDEs that
.eh_frame_hdr's binary search table points to. This script reads that
table too and matches it to readelf's FDEs by their offset in .eh_frame:
each table entry must name an FDE readelf lists, with the same START. An
FDE readelf lists that the table leaves out (the linker drops none for
these files today: every FDE of libc.so.6, ld.so, bash and the loader is
in the table, none overlaps another and none is empty) is printed and
left out of the expected table, since no lookup can find it.

usage: eh-frame-vs-readelf.py TEST_EH_FRAME [--signal-start] FILE... [--none FILE...]
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

PT_GNU_EH_FRAME = 0x6474E550


def readelf_fdes(path):
    """{offset in .eh_frame: (start, end, signal)} of the FDEs readelf
    lists in .eh_frame (not .debug_frame)."""
    # no-follow-links: a .gnu_debuglink to a file that is not installed
    # makes readelf exit 1 after printing the same frames.
    out = subprocess.run(["readelf", "--debug-dump=no-follow-links", "--debug-dump=frames", "-W",
                          path], capture_output=True, text=True, check=True).stdout
    section = None
    augmentation = {}
    cie = None
    fdes = {}
    for line in out.splitlines():
        m = re.match(r"Contents of the (\S+) section", line)
        if m:
            section = m.group(1)
            continue
        if section != ".eh_frame":
            continue
        m = re.match(r"([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ CIE", line)
        if m:
            cie = int(m.group(1), 16)
            augmentation[cie] = ""
            continue
        m = re.match(r'\s+Augmentation:\s+"(.*)"', line)
        if m and cie is not None:
            augmentation[cie] = m.group(1)
            continue
        m = re.match(r"([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ FDE cie=([0-9a-f]+) "
                     r"pc=([0-9a-f]+)\.\.([0-9a-f]+)", line)
        if m:
            cie = None
            off, cie_off, start, end = (int(g, 16) for g in m.groups())
            fdes[off] = (start, end, "S" in augmentation[cie_off])
    return fdes


def sections(data):
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    heads = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = heads[shstrndx][4]
    return {data[names + h[0]:data.index(b"\0", names + h[0])].decode(): h for h in heads}


def table(data):
    """(initial location, FDE's vaddr) of each entry of .eh_frame_hdr's
    table, read through PT_GNU_EH_FRAME as the loader reads it."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        typ, _, off, vaddr, _, filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if typ == PT_GNU_EH_FRAME:
            break
    else:
        raise SystemExit("no PT_GNU_EH_FRAME")
    version, ptr_enc, count_enc, table_enc = data[off:off + 4]
    if (version, ptr_enc, count_enc, table_enc) != (1, 0x1B, 0x03, 0x3B):
        raise SystemExit(f"an .eh_frame_hdr encoded {ptr_enc:#x} {count_enc:#x} "
                         f"{table_enc:#x}: not what this script reads")
    count, = struct.unpack_from("<I", data, off + 8)
    return [(vaddr + s, vaddr + f)
            for s, f in struct.iter_unpack("<ii", data[off + 12:off + 12 + 8 * count])]


def expected(path):
    """The FDEs the table holds, as readelf gives them, in address order,
    and the ones readelf lists that the table leaves out."""
    data = open(path, "rb").read()
    fdes = readelf_fdes(path)
    eh_frame = sections(data)[".eh_frame"][3]
    found = []
    for start, fde_vaddr in table(data):
        fde = fdes.pop(fde_vaddr - eh_frame, None)
        if fde is None or fde[0] != start:
            raise SystemExit(f"{path}: the table's entry for 0x{start:x} names the FDE at "
                             f"0x{fde_vaddr:x}, which readelf lists as {fde}")
        found.append(fde)
    return sorted(found), sorted(fdes.values())


def run(args, path, timeout):
    """Run one test_* program on path; True when it failed."""
    sys.stdout.flush()
    status = subprocess.run(args, timeout=timeout).returncode
    if status < 0:
        print(f"\n{path}: {args[0]} killed by signal {-status}")
    return status != 0


def main():
    test = sys.argv[1]
    args = sys.argv[2:]
    mode = []
    if args and args[0] == "--signal-start":
        mode, args = ["--signal-start"], args[1:]
    files, none = args, []
    if "--none" in args:
        files, none = args[:args.index("--none")], args[args.index("--none") + 1:]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            if not os.path.exists(path):
                print(f"skip {path} (absent)")
                continue
            fdes, untabled = expected(path)
            for start, end, signal in untabled:
                print(f"{path}: FDE 0x{start:x}..0x{end:x} is not in the table: not looked up")
            want = os.path.join(tmp, os.path.basename(path) + ".fdes")
            with open(want, "w") as f:
                for start, end, signal in fdes:
                    f.write(f"{start:x} {end:x} {int(signal)}\n")
            print(f"{path}: {len(fdes)} FDEs, {sum(s for _, _, s in fdes)} signal frames")
            failed |= run([test] + mode + [path, want], path, timeout=120)
        for path in none:
            if not os.path.exists(path):
                print(f"skip {path} (absent)")
                continue
            failed |= run([test, "--none", path], path, timeout=60)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
