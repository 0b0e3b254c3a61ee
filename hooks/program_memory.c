// SPDX-License-Identifier: MIT
/*
 * The program's memory, read and written the way the kernel does it for
 * a syscall: through process_vm_readv/writev on ourselves, so that a bad
 * pointer of the program is -EFAULT, as natively, and never a fault in
 * the LibOS.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <string.h>

#include "hooks.h"

int hook_copy_from(void *dst, uintptr_t src, unsigned long n)
{
	struct {
		void *base;
		unsigned long len;
	} local = {dst, n}, remote = {(void *)src, n};
	long r;

	if (n == 0)
		return 0;
	r = arch_syscall6(__NR_process_vm_readv, hook_state.pid, (long)&local, 1, (long)&remote, 1,
			  0);
	return r == (long)n ? 0 : -EFAULT;
}

int hook_copy_to(uintptr_t dst, const void *src, unsigned long n)
{
	struct {
		const void *base;
		unsigned long len;
	} local = {src, n}, remote = {(void *)dst, n};
	long r;

	if (n == 0)
		return 0;
	r = arch_syscall6(__NR_process_vm_writev, hook_state.pid, (long)&local, 1, (long)&remote,
			  1, 0);
	return r == (long)n ? 0 : -EFAULT;
}

/* Copy the NUL-terminated string at src (program memory), in pieces that
 * never cross a page it has not asked us to read. */
int hook_copy_string(char *dst, size_t size, uintptr_t src)
{
	size_t n = 0;

	while (n < size) {
		size_t chunk = 4096 - ((src + n) & 4095);
		if (chunk > size - n)
			chunk = size - n;
		if (hook_copy_from(dst + n, src + n, chunk) < 0)
			return -EFAULT;
		const char *nul = memchr(dst + n, 0, chunk);
		if (nul)
			return 0;
		n += chunk;
	}
	return -ENAMETOOLONG;
}
