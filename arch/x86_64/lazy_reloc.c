// SPDX-License-Identifier: MIT
/*
 * The relocations stage 1 left out: those of the `capstone_lazy` section
 * (Capstone's x86 tables, ~1,900 pointers over ~10 pages). With the patch
 * cache warm, Capstone never runs, and applying them at every start would
 * cost a copy-on-write fault per page. arch_relocate_lazy applies them the
 * first time Capstone is needed; the caller serialises (the loader
 * context's lock).
 */
#include <linux/elf.h>
#include <stdint.h>

#include "arch.h"
#include "reloc.h"

extern char __start_capstone_lazy[] __attribute__((visibility("hidden")));
extern char __stop_capstone_lazy[] __attribute__((visibility("hidden")));

/* Recorded by arch_self_relocate (stage 1: plain stores, no relocation). */
uintptr_t arch_load_base;
const Elf64_Dyn *arch_dynamic;

static int done;

void arch_relocate_lazy(void)
{
	if (done || !arch_dynamic)
		return;
	arch_relocate_relative(arch_load_base, arch_dynamic, (uintptr_t)__start_capstone_lazy,
			       (uintptr_t)__stop_capstone_lazy, 1);
	done = 1;
}
