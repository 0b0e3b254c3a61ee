// SPDX-License-Identifier: MIT
/*
 * Telling the module which objects are in the program's address space
 * (map_library / unmap_library of include/libos/libos.h).
 *
 * An object is announced once, after its code is mapped and patched and
 * before any of it runs: the program, ld.so and the vDSO at start-up
 * (loader/run.c), and each library when ld.so maps its code
 * (hooks/memory.c: the mmap that makes it executable). It is gone when the
 * last of its code goes (dlclose's munmap, a mmap MAP_FIXED over it);
 * mapped again, it is announced again.
 * Its program headers are read where the image has them, in the first
 * segment, which ld.so maps before the code.
 */
#include <asm/unistd.h>
#include <stdio.h>
#include <string.h>
#include <libc.h>
#include <sys.h>

#include "elf.h"
#include "hooks.h"
#include "module.h"
#include "objects.h"
#include "patch.h"

/* Where the object's program headers are in memory, or 0. */
static uintptr_t phdrs_of(const struct patch_object *o, uint16_t *phnum)
{
	Elf64_Ehdr eh;

	for (int i = 0; i < o->seg_count; i++) {
		if (o->seg[i].offset != 0)
			continue;
		uintptr_t ehdr = o->bias + o->seg[i].vaddr;
		if (hook_copy_from(&eh, ehdr, sizeof(eh)) < 0 ||
		    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
		    eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > o->seg[i].filesz)
			return 0;
		*phnum = eh.e_phnum;
		return ehdr + eh.e_phoff;
	}
	return 0;
}

void hook_object_mapped(struct patch_object *o, int kind, const char *path)
{
	struct libos_object lo = {.kind = (uint16_t)kind};

	if (o->announced)
		return;
	o->announced = 1;
	if (path && !o->path[0])
		snprintf(o->path, sizeof(o->path), "%s", path);
	lo.path = o->path;
	lo.base = o->bias;
	lo.phdr = (const void *)phdrs_of(o, &lo.phnum);
	lo.sites = o->note + o->rewritten;
	hook_module_map_library(&lo);
}

void hook_object_mapped_fd(uintptr_t addr, int fd)
{
	char path[256];
	long site;
	struct patch_object *o = patch_object_at(addr, &site);

	if (!o || o->announced)
		return;
	libc_fd_path(fd, path, sizeof(path));
	hook_object_mapped(o, LIBOS_OBJECT_LIBRARY, path);
}

void hook_objects_unmapped(uintptr_t lo, uintptr_t hi)
{
	/* What the patcher knew of the range goes first: its addresses may
	 * hold other code now. */
	patch_unmapped(lo, hi);
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		if (!o->announced || patch_object_mapped(o))
			continue;
		struct libos_object l = {
			.path = o->path, .base = o->bias, .kind = LIBOS_OBJECT_LIBRARY};
		o->announced = 0;
		hook_module_unmap_library(&l);
	}
}
