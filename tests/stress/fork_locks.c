// SPDX-License-Identifier: MIT
/*
 * Two threads vfork and exec while two others fork and exec: a vfork
 * child following its exec holds the loader's context lock in memory the
 * parent shares, so a fork at that moment copied the lock held, and the
 * fork child spun forever at its own exec (the loader now takes its locks
 * around a fork: tls_fork_prepare). Prints how many forks failed.
 * With `stack`, the forkers clone a process that starts on a stack of its
 * own (clone without CLONE_VM, as posix_spawn-like code and some runtimes
 * do): the loader took no lock around those, so a child could copy one
 * held by another thread and wait forever at its first allocation.
 *
 *   fork_locks [ROUNDS [stack]]    ROUNDS forks and vforks per thread (300)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int rounds, own_stack;

static int child_exec(void *arg)
{
	(void)arg;
	execl("/bin/true", "true", (char *)NULL);
	_exit(127);
}

/* A fork, or a clone of a process on a stack of its own. */
static pid_t spawn(char *stack, size_t size)
{
	if (own_stack)
		return clone(child_exec, stack + size, SIGCHLD, NULL);
	pid_t p = fork();
	if (p == 0)
		child_exec(NULL);
	return p;
}

static void *vforker(void *arg)
{
	(void)arg;
	/* volatile: the vfork child runs in this frame. */
	for (volatile int i = 0; i < rounds; i++) {
		pid_t p = vfork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(p, NULL, 0);
	}
	return NULL;
}

static void *forker(void *arg)
{
	static __thread char stack[64 * 1024] __attribute__((aligned(16)));
	int bad = 0;
	(void)arg;
	for (int i = 0; i < rounds; i++) {
		pid_t p = spawn(stack, sizeof(stack));
		int st;
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	return (void *)(long)bad;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	void *bad[2];

	rounds = argc > 1 ? atoi(argv[1]) : 300;
	own_stack = argc > 2 && strcmp(argv[2], "stack") == 0;
	pthread_create(&t[0], NULL, vforker, NULL);
	pthread_create(&t[1], NULL, vforker, NULL);
	pthread_create(&t[2], NULL, forker, NULL);
	pthread_create(&t[3], NULL, forker, NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_join(t[2], &bad[0]);
	pthread_join(t[3], &bad[1]);
	printf("%d forks, %ld failed\n", 2 * rounds, (long)bad[0] + (long)bad[1]);
	return 0;
}
