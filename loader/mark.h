/* SPDX-License-Identifier: MIT */
/* --mark FILE and --unmark FILE (mark.c). */
#ifndef LOADER_MARK_H
#define LOADER_MARK_H

/* Write (set 1) or clear (set 0) the loader's mark in FILE's e_ident
 * padding, and nothing else. Returns the exit status: 0, or 126 with one
 * line when the file cannot take the mark (not an x86-64 ELF executable,
 * a shared object, padding used by something else) or cannot be written;
 * 127 when it does not exist. */
int ldr_mark(const char *path, int set);

#endif
