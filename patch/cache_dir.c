// SPDX-License-Identifier: MIT
/*
 * The patch cache's directory (see cache_dir.h).
 */
#include <errno.h>
#include <libc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys.h>

#include "cache_dir.h"

/* Room for the directory and an entry's name (cache.c's keys are shorter
 * than 256 bytes). */
static char dir[4096 - 256];

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* n hex digits at s. */
static int hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return 0;
	return 1;
}

int cache_dir_name_ok(const char *name)
{
	size_t len = strlen(name), i = 17;
	const char *dot;

	if (len < 17 || !hex_run(name, 16) || name[16] != '-')
		return 0;
	while (i < len && (is_hex(name[i]) || name[i] == '-'))
		i++;
	if (i == 17 || name[i] != '.')
		return 0;
	dot = name + i + 1;
	if (strcmp(dot, "plan") == 0 || strcmp(dot, "img") == 0)
		return 1;
	/* ENTRY.RANDOM.tmp */
	size_t suffix = strncmp(dot, "plan.", 5) == 0 ? 5 : strncmp(dot, "img.", 4) == 0 ? 4 : 0;
	if (!suffix || strlen(dot + suffix) != 16 + 4 || !hex_run(dot + suffix, 16) ||
	    strcmp(dot + suffix + 16, ".tmp") != 0)
		return 0;
	return 2;
}

/* mkdir -p path, each new level 0700. */
static int make_dirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		long r = sys_mkdir(path, 0700);
		*p = c;
		if (r < 0 && r != -EEXIST)
			return (int)r;
		if (!c)
			return 0;
	}
}

/* Why the directory open at fd may not hold entries, or NULL. */
static const char *refusal(int fd, char *why, size_t n)
{
	struct stat st;

	if (sys_fstat(fd, &st) < 0)
		return "cannot stat it";
	if (st.st_uid != (unsigned)sys_geteuid()) {
		snprintf(why, n, "owned by uid %u, not by this user", (unsigned)st.st_uid);
		return why;
	}
	if (st.st_mode & 077) {
		snprintf(why, n, "other users can open it (mode %03o)", st.st_mode & 0777);
		return why;
	}
	return NULL;
}

static long open_dir(void)
{
	return sys_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
}

int cache_dir_init(int quiet)
{
	const char *env, *why = NULL;
	int chosen = 1; /* a directory the user named, not the default */
	// cppcheck-suppress variableScope ; why may point into it after the branch
	char reason[64];
	int n;

	dir[0] = '\0';
	/* An empty variable counts as unset, as XDG's rules say of theirs. */
	if ((env = getenv("LIBOS_CACHE_DIR")) && *env) {
		if (*env != '/') {
			if (!quiet)
				libc_say("LIBOS_CACHE_DIR=%s is not an absolute path: "
					 "no patch cache",
					 env);
			return -EINVAL;
		}
		n = snprintf(dir, sizeof(dir), "%s", env);
	} else if ((env = getenv("XDG_CACHE_HOME")) && *env == '/') {
		/* A relative XDG_CACHE_HOME is invalid and ignored (XDG). */
		n = snprintf(dir, sizeof(dir), "%s/libos-loader", env);
	} else {
		/* Not under $HOME: the program must not find a directory
		 * there that it would not have made itself. */
		n = snprintf(dir, sizeof(dir), "/var/tmp/libos-loader-%ld", sys_geteuid());
		chosen = 0;
	}
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		if (!quiet)
			libc_say("the patch cache directory is longer than %zu bytes: "
				 "no patch cache",
				 sizeof(dir) - 1);
		dir[0] = '\0';
		return -ENAMETOOLONG;
	}
	long fd = open_dir();
	if (fd == -ENOENT && !chosen) {
		/* Only the last level is ours: a root with no /var/tmp (a
		 * scratch container image, a bare chroot) or a read-only one
		 * has no cache, and nothing is said, as nothing is natively;
		 * /var/tmp is never made (mode 1777 is the system's to set). */
		long r = sys_mkdir(dir, 0700);
		if (r < 0 && r != -EEXIST) {
			dir[0] = '\0';
			return (int)r;
		}
		fd = open_dir();
	} else if (fd == -ENOENT) {
		make_dirs(dir);
		fd = open_dir();
	}
	/* Out of descriptors is the moment's, not the directory's: each
	 * entry's open checks the directory again (cache_dir_open) and is a
	 * miss meanwhile. */
	if (fd == -EMFILE || fd == -ENFILE)
		return 0;
	struct stat lst;
	if ((fd == -ENOTDIR || fd == -ELOOP) && sys_lstat(dir, &lst) == 0 &&
	    (lst.st_mode & S_IFMT) == S_IFLNK)
		fd = -ELOOP; /* O_NOFOLLOW | O_DIRECTORY says ENOTDIR for a link */
	if (fd < 0)
		why = fd == -ELOOP     ? "it is a symbolic link"
		      : fd == -ENOTDIR ? "it is not a directory"
		      : fd == -EACCES  ? "permission denied"
				       : strerror((int)-fd);
	else
		why = refusal((int)fd, reason, sizeof(reason));
	if (fd >= 0)
		sys_close((int)fd);
	if (why) {
		if (!quiet)
			libc_say("the patch cache directory %s is refused (%s): "
				 "no patch cache",
				 dir, why);
		dir[0] = '\0';
		return -EPERM;
	}
	return 0;
}

int cache_dir_open(void)
{
	char reason[64];

	if (!dir[0])
		return -ENOENT;
	long fd = open_dir();
	if (fd < 0)
		return (int)fd;
	if (refusal((int)fd, reason, sizeof(reason))) {
		sys_close((int)fd);
		return -EPERM;
	}
	return (int)fd;
}

int cache_entry_open(int dfd, const char *name, struct stat *st)
{
	/* O_NONBLOCK: a FIFO planted here must not stop the loader. */
	long fd = sys_openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);

	if (fd < 0)
		return (int)fd;
	if (sys_fstat((int)fd, st) < 0 || (st->st_mode & S_IFMT) != S_IFREG ||
	    st->st_uid != (unsigned)sys_geteuid() || (st->st_mode & 022)) {
		sys_close((int)fd);
		return -EPERM;
	}
	return (int)fd;
}

void cache_dir_prune(int dfd, const char *id)
{
	char buf[4096];
	struct timespec now;
	long n;

	sys_clock_gettime(CLOCK_REALTIME, &now);
	while ((n = sys_getdents64(dfd, buf, sizeof(buf))) > 0) {
		/* struct linux_dirent64: d_reclen at 16, d_name at 19. */
		for (long at = 0; at < n;) {
			uint16_t reclen;
			const char *name = buf + at + 19;
			struct stat st;
			memcpy(&reclen, buf + at + 16, sizeof(reclen));
			at += reclen;
			int kind = cache_dir_name_ok(name);
			if (!kind || sys_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    (st.st_mode & S_IFMT) != S_IFREG ||
			    st.st_uid != (unsigned)sys_geteuid())
				continue;
			if (kind == 1 ? strncmp(name, id, 16) != 0
				      : now.tv_sec - (long)st.st_mtime > 3600)
				sys_unlinkat(dfd, name, 0);
		}
	}
}
