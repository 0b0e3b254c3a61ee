/* SPDX-License-Identifier: MIT */
/*
 * Where an object's code is and where its functions begin and end: the
 * executable sections (or segments, when the file has no section headers),
 * and function bounds from .eh_frame_hdr, then symbols, then the gaps
 * between known functions; and the entry points that those bounds, when
 * wrong, would hide (entry_points.h). The site finder disassembles one such function
 * around each `0f 05` it sees, never the whole object.
 */
#ifndef ELF_CODE_INDEX_H
#define ELF_CODE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "eh_frame.h"
#include "elf_view.h"
#include "entry_points.h"
#include "symbols.h"

struct elf_code_range {
	uint64_t lo, hi; /* vaddr span of executable bytes present in the file */
};

enum elf_bounds {
	ELF_BOUNDS_FDE,    /* an FDE of .eh_frame_hdr */
	ELF_BOUNDS_SYMBOL, /* a function symbol with a size */
	ELF_BOUNDS_GAP,    /* between known functions, within a code range */
};

struct elf_code_index {
	const struct elf_view *view;
	struct elf_eh_frame eh;
	struct elf_symbols syms;
	struct elf_code_range *ranges;
	size_t range_count;
	struct elf_entry_points entries; /* what no window may cross */
};

int elf_code_index_open(struct elf_code_index *ix, const struct elf_view *v);
void elf_code_index_free(struct elf_code_index *ix);

/* Bounds [*lo, *hi) of the function around pc, clamped to range r. */
enum elf_bounds elf_code_bounds(const struct elf_code_index *ix, const struct elf_code_range *r,
				uint64_t pc, uint64_t *lo, uint64_t *hi);

/* Printable "name+0xoff" for pc into buf, or "?" when no symbol covers it. */
const char *elf_code_symbolize(const struct elf_code_index *ix, uint64_t pc, char *buf,
			       size_t size);

#endif
