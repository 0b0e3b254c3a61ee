# SPDX-License-Identifier: MIT
"""perf-symbols.py LOADER PROGRAM: `perf record -e cpu-clock` of PROGRAM
natively, then under the loader with a warm patch cache and with none;
`perf report` must name the same functions for the samples of PROGRAM's
process (the libc functions it spends its time in), not addresses in a
file it cannot read. Skips (77) where perf is missing or may not record."""
import os
import shutil
import subprocess
import sys
import tempfile

loader, prog = map(os.path.abspath, sys.argv[1:3])
perf = shutil.which("perf")
if not perf:
    print("SKIP: no perf (Debian's linux-perf)")
    sys.exit(77)


def top_symbols(cmd, d, env):
    data = os.path.join(d, "perf.data")
    rec = subprocess.run([perf, "record", "-q", "-e", "cpu-clock", "-o", data] + cmd,
                         capture_output=True, env=env, timeout=120)
    if rec.returncode != 0:
        print("SKIP: perf record cannot run here:", rec.stderr.decode()[-300:])
        sys.exit(77)
    rep = subprocess.run([perf, "report", "-i", data, "--stdio", "--comm",
                          os.path.basename(prog)[:15], "--sort", "sym", "--percent-limit",
                          "10"], capture_output=True, env=env, timeout=120)
    syms = set()
    for line in rep.stdout.decode(errors="replace").splitlines():
        if line.startswith("#") or "%" not in line:
            continue
        syms.add(line.split("]", 1)[-1].strip())  # "  55.7%  [.] name"
    return syms


with tempfile.TemporaryDirectory() as d:
    cache = os.path.join(d, "cache")
    os.mkdir(cache, 0o700)
    env = dict(os.environ, LIBOS_CACHE_DIR=cache)
    native = top_symbols([prog], d, env)
    subprocess.run([loader, prog, "10"], env=env, capture_output=True, check=True)  # warms it
    warm = top_symbols([loader, prog], d, env)
    cold = top_symbols([loader, "--no-cache", prog], d, env)
ok = bool(native) and native == warm == cold and not any(s.startswith("0x") for s in native)
print("native:", sorted(native))
print("warm cache:", sorted(warm))
print("no cache:", sorted(cold))
sys.exit(0 if ok else 1)
