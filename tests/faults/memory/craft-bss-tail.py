#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""craft-bss-tail.py IN OUT [VARIANT]: copy the static program IN
(bss_tail.c) with its last PT_LOAD, a read-only one, given a bss:
p_memsz goes three pages past its file page, and p_filesz is cut where
the `tail` string starts, so that the file's bytes from there on are in
the last file page but not in the segment. VARIANT "exec" makes the
segment executable too; "nofile" gives it no file bytes at all
(p_filesz 0). Exits 1 with one line when IN has no such segment."""
import os
import struct
import sys

PT_LOAD, PF_X, PF_W = 1, 1, 2
MARK = b"file bytes after p_filesz"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    variant = sys.argv[3] if len(sys.argv) > 3 else ""
    data = bytearray(open(src, "rb").read())
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads = [phoff + i * phentsize for i in range(phnum)
             if struct.unpack_from("<I", data, phoff + i * phentsize)[0] == PT_LOAD]
    last = max(loads, key=lambda o: struct.unpack_from("<Q", data, o + 16)[0])
    _, flags, off, vaddr, _, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", data, last)
    at = data.find(MARK, off, off + filesz)
    if flags & PF_W or at < 0 or memsz != filesz:
        sys.exit(f"{src}: no read-only last PT_LOAD holding the tail string")
    filesz = 0 if variant == "nofile" else at - off
    memsz = ((vaddr + at - off + 4095) & ~4095) + 3 * 4096 - vaddr
    if variant == "exec":
        flags |= PF_X
    struct.pack_into("<I", data, last + 4, flags)
    struct.pack_into("<QQ", data, last + 32, filesz, memsz)
    open(dst, "wb").write(data)
    os.chmod(dst, 0o755)


main()
