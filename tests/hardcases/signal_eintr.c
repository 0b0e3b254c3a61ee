// SPDX-License-Identifier: MIT
/*
 * signal_eintr: signals into threads blocked in read (a pipe), futex
 * (FUTEX_WAIT) and nanosleep, with and without SA_RESTART. For each mode,
 * three threads block, one in each call; the main thread waits until a
 * thread is asleep in its syscall (/proc/self/task/TID/syscall names it),
 * sends it a signal with pthread_kill, waits for the handler, and repeats
 * SIGNAL_COUNT times; then it writes the pipe and wakes the futex. Every
 * count is therefore fixed: without SA_RESTART read and futex fail with
 * EINTR once per signal and the thread calls again; with it the kernel
 * restarts them and they return the data / 0 once; nanosleep fails with
 * EINTR and a remaining time either way. It proves that interception
 * keeps EINTR and restart semantics unchanged while the thread is inside
 * the LibOS's own syscall.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blocked_in.h"

#define SIGNAL_COUNT 100

enum kind { READ, FUTEX, SLEEP, KINDS };
static const char *const kind_name[KINDS] = {"read", "futex", "nanosleep"};
static const long kind_syscall[KINDS] = {SYS_read, SYS_futex, SYS_clock_nanosleep};

struct worker {
	enum kind kind;
	pthread_t thread;
	volatile pid_t tid;
	int eintr;     /* calls that failed with EINTR */
	int calls;     /* calls made */
	int other;     /* unexpected results */
	int remaining; /* nanosleep: EINTR with 0 < remaining <= requested */
	char data[16]; /* read: what came back */
};

static volatile int handled[KINDS];
static int pipe_fds[2];
static int futex_word;
static __thread int my_kind;

static void on_signal(int sig)
{
	(void)sig;
	handled[my_kind]++;
}

static void block_in_read(struct worker *w)
{
	ssize_t r;

	do {
		w->calls++;
		r = read(pipe_fds[0], w->data, sizeof(w->data) - 1);
		if (r < 0 && errno == EINTR)
			w->eintr++;
	} while (r < 0 && errno == EINTR);
	if (r > 0)
		w->data[r] = '\0';
	else
		w->other++;
}

static void block_in_futex(struct worker *w)
{
	while (__atomic_load_n(&futex_word, __ATOMIC_ACQUIRE) == 0) {
		w->calls++;
		long r = syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		if (r < 0 && errno == EINTR)
			w->eintr++;
		else if (r < 0 && errno != EAGAIN)
			w->other++;
	}
}

static void block_in_sleep(struct worker *w)
{
	const struct timespec request = {1000, 0};

	for (int i = 0; i < SIGNAL_COUNT; i++) {
		struct timespec rem = {0, 0};
		w->calls++;
		if (nanosleep(&request, &rem) == 0 || errno != EINTR) {
			w->other++;
			continue;
		}
		w->eintr++;
		if ((rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_sec <= request.tv_sec)
			w->remaining++;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	my_kind = w->kind;
	w->tid = (pid_t)syscall(SYS_gettid);
	if (w->kind == READ)
		block_in_read(w);
	else if (w->kind == FUTEX)
		block_in_futex(w);
	else
		block_in_sleep(w);
	return NULL;
}

static void wait_until_blocked(const struct worker *w)
{
	const struct timespec pause = {0, 200000};

	while (w->tid == 0 || blocked_in(w->tid) != kind_syscall[w->kind])
		nanosleep(&pause, NULL);
	/* Asleep in the call: let the kernel get it fully to sleep. */
	nanosleep(&pause, NULL);
	while (blocked_in(w->tid) != kind_syscall[w->kind])
		nanosleep(&pause, NULL);
}

static void run_mode(int restart)
{
	struct worker workers[KINDS];
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	memset(workers, 0, sizeof(workers));
	memset((void *)handled, 0, sizeof(handled));
	futex_word = 0;
	for (int k = 0; k < KINDS; k++) {
		workers[k].kind = k;
		if (pthread_create(&workers[k].thread, NULL, worker_main, &workers[k]) != 0)
			abort();
	}
	for (int i = 0; i < SIGNAL_COUNT; i++) {
		for (int k = 0; k < KINDS; k++) {
			wait_until_blocked(&workers[k]);
			pthread_kill(workers[k].thread, SIGUSR1);
		}
		for (int k = 0; k < KINDS; k++)
			while (handled[k] != i + 1)
				sched_yield();
	}
	/* Release them: data for the reader, a wake for the futex. */
	wait_until_blocked(&workers[READ]);
	wait_until_blocked(&workers[FUTEX]);
	if (write(pipe_fds[1], "payload", 7) != 7)
		abort();
	__atomic_store_n(&futex_word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	for (int k = 0; k < KINDS; k++)
		pthread_join(workers[k].thread, NULL);

	const char *mode = restart ? "SA_RESTART" : "no SA_RESTART";
	for (int k = 0; k < KINDS; k++) {
		struct worker *w = &workers[k];
		printf("%s, %s: %d signals handled, %d calls, %d EINTR, %d unexpected", mode,
		       kind_name[k], handled[k], w->calls, w->eintr, w->other);
		if (k == READ)
			printf(", read \"%s\"", w->data);
		if (k == SLEEP)
			printf(", %d with time remaining", w->remaining);
		printf("\n");
	}
}

int main(void)
{
	if (pipe(pipe_fds) < 0) {
		perror("pipe");
		return 1;
	}
	run_mode(0);
	run_mode(1);
	return 0;
}
