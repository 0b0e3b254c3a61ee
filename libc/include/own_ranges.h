/* SPDX-License-Identifier: MIT */
/*
 * The loader's own address ranges, as one list: what the program must
 * never map, unmap, remap or protect over (hooks/memory.c consults it on
 * every such call). The layers that own memory register it here: the
 * allocator its regions, tls/ the room for TCBs and LibOS stacks, patch/
 * its stub arenas. Adjacent ranges of one kind are one entry, so that the
 * list stays short: a lookup is a binary search.
 */
#ifndef LIBC_OWN_RANGES_H
#define LIBC_OWN_RANGES_H

#include <stddef.h>
#include <stdint.h>

/* What a range is, which decides what the program may do over it. */
enum libc_own_kind {
	LIBC_OWN_LOADER = 1, /* the loader's state (heap, TCBs, stacks): never the program's */
	LIBC_OWN_STUBS,      /* stub arenas: they go with the code that jumps to them */
};

struct libc_own_range {
	uintptr_t lo, hi;
	int kind;
};

/* [lo, hi) is the loader's, of kind. 0, or -ENOMEM when the list cannot
 * grow (the range is then not guarded). */
int libc_own_add(uintptr_t lo, uintptr_t hi, int kind);

/* [lo, hi) is no longer the loader's (whatever kind it was). */
void libc_own_remove(uintptr_t lo, uintptr_t hi);

/* The ranges overlapping [lo, hi), lowest first: up to max of them into
 * out, clipped to [lo, hi). Returns how many overlap (may exceed max). */
size_t libc_own_find(uintptr_t lo, uintptr_t hi, struct libc_own_range *out, size_t max);

/* Around a fork (tls_fork_prepare): the list's lock held, so that the
 * child's copy is whole and free. */
void libc_own_fork_lock(void);
void libc_own_fork_unlock(void);

#endif
