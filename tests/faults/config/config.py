#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Settings files (issue 12 part 1, the README's "Settings files"): the
user's ($XDG_CONFIG_HOME/libos-loader.conf, else ~/.config/) and the system's
(/etc/libos-loader.conf, given to the loader in a private mount namespace:
a directory bound over /etc, so the host's /etc is never touched).

usage: config.py LOADER

What each run is checked against: the program's output and status as
natively (/bin/echo), what the loader's report says of the run (a report
file written, its mode and module), and the exact lines on stderr (none,
or one naming the file and line).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

failures = []
NATIVE = subprocess.run(["/bin/echo", "hello"], stdout=subprocess.PIPE).stdout.decode()
NOBODY = 65534


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "  " + detail))
    if not ok:
        failures.append(what)


def write(path, text, mode=0o644, owner=None):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, owner, owner)


class Case:
    def __init__(self, loader, top):
        self.loader, self.top = loader, top
        self.n = 0

    def run(self, user=None, system=None, args=(), env=None, program=("/bin/echo", "hello"),
            prefix=(), user_mode=0o644, user_owner=None, system_mode=0o644, system_owner=None,
            home_style=False):
        """One run: user and system are the files' texts (None: no file);
        REPORT in them becomes this run's report path. Returns (status,
        stdout, stderr lines, report or None)."""
        self.n += 1
        d = os.path.join(self.top, "run%d" % self.n)
        os.makedirs(d)
        if user_owner is not None:
            os.chown(d, user_owner, user_owner)  # its report goes there
        report = os.path.join(d, "report.json")
        e = {"PATH": "/usr/bin:/bin", "LIBOS_CACHE_DIR": os.path.join(self.top, "cache")}
        if user is not None:
            if home_style:
                os.makedirs(os.path.join(d, "home", ".config"))
                path = os.path.join(d, "home", ".config", "libos-loader.conf")
                e["HOME"] = os.path.join(d, "home")
            else:
                path = os.path.join(d, "libos-loader.conf")
                e["XDG_CONFIG_HOME"] = d
            write(path, user.replace("REPORT", report), user_mode, user_owner)
        e.update({k: v.replace("REPORT", report) for k, v in (env or {}).items()})
        cmd = [self.loader, *[a.replace("REPORT", report) for a in args], *program]
        if system is not None:
            etc = os.path.join(d, "etc")
            os.makedirs(etc)
            for name in ("ld.so.cache", "passwd", "group", "nsswitch.conf"):
                if os.path.exists("/etc/" + name):
                    shutil.copy("/etc/" + name, etc)
            write(os.path.join(etc, "libos-loader.conf"), system.replace("REPORT", report),
                  system_mode, system_owner)
            cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                   'mount --bind "$0" /etc && exec "$@"', etc, *cmd]
        p = subprocess.run([*prefix, *cmd], env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        rep = None
        if os.path.exists(report):
            with open(report) as f:
                rep = json.load(f)
        lines = p.stderr.decode(errors="replace").splitlines()
        return p.returncode, p.stdout.decode(), lines, rep


def expect(case, what, status=0, out=NATIVE, lines=(), mode=None, report=True, **kw):
    """lines: the words each stderr line must hold, one per line (parts
    joined by " ... " may be apart)."""
    st, o, got, rep = case.run(**kw)
    check(st == status and o == out, what + ": status and output as natively",
          "status %d %r" % (st, o))
    check(len(got) == len(lines) and all(all(x in g for x in w.split(" ... "))
                                         for w, g in zip(lines, got)),
          what + ": stderr %s" % (list(lines) or "empty"), repr(got))
    if report is not None:
        check((rep is not None) == report, what + ": report %s" %
              ("written" if report else "not written"))
    if mode and rep:
        check(rep["mode"] == mode, what + ": mode " + mode, rep["mode"])
    return rep


def main():
    loader = os.path.abspath(sys.argv[1])
    unshare_ok = subprocess.run(["unshare", "--mount", "true"]).returncode == 0
    with tempfile.TemporaryDirectory() as top:
        os.chmod(top, 0o755)
        os.mkdir(os.path.join(top, "cache"), 0o700)
        c = Case(loader, top)

        # The user's file: each kind of setting taken.
        expect(c, "user file: report, strict", user="report = REPORT\nstrict\n", mode="strict")
        expect(c, "user file under ~/.config", user="report = REPORT\nsud-only = yes\n",
               mode="sud-only", home_style=True)
        expect(c, "user file: blanks, comments, yes/no", mode="default",
               user="# comment\n\n   report   =   REPORT   \n\tstrict = no\r\n"
                    "  # strict\nno-follow-exec = true\nheap-size = 1G\n"
                    "libos-options =\ntrap-rdtsc = 0\nno-cache = false\n")
        rep = expect(c, "user file: libos = passthrough", user="report = REPORT\n"
                     "libos = passthrough\n")
        if rep:
            check(rep["module"] == "passthrough", "user file: module", rep["module"])
        # A relative XDG_CONFIG_HOME is ignored (XDG), as is one with no file.
        expect(c, "no file: nothing read", report=False)

        # Precedence: the command line, then the environment, then the
        # user's file, then the system's.
        rep = expect(c, "--report over the file's", user="report = %s/elsewhere.json\n" % top,
                     args=["--report=REPORT"])
        check(not os.path.exists(top + "/elsewhere.json"), "the file's report not written")
        expect(c, "LIBOS_REPORT over the file's", user="report = %s/elsewhere.json\n" % top,
               env={"LIBOS_REPORT": "REPORT"})
        check(not os.path.exists(top + "/elsewhere.json"), "the file's report not written (env)")
        expect(c, "--sud-only over the file's strict", user="report = REPORT\nstrict\n",
               args=["--sud-only"], mode="sud-only")
        expect(c, "--strict over the file's sud-only", user="report = REPORT\nsud-only\n",
               args=["--strict"], mode="strict")
        # LIBOS_CACHE=1 keeps the cache on against the file's no-cache.
        cache2 = os.path.join(top, "cache2")
        os.mkdir(cache2, 0o700)
        expect(c, "LIBOS_CACHE=1 over no-cache", user="no-cache\n", report=None,
               env={"LIBOS_CACHE": "1", "LIBOS_CACHE_DIR": cache2})
        check(len(os.listdir(cache2)) > 0, "LIBOS_CACHE=1: the cache was written")
        cache3 = os.path.join(top, "cache3")
        os.mkdir(cache3, 0o700)
        expect(c, "no-cache from the file", user="no-cache\n", report=None,
               env={"LIBOS_CACHE_DIR": cache3})
        check(len(os.listdir(cache3)) == 0, "no-cache: the cache was not written")

        # Lines that are not settings: one line each, naming file and
        # line; the run goes on as natively without them.
        for name, text, line, word in [
                ("unknown", "bogus = 1\n", 1, "unknown setting 'bogus'"),
                ("with --", "--strict\n", 1, "unknown setting '--strict'"),
                ("internal", "exec-count = 3\n", 1, "unknown setting"),
                ("argv0 is not a file's", "argv0 = x\n", 1, "unknown setting"),
                ("list-sites", "list-sites = /bin/true\n", 1, "unknown setting"),
                ("not yes/no", "\n\nstrict = maybe\n", 3, "strict = maybe: not yes or no"),
                ("no value", "report\n", 1, "report needs a value"),
                ("empty value", "report =  \n", 1, "report needs a value"),
                ("bad size", "heap-size = 3Q\n", 1, "heap-size = 3Q: not a size"),
                ("huge size", "heap-size = 99999999999T\n", 1, "too large"),
                ("no name", "= 3\n", 1, "no setting name"),
                ("bad name", "Strict\n", 1, "not a setting"),
                ("twice", "strict\nstrict = no\n", 2, "strict given twice"),
                ("both modes", "strict\nsud-only\n", 2, "exclude each other"),
                ("report too long", "report = /%s\n" % ("x" * 300), 1, "too long"),
        ]:
            # A good line after it still counts.
            rep = expect(c, "bad line: " + name, user=text + "report = REPORT\n",
                         lines=["libos-loader: ... libos-loader.conf:%d: ... %s ... "
                                "the line is ignored" % (line, word)])
            if name == "twice" or name == "both modes":
                check(rep is not None and rep["mode"] == "strict",
                      "bad line %s: the first kept" % name)
        st, o, got, rep = c.run(user="libos = /nonexistent/module.so\n")
        check(st == 126 and len(got) == 1 and "module" in got[0],
              "libos that cannot be used: 126 and one line, as LIBOS_MODULE", repr((st, got)))

        # Files that are not trusted: one line, and none of their settings.
        expect(c, "user file others can write", user="report = REPORT\n", user_mode=0o666,
               lines=["others can write it (mode 666): its settings are ignored"], report=False)
        expect(c, "user file the group can write", user="report = REPORT\n", user_mode=0o664,
               lines=["others can write it (mode 664)"], report=False)
        expect(c, "user file of another owner", user="report = REPORT\n", user_owner=NOBODY,
               lines=["owned by uid 65534, not by root: its settings"], report=False)
        # Followed execs read the files again, quietly: one line per tree.
        st, o, got, rep = c.run(user="bogus\nreport = REPORT\n",
                                program=["/bin/sh", "-c", "/bin/echo hello; /bin/true"])
        check(st == 0 and o == NATIVE and len(got) == 1,
              "followed exec: output as natively, the bad line said once", repr((o, got)))
        check(rep is not None and rep.get("exec_count") == 0, "followed exec: report")

        # A secure-execution loader (set-user-ID root, run by another
        # user) reads no user file; a plain copy run by that user does.
        if os.geteuid() == 0 and shutil.which("setpriv"):
            suid = os.path.join(top, "suid-loader")
            shutil.copy(loader, suid)
            os.chmod(suid, 0o4755)
            plain = os.path.join(top, "plain-loader")
            shutil.copy(loader, plain)
            os.chmod(plain, 0o755)
            drop = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"]
            # ... nor a cache directory its caller names.
            chosen = os.path.join(top, "chosen-cache")
            os.mkdir(chosen, 0o700)
            for which, binary, written in [("plain", plain, True), ("AT_SECURE", suid, False)]:
                c.loader = binary
                st, o, got, rep = c.run(user="report = REPORT\n", user_owner=NOBODY,
                                        prefix=drop, env={"LIBOS_CACHE": "0",
                                                          "LIBOS_CACHE_DIR": chosen})
                check(not os.listdir(chosen), "%s loader: LIBOS_CACHE_DIR not written" % which)
                check(st == 0 and o == NATIVE and not got,
                      "%s loader as another user: as natively" % which, repr((st, got)))
                check((rep is not None) == written, "%s loader: the user's file %s" %
                      (which, "read" if written else "not read"))
            c.loader = loader
        else:
            print("skip AT_SECURE: needs root and setpriv")

        # The system's file, bound over /etc in a mount namespace of the run.
        if not unshare_ok:
            print("skip system file: unshare --mount fails here")
        else:
            expect(c, "system file: report, sud-only", system="report = REPORT\nsud-only\n",
                   mode="sud-only")
            expect(c, "user file over the system's", system="strict\nreport = /nonexistent/r\n",
                   user="report = REPORT\nsud-only\n", mode="sud-only")
            expect(c, "system file others can write", system="report = REPORT\n",
                   system_mode=0o666, report=False,
                   lines=["/etc/libos-loader.conf: others can write it"])
            expect(c, "system file not root's", system="report = REPORT\n",
                   system_owner=NOBODY, report=False,
                   lines=["/etc/libos-loader.conf: owned by uid 65534, not by root"])
            expect(c, "system file bad line", system="strict = 2\nreport = REPORT\n",
                   lines=["/etc/libos-loader.conf:1: strict = 2: not yes or no"])
    if failures:
        print("%d failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
