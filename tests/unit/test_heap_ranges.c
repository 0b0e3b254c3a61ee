// SPDX-License-Identifier: MIT
/*
 * The committed-ranges map (heap/ranges.c) against a naive model: one
 * state per page over a window of WINDOW_PAGES pages. Thousands of random
 * set/protect operations, seeded and printed so that a failure can be
 * replayed, each followed by the same operation on the model: the change
 * of committed bytes each returns must be the model's, and state_at and
 * count must agree with the model on every page, across every range
 * boundary and after every merge. The window is placed at address 0, in
 * the middle, and against the top of the address space (hi = 2^64 - one
 * page, the highest page-aligned end a uint64_t holds). Then the fixed
 * cases: the empty map, splitting one range into three, merging
 * neighbours, and the capacity: a full map refuses a new range and
 * changes nothing, and a merge gives a slot back.
 *
 * Built as the loader builds ranges.c (freestanding, on its own libc,
 * whose memmove the map's merges rely on) rather than with the system's
 * compiler: ranges.c's <sys.h> and <string.h> are the loader's, and its
 * memory comes from a raw mmap.
 *
 * usage: test_heap_ranges [SEED|clock]...  (each seed is one run)
 */
#include <libc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "books.h"
#include "check_freestanding.h"

#define WINDOW_PAGES 2048
#define OPS          3000
#define TOP          (~(uint64_t)0 - HEAP_PAGE + 1) /* the highest page-aligned hi */

static const char *state_name(int s)
{
	return s == HEAP_UNKNOWN ? "unknown" : s == HEAP_RESERVED ? "reserved" : "committed";
}

/* ---- the model: one state per page of [base, base + WINDOW_PAGES pages) */

static uint8_t model[WINDOW_PAGES];
static uint64_t base;

static uint64_t addr_of(size_t page)
{
	return base + page * HEAP_PAGE;
}

static int64_t model_set(size_t lo, size_t hi, enum heap_state s)
{
	int64_t delta = 0;

	for (size_t p = lo; p < hi; p++) {
		delta += (s == HEAP_COMMITTED) - (model[p] == HEAP_COMMITTED);
		model[p] = (uint8_t)s;
	}
	return delta * (int64_t)HEAP_PAGE;
}

static int64_t model_protect(size_t lo, size_t hi, int writable)
{
	int64_t delta = 0;

	for (size_t p = lo; p < hi; p++)
		if (model[p] != HEAP_UNKNOWN)
			delta += model_set(p, p + 1, writable ? HEAP_COMMITTED : HEAP_RESERVED);
	return delta;
}

static uint64_t model_count(size_t lo, size_t hi, enum heap_state s)
{
	uint64_t n = 0;

	for (size_t p = lo; p < hi; p++)
		n += model[p] == s;
	return n * HEAP_PAGE;
}

/* ---- random numbers: splitmix64, reproducible from the seed */

static uint64_t rng;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t below(size_t n)
{
	return (size_t)(next() % n);
}

/* ---- comparing the map with the model */

static const char *round_name = "";
static unsigned op_index;

/* Every page of the window, at its first and its last byte, and the
 * pages just outside it. */
static void check_states(void)
{
	for (size_t p = 0; p < WINDOW_PAGES; p++) {
		uint64_t a = addr_of(p);
		enum heap_state first = heap_ranges_state_at(a),
				last = heap_ranges_state_at(a + 4095);
		CHECK(first == model[p] && last == model[p],
		      "%s op %u: page 0x%lx is %s/%s (first/last byte), the model says %s",
		      round_name, op_index, (unsigned long)a, state_name(first), state_name(last),
		      state_name(model[p]));
	}
	if (base > 0)
		CHECK(heap_ranges_state_at(base - 1) == HEAP_UNKNOWN,
		      "%s op %u: the page below the window is %s", round_name, op_index,
		      state_name(heap_ranges_state_at(base - 1)));
	if (addr_of(WINDOW_PAGES) != 0) /* the window does not end at 2^64 */
		CHECK(heap_ranges_state_at(addr_of(WINDOW_PAGES)) == HEAP_UNKNOWN,
		      "%s op %u: the page above the window is %s", round_name, op_index,
		      state_name(heap_ranges_state_at(addr_of(WINDOW_PAGES))));
}

static void check_count(size_t lo, size_t hi)
{
	for (int s = HEAP_RESERVED; s <= HEAP_COMMITTED; s++) {
		uint64_t got = heap_ranges_count(addr_of(lo), addr_of(hi), (enum heap_state)s);
		uint64_t want = model_count(lo, hi, (enum heap_state)s);
		CHECK(got == want,
		      "%s op %u: count [0x%lx, 0x%lx) %s: 0x%lx bytes, the model 0x%lx", round_name,
		      op_index, (unsigned long)addr_of(lo), (unsigned long)addr_of(hi),
		      state_name(s), (unsigned long)got, (unsigned long)want);
	}
}

