// SPDX-License-Identifier: MIT
/*
 * syscall_loop: time one syscall in a tight loop, through glibc as a
 * program would make it. Prints nanoseconds per call (the best of several
 * rounds: the least disturbed by the rest of the machine).
 *
 * With THREADS above 1, that many threads make the calls at the same time:
 * each round starts them together at a barrier and ends when the last is
 * done, and the figure is the round's wall time over the calls of one
 * thread (ns per call per thread: equal to the one-thread figure when
 * nothing is shared between them, higher when something is).
 *
 * usage: syscall_loop getppid|write ITERATIONS [THREADS]
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ROUND_COUNT 7
#define MAX_THREADS 64

static long iterations;
static int do_write;
static int devnull;
static pthread_barrier_t round_start, round_end;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void calls(void)
{
	if (do_write)
		for (long i = 0; i < iterations; i++)
			(void)!write(devnull, "x", 1);
	else
		for (long i = 0; i < iterations; i++)
			getppid();
}

static void *worker(void *arg)
{
	(void)arg;
	for (int round = 0; round < ROUND_COUNT; round++) {
		pthread_barrier_wait(&round_start);
		calls();
		pthread_barrier_wait(&round_end);
	}
	return NULL;
}

/* The best round's ns per call per thread, the calls made by thread_count
 * threads at once (the main thread only keeps time); -1 on failure. */
static double run_threads(int thread_count)
{
	pthread_t threads[MAX_THREADS];
	double best = 1e30;

	pthread_barrier_init(&round_start, NULL, thread_count + 1);
	pthread_barrier_init(&round_end, NULL, thread_count + 1);
	for (int i = 0; i < thread_count; i++)
		if (pthread_create(&threads[i], NULL, worker, NULL) != 0)
			return -1;
	for (int round = 0; round < ROUND_COUNT; round++) {
		pthread_barrier_wait(&round_start);
		double t0 = now_ns();
		pthread_barrier_wait(&round_end);
		double per = (now_ns() - t0) / iterations;
		if (per < best)
			best = per;
	}
	for (int i = 0; i < thread_count; i++)
		pthread_join(threads[i], NULL);
	return best;
}

int main(int argc, char **argv)
{
	int thread_count = argc > 3 ? atoi(argv[3]) : 1;
	double best = 1e30;

	iterations = argc > 2 ? atol(argv[2]) : 1000000;
	do_write = argc > 1 && strcmp(argv[1], "write") == 0;
	devnull = open("/dev/null", O_WRONLY);
	if (iterations < 1 || thread_count < 1 || thread_count > MAX_THREADS) {
		fprintf(stderr, "usage: syscall_loop getppid|write ITERATIONS [THREADS 1..%d]\n",
			MAX_THREADS);
		return 2;
	}
	if (thread_count > 1) {
		best = run_threads(thread_count);
		if (best < 0) {
			fprintf(stderr, "syscall_loop: pthread_create failed\n");
			return 1;
		}
	} else {
		for (int round = 0; round < ROUND_COUNT; round++) {
			double t0 = now_ns();
			calls();
			double per = (now_ns() - t0) / iterations;
			if (per < best)
				best = per;
		}
	}
	printf("%.1f\n", best);
	return 0;
}
