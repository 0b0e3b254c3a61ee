/* SPDX-License-Identifier: MIT */
/* Mapping an ELF image into memory, as binfmt_elf maps one. */
#ifndef ELF_MAP_H
#define ELF_MAP_H

#include <stdint.h>

#include "elf.h"

struct elf_mapped {
	uintptr_t bias;        /* runtime address = bias + p_vaddr */
	uintptr_t start, end;  /* the span the image occupies */
	uintptr_t entry;       /* bias + e_entry */
	uintptr_t phdr;        /* where the program headers are, or 0 */
	uintptr_t reserved_lo; /* [reserved_lo, start) is held for the caller */
};

/* Map e's PT_LOAD segments. ET_EXEC goes where it was linked; ET_DYN goes
 * at base when base is non-zero (its lowest page there), anywhere
 * otherwise. below more bytes right under the image are reserved too
 * (PROT_NONE; m->reserved_lo), when that space is free. Nothing already
 * mapped is ever replaced. Returns 0, or -errno with *why describing what
 * could not be done. */
int elf_map(const struct elf_file *e, uintptr_t base, size_t below, struct elf_mapped *m,
	    const char **why);

/* The mmap protection for a segment's p_flags. */
int elf_prot_of(uint32_t flags);

#endif
