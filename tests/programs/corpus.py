# SPDX-License-Identifier: MIT
"""The `programs` corpus: real commands from Debian packages, each run
natively and under the loader by run-corpus.py and compared byte for byte.

A case is a name, the argv to run (no shell: `libos-loader ARGV...` and
natively ARGV itself), optional stdin bytes, files to create in the case's
fresh temp dir (the working directory and $HOME; a file whose text starts
with `#!` is made executable; every created file and folder gets the fixed
mtime FIXED_MTIME), an optional `prepare` argv run natively in the temp dir
before the compared run, `outputs` (files whose contents after the run are
compared too), extra programs it `needs` besides argv[0] (missing: the case
is skipped), and tags. An argv word Built("NAME") is a program built by
tests/programs/meson.build, passed to the runner as `--bin NAME=PATH`.

Tags say what the whole process tree does, as `strace -f -e
trace=clone,clone3,vfork,execve` showed on Debian 12 (`run-corpus.py
--check-tags` checks them again):
  threads  a clone/clone3 with CLONE_THREAD
  vfork    vfork(), or clone/clone3 with CLONE_VFORK (posix_spawn, system,
           popen, Python's subprocess)
  fork     a clone/clone3 without CLONE_VM (fork())
  exec     a successful execve after the first one
The comment above each case says what strace showed where it is not plain.

Run as a script, this file prints the case names, one a line (meson.build
declares one test per name).
"""

import os
import shutil
import sys
from dataclasses import dataclass, field

FIXED_MTIME = 1700000000  # 2023-11-14 22:13:20 UTC


@dataclass(frozen=True)
class Built:
    """A program that meson.build builds for the corpus."""
    name: str


@dataclass
class Case:
    name: str
    argv: list
    stdin: bytes = b""
    files: dict = field(default_factory=dict)
    prepare: list = None
    outputs: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    tags: frozenset = frozenset()
    # A callable(env) returning a reason to skip, or None.
    unless: object = None


def _lines(count, seed):
    """Deterministic pseudo-random numbers, one a line (an LCG)."""
    out, x = [], seed
    for _ in range(count):
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append(str(x >> 40))
    return "\n".join(out) + "\n"


