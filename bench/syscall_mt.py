#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cost of one syscall when two threads make them at once, as a ratio to
native, in one run.

usage: syscall_mt.py LOADER SYSCALL_LOOP [THREADS]

getppid in a loop in THREADS threads (default 2) started together, and in
one thread for reference: nanoseconds per call per thread natively, under
the loader with every site rewritten (default) and with the net armed
(--strict), each with its ratio to the native figure. The fast path
touches only the calling thread's TCB (no lock, no atomic), so two threads
should each pay what one does: the last column, the THREADS-thread figure
over the one-thread figure of the same mode, stays near 1.00x unless
something is shared (or the machine has fewer free CPUs than THREADS).
The table is measured twice, interleaved, and each cell keeps its best
figure. Not a test: read the ratios.
"""
import os
import subprocess
import sys

ITERATIONS = 500000
MODES = ("native", "default", "strict")


def measure(loader, loop, mode, threads):
    argv = [loop, "getppid", str(ITERATIONS), str(threads)]
    argv = {"native": argv, "default": [loader, *argv], "strict": [loader, "--strict", *argv]}[mode]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def main():
    loader, loop = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    counts = (1, threads)
    best = {}
    for _ in range(2):
        for count in counts:
            for mode in MODES:
                ns = measure(loader, loop, mode, count)
                best[mode, count] = min(ns, best.get((mode, count), ns))
    print(f"getppid: ns per call per thread, and ratio to native "
          f"({threads} threads at once, {os.cpu_count()} CPUs)")
    print(f"  {'':<9} {'1 thread':>17} {f'{threads} threads':>20}  {f'{threads} vs 1':>7}")
    for mode in MODES:
        one, many = best[mode, 1], best[mode, threads]
        print(f"  {mode:<9} {one:>9.1f} ns {one / best['native', 1]:>5.2f}x "
              f"{many:>9.1f} ns {many / best['native', threads]:>5.2f}x  {many / one:>6.2f}x")

if __name__ == "__main__":
    main()
