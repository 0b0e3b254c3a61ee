/* SPDX-License-Identifier: MIT */
/*
 * The calling thread's signal mask, as the loader changes it around its
 * own work: everything blocked (thread exit, the heap's books, the loader
 * context), and a mask set back. One word: the kernel's sigset on x86-64.
 */
#ifndef LIBC_SIGNAL_MASK_H
#define LIBC_SIGNAL_MASK_H

#include <asm/signal.h>
#include <stdint.h>

#include "sys.h"

/* Block every signal; the mask before goes to *old unless old is NULL. */
static inline void libc_block_signals(uint64_t *old)
{
	static const uint64_t all = ~(uint64_t)0;

	sys_rt_sigprocmask(SIG_SETMASK, &all, old);
}

/* Make mask the thread's signal mask. */
static inline void libc_set_signal_mask(uint64_t mask)
{
	sys_rt_sigprocmask(SIG_SETMASK, &mask, NULL);
}

#endif
