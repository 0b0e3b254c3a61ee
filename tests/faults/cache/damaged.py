#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Class B4: a damaged, truncated, swapped or foreign entry is a miss.

usage: damaged.py LOADER

With a warm cache for `ls -la /usr/bin`, each damage below is done to
libc's (or ld.so's) entry, the command run under the loader and compared
with its native run (status and output, within a time limit: a hang is a
failure), then the entry put back as it was:
 - the image truncated (was: SIGBUS), grown, or the two images swapped;
 - the plan truncated, or a FIFO (was: the loader blocked forever), or a
   symlink to a good plan, or writable by others;
 - 60 plans with random bytes changed and their checksum made right, so
   that only the field checks stand between them and the stub emitter
   (was: SIGSEGV inside it).
An entry found bad is made again: after the run it is a regular file
again and the next run is warm.
"""
import os
import random
import shutil
import stat
import sys
import tempfile

from cachelib import check, entry_of, finish, reseal, run

ARGV = ["/bin/ls", "-la", "/usr/bin"]
LIBC = "/lib/x86_64-linux-gnu/libc.so.6"
LDSO = "/lib64/ld-linux-x86-64.so.2"


def main():
    loader = sys.argv[1]
    native = run(ARGV)
    rng = random.Random(1234)
    with tempfile.TemporaryDirectory() as top:
        cache = os.path.join(top, "cache")
        os.mkdir(cache, 0o700)
        run([loader, *ARGV], {"LIBOS_CACHE_DIR": cache})
        libc_plan, libc_img = entry_of(cache, LIBC, ".plan"), entry_of(cache, LIBC, ".img")
        ldso_img = entry_of(cache, LDSO, ".img")
        check(all((libc_plan, libc_img, ldso_img)), "libc and ld.so have entries")
        if not all((libc_plan, libc_img, ldso_img)):
            return finish()
        saved = os.path.join(top, "saved")
        shutil.copytree(cache, saved)

        def restore():
            shutil.rmtree(cache)
            shutil.copytree(saved, cache)
            os.chmod(cache, 0o700)

        def attempt(what):
            r = run([loader, *ARGV], {"LIBOS_CACHE_DIR": cache}, timeout=30)
            ok = r[:2] == native[:2]
            check(ok, f"{what}: same as native (status {r[0]})")
            return ok

        def damage(path, how):
            if how == "truncate":
                with open(path, "r+b") as f:
                    f.truncate(os.path.getsize(path) // 2)
            elif how == "grow":
                with open(path, "ab") as f:
                    f.write(b"\0" * 4096)
            elif how == "fifo":
                os.unlink(path)
                os.mkfifo(path, 0o600)
            elif how == "symlink":
                os.rename(path, path + ".elsewhere")
                os.symlink(path + ".elsewhere", path)
            elif how == "writable":
                os.chmod(path, 0o622)

        for path, how in ((libc_img, "truncate"), (libc_img, "grow"), (libc_plan, "truncate"),
                          (libc_plan, "fifo"), (libc_plan, "symlink"), (libc_plan, "writable"),
                          (libc_img, "fifo")):
            restore()
            damage(path, how)
            name = f"{os.path.basename(path).split('.')[-1]} {how}"
            if attempt(name):
                st = os.lstat(path)
                check(stat.S_ISREG(st.st_mode) and not st.st_mode & 0o022,
                      f"{name}: the entry is made again, a private regular file")
                attempt(f"{name}: the run after")

        restore()
        tmp = libc_img + ".swap"
        os.rename(libc_img, tmp)
        os.rename(ldso_img, libc_img)
        os.rename(tmp, ldso_img)
        attempt("the images of libc and ld.so swapped")

        plan = open(os.path.join(saved, os.path.basename(libc_plan)), "rb").read()
        bad = 0
        for i in range(60):
            restore()
            mutated = bytearray(plan)
            for _ in range(rng.choice((1, 1, 2, 4))):
                at = rng.randrange(16, len(plan))
                mutated[at] = rng.choice((0, 0xFF, rng.randrange(256), mutated[at] ^ 1))
            with open(libc_plan, "wb") as f:
                f.write(reseal(bytes(mutated)))
            r = run([loader, *ARGV], {"LIBOS_CACHE_DIR": cache}, timeout=30)
            if r[:2] != native[:2]:
                bad += 1
                print(f"     mutation {i}: status {r[0]} {r[2].decode()[:200]}")
        check(bad == 0, f"60 plans with changed fields and a right checksum: all run as natively ({bad} did not)")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
