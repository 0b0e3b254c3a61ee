# SPDX-License-Identifier: MIT
"""one-fde.py LOADER PROGRAM: one_fde (four entries under one FDE, two of
them where the only window their neighbouring syscall has would cover
them) gives its native output and status under the loader, default and
--strict, and --list-sites says why both sites are refused."""
import subprocess
import sys

loader, prog = sys.argv[1:3]
REASON = "refused: window would cross a function entry"
failed = []
native = subprocess.run([prog], capture_output=True, timeout=30)
for opts in ([], ["--strict"]):
    under = subprocess.run([loader] + opts + [prog], capture_output=True, timeout=30)
    if (under.stdout, under.returncode) != (native.stdout, native.returncode):
        failed.append("loader %s: status %d, stdout %r (native: status %d, stdout %r)%s" %
                      (" ".join(opts) or "default", under.returncode, under.stdout,
                       native.returncode, native.stdout, under.stderr.decode()))
listed = subprocess.run([loader, "--list-sites", prog], capture_output=True, timeout=30)
sites = [l for l in listed.stdout.decode().splitlines() if l.startswith("0x")]
if len(sites) != 2 or not all(s.endswith(REASON) for s in sites):
    failed.append("--list-sites: want two sites, each %r; got:\n%s%s" %
                  (REASON, listed.stdout.decode(), listed.stderr.decode()))
for f in failed:
    print("%s: %s" % (prog, f))
sys.exit(1 if failed else 0)
