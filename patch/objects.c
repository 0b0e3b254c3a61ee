// SPDX-License-Identifier: MIT
/*
 * The object registry (see objects.h) and the list of sites caught in
 * code outside every object. Objects are never freed (one whose mapping
 * went waits for the next mapping of its file); an entry of the list is
 * freed when its code goes (mapping_gone.c) and reused. Writers hold the
 * loader context's lock (context.c), readers (the net, the report) need
 * none.
 */
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "objects.h"

static struct patch_object *head;

#define JIT_MAX 256
static struct patch_jit_site *jit;  /* allocated at the first trap */
static volatile unsigned jit_count; /* entries in use or freed */
static volatile unsigned jit_seen;  /* addresses ever recorded */

struct patch_object *patch_objects(void)
{
	return __atomic_load_n(&head, __ATOMIC_ACQUIRE);
}

void patch_objects_push(struct patch_object *o)
{
	o->next = head;
	__atomic_store_n(&head, o, __ATOMIC_RELEASE);
}

void patch_object_set_segments(struct patch_object *o, const Elf64_Phdr *ph, int phnum)
{
	o->seg_count = 0;
	for (int i = 0; i < phnum && o->seg_count < 8; i++) {
		if (!elf_is_load(&ph[i]))
			continue;
		o->seg[o->seg_count].vaddr = ph[i].p_vaddr;
		o->seg[o->seg_count].offset = ph[i].p_offset;
		o->seg[o->seg_count].filesz = ph[i].p_filesz;
		o->seg[o->seg_count].memsz = ph[i].p_memsz;
		o->seg[o->seg_count].flags = ph[i].p_flags;
		o->seg_count++;
	}
}

int64_t patch_file_offset(const struct patch_object *o, uint64_t vaddr)
{
	for (int i = 0; i < o->seg_count; i++)
		if (vaddr >= o->seg[i].vaddr && vaddr - o->seg[i].vaddr < o->seg[i].filesz)
			return (int64_t)(vaddr - o->seg[i].vaddr + o->seg[i].offset);
	return -1;
}

static long find_site(const struct patch_object *o, uint64_t vaddr)
{
	size_t a = 0, b = o->sites.count;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (o->sites.v[mid].vaddr < vaddr)
			a = mid + 1;
		else
			b = mid;
	}
	return a < o->sites.count && o->sites.v[a].vaddr == vaddr ? (long)a : -1;
}

/* The counts a site in state s is in: its tier's when rewritten; refused,
 * and trapped too once the net caught it. */
static void count(struct patch_object *o, size_t i, uint8_t s, unsigned delta)
{
	switch (s) {
	case PATCH_SITE_REWRITTEN:
		if (o->sites.v[i].origin == PATCH_ORIGIN_LISTED)
			o->note += delta;
		else if (o->sites.v[i].origin == PATCH_ORIGIN_HOOK)
			o->hooks += delta;
		else
			o->rewritten += delta;
		break;
	case PATCH_SITE_TRAPPED:
		o->trapped += delta;
		o->refused += delta; /* a trapped site is a refused one */
		break;
	case PATCH_SITE_REFUSED:
		o->refused += delta;
		break;
	}
}

void patch_site_set(struct patch_object *o, size_t i, enum patch_site_state s)
{
	count(o, i, o->state[i], (unsigned)-1);
	count(o, i, (uint8_t)s, 1);
	o->state[i] = (uint8_t)s;
}

struct patch_object *patch_object_at(uintptr_t pc, long *site)
{
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		int n = __atomic_load_n(&o->map_count, __ATOMIC_ACQUIRE);
		for (int i = 0; i < n; i++) {
			if (pc >= o->maps[i].lo && pc < o->maps[i].hi) {
				*site = o->analyzed ? find_site(o, pc - o->bias) : -1;
				return o;
			}
		}
	}
	*site = -1;
	return NULL;
}

unsigned patch_jit_count(void)
{
	return jit_seen;
}

struct patch_jit_site *patch_jit_record(uintptr_t pc)
{
	static struct patch_jit_site overflow;
	unsigned n = jit_count, free_at = n;

	if (!jit && !(jit = calloc(JIT_MAX, sizeof(*jit)))) {
		overflow.pc = pc;
		overflow.rewritten = 0;
		return &overflow;
	}
	for (unsigned i = 0; i < n; i++) {
		if (jit[i].pc == pc)
			return &jit[i];
		if (!jit[i].pc && free_at == n)
			free_at = i;
	}
	__atomic_add_fetch(&jit_seen, 1, __ATOMIC_RELAXED);
	if (free_at == JIT_MAX) {
		/* Full: this one is trapped (and retried) every time. */
		overflow.pc = pc;
		overflow.rewritten = 0;
		return &overflow;
	}
	memset(&jit[free_at], 0, sizeof(jit[free_at]));
	__atomic_store_n(&jit[free_at].pc, pc, __ATOMIC_RELEASE);
	if (free_at == n)
		__atomic_store_n(&jit_count, n + 1, __ATOMIC_RELEASE);
	return &jit[free_at];
}

void patch_jit_for_each(void (*fn)(struct patch_jit_site *j, void *arg), void *arg)
{
	for (unsigned i = 0; jit && i < jit_count; i++)
		if (jit[i].pc)
			fn(&jit[i], arg);
}

struct patch_identity patch_identity_of(const struct stat *st, uint64_t size)
{
	return (struct patch_identity){st->st_dev, st->st_ino, size,
				       (uint64_t)st->st_mtime * 1000000000 + st->st_mtime_nsec,
				       (uint64_t)st->st_ctime * 1000000000 + st->st_ctime_nsec};
}
