// SPDX-License-Identifier: MIT
/*
 * idle_threads N: N threads that start, touch a little stack and wait;
 * the main thread then waits in read(0) until its stdin closes, so that
 * footprint.py measures the process at rest, with every thread alive.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t started, done;

static void *run(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&done);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	char c;

	if (!t || n < 1)
		return 2;
	pthread_barrier_init(&started, NULL, (unsigned)n + 1);
	pthread_barrier_init(&done, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, run, NULL) != 0)
			return 1;
	pthread_barrier_wait(&started);
	while (read(0, &c, 1) > 0)
		;
	pthread_barrier_wait(&done);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
