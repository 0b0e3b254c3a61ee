#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loader's footprint inside the program (issue 11, item 8): the
table of tests/footprint/footprint.py without its bounds: VmSize, VmRSS,
Pss at rest of sleep, an idle python3 and 100 idle threads, the
/proc/PID/maps lines of 1,000 idle threads, and the peak RSS after
mlockall, natively and per mode, with the difference. Memory figures,
not timings: the same on a quiet or a busy machine. (The least
`ulimit -v` a program needs is item 9's, in README.)

usage: footprint.py LOADER IDLE_THREADS LOCK_RSS
"""
import os
import runpy
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.argv = [sys.argv[0]] + sys.argv[1:4] + ["--table"]
runpy.run_path(os.path.join(here, "..", "tests", "footprint", "footprint.py"), run_name="__main__")
