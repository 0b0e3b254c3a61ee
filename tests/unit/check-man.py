#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The man page names every option the loader's --help lists and every
variable of the README's settings table, and every settings-file name the
parser takes; and it renders without a warning where groff is installed.

usage: check-man.py LOADER MANPAGE README
"""
import re
import shutil
import subprocess
import sys


def main():
    loader, man, readme = sys.argv[1:4]
    page = open(man).read().replace("\\-", "-")
    helptext = subprocess.run([loader, "--help"], stdout=subprocess.PIPE).stdout.decode()
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", helptext))
    table = open(readme).read()
    table = table[table.index("| setting | takes |"):]
    table = table[:table.index("\n\n")]
    options |= set(re.findall(r"`(--[a-z][a-z0-9-]*)", table))
    variables = set(re.findall(r"^\| `([A-Z][A-Z_]+)`", table, re.M))
    missing = sorted(w for w in options | variables if w not in page)
    # The names a settings file takes are the long options': each of them
    # that the README's "Settings files" lists is in the page too.
    files = open(readme).read()
    files = files[files.index("**Settings files.**"):]
    files = files[:files.index("\n\n")]
    names = re.findall(r"`([a-z][a-z0-9-]+)`", files[:files.index("a flag takes")])
    missing += sorted("file setting " + n for n in names if n not in page)
    for w in missing:
        print("FAIL the man page does not name " + w)
    if not options or not variables or not names:
        print("FAIL nothing read from --help or the README")
        return 1
    if shutil.which("groff"):
        r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", man],
                           stderr=subprocess.PIPE)
        if r.returncode or r.stderr:
            print("FAIL groff: " + r.stderr.decode())
            return 1
    else:
        print("groff not installed: the page's rendering is not checked")
    print("%d options, %d variables, %d file settings checked" %
          (len(options), len(variables), len(names)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