TEXT = """\
foo 12 apple
bar 7 banana
baz 30 cherry
qux 7 date
foo 1 elderberry
zap 99 fig
bar 12 grape
"""
BINARY = bytes(range(256)) * 3 + b"\x00\xff tail\n"
PASSWD = """\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
bob:x:1001:1001:Bob,,,:/home/bob:/bin/sh
"""
TREE = {
    "tree/a.txt": "alpha\n",
    "tree/b.txt": "bravo\n" * 100,
    "tree/sub/c.txt": "charlie\n",
    "tree/sub/deeper/d.bin": BINARY,
}
HELLO_C = """\
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	printf("hello, %s! (%zu)\\n", argc > 1 ? argv[1] : "world", strlen(argv[0]));
	return 0;
}
"""
SH_SCRIPT = """\
#!/bin/sh
# A POSIX sh script: functions, loops, case, arithmetic, builtins, and
# one pipeline through an external program.
set -eu
greet() { printf 'hello, %s\\n' "$1"; }
greet "$1"
n=0
for w in "$@"; do
  n=$((n + 1))
  case "$w" in
    -*) echo "$n: option $w" ;;
    *) echo "$n: word $w" ;;
  esac
done
printf '%s\\n' "$@" | tr a-z A-Z
echo "argc=$# status=$?"
exit 5
"""
PYTHON_STDLIB = """\
import collections, datetime, decimal, hashlib, itertools, json, os, re
import struct, textwrap, zlib
words = open("a.txt").read().split()
print(collections.Counter(w for w in words if w.isalpha()).most_common(3))
print(json.dumps({"sum": sum(int(w) for w in words if w.isdigit()),
                  "sha1": hashlib.sha1(b"abc").hexdigest()}, sort_keys=True))
print(re.findall(r"\\b(b\\w+)", open("a.txt").read()))
print(list(itertools.permutations("abc", 2))[:4])
print(datetime.datetime.fromtimestamp(1700000000, datetime.timezone.utc).isoformat())
print(decimal.Decimal(1) / decimal.Decimal(7))
print(textwrap.fill("the quick brown fox jumps over the lazy dog " * 3, 30))
print(zlib.crc32(open("b.bin", "rb").read()), struct.pack("<IH", 1, 2).hex())
print(sorted(os.listdir(".")), os.path.getmtime("a.txt"))
"""
PYTHON_SUBPROCESS = """\
import subprocess
r = subprocess.run(["echo", "from echo"], capture_output=True)
print(r.returncode, r.stdout)
print(subprocess.run(["sh", "-c", "echo to stderr >&2; exit 3"]).returncode)
print(subprocess.check_output("printf '%s,' a b c | tr , ' '", shell=True))
"""
PYTHON_THREADS = """\
import queue, threading
q, results, lock = queue.Queue(), {}, threading.Lock()
def work(i):
    total = sum(k * k for k in range(10000 * (i + 1)))
    with open(f"t{i}.txt", "w") as f:
        f.write(str(total))
    with lock:
        results[i] = total
    q.put(i)
threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(q.get() for _ in range(6)))
print([results[i] for i in range(6)])
print([open(f"t{i}.txt").read() for i in range(6)])
"""
PERL_SCRIPT = r"""
my %count;
open(my $in, "<", "a.txt") or die "a.txt: $!";
while (<$in>) { my ($w, $n) = split; $count{$w} += $n; }
close $in;
printf "%-4s %3d\n", $_, $count{$_} for sort keys %count;
my @sorted = sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count;
print "top: @sorted[0..2]\n";
my $s = "The year 2023 and 1999";
(my $t = $s) =~ s/(\d+)/<$1>/g;
print "$t\n", join(",", unpack("H*", pack("N n", 0xdeadbeef, 42))), "\n";
open(my $out, ">", "perl-out.txt") or die; print $out "x" x 10, "\n"; close $out;
print -s "perl-out.txt", " bytes; ", sprintf("%.3f %e", 3.14159, 12345.678), "\n";
print STDERR "warning line\n";
exit 2;
"""
PERL_FORK = r"""
$| = 1;
for my $code (0, 3, 7) {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) { print "child exits $code\n"; exit $code; }
    waitpid($pid, 0);
    print "parent saw ", $? >> 8, "\n";
}
"""
SQL = """\
CREATE TABLE fruit (name TEXT PRIMARY KEY, colour TEXT, grams INTEGER);
INSERT INTO fruit VALUES ('apple','red',180),('banana','yellow',120),
  ('cherry','red',8),('grape','green',5),('lime','green',60);
SELECT colour, count(*), sum(grams) FROM fruit GROUP BY colour ORDER BY colour;
SELECT printf('%-8s|%5.1f', name, grams / 3.0) FROM fruit ORDER BY grams DESC;
SELECT json_object('n', count(*), 'max', max(grams)) FROM fruit;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)
SELECT group_concat(i * i, ' ') FROM n;
SELECT * FROM no_such_table;
"""
MAKEFILE = """\
all: out/c.txt
\t@echo done: $$(cat out/c.txt)
out/a.txt:
\t@mkdir -p out && echo alpha > $@
out/b.txt: out/a.txt
\t@tr a-z A-Z < $< > $@
out/c.txt: out/a.txt out/b.txt
\t@cat $^ > $@; echo built $@ from $^
"""
GIT_SCRIPT = """\
set -e
git init -q -b main repo
cd repo
printf 'hello\\n' > README
git add README
git commit -q -m 'first commit'
printf 'world\\n' >> README
git commit -q -am 'second commit'
git log --format='%H %an <%ae> %ad %s'
git cat-file -p HEAD
git diff HEAD~1 --stat
git status --short --branch
"""
TAR_SCRIPT = """\
set -e
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - tree |
  gzip -n -9 > t.tgz
sha256sum t.tgz
mkdir out
gzip -dc t.tgz | tar -xvf - -C out
diff -r tree out/tree && echo round trip ok
"""
CALC_H = """\
long calc_add(long a, long b);
long calc_mul(long a, long b);
const char *calc_fmt(const char *what, long value);
"""
CALC_FILES = {
    "calc.h": CALC_H,
    "main.c": """\
#include <stdio.h>
#include <stdlib.h>
#include "calc.h"

int main(int argc, char **argv)
{
	long a = argc > 2 ? atol(argv[1]) : 2, b = argc > 2 ? atol(argv[2]) : 3;

	puts(calc_fmt("sum", calc_add(a, b)));
	puts(calc_fmt("product", calc_mul(a, b)));
	return calc_add(a, b) == 13 ? 4 : 0;
}
""",
    "add.c": '#include "calc.h"\nlong calc_add(long a, long b) { return a + b; }\n',
    "mul.c": '#include "calc.h"\nlong calc_mul(long a, long b) { return a * b; }\n',
    "fmt.c": """\
#include <stdio.h>
#include "calc.h"

const char *calc_fmt(const char *what, long value)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%-8s = %ld", what, value);
	return buf;
}
""",
    # make prints each recipe line as it starts the job, and with -j2 it
    # still starts them in prerequisite order (it waits for a free slot, not
    # for a particular job): the echoed lines do not depend on which
    # compiler finishes first. The recipes print nothing themselves but
    # the last ones, which run alone.
    "Makefile": """\
CC = gcc
CFLAGS = -O2 -Wall
OBJS = main.o add.o mul.o fmt.o
all: calc
\t-./calc 6 7
\t@ls *.o calc
calc: $(OBJS)
\t$(CC) -o $@ $(OBJS)
%.o: %.c calc.h
\t$(CC) $(CFLAGS) -c $<
""",
}
# xargs is the program itself (so that it runs under the loader even while
# exec is not followed): each of its children writes a file of its own and
# prints nothing; the files are compared, whatever order the two ran in.
XARGS_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
XARGS_ARGV = ["xargs", "-P2", "-n1", "sh", "-c",
              'printf "%s %s\\n" "$1" "$(printf %s "$1" | wc -c)" > "out-$1.txt"', "sh"]