/* The whole window (and past it, where the address space allows), the
 * operation's range and its neighbours, random ranges, and (every 256
 * operations) every prefix of the window. */
static void check_counts(size_t lo, size_t hi)
{
	uint64_t below_window = base > 0 ? base - HEAP_PAGE : base;
	uint64_t above_window = addr_of(WINDOW_PAGES) < TOP ? addr_of(WINDOW_PAGES) + HEAP_PAGE
							    : addr_of(WINDOW_PAGES);

	for (int s = HEAP_RESERVED; s <= HEAP_COMMITTED; s++) {
		uint64_t got = heap_ranges_count(below_window, above_window, (enum heap_state)s);
		uint64_t want = model_count(0, WINDOW_PAGES, (enum heap_state)s);
		CHECK(got == want,
		      "%s op %u: count of the window and around it %s: 0x%lx, model 0x%lx",
		      round_name, op_index, state_name(s), (unsigned long)got, (unsigned long)want);
	}
	check_count(lo, hi);
	if (lo > 0 && hi < WINDOW_PAGES)
		check_count(lo - 1, hi + 1);
	if (hi - lo >= 2)
		check_count(lo + 1, hi - 1);
	for (int i = 0; i < 16; i++) {
		size_t a = below(WINDOW_PAGES + 1), b = below(WINDOW_PAGES + 1);
		check_count(a < b ? a : b, a < b ? b : a);
	}
	if (op_index % 256 == 0)
		for (size_t k = 0; k <= WINDOW_PAGES; k++)
			check_count(0, k);
}

/* A page where the model changes state (or any page), moved by -1, 0 or
 * +1: operations that start and end on, just before and just after
 * existing boundaries make the splits and merges. */
static size_t near_boundary(void)
{
	size_t p = below(WINDOW_PAGES);

	for (size_t n = 0; n < WINDOW_PAGES && p > 0 && model[p] == model[p - 1]; n++)
		p = (p + 1) % WINDOW_PAGES;
	p += below(3); /* p - 1 is in [-1, WINDOW_PAGES] */
	return p == 0 ? 0 : p - 1;
}

static void random_op(void)
{
	size_t lo = below(2) ? near_boundary() : below(WINDOW_PAGES), len, hi;
	unsigned kind = (unsigned)below(100);

	len = kind < 5    ? 0
	      : kind < 45 ? 1 + below(4)
	      : kind < 85 ? 1 + below(64)
			  : 1 + below(WINDOW_PAGES);
	hi = lo + len > WINDOW_PAGES ? WINDOW_PAGES : lo + len;
	if (below(4) == 0 && hi < WINDOW_PAGES) { /* end on a boundary too */
		size_t b = hi;
		while (b < WINDOW_PAGES && b > 0 && model[b] == model[b - 1])
			b++;
		hi = b;
	}
	if (below(10) < 3) {
		int writable = (int)below(2);
		int64_t want = model_protect(lo, hi, writable);
		int64_t got = heap_ranges_protect(addr_of(lo), addr_of(hi), writable);
		CHECK(got == want,
		      "%s op %u: protect [0x%lx, 0x%lx) %s returned %ld, the model %ld", round_name,
		      op_index, (unsigned long)addr_of(lo), (unsigned long)addr_of(hi),
		      writable ? "writable" : "read-only", (long)got, (long)want);
	} else {
		enum heap_state s = (enum heap_state)below(3);
		int64_t want = model_set(lo, hi, s);
		int64_t got = heap_ranges_set(addr_of(lo), addr_of(hi), s);
		CHECK(got == want, "%s op %u: set [0x%lx, 0x%lx) %s returned %ld, the model %ld",
		      round_name, op_index, (unsigned long)addr_of(lo), (unsigned long)addr_of(hi),
		      state_name(s), (long)got, (long)want);
	}
	check_states();
	check_counts(lo, hi);
}

/* Empty the map: everything the window committed is given back. */
static void clear(void)
{
	int64_t want = -(int64_t)model_count(0, WINDOW_PAGES, HEAP_COMMITTED);
	int64_t got = heap_ranges_set(0, TOP, HEAP_UNKNOWN);

	CHECK(got == want, "%s: emptying the map returned %ld, the model %ld", round_name,
	      (long)got, (long)want);
	memset(model, HEAP_UNKNOWN, sizeof(model));
	CHECK(heap_ranges_count(0, TOP, HEAP_RESERVED) == 0 &&
		      heap_ranges_count(0, TOP, HEAP_COMMITTED) == 0,
	      "%s: the emptied map still counts pages", round_name);
}

