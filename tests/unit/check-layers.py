#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The loader's layers form a DAG, in its sources and in its objects.

usage: check-layers.py SOURCE_ROOT LAYER=SEEN,... ... -- LAYER=ARCHIVE ...

The LAYER=SEEN,... words are the top meson.build's table (each layer and
the layers its sources may see); the LAYER=ARCHIVE words name the static
libraries (or objects) built from each layer's folder. Checked:
  - the table itself has no cycle;
  - every #include "..." of a layer's sources resolves in its own folder,
    a folder it may see, or the public headers (the build enforces this
    too, with one include path per layer: this names the line);
  - every symbol a layer's objects use that another layer defines is
    defined by a layer it may see (nm): a call or a variable reached
    upward without an include (a local extern) is caught here;
  - the graph of the uses actually found between top-level folders has
    no cycle.
Symbols no layer defines (Capstone's, libgcc's, the linker's) are not
the layers' business. The one call up is libc_start's call of ldr_main,
the program's main (loader/main.c, linked into the executable itself, not
into a layer's library), as every libc calls main.
Each finding is printed as file:line (or object) and what it uses; the
exit status is 1 when there is any.
"""
import collections
import os
import re
import subprocess
import sys

FOLDERS = {"arch": "arch/x86_64"}  # a layer's folder when not its name


def folder_of(layer):
    return FOLDERS.get(layer, layer)


def find_cycle(graph):
    """A list of nodes forming a cycle in graph (node -> set), or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def check_includes(root, seen, problems, uses):
    include_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    headers = {}  # layer -> set of header names it owns
    for layer in seen:
        d = os.path.join(root, folder_of(layer))
        headers[layer] = {f for _, _, files in os.walk(d) for f in files if f.endswith(".h")}
        if layer == "arch":
            headers[layer].add("asm-offsets.h")  # generated into its build folder
    for layer in seen:
        d = os.path.join(root, folder_of(layer))
        visible = [layer] + seen[layer]
        for dirpath, _, files in os.walk(d):
            for f in sorted(files):
                if not f.endswith((".c", ".h", ".S")):
                    continue
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8", errors="replace") as src:
                    for lineno, line in enumerate(src, 1):
                        m = include_re.match(line)
                        if not m:
                            continue
                        name = os.path.basename(m.group(1))
                        if os.path.exists(os.path.join(dirpath, m.group(1))):
                            continue  # its own folder
                        owners = [l for l in seen if name in headers[l]]
                        if any(o in visible for o in owners):
                            continue
                        rel = os.path.relpath(path, root)
                        if owners:
                            problems.append(f"{rel}:{lineno}: includes {m.group(1)} of layer "
                                            f"{owners[0]}, which {layer} may not see")
                            uses[layer].add(owners[0])
                        # an unknown quoted header is the compiler's to refuse


def nm(path):
    out = subprocess.run(["nm", "-A", path], capture_output=True, text=True, check=True).stdout
    defined, undefined = [], []
    for line in out.splitlines():
        where, _, rest = line.rpartition(":") if line.count(":") else ("", "", line)
        parts = rest.split()
        if len(parts) == 3 and parts[1] in "TDBRVWCGS":
            defined.append((where, parts[2]))
        elif len(parts) == 2 and parts[0] == "U":
            undefined.append((where, parts[1]))
    return defined, undefined


def check_symbols(archives, seen, problems, uses):
    owner = {}
    undefined = []
    for layer, paths in archives.items():
        for p in paths:
            d, u = nm(p)
            for _, sym in d:
                owner.setdefault(sym, layer)
            undefined += [(layer, where, sym) for where, sym in u]
    for layer, where, sym in undefined:
        other = owner.get(sym)
        if other is None or other == layer:
            continue
        uses[layer].add(other)
        if other in seen[layer]:
            continue
        obj = os.path.basename(where.split("(")[-1].rstrip(")")) if where else layer
        problems.append(f"{obj}: uses {sym}, defined by layer {other}, which {layer} may not see")


def main():
    args = sys.argv[1:]
    root = args.pop(0)
    split = args.index("--")
    seen = {}
    for word in args[:split]:
        layer, _, deps = word.partition("=")
        seen[layer] = [d for d in deps.split(",") if d]
    archives = collections.defaultdict(list)
    for word in args[split + 1:]:
        layer, _, path = word.partition("=")
        archives[layer].append(path)

    problems = []
    cycle = find_cycle({l: set(d) for l, d in seen.items()})
    if cycle:
        problems.append("meson.build's layer table has a cycle: " + " -> ".join(cycle))
    uses = collections.defaultdict(set)
    check_includes(root, seen, problems, uses)
    check_symbols(archives, seen, problems, uses)
    cycle = find_cycle(uses)
    if cycle:
        problems.append("the folders use each other in a cycle: " +
                        " -> ".join(folder_of(l) + "/" for l in cycle))
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"layers: {len(seen)} layers, uses between them form a DAG:")
    for layer in seen:
        print(f"  {folder_of(layer) + '/':<14} uses {', '.join(sorted(uses[layer])) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
