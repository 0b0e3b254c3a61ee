// SPDX-License-Identifier: MIT
/*
 * Path redirection: an absolute path whose leading components are a
 * configured /FROM is given to the kernel as /TO followed by the rest,
 * for every syscall that takes a path to look up (open, openat, stat,
 * access, readlink, execve, mkdir, unlink, rename, link, chmod, chown,
 * utimes, xattrs, ...). /FROM matches whole components: /data redirects
 * /data and /data/x, never /database. Repeated slashes count as one.
 *
 * Not redirected: relative paths (a chdir into /FROM/dir does land in
 * /TO/dir, so they follow from there), a symlink's target (symlink's first
 * argument is its content, not a lookup), symlinks met during the lookup,
 * "/FROM/.." (it is /TO/.., the kernel resolves it), the mount family, and
 * paths the kernel returns (getcwd, readlink of /proc/self/fd/N: they name
 * /TO), an interpreter named by a #! line (the loader reads it). A path that cannot be read (a bad
 * pointer, too long) is passed unchanged, so the kernel answers with its own errno (EFAULT,
 * ENAMETOOLONG), never a crash.
 */
#include <asm/unistd.h>
#include <errno.h>

#include "example.h"

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

#define ARG(i) (1u << (i))

/* clang-format off: the numbers in groups, packed */
unsigned ex_path_args(long nr)
{
	switch (nr) {
	case __NR_open:
	case __NR_creat:
	case __NR_stat:
	case __NR_lstat:
	case __NR_access:
	case __NR_readlink:
	case __NR_execve:
	case __NR_mkdir:
	case __NR_unlink:
	case __NR_rmdir:
	case __NR_chdir:
	case __NR_chroot:
	case __NR_truncate:
	case __NR_chmod:
	case __NR_chown:
	case __NR_lchown:
	case __NR_utime:
	case __NR_utimes:
	case __NR_mknod:
	case __NR_statfs:
	case __NR_setxattr:
	case __NR_lsetxattr:
	case __NR_getxattr:
	case __NR_lgetxattr:
	case __NR_listxattr:
	case __NR_llistxattr:
	case __NR_removexattr:
	case __NR_lremovexattr:
	case __NR_uselib:
	case __NR_acct:
		return ARG(0);
	case __NR_openat:
	case __NR_openat2:
	case __NR_newfstatat:
	case __NR_statx:
	case __NR_faccessat:
	case __NR_faccessat2:
	case __NR_readlinkat:
	case __NR_execveat:
	case __NR_mkdirat:
	case __NR_unlinkat:
	case __NR_fchmodat:
	case __NR_fchmodat2:
	case __NR_fchownat:
	case __NR_futimesat:
	case __NR_utimensat:
	case __NR_mknodat:
	case __NR_inotify_add_watch:
	case __NR_name_to_handle_at:
	case __NR_symlink:
		return ARG(1); /* symlink: its own path; the target (0) is content */
	case __NR_symlinkat:
		return ARG(2);
	case __NR_rename:
	case __NR_link:
		return ARG(0) | ARG(1);
	case __NR_renameat:
	case __NR_renameat2:
	case __NR_linkat:
		return ARG(1) | ARG(3);
	}
	return 0;
}
/* clang-format on */

/* Where path (absolute) continues after /FROM, or NULL when it is not
 * under it. */
static const char *after(const char *path, const struct ex_redirect *r)
{
	const char *p = path, *f = r->from;

	while (*f) {
		if (*f == '/') {
			if (*p != '/')
				return NULL;
			while (*p == '/')
				p++;
			f++;
		} else if (*p++ != *f++) {
			return NULL;
		}
	}
	return *p == '\0' || *p == '/' ? p : NULL;
}

/* Rewrite buf (a path copied from the program) in place when it is under
 * a /FROM. Returns 1 when it was, 0 when not, -ENAMETOOLONG. */
static int rewrite(char *buf)
{
	const struct ex_redirect *best = NULL;
	const char *rest = NULL;

	if (buf[0] != '/')
		return 0;
	for (int i = 0; i < ex_config.redirect_count; i++) {
		const char *p = after(buf, &ex_config.redirect[i]);
		if (p && (!best || ex_config.redirect[i].from_len > best->from_len)) {
			best = &ex_config.redirect[i];
			rest = p;
		}
	}
	if (!best)
		return 0;
	size_t rest_len = strlen(rest);
	if (best->to_len + rest_len + 1 > EX_PATH_SIZE)
		return -ENAMETOOLONG;
	memmove(buf + best->to_len, rest, rest_len + 1);
	memcpy(buf, best->to, best->to_len);
	if (buf[0] == '\0') { /* /TO is / and nothing follows */
		buf[0] = '/';
		buf[1] = '\0';
	}
	return 1;
}

long ex_redirected_syscall(long nr, const long args[6], unsigned path_args)
{
	char paths[2][EX_PATH_SIZE];
	long a[6];
	int used = 0;

	memcpy(a, args, sizeof(a));
	for (int i = 0; i < 6 && used < 2; i++) {
		if (!(path_args & ARG(i)) || !a[i])
			continue;
		char *buf = paths[used++];
		/* Unreadable or too long: the kernel gives its own errno. */
		if (ex_loader->copy_string(buf, (uintptr_t)a[i], EX_PATH_SIZE) < 0)
			continue;
		int r = rewrite(buf);
		if (r < 0)
			return r;
		if (r > 0)
			a[i] = (long)buf;
	}
	return ex_sys(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
