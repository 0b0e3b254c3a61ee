/* SPDX-License-Identifier: MIT */
/*
 * A read-only view of a whole ELF file in memory, for analysis: the code
 * the site finder reads is the code the mapped object will run (the loader
 * requires -z text, so code pages carry no relocations), and the file also
 * has the section headers and symbol tables that the mapped image lacks.
 */
#ifndef LOADER_ELF_VIEW_H
#define LOADER_ELF_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "elf.h"

struct ldr_view {
	int mapped;          /* file was mapped by ldr_view_open (unmap on close) */
	const uint8_t *file;
	uint64_t file_size;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	const Elf64_Shdr *sh; /* NULL when the file has no usable section headers */
	int shnum;
};

/* Map the file at path and validate its headers. Returns 0, or -errno with
 * *why set for a malformed file. */
int ldr_view_open(struct ldr_view *v, const char *path, const char **why);
/* The same, for an open descriptor (its offset is not used). */
int ldr_view_open_fd(struct ldr_view *v, int fd, const char **why);
/* A view of an ELF image already in memory as a file would be (the vDSO). */
int ldr_view_open_memory(struct ldr_view *v, const void *image, uint64_t size, const char **why);
void ldr_view_close(struct ldr_view *v);

/* The bytes at [vaddr, vaddr + len) as the file initialises them (inside
 * one PT_LOAD's file part), or NULL. */
const uint8_t *ldr_view_at(const struct ldr_view *v, uint64_t vaddr, uint64_t len);

/* ldr_view_at for a decoder's callback (arch_read_fn): view is a struct
 * ldr_view. */
const uint8_t *ldr_view_read(const void *view, uint64_t vaddr, uint64_t len);

/* The contents of section i (not SHT_NOBITS) when they lie in the file, or
 * NULL; *size is its size. */
const void *ldr_view_section(const struct ldr_view *v, int i, uint64_t *size);

/* The program header of type type, or NULL. */
const Elf64_Phdr *ldr_view_phdr(const struct ldr_view *v, uint32_t type);

#endif
