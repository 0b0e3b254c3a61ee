# SPDX-License-Identifier: MIT
"""same-as-native.py LOADER PROGRAM [OPTION...]: PROGRAM's stdout and
status under the loader (with the options) equal its native run's."""
import subprocess
import sys

loader, prog, opts = sys.argv[1], sys.argv[2], sys.argv[3:]
native = subprocess.run([prog], capture_output=True, timeout=30)
under = subprocess.run([loader] + opts + [prog], capture_output=True, timeout=30)
if (under.stdout, under.returncode) != (native.stdout, native.returncode):
    print("native: status %d, stdout %r" % (native.returncode, native.stdout))
    print("loader %s: status %d, stdout %r %s" % (" ".join(opts), under.returncode, under.stdout,
                                                  under.stderr.decode()))
    sys.exit(1)
