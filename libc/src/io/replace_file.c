// SPDX-License-Identifier: MIT
/*
 * libc_replace_file: write a file whole, then put it in place (see
 * libc.h). It is written under a temporary name next to it and renamed
 * over the old one, so that a reader (another process of the tree, a
 * test) never sees half of it; a failure leaves nothing behind.
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <sys.h>

int libc_replace_file(const char *path, int mode, int (*fill)(int fd, const void *arg),
		      const void *arg)
{
	char tmp[4096 + 32];
	long fd;
	int r;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, sys_getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = sys_openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return (int)fd;
	r = fill((int)fd, arg);
	sys_close((int)fd);
	if (r == 0)
		r = (int)sys_rename(tmp, path);
	if (r < 0)
		sys_unlink(tmp);
	return r;
}
