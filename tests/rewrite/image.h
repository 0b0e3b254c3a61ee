/* SPDX-License-Identifier: MIT */
/* An ELF file read whole, for the golden test (image.c). */
#ifndef TESTS_REWRITE_IMAGE_H
#define TESTS_REWRITE_IMAGE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct image {
	const char *path;
	uint8_t *data;
	size_t size;
	const Elf64_Shdr *sh;
	size_t shnum;
	const char *shstr;
	size_t shstr_size;
};

/* Read the file at path whole and check what the test relies on: a 64-bit
 * x86-64 file whose section headers and their names lie inside it.
 * Returns 0, or -1 with why saying what is wrong. */
int image_load(const char *path, struct image *img, char *why, size_t why_size);
/* A section's name ("" when it has none), the section called name or
 * NULL. */
const char *image_section_name(const struct image *img, const Elf64_Shdr *s);
const Elf64_Shdr *image_section(const struct image *img, const char *name);
/* The decoder's read callback (arch_read_fn): len bytes at vaddr of the
 * image's loaded sections, or NULL. */
const uint8_t *image_read(const void *ctx, uint64_t vaddr, uint64_t len);
/* The symbol table (its entries, and names), or NULL; one entry's name
 * ("?" when it lies outside the names). */
const Elf64_Sym *image_symbols(const struct image *img, size_t *count, const char **str,
			       size_t *str_size);
const char *image_symbol_name(const Elf64_Sym *sym, const char *str, size_t str_size);
/* "name+0xoff" for the closest named address at or below addr. */
void image_where(const struct image *img, uint64_t addr, char *buf, size_t size);

#endif
