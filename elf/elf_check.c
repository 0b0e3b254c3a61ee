// SPDX-License-Identifier: MIT
/*
 * Validation of ELF and program headers, before anything is mapped.
 *
 * binfmt_elf trusts much of a file and lets the program crash later; the
 * loader is a place where hostile files arrive (binfmt_misc, containers),
 * so every field is checked before it is used, each failure with its own
 * reason. The checks are pure functions of the headers and the file size,
 * so that tests/unit can drive them directly.
 *
 * What the kernel runs, the loader runs: fields binfmt_elf ignores are
 * ignored here too (EI_CLASS, EI_DATA, EI_VERSION, e_version: it checks
 * only the magic, e_type, e_machine, e_phentsize and e_phnum, and reads
 * the headers as 64-bit little-endian whatever e_ident says), and a
 * p_align that is not a power of two is skipped, as maximum_alignment()
 * skips it. Stricter checks remain only where the loader would otherwise
 * misbehave (a segment outside the file or the address space, say).
 */
#include <errno.h>
#include <stddef.h>

#include "elf.h"

#define FAIL(reason)                                                                               \
	do {                                                                                       \
		*why = (reason);                                                                   \
		return -ENOEXEC;                                                                   \
	} while (0)

int elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size, const char **why)
{
	if (file_size < sizeof(*eh))
		FAIL("truncated ELF header");
	if (eh->e_machine != EM_X86_64)
		FAIL("wrong machine: not x86-64");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		FAIL(eh->e_type == ET_REL    ? "not an executable: relocatable object"
		     : eh->e_type == ET_CORE ? "not an executable: core file"
					     : "not an executable: unknown ELF type");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		FAIL("bad program header entry size");
	if (eh->e_phnum == 0)
		FAIL("no program headers");
	if ((uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > ELF_MAX_PHDR_SIZE)
		FAIL("too many program headers");
	if (eh->e_phoff > file_size ||
	    file_size - eh->e_phoff < (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr))
		FAIL("program header table is outside the file");
	return 0;
}

static int is_power_of_two(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Checks one PT_LOAD on its own. */
static const char *check_load(const Elf64_Phdr *p, uint64_t file_size)
{
	uint64_t end;

	if (p->p_filesz > p->p_memsz)
		return "segment's file size exceeds its memory size";
	if (p->p_offset > file_size || file_size - p->p_offset < p->p_filesz)
		return "segment extends past the end of the file (truncated file?)";
	if (__builtin_add_overflow(p->p_vaddr, p->p_memsz, &end) || end > TASK_SIZE_MAX)
		return "segment wraps around or lies outside the user address space";
	if ((p->p_vaddr - p->p_offset) % PAGE_SIZE)
		return "segment's address and file offset disagree modulo the page size";
	return NULL;
}

int elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t file_size,
		    struct elf_layout *out, const char **why)
{
	uint64_t prev_end = 0;
	int loads = 0, entry_ok = 0;

	out->lo = out->hi = 0;
	out->align = PAGE_SIZE;
	out->interp_index = -1;
	out->exec_stack = 0;
	out->entry_in_code = 0;
	out->phdr_vaddr = ELF_NO_PHDR;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];

		if (p->p_type == PT_INTERP && out->interp_index < 0) {
			/* binfmt_elf takes the first PT_INTERP and ignores the rest. */
			if (p->p_filesz < 2 || p->p_filesz > 4096)
				FAIL("bad interpreter path length");
			if (p->p_offset > file_size || file_size - p->p_offset < p->p_filesz)
				FAIL("interpreter path is outside the file");
			out->interp_index = i;
		} else if (p->p_type == PT_GNU_STACK) {
			out->exec_stack = !!(p->p_flags & PF_X);
		}
		if (!elf_is_load(p))
			continue;

		const char *bad = check_load(p, file_size);
		if (bad)
			FAIL(bad);
		if (loads && p->p_vaddr < prev_end)
			FAIL("segments overlap or are out of order");
		prev_end = p->p_vaddr + p->p_memsz;
		if (!loads)
			out->lo = PAGE_DOWN(p->p_vaddr);
		out->hi = PAGE_UP(prev_end);
		/* maximum_alignment() ignores what is not a power of two. One
		 * beyond half the address space the kernel cannot honour
		 * either (its load bias rounds to 0 and it places the image
		 * anyway): ignored, not to overflow the reservation below. */
		if (is_power_of_two(p->p_align) && p->p_align <= ELF_MAX_ALIGN &&
		    p->p_align > out->align)
			out->align = p->p_align;
		if (eh->e_phoff >= p->p_offset && eh->e_phoff - p->p_offset < p->p_filesz &&
		    p->p_filesz - (eh->e_phoff - p->p_offset) >= eh->e_phnum * sizeof(*ph))
			out->phdr_vaddr = p->p_vaddr + (eh->e_phoff - p->p_offset);
		if (p->p_flags & PF_X && eh->e_entry >= p->p_vaddr &&
		    eh->e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = 1;
		loads++;
	}
	if (!loads)
		FAIL("no loadable segments");
	if (out->hi - out->lo > TASK_SIZE_MAX / 2)
		FAIL("absurd image size");
	out->entry_in_code = entry_ok;
	return 0;
}
