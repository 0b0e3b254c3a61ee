/* SPDX-License-Identifier: MIT */
/*
 * Function bounds from .eh_frame_hdr: its sorted table maps a function's
 * start to its FDE, and the FDE gives the function's length. Compilers emit
 * an FDE for nearly every function (assembly with CFI too), which makes it
 * the cheapest exact answer to "which function contains this address".
 */
#ifndef ELF_EH_FRAME_H
#define ELF_EH_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "elf_view.h"

struct elf_eh_frame {
	const struct elf_view *view;
	uint64_t hdr_vaddr;
	const int32_t *table; /* fde_count pairs (initial location, FDE), hdr-relative */
	uint64_t fde_count;
};

/* Find and check the binary search table. Returns 0, or -ENOENT when the
 * object has none usable (absent, unsorted encoding, out of the file). */
int elf_eh_frame_open(struct elf_eh_frame *t, const struct elf_view *v);

/* The function containing pc: sets [*lo, *hi) and returns 0, or returns
 * -ENOENT. Also sets *prev_end and *next_start (when not NULL) to the end
 * of the nearest FDE before pc and the start of the next one, which bound
 * the gap pc lies in when no FDE covers it. A signal frame's FDE (glibc's
 * __restore_rt) starts one byte before its code, so that unwinders looking
 * up a return address less one find it: that byte is not the function's
 * but the gap's, and the function starts after it. */
int elf_eh_frame_find(const struct elf_eh_frame *t, uint64_t pc, uint64_t *lo, uint64_t *hi,
		      uint64_t *prev_end, uint64_t *next_start);

#endif
