// SPDX-License-Identifier: MIT
/*
 * Every way a program reaches its own executable through /proc, and what
 * each gives: readlink's target, the file's device, inode, size and first
 * bytes, or the errno; for each flag that changes the answer (O_NOFOLLOW,
 * O_PATH, RESOLVE_*, AT_SYMLINK_NOFOLLOW). Each syscall is made raw, so
 * that each one is tried. Paths are built at run time (on the heap), and
 * also reached from a /proc descriptor and from a second thread. The test
 * (procexe.py) compares the output with the native run's.
 *
 * With "outside": print the pid, then wait for stdin to close, so that
 * another process can read /proc/PID/exe meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef O_PATH
#define O_PATH 010000000
#endif

static void show_errno(const char *what, long r)
{
	printf("  %-28s %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
}

static void show_stat(const char *what, long r, const struct stat *st)
{
	if (r < 0)
		return show_errno(what, r);
	if (S_ISLNK(st->st_mode))
		printf("  %-28s symlink\n", what);
	else
		printf("  %-28s dev %lx ino %lu size %ld mode %o\n", what,
		       (unsigned long)st->st_dev, (unsigned long)st->st_ino, (long)st->st_size,
		       st->st_mode);
}

/* What descriptor fd is (closed after). */
static void show_fd(const char *what, long fd)
{
	struct stat st;
	unsigned char head[8] = {0};

	if (fd < 0)
		return show_errno(what, fd);
	fstat((int)fd, &st);
	show_stat(what, 0, &st);
	if (!S_ISLNK(st.st_mode) && pread((int)fd, head, sizeof(head), 0) >= 0)
		printf("  %-28s %02x %02x %02x %02x %02x %02x %02x %02x\n", "  bytes", head[0],
		       head[1], head[2], head[3], head[4], head[5], head[6], head[7]);
	close((int)fd);
}

