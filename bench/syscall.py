#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cost of one syscall under the loader, as a ratio to native, in one run.

usage: syscall.py LOADER SYSCALL_LOOP [EXAMPLE_MODULE]

For getppid and a 1-byte write to /dev/null: nanoseconds per call natively,
under the loader with every site rewritten and the net disarmed (default),
rewritten with the net armed (--strict: what arming Syscall User Dispatch
costs), with nothing rewritten and every call trapped (--sud-only), and
under `strace -f -o /dev/null`. With EXAMPLE_MODULE, one more row for
getppid: answered by the example LibOS module (examples/) without a kernel
call (`--libos=EXAMPLE_MODULE`), and how many times faster that is than
native. The whole table is measured twice,
interleaved, and each cell keeps its best figure, so that a disturbance
hits one figure rather than one column. Not a test: read the ratios.
"""
import subprocess
import sys

ITERATIONS = {"native": 2000000, "default": 2000000, "strict": 2000000, "sud-only": 50000,
              "strace": 20000, "libos": 2000000}


def measure(loader, loop, mode, call, module):
    n = str(ITERATIONS[mode])
    argv = {
        "native": [loop, call, n],
        "default": [loader, loop, call, n],
        "strict": [loader, "--strict", loop, call, n],
        "sud-only": [loader, "--sud-only", loop, call, n],
        "strace": ["strace", "-f", "-o", "/dev/null", loop, call, n],
        "libos": [loader, f"--libos={module}", loop, call, n],
    }[mode]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def main():
    loader, loop = sys.argv[1], sys.argv[2]
    module = sys.argv[3] if len(sys.argv) > 3 else None
    for call in ("getppid", "write"):
        # Only getppid is answered by the example module; a write it
        # passes through costs what `default` does.
        modes = [m for m in ITERATIONS if m != "libos" or (module and call == "getppid")]
        best = {}
        for _ in range(2):
            for mode in modes:
                ns = measure(loader, loop, mode, call, module)
                best[mode] = min(ns, best.get(mode, ns))
        print(f"{call}: ns per call, and ratio to native")
        for mode in modes:
            print(f"  {mode:<9} {best[mode]:>9.1f} ns  {best[mode] / best['native']:>7.2f}x")
        if "libos" in best:
            print(f"  answered in the LibOS (example module): "
                  f"{best['native'] / best['libos']:.1f} times faster than native")


if __name__ == "__main__":
    main()
