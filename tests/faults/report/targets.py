#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# --report=FILE written as a careful tool does, each case checked against
# the file system before and after and against the program's native status:
# a device or FIFO is written in place and stays what it was, a symlink is
# followed and kept, an fd link (/dev/fd/N) reaches the open file, a
# regular file keeps its mode and owner, a new one gets 0666 & ~umask, a
# name planted at a temporary name is never followed or opened, a failure
# is one line on stderr and leaves nothing behind. Never touches /dev:
# devices and fd links are recreated in a private directory.
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading

loader = sys.argv[1]
failed = 0
LINE = sys._getframe


def check(ok, what):
    global failed
    where = LINE(1).f_lineno
    print(("ok   " if ok else f"FAIL {__file__}:{where}: ") + what)
    failed |= not ok


def run(report, prog='/bin/true', pre=None, timeout=20, stdout=subprocess.PIPE):
    cmd = [loader, '--report=' + report, prog]
    if pre:  # a shell that plants files knowing its pid, then execs the loader
        cmd = ['sh', '-c', pre + '; exec "$@"', 'sh'] + cmd
    try:
        p = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return p


def listing(d):
    out = {}
    for n in sorted(os.listdir(d)):
        st = os.lstat(os.path.join(d, n))
        out[n] = (stat.S_IFMT(st.st_mode), st.st_ino)
    return out


def is_json(text):
    try:
        return 'pid' in json.loads(text)
    except ValueError:
        return False


def error_line(p, name):
    lines = p.stderr.decode().splitlines()
    return len(lines) == 1 and name in lines[0] and 'report' in lines[0]


native_false = subprocess.run(['/bin/false']).returncode
os.umask(0o022)
tmp = tempfile.mkdtemp()

# A character device (a private /dev/full): stays a device, one error line,
# the program's own status.
if os.geteuid() == 0:
    full = os.path.join(tmp, 'full')
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    before = listing(tmp)
    p = run(full, '/bin/false')
    check(stat.S_ISCHR(os.lstat(full).st_mode), 'a device target stays a device')
    check(p.returncode == native_false, f'status {p.returncode} is native {native_false}')
    check(error_line(p, full), 'one error line naming the device: ' + p.stderr.decode().strip())
    check(listing(tmp) == before, 'nothing left beside the device')
    os.unlink(full)

# An fd link: /dev/fd/1 and a symlink to /proc/self/fd/1 (what /dev/stdout
# is) reach the caller's stdout, a pipe or a file, and replace nothing.
for name in ('/dev/fd/1', 'stdout'):
    target = name if name.startswith('/') else os.path.join(tmp, name)
    if target != name:
        os.symlink('/proc/self/fd/1', target)
    p = run(target)
    check(p.returncode == 0 and is_json(p.stdout), f'{name} to a pipe gets the JSON')
    with open(os.path.join(tmp, 'out'), 'w') as f:
        f.write('before\n')
        f.flush()
        ino = os.fstat(f.fileno()).st_ino
        p = run(target, stdout=f)
    data = open(os.path.join(tmp, 'out')).read()
    check(os.stat(os.path.join(tmp, 'out')).st_ino == ino and data.startswith('before\n') and
          is_json(data[7:]), f'{name} to a file: the same file, JSON appended')
    if target != name:
        check(os.path.islink(target), f'{name}: the link stays')
        os.unlink(target)
    os.unlink(os.path.join(tmp, 'out'))

# A FIFO with a reader gets the JSON; without one the program does not
# hang, says so, and the FIFO stays a FIFO.
fifo = os.path.join(tmp, 'fifo')
os.mkfifo(fifo)
got = []
reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
reader.start()
p = run(fifo)
reader.join(10)
check(p is not None and p.returncode == 0 and got and is_json(got[0]), 'a FIFO with a reader')
before = listing(tmp)
p = run(fifo, '/bin/false')
check(p is not None, 'a FIFO without a reader does not hang')
if p:
    check(p.returncode == native_false and error_line(p, fifo), 'no reader: one line, status')
check(stat.S_ISFIFO(os.lstat(fifo).st_mode) and listing(tmp) == before, 'the FIFO stays alone')
os.unlink(fifo)

# A symlink to a regular file: the link stays, the file gets the report and
# keeps its mode (and owner, where we may set it).
real = os.path.join(tmp, 'real.json')
link = os.path.join(tmp, 'link.json')
open(real, 'w').write('old\n')
os.chmod(real, 0o640)
if os.geteuid() == 0:
    os.chown(real, 65534, 65534)
os.symlink('real.json', link)
p = run(link)
st = os.lstat(real)
check(p.returncode == 0 and os.path.islink(link) and os.readlink(link) == 'real.json',
      'the symlink is kept')
check(is_json(open(real).read()), 'the file it names gets the report')
check(stat.S_IMODE(st.st_mode) == 0o640, f'mode kept: {oct(stat.S_IMODE(st.st_mode))}')
if os.geteuid() == 0:
    check((st.st_uid, st.st_gid) == (65534, 65534), 'owner kept')
check(sorted(os.listdir(tmp)) == ['link.json', 'real.json'], 'nothing else in the directory')
os.unlink(link)
os.unlink(real)

# A new file: 0666 & ~umask, as a shell's `>` creates it.
os.umask(0o002)
new = os.path.join(tmp, 'new.json')
p = run(new)
mode = stat.S_IMODE(os.lstat(new).st_mode)
check(p.returncode == 0 and is_json(open(new).read()) and mode == 0o664,
      f'a new file under umask 002 is {oct(mode)}')
os.unlink(new)
os.umask(0o022)

# The rename cannot happen (a directory): one line, status, nothing left.
d = os.path.join(tmp, 'dir')
os.mkdir(d)
before = (listing(tmp), listing(d))
p = run(d, '/bin/false')
check(p.returncode == native_false and error_line(p, d), 'a directory target: one line, status')
check((listing(tmp), listing(d)) == before, 'nothing left behind')
os.rmdir(d)

# Another user's names planted at the old predictable NAME.PID.tmp: a
# symlink to a victim file and a FIFO are neither followed nor opened,
# and are left as they were.
victim = os.path.join(tmp, 'victim')
open(victim, 'w').write('precious\n')
rep = os.path.join(tmp, 'r.json')
p = run(rep, pre=f'ln -s {victim} {rep}.$$.tmp')
planted = [n for n in os.listdir(tmp) if n.startswith('r.json.') and n.endswith('.tmp')]
check(open(victim).read() == 'precious\n', 'a planted symlink is not followed')
check(p.returncode == 0 and not os.path.islink(rep) and is_json(open(rep).read()),
      'the report is a regular file of its own')
check(len(planted) == 1 and os.path.islink(os.path.join(tmp, planted[0])),
      'the planted symlink is left alone')
for n in planted:
    os.unlink(os.path.join(tmp, n))
os.unlink(rep)
p = run(rep, pre=f'mkfifo {rep}.$$.tmp')
check(p is not None, 'a planted FIFO does not hang the program')
check(p is not None and p.returncode == 0 and is_json(open(rep).read()),
      'the report is written beside the planted FIFO')
planted = [n for n in os.listdir(tmp) if n.startswith('r.json.')]
check(len(planted) == 1 and stat.S_ISFIFO(os.lstat(os.path.join(tmp, planted[0])).st_mode),
      'the planted FIFO is left alone')

subprocess.run(['rm', '-rf', tmp])
sys.exit(1 if failed else 0)
