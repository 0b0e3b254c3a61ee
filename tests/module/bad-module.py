#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Modules the loader must refuse: each gives exactly one line on stderr
naming the module and the reason, status 126, and the program never runs.

usage: bad-module.py LOADER NEEDS_LIBC VERSION2 NO_SYMBOL UNDEFINED
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, failures  # noqa: E402


def main():
    loader, needs_libc, version2, no_symbol, undefined = sys.argv[1:6]
    with tempfile.TemporaryDirectory(prefix="libos-bad-module-") as tmp:
        text = os.path.join(tmp, "text.so")
        with open(text, "w") as f:
            f.write("not an ELF file\n")
        cases = [
            (os.path.join(tmp, "missing.so"), "No such file or directory"),
            (text, "not an ELF file"),
            (tmp, "Is a directory"),
            ("/bin/true", "not a shared object"),
            (needs_libc, "needs other libraries"),
            (version2, "built for LibOS contract version 2, this loader implements 1"),
            (no_symbol, "does not export libos_module"),
            (undefined, "a symbol it does not define"),
            ("no-such-builtin", "no builtin module of that name"),
        ]
        for module, reason in cases:
            p = subprocess.run([loader, f"--libos={module}", "/bin/echo", "ran"],
                               capture_output=True, text=True, timeout=30)
            lines = p.stderr.splitlines()
            check(p.returncode == 126 and p.stdout == "" and len(lines) == 1 and
                  lines[0].startswith(f"libos-loader: {module}: ") and reason in lines[0],
                  f"{module}: status {p.returncode}, stdout {p.stdout!r}, stderr {p.stderr!r} "
                  f"(expected 126 and one line with {reason!r})")
    if failures():
        sys.exit(1)
    print(f"{len(cases)} unacceptable modules refused with one line and status 126")


if __name__ == "__main__":
    main()
