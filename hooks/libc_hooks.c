// SPDX-License-Identifier: MIT
/*
 * The libc's weak hooks, answered (see libc_hooks.h).
 *
 * __libos_map_library and __libos_register_library tell the module of an
 * object the libc's dynamic linker mapped, through its map_library hook,
 * unless the loader already did when it saw the object's code mapped
 * (each object is announced once). Arguments come from the
 * program and are copied before use (a bad pointer is -EFAULT, never a
 * crash). __libos_init returns 0: the module was initialised by the
 * loader before the program's first instruction, so the libc's call only
 * says that the libc is ready, which the report counts.
 */
#include <errno.h>
#include <libos/note.h>
#include <string.h>

#include "hooks.h"
#include "libc_hooks.h"
#include "objects.h"

#define PHDR_MAX       64
#define PATH_MAX_BYTES 4096

static volatile unsigned calls[LIBC_HOOK_COUNT];

int hook_is_libc_hook(unsigned long nr)
{
	return nr == LIBOS_NR_HOOK_MAP_LIBRARY || nr == LIBOS_NR_HOOK_REGISTER_LIBRARY ||
	       nr == LIBOS_NR_HOOK_INIT;
}

unsigned hook_libc_hook_calls(enum libc_hook h)
{
	return h < LIBC_HOOK_COUNT ? calls[h] : 0;
}

/* The copies live on this thread's LibOS stack (a slice has 128 KiB):
 * no lock, so a signal handler that calls a hook again cannot deadlock. */
static long map_library(uintptr_t path, uintptr_t base, uintptr_t phdr, unsigned long phnum)
{
	char name[PATH_MAX_BYTES];
	uint8_t headers[PHDR_MAX * 56]; /* Elf64_Phdr */
	struct libos_object o = {.path = name, .base = base, .kind = LIBOS_OBJECT_LIBRARY};

	if (hook_copy_string(name, sizeof(name), path) < 0 ||
	    (phnum && (phnum > PHDR_MAX || hook_copy_from(headers, phdr, phnum * 56) < 0)))
		return -EFAULT;
	o.phdr = phnum ? headers : NULL;
	o.phnum = (uint16_t)phnum;
	/* The loader announces what it sees mapped executable itself, once
	 * (map_events.c): the libc's call only names an object it missed. */
	for (struct patch_object *ob = patch_objects(); ob; ob = ob->next)
		if (ob->bias == base && ob->map_count) {
			hook_object_mapped(ob, LIBOS_OBJECT_LIBRARY, name);
			return 0;
		}
	hook_module_map_library(&o);
	return 0;
}

long hook_libc_hook_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	long r = 0;

	(void)t;
	switch (f->rax) {
	case LIBOS_NR_HOOK_MAP_LIBRARY:
		__atomic_add_fetch(&calls[LIBC_HOOK_MAP_LIBRARY], 1, __ATOMIC_RELAXED);
		r = map_library(f->rdi, f->rsi, f->rdx, f->r10);
		break;
	case LIBOS_NR_HOOK_REGISTER_LIBRARY:
		__atomic_add_fetch(&calls[LIBC_HOOK_REGISTER_LIBRARY], 1, __ATOMIC_RELAXED);
		r = map_library(f->rdi, f->rsi, 0, 0);
		break;
	case LIBOS_NR_HOOK_INIT:
		__atomic_add_fetch(&calls[LIBC_HOOK_INIT], 1, __ATOMIC_RELAXED);
		break;
	}
	f->rax = (uint64_t)r;
	return ARCH_ENTRY_RETURN;
}
