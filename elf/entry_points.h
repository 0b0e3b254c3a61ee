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

/* One bit per byte of each code range: libc's 1.4 MiB of code has some
 * 50,000 branch patterns, and setting bits costs nothing next to sorting
 * them (10 ms on this machine class); a decoded region reads its own. */
struct elf_entry_points {
	const struct elf_code_range *ranges; /* the code index's */
	size_t count;
	uint8_t **bits; /* bits[i]: bit a - ranges[i].lo for an entry at a */
};

/* Collect the entry points of v that lie in its code ranges
 * (ranges[0..count)). Returns 0 or -ENOMEM (then e holds none). */
int elf_entry_points_load(struct elf_entry_points *e, const struct elf_view *v,
			  const struct elf_code_range *ranges, size_t count);
void elf_entry_points_free(struct elf_entry_points *e);

/* The first entry point of entries (a struct elf_entry_points) in
 * [from, hi), or hi when there is none (an arch_next_entry_fn). */
uint64_t elf_entry_points_next(const void *entries, uint64_t from, uint64_t hi);

#endif