GREP_TREE = {
    "src/a.txt": "haystack\nneedle here\n",
    "src/b.txt": "nothing to see\n",
    "src/sub/c.txt": "needle\nneedle again\n",
    "src/sub/d.log": "a needle in a log\n",
    "src/sub/deeper/e.txt": "hay\n" * 50,
    "src/sub/deeper/f name.txt": "the needle has a blank in its file name\n",
    "src/g.bin": BINARY + b"needle",
}
FIND_GREP_SCRIPT = """\
find src -type f -print0 | xargs -0 grep -l needle | sort
echo "--"
find src -name '*.txt' | sort | tr '\\n' '\\0' | xargs -0 -n2 grep -H -c needle
echo "status $?"
"""
PYTHON_THREADS_SUBPROCESS = """\
import subprocess, threading
results = {}
def work(i):
    r = subprocess.run(["sh", "-c", f"echo child {i}; exit {i}"], capture_output=True)
    results[i] = (r.returncode, r.stdout)
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print([results[i] for i in range(4)])
"""
TAR_FLAGS = ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner"]


def _shim_only(env):
    """Skips the pyenv-shim case unless PATH's python3 is a #! script."""
    path = shutil.which("python3", path=env["PATH"])
    if not path:
        return "python3 not in PATH"
    with open(path, "rb") as f:
        if f.read(2) != b"#!":
            return f"{path} is not a #! script"
    return None


def _git_prepare(more=""):
    """A repo with f.txt staged (and `more` run inside it), made natively."""
    return ["sh", "-c", "git init -q -b main repo && cd repo && "
            "printf 'one\\ntwo\\n' > f.txt && git add f.txt" + more]


T, V, F, X = "threads", "vfork", "fork", "exec"

