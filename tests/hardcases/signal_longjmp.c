// SPDX-License-Identifier: MIT
/*
 * signal_longjmp: a handler that never returns. The classic timeout
 * pattern: a thread blocks in read() (under the loader: inside the LibOS's
 * own raw syscall), a signal arrives, and its handler siglongjmps back to
 * before the read. Done JUMP_COUNT times in a row on one thread, then in
 * nanosleep, then the thread makes ordinary syscalls and reads data.
 * Natively each jump simply abandons the blocked call; under the loader
 * it abandons a LibOS entry too, which must not use up the thread's LibOS
 * stack or leave it in a state later syscalls trip over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blocked_in.h"

#define JUMP_COUNT 64

static sigjmp_buf jump;
static int pipe_fds[2];
static volatile pid_t target_tid;
static volatile int round_done;

static void jump_out(int sig)
{
	(void)sig;
	siglongjmp(jump, 1);
}

/* The interrupter: each time the target sleeps in syscall nr, a signal. */
static void *interrupter(void *arg)
{
	const struct timespec pause = {0, 200000};
	pthread_t target = *(pthread_t *)arg;

	for (int kind = 0; kind < 2; kind++) {
		long nr = kind == 0 ? SYS_read : SYS_clock_nanosleep;
		for (int i = 0; i < JUMP_COUNT; i++) {
			int seen = round_done;
			while (target_tid == 0 || blocked_in(target_tid) != nr)
				nanosleep(&pause, NULL);
			pthread_kill(target, SIGUSR1);
			while (round_done == seen)
				nanosleep(&pause, NULL);
		}
	}
	return NULL;
}

int main(void)
{
	const struct timespec long_sleep = {1000, 0};
	volatile int jumped_read = 0, jumped_sleep = 0;
	pthread_t self = pthread_self(), helper;
	struct sigaction sa;
	char buf[16] = "";
	ssize_t got;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(pipe_fds) < 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = jump_out;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	target_tid = (pid_t)syscall(SYS_gettid);
	if (pthread_create(&helper, NULL, interrupter, &self) != 0)
		return 1;
	while (jumped_read < JUMP_COUNT) {
		if (sigsetjmp(jump, 1) == 0) {
			got = read(pipe_fds[0], buf, sizeof(buf)); /* never returns */
			printf("read returned %zd\n", got);
			return 1;
		}
		jumped_read++;
		round_done++;
	}
	printf("jumped out of a blocked read: %d times\n", jumped_read);
	while (jumped_sleep < JUMP_COUNT) {
		if (sigsetjmp(jump, 1) == 0) {
			nanosleep(&long_sleep, NULL);
			printf("nanosleep returned\n");
			return 1;
		}
		jumped_sleep++;
		round_done++;
	}
	printf("jumped out of nanosleep: %d times\n", jumped_sleep);
	pthread_join(helper, NULL);
	if (write(pipe_fds[1], "after", 5) != 5)
		return 1;
	got = read(pipe_fds[0], buf, sizeof(buf) - 1);
	buf[got > 0 ? got : 0] = '\0';
	printf("afterwards: read \"%s\", getppid works: %s, close(-1) is EBADF: %s\n", buf,
	       getppid() > 0 ? "yes" : "no", close(-1) < 0 && errno == EBADF ? "yes" : "no");
	return 0;
}
