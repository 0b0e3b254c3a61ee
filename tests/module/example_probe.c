// SPDX-License-Identifier: MIT
/*
 * example_probe: what the example module (examples/) answers, checked
 * against the truth the module does not touch.
 *
 *   example_probe identity     getpid/getppid against /proc/self/stat, in
 *                              the main thread, a thread, a fork child, a
 *                              vfork child and a child cloned onto a new
 *                              stack; then prints "hostname NAME"
 *   example_probe loop N       N getpid, getppid and uname calls (strace
 *                              counts how many reach the kernel)
 *   example_probe paths BASE   path syscalls under BASE, printing only
 *                              outcomes (never BASE), so that a run on
 *                              /FROM under the module and a native run on
 *                              /TO print the same
 *   example_probe efault       bad pointers: EFAULT, never a crash
 *
 * A failed check prints "FAIL file:line: what" and makes the status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                       \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* pid and ppid as the kernel's /proc/self/stat says (no stdio: a vfork
 * child calls it too). */
static void stat_ids(long *pid, long *ppid)
{
	char buf[512];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	*pid = *ppid = -1;
	if (n <= 0)
		return;
	buf[n] = '\0';
	*pid = strtol(buf, NULL, 10);
	char *p = strrchr(buf, ')'); /* comm may hold anything */
	if (p && p[1] == ' ' && p[2] && p[3] == ' ')
		*ppid = strtol(p + 4, NULL, 10);
}

static void check_ids(const char *where, long expect_ppid)
{
	long pid, ppid;

	stat_ids(&pid, &ppid);
	CHECK(getpid() == pid, "%s: getpid %d, /proc/self/stat %ld", where, getpid(), pid);
	CHECK(getppid() == ppid, "%s: getppid %d, /proc/self/stat %ld", where, getppid(), ppid);
	if (expect_ppid)
		CHECK(getppid() == expect_ppid, "%s: getppid %d, parent %ld", where, getppid(),
		      expect_ppid);
}

static void *thread_main(void *arg)
{
	(void)arg;
	check_ids("thread", 0);
	return NULL;
}

