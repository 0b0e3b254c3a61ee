// SPDX-License-Identifier: MIT
/*
 * libnoted.so: a shared library built with note.h, for a program of the
 * system (glibc, loaded by the system's ld.so). Its own system calls are
 * SYSCALL_INST; the loader must rewrite them from its LibOS note without
 * disassembling it, and interpose its weak hooks.
 */
#include <libos/note.h>
#include <string.h>

LIBOS_NOTE(LIBOS_NOTE_COMPLETE);
LIBOS_DEFINE_HOOKS();

static long noted_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile(SYSCALL_INST
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

long noted_write(int fd, const void *buf, unsigned long n)
{
	return noted_syscall3(1 /* write */, fd, (long)buf, (long)n);
}

long noted_getppid(void)
{
	return noted_syscall3(110, 0, 0, 0);
}

long noted_register(const char *name)
{
	return __libos_register_library(name, 0x7000);
}
