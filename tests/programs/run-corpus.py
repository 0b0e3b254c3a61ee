# SPDX-License-Identifier: MIT
"""Runs the `programs` corpus (corpus.py): each case natively, then under
the loader in a temp dir recreated at the same path, in a fixed clean
environment, and compares stdout, stderr, the exit status and the case's
output files byte for byte. Prints `ok NAME`, `skip NAME: why` or
`FAIL NAME: what differed` with a short diff, then `N passed, N failed,
N skipped`; exits 1 on any failure, 77 when every selected case was
skipped (meson's "skipped"), else 0.

  run-corpus.py --loader PATH [--loader-arg=ARG]... [--bin NAME=PATH]...
                [--only NAME]... [--show] [--check-tags]

--loader-arg passes an option to the loader (`--loader-arg=--strict`);
--reports has every process of the tree write a report (--report with a
%p pattern) and requires each to show 0 escapes.
--check-tags runs each case natively under `strace -f` instead and checks
that its tags (threads, vfork, fork, exec) are what the process tree does.
"""

import argparse
import json
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

SKIP = 77
RUN_TIMEOUT = 60
DIFF_LINES = 40
STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def case_env(home):
    """The whole environment of a run: fixed, nothing inherited but PATH."""
    stamp = f"@{corpus.FIXED_MTIME} +0000"
    return {
        "PATH": os.environ.get("PATH") or STANDARD_PATH,
        "HOME": home,
        "TMPDIR": home,
        "LC_ALL": "C",
        "TZ": "UTC",
        "USER": "corpus",
        "LOGNAME": "corpus",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PERL_HASH_SEED": "0",
        "PERL_PERTURB_KEYS": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Corpus Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": "Corpus Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.org",
        "GIT_COMMITTER_DATE": stamp,
    }


def resolve(case, bins, env):
    """Returns (argv, None), or (None, why the case must be skipped)."""
    argv = []
    for word in case.argv:
        if isinstance(word, corpus.Built):
            path = bins.get(word.name)
            if not path or not os.path.exists(path):
                return None, f"{word.name} was not built (missing compiler?)"
            word = path
        argv.append(word)
    needs = list(case.needs)
    if "/" not in argv[0]:
        needs.append(argv[0])
    for program in needs:
        if not shutil.which(program, path=env["PATH"]):
            return None, f"{program} is not installed"
    if case.unless:
        why = case.unless(env)
        if why:
            return None, why
    return argv, None


def populate(tmp, case, env):
    """Recreates tmp empty, writes the case's files, runs its prepare
    command, and gives everything in tmp the fixed mtime."""
    shutil.rmtree(tmp, ignore_errors=True)
    os.mkdir(tmp, 0o755)
    for rel, content in case.files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        with open(path, "wb") as f:
            f.write(data)
        if data.startswith(b"#!"):
            os.chmod(path, 0o755)
    if case.prepare:
        subprocess.run(case.prepare, cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, check=True, timeout=RUN_TIMEOUT)
    for root, dirs, files in os.walk(tmp, topdown=False):
        for name in dirs + files:
            os.utime(os.path.join(root, name), (corpus.FIXED_MTIME,) * 2, follow_symlinks=False)
    os.utime(tmp, (corpus.FIXED_MTIME,) * 2)


