// SPDX-License-Identifier: MIT
/*
 * A noted program (LibOS-ready libc, complete list) that breaks its
 * promise once: unlisted_syscall.S. See docs/contract.md, "Trust".
 */
#include <stdio.h>
#include <sys.h>

long unlisted_getppid(void);

int main(void)
{
	dprintf(1, "getppid agrees: %s\n",
		unlisted_getppid() == __syscall0(__NR_getppid) ? "yes" : "no");
	return 0;
}
