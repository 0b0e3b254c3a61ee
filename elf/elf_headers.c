// SPDX-License-Identifier: MIT
/*
 * Reading an executable's headers from its descriptor: the ELF header, the
 * program header table and the PT_INTERP path, each validated before use
 * (elf_check.c). The result is everything map.c needs; nothing is mapped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "elf.h"

/* Reads exactly n bytes at off; a short read means the file is shorter than
 * its headers say, which validation already excluded unless it changed. */
static long read_exact(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		long r = sys_pread(fd, (char *)buf + done, n - done, (long)(off + done));
		if (r == -EINTR)
			continue;
		if (r < 0)
			return r;
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}

static int load_headers(struct elf_file *e, int fd, const void *head, size_t head_size,
			int needs_entry, const char **why)
{
	struct stat st;
	long r;

	memset(e, 0, sizeof(*e));
	e->fd = -1;
	r = sys_fstat(fd, &st);
	if (r < 0)
		return (int)r;
	e->file_size = (uint64_t)st.st_size;
	if (head_size < sizeof(e->ehdr)) {
		*why = "truncated ELF header";
		return -ENOEXEC;
	}
	memcpy(&e->ehdr, head, sizeof(e->ehdr));
	r = elf_check_header(&e->ehdr, e->file_size, why);
	if (r < 0)
		return (int)r;

	size_t ph_size = (size_t)e->ehdr.e_phnum * sizeof(Elf64_Phdr);
	e->phdrs = malloc(ph_size);
	if (!e->phdrs)
		return -ENOMEM;
	r = read_exact(fd, e->phdrs, ph_size, e->ehdr.e_phoff);
	if (r < 0)
		goto fail;
	r = elf_check_phdrs(&e->ehdr, e->phdrs, e->file_size, &e->layout, why);
	if (r < 0)
		goto fail;
	if (needs_entry && !e->layout.entry_in_code) {
		*why = "entry point is not in an executable segment";
		r = -ENOEXEC;
		goto fail;
	}

	if (e->layout.interp_index >= 0) {
		const Elf64_Phdr *p = &e->phdrs[e->layout.interp_index];
		e->interp = malloc(p->p_filesz);
		r = -ENOMEM;
		if (!e->interp)
			goto fail;
		r = read_exact(fd, e->interp, p->p_filesz, p->p_offset);
		if (r < 0)
			goto fail;
		if (e->interp[p->p_filesz - 1] != '\0' || strlen(e->interp) != p->p_filesz - 1) {
			*why = "interpreter path is not a single NUL-terminated string";
			r = -ENOEXEC;
			goto fail;
		}
	}
	e->fd = fd;
	return 0;
fail:
	free(e->interp);
	free(e->phdrs);
	e->interp = NULL;
	e->phdrs = NULL;
	return (int)r;
}

void elf_release(struct elf_file *e)
{
	if (e->fd >= 0)
		sys_close(e->fd);
	free(e->phdrs);
	free(e->interp);
	e->fd = -1;
	e->phdrs = NULL;
	e->interp = NULL;
}

int elf_load_headers(struct elf_file *e, int fd, const void *head, size_t head_size,
		     const char **why)
{
	return load_headers(e, fd, head, head_size, 1, why);
}

int elf_load_object_headers(struct elf_file *e, int fd, const void *head, size_t head_size,
			    const char **why)
{
	if (head_size < SELFMAG || memcmp(head, ELFMAG, SELFMAG) != 0) {
		*why = "not an ELF file";
		return -ENOEXEC;
	}
	return load_headers(e, fd, head, head_size, 0, why);
}
