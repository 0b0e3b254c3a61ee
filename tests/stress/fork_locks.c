// SPDX-License-Identifier: MIT
/*
 * Two threads vfork and exec while two others fork and exec: a vfork
 * child following its exec holds the loader's context lock in memory the
 * parent shares, so a fork at that moment copied the lock held, and the
 * fork child spun forever at its own exec (the loader now takes its locks
 * around a fork: tls_fork_prepare). Prints how many forks failed.
 *
 *   fork_locks [ROUNDS]    ROUNDS forks and vforks per thread (300)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int rounds;

static void *vforker(void *arg)
{
	(void)arg;
	for (int i = 0; i < rounds; i++) {
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
	int bad = 0;
	(void)arg;
	for (int i = 0; i < rounds; i++) {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int st;
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	}
	return (void *)(long)bad;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	void *bad[2];

	rounds = argc > 1 ? atoi(argv[1]) : 300;
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
