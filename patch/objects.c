// SPDX-License-Identifier: MIT
/*
 * The object registry (see objects.h) and the list of sites caught in
 * code outside every object. Both only grow; writers hold the loader
 * context's lock (context.c), readers (the net, the report) need none.
 */
#include <stdlib.h>
#include <string.h>

#include "objects.h"

static struct patch_object *head;

#define JIT_MAX 256
static struct patch_jit_site *jit; /* allocated at the first trap */
static volatile unsigned jit_count;

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

struct patch_object *patch_object_at(uintptr_t pc, long *site)
{
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
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

unsigned patch_jit_count(void)
{
	return jit_count;
}

struct patch_jit_site *patch_jit_record(uintptr_t pc)
{
	static struct patch_jit_site overflow;
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
