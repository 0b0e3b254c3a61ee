// SPDX-License-Identifier: MIT
/*
 * /proc/self/exe names the loader, which the kernel executed; programs
 * that read it (Perl's $^X, coreutils' stdbuf finding its library, a
 * program re-executing itself) must find themselves. readlink and
 * readlinkat of it answer the program's executable (the ELF at the end of
 * a #! chain, canonical, as the kernel's link would say); open and openat
 * of it open that file; execve of it (hooks/exec.c) runs it.
 *
 * readlink is rare, so its path is copied safely (process_vm_readv).
 * open is not: reading every open's path that way would cost half an
 * open again (measured: 1.7 us on a 3.0 us open+close). An open's path is
 * looked at only where it can be read without risk: inside a loaded
 * object, where a literal "/proc/self/exe" lives. A path built at run time
 * elsewhere (the heap, the stack) is not virtualised.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "hooks.h"
#include "objects.h"
#include "procfs.h"

static int number_then(const char **p, long value)
{
	char *end;
	long n = strtol(*p, &end, 10);

	if (end == *p || n != value)
		return 0;
	*p = end;
	return 1;
}

int hook_self_exe(const char *path)
{
	const char *p = path;

	if (strncmp(p, "/proc/", 6) != 0)
		return 0;
	p += 6;
	if (strcmp(p, "self/exe") == 0 || strcmp(p, "thread-self/exe") == 0)
		return 1;
	if (!number_then(&p, hook_state.pid))
		return 0;
	if (strcmp(p, "/exe") == 0)
		return 1;
	if (strncmp(p, "/task/", 6) != 0)
		return 0;
	p += 6;
	char *end;
	strtol(p, &end, 10);
	return end != p && strcmp(end, "/exe") == 0;
}

/* A copy of the path at src, for matching: up to 64 bytes, page-bounded
 * reads. Returns 0 when it is a NUL-terminated string that short. */
static int short_path(char *dst, uintptr_t src)
{
	size_t first = 4096 - (src & 4095);

	if (first > 64)
		first = 64;
	if (hook_copy_from(dst, src, first) < 0)
		return -EFAULT;
	if (first < 64 && !memchr(dst, 0, first) &&
	    hook_copy_from(dst + first, src + first, 64 - first) < 0)
		return -EFAULT;
	return memchr(dst, 0, 64) ? 0 : -ENAMETOOLONG;
}

/* src lies in a readable loaded segment of a known object. */
static int in_loaded_object(uintptr_t src)
{
	for (struct patch_object *o = patch_objects(); o; o = o->next) {
		for (int i = 0; o->analyzed && i < o->seg_count; i++) {
			uintptr_t lo = o->bias + o->seg[i].vaddr, hi = lo + o->seg[i].filesz;
			if ((o->seg[i].flags & PF_R) && src >= lo && src + 64 <= hi)
				return 1;
		}
	}
	return 0;
}

long hook_procfs_syscall(struct arch_frame *f, struct tls_tcb *t, const struct hook_trap *trap)
{
	const char *exe = hook_state.opt.program_exe;
	uint64_t args[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};

	switch (f->rax) {
	case __NR_readlink:     /* (path, buf, size) */
	case __NR_readlinkat: { /* (dirfd, path, buf, size) */
		int at = f->rax == __NR_readlinkat;
		uint64_t buf = args[at + 1], size = args[at + 2];
		char path[64];
		if (exe && short_path(path, args[at]) == 0 && path[0] == '/' &&
		    hook_self_exe(path)) {
			size_t n = strlen(exe);
			if ((long)size <= 0) {
				f->rax = (uint64_t)-EINVAL;
				return ARCH_ENTRY_RETURN;
			}
			if (n > size)
				n = size;
			f->rax = hook_copy_to(buf, exe, n) < 0 ? (uint64_t)-EFAULT : n;
			return ARCH_ENTRY_RETURN;
		}
		break;
	}
	case __NR_open:      /* (path, flags, mode) */
	case __NR_openat:    /* (dirfd, path, flags, mode) */
	case __NR_openat2: { /* (dirfd, path, how, size) */
		int i = f->rax == __NR_open ? 0 : 1;
		const char *p = (const char *)(uintptr_t)args[i];
		if (exe && in_loaded_object(args[i]) && memchr(p, 0, 64) && hook_self_exe(p))
			args[i] = (uint64_t)(uintptr_t)exe;
		break;
	}
	}
	f->rax = (uint64_t)hook_module_syscall(t, (long)f->rax, (long)args[0], (long)args[1],
					       (long)args[2], (long)args[3], (long)args[4],
					       (long)args[5]);
	return ARCH_ENTRY_RETURN;
}
