// SPDX-License-Identifier: MIT
/*
 * The entry points of an object (entry_points.h): symbols, then the byte
 * scan for direct branch targets over each code range, as bits over the
 * code's span.
 */
#include <errno.h>
#include <stdlib.h>

#include "arch.h"
#include "code_index.h"
#include "entry_points.h"

static int add(void *ctx, uint64_t addr)
{
	const struct elf_entry_points *e = ctx;

	/* Ranges may overlap: each that holds addr knows it. */
	for (size_t i = 0; i < e->count; i++) {
		if (addr >= e->ranges[i].lo && addr < e->ranges[i].hi) {
			uint64_t bit = addr - e->ranges[i].lo;
			e->bits[i][bit >> 3] |= (uint8_t)(1u << (bit & 7));
		}
	}
	return 0;
}

int elf_entry_points_load(struct elf_entry_points *e, const struct elf_view *v,
			  const struct elf_code_range *ranges, size_t count)
{
	uint64_t span_lo = UINT64_MAX, span_hi = 0;
	int r = 0;

	e->ranges = ranges;
	e->count = 0;
	e->bits = count ? calloc(count, sizeof(*e->bits)) : NULL;
	if (count && !e->bits)
		return -ENOMEM;
	/* Each range is in the file (elf_view_at): its bits are an eighth of
	 * its bytes. */
	for (; e->count < count; e->count++) {
		const struct elf_code_range *cr = &ranges[e->count];
		e->bits[e->count] = calloc((size_t)((cr->hi - cr->lo + 7) / 8), 1);
		if (!e->bits[e->count]) {
			elf_entry_points_free(e);
			return -ENOMEM;
		}
		span_lo = cr->lo < span_lo ? cr->lo : span_lo;
		span_hi = cr->hi > span_hi ? cr->hi : span_hi;
	}
	if (v->sh)
		r = elf_symbols_entries(v, add, e);
	/* A branch from one range into another (.text to .plt) counts: the
	 * scan passes what lands in their span, add() what is in a range. */
	for (size_t i = 0; r == 0 && i < count; i++) {
		const uint8_t *code = elf_view_at(v, ranges[i].lo, ranges[i].hi - ranges[i].lo);
		if (code)
			r = arch_scan_branches(code, ranges[i].lo, ranges[i].hi - ranges[i].lo,
					       span_lo, span_hi, add, e);
	}
	if (r < 0)
		elf_entry_points_free(e);
	return r;
}

void elf_entry_points_free(struct elf_entry_points *e)
{
	for (size_t i = 0; e->bits && i < e->count; i++)
		free(e->bits[i]);
	free(e->bits);
	e->bits = NULL;
	e->count = 0;
}

/* The first entry in [from, hi) of range i (from inside it), or hi. */
static uint64_t next_in(const struct elf_entry_points *e, size_t i, uint64_t from, uint64_t hi)
{
	const struct elf_code_range *cr = &e->ranges[i];
	uint64_t a = from, end = hi < cr->hi ? hi : cr->hi;

	while (a < end) {
		uint64_t bit = a - cr->lo;
		unsigned byte = e->bits[i][bit >> 3] >> (bit & 7);
		if (byte & 1)
			return a;
		a += byte ? 1 : 8 - (bit & 7); /* past this byte's clear bits at once */
	}
	return hi;
}

uint64_t elf_entry_points_next(const void *entries, uint64_t from, uint64_t hi)
{
	const struct elf_entry_points *e = entries;
	uint64_t a = from;

	while (a < hi) {
		size_t i = 0;
		while (i < e->count && !(a >= e->ranges[i].lo && a < e->ranges[i].hi))
			i++;
		if (i < e->count) {
			uint64_t found = next_in(e, i, a, hi);
			if (found < hi)
				return found;
			a = e->ranges[i].hi; /* on into the next range, if hi is past */
			continue;
		}
		/* a is in no range: on to the nearest one after it. */
		uint64_t next_lo = hi;
		for (i = 0; i < e->count; i++)
			if (e->ranges[i].lo > a && e->ranges[i].lo < next_lo)
				next_lo = e->ranges[i].lo;
		a = next_lo;
	}
	return hi;
}