static void random_round(uint64_t seed, const char *name, uint64_t window_base)
{
	rng = seed;
	base = window_base;
	round_name = name;
	memset(model, HEAP_UNKNOWN, sizeof(model));
	for (op_index = 0; op_index < OPS; op_index++)
		random_op();
	clear();
}

/* ---- fixed cases */

static uint64_t pages(uint64_t n)
{
	return n * HEAP_PAGE;
}

static void expect_states(uint64_t at, const char *want, const char *what)
{
	for (size_t i = 0; want[i]; i++) {
		enum heap_state s = heap_ranges_state_at(at + pages(i));
		enum heap_state w = want[i] == 'C'   ? HEAP_COMMITTED
				    : want[i] == 'R' ? HEAP_RESERVED
						     : HEAP_UNKNOWN;
		CHECK(s == w, "%s: page %zu (0x%lx) is %s, expected %s (%s)", what, i,
		      (unsigned long)(at + pages(i)), state_name(s), state_name(w), want);
	}
}

#define EXPECT_DELTA(call, want)                                                                   \
	do {                                                                                       \
		int64_t got_ = (call);                                                             \
		CHECK(got_ == (int64_t)(want), "%s returned %ld, expected %ld", #call, (long)got_, \
		      (long)(want));                                                               \
	} while (0)

static void empty_map(void)
{
	const uint64_t probes[] = {0, 4095, pages(1), 1ULL << 40, TOP - 1, TOP, ~(uint64_t)0};

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		CHECK(heap_ranges_state_at(probes[i]) == HEAP_UNKNOWN, "empty map: 0x%lx is %s",
		      (unsigned long)probes[i], state_name(heap_ranges_state_at(probes[i])));
	for (int s = HEAP_RESERVED; s <= HEAP_COMMITTED; s++)
		CHECK(heap_ranges_count(0, TOP, (enum heap_state)s) == 0,
		      "empty map counts %s pages", state_name(s));
	EXPECT_DELTA(heap_ranges_protect(0, TOP, 1), 0); /* protect makes nothing known */
	EXPECT_DELTA(heap_ranges_set(0, TOP, HEAP_UNKNOWN), 0);
	EXPECT_DELTA(heap_ranges_set(pages(5), pages(5), HEAP_COMMITTED), 0); /* empty range */
	EXPECT_DELTA(heap_ranges_set(pages(6), pages(5), HEAP_COMMITTED), 0); /* backwards */
	CHECK(heap_ranges_state_at(pages(5)) == HEAP_UNKNOWN, "an empty set made page 5 known");
}

static void ends_of_the_address_space(void)
{
	EXPECT_DELTA(heap_ranges_set(0, pages(1), HEAP_COMMITTED), pages(1));
	expect_states(0, "CU", "a range at address 0");
	CHECK(heap_ranges_state_at(4095) == HEAP_COMMITTED,
	      "the last byte of page 0 is not committed");
	CHECK(heap_ranges_count(0, pages(1), HEAP_COMMITTED) == pages(1), "page 0 not counted");
	EXPECT_DELTA(heap_ranges_set(TOP - pages(2), TOP, HEAP_COMMITTED), pages(2));
	expect_states(TOP - pages(3), "UCCU", "a range ending at the top");
	CHECK(heap_ranges_count(0, TOP, HEAP_COMMITTED) == pages(3), "0 and the top: %lx bytes",
	      (unsigned long)heap_ranges_count(0, TOP, HEAP_COMMITTED));
	EXPECT_DELTA(heap_ranges_protect(0, TOP, 0), -pages(3));
	expect_states(0, "RU", "page 0 after protect");
	expect_states(TOP - pages(3), "URRU", "the top after protect");
	EXPECT_DELTA(heap_ranges_set(0, TOP, HEAP_UNKNOWN), 0);
	expect_states(0, "UU", "page 0 emptied");
	expect_states(TOP - pages(2), "UUU", "the top emptied");
}