static long openat2_with(int dirfd, const char *path, unsigned long flags, unsigned long resolve)
{
	struct open_how how = {.flags = flags, .resolve = resolve};

	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* All the ways, through (dirfd, path); dirfd AT_FDCWD for open/stat. */
static void ways(int dirfd, const char *path)
{
	char target[4096];
	struct stat st;
	struct statx sx;
	long r;

	/* Named without its numbers, which differ from run to run. */
	printf("%s", dirfd == AT_FDCWD ? "" : "(dirfd) ");
	for (const char *c = path; *c; c++)
		putchar(*c >= '0' && *c <= '9' ? 'N' : *c);
	putchar('\n');
	r = syscall(SYS_readlinkat, dirfd, path, target, sizeof(target));
	if (r >= 0)
		printf("  %-28s %.*s\n", "readlinkat", (int)r, target);
	else
		show_errno("readlinkat", r);
	r = syscall(SYS_readlinkat, dirfd, path, target, 5);
	printf("  %-28s %ld %.*s\n", "readlinkat size 5", r, r > 0 ? (int)r : 0, target);
	show_fd("openat", syscall(SYS_openat, dirfd, path, O_RDONLY | O_CLOEXEC));
	show_fd("openat O_NOFOLLOW", syscall(SYS_openat, dirfd, path, O_RDONLY | O_NOFOLLOW));
	show_fd("openat O_PATH", syscall(SYS_openat, dirfd, path, O_PATH));
	show_fd("openat O_PATH|O_NOFOLLOW", syscall(SYS_openat, dirfd, path, O_PATH | O_NOFOLLOW));
	show_fd("openat O_WRONLY", syscall(SYS_openat, dirfd, path, O_WRONLY));
	show_fd("openat O_DIRECTORY", syscall(SYS_openat, dirfd, path, O_RDONLY | O_DIRECTORY));
	show_fd("openat2", openat2_with(dirfd, path, O_RDONLY, 0));
	show_fd("openat2 O_NOFOLLOW", openat2_with(dirfd, path, O_RDONLY | O_NOFOLLOW, 0));
	show_fd("openat2 NO_MAGICLINKS",
		openat2_with(dirfd, path, O_RDONLY, RESOLVE_NO_MAGICLINKS));
	show_fd("openat2 NO_SYMLINKS", openat2_with(dirfd, path, O_RDONLY, RESOLVE_NO_SYMLINKS));
	show_fd("openat2 BENEATH", openat2_with(dirfd, path, O_RDONLY, RESOLVE_BENEATH));
	show_fd("openat2 O_PATH NO_MAGICLINKS",
		openat2_with(dirfd, path, O_PATH, RESOLVE_NO_MAGICLINKS));
	r = syscall(SYS_newfstatat, dirfd, path, &st, 0);
	show_stat("newfstatat", r, &st);
	r = syscall(SYS_newfstatat, dirfd, path, &st, AT_SYMLINK_NOFOLLOW);
	show_stat("newfstatat NOFOLLOW", r, &st);
	r = syscall(SYS_statx, dirfd, path, 0, STATX_BASIC_STATS, &sx);
	if (r == 0)
		printf("  %-28s dev %x:%x ino %llu size %llu\n", "statx", sx.stx_dev_major,
		       sx.stx_dev_minor, (unsigned long long)sx.stx_ino,
		       (unsigned long long)sx.stx_size);
	else
		show_errno("statx", r);
	r = syscall(SYS_statx, dirfd, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
	printf("  %-28s %s\n", "statx NOFOLLOW",
	       r < 0                  ? strerrorname_np(errno)
	       : S_ISLNK(sx.stx_mode) ? "symlink"
				      : "file");
	if (dirfd != AT_FDCWD)
		return;
	r = syscall(SYS_readlink, path, target, sizeof(target));
	printf("  %-28s %.*s\n", "readlink", r > 0 ? (int)r : 0, target);
	show_fd("open", syscall(SYS_open, path, O_RDONLY));
	r = syscall(SYS_stat, path, &st);
	show_stat("stat", r, &st);
	r = syscall(SYS_lstat, path, &st);
	show_stat("lstat", r, &st);
}

static char *built(const char *fmt, long a, long b)
{
	char *p = malloc(64);

	snprintf(p, 64, fmt, a, b);
	return p;
}

static void *second_thread(void *arg)
{
	(void)arg;
	ways(AT_FDCWD, "/proc/thread-self/exe");
	char *p = built("/proc/self/task/%ld/exe", gettid(), 0);
	ways(AT_FDCWD, p);
	free(p);
	p = built("/proc/%ld/exe", gettid(), 0); /* a thread's own /proc entry */
	ways(AT_FDCWD, p);
	free(p);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "outside") == 0) {
		char c;
		printf("%d\n", getpid());
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	static const char *const fixed[] = {
		"/proc/self/exe",    "/proc/thread-self/exe", "/proc/self/../self/exe",
		"//proc/./self/exe", "/proc/1/exe",           "/proc/self/exe/"};
	ways(AT_FDCWD, "/proc/self/exe"); /* a literal, in the program's own image */
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		char *p = strdup(fixed[i]); /* a copy on the heap: built at run time */
		ways(AT_FDCWD, p);
		free(p);
	}
	char *p = built("/proc/%ld/exe", getpid(), 0);
	ways(AT_FDCWD, p);
	free(p);
	p = built("/proc/%ld/task/%ld/exe", getpid(), gettid());
	ways(AT_FDCWD, p);
	free(p);
	int proc = open("/proc", O_RDONLY | O_DIRECTORY), self = open("/proc/self", O_PATH);
	ways(proc, "self/exe");
	ways(self, "exe");
	close(proc);
	close(self);
	if (chdir("/proc/self") == 0)
		ways(AT_FDCWD, "exe");
	pthread_t t;
	pthread_create(&t, NULL, second_thread, NULL);
	pthread_join(t, NULL);
	return 0;
}
