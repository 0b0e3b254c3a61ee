// SPDX-License-Identifier: MIT
/*
 * The heap lock: a spin lock held for a few hundred nanoseconds of
 * bookkeeping (and, for brk, one mmap), with every signal blocked while
 * it is held, so that a handler interrupting the holder can never wait
 * for it. A fork takes it first, so that the child's copy of the books is
 * never one half updated; the child then releases its own copy.
 */
#include <asm/unistd.h>
#include <stddef.h>

#include "syscall_arch.h"
#include "books.h"
#include "heap.h"

static volatile int held;
static uint64_t saved_mask; /* the holder's signal mask, restored by unlock */

static void set_mask(const uint64_t *set, uint64_t *old)
{
	arch_syscall4(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, (long)set, (long)old, 8);
}

void heap_lock(void)
{
	static const uint64_t all = ~0ULL;
	uint64_t old;

	set_mask(&all, &old);
	while (__atomic_exchange_n(&held, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&held, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
	saved_mask = old;
}

void heap_unlock(void)
{
	uint64_t mask = saved_mask;

	__atomic_store_n(&held, 0, __ATOMIC_RELEASE);
	set_mask(&mask, NULL);
}

void heap_fork_prepare(void)
{
	if (heap_budget_size())
		heap_lock();
}

void heap_fork_parent(void)
{
	if (heap_budget_size())
		heap_unlock();
}

void heap_fork_child(void)
{
	if (heap_budget_size())
		heap_unlock();
}
