// SPDX-License-Identifier: MIT
/*
 * The golden test's view of an ELF file (image.h): the whole file read,
 * its section headers checked, sections and symbols looked up by name.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

/* Say why in why; returns -1. */
__attribute__((format(printf, 3, 4))) static int reason(char *why, size_t size, const char *fmt,
							...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* Read a whole ELF file and check what this program relies on: a 64-bit
 * x86-64 file whose section headers and their names lie inside it. */
int image_load(const char *path, struct image *img, char *why, size_t why_size)
{
	FILE *f = fopen(path, "rb");
	const Elf64_Ehdr *eh;
	long size;

	memset(img, 0, sizeof(*img));
	img->path = path;
	if (!f)
		return reason(why, why_size, "cannot open %s", path);
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < (long)sizeof(Elf64_Ehdr) ||
	    fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return reason(why, why_size, "%s: not an ELF file", path);
	}
	img->size = (size_t)size;
	img->data = malloc(img->size);
	if (!img->data || fread(img->data, 1, img->size, f) != img->size) {
		fclose(f);
		return reason(why, why_size, "cannot read %s", path);
	}
	fclose(f);
	eh = (const Elf64_Ehdr *)img->data;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_machine != EM_X86_64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > img->size ||
	    eh->e_shnum > (img->size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return reason(why, why_size,
			      "%s: not a 64-bit x86-64 ELF file with section headers", path);
	img->sh = (const Elf64_Shdr *)(img->data + eh->e_shoff);
	img->shnum = eh->e_shnum;
	for (size_t i = 0; i < img->shnum; i++)
		if (img->sh[i].sh_type != SHT_NOBITS &&
		    (img->sh[i].sh_offset > img->size ||
		     img->sh[i].sh_size > img->size - img->sh[i].sh_offset))
			return reason(why, why_size, "%s: a section lies outside the file", path);
	img->shstr = (const char *)img->data + img->sh[eh->e_shstrndx].sh_offset;
	img->shstr_size = img->sh[eh->e_shstrndx].sh_size;
	return 0;
}

const char *image_section_name(const struct image *img, const Elf64_Shdr *s)
{
	if (s->sh_name >= img->shstr_size ||
	    !memchr(img->shstr + s->sh_name, 0, img->shstr_size - s->sh_name))
		return "";
	return img->shstr + s->sh_name;
}

const Elf64_Shdr *image_section(const struct image *img, const char *name)
{
	for (size_t i = 0; i < img->shnum; i++)
		if (strcmp(image_section_name(img, &img->sh[i]), name) == 0)
			return &img->sh[i];
	return NULL;
}

/* The arch_read_fn over an image: bytes of its loaded sections (jump
 * tables live in .rodata). */
const uint8_t *image_read(const void *ctx, uint64_t vaddr, uint64_t len)
{
	const struct image *img = ctx;

	for (size_t i = 0; i < img->shnum; i++) {
		const Elf64_Shdr *s = &img->sh[i];
		if (!(s->sh_flags & SHF_ALLOC) || s->sh_type != SHT_PROGBITS)
			continue;
		if (vaddr >= s->sh_addr && len <= s->sh_size &&
		    vaddr - s->sh_addr <= s->sh_size - len)
			return img->data + s->sh_offset + (vaddr - s->sh_addr);
	}
	return NULL;
}

/* The symbol table's entries and names, or NULL when there is none. */
const Elf64_Sym *image_symbols(const struct image *img, size_t *count, const char **str,
			       size_t *str_size)
{
	const Elf64_Shdr *s = image_section(img, ".symtab");

	if (!s || s->sh_link >= img->shnum || s->sh_entsize != sizeof(Elf64_Sym))
		return NULL;
	*count = s->sh_size / sizeof(Elf64_Sym);
	*str = (const char *)img->data + img->sh[s->sh_link].sh_offset;
	*str_size = img->sh[s->sh_link].sh_size;
	return (const Elf64_Sym *)(img->data + s->sh_offset);
}

const char *image_symbol_name(const Elf64_Sym *sym, const char *str, size_t str_size)
{
	if (sym->st_name >= str_size || !memchr(str + sym->st_name, 0, str_size - sym->st_name))
		return "?";
	return str + sym->st_name;
}

/* "name+0xoff" for the closest named address at or below addr in img (the
 * expected files label windows and stubs, so this says which one). */
void image_where(const struct image *img, uint64_t addr, char *buf, size_t size)
{
	size_t count = 0, str_size = 0;
	const char *str = NULL, *best = NULL;
	const Elf64_Sym *sym = image_symbols(img, &count, &str, &str_size);
	uint64_t best_addr = 0;

	for (size_t i = 0; sym && i < count; i++) {
		int type = ELF64_ST_TYPE(sym[i].st_info);
		if ((type != STT_FUNC && type != STT_NOTYPE) || sym[i].st_shndx == SHN_UNDEF ||
		    sym[i].st_value > addr || (best && sym[i].st_value <= best_addr))
			continue;
		if (*image_symbol_name(&sym[i], str, str_size) == 0)
			continue;
		best = image_symbol_name(&sym[i], str, str_size);
		best_addr = sym[i].st_value;
	}
	if (best)
		snprintf(buf, size, "%s+0x%" PRIx64, best, addr - best_addr);
	else
		snprintf(buf, size, "?");
}
