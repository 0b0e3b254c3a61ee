// SPDX-License-Identifier: MIT
/*
 * Thread births and deaths, for the module's thread_start/thread_exit:
 * 100 threads created and joined (one ends by pthread_exit), a vfork child
 * that _exits, a fork child (a new process: not a thread of this one).
 * With the argument "exit-from-thread", a second thread ends the process
 * with exit(3) while the main thread waits in pthread_join.
 * Prints what it did; the loader's report must count the same.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *work(void *arg)
{
	if ((long)arg == 7)
		pthread_exit((void *)(long)getppid());
	return (void *)(long)getppid();
}

static void *exit_process(void *arg)
{
	(void)arg;
	exit(3);
}

int main(int argc, char **argv)
{
	pthread_t t[100];
	int status;

	if (argc > 1 && strcmp(argv[1], "exit-from-thread") == 0) {
		pthread_t x;
		pthread_create(&x, NULL, exit_process, NULL);
		pthread_join(x, NULL);
		return 0; /* not reached */
	}
	for (long i = 0; i < 100; i++)
		if (pthread_create(&t[i], NULL, work, (void *)i))
			return 1;
	for (int i = 0; i < 100; i++)
		pthread_join(t[i], NULL);
	pid_t p = vfork();
	if (p == 0)
		_exit(5);
	waitpid(p, &status, 0);
	printf("vfork child: %d\n", WEXITSTATUS(status));
	p = fork();
	if (p == 0)
		_exit(6);
	waitpid(p, &status, 0);
	printf("fork child: %d\n", WEXITSTATUS(status));
	printf("100 threads joined\n");
	return 0;
}
