/* SPDX-License-Identifier: MIT */
/* Function symbols of an ELF file (.symtab, else .dynsym), for bounds and names. */
#ifndef LOADER_SYMBOLS_H
#define LOADER_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "elf_view.h"

struct ldr_symbol {
	uint64_t addr, size;
	const char *name; /* inside the view's string table */
};

struct ldr_symbols {
	struct ldr_symbol *v; /* sorted by addr, one name per address */
	size_t count;
};

/* Collect defined function symbols with a size. Returns 0 (possibly with
 * none) or -ENOMEM. */
int ldr_symbols_load(struct ldr_symbols *s, const struct ldr_view *v);
void ldr_symbols_free(struct ldr_symbols *s);

/* The function symbol whose [addr, addr + size) contains pc, or NULL. */
const struct ldr_symbol *ldr_symbols_find(const struct ldr_symbols *s, uint64_t pc);

/* The end of the last function before pc and the start of the next one. */
void ldr_symbols_gap(const struct ldr_symbols *s, uint64_t pc, uint64_t *prev_end,
		     uint64_t *next_start);

/* The defined symbol called name of type type (STT_FUNC, STT_OBJECT) in
 * v's .symtab or .dynsym: its address and size. Returns 0 or -ENOENT. */
int ldr_symbol_by_name(const struct ldr_view *v, const char *name, unsigned type, uint64_t *addr,
		       uint64_t *size);

#endif
