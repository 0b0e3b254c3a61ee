// SPDX-License-Identifier: MIT
/*
 * A program of raw syscalls for the injection tests (run-inject.py): each
 * through libc's syscall() and its wrappers, so every one goes through a
 * site in libc, whose patching is what the injected faults disturb. With
 * "threads N", N threads do the same; with "spawn", a child is run through
 * posix_spawn (clone3 with CLONE_VM|CLONE_VFORK). It prints only what is
 * the same in every run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static long work(void)
{
	long sum = 0;

	for (int i = 0; i < 2000; i++) {
		sum += syscall(SYS_getppid) > 0;
		sum += syscall(SYS_getuid) == getuid();
	}
	return sum;
}

static void *thread(void *arg)
{
	(void)arg;
	return (void *)work();
}

int main(int argc, char **argv)
{
	struct utsname u;
	char buf[64];

	printf("work %ld\n", work());
	printf("uname %s\n", uname(&u) == 0 ? u.sysname : strerror(errno));
	int fd = open("/proc/self/comm", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	printf("comm read %s\n", n > 0 ? "ok" : strerror(errno));
	if (fd >= 0)
		close(fd);
	if (argc > 2 && strcmp(argv[1], "threads") == 0) {
		int count = atoi(argv[2]);
		pthread_t t[64];
		for (int i = 0; i < count && i < 64; i++) {
			int r = pthread_create(&t[i], NULL, thread, NULL);
			printf("thread %d: %s\n", i, r ? strerror(r) : "created");
			if (r)
				t[i] = 0;
		}
		for (int i = 0; i < count && i < 64; i++) {
			void *v;
			if (t[i] && pthread_join(t[i], &v) == 0)
				printf("thread %d: work %ld\n", i, (long)v);
		}
	}
	if (argc > 1 && strcmp(argv[1], "spawn") == 0) {
		char *child[] = {"/bin/echo", "spawned", NULL};
		pid_t pid;
		int st, r = posix_spawn(&pid, child[0], NULL, NULL, child, environ);
		if (r == 0 && waitpid(pid, &st, 0) == pid)
			printf("spawn: status %d\n", WEXITSTATUS(st));
		else
			printf("spawn: %s\n", strerror(r));
	}
	fflush(stdout);
	return 3;
}
