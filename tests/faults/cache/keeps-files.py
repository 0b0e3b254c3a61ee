#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Class A1: the cache deletes only files it can prove it made.

usage: keeps-files.py LOADER

A private directory named by LIBOS_CACHE_DIR (as $HOME would be) holding
the user's own files, some with names close to an entry's, a symlink named
exactly like an old loader's entry, and a real entry of another loader
build: after runs under the loader (which prune other builds' entries),
every file of the user's is there with its bytes, the symlink and its
target too, and only the other build's entry is gone. The same with
XDG_CACHE_HOME, whose cache is a subdirectory.
"""
import os
import sys
import tempfile

from cachelib import check, finish, run

OTHER = "0123456789abcdef-" + "ab" * 20 + "-00112233445566ff"


def populate(d, outside):
    files = {
        "keep": b"x\n",
        "notes.plan": b"my plan\n",
        "photo.img": b"\x89PNG",
        "0123456789abcdef.plan": b"16 hex, no key\n",
        "0123456789abcdef-Key.plan": b"upper case key\n",
        "0123456789abcdef-ab.plan.tmp": b"no random part\n",
        "0123456789ABCDEF-ab.img": b"upper case id\n",
        ".hidden": b"dot\n",
    }
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    os.symlink(outside, os.path.join(d, OTHER + ".img"))
    with open(os.path.join(d, OTHER + ".plan"), "wb") as f:
        f.write(b"LIBOSPC3 an old build's plan")
    return files


def main():
    loader = sys.argv[1]
    with tempfile.TemporaryDirectory() as top:
        outside = os.path.join(top, "outside")
        with open(outside, "wb") as f:
            f.write(b"target\n")
        for how in ("LIBOS_CACHE_DIR", "XDG_CACHE_HOME"):
            d = os.path.join(top, how)
            os.mkdir(d, 0o700)
            files = populate(d, outside)
            cache = d if how == "LIBOS_CACHE_DIR" else os.path.join(d, "libos-loader")
            if how == "XDG_CACHE_HOME":
                os.mkdir(cache, 0o700)
                populate(cache, outside)
            for argv in (["/bin/true"], ["/bin/ls", "/"]):
                r = run([loader, *argv], {how: d})
                check(r[0] == 0, f"{how}: {argv[0]} runs")
            for where in {d, cache}:
                kept = all(open(os.path.join(where, n), "rb").read() == data
                           for n, data in files.items()
                           if os.path.exists(os.path.join(where, n)))
                present = all(os.path.exists(os.path.join(where, n)) for n in files)
                check(present and kept, f"{how}: every file of the user's in {os.path.basename(where)} is kept, bytes unchanged")
                check(os.path.islink(os.path.join(where, OTHER + ".img")),
                      f"{how}: a symlink named like an entry is kept")
            check(open(outside, "rb").read() == b"target\n", f"{how}: the symlink's target is untouched")
            check(not os.path.exists(os.path.join(cache, OTHER + ".plan")),
                  f"{how}: the other loader build's entry is pruned")
            check(any(n.endswith(".plan") and n not in files and not n.startswith(OTHER)
                      for n in os.listdir(cache)), f"{how}: the cache is in use")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
