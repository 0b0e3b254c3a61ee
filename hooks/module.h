/* SPDX-License-Identifier: MIT */
/*
 * LibOS modules as the dispatcher sees them. For now the loader carries
 * one builtin module, passthrough, which executes every syscall for real;
 * the versioned public API (include/libos/) comes with the LibOS contract.
 */
#ifndef HOOKS_MODULE_H
#define HOOKS_MODULE_H

#include "tcb.h"

struct hook_module {
	const char *name;
	/* Handle one syscall of the program: return its result or -errno.
	 * slot is the thread's module_data. */
	long (*syscall)(void **slot, long nr, long a1, long a2, long a3, long a4, long a5, long a6);
	/* A thread starts, on itself, before its first instruction, with
	 * *slot NULL: the main thread before the program's, every thread
	 * sharing the process's memory (threads, vfork children). A fork
	 * child is a copy of its parent: its one thread keeps the forking
	 * thread's slot and is not announced. Optional. */
	void (*thread_start)(void **slot);
	/* A thread ends, on itself: it called exit, or exit_group (the other
	 * threads exit_group ends run no more code and are not told).
	 * Optional. */
	void (*thread_exit)(void **slot);
};

/* The builtin module called name, or NULL. */
const struct hook_module *hook_module_find(const char *name);

extern const struct hook_module hook_passthrough;

#endif
