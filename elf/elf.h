/* SPDX-License-Identifier: MIT */
/*
 * ELF files as the loader reads them: validation of the headers, and an
 * opened, validated executable ready to map. Validation follows binfmt_elf's
 * rules and adds the checks that make a hostile file fail with a reason
 * instead of a crash later.
 */
#ifndef ELF_ELF_H
#define ELF_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/elf.h>
#include <page.h>

#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY 0x6474e553
#endif
#ifndef DT_GNU_HASH
#define DT_GNU_HASH 0x6ffffef5
#endif

/* The kernel's first probe: the start of a file, as much as exec reads. */
#define ELF_BINPRM_BUF_SIZE 256
/* binfmt_elf refuses program header tables larger than 64 KiB (older
 * kernels: one page; this kernel runs a file with 100 headers). */
#define ELF_MAX_PHDR_SIZE 65536
/* The largest p_align honoured: half the user address space. */
#define ELF_MAX_ALIGN (1UL << 46)

#define ELF_NO_PHDR UINT64_MAX

/* The facts validation derives from the program headers. */
struct elf_layout {
	uint64_t lo, hi;     /* page-aligned span of the PT_LOAD segments */
	uint64_t align;      /* the largest PT_LOAD alignment (>= page) */
	int interp_index;    /* index of PT_INTERP, or -1 */
	int exec_stack;      /* PT_GNU_STACK asks for an executable stack */
	int entry_in_code;   /* e_entry lies in an executable segment */
	uint64_t phdr_vaddr; /* where the program headers are in memory,
				or ELF_NO_PHDR when no segment loads them */
};

/* A PT_LOAD that maps anything: binfmt_elf (and elf_check_phdrs) skip
 * the ones with p_memsz == 0 without checking their other fields, so
 * every reader of segments must skip them too, or it trusts unchecked
 * offsets and sizes. */
static inline int elf_is_load(const Elf64_Phdr *p)
{
	return p->p_type == PT_LOAD && p->p_memsz != 0;
}

/* Check the ELF header of a file of file_size bytes. Returns 0, or -ENOEXEC
 * with *why saying which rule failed. */
int elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size, const char **why);

/* Check the program headers (already read from the file) and derive the
 * layout. Returns 0, or -ENOEXEC with *why. */
int elf_check_phdrs(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, uint64_t file_size,
		    struct elf_layout *out, const char **why);

/* An executable opened for mapping. */
struct elf_file {
	int fd;
	uint64_t file_size;
	Elf64_Ehdr ehdr;
	Elf64_Phdr *phdrs; /* ehdr.e_phnum entries, malloc'ed */
	struct elf_layout layout;
	char *interp; /* PT_INTERP's path, malloc'ed, or NULL */
};

/* Validate the ELF whose first bytes (head, head_size of them, at least the
 * ELF header's worth when the file is that long) were read from fd, read
 * its program headers and PT_INTERP. Takes ownership of fd on success.
 * Returns 0, or -errno with *why set when the file is malformed. */
int elf_load_headers(struct elf_file *e, int fd, const void *head, size_t head_size,
		     const char **why);

/* The same for a shared object that is not a program (a LibOS module):
 * it needs no entry point. */
int elf_load_object_headers(struct elf_file *e, int fd, const void *head, size_t head_size,
			    const char **why);

/* Release what elf_load_headers took (the descriptor, the copies). */
void elf_release(struct elf_file *e);

#endif
