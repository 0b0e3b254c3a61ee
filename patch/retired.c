// SPDX-License-Identifier: MIT
/*
 * Stub arenas whose code went, kept until no thread can be inside them.
 *
 * When an object's code is unmapped, replaced or moved, its arena (or a
 * lazy rewrite's stub page) is retired, not unmapped: a thread may be in
 * one of its stubs, between the site's jmp and the jmp back, blocked in
 * the syscall, or anywhere in the dispatcher with a stub's epilogue as its
 * return address, and it must come back from there as it would natively
 * from the code. The same object mapped again at the same place takes its
 * arena back (its stubs are the same bytes): a dlclose and dlopen, a
 * MAP_FIXED of the file over itself, a munmap and mmap back.
 *
 * A retired arena is the program's nothing: natively its place is free.
 * So it is freed as soon as no thread can be in it, and before any memory
 * call of the program's that names its range goes to the kernel (which
 * then answers as it would natively). Whether a thread can be in it is
 * decided without touching the fast path, from what each thread's TCB
 * and LibOS stack show (a grace period, counted from the moment of the
 * check, after the arena was retired: nothing jumps to it any more):
 *   - an entry in progress whose return address is in the arena: inside
 *     (blocked in its syscall, or about to come back);
 *   - two syscalls delivered since the check began (t->syscalls, which
 *     the dispatcher counts anyway): out (the first may have come from
 *     the arena's stub, the second came from elsewhere);
 *   - asleep in the kernel (/proc/self/task/TID/stat says S) with no such
 *     return address: out (a thread sleeps only in a syscall, never in a
 *     stub's own instructions, and its entries' words are complete);
 *   - 2 ms of CPU time (schedstat) with no syscall delivered meanwhile:
 *     out (a stub's own instructions before and after its entry take
 *     nanoseconds and end in a syscall or in the program's code; an entry
 *     that went on meanwhile has its words complete);
 *   - anything else: maybe inside, asked again a little later.
 * An arena a thread is still in after the wait stays, and stays the
 * loader's (the program's call over it is refused as over any of the
 * loader's ranges, hooks/memory.c): only a thread blocked in a stub's
 * syscall stays there long, and returning it into freed memory would kill
 * it. Known and left: a signal handler of the program's that interrupted a
 * thread in a stub's displaced instructions (nanoseconds) and runs long
 * is not seen.
 *
 * The list is the loader context's (tls/context.h: every writer holds it,
 * and a fork waits for it). Its slots never move, so that a reader
 * outside the context (patch_retired_overlaps) sees each whole or free.
 * A look holds the context only for a round, never while it waits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libc.h>
#include <own_ranges.h>
#include <sys.h>

#include "code_memory.h"
#include "context.h"
#include "elf.h"
#include "patch.h"
#include "tcb.h"

/* Arenas retired and still mapped; a free slot has lo 0. */
#define RETIRED_MAX 64
static struct retired {
	uintptr_t lo, size;
	const void *owner;
	uintptr_t base;
	uint64_t age; /* the order of retirement */
	int in_use;   /* a thread was inside at the last look */
} retired[RETIRED_MAX];
static unsigned retired_count;
static uint64_t retired_age;

/* How long a look waits for threads to show where they are. */
#define WAIT_RETIRE_NS 2000000ULL   /* at retirement: running threads pass quickly */
#define WAIT_NAMED_NS  100000000ULL /* the program names the range: worth more */
#define WAIT_CROWD_NS  50000000ULL  /* RETIRED_CROWD retired: ~a scheduler tick under load */
#define RETIRED_CROWD  4
#define CPU_OUT_NS     2000000ULL

static void drop(struct retired *r)
{
	__atomic_store_n(&r->lo, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&retired_count, retired_count - 1, __ATOMIC_RELAXED);
}

static int overlaps(uintptr_t a, uintptr_t b, uintptr_t lo, uintptr_t hi)
{
	return a < hi && lo < b;
}

/* What a look knows of one thread, from its first sight on. */
struct seen {
	const struct tls_tcb *t;
	int32_t tid;
	uint64_t count; /* syscalls at first sight */
	/* The last baseline for its CPU time (~0: none): the time, and the
	 * syscalls and entry_sp then. */
	uint64_t cpu, cpu_count;
	uintptr_t cpu_sp;
};

struct look {
	uintptr_t lo, hi;  /* the arenas looked at: those overlapping it */
	struct seen *seen; /* by first sight */
	size_t n, max;
	const struct tls_tcb *self;
	uint64_t age; /* the last retired when it began */
	int round;
};

/* From /proc/self/task/TID/NAME: the state letter of stat (state), or
 * the first number of schedstat, the CPU time in ns (value). */
