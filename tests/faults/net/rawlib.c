// SPDX-License-Identifier: MIT
/*
 * A library whose code makes its syscalls itself (inline `syscall`, as Go
 * or a hand-written wrapper would): nothing but the loader's rewrite, or
 * its net, stands between them and the kernel.
 */
long raw_getppid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(110L) : "rcx", "r11", "memory");
	return r;
}
