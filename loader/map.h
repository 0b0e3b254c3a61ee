/* SPDX-License-Identifier: MIT */
/* Mapping an ELF image into memory, as binfmt_elf maps one. */
#ifndef LOADER_MAP_H
#define LOADER_MAP_H

#include <stdint.h>

#include "elf.h"

struct ldr_mapped {
	uintptr_t bias;       /* runtime address = bias + p_vaddr */
	uintptr_t start, end; /* the span the image occupies */
	uintptr_t entry;      /* bias + e_entry */
	uintptr_t phdr;       /* where the program headers are, or 0 */
	uintptr_t reserved_lo; /* [reserved_lo, start) is held for the caller */
};

/* Map e's PT_LOAD segments. ET_EXEC goes where it was linked; ET_DYN goes
 * at base when base is non-zero (its lowest page there), anywhere
 * otherwise. below more bytes right under the image are reserved too
 * (PROT_NONE; m->reserved_lo), when that space is free. Nothing already
 * mapped is ever replaced. Returns 0, or -errno with *why describing what
 * could not be done. */
int ldr_map_elf(const struct ldr_elf *e, uintptr_t base, size_t below, struct ldr_mapped *m,
		const char **why);

/* The mmap protection for a segment's p_flags. */
int ldr_prot_of(uint32_t flags);

/* Where the program should go so that it and its brk area are laid out as
 * the kernel lays them out: returns a base for an ET_DYN image of span
 * bytes and the given alignment, or 0 for "anywhere". */
uintptr_t ldr_program_base(uint64_t span, uint64_t align);

/* Where binfmt_elf would start the brk area of a program whose highest
 * segment ends at bss_end (loader_like: a static PIE, whose brk the
 * kernel moves to ELF_ET_DYN_BASE), randomized as the kernel randomizes
 * it unless randomization is off. */
uintptr_t ldr_brk_start(uintptr_t bss_end, int loader_like);

#endif
