#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Class B3: the cache never runs code that is not the file's.

usage: stale-code.py LOADER PROGRAM

PROGRAM (stale.c) prints a constant held in its code. A copy is run under
the loader until its entry is warm; then its code is changed with the
build-id, the size and the mtime kept, in the ways users change files:
 - a hex edit in place with the mtime put back (os.utime, as `touch -r`);
 - `cp -p` of an edited copy over it (same inode, the copy's mtime);
 - an edit within the same second, mtime untouched.
Each time the run under the loader prints what the edited file prints
natively, never the old constant.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from cachelib import check, finish, run, same_as_native

OLD = bytes.fromhex("01e0175a")  # 0x5a17e001, little-endian


def edited(data, value):
    assert data.count(OLD) == 1, "the constant must appear once"
    return data.replace(OLD, bytes([value]) + OLD[1:])


def main():
    loader, program = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as top:
        cache = os.path.join(top, "cache")
        os.mkdir(cache, 0o700)
        prog = os.path.join(top, "prog")
        shutil.copy(program, prog)
        original = open(prog, "rb").read()
        for _ in range(2):
            same_as_native(loader, cache, [prog], "warming the cache")
        check(any(e.endswith(".img") for e in os.listdir(cache)), "the program has a patched image")
        times = os.stat(prog)

        # 1. A hex edit in place, the mtime put back.
        with open(prog, "r+b") as f:
            f.write(edited(original, 0x02))
        os.utime(prog, ns=(times.st_atime_ns, times.st_mtime_ns))
        check(os.stat(prog).st_mtime_ns == times.st_mtime_ns and os.path.getsize(prog) == len(original),
              "edited: same size and mtime")
        out = same_as_native(loader, cache, [prog], "hex edit, mtime restored")
        check(out[1] == b"5a17e002\n", "hex edit, mtime restored: the new constant")

        # 2. cp -p of an edited copy (the same mtime) over it.
        other = os.path.join(top, "other")
        with open(other, "wb") as f:
            f.write(edited(original, 0x03))
        os.chmod(other, 0o755)
        os.utime(other, ns=(times.st_atime_ns, times.st_mtime_ns))
        same_as_native(loader, cache, [prog], "warm again")
        subprocess.run(["cp", "-p", other, prog], check=True)
        out = same_as_native(loader, cache, [prog], "cp -p over it")
        check(out[1] == b"5a17e003\n", "cp -p over it: the new constant")

        # 3. Edited again within the same second, mtime not restored.
        same_as_native(loader, cache, [prog], "warm again")
        with open(prog, "r+b") as f:
            f.write(edited(original, 0x04))
        out = same_as_native(loader, cache, [prog], "edited in the same second")
        check(out[1] == b"5a17e004\n", "edited in the same second: the new constant")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
