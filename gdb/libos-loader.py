# SPDX-License-Identifier: MIT
"""gdb on a program run by libos-loader, as on the program run natively.

Load it before gdb reads a file (-ix, or `source` it from ~/.gdbinit):

    gdb -ix PREFIX/share/libos-loader/gdb/libos-loader.py --args libos-loader PROG ARGS...
    gdb -ix PREFIX/share/libos-loader/gdb/libos-loader.py -p PID

(-x works too; attached, the stop gdb prints at the attach is then not yet
unwound through the loader). Started on the loader, gdb knows only the
loader's image: no PT_INTERP, the loader's entry, no link map. The loader
calls libos_debug_program_mapped(PROGRAM, LOADER_BASE) once the program and
ld.so are mapped and /proc/PID/auxv is the program's (loader/debugger.c);
this script's breakpoint there makes the program gdb's executable and asks
gdb's shared-library code to start again from the auxv, exactly as after a
native exec: the program's symbols, ld.so, the link map through the
program's DT_DEBUG, the breakpoint on ld.so's library events, and so
libthread_db, breakpoints set before `run` and pending ones in dlopen'ed
libraries. The loader's own code is described by libos-loader.sym, a copy
of the loader that keeps only its unwind tables and its prefixed names
(ldr_, hook_, arch_...): gdb unwinds from inside the loader (a thread
stopped in a syscall, `catch syscall`) into the program's frames, and a
breakpoint on malloc or write never lands in the loader's own libc. The
net's SIGSYS is passed on silently (README: a tracer sees it).
"""
import os
import re

import gdb

HERE = os.path.dirname(os.path.abspath(__file__))
SYMBOLS = os.path.join(HERE, "libos-loader.sym")
MARK = "libos_debug_program_mapped"

# The loader's file while the program runs, to `run` it again afterwards.
loader_file = None
pending_back = False
# follow() at work: the files it reads are not new to this script.
following = False


def quietly(command):
    """Run a gdb command with no question asked and no output."""
    confirm = gdb.parameter("confirm")
    gdb.execute("set confirm off", to_string=True)
    try:
        return gdb.execute(command, to_string=True)
    finally:
        gdb.execute("set confirm " + ("on" if confirm else "off"), to_string=True)


def is_loader(path):
    """Whether the ELF file at path is a libos-loader (it names MARK)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    return data[:4] == b"\x7fELF" and (MARK.encode() + b"\0") in data


def loader_symbols(base):
    """The loader's unwind tables and prefixed names at its load address."""
    quietly("add-symbol-file %s -o %#x" % (SYMBOLS, base))


def restart_solibs():
    """gdb's solib-search-path setter reruns the shared-library start-up
    (solib_create_inferior_hook): the executable relocated from the auxv's
    AT_ENTRY, ld.so found through AT_BASE, its event breakpoint set."""
    path = gdb.parameter("solib-search-path") or ""
    quietly("set solib-search-path " + path)


def follow(program, base):
    """Make PROGRAM, run by the loader mapped at base, gdb's executable."""
    global loader_file
    current = gdb.current_progspace().filename
    if current and current != program and is_loader(current):
        loader_file = current
    global following
    following = True
    try:
        quietly("file " + program)
        loader_symbols(base)
        restart_solibs()
    finally:
        following = False


class ProgramMapped(gdb.Breakpoint):
    """The loader's hand-off: see the module's docstring."""

    def __init__(self):
        super().__init__(MARK, internal=True)
        self.silent = True

    def stop(self):
        try:
            program = gdb.parse_and_eval("(char *)$rdi").string()
            base = int(gdb.parse_and_eval("(unsigned long)$rsi"))
        except gdb.error:
            return False
        if program:
            follow(program, base)
        return False


def back_to_loader():
    global loader_file
    if loader_file:
        quietly("file " + loader_file)
        quietly("symbol-file " + SYMBOLS)
        loader_file = None


def on_exit(event):
    """The next `run` must start the loader again, not the program: at the
    next prompt (gdb still reads files through the process now)."""
    global pending_back
    pending_back = bool(loader_file)


def before_prompt():
    global pending_back
    if pending_back:
        pending_back = False
        back_to_loader()


