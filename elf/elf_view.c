// SPDX-License-Identifier: MIT
/*
 * The analysis view of an ELF file: mapped read-only, headers validated by
 * the same rules the loader applies before running anything, and every
 * lookup bounds-checked against the file, so that a hostile file can make
 * analysis find nothing but never read outside it.
 */
#include <errno.h>
#include <string.h>
#include <sys.h>

#include "elf_view.h"

static void load_sections(struct elf_view *v)
{
	const Elf64_Ehdr *eh = v->eh;
	uint64_t size = (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr);

	if (eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > v->file_size || v->file_size - eh->e_shoff < size || eh->e_shoff % 8)
		return;
	v->sh = (const Elf64_Shdr *)(const void *)(v->file + eh->e_shoff);
	v->shnum = eh->e_shnum;
}

/* Validate the headers of the image at v->file. */
static int check(struct elf_view *v, const char **why)
{
	struct elf_layout layout;
	int r = 0;

	v->eh = (const Elf64_Ehdr *)(const void *)v->file;
	if (v->file_size < sizeof(Elf64_Ehdr)) {
		*why = "truncated ELF header";
		return -ENOEXEC;
	}
	if (memcmp(v->eh->e_ident, ELFMAG, SELFMAG) != 0) {
		*why = "not an ELF file";
		return -ENOEXEC;
	}
	r = elf_check_header(v->eh, v->file_size, why);
	if (r == 0 && v->eh->e_phoff % 8) {
		*why = "misaligned program header table";
		r = -ENOEXEC;
	}
	if (r == 0) {
		v->ph = (const Elf64_Phdr *)(const void *)(v->file + v->eh->e_phoff);
		r = elf_check_phdrs(v->eh, v->ph, v->file_size, &layout, why);
	}
	if (r == 0)
		load_sections(v);
	return r;
}

int elf_view_open_fd(struct elf_view *v, int fd, const char **why)
{
	struct stat st;
	long r;

	memset(v, 0, sizeof(*v));
	r = sys_fstat(fd, &st);
	if (r == 0 && (st.st_mode & S_IFMT) != S_IFREG) {
		*why = (st.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file";
		r = -EACCES;
	}
	if (r == 0 && (uint64_t)st.st_size < sizeof(Elf64_Ehdr)) {
		*why = "truncated ELF header";
		r = -ENOEXEC;
	}
	if (r == 0) {
		r = sys_mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (!sys_is_err(r)) {
			v->file = (const uint8_t *)r;
			v->file_size = (uint64_t)st.st_size;
			v->mapped = 1;
			r = check(v, why);
		}
	}
	if (r < 0)
		elf_view_close(v);
	return (int)r;
}

int elf_view_open(struct elf_view *v, const char *path, const char **why)
{
	long fd = sys_open(path, O_RDONLY);
	int r;

	if (fd < 0) {
		memset(v, 0, sizeof(*v));
		return (int)fd;
	}
	r = elf_view_open_fd(v, (int)fd, why);
	sys_close((int)fd);
	return r;
}

int elf_view_open_memory(struct elf_view *v, const void *image, uint64_t size, const char **why)
{
	int r;

	memset(v, 0, sizeof(*v));
	v->file = image;
	v->file_size = size;
	r = check(v, why);
	if (r < 0)
		memset(v, 0, sizeof(*v));
	return r;
}

void elf_view_close(struct elf_view *v)
{
	if (v->mapped && v->file)
		sys_munmap((void *)v->file, v->file_size);
	memset(v, 0, sizeof(*v));
}

const uint8_t *elf_view_at(const struct elf_view *v, uint64_t vaddr, uint64_t len)
{
	for (int i = 0; i < v->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &v->ph[i];
		if (!elf_is_load(p) || vaddr < p->p_vaddr)
			continue;
		uint64_t off = vaddr - p->p_vaddr;
		if (off <= p->p_filesz && p->p_filesz - off >= len)
			return v->file + p->p_offset + off;
	}
	return NULL;
}

const uint8_t *elf_view_read(const void *view, uint64_t vaddr, uint64_t len)
{
	return elf_view_at(view, vaddr, len);
}

const void *elf_view_section(const struct elf_view *v, int i, uint64_t *size)
{
	const Elf64_Shdr *s;

	if (!v->sh || i <= 0 || i >= v->shnum)
		return NULL;
	s = &v->sh[i];
	if (s->sh_type == SHT_NOBITS || s->sh_offset > v->file_size ||
	    v->file_size - s->sh_offset < s->sh_size)
		return NULL;
	*size = s->sh_size;
	return v->file + s->sh_offset;
}

const Elf64_Phdr *elf_view_phdr(const struct elf_view *v, uint32_t type)
{
	for (int i = 0; i < v->eh->e_phnum; i++)
		if (v->ph[i].p_type == type)
			return &v->ph[i];
	return NULL;
}
