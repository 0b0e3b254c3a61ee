// SPDX-License-Identifier: MIT
/*
 * Forgetting what a mapping held when it goes: munmap, mmap MAP_FIXED
 * over it, mremap, dlclose. What the patcher knows of an address range
 * (an object's mapping and the state of its sites, its stub arena, a lazy
 * rewrite of generated code and its stub page, an rdtsc site, a
 * reservation below an image) describes the bytes that were there, never
 * the next ones: a library dlclosed and dlopened again at the same address
 * is fresh code, and is patched as fresh code.
 *
 * An object whose last executable mapping goes keeps its plan (the next
 * mapping of its file, wherever it lands, needs no analysis) and loses its
 * site states; its arena, and a lazy rewrite's stub page, are retired,
 * never unmapped at once: a thread may be inside a stub, blocked in its
 * syscall or about to jump back, and returns from there into whatever the
 * program now has at the code's place, as it would natively
 * (code_memory.c). A stub arena the program unmapped under live
 * code gives that code its original bytes back and leaves it to the net.
 * Memory the program now holds in the range is never unmapped.
 */
#include <own_ranges.h>
#include <sys.h>

#include "code_memory.h"
#include "context.h"
#include "objects.h"
#include "patch.h"
#include "tsc_sites.h"

struct range {
	uintptr_t lo, hi;
};

static int overlaps(uintptr_t a, uintptr_t b, struct range r)
{
	return a < r.hi && r.lo < b;
}

/* An arena [a, b) went or goes with r: unmap what of it is not in r,
 * still the loader's. All of it stops being the loader's (the part in r
 * is the program's now). */
static void release(uintptr_t a, uintptr_t b, struct range r)
{
	libc_own_remove(a, b);
	if (a < r.lo)
		sys_munmap((void *)a, (r.lo < b ? r.lo : b) - a);
	if (r.hi < b)
		sys_munmap((void *)(r.hi > a ? r.hi : a), b - (r.hi > a ? r.hi : a));
}

struct stubs_use {
	struct range r;
	int used;
};

/* Whether r holds any object's code or arena: the test every munmap pays. */
static int touches_objects(struct range r)
{
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		int n = __atomic_load_n(&o->map_count, __ATOMIC_ACQUIRE);
		for (int i = 0; i < n; i++)
			if (overlaps(o->maps[i].lo, o->maps[i].hi, r))
				return 1;
		if (o->arena && overlaps(o->arena, o->arena + o->stub_area, r))
			return 1;
	}
	return patch_retired_overlaps(r.lo, r.hi);
}

static void jit_in(struct patch_jit_site *j, void *arg)
{
	struct stubs_use *u = arg;

	if (overlaps(j->pc, j->pc + 2, u->r))
		u->used = 1;
}

int patch_holds_code(uintptr_t lo, uintptr_t hi)
{
	struct stubs_use u = {{lo, PAGE_UP(hi)}, 0};

	for (struct patch_object *o = patch_objects(); o && !u.used; o = o->next) {
		int n = __atomic_load_n(&o->map_count, __ATOMIC_ACQUIRE);
		for (int i = 0; i < n; i++)
			u.used |= overlaps(o->maps[i].lo, o->maps[i].hi, u.r);
	}
	if (!u.used && patch_jit_count())
		patch_jit_for_each(jit_in, &u);
	return u.used;
}

/* Take r out of o's mappings (a mapping may split in two). */
static void cut_maps(struct patch_object *o, struct range r)
{
	struct range keep[PATCH_OBJECT_MAPS];
	int n = 0;

	for (int i = 0; i < o->map_count; i++) {
		struct range m = {o->maps[i].lo, o->maps[i].hi};
		if (!overlaps(m.lo, m.hi, r)) {
			keep[n++] = m;
			continue;
		}
		if (m.lo < r.lo && n < PATCH_OBJECT_MAPS)
			keep[n++] = (struct range){m.lo, r.lo};
		if (r.hi < m.hi && n < PATCH_OBJECT_MAPS)
			keep[n++] = (struct range){r.hi, m.hi};
	}
	/* Readers take the count first: shrink it before the entries move. */
	__atomic_store_n(&o->map_count, 0, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		o->maps[i].lo = keep[i].lo;
		o->maps[i].hi = keep[i].hi;
	}
	__atomic_store_n(&o->map_count, n, __ATOMIC_RELEASE);
}

/* The stubs of o's live code went: its rewritten sites get their own
 * bytes back and are left to the net. Returns 1 when any was. */
static int lose_arena(struct patch_object *o, struct range r)
{
	int any = patch_object_unrewrite(o);

	release(o->arena, o->arena + o->stub_area, r);
	o->arena = 0;
	return any;
}

/* Returns 1 when live code was left to the net. */
static int forget_object(struct patch_object *o, struct range r)
{
	int lost = 0;

	if (!o->analyzed)
		return 0;
	cut_maps(o, r);
	for (size_t i = 0; i < o->sites.count; i++) {
		uintptr_t w = o->bias + o->sites.v[i].window.start;
		if (o->state[i] != PATCH_SITE_PENDING &&
		    (!o->map_count || overlaps(w, w + o->sites.v[i].window.len, r)))
			patch_site_set(o, i, PATCH_SITE_PENDING);
	}
	if (!o->map_count && o->arena && !overlaps(o->arena, o->arena + o->stub_area, r)) {
		/* A thread may be in a stub still: keep it for the next
		 * mapping of o at this place (code_memory.c). */
		patch_arena_retire(o->arena, o->stub_area, o, o->bias);
		o->arena = 0;
	} else if (!o->map_count && o->arena) {
		release(o->arena, o->arena + o->stub_area, r);
		o->arena = 0;
	} else if (o->arena && overlaps(o->arena, o->arena + o->stub_area, r)) {
		lost = lose_arena(o, r);
	}
	return lost;
}

