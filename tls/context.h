/* SPDX-License-Identifier: MIT */
/*
 * Running loader code that is not signal-safe or not vector-free (site
 * analysis with Capstone, the allocator) in the middle of the program:
 * between tls_context_enter and _leave, every signal is blocked, %fs is the
 * loader's own thread pointer (Capstone reads its canary at %fs:0x28, and
 * the program's %fs may be 0, or Go's), and the program's vector state is
 * saved. One thread at a time.
 */
#ifndef TLS_CONTEXT_H
#define TLS_CONTEXT_H

#include <stdint.h>

struct tls_context {
	uint64_t mask;   /* the thread's signal mask before */
	int masked;      /* signals were blocked */
	int foreign;     /* %fs and the vector state were switched */
	uintptr_t fs;    /* the program's %fs base */
	void *fpu;       /* its vector state (heap, 64-byte aligned) */
	void *fpu_block; /* what malloc returned for it */
};

/* Enter for loader work that allocates or locks: signals blocked (once
 * the program runs; before, nothing can interrupt). */
void tls_context_enter(struct tls_context *c);
/* Additionally, before running foreign code (Capstone): the loader's %fs
 * and the program's vector state saved. Idempotent; undone by leave. */
void tls_context_foreign(struct tls_context *c);
void tls_context_leave(struct tls_context *c);

/* Around a fork made by a thread that holds none of them: the loader
 * context, malloc, the TCB room and the list of the loader's ranges,
 * taken in that order (the order they nest in), so that no other thread
 * (a vfork child following an exec, a thread patching a library) holds
 * one when the kernel copies them: the child's copies are whole and
 * free. Done in the parent and in the child, in the reverse order. */
void tls_fork_prepare(struct tls_context *c);
void tls_fork_done(struct tls_context *c);
/* The same locks around a clone without CLONE_VM that starts on a stack
 * of its own (a process that does not return through the caller's
 * frames), every signal blocked (the mask before in *mask): the parent
 * and the child each let go with tls_fork_unlock, the child before
 * anything of the loader's runs in it. */
void tls_fork_lock(uint64_t *mask);
void tls_fork_unlock(void);

/* The program has started: signals may now interrupt loader work. */
void tls_context_program_started(void);

#endif
