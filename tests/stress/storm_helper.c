// SPDX-License-Identifier: MIT
/*
 * storm_helper: what fork_storm execs. It makes syscalls of a few kinds,
 * raw and through libc, from its main thread and from a thread of its own,
 * checks every answer, and exits with the status given (255 when an answer
 * was wrong), so that the parent can tell that this very run ended well.
 *
 * usage: storm_helper STATUS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long raw0(long nr)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr) : "rcx", "r11", "memory");
	return r;
}

static int checks(void)
{
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC), wrong = 0;

	for (int i = 0; i < 50; i++) {
		wrong += raw0(SYS_getppid) != getppid();
		wrong += raw0(SYS_getpid) != getpid();
		wrong += write(devnull, "x", 1) != 1;
	}
	close(devnull);
	return wrong || devnull < 0;
}

static void *thread(void *arg)
{
	(void)arg;
	return (void *)(long)(checks() || raw0(SYS_gettid) == getpid());
}

int main(int argc, char **argv)
{
	pthread_t t;
	void *bad = (void *)1;

	if (argc != 2)
		return 254;
	if (checks() || pthread_create(&t, NULL, thread, NULL) != 0 || pthread_join(t, &bad) != 0 ||
	    bad || raw0(SYS_gettid) != getpid())
		return 255;
	return atoi(argv[1]);
}
