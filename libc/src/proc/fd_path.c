// SPDX-License-Identifier: MIT
/* libc_fd_path: what /proc/self/fd/N names (see libc.h). */
#include <libc.h>
#include <stdio.h>
#include <sys.h>

long libc_fd_path(int fd, char *out, unsigned long size)
{
	char link[32];
	long n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = sys_readlink(link, out, size - 1);
	out[n > 0 ? n : 0] = '\0';
	return n;
}
