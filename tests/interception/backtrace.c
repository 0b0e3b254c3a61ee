// SPDX-License-Identifier: MIT
/*
 * A known chain of calls down to a syscall, for backtrace.py: main ->
 * outer -> inner -> getppid. Linked static and non-PIE, so that gdb finds
 * its symbols and unwind tables at their link-time addresses with
 * add-symbol-file, under the loader as natively.
 */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) static long inner(void)
{
	long r = getppid();

	__asm__ volatile("" : : : "memory"); /* no tail call: inner's frame stays */
	return r;
}

__attribute__((noinline)) static long outer(void)
{
	long r = inner();

	__asm__ volatile("" : : : "memory");
	return r;
}

int main(void)
{
	printf("%d\n", outer() > 0);
	return 0;
}
