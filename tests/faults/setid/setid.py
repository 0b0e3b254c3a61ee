#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Class D14: a program that an exec would give privileges (set-user-ID,
set-group-ID, file capabilities) runs natively, with them, whether it is
given on the loader's command line or exec'd by a program under the
loader: no module loaded (LIBOS_MODULE is set to the example module, whose
uname answer would show), the same output as the native run.

usage: setid.py LOADER MODULE WHOAMI

As root, copies of WHOAMI (it prints its uids, gids, capability sets and
uname's nodename) are made set-user-ID 65534, set-group-ID 65534 and
cap_net_raw+ep, and run as uid/gid 65533 (setpriv), natively and under the
loader: on the command line, found in PATH, as a #! script's interpreter,
and exec'd by a shell under the loader. Then what the README promises for
--report (the program runs natively, one line says there is no report)
and --strict (one line and status 126; an exec fails with EACCES). A plain
copy shows that the module does run (nodename differs), and a set-user-ID
copy under no_new_privs, which gains nothing, runs under the loader.
"""
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
USER = ["setpriv", "--reuid=65533", "--regid=65533", "--clear-groups"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(argv, env, cwd=None):
    p = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def loader_lines(err):
    return [l for l in err.splitlines() if l.startswith("libos-loader: ")]


def main():
    loader, module, whoami = sys.argv[1:4]
    if os.geteuid() != 0:
        print("skip: needs root to make set-ID and capability files")
        return SKIP
    if not shutil.which("setcap") or not shutil.which("setpriv"):
        print("FAIL setcap (libcap2-bin) and setpriv (util-linux) are needed")
        return 1
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)
        if os.statvfs(d).f_flag & os.ST_NOSUID:
            print(f"skip: {d} is mounted nosuid")
            return SKIP
        copies = {}
        for name in ["plain", "suid", "sgid", "cap"]:
            copies[name] = os.path.join(d, "whoami-" + name)
            shutil.copy(whoami, copies[name])
            os.chmod(copies[name], 0o755)
        os.chown(copies["suid"], 65534, 65534)
        os.chmod(copies["suid"], 0o4755)
        os.chown(copies["sgid"], 0, 65534)
        os.chmod(copies["sgid"], 0o2755)
        subprocess.run(["setcap", "cap_net_raw+ep", copies["cap"]], check=True)
        out = os.path.join(d, "out")
        os.mkdir(out)
        os.chown(out, 65533, 65533)
        env = {"PATH": f"{d}:/usr/bin:/bin", "LIBOS_MODULE": module,
               "LIBOS_MODULE_OPTIONS": "hostname=module-ran", "LIBOS_CACHE": "0"}
        kinds = {"suid": "set-user-ID", "sgid": "set-group-ID", "cap": "file capabilities"}

        # The control: the module runs, and the output shows it.
        native = run(USER + [copies["plain"]], env)
        under = run(USER + [loader, copies["plain"]], env)
        check(under[0] == 0 and "nodename module-ran" in under[1] and
              "module-ran" not in native[1], "plain copy: intercepted, the module answers uname")

        for name, kind in kinds.items():
            prog = copies[name]
            native = run(USER + [prog], env)
            check(native[0] == 0 and "module-ran" not in native[1], f"{name}: native run")
            if name == "suid":
                check("uid 65533 65534" in native[1], "suid: the native run gains euid 65534")
            if name == "sgid":
                check("gid 65533 65534" in native[1], "sgid: the native run gains egid 65534")
            if name == "cap":
                check("CapEff:\t0000000000002000" in native[1],
                      "cap: the native run gains cap_net_raw")
            script = os.path.join(d, f"script-{name}")
            with open(script, "w") as f:
                f.write(f"#!{prog}\n")
            os.chmod(script, 0o755)
            native_script = run(USER + [script], env)
            ways = {
                "on the command line": ([loader, prog], native),
                "found in PATH": ([loader, os.path.basename(prog)], native),
                "as a #! interpreter": ([loader, script], native_script),
                "exec'd by a shell under the loader": ([loader, "/bin/sh", "-c", f"{prog}; :"],
                                                       native),
            }
            for way, (argv, truth) in ways.items():
                r = run(USER + argv, env)
                check(r == truth, f"{name} {way}: as natively, no module "
                      f"(got {r}, native {truth})")

            # --report: natively, and one line says that there is no report.
            report = os.path.join(out, f"{name}.json")
            r = run(USER + [loader, f"--report={report}", prog], env)
            lines = loader_lines(r[2])
            check(r[:2] == native[:2] and len(lines) == 1 and kind in lines[0] and
                  "no report" in lines[0] and not os.path.exists(report),
                  f"{name} --report on the command line: natively, one line ({r[2]!r})")
            r = run(USER + [loader, f"--report={out}/sh-%p.json", "/bin/sh", "-c", f"{prog}; :"],
                    env)
            lines = loader_lines(r[2])
            check(r[:2] == native[:2] and len(lines) == 1 and kind in lines[0] and
                  "no report" in lines[0],
                  f"{name} --report, exec'd: natively, one line ({r[2]!r})")

            # --strict: it cannot be intercepted, so it is refused.
            r = run(USER + [loader, "--strict", prog], env)
            lines = loader_lines(r[2])
            check(r[0] == 126 and r[1] == "" and len(lines) == 1 and len(r[2].splitlines()) == 1
                  and "--strict" in lines[0] and kind in lines[0],
                  f"{name} --strict on the command line: one line, 126 ({r})")
            r = run(USER + [loader, "--strict", "/bin/sh", "-c", f"{prog}; echo $?"], env)
            lines = loader_lines(r[2])
            check(r[0] == 0 and r[1] == "126\n" and len(lines) == 1 and kind in lines[0] and
                  "Permission denied" in r[2],
                  f"{name} --strict, exec'd: one line, EACCES ({r})")

        # no_new_privs: the exec gains nothing, so the loader runs it.
        nnp = USER + ["--no-new-privs"]
        native = run(nnp + [copies["suid"]], env)
        r = run(nnp + [loader, copies["suid"]], env)
        check(r[0] == 0 and r[1] == native[1].replace(os.uname().nodename, "module-ran") and
              "uid 65533 65533" in r[1], f"suid under no_new_privs: under the loader ({r})")
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
