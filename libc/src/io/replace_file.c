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
 * With LIBC_REPLACE_KEEP_MODE (libc_replace_file), an existing regular
 * file keeps its permission bits and, where we may set it, its owner and
 * group (as sed -i or an editor's atomic save do); otherwise, and for a
 * new one, the file gets mode & ~umask (the patch cache: an entry is
 * always private, whatever the one it replaces was).
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <sys.h>

int libc_replace_file_at(int dirfd, const char *name, int mode, unsigned flags,
			 int (*fill)(int fd, const void *arg), const void *arg)
{
	char tmp[4096 + LIBC_REPLACE_TMP_EXTRA + 1];
	struct stat old;
	long fd;
	int r, tries = 0;

	do {
		unsigned long long rnd = libc_random64();
		_Static_assert(sizeof(".0123456789abcdef.tmp") - 1 == LIBC_REPLACE_TMP_EXTRA,
			       "the temporary name's extra bytes");
		if (snprintf(tmp, sizeof(tmp), "%s.%016llx.tmp", name, rnd) >= (int)sizeof(tmp))
			return -ENAMETOOLONG;
		fd = sys_openat(dirfd, tmp,
				O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
				mode);
	} while (fd == -EEXIST && ++tries < 8);
	if (fd < 0)
		return (int)fd;
	r = fill((int)fd, arg);
	if (r == 0 && (flags & LIBC_REPLACE_KEEP_MODE) &&
	    sys_fstatat(dirfd, name, &old, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(old.st_mode)) {
		sys_fchown((int)fd, old.st_uid, old.st_gid); /* best effort, like sed -i */
		r = (int)sys_fchmod((int)fd, (int)(old.st_mode & 07777));
	}
	sys_close((int)fd);
	if (r == 0)
		r = (int)sys_renameat(dirfd, tmp, dirfd, name);
	if (r < 0)
		sys_unlinkat(dirfd, tmp, 0);
	return r;
}

int libc_replace_file(const char *path, int mode, int (*fill)(int fd, const void *arg),
		      const void *arg)
{
	return libc_replace_file_at(AT_FDCWD, path, mode, LIBC_REPLACE_KEEP_MODE, fill, arg);
}