def loader_mapping(pid):
    """The load address of a loader mapped in process pid, or None: its
    read-only data is mapped from its file (loader/exe_link.c)."""
    try:
        with open("/proc/%d/maps" % pid) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    seen = set()
    for line in lines:
        fields = line.split(None, 5)
        if len(fields) < 6 or not fields[5].startswith("/"):
            continue
        path = fields[5]
        if path in seen:
            continue
        seen.add(path)
        if int(fields[2], 16) == 0 and is_loader(path):
            return int(fields[0].split("-")[0], 16)
    return None


attached_pids = set()


def symbol_offset(path, name):
    """The value of symbol name in the ELF file at path (its .symtab)."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for at in range(sh[4], sh[4] + sh[5], 24):
            st_name, _, _, _, st_value, _ = struct.unpack_from("<IBBHQQ", data, at)
            start = strtab[4] + st_name
            if data[start:data.index(b"\0", start)] == name.encode():
                return st_value
    return None


def program_in(pid, base):
    """The program's path, read from the loader mapped at base in pid once
    it handed off, or None."""
    at = symbol_offset(SYMBOLS, "libos_debug_program")
    try:
        with open("/proc/%d/mem" % pid, "rb") as mem:
            mem.seek(base + at)
            pointer = int.from_bytes(mem.read(8), "little")
            if not pointer:
                return None
            mem.seek(pointer)
            return mem.read(4096).split(b"\0")[0].decode()
    except (OSError, TypeError, ValueError):
        return None


def handed_off_program():
    """The program's path, once the loader (gdb's executable) handed off."""
    try:
        value = gdb.parse_and_eval("*(char **)&libos_debug_program")
        return value.string() if int(value) else None
    except gdb.error:
        return None


def attached(pid):
    """A program under the loader that gdb attached to: once per process."""
    if pid in attached_pids:
        return
    attached_pids.add(pid)
    exe = gdb.current_progspace().filename
    if exe and is_loader(exe):
        # /proc/PID/exe is still the loader (no CAP_CHECKPOINT_RESTORE):
        # the loader says where the program is.
        global loader_file
        base = loader_mapping(pid)
        program = program_in(pid, base) if base is not None else None
        if program:
            loader_file = exe
            follow(program, base)
        return
    base = loader_mapping(pid)
    if base is not None:
        loader_symbols(base)


class Attach(gdb.Command):
    """libos-loader-attach: after `attach PID` to a program under the
    loader, load the loader's frames (done by itself when this script is
    loaded while attached)."""

    def __init__(self):
        super().__init__("libos-loader-attach", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        pid = gdb.selected_inferior().pid
        if pid:
            attached(pid)


hand_off = None


def watch_hand_off():
    """The breakpoint on the hand-off, made once, before gdb reads any file
    (made while gdb reads one, it is never hit), without gdb's line about
    a pending breakpoint."""
    global hand_off
    if hand_off is None:
        gdb.execute("python import gdb; gdb.libos_loader_hand_off = ProgramMapped()",
                    to_string=True)
        hand_off = True


def on_new_objfile(event):
    """Loaded before gdb reads a file (gdb -ix SCRIPT, or ~/.gdbinit):
    attached, the loader's frames as soon as gdb reads the program's file,
    so that even the first stop it prints unwinds through the loader;
    before `run`, the loader's symbols replaced as in setup()."""
    pid = gdb.selected_inferior().pid
    main = gdb.current_progspace().filename
    if following or not main or event.new_objfile.filename != main:
        return
    if os.path.realpath(main) == os.path.realpath(SYMBOLS):
        return
    base = loader_mapping(pid) if pid else None
    if is_loader(main) and not (base is not None and program_in(pid, base)):
        # Before the hand-off: `run`, or an exec gdb followed into the
        # loader (a gdb that itself runs under the loader starts its
        # program through it).
        quietly("symbol-file " + SYMBOLS)
    elif pid:
        attached(pid)


def setup():
    quietly("handle SIGSYS nostop noprint pass")
    gdb.execute("set breakpoint pending on", to_string=True)
    Attach()
    gdb.events.exited.connect(on_exit)
    gdb.events.before_prompt.connect(before_prompt)
    gdb.events.new_objfile.connect(on_new_objfile)
    pid = gdb.selected_inferior().pid
    exe = gdb.current_progspace().filename
    if pid:
        attached(pid)
    elif exe and is_loader(exe):
        # Before `run`: the loader's own names (main, malloc, write) must
        # not take the user's breakpoints, which wait for the program.
        quietly("symbol-file " + SYMBOLS)
    watch_hand_off()


setup()
