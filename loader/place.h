/* SPDX-License-Identifier: MIT */
/* Where the kernel would place the program and its brk area (place.c). */
#ifndef LOADER_PLACE_H
#define LOADER_PLACE_H

#include <stdint.h>

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
