// SPDX-License-Identifier: MIT
/*
 * The loader's own address ranges (own_ranges.h): a sorted array of
 * disjoint ranges, adjacent ones of one kind merged.
 *
 * Lookups come from the program's memory syscalls, in any thread and in
 * signal handlers, so they take no lock: a sequence count says whether a
 * writer changed the list meanwhile (then the lookup is made again).
 * Writers are rare (a thread starts or ends, an arena or an allocator
 * region is made) and serialised by the lock, with every signal blocked,
 * so that no handler can interrupt one and then wait for it. The array
 * grows by doubling; an outgrown array is never unmapped, because a
 * lookup may still be reading it (all of them together are less than the
 * last one).
 */
#include <errno.h>
#include <lock.h>
#include <own_ranges.h>
#include <page.h>
#include <signal_mask.h>
#include <string.h>
#include <sys.h>

struct block {
	size_t cap;
	struct libc_own_range v[];
};

static struct block *own_list; /* named for tests/faults/memory, which reads it */
static int put(uintptr_t lo, uintptr_t hi, int kind);
static size_t own_count;
static unsigned long seq; /* odd while a writer changes the list */
static struct libc_lock lock;

/* Make room for one more entry. 0 or -ENOMEM. */
static int reserve_one(void)
{
	size_t cap = own_list ? own_list->cap * 2 : 256;
	size_t size = PAGE_UP(sizeof(struct block) + cap * sizeof(struct libc_own_range));
	long r;

	if (own_list && own_count < own_list->cap)
		return 0;
	r = sys_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sys_is_err(r))
		return -ENOMEM;
	struct block *b = (struct block *)r;
	b->cap = (size - sizeof(struct block)) / sizeof(struct libc_own_range);
	if (own_list)
		memcpy(b->v, own_list->v, own_count * sizeof(b->v[0]));
	__atomic_store_n(&own_list, b, __ATOMIC_RELEASE);
	/* The own_list is the loader's too (it has room for this now). */
	return put((uintptr_t)b, (uintptr_t)b + size, LIBC_OWN_LOADER);
}

/* The first entry ending above addr. */
static size_t first_above(const struct libc_own_range *v, size_t n, uintptr_t addr)
{
	size_t a = 0, b = n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (v[m].hi <= addr)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static void insert_at(size_t i, struct libc_own_range e)
{
	memmove(&own_list->v[i + 1], &own_list->v[i], (own_count - i) * sizeof(e));
	own_list->v[i] = e;
	own_count++;
}

static void erase_at(size_t i)
{
	memmove(&own_list->v[i], &own_list->v[i + 1], (own_count - i - 1) * sizeof(own_list->v[0]));
	own_count--;
}

/* Take [lo, hi) out of the own_list. 0, or -ENOMEM when a split found no room. */
static int cut(uintptr_t lo, uintptr_t hi)
{
	size_t i = first_above(own_list->v, own_count, lo);

	while (i < own_count && own_list->v[i].lo < hi) {
		struct libc_own_range *e = &own_list->v[i];
		if (e->lo < lo && e->hi > hi) { /* a hole in the middle: two entries */
			if (reserve_one() < 0)
				return -ENOMEM;
			e = &own_list->v[i];
			struct libc_own_range upper = {hi, e->hi, e->kind};
			e->hi = lo;
			insert_at(i + 1, upper);
			return 0;
		}
		if (e->lo < lo) {
			e->hi = lo;
			i++;
		} else if (e->hi > hi) {
			e->lo = hi;
			return 0;
		} else {
			erase_at(i);
		}
	}
	return 0;
}

static void write_begin(uint64_t *mask)
{
	libc_block_signals(mask);
	libc_lock(&lock);
	__atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
}

static void write_end(uint64_t mask)
{
	__atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
	libc_unlock(&lock);
	libc_set_signal_mask(mask);
}

/* libc_own_add, the lock held. */
static int put(uintptr_t lo, uintptr_t hi, int kind)
{
	if (reserve_one() < 0 || cut(lo, hi) < 0 || reserve_one() < 0)
		return -ENOMEM;
	size_t i = first_above(own_list->v, own_count, lo);
	struct libc_own_range *prev = i ? &own_list->v[i - 1] : NULL;
	struct libc_own_range *next = i < own_count ? &own_list->v[i] : NULL;
	int with_prev = prev && prev->hi == lo && prev->kind == kind;
	int with_next = next && next->lo == hi && next->kind == kind;
	if (with_prev && with_next) {
		prev->hi = next->hi;
		erase_at(i);
	} else if (with_prev) {
		prev->hi = hi;
	} else if (with_next) {
		next->lo = lo;
	} else {
		insert_at(i, (struct libc_own_range){lo, hi, kind});
	}
	return 0;
}

int libc_own_add(uintptr_t lo, uintptr_t hi, int kind)
{
	uint64_t mask;
	int r;

	if (lo >= hi)
		return 0;
	write_begin(&mask);
	r = put(lo, hi, kind);
	write_end(mask);
	return r;
}

void libc_own_remove(uintptr_t lo, uintptr_t hi)
{
	uint64_t mask;

	if (lo >= hi || !own_list)
		return;
	write_begin(&mask);
	cut(lo, hi); /* no room for a split: the range stays guarded */
	write_end(mask);
}

size_t libc_own_find(uintptr_t lo, uintptr_t hi, struct libc_own_range *out, size_t max)
{
	size_t found;
	unsigned long s;

	do {
		while ((s = __atomic_load_n(&seq, __ATOMIC_ACQUIRE)) & 1)
			__builtin_ia32_pause();
		struct block *b = __atomic_load_n(&own_list, __ATOMIC_ACQUIRE);
		size_t n = __atomic_load_n(&own_count, __ATOMIC_RELAXED);
		found = 0;
		if (b) {
			n = n < b->cap ? n : b->cap;
			for (size_t i = first_above(b->v, n, lo); i < n && b->v[i].lo < hi; i++) {
				if (found < max) {
					struct libc_own_range e = b->v[i];
					out[found] = (struct libc_own_range){e.lo > lo ? e.lo : lo,
									     e.hi < hi ? e.hi : hi,
									     e.kind};
				}
				found++;
			}
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (__atomic_load_n(&seq, __ATOMIC_RELAXED) != s);
	return found;
}

void libc_own_fork_lock(void)
{
	libc_lock(&lock);
}

void libc_own_fork_unlock(void)
{
	libc_unlock(&lock);
}
