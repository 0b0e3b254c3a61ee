// SPDX-License-Identifier: MIT
/*
 * The site list reader (see site_list.h). Everything it reads is hostile
 * until checked: note sizes are bounded by their segment, the list's
 * bounds by the file's PT_LOAD contents and ELF_SITE_LIST_MAX, sizes must
 * be whole entries, and a version this loader does not know is refused.
 * A refused note costs the object nothing but its note: it is then
 * analysed as if it had none.
 */
#include <errno.h>
#include <libos/note.h>
#include <libos/version.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "note.h"
#include "site_list.h"

_Static_assert(LIBOS_NOTE_CONTRACT_VERSION == LIBOS_CONTRACT_VERSION,
	       "note.h and version.h must agree on the contract version");

#define EARLIER_SECTION ".syscall_instructions"

void elf_site_list_warn(const char *name, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n = snprintf(line, sizeof(line), "libos-loader: %s: ", name && *name ? name : "?");

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	dprintf(2, "%s\n", line);
}

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* The LibOS note's descriptor in v, with its link-time address; NULL when
 * the object has none. */
static const uint8_t *find_note(const struct elf_view *v, uint32_t *descsz, uint64_t *desc_vaddr)
{
	for (int i = 0; i < v->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &v->ph[i];
		if (p->p_type != PT_NOTE || p->p_offset > v->file_size ||
		    v->file_size - p->p_offset < p->p_filesz)
			continue;
		struct elf_note n;
		if (elf_note_find(v->file + p->p_offset, p->p_filesz, p->p_align, LIBOS_NOTE_OWNER,
				  LIBOS_NOTE_TYPE_SITES, &n) == 0) {
			*descsz = n.descsz;
			*desc_vaddr = p->p_vaddr + n.desc_offset;
			return n.desc;
		}
	}
	return NULL;
}

