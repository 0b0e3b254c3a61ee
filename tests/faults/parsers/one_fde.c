// SPDX-License-Identifier: MIT
/*
 * one_fde: calls each function of one_fde.S (four entries under one
 * FDE) and prints what each returned. Built twice: calling fde_third and
 * fde_getpid directly (their `call` is what tells a stripped copy where
 * they begin), and through pointers (-DTHROUGH_POINTERS: only the
 * symbol table knows them).
 */
#include <stdio.h>
#include <unistd.h>

long fde_write_stdout(const void *buf, unsigned long n);
long fde_write(int fd, const void *buf, unsigned long n);
long fde_third(long a, long b, long c);
long fde_getpid(void);

#ifdef THROUGH_POINTERS
static long (*volatile third)(long, long, long) = fde_third;
static long (*volatile own_pid)(void) = fde_getpid;
#else
#define third   fde_third
#define own_pid fde_getpid
#endif

int main(void)
{
	long r = fde_write_stdout("one\n", 4);

	printf("fde_write_stdout: %ld\n", r);
	fflush(stdout);
	r = fde_write(1, "two\n", 4);
	printf("fde_write: %ld\n", r);
	printf("fde_third: %ld\n", third(1, 2, 3));
	printf("fde_getpid: %s\n", own_pid() == getpid() ? "same as getpid()" : "differs");
	return 0;
}
