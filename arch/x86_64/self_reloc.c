// SPDX-License-Identifier: MIT
/*
 * Stage 1 of start-up: apply the loader's own relative relocations.
 *
 * libos-loader is a static PIE; the kernel maps it anywhere and does not
 * relocate it. Until this function returns, no pointer stored in memory is
 * valid, so this file follows musl's dlstart rules: no calls, no globals,
 * no string literals, nothing but arithmetic on the two addresses _start
 * computed PC-relatively. A static PIE linked with -z text contains only
 * R_X86_64_RELATIVE entries (packed as DT_RELR or as DT_RELA); a build
 * test (tests/unit/check-loader-binary.sh) proves that nothing else is
 * present. Relocations inside the `capstone_lazy` section are left for
 * lazy_reloc.c, which needs the base and the dynamic section: they are
 * recorded here with plain PC-relative stores.
 */
#include <stddef.h>
#include <stdint.h>
#include <linux/elf.h>

#include "reloc.h"

#ifndef DT_RELRSZ
#define DT_RELRSZ 35
#define DT_RELR   36
#endif

void arch_self_relocate(uintptr_t base, const Elf64_Dyn *dyn);

extern uintptr_t arch_load_base __attribute__((visibility("hidden")));
extern const Elf64_Dyn *arch_dynamic __attribute__((visibility("hidden")));
extern char __start_capstone_lazy[] __attribute__((visibility("hidden")));
extern char __stop_capstone_lazy[] __attribute__((visibility("hidden")));

__attribute__((used)) void arch_self_relocate(uintptr_t base, const Elf64_Dyn *dyn)
{
	uintptr_t rela = 0, relasz = 0, relr = 0, relrsz = 0;
	uintptr_t lazy_lo = (uintptr_t)__start_capstone_lazy, lazy_hi = (uintptr_t)__stop_capstone_lazy;

	arch_load_base = base;
	arch_dynamic = dyn;
	for (const Elf64_Dyn *d0 = dyn; dyn->d_tag != DT_NULL; dyn++) {
		(void)d0;
		switch (dyn->d_tag) {
		case DT_RELA:
			rela = dyn->d_un.d_ptr;
			break;
		case DT_RELASZ:
			relasz = dyn->d_un.d_val;
			break;
		case DT_RELR:
			relr = dyn->d_un.d_ptr;
			break;
		case DT_RELRSZ:
			relrsz = dyn->d_un.d_val;
			break;
		}
	}

	const Elf64_Rela *r = (const Elf64_Rela *)(base + rela);
	for (size_t i = 0; i < relasz / sizeof(*r); i++) {
		uintptr_t at = base + r[i].r_offset;
		if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_RELATIVE && (at < lazy_lo || at >= lazy_hi))
			*(uint64_t *)at = base + r[i].r_addend;
	}

	/* DT_RELR: an address word starts a run, a bitmap word (low bit 1)
	 * marks which of the next 63 words need the base added. */
	const uint64_t *w = (const uint64_t *)(base + relr);
	uint64_t *where = 0;
	for (size_t i = 0; i < relrsz / sizeof(*w); i++) {
		if ((w[i] & 1) == 0) {
			where = (uint64_t *)(base + w[i]);
			if ((uintptr_t)where < lazy_lo || (uintptr_t)where >= lazy_hi)
				*where += base;
			where++;
		} else {
			uint64_t bits = w[i] >> 1;
			for (int j = 0; bits; j++, bits >>= 1)
				if ((bits & 1) &&
				    ((uintptr_t)&where[j] < lazy_lo || (uintptr_t)&where[j] >= lazy_hi))
					where[j] += base;
			where += 63;
		}
	}
}
