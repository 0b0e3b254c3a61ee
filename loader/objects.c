// SPDX-License-Identifier: MIT
/*
 * The object registry (see objects.h) and the list of sites caught in
 * code outside every object. Both only grow; writers hold the loader
 * context's lock (context.c), readers (the net, the report) need none.
 */
#include <stdlib.h>
#include <string.h>

#include "objects.h"

static struct ldr_object *head;

#define JIT_MAX 256
static struct ldr_jit_site *jit; /* allocated at the first trap */
static volatile unsigned jit_count;

struct ldr_object *ldr_objects(void)
{
	return __atomic_load_n(&head, __ATOMIC_ACQUIRE);
}

void ldr_objects_push(struct ldr_object *o)
{
	o->next = head;
	__atomic_store_n(&head, o, __ATOMIC_RELEASE);
}

void ldr_object_set_segments(struct ldr_object *o, const Elf64_Phdr *ph, int phnum)
{
	o->seg_count = 0;
	for (int i = 0; i < phnum && o->seg_count < 8; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		o->seg[o->seg_count].vaddr = ph[i].p_vaddr;
		o->seg[o->seg_count].offset = ph[i].p_offset;
		o->seg[o->seg_count].filesz = ph[i].p_filesz;
		o->seg[o->seg_count].memsz = ph[i].p_memsz;
		o->seg[o->seg_count].flags = ph[i].p_flags;
		o->seg_count++;
	}
}

static long find_site(const struct ldr_object *o, uint64_t vaddr)
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

struct ldr_object *ldr_object_at(uintptr_t pc, long *site)
{
	for (struct ldr_object *o = ldr_objects(); o; o = o->next) {
		for (int i = 0; i < o->map_count; i++) {
			if (pc >= o->maps[i].lo && pc < o->maps[i].hi) {
				*site = o->analyzed ? find_site(o, pc - o->bias) : -1;
				return o;
			}
		}
	}
	*site = -1;
	return NULL;
}

unsigned ldr_jit_count(void)
{
	return jit_count;
}

const struct ldr_jit_site *ldr_jit_sites(void)
{
	return jit;
}

struct ldr_jit_site *ldr_jit_record(uintptr_t pc)
{
	static struct ldr_jit_site overflow;
	unsigned n = jit_count;

	if (!jit && !(jit = calloc(JIT_MAX, sizeof(*jit)))) {
		overflow.pc = pc;
		return &overflow;
	}
	for (unsigned i = 0; i < n; i++)
		if (jit[i].pc == pc)
			return &jit[i];
	if (n == JIT_MAX) {
		overflow.pc = pc;
		return &overflow;
	}
	jit[n].pc = pc;
	jit[n].rewritten = 0;
	__atomic_store_n(&jit_count, n + 1, __ATOMIC_RELEASE);
	return &jit[n];
}
