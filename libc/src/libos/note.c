// SPDX-License-Identifier: MIT
/*
 * The LibOS note and weak hooks of the LibOS-ready build of this libc
 * (-DLIBOS_READY, tests/note/): every syscall instruction of the libc is
 * SYSCALL_INST (syscall_arch.h), so the list is complete. Not part of the
 * loader's own libc, whose syscalls must reach the kernel unrewritten.
 */
#include <libos/note.h>

/* Top-level assembly, which cppcheck does not parse. */
// cppcheck-suppress syntaxError
LIBOS_NOTE(LIBOS_NOTE_COMPLETE);
LIBOS_DEFINE_HOOKS();
