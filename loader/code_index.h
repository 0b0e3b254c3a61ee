/* SPDX-License-Identifier: MIT */
/*
 * Where an object's code is and where its functions begin and end: the
 * executable sections (or segments, when the file has no section headers),
 * and function bounds from .eh_frame_hdr, then symbols, then the gaps
 * between known functions. The site finder disassembles one such function
 * around each `0f 05` it sees, never the whole object.
 */
#ifndef LOADER_CODE_INDEX_H
#define LOADER_CODE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "eh_frame.h"
#include "elf_view.h"
#include "symbols.h"

struct ldr_code_range {
	uint64_t lo, hi; /* vaddr span of executable bytes present in the file */
};

enum ldr_bounds {
	LDR_BOUNDS_FDE,    /* an FDE of .eh_frame_hdr */
	LDR_BOUNDS_SYMBOL, /* a function symbol with a size */
	LDR_BOUNDS_GAP,    /* between known functions, within a code range */
};

struct ldr_code_index {
	const struct ldr_view *view;
	struct ldr_eh_frame eh;
	struct ldr_symbols syms;
	struct ldr_code_range *ranges;
	size_t range_count;
};

int ldr_code_index_open(struct ldr_code_index *ix, const struct ldr_view *v);
void ldr_code_index_free(struct ldr_code_index *ix);

/* Bounds [*lo, *hi) of the function around pc, clamped to range r. */
enum ldr_bounds ldr_code_bounds(const struct ldr_code_index *ix, const struct ldr_code_range *r,
				uint64_t pc, uint64_t *lo, uint64_t *hi);

/* Printable "name+0xoff" for pc into buf, or "?" when no symbol covers it. */
const char *ldr_code_symbolize(const struct ldr_code_index *ix, uint64_t pc, char *buf,
			       size_t size);

#endif
