/* SPDX-License-Identifier: MIT */
/*
 * The loader's one lock: a spin lock, for the allocator, the thread
 * registry, the heap's books and the loader context. The first three hold
 * it for well under a microsecond; the context holds it while Capstone
 * plans an object (milliseconds), so a waiter that has spun for a while
 * gives its CPU up instead of burning it: with threads on more threads
 * than CPUs, the holder may be the one it keeps from running. It works
 * in a signal handler as long as the thread that holds it cannot be the
 * one interrupted, which each user ensures (signals blocked, or never
 * taken there).
 */
#ifndef LIBC_LOCK_H
#define LIBC_LOCK_H

#include "sys.h"

/* Spins with `pause` before each sched_yield. */
#define LIBC_LOCK_SPINS 100

struct libc_lock {
	volatile int held;
};

static inline void libc_lock(struct libc_lock *l)
{
	int spins = 0;

	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->held, __ATOMIC_RELAXED)) {
			if (++spins < LIBC_LOCK_SPINS) {
				__builtin_ia32_pause();
			} else {
				spins = 0;
				sys_sched_yield();
			}
		}
	}
}

static inline void libc_unlock(struct libc_lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif
