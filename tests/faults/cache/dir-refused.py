#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Classes B5 and C9 (settings): a cache directory that cannot be trusted or
a setting that cannot be honoured is said once on stderr, and the program
runs as natively without a cache.

usage: dir-refused.py LOADER

 - refused directories: open to others (0755), owned by another user, a
   symlink to a private directory, a file: one line naming it, no entry
   written anywhere;
 - LIBOS_CACHE_DIR relative, or longer than the loader can hold: one line,
   and no other directory used instead;
 - said once for a whole tree: a shell running two programs (followed
   execs) gives one line, not three;
 - a good directory: nothing on stderr.
"""
import os
import sys
import tempfile

from cachelib import check, finish, run

ARGV = ["/bin/ls", "/"]


def main():
    loader = sys.argv[1]
    native = run(ARGV)
    with tempfile.TemporaryDirectory() as top:
        os.chmod(top, 0o755)
        private = os.path.join(top, "private")
        os.mkdir(private, 0o700)
        cases = {}
        public = os.path.join(top, "public")
        os.mkdir(public, 0o755)
        cases["open to others"] = public
        foreign = os.path.join(top, "foreign")
        os.mkdir(foreign, 0o700)
        os.chown(foreign, 65534, 65534)
        cases["owned by another user"] = foreign
        link = os.path.join(top, "link")
        os.symlink(private, link)
        cases["a symlink"] = link
        plain = os.path.join(top, "file")
        open(plain, "w").close()
        cases["a file"] = plain
        cases["relative"] = "relative/cache"
        cases["too long"] = "/" + "d" * 5000
        for what, d in cases.items():
            r = run([loader, *ARGV], {"LIBOS_CACHE_DIR": d}, timeout=30)
            lines = r[2].decode().splitlines()
            check(r[:2] == native[:2], f"{what}: same as native")
            check(len(lines) == 1 and lines[0].startswith("libos-loader: ") and "cache" in lines[0],
                  f"{what}: one line on stderr ({lines[:2]})")
        check(os.listdir(private) == [] and os.listdir(public) == [] and
              not os.path.exists(os.path.join(top, "relative")),
              "no entry written in a refused or another directory")
        r = run([loader, "/bin/sh", "-c", "/bin/true; /bin/ls / >/dev/null; /bin/true"],
                {"LIBOS_CACHE_DIR": public}, timeout=30)
        check(r[0] == 0 and len(r[2].decode().splitlines()) == 1, "said once for the tree")
        r = run([loader, *ARGV], {"LIBOS_CACHE_DIR": private}, timeout=30)
        check(r[:2] == native[:2] and r[2] == b"" and os.listdir(private),
              "a good directory: used, nothing on stderr")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
