// SPDX-License-Identifier: MIT
/*
 * dotted: a program whose site list carries the proposal's own section
 * name, .libos.instruction.syscall (note.h's LIBOS_SITE_LIST_DOTTED,
 * linked with include/libos/note.ld). No libc: its few syscalls are its
 * own SYSCALL_INSTs.
 */
#define LIBOS_SITE_LIST_DOTTED
#include <libos/note.h>

LIBOS_NOTE(LIBOS_NOTE_COMPLETE);

static long sys3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile(SYSCALL_INST
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static void say(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys3(1 /* write */, 1, (long)s, n);
}

void _start(void);
void _start(void)
{
	say("a site list named .libos.instruction.syscall\n");
	say(sys3(110 /* getppid */, 0, 0, 0) > 0 ? "getppid works\n" : "getppid fails\n");
	sys3(231 /* exit_group */, 0, 0, 0);
	for (;;)
		;
}