struct jit_gone {
	struct range r;
	int lost;
};

static void forget_jit(struct patch_jit_site *j, void *arg)
{
	struct jit_gone *g = arg;
	uintptr_t a = j->rewritten ? j->start : j->pc,
		  b = j->rewritten ? j->start + j->len : j->pc + 2;

	if (overlaps(a, b, g->r)) {
		if (j->arena && overlaps(j->arena, j->arena + PAGE_SIZE, g->r))
			release(j->arena, j->arena + PAGE_SIZE, g->r);
		else if (j->arena) /* a thread may be in its stub still */
			patch_arena_retire(j->arena, PAGE_SIZE, NULL, 0);
		j->rewritten = 0;
		j->arena = 0;
		__atomic_store_n(&j->pc, 0, __ATOMIC_RELEASE);
	} else if (j->arena && overlaps(j->arena, j->arena + PAGE_SIZE, g->r)) {
		patch_write_live(j->start, j->bytes, j->len);
		j->rewritten = 0;
		j->arena = 0;
		g->lost = 1;
	}
}

static int inside(uintptr_t a, uintptr_t b, struct range r)
{
	return r.lo <= a && b <= r.hi;
}

static void jit_uses(struct patch_jit_site *j, void *arg)
{
	struct stubs_use *u = arg;

	if (j->arena && overlaps(j->arena, j->arena + PAGE_SIZE, u->r) &&
	    !inside(j->start, j->start + j->len, u->r))
		u->used = 1;
}

/* An arena is the program's to take only with the code that jumps to it:
 * an object's whose every mapping is in the range too (a dlclose's munmap
 * of the whole span, or a program that unmaps a region it put a library
 * in), a lazy site's whose code is. Then mapping_gone forgets both. A
 * retired arena, only once no thread is inside (retired.c). */
int patch_stubs_in_use(uintptr_t lo, uintptr_t hi)
{
	struct stubs_use u = {{lo, PAGE_UP(hi)}, 0};

	for (struct patch_object *o = patch_objects(); o && !u.used; o = o->next) {
		if (!o->arena || !overlaps(o->arena, o->arena + o->stub_area, u.r))
			continue;
		int n = __atomic_load_n(&o->map_count, __ATOMIC_ACQUIRE);
		for (int i = 0; i < n; i++)
			if (!inside(o->maps[i].lo, o->maps[i].hi, u.r))
				u.used = 1;
	}
	if (!u.used && patch_jit_count())
		patch_jit_for_each(jit_uses, &u);
	/* A retired arena left after patch_retired_clear has a thread in. */
	return u.used || patch_retired_overlaps(u.r.lo, u.r.hi);
}

void patch_unmapped(uintptr_t lo, uintptr_t hi)
{
	struct range r = {lo, PAGE_UP(hi)};
	struct tls_context ctx;
	struct jit_gone g = {r, 0};

	patch_tsc_sites_unmapped(r.lo, r.hi);
	if (!touches_objects(r) && !patch_jit_count())
		return;
	tls_context_enter(&ctx);
	patch_reserved_unmapped(r.lo, r.hi);
	patch_retired_unmapped(r.lo, r.hi);
	for (struct patch_object *o = patch_objects(); o; o = o->next)
		g.lost |= forget_object(o, r);
	patch_jit_for_each(forget_jit, &g);
	tls_context_leave(&ctx);
	patch_retired_settle();
	if (g.lost)
		patch_arm_net("the stubs of patched code were unmapped");
}

struct jit_moved {
	struct range r;
	uintptr_t to, to_len;
	int held;
};

/* Original bytes at their place in the moved copy, where it has it. */
static void restore_moved(const struct jit_moved *m, uintptr_t at, const uint8_t *bytes, size_t len)
{
	if (at >= m->r.lo && at + len <= m->r.hi && at - m->r.lo + len <= m->to_len)
		patch_write_live(m->to + (at - m->r.lo), bytes, len);
}

static void move_jit(struct patch_jit_site *j, void *arg)
{
	struct jit_moved *m = arg;

	if (j->pc >= m->r.lo && j->pc < m->r.hi) {
		m->held = 1;
		if (j->rewritten)
			restore_moved(m, j->start, j->bytes, j->len);
	}
}

int patch_moved(uintptr_t lo, uintptr_t hi, uintptr_t to, size_t to_len)
{
	struct jit_moved m = {{lo, PAGE_UP(hi)}, to, to_len, 0};
	struct tls_context ctx;

	if (!touches_objects(m.r) && !patch_jit_count())
		return 0;
	tls_context_enter(&ctx);
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		for (int i = 0; i < o->map_count; i++)
			m.held |= overlaps(o->maps[i].lo, o->maps[i].hi, m.r);
		for (size_t i = 0; o->analyzed && i < o->sites.count; i++) {
			const struct patch_site *s = &o->sites.v[i];
			if (o->state[i] == PATCH_SITE_REWRITTEN)
				restore_moved(&m, o->bias + s->window.start, s->window.bytes,
					      s->window.len);
		}
	}
	patch_jit_for_each(move_jit, &m);
	tls_context_leave(&ctx);
	return m.held;
}