CASES = [
    # coreutils and friends, single process
    Case("ls-la-usr-bin", ["ls", "-la", "/usr/bin"]),
    Case("ls-missing", ["ls", "-l", "a.txt", "/no/such/file"], files={"a.txt": "x\n"}),
    Case("sort", ["sort", "-k2,2n", "-k1,1"], stdin=TEXT.encode()),
    # sort uses pthreads (clone3 CLONE_THREAD) once the input is large and
    # there are two CPUs or more.
    Case("sort-big", ["sort", "-n", "--parallel=4", "big.txt"],
         files={"big.txt": _lines(200000, 1)}, tags={T}),
    Case("sha256sum", ["sha256sum", "a.txt", "b.bin"], files={"a.txt": TEXT, "b.bin": BINARY}),
    Case("md5sum-check", ["md5sum", "-c", "sums"], files={
        "a.txt": TEXT, "sums": "0123456789abcdef0123456789abcdef  a.txt\n"}),
    Case("base64", ["base64", "b.bin"], files={"b.bin": BINARY}),
    Case("od", ["od", "-A", "x", "-t", "x1z", "-v", "b.bin"], files={"b.bin": BINARY}),
    Case("wc", ["wc", "a.txt", "b.bin", "big.txt"],
         files={"a.txt": TEXT, "b.bin": BINARY, "big.txt": _lines(5000, 2)}),
    Case("grep", ["grep", "-E", "-n", "^(foo|ba[rz]) [0-9]+ ", "a.txt"], files={"a.txt": TEXT}),
    Case("sed", ["sed", "-n", "-e", "s/a/4/gp", "-e", "3q", "a.txt"], files={"a.txt": TEXT}),
    Case("awk", ["awk", "-F:", "$3 >= 1000 { n++; print $1, $6 } END { print n, NR }",
                 "passwd"], files={"passwd": PASSWD}),
    Case("uniq", ["uniq", "-c", "-f1"], stdin=b"a x\nb x\nc y\nd y\nd y\ne z\n"),
    # diff prints the fixed mtimes in its header; exit status 1.
    Case("diff-u", ["diff", "-u", "old.txt", "new.txt"],
         files={"old.txt": TEXT, "new.txt": TEXT.replace("cherry", "CHERRY") + "end\n"}),
    Case("date", ["date", "-u", "-d", "@1700000000", "+%F %T %A %j %s"]),
    Case("factor", ["factor", "1234567890123", "600851475143", "4294967297"]),
    Case("env", ["env"]),
    Case("stat", ["stat", "-c", "%n %s %a %F %Y", "a.txt", "tree", "tree/sub/c.txt"],
         files={"a.txt": TEXT, **TREE}),
    Case("find", ["find", "tree", "-name", "*.txt", "-printf", "%p %s %d\n"], files=TREE),
    Case("dd-swab", ["dd", "if=b.bin", "of=c.bin", "bs=7", "conv=swab", "status=none"],
         files={"b.bin": BINARY}, outputs=["c.bin"]),
    Case("bzip2", ["bzip2", "-9", "-c", "a.txt"], files={"a.txt": TEXT * 50}),
    # xz -T4 with small blocks compresses them on 4 threads.
    Case("xz-threads", ["xz", "-T4", "--block-size=64KiB", "-c", "big.txt"],
         files={"big.txt": _lines(100000, 3)}, tags={T}),
    # iconv dlopen()s the ISO-8859-15 gconv module.
    Case("iconv", ["iconv", "-f", "UTF-8", "-t", "ISO-8859-15", "u.txt"],
         files={"u.txt": "caf\u00e9 \u20ac 5\n"}),
    # file(1) installs a seccomp filter before it reads its magic database.
    Case("file", ["file", "a.txt", "b.bin", "hello.c", "/usr/bin/ls"],
         files={"a.txt": TEXT, "b.bin": BINARY, "hello.c": HELLO_C}),
    Case("openssl-dgst", ["openssl", "dgst", "-sha512", "a.txt"], files={"a.txt": TEXT}),
    Case("jq", ["jq", "-S", "{n: (.items | length), doubled: [.items[] * 2], k: .k}"],
         stdin=b'{"k": "v", "items": [1, 2, 3.5]}'),
    Case("bc", ["bc", "-l"], stdin=b"scale=40\n4*a(1)\n2^200\nsqrt(2)\n"),
    Case("getent", ["getent", "passwd", "root"]),
    Case("uname", ["uname", "-s", "-m"]),
    Case("false", ["false"]),

    # interpreters
    Case("python3-stdlib", ["/usr/bin/python3", "-c", PYTHON_STDLIB],
         files={"a.txt": TEXT, "b.bin": BINARY}),
    # Python 3.11's subprocess uses vfork() then execve; the shell=True
    # pipeline makes dash fork.
    Case("python3-subprocess", ["/usr/bin/python3", "-c", PYTHON_SUBPROCESS], tags={F, V, X}),
    Case("python3-threads", ["/usr/bin/python3", "-c", PYTHON_THREADS], tags={T}),
    # Four threads each run subprocess.run (vfork + execve of sh) at once.
    Case("python3-threads-subprocess", ["/usr/bin/python3", "-c", PYTHON_THREADS_SUBPROCESS],
         tags={T, V, X}),
    # PATH's python3 here is pyenv's bash shim: it execs bash, pyenv's
    # scripts fork and exec helpers (readlink, basename), then the real
    # interpreter is exec'd.
    Case("pyenv-shim", ["python3", "-c", "import sys; print(sum(range(100)), sys.argv)", "x"],
         tags={F, X}, unless=_shim_only),
    Case("perl-e", ["perl", "-e", PERL_SCRIPT], files={"a.txt": TEXT}),
    Case("perl-fork", ["perl", "-e", PERL_FORK], tags={F}),
    # bash forks one child per pipeline element; the children exec.
    Case("bash-pipeline", ["bash", "-c",
                           "seq 1 1000 | grep 7 | sort -rn | tail -3; echo ${PIPESTATUS[@]}"],
         tags={F, X}),
    Case("bash-builtins", ["bash", "-c",
                           "a=(x y z); f() { echo \"$# args: $*\"; return 4; }; "
                           "f \"${a[@]}\"; echo \"rc=$? len=${#a[@]} $((7 * 6))\"; "
                           "read -r l <<< 'here string'; echo \"$l\"; printf '%05.1f\\n' 3.14159"]),
    # bash kills itself: the exit status is -15 both ways.
    Case("bash-kill-self", ["bash", "-c", "echo before; kill -TERM $$; echo after"]),
    # dash runs the script; the `| tr` pipeline forks twice and execs tr.
    Case("sh-script", ["./script.sh", "world", "-v", "two words"],
         files={"script.sh": SH_SCRIPT}, needs=["sh", "tr"], tags={F, X}),

    # toolchains and bigger programs
    # bash forks gcc and ./hello; gcc vforks and execs cc1, as, collect2.
    Case("gcc-hello", ["bash", "-c", "gcc -O2 -Wall -o hello hello.c && ./hello there"],
         files={"hello.c": HELLO_C}, needs=["gcc"], tags={F, V, X}),
    # gcc -S runs only cc1, through vfork + execve.
    Case("gcc-asm", ["gcc", "-O2", "-S", "-o", "-", "hello.c"], files={"hello.c": HELLO_C},
         tags={V, X}),
    # bash forks tar, gzip, sha256sum, mkdir and diff (no vfork).
    Case("tar-gzip", ["bash", "-c", TAR_SCRIPT], files=TREE, needs=["tar", "gzip"],
         tags={F, X}),
    # tar -z forks and execs `sh -c gzip`; dash vforks gzip.
    Case("tar-z", ["tar", *TAR_FLAGS, "-czvf", "t.tgz", "tree"], files=TREE, needs=["gzip"],
         outputs=["t.tgz"], tags={F, V, X}),
    # bash forks each git; git commit forks `git maintenance run --auto`.
    Case("git-init-commit", ["bash", "-c", GIT_SCRIPT], needs=["git"], tags={F, X}),
    # git commit forks and execs `git maintenance run --auto`.
    Case("git-commit", ["git", "-C", "repo", "commit", "-m", "add f.txt"],
         prepare=_git_prepare(), tags={F, X}),
    Case("git-log", ["git", "-C", "repo", "log", "--stat", "--format=%H %s%n%ad%n%b"],
         prepare=_git_prepare(" && git commit -q -m msg")),
    Case("sqlite3", ["sqlite3", "-header", "test.db"], stdin=SQL.encode()),
    # make 4.3 starts recipe shells with posix_spawn (clone3 CLONE_VFORK);
    # dash vforks simple commands and forks for $(...).
    Case("make", ["make", "-s"], files={"Makefile": MAKEFILE}, tags={F, V, X}),
    # make -j2 runs two compilers at a time, then links and runs the result.
    Case("make-j2", ["make", "-j2"], files=CALC_FILES, needs=["gcc"], tags={V, X}),
    # gcc -pipe vforks cc1 and as to run at once, joined by a pipe; dash
    # vforks simple commands (gcc, ./hello) rather than forking.
    Case("gcc-pipe", ["sh", "-c", "gcc -pipe -O2 -Wall -o hello hello.c && ./hello piped"],
         files={"hello.c": HELLO_C}, needs=["gcc"], tags={V, X}),
    # xargs -P2 forks two shells at a time; each forks for $(...) and the
    # pipe inside it.
    Case("xargs-P2", XARGS_ARGV, stdin="\n".join(XARGS_WORDS).encode() + b"\n",
         outputs=[f"out-{w}.txt" for w in XARGS_WORDS], tags={F, X}),
    # dash forks each pipeline element; xargs forks grep, twice with -n2.
    Case("find-xargs-grep", ["sh", "-c", FIND_GREP_SCRIPT], files=GREP_TREE,
         needs=["find", "xargs", "grep"], tags={F, X}),
    Case("busybox-awk", ["busybox", "awk", "{ s += $2 } END { printf \"%d %.2f\\n\", s, s / NR }",
                         "a.txt"], files={"a.txt": TEXT}),
    # busybox sh (busybox-static, no libc.so) forks for the pipeline and
    # runs its applets in the children without exec.
    Case("busybox-sh", ["busybox", "sh", "-c",
                        "for i in 1 2 3 4; do echo $((i * i)); done | sort -rn; "
                        "sha256sum a.txt; echo status $?"], files={"a.txt": TEXT}, tags={F}),

    # programs built by meson.build
    Case("musl-hello", [Built("musl-hello"), "arg"]),
    Case("musl-hello-static", [Built("musl-hello-static"), "arg"]),
    Case("threads", [Built("threads")], tags={T}),
    Case("forkexec", [Built("forkexec")], tags={F, X}),
    Case("spawn", [Built("spawn")], tags={V, X}),
]

BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "duplicate case names"

if __name__ == "__main__":
    for case in CASES:
        print(case.name)
    sys.exit(0)
