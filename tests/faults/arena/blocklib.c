// SPDX-License-Identifier: MIT
/*
 * A library whose code makes its syscalls itself: a raw getppid, and a
 * raw read that blocks (on a pipe) inside the loader's stub for its site.
 */
long raw_getppid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(110L) : "rcx", "r11", "memory");
	return r;
}

long raw_read(long fd, void *buf, long len)
{
	long r;

	/* A 5-byte mov before the syscall (not the xor a compiler would
	 * pick, which changes the flags): room for the rewrite's jmp, so the
	 * thread blocks inside the site's stub, not in the net. */
	__asm__ volatile("mov $0, %%eax\n\tsyscall"
			 : "=a"(r)
			 : "D"(fd), "S"(buf), "d"(len)
			 : "rcx", "r11", "memory");
	return r;
}
