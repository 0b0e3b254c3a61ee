/* SPDX-License-Identifier: MIT */
/* Function symbols of an ELF file (.symtab, else .dynsym), for bounds and names. */
#ifndef ELF_SYMBOLS_H
#define ELF_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "elf_view.h"

struct elf_symbol {
	uint64_t addr, size;
	const char *name; /* inside the view's string table */
};

struct elf_symbols {
	struct elf_symbol *v; /* sorted by addr, one name per address */
	size_t count;
};

/* Collect defined function symbols with a size. Returns 0 (possibly with
 * none) or -ENOMEM. */
int elf_symbols_load(struct elf_symbols *s, const struct elf_view *v);
void elf_symbols_free(struct elf_symbols *s);

/* The function symbol whose [addr, addr + size) contains pc, or NULL. */
const struct elf_symbol *elf_symbols_find(const struct elf_symbols *s, uint64_t pc);

/* The end of the last function before pc and the start of the next one. */
void elf_symbols_gap(const struct elf_symbols *s, uint64_t pc, uint64_t *prev_end,
		     uint64_t *next_start);

/* The defined symbol called name of type type (STT_FUNC, STT_OBJECT) in
 * v's .symtab or .dynsym: its address and size. Returns 0 or -ENOENT. */
int elf_symbol_by_name(const struct elf_view *v, const char *name, unsigned type, uint64_t *addr,
		       uint64_t *size);

/* Call add(ctx, addr) for every defined symbol of an executable section
 * in v's .symtab and .dynsym (both: either may know an entry the other
 * does not), functions and untyped labels, with a size or none. Returns
 * 0 or the first negative value add returned. */
int elf_symbols_entries(const struct elf_view *v, int (*add)(void *ctx, uint64_t addr), void *ctx);

#endif
