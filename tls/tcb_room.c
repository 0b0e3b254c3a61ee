// SPDX-License-Identifier: MIT
/*
 * The room for TCBs and LibOS stacks: PROT_NONE reservations of the
 * loader's own, the first made at start-up, before the program runs, and
 * more (each twice the last) as threads need them. Each thread's memory
 * is a piece (a slot) carved from them, lowest slot first.
 *
 * Why not a fresh mmap per thread: the kernel places one right below the
 * stack_guard_gap of the lowest mapping, and a program's MAP_GROWSDOWN
 * stack is often that mapping. The kernel never lets a stack grow to
 * within the gap of an accessible mapping below it, so a TCB placed there
 * stops the stack from growing at all, where natively the same program
 * has all the room it left free. Reservations are made before such a
 * stack exists, or (a later one) below its gap, where their unused top
 * stays PROT_NONE: an inaccessible mapping does not stop a stack.
 *
 * Every slot of a reservation is the loader's (own_ranges.h), used or
 * not, except one whose thread unmapped it on its way out
 * (arch_exit_thread: nothing of the loader's may run on it by then): that
 * place may be the program's next mapping, and is taken back only if it is
 * still free (MAP_FIXED_NOREPLACE, which also fails while the thread has
 * not unmapped it yet).
 */
#include <errno.h>
#include <lock.h>
#include <own_ranges.h>
#include <signal_mask.h>
#include <sys.h>

#include "tcb_room.h"

#define FIRST_SLOTS 8
#define MAX_SLOTS   512 /* per reservation */
#define MAX_ROOMS   64

enum slot { FREE, USED, LEFT };

static struct room {
	uintptr_t lo;
	unsigned count;
	unsigned free_hint; /* no FREE slot below it */
	uint8_t slot[MAX_SLOTS];
} rooms[MAX_ROOMS];
static unsigned room_count;
static size_t slot_size;
static struct libc_lock lock;

static long map_slot(uintptr_t at, int flags)
{
	return sys_mmap((void *)at, slot_size, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK | flags, -1, 0);
}

/* A FREE slot of the rooms, made USED. */
static uintptr_t take_free(void)
{
	for (unsigned k = 0; k < room_count; k++) {
		struct room *m = &rooms[k];
		for (unsigned i = m->free_hint; i < m->count; i++) {
			if (m->slot[i] != FREE)
				continue;
			uintptr_t at = m->lo + i * slot_size;
			m->free_hint = i + 1;
			if (sys_is_err(map_slot(at, MAP_FIXED)))
				return 0;
			m->slot[i] = USED;
			return at;
		}
		m->free_hint = m->count;
	}
	return 0;
}

/* A LEFT slot whose place nobody took since, made USED. */
static uintptr_t take_left(void)
{
	for (unsigned k = 0; k < room_count; k++) {
		for (unsigned i = 0; i < rooms[k].count; i++) {
			uintptr_t at = rooms[k].lo + i * slot_size;
			if (rooms[k].slot[i] != LEFT ||
			    sys_is_err(map_slot(at, MAP_FIXED_NOREPLACE)))
				continue;
			rooms[k].slot[i] = USED;
			libc_own_add(at, at + slot_size, LIBC_OWN_LOADER);
			return at;
		}
	}
	return 0;
}

/* One more reservation, twice the last, below the lowest (the kernel
 * takes the hint only if that place is free and out of any stack's gap). */
static int grow(void)
{
	unsigned n = room_count ? rooms[room_count - 1].count * 2 : FIRST_SLOTS;
	uintptr_t hint = 0;
	long r;

	if (room_count == MAX_ROOMS)
		return -ENOMEM;
	n = n > MAX_SLOTS ? MAX_SLOTS : n;
	for (unsigned k = 0; k < room_count; k++)
		if (!hint || rooms[k].lo < hint)
			hint = rooms[k].lo;
	hint = hint > n * slot_size ? hint - n * slot_size : 0;
	r = sys_mmap((void *)hint, n * slot_size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sys_is_err(r))
		return (int)r;
	rooms[room_count] = (struct room){.lo = (uintptr_t)r, .count = n};
	room_count++;
	libc_own_add((uintptr_t)r, (uintptr_t)r + n * slot_size, LIBC_OWN_LOADER);
	return 0;
}

static struct room *room_of(uintptr_t p, unsigned *i)
{
	for (unsigned k = 0; k < room_count; k++) {
		if (p >= rooms[k].lo && p < rooms[k].lo + rooms[k].count * slot_size) {
			*i = (unsigned)((p - rooms[k].lo) / slot_size);
			return &rooms[k];
		}
	}
	return NULL;
}

uintptr_t tls_room_take(size_t size)
{
	uint64_t mask;
	uintptr_t at;

	/* A clone's handler may run in a signal handler of the program's
	 * that interrupted another clone: nothing may interrupt the lock. */
	libc_block_signals(&mask);
	libc_lock(&lock);
	slot_size = size;
	at = take_free();
	if (!at)
		at = take_left();
	if (!at && grow() == 0)
		at = take_free();
	libc_unlock(&lock);
	libc_set_signal_mask(mask);
	return at;
}

void tls_room_put_back(uintptr_t p)
{
	uint64_t mask;
	unsigned i;
	struct room *m;

	libc_block_signals(&mask);
	libc_lock(&lock);
	m = room_of(p, &i);
	/* PROT_NONE again: its pages go back to the kernel, the place stays. */
	if (m &&
	    !sys_is_err(sys_mmap((void *)p, slot_size, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0))) {
		m->slot[i] = FREE;
		if (i < m->free_hint)
			m->free_hint = i;
	}
	libc_unlock(&lock);
	libc_set_signal_mask(mask);
}

void tls_room_leaving(uintptr_t p)
{
	uint64_t mask;
	unsigned i;
	struct room *m;

	libc_block_signals(&mask);
	libc_lock(&lock);
	m = room_of(p, &i);
	if (m) {
		m->slot[i] = LEFT;
		libc_own_remove(p, p + slot_size);
	}
	libc_unlock(&lock);
	libc_set_signal_mask(mask);
}

void tls_room_fork_lock(void)
{
	libc_lock(&lock);
}

void tls_room_fork_unlock(void)
{
	libc_unlock(&lock);
}
