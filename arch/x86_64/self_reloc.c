// SPDX-License-Identifier: MIT
/*
 * Stage 1 of start-up: apply the loader's own relative relocations.
 *
 * libos-loader is a static PIE; the kernel maps it anywhere and does not
 * relocate it. Until this function returns, no pointer stored in memory is
 * valid, so this file follows musl's dlstart rules: no calls, no globals
 * read, no string literals, nothing but arithmetic on the two addresses
 * _start computed PC-relatively (reloc.h's walker is inlined). Relocations
 * inside the `capstone_lazy` section are left for lazy_reloc.c, which
 * needs the base and the dynamic section: they are recorded here with
 * plain PC-relative stores.
 */
#include <linux/elf.h>
#include <stdint.h>

#include "reloc.h"

void arch_self_relocate(uintptr_t base, const Elf64_Dyn *dyn);

extern uintptr_t arch_load_base __attribute__((visibility("hidden")));
extern const Elf64_Dyn *arch_dynamic __attribute__((visibility("hidden")));
extern char __start_capstone_lazy[] __attribute__((visibility("hidden")));
extern char __stop_capstone_lazy[] __attribute__((visibility("hidden")));

__attribute__((used)) void arch_self_relocate(uintptr_t base, const Elf64_Dyn *dyn)
{
	arch_load_base = base;
	arch_dynamic = dyn;
	arch_relocate_relative(base, dyn, (uintptr_t)__start_capstone_lazy,
			       (uintptr_t)__stop_capstone_lazy, 0);
}