static void split_and_merge(void)
{
	const uint64_t a = 1ULL << 32;

	EXPECT_DELTA(heap_ranges_set(a, a + pages(10), HEAP_RESERVED), 0);
	EXPECT_DELTA(heap_ranges_set(a + pages(3), a + pages(5), HEAP_COMMITTED), pages(2));
	expect_states(a - pages(1), "URRRCCRRRRRU", "one range split into three");
	CHECK(heap_ranges_count(a, a + pages(10), HEAP_RESERVED) == pages(8),
	      "split: reserved count");
	EXPECT_DELTA(heap_ranges_set(a + pages(4), a + pages(8), HEAP_UNKNOWN),
		     -pages(1)); /* munmap */
	expect_states(a - pages(1), "URRRCUUUURRU", "a hole punched across two ranges");
	EXPECT_DELTA(heap_ranges_protect(a, a + pages(10), 1), pages(5));
	expect_states(a - pages(1), "UCCCCUUUUCCU", "protect skips the hole");
	/* Three neighbours with a gap: filling it joins them. */
	EXPECT_DELTA(heap_ranges_set(a + pages(4), a + pages(8), HEAP_COMMITTED), pages(4));
	expect_states(a - pages(1), "UCCCCCCCCCCU", "neighbours merged");
	CHECK(heap_ranges_count(a - pages(1), a + pages(11), HEAP_COMMITTED) == pages(10),
	      "merged: count");
	/* A split of the merged range: its middle read-only, then writable
	 * again (each page exactly once). */
	EXPECT_DELTA(heap_ranges_protect(a + pages(2), a + pages(8), 0), -pages(6));
	expect_states(a - pages(1), "UCCRRRRRRCCU", "the middle read-only");
	EXPECT_DELTA(heap_ranges_protect(a + pages(1), a + pages(9), 1), pages(6));
	expect_states(a - pages(1), "UCCCCCCCCCCU", "writable again");
	EXPECT_DELTA(heap_ranges_set(a, a + pages(10), HEAP_UNKNOWN), -pages(10));
	expect_states(a - pages(1), "UUUUUUUUUUUU", "emptied");
}

/* Fill the map with disjoint one-page ranges until a set is refused; the
 * refusal must change nothing, and a merge must make room again. */
static void capacity(void)
{
	const uint64_t a = 1ULL << 40;
	size_t n = 0;
	int64_t d = 0;

	while (n < (1UL << 24) && (d = heap_ranges_set(a + pages(2 * n), a + pages(2 * n + 1),
						       HEAP_COMMITTED)) == (int64_t)pages(1))
		n++;
	CHECK(d == 0 && heap_ranges_state_at(a + pages(2 * n)) == HEAP_UNKNOWN,
	      "capacity: the refused set returned %ld and made the page %s", (long)d,
	      state_name(heap_ranges_state_at(a + pages(2 * n))));
	CHECK(n >= 65530, "capacity of %zu ranges, under vm.max_map_count", n);
	dprintf(1, "capacity: %zu ranges\n", n);
	/* Covering the last two ranges and the gap between them: one range
	 * for two, a slot free. */
	EXPECT_DELTA(heap_ranges_set(a + pages(2 * n - 4), a + pages(2 * n - 1), HEAP_COMMITTED),
		     pages(1));
	/* Filling the gap between two ranges: inserted, then merged with both
	 * neighbours, one more slot free. Two new ranges fit, a third does
	 * not. */
	EXPECT_DELTA(heap_ranges_set(a + pages(2 * n - 7), a + pages(2 * n - 6), HEAP_COMMITTED),
		     pages(1));
	EXPECT_DELTA(heap_ranges_set(a + pages(2 * n), a + pages(2 * n + 1), HEAP_COMMITTED),
		     pages(1));
	EXPECT_DELTA(heap_ranges_set(a + pages(2 * n + 2), a + pages(2 * n + 3), HEAP_COMMITTED),
		     pages(1));
	EXPECT_DELTA(heap_ranges_set(a + pages(2 * n + 4), a + pages(2 * n + 5), HEAP_COMMITTED),
		     0);
	expect_states(a + pages(2 * n - 8), "CCCUCCCUCUCUU", "the end of the full map");
	EXPECT_DELTA(heap_ranges_set(0, TOP, HEAP_UNKNOWN), -(int64_t)pages(n + 4));
}

int main(int argc, char **argv)
{
	static const char *const default_seeds[] = {"1", "2", "3"};
	const char *const *seeds = argc > 1 ? (const char *const *)argv + 1 : default_seeds;
	int seed_count = argc > 1 ? argc - 1 : 3;

	CHECK(heap_ranges_init() == 0, "heap_ranges_init failed");
	empty_map();
	ends_of_the_address_space();
	split_and_merge();
	for (int i = 0; i < seed_count; i++) {
		uint64_t seed = strcmp(seeds[i], "clock") == 0 ? libc_now_ns()
							       : strtoull(seeds[i], NULL, 0);
		dprintf(1, "seed %#lx (replay: test_heap_ranges %#lx)\n", (unsigned long)seed,
			(unsigned long)seed);
		random_round(seed, "window at 0", 0);
		random_round(seed + 1, "window in the middle",
			     0x7f0000000000ULL + pages(below(1000)));
		random_round(seed + 2, "window at the top", TOP - pages(WINDOW_PAGES));
	}
	capacity();
	if (failures) {
		dprintf(2, "test_heap_ranges: %d failures\n", failures);
		return 1;
	}
	dprintf(1, "test_heap_ranges: %d seeds x 3 windows x %d operations agree with the model\n",
		seed_count, OPS);
	return 0;
}
