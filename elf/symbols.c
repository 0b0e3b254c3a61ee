// SPDX-License-Identifier: MIT
/*
 * Function symbols, read from the file's section headers: .symtab where the
 * file was not stripped, .dynsym otherwise. Aliases share an address; the
 * one kept is the least decorated name (fewest leading underscores), which
 * is the one a reader recognises: `read` rather than `__libc_read`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbols.h"

static int leading_underscores(const char *s)
{
	int n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

static int by_addr(const void *a, const void *b)
{
	const struct elf_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	int ux = leading_underscores(x->name), uy = leading_underscores(y->name);
	if (ux != uy)
		return ux - uy;
	return strcmp(x->name, y->name);
}

/* Symbol table section i and its string table, or NULL when either is
 * not usable as it lies in the file: outside it, a wrong entry size, an
 * unterminated string table, or a table not aligned for reading in place. */
static const Elf64_Sym *symbol_table(const struct elf_view *v, int i, size_t *count,
				     const char **str, uint64_t *str_size)
{
	const Elf64_Shdr *sh = &v->sh[i];
	uint64_t size;
	const Elf64_Sym *sym = elf_view_section(v, i, &size);

	*str = elf_view_section(v, (int)sh->sh_link, str_size);
	if (!sym || !*str || sh->sh_entsize != sizeof(Elf64_Sym) || *str_size == 0 ||
	    (*str)[*str_size - 1] != '\0' || (uintptr_t)sym % _Alignof(Elf64_Sym))
		return NULL;
	*count = size / sizeof(Elf64_Sym);
	return sym;
}

/* Append the functions of symbol table section i. */
static int add_table(struct elf_symbols *s, const struct elf_view *v, int i)
{
	uint64_t str_size;
	const char *str;
	size_t n;
	const Elf64_Sym *sym = symbol_table(v, i, &n, &str, &str_size);

	if (!sym)
		return 0;
	/* realloc(p, 0) frees p and may return NULL: an empty table is not
	 * an allocation failure (and s->v must not be freed twice). */
	if (n == 0)
		return 0;
	struct elf_symbol *grown = realloc(s->v, (s->count + n) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	s->v = grown;
	for (size_t k = 0; k < n; k++) {
		unsigned type = ELF64_ST_TYPE(sym[k].st_info);
		if ((type != STT_FUNC && type != 10 /* STT_GNU_IFUNC */) ||
		    sym[k].st_shndx == SHN_UNDEF || sym[k].st_size == 0 ||
		    sym[k].st_value + sym[k].st_size < sym[k].st_value /* wraps */ ||
		    sym[k].st_name >= str_size)
			continue;
		s->v[s->count++] =
			(struct elf_symbol){sym[k].st_value, sym[k].st_size, str + sym[k].st_name};
	}
	return 0;
}

int elf_symbols_load(struct elf_symbols *s, const struct elf_view *v)
{
	int have_symtab = 0;

	memset(s, 0, sizeof(*s));
	for (int i = 1; i < v->shnum; i++)
		have_symtab |= v->sh[i].sh_type == SHT_SYMTAB;
	for (int i = 1; i < v->shnum; i++) {
		if (v->sh[i].sh_type == (have_symtab ? SHT_SYMTAB : SHT_DYNSYM) &&
		    add_table(s, v, i) < 0) {
			elf_symbols_free(s);
			return -ENOMEM;
		}
	}
	if (s->count > 1) /* s->v is NULL when no table had a function */
		qsort(s->v, s->count, sizeof(*s->v), by_addr);
	size_t kept = 0;
	for (size_t k = 0; k < s->count; k++)
		if (kept == 0 || s->v[kept - 1].addr != s->v[k].addr)
			s->v[kept++] = s->v[k];
	s->count = kept;
	return 0;
}

void elf_symbols_free(struct elf_symbols *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Index of the last symbol starting at or before pc, or count if none. */
static size_t last_at_or_before(const struct elf_symbols *s, uint64_t pc)
{
	size_t a = 0, b = s->count;

	if (!s->count || s->v[0].addr > pc)
		return s->count;
	while (b - a > 1) {
		size_t mid = a + (b - a) / 2;
		if (s->v[mid].addr <= pc)
			a = mid;
		else
			b = mid;
	}
	return a;
}

const struct elf_symbol *elf_symbols_find(const struct elf_symbols *s, uint64_t pc)
{
	size_t i = last_at_or_before(s, pc);

	/* A small function nested after a large alias can hide the one that
	 * contains pc; look back a few entries. */
	for (size_t k = 0; i < s->count && k < 8; k++, i--) {
		if (pc - s->v[i].addr < s->v[i].size)
			return &s->v[i];
		if (i == 0)
			break;
	}
	return NULL;
}

void elf_symbols_gap(const struct elf_symbols *s, uint64_t pc, uint64_t *prev_end,
		     uint64_t *next_start)
{
	size_t i = last_at_or_before(s, pc);

	*prev_end = 0;
	*next_start = UINT64_MAX;
	if (i < s->count) {
		*prev_end = s->v[i].addr + s->v[i].size;
		if (i + 1 < s->count)
			*next_start = s->v[i + 1].addr;
	} else if (s->count) {
		*next_start = s->v[0].addr;
	}
}

int elf_symbol_by_name(const struct elf_view *v, const char *name, unsigned type, uint64_t *addr,
		       uint64_t *size)
{
	for (int i = 1; i < v->shnum; i++) {
		const Elf64_Shdr *sh = &v->sh[i];
		uint64_t str_size;
		const char *str;
		size_t n;
		if (sh->sh_type != SHT_SYMTAB && sh->sh_type != SHT_DYNSYM)
			continue;
		const Elf64_Sym *sym = symbol_table(v, i, &n, &str, &str_size);
		if (!sym)
			continue;
		for (size_t k = 0; k < n; k++) {
			if (ELF64_ST_TYPE(sym[k].st_info) != type || sym[k].st_shndx == SHN_UNDEF ||
			    sym[k].st_name >= str_size || strcmp(str + sym[k].st_name, name) != 0)
				continue;
			*addr = sym[k].st_value;
			*size = sym[k].st_size;
			return 0;
		}
	}
	return -ENOENT;
}

int elf_symbols_entries(const struct elf_view *v, int (*add)(void *ctx, uint64_t addr), void *ctx)
{
	for (int i = 1; i < v->shnum; i++) {
		uint64_t str_size;
		const char *str;
		size_t n;
		if (v->sh[i].sh_type != SHT_SYMTAB && v->sh[i].sh_type != SHT_DYNSYM)
			continue;
		const Elf64_Sym *sym = symbol_table(v, i, &n, &str, &str_size);
		for (size_t k = 0; sym && k < n; k++) {
			unsigned type = ELF64_ST_TYPE(sym[k].st_info), shndx = sym[k].st_shndx;
			int r;
			/* Labels of hand-written code often have no type: any
			 * symbol of an executable section is a way in. */
			if ((type != STT_FUNC && type != 10 /* STT_GNU_IFUNC */ &&
			     type != STT_NOTYPE) ||
			    shndx == SHN_UNDEF || shndx >= (unsigned)v->shnum ||
			    !(v->sh[shndx].sh_flags & SHF_EXECINSTR))
				continue;
			if ((r = add(ctx, sym[k].st_value)) < 0)
				return r;
		}
	}
	return 0;
}
