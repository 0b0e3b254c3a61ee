#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Start-up cost of the loader: wall time of short commands, native and
under libos-loader, measured in the same run and interleaved (native,
loader, native, ...) so that machine noise hits both alike. Prints the
median of each and the ratio loader/native. Not a test: timings on shared
machines are noisy; read the ratios.

usage: startup.py LOADER [--runs N]
"""
import statistics
import subprocess
import sys
import time

COMMANDS = [
    ["/bin/true"],
    ["/usr/bin/python3", "-c", "pass"],
    ["/usr/bin/gcc", "--version"],
]


def once(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    loader = sys.argv[1]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 200
    print(f"{'command':<28} {'native ms':>10} {'loader ms':>10} {'ratio':>7}")
    for argv in COMMANDS:
        n = runs if argv[0] == "/bin/true" else max(runs // 5, 10)
        native, loaded = [], []
        for _ in range(3):  # warm the page cache for both
            once(argv)
            once([loader] + argv)
        for _ in range(n):
            native.append(once(argv))
            loaded.append(once([loader] + argv))
        a, b = statistics.median(native) * 1e3, statistics.median(loaded) * 1e3
        print(f"{' '.join(argv):<28} {a:>10.3f} {b:>10.3f} {b / a:>6.2f}x")


if __name__ == "__main__":
    main()
