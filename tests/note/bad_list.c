// SPDX-License-Identifier: MIT
/*
 * A program on the LibOS-ready libc whose site list also holds the bad
 * entries of bad_sites.S: it must run as natively, every syscall
 * intercepted.
 */
#include <stdio.h>
#include <sys.h>

long bad_getppid(void);
long good_getpid(void);

int main(void)
{
	dprintf(1, "getppid agrees: %s\n",
		bad_getppid() == __syscall0(__NR_getppid) ? "yes" : "no");
	dprintf(1, "getpid agrees: %s\n", good_getpid() == sys_getpid() ? "yes" : "no");
	return 0;
}
