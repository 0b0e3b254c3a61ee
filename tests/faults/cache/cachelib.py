# SPDX-License-Identifier: MIT
"""What the patch-cache fault tests share: runs compared with native, the
cache's entries, and the plan's checksum (libc_hash64, as
libc/src/hash/hash64.c computes it)."""
import os
import struct
import subprocess

M = (1 << 64) - 1
PLAN_MAGIC = b"LIBOSPC5"  # patch/cache.c's MAGIC
K1, K2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    failures += not cond


def finish():
    print("all as expected" if not failures else f"{failures} checks failed")
    return 1 if failures else 0


def run(argv, env=None, timeout=60):
    """(status, stdout, stderr); status 'hang' when it did not end."""
    e = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", **(env or {})}
    try:
        p = subprocess.run(argv, env=e, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "hang", b"", b""
    return p.returncode, p.stdout, p.stderr


def same_as_native(loader, cache, argv, what, extra=()):
    native = run(argv)
    under = run([loader, *extra, "--", *argv], {"LIBOS_CACHE_DIR": cache})
    check(under[:2] == native[:2], f"{what}: same status and output as native "
          f"(status {under[0]}{', stderr ' + under[2].decode()[:200] if under[0] else ''})")
    return under


def entries(cache, suffix=""):
    return sorted(e for e in os.listdir(cache) if e.endswith(suffix))


def build_id(path):
    out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "Build ID:" in line:
            return line.split()[-1]
    return None


def entry_of(cache, path, suffix):
    """The entry of the object at path (by its build-id), or None."""
    bid = build_id(path)
    found = [e for e in entries(cache, suffix) if bid and f"-{bid}-" in e]
    return os.path.join(cache, found[0]) if found else None


def _rotl(v, n):
    return ((v << n) | (v >> (64 - n))) & M


def _lane(h, w):
    return (_rotl(h ^ ((w * K2) & M), 31) * K1) & M


def hash64(data, seed=0):
    n = len(data)
    h = [seed ^ K1, seed ^ K2, (seed + K1) & M, (seed - K2) & M]
    i = 0
    while n - i >= 32:
        w = struct.unpack_from("<4Q", data, i)
        h = [_lane(h[k], w[k]) for k in range(4)]
        i += 32
    r = (_rotl(h[0], 1) + _rotl(h[1], 7) + _rotl(h[2], 12) + _rotl(h[3], 18)) & M
    while n - i >= 8:
        r = _lane(r, struct.unpack_from("<Q", data, i)[0])
        i += 8
    if i < n:
        r = _lane(r, int.from_bytes(data[i:] + bytes(8 - (n - i)), "little"))
    r ^= n
    r ^= r >> 33
    r = (r * 0xFF51AFD7ED558CCD) & M
    r ^= r >> 33
    r = (r * 0xC4CEB9FE1A85EC53) & M
    return r ^ (r >> 33)


def sealed(plan):
    """Whether plan is a plan of the current format with its checksum right."""
    return len(plan) > 16 and plan[:8] == PLAN_MAGIC and \
        struct.unpack_from("<Q", plan, 8)[0] == hash64(bytes(plan[16:]))


def reseal(plan):
    """A plan with its checksum made right again (a damaged plan that only
    the field checks can refuse). Plans of the earlier format have none."""
    if plan[:7] == b"LIBOSPC":
        return plan[:8] + struct.pack("<Q", hash64(bytes(plan[16:]))) + plan[16:]
    return plan
