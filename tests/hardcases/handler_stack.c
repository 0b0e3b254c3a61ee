// SPDX-License-Identifier: MIT
/*
 * handler_stack: a signal handler with a large stack frame that makes
 * syscalls, delivered while its thread is blocked in read() (under the
 * loader: inside the LibOS, so the kernel puts the handler's frame on
 * whatever stack the thread is running on). The handler fills a local
 * buffer of FRAME_SIZE bytes, makes syscalls between writes to it, and
 * checks it; then the read completes with the data written afterwards.
 * Natively the handler has the thread's whole stack (8 MiB); it must have
 * as much room, and its locals must not be overwritten by the LibOS
 * entries of its own syscalls.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blocked_in.h"

#define FRAME_SIZE (256 * 1024)
#define ROUNDS     8

static int pipe_fds[2];
static volatile pid_t reader_tid;
static volatile int handled, handler_ok = 1;
static pid_t my_pid;

static void big_handler(int sig)
{
	volatile unsigned char frame[FRAME_SIZE];
	int ok = 1;

	(void)sig;
	for (size_t i = 0; i < FRAME_SIZE; i += 64) {
		frame[i] = (unsigned char)(i >> 6);
		if (i % (16 * 1024) == 0 && getpid() != my_pid)
			ok = 0;
	}
	for (size_t i = 0; i < FRAME_SIZE; i += 64) {
		if (i % (16 * 1024) == 0 && getppid() <= 0)
			ok = 0;
		if (frame[i] != (unsigned char)(i >> 6))
			ok = 0;
	}
	if (!ok)
		handler_ok = 0;
	handled++;
}

static void *reader(void *arg)
{
	char *buf = arg;
	ssize_t got;

	reader_tid = (pid_t)syscall(SYS_gettid);
	got = read(pipe_fds[0], buf, 15);
	buf[got > 0 ? got : 0] = '\0';
	return NULL;
}

int main(void)
{
	const struct timespec pause = {0, 200000};
	struct sigaction sa;
	pthread_t thread;
	char data[16] = "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	my_pid = getpid();
	if (pipe(pipe_fds) < 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = big_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (pthread_create(&thread, NULL, reader, data) != 0)
		return 1;
	for (int i = 0; i < ROUNDS; i++) {
		while (reader_tid == 0 || SYS_read != blocked_in(reader_tid))
			nanosleep(&pause, NULL);
		pthread_kill(thread, SIGUSR1);
		while (handled != i + 1)
			nanosleep(&pause, NULL);
	}
	if (write(pipe_fds[1], "data", 4) != 4)
		return 1;
	pthread_join(thread, NULL);
	printf("%d handlers with a %d KiB frame, locals and syscalls right in all: %s\n", handled,
	       FRAME_SIZE / 1024, handler_ok ? "yes" : "no");
	printf("the interrupted read returned \"%s\"\n", data);
	return 0;
}
