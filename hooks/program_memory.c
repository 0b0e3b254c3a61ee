// SPDX-License-Identifier: MIT
/*
 * The program's memory, read and written the way the kernel does it for
 * a syscall: through process_vm_readv/writev on ourselves, so that a bad
 * pointer of the program is -EFAULT, as natively, and never a fault in
 * the LibOS.
 */
#include <asm/unistd.h>
#include <errno.h>
#include <seccomp_judge.h>
#include <string.h>

#include "hooks.h"

int hook_copy_from(void *dst, uintptr_t src, unsigned long n)
{
	if (n == 0)
		return 0;
	long got = sys_process_vm_read(hook_state.pid, dst, (const void *)src, n);

	if (got == -EPERM && libc_seccomp_on) {
		/* The program's seccomp does not let the loader read this way:
		 * a plain copy (a bad pointer then faults, as it would in the
		 * program's own code). */
		memcpy(dst, (const void *)src, n);
		return 0;
	}
	return got == (long)n ? 0 : -EFAULT;
}

int hook_copy_to(uintptr_t dst, const void *src, unsigned long n)
{
	if (n == 0)
		return 0;
	long put = sys_process_vm_write(hook_state.pid, src, (void *)dst, n);

	if (put == -EPERM && libc_seccomp_on) {
		memcpy((void *)dst, src, n); /* as above */
		return 0;
	}
	return put == (long)n ? 0 : -EFAULT;
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
