// SPDX-License-Identifier: MIT
/*
 * --mark FILE / --unmark FILE: the signature binfmt_misc's registration
 * matches (binfmt_magic.h), written into the file in place: only the 7
 * bytes of e_ident's padding change, by one pwrite, and only when they
 * change; the file is neither truncated, replaced nor renamed, so its
 * inode, owner, mode and links stay. Its mtime moves as with any write:
 * keeping it would hide a content change from make, backups and rsync's
 * quick check.
 *
 * Refused: what is not an x86-64 ELF64 executable (ET_EXEC, or ET_DYN
 * flagged DF_1_PIE), since the kernel would not run it under the mark
 * anyway; a shared object, because glibc's ld.so checks that padding is
 * zero in every object it loads (elf/dl-load.c, VALID_ELF_HEADER and the
 * EI_PAD check: "ELF file's padding not zero") and would refuse the
 * library; and padding that already holds bytes that are not the mark.
 */
#include <errno.h>
#include <libc.h>
#include <linux/elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "binfmt_magic.h"
#include "error.h"
#include "mark.h"

#ifndef DF_1_PIE
#define DF_1_PIE 0x08000000
#endif

/* Whether the ET_DYN file's dynamic section says DF_1_PIE: an executable,
 * not a library. 1, 0, or -errno. */
static int is_pie(int fd, const Elf64_Ehdr *eh)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		if (sys_pread(fd, &ph, sizeof(ph),
			      (long)(eh->e_phoff + (uint64_t)i * sizeof(ph))) != sizeof(ph))
			return -ENOEXEC;
		if (ph.p_type != PT_DYNAMIC)
			continue;
		for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= ph.p_filesz;
		     off += sizeof(Elf64_Dyn)) {
			Elf64_Dyn d;
			if (sys_pread(fd, &d, sizeof(d), (long)(ph.p_offset + off)) != sizeof(d))
				return -ENOEXEC;
			if (d.d_tag == DT_NULL)
				break;
			if (d.d_tag == DT_FLAGS_1)
				return (d.d_un.d_val & DF_1_PIE) != 0;
		}
	}
	return 0;
}

/* Unmarked padding. */
static const char zero[LDR_MARK_SIZE];

/* Why the file cannot carry the mark, or NULL. */
static const char *refusal(int fd, const Elf64_Ehdr *eh)
{
	const unsigned char *pad = eh->e_ident + LDR_MARK_OFFSET;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return "not an ELF file";
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_machine != EM_X86_64)
		return "not an x86-64 ELF64 file";
	if (eh->e_type == ET_DYN) {
		int pie = is_pie(fd, eh);
		if (pie < 0)
			return "its program headers cannot be read";
		if (!pie)
			return "a shared object (ld.so refuses one whose e_ident padding is not "
			       "zero); only executables can be marked";
	} else if (eh->e_type != ET_EXEC) {
		return "not an executable";
	}
	if (memcmp(pad, zero, LDR_MARK_SIZE) != 0 && memcmp(pad, LDR_MARK, LDR_MARK_SIZE) != 0)
		return "its e_ident padding is already used by something else";
	return NULL;
}

int ldr_mark(const char *path, int set)
{
	const char *want = set ? LDR_MARK : zero;
	const char *why;
	Elf64_Ehdr eh;
	long fd;

	fd = sys_openat(AT_FDCWD, path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0) {
		libc_say("%s: cannot %s it: %s", path, set ? "mark" : "unmark", strerror((int)-fd));
		return fd == -ENOENT ? LDR_EXIT_NOT_FOUND : LDR_EXIT_CANNOT;
	}
	struct stat st;
	if (sys_fstat((int)fd, &st) < 0 || (st.st_mode & S_IFMT) != S_IFREG)
		why = "not a regular file";
	else if (sys_pread((int)fd, &eh, sizeof(eh), 0) != sizeof(eh))
		why = "not an ELF file";
	else if (set)
		why = refusal((int)fd, &eh);
	else if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		why = "not an ELF file";
	else if (memcmp(eh.e_ident + LDR_MARK_OFFSET, want, LDR_MARK_SIZE) != 0 &&
		 memcmp(eh.e_ident + LDR_MARK_OFFSET, LDR_MARK, LDR_MARK_SIZE) != 0)
		why = "its e_ident padding holds something that is not the mark";
	else
		why = NULL;
	if (!why && memcmp(eh.e_ident + LDR_MARK_OFFSET, want, LDR_MARK_SIZE) != 0) {
		long r = sys_pwrite((int)fd, want, LDR_MARK_SIZE, LDR_MARK_OFFSET);
		if (r != LDR_MARK_SIZE)
			why = r < 0 ? strerror((int)-r) : "a short write";
	}
	sys_close((int)fd);
	if (why) {
		libc_say("%s: cannot %s it: %s", path, set ? "mark" : "unmark", why);
		return LDR_EXIT_CANNOT;
	}
	return 0;
}
