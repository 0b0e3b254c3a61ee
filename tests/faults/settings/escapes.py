#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loader's one line never carries a control byte of a name it quotes:
a file name or a setting with an escape sequence or a newline could
otherwise drive the terminal or forge a second line. Each case: exactly
one line on stderr, no byte below 0x20 but its newline and no DEL, the
bytes written as \\xNN.

escapes.py LOADER
"""
import os
import subprocess
import sys
import tempfile

loader = sys.argv[1]
bad = "a\nlibos-loader: forged\x1b[31m\x7f"
failed = 0


def check(name, cmd, env=None):
    global failed
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       env=dict(os.environ, **(env or {})))
    err = r.stderr
    lines = err.split(b"\n")
    ok = err.endswith(b"\n") and len(lines) == 2 and \
        not any(b < 0x20 or b == 0x7f for b in lines[0]) and b"\\x0a" in lines[0]
    print(("ok  " if ok else "FAIL") + " %s: %r" % (name, err))
    failed += not ok


with tempfile.TemporaryDirectory() as d:
    check("missing program", [loader, os.path.join(d, bad)])
    check("report that cannot be written", [loader, "--report=" + os.path.join(d, "no", bad),
                                            "/bin/true"])
    check("relative LIBOS_CACHE_DIR", [loader, "/bin/true"], {"LIBOS_CACHE_DIR": bad})
    shared = os.path.join(d, bad)  # a directory others may write: refused
    os.mkdir(shared)
    os.chmod(shared, 0o777)
    check("refused cache directory", [loader, "/bin/true"], {"LIBOS_CACHE_DIR": shared})
    check("bad LIBOS_CACHE", [loader, "/bin/true"], {"LIBOS_CACHE": bad})
sys.exit(1 if failed else 0)
