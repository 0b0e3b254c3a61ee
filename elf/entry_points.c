// SPDX-License-Identifier: MIT
/*
 * The entry points of an object (entry_points.h): symbols, then the byte
 * scan for direct branch targets over each code range, sorted once so
 * that each decoded region can ask for its own in a binary search.
 */
#include <errno.h>
#include <stdlib.h>

#include "arch.h"
#include "code_index.h"
#include "entry_points.h"

struct collect {
	struct elf_entry_points *e;
	const struct elf_code_range *ranges;
	size_t range_count;
};

static int add(void *ctx, uint64_t addr)
{
	struct collect *c = ctx;
	struct elf_entry_points *e = c->e;
	size_t i = 0;

	while (i < c->range_count && !(addr >= c->ranges[i].lo && addr < c->ranges[i].hi))
		i++;
	if (i == c->range_count)
		return 0; /* not code we decode */
	if (e->count == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 256;
		uint64_t *grown = realloc(e->v, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		e->v = grown;
		e->cap = cap;
	}
	e->v[e->count++] = addr;
	return 0;
}

static int ascending(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Ascending, each address once (a function has many callers). */
static void sort_unique(struct elf_entry_points *e)
{
	size_t kept = 0;

	if (e->count > 1)
		qsort(e->v, e->count, sizeof(e->v[0]), ascending);
	for (size_t k = 0; k < e->count; k++)
		if (kept == 0 || e->v[kept - 1] != e->v[k])
			e->v[kept++] = e->v[k];
	e->count = kept;
}

int elf_entry_points_load(struct elf_entry_points *e, const struct elf_view *v,
			  const struct elf_code_range *ranges, size_t count)
{
	struct collect c = {e, ranges, count};
	int r = 0;

	e->v = NULL;
	e->count = e->cap = 0;
	if (v->sh)
		r = elf_symbols_entries(v, add, &c);
	/* A branch from one range into another (.text to .plt) counts: the
	 * scan passes what lands in their span, add() what is in one. */
	uint64_t span_lo = UINT64_MAX, span_hi = 0;
	for (size_t i = 0; i < count; i++) {
		span_lo = ranges[i].lo < span_lo ? ranges[i].lo : span_lo;
		span_hi = ranges[i].hi > span_hi ? ranges[i].hi : span_hi;
	}
	for (size_t i = 0; r == 0 && i < count; i++) {
		const uint8_t *code = elf_view_at(v, ranges[i].lo, ranges[i].hi - ranges[i].lo);
		if (code)
			r = arch_scan_branches(code, ranges[i].lo, ranges[i].hi - ranges[i].lo,
					       span_lo, span_hi, add, &c);
	}
	if (r < 0) {
		elf_entry_points_free(e);
		return r;
	}
	sort_unique(e);
	return 0;
}

void elf_entry_points_free(struct elf_entry_points *e)
{
	free(e->v);
	e->v = NULL;
	e->count = e->cap = 0;
}

/* Index of the first entry point at or after addr. */
static size_t first_at_or_after(const struct elf_entry_points *e, uint64_t addr)
{
	size_t a = 0, b = e->count;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (e->v[mid] < addr)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

const uint64_t *elf_entry_points_in(const struct elf_entry_points *e, uint64_t lo, uint64_t hi,
				    size_t *count)
{
	size_t a = first_at_or_after(e, lo), b = first_at_or_after(e, hi);

	*count = b > a ? b - a : 0;
	return e->count ? e->v + a : NULL;
}
