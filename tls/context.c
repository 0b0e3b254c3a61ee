// SPDX-License-Identifier: MIT
/*
 * The loader context (see context.h). Entering costs a few syscalls and an
 * xsave, which is why only rare work (a newly mapped object, a trap from
 * unknown code) enters it; the syscall fast path never does.
 */
#include <libc.h>
#include <lock.h>
#include <own_ranges.h>
#include <signal_mask.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>
#include <thread_pointer.h>

#include "arch.h"
#include "context.h"
#include "tcb_room.h"

static struct libc_lock lock;

static int program_started;

void tls_context_program_started(void)
{
	program_started = 1;
}

void tls_context_enter(struct tls_context *c)
{
	c->masked = program_started;
	c->foreign = 0;
	if (c->masked)
		libc_block_signals(&c->mask);
	libc_lock(&lock);
}

void tls_context_foreign(struct tls_context *c)
{
	size_t size;

	arch_relocate_lazy(); /* Capstone's tables are relocated on first use */
	if (c->foreign || !program_started)
		return; /* before the program, %fs is ours and no vector state matters */
	c->foreign = 1;
	c->fs = libc_get_thread_pointer();
	libc_set_thread_pointer(&libc_main_tcb);
	size = arch_fpu_size();
	c->fpu_block = malloc(size + 64);
	c->fpu = c->fpu_block ? (void *)(((uintptr_t)c->fpu_block + 63) & ~(uintptr_t)63) : NULL;
	if (c->fpu) {
		memset(c->fpu, 0, size);
		arch_fpu_save(c->fpu);
	}
}

void tls_context_leave(struct tls_context *c)
{
	if (c->foreign) {
		if (c->fpu)
			arch_fpu_restore(c->fpu);
		free(c->fpu_block);
		libc_set_thread_pointer((void *)c->fs);
	}
	libc_unlock(&lock);
	if (c->masked)
		libc_set_signal_mask(c->mask);
}

/* The locks a fork copies besides the context's, in the order they nest. */
static void lock_copied(void)
{
	libc_malloc_fork_lock();
	tls_room_fork_lock();
	libc_own_fork_lock();
}

static void unlock_copied(void)
{
	libc_own_fork_unlock();
	tls_room_fork_unlock();
	libc_malloc_fork_unlock();
}

void tls_fork_prepare(struct tls_context *c)
{
	tls_context_enter(c);
	lock_copied();
}

void tls_fork_lock(uint64_t *mask)
{
	libc_block_signals(mask);
	libc_lock(&lock);
	lock_copied();
}

void tls_fork_unlock(void)
{
	unlock_copied();
	libc_unlock(&lock);
}

void tls_fork_done(struct tls_context *c)
{
	unlock_copied();
	tls_context_leave(c);
}