static int task_field(int32_t tid, const char *name, char *state, uint64_t *value)
{
	char path[64], buf[512];
	const char *p;
	long fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, name);
	if ((fd = sys_open(path, O_RDONLY)) < 0)
		return (int)fd;
	n = sys_read((int)fd, buf, sizeof(buf) - 1);
	sys_close((int)fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	if (!state) {
		*value = strtoull(buf, NULL, 10);
		return 0;
	}
	if (!(p = strrchr(buf, ')')) || p[1] != ' ')
		return -EIO;
	*state = p[2];
	return 0;
}

/* Whether an entry of t's in progress returns into [lo, hi). The slices
 * above entry_sp are in use; each one's stub words end at its top. */
static int returns_into(const struct tls_tcb *t, uintptr_t lo, uintptr_t hi)
{
	uintptr_t top = t->arch.stack_hi, sp = __atomic_load_n(&t->arch.entry_sp, __ATOMIC_ACQUIRE);

	for (int d = 0; d < TLS_STACK_SLICES && sp < top; d++, top -= TLS_STACK_SLICE) {
		uint64_t cont = *(const volatile uint64_t *)(top - sizeof(struct arch_stub_words));
		if (cont >= lo && cont < hi)
			return 1;
	}
	return 0;
}

static struct seen unknown; /* a thread the look has no room for */

static struct seen *seen_of(struct look *k, const struct tls_tcb *t)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->seen[i].t == t && k->seen[i].tid == t->ctx.tid)
			return &k->seen[i];
	if (k->round)
		return NULL; /* new since the look began: it never was in one */
	if (k->n == k->max) {
		struct seen *more = realloc(k->seen, 2 * k->max * sizeof(*more));
		if (!more)
			return &unknown;
		k->seen = more;
		k->max *= 2;
	}
	k->seen[k->n] = (struct seen){t, t->ctx.tid, t->syscalls, ~0ULL, 0, 0};
	return &k->seen[k->n++];
}

/* Whether t may still be in an arena retired before the look began,
 * as far as its syscalls, its sleep and its CPU time tell; its entries'
 * return addresses are read after this (look_at). */
static int may_be_in(const struct look *k, const struct tls_tcb *t, struct seen *s)
{
	uint64_t now = __atomic_load_n(&t->syscalls, __ATOMIC_ACQUIRE), cpu;
	uintptr_t sp = __atomic_load_n(&t->arch.entry_sp, __ATOMIC_ACQUIRE);
	char state;

	if (!s || !s->tid)
		return 0; /* new since the look began, or not started yet */
	if (s == &unknown)
		return 1;
	if (now >= s->count + 2)
		return 0;
	if (!k->round)
		return 1; /* nothing to compare with yet */
	/* Asleep before and after its words are read (look_at): in a
	 * syscall all along, so they are whole. */
	if (task_field(s->tid, "stat", &state, NULL) == 0 && state == 'S')
		return 2;
	if (task_field(s->tid, "schedstat", NULL, &cpu) < 0) {
		s->cpu = ~0ULL;
		return 1;
	}
	if (s->cpu == ~0ULL || s->cpu_count != now || s->cpu_sp != sp) {
		s->cpu = cpu;
		s->cpu_count = now;
		s->cpu_sp = sp;
		return 1;
	}
	return cpu - s->cpu < CPU_OUT_NS;
}

/* Whether t is asleep still, with no syscall delivered since now. */
static int still_asleep(const struct tls_tcb *t, int32_t tid, uint64_t now)
{
	char state;

	return task_field(tid, "stat", &state, NULL) == 0 && state == 'S' &&
	       __atomic_load_n(&t->syscalls, __ATOMIC_ACQUIRE) == now;
}

/* Whether slot r holds an arena overlapping [lo, hi). */
static int named(const struct retired *r, uintptr_t lo, uintptr_t hi)
{
	uintptr_t a = __atomic_load_n(&r->lo, __ATOMIC_ACQUIRE);

	return a && overlaps(a, a + r->size, lo, hi);
}

/* Whether the look k covers slot r: named, and retired before it began. */
static int looked_at(const struct look *k, const struct retired *r)
{
	return named(r, k->lo, k->hi) && r->age <= k->age;
}

static void look_at(struct tls_tcb *t, void *arg)
{
	struct look *k = arg;
	struct seen *s = t == k->self ? NULL : seen_of(k, t);
	uint64_t now = __atomic_load_n(&t->syscalls, __ATOMIC_ACQUIRE);
	int maybe = t == k->self ? 0 : may_be_in(k, t, s);

	for (unsigned i = 0; i < RETIRED_MAX; i++) {
		struct retired *r = &retired[i];
		if (looked_at(k, r) && (maybe == 1 || returns_into(t, r->lo, r->lo + r->size)))
			r->in_use = 1;
	}
	if (maybe == 2 && !still_asleep(t, s->tid, now))
		for (unsigned i = 0; i < RETIRED_MAX; i++)
			if (looked_at(k, &retired[i]))
				retired[i].in_use = 1;
}

