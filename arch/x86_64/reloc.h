/* SPDX-License-Identifier: MIT */
/*
 * Relocations: the x86-64 types a position-independent object can carry
 * (the psABI's numbers; <linux/elf.h> does not have them), and the one
 * walker of the loader's own R_X86_64_RELATIVE words, which stage 1
 * (self_reloc.c) and the lazy pass (lazy_reloc.c) each run over their part
 * of the image.
 */
#ifndef ARCH_RELOC_H
#define ARCH_RELOC_H

#include <linux/elf.h>
#include <stddef.h>
#include <stdint.h>

#define R_X86_64_NONE      0
#define R_X86_64_64        1
#define R_X86_64_GLOB_DAT  6
#define R_X86_64_JUMP_SLOT 7
#define R_X86_64_RELATIVE  8

#ifndef DT_RELRSZ
#define DT_RELRSZ 35
#define DT_RELR   36
#endif

/* Whether address at is one the walk applies: inside [lo, hi), or outside
 * it. */
static inline __attribute__((always_inline)) int arch_reloc_wanted(uintptr_t at, uintptr_t lo,
								   uintptr_t hi, int inside)
{
	return (at >= lo && at < hi) == (inside != 0);
}

/*
 * Apply the R_X86_64_RELATIVE relocations of the image at base (its
 * dynamic section dyn) to the words inside [lo, hi) when inside is
 * non-zero, to every other word when it is zero: from DT_RELA, and from
 * DT_RELR, where an address word starts a run and a bitmap word (low bit
 * 1) marks which of the next 63 words need the base added. A static PIE
 * linked with -z text holds no other type (tests/unit's loader-binary).
 * Stage 1 runs this before any relocation is applied: it is always
 * inlined and reads nothing but its arguments and the tables.
 */
static inline __attribute__((always_inline)) void
arch_relocate_relative(uintptr_t base, const Elf64_Dyn *dyn, uintptr_t lo, uintptr_t hi, int inside)
{
	uintptr_t rela = 0, relasz = 0, relr = 0, relrsz = 0;

	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_RELA)
			rela = dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_RELASZ)
			relasz = dyn->d_un.d_val;
		else if (dyn->d_tag == DT_RELR)
			relr = dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_RELRSZ)
			relrsz = dyn->d_un.d_val;
	}
	const Elf64_Rela *r = (const Elf64_Rela *)(base + rela);
	for (size_t i = 0; i < relasz / sizeof(*r); i++) {
		uintptr_t at = base + r[i].r_offset;
		if (ELF64_R_TYPE(r[i].r_info) == R_X86_64_RELATIVE &&
		    arch_reloc_wanted(at, lo, hi, inside))
			*(uint64_t *)at = base + r[i].r_addend;
	}
	const uint64_t *w = (const uint64_t *)(base + relr);
	uint64_t *where = 0;
	for (size_t i = 0; i < relrsz / sizeof(*w); i++) {
		if ((w[i] & 1) == 0) {
			where = (uint64_t *)(base + w[i]);
			if (arch_reloc_wanted((uintptr_t)where, lo, hi, inside))
				*where += base;
			where++;
		} else {
			uint64_t bits = w[i] >> 1;
			for (int j = 0; bits; j++, bits >>= 1)
				if ((bits & 1) &&
				    arch_reloc_wanted((uintptr_t)&where[j], lo, hi, inside))
					where[j] += base;
			where += 63;
		}
	}
}

#endif
