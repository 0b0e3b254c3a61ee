// SPDX-License-Identifier: MIT
/*
 * fork_thread: fork() from a second thread while other threads are busy
 * making syscalls. The child has exactly one thread (the forking one, as
 * /proc/self/task shows); it makes syscalls (pipes, files, getpid against
 * its own /proc/self/stat), creates and joins threads of its own, forks a
 * grandchild, and exits with a status that encodes its checks. The parent
 * thread waits for it, the main thread joins everything. Repeated
 * FORK_COUNT times. It proves that the child of a non-main thread keeps a
 * working TCB, that the LibOS's view of its threads matches the child's,
 * and that the parent is unaffected.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORK_COUNT   20
#define BUSY_THREADS 3

static volatile int stop;

static void *busy(void *arg)
{
	long *count = arg;

	while (!stop) {
		if (getppid() > 0 && close(-1) < 0)
			(*count)++;
	}
	return NULL;
}

static int count_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int count = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		count += e->d_name[0] != '.';
	closedir(d);
	return count;
}

static int stat_pid(void)
{
	char buf[64];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	return atoi(buf);
}

static void *child_thread(void *arg)
{
	return (void *)(long)(getpid() == *(pid_t *)arg && syscall(SYS_gettid) != *(pid_t *)arg);
}

/* What the child checks, one bit each; 0x3f when all passed. */
static int child_checks(void)
{
	pid_t me = getpid(), grandchild;
	pthread_t threads[4];
	int fds[2], checks = 0, status;
	char c = 0;

	if (count_tasks() == 1)
		checks |= 1;
	if (stat_pid() == me && syscall(SYS_gettid) == me)
		checks |= 2;
	if (pipe(fds) == 0 && write(fds[1], "z", 1) == 1 && read(fds[0], &c, 1) == 1 && c == 'z')
		checks |= 4;
	int threads_ok = 1;
	for (int i = 0; i < 4; i++)
		threads_ok &= pthread_create(&threads[i], NULL, child_thread, &me) == 0;
	for (int i = 0; i < 4 && threads_ok; i++) {
		void *r;
		threads_ok &= pthread_join(threads[i], &r) == 0 && r == (void *)1L;
	}
	if (threads_ok)
		checks |= 8;
	grandchild = fork();
	if (grandchild == 0)
		_exit(getppid() == me ? 9 : 1);
	if (grandchild > 0 && waitpid(grandchild, &status, 0) == grandchild && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 9)
		checks |= 16;
	if (count_tasks() == 1)
		checks |= 32;
	return checks;
}

static void *forker(void *arg)
{
	int *results = arg;

	for (int i = 0; i < FORK_COUNT; i++) {
		int status;
		pid_t pid = fork();
		if (pid == 0)
			exit(child_checks()); /* exit(): atexit and stdio, in the child */
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			results[i] = -1;
		else
			results[i] =
				WIFEXITED(status) ? WEXITSTATUS(status) : 0x100 + WTERMSIG(status);
	}
	return NULL;
}

int main(void)
{
	pthread_t busy_threads[BUSY_THREADS], forking;
	long busy_counts[BUSY_THREADS] = {0};
	int results[FORK_COUNT], all = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < BUSY_THREADS; i++)
		if (pthread_create(&busy_threads[i], NULL, busy, &busy_counts[i]) != 0)
			return 1;
	if (pthread_create(&forking, NULL, forker, results) != 0)
		return 1;
	pthread_join(forking, NULL);
	stop = 1;
	for (int i = 0; i < BUSY_THREADS; i++)
		pthread_join(busy_threads[i], NULL);
	for (int i = 0; i < FORK_COUNT; i++) {
		if (results[i] != 0x3f) {
			printf("fork %d: child status 0x%x, expected 0x3f\n", i, results[i]);
			all = 0;
		}
	}
	printf("%d forks from a second thread, every child's checks passed: %s\n", FORK_COUNT,
	       all ? "yes" : "no");
	printf("busy threads kept working: %s\n",
	       busy_counts[0] > 0 && busy_counts[1] > 0 && busy_counts[2] > 0 ? "yes" : "no");
	printf("threads of the parent now: %d\n", count_tasks());
	return all ? 0 : 1;
}
