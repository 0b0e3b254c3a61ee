// SPDX-License-Identifier: MIT
/*
 * vfork: vfork() + exec and vfork() + _exit, from the main thread and from
 * a second thread. The child shares the parent's memory and, until it
 * execs or exits, the parent's stack: it calls functions that use stack
 * and make syscalls (write, getppid, an execve that fails), and writes a
 * value into the parent's memory. Afterwards the parent checks that its
 * locals (a checksummed array and values on its stack frame)
 * are intact and sees the child's value. It proves that a vfork child
 * never overwrites the parent's LibOS frames nor its stack above the
 * vfork call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int child_value;

static void report(const char *what, int status)
{
	if (WIFEXITED(status))
		printf("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", what, WTERMSIG(status));
	fflush(stdout);
}

static uint32_t checksum(const uint32_t *words, int count)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < count; i++)
		h = (h ^ words[i]) * 16777619u;
	return h;
}

/* Uses a few KiB of stack below the vfork frame and makes syscalls. */
static __attribute__((noinline)) int child_work(int depth)
{
	volatile char scratch[2048];
	int r;

	memset((char *)scratch, 0x5a, sizeof(scratch));
	if (depth > 0)
		return child_work(depth - 1) + scratch[depth];
	r = (int)write(1, "  vfork child: writing\n", 23);
	return r == 23 && getppid() > 0 ? 0 : 1000;
}

static void vfork_cases(const char *who)
{
	uint32_t words[64];
	char name[64];
	volatile int after_exec_failure;
	int status;
	pid_t pid;

	for (int i = 0; i < 64; i++)
		words[i] = (uint32_t)i * 2654435761u;
	volatile uint32_t before = checksum(words, 64);
	volatile long kept = 0x1234567890abcdefL;

	/* vfork + _exit, after stack use and syscalls in the child. */
	fflush(stdout);
	child_value = 0;
	pid = vfork();
	if (pid == 0) {
		child_value = 41 + (child_work(8) == 0);
		_exit(7);
	}
	snprintf(name, sizeof(name), "%s vfork+_exit", who);
	waitpid(pid, &status, 0);
	report(name, status);
	printf("%s: child's value %d, locals intact: %s\n", name, child_value,
	       checksum(words, 64) == before && kept == 0x1234567890abcdefL ? "yes" : "no");

	/* vfork + exec of a program that prints. */
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execl("/bin/echo", "echo", "  vfork child: exec'd echo", (char *)NULL);
		_exit(127);
	}
	snprintf(name, sizeof(name), "%s vfork+exec", who);
	waitpid(pid, &status, 0);
	report(name, status);
	printf("%s: locals intact: %s\n", name,
	       checksum(words, 64) == before && kept == 0x1234567890abcdefL ? "yes" : "no");

	/* vfork + an exec that fails, then _exit with its errno. */
	fflush(stdout);
	after_exec_failure = 0;
	pid = vfork();
	if (pid == 0) {
		execl("/nonexistent/program", "program", (char *)NULL);
		after_exec_failure = errno;
		_exit(errno == ENOENT ? 2 : 3);
	}
	snprintf(name, sizeof(name), "%s vfork+failed exec", who);
	waitpid(pid, &status, 0);
	report(name, status);
	printf("%s: errno seen by the parent %s, locals intact: %s\n", name,
	       after_exec_failure == ENOENT ? "ENOENT" : "other",
	       checksum(words, 64) == before && kept == 0x1234567890abcdefL ? "yes" : "no");
	fflush(stdout);
}

static void *from_thread(void *arg)
{
	vfork_cases(arg);
	return NULL;
}

int main(void)
{
	pthread_t thread;

	vfork_cases("main thread");
	if (pthread_create(&thread, NULL, from_thread, "second thread") != 0 ||
	    pthread_join(thread, NULL) != 0) {
		perror("pthread");
		return 1;
	}
	printf("done\n");
	return 0;
}
