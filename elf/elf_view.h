/* SPDX-License-Identifier: MIT */
/*
 * A read-only view of a whole ELF file in memory, for analysis: the code
 * the site finder reads is the code the mapped object will run (the loader
 * requires -z text, so code pages carry no relocations), and the file also
 * has the section headers and symbol tables that the mapped image lacks.
 */
#ifndef ELF_ELF_VIEW_H
#define ELF_ELF_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"

struct elf_view {
	int mapped; /* file was mapped by elf_view_open (unmap on close) */
	const uint8_t *file;
	uint64_t file_size;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	const Elf64_Shdr *sh; /* NULL when the file has no usable section headers */
	int shnum;
};

/* Map the file at path and validate its headers. Returns 0, or -errno with
 * *why set for a malformed file. */
int elf_view_open(struct elf_view *v, const char *path, const char **why);
/* The same, for an open descriptor (its offset is not used). */
int elf_view_open_fd(struct elf_view *v, int fd, const char **why);
/* A view of an ELF image already in memory as a file would be (the vDSO). */
int elf_view_open_memory(struct elf_view *v, const void *image, uint64_t size, const char **why);
void elf_view_close(struct elf_view *v);

/* The bytes at [vaddr, vaddr + len) as the file initialises them (inside
 * one PT_LOAD's file part), or NULL. */
const uint8_t *elf_view_at(const struct elf_view *v, uint64_t vaddr, uint64_t len);

/* elf_view_at for a decoder's callback (arch_read_fn): view is a struct
 * elf_view. */
const uint8_t *elf_view_read(const void *view, uint64_t vaddr, uint64_t len);

/* The contents of section i (not SHT_NOBITS) when they lie in the file, or
 * NULL; *size is its size. */
const void *elf_view_section(const struct elf_view *v, int i, uint64_t *size);

/* The program header of type type, or NULL. */
const Elf64_Phdr *elf_view_phdr(const struct elf_view *v, uint32_t type);

#endif
