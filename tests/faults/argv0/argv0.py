#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--argv0=NAME (issue 12 part 3) against the native `exec -a NAME`, and what
a program sees of its arguments when they are not the loader's own words
(a #! chain), in the three modes; a wrapper that runs the loader from a
program already under it.

usage: argv0.py LOADER ARGV_SPAN

The truth is the same program exec'd natively by bash's `exec -a NAME`
(argv[0] NAME, the file still found by its own path): argv, the strings'
layout, /proc/self/cmdline and comm must be the same.
"""
import os
import subprocess
import sys
import tempfile

failures = []
MODES = [[], ["--strict"], ["--sud-only"]]


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n" + detail))
    if not ok:
        failures.append(what)


def run(cmd, env):
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def main():
    loader, span = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as top:
        env = {"PATH": os.path.dirname(span) + ":/usr/bin:/bin",
               "LIBOS_CACHE_DIR": os.path.join(top, "cache"), "A": "1"}
        os.mkdir(env["LIBOS_CACHE_DIR"], 0o700)
        script = os.path.join(top, "script")
        with open(script, "w") as f:
            f.write("#!%s -x\n" % span)
        os.chmod(script, 0o755)
        name = os.path.basename(span)
        cases = [
            ("a name", "foo", [span, "a", "b"]),
            ("an empty name", "", [span, "a"]),
            ("a name with blanks", "my prog", [span]),
            ("a login shell's name", "-sh", [span, "x"]),
            ("a long name", "n" * 3000, [span]),
            ("PROGRAM found in PATH", "bar", [name, "z"]),
            ("a #! script (argv[0] is dropped natively)", "foo", [script, "s"]),
        ]
        for what, argv0, prog in cases:
            native = run(["bash", "-c", 'exec -a "$0" "$@"', argv0, *prog], env)
            for mode in MODES:
                got = run([loader, *mode, "--argv0=" + argv0, *prog], env)
                check(got == native, "--argv0 %s %s" % (what, " ".join(mode)),
                      "native %r\nloader %r" % (native, got))
        # Without --argv0: a #! chain's argv is not the loader's words.
        for prog in ([script, "s", "t"], [span, "plain"]):
            native = run(prog, env)
            for mode in MODES:
                got = run([loader, *mode, *prog], env)
                check(got == native, "argv of %s %s" % (os.path.basename(prog[0]),
                                                        " ".join(mode)),
                      "native %r\nloader %r" % (native, got))
        # A wrapper that runs the loader from a program under the loader.
        wrapper = os.path.join(top, "wrapper")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\nexec "%s" --argv0=inner "%s" w "$@"\n' % (loader, span))
        os.chmod(wrapper, 0o755)
        native = run(["bash", "-c", 'exec -a inner "$0" "$@"', span, "w", "q"], env)
        for mode in MODES:
            got = run([loader, *mode, wrapper, "q"], env)
            check(got == native, "a wrapper running the loader under it " + " ".join(mode),
                  "native %r\nloader %r" % (native, got))
        # Bad uses: one line, status 2.
        for args, word in [(["--argv0"], "needs a value"),
                           (["--argv0=a", "--argv0=b", span], "given twice")]:
            st, out, err = run([loader, *args], env)
            check(st == 2 and out == "" and err.count("\n") == 1 and word in err,
                  "bad: %s" % " ".join(args), repr((st, err)))
    if failures:
        print("%d failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
