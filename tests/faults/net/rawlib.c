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

long raw_gettid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(186L) : "rcx", "r11", "memory");
	return r;
}

/* write(fd, buf, len), its answer as the kernel gives it (-errno). */
long raw_write(long fd, const void *buf, long len)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(1L), "D"(fd), "S"(buf), "d"(len)
			 : "rcx", "r11", "memory");
	return r;
}