def run(argv, tmp, case, env):
    """Runs argv in tmp; returns a dict of everything that is compared."""
    proc = subprocess.Popen(argv, cwd=tmp, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(case.stdin, timeout=RUN_TIMEOUT)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        status = f"timeout after {RUN_TIMEOUT} s"
    result = {"stdout": out, "stderr": err, "status": status}
    for name in case.outputs:
        try:
            with open(os.path.join(tmp, name), "rb") as f:
                result[f"file {name}"] = f.read()
        except OSError as e:
            result[f"file {name}"] = f"cannot read: {e.strerror}"
    return result


def describe(status):
    """A status as words: exit N, killed by signal N, or the timeout."""
    if isinstance(status, str):
        return status
    if status < 0:
        return f"killed by signal {-status}"
    return f"exit {status}"


def show_diff(what, native, loaded):
    """Prints a short unified diff (text) or the first differing byte."""
    try:
        a, b = native.decode().splitlines(True), loaded.decode().splitlines(True)
    except UnicodeDecodeError:
        at = next((i for i, (x, y) in enumerate(zip(native, loaded)) if x != y),
                  min(len(native), len(loaded)))
        print(f"  {what}: {len(native)} vs {len(loaded)} bytes, first difference at {at}:")
        print(f"    native: {native[at:at + 16].hex(' ')}")
        print(f"    loader: {loaded[at:at + 16].hex(' ')}")
        return
    lines = list(difflib.unified_diff(a, b, f"{what} (native)", f"{what} (loader)", n=2))
    for line in lines[:DIFF_LINES]:
        print("  " + line.rstrip("\n"))
    if len(lines) > DIFF_LINES:
        print(f"  ... {len(lines) - DIFF_LINES} more diff lines")


def compare(name, native, loaded):
    """Prints ok or FAIL with what differed; returns True when equal."""
    differ = [key for key in native if native[key] != loaded[key]]
    if not differ:
        print(f"ok {name}")
        return True
    print(f"FAIL {name}: {', '.join(differ)} differ{'s' if len(differ) == 1 else ''}")
    for key in differ:
        a, b = native[key], loaded[key]
        if key == "status":
            print(f"  status: native {describe(a)}, loader {describe(b)}")
        elif isinstance(a, bytes) and isinstance(b, bytes):
            show_diff(key, a, b)
        else:
            print(f"  {key}: native {a!r:.60}, loader {b!r:.60}")
    return False


def show(name, result):
    """Prints what a native run gave (--show), to review a case."""
    print(f"--- {name}: {describe(result['status'])}")
    for key, value in result.items():
        if key != "status":
            text = value.decode(errors="replace") if isinstance(value, bytes) else value
            lines = text.splitlines()
            print(f"  {key}: {len(value)} bytes")
            for line in lines[:DIFF_LINES]:
                print(f"  | {line[:120]}")


def observed_tags(log):
    """Tags from an `strace -f -e trace=clone,clone3,vfork,fork,execve` log."""
    tags, execs = set(), 0
    for line in log.splitlines():
        m = re.match(r"\d+\s+(<\.\.\. )?(\w+)", line)
        if not m:
            continue
        resumed, call = m.group(1), m.group(2)
        if call in ("clone", "clone3") and not resumed:
            if "CLONE_THREAD" in line:
                tags.add("threads")
            elif "CLONE_VFORK" in line:
                tags.add("vfork")
            elif "CLONE_VM" not in line:
                tags.add("fork")
        elif call in ("vfork", "fork") and not resumed:
            tags.add(call)
        elif call == "execve" and re.search(r"\)\s*= 0$", line):
            execs += 1
    if execs > 1:
        tags.add("exec")
    return tags


def check_tags(case, argv, tmp, env):
    """Runs argv natively under strace; True when its tags match."""
    log = os.path.join(os.path.dirname(tmp), os.path.basename(tmp) + ".strace")
    strace = ["strace", "-f", "-qq", "-o", log, "-e", "trace=clone,clone3,vfork,fork,execve"]
    run(strace + argv, tmp, case, env)
    with open(log) as f:
        seen = observed_tags(f.read())
    os.unlink(log)
    declared = set(case.tags)
    if seen == declared:
        print(f"ok {case.name} tags {sorted(seen)}")
        return True
    print(f"FAIL {case.name}: tags declared {sorted(declared)}, strace shows {sorted(seen)}")
    return False


def check_reports(name, report_dir, native_status):
    """--reports: every process that wrote a report saw 0 escapes, and the
    program's own process wrote one (unless natively it dies by a signal,
    which leaves no moment to write it). Returns True when so."""
    reports = []
    for entry in sorted(os.listdir(report_dir)):
        if entry.endswith(".json"):
            with open(os.path.join(report_dir, entry)) as f:
                reports.append(json.load(f))
    escapes = sum(r["escapes"] for r in reports)
    intercepted = sum(r["syscalls"]["intercepted"] for r in reports)
    if escapes or (not reports and native_status >= 0):
        print(f"FAIL {name}: {len(reports)} reports, {escapes} escapes")
        for r in reports:
            print(f"  pid {r['pid']} {r['program']}: escapes {r['escapes']}, net {r['net']}")
        return False
    print(f"   {name}: {len(reports)} process reports, {intercepted} syscalls intercepted, "
          f"0 escapes")
    return True


def run_case(case, args, bins):
    """Runs one case; returns 'ok', 'fail' or 'skip'."""
    tmp = os.path.realpath(tempfile.mkdtemp(prefix=f"libos-programs-{case.name}-"))
    env = case_env(tmp)
    try:
        argv, why = resolve(case, bins, env)
        if why is None and args.check_tags and not shutil.which("strace"):
            why = "strace is not installed"
        if why:
            print(f"skip {case.name}: {why}")
            return "skip"
        try:
            populate(tmp, case, env)
        except (OSError, subprocess.SubprocessError) as e:
            print(f"FAIL {case.name}: setup failed: {e}")
            return "fail"
        if args.check_tags:
            return "ok" if check_tags(case, argv, tmp, env) else "fail"
        native = run(argv, tmp, case, env)
        if args.show:
            show(case.name, native)
        populate(tmp, case, env)
        loader_args = list(args.loader_arg)
        if args.reports:
            report_dir = tempfile.mkdtemp(prefix=f"libos-reports-{case.name}-")
            loader_args.append(f"--report={report_dir}/report-%p.json")
        loaded = run([args.loader, *loader_args, "--", *argv], tmp, case, env)
        same = compare(case.name, native, loaded)
        if args.reports:
            same = check_reports(case.name, report_dir, native["status"]) and same
            shutil.rmtree(report_dir, ignore_errors=True)
        return "ok" if same else "fail"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loader", required=True, help="the libos-loader binary")
    parser.add_argument("--loader-arg", action="append", default=[], metavar="ARG",
                        help="an option for the loader (repeatable)")
    parser.add_argument("--bin", action="append", default=[], metavar="NAME=PATH",
                        help="a built corpus program, used as Built(NAME) in argv")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this case")
    parser.add_argument("--show", action="store_true",
                        help="print each case's native output too")
    parser.add_argument("--reports", action="store_true",
                        help="have every process write a report; require 0 escapes")
    parser.add_argument("--check-tags", action="store_true",
                        help="check the tags under strace instead of comparing runs")
    args = parser.parse_args()
    args.loader = os.path.abspath(args.loader)
    bins = {name: os.path.abspath(path) for name, path in (b.split("=", 1) for b in args.bin)}
    unknown = [n for n in args.only or [] if n not in corpus.BY_NAME]
    if unknown:
        parser.error(f"no such case: {', '.join(unknown)}")
    cases = [corpus.BY_NAME[n] for n in args.only] if args.only else corpus.CASES

    counts = {"ok": 0, "fail": 0, "skip": 0}
    for case in cases:
        counts[run_case(case, args, bins)] += 1
        sys.stdout.flush()
    print(f"{counts['ok']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    if counts["fail"]:
        return 1
    return SKIP if counts["skip"] == len(cases) else 0


if __name__ == "__main__":
    sys.exit(main())
