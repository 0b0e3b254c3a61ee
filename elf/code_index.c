// SPDX-License-Identifier: MIT
/*
 * The code index of one object. Its ranges come from SHF_EXECINSTR sections
 * where the file has section headers, which keeps read-only data that
 * shares an executable segment (older layouts, `.rodata` next to `.text`)
 * out of the search; otherwise from the executable PT_LOADs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code_index.h"

static int add_range(struct elf_code_index *ix, uint64_t lo, uint64_t hi)
{
	struct elf_code_range *grown;

	if (hi <= lo || !elf_view_at(ix->view, lo, hi - lo))
		return 0;
	grown = realloc(ix->ranges, (ix->range_count + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ix->ranges = grown;
	ix->ranges[ix->range_count++] = (struct elf_code_range){lo, hi};
	return 0;
}

static int in_exec_segment(const struct elf_view *v, uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < v->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &v->ph[i];
		if (elf_is_load(p) && p->p_flags & PF_X && lo >= p->p_vaddr &&
		    hi <= p->p_vaddr + p->p_filesz)
			return 1;
	}
	return 0;
}

int elf_code_index_open(struct elf_code_index *ix, const struct elf_view *v)
{
	int r = 0;

	memset(ix, 0, sizeof(*ix));
	ix->view = v;
	elf_eh_frame_open(&ix->eh, v);
	if (v->sh)
		r = elf_symbols_load(&ix->syms, v);
	for (int i = 1; r == 0 && v->sh && i < v->shnum; i++) {
		const Elf64_Shdr *s = &v->sh[i];
		if (s->sh_type == SHT_PROGBITS &&
		    (s->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) == (SHF_ALLOC | SHF_EXECINSTR) &&
		    in_exec_segment(v, s->sh_addr, s->sh_addr + s->sh_size))
			r = add_range(ix, s->sh_addr, s->sh_addr + s->sh_size);
	}
	if (r == 0 && ix->range_count == 0) {
		for (int i = 0; r == 0 && i < v->eh->e_phnum; i++) {
			const Elf64_Phdr *p = &v->ph[i];
			if (elf_is_load(p) && p->p_flags & PF_X)
				r = add_range(ix, p->p_vaddr, p->p_vaddr + p->p_filesz);
		}
	}
	if (r == 0)
		r = elf_entry_points_load(&ix->entries, v, ix->ranges, ix->range_count);
	if (r < 0)
		elf_code_index_free(ix);
	return r;
}

void elf_code_index_free(struct elf_code_index *ix)
{
	elf_symbols_free(&ix->syms);
	elf_entry_points_free(&ix->entries);
	free(ix->ranges);
	ix->ranges = NULL;
	ix->range_count = 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

enum elf_bounds elf_code_bounds(const struct elf_code_index *ix, const struct elf_code_range *r,
				uint64_t pc, uint64_t *lo, uint64_t *hi)
{
	uint64_t fde_prev, fde_next, sym_prev, sym_next;
	enum elf_bounds kind;
	const struct elf_symbol *sym;

	if (elf_eh_frame_find(&ix->eh, pc, lo, hi, &fde_prev, &fde_next) == 0) {
		kind = ELF_BOUNDS_FDE;
	} else if ((sym = elf_symbols_find(&ix->syms, pc))) {
		*lo = sym->addr;
		*hi = sym->addr + sym->size;
		kind = ELF_BOUNDS_SYMBOL;
	} else {
		elf_symbols_gap(&ix->syms, pc, &sym_prev, &sym_next);
		*lo = max_u64(fde_prev, sym_prev);
		*hi = min_u64(fde_next, sym_next);
		if (*lo > pc)
			*lo = r->lo;
		if (*hi <= pc)
			*hi = r->hi;
		kind = ELF_BOUNDS_GAP;
	}
	*lo = max_u64(*lo, r->lo);
	*hi = min_u64(*hi, r->hi);
	return kind;
}

const char *elf_code_symbolize(const struct elf_code_index *ix, uint64_t pc, char *buf, size_t size)
{
	const struct elf_symbol *s = elf_symbols_find(&ix->syms, pc);

	if (!s)
		return "?";
	snprintf(buf, size, "%s+0x%lx", s->name, (unsigned long)(pc - s->addr));
	return buf;
}
