// SPDX-License-Identifier: MIT
/*
 * escape: makes one syscall the site finder cannot see (hidden_syscall.S).
 * Natively it prints the right parent pid and exits 0. Under --strict the
 * loader must still execute it correctly, count it as an escape, say so
 * on stderr and exit non-zero (escape-check.py).
 */
#include <stdio.h>
#include <unistd.h>

long hidden_getppid(void);

int main(void)
{
	printf("hidden getppid %s\n", hidden_getppid() == getppid() ? "right" : "WRONG");
	return 0;
}
