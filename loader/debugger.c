// SPDX-License-Identifier: MIT
/*
 * Where a debugger learns that the program is there. gdb started on the
 * loader (`gdb --args libos-loader PROG`) knows only the loader's image:
 * no PT_INTERP, the loader's entry, no link map, so no shared library and
 * no breakpoint in the program. The shipped script (gdb/libos-loader.py)
 * breaks on libos_debug_program_mapped, a function with a stable name that
 * the loader calls once the program and ld.so are mapped and /proc/PID/auxv
 * is the program's (identity.c), right before the hand-off. There it makes
 * the program gdb's executable and lets gdb's own shared-library machinery
 * start from the auxv, as after a native exec. The two symbols below are
 * the whole contract with the script; a debugger that attaches later reads
 * libos_debug_program to find the program's file where /proc/PID/exe still
 * names the loader (no CAP_CHECKPOINT_RESTORE).
 */
#include "debugger.h"

/* Global and used, so that the names stay in the symbol table. */
__attribute__((used)) const char *libos_debug_program;

/* How the script tells a loader's file from others (/proc/PID/maps, the
 * executable), even once it is stripped (a package's install). */
__attribute__((used)) static const char loader_mark[] = "libos_debug_program_mapped";

extern const char __ehdr_start[] __attribute__((visibility("hidden")));

/* Empty: only the debugger's breakpoint does something here. noinline and
 * the asm keep the call and the function itself. */
__attribute__((noinline, used)) void libos_debug_program_mapped(const char *program,
								const void *loader_base)
{
	/* loader_mark is used here, so that the linker keeps it too. */
	__asm__ volatile("" : : "r"(program), "r"(loader_base), "r"(loader_mark) : "memory");
}

void ldr_debugger_program_mapped(const char *program_path)
{
	libos_debug_program = program_path;
	libos_debug_program_mapped(program_path, __ehdr_start);
}
