#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Settings (issue 10 C9, the README's table): every command-line option and
LIBOS_* variable the loader reads, with values it cannot honour (empty,
out of range, trailing garbage, too long, repeated) and good edge values.

usage: settings.py LOADER

A bad option: exactly one line on stderr, "libos-loader: " and what was
wrong, status 2, the program not run. A variable that cannot be honoured:
one line, and the program runs without what it asked for (a report, the
cache), except LIBOS_MODULE, which is fatal (126) as --libos is. A good edge
value: the program runs as natively, nothing on stderr.
"""
import os
import subprocess
import sys
import tempfile

failures = []
PROGRAM = ["/bin/echo", "hello"]
NATIVE = (0, "hello\n")


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(loader, args, env, cwd):
    e = {"PATH": "/usr/bin:/bin", "LIBOS_CACHE_DIR": env.pop("_cache"), **env}
    p = subprocess.run([loader, *args], env=e, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode(errors="replace")


def main():
    loader = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as top:
        out = os.path.join(top, "out")   # where reports may go
        cache = os.path.join(top, "cache")
        os.mkdir(out)
        os.mkdir(cache, 0o700)
        os.mkdir(cache + "-2", 0o700)  # for runs that may fill a cache
        long_name = "/" + "d" * 4200
        # A path longer than PATH_MAX whose first 4080 bytes name a file in
        # out: a shortened name would write "rep..." there.
        too_long = out + "/" + "./" * ((4096 - len(out)) // 2) + "report.json"
        # The longest report path the loader takes: 4059 bytes, its last
        # part 219, so that with the widest "-execN" tail (15) and the
        # temporary name it is written under (21) it fits PATH_MAX and
        # NAME_MAX.
        pad = 4059 - len(out) - 1 - 219
        fits = out + "/" + "./" * (pad // 2) + "/" * (pad % 2) + "x" * 213 + "r.json"
        assert len(fits) == 4059 and len(os.path.basename(fits)) == 219, len(fits)
        deep_module = "./" * 2100 + "m.so"

        # name: (loader args before PROGRAM, environment, status, words on the one line)
        bad = {
            "heap-size overflow": (["--heap-size=99999999999999999999G"], {}, 2, "too large"),
            "heap-size 2^64": (["--heap-size=16777216T"], {}, 2, "too large"),
            "heap-size negative": (["--heap-size=-1"], {}, 2, "not a size"),
            "heap-size trailing garbage": (["--heap-size=1Gx"], {}, 2, "not a size"),
            "heap-size empty": (["--heap-size="], {}, 2, "empty"),
            "heap-size twice": (["--heap-size=1G", "--heap-size=2G"], {}, 2, "twice"),
            "report empty": (["--report="], {}, 2, "empty"),
            "report twice": ([f"--report={out}/a", f"--report={out}/b"], {}, 2, "twice"),
            "report too long": ([f"--report={too_long}"], {}, 2, "too long"),
            "report one byte too long": ([f"--report={fits[:-6]}/r.json"], {}, 2, "too long"),
            "report name one byte too long": ([f"--report={out}/{'x' * 214}r.json"], {}, 2,
                                              "too long"),
            "report needs a value": (["--report", None], {}, 2, "needs a value"),
            "libos empty": (["--libos="], {}, 2, "empty"),
            "libos twice": (["--libos=passthrough", "--libos=passthrough"], {}, 2, "twice"),
            "libos too long": ([f"--libos={deep_module}"], {}, 2, "too long"),
            "libos no such builtin": (["--libos=nosuch"], {}, 126, "no builtin module"),
            "libos no such file": (["--libos=/nonexistent/m.so"], {}, 126, "No such file"),
            "libos-options twice": (["--libos-options=a", "--libos-options=b"], {}, 2, "twice"),
            "list-sites empty": (["--list-sites="], {}, 2, "empty"),
            "exec-count not a number": (["--exec-count=abc"], {}, 2, "not a number"),
            "exec-count negative": (["--exec-count=-1"], {}, 2, "not a number"),
            "exec-count overflow": (["--exec-count=99999999999"], {}, 2, "not a number"),
            "exec-count trailing garbage": (["--exec-count=1x"], {}, 2, "not a number"),
            "exec-close-fd negative": (["--exec-close-fd=-7"], {}, 2, "not a number"),
            "exec empty": (["--exec="], {}, 2, "empty"),
            "exec twice": (["--exec=/bin/echo", "--exec=/bin/echo"], {}, 2, "twice"),
            "flag with a value": (["--strict=1"], {}, 2, "unknown option"),
            "unknown option": (["--bogus"], {}, 2, "unknown option"),
            "strict and sud-only": (["--strict", "--sud-only"], {}, 2, "exclude"),
            "LIBOS_MODULE no such file": ([], {"LIBOS_MODULE": "/nonexistent/m.so"}, 126,
                                          "No such file"),
            "LIBOS_MODULE no such builtin": ([], {"LIBOS_MODULE": "nosuch"}, 126,
                                             "no builtin module"),
            "LIBOS_MODULE too long": ([], {"LIBOS_MODULE": deep_module}, 126, "too long"),
        }
        for name, (args, env, status, words) in bad.items():
            # None: the option is the last word, no PROGRAM after it.
            argv = args[:-1] if args and args[-1] is None else [*args, *PROGRAM]
            r = run(loader, argv, {"_cache": cache, **env}, top)
            lines = r[2].splitlines()
            check(r[0] == status and r[1] == "" and len(lines) == 1 and
                  lines[0].startswith("libos-loader: ") and words in lines[0],
                  f"{name}: one line with '{words}', status {status} (got {r[0]}, {r[1]!r}, "
                  f"{r[2][:300]!r})")
        r = run(loader, [], {"_cache": cache}, top)
        check(r[0] == 2 and len(r[2].splitlines()) == 1 and "no PROGRAM" in r[2],
              f"no PROGRAM: one line, status 2 ({r})")
        check(os.listdir(out) == [], f"nothing written by a refused report ({os.listdir(out)})")

        # Variables that cannot be honoured: one line, the program runs without.
        soft = {
            "LIBOS_CACHE=off": ({"LIBOS_CACHE": "off"}, "LIBOS_CACHE"),
            "LIBOS_CACHE=yes": ({"LIBOS_CACHE": "yes"}, "LIBOS_CACHE"),
            "LIBOS_REPORT too long": ({"LIBOS_REPORT": too_long, "_cache": cache + "-2"},
                                      "LIBOS_REPORT"),
            "LIBOS_CACHE_DIR relative": ({"_cache": "rel/cache"}, "LIBOS_CACHE_DIR"),
            "LIBOS_CACHE_DIR too long": ({"_cache": long_name}, "cache"),
            "XDG_CACHE_HOME too long": ({"_cache": "", "XDG_CACHE_HOME": long_name}, "cache"),
        }
        for name, (env, words) in soft.items():
            r = run(loader, PROGRAM, {"_cache": cache, **env}, top)
            lines = r[2].splitlines()
            check(r[:2] == NATIVE and len(lines) == 1 and lines[0].startswith("libos-loader: ")
                  and words in lines[0], f"{name}: runs, one line with '{words}' ({r})")
        check(os.listdir(cache) == [] and os.listdir(out) == [] and
              not os.path.exists(os.path.join(top, "rel")),
              "no cache entry and no report written by a refused variable")
        # Said once for a tree (followed execs do not say it again).
        tree = ["/bin/sh", "-c", "/bin/echo hello; /bin/true"]
        for env in ({"LIBOS_CACHE": "off"}, {"LIBOS_REPORT": too_long}):
            r = run(loader, tree, {"_cache": cache + "-2", **env}, top)
            check(r[:2] == NATIVE and len(r[2].splitlines()) == 1,
                  f"{list(env)[0]}: said once for a tree ({r})")

        # Good edge values: as natively, nothing said.
        good = {
            "heap-size 0": (["--heap-size=0"], {}),
            "heap-size largest": (["--heap-size=16777215T"], {}),
            "heap-size lower-case unit": (["--heap-size=64m"], {}),
            "libos-options empty": (["--libos-options="], {}),
            "report as a separate word": (["--report", f"{out}/sep.json"], {}),
            "report relative": (["--report=out/rel.json"], {}),
            "report longest": ([f"--report={fits}"], {}),
            "flag twice": (["--no-cache", "--no-cache"], {}),
            "LIBOS_CACHE=0": ([], {"LIBOS_CACHE": "0"}),
            "LIBOS_CACHE=1": ([], {"LIBOS_CACHE": "1"}),
            "LIBOS_CACHE empty": ([], {"LIBOS_CACHE": ""}),
            "LIBOS_REPORT empty": ([], {"LIBOS_REPORT": ""}),
            "LIBOS_MODULE empty": ([], {"LIBOS_MODULE": ""}),
            "LIBOS_MODULE_OPTIONS empty": ([], {"LIBOS_MODULE_OPTIONS": ""}),
            "option wins over variable": ([f"--report={out}/opt.json"],
                                          {"LIBOS_REPORT": too_long}),
        }
        for name, (args, env) in good.items():
            r = run(loader, [*args, *PROGRAM], {"_cache": cache, **env}, top)
            check(r == (*NATIVE, ""), f"{name}: as natively, nothing said ({r})")
        got = sorted(os.listdir(out))
        want = sorted(["opt.json", "rel.json", "sep.json", os.path.basename(fits)])
        check(got == want, f"the good reports are written, the longest too ({got})")
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
