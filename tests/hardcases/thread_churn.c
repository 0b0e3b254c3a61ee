// SPDX-License-Identifier: MIT
/*
 * thread_churn: thousands of threads created and joined while making
 * syscalls. 4000 threads are started in waves of 8; each one checks
 * getpid() and gettid(), writes a record into a shared pipe, sleeps with
 * nanosleep(0), reads a file, and leaves by returning or by pthread_exit().
 * The main thread drains the pipe after each wave and checks every record.
 * It proves that creating a thread (glibc's clone3 with a new stack and
 * CLONE_SETTLS) and its exit work thousands of times, and that an exited
 * thread's memory is freed: the number of mappings after the churn stays
 * close to the number before it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define THREAD_COUNT 4000
#define WAVE         8

struct record {
	uint32_t id;
	uint32_t checks; /* one bit per check that passed */
};

#define ALL_CHECKS 0x1f

static int pipe_fds[2];
static pid_t main_pid, main_tid;

static int read_file_ok(void)
{
	char buf[64];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf));
	close(fd);
	return got > 0;
}

static void *worker(void *arg)
{
	struct record r = {(uint32_t)(uintptr_t)arg, 0};
	struct timespec zero = {0, 0};

	if (getpid() == main_pid)
		r.checks |= 1;
	if (syscall(SYS_gettid) != main_tid)
		r.checks |= 2;
	if (nanosleep(&zero, NULL) == 0)
		r.checks |= 4;
	if (read_file_ok())
		r.checks |= 8;
	if (getppid() == getppid())
		r.checks |= 16;
	if (write(pipe_fds[1], &r, sizeof(r)) != sizeof(r))
		abort();
	if (r.id % 2)
		pthread_exit(arg);
	return arg;
}

static int count_mappings(void)
{
	char line[512];
	int count = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		count++;
	fclose(f);
	return count;
}

int main(void)
{
	static unsigned char seen[THREAD_COUNT];
	pthread_t threads[WAVE];
	int all_ok = 1, returned_ok = 1, before, after, records = 0;

	main_pid = getpid();
	main_tid = (pid_t)syscall(SYS_gettid);
	if (pipe(pipe_fds) < 0) {
		perror("pipe");
		return 1;
	}
	before = count_mappings();
	for (int base = 0; base < THREAD_COUNT; base += WAVE) {
		for (int i = 0; i < WAVE; i++) {
			int e = pthread_create(&threads[i], NULL, worker,
					       (void *)(uintptr_t)(base + i));
			if (e) {
				fprintf(stderr, "pthread_create: %s\n", strerror(e));
				return 1;
			}
		}
		for (int i = 0; i < WAVE; i++) {
			void *value;
			if (pthread_join(threads[i], &value) != 0 ||
			    value != (void *)(uintptr_t)(base + i))
				returned_ok = 0;
		}
		for (int i = 0; i < WAVE; i++) {
			struct record r;
			if (read(pipe_fds[0], &r, sizeof(r)) != sizeof(r) || r.id >= THREAD_COUNT ||
			    seen[r.id]) {
				all_ok = 0;
				continue;
			}
			seen[r.id] = 1;
			records++;
			if (r.checks != ALL_CHECKS)
				all_ok = 0;
		}
	}
	after = count_mappings();
	printf("threads created and joined: %d\n", THREAD_COUNT);
	printf("records: %d, every check passed: %s\n", records, all_ok ? "yes" : "no");
	printf("join values right: %s\n", returned_ok ? "yes" : "no");
	/* glibc caches a few stacks; a leak per thread would add thousands. */
	printf("mappings grew by less than 64: %s\n", after - before < 64 ? "yes" : "no");
	return all_ok && returned_ok ? 0 : 1;
}
