// SPDX-License-Identifier: MIT
/*
 * Setting the budget up, once, before the program's first instruction:
 * the map of its mappings and its brk area. Without a budget nothing is
 * set up, and nothing the program does is looked at.
 */
#include "books.h"
#include "heap.h"

/* The largest brk area reserved: address space, not memory. */
#define ROOM_MAX (1ULL << 40)

int heap_setup(uint64_t size, uint64_t brk_start)
{
	uint64_t room = size > ROOM_MAX ? ROOM_MAX : HEAP_PAGE_UP(size);
	int r;

	if (!size)
		return 0;
	r = heap_ranges_init();
	if (r < 0)
		return r;
	heap_budget_set(size);
	/* Without a brk area brk fails, as natively when it has no room:
	 * malloc then takes its memory from mmap. */
	heap_brk_init(brk_start, room);
	return 0;
}
