// SPDX-License-Identifier: MIT
/*
 * libc_write_file: write a file the user named, as a careful tool does
 * (see libc.h). What the name is decides how:
 *
 *   nothing there      a new regular file, created and renamed into place
 *                      (libc_replace_file), mode 0666 & ~umask
 *   a regular file     replaced atomically in its own directory, keeping
 *                      its mode and owner
 *   a symlink          followed as the shell's `>` would: the link stays,
 *                      the file at the end of the chain is replaced in its
 *                      directory (a dangling link is refused: creating
 *                      through it is the classic planted-link attack)
 *   /dev/stdout, /dev/fd/N, /proc/.../fd/N
 *                      written in place, appended, never replaced: the
 *                      name stands for an open file the caller already has
 *   a device, FIFO     opened and written in place, never replaced. A
 *                      FIFO without a reader is not waited for (ENXIO):
 *                      at exit nobody would come.
 */
#include <errno.h>
#include <libc.h>
#include <string.h>
#include <sys.h>

#define MAX_LINKS 40

/* An open file named by a /proc fd magic link (readlink gives a name
 * that is not a path: "pipe:[..]", or a path that must not be replaced). */
static int is_fd_link(const char *path)
{
	if (strncmp(path, "/dev/fd/", 8) == 0 || strcmp(path, "/dev/stdout") == 0 ||
	    strcmp(path, "/dev/stderr") == 0)
		return 1;
	if (strncmp(path, "/proc/", 6) != 0)
		return 0;
	const char *fd = strstr(path + 6, "/fd/");
	return fd != NULL;
}

/* Follow the symlinks of path's last component into out. Returns 0 (out
 * names a non-link or nothing), 1 (the chain went through an fd link) or
 * -errno (-ELOOP, -ENAMETOOLONG). */
static int resolve(const char *path, char *out, size_t size)
{
	char link[4096];
	struct stat st;

	if (strlen(path) >= size)
		return -ENAMETOOLONG;
	strcpy(out, path);
	for (int hops = 0;; hops++) {
		if (is_fd_link(out))
			return 1;
		if (sys_lstat(out, &st) < 0 || !S_ISLNK(st.st_mode))
			return 0;
		if (hops == MAX_LINKS)
			return -ELOOP;
		long n = sys_readlink(out, link, sizeof(link) - 1);
		if (n < 0)
			return (int)n;
		link[n] = '\0';
		if (link[0] == '/') {
			if ((size_t)n >= size)
				return -ENAMETOOLONG;
			strcpy(out, link);
		} else {
			char *slash = strrchr(out, '/');
			size_t dir = slash ? (size_t)(slash - out) + 1 : 0;
			if (dir + (size_t)n >= size)
				return -ENAMETOOLONG;
			memcpy(out + dir, link, (size_t)n + 1);
		}
	}
}

/* Write into what path already is (a device, a FIFO, an fd link). */
static int write_in_place(const char *path, int append, int (*fill)(int fd, const void *arg),
			  const void *arg)
{
	long fd = sys_openat(AT_FDCWD, path,
			     O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (append ? O_APPEND : 0),
			     0);
	int r;

	if (fd < 0)
		return (int)fd;
	/* O_NONBLOCK only for the open (a FIFO without reader): write as a
	 * shell's redirection would, waiting for a slow reader. */
	sys_fcntl((int)fd, F_SETFL, append ? O_APPEND : 0);
	r = fill((int)fd, arg);
	if (sys_close((int)fd) < 0 && r == 0)
		r = -EIO;
	return r;
}

int libc_write_file(const char *path, int (*fill)(int fd, const void *arg), const void *arg)
{
	char real[4096];
	struct stat st;
	int r = resolve(path, real, sizeof(real));

	if (r < 0)
		return r;
	if (r == 1)
		return write_in_place(path, 1, fill, arg);
	if (sys_lstat(real, &st) < 0) {
		if (strcmp(real, path) != 0)
			return -ENOENT; /* a dangling symlink */
		return libc_replace_file(path, 0666, fill, arg);
	}
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return write_in_place(real, 0, fill, arg);
	return libc_replace_file(real, 0666, fill, arg);
}
