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
};

/* The builtin module called name, or NULL. */
const struct hook_module *hook_module_find(const char *name);

extern const struct hook_module hook_passthrough;

#endif
