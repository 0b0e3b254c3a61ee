// SPDX-License-Identifier: MIT
/*
 * The loader context (see context.h). Entering costs a few syscalls and an
 * xsave, which is why only rare work (a newly mapped object, a trap from
 * unknown code) enters it; the syscall fast path never does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include <libc.h>

#include "arch.h"
#include "context.h"

static volatile int lock_word;

uint64_t ldr_now_ns(void)
{
	struct timespec ts;

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int program_started;

void ldr_context_program_started(void)
{
	program_started = 1;
}

void ldr_context_enter(struct ldr_context *c)
{
	uint64_t all = ~0ULL;

	c->masked = program_started;
	c->foreign = 0;
	if (c->masked)
		arch_syscall4(__NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &all, &c->mask, 8);
	while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE))
		sys_sched_yield();
}

void ldr_context_foreign(struct ldr_context *c)
{
	size_t size;

	arch_relocate_lazy(); /* Capstone's tables are relocated on first use */
	if (c->foreign || !program_started)
		return; /* before the program, %fs is ours and no vector state matters */
	c->foreign = 1;
	c->fs = arch_get_thread_pointer();
	arch_set_thread_pointer(&libc_main_tcb);
	size = arch_fpu_size();
	c->fpu_block = malloc(size + 64);
	c->fpu = c->fpu_block ? (void *)(((uintptr_t)c->fpu_block + 63) & ~(uintptr_t)63) : NULL;
	if (c->fpu) {
		memset(c->fpu, 0, size);
		arch_fpu_save(c->fpu);
	}
}

void ldr_context_leave(struct ldr_context *c)
{
	if (c->foreign) {
		if (c->fpu)
			arch_fpu_restore(c->fpu);
		free(c->fpu_block);
		arch_set_thread_pointer((void *)c->fs);
	}
	__atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
	if (c->masked)
		arch_syscall4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &c->mask, 0, 8);
}
