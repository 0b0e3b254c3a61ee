# SPDX-License-Identifier: MIT
"""report.py LOADER PROGRAM: the report of a program under seccomp (issue 11
item 7). Where the program's filter allows what writing it takes, it is
written; where it does not (strict mode, a filter that kills openat), no
file appears, one line on stderr says why, and the program's status and
output are its native ones: the loader never gets it killed for a report."""
import json
import os
import subprocess
import sys
import tempfile

loader, prog = (os.path.abspath(a) for a in sys.argv[1:3])
failed = 0


def check(what, case, written):
    global failed
    with tempfile.TemporaryDirectory() as d:
        native = subprocess.run([prog] + case, capture_output=True, timeout=60, cwd=d)
        for mode in ([], ["--strict"], ["--sud-only"]):
            path = os.path.join(d, "r.json")
            under = subprocess.run([loader] + mode + ["--report=" + path, prog] + case,
                                   capture_output=True, timeout=60, cwd=d)
            err = under.stderr.decode()
            problems = []
            if (under.returncode, under.stdout) != (native.returncode, native.stdout):
                problems.append("status %d, output %r; natively %d, %r" % (
                    under.returncode, under.stdout, native.returncode, native.stdout))
            if written:
                try:
                    with open(path) as f:
                        json.load(f)
                except (OSError, ValueError) as e:
                    problems.append("no report: %s" % e)
            else:
                if os.path.exists(path):
                    problems.append("a report was written")
                if err.count("seccomp does not allow") != 1:
                    problems.append("stderr: %r" % err)
            if os.listdir(d) not in ([], ["r.json"]):
                problems.append("left behind: %s" % os.listdir(d))
            for p in problems:
                print("%s:%d: %s %s: %s" % (__file__, sys._getframe(1).f_lineno, what,
                                            " ".join(mode) or "default", p))
                failed = 1
            if os.path.exists(path):
                os.unlink(path)


check("filter that allows writing it", ["filter", "rt_sigprocmask", "getpid", "mprotect",
                                        "munmap", "madvise"], True)
check("strict mode", ["strict"], False)
check("filter that kills openat", ["filter", "openat"], False)
sys.exit(failed)
