#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`#!` scripts under the loader against the kernel's own handling.

usage: scripts.py LOADER SHOWARGS

Each case writes a script (or a chain of scripts) into a temporary folder,
executes it natively, then under libos-loader. When the kernel runs it,
the loader must give the interpreter the same argv (SHOWARGS prints it);
when the kernel refuses it, the loader must refuse it too, with exit status
126 (127 when the script itself does not exist), one line naming the
script, and the same error text as the kernel's errno.
"""
import os
import stat
import subprocess
import sys
import tempfile

failures = 0


def run_native(argv, cwd):
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
        return p.returncode, p.stdout, None
    except OSError as e:
        return None, b"", e.errno


def check(name, argv, cwd, loader):
    global failures
    status, out, err = run_native(argv, cwd)
    p = subprocess.run([loader] + argv, cwd=cwd, capture_output=True, timeout=60,
                       env={"PATH": "/usr/bin:/bin"})
    lines = p.stderr.decode(errors="replace").splitlines()
    if err is None:
        ok = p.returncode == status and p.stdout == out and not p.stderr
        why = f"native status {status} {out!r}, loader status {p.returncode} {p.stdout!r} {p.stderr!r}"
    else:
        want = 127 if err == 2 and not os.path.exists(os.path.join(cwd, argv[0])) else 126
        text = os.strerror(err)
        ok = (p.returncode == want and not p.stdout and len(lines) == 1 and
              lines[0].startswith("libos-loader: ") and argv[0] in lines[0] and text in lines[0])
        why = f"kernel refused with {text!r}; loader: status {p.returncode}, stderr {p.stderr!r}"
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + why))
    failures += not ok


def write(path, data, mode=0o755):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def main():
    loader, showargs = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    s = showargs.encode()
    cases = {
        "plain": b"#!" + s + b"\necho body\n",
        "one-arg": b"#!" + s + b" -x\n",
        "blanks": b"#!  \t" + s + b"  an  arg\twith blanks \t \n",
        "tab-separated": b"#!" + s + b"\t-y\n",
        "no-newline": b"#!" + s,
        "nul-in-line": b"#!" + s + b" arg\0rest\n",
        "long-argument": b"#!" + s + b" " + b"a" * 400 + b"\n",
        "long-line-no-newline": b"#!" + s + b" " + b"b" * 400,
        "truncated-interpreter": b"#!/" + b"c" * 400 + b"\n",
        "empty-interpreter": b"#!\n",
        "blank-interpreter": b"#!   \t \n",
        "missing-interpreter": b"#!/nonexistent/interp\n",
        "directory-interpreter": b"#!/tmp\n",
        "carriage-return": b"#!" + s + b"\r\n",
        "relative-interpreter": b"#!./showargs-copy arg\n",
        "not-elf-not-script": b"just text\n",
    }
    with tempfile.TemporaryDirectory() as d:
        write(os.path.join(d, "showargs-copy"), open(showargs, "rb").read())
        for name, body in cases.items():
            write(os.path.join(d, name), body)
            check(name, ["./" + name, "first", "second arg"], d, loader)
        write(os.path.join(d, "not-executable"), b"#!" + s + b"\n", 0o644)
        check("not-executable", ["./not-executable"], d, loader)
        check("missing-script", ["./no-such-script"], d, loader)
        # Chains: level N's interpreter is level N-1; the kernel follows
        # a limited number of them.
        prev = showargs
        for level in range(1, 8):
            path = os.path.join(d, f"chain{level}")
            write(path, f"#!{prev} level{level}\n".encode())
            check(f"chain-of-{level}", [path, "arg"], d, loader)
            prev = path
    print(f"{'all agree' if not failures else str(failures) + ' differ'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
