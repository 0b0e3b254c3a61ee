// SPDX-License-Identifier: MIT
/*
 * The program's brk area, owned by the LibOS once there is a budget.
 *
 * The loader is the process the kernel exec'd, so the kernel's own brk is
 * the loader's, and for a non-PIE program it lies nowhere near where the
 * kernel would have put the program's. With a budget the loader answers
 * brk itself, in a region it reserves (PROT_NONE, MAP_NORESERVE: it costs
 * no memory) where binfmt_elf would have started the program's brk
 * (loader/place.c ldr_brk_start). The region is as large as the budget
 * (brk can never commit more) up to ROOM_MAX, and smaller if the address
 * space there is taken. Growing maps fresh zeroed pages over the
 * reservation (glibc's calloc counts on sbrk memory being zero); shrinking
 * maps the reservation back over the pages, which frees them.
 *
 * As the kernel answers: the new break, or the old one when the break
 * cannot move (past the budget, past the region, below its start). A
 * mapping the program puts in the region's way stops growth there, as it
 * would natively (heap_brk_clip).
 */
#include <errno.h>
#include <sys.h>

#include "books.h"
#include "heap.h"

#define ROOM_MIN (1UL << 20)

static uint64_t start; /* the first break: brk below it is refused */
static uint64_t cur;   /* the break the program sees */
static uint64_t limit; /* the end of the room the break may still grow into */

/* Reserve room bytes at want (or anywhere, want 0), halving room down to
 * ROOM_MIN until it fits; the room's start, 0 if nothing fits. */
static uint64_t reserve(uint64_t want, uint64_t *room)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (want ? MAP_FIXED_NOREPLACE : 0);

	for (; *room >= ROOM_MIN; *room /= 2) {
		long r = sys_mmap((void *)want, *room, PROT_NONE, flags, -1, 0);
		if (!sys_is_err(r) && (!want || (uint64_t)r == want))
			return (uint64_t)r;
		if (!sys_is_err(r))
			sys_munmap((void *)r, *room); /* an old kernel took it as a hint */
	}
	return 0;
}

int heap_brk_init(uint64_t want, uint64_t room)
{
	uint64_t size = room, at = reserve(want, &size);

	if (!at) {
		/* Nowhere near the program: anywhere is better than no brk. */
		size = room;
		at = reserve(0, &size);
	}
	if (!at) {
		start = cur = limit = want; /* brk never moves */
		return -ENOMEM;
	}
	start = cur = at;
	limit = at + size;
	return 0;
}

void heap_brk_clip(uint64_t lo, uint64_t hi)
{
	uint64_t top = HEAP_PAGE_UP(cur);

	if (lo < top)
		lo = top;
	if (lo < limit && hi > lo)
		limit = lo;
}

static int grow(uint64_t from, uint64_t to)
{
	long r;

	if (to > limit || heap_budget_reserve(to - from) < 0)
		return -1;
	r = sys_mmap((void *)from, to - from, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (sys_is_err(r)) {
		heap_budget_settle(to - from, 0);
		return -1;
	}
	heap_budget_settle(to - from, heap_ranges_set(from, to, HEAP_COMMITTED));
	return 0;
}

static void shrink(uint64_t from, uint64_t to)
{
	sys_mmap((void *)to, from - to, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	heap_budget_settle(0, heap_ranges_set(to, from, HEAP_UNKNOWN));
}

uint64_t heap_brk(uint64_t want)
{
	uint64_t answer;

	heap_lock();
	if (want >= start && want <= limit) {
		uint64_t old_top = HEAP_PAGE_UP(cur), new_top = HEAP_PAGE_UP(want);
		if (new_top > old_top && grow(old_top, new_top) < 0)
			want = cur;
		else if (new_top < old_top)
			shrink(old_top, new_top);
		cur = want;
	}
	answer = cur;
	heap_unlock();
	return answer;
}
