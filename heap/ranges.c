// SPDX-License-Identifier: MIT
/*
 * The map of the program's private mappings: which of its pages are
 * committed and which are only reserved. The kernel keeps this as a
 * VM_ACCOUNT flag on each vma; the loader cannot see vmas, so it keeps
 * its own sorted array of disjoint page ranges, merged whenever two
 * neighbours agree. munmap and mprotect need it to give back exactly
 * what was counted, no more.
 *
 * The array is one mapping of the loader's made at set-up, never the
 * allocator's: it is updated from signal context (a syscall the net
 * trapped). Its capacity is far above the kernel's own limit on mappings
 * (vm.max_map_count, 65530 by default), which bounds how many ranges the
 * program can make. Callers hold the heap lock.
 */
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "books.h"

struct range {
	uint64_t lo, hi; /* [lo, hi), page-aligned, never empty */
	uint64_t state;  /* enum heap_state, never HEAP_UNKNOWN */
};

#define CAPACITY (1UL << 18)

static struct range *ranges;
static size_t count;

int heap_ranges_init(void)
{
	long r = sys_mmap(NULL, CAPACITY * sizeof(struct range), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (sys_is_err(r))
		return (int)r;
	ranges = (struct range *)r;
	count = 0;
	return 0;
}

/* The index of the first range that ends after addr (count if none). */
static size_t first_after(uint64_t addr)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ranges[mid].hi > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Join neighbours that touch and agree, from index from to index to. */
static void merge(size_t from, size_t to)
{
	size_t i = from;

	while (i + 1 < count && i < to) {
		if (ranges[i].hi == ranges[i + 1].lo && ranges[i].state == ranges[i + 1].state) {
			ranges[i].hi = ranges[i + 1].hi;
			memmove(&ranges[i + 1], &ranges[i + 2],
				(count - i - 2) * sizeof(struct range));
			count--;
			to--;
		} else {
			i++;
		}
	}
}

static uint64_t overlap(const struct range *r, uint64_t lo, uint64_t hi)
{
	uint64_t a = r->lo > lo ? r->lo : lo, b = r->hi < hi ? r->hi : hi;

	return b > a ? b - a : 0;
}

int64_t heap_ranges_set(uint64_t lo, uint64_t hi, enum heap_state state)
{
	struct range with[3];
	size_t i = first_after(lo), j = i, k = 0;
	int64_t delta = 0;

	if (lo >= hi)
		return 0;
	for (; j < count && ranges[j].lo < hi; j++) {
		if (ranges[j].state == HEAP_COMMITTED)
			delta -= (int64_t)overlap(&ranges[j], lo, hi);
		if (ranges[j].lo < lo)
			with[k++] = (struct range){ranges[j].lo, lo, ranges[j].state};
	}
	if (state != HEAP_UNKNOWN)
		with[k++] = (struct range){lo, hi, state};
	if (j > i && ranges[j - 1].hi > hi)
		with[k++] = (struct range){hi, ranges[j - 1].hi, ranges[j - 1].state};
	/* Cannot happen below vm.max_map_count; the books stay as they were. */
	if (count - (j - i) + k > CAPACITY)
		return 0;
	if (state == HEAP_COMMITTED)
		delta += (int64_t)(hi - lo);
	memmove(&ranges[i + k], &ranges[j], (count - j) * sizeof(struct range));
	memcpy(&ranges[i], with, k * sizeof(struct range));
	count = count - (j - i) + k;
	merge(i ? i - 1 : 0, i + k);
	return delta;
}

int64_t heap_ranges_protect(uint64_t lo, uint64_t hi, int writable)
{
	enum heap_state want = writable ? HEAP_COMMITTED : HEAP_RESERVED;
	uint64_t pos = lo;
	int64_t delta = 0;

	while (pos < hi) {
		size_t i = first_after(pos);
		if (i == count || ranges[i].lo >= hi)
			break;
		uint64_t a = ranges[i].lo > pos ? ranges[i].lo : pos;
		uint64_t b = ranges[i].hi < hi ? ranges[i].hi : hi;
		if (ranges[i].state != want)
			delta += heap_ranges_set(a, b, want);
		pos = b;
	}
	return delta;
}

uint64_t heap_ranges_count(uint64_t lo, uint64_t hi, enum heap_state state)
{
	uint64_t n = 0;

	for (size_t i = first_after(lo); i < count && ranges[i].lo < hi; i++)
		if (ranges[i].state == state)
			n += overlap(&ranges[i], lo, hi);
	return n;
}

enum heap_state heap_ranges_state_at(uint64_t addr)
{
	size_t i = first_after(addr);

	return i < count && ranges[i].lo <= addr ? (enum heap_state)ranges[i].state : HEAP_UNKNOWN;
}
