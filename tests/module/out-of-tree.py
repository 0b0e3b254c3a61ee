#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The example module built out of tree against the installed headers.

usage: out-of-tree.py BUILD_DIR EXAMPLES_DIR CC

`meson install --destdir` into a temporary root, then the example's
sources compiled and linked in an empty directory with nothing but
`pkg-config --cflags --libs libos-loader` (PKG_CONFIG_SYSROOT_DIR pointing
at the root), and run under the installed loader
(`pkg-config --variable=loader`): it must answer uname with the
configured hostname.
"""
import glob
import os
import subprocess
import sys
import tempfile


def fail(what):
    print(f"FAIL {__file__}: {what}")
    sys.exit(1)


def run(argv, **kw):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kw)
    if p.returncode != 0:
        fail(f"{' '.join(argv)}: status {p.returncode}\n{p.stdout}{p.stderr}")
    return p.stdout


def main():
    build, examples, cc = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="libos-out-of-tree-") as tmp:
        root = os.path.join(tmp, "root")
        run(["meson", "install", "-C", build, "--destdir", root, "--no-rebuild", "--quiet"])
        pcs = glob.glob(os.path.join(root, "**", "libos-loader.pc"), recursive=True)
        if len(pcs) != 1:
            fail(f"installed libos-loader.pc files: {pcs}")
        env = dict(os.environ, PKG_CONFIG_LIBDIR=os.path.dirname(pcs[0]),
                   PKG_CONFIG_SYSROOT_DIR=root)
        env.pop("PKG_CONFIG_PATH", None)
        cflags = run(["pkg-config", "--cflags", "libos-loader"], env=env).split()
        libs = run(["pkg-config", "--libs", "libos-loader"], env=env).split()
        loader = run(["pkg-config", "--variable=loader", "libos-loader"], env=env).strip()
        if not loader.startswith(root):  # pkgconf prefixes the sysroot, pkg-config does not
            loader = root + loader
        if not any(f.startswith("-I" + root) for f in cflags):
            fail(f"Cflags do not point into the installed tree: {cflags}")
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        sources = sorted(glob.glob(os.path.join(examples, "*.c")))
        module = os.path.join(work, "example.so")
        run([cc, "-O2", *cflags, *sources, "-o", module, *libs], cwd=work)
        out = run([loader, f"--libos={module}", "--libos-options=hostname=out-of-tree",
                   "hostname"])
        if out != "out-of-tree\n":
            fail(f"hostname under the out-of-tree module: {out!r}")
    print("example built against the installed headers with pkg-config, and run: ok")


if __name__ == "__main__":
    main()
