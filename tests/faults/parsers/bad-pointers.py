# SPDX-License-Identifier: MIT
"""bad-pointers.py LOADER MODULE: copies of a good module (pointer_module)
with one pointer each moved outside what it may point into (a hook out of
the module, or into its data; the name out of it, or made two lines; a
relocation's value out of it, or its target into code; libos_module
smaller than the structure) are each refused with one line naming the
module and the reason, status 126, and the program never runs. The good
module itself runs the program."""
import os
import struct
import subprocess
import sys
import tempfile

loader, module = sys.argv[1:3]
data = open(module, "rb").read()
R_X86_64_RELATIVE = 8
# struct libos_module's fields (include/libos/libos.h), version 1.
FIELD = {"name": 8, "init": 24, "syscall": 32}
MODULE_SIZE = 96
FAR = 0x40000000  # beyond any segment of a module this small


def sections(elf):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    raw = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    names = raw[shstrndx][4]
    out = {}
    for i, s in enumerate(raw):
        end = elf.index(b"\0", names + s[0])
        out[elf[names + s[0]:end].decode()] = {"index": i, "type": s[1], "addr": s[3],
                                                "offset": s[4], "size": s[5]}
    return out


sec = sections(data)
rodata, text, dynsym, dynstr = sec[".rodata"], sec[".text"], sec[".dynsym"], sec[".dynstr"]
symbol = None
for off in range(dynsym["offset"], dynsym["offset"] + dynsym["size"], 24):
    st_name, _, _, _, st_value, st_size = struct.unpack_from("<IBBHQQ", data, off)
    name_at = dynstr["offset"] + st_name
    if data[name_at:data.index(b"\0", name_at)] == b"libos_module":
        symbol = {"entry": off, "value": st_value, "size": st_size}
relocs = {}  # r_offset -> file offset of the Elf64_Rela
rela = sec[".rela.dyn"]
for off in range(rela["offset"], rela["offset"] + rela["size"], 24):
    r_offset, r_info, _ = struct.unpack_from("<QQq", data, off)
    if r_info & 0xffffffff == R_X86_64_RELATIVE:
        relocs[r_offset] = off
field_reloc = {f: relocs[symbol["value"] + o] for f, o in FIELD.items()}
others = [o for a, o in relocs.items() if not symbol["value"] <= a < symbol["value"] + MODULE_SIZE]
name_string = data.index(b"pointer_module\0", rodata["offset"])


def addend(rela_at, value):
    return lambda b: struct.pack_into("<q", b, rela_at + 16, value)


def target(rela_at, value):
    return lambda b: struct.pack_into("<Q", b, rela_at, value)


cases = [
    ("syscall-far", addend(field_reloc["syscall"], FAR), "a relocation points outside its segments"),
    ("syscall-data", addend(field_reloc["syscall"], rodata["addr"]),
     "its hook syscall points outside its code"),
    ("init-data", addend(field_reloc["init"], rodata["addr"]), "its hook init points outside its code"),
    ("name-far", addend(field_reloc["name"], FAR), "a relocation points outside its segments"),
    ("name-two-lines", lambda b: b.__setitem__(slice(name_string + 7, name_string + 8), b"\n"),
     "its name is not a one-line string inside it"),
    ("data-pointer-far", addend(others[0], FAR), "a relocation points outside its segments"),
    ("relocation-into-code", target(others[0], text["addr"]),
     "a relocation writes outside its writable segments"),
    ("module-symbol-short", lambda b: struct.pack_into("<Q", b, symbol["entry"] + 16, 16),
     "its libos_module is not a whole struct libos_module inside it"),
]
failed = []
with tempfile.TemporaryDirectory(prefix="libos-bad-pointers-") as tmp:
    good = subprocess.run([loader, f"--libos={module}", "/bin/echo", "ran"], capture_output=True,
                          text=True, timeout=30)
    if (good.returncode, good.stdout, good.stderr) != (0, "ran\n", ""):
        failed.append(f"the good module: status {good.returncode}, stdout {good.stdout!r}, "
                      f"stderr {good.stderr!r}")
    for name, patch, reason in cases:
        copy = os.path.join(tmp, name + ".so")
        broken = bytearray(data)
        patch(broken)
        with open(copy, "wb") as f:
            f.write(broken)
        p = subprocess.run([loader, f"--libos={copy}", "/bin/echo", "ran"], capture_output=True,
                           text=True, timeout=30)
        lines = p.stderr.splitlines()
        if not (p.returncode == 126 and p.stdout == "" and len(lines) == 1 and
                lines[0].startswith(f"libos-loader: {copy}: ") and reason in lines[0]):
            failed.append(f"{name}: status {p.returncode}, stdout {p.stdout!r}, stderr "
                          f"{p.stderr!r} (expected 126 and one line with {reason!r})")
for f in failed:
    print(f)
if not failed:
    print(f"{len(cases)} modules with a pointer outside their segments refused")
sys.exit(1 if failed else 0)
