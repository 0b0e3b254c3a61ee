/* SPDX-License-Identifier: MIT */
/*
 * The addresses where an object's code is entered from elsewhere, known
 * without trusting .eh_frame: every code symbol of .symtab and .dynsym
 * (sized or not) and every direct call/jmp/jcc rel32 target found in its
 * code. An FDE is only the unwinder's view of a function: a hand-written
 * file with one FDE around several global functions is common, and a
 * window planned over such a region must not cross any of these.
 */
#ifndef ELF_ENTRY_POINTS_H
#define ELF_ENTRY_POINTS_H

#include <stddef.h>
#include <stdint.h>

#include "elf_view.h"

struct elf_code_range;

struct elf_entry_points {
	uint64_t *v; /* ascending, each once */
	size_t count, cap;
};

/* Collect the entry points of v that lie in its code ranges
 * (ranges[0..count)). Returns 0 or -ENOMEM (then e holds none). */
int elf_entry_points_load(struct elf_entry_points *e, const struct elf_view *v,
			  const struct elf_code_range *ranges, size_t count);
void elf_entry_points_free(struct elf_entry_points *e);

/* The entry points in [lo, hi): a pointer into e->v, and their count. */
const uint64_t *elf_entry_points_in(const struct elf_entry_points *e, uint64_t lo, uint64_t hi,
				    size_t *count);

#endif
