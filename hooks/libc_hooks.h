/* SPDX-License-Identifier: MIT */
/*
 * The weak hooks of a LibOS-ready libc (include/libos/note.h), as the
 * dispatcher receives them: the loader rewrote each hook's entry (noted.c)
 * into a stub that enters the LibOS with a private syscall number, and
 * they are answered here, by the module's hooks, never by the kernel.
 */
#ifndef HOOKS_LIBC_HOOKS_H
#define HOOKS_LIBC_HOOKS_H

#include <libos/libos.h>

#include "arch.h"
#include "tcb.h"

enum libc_hook {
	LIBC_HOOK_MAP_LIBRARY,      /* __libos_map_library(path, base, phdr, phnum) */
	LIBC_HOOK_REGISTER_LIBRARY, /* __libos_register_library(name, load_address) */
	LIBC_HOOK_INIT,             /* __libos_init(version) */
	LIBC_HOOK_COUNT,
};

/* Whether nr is one of the hooks' private numbers. */
int hook_is_libc_hook(unsigned long nr);

/* Answer the hook call in f (its number in f->rax, arguments as a
 * syscall's); the result goes to f->rax. Returns ARCH_ENTRY_RETURN. */
long hook_libc_hook_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap);

/* How many times the program called hook h (the report). */
unsigned hook_libc_hook_calls(enum libc_hook h);

/* The module's map_library hook (hooks/module.c). */
void hook_module_map_library(const struct libos_object *o);

#endif
