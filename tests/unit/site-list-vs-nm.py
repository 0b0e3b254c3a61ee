#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""elf/site_list.c against the symbol table: for each OBJECT (built from
sites_*.S), the list the reader must return is derived from what the
producer wrote, not from the list itself:
  - the sites and their padding from nm: site_N is the N-th syscall of
    the source, site_N_end the first byte after its nops;
  - the entries' addresses from the section headers: entry N is at the
    list section's address plus N entries (the assembler appends the
    entries in the order of the source, and the linker keeps one input
    section whole);
  - the layout from the file: the LibOS note (found here by a walk of
    the PT_NOTE segments) or a .syscall_instructions section, or none;
  - the flags from the absolute symbol expect_flags (COMPLETE for the
    earlier layout, which that proposal defines as complete).
test_site_list reads the list and compares, then damages copies of the
note and the section (it is given their file offsets) and checks that
each is refused with one line on stderr.

usage: site-list-vs-nm.py TEST_SITE_LIST OBJECT...
"""
import os
import struct
import subprocess
import sys
import tempfile

PT_NOTE = 4


def symbols(path):
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    return {name: int(value, 16) for value, kind, name in
            (line.split() for line in out.splitlines() if len(line.split()) == 3)}


def sections(data):
    """{name: (index, shdr file offset, addr, size)}"""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    heads = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = heads[shstrndx][4]
    return {data[names + h[0]:data.index(b"\0", names + h[0])].decode():
            (i, shoff + i * shentsize, h[3], h[5]) for i, h in enumerate(heads)}


def libos_note(data):
    """(file offset of the note's header, of its descriptor, the
    descriptor's link-time address), or None."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        typ, _, off, vaddr, _, filesz, _, align = struct.unpack_from("<IIQQQQQQ", data,
                                                                     phoff + i * phentsize)
        if typ != PT_NOTE:
            continue
        step = 8 if align == 8 else 4
        at = off
        while at + 12 <= off + filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", data, at)
            desc = at + 12 + (namesz + step - 1) // step * step
            if data[at + 12:at + 12 + namesz] == b"LibOS\0" and ntype == 1:
                return at, desc, vaddr + desc - off
            at = desc + (descsz + step - 1) // step * step
    return None


def expected(path):
    data = open(path, "rb").read()
    syms = symbols(path)
    secs = sections(data)
    sites = []
    while f"site_{len(sites)}" in syms:
        n = len(sites)
        sites.append((syms[f"site_{n}"], syms[f"site_{n}_end"] - syms[f"site_{n}"] - 2))
    note = libos_note(data)
    lines = []
    if note:
        head, desc, desc_vaddr = note
        base = secs["libos_instruction_syscall"][2] if sites else 0
        lines += ["layout note", f"flags {syms['expect_flags']:x}",
                  f"note {head:x} {desc:x} {desc_vaddr:x}"]
        entry_size = 16
    elif ".syscall_instructions" in secs:
        _, shdr, base, size = secs[".syscall_instructions"]
        entry_size = size // len(sites)
        lines += ["layout earlier", "flags 1", f"section {shdr:x}"]
    else:
        lines += ["layout none", "flags 0"]
        sites = []
    lines += [f"entry {base + n * entry_size:x} {site:x} {padding}"
              for n, (site, padding) in enumerate(sites)]
    return lines


def run(args, path, timeout):
    """Run one test_* program on path; True when it failed."""
    sys.stdout.flush()
    status = subprocess.run(args, timeout=timeout).returncode
    if status < 0:
        print(f"\n{path}: {args[0]} killed by signal {-status}")
    return status != 0


def main():
    test = sys.argv[1]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for path in sys.argv[2:]:
            lines = expected(path)
            want = os.path.join(tmp, os.path.basename(path) + ".sites")
            with open(want, "w") as f:
                f.write("".join(line + "\n" for line in lines))
            print(f"{path}: {lines[0]}, {sum(l.startswith('entry') for l in lines)} sites")
            failed |= run([test, path, want], path, timeout=60)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