static int read_note(const struct elf_view *v, const char *name, const uint8_t *d, uint32_t descsz,
		     uint64_t desc_vaddr, struct elf_site_list *out)
{
	if (descsz < LIBOS_NOTE_DESC_SIZE) {
		elf_site_list_warn(name, "LibOS note: descriptor of %u bytes, under %d: ignored",
				   descsz, LIBOS_NOTE_DESC_SIZE);
		return 0;
	}
	uint32_t version = u32(d), flags = u32(d + 4);
	unsigned padding = d[8], entry_size = d[9];
	uint64_t lo = desc_vaddr + u64(d + 16), hi = desc_vaddr + u64(d + 24);
	if (version != LIBOS_CONTRACT_VERSION) {
		elf_site_list_warn(name,
				   "LibOS note: contract version %u, this loader knows %d: "
				   "ignored",
				   version, LIBOS_CONTRACT_VERSION);
		return 0;
	}
	if (entry_size != LIBOS_SITE_ENTRY_SIZE || hi < lo || (hi - lo) % LIBOS_SITE_ENTRY_SIZE ||
	    (hi - lo) / LIBOS_SITE_ENTRY_SIZE > ELF_SITE_LIST_MAX) {
		elf_site_list_warn(name,
				   "LibOS note: the site list is malformed (entry size %u, "
				   "%ld bytes): ignored",
				   entry_size, (long)(hi - lo));
		return 0;
	}
	const uint8_t *list = hi > lo ? elf_view_at(v, lo, hi - lo) : NULL;
	if (hi > lo && !list) {
		elf_site_list_warn(name,
				   "LibOS note: the site list at 0x%lx is outside the file's "
				   "contents: ignored",
				   (unsigned long)lo);
		return 0;
	}
	out->count = (hi - lo) / LIBOS_SITE_ENTRY_SIZE;
	out->v = calloc(out->count + 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (size_t i = 0; i < out->count; i++) {
		const uint8_t *e = list + i * LIBOS_SITE_ENTRY_SIZE;
		uint64_t at = lo + i * LIBOS_SITE_ENTRY_SIZE;
		out->v[i] = (struct elf_listed){at, at + u64(e), e[8]};
	}
	(void)padding; /* each entry states its own; the note's is the producer's default */
	out->layout = ELF_SITE_LIST_NOTE;
	out->flags = flags;
	return 0;
}

/* The section called name, with its contents; -1 when absent. */
static int section_named(const struct elf_view *v, const char *name)
{
	uint64_t size;
	const char *names;

	if (!v->sh || v->eh->e_shstrndx >= v->shnum)
		return -1;
	names = elf_view_section(v, v->eh->e_shstrndx, &size);
	if (!names || size == 0)
		return -1;
	for (int i = 1; i < v->shnum; i++) {
		uint32_t at = v->sh[i].sh_name;
		size_t n = strlen(name);
		if (at < size && size - at > n && memcmp(names + at, name, n + 1) == 0)
			return i;
	}
	return -1;
}

/* The earlier layout: entries of an 8-byte link-time address and a 1-byte
 * window length (syscall and nops), packed (9 bytes) or as the C struct
 * lays them out (16); sh_entsize decides when it says, else the size. */
/* The earlier layout's entry size: sh_entsize when it says 9 (packed) or
 * 16 (the C struct's padding); else the one the size allows. When both do
 * (a multiple of 144 bytes), 16 only if every entry's padding, bytes 9 to
 * 15, is zero, as a compiler leaves a struct's: read with a stride of 16,
 * a packed list has the low bytes of the next entry's address there,
 * which no code address has all zero. */
static uint64_t earlier_entry_size(const uint8_t *s, uint64_t size, uint64_t entsize)
{
	if (entsize == 9 || entsize == 16)
		return entsize;
	if (size % 16)
		return 9;
	if (size % 9 || !s)
		return 16;
	for (uint64_t at = 0; at < size; at += 16)
		for (int k = 9; k < 16; k++)
			if (s[at + (uint64_t)k])
				return 9;
	return 16;
}

static int read_earlier(const struct elf_view *v, const char *name, struct elf_site_list *out)
{
	int i = section_named(v, EARLIER_SECTION);
	uint64_t size = 0, entry;
	const uint8_t *s;

	if (i < 0)
		return 0;
	s = elf_view_section(v, i, &size);
	if (!s)
		size = v->sh[i].sh_size; /* for the message */
	entry = earlier_entry_size(s, size, v->sh[i].sh_entsize);
	if (!s || !(v->sh[i].sh_flags & SHF_ALLOC) || size % entry ||
	    size / entry > ELF_SITE_LIST_MAX) {
		elf_site_list_warn(name, "%s: malformed (%lu bytes): ignored", EARLIER_SECTION,
				   (unsigned long)size);
		return 0;
	}
	out->count = size / entry;
	out->v = calloc(out->count + 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (size_t k = 0; k < out->count; k++) {
		const uint8_t *e = s + k * entry;
		unsigned window = e[8];
		/* A window shorter than the syscall gets an impossible padding:
		 * refused as such, one entry at a time. */
		out->v[k] = (struct elf_listed){v->sh[i].sh_addr + k * entry, u64(e),
						window >= 2 ? window - 2 : 0};
	}
	out->layout = ELF_SITE_LIST_EARLIER;
	out->flags = LIBOS_NOTE_COMPLETE; /* that proposal's list is complete */
	return 0;
}

int elf_site_list_read(const struct elf_view *v, const char *name, struct elf_site_list *out)
{
	uint32_t descsz;
	uint64_t desc_vaddr;
	const uint8_t *d = find_note(v, &descsz, &desc_vaddr);

	memset(out, 0, sizeof(*out));
	if (d)
		return read_note(v, name, d, descsz, desc_vaddr, out);
	return read_earlier(v, name, out);
}

void elf_site_list_free(struct elf_site_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
