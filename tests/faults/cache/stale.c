// SPDX-License-Identifier: MIT
/* Prints a constant that lives in its code (the tests edit it in the file)
 * after a raw syscall of its own, so its code has a site and its cache
 * entry a patched image. */
#include <stdio.h>
#include <sys/syscall.h>

__attribute__((noinline)) static long raw_getppid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
	return r;
}

int main(void)
{
	volatile unsigned v = 0x5a17e001;

	(void)raw_getppid();
	printf("%x\n", v);
	return 0;
}
