// SPDX-License-Identifier: MIT
/*
 * The loader's own file, which a followed exec runs again. /proc/self/exe
 * names it; without /proc (a bare root: `unshare --root=DIR`, a chroot, a
 * container whose runtime has not mounted it yet) the kernel still left
 * the path execve was given in AT_EXECFN. That path is the loader's only
 * if its file starts with the loader's own first segment (ELF header,
 * program headers, build-id note): under binfmt_misc it names the
 * program instead, and a file replaced since names something else. With
 * neither, execs are not followed (hooks/exec.c runs them natively).
 */
#include <libc.h>
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <string.h>
#include <sys.h>

#include "path.h"
#include "self_path.h"

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

/* The size of the loader's first segment (from file offset 0), at most
 * one page: the bytes that tell its file. */
static size_t first_segment_size(void)
{
	const Elf64_Phdr *ph =
		(const Elf64_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);

	for (unsigned i = 0; i < __ehdr_start.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			return ph[i].p_filesz < 4096 ? ph[i].p_filesz : 4096;
	return sizeof(Elf64_Ehdr);
}

/* 1 if the file at path starts with the loader's own first segment. */
static int is_loader(const char *path)
{
	char head[4096];
	size_t want = first_segment_size(), got = 0;
	long fd = sys_open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while (got < want) {
		long n = sys_pread((int)fd, head + got, want - got, (long)got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	sys_close((int)fd);
	return got == want && memcmp(head, &__ehdr_start, want) == 0;
}

const char *ldr_self_path(void)
{
	const char *self = ldr_link_target("/proc/self/exe");
	const char *execfn = (const char *)(uintptr_t)libc_getauxval(AT_EXECFN, 0);

	if (self || !execfn || !*execfn)
		return self;
	/* Made absolute now: the program may change directory before it
	 * execs. */
	self = ldr_path_absolute(execfn);
	return self && self[0] == '/' && is_loader(self) ? self : NULL;
}
