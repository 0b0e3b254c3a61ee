// SPDX-License-Identifier: MIT
/*
 * threads: a multi-threaded corpus program. Eight pthreads each write,
 * read back and checksum a file of their own, meet at a barrier (futex),
 * make a few hundred cheap syscalls, keep a counter in thread-local
 * storage (%fs) and add to a mutex-guarded total. A ninth thread leaves
 * through pthread_exit(). The main thread joins them all and prints the
 * results in a fixed order, so the output is the same on every run.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREAD_COUNT   8
#define LINE_COUNT     200
#define SYSCALL_ROUNDS 300

struct job {
	int id;
	uint32_t checksum;
	size_t size;
	int tls_count;
	int tid_differs;
};

static pthread_barrier_t barrier;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long total;
static __thread int tls_counter;

static uint32_t fnv1a(const char *buf, size_t size)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ (unsigned char)buf[i]) * 16777619u;
	return h;
}

/* Writes the thread's file, reads it back; returns 0 or -1. */
static int file_round_trip(struct job *job)
{
	char name[32], line[64], buf[LINE_COUNT * 64];
	ssize_t got;
	int fd;

	snprintf(name, sizeof(name), "thread-%d.txt", job->id);
	fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (int i = 0; i < LINE_COUNT; i++) {
		int n = snprintf(line, sizeof(line), "thread %d line %d\n", job->id, i);

		if (write(fd, line, n) != n)
			goto fail;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		goto fail;
	got = read(fd, buf, sizeof(buf));
	if (got <= 0)
		goto fail;
	job->size = got;
	job->checksum = fnv1a(buf, got);
	close(fd);
	return unlink(name);
fail:
	close(fd);
	return -1;
}

static void *work(void *arg)
{
	struct job *job = arg;
	struct timespec pause = {0, 100000};

	if (file_round_trip(job) != 0) {
		perror("file_round_trip");
		exit(1);
	}
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < SYSCALL_ROUNDS; i++) {
		if (getppid() > 0)
			tls_counter++;
		if (i % 100 == 0)
			nanosleep(&pause, NULL);
		sched_yield();
	}
	job->tls_count = tls_counter;
	job->tid_differs = gettid() != getpid();
	pthread_mutex_lock(&total_lock);
	total += job->size;
	pthread_mutex_unlock(&total_lock);
	return NULL;
}

static void *leave_early(void *arg)
{
	(void)arg;
	tls_counter = 42;
	pthread_exit((void *)(intptr_t)tls_counter);
}

int main(void)
{
	struct job jobs[THREAD_COUNT];
	pthread_t threads[THREAD_COUNT], early;
	void *early_value;

	pthread_barrier_init(&barrier, NULL, THREAD_COUNT);
	for (int i = 0; i < THREAD_COUNT; i++) {
		jobs[i] = (struct job){.id = i};
		if (pthread_create(&threads[i], NULL, work, &jobs[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	if (pthread_create(&early, NULL, leave_early, NULL) != 0)
		return 1;
	for (int i = 0; i < THREAD_COUNT; i++)
		pthread_join(threads[i], NULL);
	pthread_join(early, &early_value);

	for (int i = 0; i < THREAD_COUNT; i++)
		printf("thread %d: %zu bytes, fnv1a %08x, tls %d, own tid %s\n", jobs[i].id,
		       jobs[i].size, jobs[i].checksum, jobs[i].tls_count,
		       jobs[i].tid_differs ? "yes" : "no");
	printf("pthread_exit value: %d\n", (int)(intptr_t)early_value);
	printf("main tls counter: %d\n", tls_counter);
	printf("total: %lu bytes\n", total);
	return 0;
}
