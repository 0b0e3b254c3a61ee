// SPDX-License-Identifier: MIT
/*
 * libc_replace_file: write a regular file whole, then put it in place (see
 * libc.h). It is written under a temporary name next to it and renamed
 * over the old one, so that a reader (another process of the tree, a
 * test) never sees half of it; a failure leaves nothing behind.
 *
 * The temporary name carries 64 random bits and is created with
 * O_EXCL|O_NOFOLLOW: in a directory another user can write to, a symlink
 * or FIFO planted at a name we would use is never followed or opened (the
 * old NAME.PID.tmp was predictable). O_TMPFILE + linkat is not used:
 * linkat cannot replace an existing name, so a rename from a visible
 * name is needed anyway, and linking an O_TMPFILE by fd needs /proc or
 * CAP_DAC_READ_SEARCH.
 *
 * An existing regular file keeps its permission bits and, where we may
 * set it, its owner and group (as sed -i or an editor's atomic save do);
 * a new one gets mode & ~umask.
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <sys.h>

int libc_replace_file(const char *path, int mode, int (*fill)(int fd, const void *arg),
		      const void *arg)
{
	char tmp[4096 + 32];
	struct stat old;
	uint64_t rnd;
	long fd;
	int r, tries = 0;

	do {
		if (sys_getrandom(&rnd, sizeof(rnd), 0) != (long)sizeof(rnd))
			rnd ^= libc_now_ns() * 0x9e3779b97f4a7c15ull + (uint64_t)sys_gettid();
		if (snprintf(tmp, sizeof(tmp), "%s.%016llx.tmp", path, (unsigned long long)rnd) >=
		    (int)sizeof(tmp))
			return -ENAMETOOLONG;
		fd = sys_openat(AT_FDCWD, tmp,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
				mode);
	} while (fd == -EEXIST && ++tries < 8);
	if (fd < 0)
		return (int)fd;
	r = fill((int)fd, arg);
	if (r == 0 && sys_lstat(path, &old) == 0 && S_ISREG(old.st_mode)) {
		sys_fchown((int)fd, old.st_uid, old.st_gid); /* best effort, like sed -i */
		r = (int)sys_fchmod((int)fd, (int)(old.st_mode & 07777));
	}
	sys_close((int)fd);
	if (r == 0)
		r = (int)sys_rename(tmp, path);
	if (r < 0)
		sys_unlink(tmp);
	return r;
}
