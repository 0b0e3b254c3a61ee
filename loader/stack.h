/* SPDX-License-Identifier: MIT */
/* The program's initial stack: what the kernel would have built for it. */
#ifndef LOADER_STACK_H
#define LOADER_STACK_H

#include <stddef.h>
#include <stdint.h>

#include <libc.h>

struct ldr_stack_args {
	const struct libc_start_info *kernel; /* the stack the kernel built for us */
	int argc;
	char *const *argv;  /* the program's argv */
	const char *execfn; /* AT_EXECFN: the path execve would have been given */
	uint64_t phdr, phnum, entry, base;
};

struct ldr_stack_image {
	void *image; /* heap copy of [sp, sp + size) */
	size_t size;
	uintptr_t sp; /* where the program's %rsp will point */
	/* Where argv's strings, and envp's, lie in it (final addresses)
	 * when all of them were copied there, for /proc/PID/cmdline and
	 * environ; 0 when they are the kernel's. */
	uintptr_t arg_start, arg_end, env_start, env_end;
};

/* Lay out argc, argv, envp and auxv for the program just below the
 * kernel's own argc. When argv is the tail of the loader's own, the
 * strings the kernel put on the stack are reused in place (so argv stays
 * contiguous with the environment, as setproctitle-style code expects);
 * otherwise (a #! chain, --argv0, a followed exec that passed them in a
 * memfd) argv's and envp's strings are all copied onto the stack, in
 * that order, contiguous as the kernel lays them out.
 * auxv is the kernel's, with the entries that describe the program
 * replaced. Returns 0 or -ENOMEM. */
int ldr_stack_build(const struct ldr_stack_args *a, struct ldr_stack_image *out);

#endif