static int child_status(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int cloned_child(void *parent)
{
	failures = 0; /* its own copy, its own count */
	check_ids("clone child on a new stack", (long)(intptr_t)parent);
	return failures != 0;
}

static void identity(void)
{
	pthread_t th;
	pid_t me = getpid();

	check_ids("main thread", 0);
	pthread_create(&th, NULL, thread_main, NULL);
	pthread_join(th, NULL);

	pid_t child = fork();
	if (child == 0) {
		failures = 0;
		check_ids("fork child", me);
		exit(failures != 0);
	}
	CHECK(child > 0 && child_status(child) == 0, "fork child failed");
	check_ids("parent after fork", 0);

	/* A vfork child may only store and _exit: it reports in memory. */
	static volatile long v_getpid, v_getppid, v_stat_pid, v_stat_ppid;
	child = vfork();
	if (child == 0) {
		long pid, ppid;
		v_getpid = getpid();
		v_getppid = getppid();
		stat_ids(&pid, &ppid);
		v_stat_pid = pid;
		v_stat_ppid = ppid;
		_exit(0);
	}
	child_status(child);
	CHECK(v_getpid == child && v_stat_pid == child,
	      "vfork child: getpid %ld, stat %ld, vfork %d", v_getpid, v_stat_pid, child);
	CHECK(v_getppid == me && v_stat_ppid == me, "vfork child: getppid %ld, stat %ld, parent %d",
	      v_getppid, v_stat_ppid, me);
	check_ids("parent after vfork", 0);

	static char stack[64 << 10];
	child = clone(cloned_child, stack + sizeof(stack), SIGCHLD, (void *)(intptr_t)me);
	CHECK(child > 0 && child_status(child) == 0, "clone child failed");

	char host[256];
	CHECK(gethostname(host, sizeof(host)) == 0, "gethostname: %s", strerror(errno));
	printf("hostname %s\n", host);
}

static void loop(long n)
{
	struct utsname u;

	for (long i = 0; i < n; i++) {
		getpid();
		getppid();
		uname(&u);
	}
}

/* One outcome line: "what: ok" or "what: ENAME". */
static void outcome(const char *what, long r)
{
	printf("%s: %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
}

static char *at(const char *base, const char *rest)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%s%s", base, rest);
	return b;
}

static void paths(const char *base)
{
	struct stat st;
	char buf[256];
	ssize_t n;
	int fd;

	fd = open(at(base, "/file"), O_RDONLY);
	outcome("open file", fd);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		printf("content: %s", buf);
		close(fd);
	}
	outcome("openat file", fd = openat(AT_FDCWD, at(base, "//file"), O_RDONLY));
	if (fd >= 0)
		close(fd);
	outcome("stat dir", stat(base, &st));
	outcome("lstat link", lstat(at(base, "/link"), &st));
	outcome("fstatat file", fstatat(AT_FDCWD, at(base, "/file"), &st, 0));
	printf("size %ld\n", st.st_size);
	outcome("statx file",
		statx(AT_FDCWD, at(base, "/file"), 0, STATX_SIZE, &(struct statx){0}));
	outcome("access file", access(at(base, "/file"), R_OK));
	outcome("faccessat missing", faccessat(AT_FDCWD, at(base, "/missing"), F_OK, 0));
	n = readlink(at(base, "/link"), buf, sizeof(buf) - 1);
	outcome("readlink", n);
	printf("link -> %.*s\n", (int)(n > 0 ? n : 0), buf);
	outcome("mkdir", mkdir(at(base, "/new"), 0755));
	outcome("mkdirat", mkdirat(AT_FDCWD, at(base, "/new/sub"), 0755));
	outcome("creat", fd = open(at(base, "/new/f"), O_WRONLY | O_CREAT | O_TRUNC, 0644));
	if (fd >= 0) {
		outcome("write", write(fd, "written\n", 8));
		close(fd);
	}
	outcome("rename", rename(at(base, "/new/f"), at(base, "/new/g")));
	outcome("link", link(at(base, "/new/g"), at(base, "/new/h")));
	outcome("symlink", symlink("g", at(base, "/new/s")));
	outcome("chmod", chmod(at(base, "/new/g"), 0600));
	outcome("unlink", unlink(at(base, "/new/g")));
	outcome("unlinkat", unlinkat(AT_FDCWD, at(base, "/new/h"), 0));
	outcome("unlink symlink", unlink(at(base, "/new/s")));
	outcome("rmdir busy", rmdir(at(base, "/new")));
	outcome("unlinkat dir", unlinkat(AT_FDCWD, at(base, "/new/sub"), AT_REMOVEDIR));
	outcome("rmdir", rmdir(at(base, "/new")));
	outcome("chdir", chdir(at(base, "/dir")));
	outcome("open relative after chdir", fd = open("inner", O_RDONLY));
	if (fd >= 0)
		close(fd);
	outcome("mkdir kept", mkdir(at(base, "/kept"), 0700));
}

static void efault(void)
{
	void *bad = (void *)16;

	CHECK(syscall(SYS_uname, bad) == -1 && errno == EFAULT, "uname: %s", strerror(errno));
	CHECK(syscall(SYS_open, bad, O_RDONLY) == -1 && errno == EFAULT, "open: %s",
	      strerror(errno));
	CHECK(syscall(SYS_openat, AT_FDCWD, bad, O_RDONLY) == -1 && errno == EFAULT, "openat: %s",
	      strerror(errno));
	CHECK(syscall(SYS_newfstatat, AT_FDCWD, "/", bad, 0) == -1 && errno == EFAULT,
	      "newfstatat: %s", strerror(errno));
	CHECK(syscall(SYS_rename, "/nonexistent-a", bad) == -1 && errno == EFAULT, "rename: %s",
	      strerror(errno));
	static char huge[8192];
	memset(huge, 'a', sizeof(huge) - 1);
	huge[0] = '/';
	CHECK(open(huge, O_RDONLY) == -1 && errno == ENAMETOOLONG, "long path: %s",
	      strerror(errno));
	puts("efault done");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && strcmp(argv[1], "identity") == 0)
		identity();
	else if (argc > 2 && strcmp(argv[1], "loop") == 0)
		loop(atol(argv[2]));
	else if (argc > 2 && strcmp(argv[1], "paths") == 0)
		paths(argv[2]);
	else if (argc > 1 && strcmp(argv[1], "efault") == 0)
		efault();
	else {
		fprintf(stderr, "usage: example_probe identity|loop N|paths BASE|efault\n");
		return 2;
	}
	return failures != 0;
}
