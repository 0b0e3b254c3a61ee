# SPDX-License-Identifier: MIT
"""Reading the loader's --report JSON in tests."""
import re


def lookup(report, key):
    """The value at key: dotted fields, and objects[NAME] for the object
    whose path ends with NAME (objects[libc.so.6].sites.rewritten)."""
    value = report
    for part in re.findall(r"\w+\[[^\]]*\]|\w+", key):
        m = re.fullmatch(r"(\w+)\[(.+)\]", part)
        if m:
            value = next(o for o in value[m.group(1)] if o["path"].endswith(m.group(2)))
        else:
            value = value[part]
    return value
