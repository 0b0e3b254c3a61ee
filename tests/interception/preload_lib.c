// SPDX-License-Identifier: MIT
/*
 * A library with syscalls of its own (not libc's), used by late-libs.c
 * both as LD_PRELOAD and through dlopen: its constructor and its function
 * make raw syscalls, which must be rewritten before they run.
 */
#include <unistd.h>

static long my_getppid(void)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(110L) : "rcx", "r11", "memory");
	return r;
}

long constructed;

__attribute__((constructor)) static void init(void)
{
	constructed = my_getppid();
}

long lib_getppid(void)
{
	return my_getppid() == constructed ? my_getppid() : -1;
}
