// SPDX-License-Identifier: MIT
/*
 * execveat: every way of naming the new program. Relative to a directory
 * descriptor (O_CLOEXEC, as openat users do), AT_SYMLINK_NOFOLLOW on a
 * link (ELOOP), an unknown flag (EINVAL), an empty path without
 * AT_EMPTY_PATH (ENOENT), and fexecve: AT_EMPTY_PATH on a memfd copy of
 * this program (MFD_CLOEXEC, which no path names) and on a descriptor of
 * its file. Each child says what the kernel made of it: its argv[0], comm
 * (the file's own name for a descriptor), whether /proc/self/exe is the
 * memfd, and which descriptors it has.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void run(const char *what, int dirfd, const char *path, int flags, char *const argv[])
{
	int status;
	pid_t p;

	fflush(stdout);
	p = fork();
	if (p == 0) {
		syscall(SYS_execveat, dirfd, path, argv, environ, flags);
		printf("%s: execveat failed: %s\n", what, strerror(errno));
		fflush(stdout);
		_exit(99);
	}
	waitpid(p, &status, 0);
	printf("%s: status %d\n", what, WEXITSTATUS(status));
}

static int child(const char *arg0)
{
	char exe[256] = "", comm[64] = "";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd = open("/proc/self/comm", O_RDONLY);

	exe[n > 0 ? n : 0] = '\0';
	if (fd < 0 || read(fd, comm, sizeof(comm) - 1) < 0)
		return 1;
	comm[strcspn(comm, "\n")] = '\0';
	printf("  child: argv[0] %s, comm %s, exe is the memfd: %s, descriptors:", arg0, comm,
	       strstr(exe, "memfd:") ? "yes" : "no");
	for (int i = 3; i < 64; i++)
		if (i != fd && fcntl(i, F_GETFD) >= 0)
			printf(" %d", i);
	printf("\n");
	return 7;
}

static int memfd_copy(void)
{
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int copy = memfd_create("copy", MFD_CLOEXEC);
	char buf[65536];
	ssize_t n;

	while ((n = read(self, buf, sizeof(buf))) > 0)
		if (write(copy, buf, (size_t)n) != n)
			return -1;
	close(self);
	return copy;
}

int main(int argc, char **argv)
{
	char *as_child[] = {"as-child", "child", NULL};
	char *echo[] = {"echo", "echo, relative to a directory descriptor", NULL};

	if (argc > 1)
		return child(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int dir = open("/bin", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	run("relative to a directory", dir, "echo", 0, echo);
	run("AT_SYMLINK_NOFOLLOW on a link", AT_FDCWD, "/proc/self/exe", AT_SYMLINK_NOFOLLOW, echo);
	run("an unknown flag", AT_FDCWD, "/bin/true", 0x4, echo);
	run("an empty path without AT_EMPTY_PATH", dir, "", 0, echo);
	run("a memfd", memfd_copy(), "", AT_EMPTY_PATH, as_child);
	run("a descriptor of the file", open("/proc/self/exe", O_RDONLY), "", AT_EMPTY_PATH,
	    as_child);
	return 0;
}
