# SPDX-License-Identifier: MIT
"""What the module suite's scripts share: check() counts failed
expectations and prints each with the caller's line; failures() says how
many there were."""
import inspect

_failures = 0


def check(cond, what):
    global _failures
    if not cond:
        _failures += 1
        caller = inspect.currentframe().f_back
        print(f"FAIL {caller.f_code.co_filename}:{caller.f_lineno}: {what}")
    return cond


def failures():
    return _failures
