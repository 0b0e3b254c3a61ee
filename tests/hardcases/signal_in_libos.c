// SPDX-License-Identifier: MIT
/*
 * signal_in_libos: signal handlers that make syscalls while the thread
 * they interrupted is inside the LibOS. Two parts:
 *  - a thread blocked in read() on a pipe (under the loader: inside the
 *    LibOS's own raw syscall) gets SIGNAL_COUNT signals, one at a time;
 *    each handler opens, writes, stats and closes files and checks getpid
 *    HANDLER_ROUNDS times. With SA_RESTART the read keeps waiting and then
 *    returns the data written after the last signal; without it, it fails
 *    with EINTR once per signal and the thread reads again.
 *  - a storm: another thread queues STORM_COUNT real-time signals (they
 *    are never merged, so every one is handled) at a thread that loops on
 *    syscalls whose results it checks (getppid, a pipe round trip, lseek);
 *    the handler itself makes syscalls. Signals land anywhere, in the
 *    stubs and the dispatcher included.
 * It proves that a nested entry never clobbers the interrupted one: every
 * result is right and the counts are exact.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blocked_in.h"

#define SIGNAL_COUNT   40
#define HANDLER_ROUNDS 100
#define STORM_COUNT    20000

static pid_t my_pid;
static volatile int handled, handler_errors;
static int pipe_fds[2];

/* Syscalls from the handler; errno is the interrupted code's, keep it. */
static void busy_handler(int sig)
{
	int saved = errno;
	struct stat st;

	(void)sig;
	for (int i = 0; i < HANDLER_ROUNDS; i++) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || write(fd, "x", 1) != 1 || fstat(fd, &st) < 0 || close(fd) < 0 ||
		    getpid() != my_pid)
			handler_errors++;
	}
	handled++;
	errno = saved;
}

struct reader {
	volatile pid_t tid;
	int calls, eintr, other;
	char data[16];
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	ssize_t got;

	r->tid = (pid_t)syscall(SYS_gettid);
	do {
		r->calls++;
		got = read(pipe_fds[0], r->data, sizeof(r->data) - 1);
		if (got < 0 && errno == EINTR)
			r->eintr++;
	} while (got < 0 && errno == EINTR);
	if (got > 0)
		r->data[got] = '\0';
	else
		r->other++;
	return NULL;
}

static void wait_until_blocked(const struct reader *r)
{
	const struct timespec pause = {0, 200000};

	while (r->tid == 0 || SYS_read != blocked_in(r->tid))
		nanosleep(&pause, NULL);
}

static void blocked_read(int restart)
{
	struct sigaction sa;
	struct reader r;
	pthread_t thread;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = busy_handler;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	memset(&r, 0, sizeof(r));
	handled = handler_errors = 0;
	if (pthread_create(&thread, NULL, reader_main, &r) != 0)
		abort();
	for (int i = 0; i < SIGNAL_COUNT; i++) {
		wait_until_blocked(&r);
		pthread_kill(thread, SIGUSR1);
		while (handled != i + 1)
			sched_yield();
	}
	wait_until_blocked(&r);
	if (write(pipe_fds[1], "payload", 7) != 7)
		abort();
	pthread_join(thread, NULL);
	printf("blocked read, %s: %d handlers (%d syscalls each), %d handler errors, "
	       "%d read calls, %d EINTR, %d unexpected, read \"%s\"\n",
	       restart ? "SA_RESTART" : "no SA_RESTART", handled, HANDLER_ROUNDS * 5,
	       handler_errors, r.calls, r.eintr, r.other, r.data);
}

static volatile int storm_handled, storm_handler_errors, storm_target_ready;
static volatile pid_t storm_tid;

static void storm_handler(int sig)
{
	int saved = errno;

	(void)sig;
	if (getpid() != my_pid || syscall(SYS_gettid) != storm_tid)
		storm_handler_errors++;
	storm_handled++;
	errno = saved;
}

/* Loops on syscalls with known results until every signal was handled. */
static void *storm_target(void *arg)
{
	int fds[2], *errors = arg;
	pid_t parent = getppid();
	char c;

	if (pipe(fds) < 0)
		abort();
	storm_tid = (pid_t)syscall(SYS_gettid);
	storm_target_ready = 1;
	for (unsigned i = 0; storm_handled < STORM_COUNT; i++) {
		char out = (char)i;
		if (getppid() != parent)
			(*errors)++;
		if (write(fds[1], &out, 1) != 1 || read(fds[0], &c, 1) != 1 || c != out)
			(*errors)++;
		if (lseek(fds[0], 0, SEEK_CUR) != -1 || errno != ESPIPE)
			(*errors)++;
	}
	close(fds[0]);
	close(fds[1]);
	return NULL;
}

static void storm(void)
{
	struct sigaction sa;
	pthread_t thread;
	union sigval value = {0};
	int target_errors = 0, sent = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = storm_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	if (pthread_create(&thread, NULL, storm_target, &target_errors) != 0)
		abort();
	while (!storm_target_ready)
		sched_yield();
	while (sent < STORM_COUNT) {
		int e = pthread_sigqueue(thread, SIGRTMIN + 1, value);
		if (e == 0)
			sent++;
		else if (e == EAGAIN)
			sched_yield(); /* the queue is full: let it drain */
		else
			abort();
	}
	pthread_join(thread, NULL);
	printf("storm: %d signals queued, %d handled, %d handler errors, %d wrong syscall "
	       "results in the interrupted thread\n",
	       sent, storm_handled, storm_handler_errors, target_errors);
}

int main(void)
{
	my_pid = getpid();
	if (pipe(pipe_fds) < 0) {
		perror("pipe");
		return 1;
	}
	blocked_read(1);
	blocked_read(0);
	storm();
	return 0;
}
