#!/bin/sh
# SPDX-License-Identifier: MIT
# exec_self.c execs this script: what the shell sees of itself. (What
# another process sees in /proc/PID/exe is the loader: a known limit, see
# README.)
echo "  script $(basename "$0"): $# args: $*"
echo "  script comm: $(cat /proc/$$/comm)"
exit 3
