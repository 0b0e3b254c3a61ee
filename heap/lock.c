// SPDX-License-Identifier: MIT
/*
 * The heap lock: a spin lock held for a few hundred nanoseconds of
 * bookkeeping (and, for brk, one mmap), with every signal blocked while
 * it is held, so that a handler interrupting the holder can never wait
 * for it. A fork takes it first, so that the child's copy of the books is
 * never one half updated; the child then releases its own copy.
 */
#include <lock.h>
#include <signal_mask.h>
#include <stddef.h>

#include "books.h"
#include "heap.h"

static struct libc_lock lock;
static uint64_t saved_mask; /* the holder's signal mask, restored by unlock */

void heap_lock(void)
{
	uint64_t old;

	libc_block_signals(&old);
	libc_lock(&lock);
	saved_mask = old;
}

void heap_unlock(void)
{
	uint64_t mask = saved_mask;

	libc_unlock(&lock);
	libc_set_signal_mask(mask);
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