/* One round of look k, in the loader context: free what no thread is in.
 * Returns how many it looks at are left. */
static unsigned look_round(struct look *k)
{
	struct tls_context ctx;
	unsigned left = 0;

	tls_context_enter(&ctx);
	if (!k->round)
		k->age = retired_age;
	for (unsigned i = 0; i < RETIRED_MAX; i++)
		retired[i].in_use = 0;
	tls_for_each(look_at, k);
	for (unsigned i = 0; i < RETIRED_MAX; i++) {
		struct retired *r = &retired[i];
		if (!looked_at(k, r))
			continue;
		if (r->in_use) {
			left++;
		} else {
			patch_arena_free(r->lo, r->size);
			drop(r);
		}
	}
	tls_context_leave(&ctx);
	return left;
}

/* Free the retired arenas overlapping [lo, hi) that no thread can be in,
 * looking for up to wait_ns. Called outside the loader context: between
 * rounds the other threads may need it to go on (a thread waiting for it
 * is in no stub, but cannot show it). Returns how many are left there. */
static unsigned free_idle(uintptr_t lo, uintptr_t hi, uint64_t wait_ns)
{
	struct look k = {lo, hi, NULL, 0, 256, tls_self(), 0, 0};
	uint64_t end = libc_now_ns() + wait_ns;
	unsigned left;

	k.seen = malloc(k.max * sizeof(*k.seen));
	if (!k.seen)
		return 1;
	for (; (left = look_round(&k)) && libc_now_ns() < end; k.round++) {
		struct timespec ts = {0, 100000};
		sys_nanosleep(&ts, NULL);
	}
	free(k.seen);
	return left;
}

void patch_arena_retire(uintptr_t a, size_t size, const void *owner, uintptr_t base)
{
	struct retired *slot = NULL, *oldest = NULL;

	for (unsigned i = 0; i < RETIRED_MAX && !slot; i++) {
		if (!retired[i].lo)
			slot = &retired[i];
		else if (!oldest || retired[i].age < oldest->age)
			oldest = &retired[i];
	}
	if (!slot) {
		/* 64 arenas retired and not freed since (each is freed
		 * after the call that retired it once no thread is in it):
		 * the oldest stays mapped for good, no longer looked after. */
		drop(oldest);
		slot = oldest;
	}
	slot->size = PAGE_UP(size);
	slot->owner = owner;
	slot->base = base;
	slot->age = ++retired_age;
	__atomic_store_n(&slot->lo, a, __ATOMIC_RELEASE);
	retired_count++;
}

void patch_retired_settle(void)
{
	unsigned n = __atomic_load_n(&retired_count, __ATOMIC_RELAXED);

	/* A few may wait for a later call; more take the places the next
	 * arenas would go (code_memory.c) and are worth a longer wait. */
	if (n)
		free_idle(0, UINTPTR_MAX, n < RETIRED_CROWD ? WAIT_RETIRE_NS : WAIT_CROWD_NS);
}

uintptr_t patch_arena_reclaim(const void *owner, uintptr_t base, size_t size)
{
	for (unsigned i = 0; i < RETIRED_MAX; i++) {
		struct retired *r = &retired[i];
		uintptr_t a = r->lo;
		if (a && r->owner == owner && r->base == base && r->size == PAGE_UP(size)) {
			drop(r);
			return a;
		}
	}
	return 0;
}

int patch_retired_clear(uintptr_t lo, uintptr_t hi)
{
	if (!patch_retired_overlaps(lo, hi))
		return 0;
	return free_idle(lo, hi, WAIT_NAMED_NS) != 0;
}

void patch_retired_unmapped(uintptr_t lo, uintptr_t hi)
{
	for (unsigned i = 0; i < RETIRED_MAX; i++) {
		struct retired *r = &retired[i];
		uintptr_t a = r->lo, b = a + r->size;
		if (!named(r, lo, hi))
			continue;
		/* The program took some of it: what is in [lo, hi) is its own
		 * now, the rest is still ours to give back. */
		libc_own_remove(a, b);
		if (a < lo)
			sys_munmap((void *)a, lo - a);
		if (hi < b)
			sys_munmap((void *)hi, b - hi);
		drop(r);
	}
}

int patch_retired_overlaps(uintptr_t lo, uintptr_t hi)
{
	if (!__atomic_load_n(&retired_count, __ATOMIC_RELAXED))
		return 0;
	for (unsigned i = 0; i < RETIRED_MAX; i++)
		if (named(&retired[i], lo, hi))
			return 1;
	return 0;
}
